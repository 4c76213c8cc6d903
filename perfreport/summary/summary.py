"""The quarter's summary: every indicator rated, RAG counts and their movement, and key issues."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from perfreport.core.findings import Finding, Severity
from perfreport.core.formatting import plural
from perfreport.core.gcpause import paused
from perfreport.core.glossary import Glossary
from perfreport.core.model import RAG, Indicator, Priority
from perfreport.core.paper_settings import GroupBy, PaperSettings
from perfreport.core.periods import Period
from perfreport.core.project import Tolerance
from perfreport.rating.history import History, HistorySource
from perfreport.rating.rules import Direction, Rating, direction, figure_period
from perfreport.summary.benchmarks import by_ref, compare
from perfreport.summary.changes import Shift, change_notes, gained, lost
from perfreport.summary.counts import RagCounts, Transition
from perfreport.summary.exceptions import ExceptionItem, exceptions, missing_actions
from perfreport.summary.grouping import GroupCounts, Grouping, count_groups, grouping_of
from perfreport.summary.issues import GroupIssues, key_issues
from perfreport.summary.narrative import COLOURS, Movement, no_comparison_sentence
from perfreport.summary.rated import RatedIndicator
from perfreport.summary.trend import (
    QuarterCounts,
    Trend,
    counts_over_time,
    restated_findings,
    trend_of,
)

# Read for every row: a member read through its class is slow in Python 3.11 (rating.rules).
_NOT_COMPARABLE, _WORSENING, _RED = Direction.NOT_COMPARABLE, Direction.WORSENING, RAG.RED


@dataclass(frozen=True)
class Summary:
    """Everything the paper and the export say about a quarter, computed and display-ready."""

    council: str
    report_title: str
    period: Period
    previous_period: Period
    indicators: tuple[RatedIndicator, ...]  # the grouping's order, then catalogue order
    counts: RagCounts
    previous_counts: RagCounts | None  # None when there is nothing for last quarter
    grouping: Grouping  # what the paper groups by ([paper] group_by), its groups in order
    by_group: tuple[GroupCounts, ...]  # the RAG table: one row per group
    by_priority: tuple[GroupCounts, ...]  # the same by priority, whatever the paper groups by
    transitions: tuple[Transition, ...]  # all nine pairs, Green/Amber/Red order
    new_measures: tuple[RatedIndicator, ...]  # a RAG now, none last quarter
    dropped_measures: tuple[Rating, ...]  # a RAG last quarter, none now
    movement: Movement | None
    key_issues: tuple[GroupIssues, ...]
    history_source: HistorySource  # where last quarter's ratings came from
    history_sources: Mapping[str, HistorySource] = field(
        default_factory=lambda: MappingProxyType({})
    )
    # The file each imported quarter of history_sources came from, by period key.
    imported_from: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    findings: tuple[Finding, ...] = ()  # this quarter's, and the history's own
    # Those of ``findings`` made here, not by reading the quarter's returns and catalogue (which
    # validate shows): no-actions, and the earlier quarters' published or imported datasets'.
    own_findings: tuple[Finding, ...] = ()
    earlier_findings: Mapping[str, tuple[Finding, ...]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    paper: PaperSettings = PaperSettings()  # what the paper lists and how it groups
    exceptions: tuple[ExceptionItem, ...] = ()  # Appendix B's indicators, in the paper's order
    # Each indicator's figures over the last 8 quarters (5 years for annual measures), by ref.
    trends: Mapping[str, Trend] = field(default_factory=lambda: MappingProxyType({}))
    long_term: str = "year"  # [rating] long_term: what direction_long compares with
    # The RAG counts of the last 8 quarters that have ratings, oldest first, this one last.
    quarter_counts: tuple[QuarterCounts, ...] = ()
    similar_band: Tolerance | None = None  # [benchmarks] similar_band, for the paper's key
    glossary: Glossary = Glossary()  # [glossary]: the paper expands each on its first use

    @property
    def total(self) -> int:
        return self.counts.total

    @property
    def rated(self) -> int:
        return self.counts.rated

    @property
    def headline(self) -> str:
        """ "The 2024/25 Q2 report contains 114 indicators, of which 56 have a Red, Amber, Green
        (RAG) rating." """
        total, rated = self.total, self.rated
        if rated == 0:
            tail = "none of which has a Red, Amber, Green (RAG) rating"
        else:
            tail = f"of which {rated} {'has' if rated == 1 else 'have'} a Red, Amber, Green (RAG) rating"
        return f"The {self.period.fy_first_label} report contains {plural(total, 'indicator')}, {tail}."

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

    @property
    def gained(self) -> tuple[Shift, ...]:
        """The new measures, grouped by what they were last quarter: ``No data → Green``."""
        return gained(self.new_measures)

    @property
    def lost(self) -> tuple[Shift, ...]:
        """The dropped measures, grouped by what they are now: ``Green → No data``."""
        return lost(self.dropped_measures, self.indicators)

    @property
    def change_notes(self) -> str:
        """The sentence on measures that gained or lost a RAG ("" when none did)."""
        return change_notes((*self.gained, *self.lost), self.previous_period)

    def row(self, ref: str) -> RatedIndicator | None:
        """The indicator with this ref, if it is in this quarter's catalogue."""
        return next((r for r in self.indicators if r.ref == ref), None)


