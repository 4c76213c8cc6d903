"""Quarters of returns held in memory, for summary tests that need no workbooks."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType

from projectfactory import write_config

from perfreport.core.findings import Finding
from perfreport.core.model import (
    Catalogue,
    CellRef,
    Dataset,
    Frequency,
    Indicator,
    Observation,
    PeriodRead,
    Polarity,
)
from perfreport.core.periods import Period
from perfreport.core.project import Project, load_project

Q2_2023, Q3_2023, Q4_2023 = Period(2023, 2), Period(2023, 3), Period(2023, 4)
Q1, Q2 = Period(2024, 1), Period(2024, 2)

CATALOGUE = Catalogue(
    (
        Indicator(
            "WR-01",
            "Household waste recycled",
            "greener",
            "Waste",
            Polarity.HIGHER,
            unit="%",
            decimals=1,
            target=55.0,
        ),
        Indicator(
            "WR-02",
            "Missed bin collections per 100,000",
            "greener",
            "Waste",
            Polarity.LOWER,
            target=80.0,
        ),
        Indicator(
            "ASC-01",
            "Adults receiving direct payments",
            "healthy",
            "Adult Social Care",
            Polarity.HIGHER,
            unit="%",
            decimals=1,
            target=30.0,
        ),
        Indicator(
            "ASC-02",
            "Adults satisfied with their care",
            "healthy",
            "Adult Social Care",
            Polarity.HIGHER,
            unit="%",
            decimals=1,
            frequency=Frequency.ANNUAL,
            due=(4,),
            target=60.0,
        ),
        Indicator(
            "ASC-03",
            "Adults in residential care",
            "healthy",
            "Adult Social Care",
            Polarity.NONE,
            rated=False,
        ),
    )
)

Values = Mapping[str, float | None | Observation]


def observation(ref: str, value: float | None | Observation) -> Observation:
    if isinstance(value, Observation):
        return value
    return Observation(ref, value, source=CellRef(f"returns/{ref}.xlsx", "Return", "C9"))


class Quarters:
    """A reader over quarters given as {period: {ref: value}}; each period read is counted."""

    def __init__(
        self,
        project: Project,
        quarters: Mapping[Period, Values],
        catalogue: Catalogue = CATALOGUE,
        findings: Mapping[Period, tuple[Finding, ...]] | None = None,
    ):
        self.quarters = quarters
        self.catalogue = catalogue
        self.findings = findings or {}
        self.reads: list[Period] = []
        for period in quarters:
            project.returns_dir(period).mkdir(parents=True, exist_ok=True)

    def __call__(self, project: Project, period: Period) -> PeriodRead:
        self.reads.append(period)
        values = self.quarters.get(period, {})
        observations = {ref: observation(ref, v) for ref, v in values.items()}
        dataset = Dataset(period, self.catalogue, (), MappingProxyType(observations))
        return PeriodRead(dataset, self.findings.get(period, ()))


def empty_project(root: Path) -> Project:
    write_config(root)
    return load_project(root)


def _with_commentary(ref: str, value: float, text: str) -> Observation:
    return Observation(
        ref, value, commentary=text, source=CellRef(f"returns/{ref}.xlsx", "Return", "C9")
    )


# Four quarters of a small council: WR-01 Red twice, WR-02 falls to Red, ASC-01 recovers to
# Green, ASC-02 is annual (due in Q4) and ASC-03 a context measure.
QUARTERS: dict[Period, Values] = {
    Q2_2023: {"WR-01": 54.0, "WR-02": 85, "ASC-01": 25.0, "ASC-03": 110},
    Q4_2023: {"WR-01": 56.0, "WR-02": 75, "ASC-01": 30.0, "ASC-02": 65.0, "ASC-03": 90},
    Q1: {"WR-01": 50.0, "WR-02": 70, "ASC-01": 29.0, "ASC-03": 100},
    Q2: {"WR-01": 50.0, "WR-02": 90, "ASC-01": 31.0, "ASC-03": 120},
}

# The same, with commentary a spreadsheet could take for a formula and a negative figure.
QUARTERS_WITH_TEXT: dict[Period, Values] = {
    **QUARTERS,
    Q2: {
        "WR-01": _with_commentary("WR-01", 50.0, '=HYPERLINK("http://x")'),
        "WR-02": _with_commentary("WR-02", 90, "+44 1234"),
        "ASC-01": _with_commentary("ASC-01", 31.0, "-5 below plan"),
        "ASC-03": _with_commentary("ASC-03", -3.5, "@SUM(A1)"),
    },
}
