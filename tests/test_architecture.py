"""The import rules of the developers' guide, read from the source with ast."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "perfreport"

# Excel libraries belong to the modules that read workbooks, and to the few that write them
# (blank returns for services, the new project's catalogue, the xlsx export). Add a module here
# deliberately, never to quieten this test.
EXCEL_READERS = {"workbook", "returns", "catalogue", "sheets", "sniff"}
EXCEL_WRITERS = {"xlsxwrite", "returnforms", "scaffold", "export"}
EXCEL_LIBRARIES = {"openpyxl", "python_calamine"}
# Word libraries are for rendering only: no module of the stages before it may use them.
WORD_LIBRARIES = {"docx", "docxtpl"}
BEFORE_RENDERING = {"periods", "findings", "model", "project", "codes", "catalogue",
                    "catalogue_fields", "sheets", "workbook", "returns", "validate", "cli", "sniff"}


def imports(module: Path) -> set[str]:
    """Every top-level package the module imports, at any depth of the code."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def roots(names: set[str]) -> set[str]:
    return {name.split(".")[0] for name in names}


MODULES = {path.stem: path for path in sorted(PACKAGE.glob("*.py"))}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_only_the_cli_imports_typer(name: str) -> None:
    if name != "cli":
        assert "typer" not in roots(imports(MODULES[name]))


@pytest.mark.parametrize("name", sorted(MODULES))
def test_only_the_modules_that_read_or_write_workbooks_import_excel_libraries(name: str) -> None:
    if name not in EXCEL_READERS | EXCEL_WRITERS:
        assert not roots(imports(MODULES[name])) & EXCEL_LIBRARIES


@pytest.mark.parametrize("name", sorted(set(MODULES) & BEFORE_RENDERING))
def test_no_stage_before_rendering_imports_word_libraries(name: str) -> None:
    assert not roots(imports(MODULES[name])) & WORD_LIBRARIES


@pytest.mark.parametrize("name", sorted(MODULES))
def test_the_library_never_imports_the_cli(name: str) -> None:
    if name not in {"cli", "__main__"}:
        assert "perfreport.cli" not in imports(MODULES[name])


def test_the_rule_reads_lazy_imports_too(tmp_path: Path) -> None:
    module = tmp_path / "lazy.py"
    module.write_text("def f():\n    from openpyxl.styles import Font\n    import docx\n")
    assert roots(imports(module)) == {"openpyxl", "docx"}


def test_importing_the_cli_loads_no_heavy_library() -> None:
    """`perfreport --help` must stay fast: Excel and Word libraries load inside the commands."""
    code = ("import sys, perfreport.cli\n"
            "heavy = sorted(m for m in ('openpyxl', 'docx', 'docxtpl', 'python_calamine')"
            " if m in sys.modules)\n"
            "print(','.join(heavy))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True, timeout=60)
    assert result.stdout.strip() == ""
