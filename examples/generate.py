"""Generate the example projects examples/somerset and examples/broken-returns (deterministic).

Run: python examples/generate.py [--out DIR]. The figures are synthetic. The script re-rates the
Somerset figures with the issue-3 rules and stops if Q2-2024 against Q1-2024 no longer shows the
reference paper's shape (fewer Amber, more Green, more Red).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import shutil
import sys
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

sys.path.insert(0, str(Path(__file__).resolve().parent))

import broken_returns  # noqa: E402
from example_workbooks import (  # noqa: E402
    HEADER_FILL,
    HEADER_FONT,
    Cell,
    Quarter,
    number_format,
    save_workbook,
    write_return_sheet,
)
from somerset_catalogue import INDICATORS, PERIODS, SERVICES, Spec  # noqa: E402

AMBER_TOLERANCE = 0.05  # [rating] amber_tolerance = "5%"
WORD_LIMIT = 150  # [validation] commentary_word_limit
RETURN_HEADER = [
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
]
CATALOGUE_HEADER = [
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
    "Comparable from",
]
PRIORITIES = (
    ("greener", "A greener, more sustainable Somerset", False),
    ("healthy", "A healthy and caring Somerset", False),
    ("fairer", "A fairer, ambitious Somerset", False),
    ("flourishing", "A flourishing and resilient Somerset", False),
    ("resilient-council", "A financially sustainable and resilient Council", True),
)
OFFICERS = {
    "Adult Social Care": "Helen Marsh",
    "Children's Services": "Daniel Okafor",
    "Public Health": "Priya Shah",
    "Housing": "Mark Bennett",
    "Planning": "Sarah Cole",
    "Waste and Recycling": "Tom Ridley",
    "Highways and Transport": "Gareth Price",
    "Libraries and Culture": "Alison Drew",
    "Revenues and Benefits": "Karen Fielding",
    "Customer Services": "James Holt",
    "HR and Organisational Development": "Rachel Morgan",
    "Finance": "Andrew Lyle",
}
# Revenues and Benefits keep percentages as fractions formatted 0.0%, as many Excel users do.
PERCENT_AS_FRACTION = {"Revenues and Benefits"}
# Services that fill in the year-end forecast column.
FORECASTERS = {
    "Adult Social Care",
    "Children's Services",
    "Housing",
    "Revenues and Benefits",
    "Customer Services",
    "Finance",
    "HR and Organisational Development",
}
PROVISIONAL = {
    ("PH-05", "Q2-2024"),
    ("HOU-05", "Q2-2024"),
    ("PLN-02", "Q2-2024"),
    ("PH-07", "Q1-2024"),
    *(("HWY-09", p) for p in PERIODS),
}
ESTIMATED = {("WST-01", "Q2-2024"), ("WST-02", "Q2-2024")}
# The one warning-worthy target: Planning still has last year's target in its template.
TARGET_TYPED = {("PLN-02", "Q2-2024"): 65.0}
NOT_AVAILABLE = {
    "PH-01": "Not available: the GP system supplier has not yet provided the Q1 extract. The "
    "figure will be reported with Q2.",
    "CUS-02": "Not available: the telephony platform moved to the new contact centre system in "
    "May and waiting-time reporting is not yet configured.",
}
LONG_COMMENTARY = {
    ("ASC-01", "Q2-2024"): (
        "At the end of September 812 people were waiting for a Care Act assessment or "
        "reassessment. Since Q1 the measure has included people waiting for a reassessment of "
        "their existing care and support, so the figure cannot be compared with 2023/24, when "
        "only new assessments were counted. Around 290 of the people waiting are awaiting a "
        "reassessment, most of them with stable packages of care. The number waiting for a first "
        "assessment has fallen for three consecutive months, helped by the agency social workers "
        "who joined the locality teams in July, but demand continues to exceed capacity in the "
        "West and South localities, where recruitment of permanent staff has been hardest. "
        "Everyone waiting has a named contact and is risk-rated using the waiting well "
        "framework, and people rated high risk are seen within ten working days. Managers review "
        "the list weekly and the longest waits are being cleared first. We expect the number "
        "waiting to fall below 700 by the end of the year if the current staffing levels are "
        "maintained and demand stays at its present level."
    ),
}


# ------------------------------------------------------------------------- rounding and rating
def at_precision(value: float, decimals: int) -> Decimal:
    """Round as the paper displays a figure (half up), so the comparison is what readers see."""
    return Decimal(repr(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def target_for(spec: Spec, year: int) -> tuple[float | None, float | None]:
    """(target, amber) for a financial year: the Targets sheet, else the catalogue default."""
    fy = f"{year}/{(year + 1) % 100:02d}"
    for row_year, target, amber in spec.targets:
        if row_year == fy:
            return target, amber
    return spec.target, spec.amber


def is_rated(spec: Spec, year: int) -> bool:
    return (
        spec.polarity in ("higher", "lower")
        and spec.rated != "no"
        and target_for(spec, year)[0] is not None
    )


def amber_line(spec: Spec, target: float, amber: float | None) -> float:
    if amber is not None:
        return amber
    distance = abs(target) * AMBER_TOLERANCE
    return target - distance if spec.polarity == "higher" else target + distance


def rate(spec: Spec, value: float, year: int) -> str:
    """The issue-3 rule: G if at least the target, A if at least the Amber line, else R."""
    target, amber = target_for(spec, year)
    assert target is not None
    v, t = at_precision(value, spec.decimals), at_precision(target, spec.decimals)
    line = at_precision(amber_line(spec, target, amber), spec.decimals)
    if spec.polarity == "lower":
        v, t, line = -v, -t, -line
    return "G" if v >= t else "A" if v >= line else "R"


def due(spec: Spec, quarter: Quarter) -> bool:
    if spec.frequency in ("annual", "half-yearly"):
        return f"Q{quarter.quarter}" in spec.due.split(",")
    return True


@dataclass(frozen=True)
class Figure:
    """One indicator's row in one quarter's return."""

    ref: str
    value: float | None
    numerator: int | None = None
    denominator: int | None = None
    status: str = "Final"
    commentary: str = ""
    actions: str = ""
    forecast: str = ""


def rag_in(spec: Spec, index: int, figures: dict[tuple[str, str], Figure]) -> str | None:
    """The RAG an indicator shows in PERIODS[index]: G/A/R, N for no data, None if not rated.

    A measure not due this quarter carries forward its latest figure with the RAG it had then.
    """
    quarter = Quarter.parse(PERIODS[index])
    if not is_rated(spec, quarter.year):
        return None
    for earlier in range(index, -1, -1):
        then = Quarter.parse(PERIODS[earlier])
        if not due(spec, then):
            continue
        figure = figures.get((spec.ref, then.key))
        if figure is None or figure.value is None:
            return "N" if earlier == index else None
        return rate(spec, figure.value, then.year)
    return "N"


def rag_counts(figures: dict[tuple[str, str], Figure], period: str) -> Counter:
    index = PERIODS.index(period)
    return Counter(rag_in(spec, index, figures) or "-" for spec in INDICATORS)


def require(condition: bool, message: object) -> None:
    """Like assert, but kept under ``python -O``: the example must never be generated broken."""
    if not condition:
        raise AssertionError(message)


def check_shape(figures: dict[tuple[str, str], Figure]) -> tuple[Counter, Counter]:
    """Re-rate every figure and insist on the reference paper's shape; print the counts."""
    require(len(INDICATORS) == 114, f"{len(INDICATORS)} indicators, not 114")
    rated = sum(is_rated(spec, 2024) for spec in INDICATORS)
    require(rated == 56, f"{rated} indicators rated in 2024/25, not 56")
    for spec in INDICATORS:
        for index, period in enumerate(PERIODS):
            planned = spec.plan[index]
            if planned in "GARNM":
                got = rag_in(spec, index, figures)
                require(
                    got == ("N" if planned == "M" else planned),
                    f"{spec.ref} {period}: the figure rates {got}, the plan says {planned}",
                )
    q1, q2 = rag_counts(figures, "Q1-2024"), rag_counts(figures, "Q2-2024")
    for name, counts in (("Q1-2024", q1), ("Q2-2024", q2)):
        print(
            f"{name}: {counts['G']} Green, {counts['A']} Amber, {counts['R']} Red, "
            f"{counts['N']} No data, {counts['-']} not rated"
        )
    require(
        q2["A"] < q1["A"] and q2["G"] > q1["G"] and q2["R"] > q1["R"],
        f"Q2 must have fewer Amber and more Green and Red than Q1: {q1} / {q2}",
    )
    moves = Counter((rag_in(s, 3, figures), rag_in(s, 4, figures)) for s in INDICATORS)
    require(moves[("R", "R")] >= 3, "some indicators should be Red for two quarters running")
    require(
        sum(n for (a, b), n in moves.items() if b == "R" and a != "R") >= 3,
        "some indicators should be newly Red",
    )
    require(
        sum(n for (a, b), n in moves.items() if b == "G" and a not in ("G", "N")) >= 3,
        "some indicators should have improved to Green",
    )
    return q1, q2


