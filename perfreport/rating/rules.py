"""RAG rating and direction of travel: pure rules over one indicator's values (docs/rating.md)."""

from __future__ import annotations

import enum
import functools
from dataclasses import dataclass, field
from decimal import Decimal

from perfreport.core.formatting import format_value, not_due_label, plain_shown, shown_number
from perfreport.core.model import (
    RAG,
    Catalogue,
    DataStatus,
    Frequency,
    Indicator,
    Observation,
    Polarity,
)
from perfreport.core.periods import Period
from perfreport.core.project import RatingSettings, Tolerance
from perfreport.core.targets import QuarterTarget
from perfreport.rating.bands import amber_threshold, band_amount, wide

EXACT = Tolerance(0.0, False)  # no no-change band: only equal shown values are "No change"
# The enum members read for every figure rated. Python 3.11 reads a member through its class
# (``Polarity.NONE``) by the slow path, as EnumType has a __getattr__ (~0.1 us a read, ~15 a
# rating, 34,200 ratings at 100x); a module name is a plain global read.
_NONE, _HIGHER, _LOWER = Polarity.NONE, Polarity.HIGHER, Polarity.LOWER
_GREEN, _AMBER, _RED = RAG.GREEN, RAG.AMBER, RAG.RED
_NOT_AVAILABLE = DataStatus.NOT_AVAILABLE
# The figures remembered as shown (``_shown``, ``shown_text``): a 100x paper shows ~26,000
# distinct ones. With 4,096, most were worked out two or three times over (~0.07 s).
REMEMBERED = 1 << 15


class Direction(enum.StrEnum):
    """Direction of travel: judged for higher/lower polarity, plain Up/Down for context measures."""

    IMPROVING = "improving"
    WORSENING = "worsening"
    NO_CHANGE = "no_change"
    UP = "up"
    DOWN = "down"
    NOT_COMPARABLE = "not_comparable"

    @property
    def word(self) -> str:
        return _WORDS[self]  # worked out once each (Enum.value is a Python descriptor)

    @property
    def mark(self) -> str:
        """A judgement's sign (+ better, − worse, = level) or a movement's arrow (↑ up, ↓ down):
        two kinds of mark, so that an arrow never means "better" in one row and "up" in the next."""
        return _MARKS[self]

    @property
    def label(self) -> str:
        """The word and the mark, so that the direction never rests on a symbol or colour alone."""
        return f"{self.word} {self.mark}".strip()

    def label_for(self, polarity: Polarity) -> str:
        """The label a measure of ``polarity`` shows: a context measure that did not move is
        "Same →", a movement, not the judgement "No change =" of a measure with a target."""
        if polarity is Polarity.NONE and self is Direction.NO_CHANGE:
            return SAME
        return self.label


SAME = "Same →"
_MARKS = {
    Direction.IMPROVING: "+",
    Direction.WORSENING: "\u2212",  # the minus sign, as wide as the plus
    Direction.NO_CHANGE: "=",
    Direction.UP: "↑",
    Direction.DOWN: "↓",
    Direction.NOT_COMPARABLE: "",
}
_WORDS = {d: d.value.replace("_", " ").capitalize() for d in Direction}
_IMPROVING, _WORSENING, _NO_CHANGE = Direction.IMPROVING, Direction.WORSENING, Direction.NO_CHANGE
_UP, _DOWN, _NOT_COMPARABLE = Direction.UP, Direction.DOWN, Direction.NOT_COMPARABLE


class Status(enum.StrEnum):
    """Whether this quarter's figure was reported, is missing, or is not due."""

    REPORTED = "reported"
    NO_DATA = "no_data"
    NOT_DUE = "not_due"


_REPORTED, _NO_DATA, _NOT_DUE = Status.REPORTED, Status.NO_DATA, Status.NOT_DUE


