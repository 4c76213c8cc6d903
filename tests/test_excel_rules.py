"""xlsx.excel_rules copies a few of openpyxl's constants and rules: each is pinned to openpyxl's own."""

from __future__ import annotations

import datetime
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from openpyxl.packaging.relationship import get_rels_path
from openpyxl.reader import excel as openpyxl_reader
from openpyxl.styles import numbers
from openpyxl.utils import cell as openpyxl_cell
from openpyxl.utils import datetime as openpyxl_datetime
from openpyxl.worksheet import _reader as openpyxl_sheet
from openpyxl.xml.functions import fromstring as openpyxl_fromstring
from test_corpus_wild import HOSTILE, wild_folder

from perfreport.xlsx import cells_plain, excel_rules, lean, workbook

ROOT = Path(__file__).resolve().parents[1]
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _workbooks() -> list[Path]:
    folders = [ROOT / "tests", ROOT / "examples", HOSTILE, wild_folder()]
    found = {p for f in folders if f.is_dir() for p in f.rglob("*.xls[xm]")}
    return sorted(p for p in found if zipfile.is_zipfile(p))


def _formats_in_workbooks() -> set[str]:
    """The custom number formats of every workbook in the tests, the examples and the corpora."""
    formats = set()
    for path in _workbooks():
        try:
            with zipfile.ZipFile(path) as archive:
                xml = archive.read("xl/styles.xml")
            root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False))
        except Exception:  # noqa: BLE001 - a broken file has no formats to compare
            continue
        formats.update(fmt.get("formatCode") for fmt in root.iter(f"{_MAIN}numFmt"))
    formats.discard(None)
    return formats


FORMATS = _formats_in_workbooks()
ODD_FORMATS = [
    None,
    "",
    "General",
    '"d"0',
    "_d0",
    "\\d0",
    "[Red]0.00",
    "[$-409]mmm yy",
    "[h]:mm",
    "[mm]:ss",
    "[ss].00",
    "[HH]:MM",
    "0;d",
    'yyyy-mm-dd;@"text"',
    "[$£-809]#,##0.00",
    "0.0%",
]


def test_the_built_in_formats_are_openpyxl_s() -> None:
    assert excel_rules.BUILTIN_FORMATS == numbers.BUILTIN_FORMATS
    assert excel_rules.BUILTIN_FORMATS_MAX_SIZE == numbers.BUILTIN_FORMATS_MAX_SIZE
    assert excel_rules.BUILTIN_FORMATS_REVERSE == numbers.BUILTIN_FORMATS_REVERSE


def test_dates_and_durations_are_told_as_openpyxl_tells_them_for_every_format_seen() -> None:
    assert len(FORMATS) >= 20  # the test workbooks' and the corpus's formats were found
    every = [*numbers.BUILTIN_FORMATS.values(), *sorted(FORMATS), *ODD_FORMATS]
    dates = [f for f in every if excel_rules.is_date_format(f)]
    assert len(dates) >= 15 and any(excel_rules.is_timedelta_format(f) for f in every)
    for fmt in every:
        assert excel_rules.is_date_format(fmt) == numbers.is_date_format(fmt), fmt
        assert excel_rules.is_timedelta_format(fmt) == numbers.is_timedelta_format(fmt), fmt


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from('dmhysDMHYS0#.,;:_\\"[]$-@ %Eabcz'), max_size=16))
def test_dates_and_durations_are_told_as_openpyxl_tells_them_for_any_text(fmt: str) -> None:
    assert excel_rules.is_date_format(fmt) == numbers.is_date_format(fmt)
    assert excel_rules.is_timedelta_format(fmt) == numbers.is_timedelta_format(fmt)


def test_the_epochs_and_part_names_are_openpyxl_s() -> None:
    assert excel_rules.CALENDAR_WINDOWS_1900 == openpyxl_datetime.CALENDAR_WINDOWS_1900
    assert excel_rules.CALENDAR_MAC_1904 == openpyxl_datetime.CALENDAR_MAC_1904
    for name in ("ARC_CONTENT_TYPES", "ARC_CORE", "ARC_CUSTOM", "ARC_THEME"):
        assert getattr(excel_rules, name) == getattr(openpyxl_reader, name), name
    for path in ("xl/workbook.xml", "workbook.xml", "xl/sub/book.bin", "/xl/a.xml", ""):
        assert excel_rules.get_rels_path(path) == get_rels_path(path)


