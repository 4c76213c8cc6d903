"""The synthetic council's indicators: twelve services per block, seeded from one RNG."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

SEED = 20240930
PERIODS = ("Q4-2023", "Q1-2024", "Q2-2024")  # the last is the one validated and built
PERIOD_LABELS = {"Q4-2023": "Q4 2023/24", "Q1-2024": "Q1 2024/25", "Q2-2024": "Q2 2024/25"}

PRIORITIES = (
    ("greener", "A greener, more sustainable Somerset", False),
    ("healthy", "A healthy and caring Somerset", False),
    ("fairer", "A fairer, ambitious Somerset", False),
    ("flourishing", "A flourishing and resilient Somerset", False),
    ("council", "A financially sustainable and resilient Council", True),
)

# One block of twelve services (prefix, name, priority, indicators): 114 indicators, spread
# unevenly as in a real council. Scale N repeats the block N times.
SERVICES = (
    ("ASC", "Adult Social Care", "healthy", 16),
    ("CS", "Children's Services", "fairer", 12),
    ("HOU", "Housing", "fairer", 10),
    ("PLN", "Planning", "flourishing", 8),
    ("WST", "Waste and Recycling", "greener", 9),
    ("HWY", "Highways and Transport", "greener", 11),
    ("LIB", "Libraries and Culture", "flourishing", 8),
    ("REV", "Revenues and Benefits", "council", 7),
    ("CUS", "Customer Services", "council", 10),
    ("HR", "HR and Organisational Development", "council", 9),
    ("PH", "Public Health", "healthy", 6),
    ("FIN", "Finance", "council", 8),
)
PER_BLOCK = sum(s[3] for s in SERVICES)  # 114
RATED_PER_BLOCK = 56

WORDS = (
    "performance improved this quarter as the service recovered from seasonal pressures "
    "demand remained high across the county while staffing vacancies were filled and new "
    "processes bedded in the team expects further progress once the review completes "
    "partners continue to support the recovery plan and figures are monitored monthly at "
    "the directorate management team with actions agreed for the coming quarter"
).split()


@dataclass(frozen=True)
class Indicator:
    """One indicator of the synthetic catalogue, and what its figures are drawn from."""

    ref: str
    title: str
    priority: str
    service: str
    unit: str
    decimals: int
    polarity: str
    frequency: str
    due: tuple[int, ...]
    rated: bool
    target: float | None
    amber: float | None
    level: float  # the typical figure, for measures without a target too
    fraction: bool  # % written as 0.85 with a percentage format, not 85
    ratio: int  # >0: the return gives numerator and denominator (the denominator's size)
    last_year_target: float | None = None  # a Targets-sheet row for 2023/24, when there is one
    stale_target: bool = False  # the return shows an out-of-date target (a target-mismatch warning)


def make_indicators(scale: int) -> tuple[list[Indicator], list[tuple[str, str]]]:
    """The catalogue's indicators and the services (name, directorate), in order."""
    rng = random.Random(f"{SEED}-catalogue-{scale}")
    indicators: list[Indicator] = []
    services: list[tuple[str, str]] = []
    for block in range(scale):
        for prefix, name, priority, size in SERVICES:
            service = name if block == 0 else f"{name} (area {block + 1})"
            services.append((service, f"{name} directorate"))
            code = prefix if scale == 1 else f"{prefix}{block + 1:03d}"
            for number in range(1, size + 1):
                indicators.append(_indicator(rng, f"{code}-{number:02d}", priority, service))
        block_start = len(indicators) - PER_BLOCK
        candidates = [n for n in range(block_start, len(indicators)) if indicators[n].rated]
        keep = set(rng.sample(candidates, min(RATED_PER_BLOCK, len(candidates))))
        for n in candidates:
            if n not in keep:
                indicators[n] = replace(indicators[n], rated=False, target=None, amber=None)
    for n, i in enumerate(indicators):
        if n % 10 == 0 and i.target is not None:  # last year's target, a little easier
            easier = 0.97 if i.polarity == "higher" else 1.03
            indicators[n] = replace(i, last_year_target=round(i.target * easier, i.decimals))
        elif n % 20 == 7 and i.target is not None:  # a few warnings, as in real returns
            indicators[n] = replace(i, stale_target=True)
    return indicators, services


def _indicator(rng: random.Random, ref: str, priority: str, service: str) -> Indicator:
    unit = rng.choices(("%", "number", "£", "days", "rate"), weights=(40, 30, 8, 12, 10))[0]
    roll = rng.random()
    frequency, due = (
        ("annual", (4,))
        if roll < 0.08
        else ("half-yearly", (2, 4))
        if roll < 0.12
        else ("monthly", (1, 2, 3, 4))
        if roll < 0.25
        else ("quarterly", (1, 2, 3, 4))
    )
    polarity = rng.choices(("higher", "lower", "none"), weights=(50, 43, 7))[0]
    level = (
        rng.uniform(20, 95)
        if unit == "%"
        else rng.uniform(1, 60)
        if unit in ("days", "rate")
        else float(rng.randint(50, 5000))
    )
    decimals = 1 if unit in ("%", "days", "rate") else 0
    rated = polarity != "none"  # make_indicators keeps 56 of every 114 rated, as in Somerset
    target = amber = None
    if rated:
        head = 1 + (0.04 if polarity == "higher" else -0.04)
        target = round(min(level * head, 99.0) if unit == "%" else level * head, decimals)
        if rng.random() < 0.6:
            band = 0.08 * abs(target)
            amber = round(target - band if polarity == "higher" else target + band, decimals)
    words = rng.sample(WORDS, 5)
    title = f"{' '.join(words).capitalize()} ({unit})"
    return Indicator(
        ref,
        title,
        priority,
        service,
        unit,
        decimals,
        polarity,
        frequency,
        due,
        rated,
        target,
        amber,
        level,
        unit == "%" and rng.random() < 0.2,
        rng.choice((0, 0, 0, 200, 1500)) if unit == "%" else 0,
    )
