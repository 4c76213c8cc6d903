"""docxtpl's listing pass (tabs, new lines, \\a, \\f in text), the same text, done only where needed."""

from __future__ import annotations

import re
from collections.abc import Callable

# docxtpl's resolve_listing rewrites every paragraph of the rendered text with its regexes (a
# 100x paper: ~200,000 paragraphs, ~0.8 s). A paragraph changes only where one of its runs'
# texts holds a tab, new line, \a or \f, so only the paragraphs holding one of those characters
# are found, as its scan finds them, and rewritten by its rules (the same regexes and flags).
# Its paragraphs, runs and texts are each r"<w:x(?: [^>]*)?>.*?</w:x>" with re.DOTALL: found here
# as the start tag, then the first end tag after it (see _element).
_PARAGRAPH = (re.compile(r"<w:p(?: [^>]*)?>"), "</w:p>")
_RUN = (re.compile(r"<w:r(?: [^>]*)?>"), "</w:r>")
_TEXT = (re.compile(r"<w:t(?: [^>]*)?>"), "</w:t>")
_PARAGRAPH_PROPERTIES = re.compile(r"<w:pPr>.*?</w:pPr>")
_RUN_PROPERTIES = re.compile(r"<w:rPr>.*?</w:rPr>")
_SPECIAL = re.compile("[\t\a\n\f]")
_END = "</w:p>"


def resolve_listing(xml: str) -> str:
    """What docxtpl's ``DocxTemplate.resolve_listing(xml)`` gives."""
    pieces: list[str] = []
    done = 0  # xml[:done] is in pieces
    # Where docxtpl's scan for paragraphs may start again and find what it finds from the
    # start: the start, a paragraph's start or end, or after any "</w:p>" (a paragraph ends at
    # the first one after its start tag, so no paragraph goes on past one) that is not inside
    # what may be a paragraph's start tag.
    at = 0
    look = 0  # where the next character is looked for: at, or past those no text can hold
    while (special := _SPECIAL.search(xml, look)) is not None:
        where = special.start()
        if (beyond := _past_texts(xml, look, where)) is not None:
            look = beyond
            continue
        start = at
        end = xml.rfind(_END, at, where)
        # (no "<w:p " after the last ">" before it: looked for from that ">", not back from
        # the "</w:p>" to at, which ran through the whole text between two such paragraphs)
        if end >= 0 and xml.find("<w:p ", max(at, xml.rfind(">", at, end) + 1), end) < 0:
            start = end + len(_END)
        paragraph = _element(_PARAGRAPH, xml, start)
        if paragraph is None:
            break
        begin, end = paragraph
        if begin > where:  # the character is in no paragraph
            at = look = begin
            continue
        text = xml[begin:end]
        resolved = _resolve_paragraph(text)
        if resolved != text:
            pieces += [xml[done:begin], resolved]
            done = end
        at = look = end
    return "".join([*pieces, xml[done:]]) if pieces else xml


_TEXT_START = re.compile("<w:t[ >]")  # where a match of _TEXT may begin


def _past_texts(xml: str, since: int, where: int) -> int | None:
    """Where the next w:t element may begin, when no match of _TEXT can hold the character at
    ``where`` nor any before that (none of docxtpl's text rewrites reaches them); None when
    one may. ``since``: no match holding ``where`` begins before it.

    Why: a chart's picture is pretty-printed XML, ~30 new lines outside any w:t, and each sent
    the pass through its paragraph's runs (a 100x paper's ~9,000 pictures: ~0.4 s).
    """
    start = xml.rfind("<w:t", since, where)
    while start >= 0 and xml[start + 4 : start + 5] not in (" ", ">"):  # <w:tab/>, <w:tc>...
        start = xml.rfind("<w:t", since, start)
    # The last w:t before it (if any) is closed before it: so is every match that begins
    # earlier, for each ends at the first "</w:t>" after its start tag.
    if start >= 0:
        tag_end = xml.find(">", start, where)
        if tag_end < 0 or xml.find("</w:t>", tag_end + 1, where) < 0:
            return None
    following = _TEXT_START.search(xml, where)
    return following.start() if following is not None else len(xml)


def _element(kind: tuple[re.Pattern[str], str], xml: str, at: int) -> tuple[int, int] | None:
    """Where docxtpl's regex for ``kind`` (start tag, end tag) matches in ``xml`` from ``at``:
    the first start tag, to the first end tag after it (a start tag ends at the first ">" after
    its "<", so when the first has no end tag after it, no later one has). Its lazy ".*?" tried
    each character in turn: ~20 us for a paragraph holding a chart's picture."""
    start, end = kind
    tag = start.search(xml, at)
    if tag is None:
        return None
    close = xml.find(end, tag.end())
    return None if close < 0 else (tag.start(), close + len(end))


def _replace(kind: tuple[re.Pattern[str], str], xml: str, rewrite: Callable[[str], str]) -> str:
    """docxtpl's ``regex.sub(lambda m: rewrite(m[0]), xml)`` for ``kind`` (see _element)."""
    pieces: list[str] = []
    done = 0
    while (found := _element(kind, xml, done)) is not None:
        begin, end = found
        pieces += [xml[done:begin], rewrite(xml[begin:end])]
        done = end
    return "".join([*pieces, xml[done:]]) if pieces else xml


def _resolve_paragraph(xml: str) -> str:
    found = _PARAGRAPH_PROPERTIES.search(xml)
    paragraph_properties = found[0] if found else ""
    return _replace(_RUN, xml, lambda run: _resolve_run(paragraph_properties, run))


def _resolve_run(paragraph_properties: str, xml: str) -> str:
    if not _SPECIAL.search(xml):  # (its texts are the same rewritten)
        return xml
    found = _RUN_PROPERTIES.search(xml)
    run_properties = found[0] if found else ""
    return _replace(
        _TEXT, xml, lambda text: _resolve_text(run_properties, paragraph_properties, text)
    )


def _resolve_text(run_properties: str, paragraph_properties: str, xml: str) -> str:
    xml = xml.replace(
        "\t",
        "</w:t></w:r>"
        f"<w:r>{run_properties}<w:tab/></w:r>"
        f'<w:r>{run_properties}<w:t xml:space="preserve">',
    )
    xml = xml.replace(
        "\a",
        "</w:t></w:r></w:p>"
        f'<w:p>{paragraph_properties}<w:r>{run_properties}<w:t xml:space="preserve">',
    )
    xml = xml.replace("\n", '</w:t><w:br/><w:t xml:space="preserve">')
    return xml.replace(
        "\f",
        "</w:t></w:r></w:p>"
        '<w:p><w:r><w:br w:type="page"/></w:r></w:p>'
        f'<w:p>{paragraph_properties}<w:r>{run_properties}<w:t xml:space="preserve">',
    )
