"""Every comparator of an indicator reaches the CSV and xlsx: one group of columns per comparator."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import openpyxl
from ratingfactory import CATALOGUE, Q2, QUARTERS, Quarters, empty_project

from perfreport.build import summarise_period
from perfreport.core.model import Benchmark
from perfreport.core.periods import Period
from perfreport.publish.export import csv_text, dataset_document, write_export
from perfreport.publish.export_columns import COLUMNS

CIPFA = "CIPFA nearest neighbours median"
YEAR = Period(2023, 4)
BENCHMARKS = (
    Benchmark("WR-01", "England median", YEAR, "2023/24", 52.0),
    Benchmark("WR-02", "England median", YEAR, "2023/24", 70),
    Benchmark("WR-02", CIPFA, Period(2024, 1), "Q1 2024/25", 95, 90, 101.5),
    Benchmark("ASC-01", CIPFA, Period(2024, 1), "Q1 2024/25", 28.0),  # the second kind only
)
SECOND = [
    "benchmark_2_comparator",
    "benchmark_2_period",
    "benchmark_2_value",
    "benchmark_2_lower_quartile",
    "benchmark_2_upper_quartile",
    "benchmark_2_verdict",
]


class WithBenchmarks(Quarters):
    """The in-memory quarters, with the benchmarks read_period would attach to each dataset."""

    def __call__(self, project, period):
        read = super().__call__(project, period)
        return dataclasses.replace(
            read, dataset=dataclasses.replace(read.dataset, benchmarks=BENCHMARKS)
        )


def _summary(tmp_path: Path):
    project = empty_project(tmp_path / "council")
    return summarise_period(project, Q2, reader=WithBenchmarks(project, QUARTERS, CATALOGUE))


def _group(row: dict, prefix: str) -> tuple:
    return tuple(row[f"{prefix}{name}"] for name in ("comparator", "period", "value", "verdict"))


def test_the_csv_has_a_group_of_columns_for_each_comparator_the_same_in_every_row(
    tmp_path: Path,
) -> None:
    summary = _summary(tmp_path)
    rows = list(csv.DictReader(io.StringIO(csv_text(summary))))
    assert list(rows[0]) == [*COLUMNS, *SECOND]
    by_ref = {r["ref"]: r for r in rows}
    first, second = "benchmark_", "benchmark_2_"
    assert _group(by_ref["WR-02"], first) == ("England median", "2023/24", "70.0", "worse")
    assert _group(by_ref["WR-02"], second) == (CIPFA, "Q1 2024/25", "95.0", "better")
    assert (
        by_ref["WR-02"]["benchmark_2_lower_quartile"],
        by_ref["WR-02"]["benchmark_2_upper_quartile"],
    ) == ("90.0", "101.5")
    assert _group(by_ref["WR-01"], first) == ("England median", "2023/24", "52.0", "similar")
    assert _group(by_ref["WR-01"], second) == ("", "", "", "")
    # An indicator with only the second comparator has it in the second group, filtered with
    # the others benchmarked against it; its England median columns are empty.
    assert _group(by_ref["ASC-01"], first) == ("", "", "", "")
    assert _group(by_ref["ASC-01"], second) == (CIPFA, "Q1 2024/25", "28.0", "better")
    assert _group(by_ref["ASC-02"], first) == _group(by_ref["ASC-02"], second) == ("",) * 4


def test_the_xlsx_has_the_same_columns_and_the_json_is_unchanged(tmp_path: Path) -> None:
    summary = _summary(tmp_path)
    path = write_export(summary, "xlsx", tmp_path / "out.xlsx")
    sheet = openpyxl.load_workbook(path)["Indicators"]
    headings = [c.value for c in sheet[1]]
    assert headings == [*COLUMNS, *SECOND]
    rows = {
        r[0]: dict(zip(headings, r, strict=True))
        for r in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert _group(rows["WR-02"], "benchmark_2_") == (CIPFA, "Q1 2024/25", 95, "better")
    assert _group(rows["ASC-01"], "benchmark_") == (None, None, None, None)
    records = {r["ref"]: r for r in dataset_document(summary)["indicators"]}
    assert [(b["comparator"], b["verdict"]) for b in records["WR-02"]["benchmarks"]] == [
        ("England median", "worse"),
        (CIPFA, "better"),
    ]
    assert "benchmark_2_value" not in records["WR-02"]


def test_a_comparator_spelt_in_another_case_is_in_the_same_group_as_for_the_rating(
    tmp_path: Path,
) -> None:
    """The rating takes "England median" and "england median" for one comparator (one applies
    to a figure: summary.benchmarks.applicable); the export's columns group them alike, so that
    a filter on the group's column finds every indicator benchmarked against it."""
    benchmarks = (
        Benchmark("WR-01", "England median", YEAR, "2023/24", 52.0),
        Benchmark("WR-02", "england median", YEAR, "2023/24", 70),
    )

    class Spelt(Quarters):
        def __call__(self, project, period):
            read = super().__call__(project, period)
            dataset = dataclasses.replace(read.dataset, benchmarks=benchmarks)
            return dataclasses.replace(read, dataset=dataset)

    project = empty_project(tmp_path / "council")
    summary = summarise_period(project, Q2, reader=Spelt(project, QUARTERS, CATALOGUE))
    rows = list(csv.DictReader(io.StringIO(csv_text(summary))))
    assert list(rows[0]) == list(COLUMNS)  # one group: no benchmark_2_ columns
    by_ref = {r["ref"]: r for r in rows}
    assert _group(by_ref["WR-01"], "benchmark_") == ("England median", "2023/24", "52.0", "similar")
    assert _group(by_ref["WR-02"], "benchmark_") == ("england median", "2023/24", "70.0", "worse")
