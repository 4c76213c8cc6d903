"""A figure against its benchmark: Better, Similar or Worse (polarity-aware), the period that applies."""

from __future__ import annotations

import dataclasses

import pytest
from ratingfactory import CATALOGUE, Q2, QUARTERS, Quarters, empty_project

from perfreport.build import summarise_period
from perfreport.core.model import Benchmark, Indicator, Polarity
from perfreport.core.periods import Period
from perfreport.core.project import Tolerance
from perfreport.inputs.report_file import parse_report
from perfreport.paper.context import make_paper
from perfreport.paper.model_benchmark import BenchmarkLine
from perfreport.publish.export import csv_text, dataset_document
from perfreport.summary.benchmarks import Verdict, applicable, benchmark_sentence, verdict

HIGHER = Indicator("A", "Higher is better", "p", "s", Polarity.HIGHER, unit="%", decimals=1)
LOWER = dataclasses.replace(HIGHER, polarity=Polarity.LOWER)
CONTEXT = dataclasses.replace(HIGHER, polarity=Polarity.NONE, rated=False)
FIVE_PERCENT, ZERO = Tolerance(5.0, True), Tolerance(0.0, False)

B, S, W = Verdict.BETTER, Verdict.SIMILAR, Verdict.WORSE


@pytest.mark.parametrize(
    ("value", "higher", "lower"),
    [
        (82.2, B, W),  # 4.0 above 78.2: beyond 5% of it (3.91)
        (82.1, S, S),  # 3.9 above: within
        (78.2, S, S),
        (74.3, S, S),  # 3.9 below
        (74.2, W, B),  # 4.0 below
        (82.14, S, S),  # shown as 82.1: compared as the paper shows it
        (82.15, B, W),  # shown as 82.2 (half away from zero)
    ],
)
def test_the_verdict_is_polarity_aware_with_a_band_of_5_percent_of_the_comparator(
    value: float, higher: Verdict, lower: Verdict
) -> None:
    assert verdict(HIGHER, value, 78.2, FIVE_PERCENT) is higher
    assert verdict(LOWER, value, 78.2, FIVE_PERCENT) is lower


def test_the_band_edges_are_similar_in_both_forms() -> None:
    assert verdict(HIGHER, 84.0, 80.0, FIVE_PERCENT) is S  # exactly 5% of 80
    assert verdict(HIGHER, 84.1, 80.0, FIVE_PERCENT) is B
    assert verdict(HIGHER, 75.9, 80.0, FIVE_PERCENT) is W
    two_and_a_half = Tolerance(2.5, False)  # an amount in the measure's unit
    assert verdict(HIGHER, 102.5, 100.0, two_and_a_half) is S
    assert verdict(HIGHER, 97.5, 100.0, two_and_a_half) is S
    assert verdict(HIGHER, 102.6, 100.0, two_and_a_half) is B
    assert verdict(LOWER, 97.4, 100.0, two_and_a_half) is B
    # No band: only the same figure, as shown, is Similar.
    assert verdict(HIGHER, 80.0, 80.04, ZERO) is S
    assert verdict(HIGHER, 80.1, 80.0, ZERO) is B
    # A percentage band of a zero comparator reaches nowhere.
    assert verdict(LOWER, 0.1, 0.0, FIVE_PERCENT) is W


def test_a_context_measure_has_no_verdict() -> None:
    assert verdict(CONTEXT, 90.0, 50.0, FIVE_PERCENT) is None


def _benchmark(ref: str, label: str, value: float, comparator: str = "England median"):
    period = Period.parse(label) if label.startswith("Q") else Period(int(label[:4]), 4)
    return Benchmark(ref, comparator, period, label if "/" in label else period.label, value)


def test_the_latest_benchmark_up_to_the_figures_own_period_applies_per_comparator() -> None:
    rows = (
        _benchmark("A", "2021/22", 1.0),
        _benchmark("A", "2022/23", 2.0),
        _benchmark("A", "Q1-2024", 9.0, "CIPFA nearest neighbours median"),
        _benchmark("A", "2024/25", 4.0),  # the year is not over by Q2 2024/25
        _benchmark("A", "2023/24", 3.0),  # order in the file does not matter
    )
    q2 = applicable(rows, Period(2024, 2))
    assert [(b.comparator, b.period_label, b.value) for b in q2] == [
        ("England median", "2023/24", 3.0),
        ("CIPFA nearest neighbours median", "Q1 2024/25", 9.0),
    ]
    # An annual figure for 2023/24 (due in Q4): that year's median; the CIPFA quarter is later.
    assert [b.value for b in applicable(rows, Period(2023, 4))] == [3.0]
    assert [b.value for b in applicable(rows, Period(2023, 3))] == [2.0]
    assert applicable(rows, Period(2021, 3)) == ()
    # A quarter's benchmark is preferred to the year that ends with it.
    both = (_benchmark("A", "2023/24", 3.0), _benchmark("A", "Q4-2023", 3.5))
    assert [b.value for b in applicable(both, Period(2024, 2))] == [3.5]


BENCHMARKS = (
    _benchmark("WR-01", "2023/24", 52.0),
    _benchmark("WR-02", "2023/24", 70),
    _benchmark("WR-02", "Q1-2024", 95, "CIPFA nearest neighbours median"),
    Benchmark("ASC-01", "England median", Period(2023, 4), "2023/24", 28.0, 25.5, 31.25),
    _benchmark("ASC-01", "2024/25", 35.0),
    _benchmark("ASC-02", "2022/23", 60.0),
    _benchmark("ASC-02", "2023/24", 70.0),
    _benchmark("ASC-03", "2023/24", 100),
)


