"""paper.pictures and docxzip.write_package do what python-docx does, the same bytes, faster."""

from __future__ import annotations

import io
import zipfile

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from paperfactory import tiny_png

from perfreport.paper.pictures import PictureIndex


def _document_with_gaps():
    """A document that already holds pictures, with a gap in its image numbers and rIds."""
    document = Document()
    for shade in (1, 2, 3):
        document.add_picture(io.BytesIO(tiny_png(4, 3, shade)))
    part = document.part
    # image2 and its relationship go: the next picture takes number 2 and the free rId.
    second = next(p for p in part.package.image_parts if p.partname.idx == 2)
    part.package.image_parts._image_parts.remove(second)
    rid = next(
        r.rId for r in part.rels.values() if r.reltype == RT.IMAGE and r.target_part is second
    )
    del part.rels[rid]
    return document


def _placed(document, place) -> list[tuple[str, str, str]]:
    part = document.part
    # Pictures new to the document, pictures again, and one the document already holds.
    images = [tiny_png(5, 2, n % 7) for n in range(20)] + [tiny_png(4, 3, 1), tiny_png(5, 2, 3)]
    made = []
    for n, image in enumerate(images):
        width = 914400 * (1 + n % 3) if n % 2 else None
        inline = place(part, io.BytesIO(image), width)
        made.append(inline.xml)
    names = sorted((str(p.partname), p.sha1) for p in part.package.image_parts)
    rels = sorted(
        (r.rId, str(r.target_part.partname)) for r in part.rels.values() if r.reltype == RT.IMAGE
    )
    return [*made, repr(names), repr(rels)]


def test_the_index_places_pictures_as_python_docx_does():
    by_docx = _placed(
        _document_with_gaps(), lambda part, image, width: part.new_pic_inline(image, width)
    )
    index: dict[int, PictureIndex] = {}

    def by_index(part, image, width):
        return index.setdefault(id(part), PictureIndex(part)).new_pic_inline(image, width)

    mine = _placed(_document_with_gaps(), by_index)
    assert mine == by_docx
    # The checks above see new parts, a reused number and rId, and repeated pictures.
    assert "image2.png" in mine[-2] and mine[-2].count("/word/media/") == 9


def test_the_package_is_written_as_saving_and_normalising_it_would(tmp_path) -> None:
    import datetime as dt

    from perfreport.paper.docxzip import normalise_package, write_package

    document = _document_with_gaps()
    document.add_paragraph("Text with é and a tab\tin it")
    document.core_properties.title = "Pictures"
    when = dt.datetime(2024, 11, 28, 9, 0, 1)
    saved = io.BytesIO()
    document.save(saved)
    written = write_package(document, when)
    assert written == normalise_package(saved.getvalue(), when)
    with zipfile.ZipFile(io.BytesIO(written)) as package:
        names = package.namelist()
    assert names[:2] == ["[Content_Types].xml", "_rels/.rels"] and "word/media/image3.png" in names


def test_small_pictures_are_stored_and_the_other_parts_deflated() -> None:
    import datetime as dt
    import random
    import struct
    import zlib

    from perfreport.paper.docxzip import STORED_BELOW, normalise_package, write_package

    document = _document_with_gaps()
    # A picture past the limit: a PNG carrying ~6 KB of text that deflate can shrink.
    small = tiny_png(4, 3, 5)
    note = b"note\0" + "".join(random.Random(7).choice("ab ") for _ in range(6000)).encode()
    text = b"tEXt" + note
    chunk = struct.pack(">I", len(note)) + text + struct.pack(">I", zlib.crc32(text))
    document.add_picture(io.BytesIO(small[:33] + chunk + small[33:]))
    when = dt.datetime(2024, 11, 28, 9, 0, 1)
    saved = io.BytesIO()
    document.save(saved)
    written = write_package(document, when)
    assert written == normalise_package(saved.getvalue(), when)
    with zipfile.ZipFile(io.BytesIO(written)) as package, zipfile.ZipFile(saved) as original:
        kinds = {info.filename: info.compress_type for info in package.infolist()}
        sizes = {info.filename: info.file_size for info in package.infolist()}
        assert {name: package.read(name) for name in kinds} == {
            name: original.read(name) for name in original.namelist()
        }
    pictures = {name for name in kinds if name.startswith("word/media/")}
    big = {name for name in pictures if sizes[name] >= STORED_BELOW}
    assert len(pictures) == 3 and len(big) == 1
    assert {name for name, kind in kinds.items() if kind == zipfile.ZIP_STORED} == pictures - big
    assert all(kinds[name] == zipfile.ZIP_DEFLATED for name in set(kinds) - pictures | big)


