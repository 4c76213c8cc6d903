"""Opening a workbook safely: what a file really is, the bounds checked before parsing, one sheet's cells."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl.xml
import pytest
from rawxlsx import (
    BETA_MAIN,
    DECLARATION,
    MAIN,
    STRICT_MAIN,
    biff_stream,
    billion_laughs,
    compound,
    external_entity,
    package,
    return_parts,
    with_dtd,
)

from perfreport.core.codes import CODES
from perfreport.core.codes_files import ADVICE_REPAIR, ADVICE_SAVE_AS_XLSX
from perfreport.core.project import LimitSettings
from perfreport.xlsx.workbook import SheetCell, open_workbook, read_sheet

DEFAULT_LIMITS = LimitSettings()
WORD_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)


def valid() -> dict[str, str]:
    return return_parts()


def changed(part: str, content: str | bytes) -> bytes:
    parts = valid()
    parts[part] = content
    return package(parts)


def without(part: str) -> bytes:
    parts = valid()
    del parts[part]
    return package(parts)


def with_sheet(
    sheet_data: str, after: str = "", workbook_pr: str = "", number_format: str = "0.0%"
) -> bytes:
    """The valid workbook with other sheet XML; style 1 has ``number_format``."""
    parts = valid()
    parts["xl/styles.xml"] = parts["xl/styles.xml"].replace("0.0%", number_format)
    parts["xl/worksheets/sheet1.xml"] = (
        DECLARATION + f'<worksheet xmlns="{MAIN}"><sheetData>'
        f"{sheet_data}</sheetData>{after}</worksheet>"
    )
    if workbook_pr:
        parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
            "<sheets>", workbook_pr + "<sheets>"
        )
    return package(parts)


def encrypted_member() -> bytes:
    data = bytearray(package(valid()))
    # Set the "encrypted" flag on every member in the local and central headers.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at >= 0:
            data[at + offset] |= 0x01
            at = data.find(signature, at + 4)
    return bytes(data)


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[], bytes]
    code: str
    limits: LimitSettings = field(default_factory=LimitSettings)


CASES = (
    Case("an empty file", lambda: b"", "unreadable-file"),
    Case("a zip cut short", lambda: package(valid())[:900], "unreadable-file"),
    Case("a CSV file", lambda: b"Ref,Value\r\nASC-01,86.5\r\n", "not-a-workbook"),
    Case(
        "a CSV file in Windows-1252",
        lambda: "Ref;Value;Note\r\nASC-01;86,5;caf\xe9\r\n".encode("cp1252"),
        "not-a-workbook",
    ),
    Case(
        "an HTML export",
        lambda: b"<!DOCTYPE html><html><table><tr><td>Ref</td></tr></table>",
        "not-a-workbook",
    ),
    Case("a PDF", lambda: b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "not-a-workbook"),
    Case("binary noise", lambda: bytes(range(256)) * 4, "not-a-workbook"),
    Case("a rich-text document", lambda: b"{\\rtf1\\ansi Ref Value}", "not-a-workbook"),
    Case(
        "an Excel 2003 XML spreadsheet",
        lambda: (
            DECLARATION + '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"/>'
        ).encode(),
        "legacy-format",
    ),
    Case(
        "an Excel 4 file", lambda: b"\x09\x04\x06\x00\x00\x00\x10\x00" + bytes(40), "legacy-format"
    ),
    Case("an .xls", lambda: compound({"Workbook": biff_stream()}), "legacy-format"),
    Case("an Excel 95 .xls", lambda: compound({"Book": biff_stream()}), "legacy-format"),
    Case(
        "a password-protected .xls",
        lambda: compound({"Workbook": biff_stream(True)}),
        "encrypted-workbook",
    ),
    Case(
        "a password-protected .xlsx",
        lambda: compound({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": bytes(16)}),
        "encrypted-workbook",
    ),
    Case("a Word .doc", lambda: compound({"WordDocument": b"\xec\xa5"}), "not-a-workbook"),
    Case("another compound file", lambda: compound({"Contents": b"x"}), "not-a-workbook"),
    Case(
        "a damaged compound file",
        lambda: compound({"Workbook": biff_stream()})[:600],
        "unreadable-file",
    ),
    Case(
        "an .xlsb",
        lambda: package({"[Content_Types].xml": "<Types/>", "xl/workbook.bin": b"x"}),
        "legacy-format",
    ),
    Case(
        "an .xlsb named by its content type",
        lambda: changed(
            "[Content_Types].xml",
            valid()["[Content_Types].xml"].replace(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                "application/vnd.ms-excel.sheet.binary.macroEnabled.main",
            ),
        ),
        "legacy-format",
    ),
    Case(
        "an .ods",
        lambda: package(
            {"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}
        ),
        "legacy-format",
    ),
    Case(
        "an .odt",
        lambda: package({"mimetype": "application/vnd.oasis.opendocument.text"}),
        "not-a-workbook",
    ),
    Case("an empty zip", lambda: package({}), "not-a-workbook"),
    Case(
        "a zip of other files",
        lambda: package({"notes.txt": "Q2 figures to follow"}),
        "not-a-workbook",
    ),
    Case(
        "a Word .docx",
        lambda: package(
            {"[Content_Types].xml": DECLARATION + WORD_TYPES, "word/document.xml": "<w/>"}
        ),
        "not-a-workbook",
    ),
    Case(
        "workbook parts without their manifest",
        lambda: without("[Content_Types].xml"),
        "unreadable-file",
    ),
    Case(
        "a manifest naming no workbook part",
        lambda: changed(
            "[Content_Types].xml",
            valid()["[Content_Types].xml"].replace(
                "spreadsheetml.sheet.main+xml", "spreadsheetml.other+xml"
            ),
        ),
        "unreadable-file",
    ),
    Case(
        "a manifest that is not XML",
        lambda: changed("[Content_Types].xml", "CORRUPTED"),
        "unreadable-file",
    ),
    Case("Strict OOXML", lambda: package(return_parts(main=STRICT_MAIN)), "unsupported-dialect"),
    Case(
        "the Excel 2007 beta format",
        lambda: package(return_parts(main=BETA_MAIN)),
        "unsupported-dialect",
    ),
    Case(
        "an unknown workbook namespace",
        lambda: package(return_parts(main="urn:example:sheets")),
        "unsupported-dialect",
    ),
    Case(
        "a workbook whose sheets openpyxl cannot find",
        lambda: changed(
            "xl/_rels/workbook.xml.rels",
            valid()["xl/_rels/workbook.xml.rels"].replace(
                "worksheets/sheet1.xml", "worksheets/missing.xml"
            ),
        ),
        "unsupported-dialect",
    ),
    Case(
        "a part openpyxl needs is missing",
        lambda: without("xl/sharedStrings.xml"),
        "unreadable-file",
    ),
    Case(
        "sheet XML openpyxl cannot parse",
        lambda: changed("xl/worksheets/sheet1.xml", DECLARATION + "foo<worksheet/>"),
        "unreadable-file",
    ),
    Case("encrypted zip members", encrypted_member, "encrypted-workbook"),
    Case(
        "two parts with the same name",
        lambda: package([*valid().items(), ("xl/styles.xml", valid()["xl/styles.xml"])]),
        "suspicious-file",
    ),
    Case(
        "two parts differing in case",
        lambda: package([*valid().items(), ("XL/Styles.XML", valid()["xl/styles.xml"])]),
        "suspicious-file",
    ),
    Case(
        "two parts differing in slashes",
        lambda: package([*valid().items(), ("xl\\styles.xml", valid()["xl/styles.xml"])]),
        "suspicious-file",
    ),
    Case(
        "a zip bomb",
        lambda: changed(
            "xl/worksheets/sheet1.xml",
            valid()["xl/worksheets/sheet1.xml"].replace("</row>", "</row>" + " " * 3_000_000, 1),
        ),
        "suspicious-file",
    ),
    Case(
        "more expanded bytes than allowed",
        lambda: package(valid()),
        "suspicious-file",
        LimitSettings(max_uncompressed_bytes=2_000),
    ),
    Case(
        "more parts than allowed",
        lambda: package(valid()),
        "suspicious-file",
        LimitSettings(max_zip_members=7),
    ),
    Case(
        "a bigger file than allowed",
        lambda: package(valid()),
        "suspicious-file",
        LimitSettings(max_file_bytes=1_000),
    ),
    Case(
        "a huge declared shared-string count",
        lambda: package(return_parts(sst_counts=(10**12, 10**12))),
        "suspicious-file",
    ),
    Case(
        "an XML part in UTF-7",
        lambda: changed("xl/styles.xml", valid()["xl/styles.xml"].replace("UTF-8", "UTF-7")),
        "suspicious-file",
    ),
    Case(
        "an XML part with a 70 KB prolog",
        lambda: changed(
            "xl/styles.xml", DECLARATION + "<!--" + "x" * 70_000 + "-->" + "<styleSheet/>"
        ),
        "suspicious-file",
    ),
)

PARTS = (
    "[Content_Types].xml",
    "_rels/.rels",
    "docProps/core.xml",
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "xl/styles.xml",
    "xl/sharedStrings.xml",
    "xl/worksheets/sheet1.xml",
)


def opened(
    tmp_path: Path, data: bytes, limits: LimitSettings = DEFAULT_LIMITS, name: str = "return.xlsx"
):
    path = tmp_path / name
    path.write_bytes(data)
    return open_workbook(path, f"returns/{name}", limits)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_names_what_is_wrong_with_a_file_instead_of_opening_it(tmp_path, case):
    workbook, findings = opened(tmp_path, case.make(), case.limits)
    assert workbook is None
    assert [(f.code, f.file, f.cell) for f in findings] == [
        (case.code, "returns/return.xlsx", None)
    ]
    assert findings[0].message.startswith("This file ")


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("attack", [billion_laughs, external_entity], ids=["bomb", "xxe"])
def test_refuses_a_dtd_in_any_xml_part(tmp_path, part, attack):
    root = return_parts()[part].removeprefix(DECLARATION).split()[0].lstrip("<").rstrip(">")
    data = changed(
        part,
        with_dtd(
            return_parts()[part], attack(root), "&lol9;" if attack is billion_laughs else "&xxe;"
        ),
    )
    workbook, findings = opened(tmp_path, data)
    assert (workbook, [f.code for f in findings]) == (None, ["suspicious-file"])
    assert part in findings[0].message


def test_makes_openpyxl_parse_with_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


def test_opens_a_valid_workbook_read_only(tmp_path):
    workbook, findings = opened(tmp_path, package(valid()))
    try:
        assert (workbook.sheetnames, workbook.read_only, findings) == (["Return"], True, [])
    finally:
        workbook.close()


def test_opens_a_workbook_whatever_its_file_name_says(tmp_path):
    workbook, findings = opened(tmp_path, package(valid()), name="return.xls")
    workbook.close()
    assert findings == []


def test_advises_on_an_unreadable_file_as_its_cause_needs(tmp_path):
    def advice(name: str) -> str:
        (case,) = [c for c in CASES if c.name == name]
        (problem,) = opened(tmp_path, case.make(), case.limits)[1]
        return problem.message

    gone = open_workbook(tmp_path / "gone.xlsx", "gone.xlsx", LimitSettings())[1][0].message
    assert advice("an empty file").endswith("completely. Send the workbook again.")
    assert advice("a zip cut short").endswith(ADVICE_REPAIR)
    assert advice("a part openpyxl needs is missing").endswith(ADVICE_SAVE_AS_XLSX)
    assert gone == (
        "This file cannot be opened. If it is open in Excel, close it and try again; otherwise "
        "check it is still there and that you may read it."
    )
    messages = [advice(c.name) for c in CASES if c.code == "unreadable-file"] + [gone]
    choices = CODES["unreadable-file"].choices["advice"]
    assert all(m.startswith("This file ") and m.endswith(choices) for m in messages), messages


def test_reports_a_file_that_cannot_be_opened(tmp_path):
    workbook, findings = open_workbook(tmp_path / "gone.xlsx", "gone.xlsx", LimitSettings())
    assert (workbook, [(f.code, f.file) for f in findings]) == (
        None,
        [("unreadable-file", "gone.xlsx")],
    )


def sheet_of(tmp_path: Path, data: bytes, limits: LimitSettings = DEFAULT_LIMITS):
    workbook, findings = opened(tmp_path, data, limits)
    assert findings == []
    try:
        return read_sheet(workbook, "Return", "return.xlsx", limits)
    finally:
        workbook.close()


def test_tells_a_formula_never_calculated_from_a_blank_or_empty_result(tmp_path):
    sheet, findings = sheet_of(
        tmp_path,
        with_sheet(
            '<row r="1"><c r="A1"><f>1+1</f></c><c r="B1"><f>1+1</f><v>2</v></c>'
            '<c r="C1" t="str"><f>""</f><v></v></c><c r="D1"/><c r="E1" t="e"><v>#N/A</v></c>'
            '<c r="F1" t="e"><f>1/0</f><v>#DIV/0!</v></c><c r="G1"><f>A1</f><v/></c></row>'
        ),
    )
    assert findings == []
    assert sheet.cells == {
        (1, 1): SheetCell(None, "f"),
        (1, 2): SheetCell(2, "n"),
        (1, 5): SheetCell("#N/A", "e"),
        (1, 6): SheetCell("#DIV/0!", "e"),
        (1, 7): SheetCell(None, "f"),
    }


def test_keeps_number_formats_and_survives_an_empty_style_index(tmp_path):
    sheet, _ = sheet_of(
        tmp_path,
        with_sheet(
            '<row r="1"><c r="A1" s="1"><v>0.85</v></c><c r="B1" s=""><v>3</v></c>'
            '<c r="C1" s="99"><v>4</v></c></row>'
        ),
    )
    assert [sheet.get(1, c).number_format for c in (1, 2, 3)] == ["0.0%", "General", "General"]


def test_reads_rows_and_cells_without_r_attributes(tmp_path):
    sheet, _ = sheet_of(
        tmp_path,
        with_sheet(
            '<row><c><v>1</v></c><c><v>2</v></c></row><row><c t="inlineStr"><is><t>three</t></is>'
            "</c></row>"
        ),
    )
    assert {k: c.value for k, c in sheet.cells.items()} == {(1, 1): 1, (1, 2): 2, (2, 1): "three"}


def test_reads_merged_ranges(tmp_path):
    sheet, _ = sheet_of(
        tmp_path,
        with_sheet(
            '<row r="1"><c r="A1"><v>1</v></c></row>',
            after='<mergeCells count="2"><mergeCell ref="A1:C1"/><mergeCell ref="bad"/></mergeCells>',
        ),
    )
    assert (sheet.merged, sheet.merge_containing(1, 2), sheet.merge_containing(2, 2)) == (
        ((1, 1, 1, 3),),
        (1, 1, 1, 3),
        None,
    )


def test_converts_dates_in_the_1904_system(tmp_path):
    sheet, _ = sheet_of(
        tmp_path,
        with_sheet(
            '<row r="1"><c r="A1" s="1"><v>1</v></c></row>',
            workbook_pr='<workbookPr date1904="1"/>',
            number_format="yyyy-mm-dd",
        ),
    )
    assert sheet.get(1, 1) == SheetCell(dt.datetime(1904, 1, 2), "d", "yyyy-mm-dd")


def test_reads_a_date_serial_out_of_range_as_an_error_cell(tmp_path):
    sheet, _ = sheet_of(
        tmp_path,
        with_sheet(
            '<row r="1"><c r="A1" s="1"><v>99999999</v></c></row>', number_format="yyyy-mm-dd"
        ),
    )
    assert sheet.get(1, 1).data_type == "e"


def test_refuses_a_sheet_whose_declared_range_is_too_large_before_reading_it(tmp_path):
    sheet, findings = sheet_of(tmp_path, package(return_parts(dimension="A1:XFD1048576")))
    assert (sheet, [(f.code, f.cell, f.sheet) for f in findings]) == (
        None,
        [("suspicious-file", None, "Return")],
    )


def test_stores_only_the_cells_that_exist_however_far_apart(tmp_path):
    sheet, findings = sheet_of(
        tmp_path,
        with_sheet(
            '<row r="1"><c r="A1"><v>1</v></c></row><row r="200000"><c r="B200000"><v>2</v></c></row>'
        ),
    )
    assert (sorted(sheet.cells), sheet.max_row, sheet.max_column, findings) == (
        [(1, 1), (200000, 2)],
        200000,
        2,
        [],
    )


def test_stops_at_a_cell_beyond_the_area_limit(tmp_path):
    limits = LimitSettings(max_sheet_cells=100)
    sheet, findings = sheet_of(
        tmp_path,
        with_sheet(
            '<row r="1"><c r="A1"><v>1</v></c></row><row r="11"><c r="J11"><v>2</v></c></row>'
        ),
        limits,
    )
    assert (sheet, [(f.code, f.cell, f.sheet) for f in findings]) == (
        None,
        [("suspicious-file", "J11", "Return")],
    )


def test_stops_when_a_sheet_holds_more_cells_than_allowed(tmp_path):
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 60))
    sheet, findings = sheet_of(tmp_path, with_sheet(rows), LimitSettings(max_sheet_cells=100))
    assert (sheet, [f.code for f in findings]) == (None, ["suspicious-file"])


def test_refuses_a_cell_longer_than_excel_allows(tmp_path):
    data = package(return_parts([["Ref", "Commentary"], ["ASC-01", "x" * 32_768]]))
    sheet, findings = sheet_of(tmp_path, data)
    assert (sheet, [(f.code, f.cell) for f in findings]) == (None, [("suspicious-file", "B2")])


def test_reports_a_sheet_it_cannot_parse_as_unreadable(tmp_path):
    data = with_sheet('<row r="1"><c r="A1" t="s"><v>999</v></c></row>')  # no such string
    sheet, findings = sheet_of(tmp_path, data)
    assert (sheet, [(f.code, f.sheet) for f in findings]) == (None, [("unreadable-file", "Return")])
