"""Run untrusted work (parsing returns) in worker processes with a time and memory limit per item."""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import pickle
import select
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from perfreport.core.forked import quietly
from perfreport.xlsx.ahead import plans, split_shares
from perfreport.xlsx.worker import (
    CONNECTIONS,
    Ahead,
    Failure,
    shared_indexes,
    wait_for_work,
    work,
    work_forked,
)

__all__ = ["Failure", "Outcome", "map_isolated", "start_early", "stop_early"]

# Why processes: a crafted workbook can make a C parser hang or exhaust memory, and calamine-style
# readers can abort the whole process. A worker that dies or overruns takes only its current item
# with it; the parent reports that item and carries on with the rest in a fresh worker.


@dataclass(frozen=True)
class Outcome:
    """What happened to one item: its value, or why there is none."""

    value: Any = None
    failure: Failure | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.failure is None


def _context() -> multiprocessing.context.BaseContext:
    # forkserver: cheap workers that never inherit the parent's threads or locks (fork is unsafe
    # in a threaded parent); spawn on Windows and macOS, where that is what is available.
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def _fork_context() -> multiprocessing.context.BaseContext | None:
    """fork, where it is safe: on Linux, from a process with no other thread (one holding a lock
    at the fork would leave it locked in the child). A forked worker starts in milliseconds with
    the parent's imports; the worker server costs a new interpreter and its imports (a quarter
    of a second of CPU, which a 1x validate cannot spare)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        threads = len(os.listdir("/proc/self/task"))
    except OSError:  # pragma: no cover - /proc not mounted
        return None
    return multiprocessing.get_context("fork") if threads == 1 else None


# Workers forked by start_early, each waiting for its share of the items (see map_isolated).
_waiting: list[_Waiting] = []


@dataclass
class _Waiting:
    process: Any
    conn: Any
    span: tuple[int, int, int] | None  # (lo, hi, of how many items) it is to be given
    busy: Any = None  # shared: the index (of all the items) it is working on ahead, -1 between
    spill: Any = None  # an unnamed file, shared with it, that its work is written to
    ahead: Ahead | None = None  # what it reads ahead (its span, or with a partner their two)


def start_early(
    preload: Sequence[str] = (),
    workers: int = 0,
    *,
    prepare: Callable[[Any], Any] | None = None,
    items: Sequence[Any] = (),
    memory_mb: int = 0,
) -> None:
    """Start ``workers`` worker processes now, while the caller does other work; map_isolated
    hands them their items at once. Where fork is safe they are forked from this process after
    importing ``preload`` here, and each starts at once on the first step of its share of
    ``items`` with ``prepare`` (map_isolated's ``func`` then gets what it made); elsewhere the
    worker server is started (importing ``preload`` there), or nothing where workers are spawned
    (Windows, macOS: each imports for itself)."""
    fork = _fork_context()
    if fork is not None and workers > 0 and not _waiting:
        import importlib

        for name in preload:
            importlib.import_module(name)
        spans = _spans(len(items), workers) if prepare is not None and items else []
        spans_or_none = spans or [None] * workers
        made = plans(items, spans) or [None] * len(spans_or_none)
        busy_slots = shared_indexes(len(spans_or_none))
        for span, busy, ahead in zip(spans_or_none, busy_slots, made, strict=True):
            parent, child = fork.Pipe()
            spill = tempfile.TemporaryFile()
            args = (child, os.getpid(), prepare, ahead, memory_mb, busy, spill.fileno())
            process = fork.Process(target=quietly, args=(wait_for_work, *args), daemon=True)
            CONNECTIONS.append(parent)  # before the fork: the child closes its copy of it
            try:
                process.start()
            except OSError:  # refused (a process limit, no memory): map_isolated tries again
                _forget(parent)
                for handle in (parent, child, spill):
                    handle.close()
                return
            child.close()
            known = (*span, len(items)) if span else None
            _waiting.append(_Waiting(process, parent, known, busy, spill, ahead))
        return
    context = _context()
    if hasattr(context, "set_forkserver_preload"):
        from multiprocessing import forkserver

        context.set_forkserver_preload(_with_main_imports(preload))
        forkserver.ensure_running()


def stop_early() -> None:
    """Stop the workers of start_early that were given nothing (e.g. the catalogue failed)."""
    while _waiting:
        waiting = _waiting.pop()
        _forget(waiting.conn)
        waiting.process.kill()
        waiting.process.join(5)
        waiting.conn.close()
        if waiting.spill is not None:
            waiting.spill.close()


def _hand_over(waiting: _Waiting, work_to_do: tuple) -> None:
    """Give a worker of start_early its work: written to the file it shares, and only the size
    through the pipe, which therefore never fills (the worker may be busy, not reading)."""
    data = pickle.dumps(work_to_do, protocol=pickle.HIGHEST_PROTOCOL)
    with waiting.spill:
        written = 0
        while written < len(data):
            written += os.pwrite(waiting.spill.fileno(), data[written:], written)
    waiting.conn.send(len(data))


def _forget(conn: Any) -> None:
    if conn in CONNECTIONS:
        CONNECTIONS.remove(conn)


def _spans(count: int, workers: int) -> list[tuple[int, int]]:
    """Contiguous shares of ``count`` items, one per worker (never more workers than items)."""
    workers = max(1, min(workers, count))
    size = -(-count // workers)
    return [(lo, min(lo + size, count)) for lo in range(0, count, size)]


def _with_main_imports(preload: Sequence[str]) -> list[str]:
    """``preload`` and the modules the main script imports: multiprocessing runs the script again
    in every worker (as __mp_main__), which is cheap only when its imports (for the perfreport
    command, the whole CLI) are in the server already."""
    import types

    main = sys.modules.get("__main__")
    names = list(preload)
    if main is None or getattr(main, "__file__", None) is None:
        return names
    for value in list(vars(main).values()):
        name = value.__name__ if isinstance(value, types.ModuleType) else None
        if name is None and callable(value):
            name = getattr(value, "__module__", None)
        if isinstance(name, str) and name not in ("__main__", "builtins") and name not in names:
            names.append(name)
    return names


def map_isolated(
    func: Callable[[Any], Any],
    items: Sequence[Any],
    *,
    timeout: float,
    memory_mb: int = 0,
    workers: int | None = None,
    preload: Sequence[str] = (),
    progress: Callable[[int, int], None] | None = None,
) -> list[Outcome]:
    """Apply a picklable top-level ``func`` to each item in worker processes, in order.

    Each item gets ``timeout`` seconds from its start; a worker that overruns is killed and the
    item reported as a timeout. A worker that dies reports its item as crashed. Items are split
    into contiguous chunks, one per worker, so a normal run starts only ``workers`` processes.
    """
    items = list(items)
    if not items:
        return []
    count = max(1, min(workers or os.cpu_count() or 1, len(items)))
    context = _context()
    if preload and hasattr(context, "set_forkserver_preload"):
        context.set_forkserver_preload(_with_main_imports(preload))
    outcomes: list[Outcome | None] = [None] * len(items)
    pending = _shares(len(items), count)
    running: list[_Chunk] = []
    started: list[_Chunk] = []  # every worker so far, for the progress count
    reported = 0
    while pending or running:
        while pending and len(running) < count:
            lo, hi = pending.pop(0)
            started.append(_Chunk.begin(context, func, items, lo, hi, memory_mb))
            running.append(started[-1])
        for chunk in list(running):
            restart = chunk.poll(outcomes, timeout)
            if chunk.finished:
                running.remove(chunk)
                pending[:0] = restart
        if progress is not None:
            done = sum(chunk.filled for chunk in started)
            if done != reported:
                reported = done
                progress(done, len(items))
        if running:
            _wait_for(running, 0.05)
    stop_early()
    return [
        o if o is not None else Outcome(failure=Failure.CRASHED, detail="not processed")
        for o in outcomes
    ]


def _shares(count: int, workers: int) -> list[tuple[int, int]]:
    """The spans of ``count`` items for ``workers`` workers: _spans, but where workers of
    start_early have read these items ahead in pairs, each pair's stretch is split where their
    remaining work is even, and each worker is given its share (ahead.split_shares)."""
    spans = _spans(count, workers)
    early = [w for w in _waiting if w.ahead is not None and w.span is not None]
    return split_shares(early, spans, count)


def _wait_for(running: list[_Chunk], seconds: float) -> None:
    """Until a worker sends something (or ends), or ``seconds`` pass. A poll object made here
    costs a few microseconds; multiprocessing.connection.wait, which does the same through a
    selector, ~20 (the parent waits once or twice for each return). Windows: through that."""
    if not hasattr(select, "poll"):
        multiprocessing.connection.wait([c.conn for c in running], timeout=seconds)
        return
    poller = select.poll()
    for chunk in running:
        poller.register(chunk.conn.fileno(), select.POLLIN)
    poller.poll(seconds * 1000)


class _Chunk:
    """One worker process handling items[lo:hi]."""

    def __init__(self, process: Any, conn: Any, lo: int, hi: int):
        self.process, self.conn, self.lo, self.hi = process, conn, lo, hi
        self.current: int | None = None
        self.started_at = time.monotonic()
        self.finished = False
        self.filled = 0  # outcomes this worker has given
        self.busy: Any = None  # a worker of start_early's, until it is first heard from
        # Is there a message (or the end)? Asked once more than there are messages. conn.poll
        # makes, fills and closes a selector for each question (~9 us); one poll object
        # registered once answers in ~1 us. Windows (no select.poll) asks its pipe itself.
        self._poller: Any = None
        if hasattr(select, "poll"):
            self._poller = select.poll()
            self._poller.register(conn.fileno(), select.POLLIN)

    def _ready(self) -> bool:
        return bool(self._poller.poll(0)) if self._poller is not None else self.conn.poll()

    @classmethod
    def begin(
        cls, context: Any, func: Callable, items: Sequence[Any], lo: int, hi: int, memory_mb: int
    ) -> _Chunk:
        """A worker for items[lo:hi]: the one of start_early that read ahead exactly these, or
        one that read nothing ahead, else a new one (forked when that is safe, else from
        ``context``)."""
        for waiting in list(_waiting):
            if waiting.span not in (None, (lo, hi, len(items))):
                continue
            _waiting.remove(waiting)
            try:
                _hand_over(waiting, (func, items[lo:hi], memory_mb, lo))
            except OSError:  # it has gone (or the work could not be written): take another
                _forget(waiting.conn)
                waiting.process.kill()
                waiting.conn.close()
                continue
            chunk = cls(waiting.process, waiting.conn, lo, hi)
            chunk.busy = waiting.busy
            return chunk
        fork = _fork_context()
        parent, child = (fork or context).Pipe(duplex=False)
        process = (fork or context).Process(
            target=quietly,
            args=(work_forked, os.getpid(), func, items[lo:hi], child, memory_mb)
            if fork is not None
            else (work, func, items[lo:hi], 0, child, memory_mb),
            daemon=True,
        )
        if fork is not None:
            CONNECTIONS.append(parent)  # before the fork: the child closes its copy of it
        try:
            process.start()
        except OSError:  # refused (a process limit, no memory): the command says so
            _forget(parent)
            parent.close()
            child.close()
            raise
        child.close()
        return cls(process, parent, lo, hi)

    def _stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        _forget(self.conn)
        self.conn.close()
        self.finished = True

    def poll(self, outcomes: list[Outcome | None], timeout: float) -> list[tuple[int, int]]:
        """Collect results; on a dead or overrunning worker, return the ranges still to do."""
        try:
            while self._ready():
                offset, kind, payload = self.conn.recv()
                index = self.lo + offset
                self.busy = None
                if kind == "started":
                    self.current, self.started_at = index, time.monotonic()
                    continue
                self.filled += 1
                outcomes[index] = (
                    Outcome(value=payload)
                    if kind == "ok"
                    else Outcome(failure=Failure(kind), detail=payload)
                )
                if index == self.hi - 1:
                    self._stop()
                    return []
                # The worker has gone straight on to the next item (worker.work announces only
                # its first): that one is timed, and blamed for a crash, from now.
                self.current, self.started_at = index + 1, time.monotonic()
        except (EOFError, OSError):
            self._ahead()
            return self._fail(outcomes, Failure.CRASHED, "")
        self._ahead()
        if self.current is not None and time.monotonic() - self.started_at > timeout:
            return self._fail(outcomes, Failure.TIMEOUT, f"took longer than {timeout:g} seconds")
        if not self.process.is_alive() and not self._ready():
            return self._fail(outcomes, Failure.CRASHED, "")
        return []

    def _ahead(self) -> None:
        """Not heard from yet: the item it is working on ahead is its current one, timed from
        when that was first seen here."""
        if self.busy is None:
            return
        index = self.busy.value
        current = index if index >= 0 else None
        if current != self.current:
            self.current, self.started_at = current, time.monotonic()

    def _blamed(self, missing: list[int]) -> int | None:
        """The item a worker that failed was on, to be reported as its failure; None when it
        was on none of its share's items (the rest go to a fresh worker all the same)."""
        if self.current is None and self.busy is not None:
            # Started early and never heard from, and on no item when it died: between two
            # items it read ahead, or waiting for its share (killed from outside: the OOM
            # killer, say). An item is read ahead with its index in busy, and the first of a
            # share announced before it is begun, so no item was being read: none is blamed.
            return None
        index = self.current if self.current is not None else next(iter(missing), None)
        if index is not None and not self.lo <= index < self.hi:
            # It was still on an item it read ahead that is now another worker's (ahead.split_pair):
            # that worker reads it, and says what it does; this one's items all go afresh.
            return None
        return index

    def _fail(
        self, outcomes: list[Outcome | None], failure: Failure, detail: str
    ) -> list[tuple[int, int]]:
        if failure == Failure.CRASHED:
            self.process.join(2)
            self._ahead()  # what it was on as it died (it may have moved on since the last poll)
            exitcode = self.process.exitcode
            if exitcode is not None and exitcode < 0:
                detail = f"the reading process was stopped by signal {-exitcode}"
            else:
                detail = f"the reading process stopped (exit code {exitcode})"
        self._stop()
        missing = [i for i in range(self.lo, self.hi) if outcomes[i] is None]
        index = self._blamed(missing)
        if index is not None:
            self.filled += 1
            outcomes[index] = Outcome(failure=failure, detail=detail)
        # The rest go to a fresh worker: those after it, and any read ahead but not finished.
        runs: list[tuple[int, int]] = []
        for i in missing:
            if i == index:
                continue
            if runs and runs[-1][1] == i:
                runs[-1] = (runs[-1][0], i + 1)
            else:
                runs.append((i, i + 1))
        return runs
