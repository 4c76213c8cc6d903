"""Text shown to people: control and bidi-control characters written out visibly (``\\x1b``)."""

from __future__ import annotations

import re

# C0 and C1 controls and DEL (ESC starts terminal sequences, a newline forges an output line),
# lone surrogates, the line and paragraph separators, and the bidi controls that reorder what a
# reader sees (U+202E, right-to-left override, shows "xslx.exe" as "exe.xlsx").
_HIDDEN = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(match: re.Match[str]) -> str:
    if match[0] in _NAMED:
        return _NAMED[match[0]]
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """``text`` with each hidden character written as its escape: ``\\x1b``, ``\\n``, ``\\u202e``.

    A name or value from a file (a file name, a sheet name, a cell) is shown this way wherever
    perfreport prints it, so nothing in it can move the cursor, recolour the terminal, start a
    forged line or reverse what the officer reads.
    """
    return _HIDDEN.sub(_escaped, text)


def has_hidden(text: str) -> bool:
    """True when ``visible`` would change ``text``."""
    return _HIDDEN.search(text) is not None
