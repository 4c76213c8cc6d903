"""The charts' cache is kept to what builds use: unused charts and stray temporary files go."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from perfreport.paper import chart_cache, charts
from perfreport.paper.chart_cache import DAY, MAX_AGE_DAYS, PRUNED, prune
from perfreport.paper.chart_data import Sparkline
from perfreport.paper.charts import draw_all

SPARK = Sparkline((61.2, 60.0, None, 59.1), (56.0,) * 4, 3)
OTHER = Sparkline((10.0, 11.0, 12.0, 13.0), (12.0,) * 4, 3)
NOW = time.time()


def _aged(path: Path, days: float) -> None:
    then = NOW - days * DAY
    os.utime(path, (then, then))


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_charts_unused_for_the_age_limit_and_stray_temporary_files_are_removed(
    tmp_path: Path,
) -> None:
    for name, days in [
        ("old.png", MAX_AGE_DAYS + 1),
        ("recent.png", MAX_AGE_DAYS - 1),
        (".~old.123.png", 0.1),  # 2.4 hours: a process killed mid-write
        (".~new.456.png", 0.01),  # 15 minutes: perhaps still being written
        ("notes.txt", MAX_AGE_DAYS + 5),  # not the cache's: left alone
    ]:
        (tmp_path / name).write_bytes(b"x")
        _aged(tmp_path / name, days)
    assert prune(tmp_path, NOW) == 2
    assert _names(tmp_path) == [".pruned", ".~new.456.png", "notes.txt", "recent.png"]


def test_the_cache_is_pruned_at_most_once_a_day(tmp_path: Path) -> None:
    (tmp_path / "old.png").write_bytes(b"x")
    _aged(tmp_path / "old.png", MAX_AGE_DAYS + 1)
    (tmp_path / PRUNED).touch()
    _aged(tmp_path / PRUNED, 0.5)
    assert prune(tmp_path, NOW) == 0
    assert (tmp_path / "old.png").exists()
    _aged(tmp_path / PRUNED, 1.5)
    assert prune(tmp_path, NOW) == 1
    assert not (tmp_path / "old.png").exists()
    assert abs((tmp_path / PRUNED).stat().st_mtime - NOW) < 2


def test_a_chart_a_build_still_uses_is_kept_and_one_it_does_not_goes(tmp_path: Path) -> None:
    cache = tmp_path / "charts"
    draw_all([SPARK, OTHER], cache)
    used, unused = (cache / f"{charts.cache_key(c)}.png" for c in (SPARK, OTHER))
    for path in (used, unused):
        _aged(path, MAX_AGE_DAYS - 2)
    _aged(cache / PRUNED, 3)
    draw_all([SPARK], cache)  # read from the cache: kept fresh
    assert NOW - used.stat().st_mtime < DAY
    assert NOW - unused.stat().st_mtime > (MAX_AGE_DAYS - 3) * DAY
    # Three days on, a build that draws something new prunes: the unused one is past the limit.
    later = NOW + 3 * DAY
    chart_cache.write_pngs(cache, {"new": b"png"})  # prunes with today's time: nothing is old
    assert unused.exists()
    assert prune(cache, later + 2 * DAY) == 1
    assert not unused.exists() and used.exists() and (cache / "new.png").exists()


def test_a_read_only_or_missing_cache_is_not_an_error(tmp_path: Path) -> None:
    assert prune(tmp_path / "missing", NOW) == 0
    assert chart_cache.cached(tmp_path / "missing.png") is None


def test_a_cache_that_cannot_be_pruned_still_serves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "charts"
    drawn = draw_all([SPARK], cache)
    _aged(cache / PRUNED, 2)

    def refuse(*_: object) -> None:
        raise PermissionError("read-only")

    monkeypatch.setattr(chart_cache.os, "scandir", refuse)
    assert prune(cache, NOW) == 0
    assert draw_all([SPARK], cache) == drawn
    assert draw_all([OTHER], cache)  # drawn, and stored past the refusal to prune
    assert (cache / f"{charts.cache_key(OTHER)}.png").exists()


def test_each_chart_is_kept_whole_under_its_key_and_no_temporary_file_stays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "charts"
    write = os.write

    def short(handle: int, data: bytes) -> int:  # a write may take only part of what it is given
        return write(handle, bytes(data[:3]))

    monkeypatch.setattr(chart_cache.os, "write", short)
    chart_cache.write_pngs(cache, {"a": b"\x89PNG first", "b": b""})
    chart_cache.write_pngs(cache, {"a": b"\x89PNG again"})  # one kept before is replaced
    assert _names(cache) == [PRUNED, "a.png", "b.png"]
    assert (cache / "a.png").read_bytes() == b"\x89PNG again"
    assert (cache / "b.png").read_bytes() == b""
    (cache / "c.png").mkdir()  # a name that cannot be replaced: the cache gives up, tidily
    chart_cache.write_pngs(cache, {"c": b"png", "d": b"png"})
    assert _names(cache) == [PRUNED, "a.png", "b.png", "c.png"]
    assert not any(cache.glob(".~*"))
