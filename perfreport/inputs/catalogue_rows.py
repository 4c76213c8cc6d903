"""The catalogue's rows read into indicators, with a finding for each cell that cannot be used."""

from __future__ import annotations

from typing import Any

from perfreport.core.codes_catalogue import ADVICE_UNIQUE_REF, SKIPPED
from perfreport.core.model import Indicator, Polarity, YearTarget
from perfreport.core.paper_settings import GroupBy
from perfreport.core.project import ConfigError, Project, normalise_heading
from perfreport.inputs.catalogue_cells import SETTINGS, CatalogueCells, Getter
from perfreport.inputs.catalogue_fields import (
    COLUMNS,
    REQUIRED,
    UNITS,
    cell_text,
)
from perfreport.xlsx.sheets import Cell, Row, Table, a1, column_letter, find_heading_row, is_blank

_NO_CELL = Cell(None)


def _letters(columns: dict[str, int]) -> dict[str, str]:
    return {name: column_letter(column) for name, column in columns.items()}


def _unit(value: object) -> str:
    """The unit as written, its usual spellings tidied ('Percent' -> '%'); 'number' when blank."""
    text = cell_text(value)
    return UNITS.get(text.casefold().rstrip("."), text) if text else "number"


class CatalogueError(ConfigError):
    """The catalogue cannot be read at all (missing, not a workbook, required columns missing)."""


