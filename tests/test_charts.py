"""The charts: deterministic PNGs at twice screen resolution, cached by content, matplotlib lazily."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest
from buildfactory import copy_example

from perfreport.build import summarise_period
from perfreport.core.periods import Period
from perfreport.paper import charts
from perfreport.paper.chart_cache import ChartPacks
from perfreport.paper.charts import (
    DPI,
    RagByGroup,
    RagOverTime,
    Sparkline,
    draw,
    draw_all,
    rag_by_group_of,
    rag_over_time_of,
    sparkline_of,
)

Q2 = Period(2024, 2)
SPARK = Sparkline((61.2, 60.0, None, 59.1, 58.0, 57.5, 58.2, 57.1), (56.0,) * 8, 7)
PRIORITIES = RagByGroup(
    ("A greener, more sustainable Somerset", "A healthy and caring Somerset"),
    ((1, 3, 1), (8, 6, 6)),
    ((2, 2, 1), (7, 7, 5)),
    "Q2",
    "Q1",
)
OVER_TIME = RagOverTime(
    ("Q3 2022/23", "Q4 2022/23", "Q1 2023/24"), ((25, 9, 22), (27, 9, 20), (27, 11, 19))
)


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """The PNG's chunks as (type, data)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    found, at = [], 8
    while at < len(png):
        (size,) = struct.unpack(">I", png[at : at + 4])
        found.append((png[at + 4 : at + 8], png[at + 8 : at + 8 + size]))
        at += 12 + size
    return found


@pytest.mark.parametrize("chart", [SPARK, PRIORITIES, OVER_TIME], ids=type)
def test_a_chart_is_the_same_png_every_time_with_no_dates_or_software(chart) -> None:
    first, second = draw(chart), draw(chart)
    assert first == second
    kinds = [kind for kind, _ in chunks(first)]
    assert kinds[0] == b"IHDR" and kinds[-1] == b"IEND"
    assert not {b"tEXt", b"iTXt", b"zTXt", b"tIME"} & set(kinds)


def test_a_chart_is_drawn_at_twice_screen_resolution() -> None:
    ihdr = dict(chunks(draw(SPARK)))[b"IHDR"]
    width, height = struct.unpack(">II", ihdr[:8])
    assert (width, height) == (int(1.4 * DPI), int(0.42 * DPI)) == (268, 80)
    assert DPI == 2 * 96


def test_different_figures_draw_different_pictures() -> None:
    other = Sparkline((61.2, 60.0, None, 59.1, 58.0, 57.5, 58.2, 60.1), (56.0,) * 8, 7)
    assert draw(other) != draw(SPARK)


def test_charts_drawn_once_are_read_back_from_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "charts"
    drawn = draw_all([SPARK, OVER_TIME], cache)
    (pack,) = cache.glob("*.pack")  # one pack for the batch
    assert sorted(p.name for p in cache.iterdir()) == [".pruned", pack.name]
    assert ChartPacks(cache).keys() == {charts.cache_key(c) for c in (SPARK, OVER_TIME)}

    def refuse(*_: object) -> None:
        raise AssertionError("drawn again")

    monkeypatch.setattr(charts._Drawing, "__enter__", refuse)
    assert draw_all([SPARK, OVER_TIME], cache) == drawn
    with pytest.raises(AssertionError, match="drawn again"):
        draw_all([PRIORITIES], cache)


def test_the_example_gives_a_sparkline_per_indicator_and_two_summary_charts(
    tmp_path: Path,
) -> None:
    summary = summarise_period(copy_example("somerset", tmp_path / "somerset"), Q2)
    wst = sparkline_of(summary.trends["WST-01"])
    assert (len(wst.values), wst.current, wst.values[-1], wst.targets[-1]) == (8, 7, 57.1, 56.0)
    assert sparkline_of(summary.trends["CUS-05"]).targets == (None,) * 8  # a context measure
    by_priority = rag_by_group_of(summary)
    assert by_priority.groups[0] == "A greener, more sustainable Somerset"
    assert (by_priority.previous_label, by_priority.current_label) == ("Q1", "Q2")
    assert sum(g + a + r for g, a, r in by_priority.current) == 26 + 14 + 15
    over_time = rag_over_time_of(summary)
    assert over_time.labels[0] == "Q3 2022/23" and over_time.labels[-1] == "Q2 2024/25"
    assert over_time.counts[-2:] == ((22, 20, 12), (26, 14, 15))


