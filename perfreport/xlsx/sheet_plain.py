"""A sheet whose cells are all plain, read from its bytes: the cells the XML walk gives, faster."""

from __future__ import annotations

import functools
import re
from typing import Any

from perfreport.xlsx.parts import whole_parser

# Why: walking a sheet's XML hands every row, cell and value element to Python, about 6 us a
# cell; the catalogue of a large council has 150,000 cells and is read before anything else can
# start. Excel, LibreOffice and openpyxl write the usual cell in one form, <c r="B2" s="3"
# t="s"><v>12</v></c>, so the cells are matched in the part's bytes by one regular expression
# (in C) instead, and only their values are worked out in Python.
#
# Only when the whole of <sheetData> is made of exactly these forms (rows, plain cells with a
# reference, a style, a type n or s and a value of plain characters, and white space), and the
# rest of the part parses with the same lxml options as the walk, where <sheetData> is a child
# of <worksheet> in the main namespace and no row is anywhere else: then every cell is one that
# xlsx.lean.quick_cell reads, and the walk would see the same rows and cells in the same order.
# A cell of that form that quick_cell does not read (a date, say) is given as its bytes, for
# the walk's parse_cell. Anything else (a formula, an inline string, a boolean, a comment, an
# entity, another namespace or form) gives None, and the sheet is walked as before.

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# Printable ASCII only, and short: any other character, or a text or name past libxml2's limits,
# may be one the walk's parser refuses, so it is left to the walk.
_NAME = rb"(?:[A-Za-z_][\w.-]{0,100}:)?[A-Za-z_][\w.-]{0,100}"
_TEXT = rb"[\x20\x21\x23-\x25\x27-\x3b\x3d-\x7e]{0,1000}"  # no " & < in an attribute's value
_SPACE = rb"[ \t\r\n]{0,100}"
_ATTRIBUTES = (
    rb"(?:[ \t\r\n]" + _SPACE + _NAME + _SPACE + b"=" + _SPACE + b'"' + _TEXT + b'")*' + _SPACE
)
_TOKEN = re.compile(
    rb"(?P<row><row" + _ATTRIBUTES + rb"(?P<empty>/)?>)"
    rb"|</row>"
    rb'|<c r="(?P<column>[A-Z]{1,3})(?P<number>[0-9]{1,7})"(?: s="(?P<style>[0-9]{1,9})")?'
    rb'(?: t="(?P<kind>[ns])")?><v>(?P<value>[\x20-\x25\x27-\x3b\x3d-\x7e]{1,1000})</v></c>'
    rb"|[ \t\r\n]{1,1000}(?![ \t\r\n])"  # white space between elements (a text node)
    # an empty cell (a style and nothing in it): no value, but it reaches as far as its place
    rb'|<c r="(?P<empty_column>[A-Z]{1,3})(?P<empty_number>[0-9]{1,7})"(?: s="[0-9]{1,9}")?'
    rb'(?: t="[ns]")?(?:></c>|/>)'
)
# The bytes a number's text is looked for, by their values: `b"." in text` first tries b"." as
# an int and catches the TypeError, ten times the time of `46 in text` (a cell's, ~40 a return).
_DOT, _E, _e = b".Ee"
_ATTRIBUTE_NAME = re.compile(rb"[ \t\r\n](" + _NAME + rb")" + _SPACE + b"=")
_OPEN, _CLOSE = b"<sheetData>", b"</sheetData>"
PLAIN_SHEET = 16 * 1024 * 1024  # a part larger than this (inflated) is walked as it streams
Row = tuple[int, list[tuple[int, int, Any, str, int]]]  # (children, cells as quick_cell gives)
# The type of a cell that quick_cell does not read (a date, a bad index...): its value is the
# cell's bytes, for the walk's parse_cell (raw_element), just as the walk would give it.
RAW = "raw"
# The type of an empty cell: the walk keeps no cell for it, but counts its place (the sheet's
# extent, and so the limit on its area).
EMPTY = "empty"


def plain_rows(
    data: bytes, strings: list[str], dates: Any, column: Any, limit: int
) -> tuple[list[Row], list[Any]] | None:
    """(each row's cell count and cells, the part's mergeCell elements in order), or None when
    the sheet is not plain or holds more than ``limit`` rows and cells (the walk then says so).
    ``column`` turns letters into a column number (lean's, cached)."""
    found = plain_sheet(data, strings, dates, column, limit)
    return None if found is None else found[:2]


