"""The paper's charts drawn as PNG with matplotlib (imported only here, only when a chart is drawn)."""

from __future__ import annotations

import functools
import hashlib
import io
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from perfreport.core.formatting import RAG_FILLS
from perfreport.core.model import RAG
from perfreport.core.versions import library_versions
from perfreport.paper.chart_cache import ChartPacks, write_pngs
from perfreport.paper.chart_data import (  # what a chart is: the figures drawn here
    HISTORY_KEY,
    ORDER,
    RAG_KEY,
    SPARKLINE,
    Chart,
    Placed,
    RagByGroup,
    RagOverTime,
    Sparkline,
    history_sentence,
    paper_charts,
    rag_by_group_of,
    rag_chart_alt,
    rag_over_time_of,
    sparkline_of,
    trend_key,
)
from perfreport.paper.pngchunks import DPI
from perfreport.paper.pngchunks import whole as whole_png
from perfreport.paper.standins import figure_size

if TYPE_CHECKING:
    from perfreport.summary.summary import Summary

# What a chart costs to draw, in sparklines (~0.13 ms each, sparklines.py): the summary's two
# charts are most of a 1x paper's drawing. A batch costing PARALLEL_FROM or more (~0.4 s: 100x)
# is shared among worker processes, which may each have to import matplotlib (spawned: ~0.5 s).
# The early process (chart_worker) shares one with a helper it forks from SPREAD_FROM (10x:
# ~2,800). Below (1x and the example, ~2,000) it draws them all itself: the helper's share, the
# history chart and the sparklines, is ~0.05 s of drawing, and the helper cost ~0.04 s of CPU of
# its own (its fork and exit, its fonts and caches warmed again), which on two cores the build's
# own work waited for: 18 alternating 1x builds, 1.12-1.17 -> 1.08-1.11 s of CPU, 0.63-0.68 ->
# 0.61-0.64 s (chrt -r 1).
COSTS = {"RagByGroup": 1500, "RagOverTime": 400}
PARALLEL_FROM = 3000
SPREAD_FROM = 2400
CHART_VERSION = "5"  # part of each cache key: change it when the drawing changes
# Their versions are part of each cache key too: matplotlib draws, numpy holds the pixels, Pillow
# saves the PNG; a chart drawn by older ones is drawn afresh after an upgrade.
DRAWING_LIBRARIES = ("matplotlib", "numpy", "Pillow", "perfreport")
FONT = "DejaVu Sans"  # bundled with matplotlib, so present wherever perfreport runs
# Each RAG has a fill, a hatch and a letter: the charts never rest on colour alone.
HATCHES = {RAG.GREEN: "...", RAG.AMBER: "///", RAG.RED: "xxx"}
MARKERS = {RAG.GREEN: ("o", "-"), RAG.AMBER: ("^", "--"), RAG.RED: ("s", ":")}


def draw_paper_charts(summary: Summary, cache_dir: Path | None = None) -> dict[str, Placed]:
    """Draw the paper's charts (from ``cache_dir`` where drawn before), by context key."""
    charts = paper_charts(summary)
    drawn = draw_all([chart for chart, _, _ in charts.values()], cache_dir)
    return {
        key: Placed(png, alt, title)
        for (key, (_, alt, title)), png in zip(charts.items(), drawn, strict=True)
    }


# -- drawing --------------------------------------------------------------------------------------


def draw(chart: Chart) -> bytes:
    """The chart as PNG bytes at DPI: the same chart always gives the same bytes."""
    return draw_all([chart])[0]


@functools.cache
def _library_versions() -> str:
    # Read from the installed metadata, without importing them.
    return library_versions(*DRAWING_LIBRARIES)


def cache_key(chart: Chart) -> str:
    """A content key: the chart's data, the drawing's version and its libraries'."""
    text = f"{CHART_VERSION}|{_library_versions()}|{chart!r}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def draw_all(charts: Sequence[Chart], cache_dir: Path | None = None) -> list[bytes]:
    """Every chart as PNG bytes, in order. With ``cache_dir``, a chart drawn before (same data,
    same drawing code) is read back instead of drawn: at 10x, builds after the first draw only
    the charts whose figures changed. matplotlib is imported only when a chart must be drawn."""
    return _Batch(charts, cache_dir, None).result()


