"""The rendered paper: structure, numbering, Appendix A, accessibility, safety and determinism."""

from __future__ import annotations

import copy
import io
import zipfile
from pathlib import Path

import pytest
from buildfactory import appendix_tables, caption, headings, outline, word_fill
from buildfactory import fill as cell_fill
from buildfactory import section as section_paragraphs
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from paperfactory import INDICATORS, NO_KEY_ISSUES, make_context

from perfreport.paper.document import DocumentError, render_document, verify_document
from perfreport.paper.template import default_template
from perfreport.paper.textsafety import sanitise_context

COVER_HEADINGS = [
    "Executive Summary",
    "Recommendations",
    "Reasons for Proposals",
    "Report Author and Contact Details",
    "Background and purpose of report",
    "Summary",
    "Key Issues Identified this Quarter",
    "A healthy and caring Somerset",
    "A flourishing and resilient Somerset",
    "Links to Council Plan and Medium-Term Financial Plan",
    "Other options considered",
    "Key considerations",
    "Scrutiny comments / recommendations",
    "Consultation and feedback",
    "Financial and Risk Implications",
    "Current risk score",
    "Projected risk score",
    "Legal and Procurement Implications",
    "HR / Workforce Implications",
    "Equalities Implications",
    "Community Safety Implications",
    "Climate Change and Sustainability Implications",
    "Health and Safety Implications",
    "Health and Wellbeing Implications",
    "Social Value",
    "Background Papers",
    "Appendices",
    "Report assurance",
]
APPENDIX_HEADINGS = [
    "Appendix A: Performance indicators Q2 2024/25",
    "A healthy and caring Somerset",
    "A flourishing and resilient Somerset",
    # Appendix B: each Red of the fixture under a numbered Heading 2
    "Appendix B: Exception report Q2 2024/25",
    "B1. ASC-04 Permanent admissions to residential care (65+)",
    # Appendix C: a Heading 2 per group of Appendix A (no glossary, so no Abbreviations)
    "Appendix C: Definitions",
    "A healthy and caring Somerset",
    "A flourishing and resilient Somerset",
]


def render(context: dict | None = None, **kwargs) -> bytes:
    return render_document(
        make_context() if context is None else context, default_template(), **kwargs
    )


@pytest.fixture(scope="module")
def paper() -> bytes:
    return render()


@pytest.fixture(scope="module")
def doc(paper: bytes):
    return Document(io.BytesIO(paper))


# -- structure -----------------------------------------------------------------------------------


def test_the_headings_are_those_of_the_reference_paper_in_order(doc) -> None:
    found = headings(doc)
    assert found[0] == (0, "Corporate Performance Management Report Q2 2024/25")
    assert [text for _, text in found[1:]] == COVER_HEADINGS + APPENDIX_HEADINGS


def test_heading_levels_never_skip_a_level(doc) -> None:
    levels = [level for level, _ in headings(doc)]
    assert levels[0] == 0 and levels[1] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))


def test_the_front_sheet_tables_carry_the_meeting_facts(doc) -> None:
    facts = {caption(t): [[c.text for c in r.cells] for r in t.rows] for t in doc.tables[:2]}
    assert facts["Meeting details"] == [
        ["Committee", "Executive"],
        ["Meeting or Proposed Decision Date", "2 December 2024"],
        ["Key Decision", "No"],
    ]
    assert facts["Members and officers"][0] == [
        "Chair of Committee",
        "Cllr Alys Penrose, Leader of the Council",
    ]


def test_body_paragraphs_are_numbered_by_word_through_the_style(doc) -> None:
    numbered = [p for p in doc.paragraphs if p.style.name == "Numbered Paragraph"]
    context = make_context()
    prose = sum(
        len(context[k])
        for k in (
            "background",
            "key_issues_narrative",
            "council_plan_links",
            "other_options",
            "key_considerations",
            "scrutiny",
            "consultation",
            "financial",
            "legal",
            "hr",
            "equalities",
            "community_safety",
            "climate",
            "health_and_safety",
            "health_and_wellbeing",
            "social_value",
        )
    )
    prose += len(context["summary"]["headline"]) + len(context["summary"]["movement"])
    prose += sum(len(group["issues"]) for group in context["key_issues"])
    prose += len(context["summary"]["forecast"])
    assert len(numbered) == prose
    # The number comes from the style's numbering, not typed text, and it is one list throughout.
    assert all(p._p.pPr.numPr is None for p in numbered)
    num_pr = doc.styles["Numbered Paragraph"].element.pPr.numPr
    num_id = num_pr.numId.val
    numbering = doc.part.numbering_part.element
    num = next(n for n in numbering.num_lst if n.numId == num_id)
    abstract = next(
        a
        for a in numbering.findall(qn("w:abstractNum"))
        if a.get(qn("w:abstractNumId")) == str(num.abstractNumId.val)
    )
    level = abstract.find(qn("w:lvl"))
    assert level.find(qn("w:numFmt")).get(qn("w:val")) == "decimal"
    assert level.find(qn("w:lvlText")).get(qn("w:val")) == "%1."
    assert not any(p.text[:3].rstrip(". ").isdigit() for p in numbered)


