"""The cache's packs: each reading process appends its entries to a pack of its own; a record
cut short or damaged is a miss, and the records before it still serve."""

from __future__ import annotations

import dataclasses
import os
import pickle
import time

import pytest
from projectfactory import make_project, service_return

from perfreport.core.periods import Period
from perfreport.inputs import cache, dataset
from perfreport.inputs.cache import PACKS, PackWriter, ReturnCache

Q2 = Period(2024, 2)
KEYS = [f"{n:02x}" + "0" * 62 for n in range(3)]


def packed(folder, entries):
    """A pack holding ``entries`` (key -> value), as a reading process writes it."""
    writer = PackWriter(folder)
    for key, value in entries.items():
        writer.add(key, value)
    writer.close()
    return writer.path


def served(folder):
    store = ReturnCache(folder)
    return [store.get(key) for key in KEYS]


def test_entries_added_by_two_processes_are_served_from_their_packs(tmp_path):
    PackWriter(tmp_path).add(KEYS[0], {"a": 1})  # never closed: as a worker that was stopped
    packed(tmp_path, {KEYS[1]: [2], KEYS[2]: "three"})
    assert len(list((tmp_path / PACKS).glob("*.pack"))) == 2
    assert served(tmp_path) == [{"a": 1}, [2], "three"]
    assert not list(tmp_path.glob("*/*.pickle"))  # no file of their own


def test_an_entry_of_its_own_comes_before_a_packed_one(tmp_path):
    packed(tmp_path, {KEYS[0]: "packed"})
    ReturnCache(tmp_path).put(KEYS[0], "own")
    assert served(tmp_path)[0] == "own"


def _record_at(data: bytes, n: int) -> int:
    """Where the n-th record of a pack starts."""
    at = 0
    for _ in range(n):
        _, key_size, size, _ = cache._RECORD.unpack_from(data, at)
        at += cache._RECORD.size + key_size + size
    return at


def _damage(pack, how):
    data = bytearray(pack.read_bytes())
    second, third = _record_at(data, 1), _record_at(data, 2)
    if how == "a changed byte":  # the CRC no longer matches: that record alone is a miss
        data[third - 2] ^= 0xFF
    elif how == "cut short":
        del data[third + 30 :]
    elif how == "not a record":
        data[second : second + 4] = b"JUNK"
    elif how == "an absurd length":
        data[second + 6 : second + 14] = (2**62).to_bytes(8, "little")
    elif how == "another key inside":
        record = pickle.dumps((KEYS[0], "wrong"), protocol=5)
        header = cache._RECORD.pack(cache._MAGIC, 64, len(record), __import__("zlib").crc32(record))
        data[third:] = header + KEYS[2].encode() + record
    pack.write_bytes(bytes(data))


@pytest.mark.parametrize(
    ("how", "expected"),
    [
        ("a changed byte", ["one", None, "three"]),
        ("cut short", ["one", "two", None]),
        ("not a record", ["one", None, None]),
        ("an absurd length", ["one", None, None]),
        ("another key inside", ["one", "two", None]),
    ],
)
def test_a_damaged_record_is_a_miss_and_the_records_before_it_serve(tmp_path, how, expected):
    pack = packed(tmp_path, dict(zip(KEYS, ["one", "two", "three"], strict=True)))
    _damage(pack, how)
    assert served(tmp_path) == expected


def test_a_pack_or_record_larger_than_the_limits_is_not_read(tmp_path, monkeypatch):
    packed(tmp_path, {KEYS[0]: "x" * 10, KEYS[1]: "y" * 5000, KEYS[2]: "z"})
    monkeypatch.setattr(cache, "MAX_ENTRY_BYTES", 1000)
    assert served(tmp_path) == ["x" * 10, None, "z"]
    monkeypatch.setattr(cache, "MAX_PACK_BYTES", 1000)
    assert served(tmp_path) == [None, None, None]


def test_an_entry_too_large_to_read_back_is_not_written(tmp_path, monkeypatch):
    monkeypatch.setattr(cache, "MAX_ENTRY_BYTES", 1000)
    pack = packed(tmp_path, {KEYS[0]: "x" * 5000, KEYS[1]: "y"})
    assert served(tmp_path) == [None, "y", None]
    assert pack.stat().st_size < 1000


def test_a_pack_unused_for_sixty_days_is_pruned_and_a_used_one_kept(tmp_path):
    old = packed(tmp_path, {KEYS[0]: "old"})
    used = packed(tmp_path, {KEYS[1]: "used"})
    long_ago = time.time() - 61 * 86400
    for pack in (old, used):
        os.utime(pack, (long_ago, long_ago))
    assert ReturnCache(tmp_path).get(KEYS[1]) == "used"  # a use keeps its pack
    assert ReturnCache(tmp_path).prune() == 1
    assert list((tmp_path / PACKS).glob("*.pack")) == [used]


