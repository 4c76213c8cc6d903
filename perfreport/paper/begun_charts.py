"""A build's charts begun before they are needed: the trends' as soon as they are made, then the rest."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from perfreport.paper.chart_data import (
    Placed,
    Sparkline,
    chart_figures,
    chart_words,
    trend_sparklines,
)
from perfreport.paper.charts import _Batch

if TYPE_CHECKING:
    from perfreport.paper.chart_worker import EarlyDrawer
    from perfreport.summary.summary import Summary
    from perfreport.summary.trend import Trend


# Why: at 100x the drawing process sat idle for the ~1.5 s the build took to summarise (on one
# core) and to hand the charts over, then drew ~9,000 sparklines (~2.5 s of CPU) while the
# build made the paper's context and rendered it, both cores busy. A sparkline needs only its
# trend, and the trends are made first (build.summarise_period's on_trends): handed over then,
# they are drawn on the idle core while the rest of the summary is made; the summary's two
# charts follow in a second job, once the summary's counts exist.
class TrendCharts:
    """The trends' sparklines, begun: those drawn before read from the cache, the others handed
    to ``drawer`` at once (:class:`PaperCharts` takes them with the summary's charts)."""

    def __init__(
        self, trends: dict[str, Trend], cache_dir: Path | None, drawer: EarlyDrawer | None
    ) -> None:
        self.figures: dict[str, Sparkline] = trend_sparklines(trends)
        # The summary's charts come next, in a job of their own: the drawing process keeps
        # these in the cache with those, so that no thread runs as it forks its helper.
        self.batch = _Batch(list(self.figures.values()), cache_dir, drawer, more=True)


class PaperCharts:
    """The paper's charts, begun: those drawn before read from the cache, the others handed to
    ``drawer`` (drawn there while the build does other work) or drawn here by :meth:`result`.
    ``begun``: the trends' charts, handed over already (made from this summary's trends)."""

    def __init__(
        self,
        summary: Summary,
        cache_dir: Path | None = None,
        drawer: EarlyDrawer | None = None,
        begun: TrendCharts | None = None,
    ) -> None:
        self._begun = begun
        early = begun.figures if begun is not None else {}
        self._figures = figures = chart_figures(summary, early)
        self._keys = [key for key in figures if key not in early]  # the charts of this batch
        self._batch = _Batch([figures[key] for key in self._keys], cache_dir, drawer)
        # The words after: the drawing begins without waiting for 9,000 trends' sentences (100x).
        self._words = {key: chart_words(summary, key, chart) for key, chart in figures.items()}

    def _drawers(self) -> list[EarlyDrawer]:
        batches = [self._batch] if self._begun is None else [self._begun.batch, self._batch]
        return [batch.drawer for batch in batches if batch.drawer is not None]

    @property
    def elsewhere(self) -> bool:
        """Whether charts are being drawn in the drawing process (not here, nor all cached)."""
        return bool(self._drawers())

    def ready(self) -> bool:
        """Whether :meth:`result` would not wait: every chart found in the cache, or drawn
        elsewhere and sent (or the drawing process gone)."""
        return all(drawer.answered() for drawer in self._drawers())

    def stand_ins(self) -> dict[str, Placed]:
        """The charts by context key, each picture a stand-in of its size (paper.standins)."""
        from perfreport.paper.standins import stand_ins

        words = self._words
        return stand_ins({key: (chart, *words[key]) for key, chart in self._figures.items()})

    def result(self) -> dict[str, Placed]:
        """The charts by context key, as charts.draw_paper_charts gives them."""
        drawn: dict[str, bytes] = {}
        if self._begun is not None:  # its answer comes first: it was asked for first
            drawn.update(zip(self._begun.figures, self._begun.batch.result(), strict=True))
        drawn.update(zip(self._keys, self._batch.result(), strict=True))
        return {key: Placed(drawn[key], alt, title) for key, (alt, title) in self._words.items()}
