"""The catalogue's rows read into indicators, with a finding for each cell that cannot be used."""

from __future__ import annotations

from typing import Any

from perfreport.core.codes_catalogue import (
    ADVICE_CHECK_DUE,
    ADVICE_CLEAR_DUE,
    ADVICE_UNIQUE_REF,
    NOT_A_NUMBER,
    SKIPPED,
)
from perfreport.core.glossary import capitals_in
from perfreport.core.model import Display, Frequency, Indicator, Polarity, YearTarget
from perfreport.core.paper_settings import GroupBy
from perfreport.core.periods import Period, PeriodError
from perfreport.core.project import ConfigError, Project, normalise_heading
from perfreport.inputs.catalogue_directorate import directorate_of
from perfreport.inputs.catalogue_fields import (
    COLUMNS,
    DEFAULT_DUE,
    DISPLAYS,
    FREQUENCIES,
    NO,
    POLARITIES,
    REQUIRED,
    UNITS,
    YES,
    cell_text,
    number,
    parse_due,
    period_of,
)
from perfreport.inputs.grid_table import TableReader
from perfreport.xlsx.sheets import Cell, Row, Table, a1, column_letter, find_heading_row, is_blank

_NO_CELL = Cell(None)


def _letters(columns: dict[str, int]) -> dict[str, str]:
    return {name: column_letter(column) for name, column in columns.items()}


class CatalogueError(ConfigError):
    """The catalogue cannot be read at all (missing, not a workbook, required columns missing)."""


