"""The charts' cache: a pack a batch, written whole, read by its index, pruned when unused."""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import time
from pathlib import Path

import pytest

from perfreport.paper import chart_cache, charts
from perfreport.paper.chart_cache import DAY, MAX_AGE_DAYS, PRUNED, ChartPacks, prune, write_pngs
from perfreport.paper.chart_data import Sparkline
from perfreport.paper.charts import draw_all

SPARK = Sparkline((61.2, 60.0, None, 59.1), (56.0,) * 4, 3)
OTHER = Sparkline((10.0, 11.0, 12.0, 13.0), (12.0,) * 4, 3)
NOW = time.time()
PNGS = {"a" * 64: b"\x89PNG first", "b" * 64: b"\x89PNG second", "c" * 64: b""}


def _aged(path: Path, days: float) -> None:
    then = NOW - days * DAY
    os.utime(path, (then, then))


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _packs(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.pack"))


def _served(folder: Path) -> dict[str, bytes | None]:
    with ChartPacks(folder) as packs:
        return {key: packs.get(key) for key in sorted(packs.keys())}


def _refuse_drawing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> None:
        raise AssertionError("drawn again")

    monkeypatch.setattr(charts._Drawing, "__enter__", refuse)


def test_a_batch_is_kept_as_one_pack_and_served_from_it(tmp_path: Path) -> None:
    cache = tmp_path / "charts"
    write_pngs(cache, PNGS)
    write_pngs(cache, {"d" * 64: b"\x89PNG later"})  # a pack a call, each its own name
    assert len(_packs(cache)) == 2 and not list(cache.glob("*.png"))
    assert _served(cache) == {**PNGS, "d" * 64: b"\x89PNG later"}
    with ChartPacks(cache) as packs:
        assert packs.get("e" * 64) is None
    # The pack is a header, the index (keys in ASCII), then the PNGs: no pickle.
    data = min(_packs(cache), key=lambda p: p.stat().st_size).read_bytes()
    assert data.startswith(b"PRCP\x00\x01") and b"d" * 64 in data
    assert data.endswith(b"\x89PNG later")


def test_no_cache_folder_reads_nothing_and_makes_no_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(ChartPacks(tmp_path / "missing")) == 0 and len(ChartPacks(None)) == 0

    def refuse(*_: object) -> None:
        raise AssertionError("a key made")

    monkeypatch.setattr(charts, "cache_key", refuse)
    batch = charts._Batch([SPARK], tmp_path / "missing", None)
    assert batch.keys == [] and batch.missing == [0]


def _damage(pack: Path, how: str) -> None:
    data = bytearray(pack.read_bytes())
    if how == "cut":
        del data[-5:]  # its last record now ends past the end
    elif how == "record":
        data[-3] ^= 0xFF  # a byte of its last PNG
    elif how == "magic":
        data[:4] = b"JUNK"
    elif how == "count":  # an absurd index: more records than bytes
        data[6:10] = struct.pack("<I", 2**31)
    pack.write_bytes(bytes(data))


@pytest.mark.parametrize("how", ["cut", "record", "magic", "count"])
def test_a_pack_not_whole_or_not_ours_is_drawn_again(
    tmp_path: Path, how: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "charts"
    drawn = draw_all([SPARK, OTHER], cache)
    (pack,) = _packs(cache)
    _damage(pack, how)
    served = _served(cache)
    if how == "record":  # only the damaged record is a miss
        assert list(served.values()).count(None) == 1 and len(served) == 2
    else:
        assert served == {}
    assert draw_all([SPARK, OTHER], cache) == drawn  # drawn again, nothing raised
    _refuse_drawing(monkeypatch)
    assert draw_all([SPARK, OTHER], cache) == drawn  # and kept again: served now


def test_a_pack_or_record_past_its_bound_is_neither_read_nor_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # So that a damaged file cannot make a build allocate much (16 MiB a chart, 512 MiB a pack).
    cache = tmp_path / "charts"
    write_pngs(cache, PNGS)
    monkeypatch.setattr(chart_cache, "MAX_RECORD_BYTES", 5)
    assert _served(cache) == {}  # a record longer than the bound: not ours, none of it read
    write_pngs(cache, PNGS)  # the longer ones left out
    assert _served(cache) == {"c" * 64: b""}
    smaller = min(p.stat().st_size for p in _packs(cache))
    monkeypatch.setattr(chart_cache, "MAX_PACK_BYTES", smaller - 1)
    assert _served(cache) == {}
    write_pngs(cache, {"d" * 64: b"\x89PNG"})  # a pack past the bound: not written
    assert len(_packs(cache)) == 2


def test_a_png_kept_whole_but_not_a_whole_png_is_drawn_again(tmp_path: Path) -> None:
    cache = tmp_path / "charts"
    drawn = draw_all([SPARK], tmp_path / "fresh")
    write_pngs(cache, {charts.cache_key(SPARK): drawn[0][: len(drawn[0]) // 2]})
    assert len(_served(cache)) == 1  # its record is whole (CRC): whole_png still checks it
    assert draw_all([SPARK], cache) == drawn


def test_a_key_in_two_packs_is_served_by_the_whole_one(tmp_path: Path) -> None:
    cache = tmp_path / "charts"
    key = "a" * 64
    write_pngs(cache, {key: b"\x89PNG one"})
    (first,) = _packs(cache)
    write_pngs(cache, {key: b"\x89PNG one"})
    _damage(first, "record")
    assert _served(cache) == {key: b"\x89PNG one"}


def test_packs_two_processes_kept_in_one_folder_are_both_served(tmp_path: Path) -> None:
    cache = tmp_path / "charts"
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from perfreport.paper.chart_cache import write_pngs\n"
        "write_pngs(Path(sys.argv[1]), {'f' * 64: b'there'})\n"
    )
    subprocess.run([sys.executable, "-c", code, str(cache)], check=True, timeout=60)
    write_pngs(cache, {"e" * 64: b"here"})
    assert len(_packs(cache)) == 2
    assert _served(cache) == {"e" * 64: b"here", "f" * 64: b"there"}


def test_a_stop_before_the_pack_is_written_writes_nothing(tmp_path: Path) -> None:
    # As the drawing process ends it lets the rest of the cache go: the next build draws them.
    for said in ([True], [False, True]):
        answers = iter(said)
        write_pngs(tmp_path / "charts", PNGS, stop=lambda: next(answers))  # noqa: B023
        assert not _packs(tmp_path / "charts") and not list(tmp_path.glob("*/.~*"))
    write_pngs(tmp_path / "charts", PNGS, stop=lambda: False)
    assert _served(tmp_path / "charts") == PNGS


def test_a_failed_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "charts"
    write = os.write

    def short(handle: int, data: bytes) -> int:  # a write may take only part of what it is given
        return write(handle, bytes(data[:3]))

    monkeypatch.setattr(chart_cache.os, "write", short)
    write_pngs(cache, PNGS)
    assert _served(cache) == PNGS

    def full(*_: object) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(chart_cache.os, "write", full)
    write_pngs(cache, {"d" * 64: b"png"})  # no error: the cache only saves time
    assert _names(cache) == [PRUNED, _packs(cache)[0].name]
    (tmp_path / "file").write_bytes(b"")
    write_pngs(tmp_path / "file" / "charts", PNGS)  # no folder can be made: no error either


def test_unused_packs_old_files_and_stray_temporary_files_are_removed(tmp_path: Path) -> None:
    for name, days in [
        ("1-2-ab.pack", MAX_AGE_DAYS + 1),
        ("3-4-cd.pack", MAX_AGE_DAYS - 1),
        ("old.png", MAX_AGE_DAYS + 1),  # an older version's file per chart: no longer read
        ("recent.png", MAX_AGE_DAYS - 1),
        (".~5-6-ef.pack", 0.1),  # 2.4 hours: a process killed mid-write
        (".~7-8-ab.pack", 0.01),  # 15 minutes: perhaps still being written
        (".~old.123.png", 0.1),
        ("notes.txt", MAX_AGE_DAYS + 5),  # not the cache's: left alone
    ]:
        (tmp_path / name).write_bytes(b"x")
        _aged(tmp_path / name, days)
    assert prune(tmp_path, NOW) == 4
    assert _names(tmp_path) == [
        ".pruned",
        ".~7-8-ab.pack",
        "3-4-cd.pack",
        "notes.txt",
        "recent.png",
    ]


def test_the_cache_is_pruned_at_most_once_a_day(tmp_path: Path) -> None:
    (tmp_path / "old.pack").write_bytes(b"x")
    _aged(tmp_path / "old.pack", MAX_AGE_DAYS + 1)
    (tmp_path / PRUNED).touch()
    _aged(tmp_path / PRUNED, 0.5)
    assert prune(tmp_path, NOW) == 0
    assert (tmp_path / "old.pack").exists()
    _aged(tmp_path / PRUNED, 1.5)
    assert prune(tmp_path, NOW) == 1
    assert not (tmp_path / "old.pack").exists()
    assert abs((tmp_path / PRUNED).stat().st_mtime - NOW) < 2


def test_a_pack_a_build_still_uses_is_kept_and_one_it_does_not_goes(tmp_path: Path) -> None:
    cache = tmp_path / "charts"
    draw_all([SPARK], cache)
    (used,) = _packs(cache)
    draw_all([OTHER], cache)
    (unused,) = set(_packs(cache)) - {used}
    for path in (used, unused):
        _aged(path, MAX_AGE_DAYS - 2)
    _aged(cache / PRUNED, 3)
    with ChartPacks(cache) as packs:  # touched once, however many of its charts are served
        assert packs.get(charts.cache_key(SPARK)) and packs.get(charts.cache_key(SPARK))
    assert NOW - used.stat().st_mtime < DAY
    assert NOW - unused.stat().st_mtime > (MAX_AGE_DAYS - 3) * DAY
    _aged(used, 0.5)
    draw_all([SPARK], cache)  # read by a build: a pack touched less than a day ago is left be
    assert abs(NOW - 0.5 * DAY - used.stat().st_mtime) < 2
    # Three days on, a build that draws something new prunes: the unused one is past the limit.
    later = NOW + 3 * DAY
    write_pngs(cache, {"new": b"png"})  # prunes with today's time: nothing is old
    assert unused.exists()
    assert prune(cache, later + 2 * DAY) == 1
    assert not unused.exists() and used.exists() and len(_packs(cache)) == 2


def test_a_read_only_or_missing_cache_is_not_an_error(tmp_path: Path) -> None:
    assert prune(tmp_path / "missing", NOW) == 0
    with ChartPacks(tmp_path / "missing") as packs:
        assert packs.get("a" * 64) is None


def test_a_cache_that_cannot_be_pruned_still_serves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "charts"
    drawn = draw_all([SPARK], cache)
    _aged(cache / PRUNED, 2)

    def refuse(*_: object) -> None:
        raise PermissionError("read-only")

    monkeypatch.setattr(Path, "touch", refuse)  # prune's first step: its marker
    assert prune(cache, NOW) == 0
    assert draw_all([SPARK], cache) == drawn
    assert draw_all([OTHER], cache)  # drawn, and stored past the refusal to prune
    assert charts.cache_key(OTHER) in _served(cache)
