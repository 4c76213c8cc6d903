"""The report file: meeting facts and prose, placeholders for what is missing, and risk scores."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest
from paperfactory import REPORT
from projectfactory import make_project

from perfreport.core.findings import Severity
from perfreport.core.periods import Period
from perfreport.core.project import ConfigError
from perfreport.inputs.report_file import ITEMS, Kind, load_report, parse_report, read_report
from perfreport.inputs.risk import RiskBand, RiskScore
from perfreport.paper.cover import make_cover
from perfreport.paper.model import Cover, RiskRow
from perfreport.paper.model_context import template_context

EXAMPLE = (
    Path(__file__).resolve().parent.parent / "examples" / "somerset" / "reports" / "Q2-2024.toml"
)
FILE = Path("reports/Q2-2024.toml")
Q2 = Period(2024, 2)


def cover_of(data: dict) -> Cover:
    report, _ = parse_report(data, FILE)
    return make_cover(report, council="C", report_title="R", period=Q2)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "Q2-2024.toml"
    path.write_text(text, encoding="utf-8")
    return path


# -- the example ---------------------------------------------------------------------------------


def test_the_somerset_example_is_complete_and_mirrors_the_reference_paper() -> None:
    report, findings = load_report(EXAMPLE)
    assert findings == ()
    cover = make_cover(
        report,
        council="Somerset Council",
        report_title="Corporate Performance Management Report",
        period=Q2,
    )
    assert cover.title == "Corporate Performance Management Report Q2 2024/25"
    assert cover.committee == "Executive"
    assert cover.meeting_date == "2 December 2024"
    assert cover.meeting_date_iso == "2024-12-02"
    assert cover.key_decision == "No"
    assert cover.recommendations == (
        "The Executive agrees to review the Council's performance for Quarter 2 2024/25 and "
        "notes the areas of improvement and those requiring focus.",
    )
    assert len(cover.executive_summary) == 3
    assert cover.risks.current[0] == RiskRow(
        description="Decisions are taken on incomplete or out-of-date performance information",
        likelihood="3",
        impact="3",
        score="9",
        band="Medium",
        fill=RiskBand.MEDIUM.fill,
    )
    assert [row.role for row in cover.assurance][:3] == [
        "Governance Board",
        "Executive Director",
        "Monitoring Officer",
    ]
    assert not any("[To be completed" in str(v) for v in template_context(cover).values())


def test_read_report_finds_the_file_through_the_project_paths(tmp_path: Path) -> None:
    project = make_project(tmp_path / "proj")
    (tmp_path / "proj" / "reports").mkdir()
    (tmp_path / "proj" / "reports" / "Q2-2024.toml").write_text(
        'committee = "Cabinet"\n', encoding="utf-8"
    )
    report, findings = read_report(project, Q2)
    assert report["committee"] == "Cabinet"
    assert {f.file for f in findings} == {"reports/Q2-2024.toml"}


def test_every_kind_of_item_is_used_and_every_item_has_one() -> None:
    assert {item.kind for item in ITEMS} == set(Kind)
    assert all(isinstance(item.kind, Kind) for item in ITEMS)


# -- reading -------------------------------------------------------------------------------------


def test_prose_is_split_into_paragraphs_at_blank_lines_and_unwrapped() -> None:
    cover = cover_of({"background": "First line\nwraps here.\n\n  Second paragraph.  \n"})
    assert cover.background == ("First line wraps here.", "Second paragraph.")
    assert cover_of({"background": ["One.", "Two\n\nThree."]}).background == (
        "One.",
        "Two",
        "Three.",
    )


@pytest.mark.parametrize(
    ("raw", "shown"), [(True, "Yes"), (False, "No"), ("yes", "Yes"), ("No", "No")]
)
def test_key_decision_is_yes_or_no(raw, shown) -> None:
    assert cover_of({"key_decision": raw}).key_decision == shown


@pytest.mark.parametrize(
    "raw", [dt.date(2024, 12, 2), "2024-12-02", "2 December 2024", "2 Dec 2024", "02/12/2024"]
)
def test_the_meeting_date_is_read_in_the_usual_forms(raw) -> None:
    assert cover_of({"meeting_date": raw}).meeting_date == "2 December 2024"


def test_an_unknown_item_names_the_key_and_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, 'committee = "Executive"\nexecutive_sumary = "typo"\n')
    with pytest.raises(ConfigError) as caught:
        load_report(path)
    assert caught.value.key == "executive_sumary"
    assert caught.value.file == str(path)
    assert "unknown item" in str(caught.value)


@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"author": {"name": "A", "phone": "1"}}, "author.phone"),
        (
            {
                "risks": {
                    "current": [{"description": "x", "likelihood": 1, "impact": 1, "owner": "y"}]
                }
            },
            "risks.current[1].owner",
        ),
        ({"risks": {"future": []}}, "risks.future"),
        ({"assurance": [{"role": "Monitoring Officer", "signed": True}]}, "assurance[1].signed"),
    ],
)
def test_unknown_keys_inside_tables_are_named(data, key) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_report(data, FILE)
    assert caught.value.key == key


@pytest.mark.parametrize(
    ("data", "key", "words"),
    [
        ({"meeting_date": 5}, "meeting_date", "expected a date"),
        ({"meeting_date": "next Tuesday"}, "meeting_date", "expected a date"),
        ({"committee": 3}, "committee", "expected text"),
        ({"key_decision": "maybe"}, "key_decision", "Yes"),
        ({"recommendations": [1, 2]}, "recommendations", "list of texts"),
        (
            {"risks": {"current": [{"description": "x", "likelihood": 6, "impact": 1}]}},
            "risks.current[1]",
            "likelihood must be a whole number in range 1-5, got 6",
        ),
        (
            {"risks": {"current": [{"description": "x", "likelihood": 2}]}},
            "risks.current[1]",
            "needs impact",
        ),
        ({"assurance": [{"name": "X"}]}, "assurance[1].role", "needs a role"),
    ],
)
def test_wrong_types_and_values_are_configuration_errors(data, key, words) -> None:
    with pytest.raises(ConfigError, match=words) as caught:
        parse_report(data, FILE)
    assert caught.value.key == key


def test_an_invalid_toml_file_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_report(write(tmp_path, 'title = "Q2"\ncommittee = Executive\n'))
    assert caught.value.detail == (
        "line 2 cannot be read at column 13: 'committee = Executive'. Text needs double quotes "
        'around it, typed straight: committee = "Executive".'
    )


# -- placeholders --------------------------------------------------------------------------------


def test_each_missing_item_is_a_visible_placeholder_and_a_warning() -> None:
    data = {k: v for k, v in REPORT.items() if k not in ("executive_summary", "legal", "chair")}
    data["author"] = {"name": "Owen Trelawny", "job_title": "Performance Manager"}
    data["assurance"] = [{"role": "Monitoring Officer", "name": "Priya Lanyon"}]
    report, findings = parse_report(data, FILE, "reports/Q2-2024.toml")
    assert [(f.code, f.severity, f.file, f.value) for f in findings] == [
        ("placeholder", Severity.WARNING, "reports/Q2-2024.toml", "chair"),
        ("placeholder", Severity.WARNING, "reports/Q2-2024.toml", "executive_summary"),
        ("placeholder", Severity.WARNING, "reports/Q2-2024.toml", "author.email"),
        ("placeholder", Severity.WARNING, "reports/Q2-2024.toml", "legal"),
        ("placeholder", Severity.WARNING, "reports/Q2-2024.toml", "assurance[1].date"),
    ]
    assert findings[1].message == (
        'Executive Summary is not filled in, so the paper shows "[To be completed: Executive '
        "Summary]\". Add 'executive_summary' to reports/Q2-2024.toml (see docs/report-file.md), "
        "or complete it in Word."
    )
    cover = make_cover(report, council="C", report_title="R", period=Q2)
    assert cover.chair == "[To be completed: Chair of Committee]"
    assert cover.executive_summary == ("[To be completed: Executive Summary]",)
    assert cover.legal == ("[To be completed: Legal and Procurement Implications]",)
    assert cover.author.email == "[To be completed: report author's email]"
    assert cover.author.telephone == ""  # optional: the template leaves the line out
    assert cover.assurance[0].date == "[To be completed: Monitoring Officer date]"


def test_empty_text_and_empty_lists_count_as_missing() -> None:
    _, findings = parse_report({"committee": "  ", "recommendations": []}, FILE)
    assert {"committee", "recommendations"} <= {f.value for f in findings}


def test_an_empty_file_gives_a_placeholder_for_every_item() -> None:
    report, findings = parse_report({}, FILE)
    # Author: 3 parts; risks: 2 tables; key_issues_list, consulted and figures are optional.
    assert len(findings) == len(ITEMS) - 2 + 3 + 2 - 3
    cover = make_cover(report, council="C", report_title="R", period=Q2)
    assert cover.risks.current[0].description == "[To be completed: Current risk scores]"
    assert cover.risks.current[0].score == "Not scored"
    assert cover.risks.current[0].band == ""  # the paper shows "Not scored" alone
    assert cover.assurance[0].role == "[To be completed: Report assurance]"


def test_a_missing_report_file_is_one_warning_and_every_placeholder(tmp_path: Path) -> None:
    report, findings = load_report(tmp_path / "Q2-2024.toml", "reports/Q2-2024.toml")
    assert [(f.code, f.file) for f in findings] == [("placeholder", "reports/Q2-2024.toml")]
    cover = make_cover(report, council="C", report_title="R", period=Q2)
    assert cover.committee == "[To be completed: Committee]"
    assert cover.meeting_date == "[To be completed: Meeting or Proposed Decision Date]"
    assert cover.meeting_date_iso == ""


# -- risk scores ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("likelihood", "impact", "label"),
    [
        (1, 1, "1 (Low)"),
        (2, 2, "4 (Low)"),
        (1, 5, "5 (Medium)"),
        (2, 5, "10 (Medium)"),
        (3, 4, "12 (High)"),
        (3, 5, "15 (High)"),
        (4, 4, "16 (High)"),
        (4, 5, "20 (Very High)"),
        (5, 5, "25 (Very High)"),
    ],
)
def test_risk_score_is_likelihood_times_impact_with_its_band(likelihood, impact, label) -> None:
    assert RiskScore(likelihood, impact).label == label


def test_every_score_on_the_matrix_has_a_band_and_bands_rise_with_the_score() -> None:
    order = list(RiskBand)
    scores = sorted({a * b for a, b in itertools.product(range(1, 6), repeat=2)})
    ranks = [order.index(RiskBand.for_score(s)) for s in scores]
    assert ranks == sorted(ranks)
    assert set(ranks) == {0, 1, 2, 3}


@pytest.mark.parametrize(("likelihood", "impact"), [(0, 3), (6, 1), (True, 2), (2.5, 2)])
def test_raises_on_scores_off_the_matrix(likelihood, impact) -> None:
    with pytest.raises(ValueError, match="must be a whole number in range 1-5"):
        RiskScore(likelihood, impact)
