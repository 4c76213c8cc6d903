"""A cache entry that cannot be read is ignored and the return read afresh (issue 17, item 3):
sizes are checked before anything is allocated, whatever the entry claims."""

from __future__ import annotations

import dataclasses
import pickle

import pytest
from projectfactory import make_project, service_return

from perfreport.core.periods import Period
from perfreport.inputs import cache, dataset
from perfreport.inputs.cache import ReturnCache

Q2 = Period(2024, 2)
KEY = "ab" + "0" * 62
HUGE = (2**62).to_bytes(8, "little")

# Damaged entries as a disk error, a half-copied folder or a hand-made file would leave them.
DAMAGED = {
    # A protocol-5 frame that claims 4 EiB: pickle.load allocated it first (MemoryError).
    "absurd frame": b"\x80\x05\x95" + HUGE + b"N.",
    # Bytes and text of absurd declared length, outside a frame.
    "absurd bytes": b"\x80\x05\x8e" + HUGE + b"xyz",
    "absurd text": b"\x80\x05\x8d" + HUGE + b"xyz",
    "absurd bytearray": b"\x80\x05\x96" + HUGE + b"xyz",
    "deep nesting": b"\x80\x04" + b"(" * 200_000 + b"l" * 200_000 + b".",
    "cut short": pickle.dumps((KEY, {"a": 1}), protocol=5)[:-3],
    "empty": b"",
    "another key": pickle.dumps(("cd" + "1" * 62, {"a": 1}), protocol=5),
    "not a pair": pickle.dumps([1, 2, 3], protocol=5),
    "unknown opcode": b"\x80\x05\xff\xff",
    "a missing class": b"\x80\x04\x8c\x08builtins\x94\x8c\x0bNoSuchThing\x94\x93\x94.",
}


@pytest.mark.parametrize("content", DAMAGED.values(), ids=DAMAGED.keys())
def test_a_damaged_entry_is_a_miss_never_an_error(tmp_path, content):
    store = ReturnCache(tmp_path)
    path = store._path(KEY)
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    assert store.get(KEY) is None


def test_an_entry_larger_than_the_limit_is_not_read(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRY_BYTES", 1000)
    store = ReturnCache(tmp_path)
    store.put(KEY, "x" * 10)
    assert store.get(KEY) == "x" * 10
    store.put(KEY, "y" * 5000)  # too large to read back: not written, the old entry stays
    assert store.get(KEY) == "x" * 10
    store._path(KEY).write_bytes(pickle.dumps((KEY, "z" * 5000)))
    assert store.get(KEY) is None


def test_a_return_whose_entry_has_an_absurd_frame_is_read_afresh(tmp_path):
    project = make_project(tmp_path / "council")
    project = dataclasses.replace(
        project, limits=dataclasses.replace(project.limits, isolate=False)
    )
    service_return(project, Q2, "Waste", values={"WR-01": 52.5, "WR-02": 61})
    first = dataset.read_period(project, Q2)
    entries = list(project.cache_dir.glob("*/*.pickle"))
    assert entries
    for entry in entries:
        entry.write_bytes(DAMAGED["absurd frame"])
    second = dataset.read_period(project, Q2)  # before: MemoryError
    assert second.dataset.observations == first.dataset.observations
    assert [f.code for f in second.findings] == [f.code for f in first.findings]
    assert all(entry.read_bytes() != DAMAGED["absurd frame"] for entry in entries)
