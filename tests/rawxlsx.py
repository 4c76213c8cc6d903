"""Builds .xlsx packages and OLE2 compound files byte by byte, for tests that need odd ones.

Standard library only and deterministic (fixed zip timestamps), so tests/data/make_hostile.py
can use it to regenerate the same hostile files on any machine.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Iterable, Mapping
from io import BytesIO
from xml.sax.saxutils import escape

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
BETA_MAIN = "http://schemas.microsoft.com/office/excel/2006/2"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_TYPES = "application/vnd.openxmlformats-officedocument.spreadsheetml"
ZIP_TIME = (2024, 1, 1, 0, 0, 0)

# A return form with no figures yet: metadata, then the header row.
FORM_ROWS: list[list[object]] = [
    ["Service", "Adult Social Care"],
    ["Period", "Q2 2024/25"],
    [],
    ["Ref", "Measure", "Value", "Data status", "Commentary"],
]


def column_letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def return_parts(rows: list[list[object]] | None = None, *, main: str = MAIN,
                 dimension: str | None = None, extra_cells: str = "",
                 sst_counts: tuple[int, int] | None = None) -> dict[str, str]:
    """The parts of a minimal valid workbook with one sheet, Return, holding ``rows`` from A1.

    Text goes to the shared-string table, numbers inline; ``extra_cells`` is appended (raw XML) to
    the last row, and ``dimension`` overrides the declared used range.
    """
    rows = FORM_ROWS if rows is None else rows
    strings: list[str] = []
    xml_rows = []
    for number, row in enumerate(rows, start=1):
        cells = []
        for column, value in enumerate(row, start=1):
            ref = f"{column_letter(column)}{number}"
            if isinstance(value, str):
                strings.append(value)
                cells.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
            elif value is not None:
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
        if number == len(rows):
            cells.append(extra_cells)
        xml_rows.append(f'<row r="{number}">{"".join(cells)}</row>')
    width = max((len(r) for r in rows), default=1) or 1
    used = dimension or f"A1:{column_letter(width)}{max(len(rows), 1)}"
    count, unique = sst_counts or (len(strings), len(strings))
    sst = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    return {
        "[Content_Types].xml": DECLARATION + (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPES}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPES}.worksheet+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_TYPES}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPES}.sharedStrings+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
            'package.core-properties+xml"/></Types>'),
        "_rels/.rels": DECLARATION + (
            f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{DOC_REL}/'
            'officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://'
            'schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
            'Target="docProps/core.xml"/></Relationships>'),
        "docProps/core.xml": DECLARATION + (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>perfreport '
            'tests</dc:creator></cp:coreProperties>'),
        "xl/workbook.xml": DECLARATION + (
            f'<workbook xmlns="{main}" xmlns:r="{DOC_REL}"><sheets>'
            '<sheet name="Return" sheetId="1" r:id="rId1"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": DECLARATION + (
            f'<Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{DOC_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{DOC_REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId3" Type="{DOC_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            '</Relationships>'),
        "xl/styles.xml": DECLARATION + (
            f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" '
            'formatCode="0.0%"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/>'
            '</font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" '
            'fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" '
            'fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" '
            'borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs></styleSheet>'),
        "xl/sharedStrings.xml": DECLARATION + (
            f'<sst xmlns="{MAIN}" count="{count}" uniqueCount="{unique}">{sst}</sst>'),
        "xl/worksheets/sheet1.xml": DECLARATION + (
            f'<worksheet xmlns="{MAIN}" xmlns:r="{DOC_REL}"><dimension ref="{used}"/>'
            f'<sheetData>{"".join(xml_rows)}</sheetData></worksheet>'),
    }


def package(parts: Mapping[str, str | bytes] | Iterable[tuple[str, str | bytes]],
            compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """Zip the parts in order (a list of pairs may repeat a name), with fixed timestamps."""
    items = parts.items() if isinstance(parts, Mapping) else parts
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names we may want
        for name, content in items:
            info = zipfile.ZipInfo(name, ZIP_TIME)
            info.compress_type = compression
            info.create_system = 3  # the same header bytes on every platform
            data = content.encode("utf-8") if isinstance(content, str) else content
            archive.writestr(info, data, compresslevel=9)
    return buffer.getvalue()


def with_dtd(part: str, dtd: str, reference: str) -> str:
    """Put a DOCTYPE after the XML declaration and an entity reference inside the root element."""
    body = part.removeprefix(DECLARATION)
    close = body.index(">")
    if body[close - 1] == "/":  # an empty root element: give it content
        body = body[:close - 1] + ">" + reference + "</" + body[1:].split()[0].rstrip("/>") + ">"
    else:
        body = body[:close + 1] + reference + body[close + 1:]
    return DECLARATION + dtd + "\n" + body


def billion_laughs(root: str) -> str:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10)]
    return f"<!DOCTYPE {root} [{''.join(entities)}]>"


def external_entity(root: str) -> str:
    return f'<!DOCTYPE {root} [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'


# -- OLE2 compound files (.xls, and password-protected .xlsx) -----------------------------------

_END, _FREE, _FAT = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD


def compound(streams: Mapping[str, bytes]) -> bytes:
    """A version 3 compound file holding ``streams`` (each padded to 4096 bytes, no mini stream)."""
    names = list(streams)
    data = [streams[n].ljust(max(4096, -(-len(streams[n]) // 512) * 512), b"\0") for n in names]
    directory_sectors = -(-(len(names) + 1) // 4)
    fat = [_FAT] + [n + 2 if n + 1 < directory_sectors else _END
                    for n in range(directory_sectors)]
    starts = []
    for blob in data:
        starts.append(len(fat))
        count = len(blob) // 512
        fat += [len(fat) + i + 1 if i + 1 < count else _END for i in range(count)]
    if len(fat) > 128:
        raise ValueError("streams too large for a one-sector FAT")
    fat += [_FREE] * (128 - len(fat))
    entries = [_entry("Root Entry", 5, _END, 0, child=1 if names else _FREE)]
    for index, (name, blob) in enumerate(zip(names, data, strict=True)):
        sibling = index + 2 if index + 1 < len(names) else _FREE
        entries.append(_entry(name, 2, starts[index], len(blob), right=sibling))
    directory = b"".join(entries).ljust(directory_sectors * 512, b"\0")
    header = (bytes.fromhex("D0CF11E0A1B11AE1") + bytes(16)
              + (0x3E).to_bytes(2, "little") + (3).to_bytes(2, "little")
              + bytes.fromhex("FEFF") + (9).to_bytes(2, "little") + (6).to_bytes(2, "little")
              + bytes(6) + (0).to_bytes(4, "little") + (1).to_bytes(4, "little")
              + (1).to_bytes(4, "little") + bytes(4) + (4096).to_bytes(4, "little")
              + _END.to_bytes(4, "little") + bytes(4) + _END.to_bytes(4, "little") + bytes(4)
              + (0).to_bytes(4, "little") + _FREE.to_bytes(4, "little") * 108)
    fat_sector = b"".join(n.to_bytes(4, "little") for n in fat)
    return header + fat_sector + directory + b"".join(data)


def _entry(name: str, kind: int, start: int, size: int, *, child: int = _FREE,
           right: int = _FREE) -> bytes:
    encoded = name.encode("utf-16-le") + b"\0\0"
    return (encoded.ljust(64, b"\0") + len(encoded).to_bytes(2, "little") + bytes([kind, 1])
            + _FREE.to_bytes(4, "little") + right.to_bytes(4, "little")
            + child.to_bytes(4, "little") + bytes(16 + 4 + 16)
            + start.to_bytes(4, "little") + size.to_bytes(8, "little"))


def biff_stream(encrypted: bool = False) -> bytes:
    """The start of a BIFF8 workbook stream: BOF, then FILEPASS when ``encrypted``."""
    bof = (0x0809).to_bytes(2, "little") + (16).to_bytes(2, "little") + bytes.fromhex(
        "0006050054380D07C1000000060000")[:16].ljust(16, b"\0")
    filepass = (0x002F).to_bytes(2, "little") + (6).to_bytes(2, "little") + bytes(6)
    eof = (0x000A).to_bytes(2, "little") + bytes(2)
    return bof + (filepass if encrypted else b"") + eof
