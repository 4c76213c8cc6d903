"""How each catalogue cell is checked: its value read, with a finding when it cannot be used."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from perfreport.core.codes_catalogue import (
    ADVICE_CHECK_DUE,
    ADVICE_CLEAR_DUE,
    NOT_A_NUMBER,
)
from perfreport.core.glossary import capitals_in
from perfreport.core.model import Display, Frequency, Polarity
from perfreport.core.periods import Period, PeriodError
from perfreport.core.project import Project, normalise_heading
from perfreport.inputs.catalogue_directorate import directorate_of
from perfreport.inputs.catalogue_fields import (
    DEFAULT_DUE,
    DISPLAYS,
    FREQUENCIES,
    NO,
    POLARITIES,
    UNITS,
    YES,
    cell_text,
    number,
    parse_due,
    period_of,
)
from perfreport.inputs.grid_table import TableReader
from perfreport.xlsx.sheets import Cell, is_blank

Getter = Callable[[str], tuple[Cell, str]]  # a column's cell in this row, and where it is
# A row's settings: the columns whose few values repeat down a catalogue (read_settings).
SETTINGS = (
    "priority",
    "polarity",
    "unit",
    "decimals",
    "frequency",
    "due",
    "rated",
    "directorate",
    "comparable_from",
    "display",
)


class CatalogueCells(TableReader):
    """The checks of one catalogue cell each; catalogue_rows.CatalogueParser reads rows with them."""

    # Whether a row's settings are remembered (catalogue_rows.CatalogueParser._settings): off
    # only in the equivalence test (tests/test_catalogue_settings.py).
    remember = True

    def __init__(self, project: Project, display: str):
        super().__init__(display, None)
        self.project = project
        self.unexplained: set[str] = set()  # abbreviations already warned about, once each
        self._known: dict[tuple, dict[str, Any]] = {}
        self._setting_columns: tuple[Any, tuple[int | None, ...]] = (None, ())

    def required(self, cell: Getter, name: str, ref: str) -> str:
        """The text of a column every indicator needs; a finding when it is blank."""
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

    def read_settings(self, cell: Getter, ref: str) -> dict[str, Any]:
        """The row's SETTINGS, each checked (the polarity None when blank or unreadable)."""
        priority = self._priority(self.required(cell, "priority", ref), cell("priority")[1], ref)
        polarity = self._choice(
            self.required(cell, "polarity", ref),
            cell("polarity")[1],
            ref,
            POLARITIES,
            "catalogue-bad-polarity",
            None,
        )
        unit_text = cell_text(cell("unit")[0].value)
        unit = UNITS.get(unit_text.casefold().rstrip("."), unit_text) if unit_text else "number"
        frequency = self._column_choice(
            cell, "frequency", ref, FREQUENCIES, "catalogue-bad-frequency", Frequency.QUARTERLY
        )
        return {
            "priority": priority,
            "polarity": polarity,
            "unit": unit,
            "decimals": self._decimals(cell("decimals"), ref, unit),
            "frequency": frequency,
            "due": self._due(cell("due"), ref, frequency),
            "rated": self._rated(cell("rated"), ref),
            "directorate": directorate_of(self, *cell("directorate"), ref),
            "comparable_from": self._comparable_from(cell("comparable_from"), ref),
            "display": self._column_choice(
                cell, "display", ref, DISPLAYS, "catalogue-bad-display", Display.FULL
            ),
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

    def _column_choice(
        self, cell: Getter, name: str, ref: str, allowed: dict, code: str, default: Any
    ) -> Any:
        """``_choice`` for the text of the row's cell in column ``name``."""
        value_cell, at = cell(name)
        return self._choice(cell_text(value_cell.value), at, ref, allowed, code, default)

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
