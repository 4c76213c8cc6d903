"""Tolerance bands in exact decimal: the Amber threshold, and a band's amount as written."""

from __future__ import annotations

import functools
import sys
from decimal import Context, Decimal

from perfreport.core.model import Indicator, Polarity
from perfreport.core.project import Tolerance

# A float reaches 1.8e308: rounding one to d decimals needs up to 309 + d digits.
_DIGITS = 340
_WIDE = Context(prec=_DIGITS)
_NONE, _HIGHER = Polarity.NONE, Polarity.HIGHER  # a member read through its class is slow (rules)


@functools.lru_cache(maxsize=64)
def wide(decimals: int) -> Context:
    """A context exact for any float's figure at ``decimals`` places (made once: not per call)."""
    return Context(prec=_DIGITS + decimals)


@functools.lru_cache(maxsize=64)
def band_amount(amount: float) -> Decimal:
    """A tolerance's (or no-change band's) amount as written: 0.1, not 0.1000000000000000055...
    Made once each, not per figure rated."""
    return Decimal(repr(float(amount)))


def amber_threshold(
    target: float, indicator: Indicator, tolerance: Tolerance, amber: float | None = None
) -> float:
    """The value at which Amber turns Red: ``amber`` if given, else ``tolerance`` from the target.

    A percentage tolerance is a share of |target| on the worse side of it, so a zero target gets
    no Amber band with a percentage tolerance (the threshold equals the target); an absolute
    tolerance still gives one.
    """
    polarity = indicator.polarity
    if polarity is _NONE:
        raise ValueError(f"{indicator.ref} has polarity none and cannot have an Amber threshold")
    if amber is not None:
        return amber
    higher = polarity is _HIGHER
    return _edge(repr(float(target)), higher, tolerance.amount, tolerance.percent)


@functools.lru_cache(maxsize=1 << 13)
def _edge(target: str, higher: bool, amount: float, percent: bool) -> float:
    """``amber_threshold``'s sum for a target written as ``repr`` writes it (so that 0.0 and
    -0.0 are two keys), remembered: a measure is rated against the same target in every quarter
    of a year, and many measures share one (100%, 95%)."""
    # In decimal, as the rule is written: 5% of 7.10 is 0.355, so Amber reaches 7.455, shown as
    # 7.46. Binary floats give 7.454999..., which the display rounding would turn into 7.45.
    base, band = Decimal(target), band_amount(amount)
    exact = _WIDE  # exact for any float: never rounded, never InvalidOperation
    distance = exact.divide(exact.multiply(abs(base), band), 100) if percent else band
    edge = float(exact.subtract(base, distance) if higher else exact.add(base, distance))
    # Past the largest float the band reaches "everything": the largest float says the same.
    return max(-sys.float_info.max, min(sys.float_info.max, edge))
