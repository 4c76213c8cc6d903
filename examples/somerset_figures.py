"""Inventing the Somerset figures: each in the band its planned RAG needs, seeded by its ref."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from example_workbooks import Quarter
from somerset_catalogue import INDICATORS, PERIODS, Spec
from somerset_commentary import LONG_COMMENTARY, NOT_AVAILABLE, story
from somerset_rating import amber_line, at_precision, due, require, target_for

# Services that fill in the year-end forecast column.
FORECASTERS = {
    "Adult Social Care",
    "Children's Services",
    "Housing",
    "Revenues and Benefits",
    "Customer Services",
    "Finance",
    "HR and Organisational Development",
}
PROVISIONAL = {
    ("PH-05", "Q2-2024"),
    ("HOU-05", "Q2-2024"),
    ("PLN-02", "Q2-2024"),
    ("PH-07", "Q1-2024"),
    *(("HWY-09", p) for p in PERIODS),
}
ESTIMATED = {("WST-02", "Q2-2024")}
# Returned a quarter late in every return: the waste data flow arrives after the quarter closes.
IN_ARREARS = {"WST-01"}
# Returned in Q1 with the outturn of the year before (offer day is in March, Q4): Period of data.
LAST_YEARS_OUTTURN = {"CS-16"}


@dataclass(frozen=True)
class Figure:
    """One indicator's row in one quarter's return."""

    ref: str
    value: float | None
    numerator: int | None = None
    denominator: int | None = None
    status: str = "Final"
    data_period: str = ""  # the Period of data column: blank for the return's own period
    commentary: str = ""
    actions: str = ""
    forecast: str = ""


def _band(spec: Spec, letter: str, year: Quarter) -> tuple[int, int]:
    """The figures that earn ``letter``, as whole display units from the target (+ = better).

    Figures keep more than half a display unit clear of the Amber line, so no rounding convention
    can change their RAG.
    """
    target, amber = target_for(spec, year)
    assert target is not None, spec.ref
    scale = 10**spec.decimals
    sign = 1 if spec.polarity == "higher" else -1
    line = sign * (amber_line(spec, target, amber) - target) * scale  # negative
    size = abs(target) * scale
    eps = 1e-9
    if letter == "G":
        low, high = 0, math.floor(spec.head * size + eps)
        if spec.unit == "%":
            room = (100 - target) if sign > 0 else (target - 2)
            high = min(high, math.floor(room * scale + eps))
    elif letter == "A":
        low, high = math.ceil(line + 0.6 - eps), -1
    else:
        low = math.ceil(line - spec.depth[1] * size - eps)
        high = math.floor(min(line - 0.6, line - spec.depth[0] * size) + eps)
    require(low <= high, f"{spec.ref}: no room for {letter} in {year} ({low}..{high} units)")
    return low, high


def _value_at(spec: Spec, units: int, year: Quarter) -> float:
    target, _ = target_for(spec, year)
    sign = 1 if spec.polarity == "higher" else -1
    value = float(at_precision(target + sign * units / 10**spec.decimals, spec.decimals))
    return int(value) if spec.decimals == 0 else value


def _units(spec: Spec, value: float, year: Quarter) -> int:
    target, _ = target_for(spec, year)
    sign = 1 if spec.polarity == "higher" else -1
    return round(sign * (value - target) * 10**spec.decimals)


def _context_value(spec: Spec, index: int, rng: random.Random) -> float:
    require(spec.level is not None, f"{spec.ref} needs a level, values or a plan")
    raw = spec.level * (1 + spec.trend * index) * (1 + rng.gauss(0, spec.noise))
    if spec.unit == "%":
        raw = min(max(raw, 1.5), 99.5)
    value = float(at_precision(raw, spec.decimals))
    return int(value) if spec.decimals == 0 else value


def _with_counts(
    spec: Spec, value: float, band: tuple[int, int], year: Quarter, rng: random.Random
) -> tuple[float, int, int]:
    """Numerator and denominator that give a value in the same band (value = n / d × 100)."""
    low, high = spec.denominator
    for _ in range(1000):
        denominator = rng.randint(low, high)
        numerator = round(value * denominator / 100)
        exact = float(at_precision(100 * numerator / denominator, spec.decimals))
        if band[0] <= _units(spec, exact, year) <= band[1]:
            return exact, numerator, denominator
    raise AssertionError(f"no numerator/denominator for {spec.ref} near {value}")


def invent_figures() -> dict[tuple[str, str], Figure]:
    """Figures for every indicator and quarter, each seeded by its ref (stable as the list grows)."""
    figures: dict[tuple[str, str], Figure] = {}
    for spec in INDICATORS:
        rng = random.Random(f"somerset-{spec.ref}")
        position = rng.random()
        previous: tuple[Quarter, float] | None = None
        for index, period in enumerate(PERIODS):
            quarter = Quarter.parse(period)
            if not due(spec, quarter):
                continue
            letter = spec.plan[index]
            require(letter != ".", f"{spec.ref} is due in {period} but its plan says not due")
            if letter == "M":
                continue  # left out of the return: the missing-indicator warning
            target, _ = target_for(spec, quarter)
            key = (spec.ref, period)
            if letter == "N":
                figures[key] = Figure(
                    spec.ref, None, status="Not available", commentary=NOT_AVAILABLE[spec.ref]
                )
                continue
            numerator = denominator = None
            position = (position + rng.random()) / 2  # some persistence from quarter to quarter
            if spec.values is not None:
                value = spec.values[index]
                require(value is not None, f"{spec.ref} {period}: no value given")
            elif letter in "GAR":
                band = _band(spec, letter, quarter)
                value = _value_at(spec, band[0] + round(position * (band[1] - band[0])), quarter)
                if spec.denominator:
                    value, numerator, denominator = _with_counts(spec, value, band, quarter, rng)
            else:
                value = _context_value(spec, index, rng)
            told, before = quarter, previous
            if spec.ref in IN_ARREARS:  # the officer writes about the quarter the figure is for
                told = _quarter_before(quarter)
                before = (_quarter_before(previous[0]), previous[1]) if previous else None
            commentary, actions = story(spec, told, letter, value, before, target, rng)
            figures[key] = Figure(
                spec.ref,
                value,
                numerator,
                denominator,
                status="Provisional"
                if key in PROVISIONAL
                else "Estimated"
                if key in ESTIMATED
                else "In arrears"
                if spec.ref in IN_ARREARS
                else "Final",
                data_period=Quarter(quarter.year - 1, quarter.quarter).fy
                if spec.ref in LAST_YEARS_OUTTURN
                else "",
                commentary=LONG_COMMENTARY.get(key, commentary),
                actions=actions,
                forecast=_forecast(spec, letter, rng),
            )
            previous = (quarter, value)
    return figures


def _quarter_before(quarter: Quarter) -> Quarter:
    if quarter.quarter == 1:
        return Quarter(quarter.year - 1, 4)
    return Quarter(quarter.year, quarter.quarter - 1)


def _forecast(spec: Spec, letter: str, rng: random.Random) -> str:
    if spec.service not in FORECASTERS or letter not in "GAR" or spec.frequency == "annual":
        return ""
    if letter == "G":
        return "Green"
    if letter == "A":
        return rng.choice(("Green", "Amber", "Amber"))
    return rng.choice(("Red", "Red", "Amber"))
