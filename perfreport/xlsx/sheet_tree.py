"""A small sheet part parsed whole once: its declared dimension and its rows, as the stream gives them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

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

    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
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
