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
