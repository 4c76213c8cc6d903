"""What a scheduled (unattended) run must not do: publish an empty paper, fail the Word document
over a broken LibreOffice, litter the temporary folder, or leave its lock behind when stopped."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

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


# -- 2. an installed LibreOffice that fails or hangs ----------------------------------------------

HANGING = "time.sleep(1000)\n"
NO_PDF = "sys.exit(0)\n"  # as /bin/true: says it worked, makes nothing


def test_a_hanging_libreoffice_is_a_warning_and_the_rest_is_published(
    somerset, tmp_path, monkeypatch
) -> None:
    from buildfactory import DATA, DOCX, HTML, PDF
    from pdf_helpers import make_fake_program

    from perfreport.build import PdfOutcome
    from perfreport.paper.pdf import ENV_VAR

    folder = somerset.build_dir(Q2)
    folder.mkdir(parents=True)
    (folder / PDF).write_bytes(b"%PDF-1.7 an earlier paper, of other figures")
    monkeypatch.setenv(ENV_VAR, str(make_fake_program(tmp_path / "fake", "soffice", HANGING)))
    result = build_paper(somerset, Q2, pdf_timeout=1)
    assert result.published and result.pdf is PdfOutcome.FAILED
    assert result.to_dict()["pdf"] == "failed"
    assert sorted(result.outputs) == sorted([DOCX, HTML, *DATA])
    (warning,) = [f for f in result.findings if f.code == "pdf-failed"]
    assert warning.severity.value == "warning"
    assert warning.message.startswith(
        "The PDF was not made, so the paper was published without it: LibreOffice did not "
        "finish making the PDF within 1 seconds and was stopped."
    )
    assert "is fine" not in warning.message
    # The earlier PDF was not made from this .docx: it goes, as with --no-pdf.
    assert not (folder / PDF).exists() and result.removed == (folder / PDF,)


def test_a_libreoffice_that_makes_no_pdf_is_a_warning_but_required_stops(
    somerset, tmp_path
) -> None:
    from pdf_helpers import make_fake_program

    from perfreport.paper.pdf import ENV_VAR

    fake = str(make_fake_program(tmp_path / "fake", "soffice", NO_PDF))
    result = invoke("build", "Q2-2024", "-p", str(somerset.root), **{ENV_VAR: fake})
    assert result.exit_code == 0, result.output
    assert "pdf-failed The PDF was not made, so the paper was published without it: " in flat(
        result.output
    )
    assert "No PDF: LibreOffice did not make it" in flat(result.output)
    required = invoke("build", "Q2-2024", "-p", str(somerset.root), "--pdf", **{ENV_VAR: fake})
    assert required.exit_code == 1
    assert "Build failed: LibreOffice did not produce a PDF" in flat(required.output)
    assert "Nothing was written" in flat(required.output)


# -- 4. SIGTERM -----------------------------------------------------------------------------------

SIGNALLED = """\
open(os.environ["GATE_STARTED"], "w").close()
time.sleep(1000)
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM is a POSIX signal")
def test_sigterm_releases_the_lock_removes_the_temporary_folders_and_says_so(
    somerset, tmp_path
) -> None:
    import os
    import signal
    import subprocess
    import time

    from pdf_helpers import make_fake_program

    from perfreport.paper.pdf import ENV_VAR

    temp, started = tmp_path / "temp", tmp_path / "converting"
    temp.mkdir()
    env = {
        **os.environ,
        **ENV,
        "TMPDIR": str(temp),
        "GATE_STARTED": str(started),
        ENV_VAR: str(make_fake_program(tmp_path / "fake", "soffice", SIGNALLED)),
    }
    run = subprocess.Popen(
        [sys.executable, "-m", "perfreport", "build", "Q2-2024", "-p", str(somerset.root)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )
    deadline = time.monotonic() + 120
    while not started.exists():  # converting: inside its lock, with its temporary folders
        assert run.poll() is None, run.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    note = somerset.root / "build" / ".Q2-2024.lock.json"
    assert note.exists() and list(temp.glob("perfreport-*"))
    run.send_signal(signal.SIGTERM)
    out, err = run.communicate(timeout=60)
    assert run.returncode == 143, err
    assert err.strip().splitlines()[-1].startswith("Stopped: perfreport was told to stop (SIGTERM)")
    assert "Traceback" not in err
    assert not note.exists()
    assert list(temp.iterdir()) == []
    assert not somerset.build_dir(Q2).exists()


# -- 5. one lock per project and period, wherever the paper goes ----------------------------------


def test_a_build_elsewhere_waits_for_the_projects_build_of_the_same_period(
    somerset, tmp_path
) -> None:
    from perfreport.publish.locking import period_lock

    elsewhere = tmp_path / "elsewhere" / "Q2-2024"
    with period_lock(somerset.root, "Q2-2024"):  # as a default build of Q2-2024 holds it
        busy = invoke(
            "build", "Q2-2024", "-p", str(somerset.root), "--no-pdf", "--out", str(elsewhere)
        )
    assert busy.exit_code == 3, busy.output
    assert flat(busy.output).startswith("Busy: Another perfreport run is already building Q2-2024")
    assert not elsewhere.exists() and not (tmp_path / "elsewhere" / ".Q2-2024.lock").exists()


# -- 3. matplotlib with a home folder that cannot be written ----------------------------------------


@pytest.mark.skipif(sys.platform == "win32", reason="the drawing process is forked on Linux")
@pytest.mark.parametrize("library", [False, True])
def test_matplotlib_keeps_its_folder_in_the_projects_cache(somerset, tmp_path, library) -> None:
    """A service account's home cannot be written: matplotlib warned on stderr and left a
    /tmp/matplotlib-* folder (rebuilding its font cache) on every run."""
    import os
    import subprocess

    home = tmp_path / "home"
    home.write_text("a file, where a folder would be: nothing can be made under it", "utf-8")
    temp = tmp_path / "temp"
    temp.mkdir()
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"MPLCONFIGDIR", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"}
    }
    env.update(ENV, HOME=str(home), TMPDIR=str(temp))
    if library:  # a program of its own calling build_paper: the drawing process is the build's
        code = (
            "import sys; from perfreport.core.project import load_project; "
            "from perfreport.build import build_paper, PdfMode; from perfreport.core.periods "
            "import Period; build_paper(load_project(sys.argv[1]), Period(2024, 2), "
            "pdf=PdfMode.OFF); import os; assert 'MPLCONFIGDIR' not in os.environ"
        )
        args = [sys.executable, "-c", code, str(somerset.root)]
    else:
        args = [sys.executable, "-m", "perfreport", "build", "Q2-2024", "--no-pdf"]
        args += ["-p", str(somerset.root)]
    run = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "matplotlib" not in run.stderr.lower()
    assert list(temp.iterdir()) == []
    assert (somerset.root / "build" / ".cache" / "matplotlib").is_dir()


