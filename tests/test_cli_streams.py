"""What the commands write: any console encoding, piped or redirected, and names that attack."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from projectfactory import INDICATORS, make_project, service_return
from typer.testing import CliRunner

from perfreport.cli import app
from perfreport.cli.streams import fit, json_text
from perfreport.core.periods import Period
from perfreport.core.visible import visible

ROOT = Path(__file__).resolve().parent.parent
Q2 = Period(2024, 2)
runner = CliRunner()
# Every command, with arguments that reach its output; {tmp} is a fresh folder for what it writes.
COMMANDS = (
    ("--help",),
    ("--version",),
    ("validate", "Q2-2024", "-p", "s"),
    ("validate", "Q2-2024", "-p", "s", "-f", "json"),
    ("status", "Q2-2024", "-p", "s"),
    ("summary", "Q2-2024", "-p", "s"),
    ("summary", "Q2-2024", "-p", "s", "-f", "json"),
    ("export", "Q2-2024", "-p", "s", "-f", "csv"),
    ("export", "Q2-2024", "-p", "s", "-f", "xlsx", "-o", "x.xlsx"),
    ("build", "Q2-2024", "-p", "s", "--no-pdf"),
    ("returns", "Q2-2024", "-p", "s", "--out", "forms"),
    ("init", "new", "--council", "Café Council"),
    ("template", "export", "tpl"),
    ("template", "check", "tpl/committee-paper.docx"),
    ("summary", "Q9-2024", "-p", "s"),  # a usage error
    ("summary",),  # a missing argument: click's own usage error
)


def run(args: tuple[str, ...], cwd: Path, encoding: str) -> subprocess.CompletedProcess:
    """The real command, stdout redirected to a file as Task Scheduler does, stderr piped."""
    env = {**os.environ, "PYTHONIOENCODING": encoding, "NO_COLOR": "1"}
    env.pop("COLUMNS", None)
    out = cwd / "out.txt"
    with out.open("wb") as handle:
        done = subprocess.run(
            [str(Path(sys.executable).parent / "perfreport"), *args],
            cwd=cwd,
            env=env,
            stdout=handle,
            stderr=subprocess.PIPE,
            timeout=300,
        )
    done.stdout = out.read_bytes()
    return done


@pytest.mark.parametrize("encoding", ["cp1252", "cp850", "ascii"])
def test_no_command_tracebacks_on_a_windows_code_page_or_ascii(tmp_path: Path, encoding) -> None:
    shutil.copytree(ROOT / "examples" / "somerset", tmp_path / "s")
    for args in COMMANDS:
        done = run(args, tmp_path, encoding)
        stderr = done.stderr.decode(encoding)
        assert "Traceback" not in stderr and "UnicodeEncodeError" not in stderr, (args, stderr)
        if args[-1] != "csv":  # a CSV export is UTF-8 whatever the console (docs/export.md)
            done.stdout.decode(encoding)  # every byte is in the console's encoding
        expected = 2 if args[-1] in ("s", "summary") and args[1:2] in (("Q9-2024",), ()) else 0
        assert done.returncode == expected, (args, done.returncode, stderr)


def test_summary_redirected_on_cp1252_falls_back_to_ascii_arrows(tmp_path: Path) -> None:
    """PYTHONIOENCODING=cp1252 perfreport summary Q2-2024 --project examples/somerset > out.txt"""
    done = run(
        ("summary", "Q2-2024", "--project", str(ROOT / "examples" / "somerset")), tmp_path, "cp1252"
    )
    assert done.returncode == 0, done.stderr
    text = done.stdout.decode("cp1252")
    assert "RAG ratings by priority, Q1 -> Q2" in text
    assert "  Green -> Amber: 2 (CS-05, FIN-08)" in text
    # Measures that gained or lost a RAG, in the same form (it was "New this quarter: 2: ...").
    assert "  No data -> Green: 1 (CUS-02)\n  No data -> Amber: 1 (PH-01)\n" in text
    assert "  Green -> No data: 1 (HR-05)\n" in text
    # The arrows were swapped before the table was laid out, so its columns still line up.
    rows = [line for line in text.splitlines() if line.startswith("|")]
    assert rows and len({len(line) for line in rows}) == 1
    assert "|All priorities                                  | 22 -> 26 | 20 -> 14 |" in text


def test_json_on_an_ascii_stream_carries_every_value_exactly(tmp_path: Path) -> None:
    somerset = str(ROOT / "examples" / "somerset")
    done = run(("summary", "Q2-2024", "-p", somerset, "-f", "json"), tmp_path, "ascii")
    utf8 = run(("summary", "Q2-2024", "-p", somerset, "-f", "json"), tmp_path, "utf-8")
    assert done.stdout.isascii() and not utf8.stdout.isascii()
    assert json.loads(done.stdout) == json.loads(utf8.stdout)


def test_a_piped_table_is_not_squeezed_to_80_columns(tmp_path: Path) -> None:
    project = make_project(tmp_path / "council")
    long_name = "waste return for the second quarter of 2024-25 as sent by the service.xlsx"
    service_return(project, Q2, "Waste", long_name)
    done = run(("status", "Q2-2024", "-p", str(project.root)), tmp_path, "utf-8")
    text = done.stdout.decode()
    assert long_name in text  # one line, not folded over four


def test_a_usage_error_is_plain_text_when_not_on_a_terminal(tmp_path: Path) -> None:
    done = run(("summary",), tmp_path, "utf-8")
    assert done.returncode == 2
    assert done.stderr.decode().splitlines() == [
        "Usage: perfreport summary [OPTIONS] {period}",
        "Try 'perfreport summary --help' for help.",
        "",
        "Error: Missing argument 'period'.",
    ]


def test_ascii_stand_ins_are_made_only_where_the_stream_lacks_the_character() -> None:
    class Stream:
        def __init__(self, encoding: str):
            self.encoding = encoding

    assert fit("Q1 → Q2 … £5 – done", Stream("utf-8")) == "Q1 → Q2 … £5 – done"
    assert fit("Q1 → Q2 … £5 – done", Stream("cp1252")) == "Q1 -> Q2 … £5 – done"
    assert fit("Q1 → Q2 … £5 – Café", Stream("ascii")) == "Q1 -> Q2 ... GBP 5 - Cafe"
    assert fit("\u202eevil", Stream("ascii")) == "\\u202eevil"


# -- names that attack the terminal -------------------------------------------------------------

HOSTILE = "Waste \x1b[2J\x1b[32mreturn\u202exslx.exe\nAll returns: no problems found"


def test_visible_writes_out_control_and_bidi_characters() -> None:
    assert visible(HOSTILE) == (
        "Waste \\x1b[2J\\x1b[32mreturn\\u202exslx.exe\\nAll returns: no problems found"
    )
    assert visible("a\tb\rc\x9b\u2066d\ud800") == "a\\tb\\rc\\x9b\\u2066d\\ud800"
    assert visible("Café – 85% → £5") == "Café – 85% → £5"  # printable text is untouched


@pytest.fixture
def hostile(tmp_path: Path):
    """A project whose Waste return has a file name that would clear the screen, recolour it,
    reverse what follows, and forge a line of output."""
    project = make_project(tmp_path / "council", INDICATORS)
    service_return(project, Q2, "Waste", HOSTILE + ".xlsx", values={"WR-01": "about 50"})
    return project


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "300"})


def _no_raw_controls(text: str) -> None:
    assert "\x1b" not in text and "\u202e" not in text
    assert not any(line.startswith("All returns: no problems found") for line in text.splitlines())


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (("validate", "Q2-2024"), True),
        (("status", "Q2-2024"), True),
        (("summary", "Q2-2024"), False),
        # stopped by the return's error: its findings under its name, as validate lists them
        (("build", "Q2-2024", "--no-pdf"), True),
    ],
)
def test_a_hostile_file_name_is_shown_visibly_in_text(hostile, args, named) -> None:
    result = invoke(*args, "-p", str(hostile.root))
    _no_raw_controls(result.output)
    shown = "\\x1b[2J\\x1b[32mreturn\\u202exslx.exe\\nAll returns" in result.output
    assert shown is named


@pytest.mark.parametrize("command", ["validate", "status", "summary"])
def test_a_hostile_file_name_is_escaped_in_json(hostile, command) -> None:
    result = invoke(command, "Q2-2024", "-p", str(hostile.root), "-f", "json")
    _no_raw_controls(result.output)
    assert "\\u202e" in result.output
    json.loads(result.output)  # still JSON


def test_json_text_escapes_what_json_dumps_leaves_raw() -> None:
    data = {"name": "a\u202eb\x9bc\u2028d", "ok": "Café →"}
    text = json_text(data)
    assert "\u202e" not in text and "\x9b" not in text and "\u2028" not in text
    assert json.loads(text) == data


def test_a_bidi_override_in_commentary_is_written_out_in_the_paper(tmp_path: Path) -> None:
    """U+202E made Word show the commentary after it backwards; the paper shows \\u202e."""
    import docx

    project = make_project(tmp_path / "council", INDICATORS)
    from projectfactory import write_return

    service_return(project, Q2, "Adult Social Care")
    write_return(
        project.returns_dir(Q2) / "waste.xlsx",
        [
            {
                "Ref": "WR-01",
                "Value": 52,
                "Commentary": "Rates rose \u202edesserper saw\u202c in July",
            },
            {"Ref": "WR-02", "Value": 70},
        ],
        service="Waste",
        period=Q2,
    )
    result = invoke("build", "Q2-2024", "-p", str(project.root), "--no-pdf", "-f", "json")
    assert result.exit_code == 0, result.output
    (paper,) = (project.root / "build" / "Q2-2024").glob("*.docx")
    text = "\n".join(p.text for p in docx.Document(str(paper)).paragraphs)
    text += "\n".join(
        c.text for t in docx.Document(str(paper)).tables for r in t.rows for c in r.cells
    )
    assert "\u202e" not in text and "\u202c" not in text
    assert "Rates rose \\u202edesserper saw\\u202c in July" in text
    findings = json.loads(
        (project.root / "build" / "Q2-2024" / "findings.json").read_text(encoding="utf-8")
    )["findings"]
    (bidi,) = [f for f in findings if f["code"] == "bidi-text"]
    assert bidi["message"].startswith("Indicator WR-01 commentary: 2 bidi control characters")
    assert "(U+202C, U+202E) were written out as text" in bidi["message"]


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


@pytest.mark.parametrize("tty", [True, False])
def test_a_csv_export_on_a_terminal_shows_bidi_controls_but_a_redirected_one_is_exact(
    monkeypatch, tty
) -> None:
    from perfreport.cli.results import _csv_for_stdout

    text = 'ref,commentary\r\nWR-01,"Rates rose \u202edesserper\u202c\nin July"\r\n'
    monkeypatch.setattr(sys, "stdout", _Stream(tty))
    shown = _csv_for_stdout(text)
    if tty:
        assert shown == 'ref,commentary\r\nWR-01,"Rates rose \\u202edesserper\\u202c\\nin July"\r\n'
    else:
        assert shown == text
