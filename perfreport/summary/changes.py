"""Measures that gained or lost a RAG since last quarter, grouped and worded like the transitions."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from perfreport.core.formatting import NO_DATA, NOT_RATED, join_words, plural
from perfreport.core.periods import Period
from perfreport.rating.rules import Rating
from perfreport.summary.counts import Category, category
from perfreport.summary.rated import RatedIndicator

NEW = "New"  # no rating at all last quarter: not in the catalogue then, or nothing read for it
GONE = "Not listed"  # no longer in the catalogue this quarter


def state(rating: Rating | None, missing: str) -> str:
    """What a measure was in a quarter: Green, Amber, Red, No data or Not rated (``missing``
    when there is no rating at all)."""
    kind = category(rating)
    if kind is None:
        return missing
    if kind is Category.NO_DATA:
        return NO_DATA
    if kind is Category.NOT_RATED:
        return NOT_RATED
    assert rating is not None and rating.rag is not None
    return rating.rag.word


@dataclass(frozen=True)
class Shift:
    """Measures that went from ``before`` to ``after`` where one side has no RAG: ``No data ->
    Green``, ``New -> Amber``, ``Green -> No data``, ``Red -> Not listed``."""

    before: str
    after: str
    refs: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.before} → {self.after}"

    @property
    def count(self) -> int:
        return len(self.refs)

    @property
    def gained(self) -> bool:
        """True for a measure that has a RAG now and had none before."""
        return self.before in (NO_DATA, NOT_RATED, NEW)


_ORDER = ("Green", "Amber", "Red", NO_DATA, NOT_RATED, NEW, GONE)


def _grouped(pairs: Iterable[tuple[str, str, str]]) -> tuple[Shift, ...]:
    groups: dict[tuple[str, str], list[str]] = {}
    for before, after, ref in pairs:
        groups.setdefault((before, after), []).append(ref)
    order = sorted(groups, key=lambda pair: (_ORDER.index(pair[0]), _ORDER.index(pair[1])))
    return tuple(Shift(before, after, tuple(groups[before, after])) for before, after in order)


def gained(new_measures: Sequence[RatedIndicator]) -> tuple[Shift, ...]:
    """The measures with a RAG now and none last quarter, by what they were then."""
    return _grouped(
        (state(row.previous, NEW), row.rag.word if row.rag else "", row.ref) for row in new_measures
    )


def lost(dropped: Sequence[Rating], rows: Sequence[RatedIndicator]) -> tuple[Shift, ...]:
    """The measures with a RAG last quarter and none now, by what they are now."""
    now = {row.ref: row for row in rows}
    return _grouped(
        (
            rating.rag.word if rating.rag else "",
            state(now[rating.ref].current, GONE) if rating.ref in now else GONE,
            rating.ref,
        )
        for rating in dropped
    )


def _note(gained_rag: bool, other: str, count: int, previous: Period) -> str:
    measures, single = plural(count, "measure"), count == 1
    has, is_ = ("has" if single else "have"), ("is" if single else "are")
    if gained_rag:
        if other == NO_DATA:
            return f"{measures} that had no data in {previous.label} {has} a RAG rating"
        if other == NOT_RATED:
            return f"{measures} not rated in {previous.label} {is_} rated"
        return f"{measures} new since {previous.label} {has} a RAG rating"
    if other == NO_DATA:
        return f"{measures} rated in {previous.label} {has} no data"
    if other == NOT_RATED:
        return f"{measures} rated in {previous.label} {is_} not rated"
    return f"{measures} rated in {previous.label} {is_} no longer reported"


def change_notes(shifts: Sequence[Shift], previous: Period) -> str:
    """``This quarter, 2 measures that had no data in Q1 2024/25 have a RAG rating and 1
    measure rated in Q1 2024/25 has no data.`` (empty when no measure gained or lost a RAG).

    What a measure was before is said as it was: a measure rated in Q1 with no figure "had no
    data", not "had no rating" (which reads as not rated at all).
    """
    totals: dict[tuple[bool, str], int] = {}
    for shift in shifts:
        key = (shift.gained, shift.before if shift.gained else shift.after)
        totals[key] = totals.get(key, 0) + shift.count
    notes = [_note(gain, other, count, previous) for (gain, other), count in totals.items()]
    return f"This quarter, {join_words(notes)}." if notes else ""
