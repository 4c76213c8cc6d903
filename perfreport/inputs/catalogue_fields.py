"""How each catalogue cell is read: its headings, the words it accepts and its values."""

from __future__ import annotations

import datetime as dt
import re

from perfreport.core.formatting import is_figure
from perfreport.core.model import Display, Frequency, Polarity
from perfreport.core.periods import Period, PeriodError, parse_financial_year
from perfreport.xlsx.sheets import Cell

# Each column and the headings accepted for it (compared after normalise_heading).
COLUMNS: dict[str, tuple[str, ...]] = {
    "ref": ("ref", "reference", "indicatorref", "piref", "code"),
    "title": ("title", "measure", "indicator", "indicatortitle"),
    "priority": ("priority", "councilplanpriority"),
    "service": ("service",),
    "directorate": ("directorate",),
    "lead_officer": ("leadofficer", "responsibleofficer"),
    "unit": ("unit", "units"),
    "decimals": ("decimals", "decimalplaces", "dp"),
    "polarity": ("polarity", "goodis"),
    "frequency": ("frequency",),
    "due": ("due", "duein", "duequarter", "duequarters"),
    "rated": ("rated",),
    "target": ("target", "defaulttarget"),
    "amber": ("amber", "amberthreshold"),
    "definition": ("definition", "description"),
    "source": ("source", "datasource", "sourceofdata"),
    "comparable_from": ("comparablefrom",),
    "display": ("display", "displayas", "showas"),
}
REQUIRED = ("ref", "title", "priority", "service", "polarity")
TARGET_COLUMNS: dict[str, tuple[str, ...]] = {
    "ref": COLUMNS["ref"],
    "year": ("year", "financialyear", "fy"),
    "target": ("target",),
    "amber": ("amber", "amberthreshold"),
    # The quarter's own target (a year-to-date one with a cumulative profile), and the profile.
    **{f"q{q}": (f"q{q}", f"q{q}target", f"quarter{q}") for q in (1, 2, 3, 4)},
    "profile": ("profile", "targetprofile"),
}
TARGET_REQUIRED = ("ref", "year", "target")

POLARITIES = {
    **dict.fromkeys(("higher", "high", "up", "higherisbetter", "highisgood"), Polarity.HIGHER),
    **dict.fromkeys(("lower", "low", "down", "lowerisbetter", "lowisgood"), Polarity.LOWER),
    **dict.fromkeys(("none", "na", "context", "neither"), Polarity.NONE),
}
FREQUENCIES = {
    **dict.fromkeys(("quarterly", "quarter"), Frequency.QUARTERLY),
    **dict.fromkeys(("monthly", "month"), Frequency.MONTHLY),
    **dict.fromkeys(("halfyearly", "halfyear", "sixmonthly", "biannual"), Frequency.HALF_YEARLY),
    **dict.fromkeys(("annual", "annually", "yearly"), Frequency.ANNUAL),
}
DISPLAYS = {
    **dict.fromkeys(("full", "infull", "exact"), Display.FULL),
    **dict.fromkeys(("compact", "short", "abbreviated", "thousands"), Display.COMPACT),
}
DEFAULT_DUE = {
    Frequency.QUARTERLY: (1, 2, 3, 4),
    Frequency.MONTHLY: (1, 2, 3, 4),
    Frequency.HALF_YEARLY: (2, 4),
    Frequency.ANNUAL: (4,),
}
# Units are free text; these spellings are tidied so that '%' is recognised when reading values.
UNITS = {
    **dict.fromkeys(("%", "percent", "percentage", "pct"), "%"),
    **dict.fromkeys(("number", "no", "count", "num"), "number"),
    **dict.fromkeys(("£", "gbp", "pounds"), "£"),
}
YES = {"yes", "y", "true", "1"}
NO = {"no", "n", "false", "0"}


def cell_text(value: object) -> str:
    """A cell as tidy text: whitespace collapsed, whole numbers without '.0'."""
    if value.__class__ is str:  # most cells: the rest, as str(value) is value
        return " ".join(value.split())
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date().isoformat()
    return " ".join(str(value).split())


_NUMBER = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")


def number(cell: Cell) -> tuple[float | None, bool]:
    """(value, unambiguous_percent); raises ValueError when the cell is not a number."""
    value = cell.value
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int | float):
        if not is_figure(value * 100 if cell.percent else value):
            raise ValueError
        return (round(value * 100, 10), True) if cell.percent else (float(value), False)
    text = "".join(str(value).split()).lstrip("£$")
    percent = text.endswith("%")
    text = text.rstrip("%")
    if not text or not _NUMBER.match(text) or not any(ch.isdigit() for ch in text):
        raise ValueError
    value = float(text.replace(",", ""))
    if not is_figure(value):  # 400 digits read as infinity: neither rated nor shown
        raise ValueError
    return value, percent


def parse_due(value: object) -> tuple[int, ...]:
    """'Q4', 'Q2,Q4', 'Q2 and Q4', '2, 4' or 4 -> quarters; raises ValueError otherwise."""
    text = cell_text(value).upper().replace("AND", ",")
    parts = [p for p in re.split(r"[,;/&+\s]+", text) if p]
    quarters = []
    for part in parts:
        match = re.fullmatch(r"Q?([1-4])", part)
        if not match:
            raise ValueError
        quarters.append(int(match[1]))
    if not quarters:
        raise ValueError
    return tuple(sorted(set(quarters)))


def period_of(value: object) -> Period:
    """A Period from 'Q2-2024' and the like, a financial year (its Q1) or a date in the quarter."""
    if isinstance(value, dt.date):
        year = value.year if value.month >= 4 else value.year - 1
        return Period(year, ((value.month - 4) % 12) // 3 + 1)
    try:
        return Period.parse(cell_text(value))
    except PeriodError:
        return Period(parse_financial_year(value), 1)