class WithBenchmarks(Quarters):
    """The in-memory quarters, with the benchmarks read_period would attach to each dataset."""

    def __call__(self, project, period):
        read = super().__call__(project, period)
        dataset = dataclasses.replace(read.dataset, benchmarks=BENCHMARKS)
        return dataclasses.replace(read, dataset=dataset)


def test_the_summary_the_paper_and_the_export_carry_each_figures_benchmarks(tmp_path) -> None:
    project = empty_project(tmp_path / "council")
    summary = summarise_period(project, Q2, reader=WithBenchmarks(project, QUARTERS, CATALOGUE))
    verdicts = {
        r.ref: [(c.comparator, c.benchmark.period_label, c.verdict) for c in r.benchmarks]
        for r in summary.indicators
    }
    assert verdicts == {
        "WR-01": [("England median", "2023/24", S)],  # 50.0 against 52.0 ± 2.6
        "WR-02": [  # 90 against 70 (lower is better); against 95 ± 4.75
            ("England median", "2023/24", W),
            ("CIPFA nearest neighbours median", "Q1 2024/25", B),
        ],
        "ASC-01": [("England median", "2023/24", B)],  # 31.0 against 28.0 ± 1.4
        "ASC-02": [("England median", "2023/24", W)],  # the 2023/24 outturn, 65.0, against 70.0
        "ASC-03": [("England median", "2023/24", None)],  # context
    }
    report, _ = parse_report({}, tmp_path / "Q2-2024.toml")
    paper = make_paper(summary, report)
    rows = {r.ref: r for p in paper.appendix.groups for r in p.indicators}
    assert rows["ASC-01"].benchmarks == (
        BenchmarkLine(
            text="Better than the England median 2023/24 (28.0%)",
            comparator="England median",
            period="2023/24",
            value="28.0%",
            quartiles="quartiles 25.5% to 31.3%",
            verdict="Better",
        ),
    )
    assert [b.text for b in rows["WR-02"].benchmarks] == [
        "Worse than the England median 2023/24 (70)",
        "Better than the CIPFA nearest neighbours median Q1 2024/25 (95)",
    ]
    assert [b.text for b in rows["WR-01"].benchmarks] == [
        "Similar to the England median 2023/24 (52.0%)"
    ]
    assert [(b.text, b.verdict) for b in rows["ASC-03"].benchmarks] == [
        ("England median 2023/24: 100", "")
    ]
    # Appendix B's entries have the same lines as their Appendix A rows.
    entries = {e.ref: e for e in paper.exceptions.entries}
    assert entries["WR-02"].benchmarks == rows["WR-02"].benchmarks
    assert paper.summary.benchmarks == (
        "5 indicators have a benchmark. Of the 4 where higher or lower is better, 1 is better "
        "than the England median, 1 similar and 2 worse. The other is a context measure, shown "
        "with the comparator's figure only.",
    )
    assert paper.appendix.notes[-1].startswith("Under the commentary, Benchmark compares")
    assert "Better, Similar (within 5% of it) or Worse" in paper.appendix.notes[-1]
    # The export: every comparator in the JSON, and in the CSV's columns, a group each.
    records = {r["ref"]: r for r in dataset_document(summary)["indicators"]}
    assert records["ASC-01"]["benchmarks"] == [
        {
            "comparator": "England median",
            "period": "2023/24",
            "value": 28.0,
            "lower_quartile": 25.5,
            "upper_quartile": 31.25,
            "verdict": "better",
            "source": None,
        }
    ]
    assert [b["verdict"] for b in records["WR-02"]["benchmarks"]] == ["worse", "better"]
    lines = csv_text(summary).splitlines()
    heading = lines[0].split(",")
    fields = ["comparator", "period", "value", "lower_quartile", "upper_quartile", "verdict"]
    assert heading[-12:] == [f"benchmark_{f}" for f in fields] + [
        f"benchmark_2_{f}" for f in fields
    ]
    by_ref = {line.split(",")[0]: line.split(",") for line in lines[1:]}
    none = ["", "", "", "", "", ""]
    assert by_ref["ASC-01"][-12:] == [
        *("England median", "2023/24", "28.0", "25.5", "31.25", "better"),
        *none,
    ]
    assert by_ref["ASC-03"][-12:] == ["England median", "2023/24", "100.0", "", "", "", *none]
    assert by_ref["WR-02"][-12:] == [
        *("England median", "2023/24", "70.0", "", "", "worse"),
        *("CIPFA nearest neighbours median", "Q1 2024/25", "95.0", "", "", "better"),
    ]


def test_the_sentence_for_one_judged_indicator_and_for_context_only() -> None:
    from perfreport.summary.benchmarks import Comparison

    better = Comparison(_benchmark("A", "2023/24", 1.0), Verdict.BETTER)
    context = Comparison(_benchmark("B", "2023/24", 1.0), None)
    assert benchmark_sentence([(better,), ()]) == (
        "1 indicator has a benchmark. The one where higher or lower is better is better than "
        "the England median."
    )
    assert benchmark_sentence([(context,), (context,)]) == (
        "2 indicators have a benchmark. They are context measures, shown with the comparator's "
        "figure only."
    )
    assert benchmark_sentence([(), ()]) == ""
