"""Worker isolation: one item that hangs, crashes or exhausts memory never takes the run down."""

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from isolation_targets import misbehave, square

from perfreport.xlsx import isolation
from perfreport.xlsx.isolation import Failure, map_isolated


def test_returns_values_in_order():
    outcomes = map_isolated(square, list(range(7)), timeout=30, workers=2)
    assert [o.value for o in outcomes] == [0, 1, 4, 9, 16, 25, 36]
    assert all(o.ok for o in outcomes)


def test_returns_nothing_for_no_items():
    assert map_isolated(square, [], timeout=1) == []


def test_reports_a_hanging_item_as_a_timeout_and_carries_on():
    start = time.monotonic()
    outcomes = map_isolated(misbehave, [1, "hang", 3, 4], timeout=1.0, workers=1)
    assert time.monotonic() - start < 20
    assert [o.failure for o in outcomes] == [None, Failure.TIMEOUT, None, None]
    assert [o.value for o in outcomes] == [1, None, 9, 16]


def test_reports_a_dying_worker_as_crashed_and_carries_on():
    outcomes = map_isolated(misbehave, [2, "die", 5], timeout=30, workers=1)
    assert [o.failure for o in outcomes] == [None, Failure.CRASHED, None]
    assert outcomes[2].value == 25
    assert "exit code 9" in outcomes[1].detail


def test_a_worker_stopped_by_ctrl_c_ends_without_a_traceback(capfd: pytest.CaptureFixture) -> None:
    # Ctrl-C reaches every process of the command: the command says it stopped, and each
    # worker's traceback would only bury that.
    outcomes = map_isolated(misbehave, [2, "interrupt", 5], timeout=30, workers=1)
    assert [o.failure for o in outcomes] == [None, Failure.CRASHED, None]
    assert "exit code 130" in outcomes[1].detail
    assert "Traceback" not in capfd.readouterr().err


ORPHANS = """
import os, signal, sys
from isolation_targets import ahead, misbehave
from perfreport.xlsx import isolation

if sys.argv[1] == "early":  # stuck reading ahead, the command killed outright meanwhile
    import time

    isolation.start_early(["isolation_targets"], 1, prepare=ahead, items=["stuck-ahead"])
    waiting = isolation._waiting[0]
    while waiting.busy.value < 0:  # until it is on the file (else it sees the parent go)
        time.sleep(0.01)
    print(waiting.process.pid, flush=True)
else:  # hanging on its file in a worker forked for it (no other thread: see _fork_context)
    import multiprocessing, tempfile

    hanging = os.path.join(tempfile.mkdtemp(), "hanging")

    def report(*_):  # the command killed once the worker is on the file
        if os.path.exists(hanging):
            print(*(child.pid for child in multiprocessing.active_children()), flush=True)
            os.kill(os.getpid(), signal.SIGKILL)

    signal.signal(signal.SIGALRM, report)
    signal.setitimer(signal.ITIMER_REAL, 0.05, 0.05)
    isolation.map_isolated(misbehave, [f"hang-after:{hanging}"], timeout=600, workers=1)
os.kill(os.getpid(), signal.SIGKILL)
"""


def _gone(pid: int, within: float) -> bool:
    """Whether process ``pid`` has ended (gone, or a zombie its new parent has not reaped)."""
    waited = time.monotonic()
    while time.monotonic() - waited < within:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state in ("Z", "X"):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
@pytest.mark.parametrize("worker", ["early", "fresh"])
def test_a_worker_hanging_on_a_file_ends_with_a_command_killed_outright(tmp_path, worker):
    """A command killed outright (kill -9, the OOM killer) cannot stop its workers itself: each
    dies with it, rather than keep a core busy for good on a file it hangs on."""
    script, shown = tmp_path / "orphans.py", tmp_path / "pids.txt"
    script.write_text(ORPHANS, encoding="utf-8")
    with shown.open("w") as out:  # a file: a worker left behind would hold a pipe open
        done = subprocess.run(
            [sys.executable, str(script), worker],
            stdout=out,
            stderr=subprocess.DEVNULL,
            cwd=Path(__file__).parent,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).parent)},
            timeout=60,
        )
    assert done.returncode == -9
    pids = [int(pid) for pid in shown.read_text().split()]
    assert pids
    assert all(_gone(pid, 10) for pid in pids)


