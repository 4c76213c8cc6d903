"""A cache of read returns, keyed by the file's bytes and everything else the reading depends on."""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
import pickle
import time
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

# Why a cache: officers validate many times a day as returns arrive, and a summary reads five
# quarters whose returns rarely change. Reading a workbook is the expensive step.
#
# Why it is never stale: the key is a hash of the file's bytes, the catalogue, the period, the
# settings, the name it is shown under, and the source of every module the reading runs. Change
# any of them and the key changes. Entries are written atomically, so a killed run leaves none
# half-written; an entry that cannot be read is ignored and read afresh.

CACHE_FORMAT = "perfreport.returns-cache/1"
MAX_AGE_DAYS = 60  # entries unused for this long are removed
# An entry holds what was read from one return, a few hundred KB at most; a larger file is not
# one of ours (or is damaged) and is ignored, so the return is read afresh (docs/security.md).
MAX_ENTRY_BYTES = 64 * 1024 * 1024

# The stages whose code the reading runs: every module in them is part of the key.
_READING_STAGES = ("core", "xlsx", "inputs")


def reading_modules() -> tuple[Path, ...]:
    """Every module of the stages that reading runs, in a fixed order."""
    package = Path(__file__).resolve().parents[1]
    return tuple(m for stage in _READING_STAGES for m in sorted((package / stage).glob("*.py")))


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the reading code, so that a changed reader never sees an old entry."""
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    for module in reading_modules():
        digest.update(f"{module.parent.name}/{module.name}".encode())
        digest.update(module.read_bytes())
    return digest.hexdigest()


def context_fingerprint(*parts: Any) -> str:
    """A hash of the other inputs (catalogue, settings): frozen dataclasses repr stably."""
    return hashlib.sha256(repr(parts).encode("utf-8", "surrogatepass")).hexdigest()


def entry_key(path: Path, context: str) -> str | None:
    """The key for one file, or None when it cannot be read (the reader will say why)."""
    digest = hashlib.sha256(code_fingerprint().encode())
    digest.update(context.encode())
    try:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


_MADE: set[Path] = set()  # entry folders this process has made (or found)
_SERIAL = itertools.count()
_EXCLUSIVE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


class ReturnCache:
    """Read returns stored under ``folder`` (one pickle per key)."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, key: str | None) -> Any | None:
        if key is None:
            return None
        path = self._path(key)
        try:
            with open(path, "rb") as handle:
                # Read whole (never more than MAX_ENTRY_BYTES) before unpickling from memory: a
                # damaged frame or bytes length is then checked against the data there is,
                # instead of being allocated first (an absurd length raised MemoryError).
                data = handle.read(MAX_ENTRY_BYTES + 1)
            if len(data) > MAX_ENTRY_BYTES:
                return None
            stored_key, value = pickle.loads(data)  # noqa: S301 - our own files
        except Exception:  # noqa: BLE001 - any entry that cannot be read is read afresh
            return None
        if stored_key != key:
            return None
        try:
            os.utime(path)  # recently used: keep it
        except OSError:
            pass
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
        return self.folder.glob("*/*.pickle")
