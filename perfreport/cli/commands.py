"""The perfreport command line: thin commands over the library, printed with rich."""

from __future__ import annotations

import contextlib
import enum
import json
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from perfreport import __version__
from perfreport.core.findings import Finding, Severity, count, has_blocking
from perfreport.core.periods import ACCEPTED_FORMS, Period, PeriodError
from perfreport.core.project import ConfigError, Project

if TYPE_CHECKING:  # the library is imported inside the commands, to keep --help fast
    from perfreport.core.model import PeriodRead
    from perfreport.summary.status import ServiceStatus, StatusReport
    from perfreport.summary.summary import Summary

# The pattern for every command: parse the options, call ONE library function inside
# `cli_errors()`, print with rich (or `print_json`), and return through `exit_code`.
# Exit codes: 0 fine, 1 blocking findings, 2 usage or configuration problems.
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
PROGRESS_FROM = 5  # files; fewer than this and a progress bar is only flicker

app = typer.Typer(
    name="perfreport",
    help="Quarterly council performance reports: validate service returns, rate indicators, "
    "build the committee paper.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


class OutputFormat(enum.StrEnum):
    text = "text"
    json = "json"


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


# -- shared helpers for every command ---------------------------------------------------------


def colour_allowed() -> bool:
    """No colour when NO_COLOR is set (https://no-color.org)."""
    return not os.environ.get("NO_COLOR")


def make_console(*, stderr: bool = False) -> Console:
    """A console for stdout (or stderr); rich drops colour by itself when not on a terminal."""
    return Console(stderr=stderr, no_color=not colour_allowed(), highlight=False, soft_wrap=False)


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
    return EXIT_FINDINGS if has_blocking(findings, strict) else EXIT_OK


def _plural(number: int, word: str) -> str:
    return f"{number} {word}{'' if number == 1 else 's'}"


def summary_line(files: int, findings: Sequence[Finding], strict: bool = False) -> str:
    """``3 files: 2 errors, 5 warnings`` (and infos when there are any)."""
    parts = [
        _plural(count(findings, Severity.ERROR), "error"),
        _plural(count(findings, Severity.WARNING), "warning"),
    ]
    infos = count(findings, Severity.INFO)
    if infos:
        parts.append(f"{infos} info")
    line = f"{_plural(files, 'file')}: {', '.join(parts)}"
    return f"{line} (--strict: warnings count as errors)" if strict else line


_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def findings_table(findings: Sequence[Finding]) -> Table:
    """One file's findings, in the order given (sort_findings: by sheet and cell)."""
    sheets = {f.sheet for f in findings if f.sheet}
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=False)
    table.add_column("Cell", no_wrap=True)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Code", no_wrap=True)
    table.add_column("Ref", no_wrap=True)
    table.add_column("Message", overflow="fold")
    for f in findings:
        where = f.cell or ""
        if len(sheets) > 1 and f.sheet:
            where = f"{f.sheet}!{where}" if where else f.sheet
        table.add_row(
            escape(where),
            f"[{_STYLE[f.severity]}]{f.severity.value}[/]",
            f.code,
            escape(f.ref or ""),
            escape(f.message),
        )
    return table


def print_findings(
    console: Console, findings: Sequence[Finding], files: Sequence[str] = ()
) -> None:
    """A table per file (and one for findings about no file), then a line per clean file."""
    groups: dict[str | None, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.file, []).append(f)
    for name, group in sorted(groups.items(), key=lambda item: (item[0] is None, item[0] or "")):
        console.print()
        sheets = sorted({f.sheet for f in group if f.sheet})
        heading = escape(name) if name else "Across all returns"
        if len(sheets) == 1:  # name the sheet once; several sheets are named in the Cell column
            heading += f", sheet {escape(sheets[0])}"
        console.print(f"[bold]{heading}[/]")
        console.print(findings_table(group))
    clean = [name for name in files if name not in groups]
    if clean:
        console.print()
    for name in clean:
        console.print(f"{escape(name)}: no problems found")


