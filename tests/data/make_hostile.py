"""Generate the hostile and broken files in tests/data/hostile/ (deterministic, small on disk).

    python tests/data/make_hostile.py

Each file is named for what it tries; tests/corpus/expected.csv gives the outcome each must have.
"""

from __future__ import annotations

import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for rawxlsx

from rawxlsx import (  # noqa: E402 - after the path is set
    BETA_MAIN,
    DECLARATION,
    STRICT_MAIN,
    biff_stream,
    billion_laughs,
    compound,
    external_entity,
    package,
    return_parts,
    with_dtd,
)

HERE = Path(__file__).resolve().parent / "hostile"

# Part name -> (the name for files, the root element the DOCTYPE names).
XML_PARTS = {
    "[Content_Types].xml": ("content-types", "Types"),
    "_rels/.rels": ("package-rels", "Relationships"),
    "docProps/core.xml": ("core-properties", "cp:coreProperties"),
    "xl/workbook.xml": ("workbook", "workbook"),
    "xl/_rels/workbook.xml.rels": ("workbook-rels", "Relationships"),
    "xl/styles.xml": ("styles", "styleSheet"),
    "xl/sharedStrings.xml": ("shared-strings", "sst"),
    "xl/worksheets/sheet1.xml": ("sheet", "worksheet"),
}


def _with_part(part: str, content: str) -> bytes:
    parts = return_parts()
    parts[part] = content
    return package(parts)


def _entity_attack(part: str, dtd: Callable[[str], str], reference: str) -> bytes:
    return _with_part(part, with_dtd(return_parts()[part], dtd(XML_PARTS[part][1]), reference))


def zip_bomb() -> bytes:
    """The sheet padded with 30 MB of spaces between rows: about 30 KB on disk."""
    parts = return_parts()
    sheet = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet.replace("</row>", "</row>" + " " * 30_000_000, 1)
    return package(parts)


def many_members() -> bytes:
    parts = return_parts()
    for number in range(1, 1001):
        parts[f"customXml/item{number}.xml"] = "<a/>"
    return package(parts)


def far_corner(dimension: str) -> bytes:
    """A cell at XFD1048576, with the used range the sheet declares."""
    return package(return_parts(extra_cells='<c r="XFD1048576"><v>1</v></c>',
                                dimension=dimension))


def duplicate(second_name: str) -> bytes:
    parts = list(return_parts().items())
    parts.append((second_name, return_parts([["Ref", "Value"], ["ASC-01", 999]])[
        "xl/worksheets/sheet1.xml"]))
    return package(parts)


def truncated() -> bytes:
    """The first half of a stored (uncompressed) zip: the same bytes whatever zlib is installed."""
    whole = package(return_parts(), compression=zipfile.ZIP_STORED)
    return whole[: len(whole) // 2]


def ods() -> bytes:
    return package([("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
                    ("content.xml", DECLARATION + "<office:document-content xmlns:office="
                     '"urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>')],
                   compression=0)


def xlsb() -> bytes:
    types = ('<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
             '<Override PartName="/xl/workbook.bin" ContentType="application/vnd.ms-excel.sheet.'
             'binary.macroEnabled.main"/></Types>')
    return package({"[Content_Types].xml": DECLARATION + types, "xl/workbook.bin": b"\x83\x01\x00"})


def spreadsheetml_2003() -> bytes:
    return (DECLARATION + '<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:'
            'schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Return" xmlns:ss="urn:'
            'schemas-microsoft-com:office:spreadsheet"><Table><Row><Cell><Data ss:Type="String">'
            'Ref</Data></Cell></Row></Table></Worksheet></Workbook>\n').encode("utf-8")


def long_text() -> bytes:
    return package(return_parts([["Ref", "Value", "Commentary"], [None, None, "word " * 8000]]))


def strange_encoding() -> bytes:
    parts = return_parts()
    sheet = parts["xl/styles.xml"].replace('encoding="UTF-8"', 'encoding="UTF-7"')
    parts["xl/styles.xml"] = sheet
    return package(parts)


def long_prolog() -> bytes:
    parts = return_parts()
    styles = parts["xl/styles.xml"]
    parts["xl/styles.xml"] = styles.replace("?>\n", "?>\n<!--" + " pad" * 20_000 + " -->", 1)
    return package(parts)


def files() -> dict[str, Callable[[], bytes]]:
    """File name -> how to make it."""
    made: dict[str, Callable[[], bytes]] = {
        "valid-empty-form.xlsx": lambda: package(return_parts()),
    }
    for part, (name, _) in XML_PARTS.items():
        made[f"entity-bomb-{name}.xlsx"] = (
            lambda p=part: _entity_attack(p, billion_laughs, "&lol9;"))
        made[f"xxe-{name}.xlsx"] = lambda p=part: _entity_attack(p, external_entity, "&xxe;")
    made.update({
        "zip-bomb.xlsx": zip_bomb,
        "zip-many-members.xlsx": many_members,
        "far-corner-cell.xlsx": lambda: far_corner("A1:XFD1048576"),
        "far-corner-cell-small-dimension.xlsx": lambda: far_corner("A1:E4"),
        "huge-shared-string-count.xlsx": lambda: package(
            return_parts(sst_counts=(4_294_967_295, 4_294_967_295))),
        "duplicate-entry.xlsx": lambda: duplicate("xl/worksheets/sheet1.xml"),
        "duplicate-entry-case.xlsx": lambda: duplicate("xl/worksheets/Sheet1.xml"),
        "duplicate-entry-backslash.xlsx": lambda: duplicate("xl\\worksheets\\sheet1.xml"),
        "long-cell-text.xlsx": long_text,
        "strange-encoding.xlsx": strange_encoding,
        "long-xml-prolog.xlsx": long_prolog,
        "strict-ooxml.xlsx": lambda: package(return_parts(main=STRICT_MAIN)),
        "excel-2007-beta.xlsx": lambda: package(return_parts(main=BETA_MAIN)),
        "csv-named-xlsx.xlsx": lambda: b"Ref,Value\r\nASC-01,86.5\r\n",
        "html-named-xlsx.xlsx": lambda: (b"<html><body><table><tr><td>Ref</td><td>Value</td>"
                                         b"</tr></table></body></html>"),
        "spreadsheetml-2003-named-xlsx.xlsx": spreadsheetml_2003,
        "xls-named-xlsx.xlsx": lambda: compound({"Workbook": biff_stream()}),
        "encrypted-xls-named-xlsx.xlsx": lambda: compound({"Workbook": biff_stream(True)}),
        "encrypted-ooxml.xlsx": lambda: compound({"EncryptionInfo": b"\x04\x00\x04\x00",
                                                  "EncryptedPackage": b"\x00" * 16}),
        "xlsb-named-xlsx.xlsx": xlsb,
        "ods-named-xlsx.xlsx": ods,
        "truncated.xlsx": truncated,
        "zero-byte.xlsx": lambda: b"",
    })
    return made


def build() -> dict[str, bytes]:
    return {name: make() for name, make in sorted(files().items())}


def main(folder: Path = HERE) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in build().items():
        (folder / name).write_bytes(data)
    print(f"wrote {len(files())} files to {folder}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