@dataclass(frozen=True)
class Rating:
    """One indicator in one period: the figure shown, its target and RAG, and why."""

    indicator: Indicator
    period: Period
    status: Status
    value: float | None
    # The period the value belongs to: earlier when carried forward, or given for an earlier
    # period (Period of data, In arrears); its label ("2023/24 outturn") then, else "".
    value_period: Period | None
    value_label: str
    target: float | None
    amber_threshold: float | None
    rag: RAG | None
    rated: bool  # rated this period: a rated indicator with a polarity and this year's target
    reason: str
    overridden: bool = False  # the RAG was set by the service (RAG override with a reason)
    observation: Observation | None = None  # the return row the value came from
    # Where ``target`` came from: the quarter's own target (Q1–Q4 or a profile, with the year's
    # beside it) or the year's. None for a rating read back from a published dataset.json, which
    # is the same rating all the same: so it is not compared.
    basis: QuarterTarget | None = field(default=None, compare=False)

    @property
    def cumulative(self) -> bool:
        """A year-to-date figure (its year's targets have a cumulative profile)."""
        return self.basis is not None and self.basis.cumulative

    @property
    def ref(self) -> str:
        return self.indicator.ref

    @property
    def carried(self) -> bool:
        """The value is another period's: carried forward, or returned late."""
        shown = self.value_period  # nearly always the period itself: no Period == (a Python call)
        return shown is not None and shown is not self.period and shown != self.period

    @property
    def returned_late(self) -> bool:
        """Returned this period for an earlier one (Period of data, or In arrears)."""
        return self.carried and self.status is _REPORTED


@functools.lru_cache(maxsize=REMEMBERED)
def _shown(value: float, unit: str, decimals: int, compact: bool) -> Decimal:
    """``shown_number``, remembered: rating an indicator, its direction and its trend round the
    same figures and targets again and again (160,000 times in a 100x summary). Numbers equal
    as keys (1 and 1.0, 0.0 and -0.0) are shown the same, and a Decimal does not change."""
    if not compact:
        return plain_shown(value, decimals)
    return shown_number(value, unit, decimals, compact=compact)


def display_round(value: float, decimals: int) -> Decimal:
    """``value`` as the paper shows it at ``decimals`` places: rounded half away from zero."""
    return _shown(value, "number", decimals, False)


def as_shown(indicator: Indicator, value: float) -> Decimal:
    """``value`` as the paper shows it for ``indicator``: its unit, decimals and display form."""
    return _shown(value, indicator.unit, indicator.decimals, indicator.compact)


def rate_value(
    value: float,
    target: float,
    amber: float,
    polarity: Polarity,
    decimals: int,
    *,
    unit: str = "number",
    compact: bool = False,
) -> RAG:
    """Green at or better than the target, Amber at or better than the threshold, else Red.

    All three are first taken as the paper shows them (``shown_number``: the unit, decimals and
    compact money form), so a value the paper shows as equal to its target is never Amber.
    """
    if polarity is _NONE:
        raise ValueError("polarity must be higher or lower to rate a value, got none")
    shown = _shown(value, unit, decimals, compact)
    goal = _shown(target, unit, decimals, compact)
    edge = _shown(amber, unit, decimals, compact)
    if polarity is _LOWER:  # the mirror image: negate and rate as higher-is-better
        shown, goal, edge = shown.copy_negate(), goal.copy_negate(), edge.copy_negate()  # exact
    if shown >= goal:
        return _GREEN
    if shown >= edge:
        return _AMBER
    return _RED


def value_label(indicator: Indicator, period: Period) -> str:
    """How a figure of another period is named: "2023/24 outturn", "Q2 2023/24 figure"."""
    if indicator.frequency is Frequency.ANNUAL:
        return f"{period.fy_label} outturn"
    return f"{period.label} figure"


def figure_period(indicator: Indicator, period: Period) -> Period:
    """The period a figure of ``indicator`` is for, as one figure is kept per period: for an
    annual measure its financial year, named by the measure's due quarter in that year (a return's
    Period of data "2023/24" is held as Q4 2023/24, an imported "2023/24" or an In arrears figure
    as the due quarter: the same year, the same "2023/24 outturn"); else the quarter itself."""
    if indicator.frequency is Frequency.ANNUAL and indicator.due:
        due = indicator.due[0]
        return period if period.quarter == due else Period(period.year, due)
    return period


