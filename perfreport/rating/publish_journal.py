"""The journal a publish keeps beside its output folder from its commit point until it is done."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

# Written by publish (publish/journal.py, publish/outputs.py); read here too, because a later
# quarter's history reads a build folder that a stopped publish may have left half-replaced.
JOURNAL_SCHEMA = "perfreport.publish-journal/1"


def journal_path(target_dir: Path) -> Path:
    """``build/.Q2-2024.publish.json``: present only between the commit and the end of a publish."""
    target_dir = Path(target_dir)
    return target_dir.parent / f".{target_dir.name}.publish.json"


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
    data = read_json(path)
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


def read_json(path: Path) -> dict | None:
    try:
        with open(path, "rb") as handle:
            text = handle.read(1 << 20)  # ours are a few hundred bytes
        data = json.loads(text)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None
