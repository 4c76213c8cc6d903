"""Display text for the paper: values by unit and decimals, status words, RAG words and fills."""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Iterable, Mapping
from decimal import ROUND_HALF_UP, Context, Decimal

from perfreport.core.model import RAG, Frequency

# The words the paper shows instead of a blank cell.
NO_DATA = "No data"
NOT_RATED = "Not rated"
NO_TARGET = "No target"

# Fills behind the RAG word: clearly red, amber and green on screen and in print, yet each keeps
# black text above the 4.5:1 contrast WCAG 2.2 AA asks for (red 6.3:1, amber 12.7:1, green 8.3:1;
# tests/test_formatting.py computes them). The word and a shape are shown too, so colour is never
# the only signal.
RAG_FILLS: Mapping[RAG | None, str] = {
    RAG.RED: "F05A5A",
    RAG.AMBER: "FFBF00",
    RAG.GREEN: "4CB85C",
    None: "FFFFFF",  # not rated / no data / not due: no fill
}
# A shape beside the word, as some councils print it: a cue that survives greyscale and colour
# blindness. They are in Arial and Liberation Sans (WGL4), so Word and LibreOffice draw them.
RAG_SHAPES: Mapping[RAG, str] = {RAG.RED: "■", RAG.AMBER: "▲", RAG.GREEN: "●"}

# The largest figure perfreport reads (in size): Excel keeps 15 significant digits, and no
# council measure comes near a thousand million million. Anything larger, or infinite, is
# refused where it is read (an `out-of-range` finding), so every figure that reaches rating and
# the paper can be rounded and shown exactly (docs/security.md).
LARGEST_FIGURE = 1e15
LARGEST_FIGURE_TEXT = "999,999,999,999,999"


def is_figure(value: float) -> bool:
    """True for a finite number smaller in size than LARGEST_FIGURE."""
    return math.isfinite(value) and abs(value) < LARGEST_FIGURE


_SPELLED_FREQUENCY = {
    Frequency.QUARTERLY: "quarterly",
    Frequency.MONTHLY: "monthly",
    Frequency.HALF_YEARLY: "half-yearly",
    Frequency.ANNUAL: "annual",
}


# One place decides the precision of a shown figure: the paper prints ``shown_number`` and rating
# compares it, so a value the paper shows as equal to its target is never rated below it.
def _rounded(exact: Decimal, places: int) -> Decimal:
    """``exact`` rounded half away from zero (as Excel rounds) to ``places`` decimals."""
    quantum, context = _quantum(places)
    rounded = exact.quantize(quantum, rounding=ROUND_HALF_UP, context=context)
    return abs(rounded) if rounded == 0 else rounded  # never "-0.0"


@functools.lru_cache(maxsize=64)
def _quantum(places: int) -> tuple[Decimal, Context]:
    """The step of ``places`` decimals and a context for rounding to it, made once each (a 100x
    paper rounds ~100,000 figures). Enough digits for any float (up to 1.8e308) at any shown
    precision: never InvalidOperation. The context's flags are never read: sharing it is safe."""
    return Decimal(1).scaleb(-places), Context(prec=340 + places)


def _compact_form(size: float, decimals: int) -> tuple[int, int, str]:
    """(power of ten, decimals, suffix) of the compact money form for a sum of this size."""
    if size >= 999_500:  # would round to "£1,000k": say it in millions
        return 6, max(1, decimals), "m"
    if size >= 10_000:
        return 3, 0, "k"
    return 0, decimals, ""


def is_money(unit: str) -> bool:
    """A unit in plain pounds ("£" or "GBP"), the only one with a compact (£k, £m) form."""
    return (unit or "").strip().casefold() in ("£", "gbp")


def shown_number(
    value: float, unit: str = "number", decimals: int = 0, *, compact: bool = False
) -> Decimal:
    """``value`` as the paper shows it, as a number: what rating and direction of travel compare.

    Every unit shows ``decimals`` places, except plain money in the ``compact`` form (the
    catalogue's display "compact"), which shows £150k for 149,600 and £1.2m for 1,234,567.
    """
    if decimals < 0:
        raise ValueError(f"decimals must be 0 or more, got {decimals}")
    exact = Decimal(repr(float(value)))
    if not exact.is_finite():
        raise ValueError(f"value must be a finite number, got {value!r}")
    power, places, _ = (
        _compact_form(abs(float(value)), decimals)
        if compact and is_money(unit)
        else (0, decimals, "")
    )
    return _rounded(exact.scaleb(-power), places).scaleb(power)


@functools.lru_cache(maxsize=1 << 15)
def plain_shown(value: float, decimals: int) -> Decimal:
    """``shown_number`` of a figure in any unit but compact money, remembered."""
    return shown_number(value, decimals=decimals)


def _fixed(value: float, decimals: int) -> str:
    """``value`` rounded half away from zero (as Excel rounds), with thousands separators."""
    if decimals < 0:
        raise ValueError(f"decimals must be 0 or more, got {decimals}")
    if not math.isfinite(value):
        return str(value)
    return f"{plain_shown(value, decimals):,.{decimals}f}"