def test_relationships_are_written_as_python_docx_writes_them() -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    from perfreport.paper.docxzip import package_parts, rels_xml

    document = _document_with_gaps()
    header = document.sections[0].header
    header.paragraphs[0].add_run().add_picture(io.BytesIO(tiny_png(4, 3, 1)))
    for address in ("https://example.gov.uk/a?b=1&c=<2>", 'https://x.example/"q"', "mailto:é@x"):
        document.part.relate_to(address, RT.HYPERLINK, is_external=True)
    package = document.part.package
    parts = [part for part in package_parts(package) if len(part.rels)]
    assert len(parts) == 3  # the document's, the header's, and one of python-docx's own
    for part in parts:
        assert rels_xml(part.rels, part.partname.baseURI) == part.rels.xml
    assert rels_xml(package.rels, "/") == package.rels.xml
    targets = [rel.target_ref for rel in document.part.rels.values()]
    assert any(t.startswith("media/image") for t in targets) and "header1.xml" in targets


def test_the_check_reads_every_paragraph_of_the_body_in_order() -> None:
    from docx.oxml import parse_xml

    from perfreport.paper.docxzip import xml_problems

    document = Document()
    document.add_paragraph("First")
    table = document.add_table(rows=2, cols=2)
    table.cell(1, 1).text = "In a cell"
    # A paragraph holding a text box whose paragraphs come before its own end.
    outer = document.add_paragraph("Outer ")
    box = parse_xml(
        '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape><v:textbox><w:txbxContent>'
        "<w:p><w:r><w:t>Inner one</w:t></w:r></w:p><w:p><w:r><w:t>Inner two</w:t></w:r></w:p>"
        "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    )
    outer._p.append(box)
    document.add_paragraph("Last")
    saved = io.BytesIO()
    document.save(saved)
    texts: list[str] = []
    assert xml_problems(saved.getvalue(), texts) == []
    body = Document(io.BytesIO(saved.getvalue())).element.body
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    read = ["".join(t.text or "" for t in p.iter(w + "t")) for p in body.iter(w + "p")]
    assert texts == read
    assert texts[-4:] == ["Outer Inner oneInner two", "Inner one", "Inner two", "Last"]


def test_the_parts_are_listed_as_python_docx_lists_them() -> None:
    from perfreport.paper.docxzip import package_parts

    document = _document_with_gaps()
    # A picture the body and a header share, an external link, and a picture seen twice.
    header = document.sections[0].header
    header.paragraphs[0].add_run().add_picture(io.BytesIO(tiny_png(4, 3, 1)))
    document.add_picture(io.BytesIO(tiny_png(4, 3, 3)))
    document.part.relate_to("https://example.org/", RT.HYPERLINK, is_external=True)
    package = document.part.package
    listed = package_parts(package)
    assert [id(part) for part in listed] == [id(part) for part in package.parts]
    assert len(listed) == len({id(part) for part in listed}) > 8


def test_a_chart_is_described_as_lxml_describes_it() -> None:
    import random

    from docx.oxml import parse_xml

    from perfreport.paper.pictures import RID_MARK
    from perfreport.paper.richtext import describe_chart, described_chart

    document = _document_with_gaps()
    index = PictureIndex(document.part)
    characters = list("ab é£😀&<>\"'\t\n\r;#x1") + ["\x01", "\ue0a0", "\ue0a1", "\ufffe", "]]>"]
    chooser = random.Random(14)
    compared = 0
    for n in range(400):
        xml, rid = index.new_pic_inline_xml(io.BytesIO(tiny_png(3 + n % 4, 2, n % 5)))
        assert RID_MARK in xml and rid.startswith("rId")
        alt, title = ("".join(chooser.choices(characters, k=chooser.randint(0, 12))) for _ in "at")
        try:
            inline = parse_xml(xml.replace(RID_MARK, rid, 1))
            describe_chart(inline, alt, title)
        except ValueError:  # lxml refuses a control character: so does the template's way
            with pytest.raises(ValueError):
                described_chart(xml, rid, alt, title)
            continue
        assert described_chart(xml, rid, alt, title) == str(inline.xml), (alt, title)
        compared += 1
    assert compared > 100, compared


def test_a_stand_ins_picture_is_read_once_for_all_that_differ_only_in_number() -> None:
    from docx.image.image import Image

    from perfreport.paper.chart_data import RagByGroup, RagOverTime, Sparkline
    from perfreport.paper.pictures import stand_in_key
    from perfreport.paper.standins import stand_in

    charts = [
        Sparkline((1.0, None, 2.0), (None, None, None), 2),
        Sparkline((3.0,), (1.0,), 0, width=2.1, height=0.5),
        RagByGroup(("A", "B", "C"), ((1, 2, 3),) * 3, None, "Q2", ""),
        RagOverTime(("Q1", "Q2"), ((1, 2, 3), (3, 2, 1))),
    ]
    pngs = [stand_in(chart, number) for number in range(40) for chart in charts]
    pngs += [tiny_png(5, 2, 3), tiny_png(4, 3, 1)]  # not stand-ins: read whole each time
    index = PictureIndex(Document().part)
    for png in pngs:
        mine, docx = index._image(io.BytesIO(png)), Image.from_file(io.BytesIO(png))
        assert (mine.blob, mine.filename, mine.sha1) == (docx.blob, docx.filename, docx.sha1)
        assert (mine.ext, mine.content_type) == (docx.ext, docx.content_type)
        read = (mine.px_width, mine.px_height, mine.horz_dpi, mine.vert_dpi)
        assert read == (docx.px_width, docx.px_height, docx.horz_dpi, docx.vert_dpi)
    assert len(index._headers) == len(charts)  # the four sizes, each read once
    # Only a stand-in has a key; it leaves out the number, and nothing else.
    first, second = stand_in(charts[0], 1), stand_in(charts[0], 2)
    assert stand_in_key(first) == stand_in_key(second) is not None
    assert stand_in_key(first) != stand_in_key(stand_in(charts[1], 1))
    assert stand_in_key(first + b"more") != stand_in_key(second)
    assert stand_in_key(tiny_png(5, 2, 3)) is None and stand_in_key(first[:60]) is None
    assert stand_in_key(first[:70]) is None  # cut short within its number


def _read_part_before(stream, texts: list[str]) -> None:
    """docxzip._read_part's main-part reading as it was (each paragraph's ancestors listed to
    see whether it is in the body): what the faster one must give."""
    from lxml import etree

    from perfreport.paper.docxzip import _BODY, _P, _STRICT, _TR, _W

    opened: list[int] = []
    for event, element in etree.iterparse(
        stream, events=("start", "end"), tag=(_P, _TR), **_STRICT
    ):
        if event == "start":
            if element.tag == _P:
                ancestors = list(element.iterancestors())
                in_body = len(ancestors) >= 2 and ancestors[-2].tag == _BODY
                opened.append(len(texts) if in_body else -1)
                texts.extend([""] if in_body else [])
            continue
        if element.tag == _P and (at := opened.pop()) >= 0:
            texts[at] = "".join(t.text or "" for t in element.iter(_W + "t"))
        if not opened:
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]