@pytest.mark.parametrize("isolate", [True, False], ids=["workers", "here"])
def test_a_read_stores_its_returns_in_packs_and_the_next_is_served_from_them(
    tmp_path, monkeypatch, isolate
):
    project = make_project(tmp_path / "council")
    project = dataclasses.replace(
        project, limits=dataclasses.replace(project.limits, isolate=isolate)
    )
    service_return(project, Q2, "Waste", values={"WR-01": 52.5, "WR-02": 61})
    service_return(project, Q2, "Adult Social Care")
    service_return(project, Q2, "Waste", "waste-copy.xlsx", values={"WR-01": 7})
    first = dataset.read_period(project, Q2)
    packs = sorted((project.cache_dir / PACKS).glob("*.pack"))
    assert packs
    assert len(first.files) == 3
    assert not [p for p in project.cache_dir.glob("*/*.pickle") if b"returns/" in p.read_bytes()]
    fresh: list[int] = []
    real = dataset._read_fresh

    def counting(project, work, report):
        fresh.append(len(work))
        return real(project, work, report)

    monkeypatch.setattr(dataset, "_read_fresh", counting)
    second = dataset.read_period(project, Q2)
    assert fresh == [0]
    assert second.dataset.observations == first.dataset.observations
    assert second.findings == first.findings
    assert sorted((project.cache_dir / PACKS).glob("*.pack")) == packs


def test_a_get_reads_its_own_record_not_every_pack_whole(tmp_path):
    """Packs hold every entry of every version (older code, returns since replaced) until they
    go unused for sixty days: a run must hold only the records it is served, never the packs
    whole (at 100x six old versions' packs took a validate from 75 to 186 MB)."""
    import tracemalloc

    for n in range(3):  # stale records, ~6 MB: what other runs and versions left
        packed(tmp_path, {f"{n:02x}{m:02x}" + "f" * 60: os.urandom(100_000) for m in range(20)})
    packed(tmp_path, {KEYS[0]: "small"})
    store = ReturnCache(tmp_path)
    tracemalloc.start()
    try:
        assert store.get(KEYS[0]) == "small"
        assert store.get(KEYS[1]) is None
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 500_000


def test_two_processes_adding_at_once_are_both_served(tmp_path):
    """Two runs reading at once (their workers): each appends to a pack of its own, started
    together and interleaved, and every entry of both is served afterwards."""
    import subprocess
    import sys

    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from perfreport.inputs.cache import ReturnCache, close_packs\n"
        "folder, name, start = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])\n"
        "time.sleep(max(0.0, start - time.time()))\n"
        "for n in range(200):\n"
        "    ReturnCache(folder).add(f'{name}{n:03d}'.ljust(64, '0'), (name, n, 'x' * n * 50))\n"
        "close_packs()\n"
    )
    start = time.time() + 1.0
    runs = [
        subprocess.Popen([sys.executable, "-c", script, str(tmp_path), name, str(start)])
        for name in ("a", "b")
    ]
    assert [run.wait(timeout=60) for run in runs] == [0, 0]
    assert len(list((tmp_path / PACKS).glob("*.pack"))) == 2
    store = ReturnCache(tmp_path)
    for name in ("a", "b"):
        for n in range(200):
            assert store.get(f"{name}{n:03d}".ljust(64, "0")) == (name, n, "x" * n * 50)


def test_a_worker_sends_the_read_as_the_pickle_it_stored(tmp_path):
    """jobs.read_job_to_send (what a worker runs): the read is pickled once, stored as that
    pickle in the pack and sent as those bytes; the parent's one unpickling gives the read
    itself. Without a cache, the read is sent as it is."""
    from perfreport.inputs import jobs
    from perfreport.inputs.catalogue import load_catalogue

    project = make_project(tmp_path / "council")
    path = service_return(project, Q2, "Waste", values={"WR-01": 52.5, "WR-02": 61})
    catalogue, _ = load_catalogue(project)
    job = (path, catalogue, Q2, project.validation, project.limits, None, None, "waste.xlsx")
    read = jobs.read_job(job)
    assert read.result is not None and len(read.result.observations) == 2
    assert jobs.read_job_to_send(job) == read
    store = tmp_path / "store"
    stored = (*job[:5], store, KEYS[0], job[7])
    sent = jobs.read_job_to_send(stored)
    cache.close_packs()
    (pack,) = (store / PACKS).glob("*.pack")
    assert pack.read_bytes().endswith(sent.data)  # the record is the pickle sent
    through_the_pipe = pickle.dumps(sent, protocol=pickle.HIGHEST_PROTOCOL)
    assert sent.data in through_the_pipe and len(through_the_pipe) < len(sent.data) + 200
    assert pickle.loads(through_the_pipe) == read
    assert ReturnCache(store).get(KEYS[0]) == read


@pytest.mark.parametrize("isolate", [True, False], ids=["workers", "here"])
def test_a_first_read_pickles_the_catalogue_once_for_the_cache_and_the_workers(
    tmp_path, monkeypatch, isolate
):
    """The catalogue stored in the cache is the pickle the reading workers are handed (3.6 MB
    and ~20 ms at 100x, made once, not twice); it is served from the cache as the catalogue."""
    from perfreport.core.model import Catalogue

    project = make_project(tmp_path / "council")
    project = dataclasses.replace(
        project, limits=dataclasses.replace(project.limits, isolate=isolate)
    )
    service_return(project, Q2, "Waste", values={"WR-01": 52.5, "WR-02": 61})
    service_return(project, Q2, "Adult Social Care")
    pickled: list[int] = []
    real = Catalogue.__getstate__

    def counted(self):
        pickled.append(len(self.indicators))
        return real(self)

    monkeypatch.setattr(Catalogue, "__getstate__", counted)
    first = dataset.read_period(project, Q2)
    assert len(first.files) == 2 and first.dataset.observations
    assert len(pickled) == 1
    second = dataset.read_period(project, Q2)  # the catalogue and both returns from the cache
    assert second.dataset.catalogue == first.dataset.catalogue
    assert second.dataset.observations == first.dataset.observations
    assert second.findings == first.findings
