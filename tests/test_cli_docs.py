"""Every command has help text, is in the README's table, and docs/cli.md matches --help."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _gen():
    spec = importlib.util.spec_from_file_location("gen_cli", ROOT / "docs" / "gen_cli.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GEN = _gen()
COMMANDS = GEN.command_paths()


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_gives_every_command_a_help_text(path):
    import typer.main

    from perfreport.cli import app

    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]
    assert (command.help or "").strip(), f"perfreport {' '.join(path)} has no help text"


@pytest.mark.parametrize("path", COMMANDS, ids=[" ".join(p) for p in COMMANDS])
def test_documents_every_command_in_the_readme(path):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"perfreport {' '.join(path)}" in readme or (
        len(path) == 2 and f"{path[0]} {path[1]}" in readme
    )


def test_keeps_docs_cli_md_in_step_with_the_help_text():
    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == GEN.render(), "docs/cli.md is out of date: run python docs/gen_cli.py"
