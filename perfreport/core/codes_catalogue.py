"""Finding codes about the indicator catalogue: its rows, columns and the Targets sheet."""

from __future__ import annotations

from perfreport.core.findings import Code, Severity

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

# The phrases the templates below choose from, one per situation: each is worded once here.
# catalogue-missing-value: a row with no ref is skipped; another cell left blank is to be filled.
SKIPPED = ", so it is skipped"
# catalogue-missing-value: the advice for a blank directorate when the paper is grouped by it.
ADVICE_DIRECTORATE = (
    "Fill in the directorate: the paper is grouped by directorate ([paper] group_by in "
    "perfreport.toml)."
)
ADVICE_UNIQUE_REF = "Give every indicator a unique ref such as ASC-01."
# catalogue-due-mismatch: due quarters given for a measure due every quarter, or too few or many.
ADVICE_CLEAR_DUE = "Clear the cell, or change the frequency."
ADVICE_CHECK_DUE = "Check the due quarters or the frequency."
# catalogue-bad-number: a target or amber that is not a number (decimals: not a whole number).
NOT_A_NUMBER = ", which is not a number"

CATALOGUE_CODES = (
    Code(
        "catalogue-missing-value",
        E,
        "A required catalogue cell is blank",
        "Cell {cell}: {subject} has no {label}{effect}. {advice}",
        {
            "cell": "D7",
            "subject": "ASC-04",
            "label": "service",
            "effect": "",
            "advice": "Fill in the service.",
        },
        choices={"effect": (SKIPPED, "")},
    ),
    Code(
        "catalogue-duplicate-ref",
        E,
        "Two catalogue rows have the same ref",
        "Cell {cell}: {ref} is already used in row {row}, so this row is skipped. Give each "
        "indicator its own ref.",
        {"cell": "A9", "ref": "ASC-01", "row": 3},
    ),
    Code(
        "catalogue-unknown-priority",
        E,
        "A catalogue priority is not in perfreport.toml",
        "Cell {cell}: {ref} has priority '{text}', which is not in perfreport.toml. Use one of: "
        "{known}.",
        {
            "cell": "C5",
            "ref": "ASC-02",
            "text": "Healthy Somerset",
            "known": "greener (A greener, more sustainable Somerset); healthy (A healthy and "
            "caring Somerset)",
        },
    ),
    Code(
        "catalogue-unknown-directorate",
        E,
        "A catalogue directorate is not in perfreport.toml",
        "Cell {cell}: {ref} has directorate '{text}', which is not in perfreport.toml's "
        "[[directorates]]. Use one of: {known}.",
        {
            "cell": "E5",
            "ref": "ASC-02",
            "text": "Adults",
            "known": "adults (Adult Services); children (Children, Families and Education)",
        },
    ),
    Code(
        "catalogue-bad-polarity",
        E,
        "A polarity is not higher, lower or none",
        "Cell {cell}: {ref} has polarity '{text}'. Enter higher, lower or none.",
        {"cell": "F5", "ref": "ASC-02", "text": "upwards"},
    ),
    Code(
        "catalogue-bad-frequency",
        E,
        "A frequency is not one of the known ones",
        "Cell {cell}: {ref} has frequency '{text}'. Enter quarterly, monthly, half-yearly or "
        "annual.",
        {"cell": "G5", "ref": "ASC-02", "text": "weekly"},
    ),
    Code(
        "catalogue-bad-display",
        E,
        "A display is not one of the known ones",
        "Cell {cell}: {ref} has display '{text}'. Enter full (£149,600) or compact (£150k, "
        "£1.2m), or leave it blank for full.",
        {"cell": "Q5", "ref": "FIN-01", "text": "brief"},
    ),
    Code(
        "catalogue-bad-due",
        E,
        "The due quarters cannot be read",
        "Cell {cell}: {ref} has due '{text}'. Enter the quarter(s) the figure arrives in, such "
        "as Q4 or Q2,Q4.",
        {"cell": "H5", "ref": "ASC-02", "text": "March"},
    ),
    Code(
        "catalogue-due-mismatch",
        W,
        "The due quarters do not fit the frequency",
        "Cell {cell}: {ref} is {frequency}{problem}. {advice}",
        {
            "cell": "H5",
            "ref": "ASC-02",
            "frequency": "annual",
            "problem": " but due 'Q2,Q4' names 2 quarter(s)",
            "advice": ADVICE_CHECK_DUE,
        },
        choices={"advice": (ADVICE_CHECK_DUE, ADVICE_CLEAR_DUE)},
    ),
    Code(
        "catalogue-bad-rated",
        E,
        "Rated is not yes or no",
        "Cell {cell}: {ref} has rated '{text}'. Enter yes or no, or leave it blank to rate it "
        "when it has a target.",
        {"cell": "I5", "ref": "ASC-02", "text": "maybe"},
    ),
    Code(
        "catalogue-bad-number",
        E,
        "A target, amber threshold or decimals is not a number",
        "Cell {cell}: {ref} has {label} '{text}'{problem}. Enter {wanted}, or leave it "
        "blank{default}.",
        {
            "cell": "J5",
            "ref": "ASC-02",
            "label": "target",
            "text": "about 80",
            "problem": NOT_A_NUMBER,
            "wanted": "a number",
            "default": "",
        },
        choices={"problem": (NOT_A_NUMBER, "")},
    ),
    Code(
        "catalogue-ambiguous-percent",
        W,
        "A percentage target below 1 may be a fraction",
        "Cell {cell}: {ref} is a percentage with {label} {number:g}. If you mean {percent:g}%, "
        "enter {percent:g}; if you mean {number:g}%, type it as {number:g}%.",
        {"cell": "J5", "ref": "ASC-02", "label": "target", "number": 0.85, "percent": 85.0},
    ),
    Code(
        "catalogue-amber-wrong-side",
        E,
        "The Amber threshold is on the wrong side of the target",
        "Cell {cell}: {ref}{year} has Amber threshold {amber:g} on the wrong side of its target "
        "{target:g}. {better} is better, so the threshold must be at or {side} the target. "
        "Correct the threshold.",
        {
            "cell": "K5",
            "ref": "ASC-02",
            "year": "",
            "amber": 95.0,
            "target": 90.0,
            "better": "Higher",
            "side": "below",
        },
    ),
    Code(
        "catalogue-rated-without-target",
        W,
        "A rated indicator has no target",
        "Cell {cell}: {ref} is rated but has no target, so it will be shown as Not rated. Enter "
        "a target (here or on the Targets sheet), or set rated to no.",
        {"cell": "I5", "ref": "ASC-02"},
    ),
    Code(
        "catalogue-rated-without-polarity",
        W,
        "A rated indicator has polarity none",
        "Cell {cell}: {ref} is rated but its polarity is none, so it cannot be rated. Set "
        "polarity to higher or lower, or rated to no.",
        {"cell": "I5", "ref": "ASC-02"},
    ),
    Code(
        "catalogue-no-definition",
        W,
        "An indicator has no definition",
        'Cell {cell}: {ref} has no definition, so Appendix C of the paper says "No definition '
        'given." Say in plain English what the indicator counts and how it is worked out.',
        {"cell": "O5", "ref": "ASC-02"},
    ),
    Code(
        "catalogue-unexplained-abbreviation",
        W,
        "A title uses an abbreviation the glossary does not expand",
        "Cell {cell}: {ref}'s title uses {abbreviation}, which the [glossary] of perfreport.toml "
        "does not expand, so the paper leaves it unexplained. Add a line such as "
        '{abbreviation} = "what it stands for" to [glossary], or spell it out in the title.',
        {"cell": "B5", "ref": "CUS-04", "abbreviation": "FOI"},
    ),
    Code(
        "catalogue-bad-period",
        E,
        "Comparable from is not a period",
        "Cell {cell}: {ref} has comparable from '{text}', which is not a period. Write it as "
        "Q2-2024 or Q2 2024/25.",
        {"cell": "P5", "ref": "ASC-02", "text": "last year"},
    ),
    Code(
        "catalogue-duplicate-column",
        E,
        "Two catalogue columns have the same heading",
        "Cell {cell}: '{text}' is a second {name} column; only the first is read. Delete or "
        "rename one of them.",
        {"cell": "M1", "text": "Target", "name": "target"},
    ),
    Code(
        "catalogue-unknown-column",
        INFO,
        "A catalogue column is not one perfreport reads",
        "Cell {cell}: the column '{text}' is not a catalogue column, so it is ignored. Rename it "
        "if it should be read.",
        {"cell": "Q1", "text": "Notes"},
    ),
    Code(
        "catalogue-empty",
        W,
        "The catalogue lists no indicators",
        "The catalogue lists no indicators. Add one row per indicator below the headings.",
    ),
    Code(
        "catalogue-targets-missing-column",
        E,
        "The Targets sheet lacks a required column",
        "The Targets table lacks the column(s) {names}, so no year targets are read. Its "
        "headings must be Ref, Year, Target and (optionally) Amber.",
        {"names": "Year"},
    ),
    Code(
        "catalogue-targets-unknown-ref",
        W,
        "A Targets row names a ref not in the catalogue",
        "Cell {cell}: '{text}' is not a ref in the catalogue, so this target is ignored. Correct "
        "the ref or delete the row.",
        {"cell": "A4", "text": "ASC-99"},
    ),
    Code(
        "catalogue-targets-duplicate",
        E,
        "Two Targets rows for the same ref and year",
        "Cell {cell}: {ref} already has a {year} target in row {row}, so this row is ignored. "
        "Keep one row per indicator and year.",
        {"cell": "A6", "ref": "ASC-01", "year": "2024/25", "row": 3},
    ),
    Code(
        "catalogue-bad-year",
        E,
        "A Targets year is not a financial year",
        "Cell {cell}: '{text}' is not a financial year, so this target is ignored. Write it as "
        "2024/25.",
        {"cell": "B4", "text": "24"},
    ),
)

