"""Writes small return workbooks in code, and the catalogue they are read against.

With the defaults the layout is:

    row 1      a title merged across A1:F1
    rows 3-6   metadata labels in A (Service, Period, Submitted by, Date), values in B
    row 8      the header row: Ref, Measure, Value, Target, Numerator, Denominator,
               Data status, Commentary, Actions, Forecast RAG   (columns A-J)
    row 9...   one row per entry of ``rows``

so the first row's Value is C9, its Target D9, its Data status G9, its Commentary H9.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from perfreport.core.model import Catalogue, Frequency, Indicator, Polarity, YearTarget
from perfreport.core.periods import Period

HEADINGS = (
    "Ref",
    "Measure",
    "Value",
    "Target",
    "Numerator",
    "Denominator",
    "Data status",
    "Commentary",
    "Actions",
    "Forecast RAG",
)
HEADER_ROW = 8
FIRST_ROW = HEADER_ROW + 1
Q2 = Period(2024, 2)
METADATA = {
    "Service": "Adult Social Care",
    "Period": "Q2 2024/25",
    "Submitted by": "Jo Bloggs",
    "Date": dt.date(2024, 10, 14),
}
TITLE = "Adult Social Care: quarterly performance return"

CATALOGUE = Catalogue(
    indicators=(
        Indicator(
            "ASC-01",
            "Adults reviewed within 12 months",
            "healthy",
            "Adult Social Care",
            Polarity.HIGHER,
            unit="%",
            decimals=1,
            target=85.0,
            amber=80.0,
        ),
        Indicator(
            "ASC-02",
            "People in long-term residential care",
            "healthy",
            "Adult Social Care",
            Polarity.LOWER,
            unit="number",
            decimals=0,
            target=120.0,
        ),
        Indicator(
            "ASC-03",
            "Carers' satisfaction survey score",
            "healthy",
            "Adult Social Care",
            Polarity.HIGHER,
            unit="%",
            decimals=1,
            frequency=Frequency.ANNUAL,
            due=(4,),
            target=50.0,
        ),
        Indicator(
            "ASC-04",
            "Safeguarding enquiries started",
            "healthy",
            "Adult Social Care",
            Polarity.NONE,
            unit="number",
            rated=False,
        ),
        Indicator(
            "HSG-01",
            "Households in temporary accommodation",
            "fairer",
            "Housing",
            Polarity.LOWER,
            unit="number",
            target=250.0,
        ),
    ),
    targets=(YearTarget("ASC-02", 2024, 110.0),),  # 2024/25 overrides the default of 120
)


@dataclass(frozen=True)
class Formula:
    """A formula; ``cached`` is the result Excel saved (None: never calculated)."""

    text: str
    cached: object = None


@dataclass(frozen=True)
class Styled:
    """A value shown with a number format, e.g. Styled(0.855, "0.0%")."""

    value: object
    number_format: str


Row = Mapping[str, object]  # heading -> value; {} is a blank row


def write_return(
    path: Path,
    rows: Sequence[Row] = (),
    *,
    headings: Sequence[str] = HEADINGS,
    metadata: Mapping[str, object] | None = None,
    title: str | None = TITLE,
    header_row: int = HEADER_ROW,
    sheet: str = "Return",
    other_sheets: Sequence[str] = (),
    hidden: Sequence[str] = (),
    epoch_1904: bool = False,
    merged: Sequence[str] = (),
    cells: Mapping[str, object] | None = None,
    dimension: str | None = None,
) -> Path:
    """Write a return workbook to ``path`` and return the path.

    ``other_sheets`` are added after the return sheet, ``hidden`` names sheets to hide, ``cells``
    writes extra cells by A1 reference, ``merged`` merges ranges, and ``dimension`` overwrites the
    <dimension> the return sheet declares (as a buggy writer might).
    """
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    if epoch_1904:
        workbook.epoch = CALENDAR_MAC_1904
    if title is not None:
        worksheet["A1"] = title
        worksheet.merge_cells("A1:F1")
    for offset, (label, value) in enumerate((METADATA if metadata is None else metadata).items()):
        worksheet.cell(3 + offset, 1, label)
        _put(worksheet.cell(3 + offset, 2), value)
    for column, heading in enumerate(headings, start=1):
        worksheet.cell(header_row, column, heading)
    cached: dict[str, object] = {}
    for number, row in enumerate(rows, start=header_row + 1):
        for heading, value in row.items():
            cell = worksheet.cell(number, list(headings).index(heading) + 1)
            _put(cell, value)
            if isinstance(value, Formula) and value.cached is not None:
                cached[cell.coordinate] = value.cached
    for ref, value in (cells or {}).items():
        _put(worksheet[ref], value)
        if isinstance(value, Formula) and value.cached is not None:
            cached[worksheet[ref].coordinate] = value.cached
    for area in merged:
        worksheet.merge_cells(area)
    for name in other_sheets:
        workbook.create_sheet(name)["A1"] = f"{name} sheet"
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    if cached or dimension or hidden:
        data = _patch(data, cached, dimension, hidden)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _put(cell, value: object) -> None:
    if isinstance(value, Formula):
        cell.value = value.text
    elif isinstance(value, Styled):
        cell.value = value.value
        cell.number_format = value.number_format
    else:
        cell.value = value


def _patch(
    data: bytes, cached: Mapping[str, object], dimension: str | None, hidden: Sequence[str]
) -> bytes:
    """Give formulas the results Excel would have saved, overwrite <dimension>, hide sheets.

    (openpyxl refuses to hide every sheet, which Excel files can still do.)
    """
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                content = _patch_sheet(content.decode("utf-8"), cached, dimension).encode("utf-8")
            elif info.filename == "xl/workbook.xml":
                text = content.decode("utf-8")
                for name in hidden:
                    text = re.sub(
                        rf'(<sheet [^>]*name="{re.escape(name)}"[^>]*state=")visible"',
                        r'\1hidden"',
                        text,
                    )
                content = text.encode("utf-8")
            target.writestr(info, content)
    return out.getvalue()


def _patch_sheet(text: str, cached: Mapping[str, object], dimension: str | None) -> str:
    for ref, value in cached.items():
        kind = (
            ' t="e"' if str(value).startswith("#") else ' t="str"' if isinstance(value, str) else ""
        )
        text = re.sub(
            rf'<c r="{ref}"([^>]*)><f>(.*?)</f>(?:<v\s*/>|<v></v>)',
            lambda m, r=ref, k=kind, v=value: f'<c r="{r}"{m[1]}{k}><f>{m[2]}</f><v>{v}</v>',
            text,
        )
    if dimension:
        text = re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{dimension}"/>', text)
    return text


def rows_for_every_indicator(count: int) -> list[dict[str, object]]:
    """``count`` plausible rows (refs PERF-001...), for timing a full-size return."""
    statuses = ("", "Final", "Provisional", "Estimated")
    return [
        {
            "Ref": f"PERF-{n:03d}",
            "Measure": f"Measure number {n}",
            "Value": 40 + n % 50,
            "Target": 60,
            "Numerator": 40 + n % 50,
            "Denominator": 100,
            "Data status": statuses[n % 4],
            "Commentary": "Performance improved this quarter "
            "because of the new triage process. " * 3,
            "Actions": "Keep monitoring.",
            "Forecast RAG": ("Red", "Amber", "Green")[n % 3],
        }
        for n in range(1, count + 1)
    ]


def catalogue_for_every_indicator(count: int) -> Catalogue:
    return Catalogue(
        tuple(
            Indicator(
                f"PERF-{n:03d}",
                f"Measure number {n}",
                "healthy",
                "Adult Social Care",
                Polarity.HIGHER,
                unit="%",
                decimals=1,
                target=60.0,
            )
            for n in range(1, count + 1)
        )
    )
