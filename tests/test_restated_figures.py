"""One figure per period: two sources that give different figures for the same indicator and
period (an imported history, an earlier quarter's return, a later return restating it). The later
report is used everywhere, with a figure-restated warning naming both; the year's direction
never compares a figure with another figure for the same period (docs/rating.md, section 7)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from projectfactory import make_project
from ratingfactory import CATALOGUE, Q1, Q2, QUARTERS, Quarters, empty_project
from returnfactory import write_return

from perfreport.build import import_history, summarise_period
from perfreport.core.model import CellRef, DataStatus, Observation
from perfreport.core.periods import Period
from perfreport.core.project import Project
from perfreport.rating.rules import Direction
from perfreport.summary.summary import Summary

TODAY = dt.date(2024, 11, 1)
Q1_2023 = Period(2023, 1)
# An annual measure due in Q1, whose Q1 return gives the year before's outturn (offer day is in
# March), beside a quarterly one of the same service so that every quarter has a return.
INDICATORS = (
    {
        "ref": "CS-16",
        "title": "Pupils offered their first preference secondary school",
        "priority": "greener",
        "service": "Children",
        "unit": "%",
        "polarity": "higher",
        "frequency": "annual",
        "due": "Q1",
        "target": 85,
    },
    {
        "ref": "CS-01",
        "title": "Children's social care assessments in time",
        "priority": "greener",
        "service": "Children",
        "unit": "%",
        "polarity": "higher",
        "target": 85,
    },
)
RETURN = "returns/Q1-2024/children.xlsx"


def _return(project: Project, period: Period, cs16: tuple[float, str] | None) -> None:
    rows = [{"Ref": "CS-01", "Measure": "Assessments", "Value": 86.0}]
    if cs16 is not None:
        value, data_period = cs16
        rows.insert(0, {"Ref": "CS-16", "Measure": "Offers", "Value": value,
                        "Period of data": data_period})  # fmt: skip
    write_return(
        project.returns_dir(period) / "children.xlsx",
        rows,
        headings=("Ref", "Measure", "Value", "Period of data"),
        metadata={"Service": "Children", "Period": period.label},
    )


def _project(tmp_path: Path, past: str) -> tuple[Project, Summary]:
    """Q1 2024/25's return gives CS-16's 2023/24 outturn, 88.7%; ``past`` the imported CSV."""
    project = make_project(tmp_path / "council", INDICATORS)
    csv = project.root / "history" / "past.csv"
    csv.parent.mkdir(parents=True)
    csv.write_text(past, encoding="utf-8")
    result = import_history(project, csv, today=TODAY)
    assert result.stored and result.findings == (), result.findings
    _return(project, Q1, (88.7, "2023/24"))
    _return(project, Q2, None)
    return project, summarise_period(project, Q2)


# The clash: the history says 89.6% is 2023/24's (imported as reported in Q1 2023/24, the year
# it names), and Q1 2024/25's return says 88.7% is.
CLASHING = (
    "Ref,Period,Value\n"
    "CS-16,2021/22,90.5\n"
    "CS-16,2022/23,89.8\n"
    "CS-16,2023/24,89.6\n"
    "CS-01,Q2 2023/24,84.0\n"
)


def test_two_figures_for_one_period_give_a_warning_naming_both(tmp_path: Path) -> None:
    _, summary = _project(tmp_path, CLASHING)
    found = [f for f in summary.findings if f.code == "figure-restated"]
    assert [(f.severity.value, f.file, f.sheet, f.cell, f.ref, f.value) for f in found] == [
        ("warning", RETURN, "Return", "C9", "CS-16", "88.7%")
    ]
    assert found[0].message == (
        "CS-16 has two figures for 2023/24: 88.7% from returns/Q1-2024/children.xlsx, sheet "
        "Return, cell C9 (Q1 2024/25), and 89.6% from history/past.csv, cell C4 (Q1 2023/24, "
        "imported). The later, 88.7%, is used wherever the paper and the dataset show the "
        "2023/24 figure (Appendix A, the direction of travel, the trend), as a restatement. "
        "Check which is right and correct the other source so that the two agree (a file of "
        "past figures: correct it and import it again with perfreport history import)."
    )
    assert found[0] in summary.own_findings


def test_the_later_figure_is_the_one_shown_for_its_period_everywhere(tmp_path: Path) -> None:
    _, summary = _project(tmp_path, CLASHING)
    row = summary.row("CS-16")
    assert row is not None
    # This quarter, last quarter and the same quarter last year all show 2023/24's figure: one.
    assert (row.value_text, row.previous_text, row.last_year_text) == (
        "88.7% (2023/24 outturn)",
        "88.7% (2023/24 outturn)",
        "88.7% (2023/24 outturn)",
    )
    trend = summary.trends["CS-16"]
    assert [(p.label, p.value, p.current) for p in trend.figures] == [
        ("2021/22", 90.5, False),
        ("2022/23", 89.8, False),
        ("2023/24", 88.7, True),
    ]
    assert trend.text.startswith("Trend, 2021/22 to 2023/24: 90.5% to 88.7%, worsening")


def test_the_year_s_direction_never_compares_a_period_with_itself(tmp_path: Path) -> None:
    _, summary = _project(tmp_path, CLASHING)
    row = summary.row("CS-16")
    assert row is not None
    assert row.last_year is not None and row.last_year.value_label == "2023/24 outturn"
    assert row.direction_long is Direction.NOT_COMPARABLE
    assert row.direction_short is Direction.NO_CHANGE  # the same outturn as last quarter


def test_a_period_of_data_in_the_history_names_the_year_the_outturn_is_for(
    tmp_path: Path,
) -> None:
    """The history as it should be: what Q1 2023/24 reported was the 2022/23 outturn."""
    past = (
        "Ref,Period,Period of data,Value\n"
        "CS-16,Q1 2022/23,2021/22,90.5\n"
        "CS-16,Q1 2023/24,2022/23,89.6\n"
        "CS-01,Q2 2023/24,,84.0\n"
    )
    project, summary = _project(tmp_path, past)
    assert [f.code for f in summary.findings if f.code == "figure-restated"] == []
    row = summary.row("CS-16")
    assert row is not None
    assert (row.value_text, row.last_year_text) == (
        "88.7% (2023/24 outturn)",
        "89.6% (2022/23 outturn)",
    )
    assert row.direction_long is Direction.WORSENING  # 2023/24 against 2022/23
    trend = summary.trends["CS-16"]
    assert [(p.label, p.value, p.current) for p in trend.figures] == [
        ("2021/22", 90.5, False),
        ("2022/23", 89.6, False),
        ("2023/24", 88.7, True),
    ]
    stored = (project.history_dir(Q1_2023) / "dataset.json").read_text("utf-8")
    assert '"value_period": "Q4-2022"' in stored and '"2022/23 outturn"' in stored


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("soon", "the Period of data 'soon' is not a quarter or a financial year"),
        ("2024/25", "the Period of data 2024/25 is after the period, Q1 2023/24"),
    ],
)
def test_a_period_of_data_that_cannot_be_used_is_refused(
    tmp_path: Path, text: str, problem: str
) -> None:
    project = make_project(tmp_path / "council", INDICATORS)
    csv = project.root / "past.csv"
    csv.write_text(f"Ref,Period,Period of data,Value\nCS-16,Q1 2023/24,{text},89.6\n", "utf-8")
    result = import_history(project, csv, today=TODAY)
    assert not result.stored
    assert [(f.code, f.cell, f.message) for f in result.findings] == [
        (
            "history-bad-period",
            "C2",
            f"Cell C2: {problem}. Give the earlier period the figure is for (Q4 2022/23, or "
            "2022/23 for an annual measure), or leave Period of data blank when it is for the "
            "period it was reported in.",
        )
    ]


def test_a_quarter_restated_by_a_later_return_is_shown_once(tmp_path: Path) -> None:
    """A quarterly figure: Q2's return restates Q1's (Period of data Q1), 48.0 for 50.0."""
    project = empty_project(tmp_path / "council")
    restated = Observation(
        "WR-01",
        48.0,
        data_status=DataStatus.IN_ARREARS,
        data_period=Q1,
        source=CellRef("returns/Q2-2024/waste.xlsx", "Return", "C9"),
    )
    quarters = {**QUARTERS, Q2: {**QUARTERS[Q2], "WR-01": restated}}
    summary = summarise_period(project, Q2, reader=Quarters(project, quarters, CATALOGUE))
    row = summary.row("WR-01")
    assert row is not None
    assert (row.value_text, row.previous_text) == ("48.0% (Q1 2024/25 figure)", "48.0%")
    assert row.direction_short is Direction.NO_CHANGE
    figures = [(p.label, p.value) for p in summary.trends["WR-01"].figures]
    assert figures[-2:] == [("Q4 2023/24", 56.0), ("Q1 2024/25", 48.0)]
    found = [f for f in summary.findings if f.code == "figure-restated"]
    assert [(f.file, f.cell, f.ref) for f in found] == [
        ("returns/Q2-2024/waste.xlsx", "C9", "WR-01")
    ]
    assert found[0].message.startswith(
        "WR-01 has two figures for Q1 2024/25: 48.0% from returns/Q2-2024/waste.xlsx, sheet "
        "Return, cell C9 (Q2 2024/25), and 50.0% from returns/WR-01.xlsx, sheet Return, cell C9 "
        "(Q1 2024/25)."
    )