@pytest.mark.skipif(sys.platform == "win32", reason="matplotlib's Linux folders")
def test_a_writable_home_keeps_matplotlibs_font_cache_from_one_cold_build_to_the_next(
    tmp_path, monkeypatch
) -> None:
    """The project's folder only when the home folder cannot be used: in build/, a cold build
    (no build/ folder) made matplotlib's font cache again every time."""
    from perfreport.paper.chart_worker import _home_usable

    for key in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert _home_usable()
    assert (tmp_path / "home" / ".cache" / "matplotlib").is_dir()
    unusable = tmp_path / "a file"
    unusable.write_text("not a folder", "utf-8")
    monkeypatch.setenv("HOME", str(unusable))
    assert not _home_usable()
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(unusable))  # the cache's own folder refused
    assert not _home_usable()


# -- 6. small ones --------------------------------------------------------------------------------


def test_after_waiting_the_busy_message_does_not_say_to_wait(somerset) -> None:
    from perfreport.publish.locking import period_lock

    with period_lock(somerset.root, "Q2-2024"):
        waited = invoke("build", "Q2-2024", "-p", str(somerset.root), "--no-pdf", "--wait", "0.2")
    assert waited.exit_code == 3
    message = flat(waited.stderr)
    assert message.endswith("after waiting 0.2 seconds. Let it finish, then run again.")
    assert "--wait" not in message


@pytest.mark.parametrize("given", ["setting", "option"])
def test_a_template_that_is_not_a_docx_is_a_configuration_error(somerset, given) -> None:
    bad = somerset.root / "house-style.docx"
    bad.write_text("not a Word document", encoding="utf-8")
    args = ["build", "Q2-2024", "-p", str(somerset.root), "--no-pdf"]
    if given == "setting":
        config = somerset.root / "perfreport.toml"
        config.write_text(
            config.read_text(encoding="utf-8") + '\n[paths]\ntemplate = "house-style.docx"\n',
            encoding="utf-8",
        )
    else:
        args += ["--template", str(bad)]
    result = invoke(*args)
    assert result.exit_code == 2, result.output
    message = flat(result.output)
    assert "is not a Word document (.docx) that can be read: File is not a zip file." in message
    assert "Package not found" not in message
    assert ("key 'paths.template'" in message) == (given == "setting")
    assert not somerset.build_dir(Q2).exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_a_result_that_cannot_be_printed_is_one_line_not_a_traceback(somerset) -> None:
    import os
    import subprocess

    with open("/dev/full", "w") as full:
        run = subprocess.run(
            [sys.executable, "-m", "perfreport", "build", "Q2-2024", "-p", str(somerset.root)]
            + ["--no-pdf"],
            env={**os.environ, **ENV},
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=300,
        )
    assert run.returncode == 1, run.stderr
    assert "Traceback" not in run.stderr and "Exception ignored" not in run.stderr
    assert flat(run.stderr) == (
        "Error: the build's result could not be printed (No space left on device); the paper "
        f"was published in {somerset.build_dir(Q2)} (findings.json there lists the findings)."
    )
    assert (somerset.build_dir(Q2) / "findings.json").is_file()
