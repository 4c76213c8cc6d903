"""Flags take no value: none shown in --help, and `--strict true` refused saying why."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from perfreport.cli import app

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()
COMMANDS = (
    [],
    ["validate"],
    ["init"],
    ["returns"],
    ["status"],
    ["summary"],
    ["export"],
    ["build"],
    ["template"],
    ["template", "export"],
    ["template", "check"],
)


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "200"})


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c) or "perfreport")
def test_help_shows_no_bool_metavar_on_a_flag(command) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "<bool>" not in result.output
    assert "--help " in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["validate", "--strict", "true", "Q2-2024"],
            "--strict is a flag and takes no value, so 'true' after it is not understood. "
            "Write --strict on its own to switch it on, or leave it out.",
        ),
        (
            ["build", "Q2-2024", "--pdf", "false"],
            "--pdf is a flag and takes no value, so 'false' after it is not understood. "
            "Write --pdf or --no-pdf on its own.",
        ),
        (
            ["status", "--fail-on-missing", "yes", "Q2-2024"],
            "--fail-on-missing is a flag and takes no value, so 'yes' after it",
        ),
    ],
)
def test_a_value_after_a_flag_is_refused_saying_so(args, message) -> None:
    result = invoke(*args)
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert "period" not in result.output.split("Error")[-1]  # not a message about two periods


def test_build_quiet_prints_one_line(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples" / "somerset", tmp_path / "s")
    result = invoke("build", "Q2-2024", "-p", str(tmp_path / "s"), "--no-pdf", "--quiet")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "s" / "build" / "Q2-2024"
    assert result.output == f"Built Q2 2024/25 in {folder}: 3 warnings (see findings.json).\n"
