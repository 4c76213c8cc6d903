"""The rendered body streamed: Jinja's output parsed, fixed and serialised a piece at a time."""

from __future__ import annotations

import copy
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from perfreport.paper.richtext import LINK_START, make_links_in
from perfreport.paper.tablegrid import (
    counts_within,
    fit_grid,
    fit_tables,
    order_cell_properties,
)
from perfreport.paper.xmlpieces import Pieces

# docxtpl renders the body's XML with Jinja into one string and parses it into one lxml tree: for
# a 100x paper, ~55 MB of XML and a ~575 MB tree, most of a build's memory. Here Jinja's output
# is taken as it is made, parsed by lxml's feed parser, and each body element (or, in a table,
# each row) is fixed as docxtpl and perfreport fix the whole tree, moved into a copy of the
# document as graft_body moves it, serialised as it is in the whole document, and dropped. The
# bytes are those of the whole tree (tests/test_bodystream.py); what the stream cannot parse
# (text that is not well-formed XML, which docxtpl's recovering parser accepts) goes back to the
# whole tree (document.py).

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
_BODY, _TBL, _P, _SECTPR = W + "body", W + "tbl", W + "p", W + "sectPr"
CHUNK = 1 << 18  # characters of rendered text parsed at once (and, past FED_BESIDE_FROM, sent)
BATCH = 1 << 16  # characters of Jinja's output gathered before they are looked at
_MARK = "perfreport: the streamed body goes here"
_LINK_MARK = "perfreport-link-"  # with a number and ".": a link's relationship id until it is made
_LINK_OPEN = LINK_START.encode()  # in the written XML: a link's mark is there
_LINK_MARKED = re.compile(rb'"perfreport-link-(\d+)\."')


class Unstreamable(Exception):
    """The rendered body is not a w:body element the stream can take apart."""


@dataclass
class StreamedBody:
    """The main document part's XML: the document before and after its body's pieces, and
    the number of sections of the body."""

    before: bytes
    pieces: Pieces
    after: bytes
    sections: int

    def size(self) -> int:
        return len(self.before) + self.pieces.held + len(self.after)

    def xml(self) -> Iterator[bytes]:
        yield self.before
        yield from self.pieces
        yield self.after


def stream_body(template: Any, src_xml: str, context: Any, jinja_env: Any) -> StreamedBody:
    """docxtpl's build_xml, fix_tables, fix_docpr_ids and map_tree, then perfreport's links and
    cell properties, for the body ``src_xml`` of ``template`` (a DocxTemplate), streamed.

    Raises lxml's XMLSyntaxError or :class:`Unstreamable` for what only the whole tree can take.
    """
    part = template.docx.part
    writer = BodyWriter(part)
    for text in rendered_text(template, src_xml, part, context, jinja_env):
        writer.feed(text)
    return writer.close()


def rendered_text(
    template: Any, src_xml: str, part: Any, context: Any, jinja_env: Any
) -> Iterator[str]:
    """docxtpl's render_xml_part(src_xml, part, context, jinja_env), yielded in pieces.

    Its passes over the whole text are made on pieces cut where none of them can match across
    the cut: before a "\n<w:p" for the first ones, after a "</w:p>" for the listing pass.
    """
    from jinja2 import Template, TemplateError

    src_xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)
    try:
        template.current_rendering_part = part
        jinja = jinja_env.from_string(src_xml) if jinja_env else Template(src_xml)
        rendered, listing = _Gathered("\n<w:p", after=False), _Gathered("</w:p>", after=True)
        # (Jinja's pieces, ~540,000 for a 100x paper, are gathered first: a call each cost ~0.3 s)
        for piece in _batched(jinja.generate(context), min(CHUNK, BATCH)):
            text = rendered.add(piece)
            if text is not None and (done := listing.add(_unpatch(text))) is not None:
                yield template.resolve_listing(done)
        yield template.resolve_listing(listing.rest() + _unpatch(rendered.rest()))
    except TemplateError as exc:
        if getattr(exc, "lineno", None) is not None:  # as docxtpl: the template's lines near it
            line = max(exc.lineno - 4, 0)
            exc.docx_context = [  # type: ignore[attr-defined]
                re.sub(r"<[^>]+>", "", x) for x in src_xml.splitlines()[line : line + 7]
            ]
        raise


def _batched(pieces: Iterator[str], limit: int) -> Iterator[str]:
    """``pieces`` joined into texts of ``limit`` characters or more (the last may be fewer)."""
    batch: list[str] = []
    size = 0
    for piece in pieces:
        batch.append(piece)
        size += len(piece)
        if size >= limit:
            yield "".join(batch)
            batch, size = [], 0
    if batch:
        yield "".join(batch)


def _unpatch(text: str) -> str:
    # (docxtpl's re.sub(r"\n<w:p([ >])", r"<w:p\1", text), the same text, ~0.3 s less at 100x)
    text = text.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
    if "{_" in text:
        text = text.replace("{_{", "{{").replace("{_%", "{%")
    if "_}" in text:
        text = text.replace("}_}", "}}").replace("%_}", "%}")
    return text


