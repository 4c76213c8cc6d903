"""The small parts of a workbook read fast: shared strings and each cell style's number format."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import IO, Any

from perfreport.xlsx.excel_rules import (
    BUILTIN_FORMATS,
    BUILTIN_FORMATS_MAX_SIZE,
    BUILTIN_FORMATS_REVERSE,
    fromstring,
    is_date_format,
    is_timedelta_format,
)

# Used by xlsx.lean, which says why. Each function gives exactly what openpyxl's own reading
# gives (with openpyxl's constants and rules from xlsx.excel_rules, so that openpyxl is not
# imported), or None (then openpyxl reads the workbook).

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_STYLE_SECTIONS = {
    f"{{{_MAIN}}}{name}"
    for name in (
        "numFmts",
        "fonts",
        "fills",
        "borders",
        "cellStyleXfs",
        "cellXfs",
        "cellStyles",
        "dxfs",
        "tableStyles",
        "colors",
        "extLst",
    )
}


# How every part is parsed, streamed or whole: nothing is fetched or expanded (xlsx.package has
# refused any part with a DTD before this runs); comments and processing instructions are
# dropped, as ElementTree drops them. A part parsed whole must give what the stream gives.
PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


def iterparse_ending(source: IO[bytes], tags: str | list[str]) -> Any:
    """lxml's streaming parser, giving only ``tags`` as they end (see PARSER_OPTIONS)."""
    from lxml import etree

    return etree.iterparse(source, events=("end",), tag=tags, **PARSER_OPTIONS)


def whole_parser() -> Any:
    """lxml's parser for a part parsed whole, with the stream's options."""
    from lxml import etree

    return etree.XMLParser(**PARSER_OPTIONS)


def read_shared_strings(source: IO[bytes] | bytes) -> list[str]:
    """openpyxl's read_string_table, with a quick way through the usual entries: a plain <t>, or
    runs of <r><rPr/><t/></r>. Anything else in an entry is read by openpyxl's own class.

    Given the part's bytes (a part small enough to hold), it is parsed whole, which is faster
    than streaming, when its entries are all children of its root (else streamed, as ever)."""
    entry, text_tag, run_tag = f"{{{_MAIN}}}si", f"{{{_MAIN}}}t", f"{{{_MAIN}}}r"
    if isinstance(source, bytes):
        nodes = _entries_whole(source, entry)
        if nodes is not None:
            return [_entry_text(node, text_tag, run_tag) for node in nodes]
        source = io.BytesIO(source)
    strings: list[str] = []
    for _, node in iterparse_ending(source, entry):
        strings.append(_entry_text(node, text_tag, run_tag))
        node.clear()
        parent = node.getparent()
        if parent is not None and parent.getparent() is None:
            del parent[: parent.index(node)]
    return strings


def _entries_whole(data: bytes, entry: str) -> Any:
    """The part's entries when every one is a child of the root (so that document order is the
    order the streaming parse gives them in); None otherwise."""
    from lxml import etree

    parser = whole_parser()
    root = etree.fromstring(data, parser)
    if root.tag == entry or sum(1 for _ in root.iter(entry)) != len(root):
        return None
    if any(child.tag != entry for child in root):
        return None
    return root


def _entry_text(node: Any, text_tag: str, run_tag: str) -> str:
    text = _plain_entry(node, text_tag, run_tag)
    if text is None:
        from perfreport.xlsx.library import openpyxl

        openpyxl()  # without numpy, imported only for such an entry
        from openpyxl.cell.text import Text

        text = Text.from_tree(node).content
    return text.replace("x005F_", "")


def _plain_entry(node: Any, text_tag: str, run_tag: str) -> str | None:
    """The text of an entry made only of <t> and plain runs; None for anything else."""
    plain: str | None = None
    runs: list[str] = []
    for child in node:
        if child.tag == text_tag:
            if len(child) or set(child.attrib) - {_SPACE}:
                return None
            plain = child.text
        elif child.tag == run_tag:
            if child.attrib or len(child) != 1 or child[0].tag != text_tag or len(child[0]):
                return None  # formatted runs (rPr) are read by openpyxl, which checks them
            if set(child[0].attrib) - {_SPACE}:
                return None
            if child[0].text is not None:
                runs.append(child[0].text)
        else:
            return None
    return "".join(([plain] if plain is not None else []) + runs)


_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


Styles = tuple[list[str | None], set[int], set[int]]


def ready_for_forks() -> None:
    """What each reading worker would otherwise do on its first return, done once before they
    are forked (the parent does it anyway when it opens the catalogue): zipfile's codec for
    member names imported, and the date-format pattern's search, which read_styles uses, run
    once (re compiles the look-behind at first use; ~2 ms a worker)."""
    import encodings.cp437  # noqa: F401 - zipfile decodes names without the UTF-8 flag with it

    is_date_format("General")


