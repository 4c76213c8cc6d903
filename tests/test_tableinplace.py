"""Body tables written where they were parsed (paper.tableinplace): the bytes of rows moved into
the document (docxtpl's whole tree), and moved as before where they could differ."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from test_bodystream import _awkward_context, _awkward_template, _raw_environment

import perfreport.paper.document as document_module
from perfreport.paper import jinjatext, tableinplace
from perfreport.paper.document import make_environment, render_document

W_URI = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


@pytest.fixture
def in_place(monkeypatch) -> list[bool]:
    """For each complete table not yet begun: whether it was written where it was parsed."""
    seen: list[bool] = []
    real = tableinplace.InPlace.fixed

    def spy(self, table, ns, number):
        made = real(self, table, ns, number)
        seen.append(made is not None)
        return made

    monkeypatch.setattr(tableinplace.InPlace, "fixed", spy)
    return seen


def _both(context: dict, template: Path, pictures: dict) -> tuple[bytes, bytes]:
    streamed = render_document(context, template, required=[], pictures=pictures)
    whole = render_document(context, template, required=[], pictures=pictures, stream=False)
    return streamed, whole


def _body(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml")


@pytest.mark.parametrize("held", [tableinplace.HELD, -1])
def test_tables_written_where_they_were_parsed_are_as_if_moved(
    tmp_path, monkeypatch, in_place, held
) -> None:
    """Nested tables, grids fitted, cell fills put in order, pictures numbered and a link in a
    row: the same bytes as docxtpl's whole tree; with nothing held (-1), the tables that take
    more than one piece of text are written row by row as before, to the same bytes."""
    template = _awkward_template(tmp_path / "awkward.docx")
    document = Document(str(template))  # and a table with the report file's links in a cell
    document.add_table(rows=1, cols=2).cell(
        0, 1
    ).text = "{% for line in background %}{{ line }} {% endfor %}"
    document.save(str(template))
    context, pictures = _awkward_context()
    monkeypatch.setattr(jinjatext, "CHUNK", 700)
    monkeypatch.setattr(tableinplace, "HELD", held)
    streamed, whole = _both(context, template, pictures)
    assert streamed == whole
    assert _body(streamed).count(b"<w:hyperlink ") == 4 + 2
    if held < 0:  # (two take more than one piece of text: begun before they are complete)
        assert in_place == [True, True]
    else:  # the column-loop table, the row table (with 40 nested tables), the narrow one and
        # the one with links
        assert in_place == [True, True, True, True]


def _declaring(text: str) -> dict:
    """The awkward template's context with ``text`` (XML, written as it is) in a row's cell."""
    context, _pictures = _awkward_context()
    context.update(title="Awkward", background=["plain"])
    for n, item in enumerate(context["items"]):
        item["text"] = f"Row {n}" + (text if n == 3 else "")
    return context


@pytest.mark.parametrize(
    ("text", "taken"),
    [
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
    ],
)
def test_a_table_whose_bytes_could_differ_is_moved_as_before(
    tmp_path, monkeypatch, in_place, text, taken
) -> None:
    template = _awkward_template(tmp_path / "awkward.docx")
    _context, pictures = _awkward_context()
    monkeypatch.setattr(
        document_module, "make_environment", lambda: _raw_environment(make_environment())
    )
    streamed, whole = _both(_declaring(text), template, pictures)
    assert streamed == whole
    # The column-loop table and the narrow one are written where they were parsed; the row
    # table only when its bytes are those of its rows moved.
    assert in_place == [True, taken, True]
