"""Earlier quarters' ratings: as published (build/<period>/dataset.json), else recomputed."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from perfreport.core.codes import finding
from perfreport.core.findings import Finding
from perfreport.core.model import RAG, Catalogue, Indicator, PeriodRead
from perfreport.core.periods import Period
from perfreport.core.project import Project
from perfreport.rating.published import DATASET_FILE, Published, load_published
from perfreport.rating.rules import Rating, Status, rate

# How far back a measure that is not due looks for its latest figure, and a Red run is counted.
LOOK_BACK = 4
# The furthest quarter a rating can depend on: the same quarter last year (LOOK_BACK back) may
# carry forward a figure from up to LOOK_BACK quarters before that.
WINDOW = 2 * LOOK_BACK


class HistorySource(enum.StrEnum):
    """Where an earlier quarter's ratings came from."""

    PUBLISHED = "published"  # the dataset.json written when that quarter's paper was built
    RECOMPUTED = "recomputed"  # rated again from that quarter's returns, with that year's targets
    NONE = "none"  # neither exists


@dataclass(frozen=True)
class PeriodRatings:
    """Every indicator's rating in one quarter, in catalogue order, and where they came from."""

    period: Period
    source: HistorySource
    ratings: Mapping[str, Rating]


def history_periods(project: Project, period: Period) -> tuple[Period, ...]:
    """The quarters to read for ``period``'s history: itself, and each earlier quarter of the
    window that has a returns folder (oldest last)."""
    earlier = (period.shift(-back) for back in range(1, WINDOW + 1))
    return (period, *(p for p in earlier if project.returns_dir(p).is_dir()))


