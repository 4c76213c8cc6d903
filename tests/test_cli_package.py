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


@pytest.mark.parametrize("entry", ["main", "command"])
@pytest.mark.parametrize("command", ["build", "validate"])
def test_the_command_line_s_imports_pause_the_collector_and_its_command_runs_with_it_on(
    command: str, entry: str
) -> None:
    # Paused only while main() imports (the collector walked the modules' objects for nothing):
    # left off for the command, a 100x build's reference cycles would never be freed. In the
    # console script's own process (command()) they are frozen too: no later collection walks
    # them (gc.get_objects() lists what the collector walks, not what is frozen).
    code = (
        "import gc, sys\n"
        "import perfreport.build, perfreport.inputs.dataset\n"
        "def seen(*args, **kwargs):\n"
        "    import typer\n"
        "    walked = any(o is vars(typer) for o in gc.get_objects())\n"
        "    print(gc.isenabled(), 'typer' in sys.modules, not walked)\n"
        "    raise SystemExit(0)\n"
        "perfreport.build.build_paper = seen\n"
        "perfreport.inputs.dataset.read_period = seen\n"
        f"sys.argv = ['perfreport', {command!r}, 'Q2-2024', '--project', {str(EXAMPLE)!r}]\n"
        f"from perfreport.cli import {entry}\n"
        f"{entry}()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["True", "True", str(entry == "command")]


# A script that calls an entry point, with two exit handlers: one that prints, and (run last)
# one that leaves a reference cycle whose deletion says so: only the interpreter's teardown,
# after the handlers, collects it.
ENDING = (
    "import atexit, gc, os, sys\n"
    "class Cycle:\n"
    "    def __del__(self):\n"
    "        os.write(1, b'torn down\\n')\n"
    "def last():\n"
    "    gc.disable()  # so that only the teardown's collection frees it\n"
    "    cycle = Cycle()\n"
    "    cycle.me = cycle\n"
    "atexit.register(last)\n"
    "atexit.register(print, 'exit handler ran', flush=True)\n"
    "sys.argv = ['perfreport', *sys.argv[1:]]\n"
    "from perfreport.cli import {entry}\n"
    "{entry}()\n"
)


@pytest.mark.parametrize(
    ("argv", "code", "shown"),
    [
        (["--version"], 0, "perfreport "),
        (["nonsense"], 2, "No such command"),  # a usage error: its code and message kept
        (["validate", "Q2-2024", "--project", str(EXAMPLE)], 0, "Q2 2024-25"),
    ],
)
def test_the_console_script_ends_without_the_interpreter_s_teardown(
    argv: list[str], code: int, shown: str
) -> None:
    # main() ends by SystemExit (a caller may go on); the console script's command() ends the
    # process once the exit handlers have run and the streams are flushed.
    ended = {}
    for entry in ("main", "command"):
        done = subprocess.run(
            [sys.executable, "-c", ENDING.format(entry=entry), *argv],
            capture_output=True,
            text=True,
            timeout=120,
            env={**__import__("os").environ, "NO_COLOR": "1"},
        )
        assert done.returncode == code, done.stderr
        assert shown in done.stdout + done.stderr
        ended[entry] = done.stdout.split("\n")
    assert ended["main"][-3:] == ["exit handler ran", "torn down", ""]
    assert ended["command"][-2:] == ["exit handler ran", ""]
    assert ended["command"][:-2] == ended["main"][:-3]  # the same output before


def test_python_m_perfreport_and_the_console_script_are_the_command() -> None:
    import tomllib

    import perfreport.__main__ as entry
    from perfreport import cli

    project = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    assert project["project"]["scripts"]["perfreport"] == "perfreport.cli:command"
    assert entry.command is cli.command
