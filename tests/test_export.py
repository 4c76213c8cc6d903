"""The export: schema perfreport.dataset/1, CSV and xlsx that cannot run formulas, deterministic."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import openpyxl
import pytest
from ratingfactory import Q2, QUARTERS_WITH_TEXT, Quarters, empty_project

from perfreport.build import summarise_period
from perfreport.publish.export import (
    clean_number,
    csv_text,
    dataset_document,
    export_bytes,
    neutralise,
    write_export,
)
from perfreport.publish.export_columns import COLUMNS

ISSUE_FIELDS = {
    "ref",
    "title",
    "priority",
    "service",
    "unit",
    "polarity",
    "decimals",
    "value",
    "target",
    "amber_threshold",
    "rag",
    "rag_reason",
    "rated",
    "status",
    "previous_value",
    "previous_rag",
    "same_quarter_last_year_value",
    "direction_short",
    "direction_long",
    "commentary",
    "actions",
    "forecast_rag",
    "data_status",
    "source",
}
FORMULAS = {
    "WR-01": '=HYPERLINK("http://x")',
    "WR-02": "+44 1234",
    "ASC-01": "-5 below plan",
    "ASC-03": "@SUM(A1)",
}


@pytest.fixture
def summary(tmp_path: Path):
    project = empty_project(tmp_path / "council")
    return summarise_period(project, Q2, reader=Quarters(project, QUARTERS_WITH_TEXT))


def test_the_dataset_document_has_the_documented_schema(summary) -> None:
    document = dataset_document(summary)
    assert list(document) == [
        "schema",
        "council",
        "report_title",
        "period",
        "period_label",
        "previous_period",
        "previous_period_label",
        "history_source",
        "summary",
        "indicators",
    ]
    assert (
        document["schema"],
        document["period"],
        document["period_label"],
        document["previous_period"],
    ) == ("perfreport.dataset/1", "Q2-2024", "Q2 2024/25", "Q1-2024")
    head = document["summary"]
    assert (head["total"], head["rated"]) == (5, 4)
    assert head["counts"] == {"green": 2, "amber": 0, "red": 2, "not_rated": 1, "no_data": 0}
    assert head["previous_counts"] == {
        "green": 2,
        "amber": 1,
        "red": 1,
        "not_rated": 1,
        "no_data": 0,
    }
    assert head["transitions"]["amber->green"] == 1 and len(head["transitions"]) == 9
    assert list(head["by_priority"]) == [
        "A greener, more sustainable Somerset",
        "A healthy and caring Somerset",
    ]
    assert head["by_priority"]["A healthy and caring Somerset"] == {
        "key": "healthy",
        "total": 3,
        "rated": 2,
        "counts": {"green": 2, "amber": 0, "red": 0, "not_rated": 1, "no_data": 0},
        "previous_counts": {"green": 1, "amber": 1, "red": 0, "not_rated": 1, "no_data": 0},
    }
    rows = document["indicators"]
    assert [r["ref"] for r in rows] == ["WR-01", "WR-02", "ASC-01", "ASC-02", "ASC-03"]
    assert all(ISSUE_FIELDS <= set(r) for r in rows)
    wr01 = rows[0]
    assert {
        k: wr01[k]
        for k in (
            "value",
            "target",
            "amber_threshold",
            "rag",
            "status",
            "previous_value",
            "previous_rag",
            "same_quarter_last_year_value",
            "direction_short",
            "direction_long",
            "data_status",
            "source",
        )
    } == {
        "value": 50.0,
        "target": 55.0,
        "amber_threshold": 52.25,
        "rag": "red",
        "status": "reported",
        "previous_value": 50.0,
        "previous_rag": "red",
        "same_quarter_last_year_value": 54.0,
        "direction_short": "no_change",
        "direction_long": "worsening",
        "data_status": "Final",
        "source": {"file": "returns/WR-01.xlsx", "sheet": "Return", "cell": "C9"},
    }
    asc02 = rows[3]
    assert (asc02["status"], asc02["value_period"], asc02["value_label"], asc02["rag"]) == (
        "not_due",
        "Q4-2023",
        "2023/24 outturn",
        "green",
    )
    json.dumps(document)  # plain JSON data throughout


def test_float_noise_is_removed_from_figures() -> None:
    assert clean_number(0.736 * 100) == 73.6
    assert clean_number(None) is None
    assert clean_number(-1234.5) == -1234.5


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44", "'+44"),
        ("-5 below", "'-5 below"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tindented", "'\tindented"),
        ("\rreturn", "'\rreturn"),
        ("plain", "plain"),
        ("", ""),
        (-5.0, -5.0),
        (0, 0),
        (None, None),
        (True, True),
    ],
)
def test_neutralise_only_text_that_could_be_a_formula(value, expected) -> None:
    assert neutralise(value) == expected


def test_csv_cells_are_neutralised_and_negative_numbers_stay_numbers(summary) -> None:
    rows = list(csv.DictReader(io.StringIO(csv_text(summary))))
    assert list(rows[0]) == list(COLUMNS)
    commentary = {r["ref"]: r["commentary"] for r in rows}
    assert commentary == {**{ref: "'" + text for ref, text in FORMULAS.items()}, "ASC-02": ""}
    asc03 = next(r for r in rows if r["ref"] == "ASC-03")
    assert (asc03["value"], asc03["rated"], asc03["target"]) == ("-3.5", "false", "")


def test_xlsx_cells_are_neutralised_and_negative_numbers_stay_numbers(
    summary, tmp_path: Path
) -> None:
    path = write_export(summary, "xlsx", tmp_path / "out" / "Q2-2024.xlsx")
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Indicators"]
    headings = [c.value for c in sheet[1]]
    assert headings == list(COLUMNS)
    by_ref = {
        row[0].value: {h: c for h, c in zip(headings, row, strict=True)}
        for row in sheet.iter_rows(min_row=2)
    }
    assert by_ref["WR-01"]["commentary"].value == '\'=HYPERLINK("http://x")'
    assert by_ref["WR-01"]["commentary"].data_type == "s"
    assert (by_ref["ASC-03"]["value"].value, by_ref["ASC-03"]["value"].data_type) == (-3.5, "n")
    assert [c.value for c in workbook["Summary"]["A"]][1:] == [
        "A greener, more sustainable Somerset",
        "A healthy and caring Somerset",
    ]


@pytest.mark.parametrize("fmt", ["json", "csv", "xlsx"])
def test_exports_are_byte_for_byte_repeatable(summary, fmt: str) -> None:
    assert export_bytes(summary, fmt) == export_bytes(summary, fmt)


def test_an_unknown_format_is_refused(summary) -> None:
    with pytest.raises(ValueError, match="format must be one of json, csv, xlsx, got 'pdf'"):
        export_bytes(summary, "pdf")
