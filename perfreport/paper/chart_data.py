"""What the paper's charts show: their figures, their alt text in words, and their keys."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from perfreport.core.model import RAG, Polarity
from perfreport.paper.layout import APPENDIX_WIDTHS_MM, CELL_PADDING_MM

if TYPE_CHECKING:
    from perfreport.summary.summary import Summary
    from perfreport.summary.trend import Trend

ORDER = (RAG.GREEN, RAG.AMBER, RAG.RED)


@dataclass(frozen=True)
class Sparkline:
    """An indicator's trend: its figures (None for a gap), its targets, and the current point."""

    values: tuple[float | None, ...]
    targets: tuple[float | None, ...]
    current: int | None  # the index of the figure this quarter's paper shows
    width: float = 1.4  # inches, as placed in the paper
    height: float = 0.42


@dataclass(frozen=True)
class RagByGroup:
    """RAG counts of each group (priority, directorate or service) this quarter against last:
    (green, amber, red) per group."""

    groups: tuple[str, ...]
    current: tuple[tuple[int, int, int], ...]
    previous: tuple[tuple[int, int, int], ...] | None
    current_label: str
    previous_label: str
    width: float = 6.3
    height: float = 0.0  # 0: from the number of groups
    noun: str = "priority"  # what the groups are, for the alt text


@dataclass(frozen=True)
class RagOverTime:
    """How many indicators were Green, Amber and Red in each of the last quarters."""

    labels: tuple[str, ...]
    counts: tuple[tuple[int, int, int], ...]  # (green, amber, red) per quarter, oldest first
    width: float = 6.3
    height: float = 2.6


Chart = Sparkline | RagByGroup | RagOverTime


_NO_POLARITY = Polarity.NONE  # a member read through its class is slow (rating.rules)


def sparkline_of(trend: Trend, size: tuple[float, float] | None = None) -> Sparkline:
    """The trend's sparkline, ``size`` inches (width, height) or Sparkline's own."""
    points = trend.points
    current = next((n for n, p in enumerate(points) if p.current and p.value is not None), None)
    values = tuple(p.value for p in points)
    targeted = trend.indicator.polarity is not _NO_POLARITY
    targets = tuple(p.target for p in points) if targeted else (None,) * len(points)
    if size is None:
        return Sparkline(values, targets, current)
    return Sparkline(values, targets, current, *size)


def rag_by_group_of(summary: Summary) -> RagByGroup:
    rows = summary.by_group
    previous = None
    if all(r.previous is not None for r in rows):
        previous = tuple(_gar(r.previous) for r in rows if r.previous is not None)
    last, this = summary.column_labels
    return RagByGroup(
        tuple(r.group.name for r in rows),
        tuple(_gar(r.current) for r in rows),
        previous,
        this,
        last,
        noun=summary.grouping.noun,
    )


def rag_over_time_of(summary: Summary) -> RagOverTime:
    quarters = summary.quarter_counts
    return RagOverTime(
        tuple(q.period.label for q in quarters), tuple(_gar(q.counts) for q in quarters)
    )


def _gar(counts: Any) -> tuple[int, int, int]:
    return counts.green, counts.amber, counts.red


# -- the charts of a paper, and the same numbers in words ------------------------------------------

RAG_KEY = "chart:rag-by-priority"  # the context's placeholder for each chart's picture
HISTORY_KEY = "chart:rag-over-time"
# inches: the Direction of travel column less its cell margins, and 2 mm so the current
# point's ring stays clear of the cell's border
SPARKLINE = ((APPENDIX_WIDTHS_MM["direction"] - CELL_PADDING_MM - 2) / 25.4, 0.3)


def trend_key(ref: str) -> str:
    return f"chart:trend:{ref}"


@dataclass(frozen=True)
class Placed:
    """A chart's picture as the document places it: PNG bytes, alt text, title, width."""

    png: bytes
    alt: str
    title: str


def _words(counts: tuple[int, int, int]) -> str:
    return ", ".join(f"{rag.word} {n}" for rag, n in zip(ORDER, counts, strict=True))


def rag_chart_alt(chart: RagByGroup) -> str:
    """Every number of the RAG-by-group chart, in words."""
    parts = []
    for n, name in enumerate(chart.groups):
        now = f"{chart.current_label} {_words(chart.current[n])}"
        before = f"{chart.previous_label} {_words(chart.previous[n])}; " if chart.previous else ""
        parts.append(f"{name}: {before}{now}.")
    when = (
        f"{chart.previous_label} and {chart.current_label}"
        if chart.previous
        else chart.current_label
    )
    return f"Bar chart of RAG ratings by {chart.noun}, {when}. " + " ".join(parts)


def history_sentence(chart: RagOverTime) -> str:
    """The RAG counts over time, in words: the chart's alt text and the sentence beside it."""
    if not chart.labels:
        return ""
    span = f"{chart.labels[0]} to {chart.labels[-1]}"
    lines = "; ".join(
        f"{rag.word} {', '.join(str(c[i]) for c in chart.counts)}" for i, rag in enumerate(ORDER)
    )
    return f"Indicators rated Green, Amber and Red in each quarter, {span}: {lines}."


def paper_charts(summary: Summary) -> dict[str, tuple[Chart, str, str]]:
    """Every chart of the paper by its context key: (chart, alt text, title)."""
    return {
        key: (chart, *chart_words(summary, key, chart))
        for key, chart in chart_figures(summary).items()
    }


def chart_figures(
    summary: Summary, sparklines: Mapping[str, Sparkline] | None = None
) -> dict[str, Chart]:
    """Every chart of the paper by its context key, without its words: what is drawn.
    ``sparklines``: :func:`trend_sparklines` of the summary's trends, when made already."""
    by_group = rag_by_group_of(summary)
    charts: dict[str, Chart] = {RAG_KEY: by_group}
    over_time = rag_over_time_of(summary)
    if len(over_time.labels) >= 2:
        charts[HISTORY_KEY] = over_time
    made = sparklines or trend_sparklines(summary.trends)
    for row in summary.indicators:  # in the paper's order
        key = trend_key(row.ref)
        if key in made:
            charts[key] = made[key]
    return charts


def trend_sparklines(trends: Mapping[str, Trend]) -> dict[str, Sparkline]:
    """The sparkline of each trend the paper draws, by context key, as :func:`chart_figures`
    makes them: the trends are all they need, not the rest of the summary."""
    return {trend_key(ref): sparkline_of(t, SPARKLINE) for ref, t in trends.items() if t.drawn}


def chart_words(summary: Summary, key: str, chart: Chart) -> tuple[str, str]:
    """A chart's alt text and title (a trend's alt text is its sentence in the paper)."""
    if isinstance(chart, RagByGroup):
        return rag_chart_alt(chart), f"RAG ratings by {chart.noun}"
    if isinstance(chart, RagOverTime):
        return history_sentence(chart), "Green, Amber and Red over the last quarters"
    ref = key.removeprefix(trend_key(""))
    return summary.trends[ref].text, f"Trend of {ref}"
