"""The command line: thin commands over the library, and their rich renderers."""

from __future__ import annotations

import sys
import types
from typing import Any

__all__ = ["app", "main"]


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
    if arguments[:1] == ["build"] and not _NOT_A_RUN.intersection(arguments):
        with gc_paused():
            from perfreport.paper.chart_worker import start_early
        start_early()
    # The modules' objects live until the command ends: the collector walked them for nothing
    # while they were made (~0.005 s of CPU; the command itself runs with it on).
    with gc_paused():
        from perfreport.cli.app import main as run
    run()


def __getattr__(name: str) -> Any:
    # The typer app, imported when first asked for (main imports it after the early start);
    # importing the module sets the package's name to it (_Package).
    if name == "app":
        from perfreport.cli.app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
