"""Reading one service's return workbook into observations with cell-level provenance and findings."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from perfreport.core.codes import cap_repeats, finding
from perfreport.core.codes_files import (
    ADVICE_ADD_HEADING,
    ADVICE_KEEP_ONE_RETURN,
    ADVICE_RENAME_TO_RETURN,
    HIDDEN_RETURN,
    NONE_NAMED_RETURN,
)
from perfreport.core.codes_rows import ADVICE_CATALOGUE_SPELLING, ADVICE_CHECK_FOLDER
from perfreport.core.findings import Finding, sort_findings
from perfreport.core.formatting import plural
from perfreport.core.model import Catalogue, ReturnFile
from perfreport.core.periods import Period, PeriodError
from perfreport.core.project import LimitSettings, ValidationSettings, normalise_heading
from perfreport.inputs.cells import cell_text, clean_text, closest, period_of, show_date
from perfreport.inputs.grid_table import TableReader
from perfreport.inputs.rows import RowReader
from perfreport.xlsx.workbook import Sheet, SheetCell, a1, open_workbook, read_sheet

# Column key -> (heading as the docs name it, accepted headings after normalise_heading).
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "ref": ("Ref", ("ref", "reference", "indicatorref", "piref", "code")),
    "measure": ("Measure", ("measure", "indicator", "title")),
    "value": ("Value", ("value", "actual", "outturn", "result")),
    "target": ("Target", ("target",)),
    "numerator": ("Numerator", ("numerator",)),
    "denominator": ("Denominator", ("denominator",)),
    "status": ("Data status", ("datastatus", "dataquality", "status")),
    "commentary": ("Commentary", ("commentary", "narrative", "comments")),
    "actions": ("Actions", ("actions", "mitigatingactions", "managementactions")),
    "forecast": ("Forecast RAG", ("forecastrag", "yearendforecast")),
    "period": ("Period", ("period",)),
    "data_period": ("Period of data", ("periodofdata", "dataperiod", "datafor", "figurefor")),
    "rag_override": ("RAG override", ("ragoverride",)),
    "override_reason": ("Override reason", ("overridereason",)),
    # Shown on the forms that `perfreport returns` writes (returnforms.py), for the service's
    # information only: known, so read past without an ignored-column finding.
    "unit": ("Unit", ("unit",)),
    "polarity": ("Good is", ("goodis", "polarity")),
    "previous": ("Previous quarter", ("previousquarter",)),
    "last_year": ("Same quarter last year", ("samequarterlastyear",)),
}
REQUIRED = ("ref", "value")
_HEADINGS = {alias: key for key, (_, aliases) in COLUMNS.items() for alias in aliases}
_LABELS = {
    "service": "service",
    "period": "period",
    "submittedby": "submitted_by",
    "completedby": "submitted_by",
    "date": "date",
    "datesubmitted": "date",
    "submissiondate": "date",
}
_DEFAULT_VALIDATION, _DEFAULT_LIMITS = (
    ValidationSettings(),
    LimitSettings(),
)  # frozen: safe to share
_INLINE_LABEL = re.compile(r"(?P<label>[A-Za-z ]{4,20}?)\s*:\s*(?P<value>\S.*)", re.DOTALL)


def read_return(
    path: Path,
    catalogue: Catalogue,
    *,
    period: Period | None = None,
    validation: ValidationSettings = _DEFAULT_VALIDATION,
    limits: LimitSettings = _DEFAULT_LIMITS,
    display_name: str | None = None,
    lean: bool = True,
) -> tuple[ReturnFile | None, tuple[Finding, ...]]:
    """Read one return workbook. None (with findings saying why) when it cannot be read at all.

    The period is ``period``, else the return's own Period, else its folder's name. ``lean``
    False opens every file with openpyxl (the equivalence test compares the two ways).
    """
    display = display_name or path.name
    sheet, problems = return_sheet(path, limits, display, lean=lean)
    if sheet is None:
        return None, problems
    return interpret_return(path, sheet, catalogue, period, validation, display)


def return_sheet(
    path: Path, limits: LimitSettings, display: str, *, lean: bool = True
) -> tuple[Sheet | None, tuple[Finding, ...]]:
    """The first step of read_return, which needs no catalogue (a worker takes it while the
    catalogue is read): the return's sheet, or the findings saying why there is none."""
    workbook, findings = open_workbook(path, display, limits, lean=lean)
    if workbook is None:
        return None, sort_findings(findings)
    try:
        title, problem = choose_sheet(workbook, display)
        if problem is not None:
            return None, (problem,)
        sheet, findings = read_sheet(workbook, title, display, limits)
    finally:
        workbook.close()
    if sheet is None:
        return None, cap_repeats(sort_findings(findings))
    return sheet, ()


