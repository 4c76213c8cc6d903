"""`build_paper`: the example's committee paper and data, published whole or not at all."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io
import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from buildfactory import (
    DATA,
    DOCX,
    HTML,
    PDF,
    Q2,
    all_text,
    appendix_tables,
    caption,
    cell_texts,
    copy_example,
    edit_report,
    files_in,
    fill,
    headings,
    outline,
    outputs_in,
    reuse_summary,
    section,
    word_fill,
)
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from openpyxl import load_workbook
from wcag import contrast_ratio

from perfreport.build import (
    BuildFailed,
    PdfMode,
    PdfOutcome,
    build_paper,
    paper_name,
    summarise_period,
)
from perfreport.core.findings import Severity, count, sort_findings
from perfreport.core.formatting import RAG_FILLS, RAG_SHAPES
from perfreport.core.model import RAG
from perfreport.core.project import load_project
from perfreport.paper.document import DocumentError
from perfreport.paper.glossary import FirstUse
from perfreport.paper.pdf import ENV_VAR, PdfError
from perfreport.publish.export import csv_text, dataset_document, json_text, summary_document
from perfreport.rating.rules import Direction

HEADLINE = (
    "The 2024/25 Q2 report contains 114 indicators, of which 56 have a Red, Amber, Green "
    "(RAG) rating."
)
# The reference paper's sections, in its order; the risk tables are sub-headings.
COVER = [
    (1, "Executive Summary"),
    (1, "Recommendations"),
    (1, "Reasons for Proposals"),
    (1, "Report Author and Contact Details"),
    (1, "Background and purpose of report"),
    (1, "Summary"),
    (1, "Key Issues Identified this Quarter"),
    (1, "Links to Council Plan and Medium-Term Financial Plan"),
    (1, "Other options considered"),
    (1, "Key considerations"),
    (1, "Scrutiny comments / recommendations"),
    (1, "Consultation and feedback"),
    (1, "Financial and Risk Implications"),
    (2, "Current risk score"),
    (2, "Projected risk score"),
    (1, "Legal and Procurement Implications"),
    (1, "HR / Workforce Implications"),
    (1, "Equalities Implications"),
    (1, "Community Safety Implications"),
    (1, "Climate Change and Sustainability Implications"),
    (1, "Health and Safety Implications"),
    (1, "Health and Wellbeing Implications"),
    (1, "Social Value"),
    (1, "Background Papers"),
    (1, "Appendices"),
    (1, "Report assurance"),
]

GOOD_IS = {"higher": "Higher", "lower": "Lower", "none": "n/a"}
NBSP = "\u00a0"


def digest(folder: Path) -> dict[str, str]:
    return {name: hashlib.sha256(data).hexdigest() for name, data in files_in(folder).items()}


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    """The Somerset example, copied, with a hash of every input file before the build."""
    project = copy_example("somerset", tmp_path_factory.mktemp("first") / "somerset")
    return project, digest(project.root)


@pytest.fixture(scope="module")
def built(example):
    project, _ = example
    return build_paper(project, Q2, pdf=PdfMode.OFF)


@pytest.fixture(scope="module")
def summary(example, built):
    """What `perfreport summary Q2-2024` computes for the same project."""
    return summarise_period(example[0], Q2)


@pytest.fixture(scope="module")
def doc(built):
    return Document(io.BytesIO(built.outputs[DOCX].read_bytes()))


@pytest.fixture
def previous_build(built, tmp_path):
    """A copy of the built example, build folder included, for builds made to fail."""
    root = tmp_path / "somerset"
    shutil.copytree(built.out_dir.parents[1], root)
    return load_project(root)


# -- the files ------------------------------------------------------------------------------------


def test_the_build_publishes_the_paper_and_the_data_under_the_reference_name(example, built):
    project, _ = example
    assert built.published and built.reason == ""
    assert built.out_dir == project.root / "build" / "Q2-2024"
    assert paper_name(project, Q2) == "Corporate Performance Management Report Q2 2024-25"
    assert sorted(built.outputs) == sorted([DOCX, HTML, *DATA])
    assert {name: path.parent for name, path in built.outputs.items()} == dict.fromkeys(
        built.outputs, built.out_dir
    )
    assert sorted(outputs_in(project.root / "build")) == sorted(
        f"Q2-2024/{n}" for n in [DOCX, HTML, *DATA]
    )
    assert built.pdf is PdfOutcome.SKIPPED and built.diverted == {} and built.removed == ()


def test_the_build_changes_no_input_file(example, built):
    project, before = example
    after = {name: h for name, h in digest(project.root).items() if not name.startswith("build/")}
    assert after == before


def test_the_data_files_are_the_export_of_the_summary(built, summary):
    dataset = json.loads(built.outputs["dataset.json"].read_text(encoding="utf-8"))
    assert dataset["schema"] == "perfreport.dataset/1"
    assert len(dataset["indicators"]) == 114
    assert built.outputs["dataset.json"].read_text(encoding="utf-8") == json_text(
        dataset_document(summary)
    )
    assert built.outputs["dataset.csv"].read_bytes() == csv_text(summary).encode("utf-8")


def test_findings_json_lists_the_warnings_of_the_returns(built, summary):
    text = built.outputs["findings.json"].read_text(encoding="utf-8")
    document = json.loads(text)
    assert text == json.dumps(document, indent=2, ensure_ascii=False) + "\n"  # as json writes it
    assert document["schema"] == "perfreport.findings/1"
    assert document["period"] == "Q2-2024"
    assert document["counts"] == {"error": 0, "warning": 3, "info": 0}
    expected = [(f.code, f.file, f.cell) for f in sort_findings(summary.findings)]
    assert [(f["code"], f["file"], f["cell"]) for f in document["findings"]] == expected
    assert [f["code"] for f in document["findings"]] == [
        "commentary-too-long",
        "missing-indicator",
        "target-mismatch",
    ]
    assert (count(built.findings, Severity.WARNING), count(built.findings, Severity.ERROR)) == (
        3,
        0,
    )


def test_to_dict_gives_paths_counts_and_findings(built, summary):
    data = json.loads(json.dumps(built.to_dict()))
    assert data["schema"] == "perfreport.build/1"
    assert (data["period"], data["period_label"], data["published"]) == (
        "Q2-2024",
        "Q2 2024/25",
        True,
    )
    assert data["outputs"] == {name: str(path) for name, path in built.outputs.items()}
    assert (data["total"], data["rated"]) == (114, 56)
    assert data["counts"] == summary_document(summary)["counts"]
    assert data["findings"] == {"error": 0, "warning": 3, "info": 0}


# -- the paper ------------------------------------------------------------------------------------


def test_the_paper_has_the_reference_papers_headings_in_order(example, doc, summary):
    project, _ = example
    priorities = [(2, p.name) for p in project.priorities]
    # Under Key Issues: the officers' paragraphs, then a Heading 2 per priority that has issues.
    with_issues = {g.group.key for g in summary.key_issues}
    key_issues = [(2, p.name) for p in project.priorities if p.key in with_issues]
    assert len(key_issues) == 5  # every priority of the example has at least one
    at = COVER.index((1, "Key Issues Identified this Quarter")) + 1
    cover = [*COVER[:at], *key_issues, *COVER[at:]]
    assert headings(doc) == [
        (0, "Corporate Performance Management Report Q2 2024/25"),
        *cover,
        (1, "Appendix A: Performance indicators Q2 2024/25"),
        *priorities,
        (1, "Appendix B: Exception report Q2 2024/25"),
        *[
            (2, f"B{n}. {e.item.ref} {e.item.indicator.title}")
            for n, e in enumerate(summary.exceptions, start=1)
        ],
        (1, "Appendix C: Definitions"),
        *priorities,
        (2, "Abbreviations"),
    ]


def test_the_front_sheet_shows_the_meeting_facts_of_the_report_file(doc):
    assert cell_texts(doc.tables[0]) == [
        ["Committee", "Executive"],
        ["Meeting or Proposed Decision Date", "2 December 2024"],
        ["Key Decision", "No"],
    ]


def test_body_paragraphs_are_numbered_one_list_through_words_own_numbering(doc):
    numbered = [p for p in doc.paragraphs if p.style.name == "Numbered Paragraph"]
    assert len(numbered) > 40
    num_pr = doc.styles["Numbered Paragraph"].element.pPr.numPr
    assert num_pr is not None and num_pr.numId.val > 0
    # No paragraph overrides the style's list, so numbering runs 1, 2, 3 … through the paper.
    assert all(p._p.pPr is None or p._p.pPr.numPr is None for p in numbered)
    assert not any(re.match(r"\d+[.)]", p.text) for p in numbered)  # not typed numbers
    for name in (
        "Background and purpose of report",
        "Summary",
        "Key Issues Identified this Quarter",
        "Legal and Procurement Implications",
    ):
        # Every paragraph of text is numbered; a chart's paragraph holds only its picture.
        styles = {style for style, text in outline(doc, name) if text.strip()} - {"Heading 2"}
        assert styles == {"Numbered Paragraph"}, name
    # As in the reference paper, the numbering starts at 1 under Background: the Executive
    # Summary, Recommendations and Reasons for Proposals are not numbered.
    for name in ("Executive Summary", "Recommendations", "Reasons for Proposals"):
        assert {style for style, _ in outline(doc, name)} == {"Normal"}, name
    first = next(p for p in doc.paragraphs if p.style.name == "Numbered Paragraph")
    assert first.text == section(doc, "Background and purpose of report")[0].text


def test_the_summary_gives_the_headline_and_the_movement_of_perfreport_summary(doc, summary):
    texts = [p.text for p in section(doc, "Summary")]
    assert summary.headline == HEADLINE
    assert texts[0] == HEADLINE
    counts = summary.counts
    assert texts[1] == (
        f"Of the {counts.rated} rated indicators, {counts.green} are Green, "
        f"{counts.amber} Amber and {counts.red} Red, and {counts.no_data} has no "
        f"data this quarter (not counted as Red). The other {counts.not_rated} "
        "indicators are reported without a rating: 16 are context measures, 34 have no target "
        "and 8 have a target but are not rated."
    )
    # Counted again here from the catalogue: polarity none; no target; a target but Rated no.
    unrated = [r for r in summary.indicators if r.rag_text == "Not rated"]
    context = [r for r in unrated if r.indicator.polarity.value == "none"]
    chosen = [r for r in unrated if r not in context and r.current.target is not None]
    assert (len(unrated), len(context), len(chosen)) == (58, 16, 8)
    assert all(not r.indicator.rated for r in chosen)
    assert texts[2] == summary.narrative
    assert summary.narrative.startswith("A comparison between Q1 and Q2 of 2024/25 shows that")
    green, amber, red = summary.movement.changes
    assert texts[3] == (
        f"Between Q1 2024/25 and Q2 2024/25, the number of measures rated Green "
        f"went from {green.before} to {green.after}, Amber from {amber.before} "
        f"to {amber.after} and Red from {red.before} to {red.after}."
    )
    assert "→" not in texts[4] and texts[4].startswith("Since Q1 2024/25, ")
    # PH-01 and CUS-02 had No data in Q1; HR-05 has No data now: all three are among the rated
    # indicators counted above, so the paper must not call them "not rated".
    assert ([r.ref for r in summary.new_measures], [r.ref for r in summary.dropped_measures]) == (
        ["PH-01", "CUS-02"],
        ["HR-05"],
    )
    assert texts[5] == (
        "This quarter, 2 measures that had no data in Q1 2024/25 have a RAG rating "
        "and 1 measure rated in Q1 2024/25 has no data."
    )


def test_the_rag_table_agrees_with_perfreport_summary(doc, summary):
    expected = summary_document(summary)
    table = next(t for t in doc.tables if t.rows[0].cells[0].text == "Priority")
    assert [c.text for c in table.rows[0].cells] == [
        "Priority",
        "Green Q1",
        "Green Q2",
        "Amber Q1",
        "Amber Q2",
        "Red Q1",
        "Red Q2",
    ]
    rows = [(p["name"], p["previous_counts"], p["counts"]) for p in expected["by_priority"]]
    rows.append(("All priorities", expected["previous_counts"], expected["counts"]))
    assert cell_texts(table)[1:] == [
        [name] + [str(counts[rag]) for rag in ("green", "amber", "red") for counts in (before, now)]
        for name, before, now in rows
    ]


def test_the_key_issues_give_the_officers_words_then_every_computed_issue(example, doc, summary):
    project, _ = example
    under = outline(doc, "Key Issues Identified this Quarter")
    # The officers' own paragraphs come first, as in the reference paper.
    officers = [p for p in under if p[0] == "Numbered Paragraph"][:2]
    assert officers[0][1].startswith("Directorates have reviewed every measure rated Red")
    assert officers[1][1].startswith("The measures below are those with a new figure this quarter")
    under = under[2:]
    # Each priority with issues, in the configured order, is a Heading 2 over its issues.
    expected = []
    # Each issue about a Red measure says where Appendix B has it.
    numbers = {e.item.ref: f"B{n}" for n, e in enumerate(summary.exceptions, start=1)}
    # The first use of each abbreviation in the glossary is written out (FTE, FOI …).
    expand = FirstUse(summary.glossary)
    for group in summary.key_issues:
        expected.append(("Heading 2", group.group.name))
        expected += [
            (
                "Numbered Paragraph",
                expand(issue.text)
                + (
                    f" See Appendix B, paragraph {numbers[issue.item.ref]}."
                    if issue.item.ref in numbers
                    else ""
                ),
            )
            for issue in group.issues
        ]
    order = [p.key for p in project.priorities]
    assert [g.group.key for g in summary.key_issues] == sorted(
        (g.group.key for g in summary.key_issues), key=order.index
    )
    assert len(expected) - len(summary.key_issues) > 5
    assert under[: len(expected)] == expected
    # The sentences do not repeat the priority: the heading says it.
    names = [p.name for p in project.priorities]
    assert not any(
        name in text
        for style, text in under[: len(expected)]
        for name in names
        if style == "Numbered Paragraph"
    )
    assert len(under) == len(expected)


def test_appendix_a_has_one_row_per_indicator_in_priority_order(doc, summary):
    tables = appendix_tables(doc)
    expected = summary_document(summary)["by_priority"]
    assert [caption(t) for t in tables] == [f"Indicators: {p['name']}" for p in expected]
    assert [len(t.rows) - 1 for t in tables] == [p["total"] for p in expected]
    rows = [row for t in tables for row in cell_texts(t)[1:]]
    assert len(rows) == 114
    assert [r[0] for r in rows] == [i.ref for i in summary.indicators]
    # Each abbreviation is written out at its first use: the Key Issues come before Appendix A.
    expand = FirstUse(summary.glossary)
    for group in summary.key_issues:
        for issue in group.issues:
            expand(issue.text)
    for row, indicator in zip(rows, summary.indicators, strict=True):
        good_is = GOOD_IS[indicator.indicator.polarity.value]
        assert row[1:8] == [
            expand(indicator.indicator.title),
            good_is,
            indicator.previous_text,
            indicator.value_text,
            indicator.last_year_text,
            indicator.target_text,
            rag_cell(indicator),
        ], indicator.ref


def test_each_priority_says_how_many_indicators_and_ratings_it_has(doc, summary):
    lines = []
    for priority in summary_document(summary)["by_priority"]:
        paragraphs = section(
            doc, priority["name"], after="Appendix A: Performance indicators Q2 2024/25"
        )
        lines.append(paragraphs[0].text)
        counts = priority["counts"]
        rated = counts["green"] + counts["amber"] + counts["red"] + counts["no_data"]
        assert rated == priority["rated"]
        expected = (
            f"{priority['total']} indicators, {rated} rated: {counts['green']} Green, "
            f"{counts['amber']} Amber, {counts['red']} Red"
        )
        if counts["no_data"]:
            expected += f", {counts['no_data']} no data"
        assert paragraphs[0].text == expected
    assert lines[0] == "12 indicators, 5 rated: 1 Green, 3 Amber, 1 Red"
    # A rated measure with no figure is rated in the Summary ("Of the 56 rated indicators, ...
    # 1 has no data"), so the lines add up to the headline's 56.
    assert lines[-1] == "27 indicators, 13 rated: 5 Green, 2 Amber, 5 Red, 1 no data"
    assert sum(int(line.split(", ")[1].split()[0]) for line in lines) == summary.rated == 56


def shaped(row) -> str:
    """The RAG's text: the shape and the word for a rating, else the word alone."""
    rag = row.current.rag
    return (
        f"{RAG_SHAPES[rag]}{NBSP}{rag.word}"
        if row.rag_text == getattr(rag, "word", "")
        else row.rag_text
    )


