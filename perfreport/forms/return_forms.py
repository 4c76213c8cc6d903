"""`perfreport returns`: the return workbook each service fills in, in the format validate reads."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from perfreport.core.filenames import safe_file_name
from perfreport.core.formatting import format_value
from perfreport.core.model import DataStatus, Indicator, Polarity
from perfreport.core.periods import Period
from perfreport.core.project import Project
from perfreport.core.targets import QuarterTarget
from perfreport.forms.form_contents import ReturnForm, service_forms
from perfreport.rating.history import History
from perfreport.xlsx.writing import workbook_bytes, write_atomically

RETURN_SHEET = "Return"
INSTRUCTIONS_SHEET = "Instructions"

# The table's columns, in order; the first seven are filled in and locked, the rest are for the
# service. The reader treats Unit, Good is, Previous quarter and Same quarter last year as
# information only (see returns.py), so a filled-in form reads without findings.
COLUMNS = (
    "Ref",
    "Measure",
    "Unit",
    "Good is",
    "Target",
    "Previous quarter",
    "Same quarter last year",
    "Value",
    "Numerator",
    "Denominator",
    "Data status",
    "Period of data",
    "Forecast RAG",
    "Commentary",
    "Actions",
)
WIDTHS = (10, 48, 9, 18, 11, 13, 14, 12, 13, 13, 15, 13, 13, 60, 50)
METADATA = ("Service", "Period", "Submitted by", "Date")
HEADER_ROW = 9  # metadata in rows 4-7, the periods of the figures in row 8
FIRST_ROW = HEADER_ROW + 1

DATA_STATUS_MEANINGS = (
    (
        DataStatus.FINAL,
        "The figure is confirmed and will not change. A blank Data status means Final.",
    ),
    (DataStatus.PROVISIONAL, "The best figure available now; it may be revised next quarter."),
    (
        DataStatus.ESTIMATED,
        "An estimate, because the actual figure is not yet known. Say how it "
        "was estimated in Commentary.",
    ),
    (
        DataStatus.NOT_AVAILABLE,
        "There is no figure this quarter. Leave Value blank and explain why in Commentary.",
    ),
    (
        DataStatus.IN_ARREARS,
        "The figure is for the measure's previous period, because the data arrives late "
        "(last quarter's, or last year's outturn for an annual measure). Or give the period "
        "in Period of data.",
    ),
)
FORECAST_RAGS = ("Red", "Amber", "Green")


def form_file_name(service: str, period: Period) -> str:
    """``Adult Social Care return Q2 2024-25.xlsx``."""
    return safe_file_name(f"{service} return {period.file_label}", "return") + ".xlsx"


def write_return_templates(
    project: Project,
    history: History,
    services: Sequence[str] | None = None,
    out_dir: Path | None = None,
) -> list[Path]:
    """Write one return workbook per service with indicators due in the history's quarter.

    Services with nothing due this quarter get no workbook. Existing workbooks of the same name
    are replaced (they are generated; the returns services send back live elsewhere).
    """
    period = history.period
    forms = service_forms(project, history, services)
    out = Path(out_dir) if out_dir is not None else project.forms_dir(period)
    written: list[Path] = []
    names: set[str] = set()
    for form in forms:
        name = form_file_name(form.service, period)
        # Two services whose names differ only in unsafe characters still get a file each.
        stem, number = name[:-5], 2
        while name.casefold() in names:
            name, number = f"{stem} ({number}).xlsx", number + 1
        names.add(name.casefold())
        path = out / name
        write_atomically(path, form_bytes(form))
        written.append(path)
    return written


def _good_is(indicator: Indicator, amber: float | None, basis: QuarterTarget | None) -> str:
    """``Higher (Amber from 80.8%)``: which way is better, and how close to the target is still
    Amber (past it, Red), so that a service knows what "close enough" means. A quarter's own
    target adds the year's: ``Higher (Amber from 53.7%); year target 97.5%``."""
    words = indicator.polarity.good_is
    if amber is not None:
        edge = format_value(amber, indicator.unit, indicator.decimals)
        side = "from" if indicator.polarity is Polarity.HIGHER else "up to"
        words = f"{words} (Amber {side} {edge})"
    if basis is not None and basis.own:
        year = format_value(basis.year_target, indicator.unit, indicator.decimals)
        words = f"{words}; year target {year}"
    return words


def _target_format(decimals: int, basis: QuarterTarget | None) -> str:
    """The Target cell's format: a quarter's own target reads ``54.5 by Q2`` (year to date) or
    ``30 for Q2``, and stays a number for the reader."""
    figures = _number_format(decimals)
    if basis is None or not basis.own:
        return figures
    return f'{figures}" {"by" if basis.cumulative else "for"} Q{basis.quarter}"'


