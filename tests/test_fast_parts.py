"""The fast ways through a package give what the slow ways give: zip members and sheet XML.

xlsx.inflate reads a small zip member straight from the file's bytes (a part seen before, as
returns from one template share theirs, from memory, as is its prolog), and xlsx.sheet_tree walks
a small sheet part parsed whole. Each is compared with the way it replaces (zipfile; lxml's
streaming parse) over every workbook the tests know: the hostile files, the wild corpus (when
present), the examples and the test data. tests/test_lean_reader.py then compares whole reads.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import pytest
from test_corpus_wild import HOSTILE, wild_folder

from perfreport.core.project import LimitSettings
from perfreport.xlsx.inflate import inflate
from perfreport.xlsx.lean import LeanWorkbook
from perfreport.xlsx.prolog import part_prolog, scan_prolog
from perfreport.xlsx.workbook import open_workbook, read_sheet

ROOT = Path(__file__).resolve().parents[1]
LIMITS = LimitSettings()


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() != ".md")


ZIPPED = [
    p
    for folder in (HOSTILE, wild_folder(), ROOT / "examples", ROOT / "tests" / "data")
    for p in _files(folder)
    if p.read_bytes()[:2] == b"PK"
]


def _zipfile_read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes | None:
    try:
        return archive.read(info)
    except Exception:  # noqa: BLE001 - zipfile refuses it: the fast way must refuse it too
        return None


def test_every_test_workbook_is_compared() -> None:
    assert len({p.name for p in ZIPPED}) >= 60


@pytest.mark.parametrize("path", ZIPPED, ids=lambda p: p.name)
def test_inflate_gives_what_zipfile_reads_or_nothing(path: Path) -> None:
    data = path.read_bytes()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return  # no directory: the package checks stop before any member is read
    taken = 0
    with archive:
        for info in archive.infolist():
            fast = inflate(data, info)
            if fast is not None:
                assert fast == _zipfile_read(archive, info), info.filename
                taken += 1
    if ROOT / "examples" in path.parents and path.suffix.lower() in (".xlsx", ".xlsm"):
        assert taken > 0  # the files Excel and openpyxl save do take the fast way


def _one_member(content: bytes, compression: int = zipfile.ZIP_DEFLATED) -> bytearray:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        archive.writestr(zipfile.ZipInfo("xl/workbook.xml", (2024, 1, 1, 0, 0, 0)), content)
    return bytearray(out.getvalue())


def _first(data: bytes) -> zipfile.ZipInfo:
    return zipfile.ZipFile(io.BytesIO(bytes(data))).infolist()[0]


@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_inflate_reads_a_plain_member(compression: int) -> None:
    content = b"<workbook>" + b"x" * 5000 + b"</workbook>"
    data = _one_member(content, compression)
    assert inflate(bytes(data), _first(data)) == content


def test_inflate_leaves_damaged_or_unusual_members_to_zipfile() -> None:
    content = b"<workbook>" + bytes(range(256)) * 40 + b"</workbook>"
    plain = _one_member(content)
    info = _first(plain)
    start = 30 + len(info.filename)

    bad_crc = bytearray(plain)
    central = bytes(plain).rfind(b"PK\x01\x02")
    bad_crc[central + 16 : central + 20] = struct.pack("<L", info.CRC ^ 1)
    cut_short = bytes(plain[: start + info.compress_size // 2])
    renamed = bytearray(plain)
    renamed[30:31] = b"y"  # the local header names another member
    garbled = bytearray(plain)
    garbled[start : start + 8] = b"\xff" * 8
    encrypted = bytearray(plain)
    encrypted[central + 8] |= 0x1
    for data in (bad_crc, renamed, garbled, encrypted):
        assert inflate(bytes(data), _first(data)) is None
        with pytest.raises(Exception):  # noqa: B017 - whatever zipfile raises, it is its say
            zipfile.ZipFile(io.BytesIO(bytes(data))).read(_first(data))
    assert inflate(cut_short, info) is None


def test_a_member_seen_before_is_served_only_with_the_same_size_and_checksum() -> None:
    content = b"<styleSheet>" + bytes(range(256)) * 20 + b"</styleSheet>"
    plain = _one_member(content)
    info = _first(plain)
    central = bytes(plain).rfind(b"PK\x01\x02")
    assert inflate(bytes(plain), info) == content
    assert inflate(bytes(plain), info) == content  # remembered: the same bytes again
    bad_crc = bytearray(plain)
    bad_crc[central + 16 : central + 20] = struct.pack("<L", info.CRC ^ 1)
    longer = bytearray(plain)
    longer[central + 24 : central + 28] = struct.pack("<L", info.file_size + 1)
    for data in (bad_crc, longer):
        assert inflate(bytes(data), _first(data)) is None  # the same stored bytes, not served


@pytest.mark.parametrize("path", ZIPPED, ids=lambda p: p.name)
def test_a_part_prolog_seen_before_is_the_scanned_one(path: Path) -> None:
    data = path.read_bytes()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return
    with archive:
        for info in archive.infolist():
            whole = _zipfile_read(archive, info)
            if whole is not None:
                for _ in range(2):  # the second from memory, for the small parts
                    assert part_prolog(whole) == scan_prolog(io.BytesIO(whole)), info.filename


def test_a_part_seen_before_with_another_prolog_is_scanned_again() -> None:
    clean = b'<?xml version="1.0"?><worksheet xmlns="x"/>'
    hostile = b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "b">]><worksheet/>'
    assert part_prolog(clean).outcome == "root"
    assert part_prolog(hostile).outcome == "dtd"
    assert part_prolog(clean).outcome == "root"


def _sheets_read(path: Path, whole: bool) -> tuple[object, ...] | None:
    book, _ = open_workbook(path, path.name, LIMITS)
    if not isinstance(book, LeanWorkbook):
        if book is not None:
            book.close()
        return None
    try:
        if not whole:
            for sheet in book.worksheets:
                sheet.tree = sheet.rows = None  # stream it, as before sheet_tree
        return tuple(
            (sheet.title, read_sheet(book, sheet.title, path.name, LIMITS))
            for sheet in book.worksheets
        )
    finally:
        book.close()


@pytest.mark.parametrize("path", ZIPPED, ids=lambda p: p.name)
def test_a_sheet_parsed_whole_reads_as_streamed(path: Path) -> None:
    book, _ = open_workbook(path, path.name, LIMITS)
    if book is None:
        return
    whole = isinstance(book, LeanWorkbook) and any(
        s.tree is not None or s.rows is not None for s in book.worksheets
    )
    book.close()
    assert _sheets_read(path, whole=True) == _sheets_read(path, whole=False)
    if path.name == "valid-return.xlsx":
        assert whole


def test_a_sheet_read_twice_reads_the_same() -> None:
    """The walk frees the parsed tree as it goes: a second walk streams the part again."""
    path = HOSTILE / "valid-return.xlsx"
    book, _ = open_workbook(path, path.name, LIMITS)
    assert isinstance(book, LeanWorkbook)
    try:
        title = book.worksheets[0].title
        first = read_sheet(book, title, path.name, LIMITS)
        assert first[0] is not None and first[0].cells
        assert read_sheet(book, title, path.name, LIMITS) == first
    finally:
        book.close()


def _four_ways(path: Path, limits: LimitSettings = LIMITS) -> list[object]:
    """read_sheet of every sheet: as it is read (a small plain sheet's cells taken from its bytes
    at open), the plain way forced at the walk (small parts too), parsed whole, streamed."""
    import pytest as _pytest

    from perfreport.xlsx import lean

    results = []
    for way in ("as read", "plain", "whole", "streamed"):
        with _pytest.MonkeyPatch.context() as patch:
            if way == "plain":
                patch.setattr(lean._Kept, "kept", lambda self, name: None)
            elif way != "as read":
                patch.setattr(lean, "plain_sheet", lambda *args: None)
                patch.setattr(lean.LeanSheet, "plain", lambda self, limit: None)
            book, findings = open_workbook(path, path.name, limits)
            if book is None:
                results.append(("not opened", tuple(findings)))
                continue
            try:
                if way == "streamed":
                    for sheet in book.worksheets:
                        sheet.tree = None
                results.append(
                    tuple(
                        (s.title, read_sheet(book, s.title, path.name, limits))
                        for s in book.worksheets
                    )
                )
            finally:
                book.close()
    return results


@pytest.mark.parametrize("path", ZIPPED, ids=lambda p: p.name)
def test_a_sheet_read_from_its_bytes_reads_as_walked(path: Path) -> None:
    read, plain, whole, streamed = _four_ways(path)
    assert read == plain == whole == streamed


def _with_sheet(tmp_path: Path, sheet: bytes) -> Path:
    """valid-return.xlsx with its sheet part replaced."""
    source = HOSTILE / "valid-return.xlsx"
    out = tmp_path / "changed.xlsx"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info, sheet if info.filename == "xl/worksheets/sheet1.xml" else data)
    return out


_CELLS = b'<c r="C5"><v>86.5</v></c>'
_LAST = b'<c r="C6"><v>118</v></c>'
_EMPTY = b'<c r="D6" s="1"/><c r="E6" t="s"></c><c r="G6" t="n"></c><c r="H6"/>'
_DIMENSION = b'<dimension ref="A1:E6"/>'
_VARIANTS = {
    "as-saved": (b"", b""),
    "a formula": (_CELLS, b'<c r="C5"><f>1+1</f><v>86.5</v></c>'),
    "a comment": (_CELLS, _CELLS + b"<!-- note -->"),
    "a date style": (_CELLS, b'<c r="C5" s="1"><v>86.5</v></c>'),
    "a bad string index": (b'<c r="A1" t="s"><v>0</v></c>', b'<c r="A1" t="s"><v>99</v></c>'),
    "not a number": (_CELLS, b'<c r="C5"><v>8x</v></c>'),
    "a boolean": (_CELLS, b'<c r="C5" t="b"><v>1</v></c>'),
    "an entity": (_CELLS, b'<c r="C5"><v>8&#54;</v></c>'),
    "white space": (b'<row r="3"></row>', b'<row r="3">\n  </row>\n<row r="30"/>'),
    "an undeclared prefix": (b'<row r="3">', b'<row r="3" x:a="1">'),
    "a declared prefix": (b'<row r="3">', b'<row r="3" r:a="1">'),
    "a repeated attribute": (b'<row r="3">', b'<row r="3" r="4">'),
    "an odd row attribute": (b'<row r="3">', b"<row r='3'>"),
    "another namespace": (
        b'<row r="3"></row>',
        b'<row r="3" xmlns="urn:x"><c r="C3"><v>1</v></c></row>',
    ),
    "a cell outside a row": (b'<row r="3"></row>', b'<c r="C3"><v>1</v></c>'),
    "a row in a row": (b'<row r="3"></row>', b'<row r="3"><row r="9"></row></row>'),
    "a row elsewhere": (b"</sheetData>", b'</sheetData><row r="9"><c r="A9"><v>1</v></c></row>'),
    "a merge": (b"</sheetData>", b'</sheetData><mergeCells><mergeCell ref="A1:B1"/></mergeCells>'),
    "cut short": (b"</sheetData></worksheet>", b"</sheetData>"),
    "far away": (_CELLS, b'<c r="XFD1048576"><v>1</v></c>'),
    "rows in another namespace": (  # and an empty <sheetData> in the main one
        b"<sheetData>",
        b'<x:sheetData xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
        b'<other xmlns="urn:x"><sheetData>',
        b"</sheetData>",
        b"</sheetData></other>",
    ),
    "a control character": (b'<row r="3">', b'<row r="3" a="\x01">'),
    "a long number": (_CELLS, b'<c r="C5"><v>' + b"1" * 5000 + b"</v></c>"),
    "a huge text": (_CELLS, b'<c r="C5"><v>' + b"1" * 10_000_001 + b"</v></c>"),
    "empty cells": (_LAST, _LAST + _EMPTY),
    "an empty cell far away": (_LAST, _LAST + b'<c r="XFD1048576" s="1"/>'),
    "no dimension": (_DIMENSION, b""),
    "no dimension, empty cells": (_DIMENSION, b"", _LAST, _LAST + _EMPTY),
    "an empty boolean": (_LAST, _LAST + b'<c r="D6" t="b"/>'),
    "an empty cell holding a space": (_LAST, _LAST + b'<c r="D6"> </c>'),
    "an empty cell with an odd style": (_LAST, _LAST + b'<c r="D6" s=""/>'),
}


def _variant(name: str) -> bytes:
    """valid-return.xlsx's sheet part, changed as _VARIANTS[name] says (pairs: old, new)."""
    sheet = zipfile.ZipFile(HOSTILE / "valid-return.xlsx").read("xl/worksheets/sheet1.xml")
    changes = _VARIANTS[name]
    for old, new in zip(changes[::2], changes[1::2], strict=True):
        assert old in sheet
        sheet = sheet.replace(old, new, 1)
    return sheet


