"""A cache of read returns, keyed by the file's bytes and everything else the reading depends on."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import pickle
import struct
import time
import zlib
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from perfreport.core.versions import library_versions

# Why a cache: officers validate many times a day as returns arrive, and a summary reads five
# quarters whose returns rarely change. Reading a workbook is the expensive step.
#
# Why it is never stale: the key is a hash of the file's bytes, the catalogue, the period, the
# settings, the name it is shown under, the source of every module the reading runs and the
# versions of the libraries it runs (openpyxl, lxml). Change any of them and the key changes.
# Entries are written atomically, so a killed run leaves none half-written; an entry that cannot
# be read is ignored and read afresh.
#
# Why packs: a file made for each return cost ~0.5 ms of the kernel's time per return on a cold
# run (a new file and a rename, journaled: ~1 s of CPU at 100x, a fifth of the read), and as
# much again to open them all on the next run. So the reading processes add their entries to one
# pack each (PackWriter: one append a return), and a cache lists them all once. A record is its
# key, length and CRC-32 before the pickle: one cut short or damaged is a miss, and the records
# before it still serve.

CACHE_FORMAT = "perfreport.returns-cache/2"
MAX_AGE_DAYS = 60  # entries unused for this long are removed
# An entry holds what was read from one return, a few hundred KB at most; a larger file is not
# one of ours (or is damaged) and is ignored, so the return is read afresh (docs/security.md).
MAX_ENTRY_BYTES = 64 * 1024 * 1024
# A pack holds one reading process's entries; one larger than this is not ours and is ignored.
MAX_PACK_BYTES = 512 * 1024 * 1024
PACKS = "packs"  # the folder of packs, beside the entries' folders (two hex digits)
# A record: magic, the key's length, the pickle's length and its CRC-32; then the key, the pickle.
_RECORD = struct.Struct("<4sHQI")
_MAGIC = b"PRC1"

# The stages whose code the reading runs: every module in them is part of the key.
_READING_STAGES = ("core", "xlsx", "inputs")
# The libraries the reading runs: their versions are part of the key, so that a read made by an
# older openpyxl or lxml is not served after `pip install -U` (perfreport's own code is hashed).
READING_LIBRARIES = ("openpyxl", "lxml", "perfreport")


def reading_modules() -> tuple[Path, ...]:
    """Every module of the stages that reading runs, in a fixed order."""
    package = Path(__file__).resolve().parents[1]
    return tuple(m for stage in _READING_STAGES for m in sorted((package / stage).glob("*.py")))


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the reading code and the libraries' versions, so that a changed reader never
    sees an old entry."""
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    digest.update(library_versions(*READING_LIBRARIES).encode())
    for module in reading_modules():
        digest.update(f"{module.parent.name}/{module.name}".encode())
        digest.update(module.read_bytes())
    return digest.hexdigest()


def context_fingerprint(*parts: Any) -> str:
    """A hash of the other inputs (catalogue, settings): frozen dataclasses repr stably."""
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def entry_key(path: Path, context: str) -> str | None:
    """The key for one file, or None when it cannot be read (the reader will say why): the
    hash of the code's fingerprint, ``context`` and the file's bytes, in that order."""
    # the fingerprint hashed once, not again for each of 1,200 files
    digest = _hashed(code_fingerprint()).copy()
    digest.update(context.encode())
    try:
        with open(path, "rb", buffering=0) as handle:
            # 64 KiB blocks: a 1 MiB buffer for each ~8 KB return cost ~2 page faults (~7 us)
            while block := handle.read(1 << 16):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


@lru_cache(maxsize=1)
def _hashed(fingerprint: str) -> Any:
    """A hash that has taken in ``fingerprint`` (the code's), for entry_key to copy."""
    return hashlib.sha256(fingerprint.encode())


_MADE: set[Path] = set()  # entry folders this process has made (or found)
_SERIAL = itertools.count()
_EXCLUSIVE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