def test_the_summary_shows_the_headline_and_the_rag_table(doc) -> None:
    context = make_context()
    texts = [p.text for p in section_paragraphs(doc, "Summary")]
    assert context["summary"]["headline"][0] in texts
    assert texts[0].startswith("Of the 7 indicators reported this quarter, 5 are rated")
    table = next(t for t in doc.tables if caption(t).startswith("RAG ratings by priority"))
    assert caption(table) == "RAG ratings by priority, Q1 and Q2"
    rows = [[c.text for c in r.cells] for r in table.rows]
    assert rows[0] == [
        "Priority",
        "Green Q1",
        "Green Q2",
        "Amber Q1",
        "Amber Q2",
        "Red Q1",
        "Red Q2",
    ]
    assert rows[1] == ["A healthy and caring Somerset", "0", "1", "2", "1", "1", "1"]
    assert rows[-1] == ["All priorities", "1", "2", "3", "2", "1", "1"]


def test_the_risk_tables_show_the_computed_score_and_band(doc) -> None:
    table = next(t for t in doc.tables if caption(t) == "Current risk score")
    row = [c.text for c in table.rows[1].cells]
    assert row == [
        "Decisions are made on out-of-date performance information",
        "3",
        "4",
        "12 (High)",
    ]
    assert cell_fill(table.rows[1].cells[3]) == "FCE4B6"


def test_a_risk_table_not_filled_in_says_not_scored_once() -> None:
    from perfreport.core.periods import Period
    from perfreport.inputs.report_file import parse_report
    from perfreport.paper.cover import make_cover
    from perfreport.paper.model_context import template_context

    report, _ = parse_report({}, Path("reports/Q2-2024.toml"))
    cover = make_cover(report, council="C", report_title="R", period=Period(2024, 2))
    risks = template_context(cover.risks)
    doc = Document(io.BytesIO(render(make_context(risks=risks))))
    table = next(t for t in doc.tables if caption(t) == "Projected risk score")
    assert [c.text for c in table.rows[1].cells] == [
        "[To be completed: Projected risk scores]",
        "Not scored",
        "Not scored",
        "Not scored",
    ]


def test_the_officers_paragraphs_come_first_then_the_key_issues_under_a_heading_per_priority(
    doc,
) -> None:
    heading, numbered = "Heading 2", "Numbered Paragraph"
    assert outline(doc, "Key Issues Identified this Quarter") == [
        (numbered, "Officers are reviewing the fostering recruitment campaign."),
        (heading, "A healthy and caring Somerset"),
        (
            numbered,
            "ASC-04 Permanent admissions to residential care (65+) is Red this quarter: "
            "560.8 per 100,000 against a target of 500.0 per 100,000.",
        ),
        (
            numbered,
            "ASC-01 Adult social care assessments completed within 28 days improved to "
            "Green: 85.2% against a target of 85.0%.",
        ),
        (heading, "A flourishing and resilient Somerset"),
        (
            numbered,
            "FIN-01 Council tax collected improved to Green: £1,234.6m against a target "
            "of £1,200.0m.",
        ),
    ]


def test_only_priorities_with_key_issues_get_a_heading() -> None:
    context = make_context()
    del context["key_issues"][0]
    doc = Document(io.BytesIO(render(context)))
    assert [
        text
        for style, text in outline(doc, "Key Issues Identified this Quarter")
        if style == "Heading 2"
    ] == ["A flourishing and resilient Somerset"]


def test_without_key_issues_one_numbered_paragraph_says_so_and_no_empty_heading() -> None:
    doc = Document(io.BytesIO(render(make_context(key_issues=[], key_issues_none=NO_KEY_ISSUES))))
    assert outline(doc, "Key Issues Identified this Quarter") == [
        ("Numbered Paragraph", "Officers are reviewing the fostering recruitment campaign."),
        ("Numbered Paragraph", NO_KEY_ISSUES),
    ]
    levels = [level for level, _ in headings(doc)]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:], strict=False))


