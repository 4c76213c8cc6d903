"""`perfreport build` through typer's CliRunner and as concurrent processes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from buildfactory import DATA, DOCX, HTML, PDF, Q2, copy_example, outputs_in, reuse_summary
from pdf_helpers import make_fake_program
from typer.testing import CliRunner

from perfreport.build import PdfMode, build_paper, summarise_period
from perfreport.cli import app
from perfreport.paper.pdf import ENV_VAR
from perfreport.publish.locking import period_lock

runner = CliRunner()
ENV = {"NO_COLOR": "1", "COLUMNS": "200"}


def invoke(*args: str, **env: str):
    return runner.invoke(app, list(args), env={**ENV, **env})


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def summary(tmp_path_factory):
    return summarise_period(copy_example("somerset", tmp_path_factory.mktemp("s") / "somerset"), Q2)


@pytest.fixture
def somerset(tmp_path):
    return copy_example("somerset", tmp_path / "somerset")


# -- published ------------------------------------------------------------------------------------


def test_json_output_is_the_library_result(somerset):
    result = invoke(
        "build", "Q2-2024", "--project", str(somerset.root), "--no-pdf", "--format", "json"
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    library = build_paper(somerset, Q2, pdf=PdfMode.OFF)  # the same inputs, built again
    assert printed == library.to_dict()
    assert printed["published"] is True
    assert sorted(printed["outputs"]) == sorted([DOCX, HTML, *DATA])
    assert all(Path(path).is_file() for path in printed["outputs"].values())
    assert (printed["total"], printed["rated"], printed["pdf"]) == (114, 56, "skipped")
    assert printed["findings"] == {"error": 0, "warning": 3, "info": 0}


def test_text_output_gives_the_headline_the_warnings_and_the_files(somerset, summary, monkeypatch):
    reuse_summary(monkeypatch, summary)
    result = invoke("build", "Q2-2024", "--project", str(somerset.root), "--no-pdf")
    assert result.exit_code == 0, result.output
    out = result.stdout
    counts = summary.counts
    assert out.startswith(
        "Corporate Performance Management Report Q2 2024/25\n"
        f"{summary.headline}\n"
        f"Green {counts.green}, Amber {counts.amber}, Red {counts.red}, "
        f"No data {counts.no_data}, Not rated {counts.not_rated}\n"
        "3 warnings (see findings.json):\n"
    )
    # The cell is named once, by the message.
    assert (
        "  commentary-too-long returns/Q2-2024/Adult Social Care return Q2 2024-25.xlsx, "
        "sheet Return: Cell I9: the commentary has 178 words"
    ) in out
    folder = somerset.root / "build" / "Q2-2024"
    assert out.endswith(
        "Written:\n" + "".join(f"  {folder / name}\n" for name in sorted([DOCX, HTML, *DATA]))
    )


def test_the_warnings_wrap_to_the_console_under_a_hanging_indent(somerset, summary, monkeypatch):
    """Each was one line of 250-300 characters, which a terminal folded mid-word at column 80."""
    reuse_summary(monkeypatch, summary)
    result = invoke(
        "build",
        "Q2-2024",
        "--project",
        str(somerset.root),
        "--no-pdf",
        COLUMNS="80",
        TTY_COMPATIBLE="1",  # a terminal: piped output is never wrapped
        TERM="dumb",  # with no escape codes (LINES: else a dumb terminal is 80 wide)
        LINES="25",
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    warned = lines[lines.index("3 warnings (see findings.json):") + 1 : lines.index("Written:")]
    assert max(len(line) for line in warned) <= 80
    starts = [line for line in warned if not line.startswith("    ")]
    assert [line.split()[0] for line in starts] == [
        "commentary-too-long",
        "missing-indicator",
        "target-mismatch",
    ]
    assert all(line.startswith("  ") for line in starts) and len(warned) > 6
    assert (
        "commentary-too-long returns/Q2-2024/Adult Social Care return Q2 2024-25.xlsx, sheet "
        "Return: Cell I9: the commentary has 178 words"
    ) in flat("\n".join(warned))


# -- not published --------------------------------------------------------------------------------


def test_errors_in_the_returns_exit_1_and_write_nothing(tmp_path):
    project = copy_example("broken-returns", tmp_path / "broken")
    result = invoke("build", "Q2-2024", "--project", str(project.root), "--no-pdf")
    assert result.exit_code == 1
    assert "Not built: " in result.stdout
    assert "errors must be fixed before the paper can be built; nothing was written." in flat(
        result.stdout
    )
    # Under each file's name, as validate lists them: two returns' "Cell D9" are told apart.
    headings = [
        line
        for line in result.stdout.splitlines()
        if line.startswith(("returns/", "Across all returns"))
    ]
    assert headings == [
        "returns/Q2-2024/Customer Services return Q2 2024-25.xlsx, sheet Return",
        "returns/Q2-2024/Housing return Q2 2024-25.xlsx, sheet Return",
        "returns/Q2-2024/Performance data export Q2.xlsx",
        "returns/Q2-2024/Waste and Recycling return Q2 2024-25.xlsx, sheet Return",
        "Across all returns",
    ]
    assert result.stdout.index("Across all returns") < result.stdout.index("Not built: ")
    assert outputs_in(project.root / "build") == {}

    as_json = invoke(
        "build", "Q2-2024", "--project", str(project.root), "--no-pdf", "--format", "json"
    )
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout) == build_paper(project, Q2, pdf=PdfMode.OFF).to_dict()
    assert json.loads(as_json.stdout)["published"] is False
    assert outputs_in(project.root / "build") == {}


def test_strict_exits_1_on_the_examples_three_warnings(somerset, summary, monkeypatch):
    reuse_summary(monkeypatch, summary)
    result = invoke("build", "Q2-2024", "--project", str(somerset.root), "--no-pdf", "--strict")
    assert result.exit_code == 1
    assert "Not built: --strict: 3 warnings must be resolved first; nothing was written." in flat(
        result.stdout
    )
    for code in ("commentary-too-long", "missing-indicator", "target-mismatch"):
        assert code in result.stdout
    assert outputs_in(somerset.root / "build") == {}


def test_a_required_pdf_without_libreoffice_exits_1_and_writes_nothing(
    somerset, summary, monkeypatch, tmp_path
):
    reuse_summary(monkeypatch, summary)
    missing = str(tmp_path / "no" / "soffice")
    result = invoke(
        "build", "Q2-2024", "--project", str(somerset.root), "--pdf", **{ENV_VAR: missing}
    )
    assert result.exit_code == 1
    assert flat(result.stderr).startswith(
        f"Build failed: The PDF was not made: {ENV_VAR} is set to '{missing}'"
    )
    assert outputs_in(somerset.root / "build") == {}

    as_json = invoke(
        "build",
        "Q2-2024",
        "--project",
        str(somerset.root),
        "--pdf",
        "--format",
        "json",
        **{ENV_VAR: missing},
    )
    assert as_json.exit_code == 1
    printed = json.loads(as_json.stdout)
    assert printed.keys() == build_paper(somerset, Q2, pdf=PdfMode.OFF).to_dict().keys()
    assert printed["published"] is False and printed["outputs"] == {}
    assert printed["reason"].startswith("The PDF was not made")


def test_without_libreoffice_the_default_build_writes_the_docx_and_warns(
    somerset, summary, monkeypatch, tmp_path
):
    reuse_summary(monkeypatch, summary)
    result = invoke(
        "build", "Q2-2024", "--project", str(somerset.root), **{ENV_VAR: str(tmp_path / "nowhere")}
    )
    assert result.exit_code == 0, result.output
    assert "4 warnings (see findings.json):" in result.stdout
    assert f"pdf-not-made The PDF was not made: {ENV_VAR} is set to" in flat(result.stdout)
    assert "No PDF: LibreOffice was not found" in flat(result.stdout)
    assert sorted(outputs_in(somerset.root / "build")) == sorted(
        f"Q2-2024/{name}" for name in [DOCX, HTML, *DATA]
    )


def test_a_template_that_does_not_exist_is_a_usage_error(somerset, summary, monkeypatch, tmp_path):
    reuse_summary(monkeypatch, summary)
    missing = tmp_path / "house-style.docx"
    result = invoke(
        "build", "Q2-2024", "--project", str(somerset.root), "--no-pdf", "--template", str(missing)
    )
    assert result.exit_code == 2
    assert flat(result.stderr) == f"Error: the template {missing} does not exist"
    assert outputs_in(somerset.root / "build") == {}


def test_a_bad_period_is_a_usage_error(somerset):
    result = invoke("build", "Q5-2024", "--project", str(somerset.root))
    assert result.exit_code == 2
    assert "Q5-2024" in result.stderr


# -- one run at a time ----------------------------------------------------------------------------


def test_a_build_while_another_run_holds_the_period_exits_3_naming_it(somerset):
    with period_lock(somerset.root, "Q2-2024"):
        text = invoke("build", "Q2-2024", "--project", str(somerset.root), "--no-pdf")
        as_json = invoke(
            "build", "Q2-2024", "--project", str(somerset.root), "--no-pdf", "--format", "json"
        )
    assert text.exit_code == as_json.exit_code == 3
    message = flat(text.stderr)
    assert message.startswith(
        "Busy: Another perfreport run is already building Q2-2024 for "
        f"this project (process {os.getpid()} on {socket.gethostname()}, "
        "started "
    )
    assert message.endswith(
        "Let it finish, then run again. Try again later, or use --wait SECONDS."
    )
    printed = json.loads(as_json.stdout)
    assert printed["published"] is False
    assert f"(process {os.getpid()} on " in printed["reason"]
    assert outputs_in(somerset.root / "build") == {}


# A LibreOffice stand-in whose conversion waits for the test's word: it keeps the first build
# inside its lock for as long as the test needs, however fast the machine.
GATED_SOFFICE = """
    args = sys.argv[1:]
    if args == ["--version"]:
        print("LibreOffice 7.4.7.2 40(Build:2)")
        sys.exit(0)
    open(os.environ["GATE_STARTED"], "a").close()
    deadline = time.monotonic() + 120
    while not os.path.exists(os.environ["GATE_OPEN"]) and time.monotonic() < deadline:
        time.sleep(0.05)
    outdir = args[args.index("--outdir") + 1]
    for document in (a for a in args if a.endswith(".docx")):
        stem = os.path.splitext(os.path.basename(document))[0]
        with open(os.path.join(outdir, stem + ".pdf"), "wb") as out:
            out.write(b"%PDF-1.7\\n%a stand-in\\n")
