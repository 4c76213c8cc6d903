"""`perfreport validate` through typer's CliRunner: output, JSON, exit codes 0, 1 and 2."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from projectfactory import (
    make_project,
    service_return,
    write_catalogue,
    write_config,
    write_return,
)
from typer.testing import CliRunner

from perfreport import __version__
from perfreport.cli import app
from perfreport.cli.show import summary_line
from perfreport.core.findings import Finding, Severity, findings_document
from perfreport.core.periods import Period, accepted_forms
from perfreport.inputs.dataset import read_period, validate_files

Q2 = Period(2024, 2)
runner = CliRunner()
# An SGR escape that sets a colour (30-38, 40-48, 90-97, 100-107), as opposed to bold alone.
COLOUR = re.compile(r"\x1b\[(?:\d+;)*(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])(?:;\d+)*m")


def invoke(*args: str, env: dict[str, str] | None = None):
    return runner.invoke(app, list(args), env={"NO_COLOR": "", "FORCE_COLOR": None, **(env or {})})


@pytest.fixture
def project(tmp_path: Path):
    return make_project(tmp_path / "council")


@pytest.fixture
def clean(project):
    service_return(project, Q2, "Waste")
    service_return(project, Q2, "Adult Social Care")
    return project


def test_a_clean_period_exits_0(clean) -> None:
    result = invoke("validate", "Q2-2024", "--project", str(clean.root))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "",
        "returns/Q2-2024/adult-social-care.xlsx: no problems found",
        "returns/Q2-2024/waste.xlsx: no problems found",
        "",
        "2 files: 0 errors, 0 warnings",
    ]


def test_errors_exit_1_with_a_table_per_file_sorted_by_cell(clean) -> None:
    service_return(clean, Q2, "Waste", "waste-again.xlsx", skip=["WR-02"])
    result = invoke("validate", "Q2 2024/25", "--project", str(clean.root))
    assert result.exit_code == 1
    out = result.stdout
    assert "returns/Q2-2024/waste-again.xlsx" in out
    assert out.index("duplicate-ref") < out.index("WR-01 is also returned by")
    assert out.rstrip().endswith("3 files: 1 error, 0 warnings")
    assert "returns/Q2-2024/adult-social-care.xlsx: no problems found" in out


def test_warnings_exit_0_unless_strict(project) -> None:
    service_return(project, Q2, "Waste", skip=["WR-02"])
    service_return(project, Q2, "Adult Social Care")
    plain = invoke("validate", "Q2-2024", "-p", str(project.root))
    assert plain.exit_code == 0
    assert plain.stdout.rstrip().endswith("2 files: 0 errors, 1 warning")
    strict = invoke("validate", "Q2-2024", "-p", str(project.root), "--strict")
    assert strict.exit_code == 1
    assert strict.stdout.rstrip().endswith(
        "2 files: 0 errors, 1 warning (--strict: warnings count as errors)"
    )


def test_quiet_prints_only_the_summary(project) -> None:
    service_return(project, Q2, "Waste", skip=["WR-02"])
    result = invoke("validate", "Q2-2024", "-p", str(project.root), "--quiet")
    assert result.exit_code == 0
    assert result.stdout == "1 file: 0 errors, 2 warnings\n"


def test_the_summary_line_counts_as_the_paper_does_with_thousands_separated() -> None:
    def some(severity: Severity, number: int) -> list[Finding]:
        return [Finding("x", severity, "a problem")] * number

    findings = some(Severity.ERROR, 1) + some(Severity.WARNING, 1200) + some(Severity.INFO, 1500)
    assert summary_line(1, findings) == "1 file: 1 error, 1,200 warnings, 1,500 info"
    assert summary_line(2, findings[:1], strict=True) == (
        "2 files: 1 error, 0 warnings (--strict: warnings count as errors)"
    )


def test_json_equals_the_library_document(project) -> None:
    service_return(project, Q2, "Waste", skip=["WR-02"])
    result = invoke("validate", "Q2-2024", "-p", str(project.root), "--format", "json")
    assert result.exit_code == 0
    read = read_period(project, Q2)
    assert json.loads(result.stdout) == findings_document(Q2, read.findings, read.files)


def test_json_for_files_equals_the_library_document(clean) -> None:
    path = clean.returns_dir(Q2) / "waste.xlsx"
    result = invoke(
        "validate",
        str(path),
        "--period",
        "Q2-2024",
        "-p",
        str(clean.root),
        "--format",
        "json",
        "--strict",
    )
    assert result.exit_code == 0
    read = validate_files(clean, [path], Q2)
    assert json.loads(result.stdout) == findings_document(Q2, read.findings, read.files)


def test_the_project_is_found_from_the_current_folder(clean, monkeypatch) -> None:
    monkeypatch.chdir(clean.returns_dir(Q2))
    result = invoke("validate", "Q2-2024", "--quiet")
    assert (result.exit_code, result.stdout) == (0, "2 files: 0 errors, 0 warnings\n")


def test_files_are_checked_against_the_project_around_them(
    clean, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)  # not inside the project
    result = invoke("validate", "council/returns/Q2-2024/waste.xlsx")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "1 file: 0 errors, 0 warnings"


def test_an_excel_owner_file_named_alone_exits_1_naming_its_workbook(clean, monkeypatch) -> None:
    monkeypatch.chdir(clean.root)
    (clean.returns_dir(Q2) / "~$waste.xlsx").write_bytes(b"\x0cMark Bennett".ljust(165, b" "))
    result = invoke("validate", "returns/Q2-2024/~$waste.xlsx", env={"COLUMNS": "80"})
    assert result.exit_code == 1, result.output
    text = " ".join(result.stdout.split())
    assert "excel-owner-file" in text and "Save As" not in text
    assert "owner file for the workbook returns/Q2-2024/waste.xlsx" in text
    assert text.endswith("1 file: 1 error, 0 warnings")


def test_an_emailed_file_with_an_error_exits_1(project, tmp_path: Path) -> None:
    emailed = write_return(
        tmp_path / "inbox" / "waste.xlsx",
        [{"Ref": "WR-01", "Value": 1}, {"Ref": "WR-02", "Value": 2}, {"Ref": "WR-01", "Value": 3}],
        service="Waste",
        period="Q2-2024",
    )
    result = invoke("validate", str(emailed), "-p", str(project.root), "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["counts"]["error"] >= 1
    assert document["files"] == [emailed.as_posix()]


def test_a_bad_period_exits_2_showing_the_accepted_forms(project) -> None:
    result = invoke("validate", "Q5-2024", "-p", str(project.root))
    assert result.exit_code == 2
    assert result.stdout == ""
    message = " ".join(result.stderr.split())
    assert "'Q5-2024' is not a period." in message
    assert all(form in message for form in accepted_forms())


def test_a_bad_period_option_exits_2(clean) -> None:
    path = clean.returns_dir(Q2) / "waste.xlsx"
    result = invoke("validate", str(path), "--period", "2024 Q9", "-p", str(clean.root))
    assert result.exit_code == 2
    assert "'2024 Q9' is not a period" in " ".join(result.stderr.split())


def test_an_unknown_config_key_exits_2_naming_the_key_and_file(tmp_path: Path) -> None:
    write_config(tmp_path, extra="[validation]\nword_limit = 100\n")
    write_catalogue(tmp_path / "catalogue.xlsx")
    result = invoke("validate", "Q2-2024", "-p", str(tmp_path))
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "key 'validation.word_limit': unknown setting" in message
    assert "perfreport.toml" in message


def test_an_unreadable_catalogue_exits_2(project) -> None:
    (project.root / "catalogue.xlsx").unlink()
    result = invoke("validate", "Q2-2024", "-p", str(project.root))
    assert result.exit_code == 2
    assert "the indicator catalogue was not found" in " ".join(result.stderr.split())


def test_project_takes_its_perfreport_toml_and_names_the_project_of_a_folder_in_it(
    clean, monkeypatch
) -> None:
    monkeypatch.chdir(clean.root.parent)
    result = invoke("validate", "Q2-2024", "--project", "council/perfreport.toml")
    assert result.exit_code == 0, result.output  # was click's "Directory ... is a file"
    result = invoke("validate", "Q2-2024", "--project", "council/returns")
    assert result.exit_code == 2
    assert " ".join(result.stderr.split()) == (
        "Error: council/returns: this folder is inside the project council: use --project council."
    )


def test_no_project_exits_2(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("validate", "Q2-2024")
    assert result.exit_code == 2
    assert "--project" in result.stderr


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["nothing.xlsx"], "there is no file nothing.xlsx"),
        (["Q2-2024", "--period", "Q2-2024"], "--period is only for FILE arguments"),
        (["Q2-2024", "Q3-2024"], "give one period at a time (Q2-2024 is one of 2 arguments)"),
    ],
)
def test_usage_problems_exit_2(project, args: list[str], words: str) -> None:
    result = invoke("validate", *args, "-p", str(project.root))
    assert result.exit_code == 2
    assert words in " ".join(result.stderr.split())


def test_a_folder_is_not_a_file(clean) -> None:
    result = invoke("validate", str(clean.returns_dir(Q2)), "-p", str(clean.root))
    assert result.exit_code == 2
    assert "is a folder" in result.stderr


def test_no_argument_is_a_usage_error() -> None:
    assert invoke("validate").exit_code == 2


def test_version_and_help() -> None:
    version = invoke("--version")
    assert (version.exit_code, version.stdout) == (0, f"perfreport {__version__}\n")
    help_text = invoke("--help")
    assert help_text.exit_code == 0
    assert "validate" in help_text.stdout
    assert "--strict" in invoke("validate", "--help").stdout


def test_colour_only_on_a_terminal_and_never_with_no_color(clean) -> None:
    service_return(clean, Q2, "Waste", "waste-again.xlsx")
    args = ("validate", "Q2-2024", "-p", str(clean.root))
    assert not COLOUR.search(invoke(*args).stdout)  # CliRunner is not a terminal
    assert COLOUR.search(invoke(*args, env={"FORCE_COLOR": "1"}).stdout)
    assert not COLOUR.search(invoke(*args, env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).stdout)


def test_a_progress_bar_never_gets_into_the_output(project) -> None:
    services = ["Waste"] * 6
    for number, service in enumerate(services):
        service_return(project, Q2, service, f"waste-{number}.xlsx")
    result = invoke(
        "validate", "Q2-2024", "-p", str(project.root), "--format", "json", env={"FORCE_COLOR": "1"}
    )
    assert json.loads(result.stdout)["files"][0] == "returns/Q2-2024/waste-0.xlsx"


def test_a_table_leaves_out_the_cell_and_ref_columns_none_of_its_findings_has(project) -> None:
    # At 80 columns their room goes to the message: a missing return names neither a cell nor a
    # ref, a missing indicator a ref but no cell, and a figure that is not a number both.
    service_return(project, Q2, "Waste", skip=["WR-02"])
    odd = service_return(project, Q2, "Waste", "odd.xlsx", values={"WR-01": "about half"})
    odd = odd.rename(project.root / "odd.xlsx")

    def tables(*args: str) -> dict[str, str]:
        # on a terminal 80 columns wide, with no escape codes (piped output is never wrapped)
        terminal = {"COLUMNS": "80", "TTY_COMPATIBLE": "1", "TERM": "dumb", "LINES": "25"}
        result = invoke("validate", *args, "-p", str(project.root), env=terminal)
        assert all(len(line) <= 80 for line in result.stdout.splitlines()), result.stdout
        lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
        return {lines[at - 2]: line for at, line in enumerate(lines) if line.endswith(" Message")}

    assert tables("Q2-2024") == {
        "returns/Q2-2024/waste.xlsx, sheet Return": "Severity Code Ref Message",
        "Across all returns": "Severity Code Message",
    }
    assert tables(str(odd), "--period", "Q2-2024") == {
        "odd.xlsx, sheet Return": "Cell Severity Code Ref Message"
    }


def test_a_file_in_a_quarters_folder_is_checked_for_that_quarter(project) -> None:
    # The service sent last quarter's Period: checked on its own where it sits in
    # returns/Q2-2024, it fails as the quarter's check fails it (it passed alone, then failed).
    path = service_return(project, Q2, "Waste")
    rows = [{"Ref": "WR-01", "Value": 50}, {"Ref": "WR-02", "Value": 50}]
    write_return(path, rows, service="Waste", period=Period(2024, 1))
    alone = invoke("validate", str(path), "-p", str(project.root), "--format", "json")
    quarter = invoke("validate", "Q2-2024", "-p", str(project.root), "--format", "json")
    codes = [[f["code"] for f in json.loads(r.stdout)["findings"]] for r in (alone, quarter)]
    assert "period-mismatch" in codes[0] and alone.exit_code == 1
    assert [c for c in codes[1] if c == "period-mismatch"] == ["period-mismatch"]
    # Elsewhere (an e-mail's attachment saved anywhere), its own Period cell says the quarter.
    elsewhere = path.rename(project.root / "waste.xlsx")
    moved = invoke("validate", str(elsewhere), "-p", str(project.root), "--format", "json")
    assert moved.exit_code == 0 and json.loads(moved.stdout)["period"] == "Q1-2024"
