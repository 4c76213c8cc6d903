"""What every command shares: its options, the exit codes, and library errors turned into them."""

from __future__ import annotations

import contextlib
import enum
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from typer.core import TyperCommand, TyperGroup

try:  # typer 0.22 and later carry their own copy of click
    from typer._click.exceptions import UsageError
    from typer._click.globals import get_current_context
except ImportError:  # pragma: no cover - older typer uses click itself
    from click.exceptions import UsageError  # type: ignore[no-redef]
    from click.globals import get_current_context  # type: ignore[no-redef]

from perfreport.cli.show import make_console, shown
from perfreport.cli.streams import json_text
from perfreport.core.findings import Finding, has_blocking
from perfreport.core.periods import Period, PeriodError
from perfreport.core.project import ConfigError, Project

# The pattern for every command: parse the options, call ONE library function inside
# `cli_errors()`, print with rich (or `print_json`), and return through `exit_code`.
# Exit codes: 0 fine, 1 blocking findings, 2 usage or configuration problems, 3 another run is
# building the same project and period.
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3
# What --format json prints, on stdout, for a usage or configuration problem (docs/json.md).
ERROR_SCHEMA = "perfreport.error/1"


class OutputFormat(enum.StrEnum):
    """--format of validate, summary, status, build, template check and history import."""

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
        # A folder; its perfreport.toml is taken as the folder (core.project.load_project).
        metavar="<directory>",
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


# What people type after a flag, thinking it takes a value (--strict true).
_SWITCH_WORDS = frozenset({"true", "false", "yes", "no", "on", "off", "1", "0"})


class _FlagsTakeNoValue:
    """Flags show no <bool> in --help, and ``--strict true`` is refused saying why.

    Without this, ``--strict true Q2-2024`` read 'true' as the period and 'Q2-2024' as a second
    one, and the message was about two periods.
    """

    def get_params(self, ctx):  # noqa: ANN001, ANN201 - click's own signature
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if getattr(param, "is_flag", False) and param.metavar is None:
                param.metavar = ""  # shown as nothing: a flag takes no value
        return params

    def parse_args(self, ctx, args):  # noqa: ANN001, ANN201 - click's own signature
        flags = {
            name: (*param.opts, *param.secondary_opts)
            for param in self.get_params(ctx)
            if getattr(param, "is_flag", False) and not getattr(param, "count", False)
            for name in (*param.opts, *param.secondary_opts)
        }
        for before, word in zip(args, args[1:], strict=False):
            if before == "--":
                break
            if before in flags and word.casefold() in _SWITCH_WORDS:
                pair = [name for name in flags[before] if name.startswith("--")]
                how = (
                    f"Write {' or '.join(pair)} on its own"
                    if len(pair) > 1
                    else f"Write {before} on its own to switch it on, or leave it out"
                )
                raise UsageError(
                    f"{before} is a flag and takes no value, so '{word}' after it is not "
                    f"understood. {how}.",
                    ctx,
                )
        return super().parse_args(ctx, args)  # type: ignore[misc]


class Command(_FlagsTakeNoValue, TyperCommand):
    """Every perfreport command."""


class Group(_FlagsTakeNoValue, TyperGroup):
    """perfreport itself, and perfreport template."""


def fail(message: str, *, file: str | None = None, key: str | None = None) -> NoReturn:
    """A usage or configuration problem: the message on stderr, exit 2. Under --format json,
    also the error object on stdout (``file`` and ``key``: what a ConfigError names)."""
    make_console(stderr=True).print(f"[bold red]Error:[/] {shown(message)}")
    if json_output():
        print_json(error_document(message, file=file, key=key))
    raise typer.Exit(EXIT_USAGE)


def error_document(message: str, *, file: str | None = None, key: str | None = None) -> dict:
    """The JSON of a run that stopped on a usage or configuration problem (perfreport.error/1)."""
    return {
        "schema": ERROR_SCHEMA,
        "status": "error",
        "exit_code": EXIT_USAGE,
        "message": message,
        "file": file,
        "key": key,
    }


def json_output() -> bool:
    """Whether the running command prints JSON on stdout: --format json (export: -f json given,
    and no -o)."""
    context = get_current_context(silent=True)
    if context is None:
        return False
    chosen = context.params.get("output_format")
    if chosen is None or str(chosen) != "json":
        return False
    if "output" in context.params:  # export: only -f json given, and no -o FILE
        given = context.get_parameter_source("output_format")
        return (
            context.params["output"] is None and given is not None and given.name == "COMMANDLINE"
        )
    return True


def asks_for_json(arguments: list[str]) -> bool:
    """Whether the command line's words ask for JSON on stdout (--format json, -f json,
    --format=json; export's -o FILE writes it to a file): for a usage error found before the
    options were read."""
    words = [word.casefold() for word in arguments]
    words = words[: words.index("--")] if "--" in words else words
    to_file = {"-o", "--output"}.intersection(words) or any(
        word.startswith("--output=") for word in words
    )
    if words[:1] == ["export"] and to_file:
        return False
    return any(
        word in ("--format=json", "-fjson") or (word in ("--format", "-f") and after == "json")
        for word, after in zip(words, [*words[1:], ""], strict=True)
    )


@contextlib.contextmanager
def cli_errors() -> Iterator[None]:
    """Turn the library's 'cannot continue' errors into exit 2 with a plain message."""
    try:
        yield
    except ConfigError as exc:
        fail(str(exc), file=exc.file, key=exc.key)
    except PeriodError as exc:
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
    typer.echo(json_text(data))


def exit_code(findings: Iterable[Finding], strict: bool = False) -> int:
    """1 when a finding blocks the paper (an error, or with --strict a warning), else 0."""
    return EXIT_FINDINGS if has_blocking(findings, strict) else EXIT_OK
