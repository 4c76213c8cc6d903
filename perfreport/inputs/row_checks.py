"""The checks on a row's figures: against the indicator's unit, target, due quarters and service."""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from typing import Protocol

from perfreport.core.codes_rows import TARGET_ADVICE_ADD, TARGET_ADVICE_CHANGE
from perfreport.core.formatting import format_value, quarters_label
from perfreport.core.model import Frequency, Indicator
from perfreport.core.periods import Period
from perfreport.core.project import ValidationSettings, normalise_heading
from perfreport.inputs.cells import (
    Number,
    at_precision,
    maybe_fraction,
    read_number,
    same_at_precision,
    show,
)
from perfreport.xlsx.workbook import SheetCell


class Rows(Protocol):
    """What the checks need of the row reader (inputs.rows.RowReader): the cells and their places."""

    period: Period | None
    service: str
    columns: Mapping[str, int]
    validation: ValidationSettings

    def cell(self, row: int, key: str) -> SheetCell | None: ...

    def where(self, row: int, key: str) -> str: ...

    def report(
        self, code: str, where: str, ref: str | None, value: object = None, **fields: object
    ) -> None: ...


class FigureChecks:
    """Each check reports what it finds through the row reader, which knows the cells' places."""

    def __init__(self, rows: Rows):
        # A proxy: the row reader holds its checks, and a reference back would make a cycle, so
        # that each return's cells waited for the cyclic collector instead of being freed as
        # the read ends (a fifth of a reading worker's collections).
        self.rows = weakref.proxy(rows)

    def percent(
        self, row: int, indicator: Indicator, number: Number, value: float, target: float | None
    ) -> bool:
        """0.85 for a percentage: 0.85% or 85%? Only the target can tell: an error when one
        reading is plausible against it and the other is not, else a warning. True when the
        figure is refused (and so not also checked against its target).

        A figure typed or formatted as a percentage for a measure that is not one ("12%" for
        missed bins per 100,000) is read as shown, with a warning: it may be the wrong measure's.
        """
        if not indicator.is_percent and number.percent_form:
            where = self.rows.where(row, "value")
            self.rows.report(
                "ambiguous-percent",
                where,
                indicator.ref,
                number.shown,
                text=number.shown,
                doubt=f"is a percentage, but {indicator.ref} is measured in "
                f"{indicator.unit or 'number'}, not %; it is read as {show(value)}",
                advice="Check the figure and enter it without %.",
            )
            return True
        if not maybe_fraction(number, indicator.is_percent, target):
            return False
        where = self.rows.where(row, "value")
        meant = value * 100
        far = self._far_from(value, target)
        if target is not None and far and not self._far_from(meant, target):
            # One reading is plausible against the target and the other is not: a figure that
            # goes to committee as Red when the service meant Green. It must be corrected.
            # The figures as typed (0.923%, 92.3%), the target as the paper shows it (90.0%).
            shown, intended = f"{show(value)}%", f"{show(meant)}%"
            aim = format_value(target, indicator.unit, indicator.decimals)
            self.rows.report(
                "fraction-for-percent",
                where,
                indicator.ref,
                number.shown,
                text=number.shown,
                as_typed=shown,
                far=far,
                target=aim,
                meant=intended,
                meant_number=show(meant),
            )
            return True
        self.rows.report(
            "ambiguous-percent",
            where,
            indicator.ref,
            number.shown,
            text=number.shown,
            doubt=f"for a percentage could mean {show(value)}% or {show(meant)}%",
            advice="Enter the percentage as a whole number (85 for 85%), or format the cell "
            "as a percentage.",
        )
        return False  # still checked against its target as read

    def _far_from(self, value: float, target: float | None) -> str | None:
        """How ``value`` is implausibly far from ``target`` (more than the implausible factor
        times it, or less than that fraction of it), or None when it is not."""
        factor = self.rows.validation.implausible_factor
        # A zero is a real result (no incidents), not a slipped decimal point.
        if target is None or target == 0 or value == 0 or factor <= 1:
            return None
        if abs(value) > factor * abs(target):
            return f"more than {factor:g} times"
        if abs(value) < abs(target) / factor:
            return f"less than 1/{factor:g} of"
        return None

    def bounds(self, row: int, indicator: Indicator, value: float) -> None:
        if indicator.is_percent and not 0 <= value <= 100:
            self.rows.report(
                "out-of-range",
                self.rows.where(row, "value"),
                indicator.ref,
                show(value),
                figure=f"{show(value)}%",
                problem="outside 0-100%",
            )
        elif normalise_heading(indicator.unit) == "number" and value < 0:
            self.rows.report(
                "out-of-range",
                self.rows.where(row, "value"),
                indicator.ref,
                show(value),
                figure=show(value),
                problem=f"negative, but {indicator.ref} is a count",
            )

    def zero_denominator(self, row: int, ref: str) -> None:
        where = self.rows.where(row, "denominator")
        self.rows.report("zero-denominator", where, ref, "0")

    def fraction(
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
            self.zero_denominator(row, indicator.ref)
            return
        scale = 100 if indicator.is_percent else 1
        expected = numerator / denominator * scale
        if same_at_precision(value, expected, indicator.decimals):
            return
        where = self.rows.where(row, "value")
        self.rows.report(
            "numerator-denominator-mismatch",
            where,
            indicator.ref,
            show(value),
            figure=show(value),
            numerator=show(numerator),
            denominator=show(denominator),
            scale=" × 100" if scale == 100 else "",
            expected=_shown_at_precision(expected, indicator.decimals),
        )

    def plausible(self, row: int, indicator: Indicator, value: float, target: float | None) -> None:
        detail = self._far_from(value, target)
        if detail is None or target is None:
            return
        where = self.rows.where(row, "value")
        # Shown as the paper shows them (£120.0m, 85.0%), not as raw floats (120000000).
        shown, aim = (
            format_value(v, indicator.unit, indicator.decimals, compact=indicator.compact)
            for v in (value, target)
        )
        self.rows.report(
            "implausible-value",
            where,
            indicator.ref,
            show(value),
            figure=shown,
            relation=detail,
            target=aim,
        )

    def due(self, row: int, indicator: Indicator) -> None:
        if self.rows.period is None or indicator.is_due(self.rows.period):
            return
        where = self.rows.where(row, "value")
        due = " and ".join(f"Q{q}" for q in indicator.due) or "no quarter"
        self.rows.report(
            "not-due",
            where,
            indicator.ref,
            frequency=indicator.frequency.value,
            due=due,
            quarter=self.rows.period.quarter,
        )

    def data_period_due(self, row: int, indicator: Indicator, stated: Period, text: str) -> None:
        """A Period of data naming a quarter the measure is not due in: kept, with a warning (a
        slip, most likely: the due quarter before it is suggested, or an annual measure's year).
        An annual measure's Q4 names its year, as "2024/25" does."""
        annual = indicator.frequency is Frequency.ANNUAL
        if indicator.is_due(stated) or (annual and stated.quarter == 4) or not indicator.due:
            return
        if self.rows.period is None:
            return
        if annual:
            suggested = stated.fy_label
        else:
            suggested = next(
                p for b in range(1, 5) if indicator.is_due(p := stated.shift(-b))
            ).label
        self.rows.report(
            "data-period-not-due",
            self.rows.where(row, "data_period"),
            indicator.ref,
            text,
            stated=stated.label,
            frequency=indicator.frequency.value,
            due=quarters_label(indicator.due),
            suggested=suggested,
            this=self.rows.period.label,
        )

    def service(self, row: int, indicator: Indicator) -> None:
        if not self.rows.service or normalise_heading(self.rows.service) == normalise_heading(
            indicator.service
        ):
            return
        where = self.rows.where(row, "ref")
        self.rows.report(
            "wrong-service",
            where,
            indicator.ref,
            self.rows.service,
            problem=f"{indicator.ref} belongs to {indicator.service} in the catalogue, but this "
            f"return is from {self.rows.service}",
            advice=f"Move it to {indicator.service}'s return, or ask the performance team to "
            "correct the catalogue.",
        )

    def returned_target(self, row: int, indicator: Indicator, target: float | None) -> float | None:
        if "target" not in self.rows.columns:
            return None
        number = read_number(self.rows.cell(row, "target"))
        if number.blank or (number.value is None and number.problem is None):
            return None  # no target given (blank, n/a)
        if (
            number.value is not None
            and target is not None
            and same_at_precision(number.value, target, indicator.decimals)
        ):
            return number.value  # the usual case: the form shows the catalogue's target
        ours = f"the catalogue's target of {show(target)}" if target is not None else ""
        advice = ""
        if number.value is None:
            shows = {
                "uncalculated-formula": "has a formula with no saved result",
                "error-value": f"shows the error {number.shown}",
            }.get(number.problem or "", f"'{number.shown}' is not a number")
            used = f"{ours} is used" if ours else "it is ignored"
            problem = f"the target {shows}, so {used}"
        elif target is None:
            problem = (
                f"the catalogue has no target for {indicator.ref}, so the target {number.shown} "
                "is not used"
            )
            advice = TARGET_ADVICE_ADD
        else:
            period = self.rows.period
            # A quarter's own target (the Targets sheet's Q1–Q4 or a profile) is that quarter's.
            own = (
                period is not None and self.rows.catalogue.quarter_target(indicator.ref, period).own
            )
            year = (period.label if own else period.fy_label) if period else ""
            problem = (
                f"the target {show(number.value)} differs from {ours}"
                f"{' for ' + year if year else ''}"
            )
            advice = TARGET_ADVICE_CHANGE
        where = self.rows.where(row, "target")
        self.rows.report(
            "target-mismatch", where, indicator.ref, number.shown, problem=problem, advice=advice
        )
        return number.value


def _shown_at_precision(value: float, decimals: int) -> str:
    """The figure as the comparison saw it: rounded half up at display precision, like Excel."""
    rounded = at_precision(value, decimals)
    return show(value) if rounded is None else f"{rounded:f}"