def rag_cell(row) -> str:
    """The RAG cell: this quarter's, then last quarter's and the year-end forecast, a line each."""
    lines = [shaped(row)]
    before = row.previous
    if before is not None and (before.rag is not None or row.rag is not None):
        word = (
            before.rag.word
            if before.rag is not None
            else ("No data" if before.rated else "Not rated")
        )
        lines.append(f"Q1: {word}")
    if row.forecast_rag is not None:
        lines.append(f"Year end: {row.forecast_rag.word}")
    return "\n".join(lines)


def test_the_direction_of_travel_keeps_each_word_with_its_mark(doc, summary):
    cells = {
        t.rows[i].cells[0].text: t.rows[i].cells[8].text
        for t in appendix_tables(doc)
        for i in range(1, len(t.rows))
    }
    seen = set()
    for row in summary.indicators:
        short, long = row.direction_short, row.direction_long
        if short is long is Direction.NOT_COMPARABLE:
            assert cells[row.ref] == "Not comparable", row.ref
            continue
        # No-break spaces: a line can break after "Quarter:", never between a word and its mark.
        polarity = row.indicator.polarity

        def label(direction: Direction, polarity=polarity) -> str:
            text = direction.label_for(polarity)
            return text.replace(" ", NBSP) if direction.mark else text

        if row.current.cumulative:  # year to date: never compared with last quarter
            assert short is Direction.NOT_COMPARABLE, row.ref
            assert cells[row.ref] == f"Quarter: n/a (year to date)\nYear: {label(long)}", row.ref
            seen.add(long.label_for(polarity))
            continue
        assert cells[row.ref] == f"Quarter: {label(short)}\nYear: {label(long)}", row.ref
        seen |= {short.label_for(polarity), long.label_for(polarity)}
    # The example shows every judgement, every movement (Same included) and Not comparable.
    assert seen == {d.label for d in Direction} | {"Same →"}


