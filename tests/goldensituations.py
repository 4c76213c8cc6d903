"""Situations for the golden message test that the examples and the corpus lack, built in code.

Each maker builds a small project under the folder it is given and returns its scenarios (see
tests/messagecapture.py). The return and workbook cases of tests/test_returns.py and
tests/test_workbook.py are reused, each file validated on its own.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from projectfactory import (
    HEADINGS,
    INDICATORS,
    PRIORITIES,
    catalogue_rows,
    make_project,
    write_catalogue,
    write_config,
    write_return,
)
from returnfactory import CATALOGUE, METADATA
from returnfactory import write_return as write_workbook

from perfreport.core.project import LimitSettings

Scenario = dict[str, object]
Q2 = "Q2-2024"

# The indicators of the filled-in hostile returns, as tests/corpusread.py has them.
CORPUS_INDICATORS = (
    {
        "ref": "ASC-01",
        "title": "Adults reviewed within 12 months",
        "priority": "healthy",
        "service": "Adult Social Care",
        "unit": "%",
        "decimals": 1,
        "polarity": "higher",
        "target": 85,
    },
    {
        "ref": "ASC-02",
        "title": "People in long-term residential care",
        "priority": "healthy",
        "service": "Adult Social Care",
        "unit": "number",
        "polarity": "lower",
        "target": 120,
    },
)


def corpus_project(root: Path) -> Path:
    make_project(root, CORPUS_INDICATORS)
    return root


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


def _loose(project: Path, files: list[str], period: str | None = Q2, **extra: object) -> Scenario:
    return {"project": str(project), "period": period, "files": files, **extra}


def _factory_catalogue(root: Path) -> None:
    """tests/returnfactory.py's CATALOGUE (with its 2024/25 target for ASC-02) on disk."""
    rows = catalogue_rows(CATALOGUE)
    targets = [
        {"ref": t.ref, "year": f"{t.year}/{(t.year + 1) % 100:02d}", "target": t.target}
        for t in CATALOGUE.targets
    ]
    write_config(
        root,
        priorities=(*PRIORITIES, ("fairer", "A fairer Somerset")),
        extra="[validation]\ncommentary_word_limit = 5\n",
    )
    write_catalogue(root / "catalogue.xlsx", rows, targets=targets)


def return_cases(root: Path) -> dict[str, Scenario]:
    """Each case of tests/test_returns.py, read as a loose file for Q2 2024/25."""
    import test_returns

    _factory_catalogue(root)
    scenarios = {}
    period_column = {"headings": test_returns.with_columns("Period")}
    extra = (
        test_returns.Case(
            "a row whose period is not a period",
            ({"Ref": "ASC-01", "Value": 86.5, "Period": "soon"},),
            (),
            period_column,
        ),
    )
    for case in (*test_returns.CASES, *extra):
        name = f"cases/{_slug(case.name)}.xlsx"
        write_workbook(root / name, case.rows, **case.layout)
        scenarios[f"return: {case.name}"] = _loose(root, [name])
    return scenarios


# Its message names a compression ratio, which depends on the zlib that made the file here (the
# hostile zip-bomb.xlsx, stored as bytes, gives the same message reliably).
COMPRESSION_DEPENDENT = {"a zip bomb"}


