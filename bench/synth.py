"""Synthetic performance projects for the benchmark: deterministic, in the documented formats."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import re
import shutil
import time
from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from xlsxsave import save_workbook  # beside this file: bench/ is on sys.path

# Bump when the generated files change, so that a cached project is rebuilt.
GENERATOR_VERSION = 3
SEED = 20240930
PERIODS = ("Q4-2023", "Q1-2024", "Q2-2024")  # the last is the one validated and built
PERIOD_LABELS = {"Q4-2023": "Q4 2023/24", "Q1-2024": "Q1 2024/25", "Q2-2024": "Q2 2024/25"}
STAMP = "generated.json"
FIXED_TIME = dt.datetime(2024, 1, 1)

PRIORITIES = (
    ("greener", "A greener, more sustainable Somerset", False),
    ("healthy", "A healthy and caring Somerset", False),
    ("fairer", "A fairer, ambitious Somerset", False),
    ("flourishing", "A flourishing and resilient Somerset", False),
    ("council", "A financially sustainable and resilient Council", True),
)

# One block of twelve services (prefix, name, priority, indicators): 114 indicators, spread
# unevenly as in a real council. Scale N repeats the block N times.
SERVICES = (
    ("ASC", "Adult Social Care", "healthy", 16),
    ("CS", "Children's Services", "fairer", 12),
    ("HOU", "Housing", "fairer", 10),
    ("PLN", "Planning", "flourishing", 8),
    ("WST", "Waste and Recycling", "greener", 9),
    ("HWY", "Highways and Transport", "greener", 11),
    ("LIB", "Libraries and Culture", "flourishing", 8),
    ("REV", "Revenues and Benefits", "council", 7),
    ("CUS", "Customer Services", "council", 10),
    ("HR", "HR and Organisational Development", "council", 9),
    ("PH", "Public Health", "healthy", 6),
    ("FIN", "Finance", "council", 8),
)
PER_BLOCK = sum(s[3] for s in SERVICES)  # 114
RATED_PER_BLOCK = 56

CATALOGUE_HEADINGS = (
    "Ref",
    "Title",
    "Priority",
    "Service",
    "Directorate",
    "Lead officer",
    "Unit",
    "Decimals",
    "Polarity",
    "Frequency",
    "Due",
    "Rated",
    "Target",
    "Amber",
    "Definition",
)
# As the example returns (examples/generate.py): a merged title, metadata, a blank row, the table.
RETURN_HEADINGS = (
    "Ref",
    "Measure",
    "Unit",
    "Target",
    "Value",
    "Numerator",
    "Denominator",
    "Data status",
    "Commentary",
    "Actions",
    "Forecast RAG",
)
HEADER_ROW = 8

WORDS = (
    "performance improved this quarter as the service recovered from seasonal pressures "
    "demand remained high across the county while staffing vacancies were filled and new "
    "processes bedded in the team expects further progress once the review completes "
    "partners continue to support the recovery plan and figures are monitored monthly at "
    "the directorate management team with actions agreed for the coming quarter"
).split()


@dataclass(frozen=True)
class Indicator:
    ref: str
    title: str
    priority: str
    service: str
    unit: str
    decimals: int
    polarity: str
    frequency: str
    due: tuple[int, ...]
    rated: bool
    target: float | None
    amber: float | None
    level: float  # the typical figure, for measures without a target too
    fraction: bool  # % written as 0.85 with a percentage format, not 85
    ratio: int  # >0: the return gives numerator and denominator (the denominator's size)
    last_year_target: float | None = None  # a Targets-sheet row for 2023/24, when there is one
    stale_target: bool = False  # the return shows an out-of-date target (a target-mismatch warning)


@dataclass(frozen=True)
class Project:
    """A generated project's folder and its size."""

    root: Path
    scale: int
    indicators: int
    services: int
    return_files: int
    rows: int  # table rows across every return file
    generate_seconds: float
    cached: bool

    @property
    def period(self) -> str:
        return PERIODS[-1]

    def to_dict(self) -> dict:
        return {
            "root": str(self.root),
            "scale": self.scale,
            "indicators": self.indicators,
            "services": self.services,
            "returns_per_period": self.services,
            "periods": list(PERIODS),
            "return_files": self.return_files,
            "rows": self.rows,
            "generate_seconds": round(self.generate_seconds, 3),
            "cached": self.cached,
        }


