"""The streamed body (paper.bodystream) writes the same .docx bytes as docxtpl's whole tree."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from buildfactory import Q2, copy_example
from docx import Document
from docxtpl import DocxTemplate
from lxml import etree
from paperfactory import INDICATORS, make_context, tiny_png

import perfreport.paper.document as document_module
from perfreport.build import PdfMode, build_paper
from perfreport.paper import jinjatext, xmlpieces
from perfreport.paper.document import make_environment, render_document
from perfreport.paper.tablegrid import fit_tables
from perfreport.paper.template import default_template

W_URI = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{" + W_URI + "}"


def _both(context, template: Path, **kwargs) -> tuple[bytes, bytes]:
    streamed = render_document(context, template, **kwargs)
    whole = render_document(context, template, stream=False, **kwargs)
    return streamed, whole


def _document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml")


# -- the paper -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("chunk", "packed"), [(jinjatext.CHUNK, False), (997, True), (64, False)])
def test_the_default_template_gives_the_same_bytes_streamed_in_any_pieces(
    monkeypatch, streams, chunk, packed
) -> None:
    # Fifteen times the factory's indicators: Appendix A's tables are cut into many pieces.
    specs = [(s[0], f"{s[1]}-{n}", *s[2:]) for n in range(15) for s in INDICATORS]
    context = make_context(specs)
    context["background"] = [
        "See [the Council Plan](https://example.gov.uk/plan) and [the budget]"
        "(https://example.gov.uk/budget).",
        "A line\nbroken, a\ttab, and [the plan](https://example.gov.uk/plan) again.",
    ]
    monkeypatch.setattr(jinjatext, "CHUNK", chunk)
    if packed:  # the XML held packed from the start, in runs of 4 kB
        monkeypatch.setattr(xmlpieces, "PACK_AFTER", 0)
        monkeypatch.setattr(xmlpieces, "RUN", 4096)
    streamed, whole = _both(context, default_template())
    assert streams == ["streamed"]
    assert streamed == whole
    body = _document_xml(streamed)
    assert body.count(b"<w:hyperlink ") == 3 and b"ASC-01-14" in body


def test_the_example_paper_is_the_same_streamed_and_whole(tmp_path, monkeypatch, streams) -> None:
    """The example's own context, with its charts, figure and links, rendered both ways."""
    taken: dict = {}
    real = render_document

    def keep(context, template, **kwargs):
        taken.update(context=context, template=template, kwargs=kwargs)
        return real(context, template, **kwargs)

    monkeypatch.setattr(document_module, "render_document", keep)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    built = build_paper(copy_example("somerset", tmp_path / "somerset"), Q2, pdf=PdfMode.OFF)
    assert built.published
    monkeypatch.setattr(jinjatext, "CHUNK", 4_000)
    monkeypatch.setattr(xmlpieces, "PACK_AFTER", 0)  # packed, around the pieces with links
    monkeypatch.setattr(xmlpieces, "RUN", 10_000)
    streamed, whole = _both(taken["context"], taken["template"], **taken["kwargs"])
    assert streams == ["streamed", "streamed"]
    assert streamed == whole
    body = _document_xml(streamed)
    assert body.count(b"<wp:docPr ") > 90 and b"<w:hyperlink " in body


# -- a template with what docxtpl fixes ----------------------------------------------------------


