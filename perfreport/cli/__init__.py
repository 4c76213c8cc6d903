"""The command line: thin commands over the library, and their rich renderers."""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["app", "main"]

_NOT_A_RUN = frozenset({"--help", "-h", "--version"})  # a build asked for help draws nothing


def main() -> None:
    """The console script's entry point. A build's drawing process is started before the
    command line's libraries (typer, rich) are imported (paper.chart_worker.start_early)."""
    arguments = sys.argv[1:]
    if arguments[:1] == ["build"] and not _NOT_A_RUN.intersection(arguments):
        from perfreport.paper.chart_worker import start_early

        start_early()
    from perfreport.cli.app import main as run

    run()


def __getattr__(name: str) -> Any:
    # The typer app, imported when first asked for (main imports it after the early start).
    if name == "app":
        from perfreport.cli.app import app

        globals()["app"] = app  # not the module perfreport.cli.app, which importing it set
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