def test_appendix_a_shows_a_year_to_date_measure_against_its_quarters_target(doc, built):
    """Council tax collected (typed quarter targets) and affordable homes (cumulative-even): each
    against its Q2 target, with the year's beside it, and compared only with last year."""
    rows = {
        t.rows[i].cells[0].text: [c.text for c in t.rows[i].cells]
        for t in appendix_tables(doc)
        for i in range(1, len(t.rows))
    }
    assert rows["REV-01"][2:9] == [
        "Higher",
        "27.8%",
        "54.2%",
        "54.9%",
        "54.5% by Q2 (year 97.5%)",
        f"{RAG_SHAPES[RAG.AMBER]}{NBSP}Amber\nQ1: Amber\nYear end: Amber",
        f"Quarter: n/a (year to date)\nYear: Worsening{NBSP}\u2212",
    ]
    assert rows["REV-01"][9].startswith(
        "54.2% in the year to date against a target of 54.5% by Q2."
    )
    assert rows["HOU-05"][6:9] == [
        "300 by Q2 (year 600)",
        f"{RAG_SHAPES[RAG.GREEN]}{NBSP}Green\nQ1: Red\nYear end: Green",
        f"Quarter: n/a (year to date)\nYear: Improving{NBSP}+",
    ]
    key = [p.text for p in doc.paragraphs if p.text.startswith("Target: where a quarter")]
    assert key == [
        "Target: where a quarter has its own target, the year's follows it. \"54.5% by Q2 (year "
        '97.5%)" is a year-to-date target: the figure counts from April to the end of Q2, so it '
        "grows every quarter, and its direction of travel compares it only with the same "
        'quarter last year. "30 for Q2 (year 100)" is a target for the quarter alone.'
    ]
    # The data export carries the quarter's target as rated, and the web page the same cell.
    records = {r["ref"]: r for r in json.loads(built.outputs[DATA[0]].read_text())["indicators"]}
    assert [records["REV-01"][k] for k in ("target_as_rated", "amber_threshold_as_rated")] == [
        54.5,
        53.7,
    ]
    assert [records["HOU-05"][k] for k in ("target", "target_as_rated", "rag")] == [
        300,
        300,
        "green",
    ]
    assert "<td>54.5% by Q2 (year 97.5%)</td>" in built.outputs[HTML].read_text(encoding="utf-8")


