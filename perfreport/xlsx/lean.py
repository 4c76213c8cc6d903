"""Open a workbook for reading without building openpyxl's object model: the same values, faster."""

from __future__ import annotations

import functools
import io
import re
import zipfile
from collections.abc import Collection, Iterator, Sequence
from typing import IO, Any

from perfreport.xlsx.excel_rules import (
    ARC_CONTENT_TYPES,
    ARC_CORE,
    ARC_CUSTOM,
    ARC_THEME,
    CALENDAR_MAC_1904,
    CALENDAR_WINDOWS_1900,
    column_index_from_string,
    get_rels_path,
)
from perfreport.xlsx.package_plain import check_properties as _check_properties
from perfreport.xlsx.package_plain import dimension_boundaries
from perfreport.xlsx.package_plain import overrides as _overrides
from perfreport.xlsx.package_plain import relationships as _relationships
from perfreport.xlsx.package_plain import workbook as _workbook
from perfreport.xlsx.parts import iterparse_ending, read_shared_strings, read_styles
from perfreport.xlsx.sheet_plain import PLAIN_SHEET, plain_rows, plain_sheet
from perfreport.xlsx.sheet_tree import WHOLE_SHEET, first_ending, parse_whole, sheet_events
from perfreport.xlsx.strings_plain import plain_strings

# Why: openpyxl's load_workbook builds a whole Workbook (default styles, fonts, fills, named
# styles, descriptors for every attribute of the stylesheet) before a cell is read; for a small
# return that is three quarters of the reading time. A return needs far less: the sheets' names,
# states and parts, the shared strings, each cell style's number format and which styles are
# dates. This module takes those from the package (xlsx.package_plain for the small parts, a
# direct walk over the stylesheet and shared strings, xlsx.excel_rules for the constants), so
# that every value is what openpyxl would give, without importing openpyxl for a plain workbook.
#
# Whenever a part is not as Excel writes it, ``open_lean`` gives up (returns None or raises) and
# the caller loads the file with openpyxl, which then reports the problem exactly as before:
# this path only ever makes a good file faster. tests/test_lean_reader.py reads every workbook in
# the tests, the wild corpus and the hostile files both ways and requires the same result.

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_WORKBOOK_TYPES = (  # the order openpyxl looks for them in
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
)
_SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_STYLES_PART = "xl/styles.xml"  # openpyxl reads the stylesheet from this fixed name
_WHOLE_STRINGS = 8 * 1024 * 1024  # shared strings up to this size are parsed whole (faster)
# Rows and cells a small plain sheet may hold when read at open (before the limits are known):
# more than a part kept whole (xlsx.package, 256 KiB) can hold; the walk applies the limits.
_CELLS = 1 << 20


class LeanSheet:
    """What the sheet walk needs of a worksheet: title, state, declared size and its XML."""

    def __init__(self, book: LeanWorkbook, title: str, state: str, part: str):
        self.parent, self.title, self.sheet_state, self._part = book, title, state, part
        self._shared_strings = book.shared_strings
        self.max_row: int | None = None
        self.max_column: int | None = None
        self.tree: Any = None  # the part parsed whole (sheet_tree), when it could be
        self.rows: Any = None  # or its rows and merges, when it is small and plain (sheet_plain)

    def _get_source(self) -> IO[bytes]:
        return self.parent.archive.open(self._part)

    def plain(self, limit: int) -> Any:
        """The sheet's rows and merges when every cell is plain (sheet_plain), else None."""
        rows, self.rows = self.rows, None  # read once: a second walk streams the part
        if rows is not None:
            return rows  # small: read at open
        archive = self.parent.archive
        if archive.kept(self._part) is not None:
            return None  # small: parsed whole at open (sheet_tree) when not plain
        try:
            if archive.size(self._part) > PLAIN_SHEET:
                return None
            data = archive.read(self._part)
        except Exception:  # noqa: BLE001 - the walk reads it, and fails, as ever
            return None
        book = self.parent
        found = plain_rows(data, self._shared_strings, book._date_formats, _column, limit)
        if found is not None:
            self.tree = None
        return found

    def unread_part(self) -> bytes | None:
        """The part ``plain`` would read now (not read at open, not too large), else None."""
        archive = self.parent.archive
        if self.rows is not None or archive.kept(self._part) is not None:
            return None
        return archive.read(self._part) if archive.size(self._part) <= PLAIN_SHEET else None

    def events(self, source: IO[bytes]) -> Iterator[tuple[bool, Any]]:
        """The rows and merges of this sheet (see LeanWorkbook.sheet_events)."""
        tree, self.tree = self.tree, None  # the walk frees what it has read: walk it once
        if tree is not None:
            return sheet_events(None, tree)
        return sheet_events(source)