def ensure_project(cache: Path, scale: int) -> Project:
    """The project for ``scale`` under ``cache``, generated unless an up-to-date copy is there."""
    root = cache / f"scale-{scale}"
    wanted = {"generator_version": GENERATOR_VERSION, "scale": scale, "seed": SEED}
    stamp = root / STAMP
    if stamp.is_file():
        try:
            data = json.loads(stamp.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        if {k: data.get(k) for k in wanted} == wanted:
            return Project(
                root,
                scale,
                data["indicators"],
                data["services"],
                data["return_files"],
                data["rows"],
                data["generate_seconds"],
                True,
            )
    started = time.perf_counter()
    # Generate beside the final folder and swap it in, so an interrupted run leaves no half project.
    building = cache / f".scale-{scale}.partial"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    counts = _generate(building, scale)
    seconds = time.perf_counter() - started
    (building / STAMP).write_text(
        json.dumps({**wanted, **counts, "generate_seconds": seconds}, indent=2), encoding="utf-8"
    )
    shutil.rmtree(root, ignore_errors=True)
    os.replace(building, root)
    return Project(
        root,
        scale,
        counts["indicators"],
        counts["services"],
        counts["return_files"],
        counts["rows"],
        seconds,
        False,
    )


def make_indicators(scale: int) -> tuple[list[Indicator], list[tuple[str, str]]]:
    """The catalogue's indicators and the services (name, directorate), in order."""
    rng = random.Random(f"{SEED}-catalogue-{scale}")
    indicators: list[Indicator] = []
    services: list[tuple[str, str]] = []
    for block in range(scale):
        for prefix, name, priority, size in SERVICES:
            service = name if block == 0 else f"{name} (area {block + 1})"
            services.append((service, f"{name} directorate"))
            code = prefix if scale == 1 else f"{prefix}{block + 1:03d}"
            for number in range(1, size + 1):
                indicators.append(_indicator(rng, f"{code}-{number:02d}", priority, service))
        block_start = len(indicators) - PER_BLOCK
        candidates = [n for n in range(block_start, len(indicators)) if indicators[n].rated]
        keep = set(rng.sample(candidates, min(RATED_PER_BLOCK, len(candidates))))
        for n in candidates:
            if n not in keep:
                indicators[n] = replace(indicators[n], rated=False, target=None, amber=None)
    for n, i in enumerate(indicators):
        if n % 10 == 0 and i.target is not None:  # last year's target, a little easier
            easier = 0.97 if i.polarity == "higher" else 1.03
            indicators[n] = replace(i, last_year_target=round(i.target * easier, i.decimals))
        elif n % 20 == 7 and i.target is not None:  # a few warnings, as in real returns
            indicators[n] = replace(i, stale_target=True)
    return indicators, services


def _indicator(rng: random.Random, ref: str, priority: str, service: str) -> Indicator:
    unit = rng.choices(("%", "number", "£", "days", "rate"), weights=(40, 30, 8, 12, 10))[0]
    roll = rng.random()
    frequency, due = (
        ("annual", (4,))
        if roll < 0.08
        else ("half-yearly", (2, 4))
        if roll < 0.12
        else ("monthly", (1, 2, 3, 4))
        if roll < 0.25
        else ("quarterly", (1, 2, 3, 4))
    )
    polarity = rng.choices(("higher", "lower", "none"), weights=(50, 43, 7))[0]
    level = (
        rng.uniform(20, 95)
        if unit == "%"
        else rng.uniform(1, 60)
        if unit in ("days", "rate")
        else float(rng.randint(50, 5000))
    )
    decimals = 1 if unit in ("%", "days", "rate") else 0
    rated = polarity != "none"  # make_indicators keeps 56 of every 114 rated, as in Somerset
    target = amber = None
    if rated:
        head = 1 + (0.04 if polarity == "higher" else -0.04)
        target = round(min(level * head, 99.0) if unit == "%" else level * head, decimals)
        if rng.random() < 0.6:
            band = 0.08 * abs(target)
            amber = round(target - band if polarity == "higher" else target + band, decimals)
    words = rng.sample(WORDS, 5)
    title = f"{' '.join(words).capitalize()} ({unit})"
    return Indicator(
        ref,
        title,
        priority,
        service,
        unit,
        decimals,
        polarity,
        frequency,
        due,
        rated,
        target,
        amber,
        level,
        unit == "%" and rng.random() < 0.2,
        rng.choice((0, 0, 0, 200, 1500)) if unit == "%" else 0,
    )


def _generate(root: Path, scale: int) -> dict:
    indicators, services = make_indicators(scale)
    _write_config(root)
    _write_catalogue(root / "catalogue.xlsx", indicators, services)
    _write_report(root / "reports" / f"{PERIODS[-1]}.toml")
    by_service: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        by_service.setdefault(indicator.service, []).append(indicator)
    files = rows = 0
    for step, period in enumerate(PERIODS):
        quarter = int(period[1])
        folder = root / "returns" / period
        folder.mkdir(parents=True)
        for service, own in by_service.items():
            rng = random.Random(f"{SEED}-{scale}-{period}-{service}")
            due = [i for i in own if quarter in i.due]
            name = re.sub(r"[^\w\- ()']+", "-", f"{service} return {PERIOD_LABELS[period]}")
            _write_return(folder / f"{name}.xlsx", service, period, due, rng, step)
            files += 1
            rows += len(due)
    return {
        "indicators": len(indicators),
        "services": len(services),
        "return_files": files,
        "rows": rows,
    }


def _write_config(root: Path) -> None:
    lines = [
        "[council]",
        'name = "Synthetic Council"',
        "",
        "[report]",
        'title = "Corporate Performance Management Report"',
        "",
    ]
    for key, name, supporting in PRIORITIES:
        lines += ["[[priorities]]", f'key = "{key}"', f'name = "{name}"']
        if supporting:
            lines.append("supporting = true")
        lines.append("")
    lines += ["[rating]", 'amber_tolerance = "5%"', ""]
    (root / "perfreport.toml").write_text("\n".join(lines), encoding="utf-8")


def _write_report(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        'committee = "Scrutiny Committee - Corporate and Resources"\n'
        "meeting_date = 2024-11-14\n"
        "key_decision = false\n"
        'chair = "Cllr A. Chair"\n'
        'executive_summary = "Synthetic figures generated by bench/synth.py for timing only."\n'
        'recommendations = ["Note the performance position at the end of the quarter."]\n'
        '\n[author]\nname = "A. Officer"\njob_title = "Strategic Manager - Performance"\n'
        'email = "performance@example.org"\n',
        encoding="utf-8",
    )


def _workbook():
    # Not write-only mode, though it is faster: it leaves out the <dimension> element that Excel
    # always writes, and without it openpyxl's read-only reader parses every sheet twice, a cost
    # real returns do not have. Normal mode also gives the styles, merged title and validation
    # lists of the example returns (examples/example_workbooks.py), which are mirrored here.
    import openpyxl

    workbook = openpyxl.Workbook()
    workbook.properties.created = workbook.properties.modified = FIXED_TIME
    return workbook


def half_up(value: float, decimals: int) -> float:
    """Round as Excel shows a figure (halves away from zero), not as round() does (to even)."""
    step = Decimal(1).scaleb(-decimals)
    return float(Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP))