def test_missing_report_items_show_as_placeholders(tmp_path: Path) -> None:
    context = make_context(legal=["[To be completed: Legal and Procurement Implications]"])
    doc = Document(io.BytesIO(render(context)))
    assert [p.text for p in section_paragraphs(doc, "Legal and Procurement Implications")] == [
        "[To be completed: Legal and Procurement Implications]"
    ]


# -- Appendix A ----------------------------------------------------------------------------------


def test_appendix_a_is_a_landscape_section_after_the_portrait_cover(doc) -> None:
    cover, appendix, exceptions, definitions = doc.sections

    def size(section) -> tuple:  # A4 in whole millimetres (Word stores twentieths of a point)
        return section.orientation, round(section.page_width.mm), round(section.page_height.mm)

    assert size(cover) == (WD_ORIENT.PORTRAIT, 210, 297)
    assert size(appendix) == (WD_ORIENT.LANDSCAPE, 297, 210)
    assert size(exceptions) == (WD_ORIENT.PORTRAIT, 210, 297)  # Appendix B
    assert size(definitions) == (WD_ORIENT.PORTRAIT, 210, 297)  # Appendix C, on a new page


def test_appendix_a_has_a_count_line_and_a_table_per_priority(doc) -> None:
    lines = [p.text for p in doc.paragraphs if " indicators, " in p.text]
    assert lines == [
        "4 indicators, 3 rated: 1 Green, 1 Amber, 1 Red",
        "3 indicators, 2 rated: 1 Green, 1 Amber, 0 Red",
    ]
    tables = appendix_tables(doc)
    assert [caption(t) for t in tables] == [
        "Indicators: A healthy and caring Somerset",
        "Indicators: A flourishing and resilient Somerset",
    ]
    assert [c.text for c in tables[0].rows[0].cells] == [
        "Ref",
        "Measure",
        "Good is",
        "Previous quarter",
        "This quarter",
        "Same quarter last year",
        "Target",
        "RAG (last quarter, year-end forecast)",
        "Direction of travel",
        "Commentary (and actions)",
    ]


def test_appendix_a_has_one_row_per_indicator_with_its_rag_word_and_fill(doc) -> None:
    rows = [r for t in appendix_tables(doc) for r in t.rows[1:]]
    assert [r.cells[0].text for r in rows] == [spec[1] for spec in INDICATORS]
    # The RAG word wears the fill (its run's shading); the cell has none.
    assert {cell_fill(r.cells[7]) for r in rows} == {None}
    seen = {r.cells[0].text: (r.cells[4].text, *word_fill(r.cells[7])) for r in rows}
    assert seen == {
        "ASC-01": ("85.2%", "Green", "4CB85C"),
        "ASC-04": ("560.8 per 100,000", "Red", "F05A5A"),
        "CHS-02": ("24", "Amber", "FFBF00"),
        "CHS-07": ("No data", "Not rated", "FFFFFF"),
        "FIN-01": ("£1,234.6m", "Green", "4CB85C"),
        "CUS-05": ("Not due (annual, Q4)", "Not rated", "FFFFFF"),
        "CUS-02": ("12.5 days", "Amber", "FFBF00"),
    }
    assert all(c.text.strip() for r in rows for c in r.cells)  # never a blank cell


def test_a_line_break_in_commentary_is_kept(doc) -> None:
    row = next(r for t in appendix_tables(doc) for r in t.rows if r.cells[0].text == "ASC-04")
    assert (
        row.cells[9].text == "Hospital discharge pressures.\nActions: weekly review of placements."
    )


# -- accessibility -------------------------------------------------------------------------------


def keeps_with_next(row) -> bool:
    return all(p.paragraph_format.keep_with_next for c in row.cells for p in c.paragraphs)


