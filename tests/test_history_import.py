"""perfreport history import: past figures read like a return, stored as published history, used."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest
from projectfactory import make_project, service_return
from typer.testing import CliRunner

from perfreport.build import import_history, summarise_period
from perfreport.cli import app
from perfreport.core.model import RAG
from perfreport.core.periods import Period
from perfreport.core.project import Project
from perfreport.rating.rules import Direction

Q2 = Period(2024, 2)
Q2_2023 = Period(2023, 2)
TODAY = dt.date(2024, 11, 1)
HEADINGS = ("Ref", "Period", "Value", "Target", "RAG", "Commentary")


def write_past(path: Path, rows: Sequence[Sequence[object]], headings=HEADINGS) -> Path:
    """A workbook of past figures: a title row, then the headings in row 3 and the rows under."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "History"
    sheet["A1"] = "Published figures, 2022 to 2024"
    sheet.append([])
    sheet.append(list(headings))
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return make_project(tmp_path / "council")


def codes(result) -> list[tuple[str, str | None, str | None]]:
    return [(f.code, f.cell, f.ref) for f in result.findings]


def test_a_bad_file_gets_a_finding_for_each_cell_and_nothing_is_stored(project: Project) -> None:
    path = write_past(
        project.root / "past.xlsx",
        [
            ("WR-01", "Q3 2022/23", 53.0, None, "Red", ""),  # row 4: Amber by the rule
            ("WR-99", "Q3 2022/23", 50, None, None, ""),  # unknown ref
            ("WR-01", "Q5 2022/23", 50, None, None, ""),  # not a period
            ("WR-01", "2022/23", 50, None, None, ""),  # a year for a quarterly measure
            ("ASC-02", "Q2 2022/23", 61, None, None, ""),  # annual, due in Q4 only
            ("WR-01", "Q4 2024/25", 50, None, None, ""),  # not ended by TODAY
            ("WR-02", "Q3 2022/23", "about 80", None, None, ""),  # not a number
            ("WR-02", "Q4 2022/23", 70, None, "Ambre", ""),  # not a RAG
            ("WR-01", "Q3 2022/23", 52, None, None, ""),  # row 12: again
        ],
    )
    result = import_history(project, path, today=TODAY)
    assert codes(result) == [
        ("history-rag-differs", "E4", "WR-01"),
        ("history-unknown-ref", "A5", None),
        ("history-bad-period", "B6", "WR-01"),
        ("history-bad-period", "B7", "WR-01"),
        ("history-bad-period", "B8", "ASC-02"),
        ("history-bad-period", "B9", "WR-01"),
        ("not-a-number", "C10", "WR-02"),
        ("bad-rag", "E11", "WR-02"),
        ("history-duplicate", "A12", "WR-01"),
    ]
    messages = {f.cell: f.message for f in result.findings}
    assert messages["A5"] == (
        "Cell A5: 'WR-99' is not a ref in the indicator catalogue. Check the ref, or add the "
        "indicator to the catalogue before importing its figures."
    )
    assert messages["B7"] == (
        "Cell B7: '2022/23' is a financial year, but WR-01 is reported quarterly. Give the "
        "quarter the figure was reported in, such as Q2 2023/24."
    )
    assert messages["B8"] == (
        "Cell B8: ASC-02 is due in Q4 only, so it has no figure for Q2 2022/23. Give the quarter "
        "it was reported in, or the financial year (2023/24) for an annual measure."
    )
    assert messages["B9"] == (
        "Cell B9: Q4 2024/25 has not ended yet. Past figures are for quarters that have ended: "
        "check the period."
    )
    assert messages["A12"] == (
        "Cell A12: WR-01 already has a figure for Q3 2022/23 in row 4. Keep one row per "
        "indicator and period."
    )
    assert messages["E4"] == (
        "Cell E4: WR-01 was published as Red for Q3 2022/23, but the catalogue's rule gives "
        "Amber (53.0% against target 55.0%: Amber (Amber from 52.3%)). The published Red is "
        "kept, as committee saw it."
    )
    assert {f.file for f in result.findings} == {"past.xlsx"}
    assert {f.sheet for f in result.findings} == {"History"}
    assert not result.stored
    assert not (project.root / "history").exists()


def test_every_finding_of_a_bad_file_in_cell_order(project: Project) -> None:
    path = write_past(
        project.root / "past.xlsx",
        [
            ("WR-99", "Q3 2022/23", 50, None, None, ""),
            ("WR-01", "Q5 2022/23", 50, None, None, ""),
            ("WR-02", "Q4 2022/23", 70, None, "Ambre", ""),
        ],
    )
    assert codes(import_history(project, path, today=TODAY)) == [
        ("history-unknown-ref", "A4", None),
        ("history-bad-period", "B5", "WR-01"),
        ("bad-rag", "E6", "WR-02"),
    ]