def _awkward_template(path: Path) -> Path:
    """Column loops (tables gain grid columns), a table with fewer cells than its grid, a nested
    table, cell fills, row loops with pictures, links, tabs and line breaks."""
    document = Document()
    document.add_paragraph("{{ title }}")
    document.add_paragraph("{% for line in background %}{{ line }} {% endfor %}")
    looped = document.add_table(rows=2, cols=4)
    for row, label in zip(looped.rows, ("Name", "{{ name }}"), strict=True):
        row.cells[0].text = label
        row.cells[1].text = "{%tc for v in values %}"
        row.cells[2].text = "{{ v }}"
        row.cells[3].text = "{%tc endfor %}"
    rows = document.add_table(rows=3, cols=3)
    rows.cell(0, 0).text = "{%tr for item in items %}"
    rows.cell(1, 0).text = "{% cellbg item.fill %}{{ item.text }}"
    rows.cell(1, 1).text = "{{ item.chart }}"
    inner = rows.cell(1, 2).add_table(rows=1, cols=2)
    inner.cell(0, 0).text = "{{ item.ref }}"
    inner.cell(0, 1).text = "{{ item.text }}"
    rows.cell(2, 0).text = "{%tr endfor %}"
    narrow = document.add_table(rows=2, cols=4)
    for row in narrow.rows:
        for cell in row.cells[2:]:
            row._tr.remove(cell._tc)
        row.cells[0].text = "{{ title }}"
    document.add_paragraph("{% for line in background %}{{ line }}\n{% endfor %}end")
    document.save(path)
    return path


def _awkward_context(broken: str = "") -> tuple[dict, dict]:
    pictures = {
        f"chart:{n}": SimpleNamespace(
            png=tiny_png(4 + n % 3, 3, n % 5), alt=f"Alt {n}", title=f"T{n}"
        )
        for n in range(6)
    }
    items = [
        {
            "ref": f"R-{n}",
            "text": f"Row {n}\twith a tab\nand a break" + (broken if n == 7 else ""),
            "fill": "FF0000" if n % 2 else "00FF00",
            "chart": f"chart:{n % 6}",
        }
        for n in range(40)
    ]
    context = {
        "title": "Awkward & <odd>",
        "name": "Values",
        "values": ["one", "two", "three", "four", "five"],
        "background": ["[A link](https://example.gov.uk/a) first", "then [B](https://b.example/)"],
        "items": items,
        "council": "Council",
    }
    return context, pictures


def test_what_docxtpl_fixes_in_the_whole_tree_is_fixed_the_same_streamed(
    tmp_path, monkeypatch, streams
) -> None:
    template = _awkward_template(tmp_path / "awkward.docx")
    context, pictures = _awkward_context()
    monkeypatch.setattr(jinjatext, "CHUNK", 500)
    streamed, whole = _both(context, template, required=[], pictures=pictures)
    assert streams == ["streamed"]
    assert streamed == whole
    body = etree.fromstring(_document_xml(streamed))
    grids = [len(t.findall(f"{W}tblGrid/{W}gridCol")) for t in body.iter(W + "tbl")]
    # Widened to six cells; the row table and the 40 nested ones as they are; four cut to two.
    assert grids == [6, 3, *[2] * 40, 2]
    assert len(body.findall(f".//{W}hyperlink")) == 4
    assert len(body.findall(f".//{W}drawing")) == 40


def test_text_that_is_not_well_formed_xml_goes_the_whole_way_with_the_same_result(
    tmp_path, monkeypatch, streams
) -> None:
    """docxtpl's parser recovers from broken XML; the stream stops and hands the body back,
    after links and pictures were already placed for the rows before the break."""
    template = _awkward_template(tmp_path / "awkward.docx")
    context, pictures = _awkward_context(broken="</w:t></w:r>")
    monkeypatch.setattr(jinjatext, "CHUNK", 500)
    monkeypatch.setattr(
        document_module, "make_environment", lambda: _raw_environment(make_environment())
    )
    streamed, whole = _both(context, template, required=[], pictures=pictures)
    assert streams == ["whole"]
    assert streamed == whole
    assert b"Row 6" in _document_xml(streamed)


def _raw_environment(environment):
    """The paper's environment, but a row's text written as XML as it is (what a template's
    |safe would do): the row with "</w:t></w:r>" breaks the body's XML."""
    from markupsafe import Markup

    environment.finalize = lambda value: Markup(value) if isinstance(value, str) else value
    return environment


# -- the pieces ----------------------------------------------------------------------------------


