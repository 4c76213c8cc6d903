"""perfreport history import: past figures, kept as the published history of their quarters."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape

from perfreport.cli.shared import (
    EXIT_LOCKED,
    FormatOption,
    OutputFormat,
    ProjectOption,
    cli_errors,
    exit_code,
    fail,
    open_project,
    print_json,
)
from perfreport.cli.show import make_console, print_findings, shown
from perfreport.core.formatting import join_words, plural

if TYPE_CHECKING:  # the library is imported inside the command, to keep --help fast
    from rich.console import Console

    from perfreport.publish.history_store import HistoryImport


def history_import(
    file: Annotated[
        Path,
        typer.Argument(
            help="A workbook (.xlsx) or CSV of past figures: one row per indicator and period, "
            "with the columns Ref, Period and Value, and optionally Target, RAG and Commentary.",
            dir_okay=False,
            show_default=False,
        ),
    ],
    replace: Annotated[
        bool,
        typer.Option(
            "--replace",
            help="Replace quarters that perfreport built and published with the imported "
            "figures (each one is named).",
        ),
    ] = False,
    project: ProjectOption = None,
    output_format: FormatOption = OutputFormat.TEXT,
    wait: Annotated[
        float,
        typer.Option(
            "--wait",
            help="Seconds to wait for a build of one of the file's quarters (exit 3 if it is "
            "still running).",
            min=0,
        ),
    ] = 0.0,
) -> None:
    """Import past figures as the published history of their quarters, for trends and last year."""
    if not file.is_file():
        fail(f"there is no file {file}. Give the workbook or CSV of past figures.")
    proj = open_project(project)
    from perfreport.build import import_history
    from perfreport.publish.locking import RunLocked

    with cli_errors():
        try:
            result = import_history(proj, file, replace=replace, wait=wait)
        except RunLocked as exc:  # a build of one of its quarters: as a second build is told
            later = "" if wait else " Try again later, or use --wait SECONDS."
            make_console(stderr=True).print(
                f"[bold red]Busy:[/] {shown(str(exc))} Nothing was imported.{later}"
            )
            raise typer.Exit(EXIT_LOCKED) from None
        except OSError as exc:
            fail(
                f"cannot write the imported figures: {exc.strerror or exc} ({exc.filename or ''})."
            )
    if output_format is OutputFormat.JSON:
        print_json(result.to_dict())
    else:
        print_history_import(make_console(), result)
    raise typer.Exit(exit_code(result.findings))


def print_history_import(console: Console, result: HistoryImport) -> None:
    """The findings, then what was stored (or why nothing was)."""
    if result.findings:
        print_findings(console, result.findings, [result.file])
        console.print()
    if not result.stored:
        console.print(
            f"[bold red]Nothing was imported[/] from {escape(result.file)}: fix the errors above "
            "and import it again."
        )
        return
    labels = [p.label for p in result.quarters]
    span = f"{labels[0]} to {labels[-1]}" if len(labels) > 1 else labels[0]
    console.print(
        f"Imported {plural(result.figures, 'figure')} for {plural(len(labels), 'quarter')} "
        f"({escape(span)}) from {escape(result.file)}."
    )
    if result.replaced:
        console.print(
            "Replaced what perfreport had published for "
            f"{escape(join_words([p.label for p in result.replaced]))} (the build's dataset.json "
            "is kept as dataset.replaced.json)."
        )
    if result.updated:
        console.print(f"Imported again: {escape(join_words([p.label for p in result.updated]))}.")
