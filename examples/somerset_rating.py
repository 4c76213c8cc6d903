"""Rating the Somerset figures as perfreport does (the issue-3 rules), without importing it."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from example_workbooks import Quarter
from somerset_catalogue import Spec

AMBER_TOLERANCE = 0.05  # [rating] amber_tolerance = "5%"
WORD_LIMIT = 150  # [validation] commentary_word_limit


def at_precision(value: float, decimals: int) -> Decimal:
    """Round as the paper displays a figure (half up), so the comparison is what readers see."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def target_for(spec: Spec, when: Quarter | int) -> tuple[float | None, float | None]:
    """(target, amber) for a financial year: the Targets sheet, else the catalogue default. For a
    quarter, the quarter's own where the Targets row gives one (Q1–Q4, or cumulative-even's share
    of the year's), its Amber the year's in proportion (docs/catalogue.md)."""
    year = when if isinstance(when, int) else when.year
    fy = f"{year}/{(year + 1) % 100:02d}"
    for row in spec.targets:
        row_year, target, amber = row[:3]
        if row_year != fy:
            continue
        if isinstance(when, int) or target is None or len(row) < 5:
            return target, amber
        quarters, profile = row[3], row[4]
        own = quarters[when.quarter - 1] if quarters else None
        if own is None and profile == "cumulative-even":
            own = target * when.quarter / 4
        if own is None:
            return target, amber
        return own, (own * amber / target if amber is not None else None)
    return spec.target, spec.amber


def is_cumulative(spec: Spec, year: int) -> bool:
    """A year-to-date measure that year: its Targets row has a profile."""
    fy = f"{year}/{(year + 1) % 100:02d}"
    return any(row[0] == fy and len(row) >= 5 and row[4] for row in spec.targets)


def is_rated(spec: Spec, year: int) -> bool:
    return (
        spec.polarity in ("higher", "lower")
        and spec.rated != "no"
        and target_for(spec, year)[0] is not None
    )


def amber_line(spec: Spec, target: float, amber: float | None) -> float:
    if amber is not None:
        return amber
    distance = abs(target) * AMBER_TOLERANCE
    return target - distance if spec.polarity == "higher" else target + distance


def rate(spec: Spec, value: float, when: Quarter | int) -> str:
    """The issue-3 rule: G if at least the target, A if at least the Amber line, else R."""
    target, amber = target_for(spec, when)
    assert target is not None
    v, t = at_precision(value, spec.decimals), at_precision(target, spec.decimals)
    line = at_precision(amber_line(spec, target, amber), spec.decimals)
    if spec.polarity == "lower":
        v, t, line = -v, -t, -line
    return "G" if v >= t else "A" if v >= line else "R"


def due(spec: Spec, quarter: Quarter) -> bool:
    if spec.frequency in ("annual", "half-yearly"):
        return f"Q{quarter.quarter}" in spec.due.split(",")
    return True


def require(condition: bool, message: object) -> None:
    """Like assert, but kept under ``python -O``: the example must never be generated broken."""
    if not condition:
        raise AssertionError(message)
