"""A workbook's small package parts read in the forms Excel and openpyxl write, else by openpyxl."""

from __future__ import annotations

import datetime
import functools
import posixpath
import re
from typing import Any

from perfreport.xlsx.excel_rules import column_index_from_string, fromstring

# Why: xlsx.lean read these parts with openpyxl's own classes (so that a broken one fails as it
# does there), and so every process that read a workbook imported the whole of openpyxl (see
# xlsx.excel_rules). Each part is read here when it is in a plain form: only the elements and
# attributes those classes accept, each value one they take as it is (digits for a number, a
# listed word for a choice). Such a part gives exactly what the class gives. Anything else is
# handed to openpyxl's class, imported then, which reads it or fails as before.
# tests/test_package_plain.py compares both over every workbook in the tests and corpora.
#
# Each is memoised by the part's bytes: returns made from one template share them, and a worker
# reads many. A part that fails is parsed (and fails) again each time.

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
_REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CORE = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
_DC, _TERMS = "http://purl.org/dc/elements/1.1/", "http://purl.org/dc/terms/"

_NUMBER = re.compile(r"-?[0-9]{1,15}")  # what int() takes
_DECIMAL = re.compile(r"-?[0-9]{1,15}(\.[0-9]{1,15})?")  # what float() takes
_ANY = re.compile(r".*", re.S)  # a string, or a flag (openpyxl's Bool takes any text)


def _choice(*words: str) -> re.Pattern[str]:
    return re.compile("|".join(words))


_VISIBILITY = _choice("visible", "hidden", "veryHidden")
# The attributes the classes of openpyxl.workbook take, each with the values read as they are.
_WORKBOOK_PARTS: dict[str, dict[str, re.Pattern[str]]] = {
    "fileVersion": dict.fromkeys(("appName", "lastEdited", "lowestEdited", "rupBuild"), _ANY),
    "workbookPr": {
        **dict.fromkeys(
            "date1904 dateCompatibility showBorderUnselectedTables filterPrivacy promptedSolutions "
            "showInkAnnotation backupFile saveExternalLinkValues codeName hidePivotFieldList "
            "showPivotChartFilter allowRefreshQuery publishItems checkCompatibility "
            "autoCompressPictures refreshAllConnections".split(),
            _ANY,
        ),
        "showObjects": _choice("all", "placeholders"),
        "updateLinks": _choice("userSet", "never", "always"),
        "defaultThemeVersion": _NUMBER,
    },
    "workbookProtection": {},
    "calcPr": {
        **dict.fromkeys(
            "fullCalcOnLoad iterate fullPrecision calcCompleted calcOnSave concurrentCalc "
            "forceFullCalc".split(),
            _ANY,
        ),
        **dict.fromkeys(("calcId", "iterateCount", "concurrentManualCount"), _NUMBER),
        "calcMode": _choice("manual", "auto", "autoNoTable"),
        "refMode": _choice("A1", "R1C1"),
        "iterateDelta": _DECIMAL,
    },
}
_BOOK_VIEW = {
    **dict.fromkeys(
        "minimized showHorizontalScroll showVerticalScroll showSheetTabs "
        "autoFilterDateGrouping".split(),
        _ANY,
    ),
    **dict.fromkeys(
        "xWindow yWindow windowWidth windowHeight tabRatio firstSheet activeTab".split(), _NUMBER
    ),
    "visibility": _VISIBILITY,
}
_DEFINED = {
    **dict.fromkeys(
        "name comment customMenu description help statusBar shortcutKey hidden function "
        "vbProcedure xlm publishToServer workbookParameter".split(),
        _ANY,
    ),
    **dict.fromkeys(("localSheetId", "functionGroupId"), _NUMBER),
}
_SHEET = {"name": _ANY, "sheetId": _NUMBER, "state": _VISIBILITY, _REL_ID: _ANY}
# Elements of other namespaces that Excel writes in the workbook part and openpyxl skips.
_SKIPPED = {"AlternateContent", "revisionPtr"}


def _plain(element: Any, allowed: dict[str, re.Pattern[str]], required: tuple = ()) -> bool:
    """No children, and each attribute one of ``allowed`` with a value it takes."""
    return not len(element) and _attributes(element, allowed, required)


def _attributes(element: Any, allowed: dict[str, re.Pattern[str]], required: tuple = ()) -> bool:
    """Each attribute one of ``allowed`` with a value it takes, or of another namespace (such
    as Excel's xr:uid), which openpyxl's classes drop unread; ``required`` all there."""
    attributes = element.attrib
    if any(name not in attributes for name in required):
        return False
    for name, value in attributes.items():
        pattern = allowed.get(name)
        if pattern is None:
            if name[0] != "{":
                return False
        elif pattern.fullmatch(value) is None:
            return False
    return True


