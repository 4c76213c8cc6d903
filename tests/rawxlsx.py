"""Builds .xlsx packages and OLE2 compound files byte by byte, for tests that need odd ones.

Standard library only and deterministic (fixed zip timestamps), so tests/data/make_hostile.py
can use it to regenerate the same hostile files on any machine.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from io import BytesIO
from xml.sax.saxutils import escape, quoteattr

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
DATE_STYLE = 2  # the cellXfs index of a date format (dd/mm/yyyy), added when a Raw cell uses it


@dataclass(frozen=True)
class Raw:
    """A cell written as given: ``kind`` is its t= attribute (e error, b boolean, str formula
    text), ``formula`` an <f>, ``value`` the cached <v> (None: no <v>), ``style`` its s=."""

    value: object = None
    kind: str | None = None
    formula: str | None = None
    style: int | None = None

    def xml(self, ref: str) -> str:
        kind = f' t="{self.kind}"' if self.kind else ""
        style = f' s="{self.style}"' if self.style is not None else ""
        formula = f"<f>{escape(self.formula)}</f>" if self.formula is not None else ""
        value = f"<v>{escape(str(self.value))}</v>" if self.value is not None else ""
        return f'<c r="{ref}"{kind}{style}>{formula}{value}</c>'


def column_letter(column: int) -> str:
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def return_parts(
    rows: list[list[object]] | None = None,
    *,
    main: str = MAIN,
    dimension: str | None = None,
    extra_cells: str = "",
    sst_counts: tuple[int, int] | None = None,
    date1904: bool = False,
    merged: Sequence[str] = (),
    state: str = "visible",
    other_sheets: Sequence[tuple[str, str]] = (),
    external_link: str | None = None,
) -> dict[str, str]:
    """The parts of a minimal valid workbook with one sheet, Return, holding ``rows`` from A1.

    Text goes to the shared-string table, numbers inline, ``Raw`` cells as given; ``extra_cells``
    is appended (raw XML) to the last row, and ``dimension`` overrides the declared used range.
    ``date1904`` sets the 1904 date system, ``merged`` lists merged ranges, ``state`` is the Return
    sheet's visibility, ``other_sheets`` adds (name, state) sheets holding their name in A1, and
    ``external_link`` adds a link to another workbook at that address (cells refer to it as [1]).
    """
    rows = FORM_ROWS if rows is None else rows
    strings: list[str] = []
    xml_rows = []
    for number, row in enumerate(rows, start=1):
        cells = []
        for column, value in enumerate(row, start=1):
            ref = f"{column_letter(column)}{number}"
            if isinstance(value, Raw):
                cells.append(value.xml(ref))
            elif isinstance(value, str):
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
    dated = any(isinstance(v, Raw) and v.style == DATE_STYLE for row in rows for v in row)
    parts = _core_parts(main, used, xml_rows, count, unique, sst, dated, merged, date1904, state)
    sheets = [(f"sheet{n}", name, kind) for n, (name, kind) in enumerate(other_sheets, start=2)]
    for part, name, _ in sheets:
        parts[f"xl/worksheets/{part}.xml"] = DECLARATION + (
            f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
            f"{escape(name)}</t></is></c></row></sheetData></worksheet>"
        )
    if sheets:
        _add(
            parts,
            "xl/workbook.xml",
            "</sheets>",
            "".join(
                f'<sheet name={quoteattr(name)} sheetId="{n}"{_state(kind)} r:id="rId{n + 8}"/>'
                for n, (_, name, kind) in enumerate(sheets, start=2)
            ),
        )
        _add(
            parts,
            "xl/_rels/workbook.xml.rels",
            "</Relationships>",
            "".join(
                f'<Relationship Id="rId{n + 8}" Type="{DOC_REL}/worksheet" '
                f'Target="worksheets/{part}.xml"/>'
                for n, (part, _, _) in enumerate(sheets, start=2)
            ),
        )
        _add(
            parts,
            "[Content_Types].xml",
            "</Types>",
            "".join(
                f'<Override PartName="/xl/worksheets/{part}.xml" ContentType="{_TYPES}.worksheet+xml"/>'
                for part, _, _ in sheets
            ),
        )
    if external_link is not None:
        _link_external(parts, external_link)
    return parts


def _state(state: str) -> str:
    return "" if state == "visible" else f' state="{state}"'


def _add(parts: dict[str, str], part: str, before: str, xml: str) -> None:
    """Insert ``xml`` into ``part`` just before the first ``before``."""
    parts[part] = parts[part].replace(before, xml + before, 1)


def _link_external(parts: dict[str, str], target: str) -> None:
    """An externalLink part pointing at ``target`` (TargetMode External), as Excel writes one."""
    parts["xl/externalLinks/externalLink1.xml"] = DECLARATION + (
        f'<externalLink xmlns="{MAIN}" xmlns:r="{DOC_REL}"><externalBook r:id="rId1"><sheetNames>'
        '<sheetName val="Sheet1"/></sheetNames><sheetDataSet><sheetData sheetId="0"><row r="1">'
        '<cell r="A1"><v>118</v></cell></row></sheetData></sheetDataSet></externalBook>'
        "</externalLink>"
    )
    parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = DECLARATION + (
        f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{DOC_REL}/'
        f'externalLinkPath" Target={quoteattr(target)} TargetMode="External"/></Relationships>'
    )
    _add(
        parts,
        "xl/workbook.xml",
        "</workbook>",
        '<externalReferences><externalReference r:id="rId4"/></externalReferences>',
    )
    _add(
        parts,
        "xl/_rels/workbook.xml.rels",
        "</Relationships>",
        f'<Relationship Id="rId4" Type="{DOC_REL}/externalLink" '
        'Target="externalLinks/externalLink1.xml"/>',
    )
    _add(
        parts,
        "[Content_Types].xml",
        "</Types>",
        '<Override PartName="/xl/externalLinks/externalLink1.xml" ContentType="'
        f'{_TYPES}.externalLink+xml"/>',
    )


def _core_parts(
    main: str,
    used: str,
    xml_rows: list[str],
    count: int,
    unique: int,
    sst: str,
    dated: bool,
    merged: Sequence[str],
    date1904: bool,
    state: str,
) -> dict[str, str]:
    # Only what the options ask for is added, so the default parts never change.
    date_xf = (
        ('<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>')
        if dated
        else ""
    )
    merges = (
        (
            f'<mergeCells count="{len(merged)}">'
            + "".join(f'<mergeCell ref="{area}"/>' for area in merged)
            + "</mergeCells>"
        )
        if merged
        else ""
    )
    properties = '<workbookPr date1904="1"/>' if date1904 else ""
    return {
        "[Content_Types].xml": DECLARATION
        + (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
            'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{_TYPES}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_TYPES}.worksheet+xml"/>'
            f'<Override PartName="/xl/styles.xml" ContentType="{_TYPES}.styles+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_TYPES}.sharedStrings+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-'
            'package.core-properties+xml"/></Types>'
        ),
        "_rels/.rels": DECLARATION
        + (
            f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{DOC_REL}/'
            'officeDocument" Target="xl/workbook.xml"/><Relationship Id="rId2" Type="http://'
            'schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" '
            'Target="docProps/core.xml"/></Relationships>'
        ),
        "docProps/core.xml": DECLARATION
        + (
            '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/'
            'core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>perfreport '
            "tests</dc:creator></cp:coreProperties>"
        ),
        "xl/workbook.xml": DECLARATION
        + (
            f'<workbook xmlns="{main}" xmlns:r="{DOC_REL}">{properties}<sheets>'
            f'<sheet name="Return" sheetId="1"{_state(state)} r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": DECLARATION
        + (
            f'<Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{DOC_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{DOC_REL}/styles" Target="styles.xml"/>'
            f'<Relationship Id="rId3" Type="{DOC_REL}/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": DECLARATION
        + (
            f'<styleSheet xmlns="{MAIN}"><numFmts count="1"><numFmt numFmtId="164" '
            'formatCode="0.0%"/></numFmts><fonts count="1"><font><sz val="11"/><name val="Calibri"/>'
            '</font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
            '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf numFmtId="0" '
            'fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            f'<cellXfs count="{3 if dated else 2}"><xf numFmtId="0" '
            'fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" '
            f'borderId="0" xfId="0" applyNumberFormat="1"/>{date_xf}</cellXfs></styleSheet>'
        ),
        "xl/sharedStrings.xml": DECLARATION
        + (f'<sst xmlns="{MAIN}" count="{count}" uniqueCount="{unique}">{sst}</sst>'),
        "xl/worksheets/sheet1.xml": DECLARATION
        + (
            f'<worksheet xmlns="{MAIN}" xmlns:r="{DOC_REL}"><dimension ref="{used}"/>'
            f"<sheetData>{''.join(xml_rows)}</sheetData>{merges}</worksheet>"
        ),
    }


def package(
    parts: Mapping[str, str | bytes] | Iterable[tuple[str, str | bytes]],
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
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
        body = body[: close - 1] + ">" + reference + "</" + body[1:].split()[0].rstrip("/>") + ">"
    else:
        body = body[: close + 1] + reference + body[close + 1 :]
    return DECLARATION + dtd + "\n" + body


def billion_laughs(root: str) -> str:
    entities = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{n} "{("&lol" + str(n - 1) + ";") * 10}">' for n in range(1, 10)
    ]
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
    fat = [_FAT] + [n + 2 if n + 1 < directory_sectors else _END for n in range(directory_sectors)]
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
    header = (
        bytes.fromhex("D0CF11E0A1B11AE1")
        + bytes(16)
        + (0x3E).to_bytes(2, "little")
        + (3).to_bytes(2, "little")
        + bytes.fromhex("FEFF")
        + (9).to_bytes(2, "little")
        + (6).to_bytes(2, "little")
        + bytes(6)
        + (0).to_bytes(4, "little")
        + (1).to_bytes(4, "little")
        + (1).to_bytes(4, "little")
        + bytes(4)
        + (4096).to_bytes(4, "little")
        + _END.to_bytes(4, "little")
        + bytes(4)
        + _END.to_bytes(4, "little")
        + bytes(4)
        + (0).to_bytes(4, "little")
        + _FREE.to_bytes(4, "little") * 108
    )
    fat_sector = b"".join(n.to_bytes(4, "little") for n in fat)
    return header + fat_sector + directory + b"".join(data)


def _entry(
    name: str, kind: int, start: int, size: int, *, child: int = _FREE, right: int = _FREE
) -> bytes:
    encoded = name.encode("utf-16-le") + b"\0\0"
    return (
        encoded.ljust(64, b"\0")
        + len(encoded).to_bytes(2, "little")
        + bytes([kind, 1])
        + _FREE.to_bytes(4, "little")
        + right.to_bytes(4, "little")
        + child.to_bytes(4, "little")
        + bytes(16 + 4 + 16)
        + start.to_bytes(4, "little")
        + size.to_bytes(8, "little")
    )


def biff_stream(encrypted: bool = False) -> bytes:
    """The start of a BIFF8 workbook stream: BOF, then FILEPASS when ``encrypted``."""
    bof = (
        (0x0809).to_bytes(2, "little")
        + (16).to_bytes(2, "little")
        + bytes.fromhex("0006050054380D07C1000000060000")[:16].ljust(16, b"\0")
    )
    filepass = (0x002F).to_bytes(2, "little") + (6).to_bytes(2, "little") + bytes(6)
    eof = (0x000A).to_bytes(2, "little") + bytes(2)
    return bof + (filepass if encrypted else b"") + eof
