"""Every sentence a measure's movement makes: 27 runs of Green, Amber and Red over three quarters,
and measures that gained or lost a RAG (No data, Not rated, new, no longer listed)."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from ratingfactory import Q1, Q2, Q4_2023, Quarters, empty_project

from perfreport.build import summarise_period
from perfreport.summary.changes import GONE, NEW, Shift, change_notes

VALUES = {"G": 60.0, "A": 53.0, "R": 40.0, "N": None}  # WR-01: higher is better, target 55%
FIGURES = "40.0% against a target of 55.0%"
NAME = "WR-01 Household waste recycled"
# Q4 2023/24, Q1 and Q2 2024/25 -> (the change line `summary` prints, the key issue, if any).
RUNS: dict[str, tuple[str | None, str | None]] = {}
for _first in "GAR":
    RUNS |= {
        f"{_first}GG": (None, None),
        f"{_first}GA": ("Green → Amber: 1 (WR-01)", None),
        f"{_first}GR": (
            "Green → Red: 1 (WR-01)",
            f"{NAME} is Red this quarter: {FIGURES}; it was Green in Q1 2024/25.",
        ),
        f"{_first}AG": (
            "Amber → Green: 1 (WR-01)",
            f"{NAME} improved to Green: 60.0% against a target of 55.0%; it was Amber in Q1 "
            "2024/25.",
        ),
        f"{_first}AA": (None, None),
        f"{_first}AR": (
            "Amber → Red: 1 (WR-01)",
            f"{NAME} is Red this quarter: {FIGURES}; it was Amber in Q1 2024/25.",
        ),
        f"{_first}RG": (
            "Red → Green: 1 (WR-01)",
            f"{NAME} improved to Green: 60.0% against a target of 55.0%; it was Red in Q1 2024/25.",
        ),
        f"{_first}RA": ("Red → Amber: 1 (WR-01)", None),
        f"{_first}RR": (
            None,
            f"{NAME} has been Red for {3 if _first == 'R' else 2} consecutive quarters: {FIGURES}.",
        ),
    }


def _summary(tmp_path: Path, pattern: str):
    project = empty_project(tmp_path / "council")
    quarters = {
        period: {"WR-01": VALUES[mark], "WR-02": 70}
        for period, mark in zip((Q4_2023, Q1, Q2), pattern, strict=True)
    }
    return summarise_period(project, Q2, reader=Quarters(project, quarters))


def _lines(summary) -> list[str]:
    moved = [t for t in summary.transitions if t.before is not t.after and t.count]
    shifts = (*summary.gained, *summary.lost)
    return [f"{s.label}: {s.count} ({', '.join(s.refs)})" for s in (*moved, *shifts)]


def _issues(summary) -> list[str]:
    return [issue.text for group in summary.key_issues for issue in group.issues]


def test_the_table_covers_all_27_runs() -> None:
    assert set(RUNS) == {"".join(run) for run in itertools.product("GAR", repeat=3)}


@pytest.mark.parametrize("pattern", sorted(RUNS))
def test_every_run_of_three_quarters(tmp_path: Path, pattern: str) -> None:
    line, issue = RUNS[pattern]
    summary = _summary(tmp_path, pattern)
    assert _lines(summary) == ([line] if line else [])
    assert _issues(summary) == ([issue] if issue else [])
    assert summary.change_notes == ""  # rated both quarters: nothing gained or lost a RAG


# Q1 -> Q2 where one side has no RAG: (the change line, the paper's sentence, the key issue).
NO_RAG = {
    "NG": (
        "No data → Green: 1 (WR-01)",
        "This quarter, 1 measure that had no data in Q1 2024/25 has a RAG rating.",
        None,
    ),
    "NA": (
        "No data → Amber: 1 (WR-01)",
        "This quarter, 1 measure that had no data in Q1 2024/25 has a RAG rating.",
        None,
    ),
    "NR": (
        "No data → Red: 1 (WR-01)",
        "This quarter, 1 measure that had no data in Q1 2024/25 has a RAG rating.",
        # It said "it had no RAG rating in Q1 2024/25" of a measure rated then with no figure.
        f"{NAME} is Red this quarter: {FIGURES}; it had no data in Q1 2024/25.",
    ),
    "GN": (
        "Green → No data: 1 (WR-01)",
        "This quarter, 1 measure rated in Q1 2024/25 has no data.",
        None,
    ),
    "AN": (
        "Amber → No data: 1 (WR-01)",
        "This quarter, 1 measure rated in Q1 2024/25 has no data.",
        None,
    ),
    "RN": (
        "Red → No data: 1 (WR-01)",
        "This quarter, 1 measure rated in Q1 2024/25 has no data.",
        None,
    ),
    "NN": (None, "", None),
}


@pytest.mark.parametrize("pattern", sorted(NO_RAG))
def test_gaining_or_losing_a_rag_is_said_as_it_was(tmp_path: Path, pattern: str) -> None:
    line, sentence, issue = NO_RAG[pattern]
    summary = _summary(tmp_path, "G" + pattern)
    assert _lines(summary) == ([line] if line else [])
    assert summary.change_notes == sentence
    assert _issues(summary) == ([issue] if issue else [])


def test_new_not_rated_and_unlisted_measures_have_their_own_words() -> None:
    shifts = (
        Shift("No data", "Green", ("A-1", "A-2")),
        Shift("Not rated", "Red", ("B-1",)),
        Shift(NEW, "Amber", ("RES-03",)),
        Shift("Green", "Not rated", ("C-1",)),
        Shift("Amber", GONE, ("D-1", "D-2")),
    )
    assert shifts[2].label == "New → Amber"  # formatted like the other transitions
    assert change_notes(shifts, Q1) == (
        "This quarter, 2 measures that had no data in Q1 2024/25 have a RAG rating, 1 measure "
        "not rated in Q1 2024/25 is rated, 1 measure new since Q1 2024/25 has a RAG rating, "
        "1 measure rated in Q1 2024/25 is not rated and 2 measures rated in Q1 2024/25 are no "
        "longer reported."
    )
    assert change_notes((), Q1) == ""