def _openpyxl() -> None:
    from perfreport.xlsx.library import openpyxl

    openpyxl()  # without numpy, before any of its modules


@functools.lru_cache(maxsize=64)
def overrides(xml: bytes) -> tuple[tuple[str, str], ...]:
    """[Content_Types].xml: (part name, content type) of each Override, in order."""
    root = fromstring(xml)
    found = []
    plain = root.tag == f"{{{_TYPES}}}Types" and not root.attrib
    for child in root if plain else ():
        if child.tag == f"{{{_TYPES}}}Override" and _plain(child, _OVERRIDE, tuple(_OVERRIDE)):
            found.append((child.get("PartName"), child.get("ContentType")))
        elif not (child.tag == f"{{{_TYPES}}}Default" and _plain(child, _DEFAULT, tuple(_DEFAULT))):
            plain = False  # (openpyxl's FileExtension requires both: a Default without fails)
    if plain and found and len(set(found)) == len(found):
        return tuple(found)  # (none: openpyxl's defaults; repeated: it drops the repeats)
    _openpyxl()
    from openpyxl.packaging.manifest import Manifest

    manifest = Manifest.from_tree(root)
    return tuple((o.PartName, o.ContentType) for o in manifest.Override)


_OVERRIDE = {"PartName": _ANY, "ContentType": _ANY}
_DEFAULT = {"Extension": _ANY, "ContentType": _ANY}


@functools.lru_cache(maxsize=64)
def workbook(xml: bytes) -> tuple[Any, tuple[tuple[str, str, str], ...], Any]:
    """The workbook part: date1904, each sheet's (name, relationship id, state), defined names
    (None when there are none)."""
    root = fromstring(xml)
    found = _plain_workbook(root)
    if found is not None:
        return found
    _openpyxl()
    from openpyxl.packaging.workbook import WorkbookPackage

    package = WorkbookPackage.from_tree(root)
    sheets = tuple((sheet.name, sheet.id, sheet.state) for sheet in package.sheets)
    return package.properties.date1904, sheets, package.definedNames


def _plain_workbook(root: Any) -> tuple[Any, tuple[tuple[str, str, str], ...], Any] | None:
    if root.tag != f"{{{_MAIN}}}workbook" or any(not name[0] == "{" for name in root.attrib):
        return None
    date1904, sheets, seen = None, [], set()
    for child in root:
        tag = child.tag
        if not isinstance(tag, str) or tag in seen:
            return None  # a comment, or a part given twice (openpyxl keeps the last)
        seen.add(tag)
        namespace, _, name = tag[1:].partition("}")
        if namespace != _MAIN:
            if name in _SKIPPED:
                continue
            return None
        if name in _WORKBOOK_PARTS:
            if not _plain(child, _WORKBOOK_PARTS[name]):
                return None
            if name == "workbookPr" and child.get("date1904") is not None:
                date1904 = child.get("date1904") not in ("false", "f", "0", "")
        elif name == "bookViews":
            for view in child:
                if view.tag != f"{{{_MAIN}}}workbookView" or not _plain(view, _BOOK_VIEW):
                    return None
        elif name == "sheets":
            for sheet in child:
                if sheet.tag != f"{{{_MAIN}}}sheet" or not _plain(sheet, _SHEET, _REQUIRED):
                    return None
                sheets.append(
                    (sheet.get("name"), sheet.get(_REL_ID), sheet.get("state", "visible"))
                )
        elif name == "extLst":
            if not _extensions(child):
                return None
        elif name != "definedNames" or child.attrib or not all(map(_unbound, child)):
            return None
    return date1904, tuple(sheets), None


# What Excel writes in the workbook's <ext> elements: openpyxl's Extension has no attribute of
# these names, so it skips them unread (tests/test_package_plain.py checks).
EXTENSIONS = {"workbookPr", "calcFeatures", "extCalcPr", "ArchID", "slicerCaches", "dataModel"}


def _extensions(node: Any) -> bool:
    """<extLst> of <ext uri=".."> elements holding only Excel's usual extensions."""
    if not _attributes(node, {}):
        return False
    for ext in node:
        if ext.tag != f"{{{_MAIN}}}ext" or not _attributes(ext, _URI, ("uri",)):
            return False
        for held in ext:
            if not isinstance(held.tag, str) or held.tag.rpartition("}")[2] not in EXTENSIONS:
                return False
    return True


_URI = {"uri": _ANY}


def _unbound(defined: Any) -> bool:
    """A plain defined name that openpyxl does not bind to its sheet (not print titles or a print
    area, which openpyxl's classes parse and can fail on: xlsx.lean._bind_names)."""
    if defined.tag != f"{{{_MAIN}}}definedName" or not _plain(defined, _DEFINED, ("name",)):
        return False
    return not defined.get("name").startswith(("_xlnm.Print_Area", "_xlnm.Print_Titles"))


