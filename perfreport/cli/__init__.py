"""The command line: thin commands over the library, and their rich renderers."""

from __future__ import annotations

import contextlib
import sys
import types
from pathlib import Path
from typing import Any

from perfreport.core.filenames import matplotlib_dir

__all__ = ["app", "command", "main"]


class _Package(types.ModuleType):
    """This package. Importing its module ``app`` sets the package's attribute of that name to
    the module once it has run: the name stays the typer app, as callers (CliRunner) expect."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "app" and isinstance(value, types.ModuleType):
            value = value.app
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package

_NOT_A_RUN = frozenset({"--help", "-h", "--version"})  # a build asked for help draws nothing


def main() -> None:
    """The console script's entry point. A build's drawing process is started before the
    command line's libraries (typer, rich) are imported (paper.chart_worker.start_early)."""
    from perfreport.core.gcpause import gc_paused

    arguments = sys.argv[1:]
    # The modules' objects live until the command ends: the collector walked them for nothing
    # while they were made (~0.005 s of CPU; the command itself runs with it on), and, in the
    # console script's process, after (frozen: core.gcpause, lasting).
    if arguments[:1] == ["build"] and not _NOT_A_RUN.intersection(arguments):
        with gc_paused(lasting=True):
            from perfreport.paper.chart_worker import start_early
        start_early(_matplotlib_dir(arguments))
    with gc_paused(lasting=True):
        from perfreport.cli.app import main as run
    from perfreport.cli.stopping import Terminated, say_stopped, stop_on_sigterm

    # The command line only, not a program using perfreport as a library; put back after.
    restore = stop_on_sigterm()
    try:
        run()
    except Terminated:
        # Once every finally on the way out has run: the lock is released. A second SIGTERM
        # (`timeout` signals the process group too) is still ignored to the end.
        say_stopped()
        raise
    except BaseException:
        restore()
        raise
    restore()


def _matplotlib_dir(arguments: list[str]) -> Path | None:
    """The build's matplotlib folder (core.filenames.matplotlib_dir) for the drawing process started
    before the project is read: the project's from --project, else the nearest folder with
    perfreport.toml from here. None when there is none (the build then says what is wrong)."""
    given = None
    for number, argument in enumerate(arguments):
        if argument in ("--project", "-p") and number + 1 < len(arguments):
            given = arguments[number + 1]
        elif argument.startswith("--project="):
            given = argument.split("=", 1)[1]
    with contextlib.suppress(OSError, ValueError):  # a name the system refuses: no folder
        if given is not None:
            folder = Path(given)
            folder = folder.parent if folder.is_file() else folder
            candidates = [folder]
        else:
            here = Path.cwd()
            candidates = [here, *here.parents]
        for folder in candidates:
            if (folder / "perfreport.toml").is_file():
                return matplotlib_dir(folder.resolve())
    return None


def command() -> None:
    """The console script and ``python -m perfreport``: :func:`main`, then the process ends as
    soon as the command is done (main() itself, for a caller that goes on, ends by SystemExit).

    Why: the interpreter's teardown, after the exit handlers, frees one by one every object of
    the ~750 modules a build imports: ~0.012 s of CPU at 1x (~0.018 s at 10x), at the very end
    of the command's time. The exit handlers still run (multiprocessing's, the early drawing
    process's stop) and the output streams are flushed; a thread still running, an exit status
    that is not a number, or a stream that cannot be flushed (a closed pipe) end as before.
    """
    from perfreport.core.gcpause import own_process

    own_process()  # this process ends with the command: its imports may be frozen for good
    try:
        main()
    except SystemExit as exc:
        code = exc.code
    else:
        code = 0
    if code is None or type(code) is int:
        _end_now(code or 0)
    sys.exit(code)


def _end_now(code: int) -> None:
    import atexit
    import os
    import threading

    run_handlers = getattr(atexit, "_run_exitfuncs", None)
    others = [t for t in threading.enumerate() if t is not threading.main_thread()]
    if run_handlers is None or any(not t.daemon for t in others):
        return  # the interpreter waits for them, as before
    run_handlers()  # and forgets them: none runs twice
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):  # a closed pipe or stream: the interpreter reports it
        return
    os._exit(code)


def __getattr__(name: str) -> Any:
    # The typer app, imported when first asked for (main imports it after the early start);
    # importing the module sets the package's name to it (_Package).
    if name == "app":
        from perfreport.cli.app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
