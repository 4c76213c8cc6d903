"""PNG files as the paper's charts write and check them: chunks, resolution, header, wholeness."""

from __future__ import annotations

import struct
import zlib

SIGNATURE = b"\x89PNG\r\n\x1a\n"
DPI = 192  # the charts' resolution: twice a screen's 96 dpi, sharp in print


def chunk(kind: bytes, data: bytes) -> bytes:
    """One chunk: its length, kind, data and CRC-32."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def resolution(dpi: float) -> bytes:
    """A pHYs chunk for ``dpi``, in pixels a metre as Pillow writes it."""
    per_metre = int(dpi / 0.0254 + 0.5)
    return chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))


def header(png: bytes) -> tuple[bytes, bytes] | None:
    """A PNG's size and resolution as they are written (IHDR's size, pHYs), None if it has no
    IHDR first: what python-docx reads of a picture to place it."""
    if png[:8] != SIGNATURE or png[12:16] != b"IHDR":
        return None
    size, at, phys = png[16:24], 8, b""
    while at + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[at : at + 8])
        if kind == b"pHYs":
            phys = png[at + 8 : at + 8 + length]
        if kind in (b"IDAT", b"IEND"):
            break
        at += 12 + length
    return size, phys


def whole(data: bytes) -> bool:
    """Whether ``data`` is a PNG whose every chunk is there and sound (length, CRC-32), up to its
    end: a cached chart cut short or damaged on disk is drawn again, not put in the paper."""
    if data[:8] != SIGNATURE:
        return False
    at = 8
    while at + 12 <= len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        end = at + 12 + length
        if end > len(data):
            return False
        (crc,) = struct.unpack(">I", data[end - 4 : end])
        if zlib.crc32(data[at + 4 : end - 4]) != crc:
            return False
        if data[at + 4 : at + 8] == b"IEND":
            return end == len(data)
        at = end
    return False
