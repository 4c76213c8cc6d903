"""benchmarks.csv or benchmarks.xlsx: how comparator groups (England median, CIPFA neighbours) did."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from perfreport.core.codes import finding
from perfreport.core.findings import Finding, sort_findings
from perfreport.core.model import Benchmark, Catalogue, CellRef, Indicator
from perfreport.core.periods import Period, PeriodError, parse_financial_year
from perfreport.core.project import Project, normalise_heading
from perfreport.inputs.cells import Number, clean_text, closest, maybe_fraction, read_number, show
from perfreport.inputs.grid_table import Grid, TableReader, find_headings
from perfreport.inputs.history_file import read_grid
from perfreport.xlsx.sheets import column_letter
from perfreport.xlsx.workbook import SheetCell

BENCHMARK_FILES = ("benchmarks.csv", "benchmarks.xlsx")  # in the project folder
SHEET_NAMES = ("benchmarks", "benchmark")
# The headings each column may have (compared ignoring case, spaces and punctuation).
COLUMNS: Mapping[str, tuple[str, ...]] = {
    "ref": ("ref", "indicatorref", "kpiref", "piref", "reference", "code"),
    "period": (
        "period",
        "year",
        "financialyear",
        "fy",
        "quarter",
        "benchmarkperiod",
        "benchmarkyear",
    ),  # fmt: skip
    "comparator": (
        "comparator",
        "comparatorname",
        "comparatorgroup",
        "benchmark",
        "benchmarkname",
        "comparedwith",
        "comparison",
        "group",
    ),  # fmt: skip
    "value": ("value", "benchmarkvalue", "comparatorvalue", "figure", "median"),
    "lower": ("lowerquartile", "lq", "lowerq", "quartile1", "25thpercentile"),
    "upper": ("upperquartile", "uq", "upperq", "quartile3", "75thpercentile"),
}
REQUIRED = ("ref", "period", "comparator", "value")
LABELS = {"value": "value", "lower": "lower quartile", "upper": "upper quartile"}


def benchmark_file(project: Project) -> tuple[Path | None, tuple[Finding, ...]]:
    """The project's benchmarks file, if it has one; both a .csv and an .xlsx: neither."""
    found = [project.root / name for name in BENCHMARK_FILES if (project.root / name).is_file()]
    if len(found) > 1:
        csv_file, xlsx_file = found
        return None, (
            finding(
                "benchmark-two-files",
                file=project.display(csv_file),
                other=project.display(xlsx_file),
                renamed=f"{xlsx_file.stem}-old{xlsx_file.suffix}",
            ),
        )
    return (found[0] if found else None), ()


def read_benchmarks(
    project: Project, catalogue: Catalogue
) -> tuple[tuple[Benchmark, ...], tuple[Finding, ...]]:
    """Every usable row of the benchmarks file (none when there is no file), and a finding for
    each row or cell that cannot be used: one bad row never stops the others."""
    path, found = benchmark_file(project)
    if path is None:
        return (), found
    display = project.display(path)
    grid, sheet, problems = read_grid(project, path, display, SHEET_NAMES)
    if grid is None:
        reason = " ".join(p.message for p in problems) or "it could not be opened."
        return (), (finding("benchmark-unreadable", file=display, reason=reason),)
    reader = _Reader(catalogue, display, sheet)
    # A workbook's own notes (a hidden sheet, say) are kept; its errors mean the file could
    # not be read, and a benchmark problem is never more than a warning.
    reader.findings.extend(p for p in problems if p.severity != "error")
    benchmarks = reader.read(grid)
    return tuple(benchmarks), sort_findings(reader.findings)