def _style_header(sheet, row: int) -> None:  # noqa: ANN001
    from openpyxl.styles import Alignment, Font, PatternFill

    fill, font = PatternFill("solid", fgColor="1F4E79"), Font(bold=True, color="FFFFFF")
    for cell in sheet[row]:
        cell.font, cell.fill = font, fill
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _write_catalogue(
    path: Path, indicators: list[Indicator], services: list[tuple[str, str]]
) -> None:
    directorate = dict(services)
    workbook = _workbook()
    sheet = workbook.active
    sheet.title = "Indicators"
    sheet.append(CATALOGUE_HEADINGS)
    for i in indicators:
        sheet.append(
            (
                i.ref,
                i.title,
                i.priority,
                i.service,
                directorate[i.service],
                f"Head of {i.service}",
                i.unit,
                i.decimals,
                i.polarity,
                i.frequency,
                ",".join(f"Q{q}" for q in i.due)
                if i.frequency in ("annual", "half-yearly")
                else None,
                "yes" if i.rated else "no",
                i.target,
                i.amber,
                f"The {i.title.lower()}, measured at the end of the quarter.",
            )
        )
    _style_header(sheet, 1)
    sheet.freeze_panes = "C2"
    targets = workbook.create_sheet("Targets")
    targets.append(("Ref", "Year", "Target", "Amber"))
    for i in indicators:
        if i.last_year_target is not None:
            targets.append((i.ref, "2023/24", i.last_year_target, None))
    _style_header(targets, 1)
    save_workbook(workbook, path)


