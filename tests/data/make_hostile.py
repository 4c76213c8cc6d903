"""Generate the hostile and broken files in tests/data/hostile/ (deterministic, small on disk).

    python tests/data/make_hostile.py

Each file is named for what it tries; tests/corpus/expected.csv gives the outcome each must have.
"""

from __future__ import annotations

import datetime as dt
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for rawxlsx

from rawxlsx import (  # noqa: E402 - after the path is set
    BETA_MAIN,
    DATE_STYLE,
    DECLARATION,
    STRICT_MAIN,
    Raw,
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
    return package(return_parts(extra_cells='<c r="XFD1048576"><v>1</v></c>', dimension=dimension))


def duplicate(second_name: str) -> bytes:
    parts = list(return_parts().items())
    parts.append(
        (second_name, return_parts([["Ref", "Value"], ["ASC-01", 999]])["xl/worksheets/sheet1.xml"])
    )
    return package(parts)


def truncated() -> bytes:
    """The first half of a stored (uncompressed) zip: the same bytes whatever zlib is installed."""
    whole = package(return_parts(), compression=zipfile.ZIP_STORED)
    return whole[: len(whole) // 2]


def ods() -> bytes:
    return package(
        [
            ("mimetype", "application/vnd.oasis.opendocument.spreadsheet"),
            (
                "content.xml",
                DECLARATION + "<office:document-content xmlns:office="
                '"urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>',
            ),
        ],
        compression=0,
    )


def xlsb() -> bytes:
    types = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Override PartName="/xl/workbook.bin" ContentType="application/vnd.ms-excel.sheet.'
        'binary.macroEnabled.main"/></Types>'
    )
    return package({"[Content_Types].xml": DECLARATION + types, "xl/workbook.bin": b"\x83\x01\x00"})


def spreadsheetml_2003() -> bytes:
    return (
        DECLARATION + '<?mso-application progid="Excel.Sheet"?>\n<Workbook xmlns="urn:'
        'schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Return" xmlns:ss="urn:'
        'schemas-microsoft-com:office:spreadsheet"><Table><Row><Cell><Data ss:Type="String">'
        "Ref</Data></Cell></Row></Table></Worksheet></Workbook>\n"
    ).encode("utf-8")


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


def declared_huge() -> bytes:
    """A small zip whose directory says the sheet expands to 2 GB (a lie told before any parsing)."""
    data = bytearray(package(return_parts()))
    at = data.find(b"PK\x01\x02")
    while at >= 0:  # each central-directory entry: name length at +28, the name at +46
        length = int.from_bytes(data[at + 28 : at + 30], "little")
        if data[at + 46 : at + 46 + length] == b"xl/worksheets/sheet1.xml":
            data[at + 24 : at + 28] = (0x7FFF_FFFF).to_bytes(4, "little")  # uncompressed size
        at = data.find(b"PK\x01\x02", at + 46)
    return bytes(data)


# A filled-in return for the catalogue in tests/corpusread.py: read cleanly, it gives "ok".
RETURN_ROWS: list[list[object]] = [
    ["Service", "Adult Social Care"],
    ["Period", "Q2 2024/25"],
    [],
    ["Ref", "Measure", "Value", "Data status", "Commentary"],
    ["ASC-01", "Adults reviewed within 12 months", 86.5, "Final", "On track."],
    ["ASC-02", "People in long-term residential care", 118, None, None],
]


def _with_values(first: object, second: object) -> list[list[object]]:
    rows = [list(row) for row in RETURN_ROWS]
    rows[4][2], rows[5][2] = first, second
    return rows


def error_cells() -> bytes:
    """Formulas whose saved results are Excel errors: each is an error-value finding."""
    rows = _with_values(
        Raw("#DIV/0!", "e", formula="E5/0"), Raw("#N/A", "e", formula="VLOOKUP(A6,Z1:Z2,2,FALSE)")
    )
    rows[5][4] = Raw("#REF!", "e", formula="#REF!")  # an error as commentary is just text
    return package(return_parts(rows))


def serial_1904(day: dt.date) -> int:
    return (day - dt.date(1904, 1, 1)).days


def dates_1904(system_1904: bool = True) -> bytes:
    """The 1904 date system: a Period column of dates that only match Q2 2024/25 when read so.

    (With ``system_1904`` False the same serials are 1900-system dates four years earlier.)
    """

    def date(day: dt.date) -> Raw:
        return Raw(serial_1904(day), style=DATE_STYLE)

    rows: list[list[object]] = [
        ["Service", "Adult Social Care"],
        ["Period", "Q2 2024/25"],
        ["Date", date(dt.date(2024, 10, 14))],
        [],
        ["Ref", "Measure", "Value", "Period", "Commentary"],
        ["ASC-01", "Adults reviewed within 12 months", 86.5, date(dt.date(2024, 9, 30)), None],
        ["ASC-02", "People in long-term residential care", 118, date(dt.date(2024, 7, 1)), None],
    ]
    return package(return_parts(rows, date1904=system_1904))


def merged_cells() -> bytes:
    """A merged title, merged labels (values beyond them), a merged section heading in the table
    and a commentary merged down two rows."""
    rows: list[list[object]] = [
        ["Adult Social Care: quarterly performance return"],
        ["Service", None, "Adult Social Care"],
        ["Period", None, "Q2 2024/25"],
        [],
        ["Ref", "Measure", "Value", "Data status", "Commentary"],
        ["Adults"],
        ["ASC-01", "Adults reviewed within 12 months", 86.5, None, "Both figures are provisional."],
        ["ASC-02", "People in long-term residential care", 118],
    ]
    return package(return_parts(rows, merged=["A1:E1", "A2:B2", "A3:B3", "A6:E6", "E7:E8"]))


def external_link() -> bytes:
    """A value taken from another workbook on a network share: its saved result is used and the
    link is never followed."""
    rows = _with_values(86.5, Raw(118, formula="[1]Sheet1!A1"))
    return package(
        return_parts(rows, external_link="file:///\\\\fileserver.example\\finance\\figures.xlsx")
    )


def files() -> dict[str, Callable[[], bytes]]:
    """File name -> how to make it."""
    made: dict[str, Callable[[], bytes]] = {
        "valid-empty-form.xlsx": lambda: package(return_parts()),
    }
    for part, (name, _) in XML_PARTS.items():
        made[f"entity-bomb-{name}.xlsx"] = lambda p=part: _entity_attack(
            p, billion_laughs, "&lol9;"
        )
        made[f"xxe-{name}.xlsx"] = lambda p=part: _entity_attack(p, external_entity, "&xxe;")
    made.update(
        {
            "zip-bomb.xlsx": zip_bomb,
            "zip-declared-size.xlsx": declared_huge,
            "zip-many-members.xlsx": many_members,
            "far-corner-cell.xlsx": lambda: far_corner("A1:XFD1048576"),
            "far-corner-cell-small-dimension.xlsx": lambda: far_corner("A1:E4"),
            "huge-shared-string-count.xlsx": lambda: package(
                return_parts(sst_counts=(4_294_967_295, 4_294_967_295))
            ),
            "duplicate-entry.xlsx": lambda: duplicate("xl/worksheets/sheet1.xml"),
            "duplicate-entry-case.xlsx": lambda: duplicate("xl/worksheets/Sheet1.xml"),
            "duplicate-entry-backslash.xlsx": lambda: duplicate("xl\\worksheets\\sheet1.xml"),
            "long-cell-text.xlsx": long_text,
            "strange-encoding.xlsx": strange_encoding,
            "long-xml-prolog.xlsx": long_prolog,
            "strict-ooxml.xlsx": lambda: package(return_parts(main=STRICT_MAIN)),
            "excel-2007-beta.xlsx": lambda: package(return_parts(main=BETA_MAIN)),
            "csv-named-xlsx.xlsx": lambda: b"Ref,Value\r\nASC-01,86.5\r\n",
            "html-named-xlsx.xlsx": lambda: (
                b"<html><body><table><tr><td>Ref</td><td>Value</td></tr></table></body></html>"
            ),
            "spreadsheetml-2003-named-xlsx.xlsx": spreadsheetml_2003,
            "xls-named-xlsx.xlsx": lambda: compound({"Workbook": biff_stream()}),
            "encrypted-xls-named-xlsx.xlsx": lambda: compound({"Workbook": biff_stream(True)}),
            "encrypted-ooxml.xlsx": lambda: compound(
                {"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x00" * 16}
            ),
            "xlsb-named-xlsx.xlsx": xlsb,
            "ods-named-xlsx.xlsx": ods,
            "truncated.xlsx": truncated,
            "zero-byte.xlsx": lambda: b"",
            "valid-return.xlsx": lambda: package(return_parts(RETURN_ROWS)),
            "error-cells.xlsx": error_cells,
            "dates-1904.xlsx": dates_1904,
            "merged-cells.xlsx": merged_cells,
            "merged-whole-sheet.xlsx": lambda: package(
                return_parts(RETURN_ROWS, merged=["A1:XFD1048576"])
            ),
            "hidden-sheets.xlsx": lambda: package(
                return_parts(
                    RETURN_ROWS, other_sheets=[("Lists", "hidden"), ("Workings", "veryHidden")]
                )
            ),
            "hidden-return-sheet.xlsx": lambda: package(return_parts(RETURN_ROWS, state="hidden")),
            "external-link.xlsx": external_link,
        }
    )
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
