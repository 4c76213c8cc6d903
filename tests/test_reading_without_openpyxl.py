"""A plain workbook is read without importing openpyxl, in the command and in the reading workers;
a workbook that needs openpyxl's reader still gets it there and then, and reads the same."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOMERSET = ROOT / "examples" / "somerset"
PLANNING = "Planning return Q2 2024-25.xlsx"

# Run first in the child: any import of openpyxl, in it or in a process forked from it (the
# reading workers), leaves a file named by the process's id in the folder given.
WATCH = """
import os, sys
from pathlib import Path
marks = Path(sys.argv[1])
class Watch:
    def find_spec(self, name, path=None, target=None):
        if name == "openpyxl":
            (marks / str(os.getpid())).write_text(name)
        return None
sys.meta_path.insert(0, Watch())
"""

READ = """
import dataclasses
from perfreport.core.periods import Period
from perfreport.core.project import load_project
from perfreport.inputs.dataset import read_periods
project = load_project(Path(sys.argv[2]))
limits = dataclasses.replace(project.limits, isolate=sys.argv[3] == "isolated")
project = dataclasses.replace(project, limits=limits)
periods = [Period.parse(p) for p in ("Q2-2024", "Q1-2024", "Q4-2023", "Q3-2023", "Q2-2023")]
reads = read_periods(project, periods)
print(sum(len(read.files) for read in reads.values()), len(reads[periods[0]].dataset.observations))
"""


def _run(code: str, *args: object) -> str:
    done = subprocess.run(
        [sys.executable, "-c", WATCH + code, *map(str, args)],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).parent,
    )
    return done.stdout


@pytest.mark.parametrize("way", ["isolated", "in-process"])
def test_a_build_s_read_of_the_example_never_imports_openpyxl(tmp_path: Path, way: str) -> None:
    """Five quarters and the catalogue, as a build reads them: in this process, or by the forked
    reading workers (each would leave its mark)."""
    project, marks = tmp_path / "somerset", tmp_path / "marks"
    shutil.copytree(SOMERSET, project)
    shutil.rmtree(project / "build", ignore_errors=True)
    marks.mkdir()
    files, observations = _run(READ, marks, project, way).split()
    assert int(files) >= 50 and int(observations) >= 100  # the returns were read
    assert sorted(p.name for p in marks.iterdir()) == []


def test_validate_and_summary_of_the_example_never_import_openpyxl(tmp_path: Path) -> None:
    project, marks = tmp_path / "somerset", tmp_path / "marks"
    shutil.copytree(SOMERSET, project)
    shutil.rmtree(project / "build", ignore_errors=True)
    marks.mkdir()
    for command, shown in (("validate", "12 files: 0 errors"), ("summary", "Q2 2024/25")):
        code = (
            "import perfreport.cli as cli\n"
            f"sys.argv = ['perfreport', {command!r}, 'Q2-2024', '--project', sys.argv[2]]\n"
            "cli.main()\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", WATCH + code, str(marks), str(project)],
            capture_output=True,
            text=True,
            cwd=Path(__file__).parent,
            env={"NO_COLOR": "1", "PATH": "", "PYTHONPATH": str(ROOT)},
        )
        assert done.returncode in (0, 1), done.stderr
        assert shown in done.stdout
    assert sorted(p.name for p in marks.iterdir()) == []


def _variant(tmp_path: Path, part: str, old: bytes, new: bytes) -> Path:
    """The example's Planning return with one part changed, under its own name."""
    source = SOMERSET / "returns" / "Q2-2024" / PLANNING
    target = tmp_path / "Q2-2024" / PLANNING
    target.parent.mkdir()
    with zipfile.ZipFile(source) as old_zip, zipfile.ZipFile(target, "w") as new_zip:
        for info in old_zip.infolist():
            data = old_zip.read(info.filename)
            if info.filename == part:
                assert old in data
                data = data.replace(old, new, 1)
            new_zip.writestr(info, data)
    return target


COMPARE = """
import dataclasses
from perfreport.core.project import load_project
from perfreport.inputs.catalogue import load_catalogue
from perfreport.inputs.returns import read_return
original, variant = Path(sys.argv[2]), Path(sys.argv[3])
catalogue, _ = load_catalogue(load_project(original.parents[2]))

def read(path, lean=True):
    found, findings = read_return(path, catalogue, lean=lean)
    return dataclasses.replace(found, path=None, modified=None), findings

plain = read(original)
plain_imports = "openpyxl" in sys.modules
needs = read(variant)
print(plain_imports, "openpyxl" in sys.modules, needs == plain, needs == read(variant, False))
"""


@pytest.mark.parametrize(
    ("part", "old", "new"),
    [
        (  # a print area: the workbook part is read by openpyxl's classes
            "xl/workbook.xml",
            b"<definedNames/>",
            b'<definedNames><definedName name="_xlnm.Print_Area" localSheetId="0">'
            b"'Return'!$A$1:$L$14</definedName></definedNames>",
        ),
        (  # a formatted inline text: the cell is read by openpyxl's parse_cell
            "xl/worksheets/sheet1.xml",
            b"<is><t>Service</t></is>",
            b"<is><r><rPr><b/></rPr><t>Serv</t></r><r><t>ice</t></r></is>",
        ),
    ],
)
def test_a_workbook_that_needs_openpyxl_s_reader_gets_it_and_reads_the_same(
    tmp_path: Path, part: str, old: bytes, new: bytes
) -> None:
    marks = tmp_path / "marks"
    marks.mkdir()
    variant = _variant(tmp_path, part, old, new)
    original = SOMERSET / "returns" / "Q2-2024" / PLANNING
    plain_imports, needs_imports, same, same_as_openpyxl = _run(
        COMPARE, marks, original, variant
    ).split()
    assert plain_imports == "False"  # the example's return alone: no openpyxl
    assert needs_imports == "True"  # the variant: openpyxl imported to read it
    assert same == "True" and same_as_openpyxl == "True"
