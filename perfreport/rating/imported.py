"""Past figures rated as they were published: the published RAG stands, the catalogue's rule checks it."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from perfreport.core.codes import finding
from perfreport.core.findings import Finding
from perfreport.core.model import Catalogue, DataStatus, Observation, YearTarget
from perfreport.core.periods import Period
from perfreport.core.project import RatingSettings
from perfreport.inputs.history_file import PastFigure
from perfreport.rating.history import LOOK_BACK
from perfreport.rating.rules import Rating, Status, rate


@dataclass(frozen=True)
class ImportedQuarters:
    """Each imported quarter's ratings (catalogue order), and the warnings about published RAGs."""

    quarters: Mapping[Period, Mapping[str, Rating]]
    findings: tuple[Finding, ...]


def rate_imported(
    catalogue: Catalogue, settings: RatingSettings, figures: Iterable[PastFigure]
) -> ImportedQuarters:
    """Rate every past figure with the catalogue's rule (and the target published with it, when
    given), keep the published RAG where there is one, and carry each figure forward into the
    imported quarters it is not due in, as a build would have shown it."""
    by_quarter: dict[Period, dict[str, Rating]] = {}
    found: list[Finding] = []
    for figure in figures:
        rating, differs = _rated(catalogue, settings, figure)
        by_quarter.setdefault(figure.period, {})[figure.ref] = rating
        if differs is not None:
            found.append(differs)
    for period, ratings in by_quarter.items():
        for indicator in catalogue.indicators:
            if indicator.ref in ratings or indicator.is_due(period):
                continue
            carried = _latest(by_quarter, indicator.ref, period)
            if carried is not None:
                ratings[indicator.ref] = rate(indicator, None, period, catalogue, settings, carried)
    position = catalogue.position
    quarters = {
        period: MappingProxyType(dict(sorted(ratings.items(), key=lambda kv: position[kv[0]])))
        for period, ratings in sorted(by_quarter.items())
    }
    return ImportedQuarters(MappingProxyType(quarters), tuple(found))


def _latest(
    by_quarter: Mapping[Period, Mapping[str, Rating]], ref: str, period: Period
) -> Rating | None:
    """The latest imported figure of ``ref`` in the LOOK_BACK quarters before ``period``."""
    for back in range(1, LOOK_BACK + 1):
        rating = by_quarter.get(period.shift(-back), {}).get(ref)
        if rating is not None and rating.status is Status.REPORTED and rating.value is not None:
            return rating
    return None


def _rated(
    catalogue: Catalogue, settings: RatingSettings, figure: PastFigure
) -> tuple[Rating, Finding | None]:
    indicator = catalogue.by_ref[figure.ref]
    period = figure.period
    # A catalogue of this one indicator, with the targets of that year (the quarter's own where
    # the Targets sheet gives one), rates it as a build would: the year the figure is for (its
    # Period of data's, when it is for an earlier period).
    of = figure.data_period or period
    year = tuple(t for t in catalogue.targets if (t.ref, t.year) == (figure.ref, of.year))
    own = Catalogue((indicator,), year[:1])
    if figure.target is not None and figure.target != own.quarter_target(figure.ref, of).target:
        # The published target, with the usual tolerance.
        own = Catalogue((indicator,), (YearTarget(figure.ref, of.year, figure.target),))
    observation = Observation(
        ref=figure.ref,
        value=figure.value,
        data_status=DataStatus.FINAL if figure.value is not None else DataStatus.NOT_AVAILABLE,
        target=figure.target,
        commentary=figure.commentary,
        source=figure.source,
        data_period=figure.data_period,
    )
    rule = rate(indicator, observation, period, own, settings)
    if figure.rag is None or figure.rag is rule.rag:
        return rule, None
    shown = rule.rag.word if rule.rag is not None else "no RAG"
    differs = finding(
        "history-rag-differs",
        file=figure.source.file,
        sheet=figure.source.sheet or None,
        cell=figure.rag_cell,
        ref=figure.ref,
        value=figure.rag.word,
        published=figure.rag.word,
        period=period.label,
        rule=shown,
        reason=rule.reason,
    )
    reason = f"Published as {figure.rag.word}; the catalogue's rule gives {shown} ({rule.reason})"
    published = Rating(
        indicator=indicator,
        period=period,
        status=rule.status,
        value=rule.value,
        value_period=rule.value_period,
        value_label=rule.value_label,
        target=rule.target,
        amber_threshold=rule.amber_threshold,
        rag=figure.rag,
        rated=True,
        reason=reason,
        overridden=False,
        observation=observation,
    )
    return published, differs
