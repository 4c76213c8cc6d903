"""The catalogue of finding codes: each stable code with its severity, meaning and an example."""

from __future__ import annotations

import re
from dataclasses import dataclass

from perfreport.core.findings import Finding, Severity, truncate


@dataclass(frozen=True)
class Code:
    code: str
    severity: Severity
    title: str
    example: str  # an example message, as the user sees it


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

# Keep one entry per code; docs/findings.md is generated from this table.
CODES: dict[str, Code] = {
    c.code: c
    for c in (
        # -- file level (filled in by the reading stage) --
        Code(
            "unreadable-file",
            E,
            "The file cannot be read",
            "This file is damaged or incomplete, perhaps cut short while it was saved, copied or "
            "downloaded. Open it in Excel: if Excel can repair it, save it and send it again; "
            "otherwise ask for a fresh copy.",
        ),
        Code(
            "not-a-workbook",
            E,
            "The file is not an Excel workbook",
            "This file is a plain text file (such as CSV), not an Excel workbook. Open it in "
            "Excel and use File > Save As > Excel Workbook (.xlsx), then send that file.",
        ),
        Code(
            "legacy-format",
            E,
            "An old or other spreadsheet format (.xls, .xlsb, .ods)",
            "This file is an old-format Excel workbook (.xls, Excel 2003 or earlier). Open it in "
            "Excel and use File > Save As > Excel Workbook (.xlsx), then send that file.",
        ),
        Code(
            "encrypted-workbook",
            E,
            "The workbook is protected with a password",
            "This file is protected with a password (encrypted), so it cannot be read. Open it "
            "in Excel, remove the password (File > Info > Protect Workbook > Encrypt with "
            "Password, clear the box), save and send it again.",
        ),
        Code(
            "unsupported-dialect",
            E,
            "A variant of the Excel format that cannot be read",
            "This file is saved as a 'Strict Open XML Spreadsheet', which perfreport cannot read "
            "reliably. Open it in Excel and use File > Save As > Excel Workbook (.xlsx) (not the "
            "Strict format), then send that file.",
        ),
        Code(
            "suspicious-file",
            E,
            "The file breaks a safety limit and was not opened",
            "This file contains a part ('xl/worksheets/sheet1.xml') that expands 1,024 times when "
            "opened (limit 200): a 'zip bomb'. The file may have been made to harm the computers "
            "that read it, so it was not opened. Ask the sender for a fresh copy saved from "
            "Excel.",
        ),
        Code(
            "no-return-sheet",
            E,
            "No visible sheet to read",
            "This file has no visible worksheet to read (the sheet named Return is hidden: unhide "
            "it). Put the figures on a visible sheet named Return.",
        ),
        Code(
            "ambiguous-sheet",
            E,
            "More than one sheet could be the return",
            "This file has 2 visible sheets ('Adults', 'Notes') and none is named Return. Rename "
            "the sheet with the figures to Return.",
        ),
        Code(
            "no-header-row",
            E,
            "No header row with a Ref column",
            "Sheet 'Return' has no header row with a Ref column. Add a row of headings (Ref, "
            "Measure, Value, ...) above the figures.",
        ),
        Code(
            "missing-column",
            E,
            "A required column is missing",
            "Row 8: the table has no Value column (also accepted: Actual, Outturn, Result). Add "
            "it to the header row.",
        ),
        Code(
            "duplicate-column",
            E,
            "Two columns have the same heading",
            "Cell F8: 'Actual' is a second Value column (the first is C8). Delete or rename one "
            "of them.",
        ),
        Code(
            "ignored-column",
            INFO,
            "A column that perfreport does not read",
            "Cell K8: the column 'Notes for finance' is not one perfreport reads, so it is "
            "ignored.",
        ),
        # -- row and cell level --
        Code(
            "unknown-ref",
            E,
            "A ref that is not in the catalogue",
            "Cell A12: 'ASC-99' is not a ref in the indicator catalogue. Check the ref, or ask "
            "the performance team to add the indicator.",
        ),
        Code(
            "duplicate-ref",
            E,
            "An indicator is returned twice",
            "Cell A15: ASC-01 appears again (first in A9). Keep one row per indicator and delete "
            "the other.",
        ),
        Code(
            "wrong-service",
            W,
            "An indicator returned by a service that does not own it",
            "Cell A11: HSG-02 belongs to Housing in the catalogue, but this return is from Adult "
            "Social Care. Move it to Housing's return, or ask the performance team to correct "
            "the catalogue.",
        ),
        Code(
            "period-mismatch",
            E,
            "The return is for another period",
            "Cell B4: the return says it is for Q1 2024/25, but it is being read for Q2 2024/25. "
            "Correct the period, or check the file is in the right folder.",
        ),
        Code(
            "not-a-number",
            E,
            "A value that is not a number",
            "Cell D14: 'about 80' is not a number. Enter a number, or set Data status to Not "
            "available.",
        ),
        Code(
            "value-not-used",
            W,
            "A figure given with Data status Not available",
            "Cell C9: a figure (86.5) is given but Data status is Not available, so the "
            "figure is not used. Clear the figure, or change Data status to Final, "
            "Provisional or Estimated.",
        ),
        Code(
            "missing-value",
            E,
            "A blank value that is not marked Not available",
            "Cell C10 is blank. Enter the figure for ASC-02, or set its Data status to Not "
            "available.",
        ),
        Code(
            "uncalculated-formula",
            E,
            "A formula with no saved result",
            "Cell C9 has a formula with no saved result: the workbook was made by a program and "
            "never opened in Excel. Open it in Excel, let it calculate, save, and send it again.",
        ),
        Code(
            "error-value",
            E,
            "A cell shows an Excel error (#DIV/0!, #N/A ...)",
            "Cell C11 shows the error #DIV/0!. Correct the formula or type the figure, or set "
            "Data status to Not available.",
        ),
        Code(
            "ambiguous-percent",
            W,
            "A percentage that may have been entered as a fraction, or "
            "a % on a measure that is not a percentage",
            "Cell C9: 0.85 for a percentage could mean 0.85% or 85%. Enter the percentage as a "
            "whole number (85 for 85%), or format the cell as a percentage.",
        ),
        Code(
            "out-of-range",
            E,
            "A percentage outside 0-100, or a negative count",
            "Cell C9: 185% is outside 0-100%. Check the figure.",
        ),
        Code(
            "numerator-denominator-mismatch",
            E,
            "The value is not numerator / denominator",
            "Cell C9: the value 85 does not match numerator / denominator (170 / 250 × 100 = "
            "68). Correct the value, the numerator or the denominator.",
        ),
        Code(
            "zero-denominator",
            E,
            "A denominator of zero",
            "Cell F9: the denominator is 0, so no figure can be calculated. Correct it, or clear "
            "the numerator and denominator and set Data status to Not available.",
        ),
        Code(
            "target-mismatch",
            W,
            "The return's target differs from the catalogue",
            "Cell D9: the target 75 differs from the catalogue's target of 80 for 2024/25. The "
            "catalogue's target is used; tell the performance team if it should change.",
        ),
        Code(
            "implausible-value",
            W,
            "A value far from its target (a slipped decimal point?)",
            "Cell C9: 850 is more than 10 times the target of 80. Check the figure (a misplaced "
            "decimal point?).",
        ),
        Code(
            "commentary-too-long",
            W,
            "Commentary over the word limit",
            "Cell H9: the commentary has 312 words; keep it to 250 words so it fits the report.",
        ),
        Code(
            "not-due",
            W,
            "A figure for an indicator not due this quarter",
            "Cell C12: ASC-09 is annual and due in Q4, not Q2. Check the figure is meant for this "
            "quarter.",
        ),
        Code(
            "control-characters",
            W,
            "Hidden control characters were removed from text",
            "Cell H9 contained hidden control characters, which have been removed. Check the "
            "text still reads correctly.",
        ),
        Code(
            "bad-data-status",
            E,
            "A data status that is not one of the four",
            "Cell G9: 'Draft' is not a data status. Enter Final, Provisional, Estimated or Not "
            "available (blank means Final).",
        ),
        Code(
            "bad-rag",
            E,
            "A RAG word that is not Red, Amber or Green",
            "Cell J9: 'Ambre' is not a RAG rating. Enter Red, Amber or Green, or leave it blank.",
        ),
        Code(
            "override-without-reason",
            E,
            "A RAG override with no reason",
            "Cell K9: a RAG override (Green) needs a reason. Enter it under Override reason, or "
            "clear the override.",
        ),
        # -- coverage --
        Code(
            "missing-return",
            W,
            "A service sent no return",
            "No return from Highways for Q2 2024/25 (8 indicators due). Ask the service for its "
            "return and save it in returns/Q2-2024.",
        ),
        Code(
            "missing-indicator",
            W,
            "A return lacks an indicator that is due",
            "HW-03 (Potholes repaired within 28 days) is due this quarter but is not in this "
            "return. Add a row for it; if the figure is not available, set Data status to Not "
            "available.",
        ),
        Code(
            "no-returns-folder",
            W,
            "The period's returns folder does not exist",
            "There is no folder returns/Q2-2024, so no returns were read. Save the returns there, "
            "or check the period.",
        ),
        Code(
            "ignored-file",
            INFO,
            "A file in the returns folder is not a return",
            "notes.pdf is not a spreadsheet, so it was not read. Returns must be Excel workbooks "
            "(.xlsx).",
        ),
        Code(
            "unknown-period",
            W,
            "The period of a return cannot be told",
            "The period of this return is not known, so the checks of which indicators are due "
            "were skipped. Fill in its Period cell, or give --period Q2-2024.",
        ),
        # -- catalogue and configuration --
        Code(
            "catalogue-missing-value",
            E,
            "A required catalogue cell is blank",
            "Cell D7: ASC-04 has no service. Fill in the service.",
        ),
        Code(
            "catalogue-duplicate-ref",
            E,
            "Two catalogue rows have the same ref",
            "Cell A9: ASC-01 is already used in row 3, so this row is skipped. Give each "
            "indicator its own ref.",
        ),
        Code(
            "catalogue-unknown-priority",
            E,
            "A catalogue priority is not in perfreport.toml",
            "Cell C5: ASC-02 has priority 'Healthy Somerset', which is not in perfreport.toml. "
            "Use one of: greener (A greener, more sustainable Somerset); healthy (A healthy and "
            "caring Somerset).",
        ),
        Code(
            "catalogue-bad-polarity",
            E,
            "A polarity is not higher, lower or none",
            "Cell F5: ASC-02 has polarity 'upwards'. Enter higher, lower or none.",
        ),
        Code(
            "catalogue-bad-frequency",
            E,
            "A frequency is not one of the known ones",
            "Cell G5: ASC-02 has frequency 'weekly'. Enter quarterly, monthly, half-yearly or "
            "annual.",
        ),
        Code(
            "catalogue-bad-due",
            E,
            "The due quarters cannot be read",
            "Cell H5: ASC-02 has due 'March'. Enter the quarter(s) the figure arrives in, such as "
            "Q4 or Q2,Q4.",
        ),
        Code(
            "catalogue-due-mismatch",
            W,
            "The due quarters do not fit the frequency",
            "Cell H5: ASC-02 is annual but due 'Q2,Q4' names 2 quarter(s). Check the due quarters "
            "or the frequency.",
        ),
        Code(
            "catalogue-bad-rated",
            E,
            "Rated is not yes or no",
            "Cell I5: ASC-02 has rated 'maybe'. Enter yes or no, or leave it blank to rate it when "
            "it has a target.",
        ),
        Code(
            "catalogue-bad-number",
            E,
            "A target, amber threshold or decimals is not a number",
            "Cell J5: ASC-02 has target 'about 80', which is not a number. Enter a number, or "
            "leave it blank.",
        ),
        Code(
            "catalogue-ambiguous-percent",
            W,
            "A percentage target below 1 may be a fraction",
            "Cell J5: ASC-02 is a percentage with target 0.85. If you mean 85%, enter 85; if you "
            "mean 0.85%, type it as 0.85%.",
        ),
        Code(
            "catalogue-amber-wrong-side",
            E,
            "The Amber threshold is on the wrong side of the target",
            "Cell K5: ASC-02 has Amber threshold 95 on the wrong side of its target 90. Higher is "
            "better, so the threshold must be at or below the target. Correct the threshold.",
        ),
        Code(
            "catalogue-rated-without-target",
            W,
            "A rated indicator has no target",
            "Cell I5: ASC-02 is rated but has no target, so it will be shown as Not rated. Enter a "
            "target (here or on the Targets sheet), or set rated to no.",
        ),
        Code(
            "catalogue-rated-without-polarity",
            W,
            "A rated indicator has polarity none",
            "Cell I5: ASC-02 is rated but its polarity is none, so it cannot be rated. Set "
            "polarity to higher or lower, or rated to no.",
        ),
        Code(
            "catalogue-bad-period",
            E,
            "Comparable from is not a period",
            "Cell P5: ASC-02 has comparable from 'last year', which is not a period. Write it as "
            "Q2-2024 or Q2 2024/25.",
        ),
        Code(
            "catalogue-duplicate-column",
            E,
            "Two catalogue columns have the same heading",
            "Cell M1: 'Target' is a second target column; only the first is read. Delete or "
            "rename one of them.",
        ),
        Code(
            "catalogue-unknown-column",
            INFO,
            "A catalogue column is not one perfreport reads",
            "Cell Q1: the column 'Notes' is not a catalogue column, so it is ignored. Rename it if "
            "it should be read.",
        ),
        Code(
            "catalogue-empty",
            W,
            "The catalogue lists no indicators",
            "The catalogue lists no indicators. Add one row per indicator below the headings.",
        ),
        Code(
            "catalogue-targets-missing-column",
            E,
            "The Targets sheet lacks a required column",
            "The Targets table lacks the column(s) Year, so no year targets are read. Its headings "
            "must be Ref, Year, Target and (optionally) Amber.",
        ),
        Code(
            "catalogue-targets-unknown-ref",
            W,
            "A Targets row names a ref not in the catalogue",
            "Cell A4: 'ASC-99' is not a ref in the catalogue, so this target is ignored. Correct "
            "the ref or delete the row.",
        ),
        Code(
            "catalogue-targets-duplicate",
            E,
            "Two Targets rows for the same ref and year",
            "Cell A6: ASC-01 already has a 2024/25 target in row 3, so this row is ignored. Keep "
            "one row per indicator and year.",
        ),
        Code(
            "catalogue-bad-year",
            E,
            "A Targets year is not a financial year",
            "Cell B4: '24' is not a financial year, so this target is ignored. Write it as "
            "2024/25.",
        ),
        # -- the paper --
        Code(
            "pdf-not-made",
            W,
            "LibreOffice is not installed, so only the .docx was written",
            "LibreOffice was not found, so the PDF was not made. The Word document (.docx) is "
            "fine. Install LibreOffice, or set PERFREPORT_SOFFICE to its soffice program.",
        ),
        Code(
            "placeholder",
            W,
            "An item of the report file is not filled in",
            'Executive Summary is not filled in, so the paper shows "[To be completed: '
            "Executive Summary]\". Add 'executive_summary' to reports/Q2-2024.toml (see "
            "docs/report-file.md), or complete it in Word.",
        ),
        Code(
            "unprintable-text",
            W,
            "Text that a Word document cannot hold was removed",
            "appendix ASC-01 commentary: 2 control characters (U+0007) were removed because a "
            "Word document cannot hold them. Check the text where it came from.",
        ),
        # -- rating --
        Code(
            "published-rating-differs",
            INFO,
            "A published RAG differs from its returns today",
            "ASC-01 was published as Amber for Q1 2024/25, but its returns rated with today's "
            "catalogue give Red (84.9% against target 90.0%: Red (Amber from 85.5%)). The summary "
            "keeps the published Amber, as committee saw it. If the published paper was wrong, "
            "rebuild Q1-2024 and delete build/Q1-2024/dataset.json first.",
        ),
        Code(
            "published-dataset-unreadable",
            W,
            "A published dataset.json cannot be used",
            "build/Q1-2024/dataset.json cannot be used: it is not valid JSON (Expecting value at "
            "line 1). Q1 2024/25 was rated again from its returns instead. Rebuild Q1-2024 to "
            "publish a new one.",
        ),
    )
}


def finding(
    code: str,
    message: str,
    *,
    severity: Severity | None = None,
    file: str | None = None,
    sheet: str | None = None,
    cell: str | None = None,
    ref: str | None = None,
    value: object = None,
) -> Finding:
    """Make a Finding for a registered code (its severity comes from the registry)."""
    entry = CODES[code]
    return Finding(
        code=code,
        severity=severity or entry.severity,
        message=_shown(message),
        file=_shown(file),
        sheet=_shown(sheet),
        cell=cell,
        ref=_shown(ref),
        value=_shown(truncate(value)),
    )


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def _shown(text: str | None) -> str | None:
    """Text from a workbook (a sheet name, a cell) may hold control characters or lone
    surrogates: shown as U+FFFD so that they never reach a terminal, JSON or the paper."""
    return _CONTROL.sub("\ufffd", text) if text else text
