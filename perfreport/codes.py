"""The catalogue of finding codes: each stable code with its severity, meaning and an example."""

from __future__ import annotations

from dataclasses import dataclass

from perfreport.findings import Finding, Severity, truncate


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    title: str
    example: str  # an example message, as the user sees it


E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

# Keep one entry per code; docs/findings.md is generated from this table.
CODES: dict[str, Code] = {
    c.code: c
    for c in (
        # -- file level (filled in by the reading stage) --
        # -- row and cell level --
        # -- coverage --
        # -- catalogue and configuration --
        # -- rating --
    )
}


def finding(code: str, message: str, *, severity: Severity | None = None, file: str | None = None,
            sheet: str | None = None, cell: str | None = None, ref: str | None = None,
            value: object = None) -> Finding:
    """Make a Finding for a registered code (its severity comes from the registry)."""
    entry = CODES[code]
    return Finding(code=code, severity=severity or entry.severity, message=message, file=file,
                   sheet=sheet, cell=cell, ref=ref, value=truncate(value))