def check_commentary(figures: dict[tuple[str, str], Figure]) -> None:
    """Only the one deliberate commentary may exceed the word limit; figures stay plausible."""
    by_ref = {spec.ref: spec for spec in INDICATORS}
    for (ref, period), figure in figures.items():
        words = len(figure.commentary.split())
        require(
            (words > WORD_LIMIT) == ((ref, period) in LONG_COMMENTARY),
            f"{ref} {period}: commentary of {words} words",
        )
        spec = by_ref[ref]
        target, _ = target_for(spec, Quarter.parse(period).year)
        if figure.value is not None and spec.unit == "%":
            # over 1 so a percentage is never ambiguous, at most 100 so never out of range
            require(1 < figure.value <= 100, f"{ref} {period}: {figure.value}%")
        if figure.value is not None and target:
            require(
                target / 10 < figure.value < target * 10,
                f"{ref} {period}: {figure.value} is implausible against {target}",
            )


# ------------------------------------------------------------------------- inventing figures
def _band(spec: Spec, letter: str, year: int) -> tuple[int, int]:
    """The figures that earn ``letter``, as whole display units from the target (+ = better).

    Figures keep more than half a display unit clear of the Amber line, so no rounding convention
    can change their RAG.
    """
    target, amber = target_for(spec, year)
    assert target is not None, spec.ref
    scale = 10**spec.decimals
    sign = 1 if spec.polarity == "higher" else -1
    line = sign * (amber_line(spec, target, amber) - target) * scale  # negative
    size = abs(target) * scale
    eps = 1e-9
    if letter == "G":
        low, high = 0, math.floor(spec.head * size + eps)
        if spec.unit == "%":
            room = (100 - target) if sign > 0 else (target - 2)
            high = min(high, math.floor(room * scale + eps))
    elif letter == "A":
        low, high = math.ceil(line + 0.6 - eps), -1
    else:
        low = math.ceil(line - spec.depth[1] * size - eps)
        high = math.floor(min(line - 0.6, line - spec.depth[0] * size) + eps)
    require(low <= high, f"{spec.ref}: no room for {letter} in {year} ({low}..{high} units)")
    return low, high


