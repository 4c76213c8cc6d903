"""`perfreport init`: a new performance project whose settings and catalogue have no mistake."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from perfreport.core.periods import Period
from perfreport.core.project import CONFIG_NAME, ConfigError
from perfreport.core.targets import TargetProfile
from perfreport.forms.report_skeleton import report_skeleton
from perfreport.forms.settings_file import config_text
from perfreport.xlsx.writing import workbook_bytes, write_new


class ScaffoldError(ConfigError):
    """The project cannot be created where asked (a file is in the way); the CLI exits 2."""


DEFAULT_COUNCIL = "Example Council"

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
    "Source",
)
TARGET_HEADINGS = ("Ref", "Year", "Target", "Amber", "Q1", "Q2", "Q3", "Q4", "Profile")

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
        "Source": "WasteDataFlow return to Defra",
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
        "Source": "HR and payroll system",
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
    ("Source", "no", "Where the figure comes from, e.g. DfE SEN2 return (shown in Appendix C)."),
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
    widths = {
        "Title": 50,
        "Definition": 60,
        "Source": 30,
        "Service": 22,
        "Directorate": 20,
        "Lead officer": 24,
    }
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
    profiles = tuple(p.value for p in TargetProfile)
    validation = DataValidation(
        type="list",
        formula1=f'"{",".join(profiles)}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Profile",
        error=f"Profile must be one of: {', '.join(profiles)}; or blank.",
    )
    validation.add("I2:I5000")
    targets.add_data_validation(validation)

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
    guide.append(
        (
            "Q1, Q2, Q3, Q4",
            "no",
            "On the Targets sheet: the quarter's own target, where it is not the year's. For a "
            "year-to-date measure, the figure due by the end of the quarter (council tax "
            "collected: 28 by Q1, 54.5 by Q2, 81 by Q3, 97.5 by Q4) with Profile cumulative. "
            "Fill in every quarter the measure is due in. The year's Amber applies in "
            "proportion (Amber 96 on a year's 97.5 is Amber from 53.7 on Q2's 54.5).",
        )
    )
    guide.append(
        (
            "Profile",
            "no",
            "On the Targets sheet: cumulative (a year-to-date measure, its targets in Q1–Q4) or "
            "cumulative-even (year to date, with 25%, 50%, 75% and 100% of the year's target by "
            "Q1 to Q4). A year-to-date measure's direction of travel compares it with the same "
            "quarter last year. Blank: every quarter is rated against the year's target.",
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