class _Gathered:
    """Text gathered until it can be cut at the last ``mark`` in it (before the mark, or after
    it), once there are CHUNK characters. Each character is searched once, so that text with
    no place to cut (a runaway template) costs time in proportion to its length."""

    def __init__(self, mark: str, after: bool):
        self._mark, self._after = mark, after
        self._pieces: list[str] = []
        self._size = 0  # characters in the pieces
        self._limit = CHUNK  # when to look for a cut again
        self._searched = 0  # pieces searched in vain
        self._searched_size = 0  # their characters
        self._edge = ""  # their last characters: a mark may begin there

    def add(self, piece: str) -> str | None:
        """Add ``piece``; the text before the cut, when there is one now."""
        self._pieces.append(piece)
        self._size += len(piece)
        if self._size < self._limit:
            return None
        self._limit = self._size + CHUNK
        new = self._edge + "".join(self._pieces[self._searched :])
        cut = self._cut(new)
        if cut >= 0:
            cut += self._searched_size - len(self._edge)
        if cut <= 0:
            self._edge = new[-(len(self._mark) - 1) :]
            self._searched, self._searched_size = len(self._pieces), self._size
            return None
        text = "".join(self._pieces)
        self._pieces, self._size, self._limit = [text[cut:]], len(text) - cut, CHUNK
        self._searched, self._searched_size, self._edge = 0, 0, ""
        return text[:cut]

    def _cut(self, text: str) -> int:
        at = text.rfind(self._mark)
        if at < 0 or not self._after:
            return at
        # After a "</w:p>": not if a "<w:p" before it has no ">" until it, for the listing
        # pass's paragraph match (docxtpl's regex) could then run on past the cut.
        closed = text.rfind(">", 0, at)
        if text.rfind("<w:p", 0, at) > closed or (closed < 0 and self._searched):
            return -1
        return at + len(self._mark)

    def rest(self) -> str:
        return "".join(self._pieces)


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


class BodyWriter:
    """Takes the rendered body's text piece by piece and serialises it element by element."""

    def __init__(self, part: Any):
        from lxml import etree

        self._part = part
        self._root = part.element
        # docxtpl parses with recover=True; this one is strict, and what it refuses goes back to
        # docxtpl's way. Otherwise its defaults, as docxtpl's.
        self._parser = etree.XMLPullParser(events=("start",), tag=_BODY)
        self._source: Any = None  # the parsed w:body
        self._body: Any = None  # the w:body of a copy of the document: where pieces are written
        self._ns = W
        self._ids = 1000  # docxtpl's docx_ids_index
        self._table: _Table | None = None
        self._pieces = Pieces()
        self._sections = 0
        self._children = 0
        self._links: list[str] = []

    def feed(self, text: str) -> None:
        self.feed_bytes(text.encode("utf-8"))

    def feed_bytes(self, data: bytes) -> None:
        """:meth:`feed` with the text encoded as UTF-8."""
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

        self._parser.close()
        self._take_body()
        if self._source is None:
            raise Unstreamable("the rendered body has no w:body")
        self._harvest(final=True)
        # As docxtpl's map_tree (graft_body): the rendered w:body, empty now, takes the place of
        # the template's; the document around it is serialised once, with a mark for the pieces.
        root, body = self._root, self._source
        root.replace(root.find(_BODY), body)
        mark = etree.Comment(_MARK)
        if self._children:
            body.append(mark)
        buffer = io.BytesIO()
        etree.ElementTree(root).write(buffer, encoding="UTF-8", standalone=True)
        if not self._children:
            return StreamedBody(buffer.getvalue(), Pieces(), b"", self._sections), []
        body.remove(mark)
        before, after = buffer.getvalue().split(b"<!--" + _MARK.encode() + b"-->")
        return StreamedBody(before, self._pieces, after, self._sections), self._links

    def _take_body(self) -> None:
        for _event, element in self._parser.read_events():
            if self._source is not None:
                continue
            if element.getparent() is not None:
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
        for picture in container.iter(WP + "docPr"):
            self._ids += 1
            picture.attrib["id"] = str(self._ids)
        order_cell_properties(container)
        written = _content(container)
        # Links are made where a link's mark is (rare): their runs are found by an XPath search
        # of every text, which the written bytes rule out at once.
        marked = _LINK_OPEN in written
        if marked:
            make_links_in(container, self._link)
            written = _content(container)
        self._pieces.add(written, marked=marked)
        del container[:]

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


def relate_links(part: Any, pieces: Pieces, links: list[str]) -> None:
    """Make each link's relationship from ``part``, in order, and put its id in place of its
    mark in ``pieces``."""
    from perfreport.paper.richtext import HYPERLINK

    if links:
        ids = [part.relate_to(address, HYPERLINK, is_external=True) for address in links]
        pieces.replace_marks(
            lambda piece: _LINK_MARKED.sub(lambda m: b'"' + ids[int(m[1])].encode() + b'"', piece)
        )
