"""The charts in the paper: inline pictures with alt text and a title, off with [paper] charts."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from buildfactory import DOCX, Q2, copy_example
from lxml import etree

from perfreport.build import PdfMode, build_paper, summarise_period
from perfreport.core.project import load_project
from perfreport.paper.charts import (
    history_sentence,
    rag_by_group_of,
    rag_chart_alt,
    rag_over_time_of,
)

WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"


def pictures(docx: Path) -> list[dict[str, str]]:
    """Every inline picture's wp:docPr: its name, title and descr (alt text), in order."""
    with zipfile.ZipFile(docx) as archive:
        body = etree.fromstring(archive.read("word/document.xml"))
    return [dict(e.attrib) for e in body.iter(f"{WP}docPr")]


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory):
    project = copy_example("somerset", tmp_path_factory.mktemp("charts") / "somerset")
    built = build_paper(project, Q2, pdf=PdfMode.OFF)
    return project, built, summarise_period(project, Q2)


def test_each_chart_is_an_inline_picture_with_alt_text_and_a_title(example) -> None:
    _, built, summary = example
    charts = [p for p in pictures(built.outputs[DOCX]) if p["name"].startswith("Chart")]
    assert len(charts) == 2 + 114  # the two summary charts, and a trend for every indicator
    assert charts[0]["descr"] == rag_chart_alt(rag_by_group_of(summary))
    assert charts[0]["descr"].startswith(
        "Bar chart of RAG ratings by priority, Q1 and Q2. A greener, more sustainable Somerset: "
        "Q1 Green 2, Amber 2, Red 1; Q2 Green 1, Amber 3, Red 1."
    )
    assert charts[1]["descr"] == history_sentence(rag_over_time_of(summary))
    assert charts[1]["descr"].startswith(
        "Indicators rated Green, Amber and Red in each quarter, Q3 2022/23 to Q2 2024/25: "
        "Green 24, 27, 27, 24, 23, 24, 22, 26;"
    )
    assert [c["title"] for c in charts[:2]] == [
        "RAG ratings by priority",
        "Green, Amber and Red over the last quarters",
    ]
    trends = {c["title"]: c["descr"] for c in charts[2:]}
    assert (
        trends["Trend of ASC-08"]
        == summary.trends["ASC-08"].text
        == (
            "Trend, Q3 2022/23 to Q2 2024/25: 29.2% to 27.2%, worsening; target 28.0%; below "
            "target in 6 of 8 quarters"
        )
    )


def test_the_numbers_of_the_history_chart_are_in_the_paper_as_a_sentence(example) -> None:
    _, built, summary = example
    with zipfile.ZipFile(built.outputs[DOCX]) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    text = "".join(etree.fromstring(xml.encode()).itertext())
    assert history_sentence(rag_over_time_of(summary)) in text


def test_two_builds_with_charts_are_byte_identical(example, tmp_path: Path) -> None:
    project, built, _ = example
    again = build_paper(project, Q2, pdf=PdfMode.OFF, out_dir=tmp_path / "again")
    assert again.outputs[DOCX].read_bytes() == built.outputs[DOCX].read_bytes()


def test_paper_charts_false_leaves_every_chart_out(example, tmp_path: Path) -> None:
    project, built, _ = example
    config = project.config_path.read_text(encoding="utf-8")
    other = copy_example("somerset", tmp_path / "somerset")
    other.config_path.write_text(config + "\n[paper]\ncharts = false\n", encoding="utf-8")
    plain = build_paper(load_project(other.root), Q2, pdf=PdfMode.OFF)
    names = [p["name"] for p in pictures(plain.outputs[DOCX])]
    assert not [n for n in names if n.startswith("Chart")]
    assert len(names) == 1  # the report file's own figure stays
    assert not (other.root / "build" / ".cache" / "charts").exists()
