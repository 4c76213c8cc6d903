"""The broken returns themselves: three workbooks with the mistakes services make in them."""

from __future__ import annotations

from pathlib import Path

from broken_catalogue import QUARTER, TITLES, WHEN, WORD_LIMIT
from example_workbooks import Cell, Quarter, save_workbook, write_return_sheet
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

LONG_TEXT = (
    "Performance improved this quarter to 91.0%, above the target of 90%, after a difficult first "
    "quarter in which a large number of requests arrived about the new waste collection rounds and "
    "the council's budget position. The Information Governance team introduced a weekly report of "
    "requests approaching their deadline, which is sent to every director and service manager, and "
    "FOI champions in each directorate now log the progress of every request on the shared "
    "tracker. Requests that need information from more than one service are now coordinated by a "
    "single case officer, which has removed most of the delays we saw earlier in the year. We will "
    "keep the weekly report in place for the rest of the year and review whether the champion "
    "network needs further training once the new case management system goes live in January."
)


def _cell(header: list[str], heading: str, row: int) -> str:
    return f"{get_column_letter(header.index(heading) + 1)}{row}"


def housing(path: Path) -> tuple[str, list[tuple[str, str]]]:
    header = [
        "Ref",
        "Measure",
        "Target",
        "Value",
        "Numerator",
        "Denominator",
        "Data status",
        "Commentary",
    ]
    rows = [
        [
            "hou-01",
            TITLES["HOU-01"],
            250,
            312,
            None,
            None,
            "Final",
            "Demand remains high, driven by evictions from private rented homes.",
        ],
        [
            "HOU-02",
            TITLES["HOU-02"],
            Cell(60.0, "0.0"),
            "about 80",
            None,
            None,
            "Estimated",
            "Waiting for the final figures from the case management system.",
        ],
        [
            "HOU-03",
            TITLES["HOU-03"],
            Cell(100.0, "0.0"),
            Cell(112.5, "0.0"),
            None,
            None,
            "Final",
            None,
        ],
        ["HOU-04 ", TITLES["HOU-04"], 35, None, None, None, None, None],
        [],
        [
            "HOU-07",
            "Number of empty homes brought back into use",
            None,
            41,
            None,
            None,
            "Final",
            None,
        ],
        ["HOU-01", TITLES["HOU-01"], 250, 298, None, None, "Final", "Corrected figure."],
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "Return"
    top = write_return_sheet(
        ws,
        title="Example Council – quarterly performance return",
        metadata=[
            ("Service", "Housing"),
            ("Period", QUARTER.label),
            ("Submitted by", "Mark Bennett"),
            ("Date", WHEN.date()),
        ],
        header=header,
        rows=rows,
        widths={"Measure": 50, "Commentary": 60},
    )
    value = "Value"
    notes = [
        (
            "-",
            f"The header is in row {top}, below a merged title and the Service/Period/Submitted "
            "by/Date block: read correctly.",
        ),
        (_cell(header, "Ref", top + 1), "'hou-01' typed in lower case: read as HOU-01."),
        (
            _cell(header, value, top + 2),
            "'about 80' is text, not a number: `not-a-number` (error).",
        ),
        (_cell(header, value, top + 3), "112.5 for a percentage: `out-of-range` (error)."),
        (
            _cell(header, value, top + 4),
            "HOU-04 (typed with a trailing space) has no value and no "
            "Data status of Not available: `missing-value` (error).",
        ),
        ("-", f"Row {top + 5} is blank inside the table: skipped."),
        (_cell(header, "Ref", top + 6), "HOU-07 is not in the catalogue: `unknown-ref` (error)."),
        (
            _cell(header, "Ref", top + 7),
            "HOU-01 a second time (the first was 'hou-01'): `duplicate-ref` (error).",
        ),
    ]
    save_workbook(wb, path, WHEN)
    return path.name, notes


def waste(path: Path) -> tuple[str, list[tuple[str, str]]]:
    header = [
        "Ref",
        "Measure",
        "Period",
        "Target",
        "Value",
        "Numerator",
        "Denominator",
        "Data status",
        "Commentary",
    ]
    this, last = QUARTER.label, Quarter(2024, 1).label
    rows = [
        [
            "WST-01",
            TITLES["WST-01"],
            this,
            Cell(56.0, "0.0"),
            Cell(58.3, "0.0"),
            Cell(5210, "#,##0"),
            Cell(9350, "#,##0"),
            "Final",
            "Garden waste tonnages were high.",
        ],
        [
            "WST-02",
            TITLES["WST-02"],
            this,
            Cell(100.0, "0.0"),
            Cell("=ROUND(41230/412,1)", "0.0"),
            None,
            None,
            "Final",
            None,
        ],
        [
            "WST-03",
            TITLES["WST-03"],
            this,
            Cell(60.0, "0.0"),
            "#DIV/0!",
            None,
            None,
            "Final",
            "Formula copied from the contractor's spreadsheet.",
        ],
        [
            "WST-04",
            TITLES["WST-04"],
            last,
            Cell(5.0, "0.0"),
            Cell(4.6, "0.0"),
            None,
            None,
            "Final",
            None,
        ],
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "Return"
    top = write_return_sheet(
        ws,
        title=None,
        metadata=[],
        header=header,
        rows=rows,
        widths={"Measure": 50, "Commentary": 50},
    )
    notes = [
        (
            "-",
            "No title or metadata: the header is in row 1 and the period comes from the "
            "folder name.",
        ),
        (
            _cell(header, "Value", top + 1),
            "58.3 but 5,210 / 9,350 is 55.7%: `numerator-denominator-mismatch` (error).",
        ),
        (
            _cell(header, "Value", top + 2),
            "A formula written by a script and never opened in "
            "Excel, so it has no saved result: "
            "`uncalculated-formula` (error).",
        ),
        (_cell(header, "Value", top + 3), "An Excel error value #DIV/0!: `error-value` (error)."),
        (
            _cell(header, "Period", top + 4),
            f"Period says {last} in the {this} return: `period-mismatch` (error).",
        ),
    ]
    save_workbook(wb, path, WHEN)
    return path.name, notes


def customer(path: Path) -> tuple[str, list[tuple[str, str]]]:
    header = [
        "Ref",
        "Measure",
        "Target",
        "Value",
        "Numerator",
        "Denominator",
        "Data status",
        "Commentary",
        "Actions",
        "RAG override",
        "Override reason",
    ]
    rows = [
        [
            "CUS-01",
            TITLES["CUS-01"],
            Cell(90.0, "0.0"),
            Cell(86.4, "0.0"),
            None,
            None,
            "Final",
            "Answer rates recovered in September.",
            None,
            "Green",
            None,
        ],
        [
            "CUS-02",
            TITLES["CUS-02"],
            Cell(90.0, "0.0"),
            Cell(91.0, "0.0"),
            None,
            None,
            "Final",
            LONG_TEXT,
            None,
            None,
            None,
        ],
        [
            "CUS-03",
            TITLES["CUS-03"],
            Cell(85.0, "0.0"),
            Cell(100.0, "0.0"),
            0,
            0,
            "Final",
            "No Stage 2 complaints were closed this quarter.",
            None,
            None,
            None,
        ],
        [
            "CUS-04",
            TITLES["CUS-04"],
            Cell(5.0, "0.0"),
            Cell(52.0, "0.0"),
            None,
            None,
            "Final",
            "Average wait across all lines.",
            None,
            None,
            None,
        ],
        [
            "CUS-05",
            TITLES["CUS-05"],
            Cell(55.0, "0.0"),
            Cell(58.2, "0.0"),
            None,
            None,
            "Final",
            None,
            None,
            None,
            None,
        ],
    ]
    wb = Workbook()
    ws = wb.active
    ws.title = "Return"
    top = write_return_sheet(
        ws,
        title="Customer Services performance return",
        metadata=[
            ("Service", "Customer Services"),
            ("Period", QUARTER.label),
            ("Submitted by", "James Holt"),
        ],
        header=header,
        rows=rows,
        widths={"Measure": 50, "Commentary": 60},
    )
    words = len(LONG_TEXT.split())
    notes = [
        (
            _cell(header, "RAG override", top + 1),
            "A RAG override (Green) with no Override reason: an error, because both are needed.",
        ),
        (
            _cell(header, "Commentary", top + 2),
            f"The commentary has {words} words, over this "
            f"project's limit of {WORD_LIMIT}: "
            "`commentary-too-long` (warning).",
        ),
        (
            _cell(header, "Denominator", top + 3),
            "Numerator and denominator are both 0: `zero-denominator` (error).",
        ),
        (
            _cell(header, "Value", top + 4),
            "52.0 minutes against a target of 5.0 (seconds typed "
            "instead of minutes): `implausible-value` (warning).",
        ),
        (
            _cell(header, "Target", top + 5),
            "Target 55.0 where the catalogue says 60.0: `target-mismatch` (warning).",
        ),
    ]
    save_workbook(wb, path, WHEN)
    return path.name, notes