def _number_format(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def form_bytes(form: ReturnForm) -> bytes:
    """The workbook's bytes: Instructions first, then the Return sheet."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    workbook = Workbook()
    _instructions(workbook.active, form)
    _return_sheet(workbook.create_sheet(RETURN_SHEET), form)
    # Locking the structure keeps the Return sheet's name and order without a password.
    workbook.security = WorkbookProtection(lockStructure=True)
    return workbook_bytes(workbook)


def _instructions(sheet, form: ReturnForm) -> None:  # noqa: ANN001 - an openpyxl worksheet
    from openpyxl.styles import Alignment, Font

    period = form.period
    sheet.title = INSTRUCTIONS_SHEET
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 90
    lines: list[tuple[str, str]] = [
        (f"{form.council} – {form.service} performance return", ""),
        (f"{period.label} ({period.months_label})", ""),
        ("", ""),
    ]
    if form.deadline:
        lines.append(("Deadline", f"Please send this workbook back by {form.deadline}."))
    if form.contact:
        lines.append(("Questions", f"Ask {form.contact}."))
    # The catalogue's lead officer of each indicator: the paper names them beside its figures.
    owners: dict[str, list[str]] = {}
    for indicator in form.indicators:
        if indicator.lead_officer:
            owners.setdefault(indicator.lead_officer, []).append(indicator.ref)
    for owner, refs in owners.items():
        lines.append(("Lead officer", f"{owner}: {', '.join(refs)}"))
    lines += [
        (
            "What to do",
            f"On the {RETURN_SHEET} sheet, fill in the white cells of each row: the "
            f"figure for {period.label} in Value, and your name and the date at the "
            "top. Grey cells are filled in for you and locked.",
        ),
        (
            "Value",
            "A number. For a percentage enter 85 for 85%. If there is no figure, leave "
            "Value blank and set Data status to Not available.",
        ),
        (
            "Numerator, Denominator",
            "Optional: the two figures a rate or percentage is worked "
            "out from. When you give both, Value must equal Numerator "
            "divided by Denominator (times 100 for a percentage).",
        ),
        (
            "Period of data",
            f"Only when the figure is for an earlier period than {period.label}: the period "
            f"it is for, such as {period.previous.label}, or {period.same_quarter_last_year.fy_label} "
            "for last year's annual outturn. Leave it blank for this quarter's figure. The "
            "paper names the figure by that period and rates it against that period's target.",
        ),
        (
            "Forecast RAG",
            "Optional: whether you expect the year-end figure to be Red, Amber or "
            "Green against its target.",
        ),
        (
            "Commentary",
            f"What the figure shows and why, in plain English (at most {form.word_limit} words).",
        ),
        ("Actions", "What is being done where performance is off target."),
        (
            "Earlier figures",
            f"Previous quarter is {period.previous.label}; Same quarter last year "
            f"is {period.same_quarter_last_year.label}. Good is says whether a "
            "higher or a lower figure is better, and how close to the target a figure "
            "is still Amber: past that, it is Red.",
        ),
        *(
            [
                (
                    "Target",
                    f"The target for {period.label}. Where it is the quarter's own, it says so: "
                    f"'by Q{period.quarter}' for a year-to-date figure (April to the end of "
                    f"Q{period.quarter}), 'for Q{period.quarter}' for the quarter alone; Good is "
                    "then gives the year's target too.",
                )
            ]
            if any(basis.own for basis in form.bases.values())
            else []
        ),
        (
            "Please do not",
            f"rename the {RETURN_SHEET} sheet, or add or remove rows or columns: "
            "the workbook is read automatically.",
        ),
        ("", ""),
        ("Data status", "What it means"),
    ]
    lines += [(status.value, meaning) for status, meaning in DATA_STATUS_MEANINGS]
    for label, text in lines:
        sheet.append((label or None, text or None))
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"].font = Font(bold=True)
    for row in sheet.iter_rows(min_row=4):
        row[0].font = Font(bold=True)
    heading_row = len(lines) - len(DATA_STATUS_MEANINGS)
    sheet.cell(heading_row, 2).font = Font(bold=True)


def _return_sheet(sheet, form: ReturnForm) -> None:  # noqa: ANN001 - an openpyxl worksheet
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter

    period = form.period
    unlocked = Protection(locked=False)
    entry = PatternFill("solid", fgColor="FFFFFF")
    given = PatternFill("solid", fgColor="E7E6E6")
    thin = Side(style="thin", color="A6A6A6")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")

    # No colon in the title: "Label: value" cells above the table are read as metadata.
    sheet["A1"] = f"{form.council} – {form.service} performance return"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = (
        f"{period.label} ({period.months_label}). Fill in the white cells; the "
        f"{INSTRUCTIONS_SHEET} sheet explains each column."
    )
    for offset, label in enumerate(METADATA):
        row = 4 + offset
        sheet.cell(row, 1, label).font = Font(bold=True)
        value = sheet.cell(row, 2)
        value.border = box
        if label == "Service":
            value.value = form.service
        elif label == "Period":
            value.value = period.label
        else:
            value.protection = unlocked
            value.fill = entry
    sheet.cell(7, 2).number_format = "dd/mm/yyyy"
    # Row 8 says which quarter each figure column is for.
    for column, label in (
        (6, period.previous.label),
        (7, period.same_quarter_last_year.label),
        (8, period.label),
    ):
        sheet.cell(HEADER_ROW - 1, column, label).font = Font(italic=True)

    for number, (heading, width) in enumerate(zip(COLUMNS, WIDTHS, strict=True), start=1):
        cell = sheet.cell(HEADER_ROW, number, heading)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = box
        cell.fill = given
        sheet.column_dimensions[get_column_letter(number)].width = width

    for index, indicator in enumerate(form.indicators):
        row = FIRST_ROW + index
        figures = _number_format(indicator.decimals)
        values = (
            indicator.ref,
            indicator.title,
            indicator.unit,
            _good_is(indicator, form.ambers.get(indicator.ref), form.bases.get(indicator.ref)),
            form.targets.get(indicator.ref),
            form.previous.get(indicator.ref),
            form.last_year.get(indicator.ref),
        )
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row, column, value)
            cell.fill = given
            if column >= 5:
                cell.number_format = figures
        for column in range(8, len(COLUMNS) + 1):
            cell = sheet.cell(row, column)
            cell.protection = unlocked
            cell.fill = entry
        sheet.cell(row, 8).number_format = figures
        sheet.cell(row, 5).number_format = _target_format(
            indicator.decimals, form.bases.get(indicator.ref)
        )
        # Text, so that Excel keeps "2024/25" as typed rather than reading a date or a fraction.
        sheet.cell(row, COLUMNS.index("Period of data") + 1).number_format = "@"
        for column in range(1, len(COLUMNS) + 1):
            sheet.cell(row, column).border = box
            sheet.cell(row, column).alignment = wrap
    _validations(sheet, form)

    sheet.freeze_panes = sheet.cell(FIRST_ROW, 3)
    sheet.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    # Protected without a password: the layout survives, and rows may still be resized so that
    # long commentary can be read.
    sheet.protection.sheet = True
    sheet.protection.formatRows = False
    sheet.protection.formatColumns = False


def _validations(sheet, form: ReturnForm) -> None:  # noqa: ANN001 - an openpyxl worksheet
    from openpyxl.worksheet.datavalidation import DataValidation

    last = FIRST_ROW + len(form.indicators) - 1

    def add(validation: DataValidation, cells: Sequence[str]) -> None:
        validation.showErrorMessage = True
        validation.showInputMessage = True
        for ref in cells:
            validation.add(ref)
        sheet.add_data_validation(validation)

    percent = [f"H{FIRST_ROW + i}" for i, ind in enumerate(form.indicators) if ind.is_percent]
    other = [f"H{FIRST_ROW + i}" for i, ind in enumerate(form.indicators) if not ind.is_percent]
    if percent:
        add(
            DataValidation(
                type="decimal",
                operator="between",
                formula1="0",
                formula2="100",
                allow_blank=True,
                errorTitle="Value",
                error="A percentage from 0 to 100: enter 85 for 85%.",
                promptTitle="Value",
                prompt="Enter 85 for 85%.",
            ),
            percent,
        )
    if other:
        add(
            DataValidation(
                type="decimal",
                operator="between",
                formula1="-1E+15",
                formula2="1E+15",
                allow_blank=True,
                errorTitle="Value",
                error="Enter a number. If there is no figure, leave Value blank and "
                "set Data status to Not available.",
            ),
            other,
        )
    add(
        DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            errorTitle="Numerator or Denominator",
            error="Enter a number of 0 or more, or leave it blank.",
        ),
        [f"I{FIRST_ROW}:J{last}"],
    )
    statuses = ",".join(status.value for status in DataStatus)
    add(
        DataValidation(
            type="list",
            formula1=f'"{statuses}"',
            allow_blank=True,
            errorTitle="Data status",
            error="Choose Final, Provisional, Estimated, Not available or In arrears, or "
            "leave it blank (Final).",
        ),
        [f"K{FIRST_ROW}:K{last}"],
    )
    # Period of data (L) is text such as Q1 2024/25: the reader checks it, with a message.
    add(
        DataValidation(
            type="list",
            formula1=f'"{",".join(FORECAST_RAGS)}"',
            allow_blank=True,
            errorTitle="Forecast RAG",
            error="Choose Red, Amber or Green, or leave it blank.",
        ),
        [f"M{FIRST_ROW}:M{last}"],
    )
    add(
        DataValidation(
            type="date",
            operator="greaterThan",
            formula1="36526",
            allow_blank=True,
            errorTitle="Date",
            error="Enter the date you completed the return, e.g. 14/10/2024.",
        ),
        ["B7"],
    )