class ReturnCache:
    """Read returns stored under ``folder``: one pickle per key (put), or records in packs
    (PackWriter.add), both served by get."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self._packs: dict[str, _Record] | None = None  # key -> where its record is
        self._used: set[Path] = set()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, key: str | None, *, packed: bool = True) -> Any | None:
        """The entry stored under ``key``, or None; ``packed``: look in the packs too (an
        entry of its own is looked for first)."""
        if key is None:
            return None
        path = self._path(key)
        try:
            with open(path, "rb") as handle:
                # Read whole (never more than MAX_ENTRY_BYTES) before unpickling from memory: a
                # damaged frame or bytes length is then checked against the data there is,
                # instead of being allocated first (an absurd length raised MemoryError).
                data = handle.read(MAX_ENTRY_BYTES + 1)
        except OSError:  # no file of its own (or none that can be read): it may be in a pack
            return self._from_pack(key) if packed else None
        if len(data) > MAX_ENTRY_BYTES:
            return None
        value = _loaded(data, key)
        if value is not None:
            _touch(path)  # recently used: keep it
        return value

    def _from_pack(self, key: str) -> Any | None:
        if self._packs is None:
            self._packs = _pack_records(self.folder / PACKS)
        record = self._packs.get(key)
        if record is None:
            return None
        pack, start, size, crc = record
        try:
            with open(pack, "rb", buffering=0) as handle:
                handle.seek(start)
                data = handle.read(size)
        except OSError:  # pruned by another run meanwhile: a miss
            return None
        if len(data) != size or zlib.crc32(data) != crc:
            return None
        value = _loaded(data, key)
        if value is not None and pack not in self._used:
            self._used.add(pack)
            _touch(pack)  # a pack is kept while any of its entries is used
        return value

    def put(self, key: str | None, value: Any) -> None:
        """Store atomically; a folder that cannot be written just means no caching."""
        if key is None:
            return
        path = self._path(key)
        temporary: Path | None = None
        try:
            if path.parent not in _MADE:
                path.parent.mkdir(parents=True, exist_ok=True)
                _MADE.add(path.parent)
            data = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
            if len(data) > MAX_ENTRY_BYTES:
                return  # could not be read back: not worth writing
            # A name no other process or entry uses, opened exclusively (as tempfile does, in
            # a fifth of the time: a worker stores hundreds of entries).
            temporary = path.parent / f".tmp-{os.getpid()}-{next(_SERIAL)}-{os.urandom(4).hex()}"
            descriptor = os.open(temporary, _EXCLUSIVE, 0o600)
            try:
                view = memoryview(data)
                while view:
                    view = view[os.write(descriptor, view) :]
            finally:
                os.close(descriptor)
            os.replace(temporary, path)
        except (OSError, pickle.PicklingError):
            _MADE.discard(path.parent)
            if temporary is not None:
                with contextlib.suppress(OSError):
                    temporary.unlink(missing_ok=True)

    def add(self, key: str | None, value: Any) -> bytes | None:
        """Store in this process's pack (see PackWriter); the pickle of (key, value) it made."""
        return None if key is None else _writer(self.folder).add(key, value)

    def prune(self, max_age_days: float = MAX_AGE_DAYS) -> int:
        """Remove entries not used for ``max_age_days``; returns how many went."""
        cutoff = time.time() - max_age_days * 86400
        removed = 0
        for path in self._entries():
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
                    removed += 1
            except OSError:
                pass
        return removed

    def _entries(self) -> Iterable[Path]:
        if not self.folder.is_dir():
            return []
        return itertools.chain(self.folder.glob("*/*.pickle"), self.folder.glob(f"{PACKS}/*.pack"))


def _loaded(data: bytes | memoryview, key: str) -> Any | None:
    try:
        stored_key, value = pickle.loads(data)  # noqa: S301 - our own files
    except Exception:  # noqa: BLE001 - any entry that cannot be read is read afresh
        return None
    return value if stored_key == key else None


