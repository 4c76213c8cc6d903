"""Finding codes about the rows and cells of a return, and about returns and indicators missing."""

from __future__ import annotations

from perfreport.core.findings import Code, Severity

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

# The phrases the templates below choose from, one per situation: each is worded once here.
# out-of-range: a figure too large to be rated or shown (see core.formatting.LARGEST_FIGURE).
TOO_LARGE = (
    "too large to be a performance figure (perfreport reads figures up to 999,999,999,999,999 "
    "in size)"
)
# unknown-ref: a ref not in the catalogue, or no ref beside a figure.
ADVICE_CHECK_REF = "Check the ref, or ask the performance team to add the indicator."
ADVICE_ENTER_REF = "Enter the indicator's ref."
# duplicate-ref: twice in one return (the message begins "Cell A15: "), or in two returns (it
# names the other return's file and cell instead).
ADVICE_ONE_ROW = "Keep one row per indicator and delete the other."
ADVICE_ONE_RETURN = "Each indicator comes from one return: remove it from one of them."
# wrong-service: a service the catalogue does not know (a row of another service advises moving).
ADVICE_CATALOGUE_SPELLING = "Use the service's name as the catalogue spells it."
# period-mismatch: another period in the return's Period cell, or in a row's.
ADVICE_CHECK_FOLDER = "Correct the period, or check the file is in the right folder."
ADVICE_THIS_QUARTER = "Give this quarter's figure."
# target-mismatch: what happens next, after the problem's full stop (nothing, when the return's
# target is simply ignored).
TARGET_ADVICE_CHANGE = (
    " The catalogue's target is used; tell the performance team if it should change."
)
TARGET_ADVICE_ADD = " Tell the performance team if it should have one."

# value-as-text: what to do about "n/a" in Value, as the Data status stands.
ADVICE_NOT_AVAILABLE = (
    "Leave Value blank and set Data status to Not available, as the return form asks."
)
ADVICE_CLEAR_VALUE = "Data status is already Not available: leave Value blank."

# no-returns-folder, unless a folder beside it looks like the period's (then it names that one).
ADVICE_SAVE_THERE = "Save the returns there, or check the period."
# missing-indicator, unless a row has a ref close to it (then the message points at that row).
ADVICE_ADD_ROW = (
    "Add a row for it; if the figure is not available, set Data status to Not available."
)

