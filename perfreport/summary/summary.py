"""The quarter's summary: every indicator rated, RAG counts and their movement, and key issues."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from perfreport.core.findings import Finding, Severity
from perfreport.core.formatting import (
    NO_DATA,
    NOT_RATED,
    format_target,
    format_value,
    not_due_label,
    rag_fill,
)
from perfreport.core.model import RAG, Frequency, Indicator, Priority
from perfreport.core.periods import Period
from perfreport.core.project import Project, Tolerance
from perfreport.rating.history import History, HistorySource
from perfreport.rating.rules import Direction, Rating, Status, direction
from perfreport.summary.narrative import COLOURS, Movement, no_comparison_sentence

CATEGORIES = ("green", "amber", "red", "not_rated", "no_data")


def category(rating: Rating | None) -> str | None:
    """green, amber or red; no_data for a rated indicator without a RAG; else not_rated.

    A measure not due this quarter counts in the colour it carries forward (the RAG it had when
    its figure came in), or as no_data when there is no earlier figure.
    """
    if rating is None:
        return None
    if rating.rag is not None:
        return rating.rag.value
    return "no_data" if rating.rated else "not_rated"


@dataclass(frozen=True)
class RagCounts:
    """How many indicators are Green, Amber, Red, Not rated and No data."""

    green: int = 0
    amber: int = 0
    red: int = 0
    not_rated: int = 0
    no_data: int = 0

    @classmethod
    def tally(cls, ratings: Iterable[Rating]) -> RagCounts:
        counts = dict.fromkeys(CATEGORIES, 0)
        for rating in ratings:
            counts[category(rating) or "not_rated"] += 1
        return cls(**counts)

    @property
    def total(self) -> int:
        return self.green + self.amber + self.red + self.not_rated + self.no_data

    @property
    def rated(self) -> int:
        """Rated indicators: Green, Amber, Red and No data (a rated indicator with no figure)."""
        return self.green + self.amber + self.red + self.no_data

    @property
    def with_rag(self) -> int:
        """Indicators showing Red, Amber or Green."""
        return self.green + self.amber + self.red

    def of(self, rag: RAG) -> int:
        return getattr(self, rag.value)

    def by_rag(self) -> dict[RAG, int]:
        return {rag: self.of(rag) for rag in COLOURS}

    def to_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in CATEGORIES}


@dataclass(frozen=True)
class RatedIndicator:
    """One indicator this quarter, with last quarter and the same quarter last year."""

    indicator: Indicator
    priority: Priority
    current: Rating
    previous: Rating | None
    last_year: Rating | None
    direction_short: Direction
    direction_long: Direction
    red_run: int = 0  # quarters in a row Red, up to and including this one

    @property
    def ref(self) -> str:
        return self.indicator.ref

    @property
    def rag(self) -> RAG | None:
        return self.current.rag

    @property
    def previous_rag(self) -> RAG | None:
        return self.previous.rag if self.previous is not None else None

    def _figure(self, rating: Rating | None) -> str:
        if rating is None or rating.value is None:
            if rating is not None and rating.status is Status.NOT_DUE:
                return not_due_label(self.indicator.frequency, self.indicator.due)
            return NO_DATA
        shown = format_value(rating.value, self.indicator.unit, self.indicator.decimals)
        return f"{shown} ({rating.value_label})" if rating.carried and rating.value_label else shown

    @property
    def value_text(self) -> str:
        """``85.2%``; ``62.0% (2023/24 outturn)`` when carried forward; ``No data``."""
        return self._figure(self.current)

    @property
    def previous_text(self) -> str:
        return self._figure(self.previous)

    @property
    def last_year_text(self) -> str:
        return self._figure(self.last_year)

    @property
    def target_text(self) -> str:
        return format_target(self.current.target, self.indicator.unit, self.indicator.decimals)

    @property
    def rag_text(self) -> str:
        """Red, Amber or Green (``Amber (set by the service)`` when overridden), No data or
        Not rated: always a word, never colour alone."""
        kind = category(self.current)
        if self.current.rag is not None:
            return self.current.rag.word + (
                " (set by the service)" if self.current.overridden else ""
            )
        return NO_DATA if kind == "no_data" else NOT_RATED

    @property
    def rag_fill(self) -> str:
        return rag_fill(self.current.rag)


@dataclass(frozen=True)
class PriorityCounts:
    """One row of the RAG table: a priority's counts this quarter and last."""

    priority: Priority
    current: RagCounts
    previous: RagCounts | None

    @property
    def total(self) -> int:
        return self.current.total

    @property
    def rated(self) -> int:
        return self.current.rated


@dataclass(frozen=True)
class Transition:
    """Indicators rated in both quarters that went from one colour to another (or stayed)."""

    before: RAG
    after: RAG
    refs: tuple[str, ...]

    @property
    def key(self) -> str:
        """``amber->green`` (the export's key)."""
        return f"{self.before.value}->{self.after.value}"

    @property
    def label(self) -> str:
        return f"{self.before.word} → {self.after.word}"

    @property
    def count(self) -> int:
        return len(self.refs)


