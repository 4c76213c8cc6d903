"""Body tables written where they were parsed (paper.tableinplace): the bytes of rows moved into
the document (docxtpl's whole tree), and moved as before where they could differ."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from paperfactory import INDICATORS, make_context
from test_bodystream import _awkward_context, _awkward_template, _raw_environment

import perfreport.paper.document as document_module
from perfreport.paper import jinjatext, tableinplace
from perfreport.paper.document import make_environment, render_document
from perfreport.paper.template import default_template

W_URI = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _spy(monkeypatch, name: str) -> list[bool]:
    """For each call of InPlace.``name``: whether it gave something (not None)."""
    seen: list[bool] = []
    real = getattr(tableinplace.InPlace, name)

    def spy(*args):
        made = real(*args)
        seen.append(made is not None)
        return made

    monkeypatch.setattr(tableinplace.InPlace, name, spy)
    return seen


@pytest.fixture
def in_place(monkeypatch) -> list[bool]:
    """For each complete table not yet begun: whether it was written whole where it was parsed."""
    return _spy(monkeypatch, "fixed")


@pytest.fixture
def in_parts(monkeypatch) -> list[bool]:
    """For each long table past HELD: whether it was begun where it is parsed, in parts."""
    return _spy(monkeypatch, "begin")


def _both(context: dict, template: Path, pictures: dict) -> tuple[bytes, bytes]:
    streamed = render_document(context, template, required=[], pictures=pictures)
    whole = render_document(context, template, required=[], pictures=pictures, stream=False)
    return streamed, whole


def _body(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml")


@pytest.mark.parametrize("held", [tableinplace.HELD, -1])
def test_tables_written_where_they_were_parsed_are_as_if_moved(
    tmp_path, monkeypatch, in_place, in_parts, held
) -> None:
    """Nested tables, grids fitted, cell fills put in order, pictures numbered and links in
    rows: the same bytes as docxtpl's whole tree; with nothing held (-1), the tables that take
    more than one piece of text are written where they are a part at a time, the same bytes."""
    template = _awkward_template(tmp_path / "awkward.docx")
    document = Document(str(template))  # and a table with the report file's links in its cells
    for cell in document.add_table(rows=6, cols=2).columns[1].cells:
        cell.text = "{% for line in background %}{{ line }} {% endfor %}"
    document.save(str(template))
    context, pictures = _awkward_context()
    monkeypatch.setattr(jinjatext, "CHUNK", 700)
    monkeypatch.setattr(tableinplace, "HELD", held)
    streamed, whole = _both(context, template, pictures)
    assert streamed == whole
    assert _body(streamed).count(b"<w:hyperlink ") == 4 + 6 * 2
    if held < 0:  # (three take more than one piece of text: begun before they are complete)
        assert in_place == [True] and in_parts == [True, True, True]
    else:  # the column-loop table, the row table (with 40 nested tables), the narrow one and
        # the one with links
        assert in_place == [True, True, True, True] and not in_parts


def _declaring(text: str) -> dict:
    """The awkward template's context with ``text`` (XML, written as it is) in a row's cell."""
    context, _pictures = _awkward_context()
    context.update(title="Awkward", background=["plain"])
    for n, item in enumerate(context["items"]):
        item["text"] = f"Row {n}" + (text if n == 30 else "")
    return context


_DECLARING = [
    # A namespace in scope declared under another prefix: moving the row drops it.
    (f'</w:t></w:r><w:r xmlns:v="{W_URI}"><w:t>declared</w:t></w:r><w:r><w:t>', False),
    # The same namespace under two prefixes, one inside the other: the inner is dropped.
    (
        '</w:t></w:r><w:r><w:rPr><w:rStyle w:val="x"/></w:rPr><w:t>a</w:t></w:r>'
        '<w:customXml xmlns:p="urn:x" w:element="a"><w:customXml xmlns:q="urn:x" '
        'w:element="b"><w:r><w:t>b</w:t></w:r></w:customXml></w:customXml><w:r><w:t>',
        False,
    ),
    # Declared again as it is in scope: the writer's parser drops it, as a move does.
    (f'</w:t></w:r><w:r xmlns:w="{W_URI}"><w:t>again</w:t></w:r><w:r><w:t>', True),
    # A namespace of its own, once: kept both ways.
    ('</w:t></w:r><w:customXml xmlns:p="urn:x" w:element="a"/><w:r><w:t>', True),
]


def _raw(monkeypatch) -> None:
    monkeypatch.setattr(
        document_module, "make_environment", lambda: _raw_environment(make_environment())
    )


@pytest.mark.parametrize(("text", "taken"), _DECLARING)
def test_a_table_whose_bytes_could_differ_is_moved_as_before(
    tmp_path, monkeypatch, in_place, streams, text, taken
) -> None:
    template = _awkward_template(tmp_path / "awkward.docx")
    _context, pictures = _awkward_context()
    _raw(monkeypatch)
    streamed, whole = _both(_declaring(text), template, pictures)
    assert streamed == whole and streams == ["streamed"]
    # The column-loop table and the narrow one are written where they were parsed; the row
    # table only when its bytes are those of its rows moved.
    assert in_place == [True, taken, True]


@pytest.mark.parametrize(("text", "taken"), _DECLARING)
def test_a_long_table_whose_bytes_could_differ_goes_the_whole_way(
    tmp_path, monkeypatch, in_parts, streams, text, taken
) -> None:
    """Begun where it is parsed, a long table that then declares what a move would drop hands
    the body back to docxtpl's whole tree: the same bytes."""
    template = _awkward_template(tmp_path / "awkward.docx")
    _context, pictures = _awkward_context()
    _raw(monkeypatch)
    monkeypatch.setattr(jinjatext, "CHUNK", 700)
    monkeypatch.setattr(tableinplace, "HELD", -1)
    streamed, whole = _both(_declaring(text), template, pictures)
    assert streamed == whole and True in in_parts
    assert streams == ["streamed" if taken else "whole"]


def test_the_paper_written_in_parts_is_checked_as_it_is_written_whole(
    monkeypatch, in_parts
) -> None:
    """Appendix A's tables written a part at a time: the same bytes, and the check finds every
    indicator's ref and value in the paragraphs the writer took (it fails if one is lost)."""
    specs = [(s[0], f"{s[1]}-{n}", *s[2:]) for n in range(15) for s in INDICATORS]
    context = make_context(specs)
    monkeypatch.setattr(jinjatext, "CHUNK", 2_000)
    monkeypatch.setattr(tableinplace, "HELD", -1)
    streamed = render_document(context, default_template())
    assert streamed == render_document(context, default_template(), stream=False)
    assert in_parts.count(True) >= 5