def workbook_cases(root: Path) -> dict[str, Scenario]:
    """Each file of tests/test_workbook.py, read as a loose file, with the case's limits."""
    import test_workbook

    # A CSV catalogue: the cases' limits would stop a catalogue workbook being read too.
    make_project(root, CORPUS_INDICATORS, catalogue="catalogue.csv")
    (root / "cases").mkdir()
    default = LimitSettings()
    scenarios = {}
    for case in test_workbook.CASES:
        if case.name in COMPRESSION_DEPENDENT:
            continue
        name = f"cases/{_slug(case.name)}.xlsx"
        (root / name).write_bytes(case.make())
        limits = {
            f.name: getattr(case.limits, f.name)
            for f in dataclasses.fields(LimitSettings)
            if getattr(case.limits, f.name) != getattr(default, f.name)
        }
        scenarios[f"workbook: {case.name}"] = _loose(root, [name], limits=limits)
    sheets = {
        "a sheet that cannot be parsed": (
            test_workbook.with_sheet('<row r="1"><c r="A1" t="s"><v>999</v></c></row>'),
            {},
        ),
        "a sheet with more cells than allowed": (
            test_workbook.with_sheet(
                "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 60))
            ),
            {"max_sheet_cells": 100},
        ),
    }
    for case_name, (data, limits) in sheets.items():
        name = f"cases/{_slug(case_name)}.xlsx"
        (root / name).write_bytes(data)
        scenarios[f"workbook: {case_name}"] = _loose(root, [name], limits=limits)
    # Paths that cannot be opened as a file at all.
    (root / "cases" / "a-folder.xlsx").mkdir()
    scenarios["workbook: a folder named like a workbook"] = _loose(root, ["cases/a-folder.xlsx"])
    scenarios["workbook: a file that is not there"] = _loose(root, ["cases/gone.xlsx"])
    return scenarios


def _indicator(
    ref: str, title: str, service: str, polarity: str = "higher", **more: object
) -> dict[str, object]:
    return {
        "ref": ref,
        "title": title,
        "priority": "healthy",
        "service": service,
        "unit": "number",
        "polarity": polarity,
        **more,
    }


# Besides tests/projectfactory.py's INDICATORS: services with nothing returned (one indicator
# due, and two), and an indicator with no target.
MORE_INDICATORS = (
    _indicator("HSG-01", "Homes built", "Housing", target=100),
    _indicator("HW-01", "Roads resurfaced", "Highways", target=40),
    _indicator("HW-02", "Potholes filled", "Highways", target=900),
    _indicator("WR-03", "Fly-tipping reports", "Waste", "none"),
)


def period_read(root: Path) -> dict[str, Scenario]:
    """A period with returns that overlap, services that sent nothing, an unreadable file and
    a file that is not a spreadsheet, and a report file only partly filled in."""
    make_project(root, (*INDICATORS, *MORE_INDICATORS))
    folder = root / "returns" / Q2
    write_return(
        folder / "adults.xlsx",
        [{"Ref": "ASC-01", "Value": 31}, {"Ref": "WR-01", "Value": 50}],
        service="Adult Social Care",
        period=Q2,
    )
    write_workbook(
        folder / "waste.xlsx",
        [
            {"Ref": "WR-01", "Value": 52, "Target": 60},
            {"Ref": "WR-03", "Value": 12, "Target": "about 10"},
            {"Measure": "a row with no ref", "Value": 7},
        ],
        metadata={"Service": "Waste", "Period": "Q2 2024/25"},
    )
    (folder / "broken.xlsx").write_bytes(b"")
    (folder / "notes.txt").write_text("figures to follow\n", encoding="utf-8")
    (root / "reports").mkdir()
    (root / "reports" / f"{Q2}.toml").write_text(
        'committee = "Cabinet"\nexecutive_summary = "All well."\n'
        '[author]\nname = "Jo Bloggs"\n'
        '[[assurance]]\nrole = "Finance"\nname = "A. Person"\n',
        encoding="utf-8",
    )
    scenarios = {"period: overlapping returns and missing ones": _period(root, Q2)}
    # A period with no returns folder and no report file.
    scenarios["period: no returns folder, no report file"] = _period(root, "Q3-2024")
    # A loose file whose period cannot be told (no Period cell, folder not named as a period).
    write_return(
        root / "incoming" / "adults.xlsx",
        [{"Ref": "ASC-01", "Value": 31}],
        service="Adult Social Care",
    )
    scenarios["loose: no period anywhere"] = _loose(root, ["incoming/adults.xlsx"], None)
    return scenarios


