"""A figure for an earlier period (Period of data, In arrears) is named and rated by that period."""

from __future__ import annotations

from pathlib import Path

import pytest
from ratingfactory import Quarters, empty_project
from returnfactory import write_return

from perfreport.build import summarise_period
from perfreport.core.model import (
    RAG,
    Catalogue,
    CellRef,
    DataStatus,
    Frequency,
    Indicator,
    Observation,
    Polarity,
    YearTarget,
)
from perfreport.core.periods import Period
from perfreport.inputs.returns import read_return
from perfreport.paper.context import indicator_row
from perfreport.publish.export import dataset_document

Q4_2024, Q1_2025, Q2_2025 = Period(2024, 4), Period(2025, 1), Period(2025, 2)
Q4_2023, Q1_2024, Q2_2024 = Period(2023, 4), Period(2024, 1), Period(2024, 2)


def quarterly(ref: str) -> Indicator:
    return Indicator(
        ref,
        f"Household waste recycled ({ref})",
        "greener",
        "Waste",
        Polarity.HIGHER,
        unit="%",
        decimals=1,
        target=55.0,
    )


def annual(ref: str) -> Indicator:
    return Indicator(
        ref,
        f"Library visits per 1,000 residents ({ref})",
        "greener",
        "Waste",
        Polarity.HIGHER,
        frequency=Frequency.ANNUAL,
        due=(1,),  # last year's outturn arrives in Q1
    )


CATALOGUE = Catalogue(
    (*(quarterly(f"WST-0{n}") for n in range(1, 7)), annual("LIB-09"), annual("LIB-10")),
    (
        YearTarget("LIB-09", 2024, 100.0),
        YearTarget("LIB-09", 2025, 110.0),
        YearTarget("LIB-10", 2024, 100.0),
        YearTarget("LIB-10", 2025, 110.0),
    ),
)
HEADINGS = ("Ref", "Value", "Data status", "Period of data", "Target")


def read(tmp_path: Path, rows: list[dict], period: Period = Q1_2025):
    path = write_return(
        tmp_path / "waste.xlsx",
        rows,
        headings=HEADINGS,
        metadata={"Service": "Waste", "Period": period.label},
    )
    result, findings = read_return(path, CATALOGUE, period=period, display_name="waste.xlsx")
    assert result is not None
    return {o.ref: o for o in result.observations}, findings


# -- reading -----------------------------------------------------------------------------------


def test_a_return_says_which_period_a_figure_is_for(tmp_path: Path) -> None:
    observations, findings = read(
        tmp_path,
        [
            {"Ref": "WST-01", "Value": 52, "Period of data": "Q4 2024/25"},
            {"Ref": "WST-02", "Value": 52, "Data status": "In arrears"},
            {"Ref": "WST-03", "Value": 52, "Period of data": "Q1 2025/26"},  # its own: as blank
            {"Ref": "WST-04", "Value": 52},
            # The form's Target column shows 2025/26's target: no target-mismatch beside it.
            {"Ref": "LIB-09", "Value": 104, "Period of data": "2024/25", "Target": 110},
            {"Ref": "LIB-10", "Value": 104, "Data status": "In arrears"},
        ],
    )
    assert findings == ()
    assert {ref: o.data_period for ref, o in observations.items()} == {
        "WST-01": Q4_2024,
        "WST-02": Q4_2024,  # in arrears: last quarter's figure
        "WST-03": None,
        "WST-04": None,
        "LIB-09": Q4_2024,  # the year's outturn
        "LIB-10": Q1_2024,  # in arrears: the figure due last year, for 2024/25
    }
    assert observations["WST-02"].data_status is DataStatus.IN_ARREARS