class CatalogueParser(CatalogueCells):
    """Turns the catalogue's tables into Indicators, collecting findings as it goes."""

    def __init__(self, project: Project, display: str):
        super().__init__(project, display)
        self.main_sheet: str | None = None
        self.rated_at: dict[str, str] = {}  # ref -> the cell of its Rated value, for later findings
        self.unsure_polarity: set[str] = set()  # refs whose polarity is blank or unreadable
        self.letters: tuple = (0, None, {})  # _indicator's: (0, columns, their letters)
        # Each distinct text of the rows, tidied (cell_text) once, and one string for each tidy
        # text. Why: a catalogue repeats its services', officers' and sources' names in
        # thousands of rows, and each tidied afresh was a string of its own in every indicator:
        # the catalogue pickled for the cache and the reading workers held ~23,000 more strings
        # at 100x, each made again by each worker.
        self.tidy: dict[str, str] = {}

    def columns(
        self, table: Table, spec: dict[str, tuple[str, ...]], required: tuple[str, ...]
    ) -> tuple[int, dict[str, int], tuple[str, ...]] | None:
        """(heading row index, column of each field, missing required fields) or None."""
        aliases = {alias: name for name, names in spec.items() for alias in names}
        index = find_heading_row(table, spec["ref"])
        if index is None:
            return None
        row = table.rows[index]
        found: dict[str, int] = {}
        for column, cell in enumerate(row.cells):
            if is_blank(cell.value):
                continue
            where = a1(column, row.number)
            name = aliases.get(normalise_heading(cell.value))
            if name is None:
                self.add(
                    "catalogue-unknown-column", where, value=cell.value, text=cell_text(cell.value)
                )
            elif name in found:
                self.add(
                    "catalogue-duplicate-column",
                    where,
                    value=cell.value,
                    text=cell_text(cell.value),
                    name=name.replace("_", " "),
                )
            else:
                found[name] = column
        missing = tuple(name for name in required if name not in found)
        return index, found, missing

    def indicators(self, table: Table) -> list[dict]:
        self.sheet = self.main_sheet = table.sheet
        by_directorate = self.project.paper.group_by is GroupBy.DIRECTORATE
        required = (*REQUIRED, "directorate") if by_directorate else REQUIRED
        layout = self.columns(table, COLUMNS, required)
        if layout is None or layout[2]:
            missing = layout[2] if layout else required
            names = ", ".join(name.replace("_", " ").capitalize() for name in missing)
            sheet = f" (sheet {table.sheet})" if table.sheet else ""
            needed = (
                "Ref, Title, Priority, Service, Polarity and Directorate (the paper is grouped "
                "by directorate)"
                if by_directorate
                else "Ref, Title, Priority, Service and Polarity"
            )
            raise CatalogueError(
                f"the required column(s) {names} are missing{sheet}. The first row of headings "
                f"must include {needed}.",
                self.display,
            )
        heading, columns, _ = layout
        rows: list[dict] = []
        seen: dict[str, int] = {}
        for row in table.rows[heading + 1 :]:
            if row.is_blank:
                continue
            parsed = self._indicator(row, columns, seen)
            if parsed is not None:
                rows.append(parsed)
        if not rows:
            self.add("catalogue-empty")
        return rows

    def cell(self, row: Row, columns: dict[str, int], name: str) -> tuple[Cell, str]:
        column = columns.get(name)
        return row.get(column), a1(column if column is not None else 0, row.number)

    def _indicator(self, row: Row, columns: dict[str, int], seen: dict[str, int]) -> dict | None:
        # self.cell inlined (26 cells an indicator), with each column's letters made once
        letters = self.letters if self.letters[1] is columns else (0, columns, _letters(columns))
        found, count, line = row.cells, len(row.cells), str(row.number)
        self.letters = letters

        def cell(name: str) -> tuple[Cell, str]:
            column = columns.get(name)
            value = found[column] if column is not None and column < count else _NO_CELL
            return value, letters[2].get(name, "A") + line

        tidy = self.tidy

        def text(name: str) -> str:  # cell_text of the column's cell, without its place
            column = columns.get(name)
            value = found[column].value if column is not None and column < count else None
            known = tidy.get(value) if value.__class__ is str else None
            if known is None:
                # A tidy text is its own: one string for every cell that tidies to it
                tidied = cell_text(value)
                known = tidy.setdefault(tidied, tidied)
                if value.__class__ is str:
                    tidy[value] = known
            return known

        ref_cell, ref_at = cell("ref")
        ref = cell_text(ref_cell.value)
        if not ref:
            self.add(
                "catalogue-missing-value",
                ref_at,
                subject="this row",
                label="ref",
                effect=SKIPPED,
                advice=ADVICE_UNIQUE_REF,
            )
            return None
        key = ref.casefold()
        if key in seen:
            self.add("catalogue-duplicate-ref", ref_at, ref, ref, row=seen[key])
            return None
        seen[key] = row.number
        title = text("title") or self.required(cell, "title", ref)
        service = text("service") or self.required(cell, "service", ref)
        if self.project.glossary:
            self._abbreviations(title, cell("title")[1], ref)
        settings = self._settings(found, columns, cell, ref)
        polarity, unit = settings["polarity"], settings["unit"]
        if polarity is None:
            self.unsure_polarity.add(ref)
            polarity = settings["polarity"] = Polarity.NONE
        self.rated_at[ref] = letters[2].get("rated", "A") + line
        target, amber = (
            self._amount(cell, "target", ref, unit),
            self._amount(cell, "amber", ref, unit),
        )
        if target is not None and amber is not None:
            self.check_amber(ref, polarity, target, amber, cell("amber")[1])
        definition = text("definition")
        if not definition and "definition" in columns:
            self._definition(cell("definition"), ref, True)
        settings.update(
            ref=ref,
            title=title,
            service=service,
            target=target,
            amber=amber,
            lead_officer=text("lead_officer"),
            definition=definition,
            source=text("source"),
            row=row.number,
        )
        return settings

    def _amount(self, cell: Getter, name: str, ref: str, unit: str) -> float | None:
        value_cell, at = cell(name)
        return (
            None if value_cell.value is None else self.read_number(value_cell, at, ref, name, unit)
        )

    def _settings(
        self, found: tuple[Cell, ...], columns: dict[str, int], cell: Getter, ref: str
    ) -> dict[str, Any]:
        """A row's settings (CatalogueCells.read_settings), read once for each combination of the values in
        their columns that gives no finding.

        Why: a catalogue repeats a few priorities, polarities, units, frequencies and
        directorates in thousands of rows, and reading them cell by cell was most of the time
        spent on its rows. Settings that gave no finding depend on nothing but the values (and
        their types: 1, 1.0 and True are equal keys but not equal cells), so every row with the
        same values has the same settings. A row whose settings give a finding (which names
        its own cell and ref) is read afresh, so each such row has its findings as before."""
        if not self.remember:
            return self.read_settings(cell, ref)
        if self._setting_columns[0] is not columns:
            self._setting_columns = (columns, tuple(columns.get(name) for name in SETTINGS))
        count = len(found)
        values = tuple(
            [
                found[c].value if c is not None and c < count else None
                for c in self._setting_columns[1]
            ]
        )
        key = (values, tuple([value.__class__ for value in values]))
        try:
            known = self._known.get(key)
        except TypeError:  # a value that cannot be a key: read every time
            return self.read_settings(cell, ref)
        if known is None:
            before = len(self.findings)
            known = self.read_settings(cell, ref)
            if len(self.findings) != before:
                return known
            self._known[key] = known
        return dict(known)

    def settle(self, rows: list[dict], years: tuple[YearTarget, ...]) -> tuple[Indicator, ...]:
        """Apply the rated default and the checks that need the Targets sheet too."""
        self.sheet = self.main_sheet
        with_year_target = {y.ref for y in years if y.target is not None}
        indicators = []
        for row in rows:
            ref = row["ref"]
            has_target = row["target"] is not None or ref in with_year_target
            rateable = row["polarity"] is not Polarity.NONE
            rated = row["rated"]
            at = self.rated_at[ref]
            if rated is None:
                rated = has_target and rateable
            elif rated and not rateable:
                if ref not in self.unsure_polarity:  # else the polarity's own finding says it
                    self.add("catalogue-rated-without-polarity", at, ref)
                rated = False
            elif rated and not has_target:
                self.add("catalogue-rated-without-target", at, ref)
            row["rated"] = rated
            indicators.append(Indicator(**row))
        return tuple(indicators)