class CatalogueParser(TableReader):
    """Turns the catalogue's tables into Indicators, collecting findings as it goes."""

    def __init__(self, project: Project, display: str):
        super().__init__(display, None)
        self.project = project
        self.main_sheet: str | None = None
        self.rated_at: dict[str, str] = {}  # ref -> the cell of its Rated value, for later findings
        self.unsure_polarity: set[str] = set()  # refs whose polarity is blank or unreadable
        self.unexplained: set[str] = set()  # abbreviations already warned about, once each
        self.letters: tuple = (0, None, {})  # _indicator's: (0, columns, their letters)

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

        def required(name: str) -> str:
            value_cell, at = cell(name)
            text = cell_text(value_cell.value)
            if not text:
                label = name.replace("_", " ")
                self.add(
                    "catalogue-missing-value",
                    at,
                    ref,
                    subject=ref,
                    label=label,
                    effect="",
                    advice=f"Fill in the {label}.",
                )
            return text

        def amount(name: str) -> float | None:
            value_cell, at = cell(name)
            return self.read_number(value_cell, at, ref, name, unit)

        title, service = required("title"), required("service")
        self._abbreviations(title, cell("title")[1], ref)
        priority = self._priority(required("priority"), cell("priority")[1], ref)
        polarity_text = required("polarity")
        polarity = self._choice(
            polarity_text,
            cell("polarity")[1],
            ref,
            POLARITIES,
            "catalogue-bad-polarity",
            None,
        )
        if polarity is None:
            self.unsure_polarity.add(ref)
            polarity = Polarity.NONE
        unit_text = cell_text(cell("unit")[0].value)
        unit = UNITS.get(unit_text.casefold().rstrip("."), unit_text) if unit_text else "number"
        frequency = self._choice(
            cell_text(cell("frequency")[0].value),
            cell("frequency")[1],
            ref,
            FREQUENCIES,
            "catalogue-bad-frequency",
            Frequency.QUARTERLY,
        )
        self.rated_at[ref] = cell("rated")[1]
        target, amber = amount("target"), amount("amber")
        self.check_amber(ref, polarity, target, amber, cell("amber")[1])
        rated = self._rated(cell("rated"), ref)
        return {
            "ref": ref,
            "title": title,
            "priority": priority,
            "service": service,
            "polarity": polarity,
            "unit": unit,
            "decimals": self._decimals(cell("decimals"), ref, unit),
            "frequency": frequency,
            "due": self._due(cell("due"), ref, frequency),
            "rated": rated,
            "target": target,
            "amber": amber,
            "directorate": directorate_of(self, *cell("directorate"), ref),
            "lead_officer": cell_text(cell("lead_officer")[0].value),
            "definition": self._definition(cell("definition"), ref, "definition" in columns),
            "source": cell_text(cell("source")[0].value),
            "comparable_from": self._comparable_from(cell("comparable_from"), ref),
            "display": self._choice(
                cell_text(cell("display")[0].value),
                cell("display")[1],
                ref,
                DISPLAYS,
                "catalogue-bad-display",
                Display.FULL,
            ),
            "row": row.number,
        }

    def _abbreviations(self, title: str, at: str, ref: str) -> None:
        """Warn, once per abbreviation, when a title uses one that ``[glossary]`` leaves
        unexplained; a project without a glossary has chosen not to expand any."""
        glossary = self.project.glossary
        if not glossary:
            return
        for token in capitals_in(title):
            if token not in glossary.expansions and token not in self.unexplained:
                self.unexplained.add(token)
                self.add("catalogue-unexplained-abbreviation", at, ref, abbreviation=token)

    def _definition(self, located: tuple[Cell, str], ref: str, has_column: bool) -> str:
        # Only where the catalogue has the column: a catalogue without one would get a warning
        # on every row, and Appendix C already says "No definition given." for each.
        cell, at = located
        text = cell_text(cell.value)
        if not text and has_column:
            self.add("catalogue-no-definition", at, ref)
        return text

    def _priority(self, text: str, at: str, ref: str) -> str:
        if not text:
            return ""
        priority = self.project.priority(text)
        if priority is None:
            known = "; ".join(f"{p.key} ({p.name})" for p in self.project.priorities)
            self.add("catalogue-unknown-priority", at, ref, text, text=text, known=known)
            return text
        return priority.key

    def _choice(
        self,
        text: str,
        at: str,
        ref: str,
        allowed: dict,
        code: str,
        default: Any,
    ) -> Any:
        if not text:
            return default
        choice = allowed.get(normalise_heading(text))
        if choice is None:
            self.add(code, at, ref, text, text=text)
            return default
        return choice

    def read_number(self, cell: Cell, at: str, ref: str, label: str, unit: str) -> float | None:
        if is_blank(cell.value):
            return None
        try:
            value, certain = number(cell)
        except ValueError:
            self.add(
                "catalogue-bad-number",
                at,
                ref,
                cell.value,
                label=label,
                text=cell_text(cell.value),
                problem=NOT_A_NUMBER,
                wanted="a number",
                default="",
            )
            return None
        if unit == "%" and not certain and value is not None and 0 < abs(value) < 1:
            self.add(
                "catalogue-ambiguous-percent",
                at,
                ref,
                cell.value,
                label=label,
                number=value,
                percent=value * 100,
            )
        return value

    def check_amber(
        self,
        ref: str,
        polarity: Polarity,
        target: float | None,
        amber: float | None,
        at: str,
        year: str = "",
    ) -> None:
        if target is None or amber is None or polarity is Polarity.NONE:
            return
        wrong = amber > target if polarity is Polarity.HIGHER else amber < target
        if wrong:
            better, side = (
                ("higher", "below") if polarity is Polarity.HIGHER else ("lower", "above")
            )
            self.add(
                "catalogue-amber-wrong-side",
                at,
                ref,
                amber,
                year=year,
                amber=amber,
                target=target,
                better=better.capitalize(),
                side=side,
            )

    def _rated(self, located: tuple[Cell, str], ref: str) -> bool | None:
        cell, at = located
        if is_blank(cell.value):
            return None
        if isinstance(cell.value, bool):
            answer = cell.value
        else:
            word = cell_text(cell.value).casefold()
            if word not in YES | NO:
                self.add("catalogue-bad-rated", at, ref, cell.value, text=cell_text(cell.value))
                return None
            answer = word in YES
        return answer

    def _decimals(self, located: tuple[Cell, str], ref: str, unit: str) -> int:
        cell, at = located
        default = 1 if unit == "%" else 0
        if is_blank(cell.value):
            return default
        try:
            value, _ = number(Cell(cell.value))
            if value is None or not value.is_integer() or not 0 <= value <= 6:
                raise ValueError
        except ValueError:
            self.add(
                "catalogue-bad-number",
                at,
                ref,
                cell.value,
                label="decimals",
                text=cell_text(cell.value),
                problem="",
                wanted="a whole number from 0 to 6",
                default=f" for the default ({default})",
            )
            return default
        return int(value)

    def _due(self, located: tuple[Cell, str], ref: str, frequency: Frequency) -> tuple[int, ...]:
        cell, at = located
        default = DEFAULT_DUE[frequency]
        if is_blank(cell.value):
            return default
        try:
            due = parse_due(cell.value)
        except ValueError:
            self.add("catalogue-bad-due", at, ref, cell.value, text=cell_text(cell.value))
            return default
        expected = {Frequency.ANNUAL: 1, Frequency.HALF_YEARLY: 2}.get(frequency)
        # Due every quarter: any other due quarters are ignored. Annual, half-yearly: 1 or 2.
        ignored = expected is None and due != default
        if not ignored and (expected is None or len(due) == expected):
            return due
        text = cell_text(cell.value)
        self.add(
            "catalogue-due-mismatch",
            at,
            ref,
            cell.value,
            frequency=frequency.value,
            problem=f", so it is due every quarter and due '{text}' is ignored"
            if ignored
            else f" but due '{text}' names {len(due)} quarter(s)",
            advice=ADVICE_CLEAR_DUE if ignored else ADVICE_CHECK_DUE,
        )
        return default if ignored else due

    def _comparable_from(self, located: tuple[Cell, str], ref: str) -> Period | None:
        cell, at = located
        if is_blank(cell.value):
            return None
        try:
            return period_of(cell.value)
        except PeriodError:
            self.add("catalogue-bad-period", at, ref, cell.value, text=cell_text(cell.value))
            return None

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
            indicators.append(Indicator(**{**row, "rated": rated}))
        return tuple(indicators)
