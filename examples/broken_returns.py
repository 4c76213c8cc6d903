"""The broken-returns example: returns showing the findings a performance officer meets most often."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from example_workbooks import (
    HEADER_FILL,
    HEADER_FONT,
    Cell,
    Quarter,
    save_workbook,
    write_return_sheet,
)
from openpyxl import Workbook
from openpyxl.utils import get_column_letter

QUARTER = Quarter(2024, 2)
WORD_LIMIT = 100
WHEN = dt.datetime(2024, 10, 14, 11, 0)

# ref, title, service, unit, decimals, polarity, target
CATALOGUE = (
    (
        "HOU-01",
        "Number of households in temporary accommodation",
        "Housing",
        "number",
        0,
        "lower",
        250,
    ),
    (
        "HOU-02",
        "Percentage of homelessness cases where homelessness was prevented or relieved",
        "Housing",
        "%",
        1,
        "higher",
        60.0,
    ),
    (
        "HOU-03",
        "Percentage of council homes with a valid gas safety certificate",
        "Housing",
        "%",
        1,
        "higher",
        100.0,
    ),
    ("HOU-04", "Average number of days to re-let council homes", "Housing", "days", 0, "lower", 35),
    (
        "WST-01",
        "Household waste sent for reuse, recycling and composting (%)",
        "Waste and Recycling",
        "%",
        1,
        "higher",
        56.0,
    ),
    (
        "WST-02",
        "Residual household waste per household (kg)",
        "Waste and Recycling",
        "kg",
        1,
        "lower",
        100.0,
    ),
    (
        "WST-03",
        "Missed collections per 100,000 collections",
        "Waste and Recycling",
        "rate",
        1,
        "lower",
        60.0,
    ),
    (
        "WST-04",
        "Average working days to remove fly-tipping",
        "Waste and Recycling",
        "days",
        1,
        "lower",
        5.0,
    ),
    (
        "CUS-01",
        "Percentage of calls to the Customer Contact Centre answered",
        "Customer Services",
        "%",
        1,
        "higher",
        90.0,
    ),
    (
        "CUS-02",
        "Percentage of FOI requests answered within 20 working days",
        "Customer Services",
        "%",
        1,
        "higher",
        90.0,
    ),
    (
        "CUS-03",
        "Percentage of Stage 2 complaints responded to within 20 working days",
        "Customer Services",
        "%",
        1,
        "higher",
        85.0,
    ),
    (
        "CUS-04",
        "Average call waiting time, Customer Contact Centre (minutes)",
        "Customer Services",
        "minutes",
        1,
        "lower",
        5.0,
    ),
    (
        "CUS-05",
        "Percentage of customer transactions completed online",
        "Customer Services",
        "%",
        1,
        "higher",
        60.0,
    ),
    (
        "LIB-01",
        "Number of physical visits to libraries",
        "Libraries and Culture",
        "number",
        0,
        "higher",
        290000,
    ),
    (
        "LIB-02",
        "Number of active library members",
        "Libraries and Culture",
        "number",
        0,
        "higher",
        None,
    ),
)
TITLES = {ref: title for ref, title, *_ in CATALOGUE}

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


def generate(folder: Path) -> None:
    """Write the broken-returns project into ``folder`` (replacing its returns)."""
    folder.mkdir(parents=True, exist_ok=True)
    _write_config(folder)
    _write_catalogue(folder / "catalogue.xlsx")
    returns = folder / "returns" / QUARTER.key
    shutil.rmtree(folder / "returns", ignore_errors=True)
    returns.mkdir(parents=True)
    notes = [
        _housing(returns / f"Housing return {QUARTER.file_label}.xlsx"),
        _waste(returns / f"Waste and Recycling return {QUARTER.file_label}.xlsx"),
        _customer(returns / f"Customer Services return {QUARTER.file_label}.xlsx"),
        _csv_export(returns / "Performance data export Q2.xlsx"),
        _owner_file(returns / f"~$Housing return {QUARTER.file_label}.xlsx"),
    ]
    _write_readme(folder / "README.md", notes)


def _write_config(folder: Path) -> None:
    text = """\
