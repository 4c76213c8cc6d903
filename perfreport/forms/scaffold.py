"""`perfreport init`: a new performance project that validates as it stands."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

from perfreport.core.periods import Period
from perfreport.core.project import (
    CONFIG_NAME,
    ConfigError,
    LimitSettings,
    PathSettings,
    PerformanceSettings,
    RatingSettings,
    ReturnsSettings,
    ValidationSettings,
)
from perfreport.xlsx.writing import workbook_bytes, write_new


class ScaffoldError(ConfigError):
    """The project cannot be created where asked (a file is in the way); the CLI exits 2."""


DEFAULT_COUNCIL = "Example Council"

# The optional settings, in the order perfreport.toml lists them, each with the comment that
# explains it. tests/test_scaffold.py checks that every setting perfreport.toml accepts is here.
SETTING_COMMENTS: dict[str, tuple[type, dict[str, str]]] = {
    "rating": (
        RatingSettings,
        {
            "amber_tolerance": "How far on the wrong side of its target an indicator may be and still "
            "be Amber rather than Red, when the catalogue's Amber column is "
            'empty: a percentage of the target ("5%") or an amount (2.5). With a zero '
            "target a percentage gives no Amber band.",
            "no_change_band": "A change smaller than this (a percentage or an amount, as above) is "
            '"No change" in the direction of travel.',
        },
    ),
    "validation": (
        ValidationSettings,
        {
            "commentary_word_limit": "Commentary longer than this many words gets a warning.",
            "implausible_factor": "A value more than this many times its target, or less than the "
            "target divided by it, gets a warning.",
        },
    ),
    "paths": (
        PathSettings,
        {
            "catalogue": "The indicator catalogue (catalogue.xlsx, or catalogue.csv).",
            "returns": "Where you save the returns that services send back, one folder per quarter.",
            "report": "The paper's wording and meeting facts for each quarter.",
            "build": "Where 'perfreport build' writes the paper.",
            "template": "Your own Word template for the paper; empty means perfreport's built-in one.",
            "forms": "Where 'perfreport returns' writes the blank return workbooks to send to "
            "services.",
        },
    ),
    "limits": (
        LimitSettings,
        {
            "max_file_bytes": "The largest return file that is read, in bytes.",
            "max_zip_members": "The most parts one workbook file may hold.",
            "max_uncompressed_bytes": "The largest a workbook may be once unzipped, in bytes.",
            "max_compression_ratio": "The highest compression ratio of any part (zip bombs compress "
            "far better than real workbooks).",
            "max_sheet_cells": "The largest sheet area (rows x columns) that is read.",
            "max_cell_chars": "The longest text in one cell (Excel's own limit is 32,767).",
            "parse_timeout_seconds": "How long reading one workbook may take before it is reported "
            "and skipped.",
            "parse_memory_mb": "How much memory reading one workbook may use, in MB (where the "
            "system allows a limit).",
            "isolate": "Read each workbook in a separate worker process with the limits above, so "
            "that one damaged or hostile file cannot stop the run (keep this on).",
        },
    ),
    "performance": (
        PerformanceSettings,
        {
            "cache": "Keep the returns already read in build/.cache, so that checking them again is "
            "quick. Entries are keyed by the file's content and the catalogue, so a changed "
            "file is always read afresh.",
            "workers": "How many worker processes read returns at once; 0 means one per processor "
            "core.",
        },
    ),
    "returns": (
        ReturnsSettings,
        {
            "deadline": "Printed on the Instructions sheet of every return workbook, e.g. "
            '"Friday 18 October 2024".',
            "contact": "Who services should ask about their return, e.g. "
            '"Performance Team, performance@example.gov.uk".',
        },
    ),
}

_SECTION_INTROS = {
    "rating": "How indicators are rated Red, Amber or Green.",
    "validation": "How returns are checked.",
    "performance": "Speed. Neither setting changes any result.",
    "paths": "Where the project's files are, relative to this folder. {period} becomes the "
    "quarter, e.g. Q2-2024.",
    "limits": "Safety limits applied before a return is read (see the security documentation). "
    "The defaults suit real returns; raise one only if a genuine return is refused.",
    "returns": "Shown to services in the return workbooks that 'perfreport returns' writes.",
}

PRIORITIES = (
    ("greener", "A greener, more sustainable place", False),
    ("healthy", "A healthy and caring community", False),
    ("council", "A financially sustainable and resilient council", True),
)

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
    "Comparable from",
)
TARGET_HEADINGS = ("Ref", "Year", "Target", "Amber")

# Closed columns get an Excel drop-down list (the catalogue reader accepts a few synonyms too).
CLOSED_COLUMNS = {
    "Polarity": ("higher", "lower", "none"),
    "Frequency": ("quarterly", "monthly", "half-yearly", "annual"),
    "Rated": ("yes", "no"),
}

EXAMPLE_INDICATORS = (
    {
        "Ref": "WST-01",
        "Title": "Household waste sent for reuse, recycling or composting",
        "Priority": "greener",
        "Service": "Waste Services",
        "Directorate": "Climate and Place",
        "Lead officer": "Head of Waste Services",
        "Unit": "%",
        "Decimals": 1,
        "Polarity": "higher",
        "Frequency": "quarterly",
        "Rated": "yes",
        "Target": 55,
        "Amber": 52,
        "Definition": "The percentage of household waste collected that is reused, recycled or "
        "composted.",
    },
    {
        "Ref": "HR-01",
        "Title": "Working days lost to sickness absence per full-time equivalent",
        "Priority": "council",
        "Service": "Human Resources",
        "Directorate": "Resources",
        "Lead officer": "Head of HR",
        "Unit": "days",
        "Decimals": 1,
        "Polarity": "lower",
        "Frequency": "quarterly",
        "Rated": "yes",
        "Target": 2.5,
        "Definition": "Working days lost to sickness in the quarter, divided by the number of "
        "full-time equivalent employees.",
    },
)

COLUMN_GUIDE = (
    ("Ref", "yes", "A stable, unique reference, e.g. ASC-01. Never reuse one."),
    ("Title", "yes", "The measure as the paper names it."),
    ("Priority", "yes", "A priority key or name from perfreport.toml."),
    ("Service", "yes", "The service that returns it: one return workbook per service per quarter."),
    ("Directorate", "no", "The directorate the service belongs to."),
    ("Lead officer", "no", "Who answers for the measure."),
    ("Unit", "no", "%, number, £, days, rate, or your own words. For % enter 85 for 85%."),
    ("Decimals", "no", "Decimal places shown and compared; default 1 for %, otherwise 0."),
    ("Polarity", "yes", "higher or lower (is better), or none for a context measure."),
    ("Frequency", "no", "quarterly (the default), monthly, half-yearly or annual."),
    (
        "Due",
        "no",
        "For annual or half-yearly measures, the quarter(s) the figure arrives: Q4, or Q2,Q4.",
    ),
    ("Rated", "no", "yes or no; default yes when there is a target and polarity is not none."),
    ("Target", "no", "The default target; the Targets sheet can set one per financial year."),
    (
        "Amber",
        "no",
        "The threshold between Amber and Red; empty uses the tolerance in perfreport.toml.",
    ),
    ("Definition", "no", "A plain-English definition."),
    (
        "Comparable from",
        "no",
        "The period the definition changed, e.g. Q1-2024: earlier figures are not compared.",
    ),
)


def current_reporting_period(today: dt.date | None = None) -> Period:
    """The latest quarter that has ended: the one a report is usually being prepared for."""
    today = today or dt.date.today()
    year = today.year if today.month >= 4 else today.year - 1
    return Period(year, (today.month - 4) % 12 // 3 + 1).previous


def init_project(
    folder: Path, *, council: str = DEFAULT_COUNCIL, period: Period | None = None
) -> list[Path]:
    """Create a performance project in ``folder``; refuse (ScaffoldError) if any file exists.

    Returns the files and folders created, in the order they were written.
    """
    folder = Path(folder)
    council = " ".join(council.split())
    if not council:
        raise ScaffoldError("the council's name must not be empty.")
    period = period or current_reporting_period()
    if folder.exists() and not folder.is_dir():
        raise ScaffoldError("is a file, not a folder. Choose a new folder for the project.", folder)
    files = {
        folder / CONFIG_NAME: config_text(council).encode("utf-8"),
        folder / "catalogue.xlsx": catalogue_bytes(),
        folder / "reports" / f"{period.key}.toml": report_skeleton(period).encode("utf-8"),
    }
    # The quarter's returns folder too, so that validate finds where returns go.
    folders = (folder / "returns", folder / "returns" / period.key, folder / "reports")
    for path in files:
        if path.exists():
            raise ScaffoldError(
                "already exists. perfreport init never overwrites a file: choose a new folder, "
                "or move the file away.",
                path,
            )
    for path in folders:
        if path.exists() and not path.is_dir():
            raise ScaffoldError("is in the way of a folder perfreport init creates.", path)
    created: list[Path] = []
    for path in folders:
        if not path.is_dir():
            path.mkdir(parents=True)
            created.append(path)
    for path, data in files.items():
        try:
            write_new(path, data)
        except FileExistsError:  # it appeared since the check above
            raise ScaffoldError("already exists; nothing more was written.", path) from None
        created.append(path)
    return created


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a valid TOML basic string
    # Tolerance: a percentage is written as text, an amount as a number.
    text = str(value)
    return json.dumps(text) if text.endswith("%") else text


def _comment(text: str) -> list[str]:
    return ["# " + line for line in textwrap.wrap(text, width=96)]


def config_text(council: str) -> str:
    """perfreport.toml with every setting explained; optional ones commented out at default."""
    lines = [
        "# perfreport.toml: the settings of this performance project.",
        "# Lines starting with # are comments. A setting that is commented out has the default "
        "shown;",
        "# remove the # in front of it to change it.",
        "",
        "[council]",
        "# The council's name, as the paper's cover shows it (required).",
        f"name = {_toml_value(council)}",
        "",
        "[report]",
        '# The paper\'s title; the quarter is added after it ("... Q2 2024/25").',
        'title = "Corporate Performance Management Report"',
        "",
        "# The Council Plan priorities, in the order the paper reports them (at least one).",
        "# key: a short name for the catalogue's Priority column; name: the priority as the paper",
        "# names it; supporting = true marks a supporting priority (default false).",
    ]
    for key, name, supporting in PRIORITIES:
        lines += ["[[priorities]]", f"key = {_toml_value(key)}", f"name = {_toml_value(name)}"]
        if supporting:
            lines.append("supporting = true")
        lines.append("")
    for section, (settings, comments) in SETTING_COMMENTS.items():
        defaults = settings()
        lines += [f"[{section}]", *_comment(_SECTION_INTROS[section]), ""]
        for key, comment in comments.items():
            lines += [*_comment(comment), f"# {key} = {_toml_value(getattr(defaults, key))}", ""]
    return "\n".join(lines)


def catalogue_bytes() -> bytes:
    """catalogue.xlsx: the Indicators sheet with drop-downs and two examples, Targets, a guide."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Indicators"
    sheet.append(CATALOGUE_HEADINGS)
    for example in EXAMPLE_INDICATORS:
        sheet.append([example.get(heading) for heading in CATALOGUE_HEADINGS])
    widths = {"Title": 50, "Definition": 60, "Service": 22, "Directorate": 20, "Lead officer": 24}
    for number, heading in enumerate(CATALOGUE_HEADINGS, start=1):
        letter = get_column_letter(number)
        sheet.column_dimensions[letter].width = widths.get(heading, max(10, len(heading) + 4))
        if heading in CLOSED_COLUMNS:
            choices = CLOSED_COLUMNS[heading]
            validation = DataValidation(
                type="list",
                formula1=f'"{",".join(choices)}"',
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=heading,
                error=f"{heading} must be one of: {', '.join(choices)}.",
            )
            validation.add(f"{letter}2:{letter}5000")
            sheet.add_data_validation(validation)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "B2"

    targets = workbook.create_sheet("Targets")
    targets.append(TARGET_HEADINGS)
    for cell in targets[1]:
        cell.font = Font(bold=True)
    targets.column_dimensions["A"].width = 12
    targets.column_dimensions["B"].width = 12
    # Year as text, so that Excel keeps "2024/25" as typed.
    targets.column_dimensions["B"].number_format = "@"
    targets.freeze_panes = "A2"

    guide = workbook.create_sheet("Guide")
    guide.append(("Column", "Required", "What to enter"))
    for row in COLUMN_GUIDE:
        guide.append(row)
    guide.append(())
    guide.append(
        (
            "Targets sheet",
            "no",
            "One row per indicator and financial year (Ref, Year "
            "such as 2024/25, Target, Amber): it overrides the default target.",
        )
    )
    for cell in guide[1]:
        cell.font = Font(bold=True)
    guide.column_dimensions["A"].width = 18
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 100
    for row in guide.iter_rows(min_col=3, max_col=3):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    return workbook_bytes(workbook)


