"""A sheet's cells read as openpyxl's parse_cell reads them: the usual forms without openpyxl."""

from __future__ import annotations

from typing import Any

from perfreport.xlsx.excel_rules import from_excel
from perfreport.xlsx.lean import _CELL_REF, _MAIN, _VALUE_TAG, _column

# Why: the walk over a sheet's XML (xlsx.workbook) read every cell that xlsx.lean.quick_cell
# does not (a date, a text written inline, a boolean...) with openpyxl's WorkSheetParser, so a
# return with one date in it imported the whole of openpyxl (see xlsx.excel_rules). Such cells
# are read here as parse_cell reads them, in their usual forms; any other still goes to
# openpyxl's parser, made on the first cell that needs it. tests/test_lean_reader.py compares
# every workbook in the tests and the corpora read both ways.
_INLINE, _TEXT = f"{{{_MAIN}}}is", f"{{{_MAIN}}}t"
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def usual_cell(element: Any, strings: list[str], dates: Any, durations: Any, epoch: Any) -> Any:
    """openpyxl's parse_cell (as the walk calls it: cached values, not formulas) for the other
    cells Excel and openpyxl usually write: dates, texts inline in one plain <t>, booleans,
    errors, formulas' cached texts, cells without a value; with a reference and a plain style.
    (row, column, value, data_type, style_id), or None for any other cell or a value openpyxl
    warns or fails about: openpyxl's own parse_cell then reads it (CellReader)."""
    match = _CELL_REF.fullmatch(element.get("r") or "")
    style = element.get("s")
    if match is None or (style is not None and not (style.isascii() and style.isdigit())):
        return None
    row, column, style_id, kind = (
        int(match[2]),
        _column(match[1]),
        int(style or 0),
        element.get("t", "n"),
    )
    if kind == "inlineStr":
        held = element.find(_INLINE)
        if held is None:
            return row, column, None, kind, style_id
        text = held[0] if len(held) == 1 and not held.attrib else None
        if text is None or text.tag != _TEXT or len(text) or set(text.attrib) - {_SPACE}:
            return None  # runs, phonetic texts...: openpyxl's Text reads them
        return row, column, text.text or "", "s", style_id
    value: Any = element.findtext(_VALUE_TAG) or None
    if value is None:
        return row, column, None, kind, style_id
    try:
        if kind == "n":
            value = float(value) if "." in value or "E" in value or "e" in value else int(value)
            if style_id in dates:
                return row, column, from_excel(value, epoch, style_id in durations), "d", style_id
        elif kind == "s":
            value = strings[int(value)]
        elif kind == "b":
            value = bool(int(value))
        elif kind == "str":
            kind = "s"
        elif kind != "e":
            return None  # an ISO date or an unknown type
    except (ArithmeticError, ValueError, IndexError, TypeError):
        return None  # openpyxl fails (and says so) or warns and reads it as an error
    return row, column, value, kind, style_id


class CellReader:
    """openpyxl's WorkSheetParser.parse_cell for one sheet, as the walk calls it (cached values):
    (row, column, value, data_type, style_id). ``usual``: a lean workbook's usual cells are read
    by usual_cell; every other cell, and any cell of another workbook, by openpyxl's parser."""

    def __init__(self, workbook: Any, worksheet: Any, usual: bool):
        self.strings = worksheet._shared_strings
        self.dates, self.durations = workbook._date_formats, workbook._timedelta_formats
        self.epoch, self.usual = workbook.epoch, usual
        self.row_counter = self.col_counter = 0  # the parser's, for cells without a reference
        self._parser: Any = None

    def __call__(self, element: Any) -> tuple:
        if self.usual:
            cell = usual_cell(element, self.strings, self.dates, self.durations, self.epoch)
            if cell is not None:
                self.col_counter = cell[1]
                return cell
        parser = self._parser if self._parser is not None else self._openpyxl()
        parser.row_counter, parser.col_counter = self.row_counter, self.col_counter
        parsed = parser.parse_cell(element)
        self.col_counter = parser.col_counter
        return (
            parsed["row"], parsed["column"], parsed["value"], parsed["data_type"],
            parsed["style_id"],
        )  # fmt: skip

    def _openpyxl(self) -> Any:
        from perfreport.xlsx.library import openpyxl

        openpyxl()  # without numpy
        from openpyxl.worksheet._reader import WorkSheetParser

        self._parser = WorkSheetParser(
            None,
            self.strings,
            data_only=True,
            epoch=self.epoch,
            date_formats=self.dates,
            timedelta_formats=self.durations,
        )
        return self._parser


def merge_area(ref: str) -> tuple[int, int, int, int] | None:
    """(min_row, min_col, max_row, max_col) of a merge such as ``A1:C1``; None when malformed."""
    from perfreport.xlsx.package_plain import boundaries

    found = boundaries(ref)  # the usual form, without openpyxl
    if found is None:
        from perfreport.xlsx.library import openpyxl

        openpyxl()  # without numpy
        from openpyxl.utils import range_boundaries

        try:
            found = range_boundaries(ref)
        except (ValueError, TypeError):
            return None
    low_col, low_row, high_col, high_row = found
    if None in (low_col, low_row, high_col, high_row):
        return None  # a whole-row or whole-column reference: not a real merge
    return low_row, low_col, high_row, high_col