def read_styles(xml: bytes) -> Styles | None:
    """Each cell style's number format, and which styles are dates and which durations, as
    openpyxl's Stylesheet computes them. None when the stylesheet holds anything beyond the
    plain forms that Excel writes (openpyxl reads it)."""
    root = fromstring(xml)
    if root.tag != f"{{{_MAIN}}}styleSheet":
        return None
    sections = {}
    for child in root:
        if child.tag not in _STYLE_SECTIONS or child.tag in sections:
            return None
        sections[child.tag] = child
    if any(_foreign(node) for node in sections.values()):
        return None
    if any(tag.endswith(("}dxfs", "}tableStyles", "}colors", "}extLst")) for tag in sections):
        if not _only_plain_extras(sections):
            return None
    custom: dict[int, str] = {}
    for fmt in _items(sections, "numFmts", "numFmt"):
        if set(fmt.attrib) != {"numFmtId", "formatCode"}:
            return None
        custom[int(fmt.get("numFmtId"))] = fmt.get("formatCode")
    cell_xfs = list(_items(sections, "cellXfs", "xf"))
    if not _plain_xfs(cell_xfs) or not _named_styles_bind(sections):
        return None
    if not cell_xfs:
        return ["General"], set(), set()  # openpyxl keeps its defaults: every style is General
    numbers: list[str] = []  # openpyxl's IndexedList of custom formats
    formats: list[str | None] = []
    dates, durations = set(), set()
    for index, xf in enumerate(cell_xfs):
        number = int(xf.get("numFmtId", 0))
        if number in custom:
            fmt = custom[number]
            if fmt in BUILTIN_FORMATS_REVERSE:
                number = BUILTIN_FORMATS_REVERSE[fmt]
            else:
                if fmt not in numbers:
                    numbers.append(fmt)
                number = numbers.index(fmt) + BUILTIN_FORMATS_MAX_SIZE
        else:
            fmt = BUILTIN_FORMATS.get(number)
        if is_date_format(fmt):
            dates.add(index)
        if is_timedelta_format(fmt):
            durations.add(index)
        # What ReadOnlyCell.number_format gives for this style.
        if number < BUILTIN_FORMATS_MAX_SIZE:
            formats.append(BUILTIN_FORMATS.get(number, "General"))
        else:
            at = number - BUILTIN_FORMATS_MAX_SIZE
            formats.append(numbers[at] if at < len(numbers) else None)
    return formats, dates, durations


def _foreign(node: Any) -> bool:
    """A child of another namespace (comments aside). openpyxl takes a section's children by
    their local name (an <x:xf> in cellXfs is a cell style to it), _items by their full name:
    such a stylesheet is left to openpyxl, or the later styles would get other formats."""
    return any(isinstance(c.tag, str) and not c.tag.startswith(_MAIN_PREFIX) for c in node)


_MAIN_PREFIX = f"{{{_MAIN}}}"


def _items(sections: dict, section: str, item: str) -> Iterator[Any]:
    node = sections.get(f"{{{_MAIN}}}{section}")
    if node is None:
        return iter(())
    return (child for child in node if child.tag == f"{{{_MAIN}}}{item}")


_XF_ATTRIBUTES = {
    "numFmtId",
    "fontId",
    "fillId",
    "borderId",
    "xfId",
    "applyNumberFormat",
    "applyFont",
    "applyFill",
    "applyBorder",
    "applyAlignment",
    "applyProtection",
    "quotePrefix",
    "pivotButton",
}
_DIGITS = frozenset("0123456789")


def _plain_xfs(xfs: list[Any]) -> bool:
    """Cell styles whose attributes are all whole numbers or 0/1 flags (what Excel writes)."""
    for xf in xfs:
        for name, value in xf.attrib.items():
            if name not in _XF_ATTRIBUTES or not value or not set(value) <= _DIGITS:
                return False
        for child in xf:
            if not child.tag.endswith(("}alignment", "}protection")):
                return False
    return True


def _named_styles_bind(sections: dict) -> bool:
    """openpyxl binds each named style to its font, fill and border: out-of-range indexes make
    it fail, so they are left to it."""
    counts = {
        name: sum(1 for _ in _items(sections, name, item))
        for name, item in (("fonts", "font"), ("fills", "fill"), ("borders", "border"))
    }
    style_xfs = list(_items(sections, "cellStyleXfs", "xf"))
    if not _plain_xfs(style_xfs):
        return False
    for style in _items(sections, "cellStyles", "cellStyle"):
        xf_id = style.get("xfId")
        if xf_id is None or not set(xf_id) <= _DIGITS or not xf_id or int(xf_id) >= len(style_xfs):
            return False
    for xf in style_xfs:
        for attribute, name in (("fontId", "fonts"), ("fillId", "fills"), ("borderId", "borders")):
            if int(xf.get(attribute, 0)) >= counts[name]:
                return False
    return True


def _only_plain_extras(sections: dict) -> bool:
    """dxfs, tableStyles, colors and extLst are parsed by openpyxl but never used here: only
    their empty or usual forms are read this way."""
    for tag, node in sections.items():
        if tag.endswith("}dxfs") and len(node):
            return False
        if tag.endswith("}colors") and not _plain_colors(node):
            return False
        if tag.endswith("}tableStyles") and len(node):
            return False
    return True


_RGB = re.compile("[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8}")


def _plain_colors(node: Any) -> bool:
    """The palette openpyxl and old Excel versions write: <indexedColors> of <rgbColor rgb=..>."""
    for child in node:
        if not child.tag.endswith("}indexedColors") or child.attrib:
            return False
        for color in child:
            rgb = color.get("rgb")
            if not color.tag.endswith("}rgbColor") or len(color.attrib) != 1 or rgb is None:
                return False
            if not _RGB.fullmatch(rgb):
                return False
    return True