def plain_sheet(
    data: bytes, strings: list[str], dates: Any, column: Any, limit: int
) -> tuple[list[Row], list[Any], Any] | None:
    """plain_rows, and the part without its cells as parsed (its root element: what precedes
    and follows <sheetData>, such as the dimension, is in it as in the whole part)."""
    if not _plain_markup(data):
        return None
    start = data.find(_OPEN)
    end = data.find(_CLOSE)
    if start < 0 or end < start:
        return None
    start += len(_OPEN)
    if b"]]>" in data[start:end] or b"xmlns" in data[start:end]:
        return None
    rest = _rest(data[:start] + data[end:], data.count(b"xmlns"))
    if rest is None:
        return None
    declared, merges, root = rest
    rows = _rows(data, start, end, strings, dates, column, declared, limit)
    return None if rows is None else (rows, merges, root)


def plain_region(data: bytes) -> tuple[int, int, dict] | None:
    """Where the cells of a sheet lie (the content of <sheetData>: its start and end in
    ``data``) and the prefixes in scope there; None when the part is not plain around its
    cells, under plain_sheet's checks. For a reader of the cells' bytes with its own idea of
    plain cells (xlsx.table_plain, for a large catalogue), which must take a "<" only as the
    start of a row or cell: then no comment, CDATA section, processing instruction or second
    <sheetData> can be among the cells, and only the rest of the part is searched for them
    (plain_sheet searches the whole part: 5 MB at 100x, ~15 ms)."""
    start = data.find(_OPEN)
    end = data.find(_CLOSE)
    if start < 0 or end < start:
        return None
    start += len(_OPEN)
    rest = data[:start] + data[end:]
    if (
        not _plain_markup(rest)
        or data.find(b"]]>", start, end) >= 0
        or data.find(b"xmlns", start, end) >= 0
    ):
        return None
    found = _rest(rest, rest.count(b"xmlns"))
    return None if found is None else (start, end, found[0])


def _plain_markup(part: bytes) -> bool:
    """Whether ``part`` has one <sheetData> and one </sheetData>, no comment, no CDATA section
    and no processing instruction but the XML declaration: what either plain reading asks of
    the bytes it searches (plain_sheet the whole part, plain_region the part around its cells)."""
    declaration = 1 if part.removeprefix(b"\xef\xbb\xbf").startswith(b"<?xml") else 0
    return (
        part.count(b"<sheetData") == 1
        and part.count(_CLOSE) == 1
        and b"<!--" not in part
        and b"<![CDATA[" not in part
        and part.count(b"<?") <= declaration
    )


# Returns made from one template mostly share what surrounds their cells (the columns, views,
# merges, page setup) byte for byte: that rest, when small, is parsed once per process and its
# elements shared, which only ever read them.
_SAME_REST = 16 * 1024  # a return's is ~3 KB


def _rest(remainder: bytes, declarations: int) -> tuple[dict, list[Any], Any] | None:
    """_parse_rest, from memory for a small rest seen before."""
    if len(remainder) <= _SAME_REST:
        return _same_rest(remainder, declarations)
    return _parse_rest(remainder, declarations)


@functools.lru_cache(maxsize=64)
def _same_rest(remainder: bytes, declarations: int) -> tuple[dict, list[Any], Any] | None:
    return _parse_rest(remainder, declarations)


def _parse_rest(remainder: bytes, declarations: int) -> tuple[dict, list[Any], Any] | None:
    """The part without its cells, parsed as the walk parses it: (the prefixes in scope at
    <sheetData>, the mergeCell elements as they end, the root), or None when it is not as
    expected.

    Every namespace must be declared on the root (``declarations``: how often "xmlns" occurs in
    the part), the default one the main namespace: then the rows and cells of the bytes, which
    have no prefix, are in the main namespace wherever they are, as the walk sees them."""
    from lxml import etree

    parser = whole_parser()
    try:
        root = etree.fromstring(remainder, parser)
    except Exception:  # noqa: BLE001 - the walk will fail on it, as ever
        return None
    if root.nsmap.get(None) != _MAIN or len(root.nsmap) != declarations:
        return None
    data_tag, row_tag = f"{{{_MAIN}}}sheetData", f"{{{_MAIN}}}row"
    sheet_data = root.find(data_tag)
    if root.tag != f"{{{_MAIN}}}worksheet" or sheet_data is None or len(sheet_data):
        return None
    if sheet_data.nsmap.get(None) != _MAIN or sheet_data.attrib:
        return None
    if next(root.iter(row_tag), None) is not None:
        return None  # a row outside <sheetData>: the walk reads it too
    merge = f"{{{_MAIN}}}mergeCell"
    merges = [element for _, element in etree.iterwalk(root, events=("end",), tag=merge)]
    return dict(root.nsmap), merges, root


