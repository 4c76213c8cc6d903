"""The paper as the reference paper words and lays it out: numbering, headings, key issues, the
assurance table, links, figures, and pages that are used."""

from __future__ import annotations

import base64
import copy
import io
import zipfile
from pathlib import Path

import pytest
from buildfactory import appendix_tables, cell_texts, headings, outline
from docx import Document
from docx.oxml.ns import qn
from paperfactory import INDICATORS, REPORT, make_context

from perfreport.inputs.report_file import NOT_APPLICABLE, parse_report
from perfreport.paper.cover import make_cover
from perfreport.paper.document import render_document
from perfreport.paper.model_context import template_context
from perfreport.paper.template import default_template

FILE = Path("reports/Q2-2024.toml")
# A 1×1 PNG, for a figure.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhf"
    "DwAChwGA60e6kgAAAABJRU5ErkJggg=="
)
ALT = "A diagram: the Council Plan leads to service plans, team plans and objectives."


def report_context(folder: Path | None = None, **items) -> tuple[dict, tuple]:
    """The paper's context with the report file's ``items`` added (parsed as from ``folder``)."""
    data = copy.deepcopy(REPORT) | items
    report, findings = parse_report(data, (folder or Path("reports")) / "Q2-2024.toml", str(FILE))
    cover = make_cover(report, council="Somerset Council", report_title="R", period=_period())
    return make_context() | template_context(cover), findings


def _period():
    from paperfactory import PERIOD

    return PERIOD


def rendered(context: dict):
    return Document(io.BytesIO(render_document(context, default_template())))


# -- numbering and headings ----------------------------------------------------------------------


def test_numbering_starts_at_1_under_background_and_the_opening_is_not_numbered() -> None:
    doc = rendered(make_context())
    for name in ("Executive Summary", "Recommendations", "Reasons for Proposals"):
        assert {style for style, _ in outline(doc, name)} == {"Normal"}, name
    numbered = [p for p in doc.paragraphs if p.style.name == "Numbered Paragraph"]
    # Word numbers the style's paragraphs 1, 2, 3 … in order, so the first is number 1.
    assert numbered[0].text == "The Council reports performance to the Executive every quarter."
    assert outline(doc, "Background and purpose of report")[0][0] == "Numbered Paragraph"


def test_the_implications_headings_read_as_in_the_reference() -> None:
    found = [text for level, text in headings(rendered(make_context())) if level == 1]
    start = found.index("Financial and Risk Implications")
    assert found[start : start + 9] == [
        "Financial and Risk Implications",
        "Legal and Procurement Implications",
        "HR / Workforce Implications",
        "Equalities Implications",
        "Community Safety Implications",
        "Climate Change and Sustainability Implications",
        "Health and Safety Implications",
        "Health and Wellbeing Implications",
        "Social Value",
    ]


# -- the report assurance table ------------------------------------------------------------------


def assurance_table(doc):
    return next(t for t in doc.tables if t.rows[0].cells[0].text == "Role")


def test_the_assurance_table_has_a_consulted_group_several_names_and_n_a() -> None:
    context, findings = report_context(
        consulted=[
            {"role": "Local Division Members", "name": "All Members", "date": "n/a"},
            {
                "role": "Opposition Spokespersons",
                "name": ["Cllr Morwenna Tregear", "Cllr Denzil Hocking"],
                "date": "2024-11-21",
            },
        ]
    )
    assert findings == ()
    table = assurance_table(rendered(context))
    assert cell_texts(table) == [
        ["Role", "Officer name", "Date completed"],
        ["Monitoring Officer", "Priya Lanyon", "18 November 2024"],
        ["Section 151 Officer", "Gareth Coombe", "19 November 2024"],
        ["Consulted:", "", ""],
        ["Local Division Members", "All Members", "n/a"],
        [
            "Opposition Spokespersons",
            "Cllr Morwenna Tregear\nCllr Denzil Hocking",
            "21 November 2024",
        ],
    ]
    group = table.rows[3].cells[0].paragraphs[0]
    assert group.style.name == "Table Label"  # bold, like the reference's group row


@pytest.mark.parametrize("written", ["n/a", "N/A", " n/a "])
def test_n_a_is_accepted_as_a_date_completed(written: str) -> None:
    data = {"assurance": [{"role": "Executive Lead Member", "name": "Cllr W", "date": written}]}
    report, findings = parse_report(data, FILE)
    assert report.assurance[0].date == NOT_APPLICABLE
    assert not any(f.value == "assurance[1].date" for f in findings)
    cover = make_cover(report, council="C", report_title="R", period=_period())
    assert cover.assurance[0].date == "n/a"


def test_without_consulted_rows_there_is_no_consulted_row() -> None:
    table = assurance_table(rendered(make_context()))
    assert [row[0] for row in cell_texts(table)] == [
        "Role",
        "Monitoring Officer",
        "Section 151 Officer",
    ]


