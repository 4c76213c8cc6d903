"""xlsx.package_plain reads each small package part as openpyxl's classes read it, or hands it over.

Every workbook the tests know (the test data, the examples, the hostile and wild corpora) and
crafted variants of an example's parts are read both ways: the content types, the workbook part,
its relationships, the core properties, each sheet's dimension and merges must give the same
result, or fail alike.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl.packaging.core import DocumentProperties
from openpyxl.packaging.manifest import Manifest
from openpyxl.packaging.relationship import get_dependents
from openpyxl.packaging.workbook import WorkbookPackage
from openpyxl.utils import range_boundaries
from openpyxl.worksheet.dimensions import SheetDimension
from openpyxl.xml.functions import fromstring
from test_excel_rules import _workbooks

from perfreport.xlsx import package_plain
from perfreport.xlsx.cells_plain import merge_area
from perfreport.xlsx.excel_rules import get_rels_path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "somerset" / "returns" / "Q2-2024"
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _outcome(function, *args) -> object:
    try:
        return "gives", function(*args)
    except Exception as exc:  # noqa: BLE001 - failing alike is reading alike
        return "raises", type(exc)


def _openpyxl_overrides(xml: bytes) -> tuple:
    manifest = Manifest.from_tree(fromstring(xml))
    return tuple((o.PartName, o.ContentType) for o in manifest.Override)


def _bound(names) -> list:
    """The defined names openpyxl binds to sheets (print titles and areas)."""
    if not names:
        return []
    return [
        (index, name, definition.value)
        for index, defined in names.by_sheet().items()
        for name, definition in defined.items()
        if definition.is_reserved in ("Print_Titles", "Print_Area")
    ]


def _plain_workbook(xml: bytes) -> tuple:
    date1904, sheets, names = package_plain.workbook(xml)
    return bool(date1904), sheets, _bound(names)


def _openpyxl_workbook(xml: bytes) -> tuple:
    package = WorkbookPackage.from_tree(fromstring(xml))
    sheets = tuple((sheet.name, sheet.id, sheet.state) for sheet in package.sheets)
    return bool(package.properties.date1904), sheets, _bound(package.definedNames)


def _openpyxl_relationships(name: str, xml: bytes) -> dict:
    class _One:
        def read(self, _name: str) -> bytes:
            return xml

    return {k: (r.target, r.Type) for k, r in get_dependents(_One(), name).to_dict().items()}


def _openpyxl_merge(ref: str) -> object:
    try:
        low_col, low_row, high_col, high_row = range_boundaries(ref)
    except (ValueError, TypeError):
        return None
    if None in (low_col, low_row, high_col, high_row):
        return None
    return low_row, low_col, high_row, high_col


def _compare_parts(parts: dict[str, bytes]) -> int:
    """Assert each part reads alike both ways; how many were read the plain way."""
    plain = 0
    types = parts.get("[Content_Types].xml")
    if types is not None:
        assert _outcome(package_plain.overrides, types) == _outcome(_openpyxl_overrides, types)
    for name, xml in parts.items():
        if name.endswith("workbook.xml"):
            ours = _outcome(_plain_workbook, xml)
            assert ours == _outcome(_openpyxl_workbook, xml), name
            root = _outcome(fromstring, xml)
            plain += root[0] == "gives" and package_plain._plain_workbook(root[1]) is not None
        elif name.endswith(".rels"):
            theirs = _outcome(_openpyxl_relationships, name, xml)
            assert _outcome(package_plain.relationships, name, xml) == theirs, name
        elif name == "docProps/core.xml":
            theirs = _outcome(lambda x: DocumentProperties.from_tree(fromstring(x)) and None, xml)
            assert _outcome(package_plain.check_properties, name, xml) == theirs, name
        elif name.startswith("xl/worksheets/") and name.endswith(".xml"):
            root = _outcome(fromstring, xml)
            if root[0] == "raises":
                continue
            for element in root[1].iter(f"{_MAIN}dimension"):
                theirs = _outcome(lambda e: SheetDimension.from_tree(e).boundaries, element)
                assert _outcome(package_plain.dimension_boundaries, element) == theirs, name
            for element in root[1].iter(f"{_MAIN}mergeCell"):
                ref = element.get("ref", "")
                assert merge_area(ref) == _openpyxl_merge(ref), ref
    return plain


WORKBOOKS = _workbooks()


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if n.endswith((".xml", ".rels"))]
        return {n: archive.read(n) for n in names if archive.getinfo(n).file_size < 2**22}


def test_every_known_workbook_s_parts_read_alike_both_ways() -> None:
    assert len(WORKBOOKS) >= 150
    plain = read = 0
    for path in WORKBOOKS:
        try:
            parts = _parts(path)
        except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
            continue
        read += 1
        plain += _compare_parts(parts)
    assert read >= 150 and plain >= 100  # most workbooks' parts are plain (the example's all are)


def _example_parts() -> dict[str, bytes]:
    return _parts(next(EXAMPLE.glob("Planning*.xlsx")))


def _variant(part: str, old: str, new: str) -> dict[str, bytes]:
    parts = _example_parts()
    text = parts[part].decode()
    assert old in text, old
    return {part: text.replace(old, new, 1).encode()}


BOOK = "xl/workbook.xml"
EXT = '<ext uri="{B58B0392}" xmlns:x="urn:x"><x:calcFeatures/></ext>'
SHEET_ONE = 'name="Return" sheetId="1" state="visible"'
VARIANTS = [
    (BOOK, "<workbookPr/>", '<workbookPr date1904="1"/>'),
    (BOOK, "<workbookPr/>", '<workbookPr date1904="false"/>'),
    (BOOK, "<workbookPr/>", '<workbookPr date1904=""/>'),
    (BOOK, "<workbookPr/>", '<workbookPr defaultThemeVersion="x"/>'),
    (BOOK, "<workbookPr/>", ""),
    (BOOK, "<workbookPr/>", "<workbookPr/><workbookPr/>"),
    (BOOK, "<workbookPr/>", "<!-- a comment --><workbookPr/>"),
    (BOOK, "<workbookProtection/>", '<workbookProtection lockStructure="1"/>'),
    (BOOK, SHEET_ONE, 'name="Return" sheetId="one" state="visible"'),
    (BOOK, SHEET_ONE, 'name="Return" sheetId="1"'),
    (BOOK, SHEET_ONE, 'name="Return" sheetId="1" state="none"'),
    (BOOK, SHEET_ONE, 'name="Return" sheetId="1" state="hidden"'),
    (BOOK, SHEET_ONE, 'sheetId="1" state="visible"'),
    (BOOK, SHEET_ONE, 'name="Return" sheetId="1" state="visible" extra="1"'),
    (BOOK, 'tabRatio="600"', 'tabRatio="6.5"'),
    (BOOK, 'tabRatio="600"', 'xWindow="-120" tabRatio="600"'),
    (BOOK, 'visibility="visible"', 'visibility="shown"'),
    (BOOK, 'calcId="124519"', 'calcId="12.5"'),
    (BOOK, 'calcId="124519"', 'calcMode="auto" iterateDelta="0.001" calcId="124519"'),
    (
        BOOK,
        "<definedNames/>",
        '<definedNames><definedName name="x">Return!$A$1</definedName></definedNames>',
    ),  # fmt: skip
    (
        BOOK,
        "<definedNames/>",
        '<definedNames><definedName name="_xlnm.Print_Area" localSheetId="0">Return!$A$1:$B$2</definedName></definedNames>',
    ),  # fmt: skip
    (
        BOOK,
        "<definedNames/>",
        '<definedNames><definedName name="_xlnm.Print_Titles" localSheetId="0">Return!$1:$1</definedName></definedNames>',
    ),  # fmt: skip
    (
        BOOK,
        "<definedNames/>",
        '<definedNames><definedName name="_xlnm.Print_Area" localSheetId="0">nonsense!!</definedName></definedNames>',
    ),  # fmt: skip
    (
        BOOK,
        "<definedNames/>",
        '<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" hidden="1">Return!$A$1:$L$14</definedName></definedNames>',
    ),  # fmt: skip
    (
        BOOK,
        "<definedNames/>",
        '<definedNames><definedName name="n" localSheetId="x">1</definedName></definedNames>',
    ),  # fmt: skip
    (BOOK, "<calcPr ", '<fileVersion appName="xl" lastEdited="7" rupBuild="27328"/><calcPr '),
    (BOOK, "<calcPr ", '<oleSize ref="A1"/><calcPr '),
    (BOOK, 'calcId="124519"', 'iterateDelta="x" calcId="124519"'),
    (BOOK, 'visibility="visible"', 'xmlns:xr2="urn:xr2" xr2:uid="{1}" visibility="visible"'),
    (BOOK, SHEET_ONE, f'xmlns:q="urn:q" q:id="rId9" q:odd="1" {SHEET_ONE}'),
    (BOOK, "</workbook>", f"<extLst>{EXT}</extLst></workbook>"),
    (
        BOOK,
        "</workbook>",
        f"<extLst>{EXT}{EXT.replace('calcFeatures', 'workbookPr')}</extLst></workbook>",
    ),  # fmt: skip
    (BOOK, "</workbook>", f"<extLst odd='1'>{EXT}</extLst></workbook>"),
    (BOOK, "</workbook>", f"<extLst>{EXT.replace(' uri=', ' url=')}</extLst></workbook>"),
    (BOOK, "</workbook>", f"<extLst>{EXT.replace('calcFeatures', 'uri')}</extLst></workbook>"),
    (
        BOOK,
        "</workbook>",
        f"<extLst>{EXT.replace('<x:calcFeatures/>', '<!-- c -->')}</extLst></workbook>",
    ),  # fmt: skip
    (BOOK, "</workbook>", "<extLst><odd/></extLst></workbook>"),
    (
        BOOK,
        "</workbook>",
        "<extLst>" + EXT.replace(' uri="{B58B0392}"', "") + "</extLst></workbook>",
    ),
    ("xl/_rels/workbook.xml.rels", 'Id="rId3"', 'Id="rId3" xmlns:q="urn:q" q:odd="1"'),
    ("xl/_rels/workbook.xml.rels", 'Id="rId3"', 'Id="rId3" TargetMode="External"'),
    ("xl/_rels/workbook.xml.rels", 'Id="rId3"', 'Id="rId1"'),
    ("xl/_rels/workbook.xml.rels", 'Target="styles.xml"', 'Target="../xl/./styles.xml"'),
    ("xl/_rels/workbook.xml.rels", ' Id="rId3"', ""),
    ("[Content_Types].xml", "<Override ", '<Override PartName="/a" ContentType="b"/><Override '),
    ("[Content_Types].xml", "<Override ", '<Override PartName="/a"/><Override '),
    (
        "[Content_Types].xml",
        "<Override ",
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/><Override ',
    ),  # fmt: skip
    ("[Content_Types].xml", '<Default Extension="xml"', '<Default Extension="xml" Odd="1"'),
    ("[Content_Types].xml", ' ContentType="application/xml"/>', "/>"),  # (openpyxl requires it)
    ("docProps/core.xml", "2024-10-14T16:30:00Z", "2024-10-14"),
    ("docProps/core.xml", "2024-10-14T16:30:00Z", "2024-02-30T16:30:00Z"),
    ("docProps/core.xml", "2024-10-14T16:30:00Z", "not a date"),
    ("docProps/core.xml", "2024-10-14T16:30:00Z", "2024-10-14T16:30:00.5Z"),
    (
        "docProps/core.xml",
        "<dc:creator ",
        '<dc:title xmlns:dc="http://purl.org/dc/elements/1.1/"/><dc:creator ',
    ),  # fmt: skip
    ("docProps/core.xml", "<dc:creator ", "<cp:version>1</cp:version><dc:creator "),
    (
        "docProps/core.xml",
        "<dc:creator ",
        '<dc:odd xmlns:dc="http://purl.org/dc/elements/1.1/"/><dc:creator ',
    ),  # fmt: skip
    ("xl/worksheets/sheet1.xml", 'ref="A1:L14"', 'ref="A1"'),
    ("xl/worksheets/sheet1.xml", 'ref="A1:L14"', 'ref="$A$1:L14"'),
    ("xl/worksheets/sheet1.xml", 'ref="A1:L14"', 'ref="A:L"'),
    ("xl/worksheets/sheet1.xml", 'ref="A1:L14"', 'ref="A0:L14"'),
    ("xl/worksheets/sheet1.xml", 'ref="A1:L14"', 'ref="A1:L14" odd="1"'),
    ("xl/worksheets/sheet1.xml", 'ref="A1:L1"', 'ref="A1:AAAA1"'),
    ("xl/worksheets/sheet1.xml", 'ref="A1:L1"', 'ref="1:1"'),
    ("xl/worksheets/sheet1.xml", 'ref="A1:L1"', 'ref="L1:A1"'),
]


@pytest.mark.parametrize(("part", "old", "new"), VARIANTS)
def test_a_crafted_part_reads_alike_both_ways(part: str, old: str, new: str) -> None:
    _compare_parts(_variant(part, old, new))


def test_the_example_s_parts_are_all_read_the_plain_way() -> None:
    parts = _example_parts()
    assert package_plain._plain_workbook(fromstring(parts[BOOK])) is not None
    assert package_plain._plain_relationships(
        "xl/_rels/workbook.xml.rels", fromstring(parts["xl/_rels/workbook.xml.rels"])
    )
    assert package_plain._plain_properties(fromstring(parts["docProps/core.xml"]))
    sheet = fromstring(parts["xl/worksheets/sheet1.xml"])
    assert package_plain._safe_boundaries(sheet.find(f"{_MAIN}dimension").get("ref")) == (
        1,
        1,
        12,
        14,
    )
    assert re.search(rb"<Override ", parts["[Content_Types].xml"])
    assert get_rels_path(BOOK) == "xl/_rels/workbook.xml.rels"


def test_what_the_plain_way_skips_openpyxl_s_classes_drop_unread() -> None:
    """Another namespace's attributes (but a sheet's r:id) and Excel's usual extensions."""
    from openpyxl.descriptors.excel import Extension, ExtensionList
    from openpyxl.packaging.manifest import FileExtension, Override
    from openpyxl.packaging.relationship import Relationship
    from openpyxl.packaging.workbook import ChildSheet
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.workbook.properties import CalcProperties, FileVersion, WorkbookProperties
    from openpyxl.workbook.protection import WorkbookProtection
    from openpyxl.workbook.views import BookView

    for kind in (FileVersion, WorkbookProperties, WorkbookProtection, CalcProperties, BookView):
        assert kind.__namespaced__ == (), kind
    for kind in (DefinedName, Relationship, Override, FileExtension, ExtensionList, Extension):
        assert kind.__namespaced__ == (), kind
    assert ChildSheet.__namespaced__ == (("id", package_plain._REL_ID),)
    for name in package_plain.EXTENSIONS:
        assert getattr(Extension, name, None) is None, name
