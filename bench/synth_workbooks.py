"""The synthetic project's workbooks: the catalogue and the returns, laid out as Excel saves them."""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING

# Beside this file: bench/ is on sys.path.
from synth_council import PERIOD_LABELS, WORDS, Indicator
from xlsxsave import save_workbook

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

FIXED_TIME = dt.datetime(2024, 1, 1)

CATALOGUE_HEADINGS = (
    "Ref",
    "Title",
    "Priority",
    "Service",
    "Directorate",
    "Lead officer",
    "Unit",
    "Decimals",
    "Polarity",
    "Frequency",
    "Due",
    "Rated",
    "Target",
    "Amber",
    "Definition",
)
# As the example returns (examples/generate.py): a merged title, metadata, a blank row, the table.
RETURN_HEADINGS = (
    "Ref",
    "Measure",
    "Unit",
    "Target",
    "Value",
    "Numerator",
    "Denominator",
    "Data status",
    "Commentary",
    "Actions",
    "Forecast RAG",
)
HEADER_ROW = 8


def _workbook() -> Workbook:
    # Not write-only mode, though it is faster: it leaves out the <dimension> element that Excel
    # always writes, and without it openpyxl's read-only reader parses every sheet twice, a cost
    # real returns do not have. Normal mode also gives the styles, merged title and validation
    # lists of the example returns (examples/example_workbooks.py), which are mirrored here.
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    return workbook


def half_up(value: float, decimals: int) -> float:
    """Round as Excel shows a figure (halves away from zero), not as round() does (to even)."""
    step = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP))


def _style_header(sheet: Worksheet, row: int) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    fill, font = PatternFill("solid", fgColor="1F4E79"), Font(bold=True, color="FFFFFF")
    for cell in sheet[row]:
        cell.font, cell.fill = font, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def write_catalogue(
    path: Path, indicators: list[Indicator], services: list[tuple[str, str]]
) -> None:
    directorate = dict(services)
    workbook = _workbook()
    sheet = workbook.active
    sheet.title = "Indicators"
    sheet.append(CATALOGUE_HEADINGS)
    for i in indicators:
        sheet.append(
            (
                i.ref,
                i.title,
                i.priority,
                i.service,
                directorate[i.service],
                f"Head of {i.service}",
                i.unit,
                i.decimals,
                i.polarity,
                i.frequency,
                ",".join(f"Q{q}" for q in i.due)
                if i.frequency in ("annual", "half-yearly")
                else None,
                "yes" if i.rated else "no",
                i.target,
                i.amber,
                f"The {i.title.lower()}, measured at the end of the quarter.",
            )
        )
    _style_header(sheet, 1)
    sheet.freeze_panes = "C2"
    targets = workbook.create_sheet("Targets")
    targets.append(("Ref", "Year", "Target", "Amber"))
    for i in indicators:
        if i.last_year_target is not None:
            targets.append((i.ref, "2023/24", i.last_year_target, None))
    _style_header(targets, 1)
    save_workbook(workbook, path)


def _figure(i: Indicator, rng: random.Random, step: int) -> tuple[float, int | None, int | None]:
    """A plausible figure (value, numerator, denominator) near the indicator's level."""
    drift = 1 + 0.01 * step * (1 if i.polarity != "lower" else -1)
    value = i.level * drift * rng.uniform(0.9, 1.1)
    if i.unit == "%":
        value = min(max(value, 0.5), 99.5)
        if i.ratio:
            denominator = rng.randint(i.ratio // 2, i.ratio)
            numerator = round(denominator * value / 100)
            return half_up(100 * numerator / denominator, i.decimals), numerator, denominator
    return half_up(value, i.decimals), None, None


def _number_format(i: Indicator, fraction: bool = False) -> str:
    if fraction:
        return "0." + "0" * i.decimals + "%"
    return "#,##0." + "0" * i.decimals if i.decimals else "#,##0"


def write_return(
    path: Path, service: str, period: str, due: list[Indicator], rng: random.Random, step: int
) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = _workbook()
    sheet = workbook.active
    sheet.title = "Return"
    title = sheet.cell(1, 1, f"Synthetic Council: performance return {PERIOD_LABELS[period]}")
    title.font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(RETURN_HEADINGS))
    metadata = (
        ("Service", service),
        ("Period", period),
        ("Submitted by", f"Performance lead, {service}"),
        ("Date", dt.datetime(2024, 10, 15)),
    )
    for row, (label, value) in enumerate(metadata, start=3):
        sheet.cell(row, 1, label).font = Font(bold=True)
        cell = sheet.cell(row, 2, value)
        if isinstance(value, dt.datetime):
            cell.number_format = "dd/mm/yyyy"
    for column, heading in enumerate(RETURN_HEADINGS, start=1):
        sheet.cell(HEADER_ROW, column, heading)
    _style_header(sheet, HEADER_ROW)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, i in enumerate(due, start=HEADER_ROW + 1):
        value, numerator, denominator = _figure(i, rng, step)
        status = rng.choices(
            ("", "Final", "Provisional", "Estimated", "Not available"), weights=(70, 15, 8, 4, 3)
        )[0]
        fraction = i.fraction and numerator is None
        if status == "Not available":
            value = numerator = denominator = None
        elif fraction:
            value = round(value / 100, i.decimals + 2)
        commentary = " ".join(rng.choices(WORDS, k=rng.randint(15, 70))).capitalize() + "."
        if status == "Not available":
            commentary = "The figure is not available this quarter because the system was updated."
        actions = (
            " ".join(rng.choices(WORDS, k=rng.randint(8, 30))).capitalize() + "."
            if rng.random() < 0.3
            else None
        )
        forecast = rng.choice((None, None, "Green", "Amber", "Red")) if i.rated else None
        target = (
            i.last_year_target
            if period.endswith("2023") and i.last_year_target is not None
            else i.target
        )
        if target is not None and i.stale_target:
            target = round(target * 1.1, i.decimals)
        values = (
            i.ref,
            i.title,
            i.unit,
            target,
            value,
            numerator,
            denominator,
            status or None,
            commentary,
            actions,
            forecast,
        )
        for column, item in enumerate(values, start=1):
            cell = sheet.cell(row, column, item)
            if column in (4, 5) and item is not None:
                cell.number_format = _number_format(i, fraction and column == 5)
            elif column in (9, 10):
                cell.alignment = wrap
    last = HEADER_ROW + len(due) + 20
    for heading, options in (
        ("Data status", "Final,Provisional,Estimated,Not available"),
        ("Forecast RAG", "Red,Amber,Green"),
    ):
        letter = "ABCDEFGHIJK"[RETURN_HEADINGS.index(heading)]
        check = DataValidation(type="list", formula1=f'"{options}"', allow_blank=True)
        check.add(f"{letter}{HEADER_ROW + 1}:{letter}{last}")
        sheet.add_data_validation(check)
    for letter, width in zip(
        "ABCDEFGHIJK", (10, 48, 8, 10, 10, 11, 12, 14, 60, 50, 12), strict=True
    ):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 3)
    save_workbook(workbook, path)