# A small project whose returns show the common findings. Generated by examples/generate.py.

[council]
name = "Example Council"

[report]
title = "Corporate Performance Management Report"

[[priorities]]
key = "communities"
name = "Safe and healthy communities"

[[priorities]]
key = "council"
name = "A well-run council"
supporting = true

[rating]
amber_tolerance = "5%"

[validation]
commentary_word_limit = {limit}
""".replace("{limit}", str(WORD_LIMIT))
    (folder / "perfreport.toml").write_text(text, encoding="utf-8", newline="\n")


def _write_catalogue(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Indicators"
    ws.append(
        [
            "Ref",
            "Title",
            "Priority",
            "Service",
            "Unit",
            "Decimals",
            "Polarity",
            "Target",
            "Definition",
        ]
    )
    for ref, title, service, unit, decimals, polarity, target in CATALOGUE:
        priority = "council" if service == "Customer Services" else "communities"
        ws.append(
            [
                ref,
                title,
                priority,
                service,
                unit,
                decimals,
                polarity,
                target,
                f"{title} in the quarter.",
            ]
        )
    for cell in ws[1]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["D"].width = 22
    save_workbook(wb, path, WHEN)


def _cell(header: list[str], heading: str, row: int) -> str:
    return f"{get_column_letter(header.index(heading) + 1)}{row}"


def _housing(path: Path) -> tuple[str, list[tuple[str, str]]]:
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


def _waste(path: Path) -> tuple[str, list[tuple[str, str]]]:
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


def _customer(path: Path) -> tuple[str, list[tuple[str, str]]]:
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


def _csv_export(path: Path) -> tuple[str, list[tuple[str, str]]]:
    """A CSV export from a case-management system, renamed to .xlsx by hand."""
    text = (
        "Ref,Measure,Value\r\n"
        "CUS-01,Percentage of calls answered,86.4\r\n"
        "CUS-04,Average call waiting time (minutes),5.2\r\n"
    )
    path.write_bytes(text.encode("utf-8"))
    return path.name, [
        (
            "-",
            "A CSV file renamed to .xlsx: not a workbook, so it cannot be read "
            "(`not-a-workbook`, error). Save it as an Excel workbook instead.",
        )
    ]


def _owner_file(path: Path) -> tuple[str, list[tuple[str, str]]]:
    """The lock file Excel leaves beside an open workbook: a length byte, the user name, padding."""
    user = b"Mark Bennett"
    path.write_bytes(bytes([len(user)]) + user + b" " * (53 - len(user)) + b"\x00" * 111)
    return path.name, [
        ("-", "Excel's owner (lock) file, left while the return was open: ignored, no finding.")
    ]


def _write_readme(path: Path, notes: list[tuple[str, list[tuple[str, str]]]]) -> None:
    lines = [
        "# broken-returns: the findings an officer meets",
        "",
        "A small performance project (15 indicators, 4 services) whose Q2 2024/25 returns contain "
        "the mistakes performance teams see most often in the workbooks services send. Run:",
        "",
        "    perfreport validate Q2-2024 --project examples/broken-returns",
        "",
        "This file, the catalogue and every return are written by `examples/generate.py`; do not "
        "edit them by hand. The codes are those of issue 2 (section 5); the exact findings are "
        "pinned by the golden-file test.",
        "",
        "Libraries and Culture is in the catalogue but sent nothing this quarter: "
        "`missing-return` (warning).",
        "",
    ]
    for name, items in notes:
        lines += [f"## {name}", "", "| cell | what it shows |", "| --- | --- |"]
        lines += [f"| {cell} | {text} |" for cell, text in items]
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8", newline="\n")
