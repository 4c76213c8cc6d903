"""A small zip member's data taken straight from the file's bytes: what zipfile reads, faster."""

from __future__ import annotations

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
    end = getattr(info, "_end_offset", None)  # newer zipfiles refuse overlapping members
    if end is not None and start + info.compress_size > end:
        return None
    raw = data[start : start + info.compress_size]
    if len(raw) != info.compress_size:
        return None
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            return None
        out = raw
    else:
        out = zlib.decompressobj(-15).decompress(raw)
    if len(out) != info.file_size or zlib.crc32(out) != info.CRC:
        return None
    return out
