"""Text a Word document can hold: control characters and lone surrogates removed from a context."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from perfreport.core.codes import finding
from perfreport.core.findings import Finding
from perfreport.core.formatting import plural
from perfreport.core.gcpause import paused
from perfreport.core.visible import visible

# XML 1.0 cannot hold C0 controls other than tab, line feed and carriage return, lone surrogates or
# U+FFFE/U+FFFF; C1 controls and DEL are legal XML but show as boxes in Word, so they go too. In
# docxtpl, BEL (\a) and form feed (\f) would even start new paragraphs and pages.
# U+E000 to U+E002 are private-use characters the renderer keeps for marking links (richtext.py).
_UNPRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\ue002\ufffe\uffff]"
)


# Bidi controls are legal XML, but a right-to-left override (U+202E) makes Word show the text
# after it backwards: a councillor would read what the service did not write. They are written
# out (\u202e) instead, as the terminal and JSON show them, with a warning.
_BIDI = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


# Any character clean_text changes (a carriage return, an unprintable or a bidi control): text
# without one (nearly all) is kept as it is, with a single search.
_SUSPECT = re.compile(
    "[\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\ue002\ufffe\uffff"
    "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
suspect_text = _SUSPECT.search  # not None: clean_text would change the text


def clean_text(text: str) -> tuple[str, list[str]]:
    """``text`` with unprintable characters removed, and the code points removed (as U+XXXX);
    bidi controls are written out visibly (``\\u202e``), see ``bidi_controls``."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    removed = [f"U+{ord(ch):04X}" for ch in _UNPRINTABLE.findall(text)]
    text = _UNPRINTABLE.sub("", text) if removed else text
    return _BIDI.sub(lambda match: visible(match[0]), text), removed


def bidi_controls(text: str) -> list[str]:
    """The bidi controls in ``text`` (as U+XXXX), which clean_text writes out visibly."""
    return [f"U+{ord(ch):04X}" for ch in _BIDI.findall(text)]


def _where(path: str, ref: str | None) -> str:
    field = path.rsplit(".", 1)[-1]
    return f"Indicator {ref} {field.replace('_', ' ')}" if ref else path


# Where a value is in the context: (where its container is, its key or index, is an index).
# The path is written out only for a value that has a finding.
_Place = tuple[Any, Any, bool] | None


def _path(at: _Place) -> str:
    """``appendix.groups[0].indicators[2].commentary``, from the root down."""
    steps = []
    while at is not None:
        at, key, index = at
        steps.append((key, index))
    path = ""
    for key, index in reversed(steps):
        path = f"{path}[{key}]" if index else (f"{path}.{key}" if path else str(key))
    return path


class Sanitised(dict):
    """A context that :func:`sanitise_context` made (or kept clean): passed to it again, it is
    returned as it is. A 100x paper's context has a million values; the build, the .docx and the
    web page each walked them all."""


@paused
def sanitise_context(context: Mapping[str, Any]) -> tuple[dict[str, Any], tuple[Finding, ...]]:
    """A copy of ``context`` that XML can hold, with an ``unprintable-text`` warning per value changed.

    The warning names the value's place in the context (``appendix.groups[0].indicators[2]
    .commentary``) or, inside an indicator, its ref, so the officer can find the source text.
    """
    if isinstance(context, Sanitised):
        return context, ()  # clean already: walking it again would change nothing, find nothing
    findings: list[Finding] = []
    suspect = _SUSPECT.search

    def walk(value: Any, at: _Place, ref: str | None) -> Any:
        if isinstance(value, str):
            if type(value) is str and not suspect(value):
                return value  # nothing to remove or write out (a million values at 100x)
            path = _path(at)
            text, removed = clean_text(value)
            reordering = bidi_controls(value)
            if reordering:
                count = len(reordering)
                findings.append(
                    finding(
                        "bidi-text",
                        ref=ref,
                        value=text,
                        where=_where(path, ref),
                        characters=plural(count, "bidi control character"),
                        kinds=", ".join(sorted(set(reordering))),
                        were="were" if count != 1 else "was",
                    )
                )
            if removed:
                kinds = ", ".join(sorted(set(removed)))
                count = len(removed)
                findings.append(
                    finding(
                        "unprintable-text",
                        ref=ref,
                        value=text,
                        where=_where(path, ref),
                        characters=plural(count, "control character"),
                        kinds=kinds,
                        were="were" if count != 1 else "was",
                    )
                )
            return text
        if isinstance(value, Mapping):
            raw_ref = value.get("ref")
            inner_ref = clean_text(raw_ref)[0] if isinstance(raw_ref, str) else ref
            return {str(k): walk(v, (at, k, False), inner_ref) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [walk(v, (at, i, True), ref) for i, v in enumerate(value)]
        return value

    cleaned = Sanitised(walk(context, None, None))
    # The same text may be shown twice (a commentary in Appendix A and again in Appendix B): one
    # warning for it, the first.
    once = {(f.code, f.ref, f.message): f for f in reversed(findings)}
    return cleaned, tuple(f for f in findings if once[(f.code, f.ref, f.message)] is f)
