"""Build small performance projects in code: perfreport.toml, a catalogue and returns."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import openpyxl

from perfreport.core.model import Catalogue
from perfreport.core.periods import Period
from perfreport.core.project import Project, load_project

PRIORITIES = (
    ("greener", "A greener, more sustainable Somerset"),
    ("healthy", "A healthy and caring Somerset"),
)

# Catalogue headings as a person types them; the keys of an indicator dict.
HEADINGS = (
    "ref",
    "title",
    "priority",
    "service",
    "directorate",
    "lead officer",
    "unit",
    "decimals",
    "polarity",
    "frequency",
    "due",
    "rated",
    "target",
    "amber",
    "definition",
    "comparable from",
)

INDICATORS: tuple[dict[str, object], ...] = (
    {
        "ref": "WR-01",
        "title": "Household waste sent for reuse, recycling and composting",
        "priority": "greener",
        "service": "Waste",
        "unit": "%",
        "polarity": "higher",
        "target": 55,
    },
    {
        "ref": "WR-02",
        "title": "Missed bin collections per 100,000",
        "priority": "greener",
        "service": "Waste",
        "unit": "number",
        "polarity": "lower",
        "target": 80,
    },
    {
        "ref": "ASC-01",
        "title": "Adults receiving direct payments",
        "priority": "healthy",
        "service": "Adult Social Care",
        "unit": "%",
        "polarity": "higher",
        "target": 30,
    },
    {
        "ref": "ASC-02",
        "title": "Adults satisfied with their care (annual survey)",
        "priority": "healthy",
        "service": "Adult Social Care",
        "unit": "%",
        "polarity": "higher",
        "frequency": "annual",
        "due": "Q4",
        "target": 60,
    },
    {
        "ref": "ASC-03",
        "title": "Adults in residential care (context)",
        "priority": "healthy",
        "service": "Adult Social Care",
        "unit": "number",
        "polarity": "none",
    },
)


@dataclass(frozen=True)
class Formatted:
    """A cell value written with an Excel number format (e.g. 0.85 shown as 85%)."""

    value: object
    number_format: str


def write_config(
    root: Path,
    *,
    council: str = "Test Council",
    priorities: Sequence[tuple[str, str]] = PRIORITIES,
    extra: str = "",
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    lines = [f'[council]\nname = "{council}"\n']
    for key, name in priorities:
        lines.append(f'[[priorities]]\nkey = "{key}"\nname = "{name}"\n')
    config = root / "perfreport.toml"
    config.write_text("\n".join(lines) + ("\n" + extra if extra else ""), encoding="utf-8")
    return config


def _headings(rows: Iterable[Mapping[str, object]], known: Sequence[str]) -> list[str]:
    used = {key for row in rows for key in row}
    return [h for h in known if h in used] + sorted(used - set(known))


def _write_sheet(
    sheet,
    headings: Sequence[str],
    rows: Iterable[Mapping[str, object]],  # noqa: ANN001
    first_row: int = 1,
) -> None:
    for column, heading in enumerate(headings, start=1):
        sheet.cell(first_row, column, heading)
    for number, row in enumerate(rows, start=first_row + 1):
        for column, heading in enumerate(headings, start=1):
            value = row.get(heading)
            cell = sheet.cell(number, column)
            if isinstance(value, Formatted):
                cell.value, cell.number_format = value.value, value.number_format
            else:
                cell.value = value


def catalogue_rows(catalogue: Catalogue, service: str | None = None) -> list[dict[str, object]]:
    """A catalogue's indicators (of one service, or all) as rows for write_catalogue."""
    return [
        {
            "ref": i.ref,
            "title": i.title,
            "priority": i.priority,
            "service": i.service,
            "unit": i.unit,
            "decimals": i.decimals,
            "polarity": i.polarity.value,
            "frequency": i.frequency.value,
            "due": ",".join(f"Q{q}" for q in i.due),
            "rated": "yes" if i.rated else "no",
            "target": i.target,
            "amber": i.amber,
        }
        for i in catalogue.indicators
        if service is None or i.service == service
    ]


def write_catalogue(
    path: Path,
    indicators: Sequence[Mapping[str, object]] = INDICATORS,
    *,
    targets: Sequence[Mapping[str, object]] | None = None,
    headings: Sequence[str] | None = None,
    sheet: str = "Indicators",
) -> Path:
    """catalogue.xlsx (an Indicators sheet and an optional Targets sheet) or catalogue.csv
    (and targets.csv beside it), by the file's suffix; ``headings`` overrides the heading row."""
    headings = list(headings or _headings(indicators, HEADINGS))
    target_headings = _headings(targets or (), ("ref", "year", "target", "amber"))
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(headings)
            writer.writerows([row.get(h, "") for h in headings] for row in indicators)
        if targets is not None:
            with path.with_name("targets.csv").open("w", encoding="utf-8", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(target_headings)
                writer.writerows([row.get(h, "") for h in target_headings] for row in targets)
        return path
    workbook = openpyxl.Workbook()
    main = workbook.active
    main.title = sheet
    _write_sheet(main, headings, indicators)
    if targets is not None:
        _write_sheet(workbook.create_sheet("Targets"), target_headings, targets)
    workbook.save(path)
    return path


def make_project(
    root: Path,
    indicators: Sequence[Mapping[str, object]] = INDICATORS,
    *,
    targets: Sequence[Mapping[str, object]] | None = None,
    catalogue: str = "catalogue.xlsx",
    extra_config: str = "",
) -> Project:
    """A project folder with perfreport.toml and a catalogue, loaded."""
    write_config(root, extra=extra_config)
    write_catalogue(root / catalogue, indicators, targets=targets)
    return load_project(root)


# The columns of the returns written here; returnfactory lays them out (header in row 8, the
# first figure's Value in C9).
RETURN_HEADINGS = ("Ref", "Measure", "Value", "Data status", "Commentary")


def write_return(
    path: Path,
    rows: Sequence[Mapping[str, object]],
    *,
    service: str | None = None,
    period: Period | str | None = None,
) -> Path:
    """A return workbook with Service and Period cells above a table of ``rows`` (dicts keyed by
    RETURN_HEADINGS, e.g. {"Ref": "WR-01", "Value": 52.5}); a blank cell is left out."""
    from returnfactory import write_return as write_workbook

    metadata = {
        label: str(value)
        for label, value in (("Service", service), ("Period", period))
        if value is not None
    }
    return write_workbook(
        path,
        rows,
        headings=RETURN_HEADINGS,
        metadata=metadata,
        title=f"{service or 'Service'} performance return",
    )


def service_return(
    project: Project,
    period: Period,
    service: str,
    name: str | None = None,
    *,
    values: Mapping[str, object] | None = None,
    skip: Iterable[str] = (),
) -> Path:
    """A clean return from ``service`` in the period's folder: a row for each of its indicators
    that is due (value 50 unless ``values`` says otherwise), leaving out the refs in ``skip``."""
    from perfreport.inputs.catalogue import load_catalogue

    catalogue, _ = load_catalogue(project)
    values = dict(values or {})
    rows = [
        {"Ref": i.ref, "Measure": i.title, "Value": values.pop(i.ref, 50)}
        for i in catalogue.indicators
        if i.service == service and i.is_due(period) and i.ref not in set(skip)
    ]
    rows += [{"Ref": ref, "Value": value} for ref, value in values.items()]
    file_name = name or f"{service.lower().replace(' ', '-')}.xlsx"
    return write_return(
        project.returns_dir(period) / file_name, rows, service=service, period=period
    )
