"""The build's .docx and web page through stand-ins (paper.rendering.PaperRender): charts that
come while the body is filled in are taken then, and the page handed to the charts' process
then; the files are those made with the charts."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from buildfactory import copy_example

from perfreport.build import summarise_period
from perfreport.core.periods import Period
from perfreport.core.project import load_project
from perfreport.inputs.report_file import read_report
from perfreport.paper import document, jinjatext
from perfreport.paper.begun_charts import PaperCharts
from perfreport.paper.context import paper_context
from perfreport.paper.document import render_document
from perfreport.paper.html import render_html
from perfreport.paper.rendering import PaperRender
from perfreport.paper.template import default_template
from perfreport.paper.textsafety import sanitise_context


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> SimpleNamespace:
    """The example paper's context and charts (drawn here), and its .docx and page with them."""
    root = copy_example("somerset", tmp_path_factory.mktemp("rendering") / "somerset").root
    project, period = load_project(root), Period(2024, 2)
    summary = summarise_period(project, period)
    report, _ = read_report(project, period)
    context, _ = sanitise_context(paper_context(summary, report, charts=True))
    charts = PaperCharts(summary)
    stood, drawn = charts.stand_ins(), charts.result()
    docx = render_document(context, default_template(), pictures=drawn)
    return SimpleNamespace(
        context=context,
        stood=stood,
        drawn=drawn,
        docx=docx,
        page=render_html(context, None, pictures=drawn),
    )


class _Charts:
    """The charts, drawn once ``ready()`` has been asked ``after`` times."""

    def __init__(self, example: SimpleNamespace, after: int, events: list[str]) -> None:
        self.example, self.after, self.events = example, after, events
        self.elsewhere = True

    def stand_ins(self) -> dict:
        return self.example.stood

    def ready(self) -> bool:
        self.after -= 1
        self.events.append("ready" if self.after < 0 else "not ready")
        return self.after < 0

    def result(self) -> dict:
        self.events.append("charts")
        return self.example.drawn


class _Drawer:
    """The charts' process: makes the page it is handed (with the charts it is given)."""

    def __init__(self, events: list[str]) -> None:
        self.events, self.given = events, None

    def submit_page(self, context, template, pictures) -> bool:
        self.events.append("page handed over")
        self.given = (context, template, pictures)
        return True

    def page(self) -> bytes:
        context, template, pictures = self.given
        return render_html(context, template, pictures=pictures)


def _render(example, monkeypatch, after: int, small: bool, make_page=None):
    events: list[str] = []
    monkeypatch.setattr(jinjatext, "CHUNK", 20_000)  # the body in ~35 texts: polled after each
    real = document.render_document

    def rendering(*args, **kwargs):
        made = real(*args, **kwargs)
        events.append("rendered")
        return made

    monkeypatch.setattr(document, "render_document", rendering)

    def page_here(context, template, pictures):
        events.append("page made here")
        return render_html(context, template, pictures=pictures)

    drawer = _Drawer(events)
    paper = PaperRender(example.context, default_template(), True, None, drawer,
                        _Charts(example, after, events), make_page or page_here)  # fmt: skip
    return paper.docx(None, small=small), paper.page(), events


@pytest.mark.parametrize("small", [True, False])
def test_charts_drawn_as_the_body_is_filled_in_are_taken_then_and_the_page_made_elsewhere(
    example, monkeypatch, small: bool
) -> None:
    docx, page, events = _render(example, monkeypatch, after=3, small=small)
    assert docx == example.docx and page == example.page
    # Asked once before the render, then after each text until they came; the page went to the
    # charts' process while the body was still being filled in.
    assert events == [*["not ready"] * 3, "ready", "charts", "page handed over", "rendered"]


def test_a_small_papers_page_is_made_here_with_stand_ins_until_the_charts_come(
    example, monkeypatch
) -> None:
    docx, page, events = _render(example, monkeypatch, after=50, small=True)
    assert docx == example.docx and page == example.page
    # Asked before the render and after each text; then, the body filled in, the page is made
    # here while the charts are drawn, and they are waited for.
    assert set(events[:-4]) == {"not ready"} and len(events) > 10
    assert events[-4:] == ["not ready", "page made here", "charts", "rendered"]


def test_a_large_papers_page_waits_for_the_charts(example, monkeypatch) -> None:
    docx, page, events = _render(example, monkeypatch, after=50, small=False)
    assert docx == example.docx and page == example.page
    assert set(events[:-3]) == {"not ready"} and len(events) > 10
    assert events[-3:] == ["charts", "page handed over", "rendered"]


def test_a_page_that_fails_as_the_body_is_filled_in_fails_the_build_not_the_template(
    example, monkeypatch
) -> None:
    class Broken(RuntimeError):
        pass

    def broken(context, template, pictures):
        raise Broken("the page")

    with pytest.raises(Broken):
        _render(example, monkeypatch, after=50, small=True, make_page=broken)


def test_charts_that_fail_as_the_body_is_filled_in_fail_the_build_not_the_template(
    example, monkeypatch
) -> None:
    class Broken(RuntimeError):
        pass

    def fails(self) -> dict:
        raise Broken("drawing")

    monkeypatch.setattr(_Charts, "result", fails)
    with pytest.raises(Broken):
        _render(example, monkeypatch, after=3, small=False)
