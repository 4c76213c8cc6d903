"""The quicker forms of a return's cells and figures give what the slower ones gave.

The precision a figure is compared at (cells.at_precision) now takes its step from a memo and
one shared context: it must round every value as the old form, made afresh for each call, did.
Cells and figures are named tuples now: they must stay immutable, as the frozen dataclasses were.
A commentary's words are counted only when it is long enough to hold more than the limit.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from perfreport.inputs.cells import Number, at_precision, read_number, same_at_precision
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


def _commentary_findings(text: str, limit: int) -> int:
    """How many commentary-too-long findings a one-row return with ``text`` as its commentary
    gives, at a word limit of ``limit``."""
    from corpusread import CORPUS_CATALOGUE

    from perfreport.core.periods import Period
    from perfreport.core.project import ValidationSettings
    from perfreport.inputs.returns import interpret_return
    from perfreport.xlsx.workbook import Sheet

    cells = {(1, 1): SheetCell("Ref", "s"), (1, 2): SheetCell("Value", "s")}
    cells |= {(1, 3): SheetCell("Commentary", "s"), (2, 1): SheetCell("ASC-02", "s")}
    cells |= {(2, 2): SheetCell(100), (2, 3): SheetCell(text, "s")}
    validation = ValidationSettings(commentary_word_limit=limit)
    _, findings = interpret_return(
        Path("r.xlsx"), Sheet("Return", cells), CORPUS_CATALOGUE, Period(2024, 2), validation, "r"
    )
    return sum(f.code == "commentary-too-long" for f in findings)


@pytest.mark.parametrize("limit", [1, 2, 3, 7])
def test_a_commentary_over_its_word_limit_is_found_at_every_length(limit: int) -> None:
    # Its words are counted only past 2 x limit characters (n words take 2n - 1 at least): the
    # shortest texts of limit + 1 words, and every spacing around that length, are still found.
    texts = [" ".join("a" * limit) if limit else "", " ".join("a" * (limit + 1))]
    texts += [" ".join(["ab"] * (limit + 1)), "a" * (3 * limit), "\n".join("a" * (limit + 2))]
    texts += [" a" * (limit + 1), " ".join("a" * (limit + 1)) + " ", "  ".join("a" * limit)]
    for text in texts:
        assert _commentary_findings(text, limit) == (len(text.split()) > limit), repr(text)


def _old_same_at_precision(first: float, second: float, decimals: int) -> bool:
    a, b = _old_at_precision(first, decimals), _old_at_precision(second, decimals)
    return first == second if a is None or b is None else a == b


_EDGES = st.sampled_from([0.0, -0.0, 85.0, 84.95, 1e300, float("inf"), float("-inf"), float("nan")])


@settings(max_examples=3000, derandomize=True, deadline=None)
@given(
    first=st.floats() | _EDGES, second=st.floats() | _EDGES, decimals=DECIMALS, same=st.booleans()
)
def test_two_figures_are_the_same_at_precision_as_before(
    first: float, second: float, decimals: int, same: bool
) -> None:
    if same:
        second = first  # equal figures (a form's target is mostly the catalogue's) are asked most
    assert same_at_precision(first, second, decimals) == _old_same_at_precision(
        first, second, decimals
    )
