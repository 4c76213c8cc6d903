"""A rendered web page's text and structure, read fast when it keeps to plain, regular HTML."""

from __future__ import annotations

import re
from html import unescape

# The tags that never close (as the web page's check counts them).
VOID = frozenset({"meta", "link", "img", "br", "hr", "input", "col", "wbr", "source"})

# The plain HTML perfreport's templates write: lower-case names, attributes after one space each,
# values in double quotes, no "/>", no comments, the style and script free of "</". Python's
# HTMLParser reads such a page token by token in Python (~1.5 s for a 100x page); these tokens
# are found by one regular expression. Anything else in a page (a restyled template may hold
# anything) stops this reader, and the page is read by HTMLParser as before.
_ATTRS = r'((?: [a-z][a-z0-9-]*(?:="[^"]*")?)*)'
_TOKEN = re.compile(
    r"([^<]+)"  # 1: text
    rf"|<(script|style){_ATTRS}>([^<]*(?:<(?!/)[^<]*)*)</\2>"  # 2, 3, 4: name, attrs, content
    rf"|<([a-z][a-z0-9]*){_ATTRS}>"  # 5, 6: a start tag's name and attributes
    r"|</([a-z][a-z0-9]*)>"  # 7: an end tag's name
    r"|<!DOCTYPE html>"
)
_ATTR = re.compile(r' ([a-z][a-z0-9-]*)(?:="([^"]*)")?')


def _ids(attrs: str) -> list[str]:
    """The values of the id attributes, as HTMLParser reads them (character references
    resolved); an id without a value is not one."""
    return [
        unescape(value) if value else value
        for name, value in _ATTR.findall(attrs)
        if name == "id" and value is not None
    ]


def read_plain_page(page: str) -> list[str] | None:
    """The page's text pieces in order, as HTMLParser gives them to handle_data, when the page
    is plain HTML as above and sound: every element closed in order, no id used twice. Else
    None: HTMLParser reads it, and says what is wrong in its words."""
    text: list[str] = []
    open_: list[str] = []
    ids: set[str] = set()
    at = 0
    for token in _TOKEN.finditer(page):
        if token.start() != at:
            return None  # something else: HTMLParser reads it
        at = token.end()
        kind = token.lastindex  # the last group of the alternative that matched
        if kind == 1:  # text, its character references resolved
            piece = token.group(1)
            text.append(unescape(piece) if "&" in piece else piece)
        elif kind == 7:  # an end tag
            if not open_ or open_[-1] != token.group(7):
                return None
            open_.pop()
        elif kind == 6 or kind == 4:  # a start tag; or a style or script element, whole
            attrs = token.group(6 if kind == 6 else 3)
            if " id" in attrs:
                for value in _ids(attrs):
                    if value in ids:
                        return None
                    ids.add(value)
            if kind == 6:
                name = token.group(5)
                if name not in VOID:
                    open_.append(name)
            elif token.group(4):
                text.append(token.group(4))  # raw: character references stay as written
    if at != len(page) or open_:
        return None
    return text
