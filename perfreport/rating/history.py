"""Earlier quarters' ratings: as published (build/<period>/dataset.json), else recomputed."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from perfreport.core.codes import finding
from perfreport.core.codes_outputs import REBUILD_AFTER_DELETING, REBUILD_FINISHES_PUBLISH
from perfreport.core.filenames import command_argument
from perfreport.core.findings import Finding
from perfreport.core.model import RAG, Catalogue, Indicator, PeriodRead
from perfreport.core.periods import Period
from perfreport.core.project import Project
from perfreport.rating.published import (
    DATASET_FILE,
    Published,
    load_published,
    shown_path,
    unfinished,
)
from perfreport.rating.rules import Rating, Status, rate

# How far back a measure that is not due looks for its latest figure, and a Red run is counted.
LOOK_BACK = 4
_UNRATED = object()  # not in a memo yet (None is an answer: no rating)
_OWN: Mapping[str, Rating] = MappingProxyType({})  # the quarter being rated: none published


class HistorySource(enum.StrEnum):
    """Where an earlier quarter's ratings came from."""

    PUBLISHED = "published"  # the dataset.json written when that quarter's paper was built
    IMPORTED = "imported"  # past figures imported from a file (perfreport history import)
    RECOMPUTED = "recomputed"  # rated again from that quarter's returns, with that year's targets
    NONE = "none"  # neither exists


@dataclass(frozen=True)
class PeriodRatings:
    """Every indicator's rating in one quarter, in catalogue order, and where they came from."""

    period: Period
    source: HistorySource
    ratings: Mapping[str, Rating]


