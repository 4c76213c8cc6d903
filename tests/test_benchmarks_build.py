"""The example's real England medians in the built paper (Appendix A and B, the Summary), web page and data."""

from __future__ import annotations

import csv
import io
import json

import pytest
from buildfactory import DOCX, HTML, Q2, copy_example
from docx import Document

from perfreport.build import PdfMode, build_paper

RESPONSIBLE = "Responsible officer: Director of Adult Social Care"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    project = copy_example("somerset", tmp_path_factory.mktemp("benchmarks") / "somerset")
    return build_paper(project, Q2, pdf=PdfMode.OFF)


@pytest.fixture(scope="module")
def doc(built):
    return Document(io.BytesIO(built.outputs[DOCX].read_bytes()))


def _appendix_rows(doc) -> dict[str, list[str]]:
    """Appendix A's rows by ref (the tables whose header starts Ref, Measure)."""
    rows = {}
    for table in doc.tables:
        if [c.text for c in table.rows[0].cells[:2]] == ["Ref", "Measure"]:
            for row in table.rows[1:]:
                cells = [c.text for c in row.cells]
                rows[cells[0]] = cells
    return rows


def test_appendix_a_shows_the_comparator_and_the_word_under_the_commentary(doc) -> None:
    rows = _appendix_rows(doc)
    lines = {ref: rows[ref][9].split("\n")[-2:] for ref in ("ASC-07", "ASC-13", "ASC-14")}
    assert lines == {
        # 7.0 in 2023/24 (the carers' survey is biennial: 2021/22 is the latest median)
        "ASC-07": ["Benchmark: Similar to the England median 2021/22 (7.2 score)", RESPONSIBLE],
        "ASC-13": ["Benchmark: Better than the England median 2022/23 (78.2%)", RESPONSIBLE],
        "ASC-14": ["Benchmark: Worse than the England median 2022/23 (67.5%)", RESPONSIBLE],
    }
    # Context measures: the comparator's figure, no verdict.
    assert rows["ASC-15"][9].split("\n")[-2] == "Benchmark: England median 2022/23: 1,695"
    assert rows["ASC-16"][9].split("\n")[-2] == "Benchmark: England median 2022/23: 28.0%"
    with_benchmark = {ref for ref, cells in rows.items() if "Benchmark: " in cells[9]}
    assert with_benchmark == {"ASC-07", "ASC-13", "ASC-14", "ASC-15", "ASC-16"}


def test_appendix_b_has_a_benchmark_row_only_for_an_entry_with_one(doc) -> None:
    entries = {}
    for table in doc.tables:
        labels = [row.cells[0].text for row in table.rows]
        if "Why it is listed" in labels:
            entries[tuple(labels)] = {row.cells[0].text: row.cells[1].text for row in table.rows}
    with_row = [e for e in entries.values() if "Benchmark" in e]
    assert [(e["This quarter"], e["Benchmark"]) for e in with_row] == [
        (
            "61.2% (2023/24 outturn)",
            "Worse than the England median 2022/23 (67.5%); quartiles 63.9% to 70.9%",
        )
    ]
    without = [labels for labels in entries if "Benchmark" not in labels]
    assert without, "the other Reds have no benchmark, and no empty row for one"
    assert without[0][-3:] == ("Responsible officer", "Commentary", "Actions")


def test_the_summary_counts_the_verdicts_and_appendix_a_says_what_similar_means(doc) -> None:
    texts = [p.text for p in doc.paragraphs]
    assert (
        "Under the commentary, Benchmark compares the figure with another group's, such as the "
        "England median, for the latest period published before it: Better, Similar (within 5% "
        "of it) or Worse, as higher or lower is better. A context measure shows the other "
        "group's figure only."
    ) in texts
    assert (
        "5 indicators have a benchmark. Of the 3 where higher or lower is better, 1 is better "
        "than the England median, 1 similar and 1 worse. The other 2 are context measures, shown "
        "with the comparator's figure only."
    ) in texts


def test_the_web_page_shows_the_same_lines(built) -> None:
    page = built.outputs[HTML].read_text(encoding="utf-8")
    assert (
        "<br>Benchmark: Better than the England median 2022/23 (78.2%)<br>"
        f"{RESPONSIBLE}</td>" in page
    )
    assert (
        '<tr><th scope="row">Benchmark</th><td class="lines">Worse than the England median '
        "2022/23 (67.5%); quartiles 63.9% to 70.9%</td></tr>" in page
    )
    assert page.count("<br>Benchmark: ") == 5


def test_the_data_carries_the_comparator_its_year_value_quartiles_and_verdict(built) -> None:
    records = {
        r["ref"]: r for r in json.loads(built.outputs["dataset.json"].read_text())["indicators"]
    }
    assert records["ASC-13"]["benchmarks"] == [
        {
            "comparator": "England median",
            "period": "2022/23",
            "value": 78.2,
            "lower_quartile": 67.95,
            "upper_quartile": 85.95,
            "verdict": "better",
            "source": {"file": "benchmarks.csv", "sheet": "", "cell": "D12"},
        }
    ]
    assert records["ASC-15"]["benchmarks"][0]["verdict"] is None
    assert records["WST-01"]["benchmarks"] == []
    with built.outputs["dataset.csv"].open(encoding="utf-8", newline="") as stream:
        rows = {r["ref"]: r for r in csv.DictReader(stream)}
    assert {k: v for k, v in rows["ASC-14"].items() if k.startswith("benchmark_")} == {
        "benchmark_comparator": "England median",
        "benchmark_period": "2022/23",
        "benchmark_value": "67.5",
        "benchmark_lower_quartile": "63.9",
        "benchmark_upper_quartile": "70.9",
        "benchmark_verdict": "worse",
    }
