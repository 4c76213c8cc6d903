"""Links and figures in the rendered paper: report-file links as hyperlinks, figures as pictures."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping
from typing import Any

from perfreport.inputs.report_figures import LINK, link_allowed
from perfreport.inputs.report_file import PROSE_KEYS
from perfreport.paper.cover import FIELD_OF_ITEM
from perfreport.paper.pictures import RID_MARK, new_pic_inline, picture_index

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
# A link travels through the template as "\ue000text\ue001address\ue002" (private-use
# characters, which textsafety removes from every other text), then becomes a w:hyperlink.
_OPEN, _MIDDLE, _CLOSE = "\ue000", "\ue001", "\ue002"
LINK_START = _OPEN  # what starts a marked link
_MARKED = re.compile(f"{_OPEN}([^{_MIDDLE}]*){_MIDDLE}([^{_CLOSE}]*){_CLOSE}")
_MARKED_RUNS: Any = None  # made at first use: lxml is imported only to render
FIGURE_WIDTH_MM = 160  # the most a figure takes of the portrait text width (170 mm)


def _mark(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        words, url = match.groups()
        # A link the report file's check refused stays as written, so it is seen and fixed.
        return f"{_OPEN}{words}{_MIDDLE}{url}{_CLOSE}" if link_allowed(url) else match.group(0)

    return LINK.sub(one, text)


def mark_links(context: Mapping[str, Any]) -> dict[str, Any]:
    """``context`` with the report file's [text](address) links marked for :func:`make_links`."""
    marked = dict(context)
    for item in PROSE_KEYS:
        key = FIELD_OF_ITEM.get(item, item)
        value = marked.get(key)
        if isinstance(value, list | tuple):
            marked[key] = [_mark(v) if isinstance(v, str) else v for v in value]
    return marked


def make_links(document) -> None:
    """Turn each marked link in the rendered body into a w:hyperlink in the Hyperlink style."""
    part = document.part
    make_links_in(
        document.element.body, lambda url: part.relate_to(url, HYPERLINK, is_external=True)
    )


def make_links_in(element, relate: Callable[[str], str]) -> None:
    """:func:`make_links` within ``element``, in document order: ``relate(address)`` gives each
    link's relationship id."""
    from docx.oxml import OxmlElement

    global _MARKED_RUNS
    if _MARKED_RUNS is None:
        from lxml import etree

        # The runs with a marked link, in document order, found by lxml: most of a paper has none.
        query = f".//w:r[.//w:t[contains(text(), '{_OPEN}')]]"
        _MARKED_RUNS = etree.XPath(query, namespaces={"w": W[1:-1]})
    for run in _MARKED_RUNS(element):
        properties = run.find(W + "rPr")
        replacement = []
        current = _new_run(
            properties,
        )
        for child in run:
            if child.tag == W + "rPr":
                continue
            if child.tag != W + "t" or _OPEN not in (child.text or ""):
                current.append(copy.deepcopy(child))
                continue
            text, start = child.text, 0
            for match in _MARKED.finditer(text):
                if match.start() > start:
                    current.append(_text(text[start : match.start()]))
                replacement.append(current)
                link = OxmlElement("w:hyperlink")
                link.set(R_ID, relate(match.group(2)))
                inner = _new_run(properties, "Hyperlink")
                inner.append(_text(match.group(1)))
                link.append(inner)
                replacement.append(link)
                current = _new_run(
                    properties,
                )
                start = match.end()
            if start < len(text):
                current.append(_text(text[start:]))
        replacement.append(current)
        parent = run.getparent()
        index = parent.index(run)
        parent.remove(run)
        for offset, element in enumerate(e for e in replacement if _has_content(e)):
            parent.insert(index + offset, element)


def _new_run(properties, style: str | None = None):
    """A run with a copy of ``properties`` (the template's run formatting), in ``style``."""
    from docx.oxml import OxmlElement

    made = OxmlElement("w:r")
    if properties is not None or style:
        props = copy.deepcopy(properties) if properties is not None else OxmlElement("w:rPr")
        if style:
            style_element = OxmlElement("w:rStyle")
            style_element.set(W + "val", style)
            props.insert(0, style_element)
        made.append(props)
    return made


def _text(value: str):
    from docx.oxml import OxmlElement

    element = OxmlElement("w:t")
    element.text = value
    element.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return element


def _has_content(element) -> bool:
    return element.tag == W + "hyperlink" or any(c.tag != W + "rPr" for c in element)


def place_figures(context: Mapping[str, Any], template) -> dict[str, Any]:
    """``context`` with each figure's image path replaced by the picture, its alt text attached."""
    figures = context.get("figures")
    if not figures:
        return dict(context)
    from docx.image.image import Image
    from docx.shared import Mm
    from docxtpl import InlineImage

    class Picture(InlineImage):
        def __init__(self, tpl, path: str, alt: str):
            natural = Image.from_file(path).width
            super().__init__(tpl, path, width=min(natural, Mm(FIGURE_WIDTH_MM)))
            self.alt = alt

        def _insert_image(self) -> str:
            from docx.oxml import parse_xml

            inline = parse_xml(
                new_pic_inline(self.tpl, self.image_descriptor, self.width, self.height).xml
            )
            # wp:docPr descr is the picture's alternative text: Word shows it, LibreOffice makes
            # it the PDF Figure's /Alt. The file name docx gives it says nothing, so it goes.
            for element in inline.iter():
                if element.tag.endswith("}docPr") or element.tag.endswith("}cNvPr"):
                    element.set("descr", self.alt)
                if element.tag.endswith("}docPr"):
                    element.set("name", f"Figure {element.get('id')}")
            return (
                f"</w:t></w:r><w:r><w:drawing>{inline.xml}</w:drawing></w:r><w:r>"
                '<w:t xml:space="preserve">'
            )

    placed = dict(context)
    placed["figures"] = [{**f, "image": Picture(template, f["image"], f["alt"])} for f in figures]
    return placed