def test_header_rows_repeat_small_tables_stay_whole_and_appendix_rows_may_split(doc) -> None:
    # After the two front-sheet tables; Appendix B's label | value tables have no header row.
    checked = [t for t in doc.tables if not caption(t).startswith("Exception:")]
    data_tables = checked[2:]
    # summary, risks, assurance, Appendix A and Appendix C (a table per priority each)
    assert len(data_tables) == 1 + 2 + 1 + 2 + 2
    definitions = [t for t in data_tables if caption(t).startswith("Definitions:")]
    assert [caption(t) for t in definitions] == [
        "Definitions: A healthy and caring Somerset",
        "Definitions: A flourishing and resilient Somerset",
    ]
    appendix = {caption(t) for t in (*appendix_tables(doc), *definitions)}
    for table in data_tables:
        first, *rest = table.rows
        assert first._tr.trPr.find(qn("w:tblHeader")) is not None, caption(table)
        assert first._tr.trPr.find(qn("w:cantSplit")) is not None, caption(table)
        assert all(r._tr.trPr.find(qn("w:tblHeader")) is None for r in rest)
    for table in checked:
        split = [r._tr.trPr.find(qn("w:cantSplit")) is None for r in table.rows[1:]]
        if caption(table) in appendix:
            # The rows run over pages; none of these is tall enough to split (see
            # test_reference_wording.py for one that is); Appendix C's rows never split. Only
            # the first row and the last but one keep with the next (the table's start stays
            # with its heading, its last row is not left alone; test_build.py).
            assert not any(split), caption(table)
            rows = table.rows[1:]
            kept = [keeps_with_next(r) for r in rows]
            ends = [(i == 0 and len(rows) > 1) or i == len(rows) - 2 for i in range(len(rows))]
            assert kept == ends, caption(table)
        else:
            # Every row but the last keeps with the next, so Word and LibreOffice keep the
            # table on one page; no row splits.
            assert not any(split), caption(table)
            assert all(keeps_with_next(r) for r in table.rows[:-1]), caption(table)


def test_tables_have_captions_descriptions_and_no_merged_cells(paper: bytes, doc) -> None:
    for table in doc.tables:
        tbl_pr = table._tbl.tblPr
        assert caption(table)
        assert tbl_pr.find(qn("w:tblDescription")).get(qn("w:val"))
    xml = zipfile.ZipFile(io.BytesIO(paper)).read("word/document.xml").decode()
    assert "gridSpan" not in xml and "vMerge" not in xml and "hMerge" not in xml


def test_cell_fills_sit_where_the_schema_puts_them(paper: bytes) -> None:
    from lxml import etree

    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(paper)).read("word/document.xml"))
    for tc_pr in root.iter(qn("w:tcPr")):
        tags = [etree.QName(c).localname for c in tc_pr]
        if "shd" in tags:
            assert tags.index("tcW") < tags.index("shd")


def test_the_core_properties_name_the_council_the_title_and_the_language(doc) -> None:
    props = doc.core_properties
    assert props.author == "Somerset Council"
    assert props.last_modified_by == "Somerset Council"
    assert props.title == "Corporate Performance Management Report Q2 2024/25"
    assert props.subject == "Performance of Somerset Council in Q2 2024/25 (July to September 2024)"
    assert props.language == "en-GB"
    assert props.created.date().isoformat() == "2024-12-02" == props.modified.date().isoformat()


def test_the_document_language_is_en_gb_in_the_style_defaults(paper: bytes) -> None:
    styles = zipfile.ZipFile(io.BytesIO(paper)).read("word/styles.xml").decode()
    assert '<w:lang w:val="en-GB"' in styles


def test_the_header_names_the_council_and_the_footer_numbers_pages(doc) -> None:
    section = doc.sections[0]
    assert section.header.paragraphs[0].text == (
        "Somerset Council: Corporate Performance Management Report Q2 2024/25"
    )
    instructions = [i.text.strip() for i in section.footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]


# -- hostile text --------------------------------------------------------------------------------

