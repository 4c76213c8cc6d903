"""A file of past figures (perfreport history import): a workbook or CSV read and checked like a return."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from perfreport.core.codes import finding
from perfreport.core.codes_files import ADVICE_CLOSE_AND_RETRY
from perfreport.core.codes_history import (
    ADVICE_DATA_PERIOD,
    ADVICE_DUE_QUARTER,
    ADVICE_ENDED,
    ADVICE_GIVE_QUARTER,
    ADVICE_PERIOD_FORM,
)
from perfreport.core.findings import Finding, sort_findings
from perfreport.core.formatting import quarters_label
from perfreport.core.model import RAG, Catalogue, CellRef, Frequency, Indicator
from perfreport.core.periods import Period, PeriodError, parse_financial_year
from perfreport.core.project import Project, normalise_heading
from perfreport.inputs.cells import (
    Number,
    clean_text,
    data_period_of,
    maybe_fraction,
    parse_rag,
    read_number,
    show,
)
from perfreport.inputs.grid_table import Grid, TableReader, find_headings
from perfreport.xlsx.sheets import column_letter, read_csv_table
from perfreport.xlsx.workbook import SheetCell

# The headings each column may have (compared ignoring case, spaces and punctuation).
COLUMNS: Mapping[str, tuple[str, ...]] = {
    "ref": ("ref", "indicatorref", "kpiref", "reference"),
    "period": ("period", "quarter", "year", "financialyear", "reportingperiod"),
    "data_period": ("periodofdata", "dataperiod", "datafor", "figurefor"),
    "value": ("value", "figure", "actual", "result", "outturn"),
    "target": ("target",),
    "rag": ("rag", "publishedrag", "ragaspublished", "ragrating", "rating"),
    "commentary": ("commentary", "comment", "comments", "narrative"),
}
REQUIRED = ("ref", "period", "value")
SHEET_NAMES = ("history", "past figures", "pastfigures")


@dataclass(frozen=True)
class PastFigure:
    """One row of the file: an indicator's figure in the quarter it was reported in."""

    ref: str
    period: Period  # the quarter the figure was reported in (an annual one: its due quarter)
    value: float | None  # None: no figure that quarter
    target: float | None  # as published; None to use the catalogue's
    rag: RAG | None  # as published; None to rate it with the catalogue's rule
    commentary: str
    source: CellRef  # the Value cell
    rag_cell: str  # where the RAG is (or would be), for findings about it
    # The earlier period the figure is for (the Period of data column: last year's outturn
    # reported in Q1, a figure in arrears); None: the period it was reported in.
    data_period: Period | None = None


@dataclass(frozen=True)
class HistoryFile:
    """What a file of past figures holds, and every finding on the way (sorted by cell)."""

    display: str
    sheet: str | None
    figures: tuple[PastFigure, ...]
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")


def read_history_file(
    project: Project, catalogue: Catalogue, path: Path, *, today: dt.date | None = None
) -> HistoryFile:
    """Read ``path`` (.xlsx or .csv): one row per indicator and period. Never raises for a bad
    file: its problems are findings. ``today`` (default: the real date) ends the past."""
    display = project.display(Path(path)) if _inside(project, path) else Path(path).name
    grid, sheet, found = read_grid(project, Path(path), display)
    if grid is None:
        return HistoryFile(display, sheet, (), tuple(found))
    reader = _Reader(catalogue, display, sheet, today or dt.date.today())
    reader.findings.extend(found)
    figures = reader.read(grid)
    return HistoryFile(display, sheet, tuple(figures), sort_findings(reader.findings))


def _inside(project: Project, path: Path) -> bool:
    try:
        Path(path).resolve().relative_to(project.root.resolve())
    except ValueError:
        return False
    return True