def _value_at(spec: Spec, units: int, year: int) -> float:
    target, _ = target_for(spec, year)
    sign = 1 if spec.polarity == "higher" else -1
    value = float(at_precision(target + sign * units / 10**spec.decimals, spec.decimals))
    return int(value) if spec.decimals == 0 else value


def _units(spec: Spec, value: float, year: int) -> int:
    target, _ = target_for(spec, year)
    sign = 1 if spec.polarity == "higher" else -1
    return round(sign * (value - target) * 10**spec.decimals)


def _context_value(spec: Spec, index: int, rng: random.Random) -> float:
    require(spec.level is not None, f"{spec.ref} needs a level, values or a plan")
    raw = spec.level * (1 + spec.trend * index) * (1 + rng.gauss(0, spec.noise))
    if spec.unit == "%":
        raw = min(max(raw, 1.5), 99.5)
    value = float(at_precision(raw, spec.decimals))
    return int(value) if spec.decimals == 0 else value


def _with_counts(
    spec: Spec, value: float, band: tuple[int, int], year: int, rng: random.Random
) -> tuple[float, int, int]:
    """Numerator and denominator that give a value in the same band (value = n / d × 100)."""
    low, high = spec.denominator
    for _ in range(1000):
        denominator = rng.randint(low, high)
        numerator = round(value * denominator / 100)
        exact = float(at_precision(100 * numerator / denominator, spec.decimals))
        if band[0] <= _units(spec, exact, year) <= band[1]:
            return exact, numerator, denominator
    raise AssertionError(f"no numerator/denominator for {spec.ref} near {value}")


