"""`perfreport status`: the chase list of returns received and outstanding."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest
from projectfactory import INDICATORS, make_project, service_return
from typer.testing import CliRunner

from perfreport.build import period_status
from perfreport.cli import app
from perfreport.core.periods import Period
from perfreport.core.project import Project
from perfreport.summary.status import ReceivedFile, ServiceStatus, StatusReport

Q2 = Period(2024, 2)
MONDAY = dt.datetime(2024, 10, 14, 9, 32)
MONDAY_WITH_OFFSET = MONDAY.astimezone().isoformat()  # "2024-10-14T09:32:00+01:00" in London
runner = CliRunner()
MORE = (
    {
        "ref": "HW-01",
        "title": "Potholes repaired within 28 days",
        "priority": "greener",
        "service": "Highways",
        "unit": "%",
        "polarity": "higher",
        "target": 90,
    },
    {
        "ref": "LIB-01",
        "title": "Library visitors (annual count)",
        "priority": "healthy",
        "service": "Libraries",
        "unit": "number",
        "polarity": "higher",
        "frequency": "annual",
        "due": "Q4",
        "target": 100000,
    },
)


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "300"})


def stamp(path: Path, when: dt.datetime = MONDAY) -> Path:
    os.utime(path, (when.timestamp(), when.timestamp()))
    return path


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """Waste sent a clean return, Adult Social Care one with problems, Highways nothing;
    Libraries has nothing due until Q4."""
    project = make_project(tmp_path / "council", (*INDICATORS, *MORE))
    stamp(service_return(project, Q2, "Waste"))
    stamp(
        service_return(
            project, Q2, "Adult Social Care", values={"ASC-01": "about 30"}, skip=["ASC-03"]
        ),
        MONDAY + dt.timedelta(days=1, minutes=5),
    )
    return project


def test_lists_every_service_with_what_has_arrived(project: Project) -> None:
    report = period_status(project, Q2)
    assert report.services == (
        ServiceStatus(
            "Waste",
            (ReceivedFile("returns/Q2-2024/waste.xlsx", MONDAY),),
            expected=2,
            returned=2,
            errors=0,
            warnings=0,
        ),
        ServiceStatus(
            "Adult Social Care",
            (
                ReceivedFile(
                    "returns/Q2-2024/adult-social-care.xlsx", dt.datetime(2024, 10, 15, 9, 37)
                ),
            ),
            expected=2,
            returned=0,
            errors=1,
            warnings=1,
        ),
        ServiceStatus("Highways", (), expected=1, returned=0, errors=0, warnings=0),
        ServiceStatus("Libraries", (), expected=0, returned=0, errors=0, warnings=0),
    )
    assert [s.service for s in report.outstanding] == ["Highways"]
    assert report.summary == "2 of 3 returns received; 1 outstanding: Highways"


def test_counts_a_return_that_cannot_be_read_as_received_by_its_name(project: Project) -> None:
    folder = project.returns_dir(Q2)
    (folder / "Highways return Q2 2024-25.xlsx").write_bytes(b"not a workbook")
    (folder / "notes.xlsx").write_bytes(b"nor this")
    report = period_status(project, Q2)
    highways = report.services[2]
    assert (highways.received, highways.returned, highways.errors) == (True, 0, 1)
    assert [f.name for f in highways.files] == ["returns/Q2-2024/Highways return Q2 2024-25.xlsx"]
    assert [f.name for f in report.other_files] == ["returns/Q2-2024/notes.xlsx"]
    assert (report.other_errors, report.other_warnings) == (1, 0)
    assert report.summary == "3 of 3 returns received; none outstanding"


def test_counts_a_figure_marked_not_available_as_returned(project: Project) -> None:
    stamp(service_return(project, Q2, "Highways", values={"HW-01": "n/a"}))
    report = period_status(project, Q2)
    assert (report.services[2].returned, report.services[2].expected) == (1, 1)


def test_lists_every_file_a_service_sent(project: Project) -> None:
    stamp(
        service_return(
            project, Q2, "Waste", "waste-resent.xlsx", skip=["WR-01", "WR-02"], values={}
        )
    )
    waste = period_status(project, Q2).services[0]
    assert [f.name for f in waste.files] == [
        "returns/Q2-2024/waste-resent.xlsx",
        "returns/Q2-2024/waste.xlsx",
    ]


@pytest.mark.parametrize(
    ("sent", "summary"),
    [
        (False, "0 of 1 return received; 1 outstanding: Waste"),
        (True, "1 of 1 return received; none outstanding"),
    ],
)
def test_words_the_summary_for_one_return(tmp_path: Path, sent: bool, summary: str) -> None:
    project = make_project(tmp_path / "c", INDICATORS[:2])
    if sent:
        service_return(project, Q2, "Waste")
    assert period_status(project, Q2).summary == summary


def test_words_the_summary_with_several_outstanding() -> None:
    names = ("Highways", "Libraries", "Adult Social Care")
    services = tuple(
        ServiceStatus(f"S{n}", (ReceivedFile(f"s{n}.xlsx", None),), 1, 1, 0, 0) for n in range(9)
    )
    services += tuple(ServiceStatus(name, (), 3, 0, 0, 0) for name in names)
    assert StatusReport(Q2, services).summary == (
        "9 of 12 returns received; 3 outstanding: Highways, Libraries, Adult Social Care"
    )


def test_tolerates_a_period_with_no_returns_folder(project: Project) -> None:
    report = period_status(project, Period(2025, 1))
    assert report.summary == (
        "0 of 3 returns received; 3 outstanding: Waste, Adult Social Care, Highways"
    )


def test_prints_a_table_and_the_summary(project: Project) -> None:
    result = invoke("status", "Q2-2024", "--project", str(project.root))
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()]
    assert "Waste waste.xlsx (2024-10-14 09:32) 2 of 2 0 0" in lines
    assert "Adult Social Care adult-social-care.xlsx (2024-10-15 09:37) 0 of 2 1 1" in lines
    assert "Highways outstanding 0 of 1 0 0" in lines
    assert "Libraries nothing due 0 0" in lines
    assert lines[-1] == "2 of 3 returns received; 1 outstanding: Highways"


def test_prints_json_equal_to_the_library_result(project: Project) -> None:
    result = invoke("status", "Q2-2024", "--project", str(project.root), "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data == period_status(project, Q2).to_dict()
    assert data["schema"] == "perfreport.status/1"
    assert data["outstanding"] == ["Highways"]
    assert data["services"][0] == {
        "service": "Waste",
        "received": True,
        "outstanding": False,
        "files": [{"name": "returns/Q2-2024/waste.xlsx", "modified": MONDAY_WITH_OFFSET}],
        "expected": 2,
        "returned": 2,
        "errors": 0,
        "warnings": 0,
        "days_late": 0,  # no [returns] deadline set
        "days_overdue": 0,
    }


def test_exits_1_with_fail_on_missing_only_when_a_return_is_outstanding(project: Project) -> None:
    assert invoke("status", "Q2-2024", "-p", str(project.root), "--fail-on-missing").exit_code == 1
    service_return(project, Q2, "Highways")
    assert invoke("status", "Q2-2024", "-p", str(project.root), "--fail-on-missing").exit_code == 0


def test_exits_2_without_a_project(tmp_path: Path) -> None:
    result = invoke("status", "Q2-2024", "--project", str(tmp_path))
    assert result.exit_code == 2
    assert "perfreport.toml" in result.stderr
