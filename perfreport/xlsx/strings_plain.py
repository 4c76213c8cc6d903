"""Shared strings that are all plain, read from the part's bytes: the texts the parse gives, faster."""

from __future__ import annotations

import re
from typing import Any

from perfreport.xlsx.parts import whole_parser

# Why: every return has its own shared strings (its service's name, its commentary), and the
# catalogue of a large council has thousands; parsing them into elements and walking each entry
# in Python cost more than the texts themselves. Excel, LibreOffice and openpyxl write the usual
# entry in one form, <si><t>text</t></si> (xml:space="preserve" on the <t> when it matters), so
# the entries are matched in the part's bytes by one regular expression instead.
#
# Only when the whole list of entries is made of exactly that form and white space, each text of
# characters XML allows (UTF-8, no carriage return, which a parser would turn into a line feed;
# entity and character references resolved as a parser resolves them, anything else refused),
# and the rest of the part parses with the same lxml options, as an <sst> in the main namespace
# with every namespace declared on it, version 1.0 and UTF-8: then the parse would give the same
# texts in the same order. Anything else gives None, and the part is parsed as before.

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# A text holding a carriage return matches, and is then refused (a parser reads it as a line
# feed): "[^<]" is matched twice as fast as "[^<\r]".
_ENTRY = re.compile(
    rb'<si><t(?: xml:space="preserve")?>([^<]{0,200000})</t></si>'
    rb'|<si><t(?: xml:space="preserve")?/></si>'
    rb"|[ \t\r\n]{1,1000}(?![ \t\r\n])"  # white space between entries
)
_CR = ord("\r")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")  # characters XML 1.0 refuses
# The same characters in UTF-8: the controls are single bytes that no longer sequence contains.
_NOT_XML_BYTES = bytes(range(0x09)) + b"\x0b\x0c" + bytes(range(0x0E, 0x20))
_NOT_XML_UTF8 = (b"\xef\xbf\xbe", b"\xef\xbf\xbf")  # U+FFFE, U+FFFF
_REFERENCE = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def plain_strings(data: bytes) -> list[str] | None:
    """The texts of the shared-string part ``data`` as xlsx.parts.read_shared_strings gives
    them, or None when the part is not plain (then it is parsed)."""
    if b"<!--" in data or b"<![CDATA[" in data or b"<!DOCTYPE" in data or data.count(b"<?") > 1:
        return None
    start, end = data.find(b"<si>"), data.rfind(b"</sst>")
    if start < 0 or end < start:
        return None
    strings: list[str] = []
    position = start
    # Each text's checks (_text), made once over all the entries when none of them can fail:
    # no "]]>", and all of it UTF-8 of characters XML allows (the entries' tags are ASCII, so
    # each text is then UTF-8 on its own too); only the references are left to each text.
    region = data[start:end]
    checked = b"]]>" not in region and _all_xml(region)
    for match in _ENTRY.finditer(data, start, end):
        if match.start() != position:
            return None  # something between the entries: not plain
        position = match.end()
        raw = match[1]
        if raw is None:
            if match[0][:1] == b"<":
                strings.append("")  # <t/>
            continue
        if _CR in raw:  # by its value: `b"\r" in raw` catches a TypeError first (see sheet_plain)
            return None
        if checked:
            text = raw.decode("utf-8")
            if "&" in text:
                text = _resolved(text)
        else:
            text = _text(raw)
        if text is None:
            return None
        strings.append(text.replace("x005F_", ""))  # as read_shared_strings does
    if position != end or not _rest_ok(data[:start] + data[end:], data.count(b"xmlns")):
        return None
    return strings


def _all_xml(region: bytes) -> bool:
    """The bytes are UTF-8 of characters XML allows (no _NOT_XML in their text), checked by C
    loops over the bytes (a regular-expression search of the text took four times as long)."""
    try:
        region.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if len(region.translate(None, _NOT_XML_BYTES)) != len(region):
        return False
    return region.isascii() or not any(code in region for code in _NOT_XML_UTF8)


def _text(raw: bytes) -> str | None:
    if b"]]>" in raw:
        return None  # not allowed in XML text: the parse fails
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if _NOT_XML.search(text):
        return None
    return _resolved(text) if "&" in text else text


def _resolved(text: str) -> str | None:
    """The text with its entity and character references resolved; None when one is not XML."""
    if "&" in _REFERENCE.sub("", text):
        return None  # an entity XML does not define, or a bare &
    if "&#" not in text:
        return (
            text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", '"')
            .replace("&apos;", "'")
            .replace("&amp;", "&")  # last: "&amp;lt;" is "&lt;" as text
        )
    try:
        return _REFERENCE.sub(_character, text)
    except ValueError:
        return None


def _character(match: re.Match[str]) -> str:
    named, decimal, hexadecimal = match.groups()
    if named is not None:
        return _NAMED[named]
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD:
        return chr(code)
    if 0x10000 <= code <= 0x10FFFF:
        return chr(code)
    raise ValueError(f"&#{code}; is not a character XML allows")


def _rest_ok(remainder: bytes, declarations: int) -> bool:
    """The part without its entries parses as the whole would, as an empty <sst> in the main
    namespace declaring every namespace of the part (so that the entries are in it too)."""
    from lxml import etree

    try:
        root: Any = etree.fromstring(remainder, whole_parser())
    except Exception:  # noqa: BLE001 - the parse of the whole part fails too, and says why
        return False
    info = root.getroottree().docinfo
    return (
        root.tag == f"{{{_MAIN}}}sst"
        and root.nsmap.get(None) == _MAIN
        and len(root.nsmap) == declarations
        and len(root) == 0
        and not (root.text or "").strip()
        and (info.encoding or "").upper() in ("UTF-8", "UTF8")
        and info.xml_version == "1.0"
    )
