"""Text stays text in the exports (issue 17, item 9): commentary of "#N/A" or "#REF!" must not
become an Excel error cell in the xlsx, nor an error value when the CSV is opened in Excel."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from ratingfactory import Q2, QUARTERS, Quarters, _with_commentary, empty_project

from perfreport.build import summarise_period
from perfreport.publish.export import ERROR_LITERALS, csv_text, neutralise, write_export

# Every error literal, and the neighbours: other case, spaces, and look-alikes that are text.
ERRORS = {
    "WR-01": "#N/A",
    "WR-02": "#ref!",
    "ASC-01": " #DIV/0! ",
    "ASC-03": "#NAME?",
}


@pytest.fixture
def summary(tmp_path: Path):
    project = empty_project(tmp_path / "council")
    quarter = {
        ref: _with_commentary(ref, value, ERRORS[ref])
        for ref, value in (("WR-01", 50.0), ("WR-02", 90), ("ASC-01", 31.0), ("ASC-03", -3.5))
    }
    return summarise_period(project, Q2, reader=Quarters(project, {**QUARTERS, Q2: quarter}))


def test_xlsx_commentary_like_an_error_value_is_a_text_cell(summary, tmp_path):
    path = write_export(summary, "xlsx", tmp_path / "Q2-2024.xlsx")
    sheet = openpyxl.load_workbook(path)["Indicators"]
    headings = [c.value for c in sheet[1]]
    column = headings.index("commentary")
    cells = {row[0].value: row[column] for row in sheet.iter_rows(min_row=2)}
    for ref, text in ERRORS.items():
        assert (cells[ref].value, cells[ref].data_type) == (text, "s"), ref
    # No cell of the workbook is an error cell.
    for name in ("Indicators", "Summary"):
        book = openpyxl.load_workbook(path)[name]
        assert [c.coordinate for row in book.iter_rows() for c in row if c.data_type == "e"] == []


def test_csv_commentary_like_an_error_value_is_neutralised(summary):
    rows = {r["ref"]: r for r in csv.DictReader(io.StringIO(csv_text(summary)))}
    for ref, text in ERRORS.items():
        assert rows[ref]["commentary"] == "'" + text, ref


@pytest.mark.parametrize("literal", sorted(ERROR_LITERALS))
def test_every_excel_error_literal_is_neutralised(literal):
    assert neutralise(literal) == "'" + literal
    assert neutralise(literal.lower()) == "'" + literal.lower()


@pytest.mark.parametrize("text", ["#1 priority", "#N/A in Q1, since fixed", "#", "N/A", "#REF"])
def test_text_that_only_starts_with_a_hash_is_left_alone(text):
    assert neutralise(text) == text