# Example wording for the report file's prose and list items, in the style of a real paper.
_PROSE_EXAMPLES = {
    "executive_summary": "This report sets out the council's performance against the Council "
    "Plan for the quarter.",
    "reasons": "To give the committee an overview of performance and of the actions being taken.",
    "background": "The council reports its performance against the Council Plan every quarter.",
    "key_issues": "The measures rated Red this quarter are set out below, with the actions being "
    "taken.",
    "council_plan_links": "The indicators in this report measure progress on the Council Plan.",
    "other_options": "None.",
    "key_considerations": "None.",
    "scrutiny": "None.",
    "consultation": "Services have provided the figures and commentary in this report.",
    "financial": "There are no financial implications arising directly from this report.",
    "hr": "There are no HR or workforce implications arising directly from this report.",
    "recommendations": "That the committee notes the council's performance in the quarter.",
    "background_papers": "None.",
    "appendices": "Appendix A: performance indicators by Council Plan priority.",
}
_LINE_EXAMPLES = {
    "committee": "Scrutiny Committee - Corporate and Resources",
    "chair": "Councillor A. Member",
    "executive_members": "Councillor B. Member, Lead Member for Resources",
    "local_members": "All",
    "executive_director": "C. Officer, Executive Director of Resources",
}
_NONE_ARISING = "There are no {} implications arising directly from this report."


