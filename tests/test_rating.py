"""RAG rating and direction of travel: the rules of docs/rating.md, as tables and properties."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from perfreport.core.model import (
    RAG,
    Catalogue,
    DataStatus,
    Frequency,
    Indicator,
    Observation,
    Polarity,
    YearTarget,
)
from perfreport.core.periods import Period
from perfreport.core.project import RatingSettings, Tolerance
from perfreport.rating.rules import (
    SAME,
    Direction,
    Status,
    Unrated,
    amber_threshold,
    direction,
    display_round,
    rate,
    rate_value,
)
from perfreport.summary.counts import unrated_counts

Q4_2023, Q1, Q2 = Period(2023, 4), Period(2024, 1), Period(2024, 2)
FIVE_PERCENT = RatingSettings(amber_tolerance=Tolerance(5.0, True))
TWO_ABSOLUTE = RatingSettings(amber_tolerance=Tolerance(2.0, False))
RANK = {RAG.RED: 0, RAG.AMBER: 1, RAG.GREEN: 2}


def indicator(
    ref: str = "ASC-01",
    *,
    polarity: Polarity = Polarity.HIGHER,
    unit: str = "%",
    decimals: int = 1,
    target: float | None = 90.0,
    amber: float | None = None,
    **more,
) -> Indicator:
    return Indicator(
        ref=ref,
        title="Care Act assessments within 28 days",
        priority="healthy",
        service="Adult Social Care",
        polarity=polarity,
        unit=unit,
        decimals=decimals,
        target=target,
        amber=amber,
        **more,
    )


def rated(
    ind: Indicator,
    value: float | None,
    *,
    period: Period = Q2,
    settings: RatingSettings = FIVE_PERCENT,
    targets: tuple[YearTarget, ...] = (),
    **observation,
) -> object:
    obs = Observation(ind.ref, value, **observation)
    return rate(ind, obs, period, Catalogue((ind,), targets), settings)


# -- rate_value: the rule at display precision ------------------------------------------------

HIGHER_TABLE = [  # target 90.0, Amber from 85.5 (5% of 90), one decimal
    (100.0, RAG.GREEN),
    (90.0, RAG.GREEN),  # exactly at the target
    (89.96, RAG.GREEN),  # shown as 90.0: equal to the target, so never Amber
    (89.95, RAG.GREEN),  # half rounds away from zero: 90.0
    (89.94, RAG.AMBER),  # shown as 89.9
    (85.5, RAG.AMBER),  # exactly at the threshold
    (85.45, RAG.AMBER),  # shown as 85.5
    (85.44, RAG.RED),  # shown as 85.4
    (84.9, RAG.RED),
]


@pytest.mark.parametrize(("value", "expected"), HIGHER_TABLE)
def test_higher_is_better_at_display_precision(value: float, expected: RAG) -> None:
    assert rate_value(value, 90.0, 85.5, Polarity.HIGHER, 1) is expected


LOWER_TABLE = [  # target 10.0 days, Amber up to 10.5, one decimal
    (5.0, RAG.GREEN),
    (10.0, RAG.GREEN),
    (10.04, RAG.GREEN),  # shown as 10.0
    (10.05, RAG.AMBER),  # shown as 10.1
    (10.5, RAG.AMBER),
    (10.54, RAG.AMBER),  # shown as 10.5
    (10.55, RAG.RED),  # shown as 10.6
]


@pytest.mark.parametrize(("value", "expected"), LOWER_TABLE)
def test_lower_is_better_is_the_mirror_image(value: float, expected: RAG) -> None:
    assert rate_value(value, 10.0, 10.5, Polarity.LOWER, 1) is expected


def test_the_target_and_threshold_are_rounded_too() -> None:
    # With no decimals a threshold of 85.5 is shown, and compared, as 86.
    assert rate_value(86, 90, 85.5, Polarity.HIGHER, 0) is RAG.AMBER
    assert rate_value(85.6, 90, 85.5, Polarity.HIGHER, 0) is RAG.AMBER  # shown as 86
    assert rate_value(85.4, 90, 85.5, Polarity.HIGHER, 0) is RAG.RED  # shown as 85
    assert rate_value(89.5, 89.6, 80, Polarity.HIGHER, 0) is RAG.GREEN  # both shown as 90


TOLERANCE_EDGE_TABLE = [  # the tolerance is worked out exactly, so its half-way points round up
    # 5% of 5.10 days is 0.255: Amber up to 5.355, shown as 5.36 (a float sum gives 5.3549999...)
    (Polarity.LOWER, 5.1, 5.0, True, 5.355, 5.36, RAG.AMBER),
    (Polarity.LOWER, 5.1, 5.0, True, 5.355, 5.37, RAG.RED),
    # 5% of 0.70 is 0.035: Amber from 0.665, shown as 0.67, so 0.66 is Red (not 0.6649999...)
    (Polarity.HIGHER, 0.7, 5.0, True, 0.665, 0.66, RAG.RED),
    (Polarity.HIGHER, 0.7, 5.0, True, 0.665, 0.67, RAG.AMBER),
    # an absolute 0.15 above 0.3 is 0.45, shown with one decimal as 0.5 (not 0.4499999...)
    (Polarity.LOWER, 0.3, 0.15, False, 0.45, 0.5, RAG.AMBER),
    (Polarity.LOWER, 0.3, 0.15, False, 0.45, 0.6, RAG.RED),
]


@pytest.mark.parametrize(
    ("polarity", "target", "amount", "percent", "threshold", "value", "expected"),
    TOLERANCE_EDGE_TABLE,
)
def test_the_tolerance_is_exact_decimal_arithmetic(
    polarity, target, amount, percent, threshold, value, expected
) -> None:
    ind = indicator(polarity=polarity, unit="days", decimals=2 if percent else 1, target=target)
    settings = RatingSettings(amber_tolerance=Tolerance(amount, percent))
    assert amber_threshold(target, ind, settings.amber_tolerance) == threshold
    assert rated(ind, value, settings=settings).rag is expected


NEGATIVE_TABLE = [  # a target of -10.0 (e.g. a forecast variance in £m), 5%: a band of 0.5
    (Polarity.HIGHER, -9.0, RAG.GREEN),
    (Polarity.HIGHER, -10.0, RAG.GREEN),
    (Polarity.HIGHER, -10.5, RAG.AMBER),
    (Polarity.HIGHER, -10.6, RAG.RED),
    (Polarity.LOWER, -11.0, RAG.GREEN),
    (Polarity.LOWER, -10.0, RAG.GREEN),
    (Polarity.LOWER, -9.5, RAG.AMBER),
    (Polarity.LOWER, -9.4, RAG.RED),
]


@pytest.mark.parametrize(("polarity", "value", "expected"), NEGATIVE_TABLE)
def test_negative_targets(polarity: Polarity, value: float, expected: RAG) -> None:
    ind = indicator(polarity=polarity, unit="number", target=-10.0)
    threshold = amber_threshold(-10.0, ind, FIVE_PERCENT.amber_tolerance)
    assert threshold == (-10.5 if polarity is Polarity.HIGHER else -9.5)
    assert rate_value(value, -10.0, threshold, polarity, 1) is expected


ZERO_TABLE = [  # a target of 0 (e.g. data breaches, lower is better)
    (FIVE_PERCENT, 0, RAG.GREEN),
    (FIVE_PERCENT, 1, RAG.RED),  # 5% of 0: no Amber band
    (TWO_ABSOLUTE, 0, RAG.GREEN),
    (TWO_ABSOLUTE, 1, RAG.AMBER),
    (TWO_ABSOLUTE, 2, RAG.AMBER),
    (TWO_ABSOLUTE, 3, RAG.RED),
]


@pytest.mark.parametrize(("settings", "value", "expected"), ZERO_TABLE)
def test_zero_target_percentage_tolerance_gives_no_amber_band(settings, value, expected) -> None:
    ind = indicator(polarity=Polarity.LOWER, unit="number", decimals=0, target=0.0)
    rating = rated(ind, value, settings=settings)
    assert rating.rag is expected
    assert rating.amber_threshold == (0.0 if settings is FIVE_PERCENT else 2.0)


def test_zero_target_reason_says_there_is_no_amber_band() -> None:
    ind = indicator(polarity=Polarity.LOWER, unit="number", decimals=0, target=0.0)
    assert rated(ind, 1).reason == "1 against target 0: Red (no Amber band)"


def test_rate_value_refuses_a_context_measure() -> None:
    with pytest.raises(ValueError, match="polarity must be higher or lower"):
        rate_value(1, 1, 1, Polarity.NONE, 0)


def test_display_round_rounds_half_away_from_zero_and_never_shows_minus_zero() -> None:
    assert str(display_round(2.25, 1)) == "2.3"
    assert str(display_round(-2.25, 1)) == "-2.3"
    assert str(display_round(-0.04, 1)) == "0.0"
    with pytest.raises(ValueError, match="decimals must be 0 or more, got -1"):
        display_round(1.0, -1)


# -- amber_threshold ----------------------------------------------------------------------------


def test_amber_threshold_from_percentage_and_absolute_tolerances() -> None:
    higher, lower = indicator(), indicator(polarity=Polarity.LOWER)
    assert amber_threshold(90.0, higher, Tolerance(5.0, True)) == pytest.approx(85.5)
    assert amber_threshold(90.0, lower, Tolerance(5.0, True)) == pytest.approx(94.5)
    assert amber_threshold(90.0, higher, Tolerance(2.5, False)) == 87.5
    assert amber_threshold(90.0, lower, Tolerance(2.5, False)) == 92.5


def test_an_explicit_amber_threshold_wins_over_the_tolerance() -> None:
    ind = indicator(amber=80.0)
    rating = rated(ind, 80.0)
    assert (rating.amber_threshold, rating.rag) == (80.0, RAG.AMBER)
    assert rated(ind, 79.9).rag is RAG.RED


def test_a_year_target_replaces_the_default_and_brings_its_own_threshold() -> None:
    ind = indicator(target=90.0, amber=80.0)
    targets = (YearTarget("ASC-01", 2024, 95.0, None),)
    this_year = rated(ind, 92.0, targets=targets)
    # The Targets row has no Amber: the tolerance applies (5% of 95), not the default's 80.
    assert (this_year.target, this_year.amber_threshold, this_year.rag) == (95.0, 90.25, RAG.AMBER)
    last_year = rated(ind, 92.0, targets=targets, period=Period(2023, 2))
    assert (last_year.target, last_year.rag) == (90.0, RAG.GREEN)


# -- rate: reasons, missing values, not rated, overrides -----------------------------------------


def test_every_rating_carries_its_reason() -> None:
    red = rated(indicator(), 84.9)
    assert (red.status, red.rag, red.rated) == (Status.REPORTED, RAG.RED, True)
    assert red.reason == "84.9% against target 90.0%: Red (Amber from 85.5%)"
    assert rated(indicator(), 91.0).reason == "91.0% against target 90.0%: Green"
    lower = indicator(polarity=Polarity.LOWER, unit="days", target=10.0)
    assert (
        rated(lower, 10.3).reason
        == "10.3 days against target 10.0 days: Amber (Amber up to 10.5 days)"
    )


@pytest.mark.parametrize(
    ("observation", "why"),
    [
        (None, "No data: no figure returned for Q2 2024/25"),
        (
            Observation("ASC-01", None, DataStatus.NOT_AVAILABLE),
            "No data: not available for Q2 2024/25",
        ),
        (
            Observation("ASC-01", 12.0, DataStatus.NOT_AVAILABLE),
            "No data: not available for Q2 2024/25",
        ),
        (Observation("ASC-01", None), "No data: no usable figure in the return for Q2 2024/25"),
    ],
)
def test_a_missing_value_is_no_data_and_never_red(observation, why) -> None:
    rating = rate(indicator(), observation, Q2, Catalogue((indicator(),)), FIVE_PERCENT)
    assert (rating.status, rating.value, rating.rag, rating.rated) == (
        Status.NO_DATA,
        None,
        None,
        True,
    )
    assert rating.reason == why


@pytest.mark.parametrize(
    ("ind", "why"),
    [
        (
            indicator(polarity=Polarity.NONE, target=None),
            "Not rated: a context measure (good is neither higher nor lower)",
        ),
        (indicator(rated=False), "Not rated: the catalogue does not rate this indicator"),
        (indicator(target=None), "Not rated: no target for 2024/25"),
        # Rated defaults to no without a target: the reason is still the missing target.
        (indicator(rated=False, target=None), "Not rated: no target for 2024/25"),
    ],
)
def test_not_rated_indicators_show_their_value_without_a_rag(ind: Indicator, why: str) -> None:
    rating = rated(ind, 50.0)
    assert (rating.status, rating.value, rating.rag, rating.rated) == (
        Status.REPORTED,
        50.0,
        None,
        False,
    )
    assert rating.reason == why


def test_an_override_with_a_reason_sets_the_rag_and_says_so() -> None:
    rating = rated(
        indicator(),
        84.9,
        rag_override=RAG.AMBER,
        override_reason="The September figure is incomplete.",
    )
    assert (rating.rag, rating.overridden) == (RAG.AMBER, True)
    assert rating.reason == (
        "Set by the service: Amber (calculated: 84.9% against target 90.0%: "
        "Red (Amber from 85.5%)). Reason: The September figure is "
        "incomplete."
    )


def test_an_override_without_a_reason_is_not_applied() -> None:
    rating = rated(indicator(), 84.9, rag_override=RAG.GREEN, override_reason="  ")
    assert (rating.rag, rating.overridden) == (RAG.RED, False)


def test_an_override_on_a_not_rated_indicator_gives_no_rag() -> None:
    rating = rated(indicator(target=None), 84.9, rag_override=RAG.GREEN, override_reason="Why")
    assert (rating.rag, rating.overridden) == (None, False)


# -- annual measures carried forward --------------------------------------------------------------

ANNUAL = indicator("ASC-14", frequency=Frequency.ANNUAL, due=(4,), target=67.5)


def test_an_annual_measure_not_due_carries_its_outturn_and_rag_forward() -> None:
    outturn = rated(ANNUAL, 61.2, period=Q4_2023)
    assert outturn.rag is RAG.RED
    carried = rate(ANNUAL, None, Q2, Catalogue((ANNUAL,)), FIVE_PERCENT, carried=outturn)
    assert (carried.status, carried.value, carried.value_period, carried.value_label) == (
        Status.NOT_DUE,
        61.2,
        Q4_2023,
        "2023/24 outturn",
    )
    assert (carried.rag, carried.rated, carried.carried) == (RAG.RED, True, True)
    assert carried.reason == (
        "Not due (annual, Q4): 2023/24 outturn carried forward. 61.2% "
        "against target 67.5%: Red (Amber from 64.1%)"
    )


def test_a_half_yearly_figure_is_labelled_with_its_quarter() -> None:
    half = indicator(
        "HR-06", frequency=Frequency.HALF_YEARLY, due=(2, 4), unit="number", decimals=0, target=40
    )
    figure = rated(half, 30, period=Q4_2023)
    carried = rate(half, None, Q1, Catalogue((half,)), FIVE_PERCENT, carried=figure)
    assert carried.value_label == "Q4 2023/24 figure"


def test_an_off_cycle_figure_is_not_used_for_a_measure_not_due() -> None:
    outturn = rated(ANNUAL, 70.0, period=Q4_2023)
    off_cycle = Observation("ASC-14", 50.0)
    carried = rate(ANNUAL, off_cycle, Q2, Catalogue((ANNUAL,)), FIVE_PERCENT, carried=outturn)
    assert (carried.value, carried.rag) == (70.0, RAG.GREEN)


def test_a_measure_not_due_with_no_earlier_figure_is_not_due_without_a_rag() -> None:
    rating = rate(ANNUAL, None, Q2, Catalogue((ANNUAL,)), FIVE_PERCENT)
    assert (rating.status, rating.value, rating.rag, rating.rated) == (
        Status.NOT_DUE,
        None,
        None,
        True,
    )
    assert rating.reason == "Not due (annual, Q4); no figure in the last four quarters"


# -- direction of travel ------------------------------------------------------------------------


def test_judgements_have_signs_and_movements_have_arrows() -> None:
    assert [d.label for d in Direction] == [
        "Improving +",
        "Worsening \u2212",
        "No change =",
        "Up ↑",
        "Down ↓",
        "Not comparable",
    ]
    judgements = {Direction.IMPROVING.mark, Direction.WORSENING.mark, Direction.NO_CHANGE.mark}
    movements = {Direction.UP.mark, Direction.DOWN.mark, SAME.split()[-1]}
    assert len(judgements) == len(movements) == 3 and not judgements & movements


@pytest.mark.parametrize(
    ("polarity", "moved", "label"),
    [
        (Polarity.NONE, Direction.NO_CHANGE, "Same →"),
        (Polarity.HIGHER, Direction.NO_CHANGE, "No change ="),
        (Polarity.LOWER, Direction.IMPROVING, "Improving +"),
        (Polarity.NONE, Direction.DOWN, "Down ↓"),
    ],
)
def test_a_context_measure_that_did_not_move_is_same(polarity, moved, label) -> None:
    assert moved.label_for(polarity) == label


@pytest.mark.parametrize(
    ("polarity", "now", "before", "expected"),
    [
        (Polarity.HIGHER, 91.0, 90.0, Direction.IMPROVING),
        (Polarity.HIGHER, 89.0, 90.0, Direction.WORSENING),
        (Polarity.LOWER, 89.0, 90.0, Direction.IMPROVING),
        (Polarity.LOWER, 91.0, 90.0, Direction.WORSENING),
        (Polarity.NONE, 91.0, 90.0, Direction.UP),
        (Polarity.NONE, 89.0, 90.0, Direction.DOWN),
        (Polarity.HIGHER, 90.04, 89.96, Direction.NO_CHANGE),  # both shown as 90.0
        (Polarity.NONE, 90.0, 90.0, Direction.NO_CHANGE),
        (Polarity.HIGHER, 90.0, None, Direction.NOT_COMPARABLE),
        (Polarity.HIGHER, None, 90.0, Direction.NOT_COMPARABLE),
    ],
)
def test_direction_is_polarity_aware(polarity, now, before, expected) -> None:
    assert direction(indicator(polarity=polarity), now, before, Q1) is expected


def test_no_change_band_absolute_and_percentage() -> None:
    ind = indicator()
    assert direction(ind, 90.5, 90.0, Q1, Tolerance(0.5, False)) is Direction.NO_CHANGE
    assert direction(ind, 90.6, 90.0, Q1, Tolerance(0.5, False)) is Direction.IMPROVING
    # 1% of the larger figure (100.0) is 1.0.
    assert direction(ind, 100.0, 99.0, Q1, Tolerance(1.0, True)) is Direction.NO_CHANGE
    assert direction(ind, 100.0, 98.9, Q1, Tolerance(1.0, True)) is Direction.IMPROVING


def test_not_comparable_when_the_definition_changed_after_the_earlier_figure() -> None:
    ind = indicator(comparable_from=Q1)
    assert direction(ind, 91.0, 90.0, Q4_2023) is Direction.NOT_COMPARABLE
    assert direction(ind, 91.0, 90.0, Q1) is Direction.IMPROVING


# -- properties ---------------------------------------------------------------------------------

values = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
decimals = st.integers(min_value=0, max_value=3)
distances = st.floats(min_value=0, max_value=1e3, allow_nan=False)


@given(values, values, values, distances, decimals)
def test_rag_is_monotonic_in_the_value(
    a: float, b: float, target: float, distance: float, places: int
) -> None:
    low, high = sorted((a, b))
    threshold = target - distance
    assert (
        RANK[rate_value(low, target, threshold, Polarity.HIGHER, places)]
        <= RANK[rate_value(high, target, threshold, Polarity.HIGHER, places)]
    )
    threshold = target + distance
    assert (
        RANK[rate_value(low, target, threshold, Polarity.LOWER, places)]
        >= RANK[rate_value(high, target, threshold, Polarity.LOWER, places)]
    )


@given(values, values, distances, decimals)
def test_the_two_polarities_mirror_each_other(
    value: float, target: float, distance: float, places: int
) -> None:
    assert rate_value(value, target, target - distance, Polarity.HIGHER, places) is rate_value(
        -value, -target, -target + distance, Polarity.LOWER, places
    )


OPPOSITE = {
    Direction.IMPROVING: Direction.WORSENING,
    Direction.WORSENING: Direction.IMPROVING,
    Direction.UP: Direction.DOWN,
    Direction.DOWN: Direction.UP,
}


@given(
    values,
    values,
    st.sampled_from(list(Polarity)),
    decimals,
    st.builds(Tolerance, st.floats(min_value=0, max_value=50), st.booleans()),
)
def test_direction_is_antisymmetric(
    a: float, b: float, polarity: Polarity, places: int, band: Tolerance
) -> None:
    ind = indicator(polarity=polarity, decimals=places)
    forward = direction(ind, a, b, Q1, band)
    backward = direction(ind, b, a, Q1, band)
    assert backward is OPPOSITE.get(forward, forward)
    assume(forward is not Direction.NO_CHANGE)
    assert forward in (
        {Direction.UP, Direction.DOWN}
        if polarity is Polarity.NONE
        else {Direction.IMPROVING, Direction.WORSENING}
    )


def _edge_as_written(target: float, higher: bool, amount: float, percent: bool) -> float:
    """amber_threshold's rule worked out afresh each time, as docs/rating.md writes it."""
    from decimal import Context, Decimal

    wide = Context(prec=400)
    base, band = Decimal(repr(float(target))), Decimal(repr(float(amount)))
    distance = wide.divide(wide.multiply(abs(base), band), 100) if percent else band
    return float(wide.subtract(base, distance) if higher else wide.add(base, distance))


