"""The streamed body's writer finds what the paper's check looks for as it writes each paragraph
(paper.bodystream): the check then parses the main part strictly without building a tree of it,
and still fails every paper it failed when it built one."""

from __future__ import annotations

import io
import os
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import OxmlElement
from lxml import etree
from paperfactory import make_context
from test_bodybeside import _linked_context
from test_bodystream import _awkward_context, _awkward_template, _raw_environment

import perfreport.paper.document as document_module
from perfreport.paper import bodybeside, bodystream, checkbeside, docxzip, tableinplace
from perfreport.paper.bodystream import BodyWriter, Unstreamable
from perfreport.paper.document import DocumentError, make_environment, render_document
from perfreport.paper.template import default_template

W_URI = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAIN = "word/document.xml"
STRICT = etree.XMLParser(recover=False, resolve_entities=False, huge_tree=False)


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], tuple[str, ...] | None]]:
    """Each body written here (no child): the paragraphs' texts its writer took, and what it
    found missing."""
    monkeypatch.setattr(bodybeside, "can_fork", lambda: False)
    seen: list[tuple[list[str], tuple[str, ...] | None]] = []
    finish = BodyWriter.finish

    def spy(self: BodyWriter):
        made = finish(self)
        seen.append((list(self._texts), made[0].missing))
        return made

    monkeypatch.setattr(BodyWriter, "finish", spy)
    return seen


