"""Quarter targets: a year's target spread over its quarters (Q1–Q4 columns or a named profile)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from decimal import Context, Decimal

QUARTERS = (1, 2, 3, 4)
_EXACT = Context(prec=400)  # any float's digits, times a small fraction: never rounded


class TargetProfile(enum.StrEnum):
    """The Targets sheet's Profile: how a year's target becomes each quarter's.

    Both are year-to-date (cumulative) measures: the figure for Q2 is April to September.
    """

    CUMULATIVE = "cumulative"  # the quarters' targets are given in Q1–Q4
    CUMULATIVE_EVEN = "cumulative-even"  # Q1 25%, Q2 50%, Q3 75%, Q4 100% of the year's target

    @property
    def computed(self) -> bool:
        """The quarters' targets are worked out from the year's, not typed in Q1–Q4."""
        return self is TargetProfile.CUMULATIVE_EVEN


def known_profiles() -> str:
    """``cumulative, cumulative-even``: the names the Profile column accepts."""
    return ", ".join(p.value for p in TargetProfile)


def parse_profile(text: str) -> TargetProfile | None:
    """A profile name as typed ("Cumulative even", "CUMULATIVE_EVEN"); None when unknown."""
    folded = "-".join(text.replace("_", " ").replace("-", " ").casefold().split())
    return next((p for p in TargetProfile if p.value == folded), None)


@dataclass(frozen=True)
class QuarterTarget:
    """What a figure for one quarter is rated against: the quarter's own target where the
    Targets sheet gives one (its Q1–Q4 column, or its profile), else the year's target."""

    target: float | None
    amber: float | None  # the Amber threshold given (None: [rating] amber_tolerance applies)
    year_target: float | None = None  # the year's target, when ``target`` is the quarter's own
    quarter: int | None = None  # the quarter whose own target this is; None: the year's target
    cumulative: bool = False  # a year-to-date measure (any profile): the figure accumulates

    @property
    def own(self) -> bool:
        """The target is the quarter's own, not the year's."""
        return self.quarter is not None


def profile_share(quarter: int) -> Decimal:
    """cumulative-even's share of the year's target reached by the end of ``quarter``."""
    return Decimal(quarter) / 4


def quarter_target(
    target: float | None,
    amber: float | None,
    quarter: int,
    given: tuple[float | None, ...] = (),
    profile: TargetProfile | None = None,
) -> QuarterTarget:
    """The target for ``quarter`` of a year with ``target`` and ``amber``.

    ``given`` holds Q1–Q4 as typed (blank: None). A quarter's own target comes from its column,
    else from a computed ``profile``; a quarter with neither is rated against the year's target.
    The year's Amber threshold, when given, is carried over in proportion: the same share of the
    quarter's target as of the year's (Amber from 96.0 on 97.5 gives Amber from 53.6 on 54.4),
    or, for a zero year target, the same distance from it. Without one, the tolerance applies.
    """
    cumulative = profile is not None
    if target is None:
        return QuarterTarget(None, None)
    own = given[quarter - 1] if len(given) >= quarter else None
    if own is None and profile is not None and profile.computed:
        own = float(_EXACT.multiply(_decimal(target), profile_share(quarter)))
    if own is None:
        return QuarterTarget(target, amber, cumulative=cumulative)
    return QuarterTarget(
        own, _quarter_amber(target, amber, own), target, quarter, cumulative=cumulative
    )


def _quarter_amber(target: float, amber: float | None, own: float) -> float | None:
    if amber is None:
        return None
    year, edge, mine = _decimal(target), _decimal(amber), _decimal(own)
    if year == 0:
        return float(_EXACT.add(mine, _EXACT.subtract(edge, year)))
    return float(_EXACT.divide(_EXACT.multiply(mine, edge), year))


def _decimal(value: float) -> Decimal:
    return Decimal(repr(float(value)))
