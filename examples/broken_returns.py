"""The broken-returns example: returns showing the findings a performance officer meets most often."""

from __future__ import annotations

import shutil
from pathlib import Path

from broken_catalogue import QUARTER, write_catalogue, write_config
from broken_workbooks import customer, housing, waste


def generate(folder: Path) -> None:
    """Write the broken-returns project into ``folder`` (replacing its returns)."""
    folder.mkdir(parents=True, exist_ok=True)
    write_config(folder)
    write_catalogue(folder / "catalogue.xlsx")
    returns = folder / "returns" / QUARTER.key
    shutil.rmtree(folder / "returns", ignore_errors=True)
    returns.mkdir(parents=True)
    notes = [
        housing(returns / f"Housing return {QUARTER.file_label}.xlsx"),
        waste(returns / f"Waste and Recycling return {QUARTER.file_label}.xlsx"),
        customer(returns / f"Customer Services return {QUARTER.file_label}.xlsx"),
        _csv_export(returns / "Performance data export Q2.xlsx"),
        _owner_file(returns / f"~$Housing return {QUARTER.file_label}.xlsx"),
    ]
    _write_readme(folder / "README.md", notes)


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
        (
            "-",
            "Excel's owner (lock) file, left while the return was open: the quarter's check "
            "skips it; named alone to validate, `excel-owner-file`.",
        )
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
