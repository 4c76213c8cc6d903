"""The key issues of a quarter: measures newly Red, Red for a run of quarters, or back to Green."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

from perfreport.core.model import RAG
from perfreport.core.periods import Period
from perfreport.rating.rules import Rating
from perfreport.summary.counts import Category, category
from perfreport.summary.grouping import Group, Grouping
from perfreport.summary.rated import RatedIndicator


class IssueKind(enum.StrEnum):
    """The kinds of key issue, in the order the paper lists them."""

    NEWLY_RED = "newly_red"
    STILL_RED = "still_red"
    NOW_GREEN = "now_green"

    @property
    def heading(self) -> str:
        return {
            IssueKind.NEWLY_RED: "Red this quarter",
            IssueKind.STILL_RED: "Red for two or more consecutive quarters",
            IssueKind.NOW_GREEN: "Improved to Green",
        }[self]


@dataclass(frozen=True)
class KeyIssue:
    kind: IssueKind
    item: RatedIndicator
    text: str


@dataclass(frozen=True)
class GroupIssues:
    """A group's key issues (a priority's, directorate's or service's), by kind, in catalogue
    order."""

    group: Group
    issues: tuple[KeyIssue, ...]

    def of(self, kind: IssueKind) -> tuple[KeyIssue, ...]:
        return tuple(i for i in self.issues if i.kind is kind)


def key_issues(
    grouping: Grouping, rows: Iterable[RatedIndicator], previous: Period
) -> tuple[GroupIssues, ...]:
    """Each group's key issues (in the grouping's order, skipping those with none), by kind."""
    kinds = list(IssueKind)
    in_group: dict[str, list[KeyIssue]] = {}  # gathered in one pass, not one a group
    for row in rows:
        issue = _issue(row, previous)
        if issue is not None:
            in_group.setdefault(grouping.key_of(row.indicator), []).append(issue)
    groups = []
    for group in grouping.groups:
        mine = sorted(in_group.get(group.key, ()), key=lambda i: kinds.index(i.kind))
        if mine:
            groups.append(GroupIssues(group, tuple(mine)))
    return tuple(groups)


def _figures(row: RatedIndicator) -> str:
    return f"{row.value_text} against a target of {row.target_text}"


def _was(rating: Rating | None, previous: Period) -> str:
    """What the measure was last quarter, as it was: a rated measure with no figure "had no data",
    one not rated "was not rated", one with no rating at all "was not reported"."""
    kind = category(rating)
    if kind is None:
        return f"it was not reported in {previous.label}"
    if kind is Category.NO_DATA:
        return f"it had no data in {previous.label}"
    if kind is Category.NOT_RATED:
        return f"it was not rated in {previous.label}"
    return f"it was {kind.value.capitalize()} in {previous.label}"


# Read for every row: a member read through its class is slow in Python 3.11 (rating.rules).
_RED, _GREEN, _NOT_GREEN = RAG.RED, RAG.GREEN, (RAG.AMBER, RAG.RED)


def _issue(row: RatedIndicator, previous: Period) -> KeyIssue | None:
    rag = row.rag
    if rag is not _RED and (rag is not _GREEN or row.previous_rag not in _NOT_GREEN):
        return None  # most rows: neither Red nor newly Green (asked first: 11,400 at 100x)
    current, before = row.current, row.previous
    if current.carried and before is not None and before.value_period == current.value_period:
        return None  # the same figure as last quarter, carried forward: nothing new to report
    name = f"{row.ref} {row.indicator.title}"
    if rag is _RED and row.red_run >= 2:
        return KeyIssue(
            IssueKind.STILL_RED,
            row,
            f"{name} has been Red for {row.red_run_text}: {_figures(row)}.",
        )
    if rag is _RED:
        return KeyIssue(
            IssueKind.NEWLY_RED,
            row,
            f"{name} is Red this quarter: {_figures(row)}; {_was(row.previous, previous)}.",
        )
    if rag is _GREEN and row.previous_rag in _NOT_GREEN:
        return KeyIssue(
            IssueKind.NOW_GREEN,
            row,
            f"{name} improved to Green: {_figures(row)}; {_was(row.previous, previous)}.",
        )
    return None