# -- key issues ----------------------------------------------------------------------------------


def test_the_officers_paragraphs_come_before_the_computed_key_issues() -> None:
    under = outline(rendered(make_context()), "Key Issues Identified this Quarter")
    assert under[0] == (
        "Numbered Paragraph",
        "Officers are reviewing the fostering recruitment campaign.",
    )
    assert under[1] == ("Heading 2", "A healthy and caring Somerset")


def test_key_issues_list_appendix_moves_the_computed_list_to_appendix_a() -> None:
    context = make_context()
    groups = context["key_issues"]
    context["key_issues"] = []
    context["appendix"] = context["appendix"] | {"key_issues": groups}
    context["key_issues_none"] = ""
    doc = rendered(context)
    assert outline(doc, "Key Issues Identified this Quarter") == [
        ("Numbered Paragraph", "Officers are reviewing the fostering recruitment campaign.")
    ]
    found = headings(doc)
    at = found.index((1, "Appendix A: Performance indicators Q2 2024/25"))
    assert found[at + 1 : at + 4] == [
        (2, "Key issues by priority"),
        (3, "A healthy and caring Somerset"),
        (3, "A flourishing and resilient Somerset"),
    ]


def test_key_issues_list_takes_only_after_or_appendix() -> None:
    from perfreport.core.project import ConfigError

    assert parse_report({"key_issues_list": "Appendix"}, FILE)[0]["key_issues_list"] == "appendix"
    with pytest.raises(ConfigError, match="expected one of 'after', 'appendix', got 'before'"):
        parse_report({"key_issues_list": "before"}, FILE)


# -- links ---------------------------------------------------------------------------------------


def hyperlinks(data: bytes) -> list[tuple[str, str]]:
    """Each hyperlink of the body: its text and where it goes."""
    doc = Document(io.BytesIO(data))
    rels = doc.part.rels
    return [
        ("".join(t.text for t in link.iter(qn("w:t"))), rels[link.get(qn("r:id"))].target_ref)
        for link in doc.element.body.iter(qn("w:hyperlink"))
    ]


def test_links_in_the_report_file_become_hyperlinks() -> None:
    context, findings = report_context(
        background_papers=[
            "[Agenda for Executive, 5 June 2024](https://democracy.example/exec/2024-06-05): "
            "item 7",
            "Write to [the team](mailto:performance@example.gov.uk).",
        ]
    )
    assert findings == ()
    data = render_document(context, default_template())
    assert hyperlinks(data) == [
        ("Agenda for Executive, 5 June 2024", "https://democracy.example/exec/2024-06-05"),
        ("the team", "mailto:performance@example.gov.uk"),
    ]
    doc = Document(io.BytesIO(data))
    papers = [text for _, text in outline(doc, "Background Papers")]
    assert papers == ["Agenda for Executive, 5 June 2024: item 7", "Write to the team."]
    link = next(doc.element.body.iter(qn("w:hyperlink")))
    assert link.find(f".//{qn('w:rStyle')}").get(qn("w:val")) == "Hyperlink"


def test_a_link_in_the_officers_key_issues_is_a_hyperlink_too() -> None:
    context, _ = report_context(key_issues="See [the dashboard](https://data.example/dash).")
    data = render_document(context, default_template())
    assert hyperlinks(data) == [("the dashboard", "https://data.example/dash")]


def test_a_link_that_is_not_web_or_mail_is_an_error_and_stays_text() -> None:
    context, findings = report_context(
        background=["See [the file](file:///C:/x.pdf) or [x](javascript:alert(1))."]
    )
    assert [(f.code, f.severity.value, f.message) for f in findings] == [
        (
            "link-not-allowed",
            "error",
            "reports/Q2-2024.toml, background: the link 'the file' goes to 'file:///C:/x.pdf', "
            "which is not a web or e-mail address. Links must start https://, http:// or "
            "mailto:; correct it or write it as plain text.",
        )
    ]
    assert hyperlinks(render_document(context, default_template())) == []


def test_link_markers_in_other_text_are_removed() -> None:
    context = make_context()
    context["appendix"]["groups"][0]["indicators"][0]["commentary"] = "a\ue000b\ue001c\ue002"
    doc = Document(io.BytesIO(render_document(context, default_template())))
    assert "abc" in [c.text for t in doc.tables for r in t.rows for c in r.cells]


# -- figures -------------------------------------------------------------------------------------


def figure(**fields) -> dict:
    return {"image": "thread.png", "alt": ALT, "after": "council_plan_links"} | fields