def _table(grid: list[str | None], rows: list[list[int]]) -> str:
    cols = "".join(f'<w:gridCol w:w="{w}"/>' if w else "<w:gridCol/>" for w in grid)
    cells = "".join(
        "<w:tr>"
        + "".join(
            f'<w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr><w:p/></w:tc>'
            if span > 1
            else "<w:tc><w:p/></w:tc>"
            for span in row
        )
        + "</w:tr>"
        for row in rows
    )
    return f"<w:tbl><w:tblPr/><w:tblGrid>{cols}</w:tblGrid>{cells}</w:tbl>"


# A table whose one cell holds a table of three cells a row: docxtpl counts the inner rows for
# the outer table too, so both gain columns.
_NESTED = _table(["900", "900"], [[1]]).replace("<w:p/>", _table(["50"], [[1, 1, 1]]) + "<w:p/>")


@pytest.mark.parametrize(
    ("table", "columns"),
    [
        (_table(["1000", "2000"], [[1, 1, 1, 1], [1, 1]]), [4]),  # gains two columns
        (_table(["1000", "2000", "3000", "4000"], [[2], [1, 1]]), [2]),  # loses two
        (_table(["1000", "2000", "3000"], [[1, 2], [1, 1, 1]]), [3]),  # as it is
        (_table([None, None], [[1, 1, 1]]), [2]),  # no widths to share: none gained
        (_NESTED, [3, 3]),
    ],
)
def test_fitting_a_table_grid_does_what_docxtpl_does(table: str, columns: list[int]) -> None:
    xml = f'<w:body xmlns:w="{W_URI}">{table}<w:p/></w:body>'.encode()
    by_docxtpl = DocxTemplate.fix_tables(None, xml)
    mine = etree.fromstring(xml)
    fit_tables(mine, W)
    assert etree.tostring(mine) == etree.tostring(by_docxtpl)
    assert [len(t.findall(f"{W}tblGrid/{W}gridCol")) for t in mine.iter(W + "tbl")] == columns


@pytest.mark.parametrize("chunk", [1, 5, 40, 1 << 20])
def test_the_rendered_text_in_pieces_is_docxtpls_rendered_text(monkeypatch, chunk) -> None:
    template = DocxTemplate(str(default_template()))
    template.render_init()
    paragraphs = "".join(
        f'<w:p w:rsidR="{n}"><w:pPr><w:pStyle w:val="S"/></w:pPr><w:r><w:rPr><w:b/></w:rPr>'
        f"<w:t>{{{{ words[{n % 3}] }}}} {{_{{ {n} }}_}} {{_%x%_}}</w:t></w:r></w:p>\n<w:p>"
        "<w:r><w:t>plain</w:t></w:r></w:p>"
        for n in range(12)
    )
    source = f'<w:body xmlns:w="{W_URI}">{paragraphs}<w:sectPr/></w:body>'
    context = {"words": ["a\tb", "line\nbreak", "<&>"]}
    part = template.docx.part
    whole = template.render_xml_part(source, part, context, make_environment())
    monkeypatch.setattr(jinjatext, "CHUNK", chunk)
    pieces = list(jinjatext.rendered_text(template, source, part, context, make_environment()))
    assert "".join(pieces) == whole
    assert len(pieces) > 1 if chunk < 100 else len(pieces) == 1
    assert "<w:tab/>" in whole and "<w:br/>" in whole and "{{ 3 }}" in whole


def test_unpatching_gives_docxtpls_text_on_random_text() -> None:
    import random
    import re

    from perfreport.paper.jinjatext import _unpatch

    def docxtpls(text: str) -> str:  # render_xml_part's passes after Jinja
        text = re.sub(r"\n<w:p([ >])", r"<w:p\1", text)
        return (
            text.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        )

    tokens = ["\n", "<w:p", " ", ">", "<w:p>", "{", "}", "_", "%", "{_", "_}", "x", "\n<w:p "]
    chooser = random.Random(16)
    changed = 0
    for _ in range(5_000):
        text = "".join(chooser.choice(tokens) for _ in range(chooser.randint(0, 40)))
        assert _unpatch(text) == docxtpls(text), repr(text)
        changed += _unpatch(text) != text
    assert changed > 2_000, changed
