"""A quarter's results: perfreport summary, export and build."""

from __future__ import annotations

import contextlib
import errno
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from perfreport.cli.shared import (
    EXIT_FINDINGS,
    FormatOption,
    OutputFormat,
    PeriodArgument,
    ProjectOption,
    StrictOption,
    cli_errors,
    exit_code,
    fail,
    open_project,
    parse_period,
    print_json,
)
from perfreport.cli.show import make_console, shown
from perfreport.cli.show_results import print_build, print_export_errors, print_summary
from perfreport.core.visible import visible
from perfreport.publish.formats import ExportFormat

if TYPE_CHECKING:  # the library is imported inside the commands, to keep --help fast
    from perfreport.build import BuildResult
    from perfreport.summary.summary import Summary


def _summarise(period: str, project: Path | None) -> Summary:
    the_period = parse_period(period)
    proj = open_project(project)
    from perfreport.build import summarise_period

    with cli_errors():
        return summarise_period(proj, the_period)


def summary(
    period: PeriodArgument,
    project: ProjectOption = None,
    output_format: FormatOption = OutputFormat.TEXT,
) -> None:
    """RAG counts this quarter against last, the movement between them, and the key issues."""
    result = _summarise(period, project)
    if output_format is OutputFormat.JSON:
        from perfreport.publish.export import summary_document

        print_json(summary_document(result))
    else:
        print_summary(make_console(), result)
    raise typer.Exit(exit_code(result.findings))


def export(
    period: PeriodArgument,
    project: ProjectOption = None,
    output_format: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="json, csv or xlsx.", case_sensitive=False),
    ] = ExportFormat.JSON,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            help="The file to write (default: print json or csv; xlsx needs it).",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
) -> None:
    """The rated dataset, one row per indicator, as open data (docs/export.md)."""
    if output_format is ExportFormat.XLSX and output is None:
        fail(f"an xlsx export needs a file: add -o FILE, e.g. -o {parse_period(period).key}.xlsx.")
    result = _summarise(period, project)
    from perfreport.publish.export import csv_text, dataset_document, write_export

    if output is not None:
        try:
            write_export(result, output_format, output)
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror or exc}. Close it in Excel and try again.")
        make_console(stderr=True).print(f"Wrote {shown(str(output))}", soft_wrap=True)
    elif output_format is ExportFormat.JSON:
        print_json(dataset_document(result))
    else:  # bytes, so that the CSV's CRLF line ends reach stdout unchanged on every platform
        typer.echo(_csv_for_stdout(csv_text(result)).encode("utf-8"), nl=False)
    print_export_errors(make_console(stderr=True), result)
    raise typer.Exit(exit_code(result.findings))


