"""The cyclic garbage collector paused while a stage makes many objects that outlive it."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@contextmanager
def gc_paused(*, freeze: bool = False) -> Iterator[None]:
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
    """
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
    made would stay out of the collector's reach for good."""
    if not _kept and gc.get_freeze_count():
        yield
        return
    _kept.append(False)
    try:
        if from_here:
            keep_from_here()
        yield
    finally:
        _kept.pop()
        if not _kept:
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
