"""The remembered shown figures: what rating compares and the paper prints, worked out once."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from perfreport.core.formatting import format_value, plain_shown, shown_number
from perfreport.rating.rules import _shown

FIGURES = st.floats(allow_nan=False, allow_infinity=False, min_value=-1e15, max_value=1e15)
UNITS = st.sampled_from(["%", "number", "£", "GBP", "days", "£m", "rate", "kg"])


@given(value=FIGURES, decimals=st.integers(0, 4), unit=UNITS, compact=st.booleans())
def test_a_remembered_figure_is_the_one_worked_out_afresh(value, decimals, unit, compact) -> None:
    afresh = shown_number(value, unit, decimals, compact=compact)
    for _ in range(2):  # the first time, then from the memo
        assert _shown(value, unit, decimals, compact) == afresh
        assert str(_shown(value, unit, decimals, compact)) == str(afresh)  # digits and sign
        if not compact:
            assert plain_shown(value, decimals) == afresh


def test_equal_keys_give_the_same_figure_whichever_is_asked_first() -> None:
    # 0.0 and -0.0 (and 5 and 5.0) are one key in a memo: their figures must be one too.
    for first, second in ((-0.0, 0.0), (0.0, -0.0), (5, 5.0), (5.0, 5)):
        plain_shown.cache_clear()
        assert str(plain_shown(first, 2)) == str(shown_number(first, decimals=2))
        assert str(plain_shown(second, 2)) == str(shown_number(second, decimals=2))
    assert not math.copysign(1, float(plain_shown(-0.0, 1))) < 0  # never "-0.0"


@given(value=FIGURES, decimals=st.integers(0, 3), unit=UNITS)
def test_a_figure_is_printed_with_the_digits_rating_compares(value, decimals, unit) -> None:
    text = format_value(value, unit, decimals)
    if unit in ("%", "number", "rate", "days", "kg"):
        digits = f"{shown_number(value, decimals=decimals):,.{decimals}f}"
        assert text.startswith(digits)