def read_grid(
    project: Project, path: Path, display: str, sheet_names: tuple[str, ...] = SHEET_NAMES
) -> tuple[Grid | None, str | None, list]:
    """The file's cells by row: a CSV's as text, a workbook's sheet named one of
    ``sheet_names`` (else its first) as stored. Also reads benchmarks.csv/xlsx."""
    if path.suffix.lower() == ".csv":
        try:
            table = read_csv_table(path.read_bytes())
        except OSError as exc:
            problem = finding(
                "unreadable-file",
                file=display,
                value=exc.strerror or type(exc).__name__,
                problem="cannot be opened",
                advice=ADVICE_CLOSE_AND_RETRY,
            )
            return None, None, [problem]
        grid = [
            (
                row.number,
                {n: SheetCell(c.value, "s") for n, c in enumerate(row.cells, 1) if c.value},
            )
            for row in table.rows
        ]
        return grid, None, []
    from perfreport.xlsx.workbook import open_workbook, read_sheet

    workbook, found = open_workbook(path, display, project.limits)
    if workbook is None:
        return None, None, found
    try:
        names = [sheet.title for sheet in workbook.worksheets]
        wanted = {normalise_heading(n) for n in sheet_names}
        title = next((n for n in names if normalise_heading(n) in wanted), names[0])
        sheet, problems = read_sheet(workbook, title, display, project.limits)
    finally:
        workbook.close()
    if sheet is None:
        return None, title, [*found, *problems]
    rows: dict[int, dict[int, SheetCell]] = {}
    for (row, column), cell in sorted(sheet.cells.items()):
        rows.setdefault(row, {})[column] = cell
    return sorted(rows.items()), title, [*found, *problems]


