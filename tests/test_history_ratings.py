"""History's memoised ratings: each the rule's own answer, in whatever order they are asked."""

from __future__ import annotations

import random

import pytest
from buildfactory import copy_example

from perfreport.build import read_history
from perfreport.core.periods import Period
from perfreport.rating.history import History
from perfreport.rating.rules import Status, rate

Q2 = Period(2024, 2)


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> History:
    """The example's history of Q2 2024 (its returns, and the past figures it imports)."""
    project = copy_example("somerset", tmp_path_factory.mktemp("ratings") / "somerset")
    return read_history(project, Q2)


def _rated_afresh(history: History, indicator, period: Period):
    """The rule applied directly, without the memos: what ``recomputed`` must give."""
    read = history.read(period)
    if read is None:
        return None
    carried = None
    if not indicator.is_due(period):  # the latest due figure, as shown, up to four back
        for back in range(1, 5):
            earlier = period.shift(-back)
            if not indicator.is_due(earlier):
                continue
            found = history.rating(indicator, earlier)
            if found is not None and found.status is Status.REPORTED and found.value is not None:
                carried = found
                break
    observation = read.dataset.observations.get(indicator.ref)
    return rate(indicator, observation, period, history.catalogue, history.project.rating, carried)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_each_rating_is_the_rule_s_answer_whatever_the_order_asked(example, seed) -> None:
    quarters = [Q2.shift(-back) for back in range(8)]
    asked = [(i, q) for i in example.catalogue.indicators for q in quarters]
    random.Random(seed).shuffle(asked)
    history = History.of(example.project, example.current, {**example.reads})  # fresh memos
    shown = {(i.ref, q): history.rating(i, q) for i, q in asked}
    for indicator, quarter in asked:
        again = _rated_afresh(history, indicator, quarter)
        assert history.recomputed(indicator, quarter) == again, (indicator.ref, quarter)
        published = history.published(quarter) if quarter != Q2 else None
        from_file = published.get(indicator.ref) if published is not None else None
        assert shown[indicator.ref, quarter] == (from_file if from_file is not None else again)
    # Quarters with returns were rated (the example has three), and some measures carried.
    rated = [r for r in shown.values() if r is not None and r.basis is not None]
    assert len({r.period for r in rated}) >= 3
    assert any(r.status is Status.NOT_DUE and r.value is not None for r in rated)