class _Batch:
    """Charts looked up in the cache; the rest handed to ``drawer`` at once, or drawn here."""

    # ``drawer``: chart_worker.EarlyDrawer (which imports this module), or None. It keeps what it
    # draws in the cache itself, after sending it: off the build's path (9,000 charts as files
    # took 0.4 s here at 100x; as one pack now, ~0.03 s).
    # ``more``: another batch follows this one to the same drawer (EarlyDrawer.submit).
    def __init__(
        self, charts: Sequence[Chart], cache_dir: Path | None, drawer: Any, more: bool = False
    ) -> None:
        self.charts, self.cache_dir = charts, cache_dir
        self.found: list[bytes | None] = [None] * len(charts)
        self.keys: list[str] = []
        # A first build has no cache: no key to make (0.08 s at 100x), no pack to read.
        with ChartPacks(cache_dir) as stored:
            if stored:
                self.keys = [cache_key(c) for c in charts]
                for n, key in enumerate(self.keys):
                    data = stored.get(key)
                    self.found[n] = data if data and whole_png(data) else None  # else drawn again
        self.missing = [n for n, data in enumerate(self.found) if data is None]
        # Indicators with the same figures have the same trend: each chart is drawn once.
        self.unique = list(dict.fromkeys(charts[n] for n in self.missing))
        given = bool(self.unique and drawer and drawer.submit(self.unique, cache_dir, more))
        self.drawer = drawer if given else None

    def result(self) -> list[bytes]:
        found = self.found
        if self.missing:
            pngs = self.drawer.result() if self.drawer is not None else None
            stored_there = pngs is not None and len(pngs) == len(self.unique)
            if not stored_there:
                pngs = _draw(self.unique)  # here: no drawer, or it failed (an error shows here)
            drawn = dict(zip(self.unique, pngs, strict=True))  # type: ignore[arg-type]
            for n in self.missing:
                found[n] = drawn[self.charts[n]]
            if self.cache_dir is not None and not stored_there:
                store(self.cache_dir, self.unique, pngs)  # type: ignore[arg-type]
        return [data for data in found if data is not None]


def store(
    cache_dir: Path,
    charts: Sequence[Chart],
    pngs: Sequence[bytes],
    stop: Callable[[], bool] | None = None,
) -> None:
    """Keep the charts' PNGs in the cache under their keys, as one pack; with ``stop``, unless it
    says so before the pack is written (the charts not kept are drawn again by the next build)."""
    write_pngs(cache_dir, {cache_key(c): png for c, png in zip(charts, pngs, strict=True)}, stop)


def _draw(
    charts: list[Chart], spread: bool = False, initializer: Callable[[], None] | None = None
) -> list[bytes]:
    """Draw in this process; a batch that costs PARALLEL_FROM or more (100x), or with
    ``spread`` one that costs SPREAD_FROM or more, is shared among worker processes. Where they
    are forked (Linux), matplotlib is imported here first and they start with it; elsewhere each
    pays its import once for its share; each runs ``initializer`` first."""
    workers = min(os.cpu_count() or 1, 8)
    costs = [COSTS.get(type(chart).__name__, 1) for chart in charts]
    shared = sum(costs) >= PARALLEL_FROM or (spread and sum(costs) >= SPREAD_FROM)
    if not shared or workers < 2:
        return _draw_batch(charts)
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    context = multiprocessing.get_context()
    if context.get_start_method() == "fork":
        import matplotlib.backends.backend_agg  # noqa: F401
        import matplotlib.figure  # noqa: F401
        import matplotlib.image  # noqa: F401

    batches = _shares(charts, costs, workers)
    with ProcessPoolExecutor(len(batches), mp_context=context, initializer=initializer) as pool:
        return [png for batch in pool.map(_draw_batch, batches) for png in batch]


def _shares(charts: list[Chart], costs: list[int], parts: int) -> list[list[Chart]]:
    """``charts`` cut into at most ``parts`` runs, in order, of about the same drawing time."""
    share = sum(costs) / parts
    runs: list[list[Chart]] = [[]]
    done = 0
    for chart, cost in zip(charts, costs, strict=True):
        if runs[-1] and len(runs) < parts and done + cost / 2 > share * len(runs):
            runs.append([])
        runs[-1].append(chart)
        done += cost
    return runs