def _period(root: Path, period: str) -> Scenario:
    return {"project": str(root), "period": period, "files": None}


def many_services(root: Path) -> dict[str, Scenario]:
    """A return naming a service not in a catalogue of seven services."""
    services = ("Adults", "Children", "Housing", "Highways", "Libraries", "Parks", "Waste")
    indicators = [
        _indicator(f"S-{n}", f"Measure {n}", service, target=10)
        for n, service in enumerate(services, start=1)
    ]
    make_project(root, indicators)
    write_workbook(
        root / "returns" / Q2 / "leisure.xlsx",
        [{"Ref": "S-6", "Value": 9}],
        metadata={**METADATA, "Service": "Leisure"},
    )
    return {
        "loose: a service not in a long catalogue": _loose(root, [f"returns/{Q2}/leisure.xlsx"])
    }


BAD_INDICATORS = (
    {
        "title": "A row with no ref",
        "priority": "healthy",
        "service": "Adults",
        "polarity": "higher",
    },
    {"ref": "C-01"},
    _indicator("C-02", "Fine", "Adults", target=50),
    _indicator("c-02", "Again", "Adults"),
    _indicator(
        "C-03",
        "Unknown priority",
        "Adults",
        "upwards",
        priority="Healthy Somerset",
        frequency="weekly",
        rated="maybe",
    ),
    _indicator(
        "C-04", "Quarterly with due", "Adults", frequency="quarterly", due="Q2", target="about 80"
    ),
    _indicator(
        "C-05", "Annual twice", "Adults", frequency="annual", due="Q2,Q4", decimals="x", unit="%"
    ),
    _indicator(
        "C-06",
        "Half-yearly once",
        "Adults",
        "lower",
        frequency="half-yearly",
        due="Q2",
        decimals=9,
        target=10,
        amber=5,
    ),
    _indicator(
        "C-07",
        "Bad due",
        "Adults",
        due="March",
        unit="%",
        target=0.85,
        amber=0.9,
        **{"comparable from": "last year"},
    ),
    _indicator("C-08", "Rated, no target", "Adults", rated="yes"),
    _indicator("C-09", "Rated, no polarity", "Adults", "none", rated="yes", target=5),
)
BAD_TARGETS = (
    {"ref": "C-99", "year": "2024/25", "target": 1},
    {"ref": "C-02", "year": "24", "target": 1},
    {"ref": "C-02", "year": "2024/25", "target": 40, "amber": 45},
    {"ref": "C-02", "year": "2024/25", "target": 41},
    {"ref": "C-06", "year": "2025/26", "target": "lots"},
)


def catalogue_problems(root: Path) -> dict[str, Scenario]:
    """Catalogues with a problem in every column, a Targets sheet lacking a column, and none."""
    headings = [*HEADINGS, "notes", "target"]  # an unknown column, and a second Target
    write_config(root / "rows")
    # Every row has a definition but C-01's, the definition column's problem.
    rows = [
        r if r.get("ref") in (None, "C-01") else {"definition": f"What {r['ref']} counts.", **r}
        for r in BAD_INDICATORS
    ]
    write_catalogue(root / "rows" / "catalogue.xlsx", rows, targets=BAD_TARGETS, headings=headings)
    write_config(root / "targets")
    write_catalogue(
        root / "targets" / "catalogue.xlsx", INDICATORS, targets=[{"ref": "WR-01", "target": 50}]
    )
    write_config(root / "empty")
    write_catalogue(root / "empty" / "catalogue.xlsx", (), headings=list(HEADINGS))
    return {f"catalogue: {name}": _period(root / name, Q2) for name in ("rows", "targets", "empty")}


SITUATIONS: Mapping[str, Callable[[Path], dict[str, Scenario]]] = {
    "returns": return_cases,
    "workbooks": workbook_cases,
    "period": period_read,
    "services": many_services,
    "catalogue": catalogue_problems,
}
