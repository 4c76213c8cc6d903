"""A large catalogue's sheet read straight from its bytes into rows gives what the usual way gives.

xlsx.table_plain reads a sheet of plain cells (a large catalogue's) from the part's bytes into a
table's rows in one pass; anything it does not read that way gives None and sheets.read_table
reads it as ever. Here every workbook the tests know (the hostile files, the wild corpus, the
examples, the test data), the benchmark's synthetic catalogues and crafted catalogues are read as
a catalogue with that way taken wherever it can be (small sheets too) and never taken: the
Catalogue and every finding (text, code, location) must be the same, and that way must be taken
for the plain ones. Odd sheets made from a plain catalogue check the edges (rows and cells out of
order, cells of two rows in one row element, empty cells, limits).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sys
import zipfile
from pathlib import Path

import pytest
from projectfactory import write_catalogue, write_config
from test_catalogue_settings import _rows, _workbooks
from test_corpus_wild import HOSTILE

from perfreport.core.project import ConfigError, LimitSettings, load_project
from perfreport.inputs.catalogue import load_catalogue
from perfreport.xlsx import lean, table_plain
from perfreport.xlsx.workbook import open_workbook, read_sheet

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "somerset"


def _loaded(root: Path, way: str) -> tuple[object, ...]:
    """load_catalogue with table_plain's way "never" taken or taken "anywhere" it can be (a
    small sheet, read at open, too): (what it gave, how many sheets that way read)."""
    taken: list[object] = []
    real = table_plain.plain_table

    def counted(*args: object, **kwargs: object) -> object:
        table = real(*args, **kwargs)
        taken.extend([table] if table is not None else [])
        return table

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(table_plain, "plain_table", counted)
        if way == "never":
            patch.setattr(table_plain, "large_plain_table", lambda *args: None)
        elif way == "anywhere":
            patch.setattr(
                lean.LeanSheet, "unread_part", lambda self: self.parent.archive.read(self._part)
            )
        try:
            catalogue, findings = load_catalogue(load_project(root))
            outcome: tuple[object, ...] = (catalogue, findings)
        except ConfigError as error:
            outcome = ("refused", str(error))
    return outcome, len(taken)


def _compared(root: Path) -> int:
    """The catalogue of ``root`` read every way is the same; how many sheets the fast way read
    when taken anywhere."""
    never, none_taken = _loaded(root, "never")
    large, _ = _loaded(root, "large")
    anywhere, taken = _loaded(root, "anywhere")
    assert none_taken == 0
    assert anywhere == never
    assert large == never
    return taken


@pytest.mark.parametrize("path", _workbooks(), ids=lambda p: p.name)
def test_every_test_workbook_read_as_a_catalogue_is_read_the_same(
    tmp_path: Path, path: Path
) -> None:
    write_config(tmp_path)
    shutil.copyfile(path, tmp_path / f"catalogue{path.suffix.lower().replace('.xlsm', '.xlsx')}")
    _compared(tmp_path)


def test_the_fast_way_reads_plain_workbooks_of_the_tests() -> None:
    """Not a test that passes by never taking the fast way: it reads most plain workbooks."""
    taken = set()
    for path in _workbooks():
        if path.suffix.lower() != ".csv":
            book, _ = open_workbook(path, path.name, LimitSettings())
            if isinstance(book, lean.LeanWorkbook):
                for sheet in book.worksheets:
                    data = book.archive.read(sheet._part)
                    if table_plain.plain_table(data, sheet.title, LimitSettings(), **_of(book)):
                        taken.add(path.name)
            if book is not None:
                book.close()
    assert len(taken) >= 15
    assert {"valid-return.xlsx", "exceljs__google-sheets.xlsx"} <= taken


def _of(book: lean.LeanWorkbook) -> dict[str, object]:
    return {
        "strings": book.shared_strings,
        "dates": book._date_formats,
        "number_format": book.number_format,
        "column": table_plain.column_number,
    }


def test_column_numbers_are_openpyxls() -> None:
    from itertools import product
    from string import ascii_uppercase

    from openpyxl.utils.cell import column_index_from_string

    for size in (1, 2, 3):
        for letters in map("".join, product(ascii_uppercase, repeat=size)):
            assert table_plain.column_number(letters) == column_index_from_string(letters)


def test_the_example_catalogue_is_read_the_same(tmp_path: Path) -> None:
    """As generated (inline strings: not plain cells) and as Excel would save it."""
    assert _compared(EXAMPLE) == 0
    shutil.copytree(EXAMPLE, tmp_path, dirs_exist_ok=True)
    _as_excel_saves(tmp_path / "catalogue.xlsx")
    assert _compared(tmp_path) == 1  # its Indicators sheet has empty inline strings


@pytest.fixture(scope="module")
def bench_catalogues(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """The benchmark's synthetic catalogues at 1x and 10x, with their projects' settings."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import synth
        from synth_council import make_indicators
        from synth_workbooks import write_catalogue as write_bench_catalogue
    finally:
        sys.path.remove(str(ROOT / "bench"))
    roots = {}
    for scale in (1, 10):
        root = tmp_path_factory.mktemp(f"bench-{scale}")
        indicators, services = make_indicators(scale)
        synth._write_config(root, len(indicators))
        write_bench_catalogue(root / "catalogue.xlsx", indicators, services)
        roots[scale] = root
    return roots


