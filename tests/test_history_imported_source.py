"""An imported quarter is said to be imported, from its file, wherever its source is shown."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import openpyxl
import pytest
from projectfactory import make_project, service_return
from typer.testing import CliRunner

from perfreport.build import import_history, summarise_period
from perfreport.cli import app
from perfreport.core.periods import Period
from perfreport.core.project import Project
from perfreport.publish.export import dataset_document, summary_document
from perfreport.rating.history import HistorySource

Q2 = Period(2024, 2)
Q1 = Period(2024, 1)
TODAY = dt.date(2024, 11, 1)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    project = make_project(tmp_path / "council")
    service_return(project, Q2, "Waste")
    service_return(project, Q2, "Adult Social Care")
    return project


def _import(
    project: Project, rows: list[tuple[object, ...]], name: str = "past-figures.xlsx"
) -> None:
    """Past figures in history/past-figures.xlsx (or ``name``), sheet History, headings in row 1."""
    path = project.root / "history" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "History"
    sheet.append(["Ref", "Period", "Value", "RAG"])
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    result = import_history(project, path, today=TODAY)
    assert result.stored, result.findings


def test_last_quarters_imported_ratings_are_labelled_imported_with_their_file(
    project: Project,
) -> None:
    _import(project, [("WR-01", "Q1 2024/25", 52.0, None), ("WR-02", "Q1 2024/25", 90, None)])
    summary = summarise_period(project, Q2)
    assert summary.history_source is HistorySource.IMPORTED
    assert dict(summary.history_sources) == {
        "Q2-2023": HistorySource.NONE,
        "Q1-2024": HistorySource.IMPORTED,
    }
    assert dict(summary.imported_from) == {"Q1-2024": "history/past-figures.xlsx"}
    assert summary_document(summary)["history"] == {
        "source": "imported",
        "periods": {"Q2-2023": "none", "Q1-2024": "imported"},
        "imported_from": {"Q1-2024": "history/past-figures.xlsx"},
    }
    document = dataset_document(summary)
    assert document["history_source"] == "imported"
    over_time = document["summary"]["rag_over_time"]
    assert [(q["period"], q["source"], q.get("imported_from")) for q in over_time] == [
        ("Q1-2024", "imported", "history/past-figures.xlsx"),
        ("Q2-2024", "recomputed", None),
    ]


def test_the_summary_command_says_last_quarter_was_imported_and_from_which_file(
    project: Project,
) -> None:
    _import(project, [("WR-01", "Q1 2024/25", 52.0, None)])
    result = CliRunner().invoke(app, ["summary", Q2.key, "-p", str(project.root)])
    assert result.exit_code == 0, result.output
    words = " ".join(result.output.split())
    assert (
        "Q1 2024/25 ratings: as imported from history/past-figures.xlsx "
        "(perfreport history import)." in words
    )
    assert "as published" not in words
    as_json = CliRunner().invoke(
        app, ["summary", Q2.key, "-p", str(project.root), "--format", "json"]
    )
    history = json.loads(as_json.stdout)["history"]
    assert (history["source"], history["imported_from"]) == (
        "imported",
        {"Q1-2024": "history/past-figures.xlsx"},
    )


def test_an_imported_rag_that_differs_from_the_returns_names_the_imported_cell(
    project: Project,
) -> None:
    # Published as Green; Q1's returns (50.0%) rate it Red today.
    _import(project, [("WR-01", "Q1 2024/25", 50.0, "Green")])
    service_return(project, Q1, "Waste")
    summary = summarise_period(project, Q2)
    differs = [f for f in summary.findings if f.code.endswith("rating-differs")]
    assert [(f.code, f.file, f.sheet, f.cell, f.ref, f.message) for f in differs] == [
        (
            "imported-rating-differs",
            "history/past-figures.xlsx",
            "History",
            "C2",
            "WR-01",
            "WR-01's figure for Q1 2024/25 was imported from history/past-figures.xlsx as "
            "Green, but its returns rated with today's catalogue give Red "
            "(50.0% against target 55.0%: Red (Amber from 52.3%)). "
            "The summary keeps the imported Green, as committee saw it. If "
            "history/past-figures.xlsx is wrong, correct it and import it again "
            "(perfreport history import history/past-figures.xlsx).",
        )
    ]


@pytest.mark.parametrize(
    "spelt",
    [
        "./history/past-figures.xlsx",
        "history/../history/past-figures.xlsx",
        "absolute",
        # Windows: a path's case and separators do not matter (os.path.normcase); elsewhere
        # they name another file.
        *(["HISTORY\\Past-Figures.xlsx"] if sys.platform == "win32" else []),
    ],
)
def test_an_imported_rag_that_differs_names_the_cell_however_the_import_path_is_spelt(
    project: Project, spelt: str
) -> None:
    # A dataset.json written or edited by hand may name its file otherwise than the figures'
    # source cells do: the same file, so still its sheet and cell.
    _import(project, [("WR-01", "Q1 2024/25", 50.0, "Green")])
    service_return(project, Q1, "Waste")
    if spelt == "absolute":
        spelt = str(project.root / "history" / "past-figures.xlsx")
    stored = project.history_dir(Q1) / "dataset.json"
    document = json.loads(stored.read_text(encoding="utf-8"))
    assert document["indicators"][0]["source"]["file"] == "history/past-figures.xlsx"
    document["imported_from"] = spelt
    stored.write_text(json.dumps(document), encoding="utf-8")
    summary = summarise_period(project, Q2)
    differs = [f for f in summary.findings if f.code.endswith("rating-differs")]
    assert [(f.code, f.file, f.sheet, f.cell, f.ref) for f in differs] == [
        ("imported-rating-differs", spelt, "History", "C2", "WR-01")
    ]
    typed = f'"{spelt}"' if " " in spelt else spelt  # an absolute path may hold a space
    assert differs[0].message.endswith(
        f"If {spelt} is wrong, correct it and import it again (perfreport history import {typed})."
    )


def test_an_imported_file_whose_name_holds_a_space_is_quoted_in_the_command(
    project: Project,
) -> None:
    """The command in the advice works as typed: the file's name in quotes, as a shell needs."""
    _import(project, [("WR-01", "Q1 2024/25", 50.0, "Green")], name="past figures.xlsx")
    service_return(project, Q1, "Waste")
    summary = summarise_period(project, Q2)
    differs = [f for f in summary.findings if f.code == "imported-rating-differs"]
    assert [(f.file, f.sheet, f.cell) for f in differs] == [
        ("history/past figures.xlsx", "History", "C2")
    ]
    assert differs[0].message.endswith(
        "If history/past figures.xlsx is wrong, correct it and import it again "
        '(perfreport history import "history/past figures.xlsx").'
    )


