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
def gc_paused() -> Iterator[None]:
    """Run the block with the cyclic collector off, then turn it back on (if it was on).

    A 100x build holds millions of objects (the summary, the paper's context), and each full
    collection walks all of them: ~6 s of a 100x build's CPU went on collections that freed
    next to nothing, as the rating, the context, the web page and the data export made objects
    that stay alive. Reference counting still frees everything that is not in a cycle; cycles
    made in the block are collected after it. Nested blocks leave the collector off until the
    outermost ends. Another thread's collections pause too: a matter of memory, never of results.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def paused(func: Callable[P, R]) -> Callable[P, R]:
    """``func`` run inside :func:`gc_paused`."""

    @wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with gc_paused():
            return func(*args, **kwargs)

    return run
