"""Findings: validation problems as data, each with a stable code, severity and location."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import asdict, dataclass

FINDINGS_SCHEMA = "perfreport.findings/1"
VALUE_LIMIT = 80


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