@pytest.mark.parametrize("other", ["history/older-figures.xlsx", "history/past\x00figures.xlsx"])
def test_an_imported_rag_from_another_file_names_no_cell(project: Project, other: str) -> None:
    _import(project, [("WR-01", "Q1 2024/25", 50.0, "Green")])
    service_return(project, Q1, "Waste")
    stored = project.history_dir(Q1) / "dataset.json"
    document = json.loads(stored.read_text(encoding="utf-8"))
    document["imported_from"] = other
    stored.write_text(json.dumps(document), encoding="utf-8")
    [differs] = [f for f in summarise_period(project, Q2).findings if f.code.endswith("differs")]
    # (a control character in a name is written out visibly: findings never hold one)
    assert (differs.file, differs.sheet, differs.cell) == (
        other.replace("\x00", "\\x00"),
        None,
        None,
    )


def test_a_built_quarter_stays_published_though_its_own_previous_quarter_was_imported(
    project: Project,
) -> None:
    # Q1's dataset.json, written by a build, says history_source "imported" about ITS previous
    # quarter (Q4 2023/24); Q1's own ratings are still as published by that build.
    _import(project, [("WR-01", "Q4 2023/24", 52.0, None)])
    service_return(project, Q1, "Waste")
    service_return(project, Q1, "Adult Social Care")
    q1 = summarise_period(project, Q1)
    assert q1.history_source is HistorySource.IMPORTED
    built = project.build_dir(Q1) / "dataset.json"
    built.parent.mkdir(parents=True)
    built.write_text(json.dumps(dataset_document(q1)), encoding="utf-8")
    q2 = summarise_period(project, Q2)
    assert q2.history_source is HistorySource.PUBLISHED
    assert dict(q2.imported_from) == {}


def _damage(project: Project, period: Period, edit) -> None:
    stored = project.history_dir(period) / "dataset.json"
    stored.write_text(edit(stored.read_text(encoding="utf-8")), encoding="utf-8")


@pytest.mark.parametrize(
    ("edit", "problem", "source"),
    [
        (  # cut short: its file is still named near its start
            lambda text: text[: len(text) // 2],
            None,
            "history/past-figures.xlsx",
        ),
        (
            lambda text: text.replace('"period": "Q1-2024"', '"period": "Q4-2023"'),
            "it is for 'Q4-2023', not Q1-2024",
            "history/past-figures.xlsx",
        ),
        (  # a name with a space is quoted, as it is typed
            lambda text: text.replace('"period": "Q1-2024"', '"period": "Q4-2023"').replace(
                "history/past-figures.xlsx", "history/past figures.xlsx"
            ),
            "it is for 'Q4-2023', not Q1-2024",
            '"history/past figures.xlsx"',
        ),
        (  # it no longer says which file: the officer is told to name it
            lambda text: "{}",
            "it is not a perfreport.dataset/1 document",
            "FILE (the workbook or CSV its figures came from)",
        ),
    ],
)
def test_an_unusable_imported_dataset_says_to_import_its_figures_again_not_to_rebuild(
    project: Project, edit, problem: str | None, source: str
) -> None:
    _import(project, [("WR-01", "Q1 2024/25", 52.0, None)])
    _damage(project, Q1, edit)
    summary = summarise_period(project, Q2)
    assert summary.history_source is HistorySource.NONE  # Q1 has no returns to rate
    [warning] = [f for f in summary.findings if f.code.endswith("dataset-unreadable")]
    assert (warning.code, warning.severity.value, warning.file) == (
        "imported-dataset-unreadable",
        "warning",
        "history/Q1-2024/dataset.json",
    )
    if problem is None:  # where the JSON breaks off depends on the document's layout
        problem = warning.message.split(": ", 1)[1].split(". ", 1)[0]
        assert problem.startswith("it is not valid JSON (Expecting "), problem
    assert warning.message == (
        f"history/Q1-2024/dataset.json cannot be used: {problem}. Q1 2024/25 is rated from its "
        "returns instead, where it has any. It holds figures imported by perfreport history "
        "import, so import them again to replace it: perfreport history import "
        f"{source}."
    )
