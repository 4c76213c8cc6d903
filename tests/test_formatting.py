"""Values and words as the paper shows them: by unit and decimals, never a blank cell."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st
from wcag import contrast_ratio

from perfreport.core.formatting import (
    NO_DATA,
    NO_TARGET,
    NOT_RATED,
    RAG_FILLS,
    count_line,
    format_date,
    format_target,
    format_value,
    not_due_label,
    rag_fill,
    shown_number,
)
from perfreport.core.model import RAG, Frequency
from perfreport.inputs.risk import RiskBand


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "shown"),
    [
        (85.2, "%", 1, "85.2%"),
        (85, "%", 1, "85.0%"),
        (85.25, "%", 1, "85.3%"),  # half away from zero, as Excel rounds (not banker's rounding)
        (149_600, "£", 0, "£149,600"),  # money in full unless the catalogue says compact
        (132_500, "£", 0, "£132,500"),
        (1_234_567, "£", 0, "£1,234,567"),
        (5_250, "£", 0, "£5,250"),
        (12.5, "£", 2, "£12.50"),
        (-1_500_000, "£", 0, "-£1,500,000"),
        (-0.4, "£", 0, "£0"),  # never "-£0"
        (1234, "number", 0, "1,234"),
        (1234.56, "number", 1, "1,234.6"),
        (12.5, "days", 1, "12.5 days"),
        (1, "days", 0, "1 day"),
        (3.44, "rate", 1, "3.4"),
        (512.34, "per 100,000", 1, "512.3 per 100,000"),  # free-text units follow the number
        (12, "weeks", 0, "12 weeks"),
        (
            17.6,
            "£m",
            1,
            "£17.6m",
        ),  # money already in millions: the pound sign first, never "17.6 £m"
        (-2.25, "£m", 1, "-£2.3m"),
        (21_200, "£000s", 0, "£21,200k"),
        (12.5, "£ per head", 2, "£12.50 per head"),
        (-0.04, "%", 1, "0.0%"),  # never "-0.0%"
        (0.125, "number", 2, "0.13"),
    ],
)
def test_values_are_formatted_by_unit_and_decimals(value, unit, decimals, shown) -> None:
    assert format_value(value, unit, decimals) == shown


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (149_600, 0, "£150k"),
        (132_500, 0, "£133k"),  # half away from zero
        (1_234_567, 0, "£1.2m"),
        (350_000, 0, "£350k"),
        (5_250, 0, "£5,250"),
        (12.5, 2, "£12.50"),
        (999_600, 0, "£1.0m"),  # not "£1,000k"
        (999_400, 0, "£999k"),
        (-1_500_000, 0, "-£1.5m"),
        (1_234_567, 2, "£1.23m"),
    ],
)
def test_compact_money_is_a_choice(value, decimals, shown) -> None:
    assert format_value(value, "£", decimals, compact=True) == shown
    assert format_target(value, "£", decimals, compact=True) == shown


@pytest.mark.parametrize(
    ("value", "decimals", "compact", "number"),
    [
        (149_600, 0, False, "149600"),
        (149_600, 0, True, "1.50E+5"),  # 150,000: what "£150k" says
        (132_500, 0, True, "1.33E+5"),
        (1_234_567, 0, True, "1.2E+6"),
        (5_249.5, 0, True, "5250"),
        (85.25, 1, False, "85.3"),
    ],
)
def test_shown_number_is_the_figure_the_paper_prints(value, decimals, compact, number) -> None:
    assert str(shown_number(value, "£", decimals, compact=compact)) == number


def test_compact_is_money_only_other_units_keep_their_decimals() -> None:
    assert format_value(149_600, "number", 0, compact=True) == "149,600"
    assert shown_number(149_600, "%", 1, compact=True) == 149_600


def test_a_missing_value_is_a_word_never_a_blank() -> None:
    assert format_value(None, "%", 1) == NO_DATA == "No data"
    assert format_target(None, "%", 1) == NO_TARGET == "No target"
    assert format_target(85, "%", 1) == "85.0%"


def test_raises_on_negative_decimals() -> None:
    with pytest.raises(ValueError, match="decimals must be 0 or more, got -1"):
        format_value(1.0, "number", -1)


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(0, 3))
def test_a_formatted_number_reads_back_within_half_a_unit_of_the_last_digit(
    value, decimals
) -> None:
    shown = format_value(value, "number", decimals)
    assert abs(float(shown.replace(",", "")) - value) <= 0.5 * 10**-decimals + 1e-9 * abs(value)


@pytest.mark.parametrize(
    ("frequency", "due", "label"),
    [
        (Frequency.ANNUAL, (4,), "Not due (annual, Q4)"),
        ("half-yearly", (4, 2), "Not due (half-yearly, Q2 and Q4)"),
        (Frequency.QUARTERLY, (1, 2, 3), "Not due (quarterly, Q1, Q2 and Q3)"),
    ],
)
def test_not_due_says_how_often_and_when(frequency, due, label) -> None:
    assert not_due_label(frequency, due) == label


def test_the_count_line_gives_indicators_rated_and_each_rating() -> None:
    counts = {RAG.GREEN: 4, RAG.AMBER: 3, RAG.RED: 4}
    assert count_line(23, counts) == "23 indicators, 11 rated: 4 Green, 3 Amber, 4 Red"
    assert count_line(1, {RAG.RED: 1}) == "1 indicator, 1 rated: 0 Green, 0 Amber, 1 Red"
    assert count_line(5, {}) == "5 indicators, none rated"


def test_the_count_line_counts_a_rated_measure_without_a_figure_as_rated() -> None:
    counts = {RAG.GREEN: 5, RAG.AMBER: 2, RAG.RED: 5}
    assert count_line(27, counts, no_data=1) == (
        "27 indicators, 13 rated: 5 Green, 2 Amber, 5 Red, 1 no data"
    )
    assert (
        count_line(3, {}, no_data=1) == "3 indicators, 1 rated: 0 Green, 0 Amber, 0 Red, 1 no data"
    )


def test_rag_words_and_fills_come_from_the_rating() -> None:
    assert [
        r.word if r is not None else NOT_RATED for r in (RAG.RED, RAG.AMBER, RAG.GREEN, None)
    ] == [
        "Red",
        "Amber",
        "Green",
        NOT_RATED,
    ]
    assert rag_fill(RAG.RED) == "F05A5A"
    assert rag_fill(None) == "FFFFFF"
    assert len({rag_fill(r) for r in (*RAG, None)}) == 4


@pytest.mark.parametrize("fill", [*RAG_FILLS.values(), *(band.fill for band in RiskBand)])
def test_every_fill_gives_black_text_at_least_4_5_to_1_contrast(fill: str) -> None:
    assert contrast_ratio("000000", fill) >= 4.5


def test_contrast_ratio_matches_the_wcag_extremes() -> None:
    assert contrast_ratio("000000", "FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("777777", "777777") == pytest.approx(1.0)


def test_dates_have_no_leading_zero() -> None:
    assert format_date(dt.date(2024, 12, 2)) == "2 December 2024"


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "shown"),
    [
        (1e27, "number", 0, "1,000,000,000,000,000,000,000,000,000"),
        (1e27, "%", 1, "1,000,000,000,000,000,000,000,000,000.0%"),
        (-1e300, "£", 0, "-£1" + ",000" * 100),
    ],
)
def test_huge_values_are_shown_in_full_never_an_error(value, unit, decimals, shown):
    """The fuzzer typed 1e27 into a return: a message must still be written."""
    assert format_value(value, unit, decimals) == shown


@pytest.mark.parametrize(
    ("rag", "hues"),
    [(RAG.RED, (0, 10)), (RAG.AMBER, (35, 50)), (RAG.GREEN, (100, 140))],
)
def test_the_rag_fills_are_clearly_red_amber_and_green_not_pastel(rag: RAG, hues) -> None:
    import colorsys

    red, green, blue = (int(RAG_FILLS[rag][i : i + 2], 16) / 255 for i in (0, 2, 4))
    hue, _, saturation = colorsys.rgb_to_hls(red, green, blue)
    assert hues[0] <= hue * 360 <= hues[1]
    assert saturation >= 0.4  # the old Red, F4C7C3, had 0.67 but read as pink: lightness 0.86
    assert colorsys.rgb_to_hls(red, green, blue)[1] <= 0.65
    assert contrast_ratio("000000", RAG_FILLS[rag]) >= 4.5


def test_each_rating_has_its_own_shape_and_no_shape_is_a_direction_mark() -> None:
    from perfreport.core.formatting import RAG_SHAPES
    from perfreport.rating.rules import SAME, Direction

    assert len(set(RAG_SHAPES.values())) == 3 and set(RAG_SHAPES) == set(RAG)
    marks = {d.mark for d in Direction} | {SAME.split()[-1]}
    assert not set(RAG_SHAPES.values()) & marks
