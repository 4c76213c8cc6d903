"""Test helpers for PDF work: a small accessible .docx, a PDF inspector, stand-in soffice programs."""

from __future__ import annotations

import os
import stat
import sys
import textwrap
from pathlib import Path

import pytest

from perfreport.paper.pdf import find_soffice


def require_soffice() -> Path:
    """The installed LibreOffice, or skip the test saying how to get it."""
    program = find_soffice()
    if program is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed, so the PDF tests are skipped. "
            "Install it (Debian: apt install libreoffice-writer-nogui) or set "
            "PERFREPORT_SOFFICE to run them; CI runs them."
        )
    return program


def make_sample_docx(
    path: Path,
    *,
    title: str = "Sample Committee Paper",
    heading: str = "Performance Summary",
    language: str = "en-GB",
) -> Path:
    """A real .docx: title property, default language, Heading 1 and 2, a table with a header row."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = "Somerset Council"
    # The PDF's /Lang comes from the styles' default language, not the core properties.
    run_defaults = (
        document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    )
    lang = run_defaults.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        run_defaults.append(lang)
    lang.set(qn("w:val"), language)
    document.add_heading(heading, level=1)
    document.add_paragraph("Of the 56 rated measures, 20 are Green.")
    document.add_heading("Appendix A", level=2)
    table = document.add_table(rows=3, cols=2)
    for row, (ref, value) in enumerate(
        [("Ref", "This quarter"), ("ASC-01", "85.2%"), ("HOU-04", "1,234")]
    ):
        table.rows[row].cells[0].text = ref
        table.rows[row].cells[1].text = value
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(header)
    document.save(str(path))
    return path


def inspect_pdf(path: Path) -> dict[str, object]:
    """What a reader of the PDF gets: text, tagging, language, title, outline, PDF/UA claim."""
    import pypdf

    reader = pypdf.PdfReader(str(path))
    catalog = reader.trailer["/Root"]
    mark_info = catalog.get("/MarkInfo") or {}
    xmp = catalog.get("/Metadata")
    xmp_bytes = xmp.get_object().get_data() if xmp is not None else b""

    def titles(items: list) -> list[str]:
        out: list[str] = []
        for item in items:
            out.extend(titles(item) if isinstance(item, list) else [str(item.title)])
        return out

    return {
        "text": "\n".join(page.extract_text() or "" for page in reader.pages),
        "tagged": "/StructTreeRoot" in catalog,
        "marked": bool(mark_info.get("/Marked", False)),
        "lang": str(catalog.get("/Lang", "")),
        "title": str((reader.metadata or {}).get("/Title", "")),
        "outline": titles(reader.outline),
        "pdf_ua": b"pdfuaid:part" in xmp_bytes,
        "has_th": b"/TH" in _structure_types(reader),
        "figure_alts": _figure_alts(reader),
        "links": [
            str(annot.get_object()["/A"]["/URI"])
            for page in reader.pages
            for annot in page.get("/Annots") or []
            if annot.get_object().get("/Subtype") == "/Link"
            and "/URI" in (annot.get_object().get("/A") or {})
        ],
    }


def _figure_alts(reader) -> list[str]:
    """The /Alt text of every Figure in the tag tree (what a screen reader says for a picture)."""
    root = reader.trailer["/Root"]
    stack = [root["/StructTreeRoot"]] if "/StructTreeRoot" in root else []
    alts = []
    while stack:
        node = stack.pop().get_object()
        if not hasattr(node, "get"):
            continue
        if node.get("/S") == "/Figure":
            alts.append(str(node.get("/Alt", "")))
        kids = node.get("/K")
        for kid in kids if isinstance(kids, list) else [kids] if kids is not None else []:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if hasattr(kid, "get") and ("/S" in kid or "/K" in kid):
                stack.append(kid)
    return alts


def _structure_types(reader) -> bytes:
    """The structure element types used in the tag tree, as bytes to search."""
    seen: set[str] = set()
    stack = (
        [reader.trailer["/Root"]["/StructTreeRoot"]]
        if "/StructTreeRoot" in reader.trailer["/Root"]
        else []
    )
    while stack:
        node = stack.pop().get_object()
        if hasattr(node, "get") and "/S" in node:
            seen.add(str(node["/S"]))
        kids = node.get("/K") if hasattr(node, "get") else None
        if kids is None:
            continue
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if hasattr(kid, "get") and ("/S" in kid or "/K" in kid):
                stack.append(kid)
    return " ".join(sorted(seen)).encode()


def make_fake_program(folder: Path, name: str, body: str) -> Path:
    """A stand-in for soffice: a Python script run by this interpreter, startable on any OS."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / f"{name}.py"
    script.write_text(
        "import os, subprocess, sys, time\n" + textwrap.dedent(body), encoding="utf-8"
    )
    if sys.platform == "win32":
        wrapper = folder / f"{name}.cmd"
        wrapper.write_text(f'@"{sys.executable}" "{script}" %*\r\n', encoding="utf-8")
    else:
        wrapper = folder / name
        wrapper.write_text(
            f'#!/bin/sh\nexec "{sys.executable}" "{script}" "$@"\n', encoding="utf-8"
        )
        wrapper.chmod(wrapper.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
    return wrapper


def process_is_gone(pid: int) -> bool:
    """True once ``pid`` has exited (a zombie waiting to be reaped counts as gone). POSIX only."""
    if sys.platform == "win32":  # os.kill would terminate the process there, not probe it
        raise NotImplementedError("process_is_gone is POSIX only")
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    status = Path(f"/proc/{pid}/status")
    if status.exists():
        return "\nState:\tZ" in status.read_text()
    return False
