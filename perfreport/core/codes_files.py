"""Finding codes about a file as a whole: what it really is, whether it is safe, its sheets and table."""

from __future__ import annotations

from perfreport.core.findings import Code, Severity

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

# The phrases the templates below choose from, one per situation: each is worded once here.
ADVICE_SAVE_AS_XLSX = (
    "Open it in Excel and use File > Save As > Excel Workbook (.xlsx), then send that file."
)
ADVICE_SAVE_AS_XLSX_NOT_STRICT = (
    "Open it in Excel and use File > Save As > Excel Workbook (.xlsx) (not the Strict format), "
    "then send that file."
)
ADVICE_SEND_WORKBOOK = "Send the return workbook (.xlsx) instead."
ADVICE_SEND_WORKBOOK_ITSELF = "Send the return workbook (.xlsx) itself."
ADVICE_FRESH_COPY = "Ask the sender for a fresh copy saved from Excel."
ADVICE_HARMFUL = (
    "The file may have been made to harm the computers that read it, so it was not opened. "
    + ADVICE_FRESH_COPY
)
ADVICE_STOPPED = (
    "It may be damaged or built to attack spreadsheet readers: open it in Excel, check it, "
    "and save it again as .xlsx."
)
ADVICE_TOO_LARGE = (
    "Remove pictures or extra sheets, or ask the performance team to raise [limits] max_file_bytes."
)
ADVICE_STRAY_CELLS = (
    "Delete the stray cells far from the table (select the empty rows and columns, Delete, "
    "save) and send it again."
)
# unreadable-file: a file that is empty, damaged, locked or could not be read at all.
ADVICE_SEND_AGAIN = "Send the workbook again."
ADVICE_REPAIR = (
    "Open it in Excel: if Excel can repair it, save it and send it again; otherwise ask for a "
    "fresh copy."
)
ADVICE_CLOSE_AND_RETRY = (
    "If it is open in Excel, close it and try again; otherwise check it is still there and that "
    "you may read it."
)
ADVICE_RESAVE_OR_REPORT = (
    "Open it in Excel and save it again; if that does not help, report this to the perfreport "
    "maintainers."
)
# encrypted-workbook: an encrypted .xlsx, an encrypted .xls, a zip with encrypted parts.
ADVICE_REMOVE_PASSWORD = (
    "Open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with "
    "Password, clear the box), save and send it again."
)
ADVICE_REMOVE_PASSWORD_SAVE_AS = (
    "Open it in Excel, remove the password, use Save As > Excel Workbook (.xlsx) and send that "
    "file."
)
ADVICE_SAVE_WITHOUT_PASSWORD = "Save it from Excel without a password and send it again."
# no-return-sheet and ambiguous-sheet: a hidden sheet named Return; none or several named Return.
HIDDEN_RETURN = " (the sheet named Return is hidden: unhide it)"
NONE_NAMED_RETURN = " and none is named Return"
ADVICE_RENAME_TO_RETURN = "Rename the sheet with the figures to Return."
ADVICE_KEEP_ONE_RETURN = "Keep one sheet named Return and rename the others."
# What suspicious-file speaks of, when it is the file as a whole (else a sheet, a cell, the file).
THIS_FILE = "This file"

# missing-column, unless a heading the reader ignored is a near miss (then it names that cell).
ADVICE_ADD_HEADING = "Add it to the header row."

