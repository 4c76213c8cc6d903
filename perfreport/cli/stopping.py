"""SIGTERM (``timeout``, systemd, a scheduler's stop) ends a command as Ctrl-C does: the lock is
released and the temporary folders removed on the way out, one line says so, and the exit code
is 143 (128 + 15, as a shell reports a process ended by SIGTERM). The console script only: a
program using perfreport as a library keeps its own signal handling."""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable
from types import FrameType

EXIT_TERMINATED = 143  # 128 + SIGTERM
STOPPED = (
    "Stopped: perfreport was told to stop (SIGTERM) before it finished; its lock and temporary "
    "files were removed. Run it again to finish."
)


class Terminated(SystemExit):
    """Raised in the command's process when it receives SIGTERM: a SystemExit, so that no
    ``except Exception`` takes it for a failure, and every ``finally`` on the way out runs."""

    def __init__(self) -> None:
        super().__init__(EXIT_TERMINATED)


def stop_on_sigterm() -> Callable[[], None]:
    """Install the handler (POSIX; on Windows a stop from Task Scheduler ends the process
    outright, and no handler would run). A SIGTERM already ignored (nohup) or handled by the
    caller stays so. Returns what puts the earlier handling back, for a caller that goes on."""
    if sys.platform == "win32":
        return _nothing
    try:
        if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
            return _nothing
        signal.signal(signal.SIGTERM, _Handler(os.getpid()))
    except (ValueError, OSError):  # not the main thread, or no such signal here
        return _nothing
    return _restore


def _nothing() -> None:
    """Nothing to put back: no handler was installed."""


def _restore() -> None:
    with contextlib.suppress(ValueError, OSError):
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


class _Handler:
    def __init__(self, pid: int) -> None:
        self._pid = pid

    def __call__(self, number: int, frame: FrameType | None) -> None:
        if os.getpid() != self._pid:
            # A forked child (a worker, the drawing process) inherited the handler: it must not
            # run its parent's finally blocks (the lock's release among them), so it ends as it
            # would have without the handler.
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            os.kill(os.getpid(), signal.SIGTERM)
            return
        # `timeout` sends SIGTERM to the command and then to its process group: the second must
        # not interrupt the clean-up the first began.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise Terminated()


def say_stopped() -> None:
    """The one line on stderr (the streams may be gone: then nothing)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        sys.stderr.write(STOPPED + "\n")
        sys.stderr.flush()
