"""What a build publishes over an earlier one: a PDF kept only when it matches (issue 14, item 4),
nothing replaced when a file cannot be (issue 17, item 6), and a killed publish completed by the
next build (issue 17, item 5)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from buildfactory import (
    DATA,
    DOCX,
    HTML,
    PDF,
    Q2,
    copy_example,
    edit_report,
    files_in,
    reuse_summary,
)
from typer.testing import CliRunner

from perfreport.build import BuildFailed, PdfMode, build_paper, summarise_period
from perfreport.cli import app
from perfreport.core.project import load_project
from perfreport.publish.journal import KILL_AT_ENV, KILLED_EXIT, journal_path
from perfreport.publish.outputs import sha256


@pytest.fixture(scope="module")
def summary(tmp_path_factory):
    return summarise_period(copy_example("somerset", tmp_path_factory.mktemp("s") / "somerset"), Q2)


@pytest.fixture
def project(tmp_path):
    return copy_example("somerset", tmp_path / "somerset")


def fake_pdf(monkeypatch) -> None:
    """LibreOffice stood in for: the PDF names the .docx it was made from."""

    def convert(sources, out_dir, **_):
        out_dir.mkdir(parents=True, exist_ok=True)
        made = []
        for source in sources:
            pdf = out_dir / f"{source.stem}.pdf"
            pdf.write_bytes(b"%PDF-1.7 made from " + sha256(source).encode())
            made.append(pdf)
        return made

    monkeypatch.setattr("perfreport.paper.pdf.convert_to_pdf", convert)


def built_with_pdf(project, summary, monkeypatch) -> Path:
    reuse_summary(monkeypatch, summary)
    fake_pdf(monkeypatch)
    result = build_paper(project, Q2, pdf=PdfMode.REQUIRED)
    assert sorted(result.outputs) == sorted([DOCX, HTML, PDF, *DATA])
    return result.out_dir


# -- issue 14, item 4: --no-pdf keeps a PDF that matches ------------------------------------------


def test_no_pdf_keeps_the_pdf_made_from_the_same_word_document(project, summary, monkeypatch):
    folder = built_with_pdf(project, summary, monkeypatch)
    pdf_before = (folder / PDF).read_bytes()
    result = build_paper(project, Q2, pdf=PdfMode.OFF)
    assert (folder / PDF).read_bytes() == pdf_before
    assert pdf_before == b"%PDF-1.7 made from " + sha256(folder / DOCX).encode()
    assert result.kept == (folder / PDF,)
    assert result.removed == () and result.removed_because == ""
    # And again: the record carries the kept PDF forward.
    assert build_paper(project, Q2, pdf=PdfMode.OFF).kept == (folder / PDF,)


def test_the_cli_says_the_matching_pdf_was_kept(project, summary, monkeypatch):
    built_with_pdf(project, summary, monkeypatch)
    result = CliRunner().invoke(
        app,
        ["build", "Q2-2024", "--project", str(project.root), "--no-pdf"],
        env={"NO_COLOR": "1", "COLUMNS": "300"},
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert (
        f"Kept {project.root / 'build' / 'Q2-2024' / PDF}: it was made from this same Word" in text
    )
    assert "Removed" not in text and "no longer matches" not in text


@pytest.mark.parametrize(
    ("change", "because"),
    [
        ("report", "was made from an earlier Word document with other content"),
        ("pdf", "has been changed since the build that made it"),
        ("record", "has no record of the Word document it was made from, so it may not match"),
    ],
)
def test_no_pdf_removes_a_pdf_that_does_not_match_and_says_why(
    project, summary, monkeypatch, change, because
):
    folder = built_with_pdf(project, summary, monkeypatch)
    if change == "report":  # new words in the paper: the PDF shows the old ones
        edit_report(project, replace={"committee": '"Cabinet"'})
    elif change == "pdf":
        (folder / PDF).write_bytes(b"%PDF-1.7 edited by hand")
    else:  # a PDF from a version of perfreport that kept no record
        (folder.parent / ".Q2-2024.published.json").unlink()
    result = build_paper(project, Q2, pdf=PdfMode.OFF)
    assert not (folder / PDF).exists()
    assert result.removed == (folder / PDF,)
    assert result.removed_because == because
    assert result.kept == ()


# -- issue 17, item 6: a file that cannot be replaced replaces nothing ----------------------------


@pytest.mark.parametrize("blocked", ["findings.json", "dataset.csv", DOCX])
def test_a_folder_in_the_way_of_one_output_means_nothing_is_replaced(
    project, summary, monkeypatch, blocked
):
    reuse_summary(monkeypatch, summary)
    build_paper(project, Q2, pdf=PdfMode.OFF)
    edit_report(project, replace={"committee": '"Cabinet"'})  # the next build differs
    folder = project.root / "build" / "Q2-2024"
    (folder / blocked).unlink()
    (folder / blocked).mkdir()
    (folder / blocked / "inside.txt").write_text("a folder where a file should be")
    before = files_in(project.root / "build")
    with pytest.raises(BuildFailed) as failure:
        build_paper(project, Q2, pdf=PdfMode.OFF)
    message = str(failure.value)
    assert f"'{blocked}' in {folder} is a folder, not a file" in message
    assert "Nothing was replaced: the previous build's files are as they were" in message
    assert files_in(project.root / "build") == before


# -- issue 17, item 5: a build killed while publishing ---------------------------------------------


def test_a_build_killed_after_replacing_the_docx_is_completed_by_the_next_build(
    project, summary, monkeypatch
):
    reuse_summary(monkeypatch, summary)
    build_paper(project, Q2, pdf=PdfMode.OFF)
    old = files_in(project.root / "build" / "Q2-2024")
    edit_report(project, replace={"committee": '"Cabinet"'})
    env = {**os.environ, KILL_AT_ENV: f"placed {DOCX}"}
    run = subprocess.run(
        [sys.executable, "-m", "perfreport", "build", "Q2-2024", "--no-pdf"],
        cwd=project.root,
        env=env,
        capture_output=True,
        check=False,
    )
    assert run.returncode == KILLED_EXIT, run.stderr
    folder = project.root / "build" / "Q2-2024"
    journal = json.loads(journal_path(folder).read_text(encoding="utf-8"))
    staged = files_in(project.root / "build" / journal["staging"])
    assert sorted(staged) == sorted([HTML, *DATA])  # the .docx is in place; the rest are owed
    assert (folder / DOCX).read_bytes() != old[DOCX]
    # The next build completes that publish before anything else, then publishes its own.
    shutil.rmtree(project.root / "build" / ".cache", ignore_errors=True)
    result = build_paper(load_project(project.root), Q2, pdf=PdfMode.OFF)
    assert result.recovered
    now = files_in(folder)
    assert {name: now[name] for name in staged} == staged  # same inputs: the same files
    assert not journal_path(folder).exists()
    assert sorted(p.name for p in folder.parent.iterdir() if ".tmp" in p.name) == []
