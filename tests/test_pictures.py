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
