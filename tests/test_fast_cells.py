"""The quicker forms of a return's cells and figures give what the slower ones gave.

The precision a figure is compared at (cells.at_precision) now takes its step from a memo and
one shared context: it must round every value as the old form, made afresh for each call, did.
Cells and figures are named tuples now: they must stay immutable, as the frozen dataclasses were.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfreport.inputs.cells import Number, at_precision, read_number
from perfreport.xlsx.workbook import SheetCell


def _old_at_precision(value: float, decimals: int) -> Decimal | None:
    from perfreport.inputs.cells import tidy

    try:
        exact = Decimal(repr(tidy(value)))
        step = Decimal(1).scaleb(-max(decimals, 0))
        return exact.quantize(step, rounding=ROUND_HALF_UP, context=Context(prec=60))
    except (InvalidOperation, ValueError):
        return None


DECIMALS = st.one_of(st.integers(-3, 70), st.sampled_from([10**6, 10**9]))


@settings(max_examples=3000, derandomize=True, deadline=None)
@given(value=st.floats(), decimals=DECIMALS)
def test_a_figure_is_rounded_as_before(value: float, decimals: int) -> None:
    # repr, not ==: Decimal('NaN') is not equal to itself
    assert repr(at_precision(value, decimals)) == repr(_old_at_precision(value, decimals))


@pytest.mark.parametrize(
    ("value", "decimals"),
    [(0.125, 2), (2.5, 0), (-2.5, 0), (1e300, 2), (1e-300, 50), (59.25, 1), (1e59, 1)],
)
def test_edges_are_rounded_as_before(value: float, decimals: int) -> None:
    # The same result each time: the shared context keeps no state that changes a result.
    for _ in range(3):
        assert repr(at_precision(value, decimals)) == repr(_old_at_precision(value, decimals))


def test_cells_and_figures_cannot_be_changed() -> None:
    cell, number = SheetCell(1.5, "n", "0.0%"), read_number(SheetCell(" 85% "))
    with pytest.raises(AttributeError):
        cell.value = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        number.value = 2  # type: ignore[misc]
    assert number == Number(85.0, percent_form=True, shown="85%")
    assert repr(cell) == "SheetCell(value=1.5, data_type='n', number_format='0.0%')"


def test_every_blank_reads_as_the_one_blank_figure() -> None:
    blanks = [read_number(None), read_number(SheetCell("")), read_number(SheetCell(" \u00a0"))]
    assert blanks == [Number(blank=True)] * 3
    assert Number(blank=True) == Number(None, None, True, False, "")