class _Reader(TableReader):
    """Turns the rows under the headings into Benchmarks, collecting findings."""

    def __init__(self, catalogue: Catalogue, display: str, sheet: str | None):
        super().__init__(display, sheet)
        self.catalogue = catalogue

    def read(self, grid: Grid) -> list[Benchmark]:
        heading_at, columns = find_headings(grid, COLUMNS)
        missing = [name for name in REQUIRED if name not in columns]
        if heading_at is None or missing:
            self.add("benchmark-missing-column", column=(missing or ["ref"])[0].capitalize())
            return []
        benchmarks: list[Benchmark] = []
        seen: dict[tuple[str, str, str], int] = {}
        rows = [
            (n, c)
            for n, c in grid[heading_at + 1 :]
            if any(clean_text(v.value)[0] for v in c.values())
        ]
        for number, cells in rows:
            benchmark = self._row(number, cells, columns)
            if benchmark is None:
                continue
            key = (benchmark.ref, normalise_heading(benchmark.comparator), benchmark.period_label)
            if key in seen:
                self.add(
                    "benchmark-duplicate",
                    self._at(columns, "ref", number),
                    ref=benchmark.ref,
                    comparator=benchmark.comparator,
                    period=benchmark.period_label,
                    row=seen[key],
                )
                continue
            seen[key] = number
            benchmarks.append(benchmark)
        if not rows:
            self.add("benchmark-empty")
        return benchmarks

    @staticmethod
    def _at(columns: Mapping[str, int], name: str, number: int) -> str:
        return f"{column_letter(columns[name] - 1)}{number}"

    def _row(
        self, number: int, cells: dict[int, SheetCell], columns: Mapping[str, int]
    ) -> Benchmark | None:
        def at(name: str) -> str:
            return self._at(columns, name, number)

        def cell(name: str) -> SheetCell | None:
            column = columns.get(name)
            return cells.get(column) if column is not None else None

        text = clean_text(cell("ref").value if cell("ref") else None)[0]
        if not text:
            self.add("benchmark-blank-cell", at("ref"), whose="this row", label="ref",
                     wanted="the indicator's ref, as in the catalogue")  # fmt: skip
            return None
        indicator = self.catalogue.by_folded_ref.get(" ".join(text.split()).casefold())
        if indicator is None:
            near = closest(text, (i.ref for i in self.catalogue.indicators), cutoff=1)
            self.add("benchmark-unknown-ref", at("ref"), value=text, text=text,
                     suggestion=f" Did you mean {near}?" if near else "")  # fmt: skip
            return None
        ref = indicator.ref
        comparator = clean_text(cell("comparator").value if cell("comparator") else None)[0]
        if not comparator:
            self.add("benchmark-blank-cell", at("comparator"), ref=ref, whose=f"the {ref} row",
                     label="comparator",
                     wanted="the group compared with, e.g. England median")  # fmt: skip
        period = self._period(cell("period"), at("period"), ref)
        value = self._number(cell("value"), at("value"), indicator, "value")
        lower = (
            self._number(cell("lower"), at("lower"), indicator, "lower")
            if "lower" in columns
            else None
        )
        upper = (
            self._number(cell("upper"), at("upper"), indicator, "upper")
            if "upper" in columns
            else None
        )
        if (
            not comparator
            or period is None
            or value is None
            or value is False
            or lower is False
            or upper is False
        ):
            return None
        assert isinstance(value, float)
        low = lower if isinstance(lower, float) else None
        high = upper if isinstance(upper, float) else None
        if (low is not None and low > value) or (high is not None and high < value):
            where = at("lower") if low is not None and low > value else at("upper")
            self.add(
                "benchmark-quartiles-order",
                where,
                ref=ref,
                comparator=comparator,
                period=period[1],
                lower=show(low) if low is not None else "(none)",
                figure=show(value),
                upper=show(high) if high is not None else "(none)",
            )
            return None
        return Benchmark(
            ref=ref,
            comparator=comparator,
            period=period[0],
            period_label=period[1],
            value=value,
            lower_quartile=low,
            upper_quartile=high,
            source=CellRef(self.display, self.sheet or "", at("value")),
        )

    def _period(self, cell: SheetCell | None, at: str, ref: str) -> tuple[Period, str] | None:
        """(the last quarter the benchmark covers, its label): a financial year ends in its Q4."""
        raw = cell.value if cell is not None else None
        text = clean_text(raw)[0]
        if not text:
            self.add("benchmark-blank-cell", at, ref=ref, whose=f"the {ref} row", label="period",
                     wanted="a financial year such as 2023/24, or a quarter such as Q2 2024/25")  # fmt: skip
            return None
        try:
            quarter = Period.parse(text)
            return quarter, quarter.label
        except PeriodError:
            pass
        try:
            year = parse_financial_year(raw if isinstance(raw, int | float) else text)
        except PeriodError:
            self.add("benchmark-bad-period", at, ref=ref, value=text, text=text)
            return None
        end = Period(year, 4)
        return end, end.fy_label

    def _number(
        self, cell: SheetCell | None, at: str, indicator: Indicator, name: str
    ) -> float | None | bool:
        """The number; None for a blank (a finding when it is the value); False after a finding."""
        label = LABELS[name]
        number: Number = read_number(cell)
        if number.value is None and number.problem is None:
            if name == "value":
                self.add("benchmark-blank-cell", at, ref=indicator.ref, label=label,
                         whose=f"the {indicator.ref} row",
                         wanted="the comparator's figure, in the measure's unit")  # fmt: skip
            return None
        if number.problem is not None or number.value is None:
            self.add("benchmark-bad-number", at, ref=indicator.ref, value=number.shown,
                     label=label, text=number.shown,
                     optional="" if name == "value" else " (a quartile is optional)")  # fmt: skip
            return False
        value = number.value
        if not indicator.is_percent and number.percent_form:
            self.add("benchmark-percent-for-number", at, ref=indicator.ref, value=number.shown,
                     text=number.shown, unit=indicator.unit or "number")  # fmt: skip
            return False
        if maybe_fraction(number, indicator.is_percent, indicator.target):
            # 0.782 for a percentage: 0.782% or 78.2%? As in the catalogue and the returns, a %
            # measure's figures are percentages (78.2), so a fraction is not guessed at.
            self.add(
                "benchmark-fraction-for-percent",
                at,
                ref=indicator.ref,
                value=number.shown,
                label=label,
                text=number.shown,
                as_typed=f"{show(value)}%",
                meant=f"{show(value * 100)}%",
                meant_number=show(value * 100),
            )
            return False
        return float(value)
