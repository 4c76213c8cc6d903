"""Body tables written out where they were parsed, their bytes as if moved into the document."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from perfreport.paper.docxzip import paragraph_texts
from perfreport.paper.richtext import LINK_START, make_links_in
from perfreport.paper.tablegrid import counts_within, fit_grid, fit_tables, order_cell_properties

# The streamed body (paper.bodystream) moved each table row from the parser's document into a
# copy of the template's document and serialised it there, as docxtpl's whole tree is made: a
# move walks the row's every element twice (taken out, put in): ~0.9 s of a 100x paper's body
# child (the render's longest path), ~0.05 s at 10x. Where the bytes cannot differ, a table is
# fixed as moved rows are and serialised where it was parsed instead, and dropped: serialised by
# itself, its start tag carries the namespaces in scope (cut off here), and a move would have
# changed nothing else when
# - the body's namespaces in scope are the document's (the same declarations, each namespace
#   under one prefix), and the table declares none of its own;
# - no element in it declares a namespace that is in scope already: lxml's move drops such a
#   declaration (and names its elements by the ancestor's prefix). The writer's parser drops
#   those of the same prefix (libxml2's ns_clean: a chart's w:inline declares wp and r again);
#   a table whose bytes still hold one (a namespace in scope, or declared under two prefixes
#   in the body) is moved as before.
# An incomplete table is held until it is complete, and written whole, up to HELD bytes of text;
# a longer one is then written a part at a time (Begun: its complete children each time text is
# fed, its grid at its end, fitted to all its rows), so that it is not all in memory at once.
# A part cannot be moved back: one whose bytes could differ sends the body to docxtpl's way.
HELD = 2 << 20
_LINK_OPEN = LINK_START.encode()  # in the written XML: a link's mark is there (bodystream)
_DOCPR = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
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

    def written(self, element: Any) -> bytes | None:
        """``element``'s bytes (with its tail) as if it were moved into the document (it is in
        the body, and declares no namespace); None when they could differ."""
        from lxml import etree

        data = etree.tostring(element, encoding="UTF-8")
        declarations = self._head[len(self._tag) :]
        at = data.find(b" ")  # (after its tag: what it gains by itself comes first)
        if at < 0 or data[at : at + len(declarations)] != declarations:
            return None
        if data[at + len(declarations) : at + len(declarations) + 1] not in (b" ", b">", b"/"):
            return None
        written = data[:at] + data[at + len(declarations) :]
        if b"xmlns" in written:  # (a chart's w:inline declares a and pic: not in scope)
            declared = dict(self._declared)
            for found in _DECLARATION.finditer(written):
                prefix, href = found[1] or b"", found[2]
                if href in self._hrefs or declared.setdefault(href, prefix) != prefix:
                    return None
            self._declared = declared
        return written

    def begin(self, table: Any, ns: str) -> Begun | None:
        """The incomplete ``table``, past HELD, to be written where it is a part at a time
        (once its grid is read); None when it is to be moved row by row as before."""
        if not self.able or table.nsmap != self._scope:
            return None
        grid = next((c for c in list(table)[:-1] if c.tag == ns + "tblGrid"), None)
        return Begun(table, grid) if grid is not None else None


class Begun:
    """A long body table written where it is parsed, a part at a time: its complete children
    (but its grid, written at its end, fitted to all its rows) each time its text is fed."""

    def __init__(self, table: Any, grid: Any) -> None:
        self.source, self.grid = table, grid
        self.place: int | None = None  # where the grid's bytes go among the pieces
        self.counts: list[tuple[int, int]] = []  # its rows' (tablegrid.row_counts)


class TablesInPlace:
    """The body's writer's (paper.bodystream.BodyWriter) body tables written where they are
    parsed: whole once complete, or (past HELD) a part at a time."""

    _in_place: InPlace | None
    _begun: Begun | None
    _fed: int
    _ids: int
    _ns: str
    _source: Any
    _body: Any
    _table: Any
    _pieces: Any
    _texts: list[str]
    _wanted: list[str] | None

    def _number(self, container: Any) -> None:
        """Number the pictures in ``container`` on from the last, as docxtpl's fix_docpr_ids."""
        for picture in container.iter(_DOCPR):
            self._ids += 1
            picture.attrib["id"] = str(self._ids)

    # Hooks that the writer (bodystream.BodyWriter, the one class made of this) defines.

    def _link(self, address: str) -> str:
        """A link's mark (BodyWriter's)."""
        raise NotImplementedError

    def _refused(self, why: str) -> Exception:
        """What sends the body to docxtpl's way (BodyWriter's)."""
        raise NotImplementedError

    def _in_place_rows(self, table: Any, complete: bool) -> bool:
        """Write out the complete children of the body table ``table`` (all of them when
        ``complete``) where it is parsed, or hold it; False when it is to be moved as before."""
        if self._begun is not None and self._begun.source is table:
            self._in_parts(table, complete)
            return True
        if self._table is not None and self._table.source is table:
            return False  # (being moved row by row)
        if self._in_place is None:
            self._in_place = InPlace(self._source, self._body, self._ns)
        if complete:
            return self._whole(table)
        if self._in_place.held(table, self._fed):
            return True  # (written whole once it is complete)
        if self._table is None:
            self._begun = self._in_place.begin(table, self._ns)
            if self._begun is not None:
                self._in_parts(table, complete)
                return True
        return False

    def _in_parts(self, table: Any, complete: bool) -> None:
        """Write out the complete children of the long ``table`` begun where it is parsed
        (paper.tableinplace.Begun), fixed as moved rows are; its grid once it is complete."""
        assert self._in_place is not None and self._begun is not None
        begun, ns = self._begun, self._ns
        children = list(table)
        last = None if complete else children.pop()
        done = [child for child in children if child is not begun.grid]
        for child in done:
            fit_tables(child, ns)
            begun.counts += counts_within(child, ns)
            self._number(child)
            order_cell_properties(child)
        content = self._in_place.written(table)
        cut = None if last is None else self._in_place.written(last)
        grid = self._in_place.written(begun.grid)
        if content is None or grid is None or (last is not None and cut is None):
            raise self._refused("a long table declares a namespace in scope")
        marked = _LINK_OPEN in content
        if marked:
            for child in done:
                make_links_in(child, self._link)
            content = self._in_place.written(table)
            assert content is not None
        end = content.rindex(b"</")  # its end tag (and tail): what its last child ends before
        end_tag = content[end:] if complete else b""
        end -= len(cut) if cut is not None else 0
        start = content.index(b">") + 1
        at = content.index(grid, start)
        if begun.place is None:  # its start tag, text and what comes before its grid
            self._pieces.add(content[:at], marked=marked)
            begun.place = self._pieces.open()
        self._pieces.add(content[at + len(grid) : end] + end_tag, marked=marked)
        if self._wanted is not None:
            for child in done:
                self._texts += paragraph_texts(child)
        if complete:
            fit_grid(begun.grid, begun.counts, ns)
            fixed = self._in_place.written(begun.grid)
            assert fixed is not None
            self._pieces.fill(begun.place, fixed)
            self._begun = None
            table.clear()
            self._source.remove(table)
            return
        grid_at = children.index(begun.grid)
        count = len(children)
        children = done = last = None  # (so that the rows are freed, not moved, when deleted)
        del table[grid_at + 1 : count]  # (freed where they are, not moved out first)
        del table[:grid_at]

    def _whole(self, table: Any) -> bool:
        """Write out the complete ``table`` where it was parsed (paper.tableinplace), and drop
        it; False when it is to be moved as before (nothing written)."""
        assert self._in_place is not None
        ids = self._ids
        written = self._in_place.fixed(table, self._ns, self._number)
        if written is None:
            self._ids = ids  # (numbered again as it is moved)
            return False
        marked = _LINK_OPEN in written
        if marked:
            make_links_in(table, self._link)
            written = self._in_place.written(table)
            if written is None:
                raise self._refused("a link's run declares a namespace in scope")
        self._pieces.add(written, marked=marked)
        if self._wanted is not None:
            self._texts += paragraph_texts(table)
        table.clear()  # (its rows freed where they are, not moved out first)
        self._source.remove(table)
        return True
