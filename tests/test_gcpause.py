"""The collector pause: off inside, back as it was after (an error and nesting included)."""

from __future__ import annotations

import gc

import pytest

from perfreport.core.gcpause import gc_paused, paused
from perfreport.summary.summary import summarise


def test_the_collector_is_off_inside_and_on_again_after() -> None:
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the outer block has not ended
    assert gc.isenabled()
    with pytest.raises(KeyError), gc_paused():
        raise KeyError("x")
    assert gc.isenabled()


def test_a_collector_turned_off_by_the_caller_stays_off() -> None:
    gc.disable()
    try:
        with gc_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_paused_function_keeps_its_name_and_result() -> None:
    @paused
    def state(value: int) -> tuple[int, bool]:
        return value, gc.isenabled()

    assert state(3) == (3, False)
    assert gc.isenabled()
    assert summarise.__name__ == "summarise" and summarise.__doc__