def _draw_batch(charts: list[Chart]) -> list[bytes]:
    with _Drawing() as drawing:
        return [drawing.draw(chart) for chart in charts]


class _Drawing:
    """matplotlib set up once for a batch: Agg, the bundled font, fixed PNG metadata."""

    def __enter__(self) -> _Drawing:
        # Agg through FigureCanvasAgg: no pyplot, no global backend switched under the caller.
        from matplotlib import rc_context

        self._rc = rc_context(
            {
                "font.family": "sans-serif",
                "font.sans-serif": [FONT],
                "font.size": 7,
                "hatch.linewidth": 0.6,
                # Glyphs as the font draws them, not snapped to whole pixels by FreeType's
                # autohinter (matplotlib's default): at 192 dpi the text looks the same, and the
                # summary's chart, drawn on a 1x build's longest path, took ~0.02 s less of its
                # ~0.14 s (min of 10 alternating draws: 134.8 -> 115.0 ms).
                "text.hinting": "no_hinting",
                "svg.hashsalt": "perfreport",
                "path.simplify": False,
                "axes.unicode_minus": False,
            }
        )
        self._rc.__enter__()
        self._sparks: dict[tuple[float, float], Any] = {}  # sparklines.SparkDrawer by size
        return self

    def __exit__(self, *exc: object) -> None:
        self._rc.__exit__(*exc)

    def draw(self, chart: Chart) -> bytes:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        if isinstance(chart, Sparkline):
            return self._spark(chart)
        if isinstance(chart, RagByGroup):
            figure = Figure(figsize=figure_size(chart))  # its height from its groups
            _by_group(figure, chart)
        else:
            figure = Figure(figsize=(chart.width, chart.height))
            _over_time(figure, chart)
        FigureCanvasAgg(figure)
        return _png(figure)

    def _spark(self, chart: Sparkline) -> bytes:
        """One renderer, its pens and markers made once, serve every sparkline of a size."""
        from perfreport.paper.sparklines import SparkDrawer

        size = (chart.width, chart.height)
        if size not in self._sparks:
            self._sparks[size] = SparkDrawer(size, DPI)
        return self._sparks[size].png(chart)


def _png(figure: Any) -> bytes:
    """The figure drawn by Agg at DPI, as PNG bytes (no text, no dates: the same chart gives the
    same bytes on every run). What savefig draws, pixel for pixel, saved by Pillow as RGB where
    every pixel is opaque (the charts' white ground), at zlib level 3.

    Why: at 1x the summary's two charts are drawn on the build's longest path, and savefig's
    PNG (RGBA, zlib level 6) was ~0.019 s of the ~0.14 s of the first, ~0.014 s of the ~0.04 s
    of the second: drawn and saved, ~0.006 s and ~0.0035 s less now (min of 10 alternating
    draws), ~10% fewer bytes for the first."""
    from PIL import Image

    figure.dpi = DPI  # as savefig sets it for its draw
    figure.canvas.draw()
    width, height = figure.canvas.get_width_height(physical=True)
    image = Image.frombuffer(
        "RGBA", (width, height), figure.canvas.buffer_rgba(), "raw", "RGBA", 0, 1
    )
    if image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")
    buffer = io.BytesIO()
    image.save(buffer, format="png", dpi=(DPI, DPI), compress_level=3)
    return buffer.getvalue()


def _hex(rag: RAG) -> str:
    return "#" + RAG_FILLS[rag]


