"""Jinja's rendering of the body's XML, as docxtpl's render_xml_part gives it, in pieces."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

# (paper.bodystream parses and writes the pieces as they come)
CHUNK = 1 << 18  # characters of rendered text parsed at once (and, past FED_BESIDE_FROM, sent)
BATCH = 1 << 16  # characters of Jinja's output gathered before they are looked at


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
    # (a paper's XML rarely holds "_" at all: one look for it, not two for "{_" and "_}", is
    # ~0.1 s less at 100x)
    if "_" not in text:
        return text
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
