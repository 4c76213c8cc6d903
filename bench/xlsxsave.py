"""Save openpyxl workbooks as Excel would: text in a shared-strings table, fixed timestamps."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path


def save_workbook(workbook, path: Path) -> None:  # noqa: ANN001
    """Save with shared strings and fixed timestamps: the same scale always gives the same bytes."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts = share_strings(parts)
    core = parts["docProps/core.xml"]  # openpyxl stamps "modified" with the current time
    parts["docProps/core.xml"] = re.sub(
        rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2024-01-01T00:00:00Z", core
    )
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, data)


_INLINE = re.compile(
    rb'<c ([^>]*?)t="inlineStr"([^>]*)><is><t(?: xml:space="preserve")?>(.*?)'
    rb"</t></is></c>",
    re.DOTALL,
)
_MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_SST_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def share_strings(parts: dict[str, bytes]) -> dict[str, bytes]:
    """Move openpyxl's inline strings into a shared-strings table, as Excel saves text.

    openpyxl 3.1 writes every text cell inline; Excel never does, and readers take a different,
    cheaper path for shared strings, so the benchmark would otherwise time an unusual workbook.
    """
    table: dict[bytes, int] = {}
    uses = 0

    def shared(match: re.Match) -> bytes:
        nonlocal uses
        uses += 1
        index = table.setdefault(match[3], len(table))
        return b'<c %st="s"%s><v>%d</v></c>' % (match[1], match[2], index)

    out = dict(parts)
    for name, data in parts.items():
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            out[name] = _INLINE.sub(shared, data)
    if not table:
        return out
    items = b"".join(b'<si><t xml:space="preserve">%s</t></si>' % text for text in table)
    out["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="%s" count="%d" '
        b'uniqueCount="%d">%s</sst>' % (_MAIN, uses, len(table), items)
    )
    out["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="%s"/></Types>' % _SST_TYPE,
    )
    out["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Type="%s" Target="sharedStrings.xml" '
        b'Id="rIdShared"/></Relationships>' % _SST_REL,
    )
    return out
