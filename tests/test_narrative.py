"""The movement sentence, for every combination of Green, Amber and Red going up, down or not."""

from __future__ import annotations

import itertools

import pytest

from perfreport.core.model import RAG
from perfreport.core.periods import Period
from perfreport.summary.narrative import (
    Change,
    Movement,
    Trend,
    comparison_label,
    movement_clause,
)

Q4_2023, Q1, Q2 = Period(2023, 4), Period(2024, 1), Period(2024, 2)

# (Green, Amber, Red): + increased, - decreased, = unchanged -> the words after "overall, ".
CLAUSES = {
    "===": "the numbers of Green, Amber and Red measures are unchanged",
    "==+": "the number of Red measures has increased, while the numbers of Green and Amber "
    "measures are unchanged",
    "==-": "the number of Red measures has decreased, while the numbers of Green and Amber "
    "measures are unchanged",
    "=+=": "the number of Amber measures has increased, while the numbers of Green and Red "
    "measures are unchanged",
    "=++": "the numbers of Amber and Red measures have increased, while the number of Green "
    "measures is unchanged",
    "=+-": "the number of Red measures has decreased, reflecting an increased number of Amber "
    "measures, while the number of Green measures is unchanged",
    "=-=": "the number of Amber measures has decreased, while the numbers of Green and Red "
    "measures are unchanged",
    "=-+": "the number of Amber measures has decreased, reflecting an increased number of Red "
    "measures, while the number of Green measures is unchanged",
    "=--": "the numbers of Amber and Red measures have decreased, while the number of Green "
    "measures is unchanged",
    "+==": "the number of Green measures has increased, while the numbers of Amber and Red "
    "measures are unchanged",
    "+=+": "the numbers of Green and Red measures have increased, while the number of Amber "
    "measures is unchanged",
    "+=-": "the number of Red measures has decreased, reflecting an increased number of Green "
    "measures, while the number of Amber measures is unchanged",
    "++=": "the numbers of Green and Amber measures have increased, while the number of Red "
    "measures is unchanged",
    "+++": "the numbers of Green, Amber and Red measures have all increased",
    "++-": "the number of Red measures has decreased, reflecting increased numbers of Green and "
    "Amber measures",
    "+-=": "the number of Amber measures has decreased, reflecting an increased number of Green "
    "measures, while the number of Red measures is unchanged",
    "+-+": "the number of Amber measures has decreased, reflecting increased numbers of Green and "
    "Red measures",
    "+--": "the number of Green measures has increased, reflecting decreased numbers of Amber and "
    "Red measures",
    "-==": "the number of Green measures has decreased, while the numbers of Amber and Red "
    "measures are unchanged",
    "-=+": "the number of Green measures has decreased, reflecting an increased number of Red "
    "measures, while the number of Amber measures is unchanged",
    "-=-": "the numbers of Green and Red measures have decreased, while the number of Amber "
    "measures is unchanged",
    "-+=": "the number of Green measures has decreased, reflecting an increased number of Amber "
    "measures, while the number of Red measures is unchanged",
    "-++": "the number of Green measures has decreased, reflecting increased numbers of Amber and "
    "Red measures",
    "-+-": "the number of Amber measures has increased, reflecting decreased numbers of Green and "
    "Red measures",
    "--=": "the numbers of Green and Amber measures have decreased, while the number of Red "
    "measures is unchanged",
    "--+": "the number of Red measures has increased, reflecting decreased numbers of Green and "
    "Amber measures",
    "---": "the numbers of Green, Amber and Red measures have all decreased",
}
STEP = {"+": 1, "-": -1, "=": 0}


def test_the_table_covers_all_27_combinations() -> None:
    assert set(CLAUSES) == {"".join(c) for c in itertools.product("+-=", repeat=3)}


@pytest.mark.parametrize("pattern", sorted(CLAUSES))
@pytest.mark.parametrize("start", [1, 10])  # from one measure (singular figures) and from ten
def test_the_narrative_for_every_combination(pattern: str, start: int) -> None:
    before = dict.fromkeys((RAG.GREEN, RAG.AMBER, RAG.RED), start)
    after = {rag: start + STEP[mark] for rag, mark in zip(before, pattern, strict=True)}
    movement = Movement.between(Q1, Q2, before, after)
    assert movement.sentence == (
        f"A comparison between Q1 and Q2 of 2024/25 shows that overall, {CLAUSES[pattern]}."
    )
    assert [c.trend for c in movement.changes] == [
        {"+": "increased", "-": "decreased", "=": "unchanged"}[m] for m in pattern
    ]


def test_the_reference_papers_sentence_and_the_figures_behind_it() -> None:
    movement = Movement.between(
        Q1,
        Q2,
        {RAG.GREEN: 22, RAG.AMBER: 20, RAG.RED: 12},
        {RAG.GREEN: 26, RAG.AMBER: 14, RAG.RED: 15},
    )
    assert movement.sentence == (
        "A comparison between Q1 and Q2 of 2024/25 shows that overall, the number of Amber "
        "measures has decreased, reflecting increased numbers of Green and Red measures."
    )
    green, amber, red = movement.changes
    assert (green.rag, amber.rag, red.rag) == (RAG.GREEN, RAG.AMBER, RAG.RED)
    assert (amber.before, amber.after, amber.trend, amber.figures) == (
        20,
        14,
        Trend.DECREASED,
        "from 20 to 14",
    )
    assert (green.trend, red.trend) == (Trend.INCREASED, Trend.INCREASED)
    assert amber.text == "Amber: decreased from 20 to 14 measures"


def test_quarters_across_financial_years_are_named_in_full() -> None:
    assert comparison_label(Q4_2023, Q1) == "Q4 2023/24 and Q1 2024/25"
    assert comparison_label(Q1, Q2) == "Q1 and Q2 of 2024/25"
    movement = Movement.between(Q4_2023, Q1, {RAG.GREEN: 1}, {RAG.GREEN: 2})
    assert movement.sentence.startswith("A comparison between Q4 2023/24 and Q1 2024/25 shows")


@pytest.mark.parametrize(
    ("before", "after", "text", "figures"),
    [
        (1, 1, "Red: unchanged at 1 measure", "unchanged at 1"),
        (2, 1, "Red: decreased from 2 to 1 measure", "from 2 to 1"),
        (0, 2, "Red: increased from 0 to 2 measures", "from 0 to 2"),
        (0, 0, "Red: unchanged at 0 measures", "unchanged at 0"),
    ],
)
def test_the_figures_are_singular_or_plural(before, after, text, figures) -> None:
    change = Change(RAG.RED, before, after)
    assert (change.text, change.figures) == (text, figures)


def test_two_colours_alone_are_not_called_all() -> None:
    changes = [Change(RAG.GREEN, 1, 2), Change(RAG.RED, 1, 2)]
    assert movement_clause(changes) == "the numbers of Green and Red measures have increased"
