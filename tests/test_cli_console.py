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