"""


def start_build(project: Path, *options: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "perfreport",
            "build",
            "Q2-2024",
            "--project",
            str(project),
            *options,
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
    )


def wait_for(path: Path, run: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert run.poll() is None, run.communicate()
        assert time.monotonic() < deadline, f"{path} did not appear"
        time.sleep(0.05)


def test_two_concurrent_builds_give_one_paper_and_a_clear_exit_3(somerset, tmp_path):
    started, gate = tmp_path / "converting", tmp_path / "go"
    env = {
        **os.environ,
        **ENV,
        ENV_VAR: str(make_fake_program(tmp_path / "fake", "soffice", GATED_SOFFICE)),
        "GATE_STARTED": str(started),
        "GATE_OPEN": str(gate),
    }
    first = start_build(somerset.root, env=env)
    try:
        wait_for(started, first)  # the first build is converting, inside its lock
        second = subprocess.run(
            [
                sys.executable,
                "-m",
                "perfreport",
                "build",
                "Q2-2024",
                "--project",
                str(somerset.root),
            ],
            env=env,
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=120,
        )
        waiting = start_build(somerset.root, "--wait", "120", env=env)
        time.sleep(0.5)
        assert waiting.poll() is None  # still waiting for the first
    finally:
        gate.touch()
    first_out, first_err = first.communicate(timeout=120)
    waited_out, waited_err = waiting.communicate(timeout=120)

    assert second.returncode == 3
    assert flat(second.stderr).startswith(
        "Busy: Another perfreport run is already building Q2-2024 for this project (process "
        f"{first.pid} on {socket.gethostname()}, started "
    )
    assert second.stdout == ""
    assert first.returncode == 0, first_err
    assert waiting.returncode == 0, waited_err
    assert "Written:" in first_out and "Written:" in waited_out
    # One paper, published whole; no staging folder or note left behind.
    assert sorted(outputs_in(somerset.root / "build")) == sorted(
        f"Q2-2024/{name}" for name in [DOCX, HTML, PDF, *DATA]
    )


def test_a_folder_that_cannot_be_written_is_a_clear_failure_not_a_traceback(somerset, monkeypatch):
    import perfreport.publish.locking as locking

    def read_only(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(somerset.root / "build"))

    monkeypatch.setattr(locking, "period_lock", read_only)
    result = invoke("build", "Q2-2024", "--project", str(somerset.root), "--no-pdf")
    assert result.exit_code == 1
    assert "cannot write in" in result.output and "Permission denied" in result.output
    assert "Traceback" not in result.output


def test_processes_the_system_will_not_start_are_named_not_blamed_on_the_folder(
    somerset, monkeypatch
):
    import errno
    import multiprocessing.process

    def refuse(self):  # as the kernel refuses a fork at a process limit
        raise BlockingIOError(errno.EAGAIN, os.strerror(errno.EAGAIN))

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refuse)
    result = invoke("build", "Q2-2024", "--project", str(somerset.root), "--no-pdf")
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "would not start another process" in output
    assert "Close some programs and run the build again." in output
    assert "cannot write in" not in output and "Traceback" not in output
    assert not (somerset.root / "build" / "Q2-2024").exists()


def test_the_lock_sits_beside_the_chosen_output_folder(somerset, tmp_path):
    out = tmp_path / "published" / "Q2"
    result = invoke(
        "build", "Q2-2024", "--project", str(somerset.root), "--no-pdf", "--out", str(out)
    )
    assert result.exit_code == 0, result.output
    assert (out / DOCX).is_file()
    assert not (somerset.root / "build" / "Q2-2024").exists()
