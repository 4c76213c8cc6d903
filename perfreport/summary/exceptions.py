"""The exception report's indicators (Appendix B), the year-end forecasts, and missing actions."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from perfreport.core.codes import finding
from perfreport.core.findings import Finding
from perfreport.core.formatting import join_words, plural
from perfreport.core.model import RAG
from perfreport.core.paper_settings import PaperSettings
from perfreport.summary.rated import RatedIndicator

# Worse to better, to tell whether a forecast is an improvement.
_ORDER = {RAG.RED: 0, RAG.AMBER: 1, RAG.GREEN: 2}
# Asked for every row: a member read through its class is slow in Python 3.11 (rating.rules).
_RED, _AMBER, _GREEN = RAG.RED, RAG.AMBER, RAG.GREEN
_NOT_GREEN = (RAG.RED, RAG.AMBER)


class ExceptionReason(enum.StrEnum):
    """Why an indicator is in the exception report, in the order the reasons are said."""

    RED = "red"
    GREEN_TO_AMBER = "green_to_amber"
    WORSENING = "worsening"


@dataclass(frozen=True)
class ExceptionItem:
    """An indicator in the exception report, with every reason it is there."""

    item: RatedIndicator
    reasons: tuple[ExceptionReason, ...]


def exception_reasons(row: RatedIndicator, settings: PaperSettings) -> tuple[ExceptionReason, ...]:
    reasons = []
    rag = row.rag
    if rag is _RED:
        reasons.append(ExceptionReason.RED)
    if settings.exceptions_green_to_amber and rag is _AMBER and row.previous_rag is _GREEN:
        reasons.append(ExceptionReason.GREEN_TO_AMBER)
    if settings.exceptions_worsening and row.worsened_twice:
        reasons.append(ExceptionReason.WORSENING)
    return tuple(reasons)


def exceptions(
    rows: Iterable[RatedIndicator], settings: PaperSettings
) -> tuple[ExceptionItem, ...]:
    """The indicators Appendix B lists, in the paper's order: every Red, and (as ``[paper]``
    asks) those that turned Amber from Green or worsened two quarters running."""
    found = []
    for row in rows:
        reasons = exception_reasons(row, settings)
        if reasons:
            found.append(ExceptionItem(row, reasons))
    return tuple(found)


def forecast_change(row: RatedIndicator) -> int:
    """+1 when the service forecasts a better RAG at the year end, -1 a worse one, else 0."""
    return _change(row.rag, row.forecast_rag)


def _change(rag: RAG | None, forecast: RAG | None) -> int:
    if rag is None or forecast is None:
        return 0
    return (_ORDER[forecast] > _ORDER[rag]) - (_ORDER[forecast] < _ORDER[rag])


def forecast_sentence(rows: Iterable[RatedIndicator]) -> str:
    """``By the year end, services expect 4 of the 15 Red indicators to improve …``; empty when
    no rated indicator has a forecast."""
    # Each rated row's RAG and forecast, asked once (both are properties: 11,400 rows at 100x).
    rated = [(rag, r.forecast_rag) for r in rows if (rag := r.rag) is not None]
    forecasts = sum(forecast is not None for _, forecast in rated)
    if not forecasts:
        return ""
    improving = []
    for rag in (RAG.RED, RAG.AMBER):
        now = [forecast for was, forecast in rated if was is rag]
        better = sum(_change(rag, forecast) > 0 for forecast in now)
        if better:
            whole = "the one" if len(now) == 1 else f"{better} of the {len(now)}"
            improving.append(f"{whole} {rag.word} {'indicator' if len(now) == 1 else 'indicators'}")
    parts = []
    if improving:
        single = len(improving) == 1 and improving[0].startswith(("the one", "1 of"))
        parts.append(f"{join_words(improving)} {'is' if single else 'are'} expected to improve")
    worse = sum(_change(rag, forecast) < 0 for rag, forecast in rated)
    if worse:
        parts.append(
            f"{plural(worse, 'indicator')} {'is' if worse == 1 else 'are'} expected to fall back"
        )
    # "Rated Green, Amber or Red this quarter": the summary's "56 rated" counts No data too.
    given = (
        "Services gave a year-end forecast for "
        + (
            "the one indicator"
            if len(rated) == 1
            else f"{forecasts} of the {len(rated)} indicators"
        )
        + " rated Green, Amber or Red this quarter"
    )
    if not parts:
        return f"{given}; none expects a change of RAG by the year end."
    return f"{given}: by the year end, " + ", and ".join(parts) + "."


def missing_actions(rows: Iterable[RatedIndicator]) -> tuple[Finding, ...]:
    """A warning for each indicator Red or Amber on this quarter's return with no actions."""
    found = []
    for row in rows:
        observation = row.current.observation
        if row.rag not in _NOT_GREEN or observation is None or row.current.carried:
            continue
        source = observation.source
        if observation.actions.strip() or source is None:
            continue
        found.append(
            finding(
                "no-actions",
                file=source.file,
                sheet=source.sheet,
                cell=observation.actions_cell or source.cell,  # the cell to fill in
                ref=row.ref,
                rag=row.rag.word,
            )
        )
    return tuple(found)
