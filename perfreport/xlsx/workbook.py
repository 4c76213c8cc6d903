"""Open a workbook safely: check its bytes and bounds, load it with openpyxl, read one sheet's cells."""

from __future__ import annotations

import functools
import io
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from perfreport.core.codes import finding
from perfreport.core.codes_files import (
    ADVICE_CLOSE_AND_RETRY,
    ADVICE_FRESH_COPY,
    ADVICE_SAVE_AS_XLSX,
    ADVICE_STRAY_CELLS,
    ADVICE_TOO_LARGE,
    THIS_FILE,
)
from perfreport.core.findings import Finding
from perfreport.core.project import LimitSettings
from perfreport.xlsx.cells_plain import CellReader, merge_area
from perfreport.xlsx.package import check_package
from perfreport.xlsx.sheet_plain import walk_plain
from perfreport.xlsx.sheet_tree import openpyxl_events
from perfreport.xlsx.sniff import identify, read_up_to

# Why read-only mode plus our own walk over the sheet XML:
# - normal mode materialises every cell of every merged range (a single merge over A1:XFD1048576
#   never finishes) and fails outright on some valid files (s="" style attributes, odd layouts);
# - read-only iteration pads out to the declared dimension, so one cell at XFD1048576 would make
#   it yield seventeen billion empty cells; walking the rows ourselves keeps only cells that exist;
# - with data_only=True openpyxl gives cached values but reads a formula that has no cached value
#   as a blank; seeing the <f> element while we walk tells the two apart in a single pass.
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CELL_TAG, _FORMULA_TAG = f"{{{_MAIN}}}c", f"{{{_MAIN}}}f"  # openpyxl's CELL_TAG, FORMULA_TAG
_MERGE_LIMIT = 100_000  # merges only refine where metadata values sit; past this they are ignored


class SheetCell(NamedTuple):
    """One cell as stored: its cached value, openpyxl's data type and its number format.

    ``data_type``: n number, s text, b boolean, d date, e error (#N/A...), and ``f`` for a formula
    with no saved result (written by a program and never calculated in Excel).

    A named tuple, immutable as a frozen dataclass is, but made in half the time: every cell a
    return holds is one (making them was a third of the time the sheet's cells took).
    """

    value: Any
    data_type: str = "n"
    number_format: str = "General"


@dataclass(frozen=True)
class Sheet:
    """The non-empty cells of one worksheet, by (row, column), and its merged ranges."""

    title: str
    cells: Mapping[tuple[int, int], SheetCell]
    merged: tuple[tuple[int, int, int, int], ...] = ()  # (min_row, min_col, max_row, max_col)
    max_row: int = 0
    max_column: int = 0

    def get(self, row: int, column: int) -> SheetCell | None:
        return self.cells.get((row, column))

    def merge_containing(self, row: int, column: int) -> tuple[int, int, int, int] | None:
        for area in self.merged:
            if area[0] <= row <= area[2] and area[1] <= column <= area[3]:
                return area
        return None


def open_workbook(
    path: Path, display: str, limits: LimitSettings, *, lean: bool = True
) -> tuple[Any, list[Finding]]:
    """A workbook to read (the caller closes it), or findings saying why not. Never raises.

    With ``lean`` (the default) a plain workbook is opened by xlsx.lean, anything else by
    openpyxl in read-only mode; both give the same cells (tests/test_lean_reader.py).
    """
    try:
        size = path.stat().st_size
        data = b""
        if size <= limits.max_file_bytes:
            with path.open("rb") as stream:
                # One read, then every check and the parse use the same bytes: nothing can change
                # between the checks and the parse, and no file handle stays open (Windows locks).
                data = read_up_to(stream, size, limits.max_file_bytes + 1)
                size = max(size, len(data))
    except OSError as exc:
        return None, [
            finding(
                "unreadable-file",
                file=display,
                value=exc.strerror or type(exc).__name__,
                problem="cannot be opened",
                advice=ADVICE_CLOSE_AND_RETRY,
            )
        ]
    if size > limits.max_file_bytes:
        return None, [
            finding(
                "suspicious-file",
                file=display,
                subject=THIS_FILE,
                problem=f"is {size / 2**20:,.1f} MB, more than a return needs (limit "
                f"{limits.max_file_bytes / 2**20:,.1f} MB)",
                advice=ADVICE_TOO_LARGE,
            )
        ]
    verdict = identify(data)
    if verdict is not None:
        return None, [finding(verdict.kind.value, file=display, **verdict.fields)]
    parts: dict[str, bytes] = {}
    members: dict[str, Any] = {}
    problem = check_package(data, limits, parts, members)
    if problem is not None:
        return None, [finding(problem.code, file=display, **problem.fields)]
    if lean:
        from perfreport.xlsx.lean import open_lean

        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                book = open_lean(data, parts, members)
        except Exception:  # noqa: BLE001 - not a plain workbook: openpyxl reads it and says why
            book = None
        if book is not None:
            return book, []
    return _load(data, display)


