"""Run untrusted work (parsing returns) in worker processes with a time and memory limit per item."""

from __future__ import annotations

import enum
import multiprocessing
import multiprocessing.connection
import os
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

# Why processes: a crafted workbook can make a C parser hang or exhaust memory, and calamine-style
# readers can abort the whole process. A worker that dies or overruns takes only its current item
# with it; the parent reports that item and carries on with the rest in a fresh worker.


class Failure(enum.StrEnum):
    TIMEOUT = "timeout"
    CRASHED = "crashed"
    MEMORY = "memory"


@dataclass(frozen=True)
class Outcome:
    """What happened to one item: its value, or why there is none."""

    value: Any = None
    failure: Failure | None = None
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.failure is None


def _limit_memory(memory_mb: int, relative: bool = False) -> None:
    """Cap the address space; ``relative``: on top of what the process already maps (a forked
    worker inherits its parent's imports and data, which are not the file's doing)."""
    if memory_mb <= 0 or sys.platform == "win32":
        return
    try:
        import resource

        limit = memory_mb * 1024 * 1024
        if relative:
            limit += _mapped_bytes()
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # pragma: no cover - platform without RLIMIT_AS
        pass


def _mapped_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _worker(
    func: Callable[[Any], Any],
    items: Sequence[Any],
    start: int,
    conn: Any,
    memory_mb: int,
    forked: bool = False,
) -> None:
    """Child: process items[start:] in order, sending (index, kind, payload) after each."""
    if forked:
        _close_inherited(conn)
    _limit_memory(memory_mb, relative=forked)
    for index in range(start, len(items)):
        conn.send((index, "started", None))
        try:
            conn.send((index, "ok", func(items[index])))
        except MemoryError:
            conn.send((index, Failure.MEMORY, "ran out of memory"))
        except Exception as exc:  # noqa: BLE001 - any failure of one item is reported, not fatal
            conn.send((index, Failure.CRASHED, f"{type(exc).__name__}: {exc}"))
    conn.close()


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
_waiting: list[tuple[Any, Any]] = []
_connections: list[Any] = []  # the parent's ends of every forked worker's pipe


def start_early(preload: Sequence[str] = (), workers: int = 0) -> None:
    """Start ``workers`` worker processes now, while the caller does other work; map_isolated
    hands them their items at once. Where fork is safe they are forked from this process after
    importing ``preload`` here; elsewhere the worker server is started (importing ``preload``
    there), or nothing where workers are spawned (Windows, macOS: each imports for itself)."""
    fork = _fork_context()
    if fork is not None and workers > 0:
        import importlib

        for name in preload:
            importlib.import_module(name)
        while len(_waiting) < workers:
            parent, child = fork.Pipe()
            process = fork.Process(target=_wait_for_work, args=(child, os.getpid()), daemon=True)
            _connections.append(parent)
            process.start()
            child.close()
            _waiting.append((process, parent))
        return
    context = _context()
    if hasattr(context, "set_forkserver_preload"):
        from multiprocessing import forkserver

        context.set_forkserver_preload(_with_main_imports(preload))
        forkserver.ensure_running()


def stop_early() -> None:
    """Let the workers of start_early that were given nothing go (e.g. the catalogue failed)."""
    while _waiting:
        process, conn = _waiting.pop()
        _forget(conn)
        try:
            conn.send(None)
        except OSError:
            pass
        conn.close()
        process.join(1)


def _forget(conn: Any) -> None:
    if conn in _connections:
        _connections.remove(conn)


def _wait_for_work(conn: Any, parent: int) -> None:
    """Child of start_early: wait for (func, items, memory_mb), then work as _worker. Leaves if
    the parent goes away first (its other children may hold this pipe open, so no EOF comes)."""
    _close_inherited(conn)
    while not conn.poll(0.25):
        if os.getppid() != parent:
            return
    try:
        work = conn.recv()
    except (EOFError, OSError):
        return
    if work is not None:
        func, items, memory_mb = work
        _worker(func, items, 0, conn, memory_mb, forked=True)


