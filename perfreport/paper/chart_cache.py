"""The charts' cache (build/.cache/charts): PNGs by key, in packs written whole, pruned when unused.

Why packs: a cold 100x build keeps ~11,500 charts. As a file each, written to a temporary name
and moved into place, that was ~11,500 files made and renamed: ~0.7 s of CPU, most of it the
kernel's, in the drawing process while the build ran on the same cores (2,032 charts as files took
0.12 s of CPU, the same bytes as one file 0.003 s), and a warm build opened ~11,500 files (~0.4 s
of CPU to look them up). Now each batch of charts kept is one pack, and a build reads each pack's
header and index once: ~11,500 charts of ~650 bytes took ~0.03 s of CPU to keep, ~0.04 s to serve.

A pack (``<pid>-<ns>-<random>.pack``): a header (MAGIC, the record count, the index's size), the
index (for each record its key's length, offset, length and CRC-32, then the key in ASCII), then
the PNGs. Written whole under a temporary name (``.~``, this process's pid) and moved into place,
so a reader never sees part of one. No pickle: a cache file is never unpickled.
"""

from __future__ import annotations

import contextlib
import os
import struct
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

# The cache keeps a pack while builds use any of its charts: one unused for MAX_AGE_DAYS (as the
# returns' cache) goes, and so does a temporary file older than an hour.
MAX_AGE_DAYS = 60
DAY = 86400.0
TEMPORARY_AGE = 3600.0
PRUNED = ".pruned"
PACK = ".pack"
# Bounds, so that a damaged or foreign file cannot make a reader allocate much: a larger pack is
# not read (nor written), a larger record or index neither (a 100x build's ~11,500 charts: ~7 MB
# of PNGs, an index of ~1 MB).
MAX_PACK_BYTES = 512 * 1024 * 1024
MAX_RECORD_BYTES = 16 * 1024 * 1024
_MAX_INDEX = MAX_RECORD_BYTES

_MAGIC = b"PRCP\x00\x01"  # perfreport chart pack, version 1
_HEADER = struct.Struct("<6sII")  # MAGIC, record count, index bytes (after the header)
_ENTRY = struct.Struct("<HQII")  # key bytes, offset, length, CRC-32; the key follows

# A pack's records are read through a buffer this size: charts asked for in the order they were
# kept (a build's, as a rule) cost a system call for several, not two each.
_BUFFER = 64 * 1024
_Where = tuple[int, int, int, int]  # a pack's number, where the PNG starts, its length, CRC-32


class ChartPacks:
    """The charts in every whole pack of the cache, by key: each pack's header and index read
    once, and a chart read from its pack when asked for (``get``). A pack that is not whole or not
    ours is ignored: its charts are drawn again. Close it (or use ``with``) when done."""

    def __init__(self, cache_dir: Path | None) -> None:
        self._packs: list[tuple[str, float]] = []  # path, time
        self._where: dict[str, list[_Where]] = {}
        self._open: dict[int, BinaryIO] = {}
        self._fresh: set[int] = set()  # the packs used: touched when old, once
        if cache_dir is None:  # no caching
            return
        try:
            with os.scandir(cache_dir) as entries:
                names = sorted(e.path for e in entries if _is_pack(e.name))
        except OSError:  # not made yet (a first build), or unreadable: no cache
            return
        for path in names:
            with contextlib.suppress(OSError, ValueError, struct.error):
                self._read_index(path)

    def _read_index(self, path: str) -> None:
        with open(path, "rb", buffering=0) as handle:
            stat = os.fstat(handle.fileno())
            size = stat.st_size
            head = handle.read(_HEADER.size)
            if size > MAX_PACK_BYTES or len(head) != _HEADER.size:
                return
            magic, count, index_size = _HEADER.unpack(head)
            start = _HEADER.size + index_size
            if (
                magic != _MAGIC
                or start > size
                or not count * _ENTRY.size <= index_size <= _MAX_INDEX
            ):
                return
            index = handle.read(index_size)
        if len(index) != index_size:
            return
        records, at = [], 0
        for _ in range(count):
            key_size, offset, length, crc = _ENTRY.unpack_from(index, at)
            at += _ENTRY.size + key_size
            if at > index_size or length > MAX_RECORD_BYTES or not start <= offset <= size - length:
                return  # not whole (cut short) or not ours: none of it is served
            records.append((index[at - key_size : at].decode("ascii"), offset, length, crc))
        number = len(self._packs)
        self._packs.append((path, stat.st_mtime))
        for key, offset, length, crc in records:
            self._where.setdefault(key, []).append((number, offset, length, crc))

    def __len__(self) -> int:
        return len(self._where)

    def keys(self) -> set[str]:
        return set(self._where)

    def get(self, key: str) -> bytes | None:
        """The chart's PNG, or None: not kept, or its record damaged (then drawn again). A key in
        two packs is served by either whole record."""
        for where in self._where.get(key, ()):
            data = self._read(*where)
            if data is not None:
                return data
        return None

    def _read(self, number: int, offset: int, length: int, crc: int) -> bytes | None:
        path, used = self._packs[number]
        try:
            handle = self._open.get(number)
            if handle is None:
                handle = self._open[number] = open(path, "rb", buffering=_BUFFER)  # noqa: SIM115
            handle.seek(offset)
            data = handle.read(length)
            if len(data) != length or zlib.crc32(data) != crc:
                return None
            # Kept fresh while builds use it: one whose time is older than a day is touched, so
            # that pruning keeps it.
            if number not in self._fresh:
                self._fresh.add(number)
                if time.time() - used > DAY:
                    os.utime(path)
        except OSError:  # gone since (pruned), or unreadable: drawn again
            return None
        return data

    def close(self) -> None:
        """Close the packs read (Windows would not let another build prune them while open)."""
        for handle in self._open.values():
            with contextlib.suppress(OSError):
                handle.close()
        self._open.clear()

    def __enter__(self) -> ChartPacks:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _is_pack(name: str) -> bool:
    return name.endswith(PACK) and not name.startswith(".~")