def _load(data: bytes, display: str) -> tuple[Any, list[Finding]]:
    from perfreport.xlsx.library import openpyxl as imported

    openpyxl = imported()

    if not openpyxl.DEFUSEDXML:  # pragma: no cover - an installation problem, not a file problem
        raise RuntimeError(
            "openpyxl is not using defusedxml: install defusedxml and do not set "
            "OPENPYXL_DEFUSEDXML=False."
        )
    try:
        with warnings.catch_warnings():
            # openpyxl warns about harmless oddities (no default style, unknown extensions).
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_links=False
            )
    except Exception as exc:  # noqa: BLE001 - whatever breaks the parser, the file is unreadable
        return None, [
            finding(
                "unreadable-file",
                file=display,
                value=f"{type(exc).__name__}: {exc}",
                problem=f"cannot be read as an Excel workbook: {_plain_reason(exc)}",
                advice=ADVICE_SAVE_AS_XLSX,
            )
        ]
    if not workbook.sheetnames:
        workbook.close()
        return None, [
            finding(
                "unsupported-dialect",
                file=display,
                problem="has no sheets that perfreport can see, which happens with the 'Strict "
                "Open XML Spreadsheet' format",
                advice=ADVICE_SAVE_AS_XLSX,
            )
        ]
    return workbook, []


def _plain_reason(exc: Exception) -> str:
    text = str(exc)
    if isinstance(exc, KeyError) and "There is no item named" in text:
        part = text.split("named", 1)[1].split("in the archive")[0].strip(" '\"")
        return f"a part it needs ('{part}') is missing or misnamed"
    if isinstance(exc, MemoryError):
        return "it needs more memory than a return should"
    return "its contents are damaged or were written by a program that does not follow the format"


def read_sheet(
    workbook: Any, title: str, display: str, limits: LimitSettings, plain: Any = walk_plain
) -> tuple[Sheet | None, list[Finding]]:
    """The cells of one sheet, within the limits; findings instead when it breaks them. Never
    raises. ``plain``: walks a sheet of plain cells (sheet_plain; sheets.read_table's)."""
    worksheet = workbook[title]
    declared_rows, declared_columns = worksheet.max_row or 0, worksheet.max_column or 0
    if declared_rows * declared_columns > limits.max_sheet_cells:
        return None, [_area_finding(display, title, declared_rows, declared_columns, limits)]
    walker = _Walker(workbook, worksheet, display, limits)
    walker.walk_plain = plain  # walk_plain, or read_table's
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. a date serial out of range: read as an error
            problem = walker.walk()
    except Exception as exc:  # noqa: BLE001 - a malformed sheet part is an unreadable file
        return None, [
            finding(
                "unreadable-file",
                file=display,
                sheet=title,
                value=f"{type(exc).__name__}: {exc}",
                problem=f"has a sheet ('{title}') that cannot be read: {_plain_reason(exc)}",
                advice=ADVICE_SAVE_AS_XLSX,
            )
        ]
    if problem is not None:
        return None, [problem]
    return Sheet(title, walker.cells, tuple(walker.merged), walker.max_row, walker.max_column), []


def _area_finding(
    display: str,
    title: str,
    rows: int,
    columns: int,
    limits: LimitSettings,
    cell: str | None = None,
) -> Finding:
    corner = a1(rows, max(columns, 1))
    return finding(
        "suspicious-file",
        file=display,
        sheet=title,
        cell=cell,
        subject=f"Sheet '{title}'",
        problem=f"reaches cell {corner} ({rows:,} rows by {columns:,} columns), far beyond what "
        f"a return needs (limit {limits.max_sheet_cells:,} cells)",
        advice=ADVICE_STRAY_CELLS,
    )


