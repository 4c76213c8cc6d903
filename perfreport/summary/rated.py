"""One indicator this quarter, beside last quarter and last year, with its figures as words."""

from __future__ import annotations

from dataclasses import dataclass

from perfreport.core.formatting import (
    NO_DATA,
    NO_TARGET,
    NOT_RATED,
    not_due_label,
    rag_fill,
)
from perfreport.core.memo import once
from perfreport.core.model import RAG, Frequency, Indicator, Priority
from perfreport.rating.rules import Direction, Rating, Status, shown_text
from perfreport.summary.benchmarks import Comparison
from perfreport.summary.counts import Category, category


@dataclass(frozen=True)
class RatedIndicator:
    """One indicator this quarter, with last quarter and the same quarter last year. Its texts
    are worked out once each (the paper, its web page, its key issues and appendices show them)."""

    indicator: Indicator
    priority: Priority
    current: Rating
    previous: Rating | None
    last_year: Rating | None
    direction_short: Direction
    direction_long: Direction
    red_run: int = 0  # figures in a row Red, up to and including this one
    # Every quarter the history looked back at was Red: the run may be longer ("5 or more").
    red_run_longer: bool = False
    worsened_twice: bool = False  # worse than last quarter, which was worse than the one before
    benchmarks: tuple[Comparison, ...] = ()  # this quarter's figure against benchmarks.csv

    @property
    def ref(self) -> str:
        return self.indicator.ref

    @property
    def rag(self) -> RAG | None:
        return self.current.rag

    @property
    def forecast_rag(self) -> RAG | None:
        """The service's forecast year-end RAG on this quarter's return (not a carried figure's)."""
        observation = self.current.observation
        if observation is None or self.current.carried:
            return None
        return observation.forecast_rag

    @property
    def previous_rag(self) -> RAG | None:
        return self.previous.rag if self.previous is not None else None

    def _figure(self, rating: Rating | None) -> str:
        if rating is None or rating.value is None:
            if rating is not None and rating.status is Status.NOT_DUE:
                return not_due_label(self.indicator.frequency, self.indicator.due)
            return NO_DATA
        indicator = self.indicator
        shown = shown_text(rating.value, indicator.unit, indicator.decimals, indicator.compact)
        return f"{shown} ({rating.value_label})" if rating.carried and rating.value_label else shown

    @once
    def value_text(self) -> str:
        """``85.2%``; ``62.0% (2023/24 outturn)`` when carried forward; ``No data``."""
        return self._figure(self.current)

    @once
    def previous_text(self) -> str:
        return self._figure(self.previous)

    @once
    def last_year_text(self) -> str:
        return self._figure(self.last_year)

    @once
    def target_text(self) -> str:
        """``85.0%``, ``No target``; a quarter's own target with the year's: ``54.5% by Q2 (year
        97.5%)`` for a year-to-date measure, ``30 for Q2 (year 100)`` for the quarter alone; an
        earlier year's figure's, with its year: ``2,600 for 2023/24``."""
        indicator, basis = self.indicator, self.current.basis
        unit, decimals, compact = indicator.unit, indicator.decimals, indicator.compact
        target = self.current.target
        shown = NO_TARGET if target is None else shown_text(target, unit, decimals, compact)
        if basis is None or not basis.own or target is None:
            # A figure of an earlier year (an outturn carried forward) was rated against that
            # year's target: named, as Appendix C names it ("2,600 for 2023/24").
            earlier = self.current.value_period
            if (
                target is not None
                and earlier is not None
                and earlier.year != self.current.period.year
            ):
                return f"{shown} for {earlier.fy_label}"
            return shown
        whole = basis.year_target
        year = NO_TARGET if whole is None else shown_text(whole, unit, decimals, compact)
        return f"{shown} {'by' if basis.cumulative else 'for'} Q{basis.quarter} (year {year})"

    @property
    def red_run_text(self) -> str:
        """How long it has been Red, as the key issues and Appendix B both say it: "3
        consecutive quarters", "5 or more consecutive quarters" (as far as the history looks
        back), "its last 2 or more annual figures" (a figure counts once however many quarters
        show it)."""
        run = f"{self.red_run} or more" if self.red_run_longer else str(self.red_run)
        frequency = self.indicator.frequency
        if frequency is Frequency.ANNUAL or frequency is Frequency.HALF_YEARLY:
            return f"its last {run} {frequency.value} figures"
        return f"{run} consecutive quarters"

    @once
    def rag_text(self) -> str:
        """Red, Amber or Green (``Amber (set by the service)`` when overridden), No data or
        Not rated: always a word, never colour alone."""
        if self.current.rag is not None:
            return self.current.rag.word + (
                " (set by the service)" if self.current.overridden else ""
            )
        return NO_DATA if category(self.current) is Category.NO_DATA else NOT_RATED

    @property
    def rag_fill(self) -> str:
        return rag_fill(self.current.rag)