def test_the_rag_cell_shows_the_word_and_its_shape_on_its_fill(doc, summary):
    cells = {
        t.rows[i].cells[0].text: t.rows[i].cells[7]
        for t in appendix_tables(doc)
        for i in range(1, len(t.rows))
    }
    # One indicator of each kind, as perfreport summary rates them.
    examples = {}
    for row in summary.indicators:
        examples.setdefault(row.rag_text, row)
    assert {"Green", "Amber", "Red", "No data", "Not rated"} <= set(examples)
    for word, row in examples.items():
        cell = cells[row.ref]
        assert cell.text == rag_cell(row) and cell.text.split("\n")[0].endswith(word), row.ref
        # The word wears the fill, not the cell: a row continued on the next page takes no
        # colour there without its word (RAG never by colour alone).
        assert fill(cell) is None, row.ref
        assert word_fill(cell) == (shaped(row), RAG_FILLS[row.rag]), row.ref
    for rag in (RAG.GREEN, RAG.AMBER, RAG.RED):
        assert contrast_ratio("000000", RAG_FILLS[rag]) >= 4.5
    # Every row, not only the examples.
    for row in summary.indicators:
        cell = cells[row.ref]
        assert (cell.text, fill(cell)) == (rag_cell(row), None), row.ref
        assert word_fill(cell) == (cell.text.split("\n")[0], RAG_FILLS[row.rag]), row.ref


