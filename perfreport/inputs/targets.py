"""The catalogue's Targets sheet (or targets.csv): a target and Amber per indicator and year (and quarter)."""

from __future__ import annotations

import functools

from perfreport.core.model import YearTarget
from perfreport.core.periods import Period, PeriodError, parse_financial_year
from perfreport.inputs.catalogue_fields import TARGET_COLUMNS, TARGET_REQUIRED, cell_text
from perfreport.inputs.catalogue_rows import CatalogueParser
from perfreport.inputs.quarter_targets import read_quarters
from perfreport.xlsx.sheets import Table


def read_targets(
    parser: CatalogueParser, table: Table, indicators: list[dict]
) -> tuple[YearTarget, ...]:
    """The year targets of the Targets table, each checked against the catalogue's rows."""
    parser.sheet = table.sheet
    layout = parser.columns(table, TARGET_COLUMNS, TARGET_REQUIRED)
    if layout is None or layout[2]:
        missing = layout[2] if layout else TARGET_REQUIRED
        names = ", ".join(name.capitalize() for name in missing)
        parser.add("catalogue-targets-missing-column", names=names)
        return ()
    heading, columns, _ = layout
    known = {row["ref"].casefold(): row for row in indicators}
    found: dict[tuple[str, int], int] = {}
    years: list[YearTarget] = []
    for row in table.rows[heading + 1 :]:
        if row.is_blank:
            continue
        get = functools.partial(parser.cell, row, columns)
        ref_cell, ref_at = get("ref")
        indicator = known.get(cell_text(ref_cell.value).casefold())
        if indicator is None:
            parser.add(
                "catalogue-targets-unknown-ref",
                ref_at,
                value=ref_cell.value,
                text=cell_text(ref_cell.value),
            )
            continue
        ref = indicator["ref"]
        year_cell, year_at = get("year")
        try:
            year = parse_financial_year(year_cell.value)
        except PeriodError:
            parser.add(
                "catalogue-bad-year",
                year_at,
                ref,
                year_cell.value,
                text=cell_text(year_cell.value),
            )
            continue
        if (ref, year) in found:
            parser.add(
                "catalogue-targets-duplicate",
                ref_at,
                ref,
                year=cell_text(year_cell.value),
                row=found[ref, year],
            )
            continue
        found[ref, year] = row.number
        unit = indicator["unit"]
        target = parser.read_number(get("target")[0], get("target")[1], ref, "target", unit)
        amber = parser.read_number(get("amber")[0], get("amber")[1], ref, "amber", unit)
        parser.check_amber(
            ref,
            indicator["polarity"],
            target,
            amber,
            get("amber")[1],
            f" ({cell_text(year_cell.value)})",
        )
        label = Period(year, 1).fy_label
        quarters, profile = read_quarters(parser, get, indicator, label, target)
        years.append(YearTarget(ref, year, target, amber, quarters, profile))
    return tuple(years)
