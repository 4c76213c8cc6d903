"""Plain tables of cells read from a CSV file or a worksheet, for the catalogue to parse."""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from perfreport.core.project import LimitSettings, normalise_heading

if TYPE_CHECKING:
    from perfreport.core.findings import Finding
    from perfreport.xlsx.workbook import Sheet


@dataclass(frozen=True)
class Cell:
    """One cell: its value as stored and whether it is a number shown as a percentage."""

    value: object
    percent: bool = False


@dataclass(frozen=True)
class Row:
    number: int  # the spreadsheet row number, 1-based
    cells: tuple[Cell, ...]

    def get(self, column: int | None) -> Cell:
        if column is None or column >= len(self.cells):
            return BLANK
        return self.cells[column]

    @property
    def is_blank(self) -> bool:
        return all(is_blank(c.value) for c in self.cells)


@dataclass(frozen=True)
class Table:
    """A sheet's rows; ``sheet`` is None for a CSV file."""

    sheet: str | None
    rows: tuple[Row, ...]


BLANK = Cell(None)


def is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@functools.lru_cache(maxsize=1024)  # a catalogue asks for the same few columns 100,000s of times
def column_letter(index: int) -> str:
    """0-based column index to spreadsheet letters: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def a1(column: int, row: int) -> str:
    return f"{column_letter(column)}{row}"


_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


@functools.lru_cache(maxsize=1024)  # a workbook has a few formats, read for every cell
def is_percent_format(number_format: str | None) -> bool:
    """A number format shows a percentage when it has a % outside quoted literals and brackets."""
    return bool(number_format) and "%" in _QUOTED.sub("", number_format)


def find_heading_row(table: Table, wanted: Iterable[str], limit: int = 30) -> int | None:
    """The index in ``table.rows`` of the first row (of the first ``limit``) holding a wanted heading."""
    names = set(wanted)
    for index, row in enumerate(table.rows[:limit]):
        if any(normalise_heading(c.value) in names for c in row.cells if isinstance(c.value, str)):
            return index
    return None


def read_csv_table(data: bytes) -> Table:
    """Decode (UTF-8 with or without BOM, else Windows-1252 as Excel writes it) and split a CSV."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's plain "CSV" save uses the Windows code page; only "CSV UTF-8" is UTF-8.
        text = data.decode("cp1252", errors="replace")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:8192], delimiters=",;\t|"
        )
    except csv.Error:
        dialect = csv.excel
    rows = []
    for number, values in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1):
        rows.append(Row(number, tuple(Cell(v if v.strip() else None) for v in values)))
    return Table(None, tuple(rows))


def table_from_sheet(sheet: Sheet) -> Table:
    """The cells that workbook.read_sheet found, laid out as rows (blank rows kept)."""
    by_row: dict[int, dict[int, Cell]] = {}
    for (row, column), cell in sheet.cells.items():
        found = by_row.get(row)
        if found is None:
            by_row[row] = found = {}
        found[column] = table_cell(cell.value, cell.number_format)
    return _table(sheet.title, by_row)


def read_table(
    workbook: Any, title: str, display: str, limits: LimitSettings
) -> tuple[Table | None, list[Finding]]:
    """table_from_sheet of workbook.read_sheet: the same table and findings. A sheet of plain
    cells (xlsx.sheet_plain, a large catalogue's) is made into the table's cells as it is read,
    without a SheetCell and a dict entry for each cell in between (xlsx.table_plain goes
    further, for a large catalogue's)."""
    from perfreport.xlsx.workbook import read_sheet

    walkers: list[Any] = []

    def plain(walker: Any, *found: Any) -> Any:
        walkers.append(walker)
        return table_rows(walker, *found)

    sheet, findings = read_sheet(workbook, title, display, limits, plain)
    # The walker refers to ``plain``, which refers to ``walkers``: emptied, no cycle is left to
    # keep the sheet's cells until the cyclic collector comes (paused while a quarter is read).
    walker = walkers.pop() if walkers else None
    if sheet is None:
        return None, findings
    if walker is not None:
        return _table(title, walker.by_row), findings
    return table_from_sheet(sheet), findings


def table_rows(walker: Any, rows: list[Any], merges: list[Any], sheet_cell: type) -> Any:
    """sheet_plain.walk_plain, for read_table: each cell made at once into the table's cell
    (table_cell), in ``walker.by_row`` (row -> column -> cell), not a SheetCell in
    ``walker.cells``; the same limits and findings, in the same order."""
    from perfreport.xlsx.sheet_plain import EMPTY, RAW, raw_element

    counted, limit = 0, walker.limits.max_sheet_cells
    most = walker.limits.max_cell_chars
    formats = walker.formats
    by_row: dict[int, dict[int, Any]] = {}
    walker.by_row = by_row
    at_row, cells, texts = None, {}, _TEXT_CELLS
    for children, row_cells in rows:
        counted += children + 1
        for row, column, value, data_type, style_id in row_cells:
            if data_type == RAW:  # a cell quick_cell leaves (a date...), read as in the walk
                row, column, value, _, style_id = walker.parse_cell(raw_element(value))
                if value is None:
                    continue
            if row > walker.max_row or column > walker.max_column:
                walker.max_row = max(walker.max_row, row)
                walker.max_column = max(walker.max_column, column)
                if walker.max_row * walker.max_column > limit:
                    return walker.beyond(row, column)
            if data_type == EMPTY:
                continue
            if row != at_row:  # the row's cells are together: one lookup a row, not a cell
                at_row, cells = row, by_row.get(row)
                if cells is None:
                    by_row[row] = cells = {}
            if value.__class__ is str:  # table_cell's first case, inlined: no format needed
                if len(value) > most:
                    return walker.too_long(row, column, value)
                cell = texts.get(value)
                cells[column] = cell if cell is not None else text_cell(value)
                continue
            if isinstance(value, str) and len(value) > most:
                return walker.too_long(row, column, value)
            fmt = formats.get(style_id)
            cells[column] = table_cell(
                value, fmt if fmt is not None else walker.number_format(style_id)
            )
        if counted > limit:
            return walker.too_many()
    for element in merges:
        walker.add_merge(element)  # as the walk does, though a table has none
    return None


def _table(title: str, by_row: dict[int, dict[int, Cell]]) -> Table:
    rows: list[Row] = []
    last = max(by_row, default=0)
    for number in range(1, last + 1):
        cells = by_row.get(number)
        if not cells:
            rows.append(Row(number, ()))
            continue
        get = cells.get
        rows.append(Row(number, tuple([get(c, BLANK) for c in range(1, max(cells) + 1)])))
    return Table(title, tuple(rows))


def table_cell(value: object, number_format: str) -> Cell:
    """A cell of a table: its value, and whether it is a number shown as a percentage."""
    if value is None:
        return BLANK
    if type(value) is str:
        return text_cell(value)
    percent = (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and is_percent_format(number_format)
    )
    return Cell(value, percent)


# Cells are frozen values: one per distinct text serves every cell holding it (a catalogue
# repeats its services, units and polarities thousands of times).
_TEXT_CELLS: dict[str, Cell] = {}


def text_cell(text: str) -> Cell:
    found = _TEXT_CELLS.get(text)
    if found is None:
        found = Cell(text)
        if len(_TEXT_CELLS) < 100_000:
            _TEXT_CELLS[text] = found
    return found


def headings(row: Row) -> Sequence[str]:
    return [normalise_heading(c.value) for c in row.cells]
