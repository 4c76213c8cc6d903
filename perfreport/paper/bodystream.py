"""The rendered body streamed: Jinja's output parsed, fixed and serialised a piece at a time."""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from perfreport.paper.docxzip import missing_strings, paragraph_texts
from perfreport.paper.jinjatext import rendered_text
from perfreport.paper.richtext import LINK_START, make_links_in
from perfreport.paper.tablegrid import (
    counts_within,
    fit_grid,
    fit_tables,
    order_cell_properties,
)
from perfreport.paper.tableinplace import TablesInPlace
from perfreport.paper.xmlpieces import Pieces

# docxtpl renders the body's XML with Jinja into one string and parses it into one lxml tree: for
# a 100x paper, ~55 MB of XML and a ~575 MB tree, most of a build's memory. Here Jinja's output
# is taken as it is made, parsed by lxml's feed parser, and each body element (or, in a table,
# each row) is fixed as docxtpl and perfreport fix the whole tree, moved into a copy of the
# document as graft_body moves it, serialised as it is in the whole document, and dropped. The
# bytes are those of the whole tree (tests/test_bodystream.py); what the stream cannot parse
# (text that is not well-formed XML, which docxtpl's recovering parser accepts) goes back to the
# whole tree (document.py).
#
# Given the strings the paper's check looks for, the writer also takes each body paragraph's text
# as it writes it (after every fix) and finds those missing; the check (docxzip.read_main_part)
# then parses the written part strictly without building a tree of it again. What only a tree's
# parse refuses, the writer's parse refused already: namespaces (an unbound prefix, xmlns:p="",
# two prefixes for one attribute) in Jinja's text, as python-docx's parse did in the template,
# and lxml's serialisation of those trees makes none; and a body deeper than libxml2's 256
# levels: Jinja's text is parsed inside two wrapping elements, one level deeper than it sits in
# the document, where a link made later (richtext.make_links_in) puts a run one level deeper.

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_BODY, _TBL, _P, _SECTPR = W + "body", W + "tbl", W + "p", W + "sectPr"
_MARK = "perfreport: the streamed body goes here"
_WRAPPED = 2  # elements the rendered body is parsed in
_WRAP, _UNWRAP = b"<perfreport-depth>" * _WRAPPED, b"</perfreport-depth>" * _WRAPPED
_SPACE = " \t\r\n"  # what XML allows around the root element
_LINK_MARK = "perfreport-link-"  # with a number and ".": a link's relationship id until it is made
_LINK_OPEN = LINK_START.encode()  # in the written XML: a link's mark is there
_LINK_MARKED = re.compile(rb'"perfreport-link-(\d+)\."')


class Unstreamable(Exception):
    """The rendered body is not a w:body element the stream can take apart."""


@dataclass
class StreamedBody:
    """The main document part's XML: the document before and after its body's pieces, the
    number of sections of the body, and which of the strings the check looks for its paragraphs
    lack (docxzip.missing_strings; None when not looked for, or when the document has
    paragraphs outside its body)."""

    before: bytes
    pieces: Pieces
    after: bytes
    sections: int
    missing: tuple[str, ...] | None = None

    def size(self) -> int:
        return len(self.before) + self.pieces.held + len(self.after)

    def xml(self) -> Iterator[bytes]:
        yield self.before
        yield from self.pieces
        yield self.after


def stream_body(
    template: Any, src_xml: str, context: Any, jinja_env: Any, wanted: list[str] | None = None
) -> StreamedBody:
    """docxtpl's build_xml, fix_tables, fix_docpr_ids and map_tree, then perfreport's links and
    cell properties, for the body ``src_xml`` of ``template`` (a DocxTemplate), streamed; with
    ``wanted``, the strings its paragraphs lack are found (StreamedBody.missing).

    Raises lxml's XMLSyntaxError or :class:`Unstreamable` for what only the whole tree can take.
    """
    part = template.docx.part
    writer = BodyWriter(part, wanted)
    for text in rendered_text(template, src_xml, part, context, jinja_env):
        writer.feed(text)
    return writer.close()


def _content(element: Any) -> bytes:
    """What ``element``'s start and end tags enclose, serialised as in the whole document (its
    start tag alone gains the namespaces of its ancestors when it is serialised by itself)."""
    from lxml import etree

    data = etree.tostring(element, encoding="UTF-8", with_tail=False)
    return data[data.index(b">") + 1 : data.rindex(b"</")]


class _Table:
    """A table of the body being streamed: its copy in the skeleton, and what fits its grid."""

    def __init__(self, source: Any, copy_: Any):
        self.source = source
        self.copy = copy_
        self.grid: Any = None
        self.grid_at: int | None = None  # where the grid's bytes go among the pieces
        self.counts: list[tuple[int, int]] = []