@given(
    target=st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12),
    amount=st.sampled_from([0.0, 0.5, 2.5, 5.0, 10.0, 12.5]),
    percent=st.booleans(),
    polarity=st.sampled_from([Polarity.HIGHER, Polarity.LOWER]),
)
def test_the_remembered_amber_threshold_is_the_rule_worked_out_afresh(
    target: float, amount: float, percent: bool, polarity: Polarity
) -> None:
    """Thresholds are remembered by target (a measure's is the same every quarter): asked twice,
    each answer is the rule's, whatever was asked before."""
    ind = indicator(polarity=polarity)
    tolerance = Tolerance(amount, percent)
    expected = _edge_as_written(target, polarity is Polarity.HIGHER, amount, percent)
    assert amber_threshold(target, ind, tolerance) == expected
    assert amber_threshold(target, ind, tolerance) == expected


def test_a_remembered_threshold_of_a_zero_target_keeps_its_sign() -> None:
    """0.0 and -0.0 are equal as keys: the threshold of each is its own (dataset.json shows it)."""
    ind, exact = indicator(), Tolerance(5.0, True)
    assert str(amber_threshold(0.0, ind, exact)) == "0.0"
    assert str(amber_threshold(-0.0, ind, exact)) == "-0.0"
    assert str(amber_threshold(0.0, ind, exact)) == "0.0"


def test_the_indicators_without_a_rag_are_counted_by_why() -> None:
    ratings = [
        rated(indicator("A", polarity=Polarity.NONE, target=None), 1.0),
        rated(indicator("B", target=None), 1.0),
        rated(indicator("C", rated=False, target=None), 1.0),
        rated(indicator("D", rated=False), 95.0),  # a target, but the catalogue does not rate it
        rated(indicator("E"), 95.0),  # Green: not counted
        rated(indicator("F"), None),  # No data: rated, so not counted
    ]
    counted = unrated_counts(ratings)
    assert counted == {Unrated.CONTEXT: 1, Unrated.NO_TARGET: 2, Unrated.NOT_RATED: 1}
    assert list(counted) == [Unrated.CONTEXT, Unrated.NO_TARGET, Unrated.NOT_RATED]
    assert unrated_counts(ratings[:2]) == {Unrated.CONTEXT: 1, Unrated.NO_TARGET: 1}