def prune(cache_dir: Path, now: float | None = None) -> int:
    """Remove the packs no build has used for MAX_AGE_DAYS, and temporary files a killed process
    left; at most once a day (the time of the folder's PRUNED file). Returns how many went.

    Charts older perfreport versions kept as a file each (``<key>.png``) are no longer read (the
    cache only saves time: they are drawn again once); they go by the same rule, 60 days after
    they were last used."""
    now = time.time() if now is None else now
    marker = cache_dir / PRUNED
    try:
        if now - marker.stat().st_mtime < DAY:
            return 0
    except OSError:  # never pruned: prune now
        pass
    removed = 0
    try:
        marker.touch()
        os.utime(marker, (now, now))
        with os.scandir(cache_dir) as entries:
            for entry in entries:
                temporary = entry.name.startswith(".~")
                if not (
                    entry.name.endswith((PACK, ".png")) and entry.is_file(follow_symlinks=False)
                ):
                    continue
                age = now - entry.stat(follow_symlinks=False).st_mtime
                if age > (TEMPORARY_AGE if temporary else MAX_AGE_DAYS * DAY):
                    with contextlib.suppress(OSError):  # gone or in use: left for the next time
                        os.unlink(entry.path)
                        removed += 1
    except OSError:  # a read-only project or one that went away: the cache only saves time
        pass
    return removed


def write_pngs(
    cache_dir: Path, drawn: dict[str, bytes], stop: Callable[[], bool] | None = None
) -> None:
    """Keep the charts under their keys: one pack, written whole beside its name and moved into
    place. With ``stop``, nothing is written once it says so (the next build draws them)."""
    if stop is not None and stop():
        return
    try:
        pack = _packed(drawn)
        if pack is None:
            return
        cache_dir.mkdir(parents=True, exist_ok=True)
        prune(cache_dir)  # the cache grows only here: kept to the charts builds still use
        if stop is not None and stop():
            return
        # A name no other process or call takes: pid, time and a random part.
        name = f"{os.getpid()}-{time.time_ns()}-{os.urandom(4).hex()}{PACK}"
        folder = os.fspath(cache_dir)
        _write_whole(os.path.join(folder, f".~{name}"), os.path.join(folder, name), pack)
    except (OSError, UnicodeEncodeError):  # a read-only project: the cache only saves time
        return


def _packed(drawn: dict[str, bytes]) -> bytes | None:
    """The pack of ``drawn`` (a record too large to read back is left out), or None: empty, or
    too large to be read back. A key not in ASCII raises UnicodeEncodeError (cache keys are
    hex)."""
    records = [
        (k.encode("ascii"), v)
        for k, v in drawn.items()
        if len(v) <= MAX_RECORD_BYTES and len(k) <= 0xFFFF
    ]
    index_size = sum(_ENTRY.size + len(key) for key, _ in records)
    offset = _HEADER.size + index_size
    if (
        not records
        or index_size > _MAX_INDEX
        or offset + sum(len(d) for _, d in records) > MAX_PACK_BYTES
    ):
        return None
    parts = [_HEADER.pack(_MAGIC, len(records), index_size)]
    entry, crc32 = _ENTRY.pack, zlib.crc32
    for key, data in records:
        parts += (entry(len(key), offset, len(data), crc32(data)), key)
        offset += len(data)
    parts += (data for _, data in records)
    return b"".join(parts)


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0)


def _write_whole(temp: str, path: str, data: bytes) -> None:
    """``data`` written to ``temp``, then moved to ``path``; nothing is left at ``temp`` when
    either fails."""
    try:
        handle = os.open(temp, _NEW_FILE, 0o666)
        try:
            rest = memoryview(data)
            while rest:
                rest = rest[os.write(handle, rest) :]
        finally:
            os.close(handle)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
