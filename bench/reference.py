"""The two reference points: the floor (calamine + a raw .docx) and a naive pandas/docxtpl script.

Usage: python bench/reference.py floor|baseline PROJECT PERIOD OUT.docx [TEMPLATE.docx]

Both read the same input as `perfreport validate PERIOD`: the catalogue and every return in the
period's folder. Both then write one .docx with a table of every return row. Neither checks
anything. Prints one JSON object with the seconds spent importing, reading and writing.
"""

from __future__ import annotations

import json
import sys
import time
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

# synth_workbooks sits beside this file (bench/ is not a package): the returns' layout, in one place.
from synth_workbooks import HEADER_ROW
from synth_workbooks import RETURN_HEADINGS as COLUMNS

RETURN_SUFFIXES = (".xlsx", ".xlsm")


def return_files(root: Path, period: str) -> list[Path]:
    folder = root / "returns" / period
    return sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in RETURN_SUFFIXES and not p.name.startswith(("~$", "."))
    )


# -- the floor -----------------------------------------------------------------------------------


def floor(root: Path, period: str, out: Path) -> dict:
    started = time.perf_counter()
    from python_calamine import CalamineWorkbook

    imported = time.perf_counter()
    cells = 0
    table: list[list[object]] = []
    for path in [root / "catalogue.xlsx", *return_files(root, period)]:
        workbook = CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            rows = workbook.get_sheet_by_name(name).to_python()
            cells += sum(len(row) for row in rows)
            if path.parent.name == period:
                table.extend(_table_rows(rows))
    read = time.perf_counter()
    out.write_bytes(raw_docx(table))
    written = time.perf_counter()
    return {
        "import_seconds": imported - started,
        "read_seconds": read - imported,
        "write_seconds": written - read,
        "cells": cells,
        "table_rows": len(table),
    }


def _table_rows(rows: list[list[object]]) -> list[list[object]]:
    """The rows under the header row (the first row whose first cell is Ref)."""
    for number, row in enumerate(rows):
        if row and str(row[0]).strip().casefold() == "ref":
            return [r for r in rows[number + 1 :] if r and r[0] not in ("", None)]
    return []


_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return f'<w:tc><w:p><w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r></w:p></w:tc>'


def raw_docx(rows: list[list[object]]) -> bytes:
    """A minimal WordprocessingML package holding one table, built with a string builder."""
    parts = [
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}">'
        '<w:body><w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr>',
        "<w:tr>",
        *(_cell(c) for c in COLUMNS),
        "</w:tr>",
    ]
    for row in rows:
        parts.append("<w:tr>")
        parts.extend(_cell(row[i] if i < len(row) else None) for i in range(len(COLUMNS)))
        parts.append("</w:tr>")
    parts.append("</w:tbl><w:sectPr/></w:body></w:document>")
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("word/document.xml", "".join(parts))
    return buffer.getvalue()


# -- the naive baseline --------------------------------------------------------------------------


def make_template(path: Path) -> Path:
    """The analyst's Word template: a heading and a table with a docxtpl row loop."""
    import docx

    document = docx.Document()
    document.add_heading("{{ title }}", level=1)
    table = document.add_table(rows=4, cols=6)
    for cell, text in zip(
        table.rows[0].cells,
        ("Ref", "Measure", "Value", "Target", "Status", "Commentary"),
        strict=True,
    ):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for r in rows %}"
    for cell, key in zip(
        table.rows[2].cells,
        ("Ref", "Title", "Value", "Target", "Data_status", "Commentary"),
        strict=True,
    ):
        cell.text = f"{{{{ r.{key} }}}}"
    table.rows[3].cells[0].text = "{%tr endfor %}"
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)
    return path


def baseline(root: Path, period: str, out: Path, template: Path) -> dict:
    """pandas.read_excel on each file, a merge with the catalogue, then a docxtpl render."""
    started = time.perf_counter()
    import pandas as pd
    from docxtpl import DocxTemplate

    imported = time.perf_counter()
    # openpyxl is pandas' default .xlsx engine (pandas 3 warns it will become calamine): named here
    # so that the baseline stays the script analysts run today, whatever the pandas version.
    catalogue = pd.read_excel(root / "catalogue.xlsx", sheet_name="Indicators", engine="openpyxl")
    frames = [
        pd.read_excel(path, sheet_name="Return", header=HEADER_ROW - 1, engine="openpyxl")
        for path in return_files(root, period)
    ]
    data = pd.concat(frames, ignore_index=True).dropna(subset=["Ref"])
    merged = data.merge(catalogue[["Ref", "Title", "Target", "Polarity"]], on="Ref", how="left")
    merged.columns = [str(c).replace(" ", "_") for c in merged.columns]
    rows = merged.astype(object).where(merged.notna(), "").to_dict("records")
    read = time.perf_counter()
    document = DocxTemplate(str(template))
    document.render({"title": f"Performance {period}", "rows": rows})
    document.save(str(out))
    written = time.perf_counter()
    return {
        "import_seconds": imported - started,
        "read_seconds": read - imported,
        "write_seconds": written - read,
        "table_rows": len(rows),
    }


def main(argv: list[str]) -> int:
    if len(argv) < 4 or argv[0] not in ("floor", "baseline"):
        print(__doc__, file=sys.stderr)
        return 2
    kind, root, period, out = argv[0], Path(argv[1]), argv[2], Path(argv[3])
    if kind == "floor":
        result = floor(root, period, out)
    else:
        result = baseline(root, period, out, Path(argv[4]))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