def _money(value: float, decimals: int, compact: bool) -> str:
    """£149,600 in full; in the compact form £1.2m, £350k, £5,250 (read faster, less precise)."""
    if not math.isfinite(value):
        return f"£{value}"
    shown = shown_number(value, "£", decimals, compact=compact)
    power, places, suffix = _compact_form(abs(value), decimals) if compact else (0, decimals, "")
    sign = "-" if shown < 0 else ""
    return f"{sign}£{abs(shown).scaleb(-power):,.{places}f}{suffix}"


def format_value(
    value: float | None,
    unit: str = "number",
    decimals: int = 0,
    *,
    compact: bool = False,
    missing: str = NO_DATA,
) -> str:
    """A value as the paper shows it: 85.2%, £149,600, 1,234, 12.5 days, 3.4 per 1,000.

    ``unit`` is the catalogue's unit: ``%``, ``number``, ``£``, ``days``, ``rate``, or free text,
    which follows the number ("12 weeks"). ``compact`` shows money as £150k or £1.2m. ``None``
    gives ``missing`` ("No data"), never a blank. The digits are ``shown_number``'s.
    """
    if value is None:
        return missing
    unit = (unit or "number").strip()
    key = unit.casefold()
    if key in ("%", "percent", "percentage"):
        return f"{_fixed(value, decimals)}%"
    if is_money(unit):
        if decimals < 0:
            raise ValueError(f"decimals must be 0 or more, got {decimals}")
        return _money(float(value), decimals, compact)
    if key in ("number", "count", "rate", "ratio", ""):
        return _fixed(value, decimals)
    if key in ("day", "days"):
        text = _fixed(value, decimals)
        return f"{text} day" if text == "1" else f"{text} days"
    if unit.startswith("£"):
        return _pounds_in(float(value), unit[1:].strip(), decimals)
    return f"{_fixed(value, decimals)} {unit}"


# Money already counted in thousands or millions ("£m"): the figure is not scaled again.
_MONEY_SUFFIXES = {
    "m": "m",
    "k": "k",
    "bn": "bn",
    "000": "k",
    "000s": "k",
    "'000": "k",
    "'000s": "k",
}


def _pounds_in(value: float, rest: str, decimals: int) -> str:
    """£17.6m for unit "£m", £12.50 per head for "£ per head": the pound sign goes first."""
    text = _fixed(abs(value), decimals)
    sign = "-" if value < 0 and text.strip("0.,") else ""
    suffix = _MONEY_SUFFIXES.get(rest.casefold())
    if suffix is not None:
        return f"{sign}£{text}{suffix}"
    return f"{sign}£{text} {rest}" if rest else f"{sign}£{text}"


def format_target(
    value: float | None, unit: str = "number", decimals: int = 0, *, compact: bool = False
) -> str:
    """A target, or "No target"."""
    return format_value(value, unit, decimals, compact=compact, missing=NO_TARGET)


def quarters_label(quarters: Iterable[int]) -> str:
    """(2, 4) gives "Q2 and Q4"; (4,) gives "Q4"."""
    names = [f"Q{q}" for q in sorted(set(quarters))]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def not_due_label(frequency: Frequency | str, due: Iterable[int]) -> str:
    """ "Not due (annual, Q4)": why a cell has no figure this quarter."""
    spelled = _SPELLED_FREQUENCY.get(Frequency(frequency), str(frequency))
    when = quarters_label(due)
    return f"Not due ({spelled}, {when})" if when else f"Not due ({spelled})"


def rag_fill(rag: RAG | None) -> str:
    """The cell fill for a rating, as a hex colour for ``{% cellbg %}``: from the rating, never text."""
    return RAG_FILLS[rag]


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """``1 indicator``, ``23 indicators``."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count:,} {word}"


def join_words(words: Iterable[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def count_line(total: int, counts: Mapping[RAG, int], no_data: int = 0) -> str:
    """ "23 indicators, 11 rated: 4 Green, 3 Amber, 4 Red" (the line above each Appendix A table).

    A rated indicator with no figure (``no_data``) still counts as rated, as in the Summary's
    "Of the 56 rated indicators, ... 1 has no data", so the lines add up to the headline.
    """
    rated = sum(counts.get(r, 0) for r in RAG) + no_data
    if rated == 0:
        return f"{plural(total, 'indicator')}, none rated"
    parts = [f"{counts.get(r, 0)} {r.word}" for r in (RAG.GREEN, RAG.AMBER, RAG.RED)]
    if no_data:
        parts.append(f"{no_data} no data")
    return f"{plural(total, 'indicator')}, {rated:,} rated: {', '.join(parts)}"


def format_date(day: dt.date) -> str:
    """``2 December 2024`` (no leading zero, on every platform)."""
    return f"{day.day} {day:%B} {day.year}"
