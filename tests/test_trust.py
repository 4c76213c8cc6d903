"""Input that must never pass quietly, and messages that say exactly what to do (issue 14)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from projectfactory import INDICATORS, make_project, service_return
from returnfactory import CATALOGUE, Q2, write_return
from typer.testing import CliRunner

from perfreport.cli import app
from perfreport.core.project import LimitSettings, ValidationSettings
from perfreport.inputs.returns import read_return

runner = CliRunner()
NINETY = (
    *INDICATORS,
    {
        "ref": "HOU-03",
        "title": "Homelessness cases prevented",
        "priority": "healthy",
        "service": "Housing",
        "unit": "%",
        "decimals": 1,
        "polarity": "higher",
        "target": 90,
    },
)


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "300"})


def findings_of(tmp_path: Path, rows, **layout):
    path = write_return(tmp_path / "return.xlsx", rows, **layout)
    _, findings = read_return(
        path, CATALOGUE, period=Q2, validation=ValidationSettings(), limits=LimitSettings()
    )
    return findings


# -- 1. a percentage typed as a fraction --------------------------------------------------------


def test_a_fraction_for_a_percentage_is_an_error_that_blocks_the_build(tmp_path: Path) -> None:
    """0.923 typed for 92.3% in a General cell, against a target of 90%: it went to committee
    as '0.9% against target 90.0%: Red'."""
    project = make_project(tmp_path / "council", NINETY)
    for service in ("Waste", "Adult Social Care"):
        service_return(project, Q2, service)
    service_return(project, Q2, "Housing", values={"HOU-03": 0.923})
    result = invoke("validate", "Q2-2024", "-p", str(project.root), "-f", "json")
    assert result.exit_code == 1
    (problem,) = [f for f in _json(result.output) if f["code"] == "fraction-for-percent"]
    assert problem["severity"] == "error" and problem["cell"] == "C9"
    assert problem["message"] == (
        "Cell C9: 0.923 would be 0.923%, less than 1/10 of the target of 90.0%; as a fraction it "
        "means 92.3%, close to the target. Type 92.3 in the cell (the percentage without the % "
        "sign), or format the cell as a percentage so that it shows 92.3%."
    )
    built = invoke("build", "Q2-2024", "-p", str(project.root), "--no-pdf")
    assert built.exit_code == 1
    assert "Not built" in built.output or "Build failed" in built.output
    assert not (project.root / "build" / "Q2-2024").exists() or not any(
        (project.root / "build" / "Q2-2024").glob("*.docx")
    )


def _json(text: str) -> list[dict]:
    import json

    return json.loads(text)["findings"]


def test_a_small_fraction_far_from_the_target_either_way_warns_and_is_implausible(
    tmp_path: Path,
) -> None:
    """0.05 for ASC-01 (target 85%): 0.05% and 5% are both far under target, so it stays a
    warning, and the implausible-value check now fires as well (it was skipped before)."""
    findings = findings_of(tmp_path, [{"Ref": "ASC-01", "Value": 0.05}])
    assert [(f.code, f.cell) for f in findings] == [
        ("ambiguous-percent", "C9"),
        ("implausible-value", "C9"),
    ]
    assert findings[1].message == (
        "Cell C9: 0.1% is less than 1/10 of the target of 85.0%. Check the figure (a misplaced "
        "decimal point?)."
    )


# -- 2. text in a rated Value cell --------------------------------------------------------------


def test_every_word_for_no_figure_in_value_is_a_finding(tmp_path: Path) -> None:
    """'n/a', 'tbc', '-' passed silently ('no problems found', counted complete, No data in the
    paper); 'see comment' is not a number at all."""
    rows = [
        {"Ref": "ASC-01", "Value": "n/a"},
        {"Ref": "ASC-02", "Value": "tbc"},
        {"Ref": "HSG-01", "Value": "-"},
        {"Ref": "ASC-04", "Value": "see comment"},
        {"Ref": "ASC-03", "Value": "N/A", "Data status": "Not available"},
    ]
    findings = findings_of(tmp_path, rows)
    coded = [(f.code, f.cell, f.severity.value) for f in findings if f.code != "wrong-service"]
    assert coded == [
        ("value-as-text", "C9", "warning"),
        ("value-as-text", "C10", "warning"),
        ("value-as-text", "C11", "warning"),
        ("not-a-number", "C12", "error"),
        ("value-as-text", "C13", "warning"),
    ]
    messages = [f.message for f in findings if f.code in ("value-as-text", "not-a-number")]
    assert messages[0] == (
        "Cell C9: 'n/a' is not a figure, so ASC-01 shows No data. Leave Value blank and set "
        "Data status to Not available, as the return form asks."
    )
    assert messages[3] == (
        "Cell C12: 'see comment' is not a number. Enter a number, or set Data status to Not "
        "available."
    )
    assert messages[4] == (
        "Cell C13: 'N/A' is not a figure, so ASC-03 shows No data. Data status is already Not "
        "available: leave Value blank."
    )


def test_validate_no_longer_says_no_problems_for_na_in_value(tmp_path: Path) -> None:
    project = make_project(tmp_path / "council")
    service_return(project, Q2, "Waste", values={"WR-01": "n/a"})
    service_return(project, Q2, "Adult Social Care")
    result = invoke("validate", "Q2-2024", "-p", str(project.root))
    assert "waste.xlsx: no problems found" not in result.output
    assert "value-as-text" in result.output
    status = invoke("status", "Q2-2024", "-p", str(project.root))
    (waste,) = [line.split() for line in status.output.splitlines() if "waste.xlsx" in line]
    assert waste[-2:] == ["0", "1"]  # no error, 1 warning (it showed 0 warnings)


# -- 3. two catalogues --------------------------------------------------------------------------


def test_two_catalogues_are_an_error_naming_both(tmp_path: Path) -> None:
    """A target changed in catalogue.csv had no effect, as catalogue.xlsx was read instead."""
    from projectfactory import write_catalogue

    project = make_project(tmp_path / "council")
    write_catalogue(project.root / "catalogue.csv", [{**INDICATORS[0], "target": 60}])
    for command in ("validate", "summary", "build"):
        result = invoke(command, "Q2-2024", "-p", str(project.root))
        assert result.exit_code == 2, command
        assert " ".join(result.output.split()) == (
            "Error: catalogue.xlsx: there are two indicator catalogues, catalogue.xlsx and "
            "catalogue.csv, and only catalogue.xlsx would be read. Keep the one you maintain and "
            "delete or rename the other (for example to catalogue-old.csv)."
        )
    (project.root / "catalogue.xlsx").unlink()
    assert invoke("validate", "Q2-2024", "-p", str(project.root)).exit_code in (0, 1)


# -- 14. file modes -----------------------------------------------------------------------------


@pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")
@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o002, 0o664)])
def test_returns_and_export_honour_the_umask(tmp_path: Path, umask: int, mode: int) -> None:
    """They were written 0600, so colleagues on a shared drive could not open the forms."""
    project = make_project(tmp_path / "council")
    service_return(project, Q2, "Waste")
    old = os.umask(umask)
    try:
        forms = invoke("returns", "Q2-2024", "-p", str(project.root), "--out", str(tmp_path / "f"))
        assert forms.exit_code == 0, forms.output
        for kind in ("xlsx", "csv", "json"):
            target = tmp_path / f"export.{kind}"
            result = invoke(
                "export", "Q2-2024", "-p", str(project.root), "-f", kind, "-o", str(target)
            )
            assert result.exit_code == 0, result.output
    finally:
        os.umask(old)
    written = [*sorted((tmp_path / "f").glob("*.xlsx")), *sorted(tmp_path.glob("export.*"))]
    assert len(written) == 5
    assert {oct(path.stat().st_mode & 0o777) for path in written} == {oct(mode)}


# -- 15. late returns ---------------------------------------------------------------------------

HIGHWAYS = {
    "ref": "HW-01",
    "title": "Potholes repaired within 28 days",
    "priority": "greener",
    "service": "Highways",
    "unit": "%",
    "polarity": "higher",
    "target": 90,
}


def _stamped(path: Path, when: dt.datetime) -> None:
    os.utime(path, (when.timestamp(), when.timestamp()))


@pytest.fixture
def deadline_project(tmp_path: Path):
    """Deadline Friday 11 October 2024: Adult Social Care on the 10th, Waste on Monday the 14th,
    Highways nothing."""
    project = make_project(
        tmp_path / "council",
        (*INDICATORS, HIGHWAYS),
        extra_config='[returns]\ndeadline = "Friday 11 October 2024"\n',
    )
    _stamped(service_return(project, Q2, "Waste"), dt.datetime(2024, 10, 14, 9, 30))
    _stamped(service_return(project, Q2, "Adult Social Care"), dt.datetime(2024, 10, 10, 16, 0))
    return project


def test_status_flags_late_returns_and_days_overdue(deadline_project) -> None:
    from perfreport.inputs.dataset import read_period
    from perfreport.summary.status import return_status

    read = read_period(deadline_project, Q2)
    report = return_status(deadline_project, read, today=dt.date(2024, 10, 21))
    assert report.deadline == dt.date(2024, 10, 11)
    assert [(s.service, s.days_late, s.days_overdue) for s in report.services] == [
        ("Waste", 3, 0),
        ("Adult Social Care", 0, 0),
        ("Highways", 0, 10),
    ]
    assert report.summary == (
        "2 of 3 returns received; 1 outstanding: Highways (10 days overdue); "
        "1 late: Waste (3 days late)"
    )
    assert report.to_dict()["deadline"] == "2024-10-11"
    assert report.to_dict()["services"][0]["days_late"] == 3


def test_status_shows_the_deadline_and_lateness(deadline_project) -> None:
    result = invoke("status", "Q2-2024", "-p", str(deadline_project.root))
    overdue = (dt.date.today() - dt.date(2024, 10, 11)).days
    text = result.output
    assert "Returns for Q2 2024/25, deadline 11 October 2024" in text
    assert f"outstanding, {overdue} days overdue" in text
    assert "3 days late" in text
    assert text.strip().endswith(
        f"1 outstanding: Highways ({overdue} days overdue); 1 late: Waste (3 days late)"
    )


def test_a_deadline_that_is_no_date_or_for_another_quarter_is_not_used() -> None:
    from perfreport.core.periods import Period
    from perfreport.summary.status import deadline_date

    q2 = Period(2024, 2)
    assert deadline_date("Friday 18 October 2024", q2) == dt.date(2024, 10, 18)
    assert deadline_date("18th Oct 2024", q2) == dt.date(2024, 10, 18)
    assert deadline_date("18/10/2024", q2) == dt.date(2024, 10, 18)
    assert deadline_date("Friday 19 July 2024", q2) is None  # Q1's deadline, left in place
    assert deadline_date("end of October", q2) is None


def test_status_refuses_a_deadline_on_the_wrong_weekday_exit_2(tmp_path: Path) -> None:
    """It was taken as 18 October 2026 and the weekday dropped; the forms printed it as written."""
    project = make_project(
        tmp_path / "c", extra_config='[returns]\ndeadline = "Sunday 18 October 2026"\n'
    )
    config = project.root / "perfreport.toml"
    config.write_text(config.read_text().replace("Sunday 18", "Friday 18"), encoding="utf-8")
    for command in ("status", "returns"):
        result = invoke(command, "Q2-2026", "-p", str(project.root))
        assert result.exit_code == 2, result.output
        assert "18 October 2026 is a Sunday, not a Friday" in " ".join(result.stderr.split())


# -- 6. a value typed in the wrong column -------------------------------------------------------


def test_a_blank_value_points_at_a_lone_figure_in_numerator_or_denominator(tmp_path: Path) -> None:
    """The only message was "Cell C9 is blank"; the figure sat in the Numerator column."""
    rows = [
        {"Ref": "ASC-01", "Numerator": 5.3},
        {"Ref": "ASC-02", "Denominator": "120"},
        {"Ref": "HSG-01", "Numerator": 17, "Denominator": 20},  # a fraction: nothing to point at
    ]
    findings = [f for f in findings_of(tmp_path, rows) if f.code == "missing-value"]
    assert [f.message for f in findings] == [
        "Cell C9 is blank, but E9 (Numerator) holds 5.3 (does it belong in Value?). Enter the "
        "figure for ASC-01, or set its Data status to Not available.",
        "Cell C10 is blank, but F10 (Denominator) holds 120 (does it belong in Value?). Enter the "
        "figure for ASC-02, or set its Data status to Not available.",
        "Cell C11 is blank. Enter the figure for HSG-01, or set its Data status to Not available.",
    ]


# -- 13. defaults -------------------------------------------------------------------------------


def test_init_without_a_council_warns_loudly(tmp_path: Path) -> None:
    """It silently named the council "Example Council"."""
    result = runner.invoke(app, ["init", str(tmp_path / "p")], env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    assert " ".join(result.stderr.split()) == (
        "Warning: no --council was given, so the paper's cover names the council 'Example "
        "Council'. Set [council] name in perfreport.toml to your council's name before you build."
    )
    named = runner.invoke(app, ["init", str(tmp_path / "q"), "--council", "Mendip District"])
    assert named.exit_code == 0 and named.stderr == ""


# -- 5. suggestions -----------------------------------------------------------------------------


def test_a_ref_typo_gets_a_suggestion_and_the_missing_indicator_points_at_it(
    tmp_path: Path,
) -> None:
    """HOU-O3 (letter O) for HOU-03: no suggestion, and "HOU-03 is missing" said nothing of it."""
    project = make_project(tmp_path / "council", NINETY)
    service_return(project, Q2, "Housing", values={"HOU-O3": 92.3}, skip=["HOU-03"])
    result = invoke("validate", "Q2-2024", "-p", str(project.root), "-f", "json")
    found = {
        f["code"]: f for f in _json(result.output) if (f["file"] or "").endswith("housing.xlsx")
    }
    assert found["unknown-ref"]["message"] == (
        "Cell A9: 'HOU-O3' is not a ref in the indicator catalogue (did you mean HOU-03?). "
        "Check the ref, or ask the performance team to add the indicator."
    )
    assert found["missing-indicator"]["message"] == (
        "HOU-03 (Homelessness cases prevented) is due this quarter but is not in this return. "
        "Cell A9 has 'HOU-O3', which is not a ref: if that row is HOU-03, correct its ref."
    )


def test_a_misspelt_heading_is_named_by_the_missing_column(tmp_path: Path) -> None:
    from returnfactory import HEADINGS

    headings = tuple("Valeu" if h == "Value" else h for h in HEADINGS)
    findings = findings_of(tmp_path, [{"Ref": "ASC-01", "Valeu": 85}], headings=headings)
    (missing,) = [f for f in findings if f.code == "missing-column"]
    assert missing.message == (
        "Row 8: the table has no Value column (also accepted: Actual, Outturn, Result). "
        "Cell C8 says 'Valeu': if that is the Value column, rename it Value."
    )


def test_a_period_folder_named_another_way_is_pointed_at(tmp_path: Path) -> None:
    project = make_project(tmp_path / "council")
    (project.root / "returns" / "Q2 2024-25").mkdir(parents=True)
    (project.root / "returns" / "Q1-2024").mkdir()
    result = invoke("validate", "Q2-2024", "-p", str(project.root), "-f", "json")
    (folder,) = [f for f in _json(result.output) if f["code"] == "no-returns-folder"]
    assert folder["message"] == (
        "There is no folder returns/Q2-2024, so no returns were read and there is nothing to "
        "report. There is a folder "
        "returns/Q2 2024-25: if it holds Q2 2024/25's returns, rename it Q2-2024."
    )
    later = invoke("validate", "Q3-2024", "-p", str(project.root), "-f", "json")
    (none,) = [f for f in _json(later.output) if f["code"] == "no-returns-folder"]
    assert none["message"].endswith("Save the returns there, or check the period.")
    (project.root / "returns" / "Q4-2O24").mkdir()  # a letter O for the zero
    typo = invoke("validate", "Q4-2024", "-p", str(project.root), "-f", "json")
    (named,) = [f for f in _json(typo.output) if f["code"] == "no-returns-folder"]
    assert "There is a folder returns/Q4-2O24: if it holds Q4 2024/25's returns" in named["message"]


# -- 7. the report file's unfilled items --------------------------------------------------------


def _warnings_joined(output: str) -> list[str]:
    """The output's lines, each warning wrapped to the console (under a hanging indent of 4)
    joined into one line again."""
    lines: list[str] = []
    for line in output.splitlines():
        if line.startswith("    ") and lines and lines[-1].startswith("  "):
            lines[-1] += " " + line.strip()
        else:
            lines.append(line)
    return lines


def test_the_report_files_unfilled_items_are_one_warning_unless_verbose(tmp_path: Path) -> None:
    """34 "placeholder" warnings on the first build after init buried the two that mattered."""
    project = tmp_path / "p"
    made = runner.invoke(app, ["init", str(project), "--council", "Mendip", "--period", "Q2-2024"])
    assert made.exit_code == 0, made.output
    from perfreport.core.project import load_project

    service_return(load_project(project), Q2, "Waste Services")  # an empty quarter is not built
    result = invoke("build", "Q2-2024", "-p", str(project), "--no-pdf")
    assert result.exit_code == 0, result.output
    lines = _warnings_joined(result.output)
    assert "3 warnings (see findings.json):" in lines  # was "36 warnings"
    (grouped,) = [line for line in lines if line.startswith("  placeholder ")]
    assert grouped.startswith(
        "  placeholder reports/Q2-2024.toml: 34 items are not filled in, so the paper shows "
        '"[To be completed: …]" for them: appendices, background_papers, background, '
    )
    assert grouped.endswith(
        "author.name. Fill them in there (see docs/report-file.md), or in the Word document; "
        "--verbose lists each."
    )
    verbose = invoke("build", "Q2-2024", "-p", str(project), "--no-pdf", "--verbose")
    each = [line for line in _warnings_joined(verbose.output) if line.startswith("  placeholder ")]
    assert len(each) == 34
    assert "36 warnings (see findings.json):" in verbose.output.splitlines()


def test_only_a_lookalike_ref_is_suggested() -> None:
    from perfreport.inputs.cells import closest

    refs = ["HOU-03", "HOU-04", "ASC-01"]
    assert closest("HOU-O3", refs, cutoff=1) == "HOU-03"
    assert closest("hou 03", refs, cutoff=1) == "HOU-03"
    assert closest("ASC-0l", refs, cutoff=1) == "ASC-01"
    assert closest("HOU-07", refs, cutoff=1) is None  # another indicator, not a typo
    assert closest("Valeu", ["Value", "Target"]) == "Value"
    assert closest("Notes for finance", ["Value", "Target"]) is None


def test_a_misspelt_return_sheet_is_named(tmp_path: Path) -> None:
    findings = findings_of(
        tmp_path, [{"Ref": "ASC-01", "Value": 86}], sheet="Retrun", other_sheets=["Notes"]
    )
    (sheet,) = [f for f in findings if f.code == "ambiguous-sheet"]
    assert sheet.message == (
        "This file has 2 visible sheets ('Retrun', 'Notes') and none is named Return. The sheet "
        "'Retrun' looks like the return: rename it Return."
    )
