"""The movement narrative: how the numbers of Green, Amber and Red measures changed, in words."""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from perfreport.core.formatting import join_words, plural
from perfreport.core.model import RAG
from perfreport.core.periods import Period

# The order in which the paper names the colours.
COLOURS = (RAG.GREEN, RAG.AMBER, RAG.RED)


class Trend(enum.StrEnum):
    """How one colour's count moved since last quarter; the value is the word the sentence uses."""

    INCREASED = "increased"
    DECREASED = "decreased"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class Change:
    """One colour's count, last quarter and this quarter: the figures behind the sentence."""

    rag: RAG
    before: int
    after: int

    @property
    def trend(self) -> Trend:
        if self.after > self.before:
            return Trend.INCREASED
        return Trend.DECREASED if self.after < self.before else Trend.UNCHANGED

    @property
    def figures(self) -> str:
        """``from 20 to 14``, or ``unchanged at 12``."""
        if self.trend is Trend.UNCHANGED:
            return f"unchanged at {self.after}"
        return f"from {self.before} to {self.after}"

    @property
    def text(self) -> str:
        """``Amber: decreased from 20 to 14`` / ``Red: unchanged at 1 measure``."""
        if self.trend is Trend.UNCHANGED:
            return f"{self.rag.word}: unchanged at {plural(self.after, 'measure')}"
        return f"{self.rag.word}: {self.trend.value} from {self.before} to {plural(self.after, 'measure')}"


def comparison_label(previous: Period, current: Period) -> str:
    """``Q1 and Q2 of 2024/25``; across financial years ``Q4 2023/24 and Q1 2024/25``."""
    if previous.year == current.year:
        return f"Q{previous.quarter} and Q{current.quarter} of {current.fy_label}"
    return f"{previous.label} and {current.label}"


def _names(colours: Sequence[RAG]) -> str:
    """``Green``, ``Green and Red``, ``Green, Amber and Red``."""
    return join_words(c.word for c in colours)


def _subject(colours: Sequence[RAG]) -> str:
    """``the number of Amber measures`` / ``the numbers of Green and Red measures``."""
    noun = "number" if len(colours) == 1 else "numbers"
    return f"the {noun} of {_names(colours)} measures"


def _has(colours: Sequence[RAG]) -> str:
    return "has" if len(colours) == 1 else "have"


def _is(colours: Sequence[RAG]) -> str:
    return "is" if len(colours) == 1 else "are"


def _reflecting(colours: Sequence[RAG], trend: Trend) -> str:
    """``an increased number of Green measures`` / ``decreased numbers of Amber and Red measures``."""
    if len(colours) == 1:
        article = "an" if trend is Trend.INCREASED else "a"
        return f"{article} {trend.value} number of {_names(colours)} measures"
    return f"{trend.value} numbers of {_names(colours)} measures"


def movement_clause(changes: Sequence[Change]) -> str:
    """The words after "shows that overall, ", for every combination of ups, downs and no change.

    When some colours rose and others fell, the smaller group leads (the decrease on a tie) and the
    other "reflects" it, as in the reference paper: "the number of Amber measures has decreased,
    reflecting increased numbers of Green and Red measures".
    """
    up = [c.rag for c in changes if c.trend is Trend.INCREASED]
    down = [c.rag for c in changes if c.trend is Trend.DECREASED]
    same = [c.rag for c in changes if c.trend is Trend.UNCHANGED]
    if not up and not down:
        return f"{_subject(same)} {_is(same)} unchanged"
    if up and down:
        lead, lead_trend, other, other_trend = (
            (up, Trend.INCREASED, down, Trend.DECREASED)
            if len(up) < len(down)
            else (down, Trend.DECREASED, up, Trend.INCREASED)
        )
        clause = (
            f"{_subject(lead)} {_has(lead)} {lead_trend.value}, reflecting "
            f"{_reflecting(other, other_trend)}"
        )
    else:
        moved, trend = (up, Trend.INCREASED) if up else (down, Trend.DECREASED)
        every = " all" if len(moved) == len(COLOURS) else ""
        clause = f"{_subject(moved)} {_has(moved)}{every} {trend.value}"
    if same:
        clause += f", while {_subject(same)} {_is(same)} unchanged"
    return clause


def movement_sentence(previous: Period, current: Period, changes: Sequence[Change]) -> str:
    """ "A comparison between Q1 and Q2 of 2024/25 shows that overall, the number of Amber
    measures has decreased, reflecting increased numbers of Green and Red measures." """
    return (
        f"A comparison between {comparison_label(previous, current)} shows that overall, "
        f"{movement_clause(changes)}."
    )


@dataclass(frozen=True)
class Movement:
    """Quarter-on-quarter movement of the RAG counts, as a sentence and as figures."""

    previous: Period
    current: Period
    changes: tuple[Change, ...]  # Green, Amber, Red

    @classmethod
    def between(
        cls, previous: Period, current: Period, before: Mapping[RAG, int], after: Mapping[RAG, int]
    ) -> Movement:
        return cls(
            previous, current, tuple(Change(c, before.get(c, 0), after.get(c, 0)) for c in COLOURS)
        )

    @property
    def sentence(self) -> str:
        return movement_sentence(self.previous, self.current, self.changes)

    @property
    def comparison(self) -> str:
        return comparison_label(self.previous, self.current)


def no_comparison_sentence(previous: Period) -> str:
    return (
        f"There are no ratings for {previous.label} to compare with, so the movement since "
        "last quarter cannot be shown."
    )
