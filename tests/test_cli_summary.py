"""`perfreport summary` and `perfreport export` through typer's CliRunner."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from projectfactory import INDICATORS, make_project, service_return, write_catalogue
from typer.testing import CliRunner

from perfreport.build import summarise_period
from perfreport.cli import app
from perfreport.core.periods import Period
from perfreport.publish.export import ExportFormat, csv_text, dataset_document, summary_document

Q1, Q2 = Period(2024, 1), Period(2024, 2)
runner = CliRunner()


# As on a terminal 120 columns wide (without TTY_COMPATIBLE, output that is not a terminal is
# never wrapped, whatever COLUMNS says); TERM=dumb: no escape codes, and LINES with it, else
# rich takes a dumb terminal to be 80 columns wide.
TERMINAL = {"NO_COLOR": "1", "COLUMNS": "120", "TTY_COMPATIBLE": "1", "TERM": "dumb", "LINES": "25"}


def invoke(*args: str):
    return runner.invoke(app, list(args), env=TERMINAL)


@pytest.fixture
def project(tmp_path: Path):
    project = make_project(tmp_path / "council")
    for period, wr01, asc01 in ((Q1, 53.0, 29.0), (Q2, 50.0, 31.0)):
        service_return(project, period, "Waste", values={"WR-01": wr01, "WR-02": 70})
        service_return(project, period, "Adult Social Care", values={"ASC-01": asc01})
    return project


def test_summary_json_is_the_library_summary(project) -> None:
    result = invoke("summary", "Q2-2024", "--project", str(project.root), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == summary_document(summarise_period(project, Q2))


def test_summary_text_shows_headline_table_changes_and_key_issues(project) -> None:
    result = invoke("summary", "q2 2024/25", "--project", str(project.root))
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert (
        "The 2024/25 Q2 report contains 5 indicators, of which 4 have a Red, Amber, Green "
        "(RAG) rating."
    ) in out
    assert (
        "A comparison between Q1 and Q2 of 2024/25 shows that overall, the number of Amber "
        "measures has decreased, reflecting"
    ) in out
    assert "RAG ratings by priority, Q1 → Q2" in out
    assert (
        " All priorities                         1 → 2   2 → 0   0 → 1         1           1" in out
    )
    assert "Amber → Green: 1 (ASC-01)\n  Amber → Red: 1 (WR-01)\n" in out
    assert (
        "  A greener, more sustainable Somerset\n    Red this quarter\n    - WR-01 Household" in out
    )
    assert "    Improved to Green\n    - ASC-01 Adults receiving direct payments" in out
    assert "Q1 2024/25 ratings: rated from its returns (no published dataset.json to use)." in out


def test_summary_of_a_first_quarter_lists_no_changes_since_a_quarter_it_has_no_ratings_for(
    project,
) -> None:
    _compares_with_nothing(
        invoke("summary", "Q1-2024", "--project", str(project.root)), "Q4 2023/24"
    )


def _compares_with_nothing(result, previous: str) -> None:
    """The summary of a quarter whose last quarter has no ratings: no comparison, and why."""
    assert result.exit_code == 0, result.output
    assert (
        f"There are no ratings for {previous} to compare with, so the movement since last "
        "quarter cannot be shown."
    ) in result.stdout
    assert "Changes since" not in result.stdout and "No data →" not in result.stdout
    assert (
        f"{previous} ratings: not available (no returns, and no published dataset.json to use)."
        in " ".join(result.stdout.split())
    )


def test_an_earlier_quarter_whose_folder_holds_no_returns_is_not_compared_with(project) -> None:
    # Q1's returns moved away, its folder left with a note in it: as if it had no folder, not
    # a quarter of "No data" that each of Q2's ratings is a change from.
    folder = project.returns_dir(Q1)
    for path in folder.iterdir():
        path.unlink()
    (folder / "moved.txt").write_text("The returns are in the shared drive.", encoding="utf-8")
    _compares_with_nothing(
        invoke("summary", "Q2-2024", "--project", str(project.root)), "Q1 2024/25"
    )


def test_summary_exits_1_when_the_period_has_errors(project) -> None:
    service_return(project, Q2, "Waste", values={"WR-01": "about 80", "WR-02": 70})
    result = invoke("summary", "Q2-2024", "--project", str(project.root))
    assert result.exit_code == 1
    assert "Q2 2024/25: 1 error" in result.stdout


def test_summary_exits_2_on_a_bad_period(project) -> None:
    result = invoke("summary", "Q5-2024", "--project", str(project.root))
    assert result.exit_code == 2
    assert "is not a period" in result.stderr


def test_export_json_and_csv_print_the_library_export(project) -> None:
    library = summarise_period(project, Q2)
    as_json = invoke("export", "Q2-2024", "--project", str(project.root))
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.stdout) == dataset_document(library)
    as_csv = invoke("export", "Q2-2024", "--project", str(project.root), "-f", "csv")
    assert as_csv.exit_code == 0
    assert as_csv.stdout_bytes == csv_text(library).encode("utf-8")


def test_export_writes_a_file(project, tmp_path: Path) -> None:
    out = tmp_path / "open-data" / "q2.xlsx"
    result = invoke(
        "export", "Q2-2024", "--project", str(project.root), "-f", "xlsx", "-o", str(out)
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"
    assert "Wrote" in result.stderr


def test_export_of_a_quarter_with_catalogue_errors_says_so_and_exits_1(project) -> None:
    write_catalogue(
        project.catalogue_path,
        [{**row, "polarity": "upwards"} if row["ref"] == "WR-02" else row for row in INDICATORS],
    )
    result = invoke("export", "Q2-2024", "--project", str(project.root))
    assert result.exit_code == 1
    assert json.loads(result.stdout)["period"] == "Q2-2024"  # still written, for inspection
    assert " ".join(result.stderr.split()) == (
        "Q2 2024/25 has 1 error (in its returns or the catalogue), so some figures may be "
        "missing or wrong. Run 'perfreport validate Q2-2024' to see them."
    )


def test_an_xlsx_export_needs_a_file(project) -> None:
    result = invoke("export", "Q2-2024", "--project", str(project.root), "-f", "xlsx")
    assert result.exit_code == 2
    assert "an xlsx export needs a file: add -o FILE, e.g. -o Q2-2024.xlsx." in result.stderr
    later = invoke("export", "Q2-2025", "--project", str(project.root), "-f", "xlsx")
    assert "e.g. -o Q2-2025.xlsx." in later.stderr  # the period asked for, not always Q2-2024


def test_export_formats_are_case_blind(project) -> None:
    result = invoke("export", "Q2-2024", "--project", str(project.root), "-f", "CSV")
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == csv_text(summarise_period(project, Q2)).encode("utf-8")


def test_an_unknown_export_format_exits_2_listing_the_formats(project) -> None:
    result = invoke("export", "Q2-2024", "--project", str(project.root), "-f", "pdf")
    assert result.exit_code == 2
    message = " ".join(re.sub("[│╭╮╰╯─]", " ", result.stderr).split())
    formats = ", ".join(f"'{fmt}'" for fmt in ExportFormat)
    # typer before 0.29 (pyproject's bound) says it plainly; 0.29 put "Value error, " in between.
    assert f"Invalid value for '--format' / '-f': 'pdf' is not one of {formats}." in message
    assert formats == "'json', 'csv', 'xlsx'"


def test_both_commands_have_help() -> None:
    for command in ("summary", "export"):
        result = invoke(command, "--help")
        assert result.exit_code == 0 and "The quarter, e.g. Q2-2024." in result.stdout


def test_summary_counts_only_the_findings_validate_shows_and_shows_the_rest_itself(
    project,
) -> None:
    # Q2: a missing row (a warning validate shows), WR-01 Red with no actions (no-actions) and
    # last quarter's dataset.json unusable (published-dataset-unreadable): validate shows
    # neither of the last two, so the summary shows them and does not count them again.
    service_return(project, Q2, "Adult Social Care", values={"ASC-01": 31.0}, skip=["ASC-03"])
    published = project.build_dir(Q1) / "dataset.json"
    published.parent.mkdir(parents=True)
    published.write_text("{", encoding="utf-8")
    validated = invoke("validate", "Q2-2024", "--project", str(project.root))
    assert validated.stdout.endswith("2 files: 0 errors, 1 warning\n")
    assert "no-actions" not in validated.stdout and "dataset.json" not in validated.stdout
    result = invoke("summary", "Q2-2024", "--project", str(project.root))
    assert result.exit_code == 0, result.output
    tail = result.stdout[result.stdout.index("Q1 2024/25 ratings:") :]
    lines = [" ".join(line.split()) for line in tail.splitlines()]
    assert [line for line in lines if line and not set(line) <= set("─ ")] == [
        "Q1 2024/25 ratings: rated from its returns (no published dataset.json to use).",
        "build/Q1-2024/dataset.json",
        "Severity Code Message",  # no cell and no ref: the message has their room
        "warning published-dataset-unreadable build/Q1-2024/dataset.json cannot be used: it is "
        "not valid JSON (Expecting",
        "property name enclosed in double quotes at line 1). Q1 2024/25 was rated",
        "again from its returns instead. Rebuild Q1-2024 with its returns in",
        "returns/Q1-2024 to publish a new one.",
        "returns/Q2-2024/waste.xlsx, sheet Return",
        "Cell Severity Code Ref Message",
        "C9 warning no-actions WR-01 Cell C9: WR-01 is Red this quarter but its row has no "
        "actions. Say in the",
        "Actions column what the service is doing to bring it back to target; the",
        "paper's exception report shows them.",
        "Q2 2024/25: 0 errors, 1 warning besides those above. Run 'perfreport validate "
        "Q2-2024' to see them.",
    ]


def test_summary_names_the_file_of_each_earlier_quarters_finding_the_latest_first(
    tmp_path: Path,
) -> None:
    # Q1 2025/26 summarised with last quarter's and a year ago's dataset.json unusable: each is
    # listed under its file's name, as validate lists a return's findings, last quarter's first
    # (not in name order, where Q1-2024 comes before Q4-2024), and fits 80 columns.
    project = make_project(tmp_path / "council")
    q4, q1_next = Period(2024, 4), Period(2025, 1)
    for period in (Q1, q4, q1_next):
        service_return(project, period, "Waste", values={"WR-01": 56.0, "WR-02": 70})
        service_return(project, period, "Adult Social Care", values={"ASC-01": 31.0})
    for period in (Q1, q4):
        published = project.build_dir(period) / "dataset.json"
        published.parent.mkdir(parents=True)
        published.write_text("{", encoding="utf-8")
    result = runner.invoke(
        app,
        ["summary", q1_next.key, "--project", str(project.root)],
        env={**TERMINAL, "COLUMNS": "80"},
    )
    assert result.exit_code == 0, result.output
    tail = result.stdout[result.stdout.index("Q4 2024/25 ratings:") :]
    lines = [" ".join(line.split()) for line in tail.splitlines()]
    assert all(len(line) <= 80 for line in tail.splitlines()), tail
    listed = [line for line in lines if line and not set(line) <= set("─ ")]
    headings = [listed.index(f"build/{p.key}/dataset.json") for p in (q4, Q1)]
    assert headings == sorted(headings)
    for at, period in zip(headings, (q4, Q1), strict=True):
        assert listed[at + 1 : at + 3] == [
            "Severity Code Message",
            f"warning published-dataset-unreadable build/{period.key}/dataset.json cannot be",
        ]
    messages = " ".join(line.split("published-dataset-unreadable")[-1] for line in listed)
    for period in (q4, Q1):
        assert (
            f"{period.label} was rated again from its returns instead. Rebuild {period.key} "
            f"with its returns in returns/{period.key} to publish a new one."
        ) in " ".join(messages.split())
