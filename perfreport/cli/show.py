"""The rich renderers: the console, progress, findings tables, the chase list, the round's files."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from perfreport.cli.streams import fit
from perfreport.core.filenames import command_argument
from perfreport.core.findings import Finding, Severity, count
from perfreport.core.formatting import plural
from perfreport.core.visible import visible

if TYPE_CHECKING:  # the library is imported inside the commands, to keep --help fast
    from perfreport.core.periods import Period
    from perfreport.core.project import Project
    from perfreport.paper.template import TemplateCheck
    from perfreport.summary.status import ServiceStatus, StatusReport

PROGRESS_FROM = 5  # files; fewer than this and a progress bar is only flicker


def shown(text: str) -> str:
    """A name or value for rich markup: hidden characters written out (``\\x1b``), markup escaped."""
    return escape(fit(visible(text)))


def colour_allowed() -> bool:
    """No colour when NO_COLOR is set (https://no-color.org)."""
    return not os.environ.get("NO_COLOR")


# Piped or redirected output is read by programs and log files, not a screen: a line is never
# wrapped at 80 columns there (a file name folded over four lines cannot be searched for).
PIPED_WIDTH = 1000


def make_console(*, stderr: bool = False) -> Console:
    """A console for stdout (or stderr); rich drops colour by itself when not on a terminal.

    No emoji codes: a name holding ":fire:" is shown as it is, not with an emoji in its place
    (shown() escapes markup, not those), and rich's table of emoji is not imported at each
    command's first print (~0.003-0.009 s at the end of a build)."""
    console = Console(
        stderr=stderr,
        no_color=not colour_allowed(),
        highlight=False,
        soft_wrap=False,
        emoji=False,
    )
    if piped(console):
        console.width = PIPED_WIDTH
    return console


def piped(console: Console) -> bool:
    """Whether ``console`` writes to a pipe or a file, not a terminal: then a line is never
    wrapped (PIPED_WIDTH), whatever COLUMNS says (a shell exports the width of the terminal it
    runs in to the redirected command too; TTY_COMPATIBLE=1 makes a console a terminal)."""
    return not console.is_terminal


@contextlib.contextmanager
def progress_reporter(console: Console) -> Iterator[Callable[[int, int, str], None] | None]:
    """A progress callback for the library: ``(done, total, name)``.

    The bar appears only on a terminal, with colour allowed, once the total reaches PROGRESS_FROM.
    """
    if not console.is_terminal or not colour_allowed():
        yield None
        return
    from rich.progress import Progress

    progress = Progress(console=console, transient=True)
    label = "Reading returns"
    tasks: list = []

    def update(done: int, total: int, name: str) -> None:
        if total < PROGRESS_FROM:
            return
        if not tasks:
            progress.start()
            tasks.append(progress.add_task(label, total=total))
        progress.update(tasks[0], completed=done, total=total, description=shown(name) or label)

    try:
        yield update
    finally:
        if tasks:
            progress.stop()


# -- findings -----------------------------------------------------------------------------------


def summary_line(files: int, findings: Sequence[Finding], strict: bool = False) -> str:
    """``3 files: 2 errors, 5 warnings`` (and infos when there are any)."""
    parts = [
        plural(count(findings, Severity.ERROR), "error"),
        plural(count(findings, Severity.WARNING), "warning"),
    ]
    infos = count(findings, Severity.INFO)
    if infos:
        parts.append(f"{infos:,} info")
    line = f"{plural(files, 'file')}: {', '.join(parts)}"
    return f"{line} (--strict: warnings count as errors)" if strict else line


_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


def findings_table(findings: Sequence[Finding]) -> Table:
    """One file's findings, in the order given (sort_findings: by sheet and cell). The Cell and
    Ref columns are left out of a table where no finding has one (a missing return, a damaged
    dataset.json): on an 80-column console their room goes to the message."""
    sheets = {f.sheet for f in findings if f.sheet}
    places = [_place(f, len(sheets) > 1) for f in findings]
    with_cell, with_ref = any(places), any(f.ref for f in findings)
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, expand=False)
    if with_cell:
        table.add_column("Cell", no_wrap=True)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Code", no_wrap=True)
    if with_ref:
        table.add_column("Ref", no_wrap=True)
    table.add_column("Message", overflow="fold")
    for f, where in zip(findings, places, strict=True):
        cells = [shown(where)] if with_cell else []
        cells += [f"[{_STYLE[f.severity]}]{f.severity.value}[/]", f.code]
        cells += [shown(f.ref or "")] if with_ref else []
        table.add_row(*cells, shown(f.message))
    return table


def _place(finding: Finding, name_sheet: bool) -> str:
    """The finding's cell, with its sheet's name when the table holds several sheets."""
    where = finding.cell or ""
    if name_sheet and finding.sheet:
        where = f"{finding.sheet}!{where}" if where else finding.sheet
    return where


def print_findings(
    console: Console,
    findings: Sequence[Finding],
    files: Sequence[str],
    *,
    by_name: bool = True,
) -> None:
    """A table per file (and one for findings about no file), then a line per clean file.

    The files are in name order, or with ``by_name=False`` in the order of their first findings
    (the summary lists the earlier quarters' datasets the most recent first)."""
    groups: dict[str | None, list[Finding]] = {}
    for f in findings:
        groups.setdefault(f.file, []).append(f)
    ordered = list(groups.items())
    if by_name:
        ordered.sort(key=lambda item: (item[0] is None, item[0] or ""))
    for name, group in ordered:
        console.print()
        sheets = sorted({f.sheet for f in group if f.sheet})
        heading = shown(name) if name else "Across all returns"
        if len(sheets) == 1:  # name the sheet once; several sheets are named in the Cell column
            heading += f", sheet {shown(sheets[0])}"
        console.print(f"[bold]{heading}[/]")
        console.print(findings_table(group))
    clean = [name for name in files if name not in groups]
    if clean:
        console.print()
    for name in clean:
        console.print(f"{shown(name)}: no problems found")


