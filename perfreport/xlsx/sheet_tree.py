"""A sheet part's rows as events: a small part parsed whole once, else streamed (openpyxl's parser)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from perfreport.xlsx.parts import whole_parser

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