@pytest.mark.parametrize("scale", [1, 10])
def test_the_benchmark_catalogues_are_read_the_same(
    bench_catalogues: dict[int, Path], scale: int
) -> None:
    root = bench_catalogues[scale]
    assert _compared(root) == 2
    (catalogue, findings), taken = _loaded(root, "large")
    # At 10x the Indicators sheet is too large to be read at open: the fast way reads it as it
    # would for a real large catalogue, without being forced.
    assert taken == (1 if scale == 10 else 0)
    assert len(catalogue.indicators) == 114 * scale and findings == ()


def _plain_values(rows: list[dict[str, object]]) -> list[dict[str, object]]:
    """The rows without the values that are not plain cells: dates, booleans (1 and 0 for
    True and False) and empty texts (openpyxl writes an empty inline string; Excel, nothing)."""
    return [{k: _plain_value(v) for k, v in r.items()} for r in rows]


def _plain_value(value: object) -> object:
    if isinstance(value, dt.datetime):
        return "Q1-2024"
    if isinstance(value, bool):
        return int(value)
    return None if value == "" else value


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("plain", [True, False])
def test_a_crafted_catalogue_is_read_the_same(tmp_path: Path, seed: int, plain: bool) -> None:
    """Good, bad and blank values of every column, saved as Excel saves text; with dates and
    booleans among them (not cells the fast way reads: the whole sheet is read the usual way)
    and without."""
    write_config(tmp_path, extra='[glossary]\nDfE = "Department"\n')
    rows = _plain_values(_rows(seed, 400)) if plain else _rows(seed, 400)
    targets = [{"ref": f"R-{n:03d}", "year": "2024/25", "target": n} for n in range(0, 40, 3)]
    _as_excel_saves(write_catalogue(tmp_path / "catalogue.xlsx", rows, targets=targets))
    assert _compared(tmp_path) == (2 if plain else 1)  # the Targets sheet, and the Indicators
    (catalogue, findings), _ = _loaded(tmp_path, "never")
    assert len(catalogue.indicators) > 200 and len(findings) > 100