def interpret_return(
    path: Path,
    sheet: Sheet,
    catalogue: Catalogue,
    period: Period | None,
    validation: ValidationSettings,
    display: str,
) -> tuple[ReturnFile | None, tuple[Finding, ...]]:
    """The second step of read_return: the sheet's rows against the catalogue."""
    reader = _ReturnReader(path, sheet, catalogue, display, validation)
    result = reader.read(period)
    # At most REPEAT_LIMIT of one code are listed: 60,000 of them took over a minute to print.
    return result, cap_repeats(sort_findings(reader.findings))


def choose_sheet(workbook: Any, display: str) -> tuple[str | None, Finding | None]:
    """The sheet named Return (any case), else the only visible worksheet; hidden ones are ignored."""
    sheets = [(ws.title, ws.sheet_state == "visible") for ws in workbook.worksheets]
    visible = [title for title, shown in sheets if shown]
    named = [title for title in visible if normalise_heading(title) == "return"]
    if len(named) == 1:
        return named[0], None
    if named:
        return None, finding(
            "ambiguous-sheet",
            file=display,
            value=", ".join(named),
            sheets=f"{plural(len(named), 'sheet')} named Return",
            names=_names(named),
            none_named="",
            hint="",
            advice=ADVICE_KEEP_ONE_RETURN,
        )
    hidden_return = any(normalise_heading(t) == "return" for t, shown in sheets if not shown)
    hint = HIDDEN_RETURN if hidden_return else ""
    if len(visible) == 1:
        return visible[0], None
    if not visible:
        return None, finding(
            "no-return-sheet",
            file=display,
            value=", ".join(t for t, _ in sheets) or None,
            hint=hint,
        )
    near = closest("Return", visible)  # "Retrun", "Returns": a slip, not another sheet
    return None, finding(
        "ambiguous-sheet",
        file=display,
        value=", ".join(visible),
        sheets=plural(len(visible), "visible sheet"),
        names=_names(visible),
        none_named=NONE_NAMED_RETURN,
        hint=hint,
        advice=f"The sheet '{near}' looks like the return: rename it Return."
        if near
        else ADVICE_RENAME_TO_RETURN,
    )


def _names(titles: list[str]) -> str:
    return ", ".join(f"'{t}'" for t in titles)


def _is_text(cell: SheetCell | None) -> bool:
    return cell is not None and cell.data_type == "s" and isinstance(cell.value, str)


