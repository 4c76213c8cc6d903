"""Reading single return cells: numbers, percentages, data statuses, RAG words and clean text."""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation
from typing import NamedTuple

from perfreport.core.formatting import is_figure
from perfreport.core.model import RAG, DataStatus
from perfreport.core.periods import Period, PeriodError, parse_financial_year
from perfreport.core.project import normalise_heading
from perfreport.core.visible import visible
from perfreport.xlsx.workbook import SheetCell

# Words that mean "no figure" in a value cell (compared after trimming, ignoring case).
NO_VALUE_WORDS = frozenset({"n/a", "na", "n.a.", "n.a", "-", "–", "—", "tbc"})
_SPACES = " \t\r\n\u00a0\u2007\u202f"
_NUMBER = re.compile(
    r"(?P<sign>[-+\u2212]?)\s*[£$€]?\s*"
    r"(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d*)?|\d+(?:\.\d*)?|\.\d+)"
    r"\s*(?P<percent>%?)"
)
_EXCEL_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")  # how Excel stores characters XML cannot hold
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


class Number(NamedTuple):
    """What a value-like cell holds: a number, no value (blank or n/a), or a problem code.

    A named tuple (immutable, as a frozen dataclass): four are made for each row of a return,
    in half a frozen dataclass's time."""

    value: float | None = None
    problem: str | None = None  # not-a-number, too-large, error-value or uncalculated-formula
    blank: bool = False  # an empty cell, as opposed to n/a, '-' or TBC
    percent_form: bool = False  # the cell itself says "percentage": a % format or "85%"
    shown: str = ""  # the cell as the user sees it, for messages


_BLANK = Number(blank=True)  # an empty cell, as most of a row's are (immutable: one for all)


def maybe_fraction(number: Number, is_percent: bool, target: float | None) -> bool:
    """A percentage measure's figure that may be a fraction typed for a percentage (0.923 for
    92.3%): between 0 and 1, the cell not saying %, and no target of 1 or less (which would make a
    small percentage plausible)."""
    value = number.value
    return (
        is_percent
        and not number.percent_form
        and value is not None
        and 0 < abs(value) <= 1
        and (target is None or abs(target) > 1)
    )


def read_number(cell: SheetCell | None, *, percent_format_scales: bool = True) -> Number:
    """Read a number, accepting numbers stored as text, "1,234", "£5", "85%" and n/a words.

    A number shown with a percentage format (0.85 shown as 85%) reads as 85 when
    ``percent_format_scales``: what the user sees is what they meant.
    """
    if cell is None:
        return _BLANK
    value, kind = cell.value, cell.data_type
    if kind == "f":
        return Number(problem="uncalculated-formula", shown="(formula)")
    if kind == "e":
        return Number(problem="error-value", shown=printable(str(value)))
    if kind == "b" or isinstance(value, bool):
        return Number(problem="not-a-number", shown="TRUE" if value else "FALSE")
    if isinstance(value, dt.date | dt.time | dt.timedelta):
        return Number(problem="not-a-number", shown=show_date(value))
    if isinstance(value, int | float):
        if not math.isfinite(value):
            return Number(problem="not-a-number", shown=str(value))
        if percent_format_scales and is_percent_format(cell.number_format):
            return _figure(tidy(value * 100), True, f"{show(value * 100)}%")
        return _figure(tidy(value), False, show(value))
    text = str(value).strip(_SPACES)
    if not text:
        return _BLANK
    if text.casefold() in NO_VALUE_WORDS:
        return Number(shown=text)
    match = _NUMBER.fullmatch(text)
    if match is None:
        return Number(problem="not-a-number", shown=printable(text))
    number = float(match["digits"].replace(",", ""))
    if match["sign"] in ("-", "\u2212"):
        number = -number
    return _figure(tidy(number), bool(match["percent"]), printable(text))


# A number typed as text can be any length: its message shows the start and the length.
_SHOWN_DIGITS = 30


def _figure(value: float, percent_form: bool, shown: str) -> Number:
    """A number read, or ``too-large`` when it is infinite or past LARGEST_FIGURE in size
    (text of 400 digits reads as infinity): such a figure could be neither rated nor shown."""
    if len(shown) > _SHOWN_DIGITS:
        shown = f"{shown[:_SHOWN_DIGITS]}… ({len(shown):,} characters)"
    if not is_figure(value):
        return Number(problem="too-large", shown=shown)
    return Number(value, percent_form=percent_form, shown=shown)


def printable(text: str) -> str:
    """Text for a message, each hidden control or bidi character written out (``\\x07``):
    nothing in a return can vanish from a message or reach a terminal as a control."""
    return visible(text)


# The slips a typed ref makes most: letter O for zero, l or I for one, a lost or extra separator.
_LOOKALIKE = str.maketrans({"o": "0", "l": "1", "i": "1"})


def closest(text: str, choices: Iterable[str], cutoff: float = 0.8) -> str | None:
    """The choice ``text`` was most likely meant to be (HOU-03 for HOU-O3, Value for Valeu),
    or None when nothing is close: for "did you mean ...?" in a message.

    ``cutoff=1`` takes only a choice that looks the same (case, separators, O for 0, l for 1):
    for refs, where HOU-07 is another indicator, not a typo of HOU-04.
    """
    import difflib

    def key_of(name: str) -> str:
        return re.sub(r"[\W_]", "", name.casefold().translate(_LOOKALIKE))

    keys: dict[str, str] = {}
    for choice in choices:
        keys.setdefault(key_of(choice), choice)
    key = key_of(text)
    if key in keys:
        return keys[key]
    if cutoff >= 1:
        return None
    found = difflib.get_close_matches(key, list(keys), n=1, cutoff=cutoff)
    return keys[found[0]] if found else None


