"""Appendix B, the exception report: each Red (and, as ``[paper]`` asks, each slipping) indicator."""

from __future__ import annotations

from collections.abc import Mapping

from perfreport.core.formatting import join_words
from perfreport.paper.model import ExceptionEntry, ExceptionReport, IndicatorRow
from perfreport.summary.exceptions import ExceptionItem, ExceptionReason
from perfreport.summary.summary import Summary

NOT_GIVEN = "Not given"
NONE_RED = "No indicator is Red this quarter."
NONE_LISTED = "No indicator is Red, or meets the other conditions above, this quarter."


def _reason(entry: ExceptionItem, summary: Summary) -> str:
    row, said = entry.item, []
    for reason in entry.reasons:
        if reason is ExceptionReason.RED:
            # In the words of the key issue that points here (summary.rated.red_run_text).
            said.append(f"Red for {row.red_run_text}" if row.red_run > 1 else "Red this quarter")
        elif reason is ExceptionReason.GREEN_TO_AMBER:
            said.append(f"Amber this quarter, from Green in {summary.previous_period.label}")
        else:
            said.append("worse than the quarter before for two quarters running")
    text = "; ".join(said)
    return text[:1].upper() + text[1:]


def _notes_listed(summary: Summary) -> list[str]:
    listed = ["every indicator rated Red this quarter"]
    if summary.paper.exceptions_green_to_amber:
        listed.append("every one that went from Green to Amber")
    if summary.paper.exceptions_worsening:
        listed.append("every one that was worse than the quarter before for two quarters running")
    return listed


def _notes(summary: Summary) -> tuple[str, ...]:
    listed = _notes_listed(summary)
    return (
        f"This appendix lists {join_words(listed)}, with its figures, the service's commentary "
        "and actions, the officer responsible and the service's forecast RAG for the year end.",
    )


def paragraph_numbers(summary: Summary) -> dict[str, str]:
    """Each listed indicator's paragraph in Appendix B: ``{"ASC-02": "B3"}``."""
    return {e.item.ref: f"B{n}" for n, e in enumerate(summary.exceptions, start=1)}


def make_exception_report(
    summary: Summary, rows: Mapping[str, IndicatorRow], groups: Mapping[str, str]
) -> ExceptionReport:
    """Appendix B from the summary's exceptions and their Appendix A rows (``rows`` by ref);
    ``groups`` names each indicator's group, as Appendix A heads it."""
    numbers = paragraph_numbers(summary)
    entries = []
    for entry in summary.exceptions:
        item, shown = entry.item, rows[entry.item.ref]
        observation = item.current.observation
        commentary = observation.commentary.strip() if observation is not None else ""
        actions = observation.actions.strip() if observation is not None else ""
        forecast = item.forecast_rag
        entries.append(
            ExceptionEntry(
                paragraph=numbers[item.ref],
                ref=item.ref,
                measure=item.indicator.title,
                group=groups[item.ref],
                reason=_reason(entry, summary),
                current=shown.current,
                target=shown.target,
                rag=shown.rag,
                rag_fill=shown.rag_fill,
                rag_previous=shown.rag_previous,
                direction=shown.direction,
                forecast=forecast.word if forecast is not None else NOT_GIVEN,
                commentary=commentary or "No commentary given.",
                actions=actions or "No actions given.",
                owner=item.indicator.lead_officer or NOT_GIVEN,
                benchmarks=shown.benchmarks,
            )
        )
    return ExceptionReport(
        title=f"Appendix B: Exception report {summary.period.label}",
        group_label=summary.grouping.label,
        notes=_notes(summary),
        entries=tuple(entries),
        none="" if entries else NONE_RED if len(_notes_listed(summary)) == 1 else NONE_LISTED,
    )