class BodyWriter(TablesInPlace):
    """Takes the rendered body's text piece by piece and serialises it element by element."""

    def __init__(self, part: Any, wanted: list[str] | None = None):
        from lxml import etree

        self._part = part
        self._root = part.element
        # docxtpl parses with recover=True; this one is strict (what it refuses goes back to
        # docxtpl's way), and drops a namespace declared again as it is in scope, as a move
        # into the document drops it (paper.tableinplace). Otherwise its defaults, as docxtpl's.
        self._parser = etree.XMLPullParser(events=("start",), tag=_BODY, ns_clean=True)
        self._parser.feed(_WRAP)
        self._source: Any = None  # the parsed w:body
        self._body: Any = None  # the w:body of a copy of the document: where pieces are written
        self._ns = W
        self._ids = 1000  # docxtpl's docx_ids_index
        self._table: _Table | None = None
        self._pieces = Pieces()
        self._sections = 0
        self._children = 0
        self._links: list[str] = []
        self._wanted = wanted
        self._texts: list[str] = []  # the body's paragraphs' (when there are strings wanted)
        self._deflate = False  # whether to deflate the pieces once the part's beginning is known
        self._fed = 0  # bytes of text fed
        self._in_place = self._begun = None  # (TablesInPlace)

    def feed(self, text: str) -> None:
        self.feed_bytes(text.encode("utf-8"))

    def feed_bytes(self, data: bytes) -> None:
        """:meth:`feed` with the text encoded as UTF-8."""
        self._fed += len(data)
        if self._source is None:  # the body's start first: it is copied with what follows it
            self._parser.feed(data[:4096])
            self._take_body()
            data = data[4096:]
        self._parser.feed(data)
        self._take_body()
        self._harvest(final=False)

    def close(self) -> StreamedBody:
        """The pieces of the main document part, the rendered body moved into the document."""
        streamed, links = self.finish()
        relate_links(self._part, streamed.pieces, links)
        return streamed

    def finish(self) -> tuple[StreamedBody, list[str]]:
        """:meth:`close`'s pieces with each link's mark still in place, and the links' addresses
        in the order of their marks (:func:`relate_links` makes them)."""
        from lxml import etree

        self._parser.feed(_UNWRAP)
        self._parser.close()
        self._take_body()
        if self._source is None:
            raise Unstreamable("the rendered body has no w:body")
        self._harvest(final=True)
        wrap, body = self._source.getparent(), self._source
        if len(wrap) > 1 or (wrap.text or "").strip(_SPACE) or (body.tail or "").strip(_SPACE):
            raise Unstreamable("the rendered body is not the only thing rendered")
        body.tail = None
        # As docxtpl's map_tree (graft_body): the rendered w:body, empty now, takes the place of
        # the template's; the document around it is serialised once, with a mark for the pieces.
        root = self._root
        root.replace(root.find(_BODY), body)
        missing = None
        if self._wanted is not None and next(root.iter(_P), None) is None:
            # (a paragraph outside the body, which the check would read: it reads the part whole)
            missing = tuple(missing_strings(self._texts, self._wanted))
        if not self._children:
            buffer = io.BytesIO()
            etree.ElementTree(root).write(buffer, encoding="UTF-8", standalone=True)
            return StreamedBody(buffer.getvalue(), Pieces(), b"", self._sections, missing), []
        before, after = _around(root, body)
        self._pieces.finish(before, after)
        return StreamedBody(before, self._pieces, after, self._sections, missing), self._links

    def deflate(self) -> None:
        """From here, deflate the part as it is written, into the stream its zip entry holds
        (xmlpieces.Pieces.deflate), after the part's beginning as :meth:`finish` will make it
        (which checks it: when it differs, the pieces are taken back out of the stream)."""
        self._deflate = True
        self._begin_deflate()

    def _begin_deflate(self) -> None:
        # The part's beginning (the body's start tag and text) is known once its first child is.
        if not self._deflate or self._source is None or not (len(self._source) or self._children):
            return
        self._deflate = False
        root, body = copy.deepcopy(self._root), copy.copy(self._source)
        del body[:]
        body.tail = None
        root.replace(root.find(_BODY), body)
        self._pieces.deflate(_around(root, body)[0])

    def _take_body(self) -> None:
        for _event, element in self._parser.read_events():
            if self._source is not None:
                continue
            if sum(1 for _ in element.iterancestors()) != _WRAPPED:
                raise Unstreamable("the rendered body is not the root element")
            self._source = element
            self._ns = "{" + element.nsmap["w"] + "}"  # as docxtpl's fix_tables
            # A copy of the document whose w:body has the rendered one's namespaces, as it has
            # when moved into the document: what each piece is moved into and serialised in.
            skeleton = copy.deepcopy(self._root)
            body = copy.copy(element)
            del body[:]
            body.text = body.tail = None
            skeleton.replace(skeleton.find(_BODY), body)
            self._body = body

    def _harvest(self, final: bool) -> None:
        """Write out the body's children that are complete (all of them when ``final``)."""
        if self._source is None:
            return
        self._begin_deflate()
        children = list(self._source)
        last = None if final or not children else children.pop()
        for child in children:
            self._children += 1
            if child.tag == _TBL:
                self._flush()
                self._rows(child, complete=True)
                continue
            self._body.append(child)  # moved, as graft_body moves it
            if child.tag == _P:
                self._sections += len(child.findall(f"{W}pPr/{W}sectPr"))
            elif child.tag == _SECTPR:
                self._sections += 1
        self._flush()
        if last is not None and last.tag == _TBL:
            self._rows(last, complete=False)

    def _write(self, container: Any, table: _Table | None = None) -> None:
        """Fix what ``container`` holds as the whole body is fixed (docxtpl's fix_tables and
        fix_docpr_ids, perfreport's links and cell properties), write it out, and drop it. For
        a body table's copy, its rows are counted for its grid."""
        if not len(container):
            return
        fit_tables(container, self._ns)
        if table is not None:
            table.counts += counts_within(container, self._ns)
        self._number(container)
        order_cell_properties(container)
        written = _content(container)
        # Links are made where a link's mark is (rare): their runs are found by an XPath search
        # of every text, which the written bytes rule out at once.
        marked = _LINK_OPEN in written
        if marked:
            make_links_in(container, self._link)
            written = _content(container)
        self._pieces.add(written, marked=marked)
        if self._wanted is not None:
            self._texts += paragraph_texts(container)
        del container[:]

    def _refused(self, why: str) -> Exception:
        return Unstreamable(why)

    def _link(self, address: str) -> str:
        # A link's relationship is made at the end, as make_links makes them after the whole
        # body is rendered: rendering the rest of the body adds the pictures' relationships,
        # which would otherwise be numbered after the links.
        self._links.append(address)
        return f"{_LINK_MARK}{len(self._links) - 1}."

    def _flush(self) -> None:
        # While a table is open, the skeleton's body holds its copy alone.
        if self._table is None:
            self._write(self._body)

    def _rows(self, table: Any, complete: bool) -> None:
        """Write out the complete children of a body table (all of them when ``complete``)."""
        if self._in_place_rows(table, complete):
            return
        children = list(table)
        if not complete:
            children.pop()
        state = self._table
        if not children and not complete:
            return
        for child in children:
            table.remove(child)  # taken out first, as graft_body does
        if state is None or state.source is not table:
            state = self._table = self._start_table(table)
        for child in children:
            state.copy.append(child)  # moved, as graft_body moves a row
            if state.grid_at is None and child.tag == self._ns + "tblGrid":
                # Fitted to all the rows at the end: its bytes are written then, in its place.
                # (A grid holds grid columns: nothing else is fixed in it.)
                state.copy.remove(child)
                self._write(state.copy, state)
                state.grid, state.grid_at = child, self._pieces.open()
        self._write(state.copy, state)
        if complete:
            self._end_table(state)

    def _start_table(self, table: Any) -> _Table:
        from lxml import etree

        # Its start tag and text, its namespaces as the parsed one's (the rows read so far
        # are out of it: at most an unfinished one is copied).
        made = copy.copy(table)
        del made[:]
        made.tail = None
        self._body.append(made)  # moved, as graft_body moves the table
        mark = etree.Comment(_MARK)
        made.append(mark)
        start, _end = _content(self._body).split(b"<!--" + _MARK.encode() + b"-->")
        self._pieces.add(start)
        made.remove(mark)
        made.text = None
        return _Table(table, made)

    def _end_table(self, state: _Table) -> None:
        from lxml import etree

        self._table = None
        fit_grid(state.grid, state.counts, self._ns)
        if state.grid_at is not None:
            state.copy.append(state.grid)
            self._pieces.fill(state.grid_at, _content(state.copy))
            del state.copy[:]
        mark = etree.Comment(_MARK)
        state.copy.append(mark)
        state.copy.tail = state.source.tail
        _start, end = _content(self._body).split(b"<!--" + _MARK.encode() + b"-->")
        self._pieces.add(end)
        del self._body[:]
        self._source.remove(state.source)


def _around(root: Any, body: Any) -> tuple[bytes, bytes]:
    """The document ``root`` serialised before and after the content of its ``body``."""
    from lxml import etree

    mark = etree.Comment(_MARK)
    body.append(mark)
    buffer = io.BytesIO()
    etree.ElementTree(root).write(buffer, encoding="UTF-8", standalone=True)
    body.remove(mark)
    before, after = buffer.getvalue().split(b"<!--" + _MARK.encode() + b"-->")
    return before, after


def relate_links(part: Any, pieces: Pieces, links: list[str]) -> None:
    """Make each link's relationship from ``part``, in order, and put its id in place of its
    mark in ``pieces``."""
    from perfreport.paper.richtext import HYPERLINK

    if links:
        ids = [part.relate_to(address, HYPERLINK, is_external=True) for address in links]
        pieces.replace_marks(
            lambda piece: _LINK_MARKED.sub(lambda m: b'"' + ids[int(m[1])].encode() + b'"', piece)
        )
