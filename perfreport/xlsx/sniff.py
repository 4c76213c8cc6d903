"""What a file really is, from its first bytes: a zip package, an old Excel file, text, or other."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import BinaryIO

from perfreport.core.codes_files import (
    ADVICE_REMOVE_PASSWORD,
    ADVICE_REMOVE_PASSWORD_SAVE_AS,
    ADVICE_SAVE_AS_XLSX,
    ADVICE_SEND_AGAIN,
    ADVICE_SEND_WORKBOOK,
)

CFB_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")  # OLE2 compound file: .xls, encrypted .xlsx
ZIP_SIGNATURES = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
# The BOF record that opens a BIFF2-BIFF8 stream saved without an OLE2 wrapper (Excel 2-4 files).
_BIFF_BOF = (b"\x09\x00", b"\x09\x02", b"\x09\x04", b"\x09\x08")
_FILEPASS = 0x002F  # the BIFF record that says an .xls workbook is encrypted


class Kind(enum.Enum):
    """The verdict on a file that is not a zip package (codes match perfreport.core.codes)."""

    UNREADABLE = "unreadable-file"
    NOT_A_WORKBOOK = "not-a-workbook"
    LEGACY = "legacy-format"
    ENCRYPTED = "encrypted-workbook"


@dataclass(frozen=True)
class Verdict:
    kind: Kind
    fields: Mapping[str, str]  # the fields of the code's message: what the file is


def _damaged(problem: str, advice: str) -> Verdict:
    return Verdict(Kind.UNREADABLE, {"problem": problem, "advice": advice})


def _not_a_workbook(kind: str, advice: str = ADVICE_SEND_WORKBOOK) -> Verdict:
    """``kind`` says what the file is, and that it is not a workbook."""
    return Verdict(Kind.NOT_A_WORKBOOK, {"kind": kind, "advice": advice})


def _encrypted(problem: str, advice: str) -> Verdict:
    return Verdict(Kind.ENCRYPTED, {"problem": problem, "advice": advice})


def _legacy(kind: str) -> Verdict:
    return Verdict(Kind.LEGACY, {"kind": kind})


def is_zip(data: bytes) -> bool:
    return data[:4] in ZIP_SIGNATURES


def read_up_to(stream: BinaryIO, size: int, most: int) -> bytes:
    """What ``stream.read(most)`` gives, for a file whose stat said ``size`` bytes: read by the
    size, then on to ``most`` should it have grown since. A buffer of ``most`` (the file limit,
    20 MB) made and shrunk for each ~8 KB return cost ~30 us of its read."""
    data = stream.read(min(size + 1, most))
    if len(data) == size + 1 < most:
        data += stream.read(most - len(data))
    return data


def identify(data: bytes) -> Verdict | None:
    """Name what a non-zip file is; None for a zip (checked further by perfreport.xlsx.package)."""
    if not data:
        return _damaged(
            "is empty (0 bytes): it was probably not saved or not copied completely",
            ADVICE_SEND_AGAIN,
        )
    if is_zip(data):
        return None
    if data.startswith(CFB_SIGNATURE):
        return _identify_compound(data)
    if data[:2] in _BIFF_BOF and len(data) >= 4:
        return _legacy("a very old Excel workbook (Excel 2-4 format)")
    return _identify_other(data)


def _identify_compound(data: bytes) -> Verdict:
    try:
        compound = CompoundFile(data)
        names = {entry.name.casefold(): entry for entry in compound.entries}
    except CompoundFileError:
        return _damaged("looks like an old-style Office file but is damaged", ADVICE_SAVE_AS_XLSX)
    if "encryptedpackage" in names or "encryptioninfo" in names:
        return _encrypted(
            "is protected with a password (encrypted), so it cannot be read", ADVICE_REMOVE_PASSWORD
        )
    stream = names.get("workbook") or names.get("book")
    if stream is not None:
        try:
            encrypted = _biff_has_filepass(compound.read_head(stream, 512))
        except CompoundFileError:
            encrypted = False
        if encrypted:
            return _encrypted(
                "is an old-format Excel workbook (.xls) protected with a password",
                ADVICE_REMOVE_PASSWORD_SAVE_AS,
            )
        return _legacy("an old-format Excel workbook (.xls, Excel 2003 or earlier)")
    if "worddocument" in names:
        return _not_a_workbook("a Word document, not an Excel workbook")
    return _not_a_workbook("an old-style Office file but not an Excel workbook")


def _biff_has_filepass(head: bytes) -> bool:
    """True when a FILEPASS record follows the opening BOF (it must come within the first few)."""
    position = 0
    for _ in range(16):
        if position + 4 > len(head):
            return False
        record = int.from_bytes(head[position : position + 2], "little")
        length = int.from_bytes(head[position + 2 : position + 4], "little")
        if record == _FILEPASS:
            return True
        position += 4 + length
    return False


def _decode_head(data: bytes) -> str | None:
    """The first few KB as text, or None when they look binary."""
    head = data[:4096]
    for bom, encoding in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if head.startswith(bom):
            return head[len(bom) :].decode(encoding, errors="ignore")
    if b"\x00" in head:
        return None
    text = (
        head.decode("utf-8", errors="ignore") if _is_utf8(head) else head.decode("cp1252", "ignore")
    )
    printable = sum(ch.isprintable() or ch in "\r\n\t" for ch in text)
    return text if text and printable / len(text) > 0.95 else None


def _is_utf8(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # only a character cut at the 4 KB boundary
    return True


def _identify_other(data: bytes) -> Verdict:
    if data.startswith(b"%PDF"):
        return _not_a_workbook("a PDF, not an Excel workbook")
    text = _decode_head(data)
    if text is None:
        return _not_a_workbook(
            "not an Excel workbook (its contents are not in any spreadsheet format perfreport "
            "knows)",
            ADVICE_SAVE_AS_XLSX,
        )
    lower = text.lstrip().lower()
    if "urn:schemas-microsoft-com:office:spreadsheet" in lower or 'progid="excel.sheet"' in lower:
        return _legacy("an Excel 2003 XML Spreadsheet, not an Excel workbook")
    if lower.startswith(("<!doctype html", "<html", "<table", "<meta")) or "<html" in lower[:1024]:
        return _not_a_workbook(
            "a web page (HTML) with a spreadsheet name, as some 'export to Excel' buttons produce",
            ADVICE_SAVE_AS_XLSX,
        )
    if lower.startswith("{\\rtf"):
        return _not_a_workbook("a rich-text document, not an Excel workbook")
    return _not_a_workbook(
        "a plain text file (such as CSV), not an Excel workbook", ADVICE_SAVE_AS_XLSX
    )


class CompoundFileError(ValueError):
    """An OLE2 compound file whose structure cannot be followed."""


@dataclass(frozen=True)
class DirectoryEntry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    start: int
    size: int


_LAST_SECTOR = 0xFFFFFFFA  # sector numbers at or above this are markers (end of chain, free, ...)


class CompoundFile:
    """Just enough of [MS-CFB] to list stream names and read a stream's first bytes, in bounds."""

    def __init__(self, data: bytes):
        if len(data) < 512 or not data.startswith(CFB_SIGNATURE):
            raise CompoundFileError("too small")
        self.data = data
        shift = self._u16(0x1E)
        if shift not in (9, 12):
            raise CompoundFileError("bad sector size")
        self.sector_size = 1 << shift
        self.mini_size = 1 << self._u16(0x20)
        self.mini_cutoff = self._u32(0x38)
        self.fat = self._read_fat()
        directory = self._read_chain(self._u32(0x30), limit=len(data))
        self.entries = tuple(self._entries(directory))
        if not self.entries:
            raise CompoundFileError("no directory")

    def _u16(self, offset: int, data: bytes | None = None) -> int:
        return int.from_bytes((data or self.data)[offset : offset + 2], "little")

    def _u32(self, offset: int, data: bytes | None = None) -> int:
        return int.from_bytes((data or self.data)[offset : offset + 4], "little")

    def _sector(self, number: int) -> bytes:
        offset = (number + 1) * self.sector_size
        if number >= _LAST_SECTOR or offset >= len(self.data):
            raise CompoundFileError(f"sector {number} is outside the file")
        return self.data[offset : offset + self.sector_size]

    def _words(self, block: bytes) -> list[int]:
        return [int.from_bytes(block[i : i + 4], "little") for i in range(0, len(block) - 3, 4)]

    def _read_fat(self) -> list[int]:
        fat_count = self._u32(0x2C)
        max_sectors = len(self.data) // self.sector_size
        if fat_count > max_sectors:
            raise CompoundFileError("FAT larger than the file")
        locations = [s for s in self._words(self.data[0x4C:0x200]) if s < _LAST_SECTOR]
        difat, seen = self._u32(0x44), set()
        while difat < _LAST_SECTOR and len(locations) < fat_count:
            if difat in seen:
                raise CompoundFileError("DIFAT loop")
            seen.add(difat)
            words = self._words(self._sector(difat))
            locations += [s for s in words[:-1] if s < _LAST_SECTOR]
            difat = words[-1]
        fat: list[int] = []
        for sector in locations[:fat_count]:
            fat += self._words(self._sector(sector))
        return fat

    def _chain(self, start: int, table: list[int], limit: int):
        """Sector numbers of a chain, refusing loops and chains longer than the file allows."""
        seen: set[int] = set()
        while start < _LAST_SECTOR:
            if start in seen or start >= len(table) or len(seen) > limit:
                raise CompoundFileError("broken sector chain")
            seen.add(start)
            yield start
            start = table[start]

    def _read_chain(self, start: int, limit: int) -> bytes:
        parts, total = [], 0
        for sector in self._chain(start, self.fat, len(self.data) // self.sector_size):
            parts.append(self._sector(sector))
            total += self.sector_size
            if total >= limit:
                break
        return b"".join(parts)

    def _entries(self, directory: bytes):
        for offset in range(0, len(directory) - 127, 128):
            entry = directory[offset : offset + 128]
            kind = entry[0x42]
            if kind not in (1, 2, 5):
                continue
            length = min(self._u16(0x40, entry), 64)
            name = entry[: max(0, length - 2)].decode("utf-16-le", errors="replace")
            size = int.from_bytes(entry[0x78:0x80], "little")
            if self.sector_size == 512:
                size &= 0xFFFFFFFF  # version 3 files may leave junk in the high half
            yield DirectoryEntry(name, kind, self._u32(0x74, entry), size)

    def read_head(self, entry: DirectoryEntry, count: int) -> bytes:
        """The first ``count`` bytes of a stream (from the mini stream when the stream is small)."""
        wanted = min(count, entry.size)
        if entry.size >= self.mini_cutoff:
            return self._read_chain(entry.start, wanted)[:wanted]
        root = self.entries[0]
        minifat_start, minifat_count = self._u32(0x3C), self._u32(0x40)
        minifat = self._words(self._read_chain(minifat_start, minifat_count * self.sector_size))
        mini_stream = list(self._chain(root.start, self.fat, len(self.data) // self.sector_size))
        parts, total = [], 0
        for mini in self._chain(entry.start, minifat, len(minifat)):
            offset = mini * self.mini_size
            index, within = divmod(offset, self.sector_size)
            if index >= len(mini_stream):
                raise CompoundFileError("mini sector outside the mini stream")
            parts.append(self._sector(mini_stream[index])[within : within + self.mini_size])
            total += self.mini_size
            if total >= wanted:
                break
        return b"".join(parts)[:wanted]
