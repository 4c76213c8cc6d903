"""Reading just the start of an XML part: its declaration, any DTD, and its root element's tag."""

from __future__ import annotations

import functools
import io
import re
from dataclasses import dataclass

_PROLOG_LIMIT = 64 * 1024  # real XML parts reach their root element within a few hundred bytes
_XML_ENCODINGS = {
    "utf-8",
    "utf8",
    "utf-16",
    "utf-16le",
    "utf-16be",
    "us-ascii",
    "ascii",
    "iso-8859-1",
    "latin-1",
    "latin1",
    "windows-1252",
    "cp1252",
}


@dataclass(frozen=True)
class Prolog:
    """What precedes an XML part's root element: ``root`` (the start tag), or why we stopped."""

    outcome: str  # "root", "dtd", "encoding", "too-long", "not-xml"
    detail: str = ""


def scan_prolog(stream: io.BufferedIOBase) -> Prolog:
    """Read just far enough into a part to see its XML declaration, any DTD, and its root tag."""
    buffer = b""
    while True:
        chunk = stream.read(8192)
        buffer += chunk
        limit_hit = len(buffer) >= _PROLOG_LIMIT
        result = _parse_prolog(_as_text(buffer), final=not chunk or limit_hit)
        if result is not None:
            return Prolog("too-long") if result.outcome == "more" else result


def part_prolog(data: bytes) -> Prolog:
    """scan_prolog of a part read whole. A small part seen before (returns made from one
    template share most of theirs, see xlsx.inflate) gives what it gave then."""
    if len(data) <= 32 * 1024:
        return _same_prolog(data)
    return scan_prolog(io.BytesIO(data))


@functools.lru_cache(maxsize=64)
def _same_prolog(data: bytes) -> Prolog:
    return scan_prolog(io.BytesIO(data))


def _as_text(buffer: bytes) -> str:
    # latin-1 keeps every ASCII structure character in place whatever the real 8-bit encoding.
    if buffer.startswith(b"\xff\xfe") or buffer[:2] == b"<\x00":
        return buffer[len(buffer) % 2 :].decode("utf-16-le", "ignore").lstrip("\ufeff")
    if buffer.startswith(b"\xfe\xff") or buffer[:2] == b"\x00<":
        return buffer.decode("utf-16-be", "ignore").lstrip("\ufeff")
    return buffer.decode("latin-1").removeprefix("\xef\xbb\xbf")


_ENCODING = re.compile(r"""encoding\s*=\s*["']([^"']*)["']""")


def _parse_prolog(text: str, final: bool) -> Prolog | None:
    """None: need more text. ``more`` with ``final``: the prolog never ended within the limit."""
    position = 0
    while True:
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
        if position >= len(text):
            return Prolog("not-xml") if final else None
        if text.startswith("<?", position):
            end = text.find("?>", position)
            if end < 0:
                return Prolog("more") if final else None
            declaration = text[position:end]
            match = _ENCODING.search(declaration) if declaration.startswith("<?xml") else None
            if match and match[1].strip().lower() not in _XML_ENCODINGS:
                return Prolog("encoding", match[1])
            position = end + 2
        elif text.startswith("<!", position) and len(text) - position < 4 and not final:
            return None  # "<!-" cut at a chunk boundary: comment or declaration?
        elif text.startswith("<!--", position):
            end = text.find("-->", position + 4)
            if end < 0:
                return Prolog("more") if final else None
            position = end + 3
        elif text.startswith("<!", position):
            return Prolog("dtd", text[position : position + 40])
        elif text.startswith("<", position):
            end = _end_of_tag(text, position)
            if end < 0:
                return Prolog("more") if final else None
            return Prolog("root", text[position : end + 1])
        else:
            return Prolog("not-xml")


# A start tag up to its ">": runs of other characters and quoted values (which may hold ">"),
# never given back (possessive), so a tag without its end is refused in one pass.
_TAG = re.compile(r"""(?:[^"'>]++|"[^"]*+"|'[^']*+')*+>""")


def _end_of_tag(text: str, start: int) -> int:
    """Index of the ``>`` closing the start tag at ``start`` (``>`` may appear inside quotes)."""
    match = _TAG.match(text, start + 1)
    return -1 if match is None else match.end() - 1