def test_not_due_no_data_and_not_rated_are_words_never_blank_cells(doc):
    for table in appendix_tables(doc):
        for row in table.rows[1:]:
            assert all(cell.text.strip() for cell in row.cells), row.cells[0].text
    text = all_text(doc)
    assert "No data" in text and "Not rated" in text
    # An annual measure not due shows its latest outturn: last year's comes from the example's
    # imported past figures ("Not due (annual, Q4)" without one: tests/test_document.py).
    assert "(2022/23 outturn)" in text and "(2023/24 outturn)" in text


def test_table_header_rows_repeat_and_appendix_rows_may_split(doc):
    # The two front-sheet tables are label | value pairs, with no header row to repeat.
    # Appendix B's tables are label | value pairs too.
    data_tables = [t for t in doc.tables[2:] if not caption(t).startswith("Exception: ")]
    assert [caption(t) for t in doc.tables[:2]] == ["Meeting details", "Members and officers"]
    # summary, risks (2), assurance; Appendix A's; Appendix C's (5 groups, the abbreviations)
    assert len(data_tables) == 4 + len(appendix_tables(doc)) + 5 + 1
    for table in data_tables:
        header = table.rows[0]._tr.trPr
        flag = header.find(qn("w:tblHeader")) if header is not None else None
        assert flag is not None and flag.get(qn("w:val"), "true") in ("true", "1"), caption(table)
    split = {}
    for table in appendix_tables(doc):
        for row in table.rows[1:]:
            # A tall row may continue on the next page, under the repeated header row; a short
            # one moves whole.
            split[row.cells[9].text] = row._tr.trPr.find(qn("w:cantSplit")) is None
            assert row._tr.find(".//" + qn("w:gridSpan")) is None
            assert row._tr.find(".//" + qn("w:vMerge")) is None
    assert any(split.values()) and not all(split.values())
    assert all(split[text] for text in split if len(text) > 700)  # over a quarter of a page
    assert not any(split[text] for text in split if len(text) < 300)


def keeps_with_next(paragraph) -> bool:
    """Whether a paragraph keeps with the next: its own setting, else its style's (inherited)."""
    if paragraph.paragraph_format.keep_with_next is not None:
        return paragraph.paragraph_format.keep_with_next
    style = paragraph.style
    while style is not None:
        if style.paragraph_format.keep_with_next is not None:
            return style.paragraph_format.keep_with_next
        style = style.base_style
    return False


def row_keeps(row) -> bool:
    flags = [keeps_with_next(p) for c in row.cells for p in c.paragraphs]
    assert all(flags) or not any(flags)  # every paragraph of the row, or none
    return all(flags)


def test_a_heading_keeps_with_its_table_s_first_rows_and_the_last_two_rows_together(doc):
    # Appendix A's and Appendix C's tables run over pages. Each group's heading (and count line)
    # keeps with the header row, which keeps with the first body row, which keeps with the
    # second: the heading never ends a page over one row. The last but one keeps with the last,
    # which keeps with nothing (the next group's heading may start a page), so the last row
    # never starts a page alone. No other row keeps with the next: the table runs over pages.
    from docx.text.paragraph import Paragraph

    from perfreport.paper.layout import APPENDIX_WIDTHS_MM, VERY_TALL_ROW_LINES, is_tall

    long_tables = [
        t
        for t in doc.tables
        if caption(t).startswith(("Indicators: ", "Definitions: ")) or caption(t) == "Abbreviations"
    ]
    assert len(long_tables) == 5 + 5 + 1
    very_tall = []
    for table in long_tables:
        header, *rows = table.rows
        assert len(rows) >= 5, caption(table)  # start, middle and end are all there
        before = Paragraph(table._tbl.getprevious(), table._parent)
        heading = before if before.style.name.startswith("Heading") else None
        if heading is None:  # Appendix A's count line ("12 indicators, 5 rated: …")
            assert before.style.name == "Lead In" and keeps_with_next(before), caption(table)
            heading = Paragraph(before._p.getprevious(), table._parent)
        assert heading.style.name == "Heading 2" and keeps_with_next(heading), caption(table)
        assert caption(table).endswith(heading.text), caption(table)
        assert row_keeps(header), caption(table)
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(r._tr.trPr.find(qn("w:tblHeader")) is None for r in rows)
        # An Appendix A row more than about half a page tall (ASC-01's 178 words) keeps with
        # none: kept, it would move whole with the next and could leave a page nearly blank.
        apart = [
            caption(table).startswith("Indicators: ")
            and is_tall(
                dict(zip(APPENDIX_WIDTHS_MM, (c.text for c in row.cells), strict=True)),
                VERY_TALL_ROW_LINES,
            )
            for row in rows
        ]
        very_tall += [row.cells[0].text for row, far in zip(rows, apart, strict=True) if far]
        kept = [row_keeps(row) for row in rows]
        expected = [False] * len(rows)
        expected[0] = expected[-2] = True
        assert kept == [e and not far for e, far in zip(expected, apart, strict=True)], caption(
            table
        )
    assert very_tall == ["ASC-01"]  # the first row of its table


def test_appendix_a_is_a_landscape_a4_section(doc):
    last = doc.sections[1]
    assert last.orientation == WD_ORIENT.LANDSCAPE
    assert (round(last.page_width.mm), round(last.page_height.mm)) == (297, 210)
    assert (round(doc.sections[0].page_width.mm), round(doc.sections[0].page_height.mm)) == (
        210,
        297,
    )


def test_the_document_properties_name_the_paper_the_council_and_en_gb(doc):
    props = doc.core_properties
    assert props.title == "Corporate Performance Management Report Q2 2024/25"
    assert props.author == "Somerset Council"
    assert props.language == "en-GB"
    assert props.subject == (
        "Performance of Somerset Council in Q2 2024/25 (July to September 2024)"
    )
    meeting = dt.datetime(2024, 12, 2, 9, 0)
    assert props.created.replace(tzinfo=None) == props.modified.replace(tzinfo=None) == meeting
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(".//" + qn("w:lang")).get(qn("w:val")) == "en-GB"  # the PDF's /Lang


