"""--format json for a scheduled task: every outcome says what it is, and every schema is documented."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from buildfactory import copy_example
from typer.testing import CliRunner

from perfreport.build import PdfOutcome
from perfreport.cli import app
from perfreport.cli.shared import EXIT_FINDINGS, EXIT_LOCKED, EXIT_OK
from perfreport.paper.pdf import ENV_VAR
from perfreport.publish.locking import period_lock
from perfreport.summary.status import ReceivedFile

ROOT = Path(__file__).resolve().parents[1]
JSON_DOC = ROOT / "docs" / "json.md"
runner = CliRunner()
ENV = {"NO_COLOR": "1", "COLUMNS": "200"}
HOUSING = "returns/Q2-2024/Housing return Q2 2024-25.xlsx"


def invoke(*args: str, **env: str):
    return runner.invoke(app, list(args), env={**ENV, **env})


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def somerset(tmp_path):
    return copy_example("somerset", tmp_path / "somerset")


def build_json(project, *options: str, **env: str) -> tuple[int, dict]:
    result = invoke(
        "build", "Q2-2024", "--project", str(project.root), *options, "--format", "json", **env
    )
    return result.exit_code, json.loads(result.stdout)


# -- build: the status of every outcome --------------------------------------------------------


def test_a_blocked_build_gives_its_status_and_the_blocking_findings_and_keeps_findings_json(
    somerset,
):
    code, published = build_json(somerset, "--no-pdf")
    assert (code, published["status"], published["exit_code"], published["blocking"]) == (
        0,
        "published",
        0,
        [],
    )
    findings_json = somerset.root / "build" / "Q2-2024" / "findings.json"
    before = findings_json.read_bytes()

    workbook = openpyxl.load_workbook(somerset.root / HOUSING)
    workbook["Return"]["E9"] = "about 300"
    workbook.save(somerset.root / HOUSING)
    code, printed = build_json(somerset, "--no-pdf")

    assert code == 1
    assert {key: printed[key] for key in ("published", "status", "exit_code", "outputs")} == {
        "published": False,
        "status": "blocked",
        "exit_code": 1,
        "outputs": {},
    }
    assert printed["findings"] == {"error": 1, "warning": 3, "info": 0}
    assert printed["blocking"] == [
        {
            "code": "not-a-number",
            "severity": "error",
            "message": "Cell E9: 'about 300' is not a number. Enter a number, or set Data "
            "status to Not available.",
            "file": HOUSING,
            "sheet": "Return",
            "cell": "E9",
            "ref": "HOU-01",
            "value": "about 300",
        }
    ]
    # The same objects as validate gives; the published findings.json is not disturbed.
    validated = json.loads(
        invoke("validate", "Q2-2024", "--project", str(somerset.root), "-f", "json").stdout
    )
    errors = [f for f in validated["findings"] if f["severity"] == "error"]
    assert printed["blocking"] == errors
    assert findings_json.read_bytes() == before


def test_strict_blocks_on_the_warnings_and_lists_them(somerset):
    code, printed = build_json(somerset, "--no-pdf", "--strict")
    assert (code, printed["status"], printed["exit_code"]) == (1, "blocked", 1)
    assert [(f["code"], f["severity"]) for f in printed["blocking"]] == [
        ("commentary-too-long", "warning"),
        ("missing-indicator", "warning"),
        ("target-mismatch", "warning"),
    ]


def test_a_busy_build_says_nothing_was_checked(somerset):
    with period_lock(somerset.root, "Q2-2024"):
        code, printed = build_json(somerset, "--no-pdf")
    assert code == 3
    checked = ("status", "exit_code", "published", "findings", "blocking", "total", "counts")
    assert {key: printed[key] for key in checked} == {
        "status": "busy",
        "exit_code": 3,
        "published": False,
        "findings": None,
        "blocking": None,
        "total": None,
        "counts": None,
    }


def test_a_failed_build_says_so_and_reports_no_findings_as_checked(somerset, tmp_path):
    code, printed = build_json(somerset, "--pdf", **{ENV_VAR: str(tmp_path / "no" / "soffice")})
    assert code == 1
    assert {key: printed[key] for key in ("status", "exit_code", "findings", "blocking")} == {
        "status": "failed",
        "exit_code": 1,
        "findings": None,
        "blocking": None,
    }
    assert printed["reason"].startswith("The PDF was not made")


def test_the_build_exit_codes_are_the_command_lines():
    from perfreport.build import BUILD_EXIT_CODES, BuildStatus

    assert BUILD_EXIT_CODES == {
        BuildStatus.PUBLISHED: EXIT_OK,
        BuildStatus.BLOCKED: EXIT_FINDINGS,
        BuildStatus.FAILED: EXIT_FINDINGS,
        BuildStatus.BUSY: EXIT_LOCKED,
    }


# -- exit 2: the error object ---------------------------------------------------------------------


def _error(message: str, file: str | None = None, key: str | None = None) -> dict:
    return {
        "schema": "perfreport.error/1",
        "status": "error",
        "exit_code": 2,
        "message": message,
        "file": file,
        "key": key,
    }


def _broken(project, how: str) -> None:
    toml = project.root / "perfreport.toml"
    if how == "unknown-key":
        text = toml.read_text(encoding="utf-8").replace("amber_tolerance", "amber_tolerence")
        toml.write_text(text, encoding="utf-8")
    elif how == "invalid-toml":
        toml.write_text(toml.read_text(encoding="utf-8") + "\ncouncil = [\n", encoding="utf-8")
    elif how == "no-catalogue":
        (project.root / "catalogue.xlsx").unlink()
    elif how == "no-toml":
        toml.unlink()


COMMANDS = {
    "build": ["build", "Q2-2024", "--no-pdf", "--format", "json"],
    "summary": ["summary", "Q2-2024", "--format", "json"],
    "status": ["status", "Q2-2024", "--format", "json"],
    "validate": ["validate", "Q2-2024", "--format", "json"],
    "export": ["export", "Q2-2024", "-f", "json"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("how", ["unknown-key", "invalid-toml", "no-catalogue", "no-toml"])
def test_a_configuration_error_prints_the_error_object_and_exits_2(somerset, command, how):
    _broken(somerset, how)
    result = invoke(*COMMANDS[command], "--project", str(somerset.root))
    assert result.exit_code == 2, result.output
    printed = json.loads(result.stdout)
    toml = str(somerset.root / "perfreport.toml")
    expected_place = {
        "unknown-key": (toml, "rating.amber_tolerence"),
        "invalid-toml": (toml, None),
        "no-catalogue": ("catalogue.xlsx", None),
        "no-toml": (str(somerset.root), None),
    }[how]
    assert printed == _error(printed["message"], *expected_place)
    assert flat(result.stderr) == flat(f"Error: {printed['message']}")  # the same, for people


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_bad_period_prints_the_error_object(somerset, command):
    args = [word if word != "Q2-2024" else "Q9-2024" for word in COMMANDS[command]]
    result = invoke(*args, "--project", str(somerset.root))
    assert result.exit_code == 2
    printed = json.loads(result.stdout)
    assert printed == _error(printed["message"])
    assert printed["message"].startswith("'Q9-2024' is not a period. Use one of: ")
    assert flat(result.stderr) == flat(f"Error: {printed['message']}")


def test_a_missing_template_and_files_print_the_error_object(somerset, tmp_path):
    missing = tmp_path / "house-style.docx"
    result = invoke(*COMMANDS["build"], "--project", str(somerset.root), "--template", str(missing))
    assert (result.exit_code, json.loads(result.stdout)) == (
        2,
        _error(f"the template {missing} does not exist"),
    )
    result = invoke("template", "check", str(missing), "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (
        2,
        _error(f"{missing} does not exist."),
    )
    csv = tmp_path / "past.csv"
    result = invoke("history", "import", str(csv), "-p", str(somerset.root), "--format", "json")
    assert (result.exit_code, json.loads(result.stdout)) == (
        2,
        _error(f"there is no file {csv}. Give the workbook or CSV of past figures."),
    )


def test_without_json_an_error_prints_nothing_on_stdout(somerset):
    result = invoke("summary", "Q9-2024", "--project", str(somerset.root))
    assert result.exit_code == 2 and result.stdout == ""
    # export's default format is json, but only -f json asks for the error object
    result = invoke("export", "Q9-2024", "--project", str(somerset.root))
    assert result.exit_code == 2 and result.stdout == ""
    result = invoke("export", "Q9-2024", "-f", "json", "-o", "x.json", "-p", str(somerset.root))
    assert result.exit_code == 2 and result.stdout == ""


def _console_script(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "perfreport", *args],
        capture_output=True,
        text=True,
        env={"NO_COLOR": "1", "PATH": "/usr/bin:/bin"},
        timeout=120,
    )


def test_a_usage_error_found_before_the_options_gives_the_error_object_when_json_is_asked():
    run = _console_script("build", "Q2-2024", "--bogus", "--format", "json")
    assert run.returncode == 2
    assert json.loads(run.stdout) == _error(
        "No such option: --bogus (Possible options: --out, --verbose)"
    )
    assert "No such option: --bogus" in run.stderr
    run = _console_script("build", "Q2-2024", "--bogus")
    assert (run.returncode, run.stdout) == (2, "")
    run = _console_script("build", "Q2-2024", "--format", "yaml")  # no json asked: none given
    assert (run.returncode, run.stdout) == (2, "")


@pytest.mark.parametrize(
    ("words", "wanted"),
    [
        (["build", "Q2-2024", "--format", "json"], True),
        (["build", "Q2-2024", "--format=JSON"], True),
        (["validate", "Q2-2024", "-f", "json"], True),
        (["build", "Q2-2024", "-o", "out", "-f", "json"], True),  # build's -o is --out
        (["export", "Q2-2024", "-f", "json", "-o", "x.json"], False),
        (["export", "Q2-2024"], False),
        (["build", "Q2-2024", "--format", "text"], False),
        (["validate", "--", "-f", "json"], False),
    ],
)
def test_asks_for_json_reads_the_words(words, wanted):
    from perfreport.cli.shared import asks_for_json

    assert asks_for_json(words) is wanted


# -- the schemas are documented -------------------------------------------------------------------

# File formats that perfreport keeps for itself in build/ and its cache, never printed by a command.
INTERNAL = {
    "perfreport.publish-journal/1",
    "perfreport.published/1",
    "perfreport.returns-cache/2",
}


def emitted_schemas() -> set[str]:
    pattern = re.compile(r"""["'](perfreport\.[a-z][a-z-]*/\d+)["']""")
    found = set()
    for path in (ROOT / "perfreport").rglob("*.py"):
        found.update(pattern.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_schema_the_commands_print_is_documented():
    schemas = emitted_schemas()
    assert {"perfreport.build/1", "perfreport.error/1", "perfreport.template-check/1"} <= schemas
    documented = JSON_DOC.read_text(encoding="utf-8")
    missing = sorted(s for s in schemas - INTERNAL if f"`{s}`" not in documented)
    assert not missing, f"document these in docs/json.md: {missing}"
    assert INTERNAL <= schemas, "an internal format is gone: take it off INTERNAL"


def _section(title: str) -> str:
    text = JSON_DOC.read_text(encoding="utf-8")
    start = text.index(f"## `{title}`")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else None]


def test_every_field_of_the_build_json_and_its_values_are_documented(somerset):
    from perfreport.build import BuildStatus

    code, printed = build_json(somerset, "--no-pdf")
    section = _section("perfreport.build/1")
    assert code == 0
    assert [key for key in printed if f"`{key}`" not in section] == []
    for value in [*BuildStatus, *PdfOutcome, "failed"]:  # "failed": a PDF that could not be made
        assert f"`{value}`" in section


def test_the_history_import_template_check_and_error_fields_are_documented(somerset, tmp_path):
    from perfreport.cli.shared import error_document
    from perfreport.paper.template import check_template, default_template
    from perfreport.publish.history_store import HistoryImport

    for title, keys in (
        ("perfreport.history-import/1", HistoryImport(file="x.csv").to_dict()),
        ("perfreport.template-check/1", check_template(default_template()).to_dict()),
        ("perfreport.error/1", error_document("x")),
    ):
        section = _section(title)
        assert [key for key in keys if f"`{key}`" not in section] == [], title


def test_the_readme_names_every_command_with_json_output():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    at = readme.index("`--format json` for scripts")
    line = readme[readme.rindex("\n\n", 0, at) : at]
    for command in ("validate", "summary", "status", "build", "template check", "history import"):
        assert f"`{command}`" in line, command
    assert "docs/json.md" in readme


# -- status: the time a return was saved, with its offset ---------------------------------------


@pytest.fixture
def london(monkeypatch):
    if not hasattr(time, "tzset"):  # Windows
        pytest.skip("time.tzset is Unix only")
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_status_json_gives_the_time_a_return_was_saved_with_its_utc_offset(london):
    summer = ReceivedFile("waste.xlsx", dt.datetime(2024, 10, 14, 9, 32)).to_dict()
    winter = ReceivedFile("waste.xlsx", dt.datetime(2025, 1, 14, 9, 32)).to_dict()
    assert summer == {"name": "waste.xlsx", "modified": "2024-10-14T09:32:00+01:00"}
    assert winter == {"name": "waste.xlsx", "modified": "2025-01-14T09:32:00+00:00"}
    assert ReceivedFile("waste.xlsx", None).to_dict() == {"name": "waste.xlsx", "modified": None}


# -- --quiet: one line, on stdout when published, else on stderr ----------------------------------


def test_quiet_puts_not_built_on_stderr_as_it_does_build_failed_and_busy(somerset, tmp_path):
    quiet = ("build", "Q2-2024", "--project", str(somerset.root), "--quiet")
    blocked = invoke(*quiet, "--no-pdf", "--strict")
    failed = invoke(*quiet, "--pdf", **{ENV_VAR: str(tmp_path / "no" / "soffice")})
    with period_lock(somerset.root, "Q2-2024"):
        busy = invoke(*quiet, "--no-pdf")
    built = invoke(*quiet, "--no-pdf")
    assert [r.exit_code for r in (blocked, failed, busy, built)] == [1, 1, 3, 0]
    assert [r.stdout for r in (blocked, failed, busy)] == ["", "", ""]
    assert [flat(r.stderr).split(":")[0] for r in (blocked, failed, busy)] == [
        "Not built",
        "Build failed",
        "Busy",
    ]
    assert flat(blocked.stderr) == (
        "Not built: --strict: 3 warnings must be resolved first; nothing was written."
    )
    assert built.stderr == "" and built.stdout.startswith("Built Q2 2024/25 in ")
