"""perfreport validate: a period's returns, or single return files, checked."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from perfreport.cli.shared import (
    FormatOption,
    OutputFormat,
    ProjectOption,
    QuietOption,
    StrictOption,
    cli_errors,
    exit_code,
    fail,
    open_project,
    parse_period,
    print_json,
)
from perfreport.cli.show import make_console, print_validation, progress_reporter
from perfreport.core.periods import Period, PeriodError, accepted_forms
from perfreport.core.project import ConfigError, Project

if TYPE_CHECKING:  # the library is imported inside the commands, to keep --help fast
    from perfreport.core.model import PeriodRead


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
            help="The period of the FILEs (default: the quarter whose returns folder holds "
            "the file, else the return's Period cell, else its folder's name).",
            show_default=False,
        ),
    ] = None,
    project: ProjectOption = None,
    output_format: FormatOption = OutputFormat.TEXT,
    strict: StrictOption = False,
    quiet: QuietOption = False,
) -> None:
    """Check a period's returns, or single return files, and list what is wrong and where."""
    single = targets[0] if len(targets) == 1 else None
    # One argument that is no file but reads as a period is a period; "Q2 2024/25" has a slash.
    if (
        single is not None
        and not Path(single).exists()
        and (_is_period(single) or not _looks_like_path(single))
    ):
        read = _validate_period(single, period, project)
    else:
        read = _validate_files(targets, period, project)
    if output_format is OutputFormat.JSON:
        from perfreport.core.findings import findings_document

        print_json(findings_document(read.dataset.period, read.findings, read.files))
    else:
        print_validation(make_console(), read.findings, read.files, strict, quiet)
    raise typer.Exit(exit_code(read.findings, strict))


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


def _validate_period(text: str, period: str | None, project: Path | None) -> PeriodRead:
    if period is not None:
        fail(
            "--period is only for FILE arguments; give the period once, e.g. "
            "'perfreport validate Q2-2024'."
        )
    the_period = parse_period(text)
    proj = open_project(project)
    from perfreport.inputs.dataset import read_period

    with cli_errors(), progress_reporter(make_console(stderr=True)) as bar:
        return read_period(proj, the_period, progress=bar)


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
            fail(
                f"there is no file {name}, and it is not a period ({', '.join(accepted_forms())})."
            )
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
