"""Author templates/committee-paper.docx, the default Word template for the committee paper.

Run ``python templates/build_template.py`` after changing this script; the output is committed and
byte-identical on every run. The template holds layout only: every variable part is a docxtpl tag
over the context documented in docs/template.md, and all the look (fonts, colours, spacing,
numbering) lives in Word styles, so that a comms team can restyle it in Word without touching code.
This module lays out the paper; template_package.py holds the styles and the blank package, and
template_blocks.py the paragraphs, loops and tables it is built from.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.oxml.ns import qn
from docx.shared import Mm

HERE = Path(__file__).resolve().parent
if __package__:  # imported: templates, or perfreport.templates when installed
    from .template_blocks import Badge, data_table, header_and_footer, key_value_table, loop, para
    from .template_package import new_document
else:  # run as a script (or loaded from its file) in a checkout, perhaps without installing
    sys.path.insert(0, str(HERE.parent))
    from templates.template_blocks import (
        Badge,
        data_table,
        header_and_footer,
        key_value_table,
        loop,
        para,
    )
    from templates.template_package import new_document

from perfreport.core.formatting import RAG_FILLS  # noqa: E402
from perfreport.core.model import RAG  # noqa: E402
from perfreport.inputs.report_file import ITEMS_BY_KEY  # noqa: E402
from perfreport.paper.docxzip import normalise_package  # noqa: E402
from perfreport.paper.layout import APPENDIX_WIDTHS_MM  # noqa: E402

OUTPUT = HERE / "committee-paper.docx"
BUILT = dt.datetime(2024, 1, 1)  # fixed, so the template is byte-identical on every run

# The Summary table's Green, Amber and Red column headings wear the ratings' own fills.
RAG_HEADER_FILLS = {rag.word: RAG_FILLS[rag] for rag in (RAG.GREEN, RAG.AMBER, RAG.RED)}


# -- the paper --------------------------------------------------------------------------------------

# Sections of paragraphs, each under the heading its report-file item is labelled with.
OPENING = ("executive_summary", "recommendations", "reasons")
PROSE_SECTIONS = (  # in the order of the paper, after Key Issues
    "council_plan_links",
    "other_options",
    "key_considerations",
    "scrutiny",
    "consultation",
)
IMPLICATIONS = (
    "legal",
    "hr",
    "equalities",
    "community_safety",
    "climate",
    "health_and_safety",
    "health_and_wellbeing",
    "social_value",
)


def heading_of(key: str) -> str:
    """How the paper names a report-file item: its heading, or its row in a front-sheet table."""
    return ITEMS_BY_KEY[key].label


def prose_section(document, key: str, style: str = "Numbered Paragraph") -> None:
    """A Heading 1 named after the report-file item, one paragraph per item of its list, then
    the report file's figures that follow it."""
    document.add_heading(heading_of(key), 1)
    loop(document, key, style)
    figures_after(document, key)


def figures_after(document, key: str) -> None:
    """The report file's figures that follow the paragraphs of item ``key``, each with its caption."""
    para(document, f'{{%p for figure in figures if figure.after == "{key}" %}}')
    # The renderer turns the image path into the picture, with the alt text as its description.
    para(document, "{{ figure.image }}", "Picture")
    para(document, "{%p if figure.caption %}")
    para(document, "{{ figure.caption }}", "Caption")
    para(document, "{%p endif %}")
    para(document, "{%p endfor %}")


def key_issues(document) -> None:
    """The officers' paragraphs, then (unless the report file puts them in Appendix A) a Heading 2
    per group (priority, directorate or service) with its computed issues; one sentence when no
    group has any."""
    document.add_heading("Key Issues Identified this Quarter", 1)
    loop(document, "key_issues_narrative")
    figures_after(document, "key_issues")
    para(document, "{%p if key_issues_none %}")
    para(document, "{{ key_issues_none }}", "Numbered Paragraph")
    para(document, "{%p endif %}")
    issue_groups(document, "key_issues", 2)


def issue_groups(document, groups: str, level: int) -> None:
    para(document, f"{{%p for group in {groups} %}}")
    document.add_heading("{{ group.name }}", level)
    loop(document, "group.issues")
    para(document, "{%p endfor %}")