def _example(item: object, period: Period) -> list[str]:
    """The commented-out example line(s) of one report item."""
    from perfreport.inputs.report_file import ASSURANCE_FIELDS, AUTHOR_FIELDS, RISK_TABLES, Kind

    key, kind, label = item.key, item.kind, item.label  # type: ignore[attr-defined]
    meeting = period.end_date + dt.timedelta(days=66)
    if kind == Kind.LINE:
        return [f"{key} = {_toml_value(_LINE_EXAMPLES.get(key, ''))}"]
    if kind == Kind.DATE:
        return [f"{key} = {meeting.isoformat()}"]
    if kind == Kind.YES_NO:
        return [f"{key} = false"]
    if kind == Kind.PROSE:
        text = _PROSE_EXAMPLES.get(key, _NONE_ARISING.format(label.split(" (")[0].lower()))
        return [f"{key} = [{_toml_value(text)}]"]
    if kind == Kind.LIST:
        return [f"{key} = [{_toml_value(_PROSE_EXAMPLES.get(key, 'The first item.'))}]"]
    if kind == Kind.AUTHOR:
        examples = {
            "name": "A. Officer",
            "job_title": "Performance Manager",
            "email": "performance@example.gov.uk",
            "telephone": "01234 567890",
        }
        return [
            f"[{key}]",
            *(f"{name} = {_toml_value(examples.get(name, ''))}" for name in AUTHOR_FIELDS),
        ]
    if kind == Kind.RISKS:
        lines = []
        for table in RISK_TABLES:
            lines += [
                f"[[{key}.{table}]]",
                'description = "Describe the risk"',
                "likelihood = 3",
                "impact = 4",
            ]
        return lines
    if kind == Kind.ASSURANCE:
        values = {
            "role": '"Monitoring Officer"',
            "name": '"B. Officer"',
            "date": (meeting - dt.timedelta(days=14)).isoformat(),
        }
        return [f"[[{key}]]", *(f"{name} = {values[name]}" for name in ASSURANCE_FIELDS)]
    raise ValueError(f"no example for report item kind {kind!r}")


def report_skeleton(period: Period) -> str:
    """reports/<period>.toml with every item commented out: it loads, and every item shows as
    "[To be completed: ...]" until an officer fills it in."""
    from perfreport.inputs.report_file import ITEMS, Kind

    lines = [
        *_comment(
            f"The wording of the {period.label} committee paper ({period.months_label}). "
            "perfreport works out the figures, ratings and movement; this file holds the "
            "meeting facts and what officers write. Every item is optional: one left out "
            "appears in the paper as \"[To be completed: ...]\", and 'perfreport build' "
            "warns about it. Remove the # in front of an item's line(s) to use it. Text "
            'goes in "quotes"; paragraphs or list items go in ["brackets", "like '
            'this"]. docs/report-file.md explains every item.'
        ),
        "",
    ]
    # TOML tables ([author], [[risks...]]) must follow the plain items, whatever the paper's order.
    tables = (Kind.AUTHOR, Kind.RISKS, Kind.ASSURANCE)
    for item in (
        *(i for i in ITEMS if i.kind not in tables),
        *(i for i in ITEMS if i.kind in tables),
    ):
        lines += [f"# {item.label}", *(f"# {line}" for line in _example(item, period)), ""]
    return "\n".join(lines)
