"""A sheet part's rows as events: a small part parsed whole once, else streamed (openpyxl's parser)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from perfreport.xlsx.parts import iterparse_ending, whole_parser

# Why: the lean reader streamed each sheet twice (once to its dimension, once for the rows), and
# streaming hands every element to Python as it ends. A part the package checks kept in memory
# is parsed whole in C instead, with the same parser options, and walked with lxml's iterwalk,
# which gives the same "end" events in the same order as iterparse: so the walk sees the same
# elements, freed the same way. A part that does not parse whole is streamed exactly as before
# (it then fails, or not, at the same row as it always did).

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
WHOLE_SHEET = 1024 * 1024  # a part this small (inflated) is parsed whole


def parse_whole(data: bytes) -> Any:
    """The part's root element, or None when it does not parse (the caller streams it)."""
    from lxml import etree

    parser = whole_parser()
    try:
        return etree.fromstring(data, parser)
    except Exception:  # noqa: BLE001 - any parse failure: stream it, as before
        return None


def first_ending(root: Any, tags: list[str]) -> Any:
    """The first element with one of ``tags`` to end, in document order (as iterparse gives it)."""
    from lxml import etree

    for _, element in etree.iterwalk(root, events=("end",), tag=tags):
        return element
    return None


def ending(root: Any, tags: list[str]) -> Iterator[tuple[str, Any]]:
    """("end", element) for each of ``tags`` as it ends: iterparse's events, from a parsed tree."""
    from lxml import etree

    return etree.iterwalk(root, events=("end",), tag=tags)


def openpyxl_events(source: Any) -> Iterator[tuple[bool, Any]]:
    """(True, row) and (False, mergeCell) elements of a sheet's XML as they end, parsed with
    openpyxl's parser (defusedxml's), freeing what has been read."""
    from openpyxl.worksheet._reader import DATA_TAG, MERGE_TAG, ROW_TAG, SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    merge_cell_tag = f"{{{SHEET_MAIN_NS}}}mergeCell"
    depth, root, container = 0, None, None
    for event, element in iterparse(source, events=("start", "end")):
        if event == "start":
            depth += 1
            if depth == 1:
                root = element
            elif element.tag in (DATA_TAG, MERGE_TAG):
                container = element
            continue
        depth -= 1
        if element.tag == ROW_TAG:
            yield True, element
            container.clear()  # free rows already read
        elif element.tag == merge_cell_tag:
            yield False, element
            container.clear()
        elif depth == 1 and root is not None:
            root.clear()  # a finished top-level section of the sheet


# The children of <worksheet> (ECMA-376 CT_Worksheet): each is freed when it ends, as the
# openpyxl walk frees every finished top-level section.
_SECTIONS = (
    "sheetPr dimension sheetViews sheetFormatPr cols sheetData sheetCalcPr sheetProtection "
    "protectedRanges scenarios autoFilter sortState dataConsolidate customSheetViews mergeCells "
    "phoneticPr conditionalFormatting dataValidations hyperlinks printOptions pageMargins "
    "pageSetup headerFooter rowBreaks colBreaks customProperties cellWatches ignoredErrors "
    "smartTags drawing legacyDrawing legacyDrawingHF drawingHF picture oleObjects controls "
    "webPublishItems tableParts extLst"
).split()


def sheet_events(source: IO[bytes] | None, tree: Any = None) -> Iterator[tuple[bool, Any]]:
    """(True, row) and (False, mergeCell) as they end, from the part parsed whole (``tree``)
    or streamed from ``source`` with lxml, freeing what has been read (xlsx.lean's walk)."""
    row, merge = f"{{{_MAIN}}}row", f"{{{_MAIN}}}mergeCell"
    containers = {f"{{{_MAIN}}}sheetData", f"{{{_MAIN}}}mergeCells"}
    tags = [row, merge, *(f"{{{_MAIN}}}{name}" for name in _SECTIONS)]
    events = ending(tree, tags) if tree is not None else iterparse_ending(source, tags)
    for _, element in events:
        tag, parent = element.tag, element.getparent()
        if tag == row or tag == merge:
            yield tag == row, element
            element.clear()
            if parent is not None and parent.tag in containers:
                del parent[: parent.index(element)]  # free what has been read
        elif parent is not None and parent.getparent() is None:
            element.clear()  # a finished top-level section
            del parent[: parent.index(element)]