@pytest.mark.parametrize("variant", sorted(_VARIANTS))
def test_odd_sheets_read_the_same_every_way(tmp_path: Path, variant: str) -> None:
    path = _with_sheet(tmp_path, _variant(variant))
    read, plain, whole, streamed = _four_ways(path)
    assert read == plain == whole == streamed
    for cells in (12, 20, 40, 400):  # the limit passed part way through the rows, or not
        small = LimitSettings(max_sheet_cells=cells)
        assert len(set(map(repr, _four_ways(path, small)))) == 1


_PLAIN = {"as-saved", "a date style", "a bad string index", "not a number", "white space"}
_PLAIN |= {"a declared prefix", "a merge", "far away", "empty cells", "an empty cell far away"}
_PLAIN |= {"no dimension", "no dimension, empty cells"}


@pytest.mark.parametrize("variant", sorted(_VARIANTS))
def test_the_bytes_are_read_only_when_every_cell_is_plain(tmp_path: Path, variant: str) -> None:
    from perfreport.xlsx.lean import _column
    from perfreport.xlsx.sheet_plain import plain_rows

    sheet = _variant(variant)
    book, _ = open_workbook(_with_sheet(tmp_path, sheet), "x", LIMITS)
    try:
        strings = book.worksheets[0]._shared_strings if book is not None else []
    finally:
        if book is not None:
            book.close()
    found = plain_rows(sheet, strings, {1}, _column, 1000)
    assert (found is not None) == (variant in _PLAIN)


