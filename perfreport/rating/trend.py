"""Direction of travel over a series (Kent's way): the least-squares line, within a no-change band."""

from __future__ import annotations

from collections.abc import Sequence

from perfreport.core.model import Indicator
from perfreport.core.periods import Period
from perfreport.core.project import Tolerance
from perfreport.rating.rules import EXACT, Direction, direction

MIN_POINTS = 3  # fewer figures than this make no trend
_NOT_COMPARABLE = Direction.NOT_COMPARABLE  # a member read through its class is slow (rules)


def fitted_ends(points: Sequence[tuple[Period, float]]) -> tuple[float, float]:
    """The least-squares line through ``points`` (x: the quarter, y: the figure), read at the
    first and the last quarter: (start, end). Needs two quarters or more."""
    return _fitted([p.index for p, _ in points], [v for _, v in points])


def _fitted(indices: Sequence[int], values: Sequence[float]) -> tuple[float, float]:
    """``fitted_ends`` of the quarters numbered ``indices`` (Period.index) and their figures."""
    xs = [float(x) for x in indices]
    ys = [float(v) for v in values]
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    spread = sum((x - mean_x) ** 2 for x in xs)
    if spread == 0:
        raise ValueError(f"a line needs figures for two quarters or more, got {n} for one")
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
    return mean_y + slope * (xs[0] - mean_x), mean_y + slope * (xs[-1] - mean_x)


def trend_direction(
    indicator: Indicator, points: Sequence[tuple[Period, float]], band: Tolerance = EXACT
) -> Direction:
    """Improving, worsening or no change along the fitted line from the first figure to the last,
    compared as ``direction`` compares two figures (display precision, then the band). Figures
    from before the indicator is ``comparable_from`` are left out; fewer than MIN_POINTS left
    are not comparable."""
    since = indicator.comparable_from
    usable = [(p, v) for p, v in points if since is None or p >= since]
    if len(usable) < MIN_POINTS:
        return _NOT_COMPARABLE
    # In (quarter, figure) order; by the quarter's index, as comparing Periods is a Python call.
    # A trend's figures come in order, one a quarter (11,400 at 100x): then nothing to sort.
    indices = [p.index for p, _ in usable]
    if any(a >= b for a, b in zip(indices, indices[1:], strict=False)):
        usable.sort(key=lambda point: (point[0].index, point[1]))
        indices = [p.index for p, _ in usable]
    start, end = _fitted(indices, [v for _, v in usable])
    return direction(indicator, end, start, usable[0][0], band)
