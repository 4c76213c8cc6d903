"""The ``[paper]`` settings of perfreport.toml: what the paper lists and how it groups indicators."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class GroupBy(enum.StrEnum):
    """What Appendix A, the counts table and the key issues are grouped by."""

    PRIORITY = "priority"
    DIRECTORATE = "directorate"
    SERVICE = "service"

    @property
    def label(self) -> str:
        """``Priority``: a column heading or a label."""
        return self.value.capitalize()

    @property
    def plural(self) -> str:
        """``priorities``, ``directorates``, ``services``."""
        return "priorities" if self is GroupBy.PRIORITY else f"{self.value}s"


@dataclass(frozen=True)
class PaperSettings:
    """``[paper]``: which indicators Appendix B lists besides the Reds, whether to draw charts,
    and what the paper groups indicators by."""

    # Appendix B always lists this quarter's Reds; these add the measures that slipped.
    exceptions_green_to_amber: bool = False  # Amber now, Green last quarter
    # Worse than last quarter, which was worse than the one before.
    exceptions_worsening: bool = False
    charts: bool = True  # trend charts in Appendix A and the two summary charts (issue 12)
    group_by: GroupBy = GroupBy.PRIORITY
