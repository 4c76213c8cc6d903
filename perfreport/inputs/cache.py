"""A cache of read returns, keyed by the file's bytes and everything else the reading depends on."""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import tempfile
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

CACHE_FORMAT = "perfreport.inputs.returns-cache/1"
MAX_AGE_DAYS = 60  # entries unused for this long are removed

# The reading runs only code of these stages (tests/test_architecture.py holds the stage order).
_READING_STAGES = ("core", "xlsx", "inputs")


def reading_modules() -> list[Path]:
    """The source files of every module the reading can run."""
    package = Path(__file__).resolve().parent.parent
    return [
        module for stage in _READING_STAGES for module in sorted((package / stage).glob("*.py"))
    ]


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of the reading code, so that a changed reader never sees an old entry."""
    digest = hashlib.sha256(CACHE_FORMAT.encode())
    for module in reading_modules():
        digest.update(f"{module.parent.name}/{module.name}".encode())
        try:
            digest.update(module.read_bytes())
        except OSError:
            pass
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
                stored_key, value = pickle.load(handle)  # noqa: S301 - our own files
        except (
            OSError,
            EOFError,
            pickle.UnpicklingError,
            ValueError,
            TypeError,
            AttributeError,
            ImportError,
            IndexError,
        ):
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
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(
                "wb", dir=path.parent, prefix=".tmp-", delete=False
            ) as handle:
                pickle.dump((key, value), handle, protocol=pickle.HIGHEST_PROTOCOL)
                temporary = Path(handle.name)
            os.replace(temporary, path)
        except (OSError, pickle.PicklingError):
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
