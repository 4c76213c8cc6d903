"""The template's sandbox, bounded: range and repetition limits, and time and memory for a render."""

from __future__ import annotations

import contextlib
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any

from jinja2.sandbox import SandboxedEnvironment, SecurityError

# The template is trusted (docs/security.md), but a mistake in it must not hang a scheduled run:
# {{ 'x' * 10**9 }} or two nested loops over range(100000) ran for minutes and took gigabytes.
RANGE_LIMIT = 10_000  # items in one range(): the appendix of a large council has a few hundred
REPEAT_LIMIT = 1_000_000  # characters (or items) that one '*' may make
POWER_LIMIT = 10_000  # bits in the result of one '**'
RENDER_TIMEOUT = 120.0  # seconds for one render (POSIX, main thread)
RENDER_MEMORY_MB = 2048  # more address space than before the render (Linux)


class RenderLimit(Exception):
    """A template went past one of the bounds above; the message says which."""


# What a plain dict's own attributes are called (items, keys, __class__...): `row.items` is
# the method, as in Jinja's sandbox, not the key "items".
_DICT_ATTRIBUTES = frozenset(dir({}))


class KeysFirst(SandboxedEnvironment):
    """Jinja's sandbox, the same results; ``row.ref`` on a plain dict read as ``row["ref"]``.

    Why: Jinja's sandbox reads ``row.ref`` as getattr(row, "ref") first, which for a dict
    raises AttributeError, and only then row["ref"]. A 100x paper has ~363,000 of them (20 a
    row of Appendix A), in the Word template and again in the web page's: the page's render
    took 0.455 s of CPU, 0.29 s with the key read first (3 alternating renders each; the same
    page).
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        # A plain dict (not a subclass, which may have attributes of its own) has no attribute
        # but dict's: for any other name Jinja's getattr fails and reads the key, as here.
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass  # Jinja's own says what is missing (StrictUndefined)
        return super().getattr(obj, attribute)


class BoundedEnvironment(KeysFirst):
    """Jinja's sandbox with range(), '*' and '**' bounded (and a plain dict's keys read first)."""

    intercepted_binops = frozenset(["*", "**"])

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.globals["range"] = bounded_range

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if (
                    isinstance(sequence, str | list | tuple)
                    and isinstance(times, int)
                    and len(sequence) * times > REPEAT_LIMIT
                ):
                    raise SecurityError(
                        f"'*' would make {len(sequence) * times:,} characters or items; a "
                        f"template may make at most {REPEAT_LIMIT:,} at once"
                    )
        elif (
            operator == "**"
            and isinstance(left, int)
            and isinstance(right, int)
            and abs(left) > 1
            and right > 0
            and left.bit_length() * right > POWER_LIMIT
        ):
            raise SecurityError(f"'**' would make a number of over {POWER_LIMIT:,} bits")
        return super().call_binop(context, operator, left, right)


def bounded_range(*args: int) -> range:
    """range(), refused past RANGE_LIMIT items."""
    numbers = range(*args)
    if len(numbers) > RANGE_LIMIT:
        raise SecurityError(
            f"range() of {len(numbers):,} items; a template may loop over at most {RANGE_LIMIT:,}"
        )
    return numbers


@contextlib.contextmanager
def render_limits(
    timeout: float = RENDER_TIMEOUT, memory_mb: int = RENDER_MEMORY_MB
) -> Iterator[None]:
    """Bound the time and memory of what runs inside: RenderLimit past ``timeout`` seconds
    (where a timer signal can interrupt: POSIX, main thread), MemoryError past ``memory_mb``
    more address space (Linux). Elsewhere only the sandbox's limits apply."""
    timer = (
        timeout > 0
        and hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
    )
    previous_handler = None
    if timer:

        def stop(signum: int, frame: Any) -> None:
            raise RenderLimit(f"the template took longer than {timeout:g} seconds to fill in")

        previous_handler = signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, timeout)
    restore = _limit_memory(memory_mb)
    try:
        yield
    finally:
        if timer:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous_handler)
        if restore is not None:
            restore()


def _limit_memory(memory_mb: int) -> Any:
    """Lower the address-space limit to what is used now plus ``memory_mb``; returns how to
    put it back, or None where it cannot be done."""
    if memory_mb <= 0 or not sys.platform.startswith("linux"):
        return None
    try:
        import resource

        with open("/proc/self/status", encoding="ascii") as status:
            used_kb = next(int(line.split()[1]) for line in status if line.startswith("VmSize:"))
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = used_kb * 1024 + memory_mb * 1024 * 1024
        if hard != resource.RLIM_INFINITY and wanted > hard:
            return None
        if soft != resource.RLIM_INFINITY and wanted >= soft:
            return None  # already bounded more tightly (a worker's own limit)
        resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))
    except (ImportError, OSError, ValueError, StopIteration):
        return None
    return lambda: resource.setrlimit(resource.RLIMIT_AS, (soft, hard))
