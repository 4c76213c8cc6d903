"""The worker processes' side of isolation: limits, the loop over items, reading ahead."""

from __future__ import annotations

import enum
import gc
import os
import pickle
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from perfreport.core.forked import die_with_parent, lower_priority

# See xlsx.isolation, which starts these processes and collects what they send.


class Failure(enum.StrEnum):
    TIMEOUT = "timeout"
    CRASHED = "crashed"
    MEMORY = "memory"


YOUNG = 10_000  # a worker's threshold for collecting the youngest generation (see _collect_own)
# An item that took this much CPU may have left garbage in cycles (a workbook read by openpyxl and
# lxml, not the plain path), old enough to wait for a rare full collection (see _tidy_after).
LARGE_ITEM_SECONDS = 0.05

# The parent's ends of the pipes of the workers forked from it (isolation adds them): a forked
# child closes its copies, so that each pipe ends when its own worker does.
CONNECTIONS: list[Any] = []


class PickledOnce:
    """A value that every worker's work holds (the catalogue): pickled once, however many
    workers' work is pickled with it (3.7 MB of pickle and 35 ms at 100x, made again for each).
    A worker given its work by fork, not pickled, finds it in ``value`` (see unwrapped)."""

    def __init__(self, value: Any) -> None:
        self.value = value
        self._data: bytes | None = None

    def __reduce__(self) -> tuple[Any, tuple[bytes]]:
        if self._data is None:
            self._data = pickle.dumps(self.value, protocol=pickle.HIGHEST_PROTOCOL)
        return pickle.loads, (self._data,)


