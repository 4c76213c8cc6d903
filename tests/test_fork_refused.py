"""A fork the system refuses (a process limit reached, no memory for the copy) is no fork: each
helper process's work is done where there is no fork (Windows, macOS), not reported as a
failure of the build's folder or template."""

from __future__ import annotations

import errno
import os
import sys

import pytest
from paperfactory import INDICATORS, make_context

from perfreport.core import forked
from perfreport.paper import bodybeside, chart_worker, checkbeside, jinjatext
from perfreport.paper.document import render_document
from perfreport.paper.template import default_template

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork: Linux")


@pytest.fixture
def refused(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every fork refused as the kernel refuses it (EAGAIN); forking otherwise allowed here."""
    asked: list[int] = []

    def refuse() -> int:
        asked.append(1)
        raise BlockingIOError(errno.EAGAIN, os.strerror(errno.EAGAIN))

    monkeypatch.setattr(os, "fork", refuse)
    for module in (forked, bodybeside, chart_worker, checkbeside):
        monkeypatch.setattr(module, "can_fork", lambda: True)
    return asked


def test_the_body_is_streamed_here_when_its_child_cannot_be_forked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    specs = [(s[0], f"{s[1]}-{n}", *s[2:]) for n in range(15) for s in INDICATORS]
    context, template = make_context(specs), default_template()
    monkeypatch.setattr(bodybeside, "FED_BESIDE_FROM", 2_000)
    monkeypatch.setattr(jinjatext, "CHUNK", 500)
    monkeypatch.setattr(bodybeside, "can_fork", lambda: False)
    here = render_document(context, template)
    with pytest.MonkeyPatch.context() as patch:
        asked = []
        patch.setattr(os, "fork", lambda: asked.append(1) or _refuse())
        patch.setattr(bodybeside, "can_fork", lambda: True)
        assert render_document(context, template) == here
    assert asked  # a fork was tried, and refused


def _refuse() -> int:
    raise BlockingIOError(errno.EAGAIN, os.strerror(errno.EAGAIN))


def test_the_export_is_made_here_when_its_child_cannot_be_forked(refused: list[int]) -> None:
    assert forked.fork_files(lambda: {"a.json": b"{}"}) is None
    assert refused


def test_the_check_reads_the_part_itself_when_its_child_cannot_be_forked(
    refused: list[int],
) -> None:
    size = checkbeside.BESIDE_FROM
    assert checkbeside.read_beside("word/document.xml", lambda: [b"<w/>"], [], size) is None
    assert refused


def test_the_charts_are_drawn_here_when_their_process_cannot_be_forked(
    refused: list[int],
) -> None:
    assert chart_worker.start_drawer() is None
    assert refused