def print_validation(
    console: Console, findings: Sequence[Finding], files: Sequence[str], strict: bool, quiet: bool
) -> None:
    """What validate prints: the findings file by file (unless quiet), then the summary line."""
    if not quiet:
        print_findings(console, findings, files)
        console.print()
    console.print(summary_line(len(files), findings, strict))


# -- the quarterly round: init, returns, status -------------------------------------------------


def print_created(
    console: Console, directory: Path, created: Sequence[Path], period: Period
) -> None:
    """The files of a new project, and what to do next."""
    console.print(f"Created a performance project in {shown(str(directory))}:")
    for path in created:
        name = path.relative_to(directory).as_posix() + ("/" if path.is_dir() else "")
        console.print(f"  {shown(name)}")
    # The commands look for perfreport.toml from the current folder: made elsewhere, the project
    # is gone into first, or 'perfreport returns' says there is no perfreport.toml here.
    try:
        here = Path(directory).resolve() == Path.cwd().resolve()
    except OSError:
        here = False
    folder = str(directory)
    within = "" if here else f"in {folder} (cd {command_argument(folder)}), "
    console.print(
        visible(
            f"Next: {within}set the priorities in perfreport.toml, list your indicators in "
            f"catalogue.xlsx, then run 'perfreport returns {period.key}' to write the "
            "return workbooks for services (docs/quarterly-round.md)."
        ),
        markup=False,
    )


def print_return_forms(
    console: Console, project: Project, period: Period, paths: Sequence[Path]
) -> None:
    """The return workbooks written for services (or why there are none), and what next."""
    if not paths:
        console.print(
            f"No indicators are due in {period.label} for the services chosen, so "
            "no return workbook was written.",
            markup=False,
        )
        return
    folder = paths[0].parent
    console.print(
        f"Wrote {plural(len(paths), 'return workbook')} for {period.label} to {shown(str(folder))}:"
    )
    for path in paths:
        console.print(f"  {shown(path.name)}")
    console.print(
        f"Send each to its service; save the completed ones in "
        f"{visible(project.display(project.returns_dir(period)))}/ and run "
        f"'perfreport status {period.key}'.",
        markup=False,
    )


def print_status(console: Console, report: StatusReport) -> None:
    """The chase list, then its one-line summary."""
    console.print(status_table(report))
    console.print()
    console.print(visible(report.summary), markup=False)


def status_table(report: StatusReport) -> Table:
    """One row per service (and one for files that match no service)."""
    table = Table(
        title=f"Returns for {report.period.label}"
        + (f", deadline {report.deadline.day} {report.deadline:%B %Y}" if report.deadline else ""),
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
            shown(f.name.rsplit("/", 1)[-1])
            + (f" [dim]({f.modified:%Y-%m-%d %H:%M})[/]" if f.modified else "")
            for f in files
        )
        if line is None:
            indicators, errors, warnings = "", report.other_errors, report.other_warnings
        else:
            if not line.received:
                received = "[bold red]outstanding[/]" if line.outstanding else "nothing due"
            if line.lateness:
                received += (
                    f"\n[yellow]{line.lateness}[/]" if line.received else f", {line.lateness}"
                )
            indicators = f"{line.returned} of {line.expected}" if line.expected else ""
            errors, warnings = line.errors, line.warnings
        table.add_row(
            shown(name),
            received,
            indicators,
            f"[bold red]{errors}[/]" if errors else "0",
            f"[yellow]{warnings}[/]" if warnings else "0",
        )
    return table


# -- the Word template --------------------------------------------------------------------------


def print_template_exported(console: Console, path: Path) -> None:
    """Where the copy of the template is, and how to use it."""
    console.print(f"Wrote {shown(str(path))}", soft_wrap=True)  # a path must not wrap
    if path.suffix == ".html":
        console.print(
            "Restyle its style sheet and layout in a text editor (docs/html.md), then set "
            "[paths] html_template in perfreport.toml.",
            markup=False,
        )
        return
    console.print(
        "Restyle it in Word, check it with 'perfreport template check FILE', then set "
        "[paths] template in perfreport.toml or pass --template FILE.",
        markup=False,
    )


def print_template_check(console: Console, check: TemplateCheck) -> None:
    """The fields a template uses, the unknown ones marked, and its problems."""
    console.print(
        f"[bold]{shown(str(check.path))}[/] uses {plural(len(check.fields), 'field')}:",
        soft_wrap=True,
    )
    for name in check.fields:
        mark = "[bold red]unknown[/] " if name in check.unknown else "  "
        console.print(f"  {mark}{shown(name)}")
    for problem in check.problems:
        console.print(f"[bold red]Problem:[/] {shown(problem)}")
    if check.unknown:
        console.print(
            "Unknown fields are not in the paper's context (docs/template.md), so the "
            "build would stop. Correct or remove them in Word.",
            markup=False,
        )
    console.print(
        "The template is ready to use."
        if check.ok
        else f"{plural(len(check.unknown) + len(check.problems), 'problem')} found."
    )
