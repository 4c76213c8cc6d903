"""The indicator catalogue: catalogue.xlsx or catalogue.csv read into Indicators and year targets."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from perfreport.core.codes import finding
from perfreport.core.findings import Finding, sort_findings
from perfreport.core.model import Catalogue, Frequency, Indicator, Polarity, YearTarget
from perfreport.core.periods import Period, PeriodError, parse_financial_year
from perfreport.core.project import ConfigError, Project, normalise_heading
from perfreport.inputs.catalogue_fields import (
    COLUMNS,
    DEFAULT_DUE,
    FREQUENCIES,
    NO,
    POLARITIES,
    REQUIRED,
    TARGET_COLUMNS,
    TARGET_REQUIRED,
    UNITS,
    YES,
    cell_text,
    number,
    parse_due,
    period_of,
)
from perfreport.xlsx.sheets import (
    Cell,
    Row,
    Table,
    a1,
    find_heading_row,
    is_blank,
    read_csv_table,
    table_from_sheet,
)

INDICATORS_SHEET = "Indicators"
TARGETS_SHEET = "Targets"
TARGETS_CSV = "targets.csv"  # beside a catalogue.csv, the CSV form of the Targets sheet


class CatalogueError(ConfigError):
    """The catalogue cannot be read at all (missing, not a workbook, required columns missing)."""


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
    if path.suffix.lower() == ".csv":
        main, targets, findings = _read_csv(path, display)
    else:
        main, targets, findings = _read_workbook(project, path, display)
    parser = _Parser(project, display)
    parser.findings.extend(findings)
    indicators = parser.indicators(main)
    years = parser.targets(targets, indicators) if targets is not None else ()
    final = parser.settle(indicators, years)
    catalogue = Catalogue(indicators=final, targets=years, path=path)
    return catalogue, sort_findings(parser.findings)


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
    from perfreport.xlsx.workbook import open_workbook, read_sheet

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
            sheet, problems = read_sheet(workbook, name, display, project.limits)
            if sheet is None:
                reasons = " ".join(f.message for f in problems)
                raise CatalogueError(f"the indicator catalogue cannot be read. {reasons}", display)
            found.extend(problems)
            tables.append(table_from_sheet(sheet))
    finally:
        workbook.close()
    return tables[0], tables[1], list(found)


class _Parser:
    """Turns tables into Indicators, collecting findings as it goes."""

    def __init__(self, project: Project, display: str):
        self.project = project
        self.display = display
        self.findings: list[Finding] = []
        self.sheet: str | None = None
        self.main_sheet: str | None = None
        self.rated_at: dict[str, str] = {}  # ref -> the cell of its Rated value, for later findings
        self.unsure_polarity: set[str] = set()  # refs whose polarity is blank or unreadable

    def add(
        self,
        code: str,
        message: str,
        cell: str | None = None,
        ref: str | None = None,
        value: object = None,
    ) -> None:
        self.findings.append(
            finding(
                code, message, file=self.display, sheet=self.sheet, cell=cell, ref=ref, value=value
            )
        )

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
                    "catalogue-unknown-column",
                    f"Cell {where}: the column '{cell_text(cell.value)}' is not a catalogue column, "
                    "so it is ignored. Rename it if it should be read.",
                    where,
                    value=cell.value,
                )
            elif name in found:
                self.add(
                    "catalogue-duplicate-column",
                    f"Cell {where}: '{cell_text(cell.value)}' is a second {name.replace('_', ' ')} "
                    "column; only the first is read. Delete or rename one of them.",
                    where,
                    value=cell.value,
                )
            else:
                found[name] = column
        missing = tuple(name for name in required if name not in found)
        return index, found, missing

    def indicators(self, table: Table) -> list[dict]:
        self.sheet = self.main_sheet = table.sheet
        layout = self.columns(table, COLUMNS, REQUIRED)
        if layout is None or layout[2]:
            missing = layout[2] if layout else REQUIRED
            names = ", ".join(name.replace("_", " ").capitalize() for name in missing)
            sheet = f" (sheet {table.sheet})" if table.sheet else ""
            raise CatalogueError(
                f"the required column(s) {names} are missing{sheet}. The first row of headings "
                f"must include Ref, Title, Priority, Service and Polarity.",
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
            self.add(
                "catalogue-empty",
                "The catalogue lists no indicators. Add one row per indicator below the headings.",
            )
        return rows

    def _cell(self, row: Row, columns: dict[str, int], name: str) -> tuple[Cell, str]:
        column = columns.get(name)
        return row.get(column), a1(column if column is not None else 0, row.number)

    def _indicator(self, row: Row, columns: dict[str, int], seen: dict[str, int]) -> dict | None:
        def cell(name: str) -> tuple[Cell, str]:
            return self._cell(row, columns, name)

        ref_cell, ref_at = cell("ref")
        ref = cell_text(ref_cell.value)
        if not ref:
            self.add(
                "catalogue-missing-value",
                f"Cell {ref_at}: this row has no ref, so it is "
                "skipped. Give every indicator a unique ref such as ASC-01.",
                ref_at,
            )
            return None
        key = ref.casefold()
        if key in seen:
            self.add(
                "catalogue-duplicate-ref",
                f"Cell {ref_at}: {ref} is already used in row "
                f"{seen[key]}, so this row is skipped. Give each indicator its own ref.",
                ref_at,
                ref,
                ref,
            )
            return None
        seen[key] = row.number

        def required(name: str) -> str:
            value_cell, at = cell(name)
            text = cell_text(value_cell.value)
            if not text:
                label = name.replace("_", " ")
                self.add(
                    "catalogue-missing-value",
                    f"Cell {at}: {ref} has no {label}. Fill in the {label}.",
                    at,
                    ref,
                )
            return text

        def amount(name: str) -> float | None:
            value_cell, at = cell(name)
            return self._number(value_cell, at, ref, name, unit)

        title, service = required("title"), required("service")
        priority = self._priority(required("priority"), cell("priority")[1], ref)
        polarity_text = required("polarity")
        polarity = self._choice(
            polarity_text,
            cell("polarity")[1],
            ref,
            POLARITIES,
            "catalogue-bad-polarity",
            "polarity",
            "higher, lower or none",
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
            "frequency",
            "quarterly, monthly, half-yearly or annual",
            Frequency.QUARTERLY,
        )
        self.rated_at[ref] = cell("rated")[1]
        target, amber = amount("target"), amount("amber")
        self._check_amber(ref, polarity, target, amber, cell("amber")[1])
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
            "directorate": cell_text(cell("directorate")[0].value),
            "lead_officer": cell_text(cell("lead_officer")[0].value),
            "definition": cell_text(cell("definition")[0].value),
            "comparable_from": self._comparable_from(cell("comparable_from"), ref),
            "row": row.number,
        }

    def _priority(self, text: str, at: str, ref: str) -> str:
        if not text:
            return ""
        priority = self.project.priority(text)
        if priority is None:
            known = "; ".join(f"{p.key} ({p.name})" for p in self.project.priorities)
            self.add(
                "catalogue-unknown-priority",
                f"Cell {at}: {ref} has priority '{text}', which "
                f"is not in perfreport.toml. Use one of: {known}.",
                at,
                ref,
                text,
            )
            return text
        return priority.key

    def _choice(
        self,
        text: str,
        at: str,
        ref: str,
        allowed: dict,
        code: str,
        label: str,
        words: str,
        default: Any,
    ) -> Any:
        if not text:
            return default
        choice = allowed.get(normalise_heading(text))
        if choice is None:
            self.add(code, f"Cell {at}: {ref} has {label} '{text}'. Enter {words}.", at, ref, text)
            return default
        return choice

    def _number(self, cell: Cell, at: str, ref: str, label: str, unit: str) -> float | None:
        if is_blank(cell.value):
            return None
        try:
            value, certain = number(cell)
        except ValueError:
            self.add(
                "catalogue-bad-number",
                f"Cell {at}: {ref} has {label} '{cell_text(cell.value)}', "
                "which is not a number. Enter a number, or leave it blank.",
                at,
                ref,
                cell.value,
            )
            return None
        if unit == "%" and not certain and value is not None and 0 < abs(value) < 1:
            self.add(
                "catalogue-ambiguous-percent",
                f"Cell {at}: {ref} is a percentage with {label} "
                f"{value:g}. If you mean {value * 100:g}%, enter {value * 100:g}; if you "
                f"mean {value:g}%, type it as {value:g}%.",
                at,
                ref,
                cell.value,
            )
        return value

    def _check_amber(
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
                f"Cell {at}: {ref}{year} has Amber threshold {amber:g} on the wrong side of "
                f"its target {target:g}. {better.capitalize()} is better, so the threshold "
                f"must be at or {side} the target. Correct the threshold.",
                at,
                ref,
                amber,
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
                self.add(
                    "catalogue-bad-rated",
                    f"Cell {at}: {ref} has rated '{cell_text(cell.value)}'. "
                    "Enter yes or no, or leave it blank to rate it when it has a target.",
                    at,
                    ref,
                    cell.value,
                )
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
                f"Cell {at}: {ref} has decimals "
                f"'{cell_text(cell.value)}'. Enter a whole number from 0 to 6, or leave it blank "
                f"for the default ({default}).",
                at,
                ref,
                cell.value,
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
            self.add(
                "catalogue-bad-due",
                f"Cell {at}: {ref} has due '{cell_text(cell.value)}'. Enter "
                "the quarter(s) the figure arrives in, such as Q4 or Q2,Q4.",
                at,
                ref,
                cell.value,
            )
            return default
        expected = {Frequency.ANNUAL: 1, Frequency.HALF_YEARLY: 2}.get(frequency)
        if expected is None and due != default:
            self.add(
                "catalogue-due-mismatch",
                f"Cell {at}: {ref} is {frequency.value}, so it is due "
                f"every quarter and due '{cell_text(cell.value)}' is ignored. Clear the cell, or "
                "change the frequency.",
                at,
                ref,
                cell.value,
            )
            return default
        if expected is not None and len(due) != expected:
            self.add(
                "catalogue-due-mismatch",
                f"Cell {at}: {ref} is {frequency.value} but due "
                f"'{cell_text(cell.value)}' names {len(due)} quarter(s). Check the due quarters "
                "or the frequency.",
                at,
                ref,
                cell.value,
            )
        return due

    def _comparable_from(self, located: tuple[Cell, str], ref: str) -> Period | None:
        cell, at = located
        if is_blank(cell.value):
            return None
        try:
            return period_of(cell.value)
        except PeriodError:
            self.add(
                "catalogue-bad-period",
                f"Cell {at}: {ref} has comparable from "
                f"'{cell_text(cell.value)}', which is not a period. Write it as Q2-2024 or "
                "Q2 2024/25.",
                at,
                ref,
                cell.value,
            )
            return None

    def targets(self, table: Table, indicators: list[dict]) -> tuple[YearTarget, ...]:
        self.sheet = table.sheet
        layout = self.columns(table, TARGET_COLUMNS, TARGET_REQUIRED)
        if layout is None or layout[2]:
            missing = layout[2] if layout else TARGET_REQUIRED
            names = ", ".join(name.capitalize() for name in missing)
            self.add(
                "catalogue-targets-missing-column",
                f"The Targets table lacks the column(s) "
                f"{names}, so no year targets are read. Its headings must be Ref, Year, "
                "Target and (optionally) Amber.",
            )
            return ()
        heading, columns, _ = layout
        known = {row["ref"].casefold(): row for row in indicators}
        found: dict[tuple[str, int], int] = {}
        years: list[YearTarget] = []
        for row in table.rows[heading + 1 :]:
            if row.is_blank:
                continue
            get = functools.partial(self._cell, row, columns)
            ref_cell, ref_at = get("ref")
            indicator = known.get(cell_text(ref_cell.value).casefold())
            if indicator is None:
                self.add(
                    "catalogue-targets-unknown-ref",
                    f"Cell {ref_at}: '{cell_text(ref_cell.value)}' "
                    "is not a ref in the catalogue, so this target is ignored. Correct the ref "
                    "or delete the row.",
                    ref_at,
                    value=ref_cell.value,
                )
                continue
            ref = indicator["ref"]
            year_cell, year_at = get("year")
            try:
                year = parse_financial_year(year_cell.value)
            except PeriodError:
                self.add(
                    "catalogue-bad-year",
                    f"Cell {year_at}: '{cell_text(year_cell.value)}' is not "
                    "a financial year, so this target is ignored. Write it as 2024/25.",
                    year_at,
                    ref,
                    year_cell.value,
                )
                continue
            if (ref, year) in found:
                self.add(
                    "catalogue-targets-duplicate",
                    f"Cell {ref_at}: {ref} already has a "
                    f"{cell_text(year_cell.value)} target in row {found[ref, year]}, so this row "
                    "is ignored. Keep one row per indicator and year.",
                    ref_at,
                    ref,
                )
                continue
            found[ref, year] = row.number
            unit = indicator["unit"]
            target = self._number(get("target")[0], get("target")[1], ref, "target", unit)
            amber = self._number(get("amber")[0], get("amber")[1], ref, "amber", unit)
            self._check_amber(
                ref,
                indicator["polarity"],
                target,
                amber,
                get("amber")[1],
                f" ({cell_text(year_cell.value)})",
            )
            years.append(YearTarget(ref, year, target, amber))
        return tuple(years)

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
                    self.add(
                        "catalogue-rated-without-polarity",
                        f"Cell {at}: {ref} is rated but its polarity is none, so it cannot "
                        "be rated. Set polarity to higher or lower, or rated to no.",
                        at,
                        ref,
                    )
                rated = False
            elif rated and not has_target:
                self.add(
                    "catalogue-rated-without-target",
                    f"Cell {at}: {ref} is rated but has no target, so it will be shown as "
                    "Not rated. Enter a target (here or on the Targets sheet), or set rated "
                    "to no.",
                    at,
                    ref,
                )
            indicators.append(Indicator(**{**row, "rated": rated}))
        return tuple(indicators)