class IssueKind(enum.StrEnum):
    NEWLY_RED = "newly_red"
    STILL_RED = "still_red"
    NOW_GREEN = "now_green"

    @property
    def heading(self) -> str:
        return {
            "newly_red": "Red this quarter",
            "still_red": "Red for two or more consecutive quarters",
            "now_green": "Improved to Green",
        }[self.value]


@dataclass(frozen=True)
class KeyIssue:
    kind: IssueKind
    item: RatedIndicator
    text: str


@dataclass(frozen=True)
class PriorityIssues:
    """A priority's key issues, by kind, in catalogue order."""

    priority: Priority
    issues: tuple[KeyIssue, ...]

    def of(self, kind: IssueKind) -> tuple[KeyIssue, ...]:
        return tuple(i for i in self.issues if i.kind is kind)


@dataclass(frozen=True)
class Summary:
    """Everything the paper and the export say about a quarter, computed and display-ready."""

    council: str
    report_title: str
    period: Period
    previous_period: Period
    indicators: tuple[RatedIndicator, ...]  # priority order, then catalogue order
    counts: RagCounts
    previous_counts: RagCounts | None  # None when there is nothing for last quarter
    by_priority: tuple[PriorityCounts, ...]
    transitions: tuple[Transition, ...]  # all nine pairs, Green/Amber/Red order
    new_measures: tuple[RatedIndicator, ...]  # a RAG now, none last quarter
    dropped_measures: tuple[Rating, ...]  # a RAG last quarter, none now
    movement: Movement | None
    key_issues: tuple[PriorityIssues, ...]
    history_source: HistorySource  # where last quarter's ratings came from
    history_sources: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    findings: tuple[Finding, ...] = ()  # this quarter's, and the history's own
    earlier_findings: Mapping[str, tuple[Finding, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )

    @property
    def total(self) -> int:
        return self.counts.total

    @property
    def rated(self) -> int:
        return self.counts.rated

    @property
    def last_year_period(self) -> Period:
        return self.period.same_quarter_last_year

    @property
    def headline(self) -> str:
        """ "The 2024/25 Q2 report contains 114 indicators, of which 56 have a Red, Amber, Green
        (RAG) rating." """
        total, rated = self.total, self.rated
        things = "indicator" if total == 1 else "indicators"
        if rated == 0:
            tail = "none of which has a Red, Amber, Green (RAG) rating"
        else:
            tail = f"of which {rated} {'has' if rated == 1 else 'have'} a Red, Amber, Green (RAG) rating"
        return f"The {self.period.fy_first_label} report contains {total} {things}, {tail}."

    @property
    def narrative(self) -> str:
        if self.movement is None:
            return no_comparison_sentence(self.previous_period)
        return self.movement.sentence

    @property
    def column_labels(self) -> tuple[str, str]:
        """Headings for last quarter and this: ``Q1``, ``Q2``; across years ``Q4 2023/24``."""
        previous, current = self.previous_period, self.period
        if previous.year == current.year:
            return f"Q{previous.quarter}", f"Q{current.quarter}"
        return previous.label, current.label

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    def row(self, ref: str) -> RatedIndicator | None:
        """The indicator with this ref, if it is in this quarter's catalogue."""
        return next((r for r in self.indicators if r.ref == ref), None)

    def transition(self, before: RAG, after: RAG) -> Transition:
        return next(t for t in self.transitions if t.before is before and t.after is after)


def _priority_order(project: Project, indicators: Iterable[Indicator]) -> list[Priority]:
    known = list(project.priorities)
    keys = {p.key for p in known}
    extra = [
        Priority(key, key)
        for key in dict.fromkeys(i.priority for i in indicators)
        if key not in keys
    ]
    return known + extra


def summarise(history: History) -> Summary:
    """Rate the history's quarter and summarise it against the quarters before."""
    project, read = history.project, history.current
    period, previous = history.period, history.period.previous
    last_year = period.same_quarter_last_year
    band = project.rating.no_change_band
    earlier = history.period_ratings(previous)
    differs = history.compare_published(previous)

    order = _priority_order(
        project, [*history.catalogue.indicators, *(r.indicator for r in earlier.ratings.values())]
    )
    position = {p.key: n for n, p in enumerate(order)}
    priorities = {p.key: p for p in order}
    rows: list[RatedIndicator] = []
    for indicator in history.catalogue.indicators:
        current = history.rating(indicator, period)
        assert current is not None  # the current period is always rated
        before = earlier.ratings.get(indicator.ref)
        year_ago = history.rating(indicator, last_year)
        rows.append(
            RatedIndicator(
                indicator=indicator,
                priority=priorities[indicator.priority],
                current=current,
                previous=before,
                last_year=year_ago,
                direction_short=_direction(indicator, current, before, band),
                direction_long=_direction(indicator, current, year_ago, band),
                red_run=history.red_run(indicator) if current.rag is RAG.RED else 0,
            )
        )
    rows.sort(key=lambda r: position[r.priority.key])  # stable: catalogue order within

    has_previous = earlier.source is not HistorySource.NONE
    previous_ratings = list(earlier.ratings.values())
    by_priority = tuple(
        PriorityCounts(
            p,
            RagCounts.tally(r.current for r in rows if r.priority.key == p.key),
            RagCounts.tally(r for r in previous_ratings if r.indicator.priority == p.key)
            if has_previous
            else None,
        )
        for p in order
        if any(r.priority.key == p.key for r in rows)
        or any(r.indicator.priority == p.key for r in previous_ratings)
    )
    counts = RagCounts.tally(r.current for r in rows)
    previous_counts = RagCounts.tally(previous_ratings) if has_previous else None

    rated_now = {r.ref for r in rows if r.rag is not None}
    rated_before = {ref for ref, r in earlier.ratings.items() if r.rag is not None}
    transitions = tuple(
        Transition(
            a,
            b,
            tuple(
                r.ref for r in rows if r.rag is b and r.ref in rated_before and r.previous_rag is a
            ),
        )
        for a in COLOURS
        for b in COLOURS
    )
    dropped = sorted(
        (r for ref, r in earlier.ratings.items() if ref in rated_before and ref not in rated_now),
        key=lambda r: position.get(r.indicator.priority, len(position)),
    )
    movement = (
        Movement.between(previous, period, previous_counts.by_rag(), counts.by_rag())
        if previous_counts is not None
        else None
    )

    sources = {p.key: history.source(p).value for p in sorted({previous, last_year})}
    read_findings = history.read_findings()
    return Summary(
        council=project.council,
        report_title=project.title,
        period=period,
        previous_period=previous,
        indicators=tuple(rows),
        counts=counts,
        previous_counts=previous_counts,
        by_priority=by_priority,
        transitions=transitions,
        new_measures=tuple(r for r in rows if r.rag is not None and r.ref not in rated_before),
        dropped_measures=tuple(dropped),
        movement=movement,
        key_issues=_key_issues(order, rows, previous),
        history_source=earlier.source,
        history_sources=MappingProxyType(sources),
        findings=(*read.findings, *history.findings, *differs),
        earlier_findings=MappingProxyType({p.key: f for p, f in read_findings.items()}),
    )


def _direction(
    indicator: Indicator, current: Rating, earlier: Rating | None, band: Tolerance
) -> Direction:
    if earlier is None:
        return Direction.NOT_COMPARABLE
    return direction(indicator, current.value, earlier.value, earlier.value_period, band)


def _figures(row: RatedIndicator) -> str:
    return f"{row.value_text} against a target of {row.target_text}"


def _was(rating: Rating | None, previous: Period) -> str:
    if rating is None or rating.rag is None:
        return f"it had no RAG rating in {previous.label}"
    return f"it was {rating.rag.word} in {previous.label}"


def _issue(row: RatedIndicator, previous: Period) -> KeyIssue | None:
    name = f"{row.ref} {row.indicator.title}"
    current, before = row.current, row.previous
    if current.carried and before is not None and before.value_period == current.value_period:
        return None  # the same figure as last quarter, carried forward: nothing new to report
    if row.rag is RAG.RED and row.red_run >= 2:
        run = f"{row.red_run} or more" if row.red_run > 4 else str(row.red_run)
        if row.indicator.frequency in (Frequency.ANNUAL, Frequency.HALF_YEARLY):
            what = f"its last {run} {row.indicator.frequency.value} figures"
        else:
            what = f"{run} consecutive quarters"
        return KeyIssue(
            IssueKind.STILL_RED, row, f"{name} has been Red for {what}: {_figures(row)}."
        )
    if row.rag is RAG.RED:
        return KeyIssue(
            IssueKind.NEWLY_RED,
            row,
            f"{name} is Red this quarter: {_figures(row)}; {_was(row.previous, previous)}.",
        )
    if row.rag is RAG.GREEN and row.previous_rag in (RAG.AMBER, RAG.RED):
        return KeyIssue(
            IssueKind.NOW_GREEN,
            row,
            f"{name} improved to Green: {_figures(row)}; {_was(row.previous, previous)}.",
        )
    return None


def _key_issues(
    order: Iterable[Priority], rows: Iterable[RatedIndicator], previous: Period
) -> tuple[PriorityIssues, ...]:
    issues = [issue for row in rows if (issue := _issue(row, previous)) is not None]
    kinds = list(IssueKind)
    groups = []
    for priority in order:
        mine = sorted(
            (i for i in issues if i.item.priority.key == priority.key),
            key=lambda i: kinds.index(i.kind),
        )
        if mine:
            groups.append(PriorityIssues(priority, tuple(mine)))
    return tuple(groups)
