"""Fill in a generated return workbook the way a person would: typing into its white cells."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path

import openpyxl

from perfreport.forms.return_forms import COLUMNS, HEADER_ROW, RETURN_SHEET

COLUMN = {heading: number for number, heading in enumerate(COLUMNS, start=1)}


def form_rows(path: Path) -> dict[str, int]:
    """The row of each ref in a form's Return sheet."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[RETURN_SHEET]
    rows = {}
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        ref = sheet.cell(row, COLUMN["Ref"]).value
        if ref:
            rows[ref] = row
    return rows


def fill_form(
    path: Path,
    values: Mapping[str, Mapping[str, object]] | None = None,
    *,
    default: float = 50.0,
    submitted_by: str = "A. Officer",
    date: dt.datetime = dt.datetime(2024, 10, 11),
) -> Path:
    """Type into the form's input cells and save it, like Excel would.

    ``values`` maps a ref to the cells to type, by heading ({"Value": 57.2, "Commentary": ...});
    a row not named gets Value ``default``, Data status Final and a line of commentary.
    """
    values = values or {}
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[RETURN_SHEET]
    sheet["B6"] = submitted_by
    sheet["B7"] = date
    for row in range(HEADER_ROW + 1, sheet.max_row + 1):
        ref = sheet.cell(row, COLUMN["Ref"]).value
        if not ref:
            continue
        typed = values.get(
            ref,
            {
                "Value": default,
                "Data status": "Final",
                "Commentary": f"{ref} is on track this quarter.",
            },
        )
        for heading, value in typed.items():
            cell = sheet.cell(row, COLUMN[heading])
            assert cell.protection.locked is False, f"{heading} of {ref} is locked"
            cell.value = value
    workbook.save(path)
    return path
