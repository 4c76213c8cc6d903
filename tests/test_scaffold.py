"""`perfreport init`: a new project with every setting explained, whose settings and catalogue have no mistake."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import tomllib
from dataclasses import fields
from pathlib import Path

import openpyxl
import pytest
from projectfactory import service_return
from typer.testing import CliRunner

from perfreport.cli import app
from perfreport.core.glossary import Glossary
from perfreport.core.model import Frequency, Polarity
from perfreport.core.periods import Period, accepted_forms
from perfreport.core.project import _SECTIONS, Project, load_project, parse_config
from perfreport.forms.report_skeleton import report_skeleton
from perfreport.forms.scaffold import (
    CATALOGUE_HEADINGS,
    ScaffoldError,
    current_reporting_period,
    init_project,
)
from perfreport.forms.settings_file import SETTING_COMMENTS, config_text
from perfreport.inputs.catalogue import load_catalogue
from perfreport.inputs.dataset import read_period
from perfreport.inputs.report_file import ITEMS, load_report, parse_report

Q2 = Period(2024, 2)
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "300"})


def uncommented(text: str) -> str:
    """The file with every commented-out setting switched on ("# key = value", "# [table]")."""
    return re.sub(r"(?m)^# (?=[\w.]+ = |\[)", "", text)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    init_project(tmp_path / "council", council="Somerset Council", period=Q2)
    return load_project(tmp_path / "council")


def test_creates_the_project_files_and_folders(tmp_path: Path) -> None:
    root = tmp_path / "council"
    created = init_project(root, council="Somerset Council", period=Q2)
    assert [p.relative_to(root).as_posix() for p in created] == [
        "returns",
        "returns/Q2-2024",
        "reports",
        "perfreport.toml",
        "catalogue.xlsx",
        "reports/Q2-2024.toml",
    ]
    assert list((root / "returns" / "Q2-2024").iterdir()) == []


def test_writes_a_config_that_loads_with_the_council_and_priorities(project: Project) -> None:
    assert project.council == "Somerset Council"
    assert project.title == "Corporate Performance Management Report"
    assert [(p.key, p.supporting) for p in project.priorities] == [
        ("greener", False),
        ("healthy", False),
        ("council", True),
    ]


def test_explains_every_setting_that_perfreport_toml_accepts() -> None:
    # [glossary] has no fixed keys: config_text writes a commented example of it.
    assert (
        set(SETTING_COMMENTS) | {"council", "report", "priorities", "directorates", "glossary"}
        == _SECTIONS
    )
    for section, (settings, comments) in SETTING_COMMENTS.items():
        assert list(comments) == [f.name for f in fields(settings)], section
        assert all(comment.strip() for comment in comments.values())
    text = config_text("Somerset Council")
    for section, (_, comments) in SETTING_COMMENTS.items():
        assert f"[{section}]" in text
        for key in comments:
            assert re.search(rf"(?m)^# .+\n# {key} = ", text), f"{section}.{key} lacks a comment"


def test_comments_out_each_optional_setting_at_its_default() -> None:
    text = config_text("Somerset Council")
    as_written = parse_config(tomllib.loads(text), Path("perfreport.toml"))
    switched_on = parse_config(tomllib.loads(uncommented(text)), Path("perfreport.toml"))
    # Every setting switched on is the default, but for the [glossary] example, which has none.
    assert dataclasses.replace(switched_on, glossary=Glossary()) == as_written
    assert switched_on.glossary == Glossary(
        (
            ("EHCP", "Education, Health and Care Plan"),
            ("NEET", "not in education, employment or training"),
        )
    )
    assert not as_written.glossary
    assert as_written.rating == Project(Path(), "x", "x", ()).rating
    assert as_written.limits == Project(Path(), "x", "x", ()).limits


def test_keeps_any_council_name_intact(tmp_path: Path) -> None:
    name = 'Bath & North East "Somerset" Council \\ Ünïcode'
    init_project(tmp_path / "c", council=name, period=Q2)
    assert load_project(tmp_path / "c").council == name


def test_rejects_an_empty_council_name(tmp_path: Path) -> None:
    with pytest.raises(ScaffoldError, match="must not be empty"):
        init_project(tmp_path / "c", council="  ", period=Q2)
    assert not (tmp_path / "c").exists()


def test_writes_the_catalogue_headings_examples_and_drop_downs(project: Project) -> None:
    workbook = openpyxl.load_workbook(project.catalogue_path)
    assert workbook.sheetnames == ["Indicators", "Targets", "Guide"]
    sheet = workbook["Indicators"]
    assert [c.value for c in sheet[1]] == list(CATALOGUE_HEADINGS)
    assert sheet.max_row == 3  # the headings and two examples
    lists = {str(v.sqref): (v.type, v.formula1) for v in sheet.data_validations.dataValidation}
    assert lists == {
        "I2:I5000": ("list", '"higher,lower,none"'),
        "J2:J5000": ("list", '"quarterly,monthly,half-yearly,annual"'),
        "L2:L5000": ("list", '"yes,no"'),
    }
    targets = workbook["Targets"]
    assert [c.value for c in targets[1]] == [
        *("Ref", "Year", "Target", "Amber", "Q1", "Q2", "Q3", "Q4", "Profile")
    ]
    assert targets.max_row == 1
    profiles = {str(v.sqref): (v.type, v.formula1) for v in targets.data_validations.dataValidation}
    assert profiles == {"I2:I5000": ("list", '"cumulative,cumulative-even"')}
    guide = {row[0]: row[2] for row in workbook["Guide"].iter_rows(values_only=True)}
    assert guide["Profile"].startswith("On the Targets sheet: cumulative (a year-to-date measure")
    assert "28 by Q1, 54.5 by Q2, 81 by Q3, 97.5 by Q4" in guide["Q1, Q2, Q3, Q4"]


def test_writes_a_catalogue_that_reads_without_findings(project: Project) -> None:
    catalogue, findings = load_catalogue(project)
    assert findings == ()
    assert [
        (i.ref, i.priority, i.service, i.polarity, i.frequency, i.rated, i.target)
        for i in catalogue.indicators
    ] == [
        ("WST-01", "greener", "Waste Services", Polarity.HIGHER, Frequency.QUARTERLY, True, 55),
        ("HR-01", "council", "Human Resources", Polarity.LOWER, Frequency.QUARTERLY, True, 2.5),
    ]


def test_validates_as_it_stands_with_only_the_returns_missing(project: Project) -> None:
    read = read_period(project, Q2)
    assert [(f.code, f.severity.value, f.value) for f in read.findings] == [
        ("missing-return", "warning", "Human Resources"),
        ("missing-return", "warning", "Waste Services"),
        ("no-returns", "error", None),  # nothing to report yet: no paper of no figures
    ]
    result = invoke("validate", "Q2-2024", "--project", str(project.root))
    assert result.exit_code == 1, result.output
    service_return(project, Q2, "Waste Services")
    assert invoke("validate", "Q2-2024", "--project", str(project.root)).exit_code == 0


def test_writes_a_report_skeleton_that_loads_with_every_item_to_be_completed(
    project: Project,
) -> None:
    path = project.report_path(Q2)
    report, findings = load_report(path, "reports/Q2-2024.toml")
    assert dict(report.values) == {}
    assert findings and {f.code for f in findings} == {"placeholder"}


def test_gives_a_working_example_for_every_report_item() -> None:
    text = report_skeleton(Q2)
    for item in ITEMS:
        assert re.search(rf"(?m)^# {item.key} = |^# \[+{item.key}[\].]", text), item.key
    report, findings = parse_report(tomllib.loads(uncommented(text)), Path("Q2-2024.toml"))
    # The figure's example names an image the officer supplies, so only that is missing.
    assert [(f.code, f.message.split(":")[0]) for f in findings] == [
        ("figure-not-found", "Q2-2024.toml, figures[1].image")
    ]
    assert report["meeting_date"] == dt.date(2024, 12, 5)


@pytest.mark.parametrize("existing", ["perfreport.toml", "catalogue.xlsx", "reports/Q2-2024.toml"])
def test_never_overwrites_a_file_and_names_it(tmp_path: Path, existing: str) -> None:
    root = tmp_path / "council"
    (root / existing).parent.mkdir(parents=True, exist_ok=True)
    (root / existing).write_text("mine", encoding="utf-8")
    with pytest.raises(
        ScaffoldError, match=re.escape(existing.rsplit("/")[-1]) + ".*already exists"
    ):
        init_project(root, period=Q2)
    assert (root / existing).read_text(encoding="utf-8") == "mine"
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == sorted(
        {existing, *(["reports"] if "/" in existing else [])}
    )


def test_refuses_a_folder_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "council").write_text("x", encoding="utf-8")
    with pytest.raises(ScaffoldError, match="is a file"):
        init_project(tmp_path / "council", period=Q2)


def test_writes_the_same_bytes_every_time(tmp_path: Path) -> None:
    init_project(tmp_path / "a", period=Q2)
    init_project(tmp_path / "b", period=Q2)
    for name in ("perfreport.toml", "catalogue.xlsx", "reports/Q2-2024.toml"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2024, 10, 14), Period(2024, 2)),
        (dt.date(2024, 4, 1), Period(2023, 4)),
        (dt.date(2025, 1, 31), Period(2024, 3)),
        (dt.date(2025, 3, 31), Period(2024, 3)),
    ],
)
def test_starts_with_the_latest_quarter_that_has_ended(today: dt.date, expected: Period) -> None:
    assert current_reporting_period(today) == expected


def test_runs_from_the_command_line(tmp_path: Path) -> None:
    root = tmp_path / "council"
    result = invoke("init", str(root), "--council", "Somerset Council", "--period", "Q2 2024/25")
    assert result.exit_code == 0, result.output
    assert "perfreport.toml" in result.stdout
    assert "perfreport returns Q2-2024" in result.stdout
    assert load_project(root).council == "Somerset Council"
    assert (root / "reports" / "Q2-2024.toml").is_file()


def test_exits_2_naming_the_file_in_the_way(tmp_path: Path) -> None:
    root = tmp_path / "council"
    root.mkdir()
    (root / "catalogue.xlsx").write_bytes(b"mine")
    result = invoke("init", str(root), "--period", "Q2-2024")
    assert result.exit_code == 2
    assert "catalogue.xlsx" in result.stderr and "already exists" in result.stderr
    assert not (root / "perfreport.toml").exists()


def test_exits_2_on_a_bad_period(tmp_path: Path) -> None:
    result = invoke("init", str(tmp_path / "council"), "--period", "Q5-2024")
    assert result.exit_code == 2
    assert accepted_forms()[0] in result.stderr  # an example in the current financial year
    assert not (tmp_path / "council").exists()


def test_the_next_step_goes_into_a_project_made_elsewhere_and_works_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 'perfreport returns' finds perfreport.toml from the current folder: the advice of a
    # project made elsewhere goes into it first (quoted, as typed after cd, for a space).
    monkeypatch.chdir(tmp_path)
    made = invoke("init", "new council", "--period", "Q2-2024")
    advice = " ".join(made.stdout.split())
    assert 'Next: in new council (cd "new council"), set the priorities' in advice
    monkeypatch.chdir(tmp_path / "new council")
    assert invoke("returns", "Q2-2024").exit_code == 0
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    advice = " ".join(invoke("init", ".", "--period", "Q2-2024").stdout.split())
    assert "Next: set the priorities in perfreport.toml" in advice and "cd " not in advice