FILE_CODES = (
    Code(
        "unreadable-file",
        E,
        "The file cannot be read",
        "This file {problem}. {advice}",
        {
            "problem": "is damaged or incomplete, perhaps cut short while it was saved, copied "
            "or downloaded",
            "advice": ADVICE_REPAIR,
        },
        choices={
            "advice": (
                ADVICE_REPAIR,
                ADVICE_SEND_AGAIN,
                ADVICE_SAVE_AS_XLSX,
                ADVICE_CLOSE_AND_RETRY,
                ADVICE_RESAVE_OR_REPORT,
            )
        },
    ),
    Code(
        "not-a-workbook",
        E,
        "The file is not an Excel workbook",
        "This file is {kind}. {advice}",
        {
            "kind": "a plain text file (such as CSV), not an Excel workbook",
            "advice": ADVICE_SAVE_AS_XLSX,
        },
        choices={
            "advice": (ADVICE_SAVE_AS_XLSX, ADVICE_SEND_WORKBOOK, ADVICE_SEND_WORKBOOK_ITSELF)
        },
    ),
    Code(
        "excel-owner-file",
        E,
        "Excel's temporary owner file of an open workbook, not a return",
        "This is not a return but Excel's temporary owner file for the workbook {workbook}, "
        "kept while that workbook is open. Check the workbook itself instead, after saving it "
        "and closing it in Excel if it is open.",
        {"workbook": "returns/Q2-2024/Housing return Q2 2024-25.xlsx"},
    ),
    Code(
        "legacy-format",
        E,
        "An old or other spreadsheet format (.xls, .xlsb, .ods)",
        "This file is {kind}. " + ADVICE_SAVE_AS_XLSX,
        {"kind": "an old-format Excel workbook (.xls, Excel 2003 or earlier)"},
    ),
    Code(
        "encrypted-workbook",
        E,
        "The workbook is protected with a password",
        "This file {problem}. {advice}",
        {
            "problem": "is protected with a password (encrypted), so it cannot be read",
            "advice": ADVICE_REMOVE_PASSWORD,
        },
        choices={
            "advice": (
                ADVICE_REMOVE_PASSWORD,
                ADVICE_REMOVE_PASSWORD_SAVE_AS,
                ADVICE_SAVE_WITHOUT_PASSWORD,
            )
        },
    ),
    Code(
        "unsupported-dialect",
        E,
        "A variant of the Excel format that cannot be read",
        "This file {problem}. {advice}",
        {
            "problem": "is saved as a 'Strict Open XML Spreadsheet', which perfreport cannot "
            "read reliably",
            "advice": ADVICE_SAVE_AS_XLSX_NOT_STRICT,
        },
        choices={"advice": (ADVICE_SAVE_AS_XLSX_NOT_STRICT, ADVICE_SAVE_AS_XLSX)},
    ),
    Code(
        "suspicious-file",
        E,
        "The file breaks a safety limit and was not opened",
        "{subject} {problem}. {advice}",
        {
            "subject": THIS_FILE,
            "problem": "contains a part ('xl/worksheets/sheet1.xml') that expands 1,024 times "
            "when opened (limit 200): a 'zip bomb'",
            "advice": ADVICE_HARMFUL,
        },
        choices={
            "advice": (
                ADVICE_HARMFUL,
                ADVICE_FRESH_COPY,
                ADVICE_TOO_LARGE,
                ADVICE_STRAY_CELLS,
                ADVICE_STOPPED,
            )
        },
    ),
    Code(
        "no-return-sheet",
        E,
        "No visible sheet to read",
        "This file has no visible worksheet to read{hint}. Put the figures on a visible sheet "
        "named Return.",
        {"hint": HIDDEN_RETURN},
        choices={"hint": (HIDDEN_RETURN, "")},
    ),
    Code(
        "ambiguous-sheet",
        E,
        "More than one sheet could be the return",
        "This file has {sheets} ({names}){none_named}{hint}. {advice}",
        {
            "sheets": "2 visible sheets",
            "names": "'Adults', 'Notes'",
            "none_named": NONE_NAMED_RETURN,
            "hint": "",
            "advice": ADVICE_RENAME_TO_RETURN,
        },
        # advice: ADVICE_RENAME_TO_RETURN, ADVICE_KEEP_ONE_RETURN, or a near miss named
        # ("The sheet 'Retrun' looks like the return: rename it Return.").
        choices={"none_named": (NONE_NAMED_RETURN, ""), "hint": (HIDDEN_RETURN, "")},
    ),
    Code(
        "no-header-row",
        E,
        "No header row with a Ref column",
        "Sheet '{sheet}' has no header row with a Ref column. Add a row of headings (Ref, "
        "Measure, Value, ...) above the figures.",
        {"sheet": "Return"},
    ),
    Code(
        "missing-column",
        E,
        "A required column is missing",
        "Row {row}: the table has no {heading} column (also accepted: {aliases}). {advice}",
        {
            "row": 8,
            "heading": "Value",
            "aliases": "Actual, Outturn, Result",
            "advice": ADVICE_ADD_HEADING,
        },
    ),
    Code(
        "duplicate-column",
        E,
        "Two columns have the same heading",
        "Cell {cell}: '{text}' is a second {heading} column (the first is {first}). Delete or "
        "rename one of them.",
        {"cell": "F8", "text": "Actual", "heading": "Value", "first": "C8"},
    ),
    Code(
        "ignored-column",
        INFO,
        "A column that perfreport does not read",
        "Cell {cell}: the column '{text}' is not one perfreport reads, so it is ignored.",
        {"cell": "K8", "text": "Notes for finance"},
    ),
)

# After REPEAT_LIMIT findings of one code in one file, one of these counts the rest: a file with
# 60,000 stray columns or 200,000 unknown rows is reported in a second, not a minute. They
# summarise other codes' findings, so no reading check raises them itself (core.codes.cap_repeats).
REPEAT_CODES = (
    *(
        Code(
            f"more-{kind}",
            severity,
            f"More {kind} of one kind than are listed",
            "{count} more '{what}' " + kind + " in this file are not listed: only the first "
            "{limit} of each kind are. Fix the ones listed (the rest are likely the same "
            "mistake), then check the file again.",
            {"count": "59,950", "what": "unknown-ref", "limit": "50"},
        )
        for kind, severity in (("errors", E), ("warnings", W), ("notes", INFO))
    ),
)
