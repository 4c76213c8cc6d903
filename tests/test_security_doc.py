"""docs/security.md keeps up with the code: every [limits] setting with its default, every exit code
of every command."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import typer

from perfreport.cli import app
from perfreport.cli.shared import EXIT_FINDINGS, EXIT_LOCKED, EXIT_OK, EXIT_USAGE
from perfreport.core.project import LimitSettings

DOC = Path(__file__).resolve().parents[1] / "docs" / "security.md"


def _shown(value: object) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def test_documents_every_limit_with_its_default():
    text = DOC.read_text(encoding="utf-8")
    defaults = LimitSettings()
    missing = [
        f.name
        for f in dataclasses.fields(LimitSettings)
        if f"| `{f.name}` | `{_shown(getattr(defaults, f.name))}`" not in text
    ]
    assert missing == []


def test_explains_every_exit_code():
    text = DOC.read_text(encoding="utf-8")
    for code in (EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_LOCKED):
        assert f"\n| {code} | " in text, code


def test_gives_the_exit_codes_of_every_command():
    text = DOC.read_text(encoding="utf-8")
    group = typer.main.get_command(app)
    names = []
    for name, command in sorted(group.commands.items()):
        subcommands = getattr(command, "commands", None)
        names += [f"{name} {sub}" for sub in sorted(subcommands)] if subcommands else [name]
    assert [name for name in names if f"\n| `{name}` | " not in text] == []