class LeanWorkbook:
    """The parts of a workbook a return is read from (see ``open_lean``)."""

    read_only = True  # as openpyxl's read-only workbooks say

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.shared_strings: list[str] = []
        self.epoch: Any = None
        self.worksheets: list[LeanSheet] = []
        self.sheetnames: list[str] = []
        self._date_formats: Collection[int] = frozenset()
        self._timedelta_formats: Collection[int] = frozenset()
        self._formats: Sequence[str | None] = ("General",)  # number format by cell style index

    def __getitem__(self, title: str) -> LeanSheet:
        for sheet in self.worksheets:
            if sheet.title == title:
                return sheet
        raise KeyError(title)

    def number_format(self, style_id: Any) -> str:
        """The number format of cell style ``style_id`` as openpyxl gives it ('General' when the
        index is broken, as workbook.read_sheet treats it)."""
        try:
            found = self._formats[style_id]
        except (IndexError, TypeError):
            return "General"
        return found if isinstance(found, str) else "General"

    def close(self) -> None:
        self.archive.close()
        self.worksheets = []  # each sheet refers to its book: freed now, not by a collection

    @staticmethod
    def sheet_events(source: IO[bytes]) -> Iterator[tuple[bool, Any]]:
        """As workbook._sheet_events, with lxml: only rows, merges and the sheet's top-level
        sections come back to Python, which is most of the speed."""
        return sheet_events(source)


class _Kept:
    """The zip, giving the parts that the package checks read whole (``parts``) from memory:
    the same bytes, inflated once. Any other part is read from the zip, failing as it would.
    With the checks' ``members`` (ZipInfo by name), the zip's directory is read again only when
    a part must be read from it (a return's are all kept)."""

    def __init__(self, data: bytes, parts: dict[str, bytes], members: dict[str, Any] | None = None):
        self._data, self._parts, self._members = data, parts, members
        self._zip = None if members else zipfile.ZipFile(io.BytesIO(data))

    @property
    def _archive(self) -> zipfile.ZipFile:
        if self._zip is None:
            self._zip = zipfile.ZipFile(io.BytesIO(self._data))
        return self._zip

    def namelist(self) -> list[str]:
        return list(self._members) if self._members else self._archive.namelist()

    def read(self, name: str) -> bytes:
        kept = self._parts.get(name)
        return kept if kept is not None else self._archive.read(name)

    def kept(self, name: str) -> bytes | None:
        return self._parts.get(name)

    def open(self, name: str) -> IO[bytes]:
        kept = self._parts.get(name)
        return io.BytesIO(kept) if kept is not None else self._archive.open(name)

    def size(self, name: str) -> int:
        if self._members:
            return self._members[name].file_size  # KeyError for a missing part, as getinfo
        return self._archive.getinfo(name).file_size

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


def open_lean(
    data: bytes, parts: dict[str, bytes] | None = None, members: dict[str, Any] | None = None
) -> LeanWorkbook | None:
    """The workbook, or None when it is not simple enough to read this way (use openpyxl).

    ``parts``: parts already read whole (check_package's), by zip name; ``members``: the zip's
    members by name (check_package's). May raise on a damaged part: the caller then uses
    openpyxl too, which says what is wrong.
    """
    archive: Any = _Kept(data, parts or {}, members)
    try:
        book = _open(archive)
    except BaseException:
        archive.close()
        raise
    if book is None:
        archive.close()
    return book


