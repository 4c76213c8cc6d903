"""Writing the example workbooks reproducibly: fixed properties, fixed zip timestamps, one layout."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.xml.functions import tostring

# Every zip member gets this timestamp, so the same workbook always has the same bytes.
_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")


@dataclass(frozen=True)
class Quarter:
    """A quarter of the financial year, as the examples name it (no dependency on perfreport)."""

    year: int  # the year the financial year starts in: 2024 for 2024/25
    quarter: int

    @classmethod
    def parse(cls, key: str) -> Quarter:
        q, year = key.split("-")
        return cls(int(year), int(q[1]))

    @property
    def key(self) -> str:
        return f"Q{self.quarter}-{self.year}"

    @property
    def fy(self) -> str:
        return f"{self.year}/{(self.year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        return f"Q{self.quarter} {self.fy}"

    @property
    def file_label(self) -> str:
        return self.label.replace("/", "-")

    @property
    def end(self) -> dt.date:
        month = {1: 6, 2: 9, 3: 12, 4: 3}[self.quarter]
        year = self.year + 1 if self.quarter == 4 else self.year
        return dt.date(year, month, 30 if month in (6, 9) else 31)


def save_workbook(wb: Workbook, path: Path, when: dt.datetime) -> None:
    """Save with fixed document properties and zip timestamps (openpyxl stamps the current time)."""
    buffer = io.BytesIO()
    wb.save(buffer)
    # openpyxl sets "modified" to now while saving, so write docProps/core.xml again afterwards.
    wb.properties.created = when
    wb.properties.modified = when
    core = tostring(wb.properties.to_tree())
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
        for member in source.infolist():
            info = zipfile.ZipInfo(member.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0o600 << 16
            data = core if member.filename == "docProps/core.xml" else source.read(member)
            target.writestr(info, data)


def number_format(decimals: int, percent_fraction: bool = False) -> str:
    if percent_fraction:
        return "0." + "0" * decimals + "%" if decimals else "0%"
    return "#,##0." + "0" * decimals if decimals else "#,##0"


@dataclass(frozen=True)
class Cell:
    """A value for a return's table, with the number format Excel would show it in."""

    value: object
    format: str | None = None


def write_return_sheet(
    ws,
    *,
    title: str | None,
    metadata: list[tuple[str, object]],
    header: list[str],
    rows: list[list[object]],
    widths: dict[str, int],
    validations: dict[str, str] | None = None,
) -> int:
    """Lay out a return as services send it: title, metadata, blank row, table. Returns header row."""
    row = 1
    if title:
        ws.cell(row=1, column=1, value=title).font = Font(bold=True, size=14)
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
        row = 3
    for label, value in metadata:
        ws.cell(row=row, column=1, value=label).font = Font(bold=True)
        cell = ws.cell(row=row, column=2, value=value)
        if isinstance(value, dt.date):
            cell.number_format = "dd/mm/yyyy"
            cell.alignment = Alignment(horizontal="left")
        row += 1
    if metadata:
        row += 1  # the blank row between the metadata and the table
    header_row = row
    for column, heading in enumerate(header, start=1):
        cell = ws.cell(row=header_row, column=column, value=heading)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for offset, values in enumerate(rows, start=1):
        for column, value in enumerate(values, start=1):
            if isinstance(value, Cell):
                cell = ws.cell(row=header_row + offset, column=column, value=value.value)
                if value.format:
                    cell.number_format = value.format
            else:
                cell = ws.cell(row=header_row + offset, column=column, value=value)
            cell.alignment = Alignment(
                wrap_text=isinstance(value, str) and len(value) > 30, vertical="top"
            )
    for heading, width in widths.items():
        if heading in header:
            ws.column_dimensions[get_column_letter(header.index(heading) + 1)].width = width
    last = header_row + len(rows) + 20
    for heading, options in (validations or {}).items():
        if heading in header:
            letter = get_column_letter(header.index(heading) + 1)
            check = DataValidation(type="list", formula1=f'"{options}"', allow_blank=True)
            check.add(f"{letter}{header_row + 1}:{letter}{last}")
            ws.add_data_validation(check)
    ws.freeze_panes = ws.cell(row=header_row + 1, column=3)
    return header_row
