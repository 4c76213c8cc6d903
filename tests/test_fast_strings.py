"""Shared strings read from the part's bytes (xlsx.strings_plain) are the texts the parse gives.

Over every shared-string part of every workbook the tests know (hostile, wild corpus when
present, examples, test data), and over crafted parts at each edge of the plain form: either the
bytes give exactly what the parse gives, or they give None and the part is parsed as before.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from test_fast_parts import ROOT, ZIPPED

from perfreport.xlsx.parts import read_shared_strings
from perfreport.xlsx.strings_plain import plain_strings

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_HEAD = b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_ROOT = b'<sst xmlns="' + _MAIN.encode() + b'" count="3" uniqueCount="3">'


def _parsed(data: bytes) -> list[str] | None:
    """The texts as the parse gives them (whole or streamed), None when it fails."""
    try:
        return read_shared_strings(data)
    except Exception:  # noqa: BLE001 - a part the parse refuses: the bytes must refuse it too
        return None


def _string_parts(path: Path) -> list[bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    except zipfile.BadZipFile:
        return []
    found = []
    with archive:
        for info in archive.infolist():
            if info.filename.casefold().endswith("sharedstrings.xml"):
                try:
                    found.append(archive.read(info))
                except Exception:  # noqa: BLE001 - a damaged member: never parsed at all
                    continue
    return found


@pytest.mark.parametrize("path", ZIPPED, ids=lambda p: p.name)
def test_shared_strings_read_from_their_bytes_are_the_parsed_ones(path: Path) -> None:
    taken, parts = 0, _string_parts(path)
    for data in parts:
        fast = plain_strings(data)
        if fast is not None:
            assert fast == _parsed(data)
            taken += 1
    if ROOT / "examples" in path.parents and parts:
        assert taken > 0  # the files Excel and openpyxl save do take the fast way


def _part(
    entries: bytes, head: bytes = _HEAD, root: bytes = _ROOT, tail: bytes = b"</sst>"
) -> bytes:
    return head + root + entries + tail


# Each crafted part, and whether its bytes are read (True) or it is left to the parse (False).
VARIANTS: dict[str, tuple[bytes, bool]] = {
    "plain": (_part(b"<si><t>Ref</t></si><si><t>Value</t></si>"), True),
    "preserved": (_part(b'<si><t xml:space="preserve"> two  spaces </t></si>'), True),
    "empty": (_part(b'<si><t></t></si><si><t/></si><si><t xml:space="preserve"/></si>'), True),
    "named entities": (
        _part(b"<si><t>a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;</t></si>"),
        True,
    ),
    "escaped entity": (_part(b"<si><t>&amp;lt; stays</t></si>"), True),
    "character references": (_part(b"<si><t>&#163;5 &#xA3;6 &#13;&#x1F600;</t></si>"), True),
    "escaped reference": (_part(b"<si><t>&#38;lt; stays</t></si>"), True),
    "unicode": (_part("<si><t>£ café – 日本 😀</t></si>".encode()), True),
    "white space between": (_part(b"\r\n  <si><t>a</t></si>\n\t<si><t>b</t></si>\r\n"), True),
    "new lines in text": (_part(b"<si><t>line\nline\tx</t></si>"), True),
    "x005F escape": (_part(b"<si><t>_x005F_x000D_</t></si>"), True),
    "no declaration": (_part(b"<si><t>a</t></si>", head=b""), True),
    "byte order mark": (_part(b"<si><t>a</t></si>", head=b"\xef\xbb\xbf" + _HEAD), True),
    "closing bracket": (_part(b"<si><t>a > b ]] c</t></si>"), True),
    "carriage return": (_part(b"<si><t>line\r\nline</t></si>"), False),
    "control character": (_part(b"<si><t>bell\x07</t></si>"), False),
    "control reference": (_part(b"<si><t>&#7;</t></si>"), False),
    "reference too large": (_part(b"<si><t>&#x110000;</t></si>"), False),
    "unknown entity": (_part(b"<si><t>&nbsp;</t></si>"), False),
    "bare ampersand": (_part(b"<si><t>a & b</t></si>"), False),
    "section end": (_part(b"<si><t>a ]]> b</t></si>"), False),
    "not UTF-8": (_part(b"<si><t>caf\xe9</t></si>"), False),
    "other encoding": (
        _part(
            "<si><t>café</t></si>".encode("latin-1"),
            head=b'<?xml version="1.0" encoding="ISO-8859-1"?>',
        ),
        False,
    ),
    "version 1.1": (_part(b"<si><t>a\xc2\x85b</t></si>", head=b'<?xml version="1.1"?>'), False),
    "rich text": (_part(b"<si><r><rPr><b/></rPr><t>bold</t></r><r><t> plain</t></r></si>"), False),
    "phonetic": (_part(b'<si><t>a</t><rPh sb="0" eb="1"><t>b</t></rPh></si>'), False),
    "attribute on t": (_part(b'<si><t foo="1">a</t></si>'), False),
    "single quotes": (_part(b"<si><t xml:space='preserve'>a</t></si>"), False),
    "prefixed": (
        b'<x:sst xmlns:x="' + _MAIN.encode() + b'"><x:si><x:t>a</x:t></x:si></x:sst>',
        False,
    ),
    "other namespace": (_part(b"<si><t>a</t></si>", root=b'<sst xmlns="urn:other">'), False),
    "second namespace": (
        _part(b"<si><t>a</t></si>", root=b'<sst xmlns="' + _MAIN.encode() + b'" xmlns:o="urn:o">'),
        True,
    ),
    "namespace on an entry": (_part(b'<si xmlns="urn:other"><t>a</t></si>'), False),
    "comment": (_part(b"<!-- note --><si><t>a</t></si>"), False),
    "instruction": (_part(b"<?pi x?><si><t>a</t></si>"), False),
    "text in the root": (_part(b"<si><t>a</t></si>stray"), False),
    "another element": (_part(b"<si><t>a</t></si><extLst/>"), False),
    "another root": (b"<strings><si><t>a</t></si></strings>", False),
    "cut short": (_part(b"<si><t>a</t></si>", tail=b""), False),
    "not closed": (_part(b"<si><t>a</t></si><si><t>b</t>"), False),
    "no entries": (_part(b""), False),
}


@pytest.mark.parametrize("variant", VARIANTS)
def test_crafted_shared_strings_read_the_same_both_ways(variant: str) -> None:
    data, fast_way = VARIANTS[variant]
    fast, parsed = plain_strings(data), _parsed(data)
    assert (fast is not None) == fast_way
    if fast is not None:
        assert fast == parsed