def build(
    period: PeriodArgument,
    project: ProjectOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="The folder for the paper and data (default: [paths] build, build/<period>).",
            file_okay=False,
            show_default=False,
        ),
    ] = None,
    template: Annotated[
        Path | None,
        typer.Option(
            "--template",
            help="A Word template of your own (see 'perfreport template export').",
            dir_okay=False,
            show_default=False,
        ),
    ] = None,
    pdf: Annotated[
        bool | None,
        typer.Option(
            "--pdf/--no-pdf",
            help="--pdf: a PDF is required (no LibreOffice is an error). "
            "--no-pdf: write the Word document only. Default: make the PDF when LibreOffice is "
            "installed, else warn.",
            show_default=False,
        ),
    ] = None,
    html: Annotated[
        bool,
        typer.Option(
            "--html/--no-html",
            help="Also write the paper as one accessible web page (.html).",
        ),
    ] = True,
    strict: StrictOption = False,
    wait: Annotated[
        float,
        typer.Option(
            "--wait",
            help="Seconds to wait for another run building the same period (exit 3 if "
            "it is still running).",
            min=0,
        ),
    ] = 0.0,
    output_format: FormatOption = OutputFormat.TEXT,
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            help="Print one line: what was built, or why not (for a scheduled task).",
        ),
    ] = False,
    verbose: Annotated[
        bool,
        typer.Option(
            "--verbose",
            "-v",
            help="List every warning, each unfilled item of the report file on its own line.",
        ),
    ] = False,
) -> None:
    """Build the committee paper: validate, rate, write the .docx, the PDF, the web page and the dataset."""
    the_period = parse_period(period)
    proj = open_project(project)
    from perfreport.build import BuildFailed, BuildResult, BuildStatus, PdfMode, build_paper
    from perfreport.publish.locking import RunLocked

    mode = {None: PdfMode.AUTO, True: PdfMode.REQUIRED, False: PdfMode.OFF}[pdf]

    def not_published(reason: str, status: BuildStatus) -> NoReturn:
        # A scheduled task reading --format json gets the same shape whatever stopped the build,
        # its status saying what did (docs/json.md).
        target = out if out is not None else proj.build_dir(the_period)
        result = BuildResult(
            period=the_period, published=False, out_dir=target, reason=reason, status=status
        )
        if output_format is OutputFormat.JSON:
            print_json(result.to_dict())
        raise typer.Exit(result.exit_code)

    try:
        with cli_errors():
            result = build_paper(
                proj,
                the_period,
                out_dir=out,
                template=template,
                pdf=mode,
                html=html,
                strict=strict,
                wait=wait,
            )
    except RunLocked as exc:
        later = "" if wait else " Try again later, or use --wait SECONDS."  # it says it waited
        make_console(stderr=True).print(f"[bold red]Busy:[/] {shown(str(exc))}{later}")
        not_published(str(exc), BuildStatus.BUSY)
    except BuildFailed as exc:
        make_console(stderr=True).print(f"[bold red]Build failed:[/] {shown(str(exc))}")
        not_published(str(exc), BuildStatus.FAILED)
    except OSError as exc:  # the lock or the build folder cannot be created (read-only folder)
        message = _os_failure(exc, exc.filename or proj.build_dir(the_period))
        make_console(stderr=True).print(f"[bold red]Build failed:[/] {shown(message)}")
        not_published(message, BuildStatus.FAILED)
    try:
        if output_format is OutputFormat.JSON:
            print_json(result.to_dict())
        else:
            # --quiet: stdout has the one line only when the paper was published; why it was
            # not is on stderr, as a failed or busy run's line is (README.md, Running it
            # unattended).
            console = make_console(stderr=quiet and not result.published)
            print_build(console, result, quiet=quiet, verbose=verbose)
        sys.stdout.flush()
    except OSError as exc:  # stdout on a full disk, or closed: the build itself is done
        _unprinted(exc, result)
    raise typer.Exit(result.exit_code)


def _unprinted(exc: OSError, result: BuildResult) -> NoReturn:
    """The build's result could not be written to stdout: one line on stderr saying what was
    built (exit 1), not a traceback and exit 120 after the paper was published."""
    import os

    # What is still buffered for stdout goes nowhere, not to a second error at exit.
    with (
        contextlib.suppress(OSError, ValueError, AttributeError),
        open(os.devnull, "wb") as nowhere,
    ):
        os.dup2(nowhere.fileno(), sys.stdout.fileno())
    done = (
        f"the paper was published in {result.out_dir} (findings.json there lists the findings)"
        if result.published
        else f"nothing was published: {result.reason}"
    )
    with contextlib.suppress(OSError):
        make_console(stderr=True).print(
            f"[bold red]Error:[/] the build's result could not be printed "
            f"({exc.strerror or exc}); {shown(done)}.",
            soft_wrap=True,
        )
    raise typer.Exit(EXIT_FINDINGS)


def _csv_for_stdout(text: str) -> str:
    """The CSV as printed: exact when redirected to a file or a pipe, but on a terminal every
    control and bidi character inside a field is written out (``\\u202e``), so commentary
    cannot reverse, recolour or forge the lines the officer reads."""
    if not sys.stdout.isatty():
        return text
    return "\r\n".join(visible(line) for line in text.split("\r\n"))


# A process the system would not start (a fork or spawn refused): no file is named, and the
# folder is not the cause.
_NO_PROCESS = {errno.EAGAIN, errno.ENOMEM}


def _os_failure(exc: OSError, where: object) -> str:
    """What a build that failed on the system (not on the inputs) says, and what to do."""
    if exc.errno in _NO_PROCESS and exc.filename is None:
        return (
            f"the computer would not start another process "
            f"({exc.strerror or exc}): too many programs are running, or memory is short. "
            "Close some programs and run the build again."
        )
    return (
        f"cannot write in {where} ({exc.strerror or exc}). Check that you can save "
        "files in the project folder, or build elsewhere with --out DIR."
    )
