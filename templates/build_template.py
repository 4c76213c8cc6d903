"""Author templates/committee-paper.docx, the default Word template for the committee paper.

Run ``python templates/build_template.py`` after changing this script; the output is committed and
byte-identical on every run. The template holds layout only: every variable part is a docxtpl tag
over the context documented in docs/template.md, and all the look (fonts, colours, spacing,
numbering) lives in Word styles, so that a comms team can restyle it in Word without touching code.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm

HERE = Path(__file__).resolve().parent
if not __package__:  # run as a script from a checkout, perhaps without installing perfreport
    sys.path.insert(0, str(HERE.parent))

from perfreport.paper.docxzip import normalise_package  # noqa: E402

OUTPUT = HERE / "committee-paper.docx"
BUILT = dt.datetime(2024, 1, 1)  # fixed, so the template is byte-identical on every run

STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FONT = "Arial"  # LibreOffice renders it with the metric-compatible Liberation Sans
ACCENT = "1F3A5F"  # headings: dark navy, 11.9:1 on white
RAG_HEADER_FILLS = {
    "Green": "C9E7CB",
    "Amber": "FCE4B6",
    "Red": "F4C7C3",
}  # as formatting.RAG_FILLS

# -- styles.xml: every font and spacing decision is a style a comms team can change in Word --------

_RFONTS = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:eastAsia="{FONT}" w:cs="{FONT}"/>'


def _pstyle(
    style_id: str,
    name: str,
    *,
    based_on: str = "Normal",
    next_style: str | None = None,
    ppr: str = "",
    rpr: str = "",
    extra: str = "",
    custom: bool = False,
) -> str:
    following = f'<w:next w:val="{next_style}"/>' if next_style else ""
    flag = ' w:customStyle="1"' if custom else ""  # Word's built-in styles must not carry it
    return (
        f'<w:style w:type="paragraph"{flag} w:styleId="{style_id}">'
        f'<w:name w:val="{name}"/><w:basedOn w:val="{based_on}"/>'
        f"{following}{extra}<w:qFormat/><w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    )


def _heading(level: int, size_half_points: int, before: int) -> str:
    return _pstyle(
        f"Heading{level}",
        f"heading {level}",
        next_style="Normal",
        extra='<w:uiPriority w:val="9"/>',
        ppr=(
            f'<w:keepNext/><w:keepLines/><w:spacing w:before="{before}" w:after="120"/>'
            f'<w:outlineLvl w:val="{level - 1}"/>'
        ),
        rpr=f'<w:b/><w:bCs/><w:color w:val="{ACCENT}"/><w:sz w:val="{size_half_points}"/>'
        f'<w:szCs w:val="{size_half_points}"/>',
    )


def _border(edges: str, colour: str = "7F7F7F") -> str:
    return "".join(
        f'<w:{e} w:val="single" w:sz="4" w:space="0" w:color="{colour}"/>' for e in edges.split()
    )


STYLES_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W_NS}">
<w:docDefaults>
 <w:rPrDefault><w:rPr>{_RFONTS}<w:sz w:val="22"/><w:szCs w:val="22"/>
  <w:lang w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>
 <w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault>
</w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">
 <w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>
<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>
 <w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>
 <w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>
 <w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>
 </w:tblCellMar></w:tblPr></w:style>
<w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/>
 <w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>
{
    _pstyle(
        "Title",
        "Title",
        next_style="Normal",
        extra='<w:uiPriority w:val="10"/>',
        ppr='<w:keepNext/><w:spacing w:before="240" w:after="240"/>',
        rpr=f'<w:b/><w:bCs/><w:color w:val="{ACCENT}"/><w:kern w:val="28"/>'
        '<w:sz w:val="36"/><w:szCs w:val="36"/>',
    )
}
{_heading(1, 28, 360)}
{_heading(2, 24, 240)}
{_heading(3, 22, 200)}
{
    _pstyle(
        "NumberedParagraph",
        "Numbered Paragraph",
        custom=True,
        ppr='<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>',
    )
}
{
    _pstyle(
        "ListBullet",
        "List Bullet",
        ppr='<w:numPr><w:ilvl w:val="0"/><w:numId w:val="2"/></w:numPr><w:spacing w:after="60"/>',
    )
}
{
    _pstyle(
        "TableText",
        "Table Text",
        custom=True,
        ppr='<w:spacing w:before="40" w:after="40" w:line="240" w:lineRule="auto"/>',
        rpr='<w:sz w:val="20"/><w:szCs w:val="20"/>',
    )
}
{
    _pstyle(
        "TableHeading",
        "Table Heading",
        based_on="TableText",
        custom=True,
        ppr="<w:keepNext/>",
        rpr="<w:b/><w:bCs/>",
    )
}
{_pstyle("TableLabel", "Table Label", based_on="TableText", custom=True, rpr="<w:b/><w:bCs/>")}
{
    _pstyle(
        "Header",
        "header",
        ppr='<w:spacing w:after="0"/>',
        rpr='<w:sz w:val="18"/><w:szCs w:val="18"/>',
    )
}
{
    _pstyle(
        "Footer",
        "footer",
        ppr='<w:jc w:val="center"/><w:spacing w:after="0"/>',
        rpr='<w:sz w:val="18"/><w:szCs w:val="18"/>',
    )
}
<w:style w:type="table" w:customStyle="1" w:styleId="DataTable"><w:name w:val="Data Table"/>
 <w:basedOn w:val="TableNormal"/><w:qFormat/><w:pPr><w:spacing w:after="0"/></w:pPr>
 <w:tblPr><w:tblBorders>{_border("top left bottom right insideH insideV")}</w:tblBorders>
 <w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>
 <w:bottom w:w="28" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>
 <w:tblStylePr w:type="firstRow"><w:rPr><w:b/><w:bCs/></w:rPr>
 <w:tcPr><w:shd w:val="clear" w:color="auto" w:fill="DCE3ED"/></w:tcPr></w:tblStylePr>
</w:style>
<w:style w:type="table" w:customStyle="1" w:styleId="KeyValueTable"><w:name w:val="Key Value Table"/>
 <w:basedOn w:val="TableNormal"/><w:qFormat/><w:pPr><w:spacing w:after="0"/></w:pPr>
 <w:tblPr><w:tblBorders>{_border("top left bottom right insideH insideV")}</w:tblBorders>
 <w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="85" w:type="dxa"/>
 <w:bottom w:w="28" w:type="dxa"/><w:right w:w="85" w:type="dxa"/></w:tblCellMar></w:tblPr>
</w:style>
</w:styles>
"""

