"""Sparklines drawn straight on Agg: the pixels matplotlib's figure gives, as greyscale PNGs."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import numpy as np
import pytest
from buildfactory import copy_example
from PIL import Image
from test_charts import SPARK, chunks

from perfreport.build import summarise_period
from perfreport.core.periods import Period
from perfreport.paper import charts
from perfreport.paper.chart_cache import ChartPacks
from perfreport.paper.chart_data import SPARKLINE, Sparkline, paper_charts
from perfreport.paper.sparklines import AXES

W, H = SPARKLINE
# Every kind of sparkline: gaps, a target step, no target, one point, a flat line, negative
# figures, a target only, nothing at all, large and tiny numbers, no current point.
ODD = (
    Sparkline((None,) * 8, (1.0,) * 8, None, W, H),
    Sparkline((5.0,), (None,), 0, W, H),
    Sparkline((3.0,) * 8, (3.0,) * 8, 7, W, H),
    Sparkline((-5.0, -2.0, None, 1.0, -7.5, 0.0, 2.0, -1.0), (0.0,) * 4 + (-1.0,) * 4, 7, W, H),
    Sparkline((1.0, 2.0, 3.0), (None, None, None), 2, W, H),
    Sparkline((None,) * 8, (None,) * 8, None, W, H),
    Sparkline((1e9, 1e9 + 1, None, 1e9), (None, 1e9, 1e9, None), 3, W, H),
    Sparkline((0.0, 0.0), (None, None), 1, W, H),
    Sparkline((0.0,) * 12, (0.0,) * 12, 11, W, H),
    Sparkline((1e-12, 3e-12), (2e-12, None), 0, W, H),
    Sparkline((100.0, None, 0.0), (None, 50.0, None), None, W, H),
    SPARK,  # another size: the one test_charts draws
)


class Reference:
    """A sparkline as a matplotlib figure draws it, the way charts.py drew each one before: an
    axes with the target's step, the figures' line and the ring on the current point."""

    def __init__(self, size: tuple[float, float]) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        figure = Figure(figsize=size, dpi=charts.DPI)
        self.axes = figure.add_axes(AXES)
        self.axes.set_axis_off()
        self.canvas = FigureCanvasAgg(figure)
        (self.target,) = self.axes.step([0], [0], where="mid", color="0.45", lw=0.9, ls=(0, (3, 2)))
        (self.figures,) = self.axes.plot([0], [0], color="black", lw=1.1, marker="o", ms=1.6)
        (self.current,) = self.axes.plot(
            [0], [0], "o", ms=4.2, mfc="white", mec="black", mew=1.2, clip_on=False
        )

    def rgba(self, chart: Sparkline) -> np.ndarray:
        xs = range(len(chart.values))
        known = [(x, v) for x, v in zip(xs, chart.values, strict=True) if v is not None]
        targets = [(x, t) for x, t in zip(xs, chart.targets, strict=True) if t is not None]
        every = [v for _, v in known] + [t for _, t in targets]
        for line, points in ((self.target, targets), (self.figures, known)):
            line.set_visible(bool(points))
            if points:
                line.set_data(*zip(*points, strict=True))
        at = chart.current
        ringed = at is not None and chart.values[at] is not None
        self.current.set_visible(ringed)
        if ringed:
            self.current.set_data([at], [chart.values[at]])
        low, high = (min(every), max(every)) if every else (0.0, 1.0)
        pad = (high - low) * 0.15 or abs(high) * 0.05 or 1.0
        self.axes.set_xlim(-0.4, len(chart.values) - 0.6)
        self.axes.set_ylim(low - pad, high + pad)
        self.canvas.draw()
        return np.asarray(self.canvas.buffer_rgba()).copy()


@pytest.fixture(scope="module")
def example_sparklines(tmp_path_factory: pytest.TempPathFactory) -> list[Sparkline]:
    project = copy_example("somerset", tmp_path_factory.mktemp("sparks") / "somerset")
    summary = summarise_period(project, Period(2024, 2))
    drawn = [c for c, _, _ in paper_charts(summary).values() if isinstance(c, Sparkline)]
    assert len(drawn) > 50
    return drawn


def decoded(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def test_each_sparkline_is_the_picture_matplotlib_s_figure_draws_in_grey(
    example_sparklines: list[Sparkline],
) -> None:
    with charts._Drawing() as drawing:
        references = {size: Reference(size) for size in {(c.width, c.height) for c in ODD}}
        for chart in [*example_sparklines, *ODD]:
            expected = references[(chart.width, chart.height)].rgba(chart)
            image = decoded(drawing.draw(chart))
            assert image.mode == "L"
            assert image.size == (int(chart.width * charts.DPI), int(chart.height * charts.DPI))
            grey = np.asarray(image)
            # The figure's pixels are grey and opaque, so one byte a pixel keeps every one.
            assert (expected[..., 3] == 255).all(), chart
            assert (expected[..., :3] == grey[..., None]).all(), chart


def test_a_sparkline_s_png_does_not_depend_on_what_was_drawn_with_it(
    example_sparklines: list[Sparkline],
) -> None:
    batch = [*ODD, *example_sparklines[:30]]
    alone = [charts.draw_all([chart])[0] for chart in batch]
    assert charts.draw_all(batch) == alone
    assert charts.draw_all(batch[::-1]) == alone[::-1]
    assert charts._draw_batch(batch[5:]) + charts._draw_batch(batch[:5]) == alone[5:] + alone[:5]
    assert len(set(alone)) == len(alone)  # each its own picture


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers forked: Linux only")
def test_sparklines_shared_among_worker_processes_are_the_same_pngs(
    example_sparklines: list[Sparkline], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(charts, "PARALLEL_FROM", 10)
    batch = [*ODD, *example_sparklines]
    assert charts._draw(batch) == charts._draw_batch(batch)


def test_a_sparkline_png_is_greyscale_at_the_paper_s_resolution_with_no_text() -> None:
    found = dict(chunks(charts.draw(SPARK)))
    assert list(found) == [b"IHDR", b"pHYs", b"IDAT", b"IEND"]
    assert found[b"IHDR"] == (268).to_bytes(4, "big") + (80).to_bytes(4, "big") + bytes(
        [8, 0, 0, 0, 0]  # 8 bits, grey, deflate, filters, not interlaced
    )
    image = decoded(charts.draw(SPARK))
    assert image.info["dpi"] == pytest.approx((charts.DPI, charts.DPI), abs=0.01)


def test_sparklines_saved_as_pngs_are_what_the_cache_gives_back(tmp_path: Path) -> None:
    drawn = charts.draw_all(list(ODD), tmp_path)
    assert charts.draw_all(list(ODD), tmp_path) == drawn
    with ChartPacks(tmp_path) as packs:
        for chart, png in zip(ODD, drawn, strict=True):
            assert packs.get(charts.cache_key(chart)) == png
