"""The registry of finding codes, and finding(): a Finding made from its code's one message template."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from perfreport.core.codes_benchmarks import BENCHMARK_CODES
from perfreport.core.codes_catalogue import CATALOGUE_CODES, QUARTER_TARGET_CODES
from perfreport.core.codes_files import FILE_CODES, REPEAT_CODES
from perfreport.core.codes_history import HISTORY_CODES
from perfreport.core.codes_outputs import PAPER_CODES, RATING_CODES
from perfreport.core.codes_rows import COVERAGE_CODES, ROW_CODES
from perfreport.core.findings import LOCATION_FIELDS, Code, Finding, Severity, truncate
from perfreport.core.visible import visible

# One entry per code, in the order docs/findings.md lists them (it is generated from this table).
CODES: dict[str, Code] = {
    c.code: c
    for c in (
        *FILE_CODES,
        *REPEAT_CODES,
        *ROW_CODES,
        *COVERAGE_CODES,
        *CATALOGUE_CODES,
        *QUARTER_TARGET_CODES,
        *HISTORY_CODES,
        *BENCHMARK_CODES,
        *PAPER_CODES,
        *RATING_CODES,
    )
}


def finding(
    code: str,
    *,
    file: str | None = None,
    sheet: str | None = None,
    cell: str | None = None,
    ref: str | None = None,
    value: object = None,
    **fields: object,
) -> Finding:
    """A Finding for a registered code: its severity from the registry, its message the code's
    template filled in with ``fields`` and with the location fields the template names."""
    entry = CODES[code]
    location = {"file": file, "sheet": sheet, "cell": cell, "ref": ref}
    for name in LOCATION_FIELDS:
        if name in entry.fields:
            if location[name] is None:
                raise TypeError(f"{code}: the message names the {name}, so give one")
            fields[name] = location[name]
    return Finding(
        code=code,
        severity=entry.severity,
        message=_shown(entry.message(fields)),
        file=_shown(file),
        sheet=_shown(sheet),
        cell=cell,
        ref=_shown(ref),
        value=_shown(truncate(value)),
    )


def _shown(text: str | None) -> str | None:
    """Text from a workbook or a file name (a sheet name, a cell) may hold control or bidi-control
    characters: written out visibly (``\\x1b``, ``\\u202e``) so that they never reach a
    terminal, JSON or the paper as they are."""
    return visible(text) if text else text


# The most findings of one code listed for one file (docs/security.md); the rest are counted.
REPEAT_LIMIT = 50
_MORE = {
    Severity.ERROR: "more-errors",
    Severity.WARNING: "more-warnings",
    Severity.INFO: "more-notes",
}


def cap_repeats(findings: Iterable[Finding], limit: int = REPEAT_LIMIT) -> tuple[Finding, ...]:
    """The findings, with at most ``limit`` of one code for one file: the rest of each such code
    are counted in one ``more-errors`` (``more-warnings``, ``more-notes``) finding after them."""
    kept: list[Finding] = []
    listed: Counter[tuple[str | None, str]] = Counter()
    extra: Counter[tuple[str | None, str]] = Counter()
    first: dict[tuple[str | None, str], Finding] = {}
    for item in findings:
        key = (item.file, item.code)
        first.setdefault(key, item)
        if listed[key] < limit:
            listed[key] += 1
            kept.append(item)
        else:
            extra[key] += 1
    for (file, code), number in extra.items():
        sample = first[(file, code)]
        kept.append(
            finding(
                _MORE[sample.severity],
                file=file,
                sheet=sample.sheet,
                count=f"{number:,}",
                what=code,
                limit=f"{limit:,}",
            )
        )
    return tuple(kept)