ROW_CODES = (
    Code(
        "unknown-ref",
        E,
        "A ref that is not in the catalogue",
        "Cell {cell}: {problem}. {advice}",
        {
            "cell": "A12",
            "problem": "'ASC-99' is not a ref in the indicator catalogue",
            "advice": ADVICE_CHECK_REF,
        },
        choices={"advice": (ADVICE_CHECK_REF, ADVICE_ENTER_REF)},
    ),
    Code(
        "duplicate-ref",
        E,
        "An indicator is returned twice",
        "{at}{ref} {problem}. {advice}",
        {
            "at": "Cell A15: ",
            "ref": "ASC-01",
            "problem": "appears again (first in A9)",
            "advice": ADVICE_ONE_ROW,
        },
        choices={"advice": (ADVICE_ONE_ROW, ADVICE_ONE_RETURN)},
    ),
    Code(
        "wrong-service",
        W,
        "An indicator returned by a service that does not own it",
        "Cell {cell}: {problem}. {advice}",
        {
            "cell": "A11",
            "problem": "HSG-02 belongs to Housing in the catalogue, but this return is from "
            "Adult Social Care",
            "advice": "Move it to Housing's return, or ask the performance team to correct "
            "the catalogue.",
        },
    ),
    Code(
        "period-mismatch",
        E,
        "The return is for another period",
        "Cell {cell}: {problem}. {advice}",
        {
            "cell": "B4",
            "problem": "the return says it is for Q1 2024/25, but it is being read for Q2 2024/25",
            "advice": ADVICE_CHECK_FOLDER,
        },
    ),
    Code(
        "bad-data-period",
        E,
        "A Period of data that cannot be used",
        "Cell {cell}: {problem}. {advice}",
        {
            "cell": "L12",
            "problem": "the Period of data Q3 2024/25 is after this return's period, Q2 2024/25",
            "advice": "Write the earlier period the figure is for, like Q1 2024/25, or leave it "
            "blank if the figure is for Q2 2024/25.",
        },
    ),
    Code(
        "data-period-not-due",
        W,
        "A Period of data in a quarter the measure is not due",
        "Cell {cell}: the Period of data {stated} is a quarter in which {ref} is not due (it is "
        "{frequency}, due in {due}). Check the quarter: write the one the figure is for, like "
        "{suggested}, or leave it blank if the figure is for {this}.",
        {
            "cell": "L12",
            "stated": "Q3 2023/24",
            "ref": "ASC-09",
            "frequency": "half-yearly",
            "due": "Q2 and Q4",
            "suggested": "Q2 2023/24",
            "this": "Q2 2024/25",
        },
    ),
    Code(
        "not-a-number",
        E,
        "A value that is not a number",
        "Cell {cell}: '{text}' is not a number. Enter a number, or {otherwise}.",
        {"cell": "D14", "text": "about 80", "otherwise": "set Data status to Not available"},
    ),
    Code(
        "value-as-text",
        W,
        "A word for no figure (n/a, tbc, -) in a Value cell",
        "Cell {cell}: '{text}' is not a figure, so {ref} shows No data. {advice}",
        {"cell": "C9", "ref": "ASC-01", "text": "n/a", "advice": ADVICE_NOT_AVAILABLE},
        choices={"advice": (ADVICE_NOT_AVAILABLE, ADVICE_CLEAR_VALUE)},
    ),
    Code(
        "value-not-used",
        W,
        "A figure given with Data status Not available",
        "Cell {cell}: a figure ({text}) is given but Data status is Not available, so the "
        "figure is not used. Clear the figure, or change Data status to Final, Provisional or "
        "Estimated.",
        {"cell": "C9", "text": "86.5"},
    ),
    Code(
        "missing-value",
        E,
        "A blank value that is not marked Not available",
        "Cell {cell} is blank{but}. Enter the figure for {ref}, or set its Data status to Not "
        "available.",
        {
            "cell": "H11",
            "ref": "HOU-03",
            "but": ", but I11 (Numerator) holds 5.3 (does it belong in Value?)",
        },
    ),
    Code(
        "uncalculated-formula",
        E,
        "A formula with no saved result",
        "Cell {cell} has a formula with no saved result: the workbook was made by a program and "
        "never opened in Excel. Open it in Excel, let it calculate, save, and send it again.",
        {"cell": "C9"},
    ),
    Code(
        "error-value",
        E,
        "A cell shows an Excel error (#DIV/0!, #N/A ...)",
        "Cell {cell} shows the error {error}. Correct the formula or type the figure{otherwise}.",
        {"cell": "C11", "error": "#DIV/0!", "otherwise": ", or set Data status to Not available"},
    ),
    Code(
        "ambiguous-percent",
        W,
        "A percentage that may have been entered as a fraction, or "
        "a % on a measure that is not a percentage",
        "Cell {cell}: {text} {doubt}. {advice}",
        {
            "cell": "C9",
            "text": "0.85",
            "doubt": "for a percentage could mean 0.85% or 85%",
            "advice": "Enter the percentage as a whole number (85 for 85%), or format the cell "
            "as a percentage.",
        },
    ),
    Code(
        "fraction-for-percent",
        E,
        "A percentage typed as a fraction (0.923 for 92.3%)",
        "Cell {cell}: {text} would be {as_typed}, {far} the target of {target}; as a fraction "
        "it means {meant}, close to the target. Type {meant_number} in the cell (the "
        "percentage without the % sign), or format the cell as a percentage so that it shows "
        "{meant}.",
        {
            "cell": "H11",
            "text": "0.923",
            "as_typed": "0.923%",
            "far": "less than 1/10 of",
            "target": "90.0%",
            "meant": "92.3%",
            "meant_number": "92.3",
        },
    ),
    Code(
        "out-of-range",
        E,
        "A percentage outside 0-100, a negative count, or a figure too large to use",
        "Cell {cell}: {figure} is {problem}. Check the figure.",
        {"cell": "C9", "figure": "185%", "problem": "outside 0-100%"},
    ),
    Code(
        "numerator-denominator-mismatch",
        E,
        "The value is not numerator / denominator",
        "Cell {cell}: the value {figure} does not match numerator / denominator ({numerator} / "
        "{denominator}{scale} = {expected}). Correct the value, the numerator or the "
        "denominator.",
        {
            "cell": "C9",
            "figure": "85",
            "numerator": "170",
            "denominator": "250",
            "scale": " × 100",
            "expected": "68",
        },
    ),
    Code(
        "zero-denominator",
        E,
        "A denominator of zero",
        "Cell {cell}: the denominator is 0, so no figure can be calculated. Correct it, or clear "
        "the numerator and denominator and set Data status to Not available.",
        {"cell": "F9"},
    ),
    Code(
        "target-mismatch",
        W,
        "The return's target differs from the catalogue",
        "Cell {cell}: {problem}.{advice}",
        {
            "cell": "D9",
            "problem": "the target 75 differs from the catalogue's target of 80 for 2024/25",
            "advice": TARGET_ADVICE_CHANGE,
        },
        choices={"advice": (TARGET_ADVICE_CHANGE, TARGET_ADVICE_ADD, "")},
    ),
    Code(
        "implausible-value",
        W,
        "A value far from its target (a slipped decimal point?)",
        "Cell {cell}: {figure} is {relation} the target of {target}. Check the figure (a "
        "misplaced decimal point?).",
        {"cell": "C9", "figure": "850", "relation": "more than 10 times", "target": "80"},
    ),
    Code(
        "commentary-too-long",
        W,
        "Commentary over the word limit",
        "Cell {cell}: the commentary has {words} words; keep it to {limit} words so it fits the "
        "report.",
        {"cell": "H9", "words": 312, "limit": 250},
    ),
    Code(
        "not-due",
        W,
        "A figure for an indicator not due this quarter",
        "Cell {cell}: {ref} is {frequency} and due in {due}, not Q{quarter}. Check the figure is "
        "meant for this quarter.",
        {"cell": "C12", "ref": "ASC-09", "frequency": "annual", "due": "Q4", "quarter": 2},
    ),
    Code(
        "control-characters",
        W,
        "Hidden control characters were removed from text",
        "Cell {cell} contained hidden control characters, which have been removed. Check the "
        "text still reads correctly.",
        {"cell": "H9"},
    ),
    Code(
        "bad-data-status",
        E,
        "A data status that is not one of the four",
        "Cell {cell}: '{text}' is not a data status. Enter Final, Provisional, Estimated or Not "
        "available (blank means Final).",
        {"cell": "G9", "text": "Draft"},
    ),
    Code(
        "bad-rag",
        E,
        "A RAG word that is not Red, Amber or Green",
        "Cell {cell}: '{text}' is not a RAG rating. Enter Red, Amber or Green, or leave it blank.",
        {"cell": "J9", "text": "Ambre"},
    ),
    Code(
        "override-without-reason",
        E,
        "A RAG override with no reason",
        "Cell {cell}: a RAG override ({rag}) needs a reason. Enter it under Override reason, or "
        "clear the override.",
        {"cell": "K9", "rag": "Green"},
    ),
)

