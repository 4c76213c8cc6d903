"""Helpers for the build tests: copies of the example projects, and reading the built paper."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from docx.oxml.ns import qn

from perfreport.core.periods import Period
from perfreport.core.project import Project, load_project

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
Q2 = Period(2024, 2)
PAPER = "Corporate Performance Management Report Q2 2024-25"  # the reference paper's file name
DOCX, PDF, HTML = f"{PAPER}.docx", f"{PAPER}.pdf", f"{PAPER}.html"
DATA = ("dataset.json", "dataset.csv", "findings.json")


def copy_example(name: str, destination: Path) -> Project:
    """A copy of examples/<name> (without any local build folder), loaded: tests never write into
    examples/."""
    shutil.copytree(EXAMPLES / name, destination, ignore=shutil.ignore_patterns("build"))
    return load_project(destination)


def reuse_summary(monkeypatch, summary) -> None:
    """Make the build use ``summary`` instead of reading the returns again (seven seconds for the
    example), for tests about what happens after the returns are read."""
    monkeypatch.setattr("perfreport.build.summarise_period", lambda project, period, **_: summary)


def edit_report(
    project: Project, *, drop: tuple[str, ...] = (), replace: dict[str, str] | None = None
) -> Path:
    """Remove one-line items (``chair = "…"``) from the report file, or give them new TOML values."""
    path = project.report_path(Q2)
    text = path.read_text(encoding="utf-8")
    for key in drop:
        text, found = re.subn(rf"(?m)^{key} = .*\n", "", text)
        assert found == 1, key
    for key, value in (replace or {}).items():
        text, found = re.subn(rf"(?m)^{key} = .*$", lambda _, v=value, k=key: f"{k} = {v}", text)
        assert found == 1, key
    path.write_text(text, encoding="utf-8")
    return path


def files_in(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> content): a snapshot to compare."""
    if not folder.exists():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def outputs_in(build_root: Path) -> dict[str, bytes]:
    """What a build left in ``build/``, apart from the lock files (``.Q2-2024.lock``), the
    publish record (``.Q2-2024.published.json``) and the cache of read returns (``.cache/``,
    written whenever returns are read)."""
    return {
        name: data
        for name, data in files_in(build_root).items()
        if not re.fullmatch(r"\.[^/]+\.(lock(\.json)?|published\.json)", name)
        and not name.startswith(".cache/")
    }


# -- reading the paper ----------------------------------------------------------------------------


def headings(doc) -> list[tuple[int, str]]:
    """(level, text) of the Title (level 0) and every heading, in document order."""
    found = []
    for p in doc.paragraphs:
        name = p.style.name
        if name == "Title":
            found.append((0, p.text))
        elif name.startswith("Heading "):
            found.append((int(name.split()[1]), p.text))
    return found


def section(doc, heading: str, *, after: str | None = None) -> list:
    """The paragraphs after ``heading`` (the first found after the heading ``after``, if given)
    up to the next heading."""
    inside, found, started = False, [], after is None
    for p in doc.paragraphs:
        if p.style.name.startswith("Heading") or p.style.name == "Title":
            if inside:
                break
            inside = started and p.text == heading
            started = started or p.text == after
        elif inside:
            found.append(p)
    return found


def outline(doc, heading: str) -> list[tuple[str, str]]:
    """(style, text) of every paragraph under the Heading 1 ``heading``, sub-headings included."""
    inside, found = False, []
    for p in doc.paragraphs:
        if p.style.name == "Heading 1":
            if inside:
                break
            inside = p.text == heading
        elif inside:
            found.append((p.style.name, p.text))
    return found


def caption(table) -> str:
    element = table._tbl.tblPr.find(qn("w:tblCaption"))
    return element.get(qn("w:val")) if element is not None else ""


def appendix_tables(doc) -> list:
    return [t for t in doc.tables if caption(t).startswith("Indicators: ")]


def fill(cell) -> str | None:
    shd = cell._tc.tcPr.find(qn("w:shd")) if cell._tc.tcPr is not None else None
    return shd.get(qn("w:fill")) if shd is not None else None


def word_fill(cell) -> tuple[str, str | None]:
    """A cell's first run, as (its text, its shading's fill): Appendix A's RAG word wears the
    rating's fill itself, not the cell."""
    run = cell.paragraphs[0].runs[0]
    rpr = run._r.rPr
    shd = rpr.find(qn("w:shd")) if rpr is not None else None
    return run.text, (shd.get(qn("w:fill")) if shd is not None else None)


def cell_texts(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join(parts)
