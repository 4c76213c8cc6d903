"""Each indicator's trend: its figures over the last 8 quarters (or 5 years), and the same in words."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from perfreport.core.codes import finding
from perfreport.core.findings import Finding
from perfreport.core.formatting import plural
from perfreport.core.memo import once
from perfreport.core.model import RAG, Frequency, Indicator, Polarity
from perfreport.core.periods import Period
from perfreport.core.project import Tolerance
from perfreport.rating.history import History, HistorySource
from perfreport.rating.rules import (
    Direction,
    Rating,
    Status,
    direction,
    display_round,
    figure_period,
    shown_text,
)
from perfreport.rating.trend import MIN_POINTS, trend_direction
from perfreport.summary.counts import RagCounts

QUARTERS = 8  # the window of a measure reported every quarter (or half-year): two years
YEARS = 5  # the window of an annual measure
# Read for every trend: a member read through its class is slow in Python 3.11 (rating.rules).
_REPORTED, _NO_POLARITY, _HIGHER = Status.REPORTED, Polarity.NONE, Polarity.HIGHER
_NOT_COMPARABLE = Direction.NOT_COMPARABLE
_UNIT_WORDS = {Frequency.ANNUAL: "year", Frequency.HALF_YEARLY: "half-year"}


@dataclass(frozen=True)
class TrendPoint:
    """One due quarter of the window: its figure (None when there was none) and target."""

    period: Period
    label: str  # "Q3 2022/23"; an annual measure's "2022/23"
    value: float | None
    target: float | None
    rag: RAG | None
    current: bool  # the figure this quarter's paper shows

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": self.period.key,
            "label": self.label,
            "value": self.value,
            "target": self.target,
            "rag": self.rag.value if self.rag is not None else None,
            "current": self.current,
        }


@dataclass(frozen=True)
class Clash:
    """Two reports of one indicator that gave different figures for the same period: ``used``,
    the later (a restatement, shown wherever that period's figure is), and ``other``."""

    period: Period  # the period the figures are for (an annual measure's: its due quarter)
    used: Rating
    other: Rating


@dataclass(frozen=True)
class Trend:
    """An indicator's figures in the due quarters of its window, oldest first."""

    indicator: Indicator
    points: tuple[TrendPoint, ...]
    direction: Direction  # along the least-squares line through the figures
    # A year-to-date measure: a line through figures that climb every year says nothing, so the
    # direction compares the current figure with the same quarter last year's (docs/rating.md).
    year_to_date: bool = False
    # Two reports that gave different figures for one period of the window: the later is used.
    clashes: tuple[Clash, ...] = ()

    @once
    def figures(self) -> tuple[TrendPoint, ...]:
        """The points with a figure (asked for by the chart, its words and the paper's row)."""
        return tuple(p for p in self.points if p.value is not None)

    @property
    def drawn(self) -> bool:
        """Enough figures for a trend chart."""
        return len(self.figures) >= MIN_POINTS

    @property
    def unit_word(self) -> str:
        return _UNIT_WORDS.get(self.indicator.frequency, "quarter")

    def _show(self, value: float) -> str:
        return shown_text(value, self.indicator.unit, self.indicator.decimals, False)

    def missed(self) -> tuple[int, int]:
        """(figures worse than their target, figures with a target), at display precision."""
        indicator, missed, judged = self.indicator, 0, 0
        if indicator.polarity is _NO_POLARITY:
            return 0, 0
        higher = indicator.polarity is _HIGHER
        for point in self.figures:
            if point.target is None or point.value is None:
                continue
            judged += 1
            value = display_round(point.value, indicator.decimals)
            target = display_round(point.target, indicator.decimals)
            worse = value < target if higher else value > target
            missed += worse
        return missed, judged

    @once
    def text(self) -> str:
        """The trend in words, for alt text and the export: "Trend, Q3 2022/23 to Q2 2024/25:
        61.2% to 57.1%, worsening; target 56.0%; below target in 2 of 8 quarters". Worked out
        once: the paper, its web page and the export each say it."""
        figures = self.figures
        if not figures:
            return f"Trend: no figures in the last {plural(len(self.points), self.unit_word)}"
        first, last = figures[0], figures[-1]
        if len(figures) == 1:
            return f"Trend, {last.label}: {self._show(last.value or 0)}; one figure only"
        parts = [
            f"Trend, {first.label} to {last.label}: {self._show(first.value or 0)} to "
            f"{self._show(last.value or 0)}" + self._direction_words()
        ]
        if self.indicator.polarity is not _NO_POLARITY and self.indicator.rated:
            parts.append(
                f"target {self._show(last.target)}"
                if last.target is not None
                else f"no target for {last.label}"
            )
            missed, judged = self.missed()
            if judged:
                side = "below" if self.indicator.polarity is _HIGHER else "above"
                parts.append(
                    f"{side} target in {missed} of {plural(judged, self.unit_word)}"
                    if missed
                    else f"on target or better in {'all ' if judged > 1 else ''}"
                    f"{plural(judged, self.unit_word)}"
                )
        # From the first figure on (found by identity: a point's == compares all its fields).
        start = next(n for n, p in enumerate(self.points) if p is first)
        gaps = [p.label for p in self.points[start:] if p.value is None]
        if gaps:
            parts.append(f"no figure for {', '.join(gaps)}")
        return "; ".join(parts)

    def _direction_words(self) -> str:
        if self.year_to_date and self.direction is not _NOT_COMPARABLE:
            return f" (year to date), {self.direction.word.lower()} on the same quarter last year"
        if self.direction is not _NOT_COMPARABLE:
            return f", {self.direction.word.lower()}"
        since = self.indicator.comparable_from
        return f" (not comparable before {since.label})" if since is not None else ""

    def restated(self, rating: Rating | None) -> Rating | None:
        """``rating`` with the figure used for its period: when a later report gave a different
        figure for that period (a restatement, a ``figure-restated`` warning), the later one,
        so that the paper shows one figure per period (docs/rating.md, section 7). Its RAG is
        the one it had, as committee saw it."""
        if not self.clashes or rating is None or rating.value_period is None:
            return rating
        at = figure_period(self.indicator, rating.value_period)
        for clash in self.clashes:
            if clash.period == at and clash.used.value != rating.value:
                return replace(rating, value=clash.used.value)
        return rating

    def to_dict(self) -> dict[str, Any]:
        """The trend as the data export carries it: the words, the direction and each point."""
        return {
            "text": self.text,
            "direction": self.direction.value,
            "points": [p.to_dict() for p in self.points],
        }


def window(indicator: Indicator, period: Period) -> tuple[Period, ...]:
    """The due quarters of the trend window ending at ``period``, oldest first."""
    return _window(indicator.frequency, indicator.due, period)


@functools.lru_cache(maxsize=256)
def _window(frequency: Frequency, due: tuple[int, ...], period: Period) -> tuple[Period, ...]:
    # The same for every measure of one frequency and due quarters: worked out once each.
    if frequency is Frequency.ANNUAL:
        found: list[Period] = []
        quarter = period
        while len(found) < YEARS and quarter.year >= period.year - YEARS:
            if quarter.quarter in due:
                found.append(quarter)
            quarter = quarter.previous
        return tuple(reversed(found))
    quarters = (period.shift(-back) for back in range(QUARTERS - 1, -1, -1))
    return tuple(q for q in quarters if q.quarter in due)


@dataclass(frozen=True)
class _Plan:
    """What trend_of looks at for a window: the same for every measure with that window."""

    quarters: tuple[Period, ...]  # the window, oldest first
    labels: tuple[str, ...]  # each quarter's label
    shown: tuple[bool, ...]  # which quarter is the figure shown (the window's end, if due)
    places: dict[tuple[int, int], int]  # (year, quarter) -> where in the window
    scan: tuple[Period, ...]  # the quarters whose ratings are read, oldest first


@functools.lru_cache(maxsize=256)
def _plan(frequency: Frequency, due: tuple[int, ...], end: int, now: int, shown: bool) -> _Plan:
    """The plan of a window ending at the quarter numbered ``end`` (Period.index), ``shown``:
    whether its end is the figure shown (else the window ends at this quarter, numbered ``now``,
    which has no figure). Keyed by numbers: a Period's hash is a Python call (11,400 at 100x)."""
    end_period = Period.from_index(end)
    quarters = _window(frequency, due, end_period)
    annual = frequency is Frequency.ANNUAL
    # Every due quarter from the window's first to this one, and this one: a figure may be
    # reported after its period (sent in arrears, or an outturn given the year after), and a
    # later report of a figure is the one used (a restatement). A figure is reported only in a
    # quarter the measure is due in (in others it is carried forward). Nothing older is looked at.
    first = min(quarters[0].index, now) if quarters else now
    scan = (Period.from_index(i) for i in range(first, now + 1))
    return _Plan(
        quarters=quarters,
        labels=tuple(q.fy_label if annual else q.label for q in quarters),
        shown=tuple(shown and q == end_period for q in quarters),
        places={(q.year, q.quarter): at for at, q in enumerate(quarters)},
        scan=tuple(q for q in scan if q.quarter in due or q.index == now),
    )


def trend_of(history: History, indicator: Indicator, band: Tolerance, points: int = 8) -> Trend:
    """``indicator``'s trend up to the figure this quarter's paper shows, each figure placed in
    the period it is for (a figure returned in arrears belongs to the quarter before) and taken
    as committee saw it (published, imported, or rated from the returns). The direction is taken
    along the least-squares line through the last ``points`` figures."""
    current = history.rating(indicator, history.period)
    shown = current is not None and current.value is not None and current.value_period is not None
    end = current.value_period if shown and current is not None else None
    annual = indicator.frequency is Frequency.ANNUAL
    if annual and end is not None:
        end = figure_period(indicator, end)
    now = history.period
    plan = _plan(indicator.frequency, indicator.due, (end or now).index, now.index, end is not None)
    places = plan.places
    figures: list[Rating | None] = [None] * len(plan.quarters)
    others: dict[int, list[Rating]] = {}  # the earlier reports a later one replaced, by place
    for quarter in history.rated_in(plan.scan):
        rating = history.rating(indicator, quarter)
        if rating is None or rating.status is not _REPORTED or rating.value is None:
            continue
        belongs = rating.value_period or rating.period
        if annual:  # an annual figure is for its year, however its period was given
            belongs = figure_period(indicator, belongs)
        at = places.get((belongs.year, belongs.quarter))
        if at is not None:
            before = figures[at]
            if before is not None and before.value != rating.value:
                others.setdefault(at, []).append(before)
            figures[at] = rating
    clashes = tuple(
        Clash(plan.quarters[at], used, other)
        for at, replaced in sorted(others.items())
        if (used := figures[at]) is not None
        for other in replaced
        if _differ(indicator, used, other)
    )
    found: list[TrendPoint] = []
    targets = indicator.polarity is not _NO_POLARITY and indicator.rated
    quarter_target, ref = history.catalogue.quarter_target, indicator.ref
    for quarter, label, is_end, rating in zip(
        plan.quarters, plan.labels, plan.shown, figures, strict=True
    ):
        # by position: keywords cost a third more (87,000 points at 100x)
        if rating is None:  # no figure: the quarter's target all the same, to draw its line
            target = quarter_target(ref, quarter).target if targets else None
            found.append(_no_figure(quarter, label, target, is_end))
            continue
        target = rating.target
        if target is None and targets:
            target = quarter_target(ref, quarter).target
        found.append(TrendPoint(quarter, label, rating.value, target, rating.rag, is_end))
    if current is not None and current.cumulative and end is not None:
        last_year = end.same_quarter_last_year
        at = places.get((last_year.year, last_year.quarter))
        before = figures[at] if at is not None else None
        then = before.value if before is not None else None
        year_on_year = direction(indicator, current.value, then, last_year, band)
        return Trend(indicator, tuple(found), year_on_year, year_to_date=True, clashes=clashes)
    series = [(p.period, p.value) for p in found if p.value is not None][-points:]
    return Trend(indicator, tuple(found), trend_direction(indicator, series, band), clashes=clashes)


def _differ(indicator: Indicator, one: Rating, other: Rating) -> bool:
    """Two figures that the paper would show differently (one of them is no restatement)."""
    if one.value is None or other.value is None:
        return False
    return display_round(one.value, indicator.decimals) != display_round(
        other.value, indicator.decimals
    )


def restated_findings(history: History, trends: Iterable[Trend]) -> tuple[Finding, ...]:
    """A ``figure-restated`` warning for each period of a trend that two reports gave different
    figures for: at the figure used (the later), naming the other and where each came from."""
    found = []
    for trend in trends:
        indicator = trend.indicator
        for clash in trend.clashes:
            used, other = clash.used, clash.other
            source = used.observation.source if used.observation is not None else None
            shown = trend._show(used.value or 0)
            found.append(
                finding(
                    "figure-restated",
                    file=source.file if source is not None else None,
                    sheet=(source.sheet or None) if source is not None else None,
                    cell=source.cell if source is not None else None,
                    ref=indicator.ref,
                    value=shown,
                    period=_period_words(indicator, clash.period),
                    used=shown,
                    used_from=_reported_in(history, used),
                    other=trend._show(other.value or 0),
                    other_from=_reported_in(history, other),
                )
            )
    return tuple(found)


def _period_words(indicator: Indicator, period: Period) -> str:
    return period.fy_label if indicator.frequency is Frequency.ANNUAL else period.label


def _reported_in(history: History, rating: Rating) -> str:
    """Where a figure came from: its cell, and the quarter that reported it (imported or
    published when it was): "returns/…xlsx, sheet Return, cell E24 (Q1 2024/25)"."""
    quarter = rating.period
    kind = history.source(quarter) if quarter != history.period else HistorySource.RECOMPUTED
    how = {HistorySource.IMPORTED: ", imported", HistorySource.PUBLISHED: ", as published"}
    when = f"{quarter.label}{how.get(kind, '')}"
    source = rating.observation.source if rating.observation is not None else None
    if source is None:
        if kind is HistorySource.IMPORTED:
            return f"{history.imported_from(quarter)} ({when})"
        return f"the figures of {when}"
    where = ", ".join(
        part
        for part in (source.file, f"sheet {source.sheet}" if source.sheet else "",
                     f"cell {source.cell}" if source.cell else "")
        if part
    )  # fmt: skip
    return f"{where} ({when})"


# The points without a figure made so far, by (label, quarter, target, current): see _no_figure.
_EMPTY: dict[tuple[str, int, float | None, bool], TrendPoint] = {}
_EMPTY_KEPT = 1 << 15  # about two 100x summaries' worth; then it starts again


def _no_figure(quarter: Period, label: str, target: float | None, current: bool) -> TrendPoint:
    """The point of a quarter without a figure, shared by the measures with the same target
    there (a frozen value: sharing it changes nothing). Most measures of a window share its
    quarters, and many their targets: at 100x, 55,800 such points held 14,500 distinct ones.
    No target, or a float target other than zero, is shared: 0.0 and -0.0 (or 5 and 5.0) are
    equal keys but written apart."""
    if target is not None and (type(target) is not float or not target):
        return TrendPoint(quarter, label, None, target, None, current)
    # The label names the year (and an annual measure's quarter is its due quarter): with the
    # quarter number it names the period, without a Period's hash (a Python call).
    key = (label, quarter.quarter, target, current)
    point = _EMPTY.get(key)
    if point is None:
        if len(_EMPTY) >= _EMPTY_KEPT:
            _EMPTY.clear()
        point = _EMPTY[key] = TrendPoint(quarter, label, None, target, None, current)
    return point


@dataclass(frozen=True)
class QuarterCounts:
    """One quarter's RAG counts, for the chart of Red, Amber and Green over the last 8 quarters."""

    period: Period
    counts: RagCounts
    source: HistorySource
    imported_from: str = ""  # the file an imported quarter's figures came from

    def to_dict(self) -> dict[str, Any]:
        return {
            "period": self.period.key,
            "label": self.period.label,
            "source": self.source.value,
            **({"imported_from": self.imported_from} if self.imported_from else {}),
            "counts": self.counts.to_dict(),
        }


def counts_over_time(
    history: History, current: RagCounts, quarters: int = QUARTERS
) -> tuple[QuarterCounts, ...]:
    """The RAG counts of each of the last ``quarters`` quarters that has ratings, oldest first:
    as published or imported, else rated from its returns; this quarter's are ``current``."""
    found = []
    for back in range(quarters - 1, 0, -1):
        ratings = history.period_ratings(history.period.shift(-back))
        if ratings.source is not HistorySource.NONE and ratings.ratings:
            found.append(
                QuarterCounts(
                    ratings.period,
                    RagCounts.tally(ratings.ratings.values()),
                    ratings.source,
                    history.imported_from(ratings.period),
                )
            )
    found.append(QuarterCounts(history.period, current, HistorySource.RECOMPUTED))
    return tuple(found)