_REQUIRED = ("name", "sheetId")


@functools.lru_cache(maxsize=64)
def relationships(name: str, xml: bytes) -> dict[str, tuple[str, str]]:
    """The relationships part ``name``: id -> (target part, type), as openpyxl's get_dependents
    gives them (a target made absolute within the zip)."""
    root = fromstring(xml)
    found = _plain_relationships(name, root)
    if found is not None:
        return found
    _openpyxl()
    from openpyxl.packaging.relationship import get_dependents

    class _One:
        def read(self, _name: str) -> bytes:
            return xml

    rels = get_dependents(_One(), name).to_dict()
    return {key: (rel.target, rel.Type) for key, rel in rels.items()}


_RELATIONSHIP = {"Id": _ANY, "Type": _ANY, "Target": _ANY}


def _plain_relationships(name: str, root: Any) -> dict[str, tuple[str, str]] | None:
    if root.tag != f"{{{_RELATIONSHIPS}}}Relationships" or root.attrib:
        return None
    parent = posixpath.split(posixpath.dirname(name))[0]
    found: dict[str, tuple[str, str]] = {}
    for child in root:
        if child.tag != f"{{{_RELATIONSHIPS}}}Relationship":
            return None
        if not _plain(child, _RELATIONSHIP, tuple(_RELATIONSHIP)) or child.get("Id") in found:
            return None
        target = child.get("Target")
        if target.startswith("/"):
            target = target[1:]
        else:
            target = posixpath.normpath(posixpath.join(parent, target))
        found[child.get("Id")] = (target, child.get("Type"))
    return found


# The properties openpyxl's DocumentProperties reads (text), and those it reads as dates.
_PROPERTIES = {
    *(f"{{{_CORE}}}{n}" for n in "category contentStatus keywords lastModifiedBy revision".split()),
    f"{{{_CORE}}}version",
    *(f"{{{_DC}}}{n}" for n in "subject title creator description identifier language".split()),
}
_DATES = {f"{{{_TERMS}}}created", f"{{{_TERMS}}}modified", f"{{{_CORE}}}lastPrinted"}
_W3CDTF = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})Z")


@functools.lru_cache(maxsize=64)
def check_properties(name: str, xml: bytes) -> None:
    """Read the document properties as openpyxl does, so that a broken part fails here too."""
    root = fromstring(xml)
    if name.endswith("core.xml") and _plain_properties(root):
        return
    _openpyxl()
    from openpyxl.packaging.core import DocumentProperties
    from openpyxl.packaging.custom import CustomPropertyList

    (DocumentProperties if name.endswith("core.xml") else CustomPropertyList).from_tree(root)


def _plain_properties(root: Any) -> bool:
    """Core properties of plain texts and whole-second UTC dates, each named once."""
    if root.tag != f"{{{_CORE}}}coreProperties" or root.attrib:
        return False
    seen = set()
    for child in root:
        tag = child.tag
        if not isinstance(tag, str) or tag in seen or len(child):
            return False
        seen.add(tag)
        if tag in _DATES:
            when = _W3CDTF.fullmatch(child.text or "")
            if when is None:
                return False
            try:
                datetime.datetime(*map(int, when.groups()))
            except ValueError:
                return False
        elif tag not in _PROPERTIES:
            return False
    return True


_REF = re.compile(
    r"([A-Z]{1,3})([1-9][0-9]{0,6}):([A-Z]{1,3})([1-9][0-9]{0,6})|([A-Z]{1,3})([1-9][0-9]{0,6})"
)


def boundaries(ref: str) -> tuple | None:
    """openpyxl's range_boundaries of a plain reference such as A1:L14 or A1 (min_col, min_row,
    max_col, max_row); None for any other form (openpyxl's function reads it)."""
    match = _REF.fullmatch(ref)
    if match is None:
        return None
    if match[5] is not None:
        column, row = column_index_from_string(match[5]), int(match[6])
        return column, row, column, row
    low, high = column_index_from_string(match[1]), column_index_from_string(match[3])
    return low, int(match[2]), high, int(match[4])


def dimension_boundaries(element: Any) -> tuple:
    """openpyxl's SheetDimension.from_tree(element).boundaries."""
    if not len(element) and set(element.attrib) == {"ref"}:
        found = _safe_boundaries(element.get("ref"))
        if found is not None:
            return found
    _openpyxl()
    from openpyxl.worksheet.dimensions import SheetDimension

    return SheetDimension.from_tree(element).boundaries


def _safe_boundaries(ref: str) -> tuple | None:
    try:
        return boundaries(ref)
    except (ValueError, TypeError):
        return None  # not a text: openpyxl says so
