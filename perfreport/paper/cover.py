"""The paper's cover from the report file: the meeting facts and officers' prose as display text."""

from __future__ import annotations

import datetime as dt

from perfreport.core.formatting import format_date
from perfreport.core.periods import Period
from perfreport.inputs.report_file import (
    AUTHOR_FIELDS,
    ITEMS,
    ITEMS_BY_KEY,
    RISK_TABLES,
    Assurance,
    Kind,
    ReportText,
    placeholder,
)
from perfreport.paper.model import (
    AssuranceRow,
    AuthorDetails,
    Cover,
    FigureBlock,
    RiskRow,
    RiskTables,
)

NOT_SCORED = "Not scored"
CONSULTED = ITEMS_BY_KEY["consulted"].label
# The report file's key_issues is the officers' narrative; the paper's key_issues are computed.
FIELD_OF_ITEM = {"key_issues": "key_issues_narrative"}


def _line(report: ReportText, key: str) -> str:
    value = report[key]
    return value if value else placeholder(ITEMS_BY_KEY[key].label)


def _block(report: ReportText, key: str) -> tuple[str, ...]:
    return tuple(report[key] or ()) or (placeholder(ITEMS_BY_KEY[key].label),)


def _risk_rows(report: ReportText, name: str) -> tuple[RiskRow, ...]:
    rows = report.risks.get(name) or ()
    if not rows:
        return (
            RiskRow(
                description=placeholder(RISK_TABLES[name]),
                likelihood=NOT_SCORED,
                impact=NOT_SCORED,
                score=NOT_SCORED,
                band="",
                fill="FFFFFF",
            ),
        )
    return tuple(
        RiskRow(
            description=r.description,
            likelihood=str(r.score.likelihood),
            impact=str(r.score.impact),
            score=str(r.score.score),
            band=str(r.score.band),
            fill=r.score.band.fill,
        )
        for r in rows
    )


def _assurance_row(row: Assurance) -> AssuranceRow:
    if isinstance(row.date, dt.date):
        date = format_date(row.date)
    else:  # "n/a", or not filled in
        date = row.date or placeholder(f"{row.role} date")
    return AssuranceRow(
        role=row.role,
        name=row.name or placeholder(f"{row.role} name"),
        date=date,
        group="",
    )


def _assurance(report: ReportText) -> tuple[AssuranceRow, ...]:
    rows = tuple(_assurance_row(row) for row in report.assurance) or (
        AssuranceRow(
            role=placeholder("Report assurance"),
            name=placeholder("officer name"),
            date=placeholder("date completed"),
            group="",
        ),
    )
    if report.consulted:
        # As in the reference paper: a "Consulted:" row, then those consulted, in the same table.
        group = AssuranceRow(role="", name="", date="", group=f"{CONSULTED}:")
        rows += (group, *(_assurance_row(row) for row in report.consulted))
    return rows


def _figures(report: ReportText) -> tuple[FigureBlock, ...]:
    return tuple(
        FigureBlock(image=str(f.image), alt=f.alt, caption=f.caption or "", after=f.after)
        for f in report.figures
    )


def make_cover(report: ReportText, *, council: str, report_title: str, period: Period) -> Cover:
    """Everything in the paper but the computed parts (summary, key issues, appendix).

    Every value is display-ready text; a missing item is its "[To be completed: …]" placeholder.
    """
    meeting = report["meeting_date"]
    decision = report["key_decision"]
    author = report.author
    texts: dict[str, str | tuple[str, ...]] = {}
    for item in ITEMS:
        if item.kind is Kind.LINE:
            texts[item.key] = _line(report, item.key)
        elif item.kind in (Kind.PROSE, Kind.LIST):
            texts[FIELD_OF_ITEM.get(item.key, item.key)] = _block(report, item.key)
    return Cover(
        council=council,
        report_title=report_title,
        period_label=period.label,
        period_months=period.months_label,
        title=f"{report_title} {period.label}",
        subject=f"Performance of {council} in {period.label} ({period.months_label})",
        meeting_date=format_date(meeting)
        if meeting
        else placeholder(ITEMS_BY_KEY["meeting_date"].label),
        meeting_date_iso=meeting.isoformat() if meeting else "",
        key_decision={True: "Yes", False: "No"}.get(decision) or placeholder("Key Decision"),
        author=AuthorDetails(
            **{
                k: getattr(author, k) or (placeholder(label) if label else "")
                for k, label in AUTHOR_FIELDS.items()
            }
        ),
        risks=RiskTables(**{name: _risk_rows(report, name) for name in RISK_TABLES}),
        assurance=_assurance(report),
        figures=_figures(report),
        **texts,  # type: ignore[arg-type]
    )
