"""Reading the table rows of a return: one Observation per indicator, and the checks on each row."""

from __future__ import annotations

from collections import Counter
from typing import Any

from perfreport.core.formatting import format_value
from perfreport.core.model import RAG, Catalogue, CellRef, DataStatus, Indicator, Observation
from perfreport.core.periods import Period, PeriodError
from perfreport.core.project import normalise_heading
from perfreport.inputs.cells import (
    Number,
    at_precision,
    cell_text,
    parse_rag,
    parse_status,
    period_of,
    read_number,
    same_at_precision,
    show,
    word_count,
)
from perfreport.xlsx.workbook import SheetCell, a1

_NOT_A_NUMBER_HINT = {
    "value": "Enter a number, or set Data status to Not available.",
    "numerator": "Enter a number, or leave it blank.",
    "denominator": "Enter a number, or leave it blank.",
}


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
        self.services: Counter[str] = Counter()

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
        column = self.columns.get(key)
        return self.owner.sheet.get(row, column) if column is not None else None

    def where(self, row: int, key: str) -> str:
        return a1(row, self.columns[key])

    def report(
        self, code: str, message: str, where: str, ref: str | None, value: object = None
    ) -> None:
        self.owner.report(code, message, where, ref, value)

    def text(self, row: int, key: str, ref: str | None) -> str:
        """A text cell, cleaned; warns when control characters had to be removed."""
        text, controls = cell_text(self.cell(row, key))
        if controls:
            self.owner.control_characters(self.where(row, key), ref)
        return text

    def read_row(self, row: int) -> Observation | None:
        ref_where, value_where = self.where(row, "ref"), self.where(row, "value")
        number = read_number(self.cell(row, "value"))
        ref_text = " ".join(self.text(row, "ref", None).split())
        if not ref_text:
            if not number.blank:
                self.report(
                    "unknown-ref",
                    f"Cell {ref_where}: the ref is blank but the row has a "
                    f"value in {value_where}. Enter the indicator's ref.",
                    ref_where,
                    None,
                )
            return None  # a blank row, or a note under the table
        if number.blank and self._is_section_heading(row):
            return None
        indicator = self.lookup.get(ref_text.casefold())
        if indicator is None:
            if number.blank and not self._has_entries(row):
                return None  # a note or heading in the Ref column ("Source: Mosaic"), no figure
            self.report(
                "unknown-ref",
                f"Cell {ref_where}: '{ref_text}' is not a ref in the "
                "indicator catalogue. Check the ref, or ask the performance team to add "
                "the indicator.",
                ref_where,
                None,
                ref_text,
            )
            return None
        ref = indicator.ref
        if ref in self.seen:
            self.report(
                "duplicate-ref",
                f"Cell {ref_where}: {ref} appears again (first in "
                f"{self.seen[ref]}). Keep one row per indicator and delete the other.",
                ref_where,
                ref,
                ref_text,
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
        target = self._catalogue_target(indicator)
        value = self._value(row, indicator, number, status)
        if value is None and number.problem is None and not explicit:
            status = DataStatus.NOT_AVAILABLE
        numerator = self._count(row, "numerator", ref)
        denominator = self._count(row, "denominator", ref)
        if value is not None:
            ambiguous = self._check_percent(row, indicator, number, value, target)
            self._check_range(row, indicator, value)
            self._check_fraction(row, indicator, value, numerator, denominator)
            if not ambiguous:
                self._check_plausible(row, indicator, value, target)
            self._check_due(row, indicator)
        elif numerator is not None and denominator == 0:
            self._zero_denominator(row, ref)
        self._check_service(row, indicator)
        returned_target = self._returned_target(row, indicator, target)
        commentary = self.text(row, "commentary", ref)
        limit = self.validation.commentary_word_limit
        if word_count(commentary) > limit:
            where = self.where(row, "commentary")
            self.report(
                "commentary-too-long",
                f"Cell {where}: the commentary has "
                f"{word_count(commentary)} words; keep it to {limit} words so it fits "
                "the report.",
                where,
                ref,
                commentary,
            )
        forecast = self._rag(row, "forecast", ref)
        override = self._rag(row, "rag_override", ref)
        reason = self.text(row, "override_reason", ref)
        if override is not None and not reason:
            where = self.where(row, "rag_override")
            self.report(
                "override-without-reason",
                f"Cell {where}: a RAG override "
                f"({override.word}) needs a reason. Enter it under Override reason, or "
                "clear the override.",
                where,
                ref,
                override.word,
            )
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
            source=CellRef(self.owner.display, self.owner.sheet.title, self.where(row, "value")),
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
            self.report(
                "period-mismatch",
                f"Cell {where}: '{text}' is not a period. Write it like {self.period.label}.",
                where,
                ref,
                text,
            )
            return
        if stated != self.period:
            self.report(
                "period-mismatch",
                f"Cell {where}: the row is for {stated.label}, but the "
                f"return is for {self.period.label}. Give this quarter's figure.",
                where,
                ref,
                text,
            )

    def _status(self, row: int, ref: str) -> tuple[DataStatus, bool]:
        text = self.text(row, "status", ref)
        if not text:
            return DataStatus.FINAL, False  # blank means Final
        status = parse_status(text)
        if status is None:
            where = self.where(row, "status")
            self.report(
                "bad-data-status",
                f"Cell {where}: '{text}' is not a data status. Enter "
                "Final, Provisional, Estimated or Not available (blank means Final).",
                where,
                ref,
                text,
            )
            return DataStatus.FINAL, True
        return status, True

    def _catalogue_target(self, indicator: Indicator) -> float | None:
        if self.period is None:
            return indicator.target
        return self.catalogue.target_for(indicator.ref, self.period.year)[0]

    def _problem(self, number: Number, where: str, ref: str, role: str) -> None:
        if number.problem == "uncalculated-formula":
            message = (
                f"Cell {where} has a formula with no saved result: the workbook was made by "
                "a program and never opened in Excel. Open it in Excel, let it calculate, "
                "save, and send it again."
            )
        elif number.problem == "error-value":
            message = (
                f"Cell {where} shows the error {number.shown}. Correct the formula or type "
                "the figure"
                + (", or set Data status to Not available." if role == "value" else ".")
            )
        else:
            message = f"Cell {where}: '{number.shown}' is not a number. {_NOT_A_NUMBER_HINT[role]}"
        self.report(number.problem or "not-a-number", message, where, ref, number.shown)

    def _value(
        self, row: int, indicator: Indicator, number: Number, status: DataStatus
    ) -> float | None:
        where = self.where(row, "value")
        if number.problem:
            self._problem(number, where, indicator.ref, "value")
        elif number.blank and status is not DataStatus.NOT_AVAILABLE:
            self.report(
                "missing-value",
                f"Cell {where} is blank. Enter the figure for "
                f"{indicator.ref}, or set its Data status to Not available.",
                where,
                indicator.ref,
            )
        elif number.value is not None and status is DataStatus.NOT_AVAILABLE:
            # Rating treats "Not available" as no figure: say so rather than drop it silently.
            self.report(
                "value-not-used",
                f"Cell {where}: a figure ({number.shown}) is given but "
                "Data status is Not available, so the figure is not used. Clear the "
                "figure, or change Data status to Final, Provisional or Estimated.",
                where,
                indicator.ref,
                number.shown,
            )
        return number.value

    def _count(self, row: int, key: str, ref: str) -> float | None:
        if key not in self.columns:
            return None
        number = read_number(self.cell(row, key), percent_format_scales=False)
        where = self.where(row, key)
        if number.problem:
            self._problem(number, where, ref, key)
            return None
        if number.value is not None and number.value < 0:
            self.report(
                "out-of-range",
                f"Cell {where}: the {key} {number.shown} is negative. Check the figure.",
                where,
                ref,
                number.shown,
            )
        return number.value

    def _check_percent(
        self, row: int, indicator: Indicator, number: Number, value: float, target: float | None
    ) -> bool:
        """0.85 for a percentage: 0.85% or 85%? Only the target can hint; warn when it cannot.

        A figure typed or formatted as a percentage for a measure that is not one ("12%" for
        missed bins per 100,000) is read as shown, with a warning: it may be the wrong measure's.
        """
        if not indicator.is_percent and number.percent_form:
            where = self.where(row, "value")
            self.report(
                "ambiguous-percent",
                f"Cell {where}: {number.shown} is a percentage, but "
                f"{indicator.ref} is measured in {indicator.unit or 'number'}, not %; it "
                f"is read as {show(value)}. Check the figure and enter it without %.",
                where,
                indicator.ref,
                number.shown,
            )
            return True
        if not indicator.is_percent or number.percent_form or not 0 < abs(value) <= 1:
            return False
        if target is not None and abs(target) <= 1:
            return False  # a target this small makes a small percentage plausible
        where = self.where(row, "value")
        self.report(
            "ambiguous-percent",
            f"Cell {where}: {number.shown} for a percentage could mean "
            f"{show(value)}% or {show(value * 100)}%. Enter the percentage as a whole "
            "number (85 for 85%), or format the cell as a percentage.",
            where,
            indicator.ref,
            number.shown,
        )
        return True

    def _check_range(self, row: int, indicator: Indicator, value: float) -> None:
        where = self.where(row, "value")
        if indicator.is_percent and not 0 <= value <= 100:
            self.report(
                "out-of-range",
                f"Cell {where}: {show(value)}% is outside 0-100%. Check the figure.",
                where,
                indicator.ref,
                show(value),
            )
        elif normalise_heading(indicator.unit) == "number" and value < 0:
            self.report(
                "out-of-range",
                f"Cell {where}: {show(value)} is negative, but "
                f"{indicator.ref} is a count. Check the figure.",
                where,
                indicator.ref,
                show(value),
            )

    def _zero_denominator(self, row: int, ref: str) -> None:
        where = self.where(row, "denominator")
        self.report(
            "zero-denominator",
            f"Cell {where}: the denominator is 0, so no figure can be "
            "calculated. Correct it, or clear the numerator and denominator and set Data "
            "status to Not available.",
            where,
            ref,
            "0",
        )

    def _check_fraction(
        self,
        row: int,
        indicator: Indicator,
        value: float,
        numerator: float | None,
        denominator: float | None,
    ) -> None:
        if numerator is None or denominator is None:
            return
        if denominator == 0:
            self._zero_denominator(row, indicator.ref)
            return
        scale = 100 if indicator.is_percent else 1
        expected = numerator / denominator * scale
        if same_at_precision(value, expected, indicator.decimals):
            return
        where = self.where(row, "value")
        times = " × 100" if scale == 100 else ""
        self.report(
            "numerator-denominator-mismatch",
            f"Cell {where}: the value {show(value)} does "
            f"not match numerator / denominator ({show(numerator)} / {show(denominator)}"
            f"{times} = {_shown_at_precision(expected, indicator.decimals)}). Correct the "
            "value, the numerator or the denominator.",
            where,
            indicator.ref,
            show(value),
        )

    def _check_plausible(
        self, row: int, indicator: Indicator, value: float, target: float | None
    ) -> None:
        factor = self.validation.implausible_factor
        # A zero is a real result (no incidents), not a slipped decimal point.
        if target is None or target == 0 or value == 0 or factor <= 1:
            return
        where = self.where(row, "value")
        if abs(value) > factor * abs(target):
            detail = f"more than {factor:g} times"
        elif abs(value) < abs(target) / factor:
            detail = f"less than 1/{factor:g} of"
        else:
            return
        # Shown as the paper shows them (£120.0m, 85.0%), not as raw floats (120000000).
        shown, aim = (format_value(v, indicator.unit, indicator.decimals) for v in (value, target))
        self.report(
            "implausible-value",
            f"Cell {where}: {shown} is {detail} the target of "
            f"{aim}. Check the figure (a misplaced decimal point?).",
            where,
            indicator.ref,
            show(value),
        )

    def _check_due(self, row: int, indicator: Indicator) -> None:
        if self.period is None or indicator.is_due(self.period):
            return
        where = self.where(row, "value")
        due = " and ".join(f"Q{q}" for q in indicator.due) or "no quarter"
        self.report(
            "not-due",
            f"Cell {where}: {indicator.ref} is {indicator.frequency.value} and "
            f"due in {due}, not Q{self.period.quarter}. Check the figure is meant for this "
            "quarter.",
            where,
            indicator.ref,
        )

    def _check_service(self, row: int, indicator: Indicator) -> None:
        if not self.service or normalise_heading(self.service) == normalise_heading(
            indicator.service
        ):
            return
        where = self.where(row, "ref")
        self.report(
            "wrong-service",
            f"Cell {where}: {indicator.ref} belongs to "
            f"{indicator.service} in the catalogue, but this return is from "
            f"{self.service}. Move it to {indicator.service}'s return, or ask the "
            "performance team to correct the catalogue.",
            where,
            indicator.ref,
            self.service,
        )

    def _returned_target(
        self, row: int, indicator: Indicator, target: float | None
    ) -> float | None:
        if "target" not in self.columns:
            return None
        number = read_number(self.cell(row, "target"))
        if number.blank or (number.value is None and number.problem is None):
            return None  # no target given (blank, n/a)
        where, year = self.where(row, "target"), self.period.fy_label if self.period else ""
        ours = f"the catalogue's target of {show(target)}" if target is not None else ""
        if number.value is None:
            used = f"{ours} is used" if ours else "it is ignored"
            shows = {
                "uncalculated-formula": "has a formula with no saved result",
                "error-value": f"shows the error {number.shown}",
            }.get(number.problem or "", f"'{number.shown}' is not a number")
            self.report(
                "target-mismatch",
                f"Cell {where}: the target {shows}, so {used}.",
                where,
                indicator.ref,
                number.shown,
            )
            return None
        if target is None:
            self.report(
                "target-mismatch",
                f"Cell {where}: the catalogue has no target for "
                f"{indicator.ref}, so the target {number.shown} is not used. Tell the "
                "performance team if it should have one.",
                where,
                indicator.ref,
                number.shown,
            )
        elif not same_at_precision(number.value, target, indicator.decimals):
            self.report(
                "target-mismatch",
                f"Cell {where}: the target {show(number.value)} differs "
                f"from {ours}{' for ' + year if year else ''}. The catalogue's target is "
                "used; tell the performance team if it should change.",
                where,
                indicator.ref,
                number.shown,
            )
        return number.value

    def _rag(self, row: int, key: str, ref: str) -> RAG | None:
        text = self.text(row, key, ref)
        if not text:
            return None
        rag = parse_rag(text)
        if rag is None:
            where = self.where(row, key)
            self.report(
                "bad-rag",
                f"Cell {where}: '{text}' is not a RAG rating. Enter Red, Amber or "
                "Green, or leave it blank.",
                where,
                ref,
                text,
            )
        return rag


def _shown_at_precision(value: float, decimals: int) -> str:
    """The figure as the comparison saw it: rounded half up at display precision, like Excel."""
    rounded = at_precision(value, decimals)
    return show(value) if rounded is None else f"{rounded:f}"