def _as_excel_saves(path: Path) -> Path:
    """The workbook with its text moved into shared strings, as Excel saves it (openpyxl writes
    inline strings, which are not plain cells: the fast way would never be taken)."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from xlsxsave import share_strings
    finally:
        sys.path.remove(str(ROOT / "bench"))
    with zipfile.ZipFile(path) as archive:
        parts = share_strings({info.filename: archive.read(info) for info in archive.infolist()})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


# Odd sheets: a plain crafted catalogue's Indicators sheet, changed ((old, new) pairs; {percent}
# and {date} stand for cell styles added with those formats).
_AT_2 = b'</row><row r="3">'
_VARIANTS: dict[str, tuple[bytes, ...]] = {
    "as saved": (),
    "cells out of order": (b'<row r="2">', b'<row r="2"><c r="ZZ2"><v>5</v></c>'),
    "a cell twice": (_AT_2, b'<c r="A2"><v>5</v></c>' + _AT_2),
    "a cell of another row": (_AT_2, b'<c r="B9"><v>5</v></c>' + _AT_2),
    "a cell of an earlier row": (b'</row><row r="4">', b'<c r="B2"><v>5</v></c></row><row r="4">'),
    "a row number with a zero": (b'<c r="B2"', b'<c r="B02"'),
    "rows out of order": (b'<row r="3">', b'<row r="1"><c r="ZZ1"><v>1</v></c></row><row r="3">'),
    "a row far below": (
        b"</sheetData>",
        b'<row r="900"><c r="A900"><v>1</v></c></row></sheetData>',
    ),
    "empty rows": (b'<row r="3">', b'<row r="40"/><row r="41"></row><row r="3">'),
    # more rows and cells than a small limit allows, in a small area
    "many empty row elements": (b'<row r="3">', b'<row r="3"/>' * 1500 + b'<row r="3">'),
    "a cell many times": (_AT_2, b'<c r="A2"><v>5</v></c>' * 1500 + _AT_2),
    "empty cells": (_AT_2, b'<c r="AZ2" s="1"/><c r="BA2"></c>' + _AT_2),
    "an empty cell far away": (_AT_2, b'<c r="XFD2" s="1"/>' + _AT_2),
    "white space": (b'<row r="3">', b'\n  <row r="3">', b'<c r="A4"', b'\n\t<c r="A4"'),
    "row attributes": (b'<row r="3">', b'<row spans="1:15" r="3" ht="15">'),
    "an odd row attribute": (b'<row r="3">', b"<row r='3'>"),
    "a percentage": (_AT_2, b'<c r="ZZ2" s="{percent}"><v>0.5</v></c>' + _AT_2),
    "a date": (_AT_2, b'<c r="ZZ2" s="{date}"><v>45000</v></c>' + _AT_2),
    "a bad string index": (_AT_2, b'<c r="ZZ2" t="s"><v>999999</v></c>' + _AT_2),
    "a formula": (_AT_2, b'<c r="ZZ2"><f>1+1</f><v>2</v></c>' + _AT_2),
    "an inline string": (_AT_2, b'<c r="ZZ2" t="inlineStr"><is><t>x</t></is></c>' + _AT_2),
    "a comment": (b"</sheetData>", b"<!-- x --></sheetData>"),
    "a comment in a row": (_AT_2, b"<!-- x -->" + _AT_2),
    "a processing instruction": (b'<row r="3">', b'<?x y?><row r="3">'),
    "a CDATA section": (_AT_2, b"<![CDATA[x]]>" + _AT_2),
    "a ]]> in a value": (_AT_2, b'<c r="ZZ2"><v>1]]>2</v></c>' + _AT_2),
    "a ]]> in an attribute": (b'<row r="3">', b'<row r="3" a="]]>">'),
    "a sheetData in the cells": (b'<row r="3">', b'<sheetData><row r="3">'),
    "a namespace on a row": (b'<row r="3">', b'<row r="3" xmlns:q="urn:q">'),
    "an exponent": (_AT_2, b'<c r="ZZ2"><v>1E3</v></c>' + _AT_2),
    "not a number": (_AT_2, b'<c r="ZZ2"><v>1x</v></c>' + _AT_2),
    "no rows": (),  # see _variant
}
# Read the fast way (the rest the usual way, which says what is wrong, if anything).
_FAST = {
    "as saved",
    "cells out of order",
    "a cell twice",
    "a row far below",
    "empty rows",
    "many empty row elements",
    "a cell many times",
    "empty cells",
    "white space",
    "row attributes",
    "a percentage",
    "an exponent",
    "no rows",
}


@pytest.fixture(scope="module")
def plain_catalogue(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The parts of a crafted catalogue saved as Excel saves it, with styles for a percentage
    and a date added: every cell of its Indicators sheet is plain."""
    folder = tmp_path_factory.mktemp("plain")
    rows = _plain_values(_rows(3, 60))
    path = _as_excel_saves(write_catalogue(folder / "catalogue.xlsx", rows, targets=[]))
    with zipfile.ZipFile(path) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist()}
    styles = parts["xl/styles.xml"]
    match = re.search(rb'<cellXfs count="(\d+)">', styles)
    assert match is not None
    count = int(match[1])
    added = b'<xf numFmtId="10" applyNumberFormat="1"/><xf numFmtId="14" applyNumberFormat="1"/>'
    styles = styles.replace(match[0], b'<cellXfs count="%d">' % (count + 2))
    parts["xl/styles.xml"] = styles.replace(b"</cellXfs>", added + b"</cellXfs>")
    parts["percent"], parts["date"] = b"%d" % count, b"%d" % (count + 1)
    return parts


