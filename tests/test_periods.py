"""Periods: the accepted forms, labels and quarter arithmetic of the April-to-March year."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from perfreport.core.periods import (
    Period,
    PeriodError,
    accepted_forms,
    forms_hint,
    parse_financial_year,
)

# Leave room at each end so that shifting by up to ten years stays in range.
periods = st.builds(Period, st.integers(1910, 2988), st.integers(1, 4))


def _forms(p: Period) -> list[str]:
    short_end = f"{(p.year + 1) % 100:02d}"
    return [
        p.key,  # Q2-2024
        p.label,  # Q2 2024/25
        p.fy_first_label,  # 2024/25 Q2
        f"{p.year}-{short_end} Q{p.quarter}",  # 2024-25 Q2
        f"Q{p.quarter} {p.year}/{p.year + 1}",  # Q2 2024/2025
    ]


@given(periods, st.sampled_from(["lower", "upper", "spaced"]))
def test_every_accepted_form_round_trips(period: Period, style: str) -> None:
    for text in _forms(period):
        written = {
            "lower": text.lower(),
            "upper": text.upper(),
            "spaced": f"  {text.replace(' ', '   ')} ",
        }[style]
        assert Period.parse(written) == period


@given(periods)
def test_the_key_and_labels_are_formatted_from_the_period(period: Period) -> None:
    assert Period.parse(str(period)) == period
    assert period.label == f"Q{period.quarter} {period.year}/{(period.year + 1) % 100:02d}"
    assert "/" not in period.file_label


@given(periods)
def test_previous_and_next_are_inverse(period: Period) -> None:
    assert period.next.previous == period
    assert period.previous.next == period
    assert period.previous < period < period.next


@given(periods)
def test_same_quarter_last_year_is_four_quarters_back(period: Period) -> None:
    assert period.same_quarter_last_year == period.shift(-4)
    assert period.same_quarter_last_year.quarter == period.quarter


@given(periods, st.integers(-40, 40))
def test_shifting_moves_by_whole_quarters(period: Period, quarters: int) -> None:
    assert period.shift(quarters).index - period.index == quarters
    assert period.shift(quarters).shift(-quarters) == period


@given(periods)
def test_a_quarter_covers_three_whole_months_inside_its_financial_year(period: Period) -> None:
    start, end = period.start_date, period.end_date
    assert start.day == 1 and (end + dt.timedelta(days=1)).day == 1
    assert (end.year * 12 + end.month) - (start.year * 12 + start.month) == 2
    assert dt.date(period.year, 4, 1) <= start < end <= dt.date(period.year + 1, 3, 31)
    assert period.next.start_date == end + dt.timedelta(days=1)


def test_q1_2024_comes_after_q4_2023() -> None:
    assert Period.parse("Q1-2024").previous == Period(2023, 4)
    assert Period(2023, 4).next == Period(2024, 1)


def test_labels_for_q2_and_q4_2024() -> None:
    q2, q4 = Period(2024, 2), Period(2024, 4)
    assert (q2.key, q2.label, q2.fy_first_label, q2.file_label) == (
        "Q2-2024",
        "Q2 2024/25",
        "2024/25 Q2",
        "Q2 2024-25",
    )
    assert q2.months_label == "July to September 2024"
    assert q4.months_label == "January to March 2025"
    assert (q4.start_date, q4.end_date) == (dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert Period(2099, 1).label == "Q1 2099/00"
    assert Period.parse("Q1 2099/00") == Period(2099, 1)


@pytest.mark.parametrize(
    "text", ["Q5-2024", "Q0 2024", "Q2 2024/26", "2024/25", "2024", "", "Quarter 2 2024", "Q2-24"]
)
def test_a_bad_period_names_the_accepted_forms(text: str) -> None:
    with pytest.raises(PeriodError) as caught:
        Period.parse(text)
    message = str(caught.value)
    assert message == f"'{text}' is not a period. Use one of: {forms_hint()}."
    assert all(form in message for form in accepted_forms())


def test_the_forms_are_shown_in_the_current_financial_year() -> None:
    today = Period.containing(dt.date.today())
    assert accepted_forms() == accepted_forms(today)
    assert forms_hint(Period(2025, 2)) == (
        "Q2-2025, Q2 2025/26, 2025/26 Q2, 2025-26 Q2 (Q2-2025 is Q2 of 2025/26, July to "
        "September 2025)"
    )
    assert Period.containing(dt.date(2026, 11, 29)) == Period(2026, 3)
    assert Period.containing(dt.date(2027, 3, 31)) == Period(2026, 4)


@pytest.mark.parametrize("text", ["Q2 2025", "2025 Q2", "q2 2025", "2025Q2"])
def test_a_quarter_with_a_bare_year_is_refused_naming_both_meanings(text: str) -> None:
    with pytest.raises(PeriodError) as caught:
        Period.parse(text)
    assert str(caught.value) == (
        f"'{text}' does not say which year it means. For Q2 of the financial year 2025/26 "
        "(July to September 2025) write Q2-2025 or Q2 2025/26; for April to June 2025 write "
        "Q1-2025 or Q1 2025/26."
    )


@pytest.mark.parametrize(
    ("text", "year"),
    [("2024/25", 2024), ("2024-25", 2024), (2024, 2024), ("FY 2024/2025", 2024), (2023.0, 2023)],
)
def test_financial_years(text: object, year: int) -> None:
    assert parse_financial_year(text) == year


@pytest.mark.parametrize("text", ["2024/26", "24/25", "next year", True, 2024.5])
def test_bad_financial_years(text: object) -> None:
    with pytest.raises(PeriodError, match="Write it as 2024/25"):
        parse_financial_year(text)