@contextlib.contextmanager
def progress_reporter(
    console: Console, label: str = "Reading returns"
) -> Iterator[Callable[[int, int, str], None] | None]:
    """A progress callback for the library: ``(done, total, name)``.

    The bar appears only on a terminal, with colour allowed, once the total reaches PROGRESS_FROM.
    """
    if not console.is_terminal or not colour_allowed():
        yield None
        return
    from rich.progress import Progress

    progress = Progress(console=console, transient=True)
    tasks: list = []

    def update(done: int, total: int, name: str) -> None:
        if total < PROGRESS_FROM:
            return
        if not tasks:
            progress.start()
            tasks.append(progress.add_task(label, total=total))
        progress.update(tasks[0], completed=done, total=total, description=escape(name) or label)

    try:
        yield update
    finally:
        if tasks:
            progress.stop()


def _version(value: bool) -> None:
    if value:
        typer.echo(f"perfreport {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Show the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Quarterly council performance reports from service returns."""


# -- validate ---------------------------------------------------------------------------------


def _is_period(text: str) -> bool:
    try:
        Period.parse(text)
    except PeriodError:
        return False
    return True


def _looks_like_path(text: str) -> bool:
    return (
        "/" in text
        or "\\" in text
        or Path(text).suffix.lower() in {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods", ".csv"}
    )


@app.command()
def validate(
    targets: Annotated[
        list[str],
        typer.Argument(
            metavar="PERIOD|FILE",
            help="A period such as Q2-2024 (checks the catalogue and every "
            "return in its folder, with coverage), or one or more return files.",
            show_default=False,
        ),
    ],
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            help="The period of the FILEs (default: each return's Period cell, else its "
            "folder's name).",
            show_default=False,
        ),
    ] = None,
    project: ProjectOption = None,
    output_format: FormatOption = OutputFormat.text,
    strict: StrictOption = False,
    quiet: QuietOption = False,
) -> None:
    """Check a period's returns, or single return files, and list what is wrong and where."""
    stdout = make_console()
    single = targets[0] if len(targets) == 1 else None
    # One argument that is no file but reads as a period is a period; "Q2 2024/25" has a slash.
    if (
        single is not None
        and not Path(single).exists()
        and (_is_period(single) or not _looks_like_path(single))
    ):
        if period is not None:
            fail(
                "--period is only for FILE arguments; give the period once, e.g. "
                "'perfreport validate Q2-2024'."
            )
        the_period = parse_period(single)
        proj = open_project(project)
        from perfreport.inputs.dataset import read_period

        with cli_errors(), progress_reporter(make_console(stderr=True)) as bar:
            read = read_period(proj, the_period, progress=bar)
    else:
        read = _validate_files(targets, period, project)
    if output_format is OutputFormat.json:
        from perfreport.core.findings import findings_document

        print_json(findings_document(read.dataset.period, read.findings, read.files))
    else:
        if not quiet:
            print_findings(stdout, read.findings, read.files)
            stdout.print()
        stdout.print(summary_line(len(read.files), read.findings, strict))
    raise typer.Exit(exit_code(read.findings, strict))


def _validate_files(names: Sequence[str], period: str | None, project: Path | None) -> PeriodRead:
    paths = [Path(name) for name in names]
    for path, name in zip(paths, names, strict=True):
        if path.is_dir():
            fail(
                f"{name} is a folder. Give the return files, or the period, e.g. "
                "'perfreport validate Q2-2024'."
            )
        if not path.is_file() and _is_period(name):
            fail(
                f"give one period at a time ({name} is one of {len(names)} arguments), or "
                "only files."
            )
        if not path.is_file():
            fail(f"there is no file {name}, and it is not a period ({', '.join(ACCEPTED_FORMS)}).")
    the_period = parse_period(period) if period is not None else None
    proj = _project_for_files(project, paths)
    from perfreport.inputs.dataset import validate_files

    with cli_errors(), progress_reporter(make_console(stderr=True)) as bar:
        return validate_files(proj, paths, the_period, progress=bar)


def _project_for_files(folder: Path | None, paths: Sequence[Path]) -> Project:
    """--project, else the project around the current folder, else around the first file."""
    if folder is not None:
        return open_project(folder)
    from perfreport.core.project import find_project_root

    with cli_errors():
        try:
            root = find_project_root()
        except ConfigError as not_here:
            try:
                root = find_project_root(paths[0].resolve().parent)
            except ConfigError:
                raise not_here from None
    return open_project(root)


# -- template -----------------------------------------------------------------------------------

template_app = typer.Typer(
    help="Copy and check the Word template of the committee paper.", no_args_is_help=True
)
app.add_typer(template_app, name="template")