# -- deterministic --------------------------------------------------------------------------------


def test_two_builds_of_the_same_inputs_are_byte_identical(built, tmp_path):
    again = build_paper(
        copy_example("somerset", tmp_path / "elsewhere" / "somerset"), Q2, pdf=PdfMode.OFF
    )
    assert sorted(again.outputs) == sorted(built.outputs)
    for name in built.outputs:
        assert again.outputs[name].read_bytes() == built.outputs[name].read_bytes(), name


# -- nothing lost ---------------------------------------------------------------------------------


@pytest.fixture
def private_temp(tmp_path, monkeypatch) -> Path:
    """The temporary folder the build uses for its PDF work, to prove it is cleaned up."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def fail_in(monkeypatch, target: str, error: Exception) -> None:
    def broken(*args, **kwargs):
        raise error

    monkeypatch.setattr(target, broken)


@pytest.mark.parametrize(
    ("target", "error", "raised"),
    [
        (
            "perfreport.paper.document.render_document",
            DocumentError("the template lost a column"),
            BuildFailed,
        ),
        (
            "perfreport.paper.document.render_document",
            RuntimeError("an unexpected bug"),
            RuntimeError,
        ),
        (  # the files are staged by then (while the .docx is checked): discarded
            "perfreport.paper.document.verify_document",
            DocumentError("the template lost a column"),
            BuildFailed,
        ),
        (
            "perfreport.paper.pdf.convert_to_pdf",
            PdfError("LibreOffice stopped after 180 seconds."),
            BuildFailed,
        ),
        ("perfreport.paper.pdf.convert_to_pdf", MemoryError(), MemoryError),
        (
            "perfreport.publish.outputs.sync_folder",
            OSError(28, "No space left on device"),
            BuildFailed,
        ),
    ],
)
def test_a_failure_during_the_build_leaves_the_previous_build_as_it_was(
    previous_build, built, summary, monkeypatch, private_temp, target, error, raised
):
    before = files_in(previous_build.root / "build")
    assert f"Q2-2024/{DOCX}" in before
    reuse_summary(monkeypatch, summary)
    fail_in(monkeypatch, target, error)
    with pytest.raises(raised):
        # A PDF that fails stops the build when it is required (--pdf); see test_unattended.
        build_paper(previous_build, Q2, pdf=PdfMode.REQUIRED if "pdf" in target else PdfMode.OFF)
    assert files_in(previous_build.root / "build") == before  # no staging folder either
    assert list(private_temp.iterdir()) == []


def test_a_write_failure_is_a_plain_message_not_a_traceback(previous_build, summary, monkeypatch):
    reuse_summary(monkeypatch, summary)
    fail_in(
        monkeypatch,
        "perfreport.publish.outputs.sync_folder",
        OSError(28, "No space left on device"),
    )
    with pytest.raises(
        BuildFailed,
        match=r"could not be saved in .*Q2-2024: No space left on "
        r"device\. Nothing was replaced: the previous build's files are as they were",
    ):
        build_paper(previous_build, Q2, pdf=PdfMode.OFF)


def test_a_build_without_a_pdf_removes_the_pdf_of_an_earlier_build(
    previous_build, summary, monkeypatch
):
    folder = previous_build.root / "build" / "Q2-2024"
    (folder / PDF).write_bytes(b"%PDF-1.7 an earlier paper")
    (folder / "notes.txt").write_text("the officer's own notes", encoding="utf-8")
    reuse_summary(monkeypatch, summary)
    result = build_paper(previous_build, Q2, pdf=PdfMode.OFF)
    assert result.removed == (folder / PDF,)
    assert not (folder / PDF).exists()
    assert (folder / "notes.txt").exists()  # not the build's own file: left alone


# -- blocked --------------------------------------------------------------------------------------


def test_errors_in_the_returns_stop_the_build_with_nothing_written(tmp_path):
    project = copy_example("broken-returns", tmp_path / "broken")
    result = build_paper(project, Q2, pdf=PdfMode.OFF)
    assert not result.published
    errors = count(result.findings, Severity.ERROR)
    assert errors > 0
    assert result.reason == (
        f"{errors} errors must be fixed before the paper can be "
        "built; nothing was written. Run 'perfreport validate Q2-2024' to "
        "see them."
    )
    assert result.outputs == {}
    assert outputs_in(project.root / "build") == {}


def test_strict_stops_the_build_on_the_three_warnings(example, summary, monkeypatch, tmp_path):
    project = copy_example("somerset", tmp_path / "somerset")
    reuse_summary(monkeypatch, summary)
    result = build_paper(project, Q2, pdf=PdfMode.OFF, strict=True)
    assert not result.published
    assert (count(result.findings, Severity.ERROR), count(result.findings, Severity.WARNING)) == (
        0,
        3,
    )
    assert result.reason == "--strict: 3 warnings must be resolved first; nothing was written."
    assert outputs_in(project.root / "build") == {}


# -- the report file ------------------------------------------------------------------------------


def test_missing_report_items_show_placeholders_and_warn(summary, monkeypatch, tmp_path):
    project = copy_example("somerset", tmp_path / "somerset")
    edit_report(project, drop=("chair", "legal"))
    reuse_summary(monkeypatch, summary)
    result = build_paper(project, Q2, pdf=PdfMode.OFF)
    assert result.published
    placeholders = [(f.code, f.file, f.value) for f in result.findings if f.code == "placeholder"]
    assert placeholders == [
        ("placeholder", "reports/Q2-2024.toml", "chair"),
        ("placeholder", "reports/Q2-2024.toml", "legal"),
    ]
    doc = Document(str(result.outputs[DOCX]))
    assert cell_texts(doc.tables[1])[0] == [
        "Chair of Committee",
        "[To be completed: Chair of Committee]",
    ]
    assert [p.text for p in section(doc, "Legal and Procurement Implications")] == [
        "[To be completed: Legal and Procurement Implications]"
    ]
    written = json.loads(result.outputs["findings.json"].read_text(encoding="utf-8"))
    assert written["counts"]["warning"] == 5

    strict = build_paper(project, Q2, pdf=PdfMode.OFF, strict=True)
    assert not strict.published and count(strict.findings, Severity.WARNING) == 5
    assert "[To be completed: …]" in strict.reason


def test_report_text_comes_out_literally_and_control_characters_are_removed(
    summary, monkeypatch, tmp_path
):
    project = copy_example("somerset", tmp_path / "somerset")
    chair = "Cllr A & B <Leader> \"Chair\" 'C' 🙂 {{ chair }} {% if x %} {#c#} {_{"
    edit_report(
        project,
        replace={"chair": json.dumps(chair, ensure_ascii=False), "committee": '"Exec\\u0007utive"'},
    )
    reuse_summary(monkeypatch, summary)
    result = build_paper(project, Q2, pdf=PdfMode.OFF)
    doc = Document(str(result.outputs[DOCX]))
    assert cell_texts(doc.tables[0])[0] == ["Committee", "Executive"]
    assert cell_texts(doc.tables[1])[0] == ["Chair of Committee", chair]
    (warning,) = [f for f in result.findings if f.code == "unprintable-text"]
    assert warning.severity is Severity.WARNING
    assert warning.message.startswith("committee: 1 control character (U+0007) was removed")


# -- hostile text in a return ---------------------------------------------------------------------

HOSTILE = (
    "Fish & chips <b>bold</b> \"double\" 'single' 🚀 café {{ x }} {% if %} {%p endfor %} "
    "{_{ y }_} </w:t> &amp; ]]>"
)


def test_hostile_commentary_comes_out_literally_with_a_warning_naming_the_cell(tmp_path):
    project = copy_example("somerset", tmp_path / "somerset")
    path = project.returns_dir(Q2) / "Public Health return Q2 2024-25.xlsx"
    workbook = load_workbook(path)
    sheet = workbook["Return"]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "PH-02")
    column = next(
        c for c in range(1, sheet.max_column + 1) if sheet.cell(8, c).value == "Commentary"
    )
    cell = sheet.cell(row, column)
    # Excel writes a control character in a cell as _x0007_; the reader decodes it.
    cell.value = HOSTILE.replace("🚀", "🚀_x0007_")
    workbook.save(path)

    result = build_paper(project, Q2, pdf=PdfMode.OFF)
    assert result.published
    doc = Document(str(result.outputs[DOCX]))
    commentary = {
        t.rows[i].cells[0].text: t.rows[i].cells[9].text
        for t in appendix_tables(doc)
        for i in range(1, len(t.rows))
    }
    assert commentary["PH-02"] == f"{HOSTILE}\nResponsible officer: Director of Public Health"
    (warning,) = [f for f in result.findings if f.code == "control-characters"]
    assert (warning.file, warning.cell, warning.ref) == (
        "returns/Q2-2024/Public Health return Q2 2024-25.xlsx",
        cell.coordinate,
        "PH-02",
    )
    dataset = json.loads(result.outputs["dataset.json"].read_text(encoding="utf-8"))
    (ph02,) = [i for i in dataset["indicators"] if i["ref"] == "PH-02"]
    assert ph02["commentary"] == HOSTILE


# -- the PDF --------------------------------------------------------------------------------------


def test_without_libreoffice_the_paper_is_built_with_a_warning(summary, monkeypatch, tmp_path):
    project = copy_example("somerset", tmp_path / "somerset")
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "no-libreoffice-here"))
    reuse_summary(monkeypatch, summary)
    result = build_paper(project, Q2)
    assert result.published and result.pdf is PdfOutcome.UNAVAILABLE
    assert sorted(result.outputs) == sorted([DOCX, HTML, *DATA])
    (warning,) = [f for f in result.findings if f.code == "pdf-not-made"]
    assert warning.message.startswith(f"The PDF was not made: {ENV_VAR} is set to")
    written = json.loads(result.outputs["findings.json"].read_text(encoding="utf-8"))
    assert "pdf-not-made" in [f["code"] for f in written["findings"]]


def test_strict_without_libreoffice_publishes_nothing(summary, monkeypatch, tmp_path):
    project = copy_example("somerset", tmp_path / "somerset")
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "no-libreoffice-here"))
    # Returns without warnings, so that the missing PDF is the only one.
    reuse_summary(monkeypatch, dataclasses.replace(summary, findings=()))
    result = build_paper(project, Q2, strict=True)
    assert not result.published
    assert [f.code for f in result.findings] == ["pdf-not-made"]
    assert result.reason == "--strict: 1 warning must be resolved first; nothing was written."
    assert outputs_in(project.root / "build") == {}


def test_a_required_pdf_without_libreoffice_stops_the_build(summary, monkeypatch, tmp_path):
    project = copy_example("somerset", tmp_path / "somerset")
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "no-libreoffice-here"))
    reuse_summary(monkeypatch, summary)
    with pytest.raises(BuildFailed, match="The PDF was not made") as failed:
        build_paper(project, Q2, pdf=PdfMode.REQUIRED)
    assert outputs_in(project.root / "build") == {}
    # Nothing was written, so the message must not say the Word document is fine.
    assert "is fine" not in str(failed.value)
    assert str(failed.value).endswith(
        "--pdf was given, so nothing was written; build without "
        "--pdf to get the Word document alone."
    )


@pytest.mark.pdf
def test_the_pdf_is_tagged_in_en_gb_and_reads_as_the_paper(summary, monkeypatch, tmp_path):
    from pagecheck import page_use, page_use_problems, table_start_problems
    from pdf_helpers import inspect_pdf, require_soffice

    require_soffice()
    project = copy_example("somerset", tmp_path / "somerset")
    reuse_summary(monkeypatch, summary)
    result = build_paper(project, Q2, pdf=PdfMode.REQUIRED)
    assert result.pdf is PdfOutcome.WRITTEN
    assert sorted(result.outputs) == sorted([DOCX, HTML, PDF, *DATA])
    pdf = inspect_pdf(result.outputs[PDF])
    assert HEADLINE in " ".join(pdf["text"].split())
    assert pdf["tagged"] and pdf["marked"]
    assert pdf["lang"] == "en-GB"
    assert pdf["title"] == "Corporate Performance Management Report Q2 2024/25"
    assert "Appendix A: Performance indicators Q2 2024/25" in pdf["outline"]
    assert "Appendix C: Definitions" in pdf["outline"]
    assert pdf["has_th"]
    # The report file's figure is a tagged Figure with its alt text; its links are real links.
    from perfreport.paper.charts import (
        history_sentence,
        rag_by_group_of,
        rag_chart_alt,
        rag_over_time_of,
    )

    report = project.report_path(Q2).read_text(encoding="utf-8")
    alt = re.search(r'(?m)^alt = "(.*)"$', report).group(1)
    # Every Figure has its /Alt (LibreOffice writes a picture's title, " - ", its alt text): the
    # summary's two charts, the report file's figure and a trend chart for each indicator.
    assert all(text.strip() for text in pdf["figure_alts"])
    charts = [
        f"RAG ratings by priority - {rag_chart_alt(rag_by_group_of(summary))}",
        "Green, Amber and Red over the last quarters - "
        + history_sentence(rag_over_time_of(summary)),
        *(f"Trend of {row.ref} - {summary.trends[row.ref].text}" for row in summary.indicators),
    ]
    assert sorted(pdf["figure_alts"]) == sorted([alt, *charts])
    assert sorted(pdf["links"]) == [
        "https://democracy.somerset.example/executive/2024-09-04",
        "https://www.somerset.example/council-plan",
    ]
    # Every page is used: none ends above 60% of its text area but the last of a part, and no
    # page holds a remnant; the example's 114 indicators took 33 pages in 0.1.0 (before
    # Appendix B, the exception report, on portrait pages after Appendix A).
    assert page_use_problems(result.outputs[PDF]) == []
    # No heading ends a page alone or over its table's header row and one row (the example's
    # Appendix A did on pages 8, 11, 21 and 29 before the first rows kept with the next).
    assert table_start_problems(result.outputs[PDF]) == []
    pages = page_use(result.outputs[PDF])
    appendix_b = next(p.number for p in pages if p.first_line.startswith("Appendix B"))
    assert appendix_b - 1 < 36 and not pages[appendix_b - 1].landscape
    # Appendix A's direction column keeps "Worsening" and its mark on one line ("Quarter:" may
    # wrap onto the line above); the key names each direction once more.
    from perfreport.paper.context import DIRECTION_MEANING

    text = pdf["text"].replace(NBSP, " ")
    for label in (*(d.label for d in Direction if d.mark), "Same →"):
        count = sum(
            (row.direction_short.label_for(row.indicator.polarity) == label)
            + (row.direction_long.label_for(row.indicator.polarity) == label)
            for row in summary.indicators
        )
        # Appendix B repeats the direction of each indicator it lists.
        count += sum(
            (e.item.direction_short.label_for(e.item.indicator.polarity) == label)
            + (e.item.direction_long.label_for(e.item.indicator.polarity) == label)
            for e in summary.exceptions
        )
        assert text.count(label) == count + DIRECTION_MEANING.count(label), label
    # Appendix B: each entry's heading and figures (its priority down to the responsible officer)
    # stay on one page; only the commentary may continue overleaf.
    from pypdf import PdfReader

    for number, page in enumerate(PdfReader(result.outputs[PDF]).pages, 1):
        words = page.extract_text() or "" if number >= appendix_b else ""
        assert words.count("Why it is listed") == words.count("Responsible officer"), number


def test_key_issues_list_appendix_moves_the_computed_list_to_appendix_a(example, summary):
    from perfreport.inputs.report_file import read_report
    from perfreport.paper.context import make_paper

    project, _ = example
    report, _ = read_report(project, Q2)
    assert report["key_issues_list"] == "after"
    moved = dataclasses.replace(report, values={**report.values, "key_issues_list": "appendix"})
    default, paper = make_paper(summary, report), make_paper(summary, moved)
    assert default.key_issues and default.appendix.key_issues == ()
    assert paper.key_issues == () and paper.appendix.key_issues == default.key_issues
    assert paper.key_issues_none == default.key_issues_none == ""


def test_a_report_file_error_stops_the_build_and_says_where_to_look(summary, monkeypatch, tmp_path):
    project = copy_example("somerset", tmp_path / "somerset")
    path = project.report_path(Q2)
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'(?m)^alt = ".*"$', 'alt = ""', text), encoding="utf-8")
    reuse_summary(monkeypatch, summary)
    result = build_paper(project, Q2, pdf=PdfMode.OFF)
    assert not result.published
    assert [(f.code, f.severity) for f in result.findings if f.severity is Severity.ERROR] == [
        ("figure-no-alt", Severity.ERROR)
    ]
    assert result.reason.endswith("nothing was written. The report file's errors are listed above.")