def test_a_file_without_a_period_column_is_one_finding(project: Project) -> None:
    path = write_past(project.root / "past.xlsx", [("WR-01", 50)], headings=("Ref", "Value"))
    result = import_history(project, path, today=TODAY)
    assert [(f.code, f.message) for f in result.findings] == [
        (
            "history-missing-column",
            "past.xlsx has no Period column, so nothing was imported. The first row of "
            "headings must include Ref, Period and Value (Target, RAG and Commentary are "
            "optional).",
        )
    ]
    assert not result.stored


def test_a_csv_is_stored_as_each_quarters_published_dataset(project: Project) -> None:
    csv = project.root / "past.csv"
    csv.write_text(
        "Ref,Period,Value,RAG,Commentary\n"
        "WR-01,Q2 2023/24,48.2,Red,Fewer garden waste subscriptions\n"
        "WR-02,Q2 2023/24,85,,\n"
        "ASC-02,2022/23,58.0,,\n",
        encoding="utf-8",
    )
    result = import_history(project, csv, today=TODAY)
    assert result.findings == ()
    assert result.stored
    assert result.quarters == (Period(2022, 4), Q2_2023)
    stored = json.loads((project.root / "history/Q2-2023/dataset.json").read_text("utf-8"))
    assert stored["schema"] == "perfreport.dataset/1"
    assert stored["history_source"] == "imported"
    assert stored["imported_from"] == "past.csv"
    rows = {r["ref"]: r for r in stored["indicators"]}
    assert sorted(rows) == ["ASC-02", "WR-01", "WR-02"]  # ASC-02 carried forward (not due)
    assert (rows["WR-01"]["value"], rows["WR-01"]["rag"]) == (48.2, "red")
    assert rows["WR-01"]["commentary"] == "Fewer garden waste subscriptions"
    assert rows["WR-01"]["source"] == {"file": "past.csv", "sheet": "", "cell": "C2"}
    assert (rows["WR-02"]["rag"], rows["WR-02"]["rag_reason"]) == (
        "red",
        "85 against target 80: Red (Amber up to 84)",
    )
    assert (rows["ASC-02"]["value"], rows["ASC-02"]["value_period"]) == (58.0, "Q4-2022")
    assert stored["summary"]["counts"] == {
        "green": 0,
        "amber": 1,  # ASC-02's 2022/23 outturn, carried forward: 58.0% against 60.0%
        "red": 2,
        "not_rated": 0,
        "no_data": 0,
    }


def test_same_quarter_last_year_and_direction_come_from_imported_figures(
    project: Project,
) -> None:
    service_return(project, Q2, "Waste", values={"WR-01": 56.0, "WR-02": 75})
    service_return(project, Q2, "Adult Social Care")
    before = summarise_period(project, Q2).row("WR-01")
    assert before is not None and before.last_year is None
    csv = project.root / "past.csv"
    csv.write_text("Ref,Period,Value\nWR-01,Q2 2023/24,48.2\nWR-02,Q2 2023/24,90\n", "utf-8")
    assert import_history(project, csv, today=TODAY).stored
    summary = summarise_period(project, Q2)
    wr01, wr02 = summary.row("WR-01"), summary.row("WR-02")
    assert wr01 is not None and wr02 is not None
    assert (wr01.last_year_text, wr01.direction_long) == ("48.2%", Direction.IMPROVING)
    assert (wr02.last_year_text, wr02.direction_long) == ("90", Direction.IMPROVING)
    assert summary.history_sources["Q2-2023"].value == "imported"


def test_a_published_rag_stands_against_the_rule(project: Project) -> None:
    service_return(project, Q2, "Waste")
    service_return(project, Q2, "Adult Social Care")
    csv = project.root / "past.csv"
    csv.write_text("Ref,Period,Value,RAG\nWR-01,Q2 2023/24,40.0,Green\n", "utf-8")
    result = import_history(project, csv, today=TODAY)
    assert [(f.code, f.severity.value, f.cell) for f in result.findings] == [
        ("history-rag-differs", "warning", "D2")
    ]
    assert result.stored
    row = summarise_period(project, Q2).row("WR-01")
    assert row is not None and row.last_year is not None
    assert row.last_year.rag is RAG.GREEN
    assert row.last_year.reason.startswith("Published as Green; the catalogue's rule gives Red")


