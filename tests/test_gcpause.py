"""The collector pause: off inside, back as it was after (an error and nesting included); a build's
long-lived objects kept apart from the collector while it runs."""

from __future__ import annotations

import gc
import subprocess
import sys
import weakref
from pathlib import Path

import pytest
from buildfactory import Q2, copy_example

from perfreport.build import PdfMode, build_paper
from perfreport.core import gcpause
from perfreport.core.gcpause import gc_paused, keep_from_here, kept_apart, paused
from perfreport.summary.summary import summarise


def test_the_collector_is_off_inside_and_on_again_after() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block has not ended
    assert gc.isenabled()
    with pytest.raises(KeyError), gc_paused():
        raise KeyError("x")
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_paused_function_keeps_its_name_and_result() -> None:
    @paused
    def state(value: int) -> tuple[int, bool]:
        return value, gc.isenabled()

    assert state(3) == (3, False)
    assert gc.isenabled()
    assert summarise.__name__ == "summarise" and summarise.__doc__


def test_a_freezing_pause_freezes_what_it_made_before_the_collector_walks_it() -> None:
    # The drawing process's matplotlib: frozen only once the collector was back on, the first
    # allocation after the block walked all of it in a collection of the youngest generation.
    assert gc.isenabled() and not gc.get_freeze_count()
    started: list[int] = []

    def seen(phase: str, info: dict) -> None:
        if phase == "start":
            started.append(info["generation"])

    young = gc.get_threshold()[0]
    gc.callbacks.append(seen)
    try:
        with gc_paused(freeze=True):
            made = [[] for _ in range(10 * young)]  # past the threshold: a collection is due
            assert not gc.isenabled()
        assert gc.isenabled()
        after = [[] for _ in range(young // 2)]  # fewer than start a young collection
        assert len(after) < young
        assert started == []  # none walked what the block made
        assert gc.get_freeze_count() >= len(made)
        gc.collect(0)
        assert started == [0]
    finally:
        gc.callbacks.remove(seen)
        gc.unfreeze()


def test_a_freezing_pause_in_a_collector_turned_off_freezes_and_leaves_it_off() -> None:
    gc.disable()
    try:
        with gc_paused(freeze=True):
            made = [[] for _ in range(1_000)]
        assert not gc.isenabled()
        assert gc.get_freeze_count() >= len(made)
    finally:
        gc.unfreeze()
        gc.enable()


class _Node:
    """An object the collector tracks, that can refer to itself (a reference cycle)."""

    me: object = None


def _cycle() -> weakref.ref:
    node = _Node()
    node.me = node
    return weakref.ref(node)


def test_kept_apart_freezes_what_is_alive_and_what_paused_blocks_make_until_it_ends() -> None:
    gc.unfreeze()  # a command run in this process may have frozen its objects at its end
    with kept_apart():
        alive = gc.get_freeze_count()
        assert alive > 1000  # this process's objects: frozen on the way in
        with gc_paused():
            made = [_Node() for _ in range(5000)]
        assert gc.get_freeze_count() >= alive + 5000
        outside = [_Node() for _ in range(5000)]  # not in a paused block: left to the collector
        assert gc.get_freeze_count() < alive + 10000
    assert gc.get_freeze_count() == 0
    assert gc.isenabled() and len(made) == len(outside)


def test_a_cycle_made_just_before_is_freed_not_kept() -> None:
    gc.unfreeze()
    dead = _cycle()  # in the youngest generation, not collected yet
    assert dead() is not None
    with kept_apart():
        assert dead() is None


def test_a_cycle_made_inside_waits_for_the_end_and_is_then_collected() -> None:
    gc.unfreeze()
    with kept_apart():
        with gc_paused():
            waits = _cycle()
        gc.collect()
        assert waits() is not None  # frozen: out of the collector's reach
    gc.collect()
    assert waits() is None


def test_what_was_frozen_before_stays_frozen() -> None:
    gc.unfreeze()
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with kept_apart(), kept_apart():
            pass
        assert gc.get_freeze_count() >= before > 0
    finally:
        gc.unfreeze()


def test_kept_apart_from_later_keeps_nothing_until_told_and_then_frees_young_cycles() -> None:
    gc.unfreeze()
    keep_from_here()  # outside kept_apart: nothing
    assert gc.get_freeze_count() == 0
    with kept_apart(from_here=False):
        with gc_paused():
            read = [_Node() for _ in range(100)]
        assert gc.get_freeze_count() == 0
        dead = _cycle()
        keep_from_here()
        alive = gc.get_freeze_count()
        assert alive > 1000 and dead() is None
        keep_from_here()  # once only
        assert gc.get_freeze_count() == alive
        with gc_paused():
            made = [_Node() for _ in range(5000)]
        assert gc.get_freeze_count() >= alive + 5000
    assert gc.get_freeze_count() == 0 and len(read) + len(made) == 5100


def test_what_is_made_in_a_process_that_froze_before_is_left_to_the_collector() -> None:
    # A host program may have frozen its own objects (gc.freeze before forking its workers):
    # the end cannot unfreeze only the build's, so nothing of the build's is frozen, else the
    # cycles each build makes would stay out of the collector's reach for good.
    gc.unfreeze()
    gc.freeze()
    try:
        before = gc.get_freeze_count()
        with kept_apart():
            with gc_paused():
                cycle = _cycle()
            kept = [_Node() for _ in range(100)]
        gc.collect()
        assert cycle() is None
        assert gc.get_freeze_count() == before and len(kept) == 100
    finally:
        gc.unfreeze()


def test_a_build_keeps_its_summary_apart_while_it_makes_the_paper_and_not_after(
    tmp_path: Path,
) -> None:
    project = copy_example("somerset", tmp_path / "somerset")
    gc.unfreeze()
    frozen: dict[str, int] = {}
    result = build_paper(
        project, Q2, pdf=PdfMode.OFF, on_stage=lambda s: frozen.setdefault(s, gc.get_freeze_count())
    )
    assert result.published
    assert frozen["read"] == 0 and frozen["rate"] > 0 and frozen["render"] > frozen["rate"]
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("own", [False, True])
def test_a_lasting_pause_freezes_what_it_made_only_in_the_command_s_own_process(
    monkeypatch: pytest.MonkeyPatch, own: bool
) -> None:
    # The command's imports live as long as its process; a program calling the library may
    # build many times, and its objects are its own: there a lasting block is only paused.
    gc.unfreeze()
    monkeypatch.setattr(gcpause, "_own", [own])
    try:
        with gc_paused(lasting=True):
            assert not gc.isenabled()
            made = [_Node() for _ in range(5000)]
        assert gc.isenabled()
        frozen = gc.get_freeze_count()
        assert (frozen >= len(made)) if own else frozen == 0
        assert any(o is made[0] for o in gc.get_objects()) is not own
    finally:
        gc.unfreeze()


def test_in_the_command_s_own_process_a_build_keeps_apart_after_its_imports_were_frozen(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The imports frozen before (own process): the build still keeps its objects apart, and
    # nothing is unfrozen at its end (the process ends with the command).
    gc.unfreeze()
    monkeypatch.setattr(gcpause, "_own", [True])
    try:
        with gc_paused(lasting=True):
            imported = [_Node() for _ in range(100)]
        before = gc.get_freeze_count()
        with kept_apart():
            with gc_paused():
                made = [_Node() for _ in range(5000)]
            assert gc.get_freeze_count() >= before + 5000
        assert gc.get_freeze_count() >= before + 5000
        assert len(imported) + len(made) == 5100
    finally:
        gc.unfreeze()


# In a fresh interpreter (the test process's frozen state is its own): the reading libraries,
# imported before the reading workers are forked, frozen in the command's process only.
READ_FROZEN = """
import gc, sys
from pathlib import Path
from perfreport.core import gcpause
from perfreport.core.periods import Period
from perfreport.core.project import load_project
from perfreport.inputs.dataset import read_period

if sys.argv[2] == "own":
    gcpause.own_process()
read = read_period(load_project(Path(sys.argv[1])), Period.parse("Q2-2024"))
imported = "openpyxl" in sys.modules  # a plain workbook is read without it (xlsx.lean)
import lxml.etree, perfreport.xlsx.lean as lean
walked = [any(o is vars(m) for o in gc.get_objects()) for m in (lean, lxml.etree)]
print(len(read.files) > 0, gc.isenabled(), imported, *walked)
"""


@pytest.mark.parametrize(("process", "walked"), [("library", "True"), ("own", "False")])
def test_the_reading_libraries_are_frozen_before_the_workers_fork_in_the_command_s_process(
    tmp_path: Path, process: str, walked: str
) -> None:
    project = copy_example("somerset", tmp_path / "somerset")
    done = subprocess.run(
        [sys.executable, "-c", READ_FROZEN, str(project.root), process],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", "False", walked, walked]


@pytest.mark.parametrize("kept", [False, True])
def test_a_build_s_read_is_frozen_as_it_ends_not_walked_first(tmp_path: Path, kept: bool) -> None:
    # In a build (kept_apart from later), the read's objects are frozen as its pause ends: no
    # collection walks them first (it freed ~30 objects at 100x for ~0.057 s of CPU). Outside
    # a build nothing is frozen.
    from perfreport.build import read_history

    project = copy_example("somerset", tmp_path / "somerset")
    gc.unfreeze()
    if kept:
        with kept_apart(from_here=False):
            history = read_history(project, Q2)
            frozen = gc.get_freeze_count()
            walked = any(o is history.current for o in gc.get_objects())
    else:
        history = read_history(project, Q2)
        frozen = gc.get_freeze_count()
        walked = any(o is history.current for o in gc.get_objects())
    assert walked is not kept
    assert (frozen > 10_000) if kept else frozen == 0
    assert gc.get_freeze_count() == 0
