"""The charts' cache (build/.cache/charts): PNGs by key, written whole, pruned when unused."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable
from pathlib import Path

# The cache (build/.cache/charts) keeps a chart while builds use it: one unused for
# MAX_AGE_DAYS (as the returns' cache) goes, and so does a temporary file older than an hour.
MAX_AGE_DAYS = 60
DAY = 86400.0
TEMPORARY_AGE = 3600.0
PRUNED = ".pruned"


def cached(path: Path) -> bytes | None:
    """A cached chart's bytes (None: gone since, or unreadable), kept fresh while builds use it:
    one whose time is older than a day is touched, so that pruning (``prune``) keeps it."""
    try:
        with path.open("rb") as handle:
            data = handle.read()
            used = os.fstat(handle.fileno()).st_mtime
        if time.time() - used > DAY:
            os.utime(path)
    except OSError:
        return None
    return data


def prune(cache_dir: Path, now: float | None = None) -> int:
    """Remove the charts no build has used for MAX_AGE_DAYS, and temporary files a killed process
    left; at most once a day (the time of the folder's PRUNED file). Returns how many went."""
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
                if not (entry.name.endswith(".png") and entry.is_file(follow_symlinks=False)):
                    continue
                age = now - entry.stat(follow_symlinks=False).st_mtime
                if age > (TEMPORARY_AGE if temporary else MAX_AGE_DAYS * DAY):
                    with contextlib.suppress(OSError):  # gone or in use: left for the next time
                        os.unlink(entry.path)
                        removed += 1
    except OSError:  # a read-only project or one that went away: the cache only saves time
        pass
    return removed


def stored_names(cache_dir: Path) -> set[str]:
    """The names in the cache, read at once (a file looked for one by one took 0.2 s at 100x)."""
    try:
        return set(os.listdir(cache_dir))
    except OSError:  # not made yet
        return set()


def write_pngs(
    cache_dir: Path, drawn: dict[str, bytes], stop: Callable[[], bool] | None = None
) -> None:
    """Keep each chart under its key. Each is written beside its name and moved into place, so
    a reader never sees part of one; the temporary name is this process's own (mkstemp's random
    names took a second for a 100x paper's 9,000 charts)."""
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        prune(cache_dir)  # the cache grows only here: kept to the charts builds still use
        folder, pid = os.fspath(cache_dir), os.getpid()
        for key, data in drawn.items():
            if stop is not None and stop():
                return
            temp = os.path.join(folder, f".~{key}.{pid}.png")
            _write_whole(temp, os.path.join(folder, f"{key}.png"), data)
    except OSError:  # a read-only project: the cache only saves time
        return


# Why: a cold build keeps every chart it drew (a 100x paper's ~11,500). Written through pathlib
# (a Path made for each name, write_bytes's buffered file, an unlink after the move that always
# failed), each cost ~11 us more of CPU than through os's own calls: ~0.12 s of the drawing
# process's CPU at 100x, ~0.012 s at 10x.
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
