"""Excel's built-in number formats, date rules and part names, as openpyxl has them, without it."""

from __future__ import annotations

import datetime
import posixpath
import re
from typing import Any

# Why a copy: `import openpyxl.anything` runs openpyxl/__init__, which imports the whole package
# (workbook, writer, charts, styles): ~0.06 s of CPU in every process that reads a workbook,
# about a tenth of a cold 1x build. The plain reading path (xlsx.lean and its parts) needs only
# these constants and small rules from it, so they are copied here from openpyxl 3.1 and
# openpyxl is imported only for a workbook that needs its own reader (xlsx.library).
# tests/test_excel_rules.py pins every value and behaviour here against openpyxl's own
# (the whole format table, the date rules over every format in the tests and the wild corpus,
# the epochs, the part names, the conversions), so an openpyxl that changes one fails there.

# openpyxl.styles.numbers
BUILTIN_FORMATS = {
    0: "General",
    1: "0",
    2: "0.00",
    3: "#,##0",
    4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)',
    6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)',
    8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%",
    10: "0.00%",
    11: "0.00E+00",
    12: "# ?/?",
    13: "# ??/??",
    14: "mm-dd-yy",
    15: "d-mmm-yy",
    16: "d-mmm",
    17: "mmm-yy",
    18: "h:mm AM/PM",
    19: "h:mm:ss AM/PM",
    20: "h:mm",
    21: "h:mm:ss",
    22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)",
    38: "#,##0_);[Red](#,##0)",
    39: "#,##0.00_);(#,##0.00)",
    40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss",
    46: "[h]:mm:ss",
    47: "mmss.0",
    48: "##0.0E+0",
    49: "@",
}
BUILTIN_FORMATS_MAX_SIZE = 164
BUILTIN_FORMATS_REVERSE = {value: key for key, value in BUILTIN_FORMATS.items()}

_LITERAL_GROUP = r'".*?"'  # anything in quotes
_LOCALE_GROUP = r"\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]"  # in brackets, except hours, minutes, seconds
_STRIP = re.compile(f"{_LITERAL_GROUP}|{_LOCALE_GROUP}")
_DATE_PART = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_TIMEDELTA = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)


def is_date_format(fmt: str | None) -> bool:
    """openpyxl's: the first section of the format shows a date or time."""
    if fmt is None:
        return False
    return _DATE_PART.search(_STRIP.sub("", fmt.split(";")[0])) is not None


def is_timedelta_format(fmt: str | None) -> bool:
    """openpyxl's: the first section of the format shows elapsed hours, minutes or seconds."""
    if fmt is None:
        return False
    return _TIMEDELTA.search(fmt.split(";")[0]) is not None


# openpyxl.utils.datetime: the epochs a workbook's serial dates count from (date1904 or not).
CALENDAR_WINDOWS_1900 = datetime.datetime(1899, 12, 30)
CALENDAR_MAC_1904 = datetime.datetime(1904, 1, 1)
_SECONDS_A_DAY = 86400


def from_excel(value: float, epoch: datetime.datetime, timedelta: bool = False) -> Any:
    """openpyxl's from_excel: a serial date as a datetime (a time below 1, a duration when
    ``timedelta``). Raises OverflowError or ValueError out of range, as openpyxl's does."""
    if timedelta:
        duration = datetime.timedelta(days=value)
        if duration.microseconds:  # rounded to the millisecond
            duration = datetime.timedelta(
                seconds=duration.total_seconds() // 1,
                microseconds=round(duration.microseconds, -3),
            )
        return duration
    day, fraction = divmod(value, 1)
    diff = datetime.timedelta(milliseconds=round(fraction * _SECONDS_A_DAY * 1000))
    if 0 <= value < 1 and diff.days == 0:
        minutes, seconds = divmod(diff.seconds, 60)
        hours, minutes = divmod(minutes, 60)
        return datetime.time(hours, minutes, seconds, diff.microseconds)
    if 0 < value < 60 and epoch == CALENDAR_WINDOWS_1900:
        day += 1  # Excel's 29 February 1900, which never was
    return epoch + datetime.timedelta(days=day) + diff


# openpyxl.xml.constants: the parts openpyxl reads by their fixed names.
ARC_CONTENT_TYPES = "[Content_Types].xml"
ARC_CORE = "docProps/core.xml"
ARC_CUSTOM = "docProps/custom.xml"
ARC_THEME = "xl/theme/theme1.xml"


def get_rels_path(path: str) -> str:
    """openpyxl's: the relationships part of the part at ``path``."""
    folder, name = posixpath.split(path)
    return posixpath.join(folder, "_rels", f"{name}.rels")


_LETTERS = {letter: place for place, letter in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1)}


def column_index_from_string(letters: str) -> int:
    """openpyxl's: column letters as a number, A -> 1, AB -> 28, up to ZZZ; ValueError else."""
    if len(letters) > 3:
        raise ValueError(f"'{letters}' is not a valid column name")
    index = 0
    for power, letter in enumerate(reversed(letters.upper())):
        place = _LETTERS.get(letter)
        if place is None:
            raise ValueError(f"'{letters}' is not a valid column name")
        index += place * 26**power
    if not 0 < index < 18279:
        raise ValueError(f"'{letters}' is not a valid column name")
    return index


_PARSER: Any = None


def fromstring(xml: bytes) -> Any:
    """openpyxl.xml.functions.fromstring as openpyxl has it with lxml installed (a dependency
    of perfreport): lxml's parser with entities left unresolved (its other defaults: no
    network, no DTD loaded, no huge trees). xlsx.package has refused any part with a DTD first."""
    global _PARSER
    from lxml import etree

    if _PARSER is None:
        _PARSER = etree.XMLParser(resolve_entities=False)
    return etree.fromstring(xml, parser=_PARSER)