def test_reports_an_exception_as_crashed_with_its_message():
    outcomes = map_isolated(misbehave, ["boom", 3], timeout=30, workers=2)
    assert outcomes[0].failure == Failure.CRASHED
    assert "ValueError: bad input" in outcomes[0].detail
    assert outcomes[1].value == 9


@pytest.mark.skipif(sys.platform == "win32", reason="memory limits use RLIMIT_AS (POSIX)")
def test_stops_an_item_that_exhausts_its_memory_limit():
    outcomes = map_isolated(misbehave, ["hog", 4], timeout=60, memory_mb=600, workers=1)
    assert outcomes[0].failure in (Failure.MEMORY, Failure.CRASHED)
    assert outcomes[1].value == 16


@pytest.mark.parametrize(
    ("failure", "code", "words"),
    [
        (Failure.TIMEOUT, "suspicious-file", "took longer than 60 seconds"),
        (Failure.MEMORY, "suspicious-file", "needed more than 1024 MB"),
        (Failure.CRASHED, "unreadable-file", "could not be read (the reading process stopped"),
    ],
)
def test_turns_a_failed_worker_into_a_finding_and_keeps_the_other_returns(
    tmp_path, monkeypatch, failure, code, words
):
    from projectfactory import make_project, service_return

    from perfreport.core.periods import Period
    from perfreport.inputs import dataset
    from perfreport.xlsx import isolation

    project = make_project(tmp_path)
    period = Period(2024, 2)
    service_return(project, period, "Waste")
    service_return(project, period, "Adult Social Care")
    real_map = isolation.map_isolated

    def one_fails(func, work, **kwargs):
        outcomes = real_map(func, work, **kwargs)
        detail = "the reading process stopped (exit code -9)"
        return [isolation.Outcome(failure=failure, detail=detail), *outcomes[1:]]

    monkeypatch.setattr(isolation, "map_isolated", one_fails)
    read = dataset.read_period(project, period)
    failed = [f for f in read.findings if f.code == code]
    assert len(failed) == 1
    assert words in failed[0].message
    assert failed[0].file == read.files[0]
    assert read.dataset.returns and all(
        r.display_name != read.files[0] for r in read.dataset.returns
    )


def test_the_worker_server_preloads_what_the_main_script_imports(tmp_path):
    """multiprocessing runs the main script again in each worker: its imports (the whole CLI,
    for the perfreport command) are imported once, in the server, not once per worker."""
    script = tmp_path / "script.py"
    script.write_text(
        "import json\n"
        "from perfreport.core.periods import Period\n"
        "from perfreport.xlsx.isolation import _with_main_imports\n"
        "print(_with_main_imports(['openpyxl']))\n",
        encoding="utf-8",
    )
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == (
        "['openpyxl', 'json', 'perfreport.core.periods', 'perfreport.xlsx.isolation']"
    )


EARLY = """
import sys
from isolation_targets import pid
from perfreport.xlsx import isolation

isolation.start_early(["isolation_targets"], 2)
waiting = [w.process for w in isolation._waiting]
if sys.argv[1].startswith("ahead"):
    import time

    from isolation_targets import ahead, finish

    items = [1, 2, 3, 4] if sys.argv[1] == "ahead" else [1, "hang", 3, "die", 5, 6]
    isolation.stop_early()
    isolation.start_early(["isolation_targets"], 2, prepare=ahead, items=items, memory_mb=600)
    time.sleep(1.5)  # the caller's other work (the catalogue), while the workers work ahead
    outcomes = isolation.map_isolated(finish, items, timeout=1.0, memory_mb=600, workers=2)
    print(*(o.failure or f"{o.value[0]}{'a' if o.value[1] else ''}" for o in outcomes))
elif sys.argv[1] == "misbehave":
    from isolation_targets import misbehave

    items = [1, "hang", 3, "die", "boom", "hog", 4]
    # 3 s: on a loaded machine the hog's 600 MB took over 1 s to fill, and read as a hang.
    outcomes = isolation.map_isolated(misbehave, items, timeout=3.0, memory_mb=600, workers=2)
    print(isolation._fork_context() is not None, len(waiting))
    print(*(o.failure or o.value for o in outcomes))
elif sys.argv[1] == "work":
    outcomes = isolation.map_isolated(pid, list(range(6)), timeout=30, workers=2)
    print(sorted({o.value for o in outcomes}) == sorted(p.pid for p in waiting), len(waiting))
else:
    isolation.stop_early()
    print(all(not p.is_alive() for p in waiting), len(waiting))
print(isolation._waiting == [])
"""