class _Reader(TableReader):
    """Turns the rows under the headings into PastFigures, collecting findings."""

    def __init__(self, catalogue: Catalogue, display: str, sheet: str | None, today: dt.date):
        super().__init__(display, sheet)
        self.catalogue = catalogue
        self.today = today

    def read(self, grid: Grid) -> list[PastFigure]:
        heading_at, columns = find_headings(grid, COLUMNS)
        missing = [name for name in REQUIRED if name not in columns]
        if heading_at is None or missing:
            self.add("history-missing-column", column=(missing or ["Ref"])[0].capitalize())
            return []
        figures: list[PastFigure] = []
        seen: dict[tuple[str, Period], int] = {}
        for number, cells in grid[heading_at + 1 :]:
            if not any(clean_text(c.value)[0] for c in cells.values()):
                continue
            figure = self._row(number, cells, columns)
            if figure is None:
                continue
            key = (figure.ref, figure.period)
            if key in seen:
                at = f"{column_letter(columns['ref'] - 1)}{number}"
                self.add(
                    "history-duplicate",
                    at,
                    ref=figure.ref,
                    period=figure.period.label,
                    row=seen[key],
                )
                continue
            seen[key] = number
            figures.append(figure)
        if not figures and not self.findings:
            self.add("history-empty")
        return figures

    def _row(self, number: int, cells: dict[int, SheetCell], columns: dict[str, int]):
        def at(name: str) -> str:
            return f"{column_letter(columns.get(name, 1) - 1)}{number}"

        def cell(name: str) -> SheetCell | None:
            column = columns.get(name)
            return cells.get(column) if column is not None else None

        text = clean_text(cell("ref").value if cell("ref") else None)[0]
        indicator = self.catalogue.by_folded_ref.get(" ".join(text.split()).casefold())
        if indicator is None:
            self.add("history-unknown-ref", at("ref"), value=text, text=text or "(blank)")
            return None
        period = self._period(cell("period"), at("period"), indicator)
        value = self._number(cell("value"), at("value"), indicator, "value")
        target = self._number(cell("target"), at("target"), indicator, "target")
        rag = self._rag(cell("rag"), at("rag"), indicator.ref)
        if period is None or value is False or target is False or rag is False:
            return None
        data_period = self._data_period(cell("data_period"), at("data_period"), indicator, period)
        if data_period is False:
            return None
        return PastFigure(
            ref=indicator.ref,
            period=period,
            value=value,  # type: ignore[arg-type]
            target=target,  # type: ignore[arg-type]
            rag=rag,  # type: ignore[arg-type]
            commentary=clean_text(cell("commentary").value if cell("commentary") else None)[0],
            source=CellRef(self.display, self.sheet or "", at("value")),
            rag_cell=at("rag"),
            data_period=data_period,  # type: ignore[arg-type]
        )

    def _data_period(
        self, cell: SheetCell | None, at: str, indicator: Indicator, period: Period
    ) -> Period | None | bool:
        """The Period of data, as a return's (docs/returns.md): None when blank or the period
        itself, False after a finding."""
        raw = cell.value if cell is not None else None
        text = clean_text(raw)[0]
        if not text:
            return None

        def bad(problem: str) -> bool:
            self.add("history-bad-period", at, ref=indicator.ref, value=text, problem=problem,
                     advice=ADVICE_DATA_PERIOD)  # fmt: skip
            return False

        try:
            stated, year_only = data_period_of(raw)
        except PeriodError:
            return bad(f"the Period of data '{text}' is not a quarter or a financial year")
        if year_only and indicator.frequency is not Frequency.ANNUAL:
            frequency = indicator.frequency.value
            return bad(f"the Period of data {text} is a year, but {indicator.ref} is {frequency}")
        if year_only and stated.year == period.year:
            return None  # the year it was reported in
        if stated > period:
            return bad(f"the Period of data {text} is after the period, {period.label}")
        return None if stated == period else stated

    def _period(self, cell: SheetCell | None, at: str, indicator: Indicator) -> Period | None:
        raw = cell.value if cell is not None else None
        text = clean_text(raw)[0]

        def bad(problem: str, advice: str) -> None:
            self.add("history-bad-period", at, ref=indicator.ref, value=text, problem=problem,
                     advice=advice)  # fmt: skip

        period, year = None, None
        if isinstance(raw, dt.date):
            day = raw.date() if isinstance(raw, dt.datetime) else raw
            period = Period(
                day.year if day.month >= 4 else day.year - 1, (day.month - 4) % 12 // 3 + 1
            )
        else:
            try:
                period = Period.parse(text)
            except PeriodError:
                try:
                    year = parse_financial_year(raw if isinstance(raw, int | float) else text)
                except PeriodError:
                    shown = f"'{text}'" if text else "The period"
                    bad(f"{shown} is not a quarter or a financial year", ADVICE_PERIOD_FORM)
                    return None
        if year is not None:
            if indicator.frequency is not Frequency.ANNUAL:
                bad(
                    f"'{text}' is a financial year, but {indicator.ref} is reported "
                    f"{indicator.frequency.value}",
                    ADVICE_GIVE_QUARTER,
                )
                return None
            period = Period(year, indicator.due[0])
        assert period is not None
        if not indicator.is_due(period):
            bad(
                f"{indicator.ref} is due in {quarters_label(indicator.due)} only, so it has no "
                f"figure for {period.label}",
                ADVICE_DUE_QUARTER,
            )
            return None
        if period.end_date >= self.today:
            bad(f"{period.label} has not ended yet", ADVICE_ENDED)
            return None
        return period

    def _number(
        self, cell: SheetCell | None, at: str, indicator: Indicator, label: str
    ) -> float | None | bool:
        """The number, None for a blank (or n/a), False after a finding."""
        number: Number = read_number(cell)
        if number.problem == "uncalculated-formula":
            self.add("uncalculated-formula", at, ref=indicator.ref)
            return False
        if number.problem == "error-value":
            self.add("error-value", at, ref=indicator.ref, value=number.shown,
                     error=number.shown, otherwise="")  # fmt: skip
            return False
        if number.problem is not None:
            self.add("not-a-number", at, ref=indicator.ref, value=number.shown,
                     text=number.shown, otherwise=f"clear the {label} cell")  # fmt: skip
            return False
        value = number.value
        if maybe_fraction(number, indicator.is_percent, indicator.target):
            self.add(
                "ambiguous-percent",
                at,
                ref=indicator.ref,
                value=number.shown,
                text=show(value),
                doubt=f"for a percentage could mean {show(value)}% or {show(value * 100)}%",
                advice="Enter the percentage as a whole number (85 for 85%), or format the cell "
                "as a percentage.",
            )
        return value

    def _rag(self, cell: SheetCell | None, at: str, ref: str) -> RAG | None | bool:
        text = clean_text(cell.value if cell is not None else None)[0]
        if not text:
            return None
        rag = parse_rag(text)
        if rag is None:
            self.add("bad-rag", at, ref=ref, value=text, text=text)
            return False
        return rag