def test_a_figure_is_placed_after_its_item_with_its_alt_text(tmp_path: Path) -> None:
    (tmp_path / "thread.png").write_bytes(PIXEL)
    context, findings = report_context(
        tmp_path, figures=[figure(caption="Figure 1: The Golden Thread")]
    )
    assert findings == ()
    data = render_document(context, default_template())
    doc = Document(io.BytesIO(data))
    under = outline(doc, "Links to Council Plan and Medium-Term Financial Plan")
    assert under == [
        ("Numbered Paragraph", "The indicators are grouped by the priorities of the Council Plan."),
        ("Picture", ""),
        ("Caption", "Figure 1: The Golden Thread"),
    ]
    xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode()
    assert xml.count("<wp:docPr ") == 1
    assert f'descr="{ALT}"' in xml
    assert render_document(context, default_template()) == data  # byte-identical


@pytest.mark.parametrize("after", ["executive_summary", "key_issues", "background_papers"])
def test_a_figure_can_follow_any_item_of_prose(tmp_path: Path, after: str) -> None:
    (tmp_path / "thread.png").write_bytes(PIXEL)
    context, findings = report_context(tmp_path, figures=[figure(after=after)])
    assert findings == ()
    doc = rendered(context)
    heading = {
        "executive_summary": "Executive Summary",
        "key_issues": "Key Issues Identified this Quarter",
        "background_papers": "Background Papers",
    }[after]
    styles = [style for style, _ in outline(doc, heading)]
    # After the item's own paragraphs (and, under Key Issues, before the computed list).
    own = context["key_issues_narrative" if after == "key_issues" else after]
    assert styles.count("Picture") == 1
    assert styles.index("Picture") == len(own)


def test_a_figure_without_alt_text_is_an_error_naming_the_file_and_key(tmp_path: Path) -> None:
    (tmp_path / "thread.png").write_bytes(PIXEL)
    context, findings = report_context(tmp_path, figures=[figure(alt=" ")])
    assert [(f.code, f.severity.value, f.message) for f in findings] == [
        (
            "figure-no-alt",
            "error",
            "reports/Q2-2024.toml, figures[1].alt: the figure thread.png has no alt text, so a "
            'reader who cannot see it would miss it. Add alt = "…" saying what the figure shows.',
        )
    ]
    assert context["figures"] == []


@pytest.mark.parametrize(
    ("content", "problem"),
    [(None, "does not exist"), (b"GIF89a", "is not a PNG or JPEG image")],
)
def test_a_figure_whose_image_cannot_be_used_is_an_error(
    tmp_path: Path, content: bytes | None, problem: str
) -> None:
    if content is not None:
        (tmp_path / "thread.png").write_bytes(content)
    _, findings = report_context(tmp_path, figures=[figure()])
    assert [(f.code, f.message) for f in findings] == [
        (
            "figure-not-found",
            f"reports/Q2-2024.toml, figures[1].image: the image thread.png {problem}. Put a PNG "
            "or JPEG file there (the path is relative to the report file's folder), or correct "
            "the name.",
        )
    ]


# -- pages that are used -------------------------------------------------------------------------


def long_commentary_context() -> dict:
    """Three priorities of 15 indicators each, their commentary 10 to 150 words long."""
    base = INDICATORS[0]
    words = (
        "Performance has moved this quarter because of demand, staffing and the new system; "
        "the service expects recovery by the year end and has set out its actions."
    ).split()
    specs = []
    for number in range(45):
        length = (150, 40, 120, 10, 90, 150, 60)[number % 7]
        text = " ".join(words[i % len(words)] for i in range(length))
        priority = ("A greener Somerset", "A healthy Somerset", "A fairer Somerset")[number // 15]
        specs.append((priority, f"LC-{number:02d}", *base[2:12], text))
    return make_context(specs)


def test_only_rows_taller_than_a_quarter_page_may_split() -> None:
    context = long_commentary_context()
    doc = rendered(context)
    rows = [r for t in appendix_tables(doc) for r in t.rows[1:]]  # not Appendix C's
    words = {r.cells[0].text: len(r.cells[9].text.split()) for r in rows}
    split = {r.cells[0].text: r._tr.trPr.find(qn("w:cantSplit")) is None for r in rows}
    # 90 words and more (13 lines or more) may split; 60 words (about 9 lines) and fewer never do.
    assert {ref for ref, may in split.items() if may} == {
        ref for ref, count in words.items() if count >= 90
    }
    assert {words[ref] for ref, may in split.items() if not may} == {10, 40, 60}


@pytest.mark.pdf
def test_a_paper_with_long_commentary_uses_its_pages(tmp_path: Path) -> None:
    from pagecheck import page_use, page_use_problems, table_start_problems
    from pdf_helpers import require_soffice

    from perfreport.paper.pdf import convert_to_pdf

    soffice = require_soffice()
    docx = tmp_path / "long.docx"
    docx.write_bytes(render_document(long_commentary_context(), default_template()))
    (pdf,) = convert_to_pdf([docx], tmp_path / "out", soffice=soffice)
    assert page_use_problems(pdf) == []
    assert table_start_problems(pdf) == []
    assert sum(page.landscape for page in page_use(pdf)) >= 3  # a real test: several pages
