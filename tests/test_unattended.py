"""What a scheduled (unattended) run must not do: publish an empty paper, fail the Word document
over a broken LibreOffice, litter the temporary folder, or leave its lock behind when stopped."""

from __future__ import annotations

import shutil

import pytest
from buildfactory import Q2, copy_example
from typer.testing import CliRunner

from perfreport.build import PdfMode, build_paper
from perfreport.cli import app

runner = CliRunner()
ENV = {"NO_COLOR": "1", "COLUMNS": "300"}


def invoke(*args: str, **env: str):
    return runner.invoke(app, list(args), env={**ENV, **env})


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def somerset(tmp_path):
    return copy_example("somerset", tmp_path / "somerset")


# -- 1. the quarter reported has no returns -------------------------------------------------------


@pytest.mark.parametrize("command", ["build", "validate"])
def test_a_quarter_without_a_returns_folder_blocks(somerset, command) -> None:
    extra = ["--no-pdf"] if command == "build" else []
    result = invoke(command, "Q2-2030", "-p", str(somerset.root), *extra)
    assert result.exit_code == 1, result.output
    if command == "build":
        assert "nothing was written" in flat(result.output)
        assert not (somerset.root / "build" / "Q2-2030").exists()


def test_a_quarter_whose_folder_holds_no_return_blocks(somerset) -> None:
    folder = somerset.returns_dir(Q2.shift(24))
    folder.mkdir(parents=True)
    (folder / "notes.txt").write_text("to do", encoding="utf-8")
    result = build_paper(somerset, Q2.shift(24), pdf=PdfMode.OFF)
    assert not result.published
    codes = {f.code: f for f in result.findings}
    assert codes["no-returns"].severity.value == "error"
    assert codes["no-returns"].message.startswith(
        "The folder returns/Q2-2030 holds no return (an Excel workbook, .xlsx)"
    )


def test_an_earlier_quarter_without_returns_does_not_block(somerset) -> None:
    # Q1-2024 read for the history: its folder empty; Q4-2023's gone.
    for path in somerset.returns_dir(Q2.previous).iterdir():
        path.unlink()
    shutil.rmtree(somerset.returns_dir(Q2.shift(-2)))
    result = build_paper(somerset, Q2, pdf=PdfMode.OFF)
    assert result.published, result.reason
    assert not {"no-returns", "no-returns-folder"} & {f.code for f in result.findings}

