"""What must appear in the paper, in its .docx and in its web page alike."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# Why a module of its own: the web page, checked in the charts' process, needs this rule
# without importing paper.document and the renderer's modules (~0.007 s of that process's CPU).


def required_strings(context: Mapping[str, Any]) -> list[str]:
    """What must appear in the paper: every Appendix A indicator's ref and this quarter's value."""
    required = []
    for group in context.get("appendix", {}).get("groups", []):
        for indicator in group.get("indicators", []):
            required += [str(indicator.get("ref", "")), str(indicator.get("current", ""))]
    return [text for text in required if text]
