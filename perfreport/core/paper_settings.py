"""The ``[paper]`` settings of perfreport.toml: what the paper's exception report lists."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PaperSettings:
    """``[paper]``: which indicators Appendix B lists besides the Reds, and whether to draw charts."""

    # Appendix B always lists this quarter's Reds; these add the measures that slipped.
    exceptions_green_to_amber: bool = False  # Amber now, Green last quarter
    # Worse than last quarter, which was worse than the one before.
    exceptions_worsening: bool = False
    charts: bool = True  # trend charts in Appendix A and the two summary charts (issue 12)
