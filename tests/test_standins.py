"""Stand-ins for the charts while they are drawn: the .docx and the web page filled in with them
and given the charts after are the paper filled in with the charts, and anything else is filled
in again with the charts."""

from __future__ import annotations

import base64
import datetime as dt
import io
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from buildfactory import copy_example
from paperfactory import tiny_png

from perfreport.build import summarise_period
from perfreport.core.periods import Period
from perfreport.core.project import load_project
from perfreport.inputs.report_file import read_report
from perfreport.paper import document, standins
from perfreport.paper.begun_charts import PaperCharts
from perfreport.paper.chart_data import Placed, Sparkline
from perfreport.paper.context import paper_context
from perfreport.paper.document import render_document
from perfreport.paper.html import render_html
from perfreport.paper.template import default_template
from perfreport.paper.textsafety import sanitise_context

WHEN = dt.datetime(2024, 12, 2, 9, 0)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """The example paper's context, its charts' stand-ins, and its charts (drawn here)."""
    root = copy_example("somerset", tmp_path_factory.mktemp("standins") / "somerset").root
    project, period = load_project(root), Period(2024, 2)
    summary = summarise_period(project, period)
    report, _ = read_report(project, period)
    context, _ = sanitise_context(paper_context(summary, report, charts=True))
    charts = PaperCharts(summary)  # no drawing process: drawn here by result()
    return SimpleNamespace(context=context, stood=charts.stand_ins(), drawn=charts.result())


def media(docx: bytes) -> list[bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as package:
        return [package.read(n) for n in sorted(package.namelist()) if n.startswith("word/media/")]


def test_each_chart_s_stand_in_has_the_size_and_resolution_of_its_png(example) -> None:
    assert example.stood.keys() == example.drawn.keys()
    kinds = {key.split(":")[1] for key in example.drawn}
    assert kinds == {"rag-by-priority", "rag-over-time", "trend"}  # every kind the paper has
    for key, placed in example.drawn.items():
        stood = example.stood[key]
        assert standins._header(stood.png) == standins._header(placed.png), key
        assert (stood.alt, stood.title) == (placed.alt, placed.title)
    assert len({p.png for p in example.stood.values()}) == len(example.stood)


def test_the_same_chart_has_the_same_stand_in_and_another_chart_another() -> None:
    spark = Sparkline((1.0, 2.0), (None, None), 1)
    stood = standins.stand_ins(
        {
            "a": (spark, "alt a", "A"),
            "b": (spark, "alt b", "B"),
            "c": (Sparkline((2.0, 4.0), (None, None), 1), "alt c", "C"),
        }
    )
    assert stood["a"].png == stood["b"].png != stood["c"].png
    assert standins._header(stood["a"].png) == standins._header(stood["c"].png)


def test_a_paper_filled_in_with_stand_ins_is_the_paper_filled_in_with_its_charts(
    example,
) -> None:
    template = default_template()
    asked = []

    def drawn():
        asked.append(1)
        return example.drawn

    later = render_document(
        example.context, template, pictures=example.stood, drawn=drawn, timestamp=WHEN
    )
    now = render_document(example.context, template, pictures=example.drawn, timestamp=WHEN)
    assert asked == [1]
    assert later == now
    assert not any(b"perfreport chart" in m for m in media(later))


def test_two_charts_drawn_alike_are_two_pictures_of_the_same_bytes(example) -> None:
    # Two trends of the same shape: python-docx would share one picture given the charts, so
    # each chart is a picture of its own whenever it comes (the stand-ins are two).
    first, second = [k for k in example.drawn if k.startswith("chart:trend:")][:2]
    drawn = {**example.drawn, second: example.drawn[first]}
    docx = render_document(
        example.context,
        default_template(),
        pictures=example.stood,
        drawn=lambda: drawn,
        timestamp=WHEN,
    )
    pictures = media(docx)
    assert pictures.count(example.drawn[first].png) == 2
    assert example.drawn[second].png not in pictures
    # one picture a chart (its stand-in's), and the report's own figure
    assert len(pictures) == len({p.png for p in example.stood.values()}) + 1


def test_a_chart_not_the_size_of_its_stand_in_is_filled_in_again_with_the_charts(
    example, monkeypatch
) -> None:
    key = next(k for k in example.drawn if k.startswith("chart:trend:"))
    odd = Placed(tiny_png(3, 2, 90), example.drawn[key].alt, example.drawn[key].title)
    drawn = {**example.drawn, key: odd}
    swapped = []
    swap = standins.swap_pictures

    def spy(*args):
        swapped.append(swap(*args))
        return swapped[-1]

    monkeypatch.setattr(document, "swap_pictures", spy)
    template = default_template()
    later = render_document(
        example.context, template, pictures=example.stood, drawn=lambda: drawn, timestamp=WHEN
    )
    assert swapped == [False]
    assert later == render_document(example.context, template, pictures=drawn, timestamp=WHEN)
    assert odd.png in media(later)


def test_a_chart_missing_from_those_drawn_is_no_swap() -> None:
    stood = standins.stand_ins({"a": (Sparkline((1.0,), (None,), 0), "", "")})
    assert standins.swaps(stood, {}) is None


def test_the_web_page_with_stand_ins_swapped_is_the_page_with_the_charts(example) -> None:
    stood_page = render_html(example.context, pictures=example.stood)
    swap = standins.swaps(example.stood, example.drawn)
    assert swap is not None
    assert standins.swap_page(stood_page, swap) == render_html(
        example.context, pictures=example.drawn
    )


def test_a_page_that_keeps_a_stand_in_is_none_so_it_is_made_again(example) -> None:
    # A template of one's own that writes the address some other way (here, cut short).
    stood = next(iter(example.stood.values())).png
    address = b"data:image/png;base64," + base64.b64encode(stood)
    page = b'<img src="' + address[:-8] + b'">'
    swap = standins.swaps(example.stood, example.drawn)
    assert swap is not None
    assert standins.swap_page(page, swap) is None
    assert standins.swap_page(b'<img src="' + address + b'">', swap) == (
        b'<img src="data:image/png;base64,' + base64.b64encode(swap[stood]) + b'">'
    )


def test_stand_ins_are_never_published(tmp_path: Path) -> None:
    # A whole build: neither the .docx nor the page holds a stand-in, whichever way it went.
    from perfreport.build import PdfMode, build_paper

    project = copy_example("somerset", tmp_path / "somerset")
    result = build_paper(load_project(project.root), Period(2024, 2), pdf=PdfMode.OFF)
    assert result.published, result.reason
    for path in result.outputs.values():
        data = path.read_bytes()
        assert b"perfreport chart" not in data
        assert standins._MARK not in data
        if path.suffix == ".docx":
            assert not any(b"perfreport chart" in m for m in media(data))