class Pickled:
    """A worker's result that was pickled already, as ``(key, value)`` (inputs.cache stores
    that pickle in this process's pack): sent through the pipe as those bytes, and unpickled
    once, into the value, by the parent; not pickled a second time (~30 us a return)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __reduce__(self) -> tuple[Any, tuple[bytes]]:
        return _second, (self.data,)


def _second(data: bytes) -> Any:
    return pickle.loads(data)[1]  # noqa: S301 - made by this program's own worker


class SharedIndex:
    """An index (-1 for none) in memory shared with forked workers: what a worker working ahead
    is busy with (see wait_for_work). One anonymous shared mapping holds every worker's slot; a
    multiprocessing RawValue did the same, but its first use set up multiprocessing's shared
    heap (a temporary folder and file: ~3 ms before the first worker could start)."""

    __slots__ = ("_memory", "_at")

    def __init__(self, memory: Any, at: int) -> None:
        self._memory, self._at = memory, at
        self.value = -1

    @property
    def value(self) -> int:
        return int.from_bytes(self._memory[self._at : self._at + 8], "little", signed=True)

    @value.setter
    def value(self, index: int) -> None:
        self._memory[self._at : self._at + 8] = index.to_bytes(8, "little", signed=True)


def shared_indexes(count: int) -> list[SharedIndex]:
    """``count`` SharedIndexes, each -1, shared with the processes forked from this one."""
    import mmap

    memory = mmap.mmap(-1, 8 * max(count, 1))  # anonymous, MAP_SHARED: seen across a fork
    return [SharedIndex(memory, 8 * n) for n in range(count)]


def unwrapped(value: Any) -> Any:
    """The value itself, whether it came pickled (as itself) or forked (still wrapped)."""
    return value.value if isinstance(value, PickledOnce) else value


def limit_memory(memory_mb: int, relative: bool = False) -> None:
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


def close_inherited(own: Any) -> None:
    for conn in CONNECTIONS:
        if conn is not own:
            try:
                conn.close()
            except OSError:
                pass


def _collect_own(forked: bool) -> None:
    """Turn the collector on (the parent may have paused it, as inputs.dataset does): a worker
    collects its own objects. A forked one first freezes what it inherited (the parent's
    imports, hundreds of thousands of objects that live as long as it does), so that its
    collections walk only what it makes: half of their time, and no page of the parent's heap
    copied just to mark an object during one."""
    if forked:
        gc.freeze()
    # Its objects mostly live until their item is sent (the sheets read ahead) or are freed by
    # reference counting (a read makes no cycles: tests/test_no_cycles.py), so the youngest
    # generation is collected every YOUNG objects, not 700: its collections walked the living
    # (~35 ms of a 100x worker's CPU, ~25 ms so).
    gc.set_threshold(YOUNG, *gc.get_threshold()[1:])
    gc.enable()


def _tidy_after(started: float) -> None:
    """Collect everything after an item that took LARGE_ITEM_SECONDS or more. With the young
    threshold at YOUNG, a full collection comes only every ~1,000,000 objects: the cycles a
    large read through openpyxl leaves (its workbook, lxml's parsers, whose C memory the
    collector cannot see) would otherwise count against the next file's memory limit, and a
    return of legal size could be reported as needing too much memory. A plain return takes
    ~1 ms and skips this; a large one pays a few milliseconds (what lives since the fork is
    frozen, so is not walked)."""
    if time.process_time() - started >= LARGE_ITEM_SECONDS:
        gc.collect()


def work(
    func: Callable[..., Any],
    items: Sequence[Any],
    start: int,
    conn: Any,
    memory_mb: int,
    forked: bool = False,
    prepared: dict[int, Any] | None = None,
    limited: bool = False,
) -> None:
    """Child: process items[start:] in order, sending (index, kind, payload) after each. An item
    in ``prepared`` (made ahead, see wait_for_work) is given to ``func`` with what was made.
    ``limited``: the memory limit is set already.

    Only the first item is announced, (start, "started", None): each later one starts as the
    one before it is sent, so the parent times it (and blames it for a crash) from that outcome.
    An announcement for every item doubled the messages the parent woke for and unpickled."""
    if forked and prepared is None:
        close_inherited(conn)
    _collect_own(forked and prepared is None)
    if not limited:
        limit_memory(memory_mb, relative=forked)
    for index in range(start, len(items)):
        if index == start:
            conn.send((index, "started", None))
        started = time.process_time()
        try:
            if prepared is not None and index in prepared:
                value = func(items[index], prepared.pop(index))
            else:
                value = func(items[index])
            conn.send((index, "ok", value))
        except MemoryError:
            conn.send((index, Failure.MEMORY, "ran out of memory"))
        except Exception as exc:  # noqa: BLE001 - any failure of one item is reported, not fatal
            conn.send((index, Failure.CRASHED, f"{type(exc).__name__}: {exc}"))
        _tidy_after(started)
    conn.close()


def work_forked(
    parent: int, func: Callable[..., Any], items: Sequence[Any], conn: Any, memory_mb: int
) -> None:
    """Child forked for its share: :func:`work`, killed with the command ``parent`` even when
    that is killed outright (kill -9, the OOM killer): a file it hangs on must not keep a core
    busy for good, the time limit gone with the parent."""
    if not die_with_parent(parent):
        return
    work(func, items, 0, conn, memory_mb, forked=True)


@dataclass(frozen=True)
class Ahead:
    """What a worker started early reads ahead, and how. ``items`` are a stretch of all the
    items, the first being item ``lo``; every index here counts all the items. A pair of
    workers shares one stretch: one reads it ahead from its start, the other (``backward``)
    from its end, each stopping where the other has reached (``partner``), so that the parent
    can split the stretch where their remaining work is even (ahead.split_pair): the one
    that got less of a core while the catalogue was read does no more than its share after.
    ``reach`` (shared) is the farthest item this one has started; ``stop``, set by the parent,
    ends the reading ahead before the parent reads the reaches."""

    items: Sequence[Any]
    lo: int
    reach: Any
    stop: Any
    partner: Any = None
    backward: bool = False

    def order(self) -> range:
        count = len(self.items)
        return range(count - 1, -1, -1) if self.backward else range(count)

    def met(self, index: int) -> bool:
        """Whether the partner has started this item or one beyond it (from its side)."""
        if self.partner is None:
            return False
        other = self.partner.value
        return index <= other if self.backward else index >= other


def wait_for_work(
    conn: Any,
    parent: int,
    prepare: Callable[[Any], Any],
    ahead: Ahead | None,
    memory_mb: int,
    busy: Any,
    spill: int,
) -> None:
    """Child forked early: ``prepare`` each of ``ahead.items`` (the first step of its items,
    which needs nothing the parent is still working out) until (func, items, memory_mb, lo)
    comes, then work as ``work`` on those items (item ``lo`` first), giving ``func`` what was
    prepared. Leaves if the parent goes away first (its other children may hold this pipe open,
    so no end-of-file comes).

    Nothing is sent while working ahead: the parent is busy and does not read, and a full pipe
    in both directions would stop both. Instead ``busy`` (shared memory) holds the index being
    prepared, -1 between items, so that the parent can stop one that hangs and say which. And
    the work itself comes in the file ``spill`` (a descriptor inherited from the parent), with
    only its size through the pipe: the parent must never wait on a worker that is busy."""
    if not die_with_parent(parent):  # killed with the command, as work_forked says why
        return
    close_inherited(conn)
    _collect_own(True)
    # Below the parent's priority: on two cores the catalogue it reads meanwhile, which every
    # return's read waits for, keeps a core (measured: 100x read+validate ~9% sooner, median of
    # 14 alternating pairs). A process cannot take its priority back, so it keeps the lower one
    # for the rest of its work; the time limit (60 s a file by default, a return taking
    # milliseconds) leaves room for that on a busy machine.
    lower_priority()
    limit_memory(memory_mb, relative=True)  # 0 (no limit yet) when nothing is made ahead
    prepared: dict[int, Any] = {}
    for offset in ahead.order() if ahead is not None else ():
        index = ahead.lo + offset
        if conn.poll() or ahead.stop.value >= 0 or ahead.met(index):
            break  # the work has come, or is coming, or the rest is the partner's
        ahead.reach.value = index
        busy.value = index
        started = time.process_time()
        try:
            prepared[index] = prepare(ahead.items[offset])
        except Exception:  # noqa: BLE001 - not prepared: the item is done in full, and fails, later
            pass
        busy.value = -1
        _tidy_after(started)
    while not conn.poll(0.25):
        if os.getppid() != parent:
            return
    try:
        size = conn.recv()
        func, items, limit, lo = pickle.loads(_read_at_start(spill, size))
    except (EOFError, OSError):
        return
    os.close(spill)
    # What was made ahead beyond the share it was given (see ahead.split_pair) is dropped.
    mine = {i - lo: made for i, made in prepared.items() if lo <= i < lo + len(items)}
    del prepared
    limited = memory_mb > 0 and limit == memory_mb
    work(func, items, 0, conn, limit, forked=True, prepared=mine, limited=limited)


def _read_at_start(descriptor: int, size: int) -> bytes:
    data = b""
    while len(data) < size:
        block = os.pread(descriptor, size - len(data), len(data))
        if not block:
            raise EOFError("the work was cut short")
        data += block
    return data
