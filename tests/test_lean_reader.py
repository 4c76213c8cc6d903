"""Both ways of opening a workbook (xlsx.lean and openpyxl) give the same cells, returns and findings.

Every workbook the tests know is read both ways: the hostile files, the real-world corpus, the
examples and a generated benchmark project. For each, every sheet's cells (value, type, number
format), merges and declared size must be equal, and so must the return read from it (its
observations and every finding).
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from corpusread import CORPUS_CATALOGUE
from test_corpus_wild import HOSTILE, wild_folder

from perfreport.core.project import LimitSettings, load_project
from perfreport.inputs.catalogue import load_catalogue
from perfreport.inputs.returns import read_return
from perfreport.xlsx.lean import LeanWorkbook
from perfreport.xlsx.workbook import open_workbook, read_sheet

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
LIMITS = LimitSettings()


def _workbooks(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".md"))


def _label(path: Path) -> str:
    return path.name


HOSTILE_FILES = _workbooks(HOSTILE)
WILD_FILES = _workbooks(wild_folder())
EXAMPLE_FILES = [p for p in _workbooks(EXAMPLES) if p.suffix.lower() in (".xlsx", ".xlsm")]


def _sheets(path: Path, lean: bool) -> tuple[object, ...]:
    """What opening ``path`` gives: findings, or each sheet's title, state and read."""
    book, findings = open_workbook(path, path.name, LIMITS, lean=lean)
    if book is None:
        return ("not opened", tuple(findings))
    try:
        sheets = tuple(
            (sheet.title, sheet.sheet_state, read_sheet(book, sheet.title, path.name, LIMITS))
            for sheet in book.worksheets
        )
        return ("opened", tuple(findings), sheets, type(book) is LeanWorkbook)
    finally:
        book.close()


def _same_both_ways(path: Path, catalogue) -> bool:
    """Assert equality; True when the lean way was taken (not every file can be)."""
    openpyxl_way, lean_way = _sheets(path, lean=False), _sheets(path, lean=True)
    used_lean = lean_way[0] == "opened" and lean_way[3]
    if openpyxl_way[0] == "opened":
        openpyxl_way = openpyxl_way[:3]
        lean_way = lean_way[:3]
    assert lean_way == openpyxl_way
    assert read_return(path, catalogue, lean=True) == read_return(path, catalogue, lean=False)
    return used_lean


@pytest.mark.parametrize("path", HOSTILE_FILES, ids=_label)
def test_hostile_files_read_the_same_both_ways(path: Path) -> None:
    _same_both_ways(path, CORPUS_CATALOGUE)


@pytest.mark.skipif(not WILD_FILES, reason=f"the wild corpus is not at {wild_folder()}")
@pytest.mark.parametrize("path", WILD_FILES, ids=_label)
def test_wild_corpus_reads_the_same_both_ways(path: Path) -> None:
    _same_both_ways(path, CORPUS_CATALOGUE)


def test_examples_read_the_same_both_ways_and_take_the_lean_way() -> None:
    somerset = load_project(EXAMPLES / "somerset")
    catalogue, _ = load_catalogue(somerset)
    lean = [_same_both_ways(path, catalogue) for path in EXAMPLE_FILES]
    # Every example saved as Excel saves it is plain enough for the lean way; only the broken
    # ones (not a zip) are not.
    assert len(EXAMPLE_FILES) >= 40
    assert sum(lean) == sum(1 for p in EXAMPLE_FILES if p.read_bytes()[:2] == b"PK")


def test_benchmark_project_reads_the_same_both_ways(tmp_path: Path) -> None:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import synth
    finally:
        sys.path.remove(str(ROOT / "bench"))
    generated = synth.ensure_project(tmp_path, 1)
    project = load_project(generated.root)
    catalogue, _ = load_catalogue(project)
    files = sorted(generated.root.rglob("*.xlsx"))
    assert len(files) == 37  # 36 returns and the catalogue
    assert all(_same_both_ways(path, catalogue) for path in files)


def test_lean_way_is_taken_for_most_real_workbooks() -> None:
    """The fallback is for the odd file: the lean way reads the plain ones of the corpus."""
    opened = [p for p in HOSTILE_FILES if _sheets(p, lean=True)[0] == "opened"]
    lean = [p for p in opened if _sheets(p, lean=True)[3]]
    assert {p.name for p in lean} >= {"valid-return.xlsx", "merged-cells.xlsx", "dates-1904.xlsx"}


@pytest.mark.skipif(importlib.util.find_spec("numpy") is None, reason="numpy is not installed here")
def test_reading_a_workbook_does_not_import_numpy() -> None:
    """openpyxl would import numpy (0.1-0.2 s) only to write numpy numbers; reading keeps it out."""
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from perfreport.inputs.returns import read_return\n"
        "from corpusread import CORPUS_CATALOGUE\n"
        f"result, findings = read_return(Path({str(HOSTILE / 'valid-return.xlsx')!r}), "
        "CORPUS_CATALOGUE, lean=False)\n"
        "print(result is not None, 'openpyxl' in sys.modules, 'numpy' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent,
    )
    assert done.stdout.split() == ["True", "True", "False"]


def test_a_cell_style_in_another_namespace_reads_as_openpyxl_reads_it(tmp_path: Path) -> None:
    """openpyxl takes a stylesheet's children by their local name (an <x:xf> of cellXfs is a
    cell style to it): the lean way must not skip it and give the later cells other formats."""
    source = EXAMPLES / "somerset" / "returns" / "Q2-2024" / "Highways and Transport return Q2 2024-25.xlsx"  # fmt: skip
    crafted = tmp_path / source.name
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(crafted, "w") as copy:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "xl/styles.xml":
                at = data.index(b"<xf ", data.index(b"<cellXfs"))
                data = data[:at] + b'<x:xf xmlns:x="urn:another" ' + data[at + 4 :]
            copy.writestr(info, data)
    somerset = load_project(EXAMPLES / "somerset")
    catalogue, _ = load_catalogue(somerset)
    _same_both_ways(crafted, catalogue)
