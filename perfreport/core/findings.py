"""Findings: validation problems as data, each with a stable code, severity and location."""

from __future__ import annotations

import enum
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from types import MappingProxyType
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from perfreport.core.periods import Period

FINDINGS_SCHEMA = "perfreport.findings/1"
VALUE_LIMIT = 80
# Where a finding is. A template may name these fields too ("Cell {cell}: ..."): finding() fills
# them from the finding's own location, so the message and the location never disagree.
LOCATION_FIELDS = ("file", "sheet", "cell", "ref")


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 0, "warning": 1, "info": 2}[self.value]


def truncate(value: object, limit: int = VALUE_LIMIT) -> str | None:
    """Show the offending value in a message without flooding it."""
    if value is None:
        return None
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class Code:
    """A finding code: its severity, a title, and the one message template its findings use.

    ``template`` is a ``str.format`` string with named fields only (``{cell}``, ``{count:,}``);
    ``example`` gives every field a value, and docs/findings.md shows the message they make.
    Where the code covers several situations, ``choices`` closes a field (such as ``advice``) to
    the named phrases defined beside the code's table: any other value raises.
    """

    code: str
    severity: Severity
    title: str
    template: str
    example: Mapping[str, object] = field(default_factory=dict, hash=False)
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    fields: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        names = set()
        for _, name, _, _ in string.Formatter().parse(self.template):
            if name is None:
                continue
            if not name.isidentifier():
                raise ValueError(f"{self.code}: template field {{{name}}} must be a plain name")
            names.add(name)
        object.__setattr__(self, "fields", frozenset(names))
        object.__setattr__(self, "example", MappingProxyType(dict(self.example)))
        object.__setattr__(self, "choices", MappingProxyType(dict(self.choices)))
        if not self.choices.keys() <= names:
            raise ValueError(f"{self.code}: choices for fields the template lacks")

    def message(self, fields: Mapping[str, object]) -> str:
        """The template filled in; a field missing or not in the template raises at once."""
        missing, unknown = self.fields - fields.keys(), fields.keys() - self.fields
        if missing or unknown:
            raise TypeError(
                f"{self.code}: the message needs the fields {sorted(self.fields)}; "
                f"missing {sorted(missing)}, unknown {sorted(unknown)}"
            )
        for name, allowed in self.choices.items():
            if fields[name] not in allowed:
                raise ValueError(
                    f"{self.code}: {name} must be one of its choices, not {fields[name]!r}"
                )
        return self.template.format_map(fields)

    @property
    def example_message(self) -> str:
        return self.message(self.example)


@dataclass(frozen=True)
class Finding:
    """One problem, located as precisely as possible (file, sheet, A1 cell, indicator ref)."""

    code: str
    severity: Severity
    message: str
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    ref: str | None = None
    value: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        data = asdict(self)
        data["severity"] = self.severity.value
        return data

    @property
    def where(self) -> str:
        """``returns.xlsx, sheet Return, cell D14`` – the location in words."""
        parts = [
            p
            for p in (
                self.file,
                self.sheet and f"sheet {self.sheet}",
                self.cell and f"cell {self.cell}",
            )
            if p
        ]
        return ", ".join(parts)

    def sort_key(self) -> tuple:
        return (
            self.file or "",
            self.sheet or "",
            *_cell_key(self.cell),
            self.severity.rank,
            self.code,
            self.ref or "",
            self.message,
        )


def _cell_key(cell: str | None) -> tuple[int, int]:
    """Sort cells by row, then column (D14 before A15)."""
    if not cell:
        return (-1, -1)
    letters = "".join(ch for ch in cell if ch.isalpha()).upper()
    digits = "".join(ch for ch in cell if ch.isdigit())
    column = 0
    for ch in letters:
        column = column * 26 + ord(ch) - 64
    return (int(digits) if digits else 0, column)


def sort_findings(findings: Iterable[Finding]) -> tuple[Finding, ...]:
    return tuple(sorted(findings, key=Finding.sort_key))


def count(findings: Iterable[Finding], severity: Severity) -> int:
    return sum(1 for f in findings if f.severity is severity)


def has_blocking(findings: Iterable[Finding], strict: bool = False) -> bool:
    """Errors block; with ``strict`` warnings block too."""
    blocking = {Severity.ERROR, Severity.WARNING} if strict else {Severity.ERROR}
    return any(f.severity in blocking for f in findings)


def findings_document(
    period: Period | None, findings: Sequence[Finding], files: Sequence[str] | None = None
) -> dict:
    """The findings as JSON data (schema perfreport.findings/1, documented in docs/findings.md).

    ``files``, the return files checked, is listed by validate; build's findings.json has none.
    """
    document: dict = {
        "schema": FINDINGS_SCHEMA,
        "period": period.key if period else None,
        "period_label": period.label if period else None,
    }
    if files is not None:
        document["files"] = list(files)
    document["counts"] = {s.value: count(findings, s) for s in Severity}
    document["findings"] = [f.to_dict() for f in findings]
    return document