def tidy(value: float) -> float:
    """Drop binary noise (0.85 * 100 = 85.00000000000001, 274.65999999999997)."""
    rounded = round(float(value), 9)
    return rounded if math.isfinite(rounded) else float(value)


@functools.lru_cache(maxsize=1024)  # a workbook has a few formats, read for every cell
def is_percent_format(number_format: str) -> bool:
    """True when a number format shows a percentage: a ``%`` outside quotes, escapes and [..]."""
    index, quoted = 0, False
    while index < len(number_format):
        char = number_format[index]
        if quoted:
            quoted = char != '"'
        elif char == '"':
            quoted = True
        elif char in "\\_*":
            index += 1  # the next character is literal (escape), padding (_) or fill (*)
        elif char == "[":
            end = number_format.find("]", index)
            index = len(number_format) if end < 0 else end
        elif char == "%":
            return True
        index += 1
    return False


def at_precision(value: float, decimals: int) -> Decimal | None:
    """The value rounded as the paper shows it (half away from zero, like Excel)."""
    try:
        exact = Decimal(repr(tidy(value)))
        return exact.quantize(_step(decimals), rounding=ROUND_HALF_UP, context=_PRECISE)
    except (InvalidOperation, ValueError):
        return None


_PRECISE = Context(prec=60)  # quantize reads its precision and traps (its flags are not read)


@functools.lru_cache(maxsize=64)
def _step(decimals: int) -> Decimal:
    """1, 0.1, 0.01...: the step of ``decimals`` places, made once (it was twice a row)."""
    return Decimal(1).scaleb(-max(decimals, 0))


def same_at_precision(first: float, second: float, decimals: int) -> bool:
    if first == second:
        return True  # rounded alike (a form's target is usually the catalogue's, as it was)
    a, b = at_precision(first, decimals), at_precision(second, decimals)
    return first == second if a is None or b is None else a == b


def show(value: float) -> str:
    """A number for a message: 85, 85.5, 1234567 (never 1.23e+06 or 85.0)."""
    value = tidy(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return format(value, ".10g") if abs(value) < 1e15 else format(value, ".6g")


def show_date(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def clean_text(value: object) -> tuple[str, bool]:
    """Text without Excel escapes, control characters or outer spaces; True when any were removed."""
    if value is None:
        return "", False
    if isinstance(value, str):
        if value.isascii() and value.isprintable() and "_x" not in value:
            return value.strip(_SPACES), False  # most cells: nothing to take out (_cleaned's)
        return _cleaned(value)
    if isinstance(value, bool):
        return _cleaned("TRUE" if value else "FALSE")
    if isinstance(value, int | float):
        return _cleaned(show(value))
    return _cleaned(show_date(value))


def _cleaned(text: str) -> tuple[str, bool]:
    """clean_text of a text, the whole way."""
    text = _EXCEL_ESCAPE.sub(lambda match: chr(int(match[1], 16)), text)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    cleaned = _CONTROL.sub("", text)
    return cleaned.strip(_SPACES), cleaned != text


def cell_text(cell: SheetCell | None) -> tuple[str, bool]:
    return clean_text(cell.value if cell is not None else None)


def word_count(text: str) -> int:
    return len(text.split())


_STATUSES = {
    "final": DataStatus.FINAL,
    "provisional": DataStatus.PROVISIONAL,
    "prov": DataStatus.PROVISIONAL,
    "estimated": DataStatus.ESTIMATED,
    "estimate": DataStatus.ESTIMATED,
    "est": DataStatus.ESTIMATED,
    "notavailable": DataStatus.NOT_AVAILABLE,
    "na": DataStatus.NOT_AVAILABLE,
    "unavailable": DataStatus.NOT_AVAILABLE,
    "notyetavailable": DataStatus.NOT_AVAILABLE,
    "inarrears": DataStatus.IN_ARREARS,
    "arrears": DataStatus.IN_ARREARS,
}
_RAGS = {
    "red": RAG.RED,
    "r": RAG.RED,
    "amber": RAG.AMBER,
    "a": RAG.AMBER,
    "green": RAG.GREEN,
    "g": RAG.GREEN,
}


def parse_status(text: str) -> DataStatus | None:
    """Final, Provisional, Estimated or Not available (ignoring case and punctuation); else None."""
    return _STATUSES.get(normalise_heading(text))


def parse_rag(text: str) -> RAG | None:
    """Red, Amber or Green (or R, A, G), ignoring case; else None."""
    return _RAGS.get(normalise_heading(text))


def period_of(value: object) -> Period:
    """A Period from text such as Q2 2024/25, or from a date (the quarter it falls in)."""
    if isinstance(value, dt.date):
        return Period.containing(value.date() if isinstance(value, dt.datetime) else value)
    return Period.parse(str(value))


def data_period_of(value: object) -> tuple[Period, bool]:
    """What a Period of data cell names: a quarter (Q1 2024/25, or a date in it), or a financial
    year (2024/25, with True: its Q4, as an annual outturn). Raises PeriodError otherwise."""
    if isinstance(value, dt.date):
        return period_of(value), False
    try:
        return Period.parse(clean_text(value)[0]), False
    except PeriodError:
        return Period(parse_financial_year(clean_text(value)[0]), 4), True
