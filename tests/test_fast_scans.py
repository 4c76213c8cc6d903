"""The quicker scans of a part's bytes give what the slower ones they replaced gave.

Each is compared with the old form (kept here as the reference) over random texts built from
the characters that matter to it, and over the shared-string parts of every workbook the tests
know: the shared strings' character check (strings_plain._all_xml), the end of a root tag
(prolog._end_of_tag), the count of shared-string entries (package._ENTRY), and whether a plain
cell's number is an int or a float (sheet_plain looks for its bytes by their values).
"""

from __future__ import annotations

import random
import re

import pytest
from test_fast_strings import ZIPPED, _string_parts

from perfreport.xlsx import package, prolog, strings_plain

_OLD_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_OLD_ENTRY = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?si[\s/>]")


def _old_all_xml(region: bytes) -> bool:
    try:
        return _OLD_NOT_XML.search(region.decode("utf-8")) is None
    except UnicodeDecodeError:
        return False


def _old_end_of_tag(text: str, start: int) -> int:
    quote = ""
    for index in range(start + 1, len(text)):
        char = text[index]
        if quote:
            if char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char == ">":
            return index
    return -1


# Pieces of UTF-8 (and not): ASCII, every control, line ends, two- to four-byte characters,
# U+FFFD..U+FFFF, a surrogate written as UTF-8, cut sequences and stray continuation bytes.
_PIECES = [
    *(bytes([code]) for code in range(0x20)),
    b"a",
    b"<t>",
    b" ",
    "é".encode(),
    "–".encode(),
    "😀".encode(),
    "\ufffd".encode(),
    b"\xef\xbf\xbe",
    b"\xef\xbf\xbf",
    b"\xef\xbf",
    b"\xed\xa0\x80",
    b"\x80",
    b"\xc3",
    b"\xff",
]


def test_the_character_check_of_the_entries_is_the_old_one() -> None:
    rng = random.Random(15)
    regions = [b"".join(rng.choices(_PIECES, k=rng.randint(0, 12))) for _ in range(30_000)]
    regions += [part for path in ZIPPED for part in _string_parts(path)]
    differ = [r for r in regions if strings_plain._all_xml(r) != _old_all_xml(r)]
    assert differ == []
    assert {_old_all_xml(r) for r in regions} == {True, False}  # both answers were asked for


def test_a_root_tag_ends_where_the_old_scan_said() -> None:
    rng = random.Random(17)
    for _ in range(50_000):
        text = "".join(rng.choices("ab <>\"'=\n", k=rng.randint(0, 30)))
        start = rng.randint(0, len(text))
        assert prolog._end_of_tag(text, start) == _old_end_of_tag(text, start), (text, start)


_ENTRY_PIECES = [b"<si>", b"<si/>", b"<si ", b"<si\t", b"<si\n", b"<sid>", b"<x:si>", b"<x:si/>"]
_ENTRY_PIECES += [b"<_a.b-c:si\r", b"<x:y:si>", b"<1:si>", b"<:si>", b"<si", b"si>", b"<", b"a"]


@pytest.mark.parametrize("seed", range(3))
def test_shared_string_entries_are_counted_as_before(seed: int) -> None:
    rng = random.Random(seed)
    datas = [b"".join(rng.choices(_ENTRY_PIECES, k=rng.randint(0, 20))) for _ in range(20_000)]
    if seed == 0:
        datas += [part for path in ZIPPED for part in _string_parts(path)]
    for data in datas:
        assert len(package._ENTRY.findall(data)) == len(_OLD_ENTRY.findall(data)), data
        for cut in range(len(data)):  # as the count's block ends use it
            assert bool(package._ENTRY.match(data, cut)) == bool(_OLD_ENTRY.match(data, cut))


_NUMBERS = [b"12", b"0", b"007", b"-5", b"59.3", b".5", b"5.", b"1E5", b"1e-3", b"-2.5E+3", b"1e"]
_NUMBERS += [b"12345678901234567890", b"Infinity", b"nan", b"1_000", b" 7", b"+4"]


def test_a_number_is_read_as_an_int_or_a_float_as_before() -> None:
    from perfreport.xlsx.lean import _column
    from perfreport.xlsx.sheet_plain import RAW, plain_rows

    cells = b"".join(
        b'<c r="A' + str(n).encode() + b'" t="n"><v>' + text + b"</v></c>"
        for n, text in enumerate(_NUMBERS, 1)
    )
    sheet = b'<worksheet xmlns="' + _MAIN + b'"><sheetData><row r="1">' + cells
    found = plain_rows(sheet + b"</row></sheetData></worksheet>", [], set(), _column, 1000)
    assert found is not None
    for text, (_, _, value, kind, _) in zip(_NUMBERS, found[0][0][1], strict=True):
        try:
            old = float(text) if b"." in text or b"E" in text or b"e" in text else int(text)
        except ValueError:
            old = None  # left to openpyxl's parse_cell, as the cell's bytes
        if old is None:
            assert kind == RAW, text
        else:
            assert (type(value), repr(value)) == (type(old), repr(old)), text


_MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
