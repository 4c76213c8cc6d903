"""Earlier quarters' ratings: as published (build/<period>/dataset.json), else recomputed."""

from __future__ import annotations

import enum
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from perfreport.codes import finding
from perfreport.findings import Finding
from perfreport.model import (
    RAG,
    Catalogue,
    CellRef,
    DataStatus,
    Indicator,
    Observation,
    PeriodRead,
    Polarity,
)
from perfreport.periods import Period, PeriodError
from perfreport.project import Project
from perfreport.rating import Rating, Status, rate

DATASET_SCHEMA = "perfreport.dataset/1"
DATASET_FILE = "dataset.json"
# How far back a measure that is not due looks for its latest figure, and a Red run is counted.
LOOK_BACK = 4

Reader = Callable[[Project, Period], PeriodRead]


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


class History:
    """Ratings for a quarter and the quarters before it; each period is read at most once.

    The current quarter is always rated from its returns. An earlier quarter uses its published
    dataset.json when there is one, so that a later change of targets never re-rates what
    committee already saw; otherwise it is rated from its returns with the targets for its year.
    """

    def __init__(self, project: Project, current: PeriodRead, *, reader: Reader | None = None):
        if current.dataset.period is None:
            raise ValueError("the current read must be for a period, got loose files")
        self.project = project
        self.catalogue: Catalogue = current.dataset.catalogue
        self.period: Period = current.dataset.period
        self._reader = reader
        self._reads: dict[Period, PeriodRead | None] = {self.period: current}
        self._published: dict[Period, Mapping[str, Rating] | None] = {}
        self._recomputed: dict[tuple[str, Period], Rating | None] = {}
        self._findings: list[Finding] = []

    # -- sources --------------------------------------------------------------------------------

    def read(self, period: Period) -> PeriodRead | None:
        """The period's returns as read, or None when it has no returns folder."""
        if period not in self._reads:
            if not self.project.returns_dir(period).is_dir():
                self._reads[period] = None
            else:
                reader = self._reader
                if reader is None:
                    from perfreport.validate import read_period as reader
                self._reads[period] = reader(self.project, period)
        return self._reads[period]

    def published(self, period: Period) -> Mapping[str, Rating] | None:
        """The ratings in the period's dataset.json, or None when it has none (or it is unusable)."""
        if period not in self._published:
            self._published[period] = self._load_published(period)
        return self._published[period]

    def recomputed(self, indicator: Indicator, period: Period) -> Rating | None:
        """The indicator rated from the period's returns; None when there are none."""
        key = (indicator.ref, period)
        if key not in self._recomputed:
            read = self.read(period)
            if read is None:
                self._recomputed[key] = None
            else:
                carried = None if indicator.is_due(period) else self.latest_due(indicator, period)
                observation = read.dataset.observations.get(indicator.ref)
                self._recomputed[key] = rate(indicator, observation, period, self.catalogue,
                                             self.project.rating, carried)
        return self._recomputed[key]

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
        LOOK_BACK quarters); earlier quarters are only read while the run lasts."""
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

    def compare_published(self, period: Period) -> None:
        """An info finding for each indicator whose published RAG differs from its returns."""
        published = self.published(period)
        if published is None or self.read(period) is None:
            return
        where = self.project.display(self.project.build_dir(period) / DATASET_FILE)
        for indicator in self.catalogue.indicators:
            shown = published.get(indicator.ref)
            again = self.recomputed(indicator, period)
            if shown is None or again is None or shown.rag is again.rag:
                continue
            before = shown.rag.word if shown.rag else "not rated"
            now = again.rag.word if again.rag else "not rated"
            self._findings.append(finding(
                "published-rating-differs",
                f"{indicator.ref} was published as {before} for {period.label}, but its returns "
                f"rated with today's catalogue give {now} ({again.reason}). The summary keeps "
                f"the published {before}, as committee saw it. If the published paper was wrong, "
                f"rebuild {period.key} and delete {where} first.",
                file=where, ref=indicator.ref, value=before))

    @property
    def findings(self) -> tuple[Finding, ...]:
        """Problems with the history itself (unusable or differing published datasets)."""
        return tuple(self._findings)

    def read_findings(self) -> dict[Period, tuple[Finding, ...]]:
        """The findings of every earlier period read, by period (oldest first)."""
        return {p: r.findings for p, r in sorted(self._reads.items())
                if r is not None and p != self.period}

    # -- the published dataset ------------------------------------------------------------------

    def _load_published(self, period: Period) -> Mapping[str, Rating] | None:
        path = self.project.build_dir(period) / DATASET_FILE
        if not path.is_file():
            return None
        where = self.project.display(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return MappingProxyType(self._ratings_from(data, period))
        except (OSError, UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError,
                PeriodError) as exc:
            if isinstance(exc, PublishedError):
                problem = exc.args[0]
            elif isinstance(exc, json.JSONDecodeError):
                problem = f"it is not valid JSON ({exc.msg} at line {exc.lineno})"
            else:
                problem = f"it is not a complete {DATASET_SCHEMA} document ({exc})"
            self._findings.append(finding(
                "published-dataset-unreadable",
                f"{where} cannot be used: {problem}. {period.label} was rated again from its "
                f"returns instead. Rebuild {period.key} to publish a new one.", file=where))
            return None

    def _ratings_from(self, data: Any, period: Period) -> dict[str, Rating]:
        if not isinstance(data, dict) or data.get("schema") != DATASET_SCHEMA:
            raise PublishedError(f"it is not a {DATASET_SCHEMA} document")
        if data.get("period") != period.key:
            raise PublishedError(f"it is for {data.get('period')!r}, not {period.key}")
        ratings: dict[str, Rating] = {}
        for row in data["indicators"]:
            indicator = self.catalogue.by_ref.get(row["ref"]) or self._indicator_from(row)
            value = _number(row.get("value"))
            value_period = row.get("value_period")
            ratings[indicator.ref] = Rating(
                indicator=indicator, period=period, status=Status(row["status"]), value=value,
                value_period=(Period.parse(value_period) if value_period
                              else period if value is not None else None),
                value_label=str(row.get("value_label") or ""),
                target=_number(row.get("target")),
                amber_threshold=_number(row.get("amber_threshold")),
                rag=RAG(row["rag"]) if row.get("rag") else None, rated=bool(row.get("rated")),
                reason=str(row.get("rag_reason") or ""), overridden=bool(row.get("overridden")),
                observation=_observation_from(row, indicator.ref, value))
        return ratings

    def _indicator_from(self, row: Mapping[str, Any]) -> Indicator:
        """A measure since removed from the catalogue, as the published row describes it."""
        priority = self.project.priority(str(row.get("priority_key") or row.get("priority") or ""))
        return Indicator(
            ref=str(row["ref"]), title=str(row.get("title") or ""),
            priority=priority.key if priority else str(row.get("priority") or ""),
            service=str(row.get("service") or ""), polarity=Polarity(row.get("polarity") or "none"),
            unit=str(row.get("unit") or "number"), decimals=int(row.get("decimals") or 0),
            rated=bool(row.get("rated")))


def _observation_from(row: Mapping[str, Any], ref: str, value: float | None) -> Observation | None:
    """The return row behind a published rating, as published: its commentary, actions, data
    status and source. A figure carried forward from it shows the same words as it would from the
    returns, and "Not available" stays distinct from "no row returned"."""
    status = row.get("data_status")
    if status is None:
        return None  # the published quarter had no return row for it
    source = row.get("source")
    forecast = row.get("forecast_rag")
    return Observation(
        ref=ref, value=value, data_status=DataStatus(status),
        commentary=str(row.get("commentary") or ""), actions=str(row.get("actions") or ""),
        forecast_rag=RAG(forecast) if forecast else None,
        source=(CellRef(str(source["file"]), str(source["sheet"]), str(source["cell"]))
                if isinstance(source, dict) else None))


class PublishedError(ValueError):
    """A published dataset.json that cannot be used (the message says why)."""


def _number(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PublishedError(f"{value!r} is not a number")
    return float(value)
