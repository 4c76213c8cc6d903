"""The command line's console shows names as they are: emoji codes stay text, and rich's emoji
table is never imported."""

from __future__ import annotations

import subprocess
import sys

import pytest

from perfreport.cli.show import make_console, shown


@pytest.mark.parametrize("name", ["Q2 :fire: return.xlsx", ":warning:", "a:smile:b [red]x[/]"])
def test_a_name_holding_an_emoji_code_is_shown_as_it_is(
    name: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    make_console().print(f"Written: {shown(name)}")
    assert capsys.readouterr().out == f"Written: {name}\n"


def test_printing_does_not_import_rich_s_emoji_table() -> None:
    code = (
        "import sys\n"
        "from perfreport.cli.show import make_console, shown\n"
        "make_console().print(f'[bold]Built[/] {shown(\"x :fire: y\")}', soft_wrap=True)\n"
        "print('rich._emoji_codes' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split("\n") == ["Built x :fire: y", "False", ""]


def test_redirected_output_is_never_wrapped_whatever_columns_says(tmp_path) -> None:
    """A shell exports COLUMNS=40 (its terminal's width) to a command whose output goes to a log
    file: the findings table kept only 'C…  Seve…' and lost its Message column."""
    import openpyxl
    from buildfactory import copy_example
    from typer.testing import CliRunner

    from perfreport.cli import app

    project = copy_example("somerset", tmp_path / "somerset")
    housing = project.root / "returns/Q2-2024/Housing return Q2 2024-25.xlsx"
    workbook = openpyxl.load_workbook(housing)
    workbook["Return"]["E9"] = "about 300"
    workbook.save(housing)
    result = CliRunner().invoke(
        app,
        ["validate", str(housing), "--project", str(project.root)],
        env={"NO_COLOR": "1", "COLUMNS": "40"},
    )
    assert result.exit_code == 1
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert "Cell Severity Code Ref Message" in lines
    assert (
        "E9 error not-a-number HOU-01 Cell E9: 'about 300' is not a number. Enter a number, or "
        "set Data status to Not available."
    ) in lines