def _tables(path: Path, limits: LimitSettings = LIMITS) -> list[object]:
    """Every sheet as sheets.read_table gives it as read (a small plain sheet's cells taken at
    open) and with the plain way forced at the walk (small parts too), and as table_from_sheet
    of read_sheet walking the parsed part (no plain way at all)."""
    from perfreport.xlsx import lean
    from perfreport.xlsx.sheets import read_table, table_from_sheet

    def from_sheet(book: object, title: str) -> object:
        sheet, problems = read_sheet(book, title, path.name, limits)
        return (None if sheet is None else table_from_sheet(sheet)), problems

    def table(book: object, title: str) -> object:
        return read_table(book, title, path.name, limits)

    results = []
    for way, read in (("as read", table), ("plain", table), ("walked", from_sheet)):
        with pytest.MonkeyPatch.context() as patch:
            if way == "plain":
                patch.setattr(lean._Kept, "kept", lambda self, name: None)
            elif way == "walked":
                patch.setattr(lean, "plain_sheet", lambda *args: None)
                patch.setattr(lean.LeanSheet, "plain", lambda self, limit: None)
            book, findings = open_workbook(path, path.name, limits)
            if book is None:
                results.append(("not opened", tuple(findings)))
                continue
            try:
                results.append(tuple((s.title, read(book, s.title)) for s in book.worksheets))
            finally:
                book.close()
    return results


