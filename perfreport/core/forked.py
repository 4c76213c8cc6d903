"""Files made in a forked process while this one goes on, where forking is safe (Linux)."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from typing import Any


def can_fork() -> bool:
    """Whether a child may be forked here: Linux, and this process has no other thread (a fork
    copies only the calling thread, so a lock another one held would never be released)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:  # pragma: no cover - /proc not mounted
        return False


# A helper process's priority below the build's (nice): what it makes is needed later, so on two
# cores the build's own work (the paper, on the critical path) keeps a core.
NICENESS = 5


def lower_priority() -> None:
    """This process yields the cores to the build's when both want them (Unix's nice)."""
    with contextlib.suppress(OSError, AttributeError):  # not permitted; Windows has no nice
        os.nice(NICENESS)


def die_with_parent(parent: int | None = None) -> bool:
    """Linux: this process is killed when the process that started it ends (PR_SET_PDEATHSIG),
    so that no helper process outlives a build that was stopped or killed, even outright.

    ``parent``: that process's id, as it knew it before the fork. Returns whether it is still
    this one's parent: one that ended before this was asked sends no signal, so the caller
    should end now. (True without ``parent``.)"""
    import ctypes
    import signal

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
    return parent is None or os.getppid() == parent


def quietly(target: Callable[..., Any], *args: Any) -> None:
    """Run a child process's ``target``; Ctrl-C ends it without a traceback. The terminal sends
    Ctrl-C to every process of the command, and the command itself says it was stopped: a
    child's traceback would only bury that line."""
    try:
        target(*args)
    except KeyboardInterrupt:
        raise SystemExit(130) from None


def die_with_parent_quietly() -> None:
    """:func:`die_with_parent`, and Ctrl-C left to the parent: this process dies with it."""
    import signal

    die_with_parent()
    with contextlib.suppress(OSError, ValueError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)


class ForkedChild:
    """A child forked now to work beside the caller (``target(sender, *args)``), and the pipe
    its answer comes by. Only where :func:`can_fork` says so."""

    def __init__(self, target: Callable[..., None], args: tuple, name: str) -> None:
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self._conn, sender = context.Pipe(duplex=False)
        self._process = context.Process(target=quietly, args=(target, sender, *args), name=name)
        self._process.start()
        sender.close()

    def close(self) -> None:
        """Let the child go: killed if it is still at work (the build stopped first)."""
        if not self._conn.closed:
            self._conn.close()
        if self._process.is_alive():
            self._process.kill()
        self._process.join()


class ForkedFiles(ForkedChild):
    """``make()``'s files (name -> bytes), made in a forked child while the caller goes on.

    :meth:`result` gives them, or None when the child could not make them (it failed, or died):
    the caller then makes them itself, and sees any error there. Each file is sent as it is
    (``send_bytes``), not pickled with the others, so that the caller holds one copy of each.
    """

    def result(self) -> dict[str, bytes] | None:
        files: dict[str, bytes] | None = None
        try:
            names = self._conn.recv()
            if isinstance(names, list):
                files = {name: self._conn.recv_bytes() for name in names}
        except (EOFError, OSError):
            files = None
        if files is not None:  # it has sent them all: it is ending (not killed mid-exit)
            self._process.join(5)
        self.close()
        return files


def fork_files(make: Callable[[], dict[str, bytes]]) -> ForkedFiles | None:
    """Start making ``make()``'s files in a forked child; None where forking is not safe (the
    caller makes them itself when it needs them)."""
    if not can_fork():
        return None
    try:
        return ForkedFiles(_send_files, (make,), "perfreport-files")
    except OSError:  # the fork refused (a process limit, no memory for the copy): made here
        return None


def _send_files(sender: Any, make: Callable[[], dict[str, bytes]]) -> None:
    """In the child: make the files and send them; an empty answer (None) when it failed."""
    die_with_parent()
    lower_priority()
    try:
        files = make()
    except Exception:
        sender.send(None)
        return
    try:
        sender.send(list(files))
        for data in files.values():
            sender.send_bytes(data)
    except OSError:  # the build has gone, or stopped waiting
        return
