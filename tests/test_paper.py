"""The paper's computed sentences: the Summary section's wording for the counts and movement."""

from __future__ import annotations

from pathlib import Path

from ratingfactory import Q4_2023, QUARTERS, Quarters, empty_project

from perfreport.build import summarise_period
from perfreport.inputs.report_file import parse_report
from perfreport.paper.context import paper_context


def summary_paragraphs(tmp_path: Path, period) -> list[str]:
    project = empty_project(tmp_path / "council")
    summary = summarise_period(project, period, reader=Quarters(project, QUARTERS))
    report, _ = parse_report({}, Path("reports/Q4-2023.toml"))
    context = paper_context(summary, report)
    return [*context["summary"]["headline"], *context["summary"]["movement"]]


def test_a_quarter_with_nothing_to_compare_with_says_so_once(tmp_path: Path) -> None:
    # Q3 2023/24 has no returns and nothing published: every rated measure would be "new", which
    # repeats the sentence before it, so the paper says it once.
    assert summary_paragraphs(tmp_path, Q4_2023) == [
        "The 2023/24 Q4 report contains 5 indicators, of which 4 have a Red, Amber, Green (RAG) "
        "rating.",
        "Of the 4 rated indicators, 4 are Green, 0 Amber and 0 Red. The other indicator is "
        "reported for context, without a rating.",
        "There are no ratings for Q3 2023/24 to compare with, so the movement since last quarter "
        "cannot be shown.",
    ]