def _threshold_words(indicator: Indicator, target: float, amber: float) -> str:
    if as_shown(indicator, target) == as_shown(indicator, amber):
        return "no Amber band"
    side = "from" if indicator.polarity is _HIGHER else "up to"
    return f"Amber {side} {_show(indicator, amber)}"


def _show(indicator: Indicator, value: float | None) -> str:
    return shown_text(value, indicator.unit, indicator.decimals, indicator.compact)


@functools.lru_cache(maxsize=REMEMBERED)
def shown_text(value: float | None, unit: str, decimals: int, compact: bool) -> str:
    """``format_value``, remembered as ``_shown`` is: the reasons, the paper's cells and the
    trends' words show the same figures and targets many times over."""
    return format_value(value, unit, decimals, compact=compact)


def _target_words(indicator: Indicator, basis: QuarterTarget) -> str:
    """``target 90.0%``; a quarter's own: ``the Q2 target 54.5% (year 97.5%)``."""
    shown = _show(indicator, basis.target)
    if not basis.own:
        return f"target {shown}"
    return f"the Q{basis.quarter} target {shown} (year {_show(indicator, basis.year_target)})"


class Unrated(enum.Enum):
    """Why an indicator's figure has no RAG (docs/rating.md, section 1)."""

    CONTEXT = "context"  # polarity none: good is neither higher nor lower
    NO_TARGET = "no target"  # none for the figure's year
    NOT_RATED = "not rated"  # the catalogue's Rated is no, though it has a target


def unrated_because(indicator: Indicator, target: float | None) -> Unrated:
    """Why a figure rated against ``target`` has no RAG: a context measure; else no target
    (whatever Rated says: it defaults to no without one); else the catalogue does not rate it."""
    if indicator.polarity is _NONE:
        return Unrated.CONTEXT
    if target is None or indicator.rated:
        return Unrated.NO_TARGET
    return Unrated.NOT_RATED


def _not_rated_reason(indicator: Indicator, target: float | None, period: Period) -> str:
    why = unrated_because(indicator, target)
    if why is Unrated.CONTEXT:
        return "Not rated: a context measure (good is neither higher nor lower)"
    if why is Unrated.NOT_RATED:
        return "Not rated: the catalogue does not rate this indicator"
    return f"Not rated: no target for {period.fy_label}"


def _carry(indicator: Indicator, period: Period, carried: Rating | None, rateable: bool) -> Rating:
    """Not due this quarter: the latest due figure, with the RAG it had then."""
    not_due = not_due_label(indicator.frequency, indicator.due)
    if carried is None or carried.value is None or carried.value_period is None:
        return Rating(
            indicator,
            period,
            _NOT_DUE,
            None,
            None,
            "",
            None,
            None,
            None,
            rateable,
            f"{not_due}; no figure in the last four quarters",
        )
    label = value_label(indicator, carried.value_period)
    return Rating(
        indicator,
        period,
        _NOT_DUE,
        carried.value,
        carried.value_period,
        label,
        carried.target,
        carried.amber_threshold,
        carried.rag,
        carried.rated,
        f"{not_due}: {label} carried forward. {carried.reason}",
        carried.overridden,
        carried.observation,
        carried.basis,
    )