COMMANDS = {
    "--help": ["--help"],
    "validate": ["validate", "Q2-2024", "-p", "{project}"],
    "summary": ["summary", "Q2-2024", "-p", "{project}"],
}


@pytest.mark.parametrize("command", COMMANDS)
def test_help_validate_and_summary_never_import_matplotlib(command: str, tmp_path: Path) -> None:
    project = copy_example("somerset", tmp_path / "somerset")
    args = [a.replace("{project}", str(project.root)) for a in COMMANDS[command]]
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from perfreport.cli import app\n"
        f"result = CliRunner().invoke(app, {args!r})\n"
        "assert result.exception is None or isinstance(result.exception, SystemExit), result.output\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_a_chart_cut_short_in_the_cache_is_drawn_again(tmp_path: Path) -> None:
    # A cached PNG damaged on disk (cut to half, or a byte changed) was put in the paper, and
    # every later build failed in python-docx until the cache was deleted by hand.
    drawn = charts.draw_all([SPARK, OVER_TIME], tmp_path)
    (pack,) = tmp_path.glob("*.pack")
    data = pack.read_bytes()
    middle = len(data) - len(drawn[1]) // 2  # in the last chart's PNG
    for damaged in (data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :], data[:-9]):
        for kept in tmp_path.glob("*.pack"):  # the charts drawn again were kept again
            kept.unlink()
        pack.write_bytes(damaged)
        assert charts.draw_all([SPARK, OVER_TIME], tmp_path) == drawn
    assert all(charts.whole_png(png) for png in drawn)
    assert not charts.whole_png(drawn[0] + b"more")


def _savefig_pixels(figure) -> tuple[str, object]:
    """What matplotlib's savefig draws (the charts' PNGs up to CHART_VERSION 3), decoded."""
    import io

    import numpy
    from PIL import Image

    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return "RGBA", numpy.asarray(Image.open(buffer).convert("RGBA"))


def _pixels(png: bytes) -> tuple[str, object]:
    import io

    import numpy
    from PIL import Image

    image = Image.open(io.BytesIO(png))
    return image.mode, numpy.asarray(image.convert("RGBA"))


TINY = RagByGroup(("One group",), ((0, 0, 1),), None, "Q2", "Q1")  # a segment, no letter
FLAT = RagOverTime(("Q1 2024/25", "Q2 2024/25"), ((0, 0, 0), (0, 0, 0)))


@pytest.mark.parametrize("chart", [PRIORITIES, OVER_TIME, TINY, FLAT], ids=repr)
def test_a_summary_chart_s_png_has_savefig_s_pixels_saved_as_rgb(chart) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from perfreport.paper.standins import figure_size

    with charts._Drawing():
        if isinstance(chart, RagByGroup):
            figure = Figure(figsize=figure_size(chart))
            charts._by_group(figure, chart)
        else:
            figure = Figure(figsize=(chart.width, chart.height))
            charts._over_time(figure, chart)
        FigureCanvasAgg(figure)
        _, reference = _savefig_pixels(figure)
    png = draw(chart)
    mode, pixels = _pixels(png)
    assert mode == "RGB"  # every pixel opaque: no alpha channel written
    assert pixels.shape == reference.shape and (pixels == reference).all()
    kinds = [kind for kind, _ in chunks(png)]
    assert b"pHYs" in kinds and not {b"tEXt", b"iTXt", b"zTXt", b"tIME"} & set(kinds)


def test_a_figure_with_see_through_pixels_keeps_its_alpha_channel() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with charts._Drawing():
        figure = Figure(figsize=(1, 0.5), facecolor=(1, 1, 1, 0.5))
        figure.add_axes((0.1, 0.1, 0.8, 0.8)).plot([0, 1], [1, 0])
        FigureCanvasAgg(figure)
        _, reference = _savefig_pixels(figure)
        mode, pixels = _pixels(charts._png(figure))
    assert mode == "RGBA"
    assert pixels.shape == reference.shape and (pixels == reference).all()