def _fmt(spec: Spec, value: float) -> str:
    text = f"{value:,.{spec.decimals}f}"
    return {
        "%": f"{text}%",
        "£m": f"£{text}m",
        "days": f"{text} days",
        "kg": f"{text}kg",
        "minutes": f"{text} minutes",
    }.get(spec.unit, text)


def _movement(
    spec: Spec,
    quarter: Quarter,
    value: float,
    previous: tuple[Quarter, float] | None,
    target: float | None,
    rng: random.Random,
) -> str:
    shown = _fmt(spec, value)
    against = f" against a target of {_fmt(spec, target)}" if target is not None else ""
    if spec.frequency == "annual":
        last_year = f", compared with {_fmt(spec, previous[1])} last year" if previous else ""
        return f"The annual figure is {shown}{against}{last_year}."
    if previous is None:
        return f"{shown} this quarter{against}."
    then, before = previous
    when = f"Q{then.quarter}" if then.year == quarter.year else then.label
    if at_precision(before, spec.decimals) == at_precision(value, spec.decimals):
        return f"{shown}, unchanged from {when}."
    up = value > before
    if spec.polarity == "none":
        word = "up" if up else "down"
        return f"{shown} this quarter, {word} from {_fmt(spec, before)} in {when}."
    better = up == (spec.polarity == "higher")
    choice = rng.randrange(3)
    if choice == 0:
        verb = "Improved" if better else "Worsened"
        return f"{verb} from {_fmt(spec, before)} in {when} to {shown}{against}."
    if choice == 1:
        return f"{shown} this quarter{against}, compared with {_fmt(spec, before)} in {when}."
    word = "better than" if better else "worse than"
    return f"{shown}{against}, {word} {_fmt(spec, before)} in {when}."


_EXTRA = {
    "A": (
        "We expect performance to return to target by the end of the year.",
        "Performance is reviewed monthly at the service management meeting.",
    ),
    "R": (
        "This is reported as a risk on the directorate risk register.",
        "The service director is reviewing progress fortnightly.",
        "",
    ),
}


def invent_figures() -> dict[tuple[str, str], Figure]:
    """Figures for every indicator and quarter, each seeded by its ref (stable as the list grows)."""
    figures: dict[tuple[str, str], Figure] = {}
    for spec in INDICATORS:
        rng = random.Random(f"somerset-{spec.ref}")
        position = rng.random()
        previous: tuple[Quarter, float] | None = None
        for index, period in enumerate(PERIODS):
            quarter = Quarter.parse(period)
            if not due(spec, quarter):
                continue
            letter = spec.plan[index]
            require(letter != ".", f"{spec.ref} is due in {period} but its plan says not due")
            if letter == "M":
                continue  # left out of the return: the missing-indicator warning
            target, _ = target_for(spec, quarter.year)
            key = (spec.ref, period)
            if letter == "N":
                figures[key] = Figure(
                    spec.ref, None, status="Not available", commentary=NOT_AVAILABLE[spec.ref]
                )
                continue
            numerator = denominator = None
            position = (position + rng.random()) / 2  # some persistence from quarter to quarter
            if spec.values is not None:
                value = spec.values[index]
                require(value is not None, f"{spec.ref} {period}: no value given")
            elif letter in "GAR":
                band = _band(spec, letter, quarter.year)
                value = _value_at(
                    spec, band[0] + round(position * (band[1] - band[0])), quarter.year
                )
                if spec.denominator:
                    value, numerator, denominator = _with_counts(
                        spec, value, band, quarter.year, rng
                    )
            else:
                value = _context_value(spec, index, rng)
            commentary, actions = _story(spec, quarter, letter, value, previous, target, rng)
            figures[key] = Figure(
                spec.ref,
                value,
                numerator,
                denominator,
                status="Provisional"
                if key in PROVISIONAL
                else "Estimated"
                if key in ESTIMATED
                else "Final",
                commentary=LONG_COMMENTARY.get(key, commentary),
                actions=actions,
                forecast=_forecast(spec, letter, rng),
            )
            previous = (quarter, value)
    return figures