def rate(
    indicator: Indicator,
    observation: Observation | None,
    period: Period,
    catalogue: Catalogue,
    settings: RatingSettings,
    carried: Rating | None = None,
) -> Rating:
    """Rate one indicator for ``period`` from its return row (see docs/rating.md for each rule).

    ``carried`` is the rating of the latest quarter the indicator was due in, used when it is not
    due in ``period`` (an off-cycle figure is not used: validate warns about it instead).
    """
    # A figure for an earlier period (Period of data, or In arrears) is rated against that
    # period's target and named by it: "104 (2024/25 outturn)", never this year's.
    due = indicator.is_due(period)
    of = observation.data_period if observation is not None and due else None
    data_period = of if of is not None else period
    label = value_label(indicator, of) if of is not None and of != period else ""
    basis = catalogue.quarter_target(indicator.ref, data_period)
    target, year_amber = basis.target, basis.amber
    rateable = indicator.rated and indicator.polarity is not _NONE and target is not None
    if not due:
        return _carry(indicator, period, carried, rateable)
    threshold = (
        amber_threshold(target, indicator, settings.amber_tolerance, year_amber)
        if rateable and target is not None
        else None
    )
    value = observation.value if observation is not None else None
    if observation is not None and observation.data_status is _NOT_AVAILABLE:
        value = None
    if value is None:
        if observation is None:
            why = "no figure returned"
        elif observation.data_status is _NOT_AVAILABLE:
            why = "not available"
        else:  # a blank or unusable Value cell: validate reports it as an error
            why = "no usable figure in the return"
        reason = f"No data: {why} for {period.label}"
        return Rating(
            indicator,
            period,
            _NO_DATA,
            None,
            None,
            "",
            target,
            threshold,
            None,
            rateable,
            reason,
            observation=observation,
            basis=basis,
        )
    if not rateable or target is None or threshold is None:
        return Rating(
            indicator,
            period,
            _REPORTED,
            value,
            data_period,
            label,
            target,
            None,
            None,
            False,
            _not_rated_reason(indicator, target, data_period),
            observation=observation,
            basis=basis,
        )
    calculated = rate_value(
        value,
        target,
        threshold,
        indicator.polarity,
        indicator.decimals,
        unit=indicator.unit,
        compact=indicator.compact,
    )
    figure = f"{_show(indicator, value)} ({label})" if label else _show(indicator, value)
    reason = f"{figure} against {_target_words(indicator, basis)}: {calculated.word}"
    if calculated is not _GREEN:
        reason += f" ({_threshold_words(indicator, target, threshold)})"
    override = observation.rag_override if observation is not None else None
    if override is not None and observation is not None and observation.override_reason.strip():
        reason = (
            f"Set by the service: {override.word} (calculated: {reason}). "
            f"Reason: {observation.override_reason.strip()}"
        )
        return Rating(
            indicator,
            period,
            _REPORTED,
            value,
            data_period,
            label,
            target,
            threshold,
            override,
            True,
            reason,
            True,
            observation,
            basis,
        )
    return Rating(
        indicator,
        period,
        _REPORTED,
        value,
        data_period,
        label,
        target,
        threshold,
        calculated,
        True,
        reason,
        observation=observation,
        basis=basis,
    )


def direction(
    indicator: Indicator,
    current: float | None,
    earlier: float | None,
    earlier_period: Period | None,
    band: Tolerance = EXACT,
) -> Direction:
    """Direction of travel from ``earlier`` to ``current``, compared at display precision.

    No change when the shown values are equal or differ by no more than ``band`` (a percentage
    band is a share of the larger of the two, so that swapping them swaps the direction).
    """
    if current is None or earlier is None or earlier_period is None:
        return _NOT_COMPARABLE
    if indicator.comparable_from is not None and earlier_period < indicator.comparable_from:
        return _NOT_COMPARABLE
    now, before = as_shown(indicator, current), as_shown(indicator, earlier)
    exact = wide(indicator.decimals)  # never rounded
    change = exact.subtract(now, before)
    base = max(abs(now), abs(before))
    amount = band_amount(band.amount)
    allowed = exact.divide(exact.multiply(base, amount), 100) if band.percent else amount
    if abs(change) <= allowed:
        return _NO_CHANGE
    if indicator.polarity is _NONE:
        return _UP if change > 0 else _DOWN
    better = change > 0 if indicator.polarity is _HIGHER else change < 0
    return _IMPROVING if better else _WORSENING