def test_a_period_of_data_that_cannot_be_used_says_what_to_type(tmp_path: Path) -> None:
    observations, findings = read(
        tmp_path,
        [
            {"Ref": "WST-01", "Value": 52, "Period of data": "last quarter"},
            {"Ref": "WST-02", "Value": 52, "Period of data": "Q2 2025/26"},
            {"Ref": "WST-03", "Value": 52, "Period of data": "2024/25"},
            {"Ref": "WST-04", "Value": 52, "Period of data": "Q1 2022/23"},
            {"Ref": "LIB-09", "Value": 104, "Period of data": "2026/27"},
            {
                "Ref": "LIB-10",
                "Value": 104,
                "Data status": "In arrears",
                "Period of data": "Q1-2025",
            },
        ],
    )
    assert [(f.code, f.severity, f.file, f.sheet, f.cell, f.ref) for f in findings] == [
        ("bad-data-period", "error", "waste.xlsx", "Return", f"D{row}", ref)
        for row, ref in zip(
            range(9, 15), ("WST-01", "WST-02", "WST-03", "WST-04", "LIB-09", "LIB-10"), strict=True
        )
    ]
    blank = "or leave it blank if the figure is for Q1 2025/26."
    assert [f.message for f in findings] == [
        "Cell D9: the Period of data 'last quarter' is not a period. Write the period the figure "
        f"is for, like Q4 2024/25, {blank}",  # the quarter before the return's
        "Cell D10: the Period of data Q2 2025/26 is after this return's period, Q1 2025/26. "
        f"Write the earlier period the figure is for, {blank}",
        "Cell D11: the Period of data 2024/25 is a year, but WST-03 is quarterly. Write the "
        f"quarter the figure is for, like Q4 2024/25, {blank}",
        "Cell D12: the Period of data Q1 2022/23 is more than two years before Q1 2025/26. "
        f"Check the year, {blank}",
        "Cell D13: the Period of data 2026/27 is after this return's period, Q1 2025/26. "
        f"Write the earlier period the figure is for, {blank}",
        "Cell D14: the Data status is In arrears, but the Period of data is Q1 2025/26. Write "
        "the earlier period the figure is for, or change the Data status.",
    ]
    # Each figure is then taken as the return's own (and validate's error blocks the paper).
    assert {o.data_period for o in observations.values()} == {None}


# -- rating and the paper ----------------------------------------------------------------------


def observed(ref: str, value: float, **more) -> Observation:
    return Observation(ref, value, source=CellRef("returns/waste.xlsx", "Return", "B9"), **more)


@pytest.fixture
def project(tmp_path: Path):
    return empty_project(tmp_path / "council")


@pytest.mark.parametrize(
    "observation",
    [
        observed("LIB-09", 104, data_period=Q4_2024),  # Period of data 2024/25
        observed("LIB-09", 104, data_period=Q1_2024, data_status=DataStatus.IN_ARREARS),
    ],
)
def test_last_years_outturn_returned_in_q1_is_named_and_rated_as_2024_25s(
    project, observation
) -> None:
    """Q2 2025/26's paper: "104 (2024/25 outturn)", against 2024/25's target of 100 (Green),
    never "104 (2025/26 outturn)" against 2025/26's 110 (Red)."""
    reader = Quarters(project, {Q1_2025: {"LIB-09": observation}, Q2_2025: {}}, CATALOGUE)
    for period in (Q1_2025, Q2_2025):
        summary = summarise_period(project, period, reader=reader)
        (row,) = [r for r in summary.indicators if r.ref == "LIB-09"]
        assert row.value_text == "104 (2024/25 outturn)"
        assert (row.target_text, row.rag) == ("100 for 2024/25", RAG.GREEN)  # its year's
        assert row.current.value_period.fy_label == "2024/25"
    assert row.current.reason == (
        "Not due (annual, Q1): 2024/25 outturn carried forward. 104 (2024/25 outturn) against "
        "target 100: Green"
    )


def test_waste_data_a_quarter_late_is_named_by_its_quarter(project) -> None:
    late = observed("WST-01", 52.0, data_status=DataStatus.IN_ARREARS, data_period=Q1_2024)
    quarters = {
        Q1_2024: {"WST-01": observed("WST-01", 49.0, data_period=Q4_2023)},
        Q2_2024: {"WST-01": late},
    }
    catalogue = Catalogue(
        (quarterly("WST-01"),), (YearTarget("WST-01", 2023, 50.0), YearTarget("WST-01", 2024, 55.0))
    )
    summary = summarise_period(project, Q2_2024, reader=Quarters(project, quarters, catalogue))
    (row,) = summary.indicators
    assert (row.value_text, row.previous_text) == (
        "52.0% (Q1 2024/25 figure)",
        "49.0% (Q4 2023/24 figure)",
    )
    assert row.current.reason == (
        "52.0% (Q1 2024/25 figure) against target 55.0%: Red (Amber from 52.3%)"
    )
    assert indicator_row(row).commentary == (
        "The figure shown is the Q1 2024/25 figure.\nData status: In arrears."
    )
    (record,) = dataset_document(summary)["indicators"]
    assert (record["value_period"], record["value_label"], record["status"]) == (
        "Q1-2024",
        "Q1 2024/25 figure",
        "reported",
    )
    # Q4 2023/24's figure, returned in Q1, is rated against 2023/24's target of 50: Amber.
    assert summary.indicators[0].previous.reason == (
        "49.0% (Q4 2023/24 figure) against target 50.0%: Amber (Amber from 47.5%)"
    )