def _story(
    spec: Spec,
    quarter: Quarter,
    letter: str,
    value: float,
    previous: tuple[Quarter, float] | None,
    target: float | None,
    rng: random.Random,
) -> tuple[str, str]:
    """Commentary (1-3 sentences, officer style) and, for Amber and Red, the actions."""
    if spec.comparable_from and quarter == Quarter.parse(spec.comparable_from):
        previous = None
        lead = (
            f"{_fmt(spec, value)} at the end of the quarter. The figure now includes people "
            "waiting for a reassessment, so it cannot be compared with earlier quarters."
        )
    else:
        rated = letter in "GAR"
        lead = _movement(spec, quarter, value, previous, target if rated else None, rng)
    if letter == "G":
        if rng.random() < 0.2:
            return "", ""  # officers often leave a Green measure without comment
        return f"{lead} {spec.good}".strip(), ""
    if letter in "AR":
        extra = rng.choice(_EXTRA[letter])
        if quarter.quarter == 4 or spec.frequency == "annual":
            extra = ""  # a year-end figure cannot recover "by the end of the year"
        text = " ".join(p for p in (lead, spec.bad, extra) if p)
        generic = "Performance is being monitored closely by the service management team."
        action = spec.action or generic
        if letter == "A" and rng.random() < 0.3:
            action = generic
        return text, action
    return f"{lead} {spec.note}".strip(), ""


def _forecast(spec: Spec, letter: str, rng: random.Random) -> str:
    if spec.service not in FORECASTERS or letter not in "GAR" or spec.frequency == "annual":
        return ""
    if letter == "G":
        return "Green"
    if letter == "A":
        return rng.choice(("Green", "Amber", "Amber"))
    return rng.choice(("Red", "Red", "Amber"))


# ------------------------------------------------------------------------- writing the project
def write_config(folder: Path) -> None:
    lines = [
        "# Somerset Council: the example performance project. The figures are synthetic;",
        "# see README.md. Generated by examples/generate.py.",
        "",
        "[council]",
        'name = "Somerset Council"',
        "",
        "[report]",
        'title = "Corporate Performance Management Report"',
    ]
    for key, name, supporting in PRIORITIES:
        lines += ["", "[[priorities]]", f'key = "{key}"', f'name = "{name}"']
        if supporting:
            lines.append("supporting = true")
    lines += [
        "",
        "[rating]",
        f'amber_tolerance = "{AMBER_TOLERANCE * 100:g}%"',
        "",
        "[validation]",
        f"commentary_word_limit = {WORD_LIMIT}",
        "",
    ]
    (folder / "perfreport.toml").write_text("\n".join(lines), encoding="utf-8", newline="\n")


def write_catalogue(path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Indicators"
    ws.append(CATALOGUE_HEADER)
    for spec in INDICATORS:
        prefix = spec.ref.split("-")[0]
        _, directorate, lead = SERVICES[prefix]
        ws.append(
            [
                spec.ref,
                spec.title,
                spec.priority,
                spec.service,
                directorate,
                lead,
                spec.unit,
                spec.decimals,
                spec.polarity,
                spec.frequency,
                spec.due,
                spec.rated,
                spec.target,
                spec.amber,
                spec.definition,
                spec.comparable_from,
            ]
        )
    targets = wb.create_sheet("Targets")
    targets.append(["Ref", "Year", "Target", "Amber"])
    for spec in INDICATORS:
        for year, target, amber in spec.targets:
            targets.append([spec.ref, year, target, amber])
    widths = {"A": 9, "B": 60, "C": 18, "D": 30, "E": 30, "F": 36, "O": 80, "P": 14}
    for sheet in (ws, targets):
        for cell in sheet[1]:
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        sheet.freeze_panes = "B2"
        sheet.auto_filter.ref = sheet.dimensions
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=cell.column_letter in "BO")
    wb.properties.creator = "Somerset Council Performance Team"
    save_workbook(wb, path, dt.datetime(2024, 4, 2, 9, 0))


