"""What the paper groups indicators by (priority, directorate or service), in the paper's order."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from types import MappingProxyType

from perfreport.core.model import Indicator
from perfreport.core.paper_settings import GroupBy
from perfreport.core.project import Project
from perfreport.rating.rules import Rating
from perfreport.summary.counts import RagCounts
from perfreport.summary.rated import RatedIndicator

# An indicator whose group cell is blank (a finding says so) still needs a heading to sit under.
_UNNAMED = {
    GroupBy.PRIORITY: "",  # as before grouping was configurable: the blank priority, unnamed
    GroupBy.DIRECTORATE: "No directorate given",
    GroupBy.SERVICE: "No service given",
}
NO_INDICATORS = "No indicators this quarter."


@dataclass(frozen=True)
class Group:
    """A priority, directorate or service as the paper heads it."""

    key: str
    name: str
    # Listed in perfreport.toml ([[priorities]], [[directorates]]): shown even with no indicators.
    configured: bool = False


def group_key(indicator: Indicator, by: GroupBy) -> str:
    """The key of the indicator's group: its priority's key, its directorate or its service."""
    if by is _PRIORITY:
        return indicator.priority
    if by is _DIRECTORATE:
        return indicator.directorate
    return indicator.service


# Asked ~100,000 times at 100x: a member read through its class is slow in Python 3.11 (rules).
_PRIORITY, _DIRECTORATE = GroupBy.PRIORITY, GroupBy.DIRECTORATE


@dataclass(frozen=True)
class Grouping:
    """The paper's groups in order: configured ones first, then any the catalogue adds."""

    by: GroupBy
    groups: tuple[Group, ...]

    @property
    def label(self) -> str:
        """``Priority``, ``Directorate`` or ``Service``: a column heading."""
        return self.by.label

    @property
    def noun(self) -> str:
        """``priority``: mid-sentence, as in "RAG ratings by priority"."""
        return self.by.value

    @property
    def plural(self) -> str:
        return self.by.plural

    @cached_property
    def by_key(self) -> Mapping[str, Group]:
        return MappingProxyType({g.key: g for g in self.groups})

    def key_of(self, indicator: Indicator) -> str:
        return group_key(indicator, self.by)

    def of(self, indicator: Indicator) -> Group:
        return self.by_key[self.key_of(indicator)]

    @cached_property
    def _places(self) -> Mapping[str, int]:
        return MappingProxyType({key: at for at, key in enumerate(self.by_key)})

    def position(self, indicator: Indicator) -> int:
        """Where the indicator's group comes in the paper (past the end when it has none)."""
        return self._places.get(self.key_of(indicator), len(self._places))


def grouping_of(project: Project, indicators: Iterable[Indicator], by: GroupBy) -> Grouping:
    """The groups, in the paper's order: priorities as perfreport.toml lists them with the
    supporting ones last (as the Council Plan reports them); directorates as [[directorates]]
    lists them; then, and for services, each other group in the order ``indicators`` first name
    it (catalogue order)."""
    configured: list[Group] = []
    if by is GroupBy.PRIORITY:
        ordered = sorted(project.priorities, key=lambda p: p.supporting)  # stable
        configured = [Group(p.key, p.name, configured=True) for p in ordered]
    elif by is GroupBy.DIRECTORATE:
        # The catalogue's reader gives each indicator its directorate's name, so that is the key.
        configured = [Group(d.name, d.name, configured=True) for d in project.directorates]
    known = {g.key for g in configured}
    extra = [
        Group(key, key or _UNNAMED[by])
        for key in dict.fromkeys(group_key(i, by) for i in indicators)
        if key not in known
    ]
    return Grouping(by, (*configured, *extra))


@dataclass(frozen=True)
class GroupCounts:
    """One row of the RAG table: a group's counts this quarter and last."""

    group: Group
    current: RagCounts
    previous: RagCounts | None

    @property
    def total(self) -> int:
        return self.current.total

    @property
    def rated(self) -> int:
        return self.current.rated


def count_groups(
    grouping: Grouping,
    rows: Iterable[RatedIndicator],
    previous: Iterable[Rating] | None,
    previous_key: Callable[[Rating], str],
) -> tuple[GroupCounts, ...]:
    """Each group's counts (``previous`` None: no ratings last quarter). A configured group has
    its row even when empty; another only when it had indicators this quarter or last."""
    # Each group's ratings, in order, gathered in one pass (not one pass a group: a paper
    # grouped by service has a thousand groups at 100x).
    mine_by: dict[str, list[Rating]] = {}
    by = grouping.by
    for row in rows:
        mine_by.setdefault(group_key(row.indicator, by), []).append(row.current)
    theirs_by: dict[str, list[Rating]] = {}
    for rating in previous or ():
        theirs_by.setdefault(previous_key(rating), []).append(rating)
    result = []
    for group in grouping.groups:
        mine = mine_by.get(group.key, [])
        theirs = theirs_by.get(group.key, [])
        if mine or theirs or group.configured:
            result.append(
                GroupCounts(
                    group,
                    RagCounts.tally(mine),
                    RagCounts.tally(theirs) if previous is not None else None,
                )
            )
    return tuple(result)
