"""A template prepared in advance (paper.prepared: its parts patched and compiled while a build's
charts are drawn) fills in to the same bytes, and compiles nothing more during the render."""

from __future__ import annotations

import pytest
from paperfactory import make_context, template_with

from perfreport.paper.document import DocumentError, render_document
from perfreport.paper.prepared import prepare_template
from perfreport.paper.template import default_template


def _counting(prepared) -> list[str]:
    """The sources the prepared environment compiles from now on."""
    compiled: list[str] = []
    environment = prepared.environment
    compile_ = environment.compile

    def counted(source, *args, **kwargs):
        compiled.append(source)
        return compile_(source, *args, **kwargs)

    environment.compile = counted
    return compiled


@pytest.mark.parametrize("stream", [True, False])
def test_a_prepared_template_gives_the_same_bytes_and_compiles_nothing_more(stream) -> None:
    context = make_context()
    plain = render_document(context, default_template(), stream=stream)
    prepared = prepare_template(default_template())
    assert prepared is not None
    # the body, the header and footer parts: each part patched and compiled once
    assert len(prepared.patched) == len(prepared.environment.compiled) >= 3
    compiled = _counting(prepared)
    made = render_document(context, default_template(), stream=stream, prepared=prepared)
    assert made == plain
    assert compiled == []


def test_a_template_prepared_for_another_file_is_not_used(tmp_path) -> None:
    other = tmp_path / "other.docx"
    other.write_bytes(default_template().read_bytes())
    prepared = prepare_template(other)
    assert prepared is not None
    compiled = _counting(prepared)
    context = make_context()
    made = render_document(context, default_template(), prepared=prepared)
    assert made == render_document(context, default_template())
    assert compiled == []  # its environment was not the render's


@pytest.mark.parametrize(
    ("text", "prepares"),
    [
        ("{% if %}", False),  # a syntax error: the render reports it, as without preparing
        ("{{ 'x' * 10**9 }}", True),  # a bound: reached when filling in, as before
    ],
)
def test_a_faulty_template_fails_the_render_with_the_same_message(tmp_path, text, prepares):
    path = template_with(tmp_path, text)
    prepared = prepare_template(path)
    assert (prepared is not None) == prepares
    context = {"title": "Paper", "council": "Test Council", "subject": ""}
    with pytest.raises(DocumentError) as plain:
        render_document(context, path, required=[])
    with pytest.raises(DocumentError) as early:
        render_document(context, path, required=[], prepared=prepared)
    assert str(early.value) == str(plain.value)
    assert "cannot be filled in" in str(plain.value)


def test_a_corrupt_template_is_not_prepared(tmp_path) -> None:
    path = tmp_path / "template.docx"
    path.write_bytes(b"not a zip")
    assert prepare_template(path) is None