COVERAGE_CODES = (
    Code(
        "missing-return",
        W,
        "A service sent no return",
        "No return from {service} for {period} ({due} due). Ask the service for its return and "
        "save it in {folder}.{hint}",
        {
            "service": "Highways",
            "period": "Q2 2024/25",
            "due": "8 indicators",
            "folder": "returns/Q2-2024",
            "hint": "",
        },
    ),
    Code(
        "missing-indicator",
        W,
        "A return lacks an indicator that is due",
        "{ref} ({title}) is due this quarter but is not in this return. {advice}",
        {"ref": "HW-03", "title": "Potholes repaired within 28 days", "advice": ADVICE_ADD_ROW},
    ),
    Code(
        "no-returns-folder",
        E,
        "The period's returns folder does not exist",
        "There is no folder {file}, so no returns were read and there is nothing to report. "
        "{advice}",
        {"file": "returns/Q2-2024", "advice": ADVICE_SAVE_THERE},
    ),
    Code(
        "no-returns",
        E,
        "The period's returns folder holds no return",
        "The folder {file} holds no return (an Excel workbook, .xlsx), so there is nothing to "
        "report. Save the services' returns there, or check the period.",
        {"file": "returns/Q2-2024"},
    ),
    Code(
        "ignored-file",
        INFO,
        "A file in the returns folder is not a return",
        "{name} is not a spreadsheet, so it was not read. Returns must be Excel workbooks (.xlsx).",
        {"name": "notes.pdf"},
    ),
    Code(
        "unknown-period",
        W,
        "The period of a return cannot be told",
        "The period of this return is not known, so the checks of which indicators are due "
        "were skipped. Fill in its Period cell, or give --period Q2-2024.",
    ),
)
