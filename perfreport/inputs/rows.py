"""Reading the table rows of a return: one Observation per indicator, with its cells checked."""

from __future__ import annotations

from collections import Counter
from typing import Any

from perfreport.core.codes_rows import (
    ADVICE_CHECK_REF,
    ADVICE_CLEAR_VALUE,
    ADVICE_ENTER_REF,
    ADVICE_NOT_AVAILABLE,
    ADVICE_ONE_ROW,
    ADVICE_THIS_QUARTER,
    TOO_LARGE,
)
from perfreport.core.model import (
    RAG,
    Catalogue,
    CellRef,
    DataStatus,
    Frequency,
    Indicator,
    Observation,
)
from perfreport.core.periods import Period, PeriodError
from perfreport.inputs.cells import (
    Number,
    cell_text,
    clean_text,
    closest,
    data_period_of,
    parse_rag,
    parse_status,
    period_of,
    read_number,
    word_count,
)
from perfreport.inputs.row_checks import FigureChecks
from perfreport.xlsx.workbook import SheetCell, a1

_NO_FIGURE = "set Data status to Not available"  # what to do instead of giving a value
# A Period of data further back than this is taken for a typing slip (2014/15 for 2024/25).
_OLDEST_DATA = 8  # quarters before the return's period


class RowReader:
    """Reads every row under the header; ``owner`` is the sheet reader that collects findings."""

    def __init__(
        self, owner: Any, columns: dict[str, int], header: int, period: Period | None, service: str
    ):
        self.owner, self.columns, self.header = owner, columns, header
        self.period, self.service = period, service
        self.catalogue: Catalogue = owner.catalogue
        self.validation = owner.validation
        self.lookup = self.catalogue.by_folded_ref
        self.seen: dict[str, str] = {}
        self.cells = owner.sheet.cells  # by (row, column): no cell is at (row, None)
        self.services: Counter[str] = Counter()
        self.checks = FigureChecks(self)

    def read_all(self) -> tuple[Observation, ...]:
        rows = sorted(row for row in self.owner.by_row if row > self.header)
        return tuple(obs for obs in map(self.read_row, rows) if obs is not None)

    def main_service(self) -> str | None:
        """The catalogue service most of the rows belong to (ties: catalogue order)."""
        if not self.services:
            return None
        best = max(self.services.values())
        return next(s for s in self.catalogue.services if self.services[s] == best)

    def cell(self, row: int, key: str) -> SheetCell | None:
        return self.cells.get((row, self.columns.get(key)))

    def where(self, row: int, key: str) -> str:
        return a1(row, self.columns[key])

    def report(
        self, code: str, where: str, ref: str | None, value: object = None, **fields: object
    ) -> None:
        self.owner.report(code, where, ref, value, **fields)

    def text(self, row: int, key: str, ref: str | None) -> str:
        """A text cell, cleaned; warns when control characters had to be removed."""
        cell = self.cells.get((row, self.columns.get(key)))  # self.cell's, seven times a row
        text, controls = clean_text(cell.value if cell is not None else None)
        if controls:
            self.owner.control_characters(self.where(row, key), ref)
        return text

    def read_row(self, row: int) -> Observation | None:
        ref_where = self.where(row, "ref")
        number = read_number(self.cell(row, "value"))
        ref_text = " ".join(self.text(row, "ref", None).split())
        if not ref_text:
            if not number.blank:
                self.report(
                    "unknown-ref",
                    ref_where,
                    None,
                    problem=f"the ref is blank but the row has a value in {self.where(row, 'value')}",
                    advice=ADVICE_ENTER_REF,
                )
            return None  # a blank row, or a note under the table
        if number.blank and self._is_section_heading(row):
            return None
        indicator = self.lookup.get(ref_text.casefold())
        if indicator is None:
            if number.blank and not self._has_entries(row):
                return None  # a note or heading in the Ref column ("Source: Mosaic"), no figure
            near = closest(ref_text, (i.ref for i in self.catalogue.indicators), cutoff=1)
            self.report(
                "unknown-ref",
                ref_where,
                None,
                ref_text,
                problem=f"'{ref_text}' is not a ref in the indicator catalogue"
                + (f" (did you mean {near}?)" if near else ""),
                advice=ADVICE_CHECK_REF,
            )
            return None
        ref = indicator.ref
        if ref in self.seen:
            self.report(
                "duplicate-ref",
                ref_where,
                ref,
                ref_text,
                at=f"Cell {ref_where}: ",
                problem=f"appears again (first in {self.seen[ref]})",
                advice=ADVICE_ONE_ROW,
            )
            return None
        self.seen[ref] = ref_where
        self.services[indicator.service] += 1
        return self._observation(row, indicator, number)

    def _has_entries(self, row: int) -> bool:
        """Anything in the columns that make a row a figure: value, target, status, RAG..."""
        keys = ("target", "numerator", "denominator", "status", "forecast", "rag_override")
        return any(cell_text(self.cell(row, key))[0] for key in keys)

    def _is_section_heading(self, row: int) -> bool:
        """A title row inside the table, merged across several columns (e.g. a priority's name)."""
        area = self.owner.sheet.merge_containing(row, self.columns["ref"])
        return area is not None and area[3] > area[1]

    def _observation(self, row: int, indicator: Indicator, number: Number) -> Observation:
        ref = indicator.ref
        self._check_period(row, ref)
        status, explicit = self._status(row, ref)
        data_period = self._data_period(row, indicator, status)
        target = self._catalogue_target(indicator, data_period)
        value_where = self.where(row, "value")  # the observation's source, and its findings'
        value = self._value(row, value_where, indicator, number, status)
        if value is None and number.problem is None and not explicit:
            status = DataStatus.NOT_AVAILABLE
        numerator = self._count(row, "numerator", ref)
        denominator = self._count(row, "denominator", ref)
        if value is not None:
            checks = self.checks
            ambiguous = checks.percent(row, indicator, number, value, target)
            checks.bounds(row, indicator, value)
            checks.fraction(row, indicator, value, numerator, denominator)
            if not ambiguous:
                checks.plausible(row, indicator, value, target)
            checks.due(row, indicator)
        elif numerator is not None and denominator == 0:
            self.checks.zero_denominator(row, ref)
        self.checks.service(row, indicator)
        # The Target column of a form shows the return period's target, also beside a figure
        # for an earlier period: compare it with that one, not with the target rated against.
        shown_target = self._catalogue_target(indicator, None) if data_period else target
        returned_target = self.checks.returned_target(row, indicator, shown_target)
        commentary = self.text(row, "commentary", ref)
        limit = self.validation.commentary_word_limit
        if len(commentary) > 2 * limit and word_count(commentary) > limit:  # n words: 2n-1 chars
            where = self.where(row, "commentary")
            self.report(
                "commentary-too-long",
                where,
                ref,
                commentary,
                words=word_count(commentary),
                limit=limit,
            )
        forecast = self._rag(row, "forecast", ref)
        override = self._rag(row, "rag_override", ref)
        reason = self.text(row, "override_reason", ref)
        if override is not None and not reason:
            where = self.where(row, "rag_override")
            self.report("override-without-reason", where, ref, override.word, rag=override.word)
        return Observation(
            ref=ref,
            value=value,
            data_status=status,
            numerator=numerator,
            denominator=denominator,
            target=returned_target,
            commentary=commentary,
            actions=self.text(row, "actions", ref),
            forecast_rag=forecast,
            rag_override=override,
            override_reason=reason,
            source=CellRef(self.owner.display, self.owner.sheet.title, value_where),
            data_period=data_period,
            actions_cell=self.where(row, "actions") if "actions" in self.columns else None,
        )

    def _check_period(self, row: int, ref: str) -> None:
        cell = self.cell(row, "period")
        text, _ = cell_text(cell)
        if not text or self.period is None:
            return
        where = self.where(row, "period")
        try:
            stated = period_of(cell.value if cell is not None else text)
        except PeriodError:
            problem = f"'{text}' is not a period"
            advice = f"Write it like {self.period.label}."
        else:
            if stated == self.period:
                return
            problem = f"the row is for {stated.label}, but the return is for {self.period.label}"
            advice = ADVICE_THIS_QUARTER
        self.report("period-mismatch", where, ref, text, problem=problem, advice=advice)

    def _status(self, row: int, ref: str) -> tuple[DataStatus, bool]:
        text = self.text(row, "status", ref)
        if not text:
            return DataStatus.FINAL, False  # blank means Final
        status = parse_status(text)
        if status is None:
            where = self.where(row, "status")
            self.report("bad-data-status", where, ref, text, text=text)
            return DataStatus.FINAL, True
        return status, True

    def _catalogue_target(self, indicator: Indicator, data_period: Period | None) -> float | None:
        period = data_period or self.period
        if period is None:
            return indicator.target
        return self.catalogue.quarter_target(indicator.ref, period).target

    def _data_period(self, row: int, indicator: Indicator, status: DataStatus) -> Period | None:
        """The period the figure is for when it is not the return's: the Period of data, else the
        indicator's previous due period for Data status In arrears. None: the return's period."""
        if self.period is None:
            return None  # a loose file: no period for a figure to be behind
        cell = self.cell(row, "data_period")
        text, _ = cell_text(cell)
        arrears = status is DataStatus.IN_ARREARS
        if not text:
            return previous_due(indicator, self.period) if arrears else None
        blank = f"leave it blank if the figure is for {self.period.label}"
        try:
            stated, year_only = data_period_of(cell.value if cell is not None else text)
        except PeriodError:
            annual = indicator.frequency is Frequency.ANNUAL
            earlier = self.period.same_quarter_last_year if annual else self.period.previous
            example = earlier.fy_label if annual else earlier.label
            problem = f"the Period of data '{text}' is not a period"
            advice = f"Write the period the figure is for, like {example}, or {blank}."
        else:
            if year_only and stated.year == self.period.year:
                stated = self.period  # an annual figure for this year, given as the year
            problem, advice = self._data_period_problem(indicator, stated, year_only, arrears)
            if not problem:
                if stated != self.period and not year_only:  # a year names no quarter
                    self.checks.data_period_due(row, indicator, stated, text)
                return None if stated == self.period else stated
            if not advice.endswith("."):
                advice = f"{advice}, or {blank}."
        where = self.where(row, "data_period")
        self.report("bad-data-period", where, indicator.ref, text, problem=problem, advice=advice)
        return None

    def _data_period_problem(
        self, indicator: Indicator, stated: Period, year_only: bool, arrears: bool
    ) -> tuple[str, str]:
        """What is wrong with a Period of data, and what to type instead; ("", "") when fine."""
        assert self.period is not None
        this = self.period.label
        shown = stated.fy_label if year_only else stated.label
        if year_only and indicator.frequency is not Frequency.ANNUAL:
            frequency = indicator.frequency.value
            return (
                f"the Period of data {shown} is a year, but {indicator.ref} is {frequency}",
                f"Write the quarter the figure is for, like {stated.label}",
            )
        if stated > self.period:
            return (
                f"the Period of data {shown} is after this return's period, {this}",
                "Write the earlier period the figure is for",
            )
        if self.period.index - stated.index > _OLDEST_DATA:
            return (
                f"the Period of data {shown} is more than two years before {this}",
                "Check the year",
            )
        if stated == self.period and arrears:
            return (
                f"the Data status is In arrears, but the Period of data is {this}",
                "Write the earlier period the figure is for, or change the Data status.",
            )
        return "", ""

    def _problem(self, number: Number, where: str, ref: str, role: str) -> None:
        """A value, numerator or denominator that is no number: only a value can be marked
        Not available instead, so only the value's message suggests it."""
        if number.problem == "uncalculated-formula":
            self.report("uncalculated-formula", where, ref, number.shown)
        elif number.problem == "too-large":
            figure = f"the {role} {number.shown}"
            self.report("out-of-range", where, ref, number.shown, figure=figure, problem=TOO_LARGE)
        elif number.problem == "error-value":
            otherwise = f", or {_NO_FIGURE}" if role == "value" else ""
            self.report(
                "error-value", where, ref, number.shown, error=number.shown, otherwise=otherwise
            )
        else:
            otherwise = _NO_FIGURE if role == "value" else "leave it blank"
            self.report(
                "not-a-number", where, ref, number.shown, text=number.shown, otherwise=otherwise
            )

    def _value(
        self, row: int, where: str, indicator: Indicator, number: Number, status: DataStatus
    ) -> float | None:
        if number.problem:
            self._problem(number, where, indicator.ref, "value")
        elif number.blank and status is not DataStatus.NOT_AVAILABLE:
            self.report("missing-value", where, indicator.ref, but=self._stray_figure(row))
        elif not number.blank and number.value is None:
            # "n/a", "tbc" or "-": read as no figure, but never silently (the paper says No data).
            done = status is DataStatus.NOT_AVAILABLE
            self.report(
                "value-as-text",
                where,
                indicator.ref,
                number.shown,
                text=number.shown,
                advice=ADVICE_CLEAR_VALUE if done else ADVICE_NOT_AVAILABLE,
            )
        elif number.value is not None and status is DataStatus.NOT_AVAILABLE:
            # Rating treats "Not available" as no figure: say so rather than drop it silently.
            self.report("value-not-used", where, indicator.ref, number.shown, text=number.shown)
        return number.value

    def _stray_figure(self, row: int) -> str:
        """A blank Value beside a lone figure in Numerator or Denominator: the figure was
        probably typed one column off, so the message says where it is."""
        lone = []
        for key, heading in (("numerator", "Numerator"), ("denominator", "Denominator")):
            if key in self.columns:
                number = read_number(self.cell(row, key), percent_format_scales=False)
                if number.value is not None:
                    lone.append((self.where(row, key), heading, number.shown))
        if len(lone) != 1:
            return ""  # both given (a fraction to work out) or neither: nothing to point at
        where, heading, shown = lone[0]
        return f", but {where} ({heading}) holds {shown} (does it belong in Value?)"

    def _count(self, row: int, key: str, ref: str) -> float | None:
        if key not in self.columns:
            return None
        number = read_number(self.cell(row, key), percent_format_scales=False)
        if number.problem:
            self._problem(number, self.where(row, key), ref, key)
            return None
        if number.value is not None and number.value < 0:
            self.report(
                "out-of-range",
                self.where(row, key),
                ref,
                number.shown,
                figure=f"the {key} {number.shown}",
                problem="negative",
            )
        return number.value

    def _rag(self, row: int, key: str, ref: str) -> RAG | None:
        text = self.text(row, key, ref)
        if not text:
            return None
        rag = parse_rag(text)
        if rag is None:
            where = self.where(row, key)
            self.report("bad-rag", where, ref, text, text=text)
        return rag


def previous_due(indicator: Indicator, period: Period) -> Period:
    """The last period before ``period`` in which ``indicator`` was due: where a figure in
    arrears belongs (last quarter for a quarterly measure, last year's for an annual one)."""
    for back in range(1, 5):
        earlier = period.shift(-back)
        if indicator.is_due(earlier):
            return earlier
    return period.shift(-4)