@template_app.command("export")
def template_export(
    directory: Annotated[
        Path,
        typer.Argument(
            help="The folder to write committee-paper.docx to.", file_okay=False, show_default=False
        ),
    ],
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing copy.")] = False,
) -> None:
    """Write a copy of the default template, to restyle in Word (see docs/template.md)."""
    from perfreport.paper.template import TemplateError, export_template

    try:
        path = export_template(directory, overwrite=force)
    except (TemplateError, OSError) as exc:
        fail(str(exc))
    console = make_console()
    console.print(f"Wrote {escape(str(path))}", soft_wrap=True)  # a path must not wrap
    console.print(
        "Restyle it in Word, check it with 'perfreport template check FILE', then set "
        "[paths] template in perfreport.toml or pass --template FILE.",
        markup=False,
    )


@template_app.command("check")
def template_check(
    file: Annotated[
        Path,
        typer.Argument(help="The .docx template to check.", dir_okay=False, show_default=False),
    ],
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """List the fields a template uses and flag those the paper does not provide."""
    from perfreport.paper.template import TemplateError, check_template

    try:
        check = check_template(file)
    except TemplateError as exc:
        fail(str(exc))
    if output_format is OutputFormat.json:
        print_json(
            {
                "template": str(check.path),
                "ok": check.ok,
                "fields": list(check.fields),
                "unknown": list(check.unknown),
                "problems": list(check.problems),
            }
        )
        raise typer.Exit(EXIT_OK if check.ok else EXIT_FINDINGS)
    console = make_console()
    console.print(
        f"[bold]{escape(str(check.path))}[/] uses {_plural(len(check.fields), 'field')}:",
        soft_wrap=True,
    )
    for name in check.fields:
        mark = "[bold red]unknown[/] " if name in check.unknown else "  "
        console.print(f"  {mark}{escape(name)}")
    for problem in check.problems:
        console.print(f"[bold red]Problem:[/] {escape(problem)}")
    if check.unknown:
        console.print(
            "Unknown fields are not in the paper's context (docs/template.md), so the "
            "build would stop. Correct or remove them in Word.",
            markup=False,
        )
    console.print(
        "The template is ready to use."
        if check.ok
        else f"{_plural(len(check.unknown) + len(check.problems), 'problem')} found."
    )
    raise typer.Exit(EXIT_OK if check.ok else EXIT_FINDINGS)


# -- the quarterly round: init, returns, status ---------------------------------------------------


@app.command()
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
    """Create a new performance project that validates as it stands."""
    the_period = parse_period(period) if period is not None else None
    from perfreport.forms.scaffold import current_reporting_period, init_project

    the_period = the_period or current_reporting_period()
    options = {"council": council} if council is not None else {}
    with cli_errors():
        try:
            created = init_project(directory, period=the_period, **options)
        except OSError as exc:
            fail(f"cannot create the project in {directory}: {exc.strerror or exc}")
    console = make_console()
    console.print(f"Created a performance project in {escape(str(directory))}:")
    for path in created:
        name = path.relative_to(directory).as_posix() + ("/" if path.is_dir() else "")
        console.print(f"  {escape(name)}")
    console.print(
        f"Next: set the priorities in perfreport.toml, list your indicators in "
        f"catalogue.xlsx, then run 'perfreport returns {the_period.key}' to write the "
        "return workbooks for services (docs/quarterly-round.md).",
        markup=False,
    )


@app.command("returns")
def returns_(
    period: Annotated[str, typer.Argument(help="The quarter, e.g. Q2-2024.", show_default=False)],
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
    from perfreport.forms.return_forms import write_return_templates

    with cli_errors():
        try:
            paths = write_return_templates(proj, the_period, service or None, out)
        except OSError as exc:
            fail(
                f"cannot write the return workbooks: {exc.strerror or exc} "
                f"({exc.filename or ''}). Close them in Excel and try again."
            )
    console = make_console()
    if not paths:
        console.print(
            f"No indicators are due in {the_period.label} for the services chosen, so "
            "no return workbook was written.",
            markup=False,
        )
        raise typer.Exit(EXIT_OK)
    folder = paths[0].parent
    console.print(
        f"Wrote {_plural(len(paths), 'return workbook')} for {the_period.label} to "
        f"{escape(str(folder))}:"
    )
    for path in paths:
        console.print(f"  {escape(path.name)}")
    console.print(
        f"Send each to its service; save the completed ones in "
        f"{escape(proj.display(proj.returns_dir(the_period)))}/ and run "
        f"'perfreport status {the_period.key}'.",
        markup=False,
    )


@app.command()
def status(
    period: Annotated[str, typer.Argument(help="The quarter, e.g. Q2-2024.", show_default=False)],
    project: ProjectOption = None,
    output_format: FormatOption = OutputFormat.text,
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
    if output_format is OutputFormat.json:
        print_json(report.to_dict())
    else:
        console = make_console()
        console.print(status_table(report))
        console.print()
        console.print(report.summary, markup=False)
    missing = fail_on_missing and bool(report.outstanding)
    raise typer.Exit(EXIT_FINDINGS if missing else EXIT_OK)


def status_table(report: StatusReport) -> Table:
    """One row per service (and one for files that match no service)."""
    from rich import box

    table = Table(
        title=f"Returns for {report.period.label}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("Service", overflow="fold", ratio=1)
    table.add_column("Return received", overflow="fold", ratio=2)
    for heading in ("Indicators", "Errors", "Warnings"):
        table.add_column(heading, no_wrap=True, justify="right")
    rows: list[tuple[str, tuple, ServiceStatus | None]] = [
        (s.service, s.files, s) for s in report.services
    ]
    if report.other_files:
        rows.append(("(no service)", report.other_files, None))
    for name, files, line in rows:
        received = "\n".join(
            escape(f.name.rsplit("/", 1)[-1])
            + (f" [dim]({f.modified:%Y-%m-%d %H:%M})[/]" if f.modified else "")
            for f in files
        )
        if line is None:
            indicators, errors, warnings = "", report.other_errors, report.other_warnings
        else:
            if not line.received:
                received = "[bold red]outstanding[/]" if line.outstanding else "nothing due"
            indicators = f"{line.returned} of {line.expected}" if line.expected else ""
            errors, warnings = line.errors, line.warnings
        table.add_row(
            escape(name),
            received,
            indicators,
            f"[bold red]{errors}[/]" if errors else "0",
            f"[yellow]{warnings}[/]" if warnings else "0",
        )
    return table


# -- summary and export -------------------------------------------------------------------------


def _summarise(period: str, project: Path | None) -> Summary:
    the_period = parse_period(period)
    proj = open_project(project)
    from perfreport.build import summarise_period

    with cli_errors():
        return summarise_period(proj, the_period)


@app.command()
def summary(
    period: Annotated[str, typer.Argument(help="The quarter, e.g. Q2-2024.", show_default=False)],
    project: ProjectOption = None,
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """RAG counts this quarter against last, the movement between them, and the key issues."""
    result = _summarise(period, project)
    if output_format is OutputFormat.json:
        from perfreport.publish.export import summary_document

        print_json(summary_document(result))
    else:
        print_summary(make_console(), result)
    raise typer.Exit(exit_code(result.findings))


class ExportFormat(enum.StrEnum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


@app.command()
def export(
    period: Annotated[str, typer.Argument(help="The quarter, e.g. Q2-2024.", show_default=False)],
    project: ProjectOption = None,
    output_format: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="json, csv or xlsx.", case_sensitive=False),
    ] = ExportFormat.json,
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
    if output_format is ExportFormat.xlsx and output is None:
        fail("an xlsx export needs a file: add -o FILE, e.g. -o Q2-2024.xlsx.")
    result = _summarise(period, project)
    from perfreport.publish.export import csv_text, dataset_document, write_export

    if output is not None:
        try:
            write_export(result, output_format.value, output)
        except OSError as exc:
            fail(f"cannot write {output}: {exc.strerror or exc}. Close it in Excel and try again.")
        make_console(stderr=True).print(f"Wrote {escape(str(output))}", soft_wrap=True)
    elif output_format is ExportFormat.json:
        print_json(dataset_document(result))
    else:  # bytes, so that the CSV's CRLF line ends reach stdout unchanged on every platform
        typer.echo(csv_text(result).encode("utf-8"), nl=False)
    errors = len(result.errors)
    if errors:
        make_console(stderr=True).print(
            f"{result.period.label} has {_plural(errors, 'error')} (in its returns or the "
            "catalogue), so some figures may be missing or wrong. Run 'perfreport validate "
            f"{result.period.key}' to see them.",
            markup=False,
        )
    raise typer.Exit(exit_code(result.findings))


def _then_now(before: int | None, now: int) -> str:
    return str(now) if before is None or before == now else f"{before} → {now}"


def rag_table(result: Summary) -> Table:
    """RAG counts per priority, last quarter → this quarter."""
    before_label, now_label = result.column_labels
    table = Table(
        title=f"RAG ratings by priority, {before_label} → {now_label}",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("Priority", overflow="fold", ratio=1)
    names = (
        ("green", "Green"),
        ("amber", "Amber"),
        ("red", "Red"),
        ("no_data", "No data"),
        ("not_rated", "Not rated"),
    )
    for _, heading in names:
        table.add_column(heading, no_wrap=True, justify="right")
    rows = [(row.priority.name, row.previous, row.current) for row in result.by_priority]
    rows.append(("All priorities", result.previous_counts, result.counts))
    for number, (name, before, now) in enumerate(rows):
        cells = [
            _then_now(getattr(before, key) if before is not None else None, getattr(now, key))
            for key, _ in names
        ]
        style = "bold" if number == len(rows) - 1 else None
        table.add_row(escape(name), *cells, style=style, end_section=number == len(rows) - 2)
    return table


def print_summary(console: Console, result: Summary) -> None:
    """The headline, the movement, the RAG table, the transitions and the key issues."""
    from rich.padding import Padding

    from perfreport.summary.summary import IssueKind

    console.print(f"[bold]{escape(result.headline)}[/]")
    console.print(result.narrative, markup=False)
    console.print()
    console.print(rag_table(result))
    moved = [t for t in result.transitions if t.before is not t.after and t.count]
    # With no ratings last quarter (the narrative says so) every rated measure would be "new".
    if result.previous_counts is not None and (
        moved or result.new_measures or result.dropped_measures
    ):
        console.print(f"[bold]Changes since {result.previous_period.label}[/]")
        for t in moved:
            console.print(f"  {t.label}: {t.count} ({escape(', '.join(t.refs))})")
        if result.new_measures:
            refs = ", ".join(
                f"{r.ref} ({r.previous_text if r.previous else 'not listed'} before)"
                for r in result.new_measures
            )
            console.print(f"  New this quarter: {len(result.new_measures)}: {escape(refs)}")
        if result.dropped_measures:
            refs = ", ".join(
                f"{r.ref} (now {row.rag_text})"
                if (row := result.row(r.ref))
                else f"{r.ref} (no longer in the catalogue)"
                for r in result.dropped_measures
            )
            console.print(f"  No longer reported: {len(result.dropped_measures)}: {escape(refs)}")
        console.print()
    if result.key_issues:
        console.print("[bold]Key issues[/]")
        for group in result.key_issues:
            console.print(f"  [bold]{escape(group.priority.name)}[/]")
            for kind in IssueKind:
                issues = group.of(kind)
                if issues:
                    console.print(f"    [italic]{escape(kind.heading)}[/]")
                for issue in issues:
                    console.print(Padding(f"- {issue.text}", (0, 0, 0, 4)), markup=False)
        console.print()
    source = {
        "published": "as published (its dataset.json)",
        "recomputed": "rated from its returns (nothing published)",
        "none": "not available (no returns and nothing published)",
    }
    console.print(
        f"{result.previous_period.label} ratings: {source[result.history_source.value]}.",
        markup=False,
    )
    differing = [f for f in result.findings if f.code == "published-rating-differs"]
    if differing:
        console.print(findings_table(differing))
    errors, warnings = (
        count(result.findings, Severity.ERROR),
        count(result.findings, Severity.WARNING),
    )
    if errors or warnings:
        console.print(
            f"{result.period.label}: {_plural(errors, 'error')}, "
            f"{_plural(warnings, 'warning')}. Run 'perfreport validate "
            f"{result.period.key}' to see them.",
            markup=False,
        )


# -- build ------------------------------------------------------------------------------------

EXIT_LOCKED = 3  # another run is building the same project and period


@app.command()
def build(
    period: Annotated[str, typer.Argument(help="The quarter, e.g. Q2-2024.", show_default=False)],
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
    output_format: FormatOption = OutputFormat.text,
) -> None:
    """Build the committee paper: validate, rate, write the .docx, the PDF and the dataset."""
    the_period = parse_period(period)
    proj = open_project(project)
    from perfreport.build import BuildFailed, BuildResult, PdfMode, build_paper
    from perfreport.publish.locking import RunLocked

    mode = {None: PdfMode.AUTO, True: PdfMode.REQUIRED, False: PdfMode.OFF}[pdf]
    console = make_console()

    def not_published(reason: str, code: int) -> NoReturn:
        # A scheduled task reading --format json gets the same shape whatever stopped the build.
        if output_format is OutputFormat.json:
            target = out if out is not None else proj.build_dir(the_period)
            print_json(
                BuildResult(
                    period=the_period, published=False, out_dir=target, reason=reason
                ).to_dict()
            )
        raise typer.Exit(code)

    try:
        with cli_errors():
            result = build_paper(
                proj, the_period, out_dir=out, template=template, pdf=mode, strict=strict, wait=wait
            )
    except RunLocked as exc:
        make_console(stderr=True).print(
            f"[bold red]Busy:[/] {escape(str(exc))} Try again later, or use --wait SECONDS."
        )
        not_published(str(exc), EXIT_LOCKED)
    except BuildFailed as exc:
        make_console(stderr=True).print(f"[bold red]Build failed:[/] {escape(str(exc))}")
        not_published(str(exc), EXIT_FINDINGS)
    except OSError as exc:  # the lock or the build folder cannot be created (read-only folder)
        where = exc.filename or proj.build_dir(the_period)
        message = (
            f"cannot write in {where} ({exc.strerror or exc}). Check that you can save "
            "files in the project folder, or build elsewhere with --out DIR."
        )
        make_console(stderr=True).print(f"[bold red]Build failed:[/] {escape(message)}")
        not_published(message, EXIT_FINDINGS)
    if output_format is OutputFormat.json:
        print_json(result.to_dict())
    else:
        print_build(console, result, strict)
    raise typer.Exit(EXIT_OK if result.published else EXIT_FINDINGS)


def print_build(console: Console, result: object, strict: bool) -> None:
    """The findings that matter, the headline, and where the files are."""
    shown = [f for f in result.findings if f.severity is not Severity.INFO]
    if not result.published:
        if shown:
            console.print(findings_table(shown))
        console.print(f"[bold red]Not built:[/] {escape(result.reason)}")
        return
    summary = result.summary
    console.print(f"[bold]{escape(summary.report_title)} {escape(result.period.label)}[/]")
    console.print(escape(summary.headline), soft_wrap=True)
    counts = summary.counts
    console.print(
        f"Green {counts.green}, Amber {counts.amber}, Red {counts.red}, "
        f"No data {counts.no_data}, Not rated {counts.not_rated}"
    )
    warnings = [f for f in shown if f.severity is Severity.WARNING]
    if warnings:
        console.print(f"[yellow]{_plural(len(warnings), 'warning')}[/] (see findings.json):")
        for item in warnings[:10]:
            where = _finding_place(item)
            console.print(
                f"  [yellow]{item.code}[/] {escape(where + item.message)}", soft_wrap=True
            )
        if len(warnings) > 10:
            console.print(f"  … and {len(warnings) - 10} more")
    console.print("Written:")
    for _, path in sorted(result.outputs.items()):
        console.print(f"  {escape(str(path))}", soft_wrap=True)
    for name, path in sorted(result.diverted.items()):
        console.print(
            f"[yellow]{escape(name)} was open in another program, so the new file "
            f"was saved as {escape(str(path))}.[/] Close the old one and rename.",
            soft_wrap=True,
        )
    for path in result.removed:
        console.print(
            f"Removed {escape(str(path))}: it was made by an earlier build and no "
            "longer matches the Word document.",
            soft_wrap=True,
        )
    for path in result.stale:
        console.print(
            f"[yellow]{escape(str(path))} is from an earlier build and does not match "
            "the new Word document, but it is open in another program. Close it and "
            "delete it, or build again.[/]",
            soft_wrap=True,
        )
    if result.pdf == "unavailable":
        console.print(
            "[yellow]No PDF:[/] LibreOffice was not found; the pdf-not-made warning "
            "above says how to get the PDF (docs/pdf.md)."
        )


def _finding_place(item: Finding) -> str:
    """``file, sheet Return: `` before a message, leaving out the cell its message names."""
    cell = item.cell if item.cell and not item.message.startswith(f"Cell {item.cell}") else None
    parts = [
        p for p in (item.file, item.sheet and f"sheet {item.sheet}", cell and f"cell {cell}") if p
    ]
    return f"{', '.join(parts)}: " if parts else ""


def main() -> None:
    """The console script's entry point."""
    app()
