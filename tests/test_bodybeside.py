"""A long body's text parsed and written in a forked child (paper.bodybeside): the same .docx
bytes as the body streamed here and as docxtpl's whole tree, and the same way back when the
child refuses the text or dies."""

from __future__ import annotations

import os
import sys

import pytest
from paperfactory import INDICATORS, make_context
from test_bodystream import _awkward_context, _awkward_template, _document_xml, _raw_environment

import perfreport.paper.document as document_module
from perfreport.paper import bodybeside, bodystream, jinjatext
from perfreport.paper.document import make_environment, render_document
from perfreport.paper.template import default_template

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the child is forked: Linux only"
)


@pytest.fixture
def beside(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every body past its first 2,000 characters fed to a child (pytest's process may hold a
    watchdog thread; the child touches no lock), in texts of ~500 characters; the list gets
    each child's answer: "pieces", "refused" or "none"."""
    monkeypatch.setattr(bodybeside, "FED_BESIDE_FROM", 2_000)
    monkeypatch.setattr(jinjatext, "CHUNK", 500)
    seen: list[str] = []
    answer = bodybeside.Feeder.result

    def answered(self: bodybeside.Feeder):
        got = answer(self)
        seen.append(
            "refused" if got == bodybeside._REFUSED else "none" if got is None else "pieces"
        )
        return got

    monkeypatch.setattr(bodybeside.Feeder, "result", answered)
    return seen


def _forking(monkeypatch: pytest.MonkeyPatch, allowed: bool) -> None:
    monkeypatch.setattr(bodybeside, "can_fork", lambda: allowed)


def _linked_context() -> dict:
    """Fifteen times the factory's indicators, and links before and after the appendix."""
    specs = [(s[0], f"{s[1]}-{n}", *s[2:]) for n in range(15) for s in INDICATORS]
    context = make_context(specs)
    context["background"] = [
        "See [the Council Plan](https://example.gov.uk/plan) and [the budget]"
        "(https://example.gov.uk/budget).",
        "A line\nbroken, a\ttab, and [the plan](https://example.gov.uk/plan) again.",
    ]
    return context


def test_the_paper_fed_to_a_child_is_the_paper_streamed_here_and_whole(
    monkeypatch: pytest.MonkeyPatch, beside: list[str]
) -> None:
    context, template = _linked_context(), default_template()
    _forking(monkeypatch, True)
    forked = render_document(context, template)
    assert beside == ["pieces"]
    _forking(monkeypatch, False)  # as on Windows: no child, all of it here
    here = render_document(context, template)
    whole = render_document(context, template, stream=False)
    assert beside == ["pieces"]
    assert forked == here == whole
    body = _document_xml(forked)
    # The links, marked in the child, related here: their ids are in the paper.
    assert body.count(b"<w:hyperlink ") == 3 and b"perfreport-link" not in body
    assert b"ASC-01-14" in body


def test_pictures_tables_and_links_fed_to_a_child_are_docxtpls(
    tmp_path, monkeypatch: pytest.MonkeyPatch, beside: list[str]
) -> None:
    template = _awkward_template(tmp_path / "awkward.docx")
    context, pictures = _awkward_context()
    _forking(monkeypatch, True)
    forked = render_document(context, template, required=[], pictures=pictures)
    whole = render_document(context, template, required=[], pictures=pictures, stream=False)
    assert beside == ["pieces"]
    assert forked == whole
    body = _document_xml(forked)
    assert body.count(b"<w:drawing>") == 40 and body.count(b"<w:hyperlink ") == 4


def test_text_the_child_cannot_take_goes_the_whole_way_with_the_same_result(
    tmp_path, monkeypatch: pytest.MonkeyPatch, beside: list[str]
) -> None:
    """Row 7 breaks the body's XML after the child has taken over: it refuses, and docxtpl's
    recovering parse of the whole text makes the paper, as when the stream refuses it here."""
    template = _awkward_template(tmp_path / "awkward.docx")
    context, pictures = _awkward_context(broken="</w:t></w:r>")
    monkeypatch.setattr(
        document_module, "make_environment", lambda: _raw_environment(make_environment())
    )
    _forking(monkeypatch, True)
    forked = render_document(context, template, required=[], pictures=pictures)
    assert beside == ["refused"]
    whole = render_document(context, template, required=[], pictures=pictures, stream=False)
    assert forked == whole
    assert b"Row 6" in _document_xml(forked)


def test_a_child_that_dies_leaves_the_body_to_be_streamed_here(
    monkeypatch: pytest.MonkeyPatch, beside: list[str]
) -> None:
    context, template = _linked_context(), default_template()
    _forking(monkeypatch, False)
    here = render_document(context, template)
    fed = bodystream.BodyWriter.feed_bytes
    calls = {"n": 0}

    def dies(self, data: bytes) -> None:  # (only the child feeds bytes)
        calls["n"] += 1
        if calls["n"] == 3:
            os._exit(9)
        fed(self, data)

    monkeypatch.setattr(bodystream.BodyWriter, "feed_bytes", dies)
    monkeypatch.setattr(bodystream.BodyWriter, "feed", lambda self, text: fed(self, text.encode()))
    _forking(monkeypatch, True)
    assert render_document(context, template) == here
    assert beside == ["none"]


def test_a_short_body_is_not_fed_to_a_child(
    monkeypatch: pytest.MonkeyPatch, beside: list[str]
) -> None:
    monkeypatch.setattr(bodybeside, "FED_BESIDE_FROM", 1 << 30)
    _forking(monkeypatch, True)
    assert render_document(make_context(), default_template())
    assert beside == []


def _deflated_entries(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """For each .docx zipped from now on, whether its main part came deflated already."""
    seen: list[bool] = []
    real = document_module.write_package

    def spy(document, when, main=None, deflated=None):
        seen.append(deflated is not None)
        return real(document, when, main, deflated)

    monkeypatch.setattr(document_module, "write_package", spy)
    return seen


def test_a_body_without_links_comes_back_deflated_as_the_docx_holds_it(
    monkeypatch: pytest.MonkeyPatch, beside: list[str]
) -> None:
    specs = [(s[0], f"{s[1]}-{n}", *s[2:]) for n in range(15) for s in INDICATORS]
    context, template = make_context(specs), default_template()
    deflated = _deflated_entries(monkeypatch)
    _forking(monkeypatch, True)
    forked = render_document(context, template)
    _forking(monkeypatch, False)
    here = render_document(context, template)
    whole = render_document(context, template, stream=False)
    assert beside == ["pieces"] and deflated == [True, False, False]
    assert forked == here == whole
    # With links, the pieces holding their marks are made final here: zipped as before.
    _forking(monkeypatch, True)
    linked = _linked_context()
    assert render_document(linked, template) == render_document(linked, template, stream=False)
    assert beside == ["pieces", "pieces"] and deflated[3:] == [False, False]


def test_a_body_deflated_after_another_beginning_is_written_as_it_was(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from docxtpl import DocxTemplate

    context = make_context()
    environment = make_environment()
    made = []
    for deflate in (False, True):
        template = DocxTemplate(str(default_template()))
        template.init_docx()
        xml = template.patch_xml(template.get_xml())
        writer = bodystream.BodyWriter(template.docx.part)
        texts = jinjatext.rendered_text(template, xml, template.docx.part, context, environment)
        writer.feed(next(texts))
        if deflate:
            writer.deflate()
        # the document around the body changes after it began (the part begins otherwise)
        writer._root.set("changed", "yes")
        for text in texts:
            writer.feed(text)
        streamed, _links = writer.finish()
        assert streamed.pieces.entry is None
        assert b'changed="yes"' in streamed.before
        made.append(b"".join(streamed.xml()))
    assert made[0] == made[1]