def _open(archive: Any) -> LeanWorkbook | None:
    valid = set(archive.namelist())
    overrides = _overrides(archive.read(ARC_CONTENT_TYPES))
    book = LeanWorkbook(archive)
    strings = next((name for name, kind in overrides if kind == _SHARED_STRINGS), None)
    if strings is not None:
        if archive.size(strings[1:]) <= _WHOLE_STRINGS:
            data = archive.read(strings[1:])
            plain = plain_strings(data)  # the usual entries, from the bytes
            book.shared_strings = plain if plain is not None else read_shared_strings(data)
        else:
            with archive.open(strings[1:]) as source:
                book.shared_strings = read_shared_strings(source)
    main = next((name for kind in _WORKBOOK_TYPES for name, of in overrides if of == kind), None)
    if main is None:
        return None  # openpyxl has a second way to find it (the defaults); leave it to that
    part = main[1:]
    date1904, listed, names = _workbook(archive.read(part))
    book.epoch = CALENDAR_MAC_1904 if date1904 else CALENDAR_WINDOWS_1900
    rels = None
    sheets = []
    for title, rel_id, state in listed:
        if not rel_id:
            continue  # openpyxl drops it with a warning
        if rels is None:
            rels_path = get_rels_path(part)
            rels = _relationships(rels_path, archive.read(rels_path))
        target, kind = rels[rel_id]
        if target not in valid:
            continue
        if "chartsheet" in kind:
            return None
        sheets.append((title, state, target))
    if names:
        _bind_names(names, len(sheets))
    for name in (ARC_CORE, ARC_CUSTOM):
        if name in valid:
            _check_properties(name, archive.read(name))
    if ARC_THEME in valid:
        archive.read(ARC_THEME)  # openpyxl reads it (and fails on a damaged one)
    if _STYLES_PART in valid:
        styles = _styles(archive.read(_STYLES_PART))
        if styles is None:
            return None
        book._formats, book._date_formats, book._timedelta_formats = styles
    for title, state, target in sheets:
        lean = LeanSheet(book, title, state, target)
        data = archive.kept(target)
        rest = None
        if data is not None and len(data) <= WHOLE_SHEET:
            # Plain (a return's usually is): its cells from the bytes, and only the rest parsed.
            found = plain_sheet(data, book.shared_strings, book._date_formats, _column, _CELLS)
            if found is not None:
                lean.rows, rest = found[:2], found[2]
            else:
                lean.tree = parse_whole(data)
        if rest is not None or lean.tree is not None:
            dimensions = _dimensions(None, rest if rest is not None else lean.tree)
        else:
            with archive.open(target) as source:
                dimensions = _dimensions(source)
        if dimensions is not None:
            _, _, lean.max_column, lean.max_row = dimensions
        book.worksheets.append(lean)
        book.sheetnames.append(title)
    return book if book.worksheets else None  # openpyxl says why there are none


@functools.lru_cache(maxsize=64)
def _styles(xml: bytes) -> tuple | None:
    found = read_styles(xml)
    if found is None:
        return None
    formats, dates, durations = found
    return tuple(formats), frozenset(dates), frozenset(durations)


def _dimensions(source: IO[bytes] | None, tree: Any = None) -> tuple | None:
    """openpyxl's WorkSheetParser.parse_dimensions, reading no further than it needs (from the
    parsed ``tree`` when given)."""
    tags = [f"{{{_MAIN}}}dimension", f"{{{_MAIN}}}sheetData"]
    if tree is not None:
        element = first_ending(tree, tags)
        if element is not None and element.tag == tags[0]:
            return dimension_boundaries(element)
        return None
    for _, element in iterparse_ending(source, tags):
        if element.tag == tags[0]:
            return dimension_boundaries(element)
        return None  # the cells come before any dimension
    return None


def _bind_names(names: Any, sheets: int) -> None:
    """Parse print titles and areas as openpyxl does when it binds names to sheets (it can fail;
    xlsx.package_plain hands over a workbook part with defined names, so openpyxl is imported)."""
    from openpyxl.worksheet.print_settings import PrintArea, PrintTitles

    for index, defined in names.by_sheet().items():
        if index == "global" or not -sheets <= index < sheets:
            continue
        for definition in defined.values():
            if definition.is_reserved == "Print_Titles":
                PrintTitles.from_string(definition.value)
            elif definition.is_reserved == "Print_Area":
                try:
                    PrintArea.from_string(definition.value)
                except TypeError:
                    pass


@functools.lru_cache(maxsize=4096)
def _column(letters: str) -> int:
    return column_index_from_string(letters)


_CELL_REF = re.compile(r"([A-Z]{1,3})([0-9]{1,7})")
_VALUE_TAG = f"{{{_MAIN}}}v"


def quick_cell(element: Any, strings: list[str], dates: Any) -> tuple | None:
    """openpyxl's WorkSheetParser.parse_cell for the usual cell: a reference, a number or a
    shared string in a single <v>, a plain style index. None for any other cell (formulas, inline
    text, booleans, errors, dates...), which openpyxl's parse_cell then reads."""
    kind = element.get("t")
    if (kind is not None and kind not in ("n", "s")) or len(element) != 1:
        return None
    child = element[0]
    text = child.text
    if child.tag != _VALUE_TAG or not text or len(child):
        return None
    match = _CELL_REF.fullmatch(element.get("r") or "")
    if match is None:
        return None
    style = element.get("s")
    if style is None:
        style_id = 0
    elif style.isascii() and style.isdigit():
        style_id = int(style)
    else:
        return None
    if kind == "s":
        if not (text.isascii() and text.isdigit()):
            return None
        index = int(text)
        if index >= len(strings):
            return None
        value: Any = strings[index]
    else:
        if style_id in dates:
            return None
        try:
            value = float(text) if "." in text or "E" in text or "e" in text else int(text)
        except ValueError:
            return None
        kind = "n"
    return int(match[2]), _column(match[1]), value, kind, style_id  # as parse_cell's dict