@paused
def summary_trends(history: History) -> dict[str, Trend]:
    """Each indicator's trend, by ref, as :func:`summarise` gives them: made first by a build,
    so that their charts are drawn while the rest of the summary is made (they depend on the
    history alone, not on this quarter's directions, groups or issues)."""
    band, points = history.project.rating.no_change_band, history.project.rating.trend_points
    return {i.ref: trend_of(history, i, band, points) for i in history.catalogue.indicators}


@paused
def summarise(history: History, trends: dict[str, Trend] | None = None) -> Summary:
    """Rate the history's quarter and summarise it against the quarters before; ``trends``:
    :func:`summary_trends` of this history, when made already."""
    if trends is None:
        trends = summary_trends(history)
    project, read = history.project, history.current
    period, previous = history.period, history.period.previous
    last_year = period.same_quarter_last_year
    band = project.rating.no_change_band
    earlier = history.period_ratings(previous)
    differs = history.compare_published(previous)

    catalogue = history.catalogue
    everyone = [*catalogue.indicators, *(r.indicator for r in earlier.ratings.values())]
    grouping = grouping_of(project, everyone, project.paper.group_by)
    by_priority_grouping = grouping_of(project, everyone, GroupBy.PRIORITY)
    priorities = {p.key: p for p in project.priorities}
    rows: list[RatedIndicator] = []
    by_trend = project.rating.long_term == "trend"
    benchmarks = by_ref(read.dataset.benchmarks)
    similar = project.benchmarks.similar_band
    for indicator in history.catalogue.indicators:
        current = history.rating(indicator, period)
        assert current is not None  # the current period is always rated
        trend = trends[indicator.ref]
        # One figure per period: a figure a later report restated is shown as restated (the
        # trend found the two, and its figure-restated warning names them).
        before = trend.restated(earlier.ratings.get(indicator.ref))
        year_ago = trend.restated(history.rating(indicator, last_year))
        # A year-to-date figure grows every quarter by construction: it is compared only with
        # the same quarter last year (docs/rating.md, section 7).
        cumulative = current.cumulative
        short = _NOT_COMPARABLE if cumulative else _direction(indicator, current, before, band)
        # Worsening two quarters running: this quarter on the last, and the last on the one before.
        worsened_twice = (
            short is _WORSENING
            and before is not None
            and _direction(
                indicator,
                before,
                trend.restated(history.rating(indicator, previous.previous)),
                band,
            )
            is _WORSENING
        )
        run, longer = history.red_run(indicator) if current.rag is _RED else (0, False)
        rows.append(
            RatedIndicator(
                indicator=indicator,
                priority=priorities.get(indicator.priority)
                or _unlisted(by_priority_grouping, indicator),
                current=current,
                previous=before,
                last_year=year_ago,
                direction_short=short,
                direction_long=trend.direction
                if by_trend and not cumulative
                else _year_direction(indicator, current, year_ago, band),
                red_run=run,
                red_run_longer=longer,
                worsened_twice=worsened_twice,
                benchmarks=compare(current, benchmarks.get(indicator.ref, ()), similar),
            )
        )
    rows.sort(key=lambda r: grouping.position(r.indicator))  # stable: catalogue order within

    has_previous = earlier.source is not HistorySource.NONE
    previous_ratings = list(earlier.ratings.values())

    def previous_key(by: Grouping) -> Callable[[Rating], str]:
        # A published dataset may not say a measure's directorate: then the catalogue's.
        def key(rating: Rating) -> str:
            found = by.key_of(rating.indicator)
            if found:
                return found
            now = catalogue.by_ref.get(rating.indicator.ref)
            return by.key_of(now) if now is not None else ""

        return key

    by_group, by_priority = (
        count_groups(by, rows, previous_ratings if has_previous else None, previous_key(by))
        for by in (grouping, by_priority_grouping)
    )
    counts = RagCounts.tally(r.current for r in rows)
    previous_counts = RagCounts.tally(previous_ratings) if has_previous else None

    rated_now = {r.ref for r in rows if r.rag is not None}
    rated_before = {ref for ref, r in earlier.ratings.items() if r.rag is not None}
    moved: dict[tuple[RAG | None, RAG | None], list[str]] = {}
    for r in rows:  # one pass, in the rows' order (not one a pair of colours)
        if r.ref in rated_before:
            moved.setdefault((r.previous_rag, r.rag), []).append(r.ref)
    transitions = tuple(
        Transition(a, b, tuple(moved.get((a, b), ()))) for a in COLOURS for b in COLOURS
    )
    dropped = sorted(
        (r for ref, r in earlier.ratings.items() if ref in rated_before and ref not in rated_now),
        key=lambda r: grouping.position(r.indicator),
    )
    movement = (
        Movement.between(previous, period, previous_counts.by_rag(), counts.by_rag())
        if previous_counts is not None
        else None
    )

    quarters = sorted({previous, last_year})
    sources = {p.key: history.source(p) for p in quarters}
    imported = {p.key: file for p in quarters if (file := history.imported_from(p))}
    read_findings = history.read_findings()
    # The published datasets' findings: last quarter's, how it differs from its returns, then
    # those of the quarters the ratings looked back to, the most recent first.
    used = history.used_findings()
    last_quarter = used.pop(previous, ())
    own = (
        *missing_actions(rows),
        *restated_findings(history, (trends[i.ref] for i in catalogue.indicators)),
        *last_quarter,
        *differs,
        *(f for found in used.values() for f in found),
    )
    return Summary(
        council=project.council,
        report_title=project.title,
        period=period,
        previous_period=previous,
        indicators=tuple(rows),
        counts=counts,
        previous_counts=previous_counts,
        grouping=grouping,
        by_group=by_group,
        by_priority=by_priority,
        transitions=transitions,
        new_measures=tuple(r for r in rows if r.rag is not None and r.ref not in rated_before),
        dropped_measures=tuple(dropped),
        movement=movement,
        key_issues=key_issues(grouping, rows, previous),
        history_source=earlier.source,
        history_sources=MappingProxyType(sources),
        imported_from=MappingProxyType(imported),
        findings=(*read.findings, *own),
        own_findings=own,
        earlier_findings=MappingProxyType({p.key: f for p, f in read_findings.items()}),
        paper=project.paper,
        exceptions=exceptions(rows, project.paper),
        trends=MappingProxyType(trends),
        long_term=project.rating.long_term,
        quarter_counts=counts_over_time(history, counts),
        similar_band=similar,
        glossary=project.glossary,
    )


def _unlisted(grouping: Grouping, indicator: Indicator) -> Priority:
    """A priority perfreport.toml does not list (a finding names it), under its own words."""
    group = grouping.of(indicator)
    return Priority(group.key, group.name)


def _year_direction(
    indicator: Indicator, current: Rating, year_ago: Rating | None, band: Tolerance
) -> Direction:
    """The long term against the same quarter last year: never a figure against another figure
    for the same period (an annual outturn the same quarter last year already showed, under
    another figure): that is no change over a year, so not comparable."""
    if (
        year_ago is not None
        and current.value_period is not None
        and year_ago.value_period is not None
        and figure_period(indicator, current.value_period)
        == figure_period(indicator, year_ago.value_period)
    ):
        return _NOT_COMPARABLE
    return _direction(indicator, current, year_ago, band)


def _direction(
    indicator: Indicator, current: Rating, earlier: Rating | None, band: Tolerance
) -> Direction:
    if earlier is None:
        return _NOT_COMPARABLE
    return direction(indicator, current.value, earlier.value, earlier.value_period, band)