class _Walker:
    """Walk one worksheet's XML row by row, keeping only cells that hold something."""

    def __init__(self, workbook: Any, worksheet: Any, display: str, limits: LimitSettings):
        self.workbook, self.worksheet = workbook, worksheet
        self.display, self.limits = display, limits
        self.cells: dict[tuple[int, int], SheetCell] = {}
        self.merged: list[tuple[int, int, int, int]] = []
        self.max_row = self.max_column = 0
        self.formats: dict[Any, str] = {}
        self.quick = None
        lean = hasattr(workbook, "sheet_events")
        if lean:  # xlsx.lean's: the usual cells read without openpyxl
            from perfreport.xlsx.lean import quick_cell

            self.quick = quick_cell
        self.parse_cell = CellReader(workbook, worksheet, usual=lean)  # the other cells

    def number_format(self, style_id: Any) -> str:
        if style_id not in self.formats and hasattr(self.workbook, "number_format"):
            self.formats[style_id] = self.workbook.number_format(style_id)  # xlsx.lean
        if style_id not in self.formats:
            from openpyxl.cell.read_only import ReadOnlyCell

            try:
                fmt = ReadOnlyCell(self.worksheet, 1, 1, None, "n", style_id).number_format
            except Exception:  # noqa: BLE001 - a broken or empty style index: show as General
                fmt = "General"
            self.formats[style_id] = fmt if isinstance(fmt, str) else "General"
        return self.formats[style_id]

    def walk(self) -> Finding | None:
        sheet = self.worksheet
        plain = getattr(sheet, "plain", None)  # xlsx.lean's: a sheet of plain cells, from bytes
        found = plain(self.limits.max_sheet_cells) if plain is not None else None
        if found is not None:
            return self.walk_plain(self, *found, SheetCell)
        counted = 0
        with sheet._get_source() as source:
            lean = getattr(sheet, "events", None)  # xlsx.lean's: lxml, C, faster
            events = lean(source) if lean is not None else openpyxl_events(source)
            for is_row, element in events:
                if is_row:
                    counted += len(element) + 1
                    problem = self._row(element)
                    if problem is not None:
                        return problem
                    if counted > self.limits.max_sheet_cells:
                        return self.too_many()
                else:
                    self.add_merge(element)
        return None

    def add_merge(self, element: Any) -> None:
        area = merge_area(element.get("ref", ""))
        if area is not None and len(self.merged) < _MERGE_LIMIT:
            self.merged.append(area)

    def too_many(self) -> Finding:
        """More rows and cells than the limit."""
        return _area_finding(
            self.display, self.worksheet.title, self.max_row, self.max_column, self.limits
        )

    def beyond(self, row: int, column: int) -> Finding:
        """A cell that takes the sheet's area past the limit."""
        return _area_finding(
            self.display,
            self.worksheet.title,
            self.max_row,
            self.max_column,
            self.limits,
            cell=a1(row, column),
        )

    def too_long(self, row: int, column: int, value: str) -> Finding:
        """A text longer than Excel allows."""
        return finding(
            "suspicious-file",
            file=self.display,
            sheet=self.worksheet.title,
            cell=a1(row, column),
            value=value,
            subject=f"Cell {a1(row, column)}",
            problem=f"holds {len(value):,} characters, more than Excel allows "
            f"({self.limits.max_cell_chars:,}), so the file was not made by Excel",
            advice=ADVICE_FRESH_COPY,
        )

    def _row(self, element: Any) -> Finding | None:
        number = element.get("r")
        reader = self.parse_cell
        reader.row_counter = int(float(number)) if number else reader.row_counter + 1
        reader.col_counter = 0
        quick, limit = self.quick, self.limits.max_sheet_cells
        cells, formats = self.cells, self.formats
        strings, dates = self.worksheet._shared_strings, self.workbook._date_formats
        for cell_element in element:
            if cell_element.tag != _CELL_TAG:
                continue
            cell = quick(cell_element, strings, dates) if quick else None
            if cell is None:
                row, column, value, data_type, style_id = reader(cell_element)
            else:
                row, column, value, data_type, style_id = cell
                reader.col_counter = column
            if row > self.max_row or column > self.max_column:
                self.max_row, self.max_column = max(self.max_row, row), max(self.max_column, column)
                if self.max_row * self.max_column > limit:
                    return self.beyond(row, column)
            if value is None:
                has_formula = cell_element.find(_FORMULA_TAG) is not None
                if not has_formula or cell_element.get("t") in ("str", "s", "inlineStr"):
                    continue  # blank, or a formula whose result is the empty text
                data_type = "f"
            elif isinstance(value, str):
                if len(value) > self.limits.max_cell_chars:
                    return self.too_long(row, column, value)
                if data_type == "str":
                    data_type = "s"
            fmt = formats.get(style_id)
            cells[(row, column)] = SheetCell(
                value, data_type, fmt if fmt is not None else self.number_format(style_id)
            )
        return None


@functools.lru_cache(maxsize=1024)  # every finding and observation names its cells: few columns
def column_letter(column: int) -> str:
    """``1`` gives ``A``, ``28`` gives ``AB`` (no upper bound: crafted files go beyond XFD)."""
    letters = ""
    while column > 0:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def a1(row: int, column: int) -> str:
    return f"{column_letter(column)}{row}"
