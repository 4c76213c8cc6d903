"""perfreport.cli's ``app`` is the typer app, whatever was imported before it is asked for."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLE = Path(__file__).parent.parent / "examples" / "somerset"

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


@pytest.mark.parametrize("command", ["build", "validate"])
def test_the_command_line_s_imports_pause_the_collector_and_its_command_runs_with_it_on(
    command: str,
) -> None:
    # Paused only while main() imports (the collector walked the modules' objects for nothing):
    # left off for the command, a 100x build's reference cycles would never be freed.
    code = (
        "import gc, sys\n"
        "import perfreport.build, perfreport.inputs.dataset\n"
        "def seen(*args, **kwargs):\n"
        "    print(gc.isenabled(), 'typer' in sys.modules)\n"
        "    raise SystemExit(0)\n"
        "perfreport.build.build_paper = seen\n"
        "perfreport.inputs.dataset.read_period = seen\n"
        f"sys.argv = ['perfreport', {command!r}, 'Q2-2024', '--project', {str(EXAMPLE)!r}]\n"
        "from perfreport.cli import main\n"
        "main()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True"]