# The Targets sheet's quarter targets (Q1–Q4) and Profile: docs/catalogue.md.
ADVICE_CLEAR_QUARTERS = "clear Q1–Q4 to rate every quarter against the year's target"
ADVICE_CLEAR_PROFILE = "clear the profile to rate every quarter against the year's target"
ADVICE_CLEAR_BOTH = "clear Q1–Q4 and the profile to rate every quarter against the year's target"
QUARTER_TARGET_CODES = (
    Code(
        "catalogue-quarter-targets-partial",
        W,
        "Some due quarters have no quarter target",
        "Cell {cell}: {ref} ({year}) has {given} but no target for {missing}, so {missing} will "
        "be rated against the year's target {target:g}. Fill in {missing}, or {advice}.",
        {
            "cell": "G5",
            "ref": "REV-01",
            "year": "2024/25",
            "given": "targets for Q1 and Q2",
            "missing": "Q3 and Q4",
            "target": 97.5,
            "advice": ADVICE_CLEAR_QUARTERS,
        },
        choices={"advice": (ADVICE_CLEAR_QUARTERS, ADVICE_CLEAR_PROFILE, ADVICE_CLEAR_BOTH)},
    ),
    Code(
        "catalogue-bad-quarter-target",
        E,
        "A quarter target is not a number",
        "Cell {cell}: {ref} ({year}) has {quarter} target '{text}', which is not a number, so it "
        "is ignored. Enter the {quarter} target as a number, or leave it blank.",
        {"cell": "F5", "ref": "REV-01", "year": "2024/25", "quarter": "Q2", "text": "about 55"},
    ),
    Code(
        "catalogue-profile-with-quarters",
        W,
        "A computed profile and typed quarter targets on one row",
        "Cell {cell}: {ref} ({year}) has profile {profile} and also targets typed in {quarters}: "
        "the typed targets are used for {quarters} and the profile for the other quarters. "
        "Clear {quarters}, or set the profile to cumulative and type every quarter's target.",
        {
            "cell": "E5",
            "ref": "HOU-05",
            "year": "2024/25",
            "profile": "cumulative-even",
            "quarters": "Q1",
        },
    ),
    Code(
        "catalogue-unknown-profile",
        E,
        "A target profile is not one of the known ones",
        "Cell {cell}: {ref} ({year}) has profile '{text}', which is not a known profile, so it is "
        "ignored. Enter one of: {known}; or leave it blank to rate every quarter against the "
        "year's target.",
        {
            "cell": "E5",
            "ref": "HOU-05",
            "year": "2024/25",
            "text": "even",
            "known": "cumulative, cumulative-even",
        },
    ),
    Code(
        "catalogue-profile-without-target",
        W,
        "Quarter targets or a profile on a row with no year target",
        "Cell {cell}: {ref} ({year}) has {what} but no year target, so it is not rated in "
        "{year}. Enter the year's target in the Target column (for a year-to-date measure, the "
        "figure due by Q4).",
        {"cell": "C5", "ref": "HOU-05", "year": "2024/25", "what": "profile cumulative-even"},
    ),
    Code(
        "catalogue-quarter-targets-not-cumulative",
        W,
        "A year-to-date measure's quarter targets rise and fall",
        "Cell {cell}: {ref} ({year}) is year to date (profile {profile}), so its quarter targets "
        "should only rise or only fall through the year, but they run {values}. Check the "
        "{quarter} target.",
        {
            "cell": "H5",
            "ref": "REV-01",
            "year": "2024/25",
            "profile": "cumulative",
            "values": "Q1 28, Q2 54.5, Q3 50, Q4 97.5",
            "quarter": "Q3",
        },
    ),
    Code(
        "catalogue-quarter-target-not-due",
        W,
        "A quarter target for a quarter the measure is not due in",
        "Cell {cell}: {ref} ({year}) has a {quarter} target, but it is due only in {due}, so the "
        "target is never used. Clear the cell, or correct the catalogue's due quarters.",
        {"cell": "E5", "ref": "PH-03", "year": "2024/25", "quarter": "Q1", "due": "Q4"},
    ),
)
