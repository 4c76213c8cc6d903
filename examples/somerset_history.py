"""The Somerset example's past figures: two years before its returns, as a council would import them.

write_past_figures() invents, for every indicator, the figures of the eight quarters before the
returns start (Q2 2021/22 to Q1 2022/23 ... Q1 2023/24), and five years of annual outturns. Each
walks back from the indicator's first figure in the returns with a seeded drift, so the trends
join up. It writes them as the workbook a performance team keeps (history/past-figures.xlsx),
with the RAG each had when published; generate.py then imports it with perfreport.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from example_workbooks import HEADER_FILL, HEADER_FONT, Quarter, number_format, save_workbook
from openpyxl import Workbook
from somerset_catalogue import INDICATORS, PERIODS, Spec
from somerset_figures import IN_ARREARS, LAST_YEARS_OUTTURN, Figure
from somerset_rating import at_precision, due, is_cumulative, is_rated, rate, target_for

FIRST_RETURNS = Quarter.parse(PERIODS[0])  # Q2-2023: the first quarter with returns
QUARTERS = 8  # two years of quarters before it
YEARS = range(2019, 2024)  # annual outturns looked for (the due quarter must be before it)
HEADINGS = ("Ref", "Indicator", "Period", "Value", "Target", "RAG", "Commentary", "Period of data")
RAG_WORDS = {"G": "Green", "A": "Amber", "R": "Red"}
# REAL figures: Somerset's (E10000027) published annual results for the example's annual adult
# social care measures that are OFLOG measures, from ../shared/data/oflog-adult-social-care.csv
# (the Value column; see examples/somerset_benchmarks.py for the measure of each ref). The past
# outturns use them where the file has that year, so that the history, the definitions ("Somerset
# recorded 60.0% in 2022/23") and the commentary agree; other years stay synthetic.
# tests/test_examples.py checks them against the file when it is there.
PUBLISHED: dict[str, dict[str, float]] = {
    "ASC-07": {"2021/22": 7.1},
    "ASC-13": {"2019/20": 91.6, "2020/21": 75.6, "2021/22": 89.3, "2022/23": 93.2},
    "ASC-14": {"2019/20": 66.9, "2021/22": 62.9, "2022/23": 60.0},
    "ASC-16": {"2019/20": 34.1, "2020/21": 30.9, "2021/22": 37.6, "2022/23": 31.4},
}


def _index(quarter: Quarter) -> int:
    return quarter.year * 4 + quarter.quarter - 1


def _quarter(index: int) -> Quarter:
    return Quarter(index // 4, index % 4 + 1)


def _past_quarters(spec: Spec) -> list[tuple[Quarter, str, Quarter | None]]:
    """The quarters (newest first) the file gives ``spec`` a figure for, with their Period text
    and the quarter their figure is for when not that one (the Period of data): none, except where the returns give an earlier period's figure
    (last year's outturn in Q1, a figure in arrears), as the history then did too."""
    start = _index(FIRST_RETURNS)
    if spec.frequency == "annual":
        quarter = int(spec.due.strip().lstrip("Q"))
        found: list[tuple[Quarter, str, Quarter | None]]
        found = [(Quarter(y, quarter), Quarter(y, quarter).fy, None) for y in YEARS]
        if spec.ref in LAST_YEARS_OUTTURN:  # reported in Q1 2023/24: the 2022/23 outturn
            found = [(q, q.label, Quarter(q.year - 1, q.quarter)) for q, _, _ in found]
        return [row for row in reversed(found) if _index(row[0]) < start]
    quarters = [_quarter(start - back) for back in range(1, QUARTERS + 1)]
    if spec.ref in IN_ARREARS:  # reported a quarter late: the figure for the quarter before
        return [(q, q.label, _quarter(_index(q) - 1)) for q in quarters if due(spec, q)]
    return [(q, q.label, None) for q in quarters if due(spec, q)]


def _first_value(spec: Spec, figures: dict[tuple[str, str], Figure]) -> float | None:
    for period in PERIODS:
        figure = figures.get((spec.ref, period))
        if figure is not None and figure.value is not None:
            return float(figure.value)
    return None


def past_rows(figures: dict[tuple[str, str], Figure]) -> list[tuple[object, ...]]:
    """One row per indicator and past period: (ref, title, period, value, target, RAG, comment,
    Period of data)."""
    rows: list[tuple[object, ...]] = []
    for spec in INDICATORS:
        value = _first_value(spec, figures)
        if value is None:
            continue
        rng = random.Random(f"somerset-history-{spec.ref}")
        drift = rng.uniform(-0.025, 0.025)  # the change per figure, walking back in time
        # A year-to-date figure climbs through each year: walk back its share of the quarter's
        # target instead, so that Q1's figure stays near Q1's target.
        first = Quarter.parse(PERIODS[0])
        scale = target_for(spec, first)[0] if is_cumulative(spec, first.year) else None
        for reported, text, of in _past_quarters(spec):
            quarter = of or reported  # the figure's own quarter: its target and RAG are that one's
            data_period = "" if of is None else of.fy if spec.frequency == "annual" else of.label
            value = value * (1 + drift) * (1 + rng.gauss(0, spec.noise / 2))
            if scale is not None:
                value = value / scale * (target_for(spec, quarter)[0] or scale)
                scale = target_for(spec, quarter)[0] or scale
            if spec.unit == "%":
                value = min(max(value, 1.5), 99.5)
            value = max(value, 0.0)
            value = PUBLISHED.get(spec.ref, {}).get(text, value)  # a real figure where there is one
            shown = float(at_precision(value, spec.decimals))
            value = int(shown) if spec.decimals == 0 else shown
            target = rag = comment = None
            if is_rated(spec, quarter.year):
                target = target_for(spec, quarter)[0]
                letter = rate(spec, value, quarter)
                rag = RAG_WORDS[letter]
                comment = spec.bad if letter == "R" and spec.bad else None
            rows.append((spec.ref, spec.title, text, value, target, rag, comment, data_period))
    return rows


def write_past_figures(path: Path, figures: dict[tuple[str, str], Figure]) -> int:
    """Write the workbook of past figures; the number of rows written."""
    decimals = {spec.ref: spec.decimals for spec in INDICATORS}
    wb = Workbook()
    ws = wb.active
    ws.title = "History"
    ws.append(HEADINGS)
    for cell in ws[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    rows = past_rows(figures)
    for row in rows:
        ws.append(list(row))
        shape = number_format(decimals[str(row[0])])
        ws.cell(ws.max_row, 4).number_format = shape
        ws.cell(ws.max_row, 5).number_format = shape
    for column, width in zip("ABCDEFGH", (10, 60, 12, 10, 10, 8, 60, 14), strict=True):
        ws.column_dimensions[column].width = width
    ws.freeze_panes = "A2"
    save_workbook(wb, path, dt.datetime(2024, 4, 2, 9, 0))
    return len(rows)


def import_past_figures(folder: Path) -> None:
    """Import the workbook into the project with perfreport itself, as a council would."""
    from perfreport.build import import_history
    from perfreport.core.project import load_project

    result = import_history(load_project(folder), folder / "history" / "past-figures.xlsx")
    problems = [f.message for f in result.findings]
    if not result.stored or problems:
        raise AssertionError(f"the example's past figures did not import cleanly: {problems}")
