"""Appendix B (the exception report), last quarter's RAG and the year-end forecast, the owner."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from buildfactory import DOCX, Q2, copy_example, headings
from docx import Document
from ratingfactory import CATALOGUE, Q1, Q4_2023, Quarters, empty_project

from perfreport.build import PdfMode, build_paper, summarise_period
from perfreport.core.model import RAG, Catalogue, CellRef, Observation
from perfreport.core.project import ConfigError, load_project
from perfreport.inputs.report_file import parse_report
from perfreport.paper.context import make_paper
from perfreport.paper.model import ExceptionEntry

# ASC-01 (Higher, target 30.0%) goes Green, Green, Amber and worse each quarter; WR-01 (Higher,
# target 55.0%) stays Amber and worse each quarter; WR-02 (Lower, target 80) falls from Green to
# Red, with actions and a forecast.
RED_ROW = Observation(
    "WR-02",
    90,
    commentary="Crews were short in August.",
    actions="Agency crews start in October.",
    forecast_rag=RAG.AMBER,
    source=CellRef("returns/WR-02.xlsx", "Return", "C9"),
)
SLIPPING = {
    Q4_2023: {"WR-01": 54.5, "WR-02": 75, "ASC-01": 31.0},
    Q1: {"WR-01": 53.0, "WR-02": 70, "ASC-01": 30.5},
    Q2: {"WR-01": 52.5, "WR-02": RED_ROW, "ASC-01": 29.0},
}
OWNED = Catalogue(
    tuple(
        dataclasses.replace(i, lead_officer="Head of Waste") if i.ref == "WR-02" else i
        for i in CATALOGUE.indicators
    )
)


def paper_of(root: Path, paper_settings: str = ""):
    project = empty_project(root)
    if paper_settings:
        with project.config_path.open("a", encoding="utf-8") as f:
            f.write(f"\n[paper]\n{paper_settings}\n")
        project = load_project(root)
    summary = summarise_period(project, Q2, reader=Quarters(project, SLIPPING, OWNED))
    report, _ = parse_report({}, Path("reports/Q2-2024.toml"))
    return summary, make_paper(summary, report)


def test_appendix_b_lists_each_red_with_its_figures_actions_owner_and_forecast(tmp_path) -> None:
    summary, paper = paper_of(tmp_path / "council")
    assert paper.exceptions.title == "Appendix B: Exception report Q2 2024/25"
    assert paper.exceptions.entries == (
        ExceptionEntry(
            paragraph="B1",
            ref="WR-02",
            measure="Missed bin collections per 100,000",
            group="A greener, more sustainable Somerset",
            reason="Red this quarter",
            current="90",
            target="80",
            rag="■\u00a0Red",
            rag_fill=paper.appendix.groups[0].indicators[1].rag_fill,
            rag_previous="Q1: Green",
            direction="Quarter: Worsening\u00a0−\nYear: Not comparable",
            forecast="Amber",
            commentary="Crews were short in August.",
            actions="Agency crews start in October.",
            owner="Head of Waste",
            benchmarks=(),
        ),
    )
    assert paper.exceptions.group_label == "Priority"
    assert paper.exceptions.none == ""
    # The key issue about WR-02 says where Appendix B has it.
    (greener,) = [g for g in paper.key_issues if g.name.startswith("A greener")]
    assert [i for i in greener.issues if i.startswith("WR-02")] == [
        "WR-02 Missed bin collections per 100,000 is Red this quarter: 90 against a target of "
        "80; it was Green in Q1 2024/25. See Appendix B, paragraph B1."
    ]


def test_appendix_a_shows_last_quarters_rag_the_forecast_and_the_owner(tmp_path) -> None:
    _, paper = paper_of(tmp_path / "council")
    rows = {r.ref: r for p in paper.appendix.groups for r in p.indicators}
    assert (rows["WR-02"].rag_previous, rows["WR-02"].forecast, rows["WR-02"].owner) == (
        "Q1: Green",
        "Year end: Amber",
        "Head of Waste",
    )
    assert (rows["WR-01"].rag_previous, rows["WR-01"].forecast, rows["WR-01"].owner) == (
        "Q1: Amber",
        "",
        "",
    )
    # A context measure, rated in neither quarter, has no "Q1: Not rated" under its RAG.
    assert rows["ASC-03"].rag_previous == ""
    assert paper.summary.forecast == (
        "Services gave a year-end forecast for 1 of the 3 indicators rated Green, Amber or Red this "
        "quarter: by the year end, the one Red indicator is expected to improve.",
    )


def test_paper_settings_add_the_measures_that_went_amber_or_worsened_twice(tmp_path) -> None:
    _, paper = paper_of(
        tmp_path / "council", "exceptions_green_to_amber = true\nexceptions_worsening = true"
    )
    assert [(e.paragraph, e.ref, e.reason) for e in paper.exceptions.entries] == [
        ("B1", "WR-01", "Worse than the quarter before for two quarters running"),
        ("B2", "WR-02", "Red this quarter"),
        (
            "B3",
            "ASC-01",
            "Amber this quarter, from Green in Q1 2024/25; worse than the quarter before for "
            "two quarters running",
        ),
    ]
    assert "went from Green to Amber" in paper.exceptions.notes[0]


def test_with_no_red_appendix_b_says_so(tmp_path) -> None:
    project = empty_project(tmp_path / "council")
    green = {Q1: {"WR-01": 56.0}, Q2: {"WR-01": 57.0}}
    summary = summarise_period(project, Q2, reader=Quarters(project, green))
    report, _ = parse_report({}, Path("reports/Q2-2024.toml"))
    paper = make_paper(summary, report)
    assert (paper.exceptions.entries, paper.exceptions.none) == (
        (),
        "No indicator is Red this quarter.",
    )
    assert paper.summary.forecast == ()


def test_a_red_or_amber_row_with_no_actions_is_a_warning(tmp_path) -> None:
    summary, _ = paper_of(tmp_path / "council")
    warned = [(f.ref, f.severity.value, f.message) for f in summary.findings]
    assert warned == [
        (
            "WR-01",
            "warning",
            "Cell C9: WR-01 is Amber this quarter but its row has no actions. Say in the Actions "
            "column what the service is doing to bring it back to target; the paper's exception "
            "report shows them.",
        ),
        (
            "ASC-01",
            "warning",
            "Cell C9: ASC-01 is Amber this quarter but its row has no actions. Say in the Actions "
            "column what the service is doing to bring it back to target; the paper's exception "
            "report shows them.",
        ),
    ]
    assert all(f.file == f"returns/{f.ref}.xlsx" for f in summary.findings)


def test_a_row_with_no_actions_is_reported_at_its_actions_cell(tmp_path) -> None:
    # A return with an Actions column (the shipped forms have one): the warning names the cell
    # to fill in, not the row's Value cell. One without (Housing's, and those above) names the
    # Value cell, as before.
    project = copy_example("broken-returns", tmp_path / "broken")
    summary = summarise_period(project, Q2)
    cells = sorted((f.file, f.cell, f.ref) for f in summary.findings if f.code == "no-actions")
    customer = "returns/Q2-2024/Customer Services return Q2 2024-25.xlsx"
    assert cells == [
        (customer, "I11", "CUS-04"),
        (customer, "I12", "CUS-05"),
        (customer, "I8", "CUS-01"),
        ("returns/Q2-2024/Housing return Q2 2024-25.xlsx", "D9", "HOU-01"),
    ]


def test_a_paper_setting_of_the_wrong_kind_names_the_key(tmp_path) -> None:
    project = empty_project(tmp_path / "council")
    with project.config_path.open("a", encoding="utf-8") as f:
        f.write('\n[paper]\nexceptions_worsening = "yes"\n')
    with pytest.raises(ConfigError) as caught:
        load_project(tmp_path / "council")
    assert caught.value.detail == "expected bool, got str 'yes'"
    assert "paper.exceptions_worsening" in str(caught.value)


# -- through build ---------------------------------------------------------------------------------


def test_the_built_example_has_appendix_b_with_every_red(tmp_path) -> None:
    project = copy_example("somerset", tmp_path / "somerset")
    with project.config_path.open("a", encoding="utf-8") as f:
        f.write("\n[paper]\nexceptions_green_to_amber = true\n")
    project = load_project(project.root)
    result = build_paper(project, Q2, pdf=PdfMode.OFF)
    doc = Document(str(result.outputs[DOCX]))
    summary = summarise_period(project, Q2)
    reds = [r.ref for r in summary.indicators if r.rag is RAG.RED]
    to_amber = [
        r.ref for r in summary.indicators if r.rag is RAG.AMBER and r.previous_rag is RAG.GREEN
    ]
    assert len(reds) == 15 and len(to_amber) >= 1
    listed = [e.item.ref for e in summary.exceptions]
    assert sorted(listed) == sorted(reds + to_amber)
    found = [text for level, text in headings(doc) if level == 2 and text[:1] == "B"]
    assert [t.split(". ")[0] for t in found] == [f"B{n}" for n in range(1, len(listed) + 1)]
    assert [t.split()[1] for t in found] == listed
    # Each entry is a label | value table: no merged cells, the RAG as a word.
    tables = [t for t in doc.tables if t._tbl.tblPr.xml.count("Exception: ")]
    assert len(tables) == len(listed)
    first = {row.cells[0].text: row.cells[1].text for row in tables[0].rows}
    assert list(first) == [
        "Priority",
        "Why it is listed",
        "This quarter",
        "Target",
        "RAG",
        "Last quarter",
        "Direction of travel",
        "Forecast year-end RAG",
        "Responsible officer",
        "Commentary",
        "Actions",
    ]
    entry = summary.exceptions[0].item
    assert first["RAG"].endswith(entry.rag.word)
    assert first["Responsible officer"] == entry.indicator.lead_officer
    key_issues = [p.text for p in doc.paragraphs if "See Appendix B, paragraph " in p.text]
    about_listed = [i for g in summary.key_issues for i in g.issues if i.item.ref in listed]
    assert len(key_issues) == len(about_listed) >= 10
    assert any(t.endswith("See Appendix B, paragraph B1.") for t in key_issues)
    # How long each has been Red, in the same words in both places: a run as far back as the
    # history looks is "or more", and an annual or half-yearly figure counts once.
    why = {
        e.item.ref: {r.cells[0].text: r.cells[1].text for r in table.rows}["Why it is listed"]
        for e, table in zip(summary.exceptions, tables, strict=True)
    }
    assert why["ASC-02"] == "Red this quarter"
    assert why["ASC-01"] == "Red for 5 or more consecutive quarters"
    assert why["HR-06"] == "Red for its last 3 or more half-yearly figures"  # half-yearly
    assert why["ASC-14"] == "Red for its last 2 or more annual figures"  # carried forward
    cover = {t.split()[0]: t for t in key_issues}
    assert "has been Red for 5 or more consecutive quarters: 812 " in cover["ASC-01"]
    assert "has been Red for its last 3 or more half-yearly figures: 30 " in cover["HR-06"]
    assert "ASC-14" not in cover  # the same figure as last quarter (docs/rating.md, section 11)