def _early(tmp_path: Path, mode: str, code: str = EARLY) -> list[str]:
    """Run EARLY (or ``code``) in a fresh interpreter: the test process may have other threads
    (numpy's), where workers are never forked."""
    script = tmp_path / "early.py"
    script.write_text(code, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script), mode],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parent)},
        timeout=60,
    )
    return done.stdout.split()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_workers_started_early_make_the_first_step_of_their_items_ahead(tmp_path):
    """Each worker makes the first step of its items at once; map_isolated's function then gets
    what it made (shown as ``a``)."""
    assert _early(tmp_path, "ahead") == ["1a", "4a", "9a", "16a", "True"]


PAIR = """
import sys, time
from isolation_targets import ahead, finish
from perfreport.xlsx import isolation

if sys.argv[1] == "nice":
    import os
    from isolation_targets import niceness

    isolation.start_early(["isolation_targets"], 2, prepare=ahead, items=[1, 2], memory_mb=600)
    outcomes = isolation.map_isolated(niceness, [1, 2], timeout=30, workers=2)
    print(*(o.value - os.nice(0) for o in outcomes))
    sys.exit()
if sys.argv[1] == "wrong-split":  # as if the parent had read an old reach: see _fail
    import os, tempfile

    from perfreport.xlsx import ahead as plan

    plan.split_pair = lambda lo, hi, first, second: 1
    gate = os.path.join(tempfile.mkdtemp(), "open")
    items = [1, "stuck-ahead", 3, 4, 5, f"gate:{gate}"]

    def ready(a, b):
        # The first stuck on item 1, the second done with items 5 to 2. The second waits at
        # its first (item 5, the gate) until the first is stuck: on a loaded machine it could
        # otherwise reach item 1 first, stick there itself, and have it blamed.
        if a.busy.value == 1:
            open(gate, "w").close()
        return a.busy.value == 1 and b.ahead.reach.value == 2 and b.busy.value == -1

elif sys.argv[1] == "killed-idle":
    # Each worker started early is killed (by the OOM killer, say) once it has its share and
    # before it begins the first item: it reads worker.work when its share comes (with what
    # it made ahead; a new worker with nothing).
    import os, signal

    from perfreport.xlsx import worker

    def work(*args, real=worker.work, **kwargs):
        if kwargs.get("prepared") is not None:
            os.kill(os.getpid(), signal.SIGKILL)
        real(*args, **kwargs)

    worker.work = work
    items = [1, 2, 3, 4, 5, 6]
    ready = lambda a, b: a.busy.value == -1 and b.busy.value == -1 and (
        a.ahead.reach.value >= 0 and b.ahead.reach.value >= 0
    )
else:
    items = ["slow"] * 12
    ready = lambda a, b: a.ahead.reach.value >= 1 and b.ahead.reach.value <= 10  # two made each
isolation.start_early(["isolation_targets"], 2, prepare=ahead, items=items, memory_mb=600)
waited = time.monotonic()  # the caller's other work (the catalogue), while the workers work ahead
while not ready(*isolation._waiting) and time.monotonic() - waited < 20:
    time.sleep(0.01)
if sys.argv[1] == "mismatch":  # one worker asked for, not the two started: they are not used
    plans = [w.ahead for w in isolation._waiting]
    from isolation_targets import pause

    outcomes = isolation.map_isolated(pause, items, timeout=5.0, memory_mb=600, workers=1)
    # how far each went on reading ahead after the handover (at most the item it was on)
    print(*(abs(plan.reach.value - plan.lo - (0 if n == 0 else 11)) for n, plan in enumerate(plans)))
    sys.exit()
outcomes = isolation.map_isolated(finish, items, timeout=1.0, memory_mb=600, workers=2)
print(*(o.failure or f"{o.value[0]}{'a' if o.value[1] else ''}" for o in outcomes))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_two_workers_read_ahead_from_both_ends_and_share_the_middle(tmp_path):
    """A pair of workers reads ahead from the two ends of their items; what neither reached by
    the handover is split between them, and each finishes what it made ahead."""
    shown = _early(tmp_path, "pair", PAIR)
    assert [s.removesuffix("a") for s in shown] == ["slow"] * 12
    made = [s.endswith("a") for s in shown]
    # Made ahead: a run from each end (two or more each, at 0.2 s an item), none between
    assert not all(made)
    first_gap, last_gap = made.index(False), len(made) - made[::-1].index(False)
    assert not any(made[first_gap:last_gap])
    assert first_gap >= 2 and len(made) - last_gap >= 2


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_a_worker_stuck_on_an_item_that_is_now_its_partners_blames_nothing(tmp_path):
    """A worker still reading ahead an item that the split gave its partner is stopped after
    the time limit without blaming that item (the partner reads it, here without trouble); its
    own items are done afresh."""
    shown = _early(tmp_path, "wrong-split", PAIR)
    assert shown == ["1", "stuck-ahead", "9a", "16a", "25a", "gatea"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_a_worker_killed_while_on_no_item_blames_none_of_them(tmp_path):
    """A worker started early that is killed from outside while on no item (here once it has
    its share, before it begins the first) blames none of its items: they are all read afresh
    by a new worker. (The first item of its share was reported as crashed, "stopped by signal
    9", though it had not been touched.)"""
    shown = _early(tmp_path, "killed-idle", PAIR)
    assert shown == ["1", "4", "9", "16", "25", "36"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_workers_reading_ahead_yield_the_cores_to_the_catalogue(tmp_path):
    """Workers started early run below the parent's priority (nice): the catalogue the parent
    reads meanwhile is what every return's read waits for."""
    from perfreport.core.forked import NICENESS

    assert _early(tmp_path, "nice", PAIR) == [str(NICENESS)] * 2


ANY_SPLIT = """
import time
from isolation_targets import ahead, finish
from perfreport.xlsx import isolation

items = [1, 2, "die", 4, 5, 6]
for at in range(len(items) + 1):
    isolation.split_pair = lambda lo, hi, first, second: at
    isolation.start_early(["isolation_targets"], 2, prepare=ahead, items=items, memory_mb=600)
    a, b = isolation._waiting
    # One has died on item 2 (the first, or the second if it got there first), the other
    # stopped beside it. Whatever the timing, the outcomes are the same.
    idle = lambda w: not w.process.is_alive() or w.busy.value == -1
    settled = lambda: idle(a) and idle(b) and not (a.process.is_alive() and b.process.is_alive())
    waited = time.monotonic()
    while not settled() and time.monotonic() - waited < 20:
        time.sleep(0.01)
    outcomes = isolation.map_isolated(finish, items, timeout=5.0, memory_mb=600, workers=2)
    print(",".join(o.failure or str(o.value[0]) for o in outcomes), isolation._waiting == [])
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_wherever_a_pair_is_split_each_item_has_its_own_outcome(tmp_path):
    """A guard for split_pair's callers: wherever the stretch is split (before, at or after the
    item a worker died on ahead, or leaving one worker nothing), the item that killed it is the
    only one reported, and once; the others are read, by whichever worker has them."""
    shown = _early(tmp_path, "any", ANY_SPLIT)
    assert shown == ["1,4,crashed,16,25,36", "True"] * 7


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_workers_started_early_and_not_used_stop_reading_ahead(tmp_path):
    """Given other items or another number of workers than they were started for, the workers
    read ahead for nothing: they stop at the handover (at most the item each was on, of 12 at
    0.2 s each, where they had made two each), not reading on while the others work."""
    made = [int(n) for n in _early(tmp_path, "mismatch", PAIR)]
    assert len(made) == 2 and all(1 <= n <= 3 for n in made), made


def test_a_pair_is_split_where_both_have_as_much_left():
    """Each keeps what it made ahead; the items between are shared, a full read costing three
    times the finish of one made ahead."""
    from perfreport.xlsx.ahead import FULL_OVER_FINISH, split_pair

    assert split_pair(0, 100, -1, 100) == 50  # nothing made ahead: halves
    at = split_pair(0, 100, 39, 80)  # 40 made by the first, 20 by the second
    first = 40 + (at - 40) * FULL_OVER_FINISH
    second = 20 + (80 - at) * FULL_OVER_FINISH
    assert at == 57 and abs(first - second) <= FULL_OVER_FINISH
    assert split_pair(10, 20, 14, 15) == 15  # all made: where they met
    assert split_pair(10, 20, 18, 19) == 19  # the second made just one: it keeps it
    assert split_pair(0, 10, -1, 1) == 1  # the second made nearly all
    # With room, one item is left beyond each reach (the one a worker may have just started)
    assert split_pair(0, 100, 89, 99) == 91 and split_pair(0, 100, 0, 10) == 9


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_an_item_that_hangs_or_kills_its_worker_ahead_is_reported_and_the_rest_are_done(tmp_path):
    """A hang or a crash while working ahead is reported as ever; the other items of that
    worker (those made ahead too) are done afresh by a new worker."""
    assert _early(tmp_path, "ahead-misbehave") == ["1", "timeout", "9", "crashed", "25", "36"] + [
        "True"
    ]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_forked_workers_report_hangs_crashes_and_memory_and_carry_on(tmp_path):
    """As the tests above, in a process where the workers are forked (this one may not be)."""
    assert _early(tmp_path, "misbehave") == [
        "True",
        "2",
        *("1", "timeout", "9", "crashed", "crashed", "memory", "16"),
        "True",
    ]


PAUSED = """
import gc, sys
from isolation_targets import collector
from perfreport.xlsx import isolation

gc.disable()  # as inputs.dataset.read_periods pauses it while it reads
if sys.argv[1] == "early":
    isolation.start_early(["isolation_targets"], 2)
outcomes = isolation.map_isolated(collector, [1, 2, 3], timeout=30, workers=2)
print(isolation._fork_context() is not None, *(o.value for o in outcomes), gc.isenabled())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
@pytest.mark.parametrize("mode", ["early", "late"])
def test_workers_forked_while_the_collector_is_paused_collect_their_own(tmp_path, mode):
    """A worker forked while the reader has its collector paused turns its own back on: a file
    whose objects make cycles must not run it out of memory, reported as a bomb. What it
    inherited is frozen, so that its collections walk only what it makes."""
    assert _early(tmp_path, mode, PAUSED) == ["True", "True", "True", "True", "False"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_workers_started_early_are_the_ones_that_work(tmp_path):
    assert _early(tmp_path, "work") == ["True", "2", "True"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_workers_started_early_and_not_needed_are_let_go(tmp_path):
    assert _early(tmp_path, "stop") == ["True", "2", "True"]


def test_a_process_with_another_thread_gets_its_workers_from_the_server():
    """fork is unsafe beside another thread: the workers come from the worker server then."""
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert isolation._fork_context() is None
        outcomes = map_isolated(misbehave, [2, "die", 5], timeout=30, workers=1)
    finally:
        release.set()
        other.join()
    assert [o.failure for o in outcomes] == [None, Failure.CRASHED, None]
    assert [o.value for o in outcomes] == [4, None, 25]


class _Counted:
    """Counts how often it is pickled."""

    pickled = 0

    def __init__(self, payload: str) -> None:
        self.payload = payload

    def __reduce__(self):
        _Counted.pickled += 1
        return _Counted, (self.payload,)


def test_a_value_every_worker_holds_is_pickled_once():
    import pickle

    from perfreport.xlsx.worker import PickledOnce, unwrapped

    _Counted.pickled = 0
    shared = PickledOnce(_Counted("catalogue"))
    first = pickle.loads(pickle.dumps([(1, shared), (2, shared)]))
    second = pickle.loads(pickle.dumps([(3, shared)]))  # another worker's share of the work
    assert _Counted.pickled == 1
    assert first[0][1] is first[1][1]  # one value for all its items, not a copy each
    assert [unwrapped(item[1]).payload for item in (*first, *second)] == ["catalogue"] * 3
    assert unwrapped(shared) is shared.value  # forked, not pickled: still wrapped


def test_work_holding_a_value_pickled_once_is_done_by_the_workers():
    from isolation_targets import payload_length

    from perfreport.xlsx.worker import PickledOnce

    shared = PickledOnce("x" * 1000)
    outcomes = map_isolated(payload_length, [(n, shared) for n in range(5)], timeout=30, workers=2)
    assert [o.value for o in outcomes] == [1000, 1001, 1002, 1003, 1004]


class _Sent(list):
    def send(self, message):
        self.append(message)

    def close(self):
        pass


def _kept_alive_across(monkeypatch, large_seconds: float) -> bool:
    """Run worker.work here on two items: the first leaves a garbage cycle, the second says
    whether it is still there. ``large_seconds``: what counts as an item long enough to tidy after."""
    import gc
    import weakref

    from perfreport.xlsx import worker

    class Node:
        pass

    alive: list[bool] = []
    kept: list[weakref.ref] = []

    def item(number: int) -> int:
        if number == 0:
            node = Node()
            node.itself = node  # a cycle: only the collector frees it
            kept.append(weakref.ref(node))
        else:
            alive.append(kept[0]() is not None)
        return number

    monkeypatch.setattr(worker, "LARGE_ITEM_SECONDS", large_seconds)
    threshold, enabled = gc.get_threshold(), gc.isenabled()
    gc.collect()
    try:
        worker.work(item, [0, 1], 0, _Sent(), memory_mb=0)
    finally:
        gc.set_threshold(*threshold)
        if not enabled:
            gc.disable()
    return alive[0]


def test_a_worker_collects_what_a_long_item_left_before_the_next_one(monkeypatch):
    """With the young threshold at worker.YOUNG, a full collection is rare: the garbage cycles
    a long read leaves (openpyxl's workbook) must not count against the next file's memory
    limit, so the worker collects after an item that took LARGE_ITEM_SECONDS or more."""
    assert _kept_alive_across(monkeypatch, 0.0) is False
    # a short item (every plain return) is not followed by a collection
    assert _kept_alive_across(monkeypatch, float("inf")) is True


def test_a_worker_announces_only_its_first_item():
    """Each later item starts as the one before it is sent: the parent times it from there
    (a hang in a later item is still a timeout: test_reports_a_hanging_item_as_a_timeout...)."""
    import gc

    from perfreport.xlsx import worker

    sent = _Sent()
    threshold, enabled = gc.get_threshold(), gc.isenabled()
    try:
        worker.work(lambda n: n * 10, [1, 2, 3], 0, sent, memory_mb=0)
    finally:
        gc.set_threshold(*threshold)
        if not enabled:
            gc.disable()
    assert sent == [(0, "started", None), (0, "ok", 10), (1, "ok", 20), (2, "ok", 30)]


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_a_later_item_that_hangs_or_dies_is_the_one_reported(where):
    """Blame without an announcement for each item: the item after the last outcome."""
    at = {"first": 0, "middle": 2, "last": 4}[where]
    for bad, failure in (("hang", Failure.TIMEOUT), ("die", Failure.CRASHED)):
        items: list = [1, 2, 3, 4, 5]
        items[at] = bad
        outcomes = map_isolated(misbehave, items, timeout=1.0, workers=1)
        assert [o.failure for o in outcomes] == [failure if n == at else None for n in range(5)]
        assert [o.value for o in outcomes if o.ok] == [x * x for x in items if x != bad]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux")
def test_a_shared_index_is_seen_across_a_fork():
    from perfreport.xlsx.worker import shared_indexes

    first, second = shared_indexes(2)
    assert (first.value, second.value) == (-1, -1)
    child = os.fork()
    if child == 0:  # pragma: no cover - the forked child
        second.value = 123_456_789_012
        first.value = 7
        os._exit(0)
    os.waitpid(child, 0)
    assert (first.value, second.value) == (7, 123_456_789_012)
    first.value = -1
    assert (first.value, second.value) == (-1, 123_456_789_012)


def test_without_select_poll_the_pipes_are_asked_as_before(monkeypatch):
    """Windows has no select.poll: the parent then waits and asks through the Connection."""
    import select

    monkeypatch.delattr(select, "poll")
    outcomes = map_isolated(misbehave, [1, "hang", 3, "die", 5], timeout=1.0, workers=1)
    assert [o.failure for o in outcomes] == [None, Failure.TIMEOUT, None, Failure.CRASHED, None]
    assert [o.value for o in outcomes if o.ok] == [1, 9, 25]
