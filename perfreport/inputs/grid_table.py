"""A table of rows under a heading row, as the history and benchmarks files hold one."""

from __future__ import annotations

from collections.abc import Mapping

from perfreport.core.codes import finding
from perfreport.core.findings import Finding
from perfreport.core.project import normalise_heading
from perfreport.xlsx.workbook import SheetCell

Grid = list[tuple[int, dict[int, SheetCell]]]  # (row number, {column number: cell}), 1-based
HEADINGS_WITHIN = 30  # the heading row is looked for in the first rows, as in a return


def find_headings(
    grid: Grid, columns: Mapping[str, tuple[str, ...]]
) -> tuple[int | None, dict[str, int]]:
    """The index in ``grid`` of the first row (within HEADINGS_WITHIN) with a Ref heading, and
    the column number of each heading found in it (the first of each name); (None, {}) if none."""
    aliases = {alias: name for name, names in columns.items() for alias in names}
    for index, (_, cells) in enumerate(grid[:HEADINGS_WITHIN]):
        found: dict[str, int] = {}
        for column, cell in sorted(cells.items()):
            name = aliases.get(normalise_heading(cell.value))
            if name is not None and name not in found:
                found[name] = column
        if "ref" in found:
            return index, found
    return None, {}


class TableReader:
    """Reads one file's tables, collecting its findings, each naming the file and sheet."""

    def __init__(self, display: str, sheet: str | None):
        self.display = display
        self.sheet = sheet
        self.findings: list[Finding] = []

    def add(
        self,
        code: str,
        cell: str | None = None,
        ref: str | None = None,
        value: object = None,
        **fields: object,
    ) -> None:
        self.findings.append(
            finding(
                code, file=self.display, sheet=self.sheet, cell=cell, ref=ref, value=value, **fields
            )
        )
