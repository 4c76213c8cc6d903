"""Output streams on any console encoding: ASCII stand-ins, never an encoding traceback."""

from __future__ import annotations

import codecs
import io
import json
import re
import sys
import unicodedata

from perfreport.core.visible import visible

ERRORS = "perfreport"  # the codec error handler registered below
# What a Windows code page (cp1252, cp850) or plain ASCII may lack, and what to write instead.
_ASCII = {
    "\u2192": "->",
    "\u2190": "<-",
    "\u2026": "...",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2018": "'",
    "\u2019": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u00d7": "x",
    "\u00a0": " ",
    "\u2007": " ",
    "\u202f": " ",
    "\u2265": ">=",
    "\u2264": "<=",
    "\u00a3": "GBP ",
    "\u20ac": "EUR ",
    "\u2022": "*",
}


def _stand_in(char: str) -> str:
    if char in _ASCII:
        return _ASCII[char]
    plain = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode("ascii")
    if plain:
        return plain  # é -> e
    shown = visible(char)
    return (
        shown
        if shown != char
        else f"\\u{ord(char):04x}"
        if ord(char) < 0x10000
        else f"\\U{ord(char):08x}"
    )


def _fallback(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    bad = error.object[error.start : error.end]
    return "".join(_stand_in(char) for char in bad), error.end


codecs.register_error(ERRORS, _fallback)


def protect_streams() -> None:
    """Make stdout and stderr write what their encoding lacks as ASCII (-> for an arrow).

    Task Scheduler redirecting to a file on a Windows code page (PYTHONIOENCODING=cp1252), a
    cp850 console or a POSIX locale's ascii would otherwise stop a command with a
    UnicodeEncodeError. An error handler chosen by the user (PYTHONIOENCODING=cp1252:replace)
    is kept.
    """
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
            try:
                stream.reconfigure(errors=ERRORS)
            except (ValueError, io.UnsupportedOperation):  # closed, or not reconfigurable
                pass


def fit(text: str, stream: object = None) -> str:
    """``text`` as ``stream`` (stdout) can write it: ASCII stand-ins (-> for an arrow) for what its
    encoding lacks, made before rich measures the text, so that table columns stay aligned."""
    stream = stream or sys.stdout
    if is_unicode(stream):
        return text
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        return text.encode(encoding, errors=ERRORS).decode(encoding)
    except LookupError:  # an encoding Python does not know: plain ASCII is always safe
        return text.encode("ascii", errors=ERRORS).decode("ascii")


def is_unicode(stream: object) -> bool:
    """True when the stream's encoding holds every character (UTF-8, UTF-16...)."""
    encoding = (getattr(stream, "encoding", None) or "utf-8").lower().replace("_", "-")
    return encoding.startswith("utf")


# Characters JSON may carry raw but a terminal acts on: C1 controls, DEL, lone surrogates and the
# bidi controls (json.dumps escapes C0 controls itself).
_JSON_HIDDEN = re.compile(
    "[\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def json_text(data: object, stream: object = None) -> str:
    """``data`` as JSON for ``stream``: every value exactly as given, with the characters a
    terminal would act on written as \\u escapes (and all non-ASCII on a non-Unicode stream)."""
    text = json.dumps(data, indent=2, ensure_ascii=not is_unicode(stream or sys.stdout))
    return _JSON_HIDDEN.sub(lambda match: f"\\u{ord(match[0]):04x}", text)
