"""The shipped web page's template compiled from the record beside it (paper.precompiled_page):
current, the same page as compiling it on the build, and used for no other template or
environment."""

from __future__ import annotations

import copy
import hashlib
import json
import shutil

import pytest
from jinja2.defaults import DEFAULT_FILTERS
from jinja2.sandbox import SandboxedEnvironment
from paperfactory import make_context

from perfreport.paper import precompiled_page
from perfreport.paper.html import default_html_template, make_html_environment, render_html

REGENERATE = ".venv/bin/python -m perfreport.paper.precompiled"


def _source() -> str:
    return default_html_template().read_text(encoding="utf-8")


def test_the_shipped_record_is_the_default_page_template_s() -> None:
    shipped = default_html_template().with_name(precompiled_page.RECORD)
    assert shipped.is_file(), f"{shipped} is missing: run {REGENERATE}"
    record = json.loads(shipped.read_text(encoding="utf-8"))
    # After a change to the page template or to its environment: builds compile it themselves
    # until the record is made again.
    digest = hashlib.sha256(_source().encode("utf-8")).hexdigest()
    assert record["template"] == digest, f"out of date: run {REGENERATE}"
    environment = make_html_environment()
    made = precompiled_page.make_page_record(environment, _source())
    if record["environment"][1:] != made["environment"][1:]:
        pytest.fail(f"made for another environment: run {REGENERATE}")
    if record["environment"][:1] == made["environment"][:1]:
        text = precompiled_page.page_record_text(environment, _source())
        assert shipped.read_text(encoding="utf-8") == text
    else:  # installed with another Jinja than it was made with: not used, as it must not be
        assert _from_record(environment, _source()) is False


@pytest.fixture
def current_record(monkeypatch: pytest.MonkeyPatch) -> dict:
    """The record as made under the installed Jinja, where perfreport looks for it."""
    text = precompiled_page.page_record_text(make_html_environment(), _source())
    record = json.loads(text)
    monkeypatch.setattr(precompiled_page, "_shipped_record", lambda: record)
    return record


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What Jinja compiles from now on (any sandboxed environment, the page's included)."""
    compiled: list[str] = []
    compile_ = SandboxedEnvironment.compile

    def counted(self, source, *args, **kwargs):
        compiled.append(source)
        return compile_(self, source, *args, **kwargs)

    monkeypatch.setattr(SandboxedEnvironment, "compile", counted)
    return compiled


def _from_record(environment, source: str) -> bool:
    """Whether page_template took ``source``'s template from the record (nothing compiled)."""
    with pytest.MonkeyPatch.context() as patch:
        compiled = _compiles(patch)
        precompiled_page.page_template(environment, source)
    return compiled == []


def _with_charts(context: dict) -> tuple[dict, dict]:
    """``context`` with the summary's charts and a trend chart placed, and their pictures."""
    from types import SimpleNamespace

    summary = dict(context["summary"])
    summary.update(rag_chart="chart:rag", rag_chart_alt="RAG ratings by priority",
                   history_chart="chart:history", history_sentence="Over the last 8 quarters")  # fmt: skip
    appendix = copy.deepcopy(context["appendix"])
    appendix["groups"][0]["indicators"][0].update(trend_chart="chart:trend:A", trend="Trend")
    png = b"\x89PNG\r\n\x1a\n-"
    drawn = {key: SimpleNamespace(png=png, alt="", title="")
             for key in ("chart:rag", "chart:history", "chart:trend:A")}  # fmt: skip
    return {**context, "summary": summary, "appendix": appendix}, drawn


@pytest.mark.parametrize("charts", [False, True])
def test_the_page_from_the_record_is_the_page_compiled_on_the_build(
    charts: bool, monkeypatch: pytest.MonkeyPatch, current_record: dict
) -> None:
    context, drawn = _with_charts(make_context()) if charts else (make_context(), {})
    monkeypatch.setattr(precompiled_page, "_shipped_record", lambda: None)
    compiled = _compiles(monkeypatch)
    plain = render_html(context, pictures=drawn)
    assert len(compiled) == 1  # without the record, the page's template is compiled
    assert (b"data:image/png;base64," in plain) is charts
    monkeypatch.setattr(precompiled_page, "_shipped_record", lambda: current_record)
    compiled.clear()
    assert render_html(context, pictures=drawn) == plain
    assert compiled == []  # from the record, nothing was compiled


def test_a_copy_of_the_page_template_is_compiled_from_the_record(
    tmp_path, monkeypatch, current_record: dict
) -> None:
    copy = tmp_path / "brand.html"  # as `perfreport template export` writes it
    shutil.copyfile(default_html_template(), copy)
    compiled = _compiles(monkeypatch)
    assert render_html(make_context(), copy) == render_html(make_context())
    assert compiled == []


def test_another_page_template_is_compiled_as_before(
    tmp_path, monkeypatch, current_record: dict
) -> None:
    restyled = tmp_path / "brand.html"
    source = _source().replace("<h1", '<h1 class="brand"', 1)
    assert source != _source()
    restyled.write_text(source, encoding="utf-8")
    assert not _from_record(make_html_environment(), source)
    compiled = _compiles(monkeypatch)
    page = render_html(make_context(), restyled).decode("utf-8")
    assert len(compiled) == 1
    assert '<h1 class="brand"' in page


def _one_filter_more(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(DEFAULT_FILTERS, "extra", str)


def _no_trimmed_blocks(monkeypatch: pytest.MonkeyPatch) -> None:
    made = make_html_environment

    def untrimmed():
        environment = made()
        environment.trim_blocks = False
        return environment

    monkeypatch.setattr("perfreport.paper.html.make_html_environment", untrimmed)


@pytest.mark.parametrize("change", [_one_filter_more, _no_trimmed_blocks])
def test_the_record_is_not_used_under_another_environment(
    monkeypatch, change, current_record: dict
) -> None:
    from perfreport.paper import html

    assert _from_record(html.make_html_environment(), _source())
    change(monkeypatch)
    assert not _from_record(html.make_html_environment(), _source())


def test_a_record_made_under_another_jinja_is_not_used(current_record: dict) -> None:
    assert _from_record(make_html_environment(), _source())
    current_record["environment"][0] = "jinja2 0.0"
    assert not _from_record(make_html_environment(), _source())


def test_a_missing_or_damaged_record_is_not_used(monkeypatch, tmp_path) -> None:
    record = json.loads(precompiled_page.page_record_text(make_html_environment(), _source()))
    damaged = tmp_path / precompiled_page.RECORD
    found = {"path": damaged}

    template = default_html_template()

    def shipped(name, *args):  # the record where the test puts it; the template as before
        return found["path"] if name == precompiled_page.RECORD else template

    monkeypatch.setattr("perfreport.paper.shipped.shipped_template", shipped)
    damaged.write_text(json.dumps(record), encoding="utf-8")
    assert _from_record(make_html_environment(), _source())  # read from where it is put
    damaged.write_text("{", encoding="utf-8")
    assert not _from_record(make_html_environment(), _source())
    found["path"] = tmp_path / "missing.json"
    assert not _from_record(make_html_environment(), _source())
    record["code"] = "def root(:"  # current in every other way
    damaged.write_text(json.dumps(record), encoding="utf-8")
    found["path"] = damaged
    assert not _from_record(make_html_environment(), _source())
    plain = render_html(make_context())  # the page is made all the same
    assert plain.startswith(b"<!DOCTYPE html>")
