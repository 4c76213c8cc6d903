"""Appendix C (the definitions), the catalogue's Source column and the [glossary] of abbreviations."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from buildfactory import DOCX, Q2, copy_example, headings
from docx import Document
from docx.oxml.ns import qn
from projectfactory import write_catalogue, write_config
from ratingfactory import CATALOGUE, Q1, QUARTERS, Quarters

from perfreport.build import PdfMode, build_paper, summarise_period
from perfreport.core.glossary import Glossary
from perfreport.core.model import Catalogue, Indicator, Polarity, YearTarget
from perfreport.core.project import ConfigError, load_project
from perfreport.core.targets import TargetProfile
from perfreport.inputs.catalogue import load_catalogue
from perfreport.inputs.report_file import parse_report
from perfreport.paper.context import make_paper
from perfreport.paper.model_definitions import Abbreviation, DefinitionEntry

GLOSSARY = """
[glossary]
NEET = "not in education, employment or training"
FOI = "Freedom of Information"
EHCP = "Education, Health and Care Plan"
"""
# The rating factory's catalogue with definitions, a source and abbreviations in its titles:
# WR-01 (Red twice: a key issue on the cover) uses FOI; ASC-01 (improved to Green: a key issue
# too) uses EHCP; ASC-02 explains NEET in its own title; ASC-03 has no definition.
WORDS = {
    "WR-01": (
        "FOI requests answered within 20 working days",
        "FOI requests answered in the quarter within 20 working days, as a percentage of all "
        "FOI requests answered.",
        "Information governance case system",
    ),
    "WR-02": (
        "Missed bin collections per 100,000",
        "Collections reported missed, per 100,000 scheduled collections.",
        "",
    ),
    "ASC-01": (
        "Children with an EHCP receiving direct payments",
        "Children with an EHCP whose family receives a direct payment, as a percentage of all "
        "children with an EHCP.",
        "",
    ),
    "ASC-02": (
        "Young people not in education, employment or training (NEET)",
        "Young people aged 16 and 17 who are NEET, as a percentage of all known to the council.",
        "DfE participation data",
    ),
    "ASC-03": ("Adults in residential care", "", ""),
}
WORDED = Catalogue(
    tuple(
        dataclasses.replace(
            i, title=WORDS[i.ref][0], definition=WORDS[i.ref][1], source=WORDS[i.ref][2]
        )
        for i in CATALOGUE.indicators
    )
)


def paper_of(root: Path, glossary: str = GLOSSARY):
    write_config(root, extra=glossary)
    project = load_project(root)
    summary = summarise_period(project, Q2, reader=Quarters(project, QUARTERS, WORDED))
    report, _ = parse_report({}, Path("reports/Q2-2024.toml"))
    return make_paper(summary, report)


def entries_of(paper) -> dict[str, DefinitionEntry]:
    return {e.ref: e for g in paper.definitions.groups for e in g.entries}


# -- Appendix C ------------------------------------------------------------------------------------


def test_appendix_c_defines_each_indicator_of_appendix_a_in_its_groups_and_order(tmp_path) -> None:
    paper = paper_of(tmp_path / "council", glossary="")
    definitions = paper.definitions
    assert definitions.title == "Appendix C: Definitions"
    assert [(g.name, [e.ref for e in g.entries]) for g in definitions.groups] == [
        (p.name, [r.ref for r in p.indicators]) for p in paper.appendix.groups
    ]
    entries = entries_of(paper)
    assert entries["WR-01"] == DefinitionEntry(
        ref="WR-01",
        title="FOI requests answered within 20 working days",
        definition="FOI requests answered in the quarter within 20 working days, as a percentage "
        "of all FOI requests answered.",
        source="Information governance case system",
        unit="Percentage (%)",
        polarity="Good is higher",
        frequency="Quarterly",
        # The catalogue's target of 55.0 and the default 5% tolerance: 55 - 2.75 = 52.25,
        # shown at the indicator's one decimal place (half away from zero), as the rating is.
        target="55.0% (Amber from 52.3%)",
    )
    # Lower is better: the Amber band runs up to the threshold.
    assert (entries["WR-02"].polarity, entries["WR-02"].target) == (
        "Good is lower",
        "80 (Amber up to 84)",
    )
    # Annual, not due in Q2: the 2023/24 outturn carried forward, rated against 2023/24's target.
    assert (entries["ASC-02"].frequency, entries["ASC-02"].target) == (
        "Annual (due Q4)",
        "60.0% for 2023/24 (Amber from 57.0%)",
    )
    assert dataclasses.astuple(entries["ASC-03"])[3:] == (
        "",
        "Number",
        "Context: no polarity",
        "Quarterly",
        "No target",
    )
    assert entries["ASC-03"].definition == "No definition given."
    # No glossary: nothing expanded, no Abbreviations table, and the notes do not promise one.
    assert definitions.abbreviations == ()
    assert len(definitions.notes) == 1


def test_each_abbreviation_is_written_out_once_at_its_first_use_in_reading_order(
    tmp_path,
) -> None:
    paper = paper_of(tmp_path / "council")
    cover_issues = [i for g in paper.key_issues for i in g.issues]
    rows = {r.ref: r for p in paper.appendix.groups for r in p.indicators}
    entries = entries_of(paper)
    # The cover's Key Issues come first: WR-01 and ASC-01 are key issues there.
    assert [i for i in cover_issues if i.startswith(("WR-01", "ASC-01"))] == [
        "WR-01 Freedom of Information (FOI) requests answered within 20 working days has been Red "
        "for 2 consecutive quarters: 50.0% against a target of 55.0%. See Appendix B, paragraph "
        "B1.",
        "ASC-01 Children with an Education, Health and Care Plan (EHCP) receiving direct payments "
        "improved to Green: 31.0% against a target of 30.0%; it was Amber in Q1 2024/25.",
    ]
    # Later uses keep the abbreviation: Appendix A, Appendix B and Appendix C.
    assert rows["WR-01"].measure == "FOI requests answered within 20 working days"
    assert rows["ASC-01"].measure == "Children with an EHCP receiving direct payments"
    assert entries["WR-01"].definition.count("FOI") == 2
    # NEET is explained in brackets in its own title: that is its first use, left as written.
    assert rows["ASC-02"].measure == WORDS["ASC-02"][0]
    assert entries["ASC-02"].definition == WORDS["ASC-02"][1]
    texts = [
        *cover_issues,
        *(r.measure for r in rows.values()),
        *(e.measure for e in paper.exceptions.entries),
        *(text for e in entries.values() for text in (e.title, e.definition)),
    ]
    for expanded in (
        "Freedom of Information (FOI)",
        "Education, Health and Care Plan (EHCP)",
    ):
        assert sum(text.count(expanded) for text in texts) == 1, expanded
    # The Abbreviations table: the whole glossary, alphabetically.
    assert paper.definitions.abbreviations == (
        Abbreviation("EHCP", "Education, Health and Care Plan"),
        Abbreviation("FOI", "Freedom of Information"),
        Abbreviation("NEET", "not in education, employment or training"),
    )
    assert paper.definitions.notes[1].startswith("Each abbreviation is written out in full")


def test_an_abbreviation_is_matched_as_a_whole_word_and_by_case(tmp_path) -> None:
    from perfreport.paper.glossary import FirstUse

    expand = FirstUse(
        Glossary((("FOI", "Freedom of Information"), ("EHCP", "Education, Health and Care Plan")))
    )
    assert expand("FOIs, foi and FOIA are not FOI") == (
        "FOIs, foi and FOIA are not Freedom of Information (FOI)"
    )
    assert expand("FOI again; EHCP-funded") == (
        "FOI again; Education, Health and Care Plan (EHCP)-funded"
    )


# -- perfreport.toml's [glossary] ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "key", "message"),
    [
        (
            'EHCP = "  "',
            "glossary.EHCP",
            'is empty. Give the words EHCP stands for, e.g. EHCP = "Education, Health and Care '
            'Plan", or delete the line.',
        ),
        (
            "EHCP = 3",
            "glossary.EHCP",
            "expected text, the words EHCP stands for in quotes, got int 3",
        ),
        (
            'Ofsted = "Office for Standards in Education"',
            "glossary.Ofsted",
            "is not an abbreviation. A glossary key is a capital letter followed by letters and "
            "digits, with at least two capitals and no spaces, such as EHCP or DfE; write it as "
            'EHCP = "Education, Health and Care Plan".',
        ),
        (
            '"SEN support" = "Special educational needs support"',
            "glossary.SEN support",
            "is not an abbreviation. A glossary key is a capital letter followed by letters and "
            "digits, with at least two capitals and no spaces, such as EHCP or DfE; write it as "
            'EHCP = "Education, Health and Care Plan".',
        ),
    ],
)
def test_a_glossary_line_that_cannot_be_used_is_a_config_error(tmp_path, line, key, message):
    config = write_config(tmp_path, extra=f"[glossary]\n{line}\n")
    with pytest.raises(ConfigError) as caught:
        load_project(tmp_path)
    assert (caught.value.file, caught.value.key, caught.value.detail) == (
        str(config),
        key,
        message,
    )
    assert str(caught.value).startswith(f"{config}, key '{key}': ")


def test_the_glossary_is_read_in_order_with_its_spaces_tidied(tmp_path) -> None:
    write_config(
        tmp_path, extra='[glossary]\nSEN2 = " SEN2   return "\nDfE = "Department for Education"\n'
    )
    assert load_project(tmp_path).glossary == Glossary(
        (("SEN2", "SEN2 return"), ("DfE", "Department for Education"))
    )


# -- the catalogue: Source, no definition, unexplained abbreviations ------------------------------


def test_the_catalogue_reads_source_and_warns_of_a_blank_definition_and_an_unexplained_title(
    tmp_path,
) -> None:
    write_config(tmp_path, extra='[glossary]\nFOI = "Freedom of Information"\n')
    base = {"priority": "greener", "service": "Customer", "polarity": "higher", "target": 90}
    write_catalogue(
        tmp_path / "catalogue.xlsx",
        [
            {
                **base,
                "ref": "CUS-04",
                "title": "FOI requests answered",
                "definition": "Answered.",
                "source": "Case system",
            },
            {**base, "ref": "CUS-05", "title": "FOI and EIR requests (NHS and LED too)"},
            {
                **base,
                "ref": "CUS-06",
                "title": "EIR requests, with a definition",
                "definition": "Requests.",
            },
        ],
    )
    catalogue, findings = load_catalogue(load_project(tmp_path))
    assert [(i.ref, i.source) for i in catalogue.indicators] == [
        ("CUS-04", "Case system"),
        ("CUS-05", ""),
        ("CUS-06", ""),
    ]
    # Once per abbreviation, at the first title that uses it.
    assert [(f.code, f.severity.value, f.sheet, f.cell, f.ref, f.message) for f in findings] == [
        (
            "catalogue-unexplained-abbreviation",
            "warning",
            "Indicators",
            "B3",
            "CUS-05",
            "Cell B3: CUS-05's title uses EIR, which the [glossary] of perfreport.toml does not "
            'expand, so the paper leaves it unexplained. Add a line such as EIR = "what it stands '
            'for" to [glossary], or spell it out in the title.',
        ),
        *(
            (
                "catalogue-unexplained-abbreviation",
                "warning",
                "Indicators",
                "B3",
                "CUS-05",
                f"Cell B3: CUS-05's title uses {word}, which the [glossary] of perfreport.toml "
                f"does not expand, so the paper leaves it unexplained. Add a line such as {word} "
                '= "what it stands for" to [glossary], or spell it out in the title.',
            )
            for word in ("LED", "NHS")  # the findings of one cell in message order
        ),
        (
            "catalogue-no-definition",
            "warning",
            "Indicators",
            "G3",
            "CUS-05",
            'Cell G3: CUS-05 has no definition, so Appendix C of the paper says "No definition '
            'given." Say in plain English what the indicator counts and how it is worked out.',
        ),
    ]


def test_without_a_glossary_or_a_definition_column_there_is_no_warning(tmp_path) -> None:
    write_config(tmp_path)
    write_catalogue(
        tmp_path / "catalogue.xlsx",
        [
            {
                "ref": "CUS-05",
                "title": "FOI requests",
                "priority": "greener",
                "service": "Customer",
                "polarity": "higher",
            }
        ],
    )
    assert load_catalogue(load_project(tmp_path))[1] == ()


# -- through build ---------------------------------------------------------------------------------


def test_the_built_example_has_appendix_c_its_repeating_header_and_the_expansions(tmp_path) -> None:
    project = copy_example("somerset", tmp_path / "somerset")
    result = build_paper(project, Q2, pdf=PdfMode.OFF)
    doc = Document(str(result.outputs[DOCX]))
    found = headings(doc)
    start = found.index((1, "Appendix C: Definitions"))
    assert found[start - 1][1].startswith("B15. ")  # after the last entry of Appendix B
    assert found[start + 1 :] == [
        (2, "A greener, more sustainable Somerset"),
        (2, "A healthy and caring Somerset"),
        (2, "A fairer, ambitious Somerset"),
        (2, "A flourishing and resilient Somerset"),
        (2, "A financially sustainable and resilient Council"),
        (2, "Abbreviations"),
    ]
    tables = [t for t in doc.tables if "Definitions: " in t._tbl.tblPr.xml]
    assert len(tables) == 5
    for table in tables:
        header, *rows = table.rows
        assert [c.text for c in header.cells] == [
            "Ref",
            "Indicator and definition",
            "Unit, polarity and frequency",
            "Target (Amber threshold)",
        ]
        assert header._tr.trPr.find(qn("w:tblHeader")) is not None
        assert all(r._tr.trPr.find(qn("w:tblHeader")) is None for r in rows)
        assert all(r._tr.trPr.find(qn("w:cantSplit")) is not None for r in rows)
    rows = {r.cells[0].text: [c.text for c in r.cells] for t in tables for r in t.rows[1:]}
    assert len(rows) == 114
    assert rows["CS-12"] == [
        "CS-12",
        "Percentage of Education, Health and Care Plans issued within 20 weeks (excluding "
        "exceptions)\nNew Education, Health and Care Plans issued in the quarter within 20 weeks "
        "of the request for assessment, excluding exceptions, as a percentage of all new plans "
        "issued.\nSource: DfE SEN2 return",
        "Percentage (%)\nGood is higher\nQuarterly",
        rows["CS-12"][3],
    ]
    # The expansions: HWY-03 is the only title with LED, written out there in Appendix A.
    text = "\n".join(c.text for t in doc.tables for r in t.rows for c in r.cells)
    assert text.count("Percentage of street lights converted to light-emitting diode (LED)") == 1
    assert "Percentage of street lights converted to LED" in rows["HWY-03"][1]
    abbreviations = next(t for t in doc.tables if "Abbreviations" in t._tbl.tblPr.xml)
    assert [c.text for c in abbreviations.rows[0].cells] == ["Abbreviation", "Meaning"]
    assert abbreviations.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [r.cells[0].text for r in abbreviations.rows[1:]] == [
        "ASCOF",
        "CQC",
        "EIR",
        "FOI",
        "FTE",
        "LED",
        "NEET",
        "NHS",
        "NNDR",
        "ONS",
    ]


def test_a_quarters_own_target_is_named_with_the_year_s(tmp_path) -> None:
    """A year-to-date measure is rated against its quarter's target: Appendix C says which."""
    collection = Indicator(
        "REV-01",
        "Council tax collected (year to date)",
        "greener",
        "Revenues",
        Polarity.HIGHER,
        unit="%",
        decimals=1,
        definition="Council tax collected so far this year, as a percentage of the year's bill.",
    )
    catalogue = Catalogue(
        (collection,),
        (
            YearTarget(
                "REV-01", 2024, 97.5, 96.0, (28.0, 54.5, 81.0, 97.5), TargetProfile.CUMULATIVE
            ),
        ),
    )
    write_config(tmp_path / "council")
    project = load_project(tmp_path / "council")
    quarters = {Q1: {"REV-01": 28.2}, Q2: {"REV-01": 54.6}}
    summary = summarise_period(project, Q2, reader=Quarters(project, quarters, catalogue))
    report, _ = parse_report({}, Path("reports/Q2-2024.toml"))
    (entry,) = make_paper(summary, report).definitions.groups[0].entries
    # The year's Amber (96.0 of 97.5) carried over in proportion to Q2's 54.5: 53.7.
    assert entry.target == "54.5% by Q2 (Amber from 53.7%; year 97.5%)"
