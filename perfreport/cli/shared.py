"""What every command shares: its options, the exit codes, and library errors turned into them."""

from __future__ import annotations

import contextlib
import enum
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.markup import escape

from perfreport.cli.show import make_console
from perfreport.core.findings import Finding, has_blocking
from perfreport.core.periods import Period, PeriodError
from perfreport.core.project import ConfigError, Project

# The pattern for every command: parse the options, call ONE library function inside
# `cli_errors()`, print with rich (or `print_json`), and return through `exit_code`.
# Exit codes: 0 fine, 1 blocking findings, 2 usage or configuration problems, 3 another run is
# building the same project and period.
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3


class OutputFormat(enum.StrEnum):
    """--format of validate, summary, status, build and template check."""

    TEXT = "text"  # for people
    JSON = "json"  # for programs: exactly what the library returns


PeriodArgument = Annotated[
    str, typer.Argument(help="The quarter, e.g. Q2-2024.", show_default=False)
]
ProjectOption = Annotated[
    Path | None,
    typer.Option(
        "--project",
        "-p",
        help="The performance project folder (default: the current folder or the "
        "nearest parent with perfreport.toml).",
        file_okay=False,
        show_default=False,
    ),
]
FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format", "-f", help="text for people, json for programs.", case_sensitive=False
    ),
]
StrictOption = Annotated[bool, typer.Option("--strict", help="Count warnings as errors.")]
QuietOption = Annotated[bool, typer.Option("--quiet", "-q", help="Print only the summary line.")]


def fail(message: str) -> NoReturn:
    """A usage or configuration problem: the message on stderr, exit 2."""
    make_console(stderr=True).print(f"[bold red]Error:[/] {escape(message)}")
    raise typer.Exit(EXIT_USAGE)


@contextlib.contextmanager
def cli_errors() -> Iterator[None]:
    """Turn the library's 'cannot continue' errors into exit 2 with a plain message."""
    try:
        yield
    except (ConfigError, PeriodError) as exc:
        fail(str(exc))


def open_project(folder: Path | None) -> Project:
    """The project from --project, else found from the current folder like git."""
    from perfreport.core.project import load_project

    with cli_errors():
        return load_project(folder)


def parse_period(text: str) -> Period:
    """A period argument, or exit 2 showing the accepted forms."""
    try:
        return Period.parse(text)
    except PeriodError as exc:
        fail(str(exc))


def print_json(data: object) -> None:
    """JSON on stdout, exactly as the library built it (no rich markup or wrapping)."""
    typer.echo(json.dumps(data, indent=2, ensure_ascii=False))


def exit_code(findings: Iterable[Finding], strict: bool = False) -> int:
    """1 when a finding blocks the paper (an error, or with --strict a warning), else 0."""
    return EXIT_FINDINGS if has_blocking(findings, strict) else EXIT_OK
