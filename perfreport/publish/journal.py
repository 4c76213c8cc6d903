"""The publish journal and record beside an output folder, durable writes, and the kill-test hook."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

JOURNAL_SCHEMA = "perfreport.publish-journal/1"
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


def journal_path(target_dir: Path) -> Path:
    """``build/.Q2-2024.publish.json``: present only between the commit and the end of a publish."""
    target_dir = Path(target_dir)
    return target_dir.parent / f".{target_dir.name}.publish.json"


def record_path(target_dir: Path) -> Path:
    """``build/.Q2-2024.published.json``: what the last publish put in the folder."""
    target_dir = Path(target_dir)
    return target_dir.parent / f".{target_dir.name}.published.json"


@dataclass(frozen=True)
class Journal:
    """A committed publish: the staging folder's name, its files, the files to remove, the record."""

    staging: str
    files: tuple[str, ...]
    remove: tuple[str, ...] = ()
    record: Mapping[str, object] = field(default_factory=dict)

    def to_dict(self) -> dict[str, object]:
        return {
            "schema": JOURNAL_SCHEMA,
            "staging": self.staging,
            "files": list(self.files),
            "remove": list(self.remove),
            "record": dict(self.record),
        }


@dataclass(frozen=True)
class Record:
    """The hash of each file the last publish wrote, and what each was made from."""

    files: Mapping[str, str]
    made_from: Mapping[str, str]


def _plain_names(values: object) -> tuple[str, ...] | None:
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        return None
    names = tuple(values)
    # Only plain names in the folder: a journal never sends a file anywhere else.
    if any(not n or n in (".", "..") or "/" in n or "\\" in n or "\0" in n for n in names):
        return None
    return names


def read_journal(path: Path) -> Journal | None:
    """The journal at ``path``, or None when there is none (or it is not one of ours)."""
    data = _read_json(path)
    if data is None or data.get("schema") != JOURNAL_SCHEMA:
        return None
    staging = data.get("staging")
    files, remove = _plain_names(data.get("files")), _plain_names(data.get("remove"))
    record = data.get("record")
    if (
        not isinstance(staging, str)
        or _plain_names([staging]) is None
        or files is None
        or remove is None
        or not isinstance(record, dict)
    ):
        return None
    return Journal(staging, files, remove, record)


def read_record(path: Path) -> Record | None:
    """The record at ``path``, or None when there is none or it cannot be read."""
    data = _read_json(path)
    if data is None or data.get("schema") != RECORD_SCHEMA:
        return None
    files, made_from = data.get("files"), data.get("made_from")
    if not isinstance(files, dict) or not isinstance(made_from, dict):
        return None
    return Record(
        {str(k): str(v) for k, v in files.items()}, {str(k): str(v) for k, v in made_from.items()}
    )


def _read_json(path: Path) -> dict | None:
    try:
        with open(path, "rb") as handle:
            text = handle.read(1 << 20)  # ours are a few hundred bytes
        data = json.loads(text)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


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
