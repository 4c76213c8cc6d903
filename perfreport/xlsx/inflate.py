"""A small zip member's data taken straight from the file's bytes: what zipfile reads, faster."""

from __future__ import annotations

import functools
import struct
import zipfile
import zlib

# Why: zipfile.ZipFile.read sets up a shared file handle, a header parse, a stream object and a
# decompressor per member, which for the ten small parts of a return costs twice the inflating
# itself. This reads only the simple case (stored or deflated, not encrypted, the local header
# as the directory says, the whole stream inflating to exactly the declared size with the
# declared CRC), in which zipfile gives the same bytes; anything else gives None and the caller
# uses zipfile, which then reads or fails exactly as before.

_LOCAL = struct.Struct("<4s2B4HL2L2H")  # zipfile's structFileHeader
_SIGNATURE = b"PK\003\004"
_UNUSUAL = 0x1 | 0x20 | 0x40  # encrypted, compressed patch data, strong encryption
# Newer zipfiles note where a member's data must end (they refuse overlapping members); asked
# of the class once, as an absent attribute costs an exception per part.
_END_OFFSET = hasattr(zipfile.ZipInfo, "_end_offset")


def inflate(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    """The member's data as ``zipfile`` would read it, or None (then let zipfile read it)."""
    try:
        return _inflate(data, info)
    except Exception:  # noqa: BLE001 - anything unusual: zipfile decides
        return None


def _inflate(data: bytes, info: zipfile.ZipInfo) -> bytes | None:
    if info.flag_bits & _UNUSUAL or info.compress_type not in (
        zipfile.ZIP_STORED,
        zipfile.ZIP_DEFLATED,
    ):
        return None
    at = info.header_offset
    header = data[at : at + _LOCAL.size]
    if len(header) != _LOCAL.size:
        return None
    fields = _LOCAL.unpack(header)
    if fields[0] != _SIGNATURE:
        return None
    name_length, extra_length = fields[10], fields[11]
    name = data[at + _LOCAL.size : at + _LOCAL.size + name_length]
    utf8 = fields[3] & 0x800
    if name.decode("utf-8" if utf8 else "cp437") != info.orig_filename:
        return None
    start = at + _LOCAL.size + name_length + extra_length
    end = getattr(info, "_end_offset", None) if _END_OFFSET else None
    if end is not None and start + info.compress_size > end:
        return None
    raw = data[start : start + info.compress_size]
    if len(raw) != info.compress_size:
        return None
    if len(raw) <= _SAME_PART:
        return _same(raw, info.compress_type, info.file_size, info.CRC)
    return _inflated(raw, info.compress_type, info.file_size, info.CRC)


# Returns made from one template share most of their parts byte for byte (theme, styles,
# relationships...): a part whose stored bytes, method, size and CRC were all seen before
# inflates to what it gave then. Only small parts are kept (at most 64 x 32 KiB, and their keys).
_SAME_PART = 32 * 1024


@functools.lru_cache(maxsize=64)
def _same(raw: bytes, method: int, size: int, crc: int) -> bytes | None:
    return _inflated(raw, method, size, crc)


def _inflated(raw: bytes, method: int, size: int, crc: int) -> bytes | None:
    if method == zipfile.ZIP_STORED:
        if len(raw) != size:
            return None
        out = raw
    else:
        out = zlib.decompressobj(-15).decompress(raw)
    if len(out) != size or zlib.crc32(out) != crc:
        return None
    return out
