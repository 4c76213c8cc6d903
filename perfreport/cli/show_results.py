"""The rich renderers of a quarter's results: the summary, the RAG table and the build result."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from perfreport.cli.show import piped, print_findings, shown
from perfreport.cli.streams import fit
from perfreport.core.findings import Finding, Severity, count
from perfreport.core.formatting import plural
from perfreport.core.visible import visible

if TYPE_CHECKING:  # the library is imported inside the commands, to keep --help fast
    from perfreport.build import BuildResult
    from perfreport.summary.summary import Summary

WARNINGS_SHOWN = 10  # after a build; findings.json has them all


def _then_now(before: int | None, now: int) -> str:
    return str(now) if before is None or before == now else f"{before} {fit('→')} {now}"


def rag_table(result: Summary) -> Table:
    """RAG counts per group (as the paper groups them), last quarter → this quarter."""
    before_label, now_label = result.column_labels
    grouping = result.grouping
    table = Table(
        title=fit(f"RAG ratings by {grouping.noun}, {before_label} → {now_label}"),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column(grouping.label, overflow="fold", ratio=1)
    names = (
        ("green", "Green"),
        ("amber", "Amber"),
        ("red", "Red"),
        ("no_data", "No data"),
        ("not_rated", "Not rated"),
    )
    for _, heading in names:
        table.add_column(heading, no_wrap=True, justify="right")
    rows = [(row.group.name, row.previous, row.current) for row in result.by_group]
    rows.append((f"All {grouping.plural}", result.previous_counts, result.counts))
    for number, (name, before, now) in enumerate(rows):
        cells = [
            _then_now(getattr(before, key) if before is not None else None, getattr(now, key))
            for key, _ in names
        ]
        style = "bold" if number == len(rows) - 1 else None
        table.add_row(shown(name), *cells, style=style, end_section=number == len(rows) - 2)
    return table


def print_summary(console: Console, result: Summary) -> None:
    """The headline, the movement, the RAG table, the transitions and the key issues."""
    from rich.padding import Padding

    from perfreport.rating.history import HistorySource
    from perfreport.summary.issues import IssueKind

    console.print(f"[bold]{shown(result.headline)}[/]")
    console.print(fit(visible(result.narrative)), markup=False)
    console.print()
    console.print(rag_table(result))
    moved = [t for t in result.transitions if t.before is not t.after and t.count]
    # With no ratings last quarter (the narrative says so) every rated measure would be "new".
    if result.previous_counts is not None and (
        moved or result.new_measures or result.dropped_measures
    ):
        console.print(f"[bold]Changes since {result.previous_period.label}[/]")
        for t in moved:
            console.print(f"  {shown(t.label)}: {t.count} ({shown(', '.join(t.refs))})")
        # Measures that gained or lost a RAG, in the same form: "No data → Green: 2 (PH-01, ...)".
        for shift in (*result.gained, *result.lost):
            console.print(f"  {shown(shift.label)}: {shift.count} ({shown(', '.join(shift.refs))})")
        console.print()
    if result.key_issues:
        console.print("[bold]Key issues[/]")
        for group in result.key_issues:
            console.print(f"  [bold]{shown(group.group.name)}[/]")
            for kind in IssueKind:
                issues = group.of(kind)
                if issues:
                    console.print(f"    [italic]{shown(kind.heading)}[/]")
                for issue in issues:
                    console.print(
                        Padding(f"- {fit(visible(issue.text))}", (0, 0, 0, 4), expand=False),
                        markup=False,
                    )
        console.print()
    imported = result.imported_from.get(result.previous_period.key, "")
    source = {
        HistorySource.PUBLISHED: "as published (its dataset.json)",
        HistorySource.IMPORTED: f"as imported from {imported} (perfreport history import)",
        # (a dataset.json published but damaged is listed below: "nothing published" was false)
        HistorySource.RECOMPUTED: "rated from its returns (no published dataset.json to use)",
        HistorySource.NONE: "not available (no returns, and no published dataset.json to use)",
    }
    console.print(
        f"{result.previous_period.label} ratings: {shown(source[result.history_source])}.",
        markup=False,
    )
    # What validate (which the line below points to) does not show, as it reads only this
    # quarter's returns and catalogue: what is wrong with the earlier quarters' ratings, then
    # the Red or Amber rows with no actions, each file's as validate shows findings (the
    # earlier quarters' in the summary's order: last quarter's first).
    own = result.own_findings
    about_history = [f for f in own if f.code != "no-actions"]
    if about_history:
        print_findings(console, about_history, (), by_name=False)
    no_actions = [f for f in own if f.code == "no-actions"]
    if no_actions:
        print_findings(console, no_actions, ())
        console.print()
    errors, warnings = (
        count(result.findings, Severity.ERROR) - count(own, Severity.ERROR),
        count(result.findings, Severity.WARNING) - count(own, Severity.WARNING),
    )
    if errors or warnings:
        above = " besides those above" if any(f.severity is not Severity.INFO for f in own) else ""
        console.print(
            f"{result.period.label}: {plural(errors, 'error')}, "
            f"{plural(warnings, 'warning')}{above}. Run 'perfreport validate "
            f"{result.period.key}' to see them.",
            markup=False,
        )


def print_export_errors(console: Console, result: Summary) -> None:
    """After an export: a note when the quarter has errors, as its figures may be wrong."""
    errors = len(result.errors)
    if errors:
        console.print(
            f"{result.period.label} has {plural(errors, 'error')} (in its returns or the "
            "catalogue), so some figures may be missing or wrong. Run 'perfreport validate "
            f"{result.period.key}' to see them.",
            markup=False,
        )


def print_build(
    console: Console, result: BuildResult, *, quiet: bool = False, verbose: bool = False
) -> None:
    """The findings that matter, the headline, and where the files are (quiet: one line).

    The report file's items not filled in are one warning listing them, unless ``verbose``.
    """
    listed = [f for f in result.findings if f.severity is not Severity.INFO]
    if not result.published:
        if listed and not quiet:  # under each file's name, as validate lists them
            print_findings(console, listed, ())
            console.print()
        console.print(f"[bold red]Not built:[/] {shown(result.reason)}", soft_wrap=quiet)
        return
    lines = _warning_lines([f for f in listed if f.severity is Severity.WARNING], verbose)
    if quiet:
        warnings = len(lines)
        console.print(
            f"Built {shown(result.period.label)} in {shown(str(result.out_dir))}: "
            f"{plural(warnings, 'warning')}{' (see findings.json)' if warnings else ''}.",
            soft_wrap=True,
        )
        return
    summary = result.summary
    console.print(f"[bold]{shown(summary.report_title)} {shown(result.period.label)}[/]")
    console.print(shown(summary.headline))
    counts = summary.counts
    console.print(
        f"Green {counts.green}, Amber {counts.amber}, Red {counts.red}, "
        f"No data {counts.no_data}, Not rated {counts.not_rated}"
    )
    if lines:
        console.print(f"[yellow]{plural(len(lines), 'warning')}[/] (see findings.json):")
        for code, text in lines[: len(lines) if verbose else WARNINGS_SHOWN]:
            _print_hanging(console, Text.assemble((code, "yellow"), " ", fit(visible(text))))
        if len(lines) > WARNINGS_SHOWN and not verbose:
            console.print(fit(f"  … and {len(lines) - WARNINGS_SHOWN} more (--verbose lists them)"))
    console.print("Written:")
    for _, path in sorted(result.outputs.items()):
        console.print(f"  {shown(str(path))}", soft_wrap=True)
    for name, path in sorted(result.diverted.items()):
        console.print(
            f"[yellow]{shown(name)} was open in another program, so the new file "
            f"was saved as {shown(str(path))}.[/] Close the old one and rename.",
            soft_wrap=True,
        )
    because = result.removed_because or "does not match the new Word document"
    for path in result.removed:
        again = "without --no-html" if path.suffix == ".html" else "with the PDF"
        console.print(
            f"Removed {shown(str(path))}, from an earlier build: it {shown(because)}. "
            f"Build {again} to make a new one.",
            soft_wrap=True,
        )
    for path in result.stale:
        console.print(
            f"[yellow]{shown(str(path))} is from an earlier build and it {shown(because)}, "
            "but it is open in another program. Close it and delete it, or build again.[/]",
            soft_wrap=True,
        )
    for path in result.kept:
        console.print(
            f"Kept {shown(str(path))}: it was made from this same Word document.",
            soft_wrap=True,
        )
    if result.recovered:
        console.print(
            "An earlier build was stopped while saving its files; its saving was completed "
            "first, then this build's files replaced them.",
            soft_wrap=True,
        )
    if result.pdf == "unavailable":
        console.print(
            "[yellow]No PDF:[/] LibreOffice was not found; the pdf-not-made warning "
            "above says how to get the PDF (docs/pdf.md)."
        )
    elif result.pdf == "failed":
        console.print(
            "[yellow]No PDF:[/] LibreOffice did not make it; the pdf-failed warning above says "
            "what happened (docs/pdf.md)."
        )


def _print_hanging(console: Console, text: Text, first: int = 2, rest: int = 4) -> None:
    """``text`` wrapped to the console's width, its first line indented ``first`` spaces and
    the rest ``rest`` (a hanging indent, so that each item of a list stands out). A warning was
    printed as one line of 250-300 characters, which a terminal folds mid-word at column 80;
    piped, each is still one line, however long (a list of 34 unfilled items runs past
    PIPED_WIDTH)."""
    if piped(console):
        console.print(Text(" " * first) + text, soft_wrap=True)
        return
    for number, line in enumerate(text.wrap(console, max(console.width - rest, 20))):
        line.rstrip()
        console.print(Text(" " * (rest if number else first)) + line, soft_wrap=True)


def _warning_lines(warnings: list[Finding], verbose: bool) -> list[tuple[str, str]]:
    """(code, text) per warning, the report file's unfilled items grouped into one line.

    A project fresh from `init` has every item of its report file empty: one warning each would
    bury the warnings that matter, so they are listed in one (findings.json has each).
    """
    items = [f for f in warnings if f.code == "placeholder" and f.value]
    lines = [
        (f.code, _finding_place(f) + f.message)
        for f in warnings
        if verbose or len(items) < 2 or f not in items
    ]
    if not verbose and len(items) >= 2:
        where = items[0].file or "the report file"
        lines.insert(
            0,
            (
                "placeholder",
                f"{where}: {len(items)} items are not filled in, so the paper shows "
                f'"[To be completed: …]" for them: {", ".join(str(f.value) for f in items)}. '
                f"Fill them in there (see docs/report-file.md), or in the Word document; "
                "--verbose lists each.",
            ),
        )
    return lines


def _finding_place(item: Finding) -> str:
    """``file, sheet Return: `` before a message, leaving out the cell its message names."""
    cell = item.cell if item.cell and not item.message.startswith(f"Cell {item.cell}") else None
    parts = [
        p for p in (item.file, item.sheet and f"sheet {item.sheet}", cell and f"cell {cell}") if p
    ]
    return f"{', '.join(parts)}: " if parts else ""
