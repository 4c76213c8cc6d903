"""[paper] group_by: the paper grouped by priority, directorate or service, and empty groups."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from buildfactory import DOCX, HTML, PDF, appendix_tables, caption, cell_texts, copy_example
from buildfactory import outline as outline_of
from docx import Document
from projectfactory import INDICATORS, write_catalogue, write_config
from ratingfactory import CATALOGUE, Q1, Quarters
from typer.testing import CliRunner

from perfreport.build import PdfMode, PdfOutcome, build_paper, summarise_period
from perfreport.cli import app
from perfreport.core.model import Catalogue, Indicator, Polarity
from perfreport.core.paper_settings import GroupBy
from perfreport.core.periods import Period
from perfreport.core.project import ConfigError, load_project
from perfreport.inputs.catalogue import load_catalogue
from perfreport.inputs.report_file import parse_report
from perfreport.paper.context import make_paper
from perfreport.summary.grouping import Group, grouping_of

Q2 = Period(2024, 2)
DIRECTORATES = """
[[directorates]]
key = "place"
name = "Climate and Place"

[[directorates]]
key = "adults"
name = "Adult Services"

[[directorates]]
key = "resources"
name = "Resources and Corporate Services"
"""
# WR-01 and WR-02 are Climate and Place's, ASC-01 to ASC-03 Adult Services'; Resources has none.
IN_DIRECTORATES = Catalogue(
    tuple(
        dataclasses.replace(
            i, directorate="Climate and Place" if i.ref.startswith("WR") else "Adult Services"
        )
        for i in CATALOGUE.indicators
    )
)
VALUES = {
    Q1: {"WR-01": 56.0, "WR-02": 70, "ASC-01": 31.0, "ASC-02": 80.0},
    Q2: {"WR-01": 50.0, "WR-02": 75, "ASC-01": 25.0, "ASC-02": 60.0},
}


def project_with(root: Path, extra: str):
    write_config(root, extra=extra)
    return load_project(root)


def indicator(ref: str, priority: str, service: str, directorate: str = "") -> Indicator:
    return Indicator(ref, ref, priority, service, Polarity.HIGHER, directorate=directorate)


# -- the groups and their order --------------------------------------------------------------------


def test_priorities_keep_perfreport_toml_order_with_the_supporting_ones_last(tmp_path) -> None:
    write_config(
        tmp_path,
        priorities=(("council", "A resilient council"), ("greener", "A greener place")),
    )
    text = (tmp_path / "perfreport.toml").read_text(encoding="utf-8")
    text = text.replace('name = "A resilient council"\n', 'name = "A resilient council"\n'
                        "supporting = true\n")  # fmt: skip
    (tmp_path / "perfreport.toml").write_text(text, encoding="utf-8")
    project = load_project(tmp_path)
    grouping = grouping_of(project, [indicator("X-1", "greener", "Waste")], GroupBy.PRIORITY)
    assert grouping.groups == (
        Group("greener", "A greener place", configured=True),
        Group("council", "A resilient council", configured=True),
    )
    assert (grouping.label, grouping.noun, grouping.plural) == (
        "Priority",
        "priority",
        "priorities",
    )


def test_directorates_come_as_listed_then_any_other_in_catalogue_order(tmp_path) -> None:
    project = project_with(tmp_path, DIRECTORATES)
    indicators = [
        indicator("A", "greener", "Waste", "Adult Services"),
        indicator("B", "greener", "Waste", "Public Health"),
        indicator("C", "greener", "Waste", "Climate and Place"),
    ]
    grouping = grouping_of(project, indicators, GroupBy.DIRECTORATE)
    assert [(g.name, g.configured) for g in grouping.groups] == [
        ("Climate and Place", True),
        ("Adult Services", True),
        ("Resources and Corporate Services", True),
        ("Public Health", False),
    ]
    assert (grouping.label, grouping.noun, grouping.plural) == (
        "Directorate",
        "directorate",
        "directorates",
    )
    assert [grouping.position(i) for i in indicators] == [1, 3, 0]


def test_services_come_in_the_order_the_catalogue_first_names_them(tmp_path) -> None:
    project = project_with(tmp_path, "")
    indicators = [
        indicator("A", "greener", "Waste"),
        indicator("B", "healthy", "Adult Social Care"),
        indicator("C", "greener", "Waste"),
    ]
    grouping = grouping_of(project, indicators, GroupBy.SERVICE)
    assert grouping.groups == (
        Group("Waste", "Waste"),
        Group("Adult Social Care", "Adult Social Care"),
    )
    assert grouping.label == "Service"


# -- the paper, grouped by directorate ---------------------------------------------------------------


def directorate_paper(root: Path):
    project = project_with(root, '[paper]\ngroup_by = "directorate"\n' + DIRECTORATES)
    summary = summarise_period(project, Q2, reader=Quarters(project, VALUES, IN_DIRECTORATES))
    report, _ = parse_report({}, Path("reports/Q2-2024.toml"))
    return summary, make_paper(summary, report)


def test_the_paper_groups_by_directorate_and_keeps_an_empty_listed_one(tmp_path) -> None:
    summary, paper = directorate_paper(tmp_path)
    assert [
        (s.name, s.count_line, [r.ref for r in s.indicators]) for s in paper.appendix.groups
    ] == [
        ("Climate and Place", "2 indicators, 2 rated: 1 Green, 0 Amber, 1 Red", ["WR-01", "WR-02"]),
        (
            "Adult Services",
            "3 indicators, 2 rated: 0 Green, 0 Amber, 1 Red, 1 no data",
            ["ASC-01", "ASC-02", "ASC-03"],
        ),
        ("Resources and Corporate Services", "No indicators this quarter.", []),
    ]
    # The RAG table has a row for each, the empty one all zeros, and the totals "All directorates".
    assert [
        (r.group, r.green_current, r.amber_current, r.red_current) for r in paper.summary.rag_rows
    ] == [
        ("Climate and Place", "1", "0", "1"),
        ("Adult Services", "0", "0", "1"),
        ("Resources and Corporate Services", "0", "0", "0"),
    ]
    assert paper.summary.rag_total.group == "All directorates"
    assert paper.grouping.label == "Directorate" and paper.grouping.noun == "directorate"
    assert paper.summary.rag_chart_alt.startswith(
        "Bar chart of RAG ratings by directorate, Q1 and Q2."
    )
    assert [g.name for g in paper.key_issues] == ["Climate and Place", "Adult Services"]
    # Appendix B labels each entry's group as Appendix A heads it.
    assert paper.exceptions.group_label == "Directorate"
    assert [(e.ref, e.group) for e in paper.exceptions.entries] == [
        ("WR-01", "Climate and Place"),
        ("ASC-01", "Adult Services"),
    ]
    # The export keeps the priorities and says how the paper was grouped.
    assert [g.group.name for g in summary.by_priority] == [
        "A greener, more sustainable Somerset",
        "A healthy and caring Somerset",
    ]


def test_by_priority_an_empty_listed_priority_keeps_its_heading(tmp_path) -> None:
    write_config(
        tmp_path,
        priorities=(
            ("greener", "A greener, more sustainable Somerset"),
            ("fairer", "A fairer Somerset"),
            ("healthy", "A healthy and caring Somerset"),
        ),
    )
    project = load_project(tmp_path)
    summary = summarise_period(project, Q2, reader=Quarters(project, VALUES))
    report, _ = parse_report({}, Path("reports/Q2-2024.toml"))
    paper = make_paper(summary, report)
    assert [(s.name, s.count_line) for s in paper.appendix.groups][1] == (
        "A fairer Somerset",
        "No indicators this quarter.",
    )
    assert [r.group for r in paper.summary.rag_rows] == [
        "A greener, more sustainable Somerset",
        "A fairer Somerset",
        "A healthy and caring Somerset",
    ]
    assert paper.summary.rag_total.group == "All priorities"


# -- the setting and the catalogue's directorates ----------------------------------------------------


def test_a_group_by_that_is_not_one_of_the_three_is_a_config_error(tmp_path) -> None:
    write_config(tmp_path, extra='[paper]\ngroup_by = "team"\n')
    with pytest.raises(ConfigError) as caught:
        load_project(tmp_path)
    assert (
        caught.value.detail == 'expected one of "priority", "directorate", "service", got \'team\''
    )
    assert caught.value.key == "paper.group_by"
    assert Path(caught.value.file).name == "perfreport.toml"
    result = CliRunner().invoke(app, ["validate", "Q2-2024", "--project", str(tmp_path)])
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert "perfreport.toml" in said and "paper.group_by" in said
    assert 'expected one of "priority", "directorate", "service"' in said


def test_a_directorate_twice_in_perfreport_toml_is_a_config_error(tmp_path) -> None:
    write_config(tmp_path, extra=DIRECTORATES + '\n[[directorates]]\nkey = "Adults"\nname = "A"\n')
    with pytest.raises(ConfigError) as caught:
        load_project(tmp_path)
    assert caught.value.detail == "directorate key 'Adults' is used twice"
    assert caught.value.key == "directorates[4].key"


def catalogue_findings(root: Path, extra: str, directorates: dict[str, str]):
    write_config(root, extra=extra)
    rows = [{**row, "directorate": directorates.get(str(row["ref"]), "")} for row in INDICATORS]
    write_catalogue(root / "catalogue.xlsx", rows)
    return load_catalogue(load_project(root))


def test_grouped_by_directorate_an_indicator_without_one_is_an_error(tmp_path) -> None:
    named = {str(row["ref"]): "Adult Services" for row in INDICATORS}
    del named["WR-02"]
    catalogue, findings = catalogue_findings(tmp_path, '[paper]\ngroup_by = "directorate"\n', named)
    assert [(f.code, f.severity.value, f.file, f.sheet, f.cell, f.message) for f in findings] == [
        (
            "catalogue-missing-value",
            "error",
            "catalogue.xlsx",
            "Indicators",
            "E3",
            "Cell E3: WR-02 has no directorate. Fill in the directorate: the paper is grouped by "
            "directorate ([paper] group_by in perfreport.toml).",
        )
    ]
    # Grouped by priority, a blank directorate is fine.
    _, findings = catalogue_findings(tmp_path / "by-priority", "", named)
    assert findings == ()


def test_a_directorate_perfreport_toml_does_not_list_is_an_error_naming_the_cell(tmp_path) -> None:
    given = {"WR-01": "place", "WR-02": "Adult Social Services", "ASC-01": "adult services"}
    catalogue, findings = catalogue_findings(tmp_path, DIRECTORATES, given)
    assert [(f.code, f.file, f.sheet, f.cell, f.message) for f in findings] == [
        (
            "catalogue-unknown-directorate",
            "catalogue.xlsx",
            "Indicators",
            "E3",
            "Cell E3: WR-02 has directorate 'Adult Social Services', which is not in perfreport.toml's "
            "[[directorates]]. Use one of: place (Climate and Place); adults (Adult Services); "
            "resources (Resources and Corporate Services).",
        )
    ]
    # A key or a name, in any case, is the directorate's name as perfreport.toml gives it.
    assert [i.directorate for i in catalogue.indicators][:3] == [
        "Climate and Place",
        "Adult Social Services",
        "Adult Services",
    ]


def test_without_a_directorate_column_a_directorate_grouped_catalogue_is_refused(tmp_path) -> None:
    write_config(tmp_path, extra='[paper]\ngroup_by = "directorate"\n')
    write_catalogue(tmp_path / "catalogue.xlsx", INDICATORS)
    with pytest.raises(ConfigError) as caught:
        load_catalogue(load_project(tmp_path))
    assert caught.value.detail == (
        "the required column(s) Directorate are missing (sheet Indicators). The first row of "
        "headings must include Ref, Title, Priority, Service, Polarity and Directorate (the paper "
        "is grouped by directorate)."
    )


# -- through build: the example grouped by directorate, and by service -------------------------------

EMPTY_DIRECTORATE = "Strategy, Workforce and Localities"


def grouped_example(root: Path, group_by: str, extra: str = ""):
    project = copy_example("somerset", root)
    with project.config_path.open("a", encoding="utf-8") as f:
        f.write(f'\n{extra}\n[paper]\ngroup_by = "{group_by}"\n')
    return load_project(project.root)


def appendix_a_outline(doc) -> list[tuple[str, str]]:
    """(style, text) from Appendix A's title to Appendix B's, headings and paragraphs."""
    found, inside = [], False
    for p in doc.paragraphs:
        if p.style.name == "Heading 1":
            if inside and p.text.startswith("Appendix B"):
                break
            inside = inside or p.text.startswith("Appendix A")
        elif inside:
            found.append((p.style.name, p.text))
    return found


@pytest.fixture(scope="module")
def by_directorate(tmp_path_factory):
    extra = f'[[directorates]]\nkey = "strategy"\nname = "{EMPTY_DIRECTORATE}"\n'
    project = grouped_example(tmp_path_factory.mktemp("grouped") / "somerset", "directorate", extra)
    result = build_paper(project, Q2, pdf=PdfMode.OFF)
    assert result.published, result.reason
    return project, Document(str(result.outputs[DOCX])), result.outputs


def test_the_example_grouped_by_directorate_heads_appendix_a_by_directorate(by_directorate):
    project, doc, _ = by_directorate
    names = [d.name for d in project.directorates]
    assert names == [
        "Adult Services",
        "Children, Families and Education",
        "Climate and Place",
        "Community Services",
        "Resources and Corporate Services",
        "Public Health",
        EMPTY_DIRECTORATE,
    ]
    outline = appendix_a_outline(doc)
    assert [text for style, text in outline if style == "Heading 2"] == names
    # The listed directorate with no indicators keeps its heading, and says so.
    at = outline.index(("Heading 2", EMPTY_DIRECTORATE))
    assert outline[at + 1][1] == "No indicators this quarter."
    assert [caption(t) for t in appendix_tables(doc)] == [f"Indicators: {n}" for n in names[:-1]]
    rows = sum(len(t.rows) - 1 for t in appendix_tables(doc))
    assert rows == 114


def test_the_example_grouped_by_directorate_counts_and_labels_by_directorate(by_directorate):
    project, doc, _ = by_directorate
    (table,) = [t for t in doc.tables if caption(t).startswith("RAG ratings by ")]
    assert caption(table) == "RAG ratings by directorate, Q1 and Q2"
    cells = cell_texts(table)
    assert cells[0][0] == "Directorate"
    assert [row[0] for row in cells[1:]] == [
        *(d.name for d in project.directorates),
        "All directorates",
    ]
    assert cells[-2][1:] == ["0"] * 6  # the empty directorate: no indicators either quarter
    # Green, Amber and Red this quarter (columns 2, 4, 6) add up to the example's 26, 14 and 15.
    assert [sum(int(row[c]) for row in cells[1:-1]) for c in (2, 4, 6)] == [26, 14, 15]
    assert [cells[-1][c] for c in (2, 4, 6)] == ["26", "14", "15"]
    # The cover's key issues sit under directorate headings, in the configured order.
    found = outline_of(doc, "Key Issues Identified this Quarter")
    groups = [text for style, text in found if style == "Heading 2"]
    assert groups == [n for n in (d.name for d in project.directorates) if n in groups]
    assert "Climate and Place" in groups and "Adult Services" in groups
    # Appendix B labels each entry's directorate.
    entries = [t for t in doc.tables if t._tbl.tblPr.xml.count("Exception: ")]
    first = {row.cells[0].text: row.cells[1].text for row in entries[0].rows}
    assert list(first)[0] == "Directorate"
    assert first["Directorate"] in groups


def test_the_example_grouped_by_service_heads_appendix_a_by_service(tmp_path) -> None:
    project = grouped_example(tmp_path / "somerset", "service")
    result = build_paper(project, Q2, pdf=PdfMode.OFF)
    assert result.published, result.reason
    doc = Document(str(result.outputs[DOCX]))
    services = [
        "Adult Social Care",
        "Children's Services",
        "Public Health",
        "Housing",
        "Planning",
        "Waste and Recycling",
        "Highways and Transport",
        "Libraries and Culture",
        "Revenues and Benefits",
        "Customer Services",
        "HR and Organisational Development",
        "Finance",
    ]
    outline = appendix_a_outline(doc)
    assert [text for style, text in outline if style == "Heading 2"] == services
    (table,) = [t for t in doc.tables if caption(t).startswith("RAG ratings by ")]
    assert caption(table) == "RAG ratings by service, Q1 and Q2"
    assert [row[0] for row in cell_texts(table)] == ["Service", *services, "All services"]


@pytest.mark.pdf
def test_the_directorate_grouped_example_pdf_uses_its_pages(tmp_path) -> None:
    from pagecheck import page_use_problems, table_start_problems
    from pdf_helpers import require_soffice

    require_soffice()
    extra = f'[[directorates]]\nkey = "strategy"\nname = "{EMPTY_DIRECTORATE}"\n'
    project = grouped_example(tmp_path / "somerset", "directorate", extra)
    result = build_paper(project, Q2, pdf=PdfMode.REQUIRED)
    assert result.pdf is PdfOutcome.WRITTEN
    assert page_use_problems(result.outputs[PDF]) == []
    assert table_start_problems(result.outputs[PDF]) == []


def test_the_directorate_grouped_page_and_export_say_so(by_directorate) -> None:
    project, _, outputs = by_directorate
    page = outputs[HTML].read_text(encoding="utf-8")
    assert "<legend>Show the directorate</legend>" in page
    assert '<label for="show-group-all">All directorates</label>' in page
    assert "<caption>RAG ratings by directorate, Q1 and Q2</caption>" in page
    dataset = json.loads(outputs["dataset.json"].read_text(encoding="utf-8"))
    assert dataset["summary"]["group_by"] == "directorate"
    assert [g["name"] for g in dataset["summary"]["by_group"]] == [
        d.name for d in project.directorates
    ]
    assert list(dataset["summary"]["by_priority"])[0] == "A greener, more sustainable Somerset"
    first = dataset["indicators"][0]
    assert (first["directorate"], first["priority_key"]) == ("Adult Services", "healthy")
