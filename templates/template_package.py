"""The Word package of the default template: its styles, numbering and a clean blank document."""

from __future__ import annotations

import datetime as dt

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm

STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FONT = "Arial"  # LibreOffice renders it with the metric-compatible Liberation Sans
ACCENT = "1F3A5F"  # headings: dark navy, 11.9:1 on white
LINK = "0B4F9C"  # links: blue and underlined, 8.0:1 on white

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
        ppr='<w:widowControl/><w:spacing w:before="40" w:after="40" w:line="240" '
        'w:lineRule="auto"/>',
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
        "Picture",
        "Picture",
        custom=True,
        ppr='<w:keepNext/><w:jc w:val="center"/><w:spacing w:before="120"/>',
    )
}
{
    _pstyle(
        "Caption",
        "caption",
        extra='<w:uiPriority w:val="35"/>',
        ppr='<w:jc w:val="center"/><w:spacing w:after="200"/>',
        rpr='<w:i/><w:iCs/><w:sz w:val="20"/><w:szCs w:val="20"/>',
    )
}
<w:style w:type="character" w:styleId="Hyperlink"><w:name w:val="Hyperlink"/>
 <w:basedOn w:val="DefaultParagraphFont"/><w:uiPriority w:val="99"/><w:unhideWhenUsed/>
 <w:rPr><w:color w:val="{LINK}"/><w:u w:val="single"/></w:rPr></w:style>
{
    _pstyle(
        "LeadIn",
        "Lead In",
        custom=True,
        ppr="<w:keepNext/>",
    )
}
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


def new_document(built: dt.datetime):
    """python-docx's blank document with these styles, A4 margins and the properties a template needs."""
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
    props.created = props.modified = built

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.header_distance = section.footer_distance = Mm(10)
    return document
