"""Reporting periods: quarters of the UK local-government financial year (April to March)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

ACCEPTED_FORMS = ("Q2-2024", "Q2 2024/25", "2024/25 Q2", "2024-25 Q2")

_QUARTER_MONTHS = {1: (4, 6), 2: (7, 9), 3: (10, 12), 4: (1, 3)}
_MONTH_NAMES = (
    "January February March April May June July August September October November December".split()
)


class PeriodError(ValueError):
    """A period that cannot be read; the message lists the accepted forms."""


def _fy_end_matches(start: int, end_text: str) -> bool:
    end = int(end_text)
    return end == (start + 1) % (100 if len(end_text) == 2 else 10_000)


# The documented forms, and only these (any case): the year of Q2-2024 is the financial year's
# first year; a financial year may be written 2024/25, 2024-25 or 2024/2025.
_FORMS = (
    # Q2-2024, q2_2024 (the folder names)
    re.compile(r"^Q(?P<q>[1-4])\s*[-_]\s*(?P<y>\d{4})$"),
    # Q2 2024/25, Q2 2024-25 (file names), Q2 2024/2025
    re.compile(r"^Q(?P<q>[1-4])[\s\-_]*(?P<y>\d{4})\s*[/\-]\s*(?P<e>\d{2}|\d{4})$"),
    # 2024/25 Q2, 2024-25 Q2
    re.compile(r"^(?P<y>\d{4})\s*[/\-]\s*(?P<e>\d{2}|\d{4})[\s\-_]*Q(?P<q>[1-4])$"),
)
# "Q2 2025" and "2025 Q2" could be the calendar year's second quarter (April to June), so they are
# refused, with the two quarters they might mean.
_BARE_YEAR = re.compile(r"^(?:Q(?P<q>[1-4])\s*(?P<y>\d{4})|(?P<y2>\d{4})\s*Q(?P<q2>[1-4]))$")


def accepted_forms(period: Period | None = None) -> tuple[str, ...]:
    """The accepted forms, shown for ``period`` (default: the quarter today falls in)."""
    period = period or Period.containing(dt.date.today())
    return (
        period.key,
        period.label,
        period.fy_first_label,
        f"{period.year}-{period.fy_label[-2:]} Q{period.quarter}",
    )


def forms_hint(period: Period | None = None) -> str:
    """``Q3-2026, Q3 2026/27, 2026/27 Q3, 2026-27 Q3 (Q3-2026 is Q3 of 2026/27, October to
    December 2026)``: the accepted forms, with an example from the current financial year."""
    period = period or Period.containing(dt.date.today())
    return (
        f"{', '.join(accepted_forms(period))} ({period.key} is Q{period.quarter} of "
        f"{period.fy_label}, {period.months_label})"
    )


@dataclass(frozen=True, order=True)
class Period:
    """One quarter: ``year`` is the calendar year the financial year starts in (2024 for 2024/25)."""

    year: int
    quarter: int

    def __post_init__(self) -> None:
        if not 1 <= self.quarter <= 4:
            raise PeriodError(f"quarter must be in range 1-4, got {self.quarter}")
        if not 1900 <= self.year <= 2999:
            raise PeriodError(f"year must be in range 1900-2999, got {self.year}")

    @classmethod
    def parse(cls, text: str | Period) -> Period:
        """Read ``Q2-2024``, ``Q2 2024/25``, ``2024/25 Q2`` or ``2024-25 Q2`` (any case).

        ``Q2 2024`` and ``2024 Q2`` are refused: they could mean the calendar year's quarter.
        """
        if isinstance(text, Period):
            return text
        cleaned = " ".join(str(text).strip().upper().split())
        for form in _FORMS:
            match = form.match(cleaned)
            if not match:
                continue
            year = int(match["y"])
            end = match.groupdict().get("e")
            if end is not None and not _fy_end_matches(year, end):
                break
            return cls(year, int(match["q"]))
        bare = _BARE_YEAR.match(cleaned)
        if bare:
            quarter, year = int(bare["q"] or bare["q2"]), int(bare["y"] or bare["y2"])
            if 1900 <= year <= 2999:
                ours = cls(year, quarter)
                calendar = cls.containing(dt.date(year, quarter * 3 - 2, 1))
                raise PeriodError(
                    f"'{text}' does not say which year it means. For Q{quarter} of the financial "
                    f"year {ours.fy_label} ({ours.months_label}) write {ours.key} or {ours.label}"
                    + (
                        f"; for {calendar.months_label} write {calendar.key} or {calendar.label}."
                        if calendar != ours
                        else "."
                    )
                )
        raise PeriodError(f"'{text}' is not a period. Use one of: {forms_hint()}.")

    @classmethod
    def containing(cls, day: dt.date) -> Period:
        """The quarter a day falls in: 29 November 2026 is in Q3-2026 (Q3 2026/27)."""
        year = day.year if day.month >= 4 else day.year - 1
        return cls(year, (day.month - 4) % 12 // 3 + 1)

    @property
    def key(self) -> str:
        """The canonical short form used in folder names and JSON: ``Q2-2024``."""
        return f"Q{self.quarter}-{self.year}"

    @property
    def fy_label(self) -> str:
        """The financial year: ``2024/25``."""
        return financial_year_label(self.year)

    @property
    def label(self) -> str:
        """How the paper names the period: ``Q2 2024/25``."""
        return f"Q{self.quarter} {self.fy_label}"

    @property
    def fy_first_label(self) -> str:
        """The reference paper's wording: ``2024/25 Q2``."""
        return f"{self.fy_label} Q{self.quarter}"

    @property
    def file_label(self) -> str:
        """The label safe for a file name on every platform: ``Q2 2024-25``."""
        return self.label.replace("/", "-")

    @property
    def index(self) -> int:
        """A running quarter number, so that periods can be subtracted."""
        return self.year * 4 + self.quarter - 1

    @classmethod
    def from_index(cls, index: int) -> Period:
        return cls(index // 4, index % 4 + 1)

    def shift(self, quarters: int) -> Period:
        return Period.from_index(self.index + quarters)

    @property
    def previous(self) -> Period:
        """The quarter before: Q1-2024 gives Q4-2023."""
        return self.shift(-1)

    @property
    def next(self) -> Period:
        return self.shift(1)

    @property
    def same_quarter_last_year(self) -> Period:
        return Period(self.year - 1, self.quarter)

    @property
    def start_date(self) -> dt.date:
        first, _ = _QUARTER_MONTHS[self.quarter]
        return dt.date(self.year + (self.quarter == 4), first, 1)

    @property
    def end_date(self) -> dt.date:
        _, last = _QUARTER_MONTHS[self.quarter]
        following = dt.date(self.year + (self.quarter == 4) + (last == 12), last % 12 + 1, 1)
        return following - dt.timedelta(days=1)

    @property
    def months_label(self) -> str:
        """``July to September 2024``."""
        start, end = self.start_date, self.end_date
        first = _MONTH_NAMES[start.month - 1]
        last = _MONTH_NAMES[end.month - 1]
        if start.year == end.year:
            return f"{first} to {last} {end.year}"
        return f"{first} {start.year} to {last} {end.year}"

    def __str__(self) -> str:
        return self.key


def financial_year_label(start_year: int) -> str:
    """``2024`` gives ``2024/25``."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


_FY = re.compile(r"^(?:FY\s*)?(?P<y>\d{4})(?:\s*[/\-]\s*(?P<e>\d{2}|\d{4}))?$")


def parse_financial_year(text: object) -> int:
    """Read a financial year (``2024/25``, ``2024-25``, ``2024``) and return its first year."""
    if isinstance(text, int) and not isinstance(text, bool):
        year = text
    elif isinstance(text, float) and text.is_integer():
        year = int(text)
    else:
        match = _FY.match(" ".join(str(text).strip().upper().split()))
        if not match or (match["e"] and not _fy_end_matches(int(match["y"]), match["e"])):
            raise PeriodError(f"'{text}' is not a financial year. Write it as 2024/25.")
        year = int(match["y"])
    if not 1900 <= year <= 2999:
        raise PeriodError(f"'{text}' is not a financial year. Write it as 2024/25.")
    return year


# A deadline as written in [returns] deadline: "Friday 18 October 2024", "Fri 18th Oct 2024",
# "18/10/2024", "2024-10-18". The weekday, when one is written, must be the date's.
_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y")
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
# What a written weekday may be: the whole name or a common short form, in any case.
_WEEKDAY_WORDS = {
    **{day.casefold(): n for n, day in enumerate(_WEEKDAYS)},
    **{day[:3].casefold(): n for n, day in enumerate(_WEEKDAYS)},
    "tues": 1,
    "weds": 2,
    "thur": 3,
    "thurs": 3,
}
_LEADING_WORD = re.compile(r"^(?P<word>[A-Za-z]+)\.?,?\s+(?=\d)")


def written_date(text: str) -> tuple[dt.date | None, int | None]:
    """(the date ``text`` gives, the weekday it names before the date: 0 for Monday), either
    None when it gives none: "Friday 18 October 2024" gives (2024-10-18, 4), "18/10/2024"
    (2024-10-18, None), "end of October" (None, None)."""
    words = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.strip(), flags=re.IGNORECASE)
    weekday = None
    leading = _LEADING_WORD.match(words)
    if leading and (
        leading["word"].casefold() in _WEEKDAY_WORDS or leading["word"].lower().endswith("day")
    ):
        weekday = _WEEKDAY_WORDS.get(leading["word"].casefold())
        words = words[leading.end() :]
    words = " ".join(words.replace(",", " ").split())
    for form in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(words, form).date(), weekday
        except ValueError:
            continue
    return None, weekday


def wrong_weekday(text: str) -> str | None:
    """What is wrong when ``text`` names a weekday that its date is not on ("18 October 2026 is
    a Sunday, not a Friday"), else None."""
    day, weekday = written_date(text)
    if day is None or weekday is None or day.weekday() == weekday:
        return None
    shown = f"{day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"
    return f"{shown} is a {_WEEKDAYS[day.weekday()]}, not a {_WEEKDAYS[weekday]}"