def history_periods(project: Project, period: Period) -> tuple[Period, ...]:
    """The quarters to read first for ``period``'s history: itself, and each of the LOOK_BACK
    quarters before it that has a returns folder (newest first), except those already published.

    A published quarter's ratings come from its dataset.json, so its returns are not read again;
    the previous quarter is, to compare the two. ``History.further_periods`` says what else the
    ratings need (a quarter whose dataset.json cannot be used, older quarters)."""
    earlier = (period.shift(-back) for back in range(1, LOOK_BACK + 1))
    return (
        period,
        *(
            p
            for p in earlier
            if project.returns_dir(p).is_dir()
            and (p == period.previous or not (project.build_dir(p) / DATASET_FILE).is_file())
        ),
    )


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
    # Memos: each (indicator, quarter) is rated once and each published dataset.json loaded
    # once. They never change an answer, so History is a value all the same. The rating memos
    # are keyed by (ref, year, quarter): a Period's hash and equality are Python calls, and a
    # 100x summary looks ratings up a million times.
    _ratings: dict[tuple[str, int, int], Rating | None] = field(default_factory=dict, repr=False)
    _shown: dict[tuple[str, int, int], Rating | None] = field(default_factory=dict, repr=False)
    # Each quarter's read and (for rating) published ratings, by (year, quarter), looked up once.
    _read_of: dict[tuple[int, int], PeriodRead | None] = field(default_factory=dict, repr=False)
    _shown_of: dict[tuple[int, int], Mapping[str, Rating] | None] = field(
        default_factory=dict, repr=False
    )
    _published: dict[Period, Published] = field(default_factory=dict, repr=False)
    # rated_in's answers, by the id of the quarters asked about (kept beside, so the id is theirs).
    _rated_in: dict[int, tuple[tuple[Period, ...], tuple[Period, ...]]] = field(
        default_factory=dict, repr=False
    )
    # The quarters whose published ratings were used, in order: their problems are reported.
    _used: dict[Period, None] = field(default_factory=dict, repr=False)

    @classmethod
    def of(
        cls, project: Project, current: PeriodRead, reads: Mapping[Period, PeriodRead]
    ) -> History:
        """The history of ``current``'s quarter, from the earlier quarters' ``reads``."""
        period = current.dataset.period
        if period is None:
            raise ValueError("the current read must be for a period, got loose files")
        earlier = MappingProxyType({p: r for p, r in reads.items() if p != period})
        return cls(project, current, earlier)

    def further_periods(self) -> tuple[Period, ...]:
        """Older quarters, with a returns folder but not in ``reads``, that the ratings would
        consult: a quarter rated again from its returns looks back LOOK_BACK quarters for the
        latest figure of each measure not due in it. Read them and build the history again."""
        wanted: dict[Period, None] = {}
        for back in range(1, LOOK_BACK + 1):
            quarter = self.period.shift(-back)
            # The previous quarter is rated again even when published, to compare the two.
            again = quarter == self.period.previous or self._load(quarter).ratings is None
            if again and quarter not in self.reads:
                wanted[quarter] = None  # its dataset.json cannot be used: read its returns
            if not again or self.read(quarter) is None:
                continue
            if any(not i.is_due(quarter) for i in self.catalogue.indicators):
                wanted.update(dict.fromkeys(quarter.shift(-b) for b in range(1, LOOK_BACK + 1)))
        return tuple(
            p
            for p in sorted(wanted, reverse=True)
            if p not in self.reads
            and self.project.returns_dir(p).is_dir()
            and (p == self.period.previous or self._load(p).ratings is None)  # not published
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
        """The period's returns as read, or None when it has no returns: an earlier quarter
        whose folder holds none (emptied, or its returns moved away) is not rated, as one with
        no folder is not: every measure would be "No data" there, and each of this quarter's
        ratings a change from it."""
        read = self._as_read(period)
        return read if period == self.period or (read is not None and read.has_returns) else None

    def _as_read(self, period: Period) -> PeriodRead | None:
        """The period's read, even one that found no returns (None: not read)."""
        return self.current if period == self.period else self.reads.get(period)

    def _load(self, period: Period) -> Published:
        if period not in self._published:
            self._published[period] = load_published(
                self.project, self.catalogue, period, read=self._as_read(period)
            )
        return self._published[period]

    def published(self, period: Period) -> Mapping[str, Rating] | None:
        """The ratings in the period's dataset.json, or None when it has none (or it is unusable)."""
        self._used.setdefault(period)
        return self._load(period).ratings

    def imported_from(self, period: Period) -> str:
        """The file the period's ratings were imported from; "" when they were not imported."""
        return self._load(period).imported_from if self.published(period) is not None else ""

    def recomputed(self, indicator: Indicator, period: Period) -> Rating | None:
        """The indicator rated from the period's returns; None when there are none."""
        key = (indicator.ref, period.year, period.quarter)
        found = self._ratings.get(key, _UNRATED)
        return self._rate(indicator, period, key) if found is _UNRATED else found

    def _rate(
        self, indicator: Indicator, period: Period, key: tuple[str, int, int]
    ) -> Rating | None:
        """``recomputed`` the first time it is asked, its memo ``key`` given."""
        quarter = (period.year, period.quarter)
        read = self._read_of.get(quarter, _UNRATED)
        if read is _UNRATED:
            read = self._read_of[quarter] = self.read(period)
        if read is None:
            found = None
        else:
            carried = None if indicator.is_due(period) else self.latest_due(indicator, period)
            observation = read.dataset.observations.get(indicator.ref)
            found = rate(
                indicator, observation, period, self.catalogue, self.project.rating, carried
            )
        self._ratings[key] = found
        return found

    def rating(self, indicator: Indicator, period: Period) -> Rating | None:
        """The rating committee saw (or would have seen) for ``period``."""
        key = (indicator.ref, period.year, period.quarter)
        found = self._shown.get(key, _UNRATED)
        if found is not _UNRATED:
            return found  # asked before: its quarter's published ratings are marked used already
        quarter = (period.year, period.quarter)
        published = self._shown_of.get(quarter, _UNRATED)
        if published is _UNRATED:  # the quarter's first rating: its published ones are used now
            published = _OWN if period == self.period else self.published(period)
            self._shown_of[quarter] = published
        # Imported past figures may cover only some indicators: the others come from the
        # quarter's returns, when there are any (this quarter's always do).
        found = published.get(indicator.ref) if published is not None else None
        if found is None:  # recomputed, without a second call and key (34,200 at 100x)
            found = self._ratings.get(key, _UNRATED)
            if found is _UNRATED:
                found = self._rate(indicator, period, key)
        self._shown[key] = found
        return found

    def rated_in(self, quarters: tuple[Period, ...]) -> tuple[Period, ...]:
        """Those of ``quarters`` in which an indicator can have a rating: this one, and those
        with published ratings or returns (in the others, ``rating`` is None for all). Each is
        looked at as ``rating`` first looks at it: its published ratings are marked used.
        Remembered for the same tuple: a 100x trend window asks 11,400 times."""
        known = self._rated_in.get(id(quarters))
        if known is not None:
            return known[1]
        found = []
        for quarter in quarters:
            key = (quarter.year, quarter.quarter)
            if key in self._shown_of:
                published = self._shown_of[key]
            else:  # as in rating: from now on its published ratings (if any) are used
                published = _OWN if quarter == self.period else self.published(quarter)
                self._shown_of[key] = published
            if published is not None or self.read(quarter) is not None:
                found.append(quarter)
        self._rated_in[id(quarters)] = (quarters, tuple(found))
        return tuple(found)

    def source(self, period: Period) -> HistorySource:
        if period != self.period and self.published(period) is not None:
            imported = self._load(period).imported_from
            return HistorySource.IMPORTED if imported else HistorySource.PUBLISHED
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
        if source in (HistorySource.PUBLISHED, HistorySource.IMPORTED):
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

    def red_run(self, indicator: Indicator) -> tuple[int, bool]:
        """How many figures in a row, up to this quarter's, have been Red (looking back at most
        LOOK_BACK quarters), and whether every quarter looked at was Red: the run may then be
        longer than that ("5 or more")."""
        # A figure carried forward (an annual outturn shown in later quarters) counts once: the
        # run is of Red figures, not of quarters in which the same figure was shown again.
        figures: set[Period] = set()
        for back in range(LOOK_BACK + 1):
            quarter = self.period.shift(-back)
            rating = self.rating(indicator, quarter)
            if rating is None or rating.rag is not RAG.RED:
                return len(figures), False
            figures.add(rating.value_period or quarter)
        return len(figures), True

    def compare_published(self, period: Period) -> tuple[Finding, ...]:
        """An info finding for each indicator whose published (or imported) RAG differs from its
        returns."""
        published = self.published(period)
        if published is None or self.read(period) is None:
            return ()
        where = self.project.display(shown_path(self.project, period))
        # Read from a stopped publish's staging copy: deleting the folder's dataset.json (if it
        # has one yet) would change nothing, and the rebuild finishes that publish first.
        stopped = unfinished(self.project.build_dir(period)) is not None
        advice = REBUILD_FINISHES_PUBLISH if stopped else REBUILD_AFTER_DELETING
        imported = self.imported_from(period)
        found = []
        for indicator in self.catalogue.indicators:
            shown = published.get(indicator.ref)
            again = self.recomputed(indicator, period)
            if shown is None or again is None or shown.rag is again.rag:
                continue
            before = shown.rag.word if shown.rag else "not rated"
            now = again.rag.word if again.rag else "not rated"
            said = {"ref": indicator.ref, "value": before, "before": before, "now": now,
                    "period": period.label, "reason": again.reason}  # fmt: skip
            if imported:  # the file to correct is the one imported, at the figure's cell
                source = shown.observation.source if shown.observation is not None else None
                at = (
                    source
                    if source is not None and self.project.same_file(source.file, imported)
                    else None
                )
                sheet = (at.sheet or None) if at is not None else None
                cell = at.cell if at is not None else None
                found.append(
                    finding(
                        "imported-rating-differs",
                        file=imported,
                        sheet=sheet,
                        cell=cell,
                        argument=command_argument(imported),
                        **said,
                    )
                )
            else:
                found.append(
                    finding(
                        "published-rating-differs",
                        file=where,
                        key=period.key,
                        advice=advice,
                        **said,
                    )
                )
        return tuple(found)

    def used_findings(self) -> dict[Period, tuple[Finding, ...]]:
        """Problems with each published dataset used so far, by period, the most recent first:
        an order of their own, not of their use, which depends on what was asked first (a build
        makes the trends before the rest of the summary)."""
        return {p: self._load(p).findings for p in sorted(self._used, reverse=True)}

    def read_findings(self) -> dict[Period, tuple[Finding, ...]]:
        """The findings of every earlier period read, by period (oldest first)."""
        return {p: r.findings for p, r in sorted(self.reads.items())}
