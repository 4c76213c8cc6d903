"""A Period of data naming a quarter in which the measure is not due: kept, with a warning."""

from __future__ import annotations

from pathlib import Path

from returnfactory import write_return

from perfreport.core.model import Catalogue, Frequency, Indicator, Polarity
from perfreport.core.periods import Period
from perfreport.inputs.returns import read_return

Q1_2025, Q2_2025 = Period(2025, 1), Period(2025, 2)
HEADINGS = ("Ref", "Value", "Data status", "Period of data")


def _indicator(ref: str, frequency: Frequency, due: tuple[int, ...]) -> Indicator:
    return Indicator(
        ref, f"Measure {ref}", "greener", "Waste", Polarity.HIGHER, frequency=frequency, due=due
    )


CATALOGUE = Catalogue(
    (
        _indicator("WST-01", Frequency.QUARTERLY, (1, 2, 3, 4)),
        _indicator("HY-01", Frequency.HALF_YEARLY, (2, 4)),
        _indicator("HY-02", Frequency.HALF_YEARLY, (2, 4)),
        _indicator("LIB-09", Frequency.ANNUAL, (1,)),  # last year's outturn arrives in Q1
        _indicator("LIB-10", Frequency.ANNUAL, (1,)),
        _indicator("LIB-11", Frequency.ANNUAL, (1,)),
        _indicator("LIB-12", Frequency.ANNUAL, (1,)),
    ),
)


def read(tmp_path: Path, rows: list[dict], period: Period):
    path = write_return(
        tmp_path / f"waste-{period.key}.xlsx",
        rows,
        headings=HEADINGS,
        metadata={"Service": "Waste", "Period": period.label},
    )
    result, findings = read_return(path, CATALOGUE, period=period, display_name="waste.xlsx")
    assert result is not None
    return {o.ref: o.data_period for o in result.observations}, findings


def test_a_half_yearly_figure_said_to_be_for_a_quarter_it_is_not_due_in_is_a_warning(
    tmp_path: Path,
) -> None:
    periods, findings = read(
        tmp_path,
        [
            {"Ref": "WST-01", "Value": 52, "Period of data": "Q1 2025/26"},  # quarterly: due
            {"Ref": "HY-01", "Value": 52, "Period of data": "Q1 2025/26"},  # not due in Q1
            {"Ref": "HY-02", "Value": 52, "Period of data": "Q4 2024/25"},  # due then
        ],
        Q2_2025,
    )
    assert [(f.code, f.severity, f.file, f.sheet, f.cell, f.ref, f.value) for f in findings] == [
        ("data-period-not-due", "warning", "waste.xlsx", "Return", "D10", "HY-01", "Q1 2025/26")
    ]
    assert findings[0].message == (
        "Cell D10: the Period of data Q1 2025/26 is a quarter in which HY-01 is not due (it is "
        "half-yearly, due in Q2 and Q4). Check the quarter: write the one the figure is for, "
        "like Q4 2024/25, or leave it blank if the figure is for Q2 2025/26."
    )
    # The figure is kept, for the quarter the return names (a warning, not an error).
    assert periods == {
        "WST-01": Period(2025, 1),
        "HY-01": Period(2025, 1),
        "HY-02": Period(2024, 4),
    }


def test_an_annual_figure_may_name_its_year_its_q4_or_its_due_quarter_but_not_another(
    tmp_path: Path,
) -> None:
    periods, findings = read(
        tmp_path,
        [
            {"Ref": "LIB-09", "Value": 104, "Period of data": "2024/25"},  # the year: its Q4
            {"Ref": "LIB-10", "Value": 104, "Period of data": "Q4 2024/25"},  # the year's end
            {"Ref": "LIB-11", "Value": 104, "Period of data": "Q1 2024/25"},  # its due quarter
            {"Ref": "LIB-12", "Value": 104, "Period of data": "Q3 2024/25"},
        ],
        Q1_2025,
    )
    assert [(f.code, f.cell, f.ref) for f in findings] == [("data-period-not-due", "D12", "LIB-12")]
    assert findings[0].message == (
        "Cell D12: the Period of data Q3 2024/25 is a quarter in which LIB-12 is not due (it is "
        "annual, due in Q1). Check the quarter: write the one the figure is for, like 2024/25, "
        "or leave it blank if the figure is for Q1 2025/26."
    )
    assert periods["LIB-12"] == Period(2024, 3)
