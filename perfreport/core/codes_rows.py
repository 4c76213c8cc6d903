"""Finding codes about the rows and cells of a return, and about returns and indicators missing."""

from __future__ import annotations

from perfreport.core.findings import Code, Severity

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

ROW_CODES = (
    Code(
        "unknown-ref",
        E,
        "A ref that is not in the catalogue",
        "Cell {cell}: {given} is not a ref in the indicator catalogue. Check the ref, or ask the "
        "performance team to add the indicator.",
        {"cell": "A12", "given": "'ASC-99'"},
    ),
    Code(
        "duplicate-ref",
        E,
        "An indicator is returned twice",
        "Cell {cell}: {ref} appears again (first in {first}). Keep one row per indicator and "
        "delete the other.",
        {"cell": "A15", "ref": "ASC-01", "first": "A9"},
    ),
    Code(
        "wrong-service",
        W,
        "An indicator returned by a service that does not own it",
        "Cell {cell}: {fact}, but this return is from {service}. {advice}",
        {
            "cell": "A11",
            "fact": "HSG-02 belongs to Housing in the catalogue",
            "service": "Adult Social Care",
            "advice": "Move it to Housing's return, or ask the performance team to correct "
            "the catalogue.",
        },
    ),
    Code(
        "period-mismatch",
        E,
        "The return is for another period",
        "Cell {cell}: {stated}, but {expected}. {advice}",
        {
            "cell": "B4",
            "stated": "the return says it is for Q1 2024/25",
            "expected": "it is being read for Q2 2024/25",
            "advice": "Correct the period, or check the file is in the right folder.",
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
        "Cell {cell} is blank. Enter the figure for {ref}, or set its Data status to Not "
        "available.",
        {"cell": "C10", "ref": "ASC-02"},
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
        "out-of-range",
        E,
        "A percentage outside 0-100, or a negative count",
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
        "Cell {cell}: the target {problem}. The catalogue's target{none} is used; tell the "
        "performance team if it should change.",
        {
            "cell": "D9",
            "problem": "75 differs from the catalogue's target of 80 for 2024/25",
            "none": "",
        },
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
        "No return from {service} for {period} ({count} indicator{s} due). Ask the service for "
        "its return and save it in {folder}.{hint}",
        {
            "service": "Highways",
            "period": "Q2 2024/25",
            "count": 8,
            "s": "s",
            "folder": "returns/Q2-2024",
            "hint": "",
        },
    ),
    Code(
        "missing-indicator",
        W,
        "A return lacks an indicator that is due",
        "{ref} ({title}) is due this quarter but is not in this return. Add a row for it; if the "
        "figure is not available, set Data status to Not available.",
        {"ref": "HW-03", "title": "Potholes repaired within 28 days"},
    ),
    Code(
        "no-returns-folder",
        W,
        "The period's returns folder does not exist",
        "There is no folder {file}, so no returns were read. Save the returns there, or check "
        "the period.",
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