def _close_inherited(own: Any) -> None:
    """A forked child's copies of the parent's ends of other workers' pipes: closed, so that
    each pipe ends when its own worker does."""
    for conn in _connections:
        if conn is not own:
            try:
                conn.close()
            except OSError:
                pass


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
    size = -(-len(items) // count)
    pending = [(lo, min(lo + size, len(items))) for lo in range(0, len(items), size)]
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
                if restart is not None:
                    pending.insert(0, restart)
        if progress is not None:
            done = sum(chunk.filled for chunk in started)
            if done != reported:
                reported = done
                progress(done, len(items))
        if running:
            multiprocessing.connection.wait([c.conn for c in running], timeout=0.05)
    stop_early()
    return [
        o if o is not None else Outcome(failure=Failure.CRASHED, detail="not processed")
        for o in outcomes
    ]


class _Chunk:
    """One worker process handling items[lo:hi]."""

    def __init__(self, process: Any, conn: Any, lo: int, hi: int):
        self.process, self.conn, self.lo, self.hi = process, conn, lo, hi
        self.current: int | None = None
        self.started_at = time.monotonic()
        self.finished = False
        self.filled = 0  # outcomes this worker has given

    @classmethod
    def begin(
        cls, context: Any, func: Callable, items: Sequence[Any], lo: int, hi: int, memory_mb: int
    ) -> _Chunk:
        """A worker for items[lo:hi]: one waiting since start_early, else a new one (forked
        when that is safe, else from ``context``)."""
        while _waiting:
            process, conn = _waiting.pop(0)
            try:
                conn.send((func, items[lo:hi], memory_mb))
            except OSError:  # it has gone: take another
                _forget(conn)
                conn.close()
                continue
            return cls(process, conn, lo, hi)
        fork = _fork_context()
        parent, child = (fork or context).Pipe(duplex=False)
        process = (fork or context).Process(
            target=_worker,
            args=(func, items[lo:hi], 0, child, memory_mb, fork is not None),
            daemon=True,
        )
        if fork is not None:
            _connections.append(parent)
        process.start()
        child.close()
        return cls(process, parent, lo, hi)

    def _stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        _forget(self.conn)
        self.conn.close()
        self.finished = True

    def poll(self, outcomes: list[Outcome | None], timeout: float) -> tuple[int, int] | None:
        """Collect results; on a dead or overrunning worker, return the range still to do."""
        try:
            while self.conn.poll():
                offset, kind, payload = self.conn.recv()
                index = self.lo + offset
                if kind == "started":
                    self.current, self.started_at = index, time.monotonic()
                    continue
                self.filled += 1
                outcomes[index] = (
                    Outcome(value=payload)
                    if kind == "ok"
                    else Outcome(failure=Failure(kind), detail=payload)
                )
                self.current = None
                if index == self.hi - 1:
                    self._stop()
                    return None
        except (EOFError, OSError):
            return self._fail(outcomes, Failure.CRASHED, "")
        if self.current is not None and time.monotonic() - self.started_at > timeout:
            return self._fail(outcomes, Failure.TIMEOUT, f"took longer than {timeout:g} seconds")
        if not self.process.is_alive() and not self.conn.poll():
            return self._fail(outcomes, Failure.CRASHED, "")
        return None

    def _fail(
        self, outcomes: list[Outcome | None], failure: Failure, detail: str
    ) -> tuple[int, int] | None:
        if failure == Failure.CRASHED:
            self.process.join(2)
            exitcode = self.process.exitcode
            if exitcode is not None and exitcode < 0:
                detail = f"the reading process was stopped by signal {-exitcode}"
            else:
                detail = f"the reading process stopped (exit code {exitcode})"
        self._stop()
        index = self.current if self.current is not None else self._first_missing(outcomes)
        if index is None:
            return None
        self.filled += 1
        outcomes[index] = Outcome(failure=failure, detail=detail)
        rest = index + 1
        return (rest, self.hi) if rest < self.hi else None

    def _first_missing(self, outcomes: list[Outcome | None]) -> int | None:
        return next((i for i in range(self.lo, self.hi) if outcomes[i] is None), None)
