"""The import rules of the developers' guide, read from the source with ast."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "perfreport"

# The stages in data-flow order. A module may import from its own stage and from the stages
# before it, never from a later one; build.py (the pipeline) and the CLI sit on top.
STAGES = (
    "core",
    "xlsx",
    "inputs",
    "rating",
    "summary",
    "paper",
    "publish",
    "forms",
    "build",
    "cli",
)
# The package's own top-level modules that are not stages: the face and `python -m`.
TOP = {"__init__": -1, "__main__": len(STAGES)}

# Excel libraries belong to the stage that reads workbooks (xlsx, and the input modules that
# read through it), and to the few modules that write them. Add a module here deliberately,
# never to quieten this test.
EXCEL_LIBRARIES = {"openpyxl", "python_calamine"}
EXCEL_MODULES = {
    "xlsx.workbook",
    "xlsx.lean",
    "xlsx.package_plain",  # openpyxl's classes, for the package parts it leaves to them
    "xlsx.cells_plain",  # openpyxl's parse_cell, for the cells it leaves to it
    "xlsx.sheet_tree",  # openpyxl's streaming parse of a sheet, for the files lean leaves to it
    "xlsx.library",
    "xlsx.parts",
    "xlsx.sniff",
    "xlsx.sheets",
    "xlsx.writing",
    "inputs.returns",
    "inputs.catalogue",
    "forms.return_forms",
    "forms.scaffold",
    "publish.export",
}
# Word libraries are for rendering only: no stage before the paper may use them.
WORD_LIBRARIES = {"docx", "docxtpl"}


def imports(module: Path) -> set[str]:
    """Every module the file imports, at any depth of the code (functions included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            # `from perfreport.paper import context` imports perfreport.paper.context
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            names.add("." * node.level + (node.module or ""))
    return names


def roots(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


def module_name(path: Path) -> str:
    """``inputs.dataset`` for perfreport/inputs/dataset.py; ``cli`` for perfreport/cli/__init__.py."""
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" and len(parts) > 1 else parts)


def stage_of(name: str) -> int:
    """The position in the data flow of a module, named within the package (``inputs.dataset``)."""
    first = name.split(".")[0]
    if first in TOP:
        return TOP[first]
    return STAGES.index(first)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py")) if "__pycache__" not in p.parts}
IN_STAGES = sorted(name for name in MODULES if name.split(".")[0] in STAGES)


def internal(names: set[str]) -> set[str]:
    """The package's own modules among ``names``, without the ``perfreport.`` prefix."""
    found = set()
    for name in names:
        if name.startswith("perfreport."):
            rest = name.removeprefix("perfreport.")
            if rest.split(".")[0] in STAGES or rest.split(".")[0] in TOP:
                found.add(rest)
    return found


def backward(name: str) -> list[str]:
    """The imports of module ``name`` that run against the stage order."""
    mine = stage_of(name)
    return sorted(other for other in internal(imports(MODULES[name])) if stage_of(other) > mine)


def test_every_module_of_the_package_sits_in_a_stage_folder() -> None:
    loose = sorted(n for n in MODULES if n.split(".")[0] not in (*STAGES, *TOP))
    assert loose == []


def test_the_stage_folders_exist_in_data_flow_order() -> None:
    folders = {p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()}
    assert {
        "core",
        "xlsx",
        "inputs",
        "rating",
        "summary",
        "paper",
        "publish",
        "forms",
        "cli",
    } <= folders
    assert (PACKAGE / "build.py").is_file()


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_imports_against_the_stage_order(name: str) -> None:
    assert backward(name) == []


@pytest.mark.parametrize("name", sorted(MODULES))
def test_the_package_imports_itself_by_absolute_name(name: str) -> None:
    """Relative imports would hide a stage from the rule above."""
    assert not [n for n in imports(MODULES[name]) if n.startswith(".")]


def test_the_stage_rule_reads_imports_inside_functions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    module = tmp_path / "probe.py"  # taken as a module of rating/
    monkeypatch.setitem(MODULES, "rating.probe", module)
    module.write_text("def f():\n    from perfreport.inputs.dataset import read_period\n")
    assert backward("rating.probe") == []
    module.write_text("def f():\n    from perfreport.summary import summary\n")
    assert backward("rating.probe") == ["summary", "summary.summary"]


@pytest.mark.parametrize("name", sorted(MODULES))
def test_only_the_cli_imports_typer(name: str) -> None:
    if not name.startswith("cli"):
        assert "typer" not in roots(imports(MODULES[name]))


@pytest.mark.parametrize("name", sorted(MODULES))
def test_only_the_modules_that_read_or_write_workbooks_import_excel_libraries(name: str) -> None:
    if name not in EXCEL_MODULES:
        assert not roots(imports(MODULES[name])) & EXCEL_LIBRARIES


@pytest.mark.parametrize("name", sorted(MODULES))
def test_only_the_chart_modules_import_matplotlib(name: str) -> None:
    if name not in {"paper.charts", "paper.sparklines", "paper.mplimport"}:
        assert "matplotlib" not in roots(imports(MODULES[name]))


@pytest.mark.parametrize("name", [n for n in IN_STAGES if stage_of(n) < STAGES.index("paper")])
def test_no_stage_before_the_paper_imports_word_libraries(name: str) -> None:
    assert not roots(imports(MODULES[name])) & WORD_LIBRARIES


@pytest.mark.parametrize("name", [n for n in IN_STAGES if stage_of(n) > STAGES.index("inputs")])
def test_nothing_after_the_inputs_reads_a_workbook(name: str) -> None:
    """Reading happens once, in inputs: later stages get what was read, never a file to open."""
    readers = {
        "perfreport.xlsx.workbook",
        "perfreport.xlsx.lean",
        "perfreport.xlsx.library",
        "perfreport.xlsx.parts",
        "perfreport.xlsx.sheets",
        "perfreport.xlsx.sniff",
        "perfreport.xlsx.isolation",
        "perfreport.xlsx.package",
        "perfreport.inputs.returns",
        "perfreport.inputs.catalogue",
        "perfreport.inputs.dataset",
    }
    allowed = {"build", "cli"}  # the pipeline, and the commands that call the reading directly
    if name.split(".")[0] not in allowed:
        assert not imports(MODULES[name]) & readers
        assert "openpyxl" not in roots(imports(MODULES[name])) or name in EXCEL_MODULES


def test_the_rule_reads_lazy_imports_too(tmp_path: Path) -> None:
    module = tmp_path / "lazy.py"
    module.write_text("def f():\n    from openpyxl.styles import Font\n    import docx\n")
    assert roots(imports(module)) == {"openpyxl", "docx"}


def test_importing_the_cli_loads_no_heavy_library() -> None:
    """`perfreport --help` must stay fast: Excel and Word libraries load inside the commands."""
    code = (
        "import sys, perfreport.cli\n"
        "heavy = sorted(m for m in ('openpyxl', 'docx', 'docxtpl', 'python_calamine', 'matplotlib')"
        " if m in sys.modules)\n"
        "print(','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == ""


def test_every_test_is_named_by_the_one_convention() -> None:
    """test_<what it does>: a function named otherwise would silently never run."""
    tests = Path(__file__).resolve().parent
    stray = []
    for module in sorted(tests.glob("test_*.py")):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith(
                "it_"
            ):
                stray.append(f"{module.name}:{node.name}")
    assert stray == []


def test_the_layout_doc_names_every_stage_and_module() -> None:
    """docs/architecture.md is where a new engineer learns the house: it must stay complete."""
    doc = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = {
        line.split("|")[1].strip().strip("`"): line
        for line in doc.splitlines()
        if line.startswith("| `")
    }
    missing = []
    for stage in STAGES:
        row = rows.get(f"{stage}/") or rows.get(f"{stage}.py")
        if row is None:
            missing.append(f"{stage}/")
            continue
        for name in MODULES:
            module = name.split(".")[-1]
            if name.startswith(f"{stage}.") and f"`{module}`" not in row:
                missing.append(name)
    assert missing == []


def test_no_modules_import_each_other_in_a_circle() -> None:
    """Within a stage too, dependencies run one way (type-checking imports included)."""
    graph = {
        name: {other for other in internal(imports(path)) if other in MODULES and other != name}
        for name, path in MODULES.items()
    }
    circles, state = [], {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for other in sorted(graph[name]):
            if state.get(other) == "open":
                circles.append(" -> ".join([*trail[trail.index(other) :], other]))
            elif other not in state:
                visit(other, [*trail, other])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert circles == []


def test_every_stage_folder_is_installed_with_the_package() -> None:
    """An editable install hides a folder missing from pyproject.toml; a real install does not."""
    import tomllib

    config = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    folders = {
        "perfreport." + ".".join(p.parent.relative_to(PACKAGE).parts)
        for p in PACKAGE.rglob("__init__.py")
        if p.parent != PACKAGE
    }
    assert folders | {"perfreport", "perfreport.templates"} == listed