def _main_part(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read(MAIN)


def _with_main(data: bytes, xml: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info, xml if info.filename == MAIN else source.read(info))
    return out.getvalue()


def _checks_texts(data: bytes) -> list[str]:
    """The body's paragraphs' texts as the check reads them in the .docx."""
    texts: list[str] = []
    assert docxzip.xml_problems(data, texts) == []
    return texts


@pytest.mark.parametrize("paper", ["linked", "awkward"])
def test_the_writer_reads_each_paragraph_as_the_check_reads_it(
    paper: str, tmp_path: Path, written
) -> None:
    # The default template with links (made after the text is written: their text changes), and
    # one with nested tables, a table's loop of columns, pictures and links.
    if paper == "linked":
        context, template, pictures = _linked_context(), default_template(), None
    else:
        template = _awkward_template(tmp_path / "awkward.docx")
        context, pictures = _awkward_context()
    data = render_document(context, template, required=[], pictures=pictures)
    [(texts, missing)] = written
    assert texts == _checks_texts(data) and missing == () and len(texts) > 40


def test_the_writer_finds_the_strings_the_check_would_miss(written) -> None:
    context, template = _linked_context(), default_template()
    texts = _checks_texts(render_document(context, template, required=[]))
    at = next(n for n in range(10, len(texts)) if texts[n] and texts[n + 1])
    one, two = texts[at], texts[at + 1]
    # a whole paragraph, a part of one, two joined by a new line (found), and two not there
    required = [one, one[:-1], one + "\n" + two, "ZZZ-99", one + "\u2603"]
    with pytest.raises(DocumentError) as streamed:
        render_document(context, template, required=required)
    assert written[-1][1] == ("ZZZ-99", one + "\u2603")
    with pytest.raises(DocumentError) as whole:  # docxtpl's whole tree: the check reads it all
        render_document(context, template, required=required, stream=False)
    assert str(streamed.value) == str(whole.value) and "'ZZZ-99'" in str(whole.value)


def test_the_check_parses_without_a_tree_what_the_writer_read(monkeypatch) -> None:
    here = render_document(make_context(), default_template())
    good = _main_part(here)

    def no_tree(*args) -> None:
        raise AssertionError("the part was read with a tree")

    monkeypatch.setattr(docxzip, "_read_part", no_tree)
    read = docxzip.read_main_part(MAIN, [good[:1000], good[1000:]], ["ASC-01"], missing=())
    assert read.parsed and read.missing == () and docxzip.holds_read_part(here, read)
    found = docxzip.read_main_part(MAIN, [good], ["ZZZ-99"], missing=("ZZZ-99",))
    assert found.parsed and found.missing == ("ZZZ-99",)
    # Pieces that are not well-formed XML are not parsed, whatever the writer found: the check
    # then reads the part in the .docx (with a tree again), and fails naming it.
    monkeypatch.undo()
    cell = good.index(b"</w:tc>")
    for broken in (
        good[:-5],  # cut short
        good[:cell] + good[cell + 7 :],  # a cell's end lost
        good.replace(b"<w:t>", b"<w:t>\x01", 1),  # a character XML cannot hold
        good.replace(b"<w:t>", b"<w:t>&nbsp;", 1),  # an entity not declared
    ):
        read = docxzip.read_main_part(MAIN, [broken], ["ASC-01"], missing=())
        assert not read.parsed
        with pytest.raises(DocumentError, match=MAIN):
            document_module.verify_document(_with_main(here, broken), ["ASC-01"], read)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check's child is forked")
@pytest.mark.parametrize("child", [True, False])
def test_a_body_written_wrong_fails_the_check(monkeypatch, child: bool) -> None:
    """Were the writer to join its pieces wrongly (a row's cell left open), the part the check
    parses is not well-formed: it fails, in the child or here."""
    monkeypatch.setattr(checkbeside, "can_fork", lambda: child)
    monkeypatch.setattr(checkbeside, "BESIDE_FROM", 0)
    content = bodystream._content
    wronged: list[bytes] = []

    def wrong(element) -> bytes:
        data = content(element)
        if wronged or b"</w:tc>" not in data:
            return data
        wronged.append(data)
        return data.replace(b"</w:tc>", b"", 1)

    monkeypatch.setattr(bodystream, "_content", wrong)
    written = tableinplace.InPlace.written  # (a table written where it was parsed)
    monkeypatch.setattr(
        tableinplace.InPlace, "written", lambda self, table: wrong_bytes(written(self, table))
    )

    def wrong_bytes(data: bytes | None) -> bytes | None:
        if data is None or wronged or b"</w:tc>" not in data:
            return data
        wronged.append(data)
        return data.replace(b"</w:tc>", b"", 1)

    with pytest.raises(DocumentError, match="failed its checks: word/document.xml"):
        render_document(make_context(), default_template())
    assert len(wronged) == 1


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the check's child is forked")
def test_the_checks_child_is_given_what_the_writer_found(monkeypatch) -> None:
    monkeypatch.setattr(checkbeside, "can_fork", lambda: True)
    monkeypatch.setattr(checkbeside, "BESIDE_FROM", 0)
    given: list[tuple[str, ...] | None] = []
    real, answer = checkbeside.read_main_part, checkbeside.Reading.result

    def reads(name, pieces, wanted, missing=None):
        if missing is None:  # (in the child: it dies, and the check is made here)
            os._exit(3)
        return real(name, pieces, wanted, missing)

    def answered(self):
        got = answer(self)
        given.append(None if got is None else got.missing)
        return got

    monkeypatch.setattr(checkbeside, "read_main_part", reads)
    monkeypatch.setattr(checkbeside.Reading, "result", answered)
    context, template = make_context(), default_template()
    assert render_document(context, template) == render_document(context, template, stream=False)
    with pytest.raises(DocumentError, match="'ZZZ-99'"):
        render_document(context, template, required=["ASC-01", "ZZZ-99"])
    assert given == [(), ("ZZZ-99",)]


def test_without_a_child_the_part_is_read_here_as_the_child_reads_it(monkeypatch) -> None:
    """Where there is no fork (Windows, macOS) or the paper is small: no tree either."""
    monkeypatch.setattr(checkbeside, "can_fork", lambda: False)
    trees: list[int] = []
    reads = docxzip._read_part

    def read(stream, texts):
        trees.extend([1] if texts is not None else [])  # (the main part's reading)
        return reads(stream, texts)

    monkeypatch.setattr(docxzip, "_read_part", read)
    context, template = make_context(), default_template()
    assert render_document(context, template) == render_document(context, template, stream=False)
    assert trees == [1]  # docxtpl's whole tree's paper, read whole
    with pytest.raises(DocumentError, match="'ZZZ-99'"):
        render_document(context, template, required=["ASC-01", "ZZZ-99"])
    assert trees == [1]


def test_text_docxtpl_recovers_from_is_checked_whole(tmp_path, monkeypatch) -> None:
    """Jinja's text not well-formed: the stream refuses it, docxtpl's recovering parse makes
    the paper, and the check reads the .docx's main part itself, missing strings and all."""
    template = _awkward_template(tmp_path / "awkward.docx")
    context, pictures = _awkward_context(broken="</w:t></w:r>")
    monkeypatch.setattr(
        document_module, "make_environment", lambda: _raw_environment(make_environment())
    )
    here: list[int] = []
    reads = docxzip._read_part

    def read(stream, texts):
        here.extend([1] if texts is not None else [])
        return reads(stream, texts)

    monkeypatch.setattr(docxzip, "_read_part", read)
    with pytest.raises(DocumentError, match="'ZZZ-99'"):
        render_document(context, template, required=["Row 6", "ZZZ-99"], pictures=pictures)
    assert here == [1]


# -- the writer's parse: what a tree's parse refuses, it refuses ------------------------------


def _written(text: str, wanted: list[str] | None = None, document=None) -> bytes:
    writer = BodyWriter((document or Document()).part, wanted)
    writer.feed(text)
    streamed, _links = writer.finish()
    return b"".join(streamed.xml())


def _body(inner: str) -> str:
    return f'<w:body xmlns:w="{W_URI}"><w:p>{inner}</w:p><w:sectPr/></w:body>'


def test_a_strict_parse_takes_256_levels_and_refuses_257() -> None:
    """libxml2's limit, which the writer's margin below is counted from."""
    etree.fromstring(b"<a>" * 256 + b"</a>" * 256, STRICT)
    with pytest.raises(etree.XMLSyntaxError, match="depth"):
        etree.fromstring(b"<a>" * 257 + b"</a>" * 257, STRICT)


def test_a_body_as_deep_as_the_check_allows_goes_the_whole_way() -> None:
    # In the document: w:document, w:body, w:p and n runs, the deepest at 3 + n.
    deepest = _written(_body("<w:r>" * 252 + "</w:r>" * 252))  # 255: a link's run may go to 256
    etree.fromstring(deepest, STRICT)
    with pytest.raises(etree.XMLSyntaxError, match="depth"):
        _written(_body("<w:r>" * 253 + "</w:r>" * 253))  # 256: the whole tree's way


@pytest.mark.parametrize(
    "inner",
    [
        '<x:r xmlns:x=""/>',
        "<x:r/>",
        '<w:r x:a="1"/>',
        '<w:r xmlns:v="u" xmlns:z="u" v:a="1" z:a="2"/>',
    ],
)
def test_namespaces_a_trees_parse_refuses_are_refused_by_the_writer(inner: str) -> None:
    with pytest.raises(etree.XMLSyntaxError):
        _written(_body(inner))


def test_only_white_space_may_come_around_the_rendered_body() -> None:
    plain = _written(_body("<w:r/>"))
    assert _written(" \r\n\t" + _body("<w:r/>") + "\n ") == plain
    outside = [_body("") + "x", _body("") + "<!--c-->", "<?pi?>" + _body(""), "\u00a0" + _body("")]
    outside += [_body("") + _body(""), f'<w:x xmlns:w="{W_URI}">{_body("")}</w:x>']
    for text in outside:
        with pytest.raises((Unstreamable, etree.XMLSyntaxError)):
            _written(text)


def test_a_document_with_paragraphs_outside_its_body_is_checked_whole() -> None:
    text = _body("<w:r><w:t>ASC-01</w:t></w:r>")
    writer = BodyWriter(Document().part, ["ASC-01", "ZZZ-99"])
    writer.feed(text)
    assert writer.finish()[0].missing == ("ZZZ-99",)
    document = Document()
    document.element.insert(0, OxmlElement("w:p"))
    writer = BodyWriter(document.part, ["ASC-01", "ZZZ-99"])
    writer.feed(text)
    assert writer.finish()[0].missing is None