class _ReturnReader:
    """Turns one sheet's cells into a ReturnFile, collecting findings on the way."""

    def __init__(
        self,
        path: Path,
        sheet: Sheet,
        catalogue: Catalogue,
        display: str,
        validation: ValidationSettings,
    ):
        self.path, self.sheet, self.catalogue = path, sheet, catalogue
        self.display, self.validation = display, validation
        # Each finding names this file and sheet: TableReader.add, as for the other files' tables.
        log = TableReader(display, sheet.title)
        self.findings: list[Finding] = log.findings
        self.report = log.add
        self.by_row: dict[int, list[tuple[int, SheetCell]]] = {}
        cells = sheet.cells
        for key in sorted(cells):  # the places alone: sorted faster than (place, cell) pairs
            self.by_row.setdefault(key[0], []).append((key[1], cells[key]))

    def read(self, period: Period | None) -> ReturnFile | None:
        header = self._header_row()
        metadata = self._metadata(header)
        period = self._period(period, metadata.get("period"))
        service_text = metadata["service"][0] if "service" in metadata else ""
        if header is None:
            self.report("no-header-row")
            return None
        columns = self._columns(header)
        if columns is None:
            return None
        service = self._service(service_text, metadata.get("service"))
        rows = RowReader(self, columns, header, period, service)
        observations = rows.read_all()
        return ReturnFile(
            path=self.path,
            display_name=self.display,
            sheet=self.sheet.title,
            service=service or rows.main_service(),
            period=period,
            submitted_by=metadata["submitted_by"][0] if "submitted_by" in metadata else "",
            submitted_on=metadata["date"][0] if "date" in metadata else "",
            observations=observations,
            modified=_modified(self.path),
        )

    def _header_row(self) -> int | None:
        """The first row holding a Ref heading (or one of its aliases)."""
        for row, cells in sorted(self.by_row.items()):
            if any(
                _is_text(cell) and _HEADINGS.get(normalise_heading(cell.value)) == "ref"
                for _, cell in cells
            ):
                return row
        return None

    def _metadata(self, header: int | None) -> dict[str, tuple[str, str, Any]]:
        """Label cells above the table: key -> (text, A1 of the value, raw value)."""
        found: dict[str, tuple[str, str, Any]] = {}
        for row, cells in sorted(self.by_row.items()):
            if header is not None and row >= header:
                break
            for column, cell in cells:
                if not _is_text(cell):
                    continue
                inline = _INLINE_LABEL.fullmatch(cell.value.strip())
                key = _LABELS.get(normalise_heading(inline["label"] if inline else cell.value))
                if key is None or key in found:
                    continue
                if inline:
                    where, raw = a1(row, column), inline["value"]
                else:
                    merge = self.sheet.merge_containing(row, column)
                    right = (merge[3] if merge else column) + 1
                    target = self.sheet.get(row, right)
                    where, raw = a1(row, right), target.value if target is not None else None
                text, controls = clean_text(raw)
                if isinstance(raw, dt.date):
                    text = show_date(raw)
                if controls:
                    self.control_characters(where)
                if text:
                    found[key] = (text, where, raw)
        return found

    def control_characters(self, where: str, ref: str | None = None) -> None:
        self.report("control-characters", where, ref)

    def _period(self, given: Period | None, stated: tuple[str, str, Any] | None) -> Period | None:
        declared: Period | None = None
        if stated is not None:
            text, where, raw = stated
            try:
                declared = period_of(raw if isinstance(raw, dt.date) else text)
            except PeriodError:
                self.report(
                    "period-mismatch",
                    where,
                    value=text,
                    problem=f"'{text}' is not a period",
                    advice="Write it like Q2 2024/25.",
                )
            else:
                if given is not None and declared != given:
                    self.report(
                        "period-mismatch",
                        where,
                        value=text,
                        problem=f"the return says it is for {declared.label}, but it is being "
                        f"read for {given.label}",
                        advice=ADVICE_CHECK_FOLDER,
                    )
        if given is not None:
            return given
        if declared is not None:
            return declared
        try:
            return Period.parse(self.path.parent.name)
        except PeriodError:
            return None

    def _columns(self, header: int) -> dict[str, int] | None:
        columns: dict[str, int] = {}
        ignored: dict[str, str] = {}  # heading text -> its cell, for "did you mean" below
        for column, cell in self.by_row[header]:
            text, _ = cell_text(cell)
            if not text:
                continue
            key = _HEADINGS.get(normalise_heading(text)) if _is_text(cell) else None
            where = a1(header, column)
            if key is None:
                self.report("ignored-column", where, value=text, text=text)
                ignored.setdefault(text, where)
            elif key in columns:
                first = a1(header, columns[key])
                self.report(
                    "duplicate-column",
                    where,
                    value=text,
                    text=text,
                    heading=COLUMNS[key][0],
                    first=first,
                )
            else:
                columns[key] = column
        missing = [key for key in REQUIRED if key not in columns]
        for key in missing:
            heading, aliases = COLUMNS[key]
            where = a1(header, columns["ref"])
            self.report(
                "missing-column",
                where,
                value=heading,
                row=header,
                heading=heading,
                aliases=", ".join(_pretty(a) for a in aliases[1:]),
                advice=_near_heading(heading, aliases, ignored),
            )
        return None if missing else columns

    def _service(self, text: str, stated: tuple[str, str, Any] | None) -> str:
        """The catalogue's spelling of the stated service ('' when not stated or not known)."""
        if not text:
            return ""
        known = self.catalogue.service_keys.get(normalise_heading(text))
        if known is not None:
            return known
        if self.catalogue.services and stated is not None:
            where = stated[1]
            known = ", ".join(self.catalogue.services[:6])
            more = ", ..." if len(self.catalogue.services) > 6 else ""
            self.report(
                "wrong-service",
                where,
                value=text,
                problem=f"'{text}' is not a service in the catalogue ({known}{more})",
                advice=ADVICE_CATALOGUE_SPELLING,
            )
        return ""


_PRETTY = {
    "indicatorref": "Indicator ref",
    "piref": "PI ref",
    "mitigatingactions": "Mitigating actions",
    "managementactions": "Management actions",
    "datastatus": "Data status",
    "dataquality": "Data quality",
    "forecastrag": "Forecast RAG",
    "yearendforecast": "Year-end forecast",
}


def _near_heading(heading: str, aliases: tuple[str, ...], ignored: dict[str, str]) -> str:
    """A heading the reader ignored that is a near miss of a missing column's ('Valeu')."""
    names = [heading, *(_pretty(a) for a in aliases)]
    for text, where in ignored.items():
        if closest(text, names) is not None:
            return (
                f"Cell {where} says '{text}': if that is the {heading} column, rename it {heading}."
            )
    return ADVICE_ADD_HEADING


def _pretty(alias: str) -> str:
    return _PRETTY.get(alias, alias.capitalize())


def _modified(path: Path) -> float | None:
    try:
        return path.stat().st_mtime
    except OSError:
        return None