def _touch(path: Path) -> None:
    try:
        os.utime(path)
    except OSError:
        pass


_Record = tuple[Path, int, int, int]  # a pack, where the pickle starts, its length and CRC-32


def _pack_records(folder: Path) -> dict[str, _Record]:
    """Where every whole record of every pack in ``folder`` is: key -> (pack, start, length,
    CRC-32). A pack is read up to its first record that is not whole (cut short, or not a
    record). Only the headers and keys are read: packs hold the entries of every version until
    they go unused (older code, returns since replaced), and a run holds just what it is served."""
    records: dict[str, _Record] = {}
    try:
        packs = sorted(folder.glob("*.pack"))
    except OSError:
        return records
    for pack in packs:
        try:
            with open(pack, "rb", buffering=0) as handle:
                _index(pack, handle, records)
        except OSError:
            continue
    return records


def _index(pack: Path, handle: Any, records: dict[str, _Record]) -> None:
    length = os.fstat(handle.fileno()).st_size
    if length > MAX_PACK_BYTES:
        return
    at = 0
    while at + _RECORD.size <= length:
        handle.seek(at)
        header = handle.read(_RECORD.size)
        if len(header) != _RECORD.size:
            return
        magic, key_size, size, crc = _RECORD.unpack(header)
        start = at + _RECORD.size + key_size
        if magic != _MAGIC or start + size > length:
            return
        try:
            key = handle.read(key_size).decode("ascii")
        except UnicodeDecodeError:
            return
        if size <= MAX_ENTRY_BYTES:
            records.setdefault(key, (pack, start, size, crc))
        at = start + size


class PackWriter:
    """This process's pack in one cache folder: a file of its own (named by process and a
    random part), appended a record at a time and never rewritten."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.pid = os.getpid()
        self.descriptor: int | None = None
        self.path: Path | None = None
        self.failed = False

    def add(self, key: str, value: Any) -> bytes | None:
        """Append one entry; a folder that cannot be written just means no caching. The pickle
        of (key, value), when it was made (worker.Pickled sends it on as it is)."""
        if self.failed:
            return None
        data = None
        try:
            data = pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL)
            encoded = key.encode("ascii")
            if len(data) > MAX_ENTRY_BYTES or len(encoded) > 0xFFFF:
                return data  # could not be read back: not worth writing
            if self.descriptor is None:
                folder = self.folder / PACKS
                folder.mkdir(parents=True, exist_ok=True)
                name = f"{self.pid}-{time.time_ns()}-{os.urandom(4).hex()}.pack"
                self.path = folder / name
                self.descriptor = os.open(self.path, _EXCLUSIVE | os.O_APPEND, 0o600)
            header = _RECORD.pack(_MAGIC, len(encoded), len(data), zlib.crc32(data))
            view = memoryview(b"".join((header, encoded, data)))
            while view:
                view = view[os.write(self.descriptor, view) :]
        except (OSError, UnicodeEncodeError, pickle.PicklingError):
            self.failed = True  # a record cut short is a miss for the reader
            self.close()
        return data

    def close(self) -> None:
        if self.descriptor is not None:
            with contextlib.suppress(OSError):
                os.close(self.descriptor)
            self.descriptor = None


_WRITERS: dict[Path, PackWriter] = {}  # this process's packs, by cache folder


def _writer(folder: Path) -> PackWriter:
    """The pack this process appends to in ``folder``; a forked child starts its own."""
    writer = _WRITERS.get(folder)
    if writer is None or writer.pid != os.getpid():
        writer = _WRITERS[folder] = PackWriter(folder)
    return writer


def close_packs() -> None:
    """Close this process's packs (the next entry starts a new one): a reader's last step, so
    that no file stays open (Windows would not let the folder be deleted)."""
    for folder, writer in list(_WRITERS.items()):
        if writer.pid == os.getpid():
            writer.close()
            del _WRITERS[folder]
