"""The fast ways through a package give what the slow ways give: zip members and sheet XML.

xlsx.inflate reads a small zip member straight from the file's bytes, and xlsx.sheet_tree walks
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


def _sheets_read(path: Path, whole: bool) -> tuple[object, ...] | None:
    book, _ = open_workbook(path, path.name, LIMITS)
    if not isinstance(book, LeanWorkbook):
        if book is not None:
            book.close()
        return None
    try:
        if not whole:
            for sheet in book.worksheets:
                sheet.tree = None  # stream it, as before sheet_tree
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
    whole = isinstance(book, LeanWorkbook) and any(s.tree is not None for s in book.worksheets)
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