def _built(project: Project, period: Period) -> Path:
    """A dataset.json as a build of ``period`` published it (the imported form is the same)."""
    csv = project.root / "built.csv"
    csv.write_text(f"Ref,Period,Value\nWR-01,{period.label},60.0\n", "utf-8")
    assert import_history(project, csv, today=TODAY).stored
    built = project.build_dir(period) / "dataset.json"
    built.parent.mkdir(parents=True)
    (project.history_dir(period) / "dataset.json").replace(built)
    return built


def test_a_quarter_perfreport_built_is_kept_unless_replace(project: Project) -> None:
    built = _built(project, Q2_2023)
    csv = project.root / "past.csv"
    csv.write_text("Ref,Period,Value\nWR-01,Q2 2023/24,40.0\nWR-01,Q1 2023/24,41\n", "utf-8")
    refused = import_history(project, csv, today=TODAY)
    assert [(f.code, f.message) for f in refused.findings] == [
        (
            "history-quarter-built",
            "Q2 2023/24 was built and published by perfreport (build/Q2-2023/dataset.json), "
            "so its figures are kept and nothing was imported. To use the imported figures "
            "instead, import again with --replace.",
        )
    ]
    assert not refused.stored and refused.replaced == ()
    assert not (project.root / "history/Q1-2023").exists()  # all or nothing
    assert json.loads(built.read_text("utf-8"))["indicators"][0]["value"] == 60.0

    replaced = import_history(project, csv, replace=True, today=TODAY)
    assert replaced.findings == ()
    assert replaced.replaced == (Q2_2023,)
    assert not built.exists()
    assert built.with_name("dataset.replaced.json").is_file()
    stored = json.loads((project.history_dir(Q2_2023) / "dataset.json").read_text("utf-8"))
    assert stored["indicators"][0]["value"] == 40.0


def test_the_command_names_each_quarter_it_replaces(project: Project) -> None:
    _built(project, Q2_2023)
    csv = project.root / "past.csv"
    csv.write_text("Ref,Period,Value\nWR-01,Q2 2023/24,40.0\nWR-01,Q1 2023/24,41\n", "utf-8")
    runner = CliRunner()
    refused = runner.invoke(app, ["history", "import", str(csv), "-p", str(project.root)])
    assert refused.exit_code == 1
    assert "history-quarter-built" in refused.output
    assert "Nothing was imported from past.csv" in " ".join(refused.output.split())
    done = runner.invoke(app, ["history", "import", str(csv), "--replace", "-p", str(project.root)])
    assert done.exit_code == 0, done.output
    words = " ".join(done.output.split())
    assert "Imported 2 figures for 2 quarters (Q1 2023/24 to Q2 2023/24) from past.csv." in words
    assert "Replaced what perfreport had published for Q2 2023/24" in words
    again = runner.invoke(
        app,
        ["history", "import", str(csv), "-p", str(project.root), "--format", "json"],
    )
    assert again.exit_code == 0
    document = json.loads(again.output)
    assert (document["replaced"], document["updated"]) == ([], ["Q1-2023", "Q2-2023"])


def test_an_annual_outturn_named_by_its_year_is_reported_in_its_due_quarter(
    project: Project,
) -> None:
    csv = project.root / "past.csv"
    csv.write_text("Ref,Period,Value\nASC-02,2021/22,55\nASC-02,Q4 2022/23,59\n", "utf-8")
    result = import_history(project, csv, today=TODAY)
    assert result.findings == ()
    assert result.quarters == (Period(2021, 4), Period(2022, 4))


def test_a_build_of_a_quarter_holds_off_its_import(project: Project) -> None:
    """history import --replace took no lock: a build of the quarter at the same time undid it."""
    from perfreport.publish.locking import period_lock

    built = _built(project, Q2_2023)
    csv = project.root / "past.csv"
    csv.write_text("Ref,Period,Value\nWR-01,Q2 2023/24,40.0\nWR-01,Q1 2023/24,41\n", "utf-8")
    runner = CliRunner()
    args = ["history", "import", str(csv), "--replace", "-p", str(project.root)]
    with period_lock(project.root, Q2_2023.key):  # as a build of Q2-2023 holds it
        busy = runner.invoke(app, args, env={"NO_COLOR": "1", "COLUMNS": "300"})
        waited = runner.invoke(app, [*args, "--wait", "0.2"], env={"NO_COLOR": "1"})
    assert busy.exit_code == 3, busy.output
    words = " ".join(busy.output.split())
    assert words.startswith(
        "Busy: Another perfreport run is already building Q2-2023 for this project"
    )
    assert "Nothing was imported. Try again later, or use --wait SECONDS." in words
    assert waited.exit_code == 3
    assert "after waiting 0.2 seconds" in " ".join(waited.output.split())
    assert "--wait SECONDS" not in waited.output
    assert built.is_file() and not (project.history_dir(Q2_2023) / "dataset.json").exists()
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    assert not built.exists()