def _variant(parts: dict[str, bytes], folder: Path, name: str) -> Path:
    sheet = parts["xl/worksheets/sheet1.xml"]
    changes = [
        c.replace(b"{percent}", parts["percent"]).replace(b"{date}", parts["date"])
        for c in _VARIANTS[name]
    ]
    for old, new in zip(changes[::2], changes[1::2], strict=True):
        assert old in sheet, (name, old)
        sheet = sheet.replace(old, new, 1)
    if name == "no rows":
        sheet = sheet[: sheet.index(b"<sheetData>") + 11] + sheet[sheet.index(b"</sheetData>") :]
    folder.mkdir(exist_ok=True)
    path = folder / "catalogue.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            if "/" in part or part.startswith("["):
                archive.writestr(part, sheet if part == "xl/worksheets/sheet1.xml" else data)
    return path


def _tables(path: Path, limits: LimitSettings, way: str) -> tuple[object, ...]:
    """Every sheet read by table_plain.read_large_table, the fast way taken "anywhere" or
    "never", and as read_sheet's cells ("walked")."""
    from perfreport.xlsx.sheets import table_from_sheet

    with pytest.MonkeyPatch.context() as patch:
        if way == "anywhere":
            patch.setattr(
                lean.LeanSheet, "unread_part", lambda self: self.parent.archive.read(self._part)
            )
        else:
            patch.setattr(table_plain, "large_plain_table", lambda *args: None)
        book, findings = open_workbook(path, path.name, limits)
        if book is None:
            return ("not opened", tuple(findings))
        try:
            if way == "walked":
                read = []
                for sheet in book.worksheets:
                    found, problems = read_sheet(book, sheet.title, path.name, limits)
                    read.append((None if found is None else table_from_sheet(found), problems))
                return tuple(read)
            return tuple(
                table_plain.read_large_table(book, s.title, path.name, limits)
                for s in book.worksheets
            )
        finally:
            book.close()


@pytest.mark.parametrize("variant", sorted(_VARIANTS))
def test_odd_catalogue_sheets_are_read_the_same(
    tmp_path: Path, plain_catalogue: dict[str, bytes], variant: str
) -> None:
    path = _variant(plain_catalogue, tmp_path, variant)
    limits = LimitSettings()
    anywhere, never, walked = (_tables(path, limits, w) for w in ("anywhere", "never", "walked"))
    assert anywhere == never == walked
    book, _ = open_workbook(path, path.name, limits)
    assert isinstance(book, lean.LeanWorkbook)
    try:
        sheet = book.archive.read(book["Indicators"]._part)
        fast = table_plain.plain_table(sheet, "Indicators", limits, **_of(book))
    finally:
        book.close()
    assert (fast is not None) == (variant in _FAST)
    for small in (
        LimitSettings(max_sheet_cells=40),
        LimitSettings(max_sheet_cells=400),
        LimitSettings(max_sheet_cells=1100),
        LimitSettings(max_sheet_cells=20_000),
        LimitSettings(max_cell_chars=20),
    ):
        assert _tables(path, small, "anywhere") == _tables(path, small, "never"), small
    write_config(tmp_path)
    _compared(tmp_path)


def test_the_fast_way_is_taken_for_a_plain_sheet_only_once_read(tmp_path: Path) -> None:
    """The usual way is not run as well when the fast way reads the sheet."""
    calls: list[object] = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            lean.LeanSheet, "unread_part", lambda self: self.parent.archive.read(self._part)
        )
        real = read_sheet

        def counted(*args: object, **kwargs: object) -> object:
            calls.append(args[1])
            return real(*args, **kwargs)

        import perfreport.xlsx.workbook as workbook

        patch.setattr(workbook, "read_sheet", counted)
        path = HOSTILE / "valid-return.xlsx"
        book, _ = open_workbook(path, path.name, LimitSettings())
        assert book is not None
        try:
            title = book.worksheets[0].title
            table, findings = table_plain.read_large_table(book, title, "x", LimitSettings())
        finally:
            book.close()
    assert table is not None and findings == [] and calls == []