def _submitted(quarter: Quarter, service_number: int) -> dt.date:
    """About two weeks after the quarter ends, a different day for each service."""
    day = quarter.end + dt.timedelta(days=10 + service_number % 6)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def write_returns(folder: Path, figures: dict[tuple[str, str], Figure]) -> None:
    services = list(dict.fromkeys(spec.service for spec in INDICATORS))
    for period in PERIODS:
        quarter = Quarter.parse(period)
        for number, service in enumerate(services):
            rows = []
            as_fraction = service in PERCENT_AS_FRACTION
            for spec in INDICATORS:
                figure = figures.get((spec.ref, period))
                if spec.service != service or figure is None:
                    continue
                rows.append(_return_row(spec, quarter, figure, as_fraction))
            submitted = _submitted(quarter, number)
            wb = Workbook()
            ws = wb.active
            ws.title = "Return"
            write_return_sheet(
                ws,
                title="Somerset Council – quarterly performance return",
                metadata=[
                    ("Service", service),
                    ("Period", quarter.label),
                    ("Submitted by", OFFICERS[service]),
                    ("Date", submitted),
                ],
                header=RETURN_HEADER,
                rows=rows,
                widths={
                    "Ref": 9,
                    "Measure": 50,
                    "Unit": 9,
                    "Target": 10,
                    "Value": 10,
                    "Numerator": 11,
                    "Denominator": 12,
                    "Data status": 13,
                    "Commentary": 70,
                    "Actions": 50,
                    "Forecast RAG": 10,
                },
                validations={
                    "Data status": "Final,Provisional,Estimated,Not available",
                    "Forecast RAG": "Red,Amber,Green",
                },
            )
            _guidance(wb.create_sheet("Guidance"), quarter)
            wb.properties.creator = OFFICERS[service]
            name = f"{service} return {quarter.file_label}.xlsx"
            save_workbook(
                wb, folder / period / name, dt.datetime.combine(submitted, dt.time(16, 30))
            )


def _return_row(spec: Spec, quarter: Quarter, figure: Figure, as_fraction: bool) -> list[object]:
    target, _ = target_for(spec, quarter.year)
    target = TARGET_TYPED.get((spec.ref, quarter.key), target)
    fraction = as_fraction and spec.unit == "%"
    fmt = number_format(spec.decimals, fraction)

    def shown(value: float | None) -> Cell | None:
        if value is None:
            return None
        if fraction:
            return Cell(round(value / 100, spec.decimals + 2), fmt)
        return Cell(value, fmt)

    return [
        spec.ref,
        spec.title,
        spec.unit,
        shown(target),
        shown(figure.value),
        Cell(figure.numerator, "#,##0") if figure.numerator is not None else None,
        Cell(figure.denominator, "#,##0") if figure.denominator is not None else None,
        figure.status,
        figure.commentary or None,
        figure.actions or None,
        figure.forecast or None,
    ]


def _guidance(ws, quarter: Quarter) -> None:
    lines = [
        f"Guidance for completing the {quarter.label} return",
        "Enter the figure for the quarter in the Value column, in the unit shown.",
        "Data status: Final, Provisional, Estimated or Not available (leave Value blank).",
        f"Commentary: 1-3 sentences, no more than {WORD_LIMIT} words. Add actions for Amber and "
        "Red measures.",
        "Return the workbook to the Performance Team by the deadline in the covering e-mail.",
    ]
    for number, line in enumerate(lines, start=1):
        ws.cell(row=number, column=1, value=line).font = Font(bold=number == 1)
    ws.column_dimensions["A"].width = 100


def generate_somerset(folder: Path) -> None:
    figures = invent_figures()
    check_shape(figures)
    check_commentary(figures)
    folder.mkdir(parents=True, exist_ok=True)
    write_config(folder)
    write_catalogue(folder / "catalogue.xlsx")
    shutil.rmtree(folder / "returns", ignore_errors=True)
    write_returns(folder / "returns", figures)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent,
        help="folder to write somerset/ and broken-returns/ into (default: examples/)",
    )
    args = parser.parse_args(argv)
    generate_somerset(args.out / "somerset")
    broken_returns.generate(args.out / "broken-returns")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