CHART_PREFIX = "chart:"  # a context value naming a chart (perfreport.paper.charts keys)


def place_charts(context: Any, template, pictures: Mapping[str, Any]) -> Any:
    """``context`` with each chart's key replaced by its picture (alt text in wp:docPr descr,
    its title in wp:docPr title); a key with no picture becomes empty. What holds no chart
    key is the same object, not a copy."""

    def place(value: Any) -> Any:
        # Most of a 100x context's million values are plain text: those are kept without a
        # call (a str is never a Mapping or a list).
        if isinstance(value, Mapping):
            made = {
                k: v if type(v) is str and not v.startswith(CHART_PREFIX) else place(v)
                for k, v in value.items()
            }
            return made if any(made[k] is not v for k, v in value.items()) else value
        if isinstance(value, list):
            items = [
                v if type(v) is str and not v.startswith(CHART_PREFIX) else place(v) for v in value
            ]
            return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
        if not isinstance(value, str) or not value.startswith(CHART_PREFIX):
            return value
        placed = pictures.get(value)
        return _chart_picture(template, placed) if placed is not None else ""

    return place(context)


_CHART_PICTURE: Any = None  # the class, made at first use: docxtpl is imported only to render


def _chart_picture(template, placed: Any):
    global _CHART_PICTURE
    if _CHART_PICTURE is None:
        from docxtpl import InlineImage

        class ChartPicture(InlineImage):
            # No width given: the PNG's own resolution (192 dpi) sizes it as drawn.
            def __init__(self, tpl, placed: Any):
                super().__init__(tpl, None)
                self.placed = placed

            def _insert_image(self) -> str:
                import io

                picture = io.BytesIO(self.placed.png)
                xml, rid = picture_index(self.tpl).new_pic_inline_xml(
                    picture, self.width, self.height
                )
                alt, title = self.placed.alt, self.placed.title
                inline = described_chart(xml, rid, alt, title)
                return (
                    f"</w:t></w:r><w:r><w:drawing>{inline}</w:drawing></w:r><w:r>"
                    '<w:t xml:space="preserve">'
                )

        _CHART_PICTURE = ChartPicture
    return _CHART_PICTURE(template, placed)


def describe_chart(inline: Any, alt: str, title: str) -> None:
    """Give a chart's w:inline its alternative text (wp:docPr and pic:cNvPr descr: Word shows it,
    LibreOffice makes it the PDF Figure's /Alt), a name and its title."""
    for element in inline.iter():
        if element.tag.endswith("}docPr") or element.tag.endswith("}cNvPr"):
            element.set("descr", alt)
        if element.tag.endswith("}docPr"):
            element.set("name", f"Chart {element.get('id')}")
            element.set("title", title)


# A 100x paper has ~9,000 sparklines, all with the same XML but for the rId and the texts: it is
# described once with stand-ins for the texts (private-use characters, serialised as they are),
# and each chart's texts are put in their place, escaped as lxml escapes an attribute's value.
_ALT_HERE, _TITLE_HERE = "\ue0a0", "\ue0a1"
_DESCRIBED: dict[str, str] = {}
# Where lxml would refuse a text (control characters) or a stand-in could be: lxml does it.
_NOT_PLAIN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ue000-\uf8ff\ufffe\uffff]")
_ATTRIBUTE_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}
_ATTRIBUTE_ESCAPES.update({"\t": "&#9;", "\n": "&#10;", "\r": "&#13;"})
_TO_ESCAPE = re.compile('[&<>"\t\n\r]')


def _attribute(text: str) -> str:
    """``text`` as lxml writes it in an attribute's value (in a str: no character references)."""
    return _TO_ESCAPE.sub(lambda m: _ATTRIBUTE_ESCAPES[m[0]], text)


def described_chart(xml: str, rid: str, alt: str, title: str) -> str:
    """The XML of the w:inline ``xml`` (pictures.RID_MARK for its rId ``rid``) described by
    :func:`describe_chart`, as python-docx writes it."""
    from docx.oxml import parse_xml

    if _NOT_PLAIN.search(alt) or _NOT_PLAIN.search(title):
        inline = parse_xml(xml.replace(RID_MARK, rid, 1))
        describe_chart(inline, alt, title)
        return inline.xml
    described = _DESCRIBED.get(xml)
    if described is None:
        inline = parse_xml(xml)
        describe_chart(inline, _ALT_HERE, _TITLE_HERE)
        described = _DESCRIBED[xml] = inline.xml
    return (
        described.replace(RID_MARK, rid, 1)
        .replace(_ALT_HERE, _attribute(alt))
        .replace(_TITLE_HERE, _attribute(title))
    )