def _rows(
    data: bytes,
    start: int,
    end: int,
    strings: list[str],
    dates: Any,
    column: Any,
    declared: dict,
    limit: int,
) -> list[Row] | None:
    rows: list[Row] = []
    cells: list[tuple[int, int, Any, str, int]] | None = None
    position, counted, count = start, 0, len(strings)
    checked: set[bytes] = set()
    columns: dict[bytes, int] = {}  # letters -> column number, made once a sheet
    numbers: dict[bytes | None, int] = {None: 0}  # the same for row numbers and styles
    for match in _TOKEN.finditer(data, start, end):
        at, stop = match.span()
        if at != position:
            return None  # something between the tokens: not plain
        position = stop
        tag, empty, letters, number, style, kind, text, empty_letters, empty_number = match.groups()
        if text is not None:  # a cell: xlsx.lean.quick_cell, inlined
            counted += 1
            if cells is None or counted > limit:
                return None  # a cell outside a row, or beyond the limit
            style_id = numbers.get(style)
            if style_id is None:
                style_id = numbers[style] = int(style)
            value: Any = None
            if kind == b"s":
                if text.isdigit():
                    index = int(text)
                    if index < count:
                        value = strings[index]
            elif style_id not in dates:
                try:
                    value = float(text) if _DOT in text or _E in text or _e in text else int(text)
                except ValueError:
                    value = None
            if value is None:
                cells.append((0, 0, match[0], RAW, 0))
            else:
                at_column = columns.get(letters)
                if at_column is None:
                    at_column = columns[letters] = column(letters.decode())
                row_number = numbers.get(number)
                if row_number is None:
                    row_number = numbers[number] = int(number)
                cells.append((row_number, at_column, value, "s" if kind == b"s" else "n", style_id))
        elif empty_letters is not None:
            counted += 1
            if cells is None or counted > limit:
                return None
            cells.append((int(empty_number), column(empty_letters.decode()), None, EMPTY, 0))
        elif tag is not None:
            counted += 1
            if cells is not None or counted > limit:
                return None
            # <row r="12">, as Excel and openpyxl write a row, has its attributes right: no
            # need to list them (each row's tag differs, so none is remembered)
            plain = tag[8:-2].isdigit() and tag.startswith(b'<row r="') and tag.endswith(b'">')
            if not plain and not _attributes_ok(tag, declared, checked):
                return None
            if empty is None:
                cells = []
            else:
                rows.append((0, []))
        elif match[0] == b"</row>":
            if cells is None:
                return None
            rows.append((len(cells), cells))
            cells = None
    if position != end or cells is not None:
        return None
    return rows


def _attributes_ok(tag: bytes, declared: dict, checked: set[bytes]) -> bool:
    """A row's attributes are well formed: each name once, each prefix declared."""
    if tag in checked:
        return True
    names = _ATTRIBUTE_NAME.findall(tag)
    resolved = set()
    for name in names:
        prefix, _, local = name.rpartition(b":")
        if prefix:
            uri = declared.get(prefix.decode("ascii"))
            if uri is None and prefix != b"xml":
                return False
            resolved.add((uri or "xml", local))
        else:
            resolved.add(("", local))
    if len(resolved) != len(names):
        return False
    checked.add(tag)
    return True


def walk_plain(walker: Any, rows: list[Row], merges: list[Any], sheet_cell: type) -> Any:
    """workbook's walk (``walker`` is its _Walker, ``sheet_cell`` its SheetCell) over the rows of
    plain_rows: the same cells, limits and findings, in the same order; None when all is read."""
    counted, limit = 0, walker.limits.max_sheet_cells
    cells, formats = walker.cells, walker.formats
    for children, row_cells in rows:
        counted += children + 1
        for row, column, value, data_type, style_id in row_cells:
            if data_type == RAW:  # a cell quick_cell leaves (a date...), read as in the walk
                row, column, value, data_type, style_id = walker.parse_cell(raw_element(value))
                if value is None:
                    continue
            if row > walker.max_row or column > walker.max_column:
                walker.max_row = max(walker.max_row, row)
                walker.max_column = max(walker.max_column, column)
                if walker.max_row * walker.max_column > limit:
                    return walker.beyond(row, column)
            if data_type == EMPTY:
                continue
            if isinstance(value, str) and len(value) > walker.limits.max_cell_chars:
                return walker.too_long(row, column, value)
            fmt = formats.get(style_id)
            cells[(row, column)] = sheet_cell(
                value, data_type, fmt if fmt is not None else walker.number_format(style_id)
            )
        if counted > limit:
            return walker.too_many()
    for element in merges:
        walker.add_merge(element)
    return None


def raw_element(cell: bytes) -> Any:
    """A RAW cell as the element the walk would give parse_cell (only its own attributes and
    <v> are read there)."""
    from lxml import etree

    return etree.fromstring(b'<c xmlns="' + _MAIN.encode() + b'"' + cell[2:])