def cover_report(document) -> None:
    key_value_table(
        document,
        [(heading_of(k), f"{{{{ {k} }}}}") for k in ("committee", "meeting_date", "key_decision")],
        "Meeting details",
        "The committee, the date of the meeting and whether this is a key decision.",
    )
    para(document, "{{ title }}", "Title")
    key_value_table(
        document,
        [
            (heading_of(k), f"{{{{ {k} }}}}")
            for k in ("chair", "executive_members", "local_members", "executive_director")
        ],
        "Members and officers",
        "The chair, the executive members, the local members and the "
        "executive director for this report.",
    )

    # As in the reference paper, the numbering starts at Background: the Executive Summary,
    # Recommendations and Reasons for Proposals are plain paragraphs.
    for key in OPENING:
        prose_section(document, key, "Normal")

    document.add_heading(heading_of("author"), 1)
    para(document, "{{ author.name }}, {{ author.job_title }}")
    para(document, "Email: {{ author.email }}")
    para(document, "{%p if author.telephone %}")
    para(document, "Telephone: {{ author.telephone }}")
    para(document, "{%p endif %}")

    prose_section(document, "background")

    document.add_heading("Summary", 1)
    loop(document, "summary.headline")
    loop(document, "summary.movement")
    rag = ("Green", "Amber", "Red")
    headers = ["{{ grouping.label }}"] + [
        f"{word} {{{{ summary.{when}_label }}}}" for word in rag for when in ("previous", "current")
    ]
    cells = ["{{ row.group }}"] + [
        f"{{{{ row.{word.lower()}_{when} }}}}" for word in rag for when in ("previous", "current")
    ]
    data_table(
        document,
        headers,
        cells,
        [56] + [19] * 6,
        loop_over="row in summary.rag_rows",
        caption="RAG ratings by {{ grouping.noun }}, {{ summary.previous_label }} and "
        "{{ summary.current_label }}",
        description="For each {{ grouping.noun }}, how many indicators were rated Green, Amber and Red "
        "last quarter and this quarter.",
        header_fills={i: RAG_HEADER_FILLS[rag[(i - 1) // 2]] for i in range(1, 7)},
        total=[c.replace("row.", "summary.rag_total.") for c in cells],
    )
    loop(document, "summary.forecast")
    loop(document, "summary.benchmarks")
    # The charts: each a picture with its alt text, its numbers also in the table or sentence.
    para(document, "{%p if summary.rag_chart %}")
    para(document, "{{ summary.rag_chart }}")
    para(document, "{%p endif %}")
    para(document, "{%p if summary.history_chart %}")
    para(document, "{{ summary.history_sentence }}", "Numbered Paragraph")
    para(document, "{{ summary.history_chart }}")
    para(document, "{%p endif %}")

    key_issues(document)
    for key in PROSE_SECTIONS:
        prose_section(document, key)

    prose_section(document, "financial")
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

    for key in IMPLICATIONS:
        prose_section(document, key)
    prose_section(document, "background_papers", "List Bullet")
    prose_section(document, "appendices", "List Bullet")

    document.add_heading(heading_of("assurance"), 1)
    data_table(
        document,
        ["Role", "Officer name", "Date completed"],
        ["{{ check.role }}", "{{ check.name }}", "{{ check.date }}"],
        [70, 60, 40],
        loop_over="check in assurance",
        caption="Report assurance",
        description="The officers who checked this report, and when; then those consulted.",
        group="check.group",
    )


APPENDIX_COLUMNS = (  # heading, field; the widths are the paper's (APPENDIX_WIDTHS_MM)
    ("Ref", "ref"),
    ("Measure", "measure"),
    ("Good is", "good_is"),
    ("Previous quarter", "previous"),
    ("This quarter", "current"),
    ("Same quarter last year", "last_year"),
    ("Target", "target"),
    ("RAG (last quarter, year-end forecast)", "rag"),
    ("Direction of travel", "direction"),
    ("Commentary (and actions)", "commentary"),
)


# Under the RAG last quarter's and the year-end forecast; under the commentary each benchmark
# (docs/benchmarks.md) and the responsible officer. Each on a line of its own (a line break in
# the cell, never a merged or extra column).
UNDER = {
    "rag": (("rag_previous", ""), ("forecast", "")),
    "commentary": (("owner", "Responsible officer: "),),
}
BENCHMARKS_UNDER = "commentary"


def appendix_cell(field: str, item: str = "ind") -> str | Badge:
    # The RAG word wears the rating's fill (template_blocks.Badge); every other cell is its field.
    benchmarks = (
        f"{{% for b in {item}.benchmarks %}}\nBenchmark: {{{{ b.text }}}}{{% endfor %}}"
        if field == BENCHMARKS_UNDER
        else ""
    )
    under = benchmarks + "".join(
        f"{{% if {item}.{extra} %}}\n{label}{{{{ {item}.{extra} }}}}{{% endif %}}"
        for extra, label in UNDER.get(field, ())
    )
    # The trend chart sits under the direction of travel (empty when there is none).
    chart = f"{{{{ {item}.trend_chart }}}}" if field == "direction" and item == "ind" else ""
    if field == "rag":
        return Badge(f"{item}.rag_fill", f"{{{{ {item}.rag }}}}", f"{under}{chart}")
    return f"{{{{ {item}.{field} }}}}{under}{chart}"


def appendix(document) -> None:
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    document.add_heading("{{ appendix.title }}", 1)
    loop(document, "appendix.notes", "Normal")
    # The computed key issues, when the report file puts them here rather than under Key Issues.
    para(document, "{%p if appendix.key_issues %}")
    document.add_heading("Key issues by {{ grouping.noun }}", 2)
    issue_groups(document, "appendix.key_issues", 3)
    para(document, "{%p endif %}")
    para(document, "{%p for group in appendix.groups %}")
    document.add_heading("{{ group.name }}", 2)
    para(document, "{{ group.count_line }}", "Lead In")
    para(document, "{%p if group.indicators %}")
    data_table(
        document,
        [heading for heading, _ in APPENDIX_COLUMNS],
        [appendix_cell(field) for _, field in APPENDIX_COLUMNS],
        [APPENDIX_WIDTHS_MM[field] for _, field in APPENDIX_COLUMNS],
        loop_over="ind in group.indicators",
        caption="Indicators: {{ group.name }}",
        description="Each indicator for this {{ grouping.noun }}: its value last quarter, this quarter and "
        "a year ago, the target, the RAG rating in words, the direction of travel and "
        "the service's commentary.",
        split_rows="ind.may_split",
        apart_rows="ind.very_tall",
    )
    para(document, "{%p endif %}")
    para(document, "{%p endfor %}")


EXCEPTION_ROWS = (  # label, field of the entry
    ("{{ exceptions.group_label }}", "group"),
    ("Why it is listed", "reason"),
    ("This quarter", "current"),
    ("Target", "target"),
    ("RAG", "rag"),
    ("Last quarter", "rag_previous"),
    ("Direction of travel", "direction"),
    ("Forecast year-end RAG", "forecast"),
    ("Responsible officer", "owner"),
    # Shown only for an indicator with a benchmark: the two {%tr %} rows are removed on rendering.
    ("{%tr if entry.benchmarks %}", ""),
    (
        "Benchmark",
        "{% for b in entry.benchmarks %}{% if not loop.first %}\n{% endif %}{{ b.text }}"
        "{% if b.quartiles %}; {{ b.quartiles }}{% endif %}{% endfor %}",
    ),
    ("{%tr endif %}", ""),
    ("Commentary", "commentary"),
    ("Actions", "actions"),
)


def exception_report(document) -> None:
    """Appendix B, on portrait pages: a heading per indicator, numbered as the Key Issues cite it,
    and a label | value table of its figures, commentary and actions."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    document.add_heading("{{ exceptions.title }}", 1)
    loop(document, "exceptions.notes", "Normal")
    para(document, "{%p if exceptions.none %}")
    para(document, "{{ exceptions.none }}")
    para(document, "{%p endif %}")
    para(document, "{%p for entry in exceptions.entries %}")
    document.add_heading("{{ entry.paragraph }}. {{ entry.ref }} {{ entry.measure }}", 2)
    table = key_value_table(
        document,
        [
            (
                label,
                ("{% cellbg entry.rag_fill %}" if field == "rag" else "")
                + (f"{{{{ entry.{field} }}}}" if field.isidentifier() else field),
            )
            for label, field in EXCEPTION_ROWS
        ],
        "Exception: {{ entry.ref }}",
        "Why the indicator is listed, its figures against target, its RAG this quarter and last, "
        "its direction of travel and forecast, the officer responsible, the commentary and "
        "the actions.",
    )
    # The entries follow one another down the page. The heading and the figures (every row down
    # to the responsible officer, a quarter of a page at most) stay together on one page; the
    # commentary (up to half a page) and the actions follow; the commentary may continue on the
    # next page, as prose does, so no entry leaves half a page blank. (A whole entry kept
    # together chained to the next heading, and LibreOffice then started every entry on a new
    # page.)
    # The benchmark row (when shown) follows the figures and, like the officer's, does not keep
    # with the commentary.
    fields = [field for _, field in EXCEPTION_ROWS]
    figures, last_kept = fields.index("commentary"), fields.index("owner")
    for index, row in enumerate(table.rows):
        if index >= last_kept:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    paragraph.paragraph_format.keep_with_next = None
        if index == figures:  # the commentary; the actions, mostly a line or two, move whole
            for properties in row._tr.findall(qn("w:trPr")):
                for cant_split in properties.findall(qn("w:cantSplit")):
                    properties.remove(cant_split)
    para(document, "{%p endfor %}")


DEFINITION_COLUMNS = (  # heading, cell, width in mm: portrait A4 less its margins is 170 mm
    ("Ref", "{{ d.ref }}", 19),  # "HWY-01" on one line
    ("Indicator and definition", "{{ d.title }}", 83),
    ("Unit, polarity and frequency", "{{ d.unit }}\n{{ d.polarity }}\n{{ d.frequency }}", 34),
    ("Target (Amber threshold)", "{{ d.target }}", 34),
)


def definitions(document) -> None:
    """Appendix C, on portrait pages: a table per group of Appendix A (the header row repeated on
    each page, no row split across pages), then the abbreviations."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    document.add_heading("{{ definitions.title }}", 1)
    loop(document, "definitions.notes", "Normal")
    para(document, "{%p for group in definitions.groups %}")
    document.add_heading("{{ group.name }}", 2)
    table = data_table(
        document,
        [heading for heading, _, _ in DEFINITION_COLUMNS],
        [cell for _, cell, _ in DEFINITION_COLUMNS],
        [width for _, _, width in DEFINITION_COLUMNS],
        loop_over="d in group.entries",
        caption="Definitions: {{ group.name }}",
        description="Each indicator for this group: its title and definition, where the figure "
        "comes from, its unit, whether higher or lower is better, how often it is reported, and "
        "its target with the Amber threshold.",
        long=True,
    )
    # The title in bold, then the definition and the source in a paragraph of their own; in the
    # body row that keeps with the next (the table's ends) and in the one that does not.
    for body in (row for row in table.rows if "{{ d.title }}" in row.cells[1].text):
        title = body.cells[1].paragraphs[0]
        title.style = "Table Label"
        definition = para(
            body.cells[1],
            "{{ d.definition }}{% if d.source %}\nSource: {{ d.source }}{% endif %}",
            "Table Text",
        )
        definition.paragraph_format.keep_with_next = title.paragraph_format.keep_with_next
    para(document, "{%p endfor %}")
    para(document, "{%p if definitions.abbreviations %}")
    document.add_heading("Abbreviations", 2)
    data_table(
        document,
        ["Abbreviation", "Meaning"],
        ["{{ a.abbreviation }}", "{{ a.meaning }}"],
        [40, 130],
        loop_over="a in definitions.abbreviations",
        caption="Abbreviations",
        description="Each abbreviation the paper uses, and what it stands for.",
        long=True,
    )
    para(document, "{%p endif %}")


def build() -> bytes:
    document = new_document(BUILT)
    header_and_footer(document.sections[0])
    cover_report(document)
    appendix(document)
    exception_report(document)
    definitions(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_package(buffer.getvalue(), BUILT)


def main() -> None:
    OUTPUT.write_bytes(build())
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()
