"""Fixtures shared by the test modules of the body's writer."""

from __future__ import annotations

import pytest


@pytest.fixture
def streams(monkeypatch) -> list[str]:
    """How each render's body went: "streamed", or "whole" when the stream handed it back."""
    import perfreport.paper.document as document_module

    seen: list[str] = []
    real = document_module.stream_body

    def spy(*args, **kwargs):
        try:
            made = real(*args, **kwargs)
        except Exception:
            seen.append("whole")
            raise
        seen.append("streamed")
        return made

    monkeypatch.setattr(document_module, "stream_body", spy)
    return seen