# -- numbering.xml: Word's own automatic numbering, not typed numbers --------------------------------

NUMBERING_XML = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:numbering xmlns:w="{W_NS}">
<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="singleLevel"/>
 <w:name w:val="Numbered Paragraphs"/>
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>
  <w:pStyle w:val="NumberedParagraph"/><w:lvlText w:val="%1."/><w:lvlJc w:val="left"/>
  <w:pPr><w:ind w:left="567" w:hanging="567"/></w:pPr></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:multiLevelType w:val="singleLevel"/>
 <w:name w:val="Bullets"/>
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="bullet"/>
  <w:pStyle w:val="ListBullet"/><w:lvlText w:val="\u2022"/><w:lvlJc w:val="left"/>
  <w:pPr><w:ind w:left="567" w:hanging="283"/></w:pPr>
  <w:rPr>{_RFONTS}</w:rPr></w:lvl>
</w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
</w:numbering>
"""

APP_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">
<Application>perfreport</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>
<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>
<HyperlinksChanged>false</HyperlinksChanged></Properties>
"""


# -- the package: python-docx's blank document, cleaned of what a council template must not carry --


def _new_document():
    document = Document()
    package_rels = document.part.package.rels
    for rid, rel in list(package_rels.items()):
        if rel.reltype == RT.THUMBNAIL:
            del package_rels[rid]
        elif rel.reltype == RT.EXTENDED_PROPERTIES:
            rel.target_part._blob = APP_XML.encode("utf-8")
    for rid, rel in list(document.part.rels.items()):
        if rel.reltype in (RT.CUSTOM_XML, STYLES_WITH_EFFECTS):
            del document.part.rels[rid]
    document.part._styles_part._element = parse_xml(STYLES_XML.encode("utf-8"))
    document.part.numbering_part._element = parse_xml(NUMBERING_XML.encode("utf-8"))
    settings = document.settings.element
    for rsids in settings.findall(qn("w:rsids")):
        settings.remove(rsids)
    settings.find(qn("w:themeFontLang")).set(qn("w:val"), "en-GB")
    for stale in settings.findall(qn("w:savePreviewPicture")):
        settings.remove(stale)

    props = document.core_properties
    # docxtpl renders these as templates; render_document sets them again from the context.
    props.title, props.subject, props.author = "{{ title }}", "{{ subject }}", "{{ council }}"
    props.comments = props.keywords = props.category = ""
    props.last_modified_by = "perfreport"
    props.language = "en-GB"
    props.revision = 1
    props.created = props.modified = BUILT

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.header_distance = section.footer_distance = Mm(10)
    return document


