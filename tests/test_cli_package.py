"""perfreport.cli's ``app`` is the typer app, whatever was imported before it is asked for."""

from __future__ import annotations

import subprocess
import sys

import pytest

FIRST = [
    "import perfreport.cli.app",  # the module that defines it, imported first
    "from perfreport.cli.app import main",
    "from perfreport.cli import main; import perfreport.cli.app",  # as main() itself does
]


@pytest.mark.parametrize("first", FIRST)
def test_the_package_s_app_is_the_typer_app_after_its_module_was_imported(first: str) -> None:
    code = (
        f"{first}\n"
        "import typer\n"
        "from perfreport.cli import app\n"
        "import perfreport.cli\n"
        "print(isinstance(app, typer.Typer), isinstance(perfreport.cli.app, typer.Typer))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]
