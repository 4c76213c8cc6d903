"""Publish a build's files atomically: staged beside the output folder, moved into place at the end."""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

# Replacing a file that Word has open fails on Windows with PermissionError until Word lets go;
# a short wait covers a virus scanner or a preview pane, not a document left open for hours.
RETRIES = 5
RETRY_DELAY = 0.2
MAX_DIVERSIONS = 20


@dataclass(frozen=True)
class OutputResult:
    """Where each file of the build ended up.

    ``written`` maps every name to the file that now holds it; ``diverted`` holds the names whose
    file could not be replaced (open in Word on Windows) and were kept under a suffixed name,
    such as "Report (new).docx", beside the old one.
    """

    target_dir: Path
    written: dict[str, Path] = field(default_factory=dict)
    diverted: dict[str, Path] = field(default_factory=dict)


def staging_prefix(target_dir: Path) -> str:
    """Staging folders for ``build/Q2-2024`` are ``build/.Q2-2024.tmp-<random>``."""
    return f".{Path(target_dir).name}.tmp-"


def write_outputs(
    target_dir: Path,
    files: Mapping[str, bytes | Path],
    *,
    retries: int = RETRIES,
    retry_delay: float = RETRY_DELAY,
) -> OutputResult:
    """Write ``files`` (name -> content, or a file to copy) into ``target_dir`` all or nothing.

    Everything is first written and flushed to disk in a staging folder beside ``target_dir``
    (same file system), then each file is moved into place with ``os.replace``, so no file ever
    appears half-written under its final name. If anything fails before the moves, the previous
    build's files are untouched. Files of the previous build that are not in ``files`` are left
    alone. Staging folders left by a run that died are removed first: call this while holding
    the period's lock (perfreport.publish.locking.period_lock), so no other run is using them.
    """
    target_dir = Path(target_dir)
    for name in files:
        _check_name(name)
    parent = target_dir.parent
    parent.mkdir(parents=True, exist_ok=True)
    remove_stale_staging(target_dir)
    staging = Path(tempfile.mkdtemp(prefix=staging_prefix(target_dir), dir=parent))
    try:
        for name, content in files.items():
            _write_durably(staging / name, content)
        _sync_folder(staging)
        target_dir.mkdir(exist_ok=True)
        written: dict[str, Path] = {}
        diverted: dict[str, Path] = {}
        for name in files:
            final = _place(staging / name, target_dir / name, retries, retry_delay)
            written[name] = final
            if final.name != name:
                diverted[name] = final
        _sync_folder(target_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return OutputResult(target_dir=target_dir, written=written, diverted=diverted)


def remove_stale_staging(target_dir: Path) -> list[Path]:
    """Remove staging folders of ``target_dir`` left behind by a run that was killed."""
    target_dir = Path(target_dir)
    prefix = staging_prefix(target_dir)
    removed = []
    if not target_dir.parent.is_dir():
        return removed
    for entry in sorted(target_dir.parent.iterdir()):
        if entry.name.startswith(prefix) and entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def _check_name(name: str) -> None:
    if (
        not name
        or name in (".", "..")
        or "/" in name
        or "\\" in name
        or "\0" in name
        or name.startswith(".")
    ):
        raise ValueError(f"an output name must be a plain, visible file name, got {name!r}")


def _write_durably(path: Path, content: bytes | Path) -> None:
    with open(path, "xb") as out:
        if isinstance(content, bytes | bytearray | memoryview):
            out.write(content)
        else:
            with open(content, "rb") as source:
                shutil.copyfileobj(source, out)
        out.flush()
        os.fsync(out.fileno())


def _sync_folder(folder: Path) -> None:
    """Make the folder's new entries durable (POSIX; Windows cannot open a folder to sync it)."""
    if sys.platform == "win32":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def _place(staged: Path, final: Path, retries: int, retry_delay: float) -> Path:
    """Move a staged file to its final name; if that stays locked, beside it under a new name."""
    for attempt in range(max(1, retries)):
        try:
            os.replace(staged, final)
            return final
        except PermissionError:
            if attempt + 1 < retries:
                time.sleep(retry_delay)
    # Neither file is lost: the old one stays (it is open), the new one goes beside it. An
    # earlier "(new)" copy is a superseded build of ours, so it is replaced when it can be.
    for number in range(1, MAX_DIVERSIONS + 1):
        label = "new" if number == 1 else f"new {number}"
        candidate = final.with_name(f"{final.stem} ({label}){final.suffix}")
        try:
            os.replace(staged, candidate)
            return candidate
        except PermissionError:
            continue
    raise PermissionError(
        f"Could not save '{final.name}' in {final.parent}: the file and {MAX_DIVERSIONS} "
        "alternatives are in use or read-only. Close the documents in that folder and run the "
        "build again."
    )
