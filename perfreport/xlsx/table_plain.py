"""A large sheet of plain cells (a catalogue's) read from its bytes straight into a table's rows."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from perfreport.core.project import LimitSettings
from perfreport.xlsx.sheet_plain import _ATTRIBUTES, _attributes_ok, plain_region
from perfreport.xlsx.sheets import BLANK, Cell, Row, Table, is_percent_format, read_table

if TYPE_CHECKING:
    from perfreport.core.findings import Finding

# Why: read_table's usual way for a sheet of plain cells makes every cell three times over: a
# tuple of five from sheet_plain, a table cell in a dict of its row, then the row's tuple. The
# catalogue of a large council has 150,000 cells and is read in the command's own process while
# the workers wait for it, and the first time a process makes that many objects costs about
# twice the warm figure. Here each row's cells go from the part's bytes into the row's tuple in
# one pass, and each distinct shared string and number (in its style) is made a cell once.
#
# Only a sheet sheet_plain reads as plain (plain_region), whose every cell is a number or a
# shared string that quick_cell reads, within the limits, with each row's cells in one row
# element and the rows in order, is read here; anything else gives None, and read_table takes
# its usual way, which says what is wrong. tests/test_table_plain.py requires the same table as
# that way for every workbook of the tests and the corpora.

# The patterns are compiled on first use (re's cache keeps them): only a large catalogue needs
# them, and compiling them takes ~2 ms of every command that reads a catalogue.
_ROW = rb"<row" + _ATTRIBUTES + rb"(/)?>"
_SPACE = rb"[ \t\r\n]{1,1000}(?![ \t\r\n])"  # between elements, as sheet_plain's
# A row's content, as sheet_plain's tokens: a cell with a value (its column letters, row number,
# style, type and value), an empty cell (column letters, row number), white space, or else
# anything up to the end (not plain).
_CELLS = (
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="([0-9]{1,9})")?(?: t="([ns])")?'
    rb"><v>([\x20-\x25\x27-\x3b\x3d-\x7e]{1,1000})</v></c>"
    rb'|<c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="[0-9]{1,9}")?(?: t="[ns]")?(?:></c>|/>)'
    rb"|[ \t\r\n]{1,1000}(?![ \t\r\n])"
    rb"|([\x00-\xff]+)"
)
_END = b"</row>"


def read_large_table(
    workbook: Any, title: str, display: str, limits: LimitSettings
) -> tuple[Table | None, list[Finding]]:
    """sheets.read_table: the same table and findings; a large sheet of plain cells (a large
    catalogue's) straight from its bytes."""
    table = large_plain_table(workbook, title, limits)
    if table is not None:
        return table, []
    return read_table(workbook, title, display, limits)


def large_plain_table(workbook: Any, title: str, limits: LimitSettings) -> Table | None:
    """The table of ``title`` when it is a large sheet of plain cells in a workbook xlsx.lean
    opened, else None. A small sheet was read at open (xlsx.lean), which read_table uses."""
    sheet = workbook[title]
    part = getattr(sheet, "unread_part", None)  # xlsx.lean's
    if part is None or not hasattr(workbook, "number_format"):
        return None
    declared = (sheet.max_row or 0) * (sheet.max_column or 0)
    if declared > limits.max_sheet_cells:
        return None  # read_sheet says so
    try:
        data = part()
    except Exception:  # noqa: BLE001 - the walk reads it, and fails, as ever
        return None
    if data is None:
        return None
    return plain_table(
        data,
        title,
        limits,
        strings=workbook.shared_strings,
        dates=workbook._date_formats,
        number_format=workbook.number_format,
        column=column_number,
    )


def plain_table(
    data: bytes,
    title: str,
    limits: LimitSettings,
    *,
    strings: list[str],
    dates: Any,
    number_format: Any,
    column: Any,
) -> Table | None:
    """The table sheets.read_table makes of the sheet part ``data`` (strings, date styles and
    number formats as the workbook's, ``column`` turning letters into a number), or None when
    the part is not as this reads it (see above)."""
    region = plain_region(data)
    if region is None:
        return None
    position, end, declared = region
    limit, longest = limits.max_sheet_cells, limits.max_cell_chars
    rows: list[Row] = []
    following = counted = max_row = max_column = 0
    columns: dict[bytes, int] = {}  # letters -> column number
    texts: dict[bytes, Cell | None] = {}  # a shared string's index -> its cell
    numbers: dict[bytes, dict[bytes, Cell | None]] = {}  # style -> value as written -> cell
    percent: dict[int, bool] = {}  # style -> its numbers are shown as percentages
    checked: set[bytes] = set()
    row_tag, space = re.compile(_ROW).match, re.compile(_SPACE).match
    cells_of, find = re.compile(_CELLS).findall, data.find
    while position < end:
        tag = row_tag(data, position, end)
        if tag is None:
            gap = space(data, position, end)
            if gap is None:
                return None
            position = gap.end()
            continue
        counted += 1
        text = tag[0]
        # <row r="12">, as Excel and openpyxl write a row, needs no look at its attributes
        if not (text[8:-2].isdigit() and text.startswith(b'<row r="') and text.endswith(b'">')):
            if not _attributes_ok(text, declared, checked):
                return None
        position = tag.end()
        if tag[1] is not None:  # <row .../>
            continue
        close = find(_END, position, end)
        if close < 0:
            return None
        found = cells_of(data, position, close)
        position = close + len(_END)
        counted += len(found)
        if counted > limit:
            return None
        cells: list[Cell] = []
        width = 0  # len(cells)
        number = None  # the row number of the row's cells, as written
        for letters, at, style, kind, value, empty_letters, empty_at, other in found:
            if value:  # a cell with a value
                if at != number:
                    if number is not None:
                        return None  # cells of two rows in one row element
                    number = at
                if kind == b"s":
                    cell = texts.get(value)
                    if cell is None:
                        cell = texts[value] = _text(value, strings, longest)
                        if cell is None:
                            return None
                else:
                    of_style = numbers.get(style)
                    if of_style is None:
                        of_style = numbers[style] = {}
                    cell = of_style.get(value)
                    if cell is None:
                        cell = of_style[value] = _number(
                            style, value, dates, number_format, percent
                        )
                        if cell is None:
                            return None
                place = columns.get(letters)
                if place is None:
                    place = columns[letters] = column(letters.decode())
                if place == width + 1:
                    cells.append(cell)
                    width = place
                elif place > width:
                    cells.extend([BLANK] * (place - width - 1))
                    cells.append(cell)
                    width = place
                else:
                    cells[place - 1] = cell  # out of order or twice: the last, as in the walk
            elif empty_letters:  # no cell, but the sheet reaches as far as its place
                if empty_at != number:
                    if number is not None:
                        return None
                    number = empty_at
                max_column = max(max_column, column(empty_letters.decode()))
            elif other:
                return None
        max_column = max(max_column, width)
        if number is None:
            continue
        row = int(number)
        max_row = max(max_row, row)
        if max_row * max_column > limit:
            return None
        if cells:
            if row <= following:
                return None  # rows out of order, or one row's cells in two row elements
            rows.extend([Row(n, ()) for n in range(following + 1, row)])
            rows.append(Row(row, tuple(cells)))
            following = row
    return Table(title, tuple(rows))


def _text(index: bytes, strings: list[str], longest: int) -> Cell | None:
    """The table's cell for shared string ``index``, as quick_cell and sheets.table_cell make
    it; None when quick_cell would not read it or it is too long."""
    if not index.isdigit() or int(index) >= len(strings) or len(strings[int(index)]) > longest:
        return None
    return Cell(strings[int(index)])


def _number(
    style: bytes, text: bytes, dates: Any, number_format: Any, percent: dict[int, bool]
) -> Cell | None:
    """The table's cell for a number written ``text`` in cell style ``style`` (b"" for none),
    as quick_cell and sheets.table_cell make it; None when quick_cell would not read it."""
    style_id = int(style) if style else 0
    if style_id in dates:
        return None
    try:
        value = float(text) if b"." in text or b"E" in text or b"e" in text else int(text)
    except ValueError:
        return None
    shown = percent.get(style_id)
    if shown is None:
        shown = percent[style_id] = is_percent_format(number_format(style_id))
    return Cell(value, shown)


def column_number(letters: str) -> int:
    """Column letters as a number, A -> 1, AB -> 28 (as openpyxl's column_index_from_string)."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number