HOSTILE = [
    "Waste & recycling <b>bold</b> > target",
    'He said "don\'t" & left',
    "Emoji 😀 and ümlauts",
    "{{ x }} and {% if true %}yes{% endif %} and {# note #}",
    "{_{ docxtpl's own escapes }_} {_% and %_}",
    "]]> <![CDATA[ &amp; &#60;",
    "Tab\tinside",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_commentary_comes_out_literally(text: str) -> None:
    context = make_context()
    context["appendix"]["groups"][0]["indicators"][0]["commentary"] = text
    context["appendix"]["groups"][0]["name"] = text  # also in a heading and a table caption
    doc = Document(io.BytesIO(render(context)))
    row = appendix_tables(doc)[0].rows[1]
    assert row.cells[9].text == text
    assert (2, text) in headings(doc)
    # (XML reads a tab in an attribute as a space)
    assert caption(appendix_tables(doc)[0]) == f"Indicators: {text}".replace("\t", " ")


def test_docxtpl_on_its_own_loses_ampersands_and_angle_brackets(tmp_path: Path) -> None:
    """Why the sandbox escapes: docxtpl's default environment drops the text silently."""
    from docxtpl import DocxTemplate

    source = tmp_path / "t.docx"
    template = Document()
    template.add_paragraph("{{ text }}")
    template.save(source)
    plain = DocxTemplate(str(source))
    plain.render({"text": "Waste & recycling < 50%"})
    out = io.BytesIO()
    plain.save(out)
    assert "Waste & recycling < 50%" not in Document(io.BytesIO(out.getvalue())).paragraphs[0].text


def test_control_characters_are_removed_with_a_warning_naming_the_indicator() -> None:
    context = make_context()
    context["appendix"]["groups"][0]["indicators"][1]["commentary"] = "Bell\x07 and\x0c feed"
    context["committee"] = "Exec\x00utive"
    clean, findings = sanitise_context(context)
    assert clean["appendix"]["groups"][0]["indicators"][1]["commentary"] == "Bell and feed"
    assert [(f.code, f.severity.value, f.ref) for f in findings] == [
        ("unprintable-text", "warning", None),
        ("unprintable-text", "warning", "ASC-04"),
    ]
    assert findings[0].message.startswith("committee: 1 control character (U+0000) was removed")
    assert findings[1].message.startswith(
        "Indicator ASC-04 commentary: 2 control characters (U+0007, U+000C) were removed"
    )
    doc = Document(io.BytesIO(render(context)))
    row = appendix_tables(doc)[0].rows[2]
    assert row.cells[9].text == "Bell and feed"
    # Clean once, it is not walked again (by the build, the .docx and the web page).
    assert sanitise_context(clean) == (clean, ()) and sanitise_context(clean)[0] is clean


def test_lone_surrogates_are_removed() -> None:
    context = make_context()
    context["appendix"]["groups"][1]["indicators"][0]["measure"] = "Council tax \ud800collected"
    doc = Document(io.BytesIO(render(context)))
    assert appendix_tables(doc)[1].rows[1].cells[1].text == "Council tax collected"


# -- checks and errors ---------------------------------------------------------------------------


def test_a_field_missing_from_the_context_stops_the_render() -> None:
    context = make_context()
    del context["summary"]["movement"]
    with pytest.raises(DocumentError, match="movement"):
        render(context)


def test_required_text_that_does_not_appear_stops_the_render() -> None:
    with pytest.raises(DocumentError, match="'ZZZ-99'"):
        render(required=["ASC-01", "ZZZ-99"])


def test_every_indicator_ref_and_value_is_required_by_default(monkeypatch) -> None:
    import perfreport.paper.document as document

    seen = {}
    real = document.verify_document
    monkeypatch.setattr(
        document,
        "verify_document",
        lambda data, required, *read: (
            seen.setdefault("r", list(required)) and real(data, required, *read)
        ),
    )
    render()
    assert seen["r"][:4] == ["ASC-01", "85.2%", "ASC-04", "560.8 per 100,000"]
    assert len(seen["r"]) == 2 * len(INDICATORS)


def test_a_part_that_is_not_well_formed_xml_fails_the_check(paper: bytes) -> None:
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(paper)) as source, zipfile.ZipFile(broken, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            if name == "word/footer1.xml":
                data = data.replace(b"</w:ftr>", b"<w:p>&bad;</w:ftr>")
            target.writestr(name, data)
    with pytest.raises(DocumentError, match="word/footer1.xml"):
        verify_document(broken.getvalue(), [])


def test_the_sandbox_refuses_to_reach_python_internals(tmp_path: Path) -> None:
    source = tmp_path / "evil.docx"
    template = Document()
    template.add_paragraph("{{ title.__class__.__mro__[1].__subclasses__() }}")
    template.save(source)
    with pytest.raises(DocumentError, match="cannot be filled in"):
        render_document(make_context(), source, required=[])


def test_a_missing_template_is_a_document_error(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="does not exist"):
        render_document(make_context(), tmp_path / "none.docx")


# -- determinism ---------------------------------------------------------------------------------


def test_two_renders_are_byte_identical(paper: bytes) -> None:
    assert render() == paper


def test_zip_entries_are_in_a_fixed_order_with_the_meeting_date(paper: bytes) -> None:
    infos = zipfile.ZipFile(io.BytesIO(paper)).infolist()
    assert [i.filename for i in infos][:2] == ["[Content_Types].xml", "_rels/.rels"]
    assert [i.filename for i in infos][2:] == sorted(i.filename for i in infos[2:])
    assert {i.date_time for i in infos} == {(2024, 12, 2, 9, 0, 0)}


def test_source_date_epoch_sets_the_dates(monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13:20 UTC
    data = render()
    assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(data)).infolist()} == {
        (2023, 11, 14, 22, 13, 20)
    }
    assert (
        Document(io.BytesIO(data))
        .core_properties.created.isoformat()
        .startswith("2023-11-14T22:13:20")
    )


def test_the_context_is_not_changed_by_rendering() -> None:
    context = make_context()
    context["committee"] = "Exec\x07utive"
    before = copy.deepcopy(context)
    render(context)
    assert context == before
