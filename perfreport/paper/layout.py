"""Appendix A's column widths, which rows are tall enough to continue on the next page, and which
are too tall to keep with the next."""

from __future__ import annotations

import math
from collections.abc import Mapping

# The default template's Appendix A columns in mm: landscape A4 less its margins is 257 mm.
# templates/build_template.py lays the table out with these widths.
APPENDIX_WIDTHS_MM: Mapping[str, float] = {
    "ref": 17,  # "WST-04" on one line
    "measure": 34,
    "good_is": 14,
    "previous": 18,  # the bold heading "Previous" unbroken
    "current": 17,
    "last_year": 17,
    "target": 16,
    "rag": 19,  # "▲ Amber": the shape and the word on one line
    "direction": 25,  # "Worsening −" on one line; "Quarter:" may wrap
    "commentary": 80,  # about a third, so 150 words of commentary take a third of a page
}
CELL_PADDING_MM = 3.0  # the Data Table style's left and right cell margins
CHAR_MM = 1.9  # a generous average width of a 10 pt Arial character
# A landscape page holds about 36 lines of 10 pt table text under the header row. A row taller
# than a quarter of that may continue on the next page; a shorter one moves whole, so a page
# never ends more than a quarter blank and no row leaves a line or two behind.
TALL_ROW_LINES = 9
# At the start and end of a table a row keeps with the next (the heading is never left over one
# row, the last row never starts a page alone), unless it is more than about half a page: kept,
# it would move to the next page whole with the row after it and could leave the page before
# nearly blank; it is a start of its own, and it continues on the next page as a tall row does.
VERY_TALL_ROW_LINES = 18


def cell_lines(text: str, width_mm: float) -> int:
    """About how many lines ``text`` takes in a column ``width_mm`` wide (line breaks kept)."""
    per_line = _per_line(width_mm)
    return sum(max(math.ceil(len(part) / per_line), 1) for part in text.split("\n"))


def _per_line(width_mm: float) -> int:
    return max(int((width_mm - CELL_PADDING_MM) / CHAR_MM), 1)


_PER_LINE = {name: _per_line(width) for name, width in APPENDIX_WIDTHS_MM.items()}


def is_tall(cells: Mapping[str, str], lines: int = TALL_ROW_LINES) -> bool:
    """Whether a row of Appendix A, given as column name -> text, is more than ``lines`` lines
    tall (by default: tall enough to split)."""
    for name, text in cells.items():
        # Each part of a cell takes at most len/per_line + 1 lines: a cell that short cannot be
        # tall, and most are, so only the long ones are counted line by line.
        if len(text) / _PER_LINE[name] + text.count("\n") + 1 <= lines:
            continue
        if cell_lines(text, APPENDIX_WIDTHS_MM[name]) > lines:
            return True
    return False
