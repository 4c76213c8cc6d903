"""Finding codes about a file as a whole: what it really is, whether it is safe, its sheets and table."""

from __future__ import annotations

from perfreport.core.findings import Code, Severity

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

# The advice of not-a-workbook and suspicious-file depends on what the file is; each is worded once.
SAVE_AS = "Open it in Excel and use File > Save As > Excel Workbook (.xlsx), then send that file."
SEND_WORKBOOK = "Send the return workbook (.xlsx) instead."
FRESH_COPY = "Ask the sender for a fresh copy saved from Excel."
HARMFUL = (
    "The file may have been made to harm the computers that read it, so it was not opened. "
    + FRESH_COPY
)
STOPPED = (
    "It may be damaged or built to attack spreadsheet readers: open it in Excel, check it, "
    "and save it again as .xlsx."
)
TOO_LARGE = (
    "Remove pictures or extra sheets, or ask the performance team to raise [limits] max_file_bytes."
)
STRAY_CELLS = (
    "Delete the stray cells far from the table (select the empty rows and columns, Delete, "
    "save) and send it again."
)
# The hint of no-return-sheet and ambiguous-sheet when a sheet named Return is hidden.
HIDDEN_RETURN = " (the sheet named Return is hidden: unhide it)"

FILE_CODES = (
    Code(
        "unreadable-file",
        E,
        "The file cannot be read",
        "This file {problem}. Open it in Excel: if Excel can repair it, save it and send it "
        "again; otherwise ask for a fresh copy.",
        {
            "problem": "is damaged or incomplete, perhaps cut short while it was saved, "
            "copied or downloaded"
        },
    ),
    Code(
        "not-a-workbook",
        E,
        "The file is not an Excel workbook",
        "This file is {kind}, not an Excel workbook. {advice}",
        {"kind": "a plain text file (such as CSV)", "advice": SAVE_AS},
    ),
    Code(
        "legacy-format",
        E,
        "An old or other spreadsheet format (.xls, .xlsb, .ods)",
        "This file is {kind}. " + SAVE_AS,
        {"kind": "an old-format Excel workbook (.xls, Excel 2003 or earlier)"},
    ),
    Code(
        "encrypted-workbook",
        E,
        "The workbook is protected with a password",
        "This file {what} protected with a password (encrypted), so it cannot be read. Open it "
        "in Excel, remove the password (File > Info > Protect Workbook > Encrypt with "
        "Password, clear the box), save and send it again.",
        {"what": "is"},
    ),
    Code(
        "unsupported-dialect",
        E,
        "A variant of the Excel format that cannot be read",
        "This file {problem}. Open it in Excel and use File > Save As > Excel Workbook (.xlsx) "
        "(not the Strict format), then send that file.",
        {
            "problem": "is saved as a 'Strict Open XML Spreadsheet', which perfreport cannot "
            "read reliably"
        },
    ),
    Code(
        "suspicious-file",
        E,
        "The file breaks a safety limit and was not opened",
        "This file {problem}. {advice}",
        {
            "problem": "contains a part ('xl/worksheets/sheet1.xml') that expands 1,024 times "
            "when opened (limit 200): a 'zip bomb'",
            "advice": HARMFUL,
        },
    ),
    Code(
        "no-return-sheet",
        E,
        "No visible sheet to read",
        "This file has no visible worksheet to read{hint}. Put the figures on a visible sheet "
        "named Return.",
        {"hint": HIDDEN_RETURN},
    ),
    Code(
        "ambiguous-sheet",
        E,
        "More than one sheet could be the return",
        "This file has {count} visible sheets ({names}), {named} of them named Return{hint}. "
        "Name the sheet with the figures Return, and no other sheet.",
        {"count": 2, "names": "'Adults', 'Notes'", "named": "none", "hint": ""},
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
        "Row {row}: the table has no {heading} column (also accepted: {aliases}). Add it to "
        "the header row.",
        {"row": 8, "heading": "Value", "aliases": "Actual, Outturn, Result"},
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