@dataclass(frozen=True, eq=False)
class History:
    """Ratings for a quarter and the quarters before it, from the reads it is given.

    The current quarter is always rated from its returns. An earlier quarter uses its published
    dataset.json when there is one, so that a later change of targets never re-rates what
    committee already saw; otherwise it is rated from its returns with the targets for its year.
    An earlier quarter missing from ``reads`` has no returns. Build one with ``History.of``.
    """

    project: Project
    current: PeriodRead
    reads: Mapping[Period, PeriodRead]  # earlier quarters' returns, as read
    published_ratings: Mapping[Period, Published]  # earlier quarters' published datasets
    # Ratings worked out so far: a memo, so each (indicator, quarter) is rated once. It never
    # changes an answer, so History is a value all the same.
    _memo: dict[tuple[str, Period], Rating | None] = field(default_factory=dict, repr=False)

    @classmethod
    def of(
        cls, project: Project, current: PeriodRead, reads: Mapping[Period, PeriodRead]
    ) -> History:
        """The history of ``current``'s quarter, from the earlier ``reads`` (see history_periods)
        and the published datasets of the window."""
        period = current.dataset.period
        if period is None:
            raise ValueError("the current read must be for a period, got loose files")
        catalogue = current.dataset.catalogue
        window = [period.shift(-back) for back in range(1, WINDOW + 1)]
        published = {p: load_published(project, catalogue, p) for p in window}
        return cls(
            project,
            current,
            MappingProxyType({p: r for p, r in reads.items() if p != period}),
            MappingProxyType(published),
        )

    @property
    def catalogue(self) -> Catalogue:
        return self.current.dataset.catalogue

    @property
    def period(self) -> Period:
        period = self.current.dataset.period
        assert period is not None  # checked by History.of
        return period

    # -- sources --------------------------------------------------------------------------------

    def read(self, period: Period) -> PeriodRead | None:
        """The period's returns as read, or None when it has no returns."""
        return self.current if period == self.period else self.reads.get(period)

    def published(self, period: Period) -> Mapping[str, Rating] | None:
        """The ratings in the period's dataset.json, or None when it has none (or it is unusable)."""
        found = self.published_ratings.get(period)
        return found.ratings if found is not None else None

    def recomputed(self, indicator: Indicator, period: Period) -> Rating | None:
        """The indicator rated from the period's returns; None when there are none."""
        key = (indicator.ref, period)
        if key not in self._memo:
            read = self.read(period)
            if read is None:
                self._memo[key] = None
            else:
                carried = None if indicator.is_due(period) else self.latest_due(indicator, period)
                observation = read.dataset.observations.get(indicator.ref)
                self._memo[key] = rate(
                    indicator, observation, period, self.catalogue, self.project.rating, carried
                )
        return self._memo[key]

    def rating(self, indicator: Indicator, period: Period) -> Rating | None:
        """The rating committee saw (or would have seen) for ``period``."""
        if period == self.period:
            return self.recomputed(indicator, period)
        published = self.published(period)
        if published is not None:
            return published.get(indicator.ref)
        return self.recomputed(indicator, period)

    def source(self, period: Period) -> HistorySource:
        if period != self.period and self.published(period) is not None:
            return HistorySource.PUBLISHED
        return HistorySource.RECOMPUTED if self.read(period) is not None else HistorySource.NONE

    # -- derived --------------------------------------------------------------------------------

    def latest_due(self, indicator: Indicator, period: Period) -> Rating | None:
        """The latest figure of a measure not due in ``period``: up to LOOK_BACK quarters back."""
        for back in range(1, LOOK_BACK + 1):
            earlier = period.shift(-back)
            if not indicator.is_due(earlier):
                continue
            found = self.rating(indicator, earlier)
            if found is not None and found.status is Status.REPORTED and found.value is not None:
                return found
        return None

    def period_ratings(self, period: Period) -> PeriodRatings:
        """Every indicator's rating in ``period``: the published rows (including measures since
        removed from the catalogue), else the catalogue's indicators recomputed."""
        source = self.source(period)
        if source is HistorySource.PUBLISHED:
            published = self.published(period)
            assert published is not None
            return PeriodRatings(period, source, published)
        ratings: dict[str, Rating] = {}
        if source is HistorySource.RECOMPUTED:
            for indicator in self.catalogue.indicators:
                rating = self.recomputed(indicator, period)
                if rating is not None:
                    ratings[indicator.ref] = rating
        return PeriodRatings(period, source, MappingProxyType(ratings))

    def red_run(self, indicator: Indicator) -> int:
        """How many figures in a row, up to this quarter's, have been Red (looking back at most
        LOOK_BACK quarters)."""
        # A figure carried forward (an annual outturn shown in later quarters) counts once: the
        # run is of Red figures, not of quarters in which the same figure was shown again.
        figures: set[Period] = set()
        for back in range(LOOK_BACK + 1):
            quarter = self.period.shift(-back)
            rating = self.rating(indicator, quarter)
            if rating is None or rating.rag is not RAG.RED:
                break
            figures.add(rating.value_period or quarter)
        return len(figures)

    def compare_published(self, period: Period) -> tuple[Finding, ...]:
        """An info finding for each indicator whose published RAG differs from its returns."""
        published = self.published(period)
        if published is None or self.read(period) is None:
            return ()
        where = self.project.display(self.project.build_dir(period) / DATASET_FILE)
        found = []
        for indicator in self.catalogue.indicators:
            shown = published.get(indicator.ref)
            again = self.recomputed(indicator, period)
            if shown is None or again is None or shown.rag is again.rag:
                continue
            before = shown.rag.word if shown.rag else "not rated"
            now = again.rag.word if again.rag else "not rated"
            found.append(
                finding(
                    "published-rating-differs",
                    file=where,
                    ref=indicator.ref,
                    value=before,
                    before=before,
                    period=period.label,
                    now=now,
                    reason=again.reason,
                    key=period.key,
                )
            )
        return tuple(found)

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Problems with the published datasets of the window (unreadable ones), newest first."""
        return tuple(f for published in self.published_ratings.values() for f in published.findings)

    def read_findings(self) -> dict[Period, tuple[Finding, ...]]:
        """The findings of every earlier period read, by period (oldest first)."""
        return {p: r.findings for p, r in sorted(self.reads.items())}
