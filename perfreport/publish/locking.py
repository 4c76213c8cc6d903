"""One run at a time per project and period: an OS file lock, and a note naming who holds it."""

from __future__ import annotations

import json
import os
import re
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from perfreport.core.gcpause import gc_paused

# The lock is the operating system's (fcntl/msvcrt via filelock): it is released when the holding
# process ends, however it ends, so a killed run never leaves a stale lock behind. The note beside
# it only names the holder for the message; filelock owns the lock file itself.
_KEY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class RunLocked(Exception):
    """Another run holds the lock for this project and period."""

    def __init__(self, message: str, holder: dict[str, object] | None, lock_path: Path):
        super().__init__(message)
        self.holder = holder
        self.lock_path = lock_path


def lock_path(project_root: Path, period_key: str, lock_dir: Path | None = None) -> Path:
    """``<project>/build/.Q2-2024.lock``: beside the build outputs, hidden from a casual look."""
    if not _KEY.match(period_key):
        raise ValueError(
            f"a period key must be letters, digits, '.', '_' or '-', got {period_key!r}"
        )
    folder = Path(lock_dir) if lock_dir is not None else Path(project_root) / "build"
    return folder / f".{period_key}.lock"


@contextmanager
def period_lock(
    project_root: Path, period_key: str, wait: float = 0, *, lock_dir: Path | None = None
) -> Iterator[Path]:
    """Hold the lock for one project and period, waiting up to ``wait`` seconds for it.

    Raises RunLocked, naming the other run (process id, computer, start time), when it is still
    busy after ``wait`` seconds. Yields the lock file's path.
    """
    # Imported here: the command imports this module for RunLocked, and filelock's import (~12 ms)
    # would delay a build's chart process (started before the lock is taken). Its objects live
    # to the end: frozen in the command's process (core.gcpause), not walked by collections.
    with gc_paused(lasting=True):
        from filelock import FileLock, Timeout

    path = lock_path(project_root, period_key, lock_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    note = _note_path(path)
    lock = FileLock(path, timeout=max(0.0, wait))
    try:
        lock.acquire()
    except Timeout:
        holder = _read_note(note)
        raise RunLocked(_busy_message(period_key, holder, wait), holder, path) from None
    try:
        _write_note(note, period_key)
        yield path
    finally:
        try:
            note.unlink(missing_ok=True)
        except OSError:
            pass
        lock.release()


def _note_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _write_note(note: Path, period_key: str) -> None:
    data = {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": datetime.now().astimezone().isoformat(timespec="seconds"),
        "period": period_key,
        "command": " ".join(sys.argv[:3]),
    }
    partial = note.with_name(note.name + f".{os.getpid()}.tmp")
    partial.write_text(json.dumps(data, indent=1), encoding="utf-8")
    os.replace(partial, note)


def _read_note(note: Path) -> dict[str, object] | None:
    try:
        data = json.loads(note.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # the other run has just started and not written its note yet
    return data if isinstance(data, dict) else None


def _busy_message(period_key: str, holder: dict[str, object] | None, wait: float) -> str:
    waited = f" after waiting {wait:g} seconds" if wait > 0 else ""
    if holder:
        started = str(holder.get("started", "an unknown time"))
        try:
            started = datetime.fromisoformat(started).strftime("%d %b %Y at %H:%M:%S")
        except ValueError:
            pass
        who = (
            f"process {holder.get('pid', '?')} on {holder.get('host', 'an unknown computer')}, "
            f"started {started}"
        )
    else:
        who = "its details are not available yet"
    return (
        f"Another perfreport run is already building {period_key} for this project ({who})"
        f"{waited}. Let it finish, then run again."
    )
