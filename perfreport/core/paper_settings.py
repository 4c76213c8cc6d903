"""The ``[paper]`` and ``[glossary]`` settings of perfreport.toml: what the paper lists and explains."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


class GroupBy(enum.StrEnum):
    """What Appendix A and the Summary's counts table are grouped by."""

    PRIORITY = "priority"
    DIRECTORATE = "directorate"
    SERVICE = "service"


@dataclass(frozen=True)
class PaperSettings:
    """``[paper]``: which indicators Appendix B lists besides the Reds, and the grouping."""

    # Appendix B always lists this quarter's Reds; these add the measures that slipped.
    exceptions_green_to_amber: bool = False  # Amber now, Green last quarter
    exceptions_worsening: bool = (
        False  # worse than last quarter, which was worse than the one before
    )
    group_by: str = "priority"
    # The groups in the order the paper shows them, when grouped by directorate or service: a
    # group named here with no indicators still gets its heading ("No indicators this quarter").
    groups: tuple[str, ...] = ()
    charts: bool = True  # trend charts in Appendix A and the two summary charts (issue 12)


@dataclass(frozen=True)
class Glossary:
    """``[glossary]``: abbreviations, each spelt out where a title first uses it."""

    terms: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