def test_the_main_part_is_read_as_before_on_random_documents() -> None:
    """Bodies at the top and deeper, paragraphs in and out of them and inside each other
    (text boxes), rows, texts with children and tails, another root: the same texts, in the
    same order, as the reading before; and the same parts refused."""
    import random

    from perfreport.paper.docxzip import _read_part

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    chooser = random.Random(17)
    tags = ["w:body", "w:p", "w:p", "w:tr", "w:t", "w:t", "w:r", "w:tbl", "w:tc", "w:x"]

    def element(depth: int) -> str:
        if depth > 6 or chooser.random() < 0.25:
            return chooser.choice(["a", "b&amp;c", "", " d ", "é"])
        tag = chooser.choice(tags)
        inner = "".join(element(depth + 1) for _ in range(chooser.randint(0, 4)))
        return f"<{tag}>{inner}</{tag}>" + chooser.choice(["", "tail"])

    differing = in_body = 0
    for n in range(3_000):
        root = chooser.choice(["w:document", "w:document", "w:body", "w:other"])
        body = "".join(element(1) for _ in range(chooser.randint(1, 4)))
        if chooser.random() < 0.6:  # a body at the top, as in a paper
            body = f"<w:body>{body}<w:p><w:r><w:t>{n}</w:t></w:r></w:p></w:body>"
        xml = f"<{root} {w}>{body}</{root}>"
        if n % 50 == 0:
            xml = xml.replace("</w:p>", "</w:t>", 1)  # some not well-formed
        results = []
        for read in (_read_part, _read_part_before):
            texts: list[str] = []
            try:
                read(io.BytesIO(xml.encode()), texts)
                results.append(("parsed", texts))
            except Exception as exc:
                results.append((type(exc).__name__, str(exc)))
        assert results[0] == results[1], xml
        differing += results[0][0] != "parsed"
        in_body += results[0][0] == "parsed" and bool(results[0][1])
    assert differing > 20 and in_body > 1_000, (differing, in_body)