def _by_group(figure: Any, chart: RagByGroup) -> None:
    """Two bars per group (last quarter above this one), each segment hatched and labelled."""
    from matplotlib.ticker import MaxNLocator

    axes = figure.add_axes(
        (0.1, 0.5 / figure.get_figheight(), 0.86, 1 - 0.6 / figure.get_figheight())
    )
    widest = max((sum(c) for c in (*chart.current, *(chart.previous or ()))), default=1) or 1
    ticks: list[tuple[float, str]] = []
    segments: list[tuple[float, int, int, RAG]] = []
    y = 0.0
    for n in reversed(range(len(chart.groups))):
        bars = [(chart.current_label, chart.current[n])]
        if chart.previous is not None:
            bars.append((chart.previous_label, chart.previous[n]))
        for label, counts in bars:
            segments += _stacked(axes, y, counts, widest)
            ticks.append((y, label))
            y += 0.8
        axes.text(0, y - 0.3, chart.groups[n], fontsize=6.8, fontweight="bold", va="bottom")
        y += 0.95
    if segments:  # one call for them all: the same patches in the same order, ~5 ms sooner
        ys, widths, lefts, rags = zip(*segments, strict=True)
        axes.barh(ys, widths, left=lefts, height=0.62, color=[_hex(r) for r in rags],
                  edgecolor="black", hatch=[HATCHES[r] for r in rags], linewidth=0.6)  # fmt: skip
    axes.set_yticks([t for t, _ in ticks], [label for _, label in ticks], fontsize=6.5)
    axes.set_ylim(-0.5, y - 0.2)
    axes.set_xlim(0, widest * 1.3)  # room for the counts at the end of the longest bar
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_xlabel("Indicators rated: G Green (dotted), A Amber (hatched), R Red (crossed)",
                    fontsize=6.5)  # fmt: skip
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(axis="x", labelsize=6)


def _stacked(
    axes: Any, y: float, counts: tuple[int, int, int], widest: int
) -> list[tuple[float, int, int, RAG]]:
    """One bar: each colour's letter and every count at its end written, and its segments
    (y, width, left, RAG) given back to be drawn hatched (patches are drawn below any text)."""
    left = 0
    segments = []
    for rag, number in zip(ORDER, counts, strict=True):
        if not number:
            continue
        segments.append((y, number, left, rag))
        if number >= widest * 0.035:
            axes.text(left + number / 2, y, rag.word[0], ha="center", va="center", fontsize=6.3,
                      bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none"})  # fmt: skip
        left += number
    words = ", ".join(f"{rag.word} {n}" for rag, n in zip(ORDER, counts, strict=True))
    axes.text(left + widest * 0.01, y, words, va="center", fontsize=6.3)
    return segments


def _wrap(label: str, width: int = 34) -> str:
    lines: list[str] = []
    for part in label.split("\n"):
        words, line = part.split(), ""
        for word in words:
            if line and len(line) + 1 + len(word) > width:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        lines.append(line)
    return "\n".join(lines)


def _over_time(figure: Any, chart: RagOverTime) -> None:
    axes = figure.add_axes((0.07, 0.2, 0.8, 0.74))
    xs = range(len(chart.labels))
    for index, rag in enumerate(ORDER):
        ys = [c[index] for c in chart.counts]
        marker, style = MARKERS[rag]
        axes.plot(xs, ys, color="black", ls=style, lw=1.1, marker=marker, ms=4.5,
                  mfc=_hex(rag), mec="black")  # fmt: skip
    top = max((max(c) for c in chart.counts), default=1) or 1
    if chart.counts:  # each line named at its end, nudged apart: no legend to decode
        ends = sorted((c, rag) for c, rag in zip(chart.counts[-1], ORDER, strict=True))
        placed: list[float] = []
        for value, rag in ends:
            at = max(value, placed[-1] + top * 0.09) if placed else value
            placed.append(at)
            axes.annotate(f"{rag.word} {value}", (len(chart.labels) - 1, value), (len(chart.labels) - 0.75, at),
                          va="center", fontsize=7, annotation_clip=False)  # fmt: skip
    axes.set_xticks(list(xs), [label.replace(" ", "\n", 1) for label in chart.labels], fontsize=6)
    axes.set_ylim(0, top * 1.12)
    axes.set_ylabel("Indicators", fontsize=6.5)
    axes.grid(axis="y", color="0.85", lw=0.5)
    axes.spines[["top", "right"]].set_visible(False)
    axes.tick_params(axis="y", labelsize=6)


__all__ = [  # chart_data's names, as they were here before it
    "HISTORY_KEY",
    "RAG_KEY",
    "SPARKLINE",
    "Chart",
    "Placed",
    "RagByGroup",
    "RagOverTime",
    "Sparkline",
    "draw",
    "draw_all",
    "draw_paper_charts",
    "history_sentence",
    "paper_charts",
    "rag_by_group_of",
    "rag_chart_alt",
    "rag_over_time_of",
    "sparkline_of",
    "trend_key",
]
