"""The quarter's counts: each indicator's category, RAG counts, and the transitions."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from perfreport.core.model import RAG
from perfreport.rating.rules import Rating, Unrated, unrated_because
from perfreport.summary.narrative import COLOURS


class Category(enum.StrEnum):
    """What an indicator counts as: its colour, or No data (rated, no figure), or Not rated."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NOT_RATED = "not_rated"
    NO_DATA = "no_data"


def category(rating: Rating | None) -> Category | None:
    """green, amber or red; no_data for a rated indicator without a RAG; else not_rated.

    A measure not due this quarter counts in the colour it carries forward (the RAG it had when
    its figure came in), or as no_data when there is no earlier figure.
    """
    if rating is None:
        return None
    if rating.rag is not None:
        return _OF_RAG[rating.rag]  # a lookup: Category(value) is a Python call (93,000 at 100x)
    return Category.NO_DATA if rating.rated else Category.NOT_RATED


_OF_RAG = {rag: Category(rag.value) for rag in RAG}
_GREEN, _AMBER = RAG.GREEN, RAG.AMBER  # a member read through its class is slow (rating.rules)


@dataclass(frozen=True)
class RagCounts:
    """How many indicators are Green, Amber, Red, Not rated and No data."""

    green: int = 0
    amber: int = 0
    red: int = 0
    not_rated: int = 0
    no_data: int = 0

    @classmethod
    def tally(cls, ratings: Iterable[Rating | None]) -> RagCounts:
        # ``category`` inline, counted in local numbers (None counts as not rated): a 100x
        # summary tallies ~90,000 ratings, and a call each was a tenth of the time.
        green = amber = red = not_rated = no_data = 0
        for rating in ratings:
            if rating is None:
                not_rated += 1
                continue
            rag = rating.rag
            if rag is None:
                if rating.rated:
                    no_data += 1
                else:
                    not_rated += 1
            elif rag is _GREEN:
                green += 1
            elif rag is _AMBER:
                amber += 1
            else:
                red += 1
        return cls(green, amber, red, not_rated, no_data)

    @property
    def total(self) -> int:
        return self.green + self.amber + self.red + self.not_rated + self.no_data

    @property
    def rated(self) -> int:
        """Rated indicators: Green, Amber, Red and No data (a rated indicator with no figure)."""
        return self.green + self.amber + self.red + self.no_data

    def of(self, kind: RAG | Category) -> int:
        return getattr(self, kind.value)

    def by_rag(self) -> dict[RAG, int]:
        return {rag: self.of(rag) for rag in COLOURS}

    def to_dict(self) -> dict[str, int]:
        return {kind.value: self.of(kind) for kind in Category}


@dataclass(frozen=True)
class Transition:
    """Indicators rated in both quarters that went from one colour to another (or stayed)."""

    before: RAG
    after: RAG
    refs: tuple[str, ...]

    @property
    def key(self) -> str:
        """``amber->green`` (the export's key)."""
        return f"{self.before.value}->{self.after.value}"

    @property
    def label(self) -> str:
        return f"{self.before.word} → {self.after.word}"

    @property
    def count(self) -> int:
        return len(self.refs)


def unrated_counts(ratings: Iterable[Rating]) -> dict[Unrated, int]:
    """How many of ``ratings`` are Not rated, by why, in Unrated's order (a why with none left
    out): the Summary says what the "other" indicators are."""
    found = dict.fromkeys(Unrated, 0)
    for rating in ratings:
        if category(rating) is Category.NOT_RATED:
            found[unrated_because(rating.indicator, rating.target)] += 1
    return {why: n for why, n in found.items() if n}
