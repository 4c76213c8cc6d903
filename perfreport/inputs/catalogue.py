"""The indicator catalogue: catalogue.xlsx or catalogue.csv read into Indicators and year targets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from perfreport.core.findings import Finding, sort_findings
from perfreport.core.model import Catalogue
from perfreport.core.project import LimitSettings, Project
from perfreport.inputs.catalogue_rows import CatalogueError, CatalogueParser
from perfreport.inputs.targets import read_targets
from perfreport.xlsx.sheets import Table, is_blank, read_csv_table

INDICATORS_SHEET = "Indicators"
TARGETS_SHEET = "Targets"
MAX_CATALOGUE_ROWS = LimitSettings().max_catalogue_rows  # the default of [limits]
TARGETS_CSV = "targets.csv"  # beside a catalogue.csv, the CSV form of the Targets sheet


def load_catalogue(project: Project) -> tuple[Catalogue, tuple[Finding, ...]]:
    """Read the project's catalogue; row problems are findings, an unreadable file raises."""
    path = project.catalogue_path
    display = project.display(path)
    if not path.is_file():
        raise CatalogueError(
            "the indicator catalogue was not found. Create it (one row per indicator, see "
            "docs/catalogue.md) or point [paths] catalogue in perfreport.toml at it.",
            display,
        )
    refuse_two_catalogues(project, path, display)
    if path.suffix.lower() == ".csv":
        main, targets, findings = _read_csv(path, display)
    else:
        main, targets, findings = _read_workbook(project, path, display)
    _not_too_large(main, display, project.limits.max_catalogue_rows)
    parser = CatalogueParser(project, display)
    parser.findings.extend(findings)
    indicators = parser.indicators(main)
    years = read_targets(parser, targets, indicators) if targets is not None else ()
    final = parser.settle(indicators, years)
    catalogue = Catalogue(indicators=final, targets=years, path=path)
    return catalogue, sort_findings(parser.findings)


def _not_too_large(main: Table, display: str, limit: int) -> None:
    """A catalogue of 100,000 rows took 90 s and 2.8 GB to build: refused, with the limit."""
    rows = sum(1 for row in main.rows if any(not is_blank(c.value) for c in row.cells))
    if rows > limit + 1:  # the heading row
        raise CatalogueError(
            f"has {rows - 1:,} rows of indicators; perfreport reads at most "
            f"{limit:,} ([limits] max_catalogue_rows, docs/security.md). Check for rows pasted by mistake below "
            "the table, or split the catalogue between projects.",
            display,
        )


def _not_beyond_the_cell_limit(
    worksheet: Any, name: str, display: str, limits: LimitSettings
) -> None:
    """A sheet too large to read is refused before it is read, as a return's would be, but in
    the catalogue's words: its officer maintains it, and the limit that matters is the rows'."""
    rows, columns = worksheet.max_row or 0, worksheet.max_column or 0
    if rows * columns <= limits.max_sheet_cells:
        return
    raise CatalogueError(
        f"the '{name}' sheet reaches row {rows:,} ({columns:,} columns), more than a catalogue "
        f"can hold: perfreport reads at most {limits.max_catalogue_rows:,} indicators and "
        f"{limits.max_sheet_cells:,} cells a sheet (docs/security.md). Delete rows pasted by "
        "mistake below the table and stray cells far from it, save, and run the command again.",
        display,
    )


def refuse_two_catalogues(project: Project, path: Path, display: str) -> None:
    """catalogue.xlsx and catalogue.csv side by side: only one would be read, and a target changed
    in the other would silently have no effect, so neither is used until one is removed."""
    other_suffix = {".xlsx": ".csv", ".csv": ".xlsx"}.get(path.suffix.lower())
    other = path.with_suffix(other_suffix) if other_suffix else None
    if other is None or not other.is_file():
        return
    raise CatalogueError(
        f"there are two indicator catalogues, {display} and {project.display(other)}, and only "
        f"{path.name} would be read. Keep the one you maintain and delete or rename the other "
        f"(for example to {other.stem}-old{other.suffix}).",
        display,
    )


def _read_csv(path: Path, display: str) -> tuple[Table, Table | None, list[Finding]]:
    try:
        main = read_csv_table(path.read_bytes())
        targets_path = path.with_name(TARGETS_CSV)
        targets = read_csv_table(targets_path.read_bytes()) if targets_path.is_file() else None
    except OSError as exc:
        raise CatalogueError(
            f"cannot be read ({exc.strerror or exc}). Close it in other "
            "programs and check it is not a cloud placeholder.",
            display,
        ) from None
    return main, targets, []


def _read_workbook(
    project: Project, path: Path, display: str
) -> tuple[Table, Table | None, list[Finding]]:
    from perfreport.xlsx.table_plain import read_large_table
    from perfreport.xlsx.workbook import open_workbook

    workbook, found = open_workbook(path, display, project.limits)
    if workbook is None:
        reasons = " ".join(f.message for f in found if f.severity == "error")
        raise CatalogueError(f"the indicator catalogue cannot be read. {reasons}".strip(), display)
    try:
        names = [sheet.title for sheet in workbook.worksheets]  # not chartsheets
        by_name = {name.strip().casefold(): name for name in names}
        main = by_name.get(INDICATORS_SHEET.casefold()) or next(
            (n for n in names if n.strip().casefold() != TARGETS_SHEET.casefold()), None
        )
        if main is None:
            raise CatalogueError(
                f"has no '{INDICATORS_SHEET}' sheet. Put one row per indicator "
                f"on a sheet named {INDICATORS_SHEET}.",
                display,
            )
        tables: list[Table | None] = []
        for name in (main, by_name.get(TARGETS_SHEET.casefold())):
            if name is None:
                tables.append(None)
                continue
            _not_beyond_the_cell_limit(workbook[name], name, display, project.limits)
            table, problems = read_large_table(workbook, name, display, project.limits)
            if table is None:
                reasons = " ".join(f.message for f in problems)
                raise CatalogueError(f"the indicator catalogue cannot be read. {reasons}", display)
            found.extend(problems)
            tables.append(table)
    finally:
        workbook.close()
    return tables[0], tables[1], list(found)
