"""The quarterly round: perfreport init, returns and status."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from perfreport.cli.shared import (
    EXIT_FINDINGS,
    EXIT_OK,
    FormatOption,
    OutputFormat,
    PeriodArgument,
    ProjectOption,
    cli_errors,
    fail,
    open_project,
    parse_period,
    print_json,
)
from perfreport.cli.show import (
    make_console,
    print_created,
    print_return_forms,
    print_status,
    progress_reporter,
)


def init(
    directory: Annotated[
        Path,
        typer.Argument(
            help="The folder for the new project (created if needed).",
            file_okay=False,
            show_default=False,
        ),
    ],
    council: Annotated[
        str | None,
        typer.Option(
            "--council",
            help="The council's name, as the paper's cover shows it.",
            show_default=False,
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="The quarter to start a report file for (default: the latest quarter "
            "that has ended).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Create a new performance project whose settings and catalogue have no mistake."""
    the_period = parse_period(period) if period is not None else None
    from perfreport.forms.scaffold import current_reporting_period, init_project

    the_period = the_period or current_reporting_period()
    options = {"council": council} if council is not None else {}
    with cli_errors():
        try:
            created = init_project(directory, period=the_period, **options)
        except OSError as exc:
            fail(f"cannot create the project in {directory}: {exc.strerror or exc}")
    print_created(make_console(), directory, created, the_period)
    if council is None:
        from perfreport.forms.scaffold import DEFAULT_COUNCIL

        # Loudly, and last, on stderr: a paper must not go to committee as "Example Council".
        make_console(stderr=True).print(
            f"[bold yellow]Warning:[/] no --council was given, so the paper's cover names the "
            f"council '{DEFAULT_COUNCIL}'. Set \\[council] name in perfreport.toml to your "
            "council's name before you build.",
            soft_wrap=True,
        )


def returns(
    period: PeriodArgument,
    service: Annotated[
        list[str] | None,
        typer.Option(
            "--service",
            "-s",
            help="Only this service (repeat for more; default: every service with indicators due).",
            show_default=False,
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="The folder to write to (default: [paths] forms, forms/<period>).",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    project: ProjectOption = None,
) -> None:
    """Write a return workbook for each service to fill in, in the format validate reads."""
    the_period = parse_period(period)
    proj = open_project(project)
    from perfreport.build import return_forms

    with cli_errors():
        try:
            paths = return_forms(proj, the_period, service or None, out)
        except OSError as exc:
            fail(
                f"cannot write the return workbooks: {exc.strerror or exc} "
                f"({exc.filename or ''}). Close them in Excel and try again."
            )
    print_return_forms(make_console(), proj, the_period, paths)


def status(
    period: PeriodArgument,
    project: ProjectOption = None,
    output_format: FormatOption = OutputFormat.TEXT,
    fail_on_missing: Annotated[
        bool,
        typer.Option(
            "--fail-on-missing",
            help="Exit 1 when any return is outstanding (for a scheduled task "
            "that sends reminders).",
        ),
    ] = False,
) -> None:
    """The chase list: which services have sent their return, and in what state."""
    the_period = parse_period(period)
    proj = open_project(project)
    from perfreport.build import period_status

    with cli_errors(), progress_reporter(make_console(stderr=True)) as bar:
        report = period_status(proj, the_period, progress=bar)
    if output_format is OutputFormat.JSON:
        print_json(report.to_dict())
    else:
        print_status(make_console(), report)
    missing = fail_on_missing and bool(report.outstanding)
    raise typer.Exit(EXIT_FINDINGS if missing else EXIT_OK)