def _figure(i: Indicator, rng: random.Random, step: int) -> tuple[float, int | None, int | None]:
    """A plausible figure (value, numerator, denominator) near the indicator's level."""
    drift = 1 + 0.01 * step * (1 if i.polarity != "lower" else -1)
    value = i.level * drift * rng.uniform(0.9, 1.1)
    if i.unit == "%":
        value = min(max(value, 0.5), 99.5)
        if i.ratio:
            denominator = rng.randint(i.ratio // 2, i.ratio)
            numerator = round(denominator * value / 100)
            return half_up(100 * numerator / denominator, i.decimals), numerator, denominator
    return half_up(value, i.decimals), None, None


def _number_format(i: Indicator, fraction: bool = False) -> str:
    if fraction:
        return "0." + "0" * i.decimals + "%"
    return "#,##0." + "0" * i.decimals if i.decimals else "#,##0"


def _write_return(
    path: Path, service: str, period: str, due: list[Indicator], rng: random.Random, step: int
) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = _workbook()
    sheet = workbook.active
    sheet.title = "Return"
    title = sheet.cell(1, 1, f"Synthetic Council: performance return {PERIOD_LABELS[period]}")
    title.font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(RETURN_HEADINGS))
    metadata = (
        ("Service", service),
        ("Period", period),
        ("Submitted by", f"Performance lead, {service}"),
        ("Date", dt.datetime(2024, 10, 15)),
    )
    for row, (label, value) in enumerate(metadata, start=3):
        sheet.cell(row, 1, label).font = Font(bold=True)
        cell = sheet.cell(row, 2, value)
        if isinstance(value, dt.datetime):
            cell.number_format = "dd/mm/yyyy"
    for column, heading in enumerate(RETURN_HEADINGS, start=1):
        sheet.cell(HEADER_ROW, column, heading)
    _style_header(sheet, HEADER_ROW)
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, i in enumerate(due, start=HEADER_ROW + 1):
        value, numerator, denominator = _figure(i, rng, step)
        status = rng.choices(
            ("", "Final", "Provisional", "Estimated", "Not available"), weights=(70, 15, 8, 4, 3)
        )[0]
        fraction = i.fraction and numerator is None
        if status == "Not available":
            value = numerator = denominator = None
        elif fraction:
            value = round(value / 100, i.decimals + 2)
        commentary = " ".join(rng.choices(WORDS, k=rng.randint(15, 70))).capitalize() + "."
        if status == "Not available":
            commentary = "The figure is not available this quarter because the system was updated."
        actions = (
            " ".join(rng.choices(WORDS, k=rng.randint(8, 30))).capitalize() + "."
            if rng.random() < 0.3
            else None
        )
        forecast = rng.choice((None, None, "Green", "Amber", "Red")) if i.rated else None
        target = (
            i.last_year_target
            if period.endswith("2023") and i.last_year_target is not None
            else i.target
        )
        if target is not None and i.stale_target:
            target = round(target * 1.1, i.decimals)
        values = (
            i.ref,
            i.title,
            i.unit,
            target,
            value,
            numerator,
            denominator,
            status or None,
            commentary,
            actions,
            forecast,
        )
        for column, item in enumerate(values, start=1):
            cell = sheet.cell(row, column, item)
            if column in (4, 5) and item is not None:
                cell.number_format = _number_format(i, fraction and column == 5)
            elif column in (9, 10):
                cell.alignment = wrap
    last = HEADER_ROW + len(due) + 20
    for heading, options in (
        ("Data status", "Final,Provisional,Estimated,Not available"),
        ("Forecast RAG", "Red,Amber,Green"),
    ):
        letter = "ABCDEFGHIJK"[RETURN_HEADINGS.index(heading)]
        check = DataValidation(type="list", formula1=f'"{options}"', allow_blank=True)
        check.add(f"{letter}{HEADER_ROW + 1}:{letter}{last}")
        sheet.add_data_validation(check)
    for letter, width in zip(
        "ABCDEFGHIJK", (10, 48, 8, 10, 10, 11, 12, 14, 60, 50, 12), strict=True
    ):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = sheet.cell(HEADER_ROW + 1, 3)
    save_workbook(workbook, path)