# -- content helpers --------------------------------------------------------------------------------


def para(container, text: str = "", style: str = "Normal"):
    paragraph = container.add_paragraph(style=style)
    if text:
        paragraph.add_run(text)
    return paragraph


def loop(document, items: str, style: str = "Numbered Paragraph", name: str = "text") -> None:
    """One paragraph per item of a list in the context (the tag paragraphs vanish when rendered)."""
    para(document, f"{{%p for {name} in {items} %}}")
    para(document, f"{{{{ {name} }}}}", style)
    para(document, "{%p endfor %}")


def _row_flags(row, *, header: bool) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))  # rows never split across pages
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))  # repeat as header row: PDF TH cells, every page


def _fill(cell, colour: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), colour)
    cell._tc.get_or_add_tcPr().append(shd)


def _cell_text(cell, text: str, style: str) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = style
    if text:
        paragraph.add_run(text)


def _table(
    document,
    rows: int,
    widths_mm: list[float],
    caption: str,
    description: str,
    style: str = "Data Table",
):
    table = document.add_table(rows=rows, cols=len(widths_mm))
    table.style = style
    table.autofit = False
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)  # also gives each cell a <w:tcPr> child, which cellbg needs
    tbl_pr = table._tbl.tblPr
    look = tbl_pr.find(qn("w:tblLook"))
    if look is not None:
        tbl_pr.remove(look)
    look = OxmlElement("w:tblLook")
    for key, value in (
        ("val", "0420"),
        ("firstRow", "1"),
        ("lastRow", "0"),
        ("firstColumn", "0"),
        ("lastColumn", "0"),
        ("noHBand", "1"),
        ("noVBand", "1"),
    ):
        look.set(qn(f"w:{key}"), value)
    tbl_pr.append(look)
    for tag, text in (("w:tblCaption", caption), ("w:tblDescription", description)):
        element = OxmlElement(tag)  # accessibility: the table's title and summary (alt text)
        element.set(qn("w:val"), text)
        tbl_pr.append(element)
    return table


def data_table(
    document,
    headers: list[str],
    cells: list[str],
    widths_mm: list[float],
    *,
    loop_over: str,
    caption: str,
    description: str,
    header_fills: dict[int, str] | None = None,
    total: list[str] | None = None,
):
    """A header row repeated on every page, then one row per item of ``loop_over`` ({%tr for %})."""
    table = _table(document, 4 + (total is not None), widths_mm, caption, description)
    header, opener, body, closer = table.rows[:4]
    for index, (cell, text) in enumerate(zip(header.cells, headers, strict=True)):
        _cell_text(cell, text, "Table Heading")
        if header_fills and index in header_fills:
            _fill(cell, header_fills[index])
    _row_flags(header, header=True)
    _cell_text(opener.cells[0], f"{{%tr for {loop_over} %}}", "Table Text")
    _cell_text(closer.cells[0], "{%tr endfor %}", "Table Text")
    for cell, text in zip(body.cells, cells, strict=True):
        _cell_text(cell, text, "Table Text")
    for row in table.rows[1:]:
        _row_flags(row, header=False)
    if total is not None:
        for cell, text in zip(table.rows[4].cells, total, strict=True):
            _cell_text(cell, text, "Table Label")
    return table


def key_value_table(document, rows: list[tuple[str, str]], caption: str, description: str):
    """Label | value rows (the paper's front-sheet tables): labels in the Table Label style."""
    table = _table(document, len(rows), [70, 100], caption, description, style="Key Value Table")
    look = table._tbl.tblPr.find(qn("w:tblLook"))
    look.set(qn("w:firstRow"), "0")
    look.set(qn("w:firstColumn"), "1")
    for row, (label, value) in zip(table.rows, rows, strict=True):
        _cell_text(row.cells[0], label, "Table Label")
        _cell_text(row.cells[1], value, "Table Text")
        _row_flags(row, header=False)
    return table