def test_the_sheet_tags_are_openpyxl_s() -> None:
    assert (workbook._CELL_TAG, workbook._FORMULA_TAG) == (
        openpyxl_sheet.CELL_TAG,
        openpyxl_sheet.FORMULA_TAG,
    )
    assert lean._VALUE_TAG == openpyxl_sheet.VALUE_TAG
    assert cells_plain._INLINE == openpyxl_sheet.INLINE_STRING


def _outcome(function, *args) -> object:
    try:
        return "gives", function(*args)
    except Exception as exc:  # noqa: BLE001 - the same failure is the same behaviour
        return "raises", type(exc)


def test_every_column_is_numbered_as_openpyxl_numbers_it() -> None:
    for number in range(1, 18279):
        letters = openpyxl_cell.get_column_letter(number)
        assert excel_rules.column_index_from_string(letters) == number
        assert excel_rules.column_index_from_string(letters.lower()) == number
    for odd in ("", "AAAA", "A1", "ZZZZ", "É", "@", "[", "a b", " A"):
        assert _outcome(excel_rules.column_index_from_string, odd) == _outcome(
            openpyxl_cell.column_index_from_string, odd
        ), odd


SERIALS = st.one_of(
    st.integers(min_value=-800_000, max_value=3_000_000),
    st.floats(min_value=-800_000, max_value=3_000_000, allow_nan=False),
    st.sampled_from([0, 0.5, 0.99999999, 1, 59, 60, 61, 60.5, 2958465.9999999, 1e308, -1]),
)


@settings(max_examples=600, deadline=None)
@given(SERIALS, st.booleans(), st.booleans())
def test_serial_dates_convert_as_openpyxl_converts_them(serial, mac: bool, duration: bool) -> None:
    ours = excel_rules.CALENDAR_MAC_1904 if mac else excel_rules.CALENDAR_WINDOWS_1900
    theirs = openpyxl_datetime.CALENDAR_MAC_1904 if mac else openpyxl_datetime.WINDOWS_EPOCH
    assert _outcome(excel_rules.from_excel, serial, ours, duration) == _outcome(
        openpyxl_datetime.from_excel, serial, theirs, duration
    )


def test_a_part_is_parsed_as_openpyxl_parses_it_entities_unresolved() -> None:
    parts = [
        b'<?xml version="1.0"?><a xmlns="urn:x"><!-- kept --><?pi kept?><b c="1">t</b></a>',
        b'<!DOCTYPE a [<!ENTITY e "expanded">]><a>&e;</a>',
        b"<a>&#233;&amp;</a>",
    ]
    for xml in parts:
        ours, theirs = excel_rules.fromstring(xml), openpyxl_fromstring(xml)
        assert etree.tostring(ours) == etree.tostring(theirs)
        assert [type(child) for child in ours] == [type(child) for child in theirs]
    assert b"expanded" not in etree.tostring(excel_rules.fromstring(parts[1]))
    with pytest.raises(etree.XMLSyntaxError):
        excel_rules.fromstring(b"<a><b></a>")


def test_the_dates_read_from_a_sheet_are_openpyxl_s() -> None:
    """A date cell's value (usual_cell) as openpyxl's parse_cell gives it, both epochs."""
    for epoch in (excel_rules.CALENDAR_WINDOWS_1900, excel_rules.CALENDAR_MAC_1904):
        parser = openpyxl_sheet.WorkSheetParser(
            None, ["a"], data_only=True, epoch=epoch, date_formats={3, 4}, timedelta_formats={4}
        )
        for style in (3, 4):
            for text in ("45580", "45580.5", "0.25", "1", "60", "1.5E3", "-5"):
                cell = etree.fromstring(
                    f'<c xmlns="{_MAIN[1:-1]}" r="B7" s="{style}"><v>{text}</v></c>'
                )
                parsed = parser.parse_cell(cell)
                ours = cells_plain.usual_cell(cell, ["a"], {3, 4}, {4}, epoch)
                assert ours == tuple(parsed.values()), (text, style)
                assert isinstance(ours[2], (datetime.datetime, datetime.time, datetime.timedelta))