@pytest.mark.parametrize("path", ZIPPED, ids=lambda p: p.name)
def test_a_table_made_as_its_plain_cells_are_read_is_the_sheets_table(path: Path) -> None:
    read, plain, walked = _tables(path)
    assert read == plain == walked


@pytest.mark.parametrize("variant", sorted(_VARIANTS))
def test_odd_sheets_make_the_same_table_every_way(tmp_path: Path, variant: str) -> None:
    path = _with_sheet(tmp_path, _variant(variant))
    read, plain, walked = _tables(path)
    assert read == plain == walked
    for limits in (
        LimitSettings(max_sheet_cells=12),
        LimitSettings(max_sheet_cells=20),
        LimitSettings(max_cell_chars=3),
    ):
        assert len(set(map(repr, _tables(path, limits)))) == 1


def test_a_plain_sheet_is_made_into_a_table_as_it_is_read(monkeypatch) -> None:
    """read_table takes its own way for plain cells (the tests above would pass without it)."""
    from perfreport.xlsx import sheets

    made: list[object] = []
    real = sheets.table_rows
    monkeypatch.setattr(sheets, "table_rows", lambda *a: made.append(a[0]) or real(*a))
    read, plain, walked = _tables(HOSTILE / "valid-return.xlsx")
    assert read == plain == walked
    assert len(made) == 2  # as read (at open) and forced at the walk
    assert sum(len(row.cells) for _, (t, _) in read for row in t.rows) > 10


def test_a_plain_return_is_opened_with_one_read_of_its_zip_directory(monkeypatch) -> None:
    """The package checks' members serve the reader: the zip's directory is read once."""
    made: list[object] = []
    real = zipfile.ZipFile.__init__

    def counted(self: zipfile.ZipFile, *args: object, **kwargs: object) -> None:
        made.append(self)
        real(self, *args, **kwargs)

    monkeypatch.setattr(zipfile.ZipFile, "__init__", counted)
    path = HOSTILE / "valid-return.xlsx"
    book, findings = open_workbook(path, path.name, LIMITS)
    assert isinstance(book, LeanWorkbook) and findings == []
    try:
        assert read_sheet(book, book.worksheets[0].title, path.name, LIMITS)[0] is not None
    finally:
        book.close()
    assert len(made) == 1


def test_a_part_not_kept_is_read_from_the_zip_as_before(monkeypatch) -> None:
    """Parts the checks did not keep (too large) are read from the zip, opened when needed."""
    from perfreport.xlsx import package

    path = HOSTILE / "valid-return.xlsx"
    expected = _sheets_read(path, whole=True)
    monkeypatch.setattr(package, "_KEEP_PART", 0)
    assert _sheets_read(path, whole=True) == expected
