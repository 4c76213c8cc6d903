"""Reading ahead in pairs, the parent's side: who reads what ahead, and where a pair is split."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from perfreport.xlsx.worker import Ahead, shared_indexes

# See xlsx.isolation (start_early, map_isolated), which uses these, and worker.Ahead and
# worker.wait_for_work, the workers' side.


def plans(items: Sequence[Any], spans: list[tuple[int, int]]) -> list[Ahead | None]:
    """What each worker of ``spans`` reads ahead: two neighbours share their two spans, one
    from each end (see worker.Ahead); an odd one out reads its own. None where nothing is."""
    if not spans:
        return []
    slots = shared_indexes(len(spans) + 1)
    stop = slots[-1]  # one for all: split_shares sets it through any of them
    made: list[Ahead | None] = []
    for first in range(0, len(spans), 2):
        lo, hi = spans[first][0], spans[min(first + 1, len(spans) - 1)][1]
        stretch = items[lo:hi]
        reach = slots[first]
        reach.value = lo - 1
        if first + 1 == len(spans):
            made.append(Ahead(stretch, lo, reach, stop))
            continue
        back = slots[first + 1]
        back.value = hi
        made.append(Ahead(stretch, lo, reach, stop, partner=back))
        made.append(Ahead(stretch, lo, back, stop, partner=reach, backward=True))
    return made


# The cost of an item read in full after the catalogue, against one whose first step was made
# ahead (1 + the first step's share): ~2 ms to open and walk a return's sheet, ~1 ms to check
# its rows against the catalogue (measured at 10x and 100x).
FULL_OVER_FINISH = 3


def split_pair(lo: int, hi: int, first: int, second: int) -> int:
    """Where a pair's stretch items[lo:hi] is split between its two workers, when the first has
    made items[lo:first + 1] ahead and the second items[second:hi]: each keeps what it made,
    and the items between are shared so that both have about as much left to do. Where it can,
    the split also leaves each worker one more item beyond the reach the parent read (it may
    have started one as it was told to stop)."""
    low, high = first + 1, second  # every split in [low, high] keeps what each made
    if low + 1 <= high - 1:
        low, high = low + 1, high - 1
    if low >= high:
        return max(min(low, hi), lo)
    made_first, made_second = first + 1 - lo, hi - second
    # first's work: made_first + (m - first - 1) * FULL; second's: made_second + (second - m) * FULL
    full = FULL_OVER_FINISH
    even = (made_second - made_first + full * (first + 1 + second)) / (2 * full)
    return min(max(round(even), low), high)


def split_shares(
    early: Sequence[Any], spans: list[tuple[int, int]], count: int
) -> list[tuple[int, int]]:
    """The shares of ``count`` items: ``spans``, but where the workers ``early`` (isolation's
    waiting workers, each with its ``ahead`` and ``span``, in order) read these items ahead in
    pairs, each pair's stretch split where their remaining work is even (split_pair); each such
    worker's ``span`` is set to its share. Stops their reading ahead in any case."""
    if early:  # no more reading ahead, here or (given other items or workers) for nothing
        early[0].ahead.stop.value = 1
    if len(early) < 2 or len(early) != len(spans) or any(w.span[2] != count for w in early):
        return spans
    # Most often, one that was about to start an item has said so by now (its reach). Not
    # always (it may be held up): split_pair leaves it one item more where it can, and one
    # caught on an item that went to its partner blames nothing (isolation._Chunk._fail).
    time.sleep(0.001)
    shares = []
    for first in range(0, len(early), 2):
        pair = early[first : first + 2]
        if len(pair) == 1:
            shares.append(pair[0].span[:2])
            continue
        lo, hi = pair[0].span[0], pair[1].span[1]
        at = split_pair(lo, hi, pair[0].ahead.reach.value, pair[1].ahead.reach.value)
        pair[0].span, pair[1].span = (lo, at, count), (at, hi, count)
        shares += [(lo, at), (at, hi)]
    return [share for share in shares if share[0] < share[1]]  # (a worker may get none)
