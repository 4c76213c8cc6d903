"""core.memo.once: a property worked out on first use and kept, on frozen dataclasses too."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, dataclass

import pytest

from perfreport.core.memo import once


@dataclass(frozen=True)
class Box:
    items: tuple[int, ...]
    calls: list[str]

    @once
    def total(self) -> int:
        """The sum of the items."""
        self.calls.append("total")
        return sum(self.items)


def test_once_works_the_value_out_on_first_use_only_and_keeps_it_on_the_instance() -> None:
    box = Box((1, 2, 3), [])
    assert box.total == 6
    assert box.total == 6
    assert box.calls == ["total"]
    assert box.__dict__["total"] == 6  # kept where a later read finds it before the class
    other = Box((4,), box.calls)  # each instance its own value
    assert other.total == 4
    assert box.calls == ["total", "total"]


def test_once_leaves_the_instance_frozen_and_equal_and_documents_itself() -> None:
    box = Box((1, 2), [])
    assert box.total == 3
    with pytest.raises(FrozenInstanceError):
        box.items = ()  # type: ignore[misc]
    assert box == Box((1, 2), box.calls)  # the kept value is no field: equality is unchanged
    assert isinstance(Box.total, once)
    assert Box.total.__doc__ == "The sum of the items."
