"""The publish journal and record beside an output folder, durable writes, and the kill-test hook."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# The journal is read by the rating stage too (a build folder left mid-publish): defined there,
# and named here as before.
from perfreport.rating.publish_journal import JOURNAL_SCHEMA as JOURNAL_SCHEMA
from perfreport.rating.publish_journal import Journal as Journal
from perfreport.rating.publish_journal import journal_path as journal_path
from perfreport.rating.publish_journal import read_journal as read_journal
from perfreport.rating.publish_journal import read_json

RECORD_SCHEMA = "perfreport.published/1"

# The test of atomic publishing (tests/test_publish_kill.py) sets this to a step's name, such as
# "committed" or "placed dataset.json", to make the process end abruptly right after that step, as
# a kill -9 or a power cut would. Nothing else sets it; it changes nothing when unset.
KILL_AT_ENV = "PERFREPORT_TEST_KILL_AT"
KILLED_EXIT = 137


def checkpoint(step: str) -> None:
    """A step of the publish is durable: the kill test may end the process here."""
    if os.environ.get(KILL_AT_ENV) == step:
        os._exit(KILLED_EXIT)


def record_path(target_dir: Path) -> Path:
    """``build/.Q2-2024.published.json``: what the last publish put in the folder."""
    target_dir = Path(target_dir)
    return target_dir.parent / f".{target_dir.name}.published.json"


@dataclass(frozen=True)
class Record:
    """The hash of each file the last publish wrote, and what each was made from."""

    files: Mapping[str, str]
    made_from: Mapping[str, str]


def read_record(path: Path) -> Record | None:
    """The record at ``path``, or None when there is none or it cannot be read."""
    data = read_json(path)
    if data is None or data.get("schema") != RECORD_SCHEMA:
        return None
    files, made_from = data.get("files"), data.get("made_from")
    if not isinstance(files, dict) or not isinstance(made_from, dict):
        return None
    return Record(
        {str(k): str(v) for k, v in files.items()}, {str(k): str(v) for k, v in made_from.items()}
    )


def write_durably(path: Path, content: bytes | Path) -> None:
    """Create ``path`` (it must not exist) with ``content`` and flush it to disk."""
    with open(path, "xb") as out:
        if isinstance(content, bytes | bytearray | memoryview):
            out.write(content)
        else:
            with open(content, "rb") as source:
                shutil.copyfileobj(source, out)
        out.flush()
        os.fsync(out.fileno())


def write_json_durably(path: Path, data: Mapping[str, object]) -> None:
    """Replace ``path`` with ``data`` in one rename, flushed to disk before and after."""
    partial = path.with_suffix(".tmp")
    partial.unlink(missing_ok=True)
    write_durably(partial, (json.dumps(data, indent=1, sort_keys=True) + "\n").encode("utf-8"))
    os.replace(partial, path)
    sync_folder(path.parent)


def sync_folder(folder: Path) -> None:
    """Make the folder's new entries durable (POSIX; Windows cannot open a folder to sync it)."""
    if sys.platform == "win32":
        return
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
