"""A Targets row's quarter targets (Q1–Q4) and Profile, with a finding for each that cannot be used."""

from __future__ import annotations

from collections.abc import Callable

from perfreport.core.codes_catalogue import (
    ADVICE_CLEAR_BOTH,
    ADVICE_CLEAR_PROFILE,
    ADVICE_CLEAR_QUARTERS,
)
from perfreport.core.formatting import quarters_label
from perfreport.core.targets import (
    QUARTERS,
    TargetProfile,
    known_profiles,
    parse_profile,
    quarter_target,
)
from perfreport.inputs.catalogue_fields import cell_text, number
from perfreport.inputs.catalogue_rows import CatalogueParser
from perfreport.xlsx.sheets import Cell, is_blank

# The Targets columns of the quarters, Q1 to Q4.
QUARTER_COLUMNS = tuple(f"q{q}" for q in QUARTERS)

Getter = Callable[[str], tuple[Cell, str]]  # a column's cell in this row, and where it is


def read_quarters(
    parser: CatalogueParser,
    get: Getter,
    indicator: dict,
    year: str,
    target: float | None,
) -> tuple[tuple[float | None, ...], TargetProfile | None]:
    """(Q1–Q4 as typed, the profile) of one Targets row for ``indicator`` and ``year`` (its
    label, 2024/25): () when no quarter target is typed, None when no profile is given."""
    ref, due = indicator["ref"], indicator["due"]
    profile_cell, profile_at = get("profile")
    profile = _profile(parser, profile_cell, profile_at, ref, year)
    values: list[float | None] = []
    unusable: set[int] = set()  # typed but not used: not a number, or not due
    for quarter, column in zip(QUARTERS, QUARTER_COLUMNS, strict=True):
        value = _quarter_value(parser, get(column), ref, year, quarter, indicator["unit"])
        if value is None and not is_blank(get(column)[0].value):
            unusable.add(quarter)
        elif value is not None and quarter not in due:
            where = get(column)[1]
            parser.add(
                "catalogue-quarter-target-not-due",
                where,
                ref,
                value,
                year=year,
                quarter=f"Q{quarter}",
                due=quarters_label(due),
            )
            unusable.add(quarter)
            value = None
        values.append(value)
    typed = [q for q in QUARTERS if values[q - 1] is not None]
    if not typed and profile is None:
        return (), None
    if target is None:
        if is_blank(get("target")[0].value):  # else the target's own finding says why
            what = f"profile {profile.value}" if profile is not None else "quarter targets"
            parser.add(
                "catalogue-profile-without-target", get("target")[1], ref, year=year, what=what
            )
        return (), None
    if profile is not None and profile.computed and typed:
        parser.add(
            "catalogue-profile-with-quarters",
            profile_at,
            ref,
            profile.value,
            year=year,
            profile=profile.value,
            quarters=quarters_label(typed),
        )
    if profile is None or not profile.computed:
        missing = [q for q in due if values[q - 1] is None and q not in unusable]
        if missing:
            given = f"targets for {quarters_label(typed)}" if typed else "profile cumulative"
            parser.add(
                "catalogue-quarter-targets-partial",
                get(QUARTER_COLUMNS[missing[0] - 1])[1],
                ref,
                year=year,
                given=given,
                missing=quarters_label(missing),
                target=target,
                advice=ADVICE_CLEAR_PROFILE
                if not typed
                else ADVICE_CLEAR_QUARTERS
                if profile is None
                else ADVICE_CLEAR_BOTH,
            )
    if profile is not None:
        _one_way(parser, get, ref, year, target, due, tuple(values), profile)
    return (tuple(values) if typed else ()), profile


def _profile(
    parser: CatalogueParser, cell: Cell, at: str, ref: str, year: str
) -> TargetProfile | None:
    text = cell_text(cell.value)
    if not text:
        return None
    profile = parse_profile(text)
    if profile is None:
        parser.add(
            "catalogue-unknown-profile",
            at,
            ref,
            cell.value,
            year=year,
            text=text,
            known=known_profiles(),
        )
    return profile


def _quarter_value(
    parser: CatalogueParser,
    located: tuple[Cell, str],
    ref: str,
    year: str,
    quarter: int,
    unit: str,
) -> float | None:
    cell, at = located
    if is_blank(cell.value):
        return None
    try:
        value, certain = number(cell)
    except ValueError:
        parser.add(
            "catalogue-bad-quarter-target",
            at,
            ref,
            cell.value,
            year=year,
            quarter=f"Q{quarter}",
            text=cell_text(cell.value),
        )
        return None
    if unit == "%" and not certain and value is not None and 0 < abs(value) < 1:
        parser.add(
            "catalogue-ambiguous-percent",
            at,
            ref,
            cell.value,
            label=f"Q{quarter} target",
            number=value,
            percent=value * 100,
        )
    return value


def _one_way(
    parser: CatalogueParser,
    get: Getter,
    ref: str,
    year: str,
    target: float,
    due: tuple[int, ...],
    values: tuple[float | None, ...],
    profile: TargetProfile,
) -> None:
    """A year-to-date target accumulates: it only rises (or, for a falling total, only falls)."""
    run = [(q, quarter_target(target, None, q, values, profile)) for q in due]
    rows = [(q, t.target) for q, t in run if t.own and t.target is not None]
    rising = falling = False
    for (_, before), (quarter, after) in zip(rows, rows[1:], strict=False):
        rising, falling = rising or after > before, falling or after < before
        if rising and falling:
            parser.add(
                "catalogue-quarter-targets-not-cumulative",
                get(QUARTER_COLUMNS[quarter - 1])[1],
                ref,
                year=year,
                profile=profile.value,
                values=", ".join(f"Q{q} {v:g}" for q, v in rows),
                quarter=f"Q{quarter}",
            )
            return
