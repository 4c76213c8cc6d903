"""The cyclic garbage collector paused while a stage makes many objects that outlive it."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


_own: list[bool] = [False]  # whether this process is the perfreport command's (own_process)


def own_process() -> None:
    """Say that this process is the perfreport command's own (the console script), which ends
    when its command does: what lives to its end may be frozen for good (``lasting`` blocks),
    and :func:`kept_apart` need not undo it. A program calling the library never says so."""
    _own[0] = True


@contextmanager
def gc_paused(*, freeze: bool = False, lasting: bool = False) -> Iterator[None]:
    """Run the block with the cyclic collector off, then turn it back on (if it was on).

    A 100x build holds millions of objects (the summary, the paper's context), and each full
    collection walks all of them: ~6 s of a 100x build's CPU went on collections that freed
    next to nothing, as the rating, the context, the web page and the data export made objects
    that stay alive. Reference counting still frees everything that is not in a cycle; cycles
    made in the block are collected after it. Nested blocks leave the collector off until the
    outermost ends. Another thread's collections pause too: a matter of memory, never of results.

    ``freeze``: everything alive at the end, what the block made included, is frozen (left out
    of the collector's walks for good) before the collector is back on, for a process whose
    block made what it keeps to its end (the drawing process's matplotlib). Frozen after it is
    back on, it would all be walked first: the count of new objects is past the threshold, so
    the first allocation starts a collection of the youngest generation, which holds all of it.

    ``lasting``: the block makes what lives as long as the process (imports): frozen as with
    ``freeze`` in the command's own process (:func:`own_process`), else only paused. Why: a
    cold build's process walked its imports' ~100,000 objects in the collections after each
    import block (~0.02 s of CPU at 1x, ~0.03 s at 10x, measured with gc.callbacks), and its
    reading workers, forked after the reading libraries' import, walked them again.
    """
    freeze = freeze or (lasting and _own[0])
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze or (enabled and _kept and _kept[-1]):
            # Inside kept_apart: what the block made is frozen before any collection walks it
            # (the first would walk all of it in the youngest generation, then again in each
            # older one).
            gc.freeze()
        if enabled:
            gc.enable()


_kept: list[bool] = []  # one entry per kept_apart block open: whether it keeps yet


@contextmanager
def kept_apart(*, from_here: bool = True) -> Iterator[None]:
    """Every object alive now, and what each :func:`gc_paused` block inside makes, is frozen
    (``gc.freeze``: left out of the cyclic collector's walks) until the block ends; with
    ``from_here`` False, only from :func:`keep_from_here` on.

    For a build once its returns are read: what was read, the summary, the paper's context and
    the rest live until it ends, and each full collection walked all of them to free nothing
    (~0.5 s of a 100x build's CPU). At the end they are unfrozen, so that a program that builds
    many times collects as before: reference counting frees the build's objects meanwhile; only
    reference cycles wait.

    In a program that has frozen objects of its own (gc.freeze before forking its workers),
    nothing is frozen: the end could not unfreeze only the build's, and the cycles each build
    made would stay out of the collector's reach for good. The command's own process
    (:func:`own_process`) freezes its imports, keeps apart as well, and unfreezes nothing: it
    ends with the command."""
    if not _kept and gc.get_freeze_count() and not _own[0]:
        yield
        return
    _kept.append(False)
    try:
        if from_here:
            keep_from_here()
        yield
    finally:
        _kept.pop()
        if not _kept and not _own[0]:  # the command's own process ends with it: nothing to undo
            gc.unfreeze()


def keep_from_here() -> None:
    """Inside :func:`kept_apart`, what is alive is frozen, and what paused blocks make from now
    on (elsewhere: nothing happens). The youngest generation is collected first, so that the
    reference cycles just made (reading a workbook makes some) are freed, not kept."""
    if not _kept or _kept[-1]:
        return
    _kept[-1] = True
    if gc.isenabled():
        gc.collect(0)
        gc.freeze()


def paused(func: Callable[P, R]) -> Callable[P, R]:
    """``func`` run inside :func:`gc_paused`."""

    @wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with gc_paused():
            return func(*args, **kwargs)

    return run
