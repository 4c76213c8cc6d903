"""`perfreport returns`: a workbook per service, in exactly the format that validate reads."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from formfill import fill_form, form_rows
from projectfactory import INDICATORS, make_project, service_return, write_return
from typer.testing import CliRunner

from perfreport.build import return_forms
from perfreport.cli import app
from perfreport.core.periods import Period
from perfreport.core.project import ConfigError, Project, load_project
from perfreport.forms.return_forms import (
    COLUMNS,
    HEADER_ROW,
    form_file_name,
)
from perfreport.inputs.dataset import read_period

Q1, Q2, Q4 = Period(2024, 1), Period(2024, 2), Period(2024, 4)
runner = CliRunner()
LIBRARIES = {
    "ref": "LIB-01",
    "title": "Library visitors (annual count)",
    "priority": "healthy",
    "service": "Libraries",
    "unit": "number",
    "polarity": "higher",
    "frequency": "annual",
    "due": "Q4",
    "target": 100000,
}


def invoke(*args: str):
    return runner.invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "300"})


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return make_project(
        tmp_path / "council",
        (*INDICATORS, LIBRARIES),
        targets=[{"ref": "WR-01", "year": "2024/25", "target": 56}],
    )


def names(paths: list[Path]) -> list[str]:
    return [p.name for p in paths]


@pytest.mark.parametrize(
    ("service", "expected"),
    [
        ("Adult Social Care", "Adult Social Care return Q2 2024-25.xlsx"),
        ("Planning / Building Control", "Planning - Building Control return Q2 2024-25.xlsx"),
        (
            'Highways: "Roads" <North>|South?*',
            "Highways- -Roads- -North-South- return Q2 2024-25.xlsx",
        ),
        ("Legal\\Democratic", "Legal-Democratic return Q2 2024-25.xlsx"),
    ],
)
def test_names_each_file_after_the_service_safely(service: str, expected: str) -> None:
    assert form_file_name(service, Q2) == expected
    assert not set('/\\:*?"<>|') & set(expected)


def test_writes_a_workbook_per_service_with_indicators_due(project: Project) -> None:
    paths = return_forms(project, Q2)
    assert names(paths) == [
        "Waste return Q2 2024-25.xlsx",
        "Adult Social Care return Q2 2024-25.xlsx",
    ]
    assert {p.parent for p in paths} == {project.root / "forms" / "Q2-2024"}
    assert list(form_rows(paths[1])) == ["ASC-01", "ASC-03"]  # ASC-02 is annual, due in Q4
    q4 = return_forms(project, Q4)
    assert names(q4) == [
        "Waste return Q4 2024-25.xlsx",
        "Adult Social Care return Q4 2024-25.xlsx",
        "Libraries return Q4 2024-25.xlsx",
    ]
    assert list(form_rows(q4[1])) == ["ASC-01", "ASC-02", "ASC-03"]


def test_writes_only_the_services_asked_for_into_the_folder_asked_for(
    project: Project, tmp_path: Path
) -> None:
    paths = return_forms(project, Q2, ["adult social CARE", "Waste"], tmp_path / "out")
    assert paths == [
        tmp_path / "out" / "Adult Social Care return Q2 2024-25.xlsx",
        tmp_path / "out" / "Waste return Q2 2024-25.xlsx",
    ]
    assert return_forms(project, Q2, ["Libraries"]) == []  # nothing due in Q2


def test_refuses_a_service_that_is_not_in_the_catalogue(project: Project) -> None:
    with pytest.raises(
        ConfigError,
        match="'Parks' is not a service in the catalogue. Services: "
        "Waste, Adult Social Care, Libraries.",
    ):
        return_forms(project, Q2, ["Parks"])


def test_lays_out_the_return_sheet_as_validate_reads_it(project: Project) -> None:
    path = return_forms(project, Q2, ["Waste"])[0]
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Instructions", "Return"]
    sheet = workbook["Return"]
    assert [sheet.cell(row, 1).value for row in range(4, 8)] == [
        "Service",
        "Period",
        "Submitted by",
        "Date",
    ]
    assert [sheet.cell(row, 2).value for row in range(4, 8)] == ["Waste", "Q2 2024/25", None, None]
    assert [c.value for c in sheet[HEADER_ROW]] == list(COLUMNS)
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=10, max_col=7)] == [
        [
            "WR-01",
            "Household waste sent for reuse, recycling and composting",
            "%",
            "Higher (Amber from 53.2%)",  # 5% of the target: how close is close enough
            56,
            None,
            None,
        ],
        [
            "WR-02",
            "Missed bin collections per 100,000",
            "number",
            "Lower (Amber up to 84)",
            80,
            None,
            None,
        ],
    ]
    assert sheet.max_row == 11


def test_locks_what_is_given_and_unlocks_what_the_service_fills_in(project: Project) -> None:
    path = return_forms(project, Q2, ["Waste"])[0]
    sheet = openpyxl.load_workbook(path)["Return"]
    for row in (10, 11):
        assert [sheet.cell(row, c).protection.locked for c in range(1, 15)] == [True] * 7 + [
            False
        ] * 7
    assert [sheet[a].protection.locked for a in ("B4", "B5", "B6", "B7")] == [
        True,
        True,
        False,
        False,
    ]
    assert sheet.protection.sheet is True
    assert sheet.protection.password is None
    assert sheet.protection.formatRows is False  # rows may grow to show long commentary
    assert openpyxl.load_workbook(path).security.lockStructure is True


def test_validates_input_in_excel(project: Project) -> None:
    path = return_forms(project, Q2, ["Waste"])[0]
    sheet = openpyxl.load_workbook(path)["Return"]
    rules = {
        str(v.sqref): (v.type, v.operator, v.formula1, v.formula2)
        for v in sheet.data_validations.dataValidation
    }
    assert rules == {
        "H10": ("decimal", "between", "0", "100"),  # WR-01 is a percentage
        "H11": ("decimal", "between", "-1E+15", "1E+15"),
        "I10:J11": ("decimal", "greaterThanOrEqual", "0", None),
        "K10:K11": ("list", None, '"Final,Provisional,Estimated,Not available,In arrears"', None),
        "M10:M11": ("list", None, '"Red,Amber,Green"', None),
        "B7": ("date", "greaterThan", "36526", None),
    }
    assert sheet["N10"].alignment.wrap_text and sheet["O11"].alignment.wrap_text
    assert sheet["L10"].number_format == "@"  # Period of data: kept as typed
    errors = {str(v.sqref): v.error for v in sheet.data_validations.dataValidation}
    assert errors["K10:K11"] == (
        "Choose Final, Provisional, Estimated, Not available or In arrears, or leave it blank "
        "(Final)."
    )


def test_sets_up_the_sheet_for_screen_and_paper(project: Project) -> None:
    path = return_forms(project, Q2, ["Waste"])[0]
    sheet = openpyxl.load_workbook(path)["Return"]
    assert sheet.freeze_panes == "C10"
    assert sheet.print_title_rows == "$9:$9"
    assert sheet.page_setup.orientation == "landscape"
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
    assert sheet.column_dimensions["N"].width == 60


def test_shows_earlier_figures_from_earlier_returns(project: Project) -> None:
    service_return(project, Q1, "Waste", values={"WR-01": 51.5, "WR-02": 90})
    service_return(project, Period(2023, 2), "Waste", values={"WR-01": 48.25}, skip=["WR-02"])
    write_return(
        project.returns_dir(Period(2023, 2)) / "more.xlsx",
        [{"Ref": "WR-02", "Data status": "Not available"}],
        service="Waste",
        period="Q2-2023",
    )
    path = return_forms(project, Q2, ["Waste"])[0]
    sheet = openpyxl.load_workbook(path)["Return"]
    assert [
        [c.value for c in row] for row in sheet.iter_rows(min_row=10, min_col=6, max_col=7)
    ] == [[51.5, 48.25], [90, "Not available"]]
    assert [sheet.cell(8, c).value for c in (6, 7, 8)] == ["Q1 2024/25", "Q2 2023/24", "Q2 2024/25"]
    assert sheet["F10"].number_format == "#,##0.0"  # a percentage: one decimal by default
    assert sheet["F11"].number_format == "#,##0"


def test_prefers_the_figures_committee_saw_in_the_published_dataset(project: Project) -> None:
    service_return(project, Q1, "Waste", values={"WR-01": 51.5, "WR-02": 90})
    published = project.build_dir(Q1) / "dataset.json"
    published.parent.mkdir(parents=True)
    published.write_text(
        json.dumps(
            {
                "schema": "perfreport.dataset/1",
                "period": "Q1-2024",
                "indicators": [
                    {"ref": "WR-01", "status": "reported", "value": 49.9},
                    {"ref": "WR-02", "status": "no_data", "value": None},
                ],
            }
        ),
        encoding="utf-8",
    )
    path = return_forms(project, Q2, ["Waste"])[0]
    sheet = openpyxl.load_workbook(path)["Return"]
    assert [sheet["F10"].value, sheet["F11"].value] == [49.9, "No data"]


def test_leaves_earlier_figures_blank_for_a_measure_not_due_then(project: Project) -> None:
    service_return(
        project,
        Period(2023, 4),
        "Adult Social Care",
        values={"ASC-01": 28, "ASC-02": 58, "ASC-03": 400},
    )
    service_return(
        project, Period(2024, 3), "Adult Social Care", values={"ASC-01": 31, "ASC-03": 410}
    )
    path = return_forms(project, Q4, ["Adult Social Care"])[0]
    sheet = openpyxl.load_workbook(path)["Return"]
    # ASC-02 is annual: Q3's rating carries Q4 2023/24's 58 forward, but the Previous quarter
    # column shows only a figure that belongs to Q3.
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=10, max_col=7)] == [
        [
            "ASC-01",
            "Adults receiving direct payments",
            "%",
            "Higher (Amber from 28.5%)",
            30,
            31,
            28,
        ],
        [
            "ASC-02",
            "Adults satisfied with their care (annual survey)",
            "%",
            "Higher (Amber from 57.0%)",
            60,
            None,
            58,
        ],
        [
            "ASC-03",
            "Adults in residential care (context)",
            "number",
            "n/a (context)",
            None,
            410,
            400,
        ],
    ]


def test_explains_the_return_with_the_deadline_and_contact(tmp_path: Path) -> None:
    project = make_project(
        tmp_path / "c",
        extra_config='[returns]\ndeadline = "Friday 18 '
        'October 2024"\ncontact = "the Performance Team on 01234 567890"\n',
    )
    path = return_forms(project, Q2, ["Waste"])[0]
    lines = [
        tuple(v for v in row if v)
        for row in openpyxl.load_workbook(path)["Instructions"].iter_rows(values_only=True)
    ]
    assert lines[:2] == [
        ("Test Council – Waste performance return",),
        ("Q2 2024/25 (July to September 2024)",),
    ]
    assert ("Deadline", "Please send this workbook back by Friday 18 October 2024.") in lines
    assert ("Questions", "Ask the Performance Team on 01234 567890.") in lines
    assert (
        "Period of data",
        "Only when the figure is for an earlier period than Q2 2024/25: the period it is for, "
        "such as Q1 2024/25, or 2023/24 for last year's annual outturn. Leave it blank for this "
        "quarter's figure. The paper names the figure by that period and rates it against that "
        "period's target.",
    ) in lines
    assert lines[-6:] == [
        ("Data status", "What it means"),
        ("Final", "The figure is confirmed and will not change. A blank Data status means Final."),
        ("Provisional", "The best figure available now; it may be revised next quarter."),
        (
            "Estimated",
            "An estimate, because the actual figure is not yet known. Say how it was "
            "estimated in Commentary.",
        ),
        (
            "Not available",
            "There is no figure this quarter. Leave Value blank and explain why in Commentary.",
        ),
        (
            "In arrears",
            "The figure is for the measure's previous period, because the data arrives late "
            "(last quarter's, or last year's outturn for an annual measure). Or give the period "
            "in Period of data.",
        ),
    ]


def test_leaves_out_the_deadline_when_none_is_set(project: Project) -> None:
    path = return_forms(project, Q2, ["Waste"])[0]
    labels = [
        row[0] for row in openpyxl.load_workbook(path)["Instructions"].iter_rows(values_only=True)
    ]
    assert "Deadline" not in labels and "Questions" not in labels


def test_round_trips_a_filled_in_form_with_zero_findings(project: Project) -> None:
    paths = return_forms(project, Q2, out_dir=project.returns_dir(Q2))
    fill_form(
        paths[0],
        {
            "WR-01": {
                "Value": 55.0,
                "Numerator": 5500,
                "Denominator": 10000,
                "Data status": "Provisional",
                "Forecast RAG": "Green",
                "Commentary": "Up on last quarter.",
                "Actions": "Keep the garden waste campaign going.",
            },
            "WR-02": {"Value": 72, "Data status": "Final", "Commentary": "Fewer missed bins."},
        },
    )
    fill_form(
        paths[1],
        {
            "ASC-01": {
                "Value": 29.5,
                "Data status": "Estimated",
                "Forecast RAG": "Amber",
                "Commentary": "Estimated from September's figures.",
            },
            "ASC-03": {
                "Data status": "Not available",
                "Commentary": "The system is being replaced.",
            },
        },
    )
    read = read_period(project, Q2)
    assert read.findings == ()
    assert {
        ref: (o.value, o.data_status.value) for ref, o in read.dataset.observations.items()
    } == {
        "WR-01": (55.0, "Provisional"),
        "WR-02": (72, "Final"),
        "ASC-01": (29.5, "Estimated"),
        "ASC-03": (None, "Not available"),
    }
    returned = {r.service: (r.submitted_by, r.period) for r in read.dataset.returns}
    assert returned == {"Waste": ("A. Officer", Q2), "Adult Social Care": ("A. Officer", Q2)}


def test_reads_an_untouched_form_as_nothing_but_missing_values(project: Project) -> None:
    return_forms(project, Q2, out_dir=project.returns_dir(Q2))
    read = read_period(project, Q2)
    assert [(f.code, f.file, f.cell, f.ref) for f in read.findings] == [
        (
            "missing-value",
            "returns/Q2-2024/Adult Social Care return Q2 2024-25.xlsx",
            "H10",
            "ASC-01",
        ),
        (
            "missing-value",
            "returns/Q2-2024/Adult Social Care return Q2 2024-25.xlsx",
            "H11",
            "ASC-03",
        ),
        ("missing-value", "returns/Q2-2024/Waste return Q2 2024-25.xlsx", "H10", "WR-01"),
        ("missing-value", "returns/Q2-2024/Waste return Q2 2024-25.xlsx", "H11", "WR-02"),
    ]


def test_writes_the_same_bytes_whatever_the_hash_seed(project: Project, tmp_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from perfreport.core.project import load_project; "
        "from perfreport.core.periods import Period; "
        "from perfreport.build import return_forms; "
        "return_forms(load_project(sys.argv[1]), Period(2024, 4), "
        "out_dir=Path(sys.argv[2]))"
    )
    for seed in ("1", "2"):
        subprocess.run(
            [sys.executable, "-c", code, str(project.root), str(tmp_path / seed)],
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
            timeout=120,
        )
    first = sorted((tmp_path / "1").iterdir())
    assert len(first) == 3
    for path in first:
        assert path.read_bytes() == (tmp_path / "2" / path.name).read_bytes()


def test_replaces_an_earlier_form_of_the_same_name(project: Project) -> None:
    path = return_forms(project, Q2, ["Waste"])[0]
    before = path.read_bytes()
    path.write_bytes(b"old")
    assert return_forms(project, Q2, ["Waste"]) == [path]
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [
        "Waste return Q2 2024-25.xlsx"
    ]  # no temporary file left behind


def test_runs_from_the_command_line(project: Project, tmp_path: Path) -> None:
    result = invoke(
        "returns",
        "Q2 2024/25",
        "--project",
        str(project.root),
        "--service",
        "waste",
        "--out",
        str(tmp_path / "out"),
    )
    assert result.exit_code == 0, result.output
    assert "Wrote 1 return workbook for Q2 2024/25" in result.stdout
    assert "Waste return Q2 2024-25.xlsx" in result.stdout
    assert names(sorted((tmp_path / "out").iterdir())) == ["Waste return Q2 2024-25.xlsx"]


def test_names_a_returns_folder_with_brackets_as_it_is(tmp_path: Path) -> None:
    made = make_project(
        tmp_path / "council",
        (*INDICATORS, LIBRARIES),
        extra_config='[paths]\nreturns = "returns [draft {period}]"\n',
    )
    result = invoke("returns", "Q2-2024", "--project", str(made.root), "--service", "waste")
    assert result.exit_code == 0, result.output
    assert "save the completed ones in returns [draft Q2-2024]/ and run" in " ".join(
        result.stdout.split()
    )


def test_says_when_nothing_is_due(project: Project) -> None:
    result = invoke("returns", "Q2-2024", "--project", str(project.root), "-s", "Libraries")
    assert result.exit_code == 0, result.output
    assert "No indicators are due in Q2 2024/25" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("Q2-2024", "--service", "Parks"), "'Parks' is not a service in the catalogue"),
        (("Q9-2024",), "is not a period"),
    ],
)
def test_exits_2_on_a_usage_error(project: Project, args: tuple[str, ...], message: str) -> None:
    result = invoke("returns", *args, "--project", str(project.root))
    assert result.exit_code == 2
    assert message in result.stderr


def test_fills_the_date_cell_as_a_real_date(project: Project) -> None:
    path = return_forms(project, Q2, ["Waste"], project.returns_dir(Q2))[0]
    fill_form(path, date=dt.datetime(2024, 10, 11))
    read = read_period(load_project(project.root), Q2)
    assert [r.submitted_on for r in read.dataset.returns] == ["2024-10-11"]


def test_the_instructions_name_each_indicators_lead_officer(tmp_path: Path) -> None:
    from buildfactory import copy_example

    project = copy_example("somerset", tmp_path / "somerset")
    path = return_forms(project, Q2, ["Waste and Recycling"])[0]
    lines = [
        tuple(v for v in row if v)
        for row in openpyxl.load_workbook(path)["Instructions"].iter_rows(values_only=True)
    ]
    leads = [line for line in lines if line[:1] == ("Lead officer",)]
    assert len(leads) == 1
    assert leads[0][1].startswith("Head of Waste Services: WST-01, WST-02, ")