def _field(paragraph, instruction: str, shown: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in."""

    def run_with(child) -> None:
        run = paragraph.add_run()
        run._r.append(child)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    paragraph.add_run(shown)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def header_and_footer(section) -> None:
    para_h = section.header.paragraphs[0]
    para_h.style = "header"
    para_h.add_run("{{ council }}: {{ title }}")
    para_f = section.footer.paragraphs[0]
    para_f.style = "footer"
    para_f.add_run("Page ")
    _field(para_f, "PAGE", "1")
    para_f.add_run(" of ")
    _field(para_f, "NUMPAGES", "1")


# -- the paper --------------------------------------------------------------------------------------

PROSE_SECTIONS = (  # (heading, context list) in the order of the paper, after Key Issues
    ("Links to Council Plan and Medium-Term Financial Plan", "council_plan_links"),
    ("Other options considered", "other_options"),
    ("Key considerations", "key_considerations"),
    ("Scrutiny comments / recommendations", "scrutiny"),
    ("Consultation and feedback", "consultation"),
)
IMPLICATIONS = (
    ("Legal and Procurement", "legal"),
    ("HR / Workforce", "hr"),
    ("Equalities", "equalities"),
    ("Community Safety", "community_safety"),
    ("Climate Change and Sustainability", "climate"),
    ("Health and Safety", "health_and_safety"),
    ("Health and Wellbeing", "health_and_wellbeing"),
    ("Social Value", "social_value"),
)


def key_issues(document) -> None:
    """A Heading 2 per priority with issues, its sentences numbered; one sentence when none."""
    document.add_heading("Key Issues Identified this Quarter", 1)
    para(document, "{%p if not key_issues %}")
    para(document, "{{ key_issues_none }}", "Numbered Paragraph")
    para(document, "{%p endif %}")
    para(document, "{%p for group in key_issues %}")
    document.add_heading("{{ group.priority }}", 2)
    loop(document, "group.issues")
    para(document, "{%p endfor %}")
    # Its own heading after the priorities' headings, so that a screen reader does not take the
    # officers' words for part of the last priority's issues.
    document.add_heading("Officers' commentary", 2)
    loop(document, "key_issues_narrative")


def cover_report(document) -> None:
    key_value_table(
        document,
        [
            ("Committee", "{{ committee }}"),
            ("Meeting or Proposed Decision Date", "{{ meeting_date }}"),
            ("Key Decision", "{{ key_decision }}"),
        ],
        "Meeting details",
        "The committee, the date of the meeting and whether this is a key decision.",
    )
    para(document, "{{ title }}", "Title")
    key_value_table(
        document,
        [
            ("Chair of Committee", "{{ chair }}"),
            ("Executive Member(s)", "{{ executive_members }}"),
            ("Local Member(s) and Division(s) affected", "{{ local_members }}"),
            ("Executive Director", "{{ executive_director }}"),
        ],
        "Members and officers",
        "The chair, the executive members, the local members and the "
        "executive director for this report.",
    )

    for heading, items in (
        ("Executive Summary", "executive_summary"),
        ("Recommendations", "recommendations"),
        ("Reasons for Proposals", "reasons"),
    ):
        document.add_heading(heading, 1)
        loop(document, items)

    document.add_heading("Report Author and Contact Details", 1)
    para(document, "{{ author.name }}, {{ author.job_title }}")
    para(document, "Email: {{ author.email }}")
    para(document, "{%p if author.telephone %}")
    para(document, "Telephone: {{ author.telephone }}")
    para(document, "{%p endif %}")

    document.add_heading("Background and purpose of report", 1)
    loop(document, "background")

    document.add_heading("Summary", 1)
    loop(document, "summary.headline")
    loop(document, "summary.movement")
    rag = ("Green", "Amber", "Red")
    headers = ["Priority"] + [
        f"{word} {{{{ summary.{when}_label }}}}" for word in rag for when in ("previous", "current")
    ]
    cells = ["{{ row.priority }}"] + [
        f"{{{{ row.{word.lower()}_{when} }}}}" for word in rag for when in ("previous", "current")
    ]
    data_table(
        document,
        headers,
        cells,
        [56] + [19] * 6,
        loop_over="row in summary.rag_rows",
        caption="RAG ratings by priority, {{ summary.previous_label }} and "
        "{{ summary.current_label }}",
        description="For each priority, how many indicators were rated Green, Amber and Red "
        "last quarter and this quarter.",
        header_fills={i: RAG_HEADER_FILLS[rag[(i - 1) // 2]] for i in range(1, 7)},
        total=[c.replace("row.", "summary.rag_total.") for c in cells],
    )

    key_issues(document)
    for heading, items in PROSE_SECTIONS:
        document.add_heading(heading, 1)
        loop(document, items)

    document.add_heading("Financial and Risk Implications", 1)
    loop(document, "financial")
    for name, label in (("current", "Current"), ("projected", "Projected")):
        document.add_heading(f"{label} risk score", 2)
        data_table(
            document,
            ["Risk", "Likelihood (1-5)", "Impact (1-5)", "Risk score"],
            [
                "{{ risk.description }}",
                "{{ risk.likelihood }}",
                "{{ risk.impact }}",
                # A risk not yet scored has no band: "Not scored", never "Not scored (Not scored)".
                "{% cellbg risk.fill %}{{ risk.score }}"
                "{% if risk.band %} ({{ risk.band }}){% endif %}",
            ],
            [80, 30, 30, 30],
            loop_over=f"risk in risks.{name}",
            caption=f"{label} risk score",
            description=f"{label} risks with their likelihood and impact, each scored 1 to 5, and "
            "the risk score (likelihood times impact) with its band.",
        )

    for heading, items in IMPLICATIONS:
        document.add_heading(heading, 1)
        loop(document, items)
    document.add_heading("Background Papers", 1)
    loop(document, "background_papers", "List Bullet")
    document.add_heading("Appendices", 1)
    loop(document, "appendices", "List Bullet")

    document.add_heading("Report assurance", 1)
    data_table(
        document,
        ["Role", "Officer name", "Date completed"],
        ["{{ check.role }}", "{{ check.name }}", "{{ check.date }}"],
        [70, 60, 40],
        loop_over="check in assurance",
        caption="Report assurance",
        description="The officers who checked this report, and when.",
    )


APPENDIX_COLUMNS = (  # heading, cell, width in mm (landscape A4 less margins: 257 mm)
    ("Ref", "{{ ind.ref }}", 17),
    ("Measure", "{{ ind.measure }}", 40),
    ("Good is", "{{ ind.good_is }}", 14),
    ("Previous quarter", "{{ ind.previous }}", 20),
    ("This quarter", "{{ ind.current }}", 20),
    ("Same quarter last year", "{{ ind.last_year }}", 20),
    ("Target", "{{ ind.target }}", 18),
    ("RAG", "{% cellbg ind.rag_fill %}{{ ind.rag }}", 17),
    # Wide enough for "Quarter: No change →" on one line in 10 pt Arial (about 37 mm of text).
    ("Direction of travel", "{{ ind.direction }}", 40),
    ("Commentary (and actions)", "{{ ind.commentary }}", 51),
)


def appendix(document) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    document.add_heading("{{ appendix.title }}", 1)
    loop(document, "appendix.notes", "Normal")
    para(document, "{%p for priority in appendix.priorities %}")
    document.add_heading("{{ priority.name }}", 2)
    para(document, "{{ priority.count_line }}")
    para(document, "{%p if priority.indicators %}")
    data_table(
        document,
        [c[0] for c in APPENDIX_COLUMNS],
        [c[1] for c in APPENDIX_COLUMNS],
        [c[2] for c in APPENDIX_COLUMNS],
        loop_over="ind in priority.indicators",
        caption="Indicators: {{ priority.name }}",
        description="Each indicator for this priority: its value last quarter, this quarter and "
        "a year ago, the target, the RAG rating in words, the direction of travel and "
        "the service's commentary.",
    )
    para(document, "{%p endif %}")
    para(document, "{%p endfor %}")


def build() -> bytes:
    document = _new_document()
    header_and_footer(document.sections[0])
    cover_report(document)
    appendix(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_package(buffer.getvalue(), BUILT)


def main() -> None:
    OUTPUT.write_bytes(build())
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
