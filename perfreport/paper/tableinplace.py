"""A complete body table written out where it was parsed, its bytes as if moved into the document."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from perfreport.paper.tablegrid import counts_within, fit_grid, fit_tables, order_cell_properties

# The streamed body (paper.bodystream) moves each table row from the parser's document into a
# copy of the template's document and serialises it there, as docxtpl's whole tree is made: a
# move walks the row's every element twice (taken out, put in), ~0.55 s of a 100x paper's body
# child (the render's longest path), ~0.05 s at 10x. Where the bytes cannot differ, a complete
# table is fixed and serialised where it was parsed instead, whole, and dropped: its start tag
# serialised by itself carries the namespaces in scope (cut off here), and a move would have
# changed nothing else when
# - the body's namespaces in scope are the document's (the same declarations, each namespace
#   under one prefix), and the table declares none of its own;
# - no element in it declares a namespace that is in scope already: lxml's move drops such a
#   declaration (and names its elements by the ancestor's prefix). The writer's parser drops
#   those of the same prefix (libxml2's ns_clean: a chart's w:inline declares wp and r again);
#   a table whose bytes still hold one (a namespace in scope, or declared under two prefixes
#   in the body) is moved as before.
# An incomplete table is held (not written row by row) until it is complete, up to HELD bytes of
# text: a longer one is written row by row as before, so that it is not all in memory at once.
HELD = 2 << 20
_DECLARATION = re.compile(rb' xmlns(?::([^=\s]+))?="([^"]*)"')


class InPlace:
    """Whether a complete table of the parsed body ``source`` may be written where it is, the
    skeleton's body ``body`` (in a copy of the document) being where its bytes go."""

    def __init__(self, source: Any, body: Any, ns: str) -> None:
        from lxml import etree

        self.able = False
        self._declared: dict[bytes, bytes] = {}  # what tables declared: href -> prefix
        self._holding: tuple[Any, int] = (None, 0)  # the table held, since that many bytes fed
        scope = source.nsmap
        if scope != body.nsmap or len(set(scope.values())) != len(scope):
            return
        probe = etree.SubElement(body, ns + "tbl")
        made = etree.tostring(probe, encoding="UTF-8")
        body.remove(probe)
        if not made.endswith(b"/>") or b" " not in made:
            return
        # A table serialised by itself begins with these: its tag and the namespaces in scope.
        self._head, self._tag = made[:-2], made[: made.index(b" ")]
        self._scope, self._hrefs = scope, {href.encode() for href in scope.values()}
        self.able = True

    def held(self, table: Any, fed: int) -> bool:
        """Whether the incomplete ``table`` is held, to be written whole once it is complete
        (``fed``: bytes of text fed so far); else it is written row by row as before."""
        if not self.able:
            return False
        if self._holding[0] is not table:
            self._holding = (table, fed)
        return fed - self._holding[1] <= HELD

    def fixed(self, table: Any, ns: str, number: Callable[[Any], None]) -> bytes | None:
        """The complete ``table`` fixed as the writer fixes what it moves (docxtpl's fix_tables,
        its pictures numbered by ``number``, its cells' properties in order) and serialised
        as in the document; None when it is not to be written here (it may be fixed already:
        each fix gives the same again)."""
        if not self.able or not len(table) or table.nsmap != self._scope:
            return None  # (an empty table's tags are written apart: <w:tbl></w:tbl>)
        fit_tables(table, ns)
        fit_grid(table.find(ns + "tblGrid"), counts_within(table, ns), ns)
        number(table)
        order_cell_properties(table)
        return self.written(table)

    def written(self, table: Any) -> bytes | None:
        """``table``'s bytes (with its tail) as if it were moved into the document; None when
        they could differ."""
        from lxml import etree

        data = etree.tostring(table, encoding="UTF-8")
        head = self._head
        if not data.startswith(head) or data[len(head) : len(head) + 1] not in (b" ", b">"):
            return None
        written = self._tag + data[len(head) :]
        if b"xmlns" in written:  # (a chart's w:inline declares a and pic: not in scope)
            declared = dict(self._declared)
            for found in _DECLARATION.finditer(written):
                prefix, href = found[1] or b"", found[2]
                if href in self._hrefs or declared.setdefault(href, prefix) != prefix:
                    return None
            self._declared = declared
        return written
