"""The rated dataset as open data (JSON, CSV, xlsx) and the summary as JSON (docs/export.md)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from perfreport.core.findings import Severity, count
from perfreport.core.gcpause import paused
from perfreport.core.model import RAG, Indicator
from perfreport.core.paper_settings import GroupBy
from perfreport.publish.export_columns import flat_records
from perfreport.publish.formats import ExportFormat
from perfreport.publish.jsontext import indented_json
from perfreport.rating.published import DATASET_SCHEMA
from perfreport.rating.rules import as_shown
from perfreport.summary.counts import Category
from perfreport.xlsx.writing import workbook_bytes, write_atomically

if TYPE_CHECKING:  # annotations only
    from perfreport.summary.benchmarks import Comparison
    from perfreport.summary.grouping import GroupCounts
    from perfreport.summary.rated import RatedIndicator
    from perfreport.summary.summary import Summary
    from perfreport.summary.trend import Trend, TrendPoint

SUMMARY_SCHEMA = "perfreport.summary/1"


# A spreadsheet treats text starting with these as a formula (or as the start of one).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# Text a spreadsheet reads as an error value, not text ("#N/A" typed as commentary): Excel's
# error literals, compared trimmed and ignoring case as Excel does.
ERROR_LITERALS = frozenset(
    "#NULL! #DIV/0! #VALUE! #REF! #NAME? #NUM! #N/A #GETTING_DATA #SPILL! #CALC! #FIELD! "
    "#BLOCKED! #CONNECT! #BUSY! #UNKNOWN! #PYTHON!".split()
)


def is_error_literal(value: Any) -> bool:
    return isinstance(value, str) and value.strip().upper() in ERROR_LITERALS


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet could run as a formula, or read as an error value ("#N/A"), gets a
    leading apostrophe; numbers (negative ones too) and everything else stay as they are."""
    if isinstance(value, str) and (value.startswith(FORMULA_STARTS) or is_error_literal(value)):
        return "'" + value
    return value


def clean_number(value: float | None) -> float | None:
    """A figure without binary noise: 73.59999999999999 (0.736 read as a percentage) is 73.6.

    Fifteen significant digits is what a double holds faithfully, and what Excel shows.
    """
    return None if value is None else float(f"{value:.15g}")


def as_rated(indicator: Indicator, value: float | None) -> float | int | None:
    """A figure as the rating compared it: at the precision the paper shows (``as_shown``), so
    that re-rating these columns with docs/rating.md's table gives the published RAG."""
    if value is None:
        return None
    shown: Decimal = as_shown(indicator, value)
    whole = shown == shown.to_integral_value() and abs(shown) < 2**53  # exactly an int in JSON
    return int(shown) if whole else float(shown)


def _rag(rag: RAG | None) -> str | None:
    return rag.value if rag is not None else None


def indicator_record(row: RatedIndicator, trend: Trend | None = None) -> dict[str, Any]:
    """One indicator as the export's JSON shows it (with its trend, when given)."""
    current, indicator = row.current, row.indicator
    observation = current.observation
    source = observation.source if observation is not None else None
    return {
        "ref": indicator.ref,
        "title": indicator.title,
        "priority": row.priority.name,
        "priority_key": row.priority.key,
        "service": indicator.service,
        "directorate": indicator.directorate,
        "unit": indicator.unit,
        "polarity": indicator.polarity.value,
        "decimals": indicator.decimals,
        "display": indicator.display.value,
        "frequency": indicator.frequency.value,
        "value": clean_number(current.value),
        "value_period": current.value_period.key if current.value_period else None,
        "value_label": current.value_label,
        "target": clean_number(current.target),
        "amber_threshold": clean_number(current.amber_threshold),
        "value_as_rated": as_rated(indicator, current.value),
        "target_as_rated": as_rated(indicator, current.target),
        "amber_threshold_as_rated": as_rated(indicator, current.amber_threshold),
        "rag": _rag(current.rag),
        "rag_reason": current.reason,
        "rated": current.rated,
        "overridden": current.overridden,
        "status": current.status.value,
        "previous_value": clean_number(row.previous.value) if row.previous is not None else None,
        "previous_rag": _rag(row.previous_rag),
        "same_quarter_last_year_value": (
            clean_number(row.last_year.value) if row.last_year is not None else None
        ),
        "direction_short": row.direction_short.value,
        "direction_long": row.direction_long.value,
        "commentary": observation.commentary if observation is not None else "",
        "actions": observation.actions if observation is not None else "",
        "forecast_rag": _rag(observation.forecast_rag) if observation is not None else None,
        "data_status": observation.data_status.value if observation is not None else None,
        "source": (
            {"file": source.file, "sheet": source.sheet, "cell": source.cell}
            if source is not None
            else None
        ),
        "benchmarks": [_benchmark(c) for c in row.benchmarks],
        "trend": trend.text if trend is not None else None,
        "trend_direction": trend.direction.value if trend is not None else None,
        "trend_points": [_point(p) for p in trend.points] if trend is not None else None,
    }


def _point(point: TrendPoint) -> dict[str, Any]:
    """A trend point as ``TrendPoint.to_dict`` gives it, its figures without binary noise."""
    return {
        "period": point.period.key,
        "label": point.label,
        "value": clean_number(point.value),
        "target": clean_number(point.target),
        "rag": point.rag.value if point.rag is not None else None,
        "current": point.current,
    }


def _benchmark(comparison: Comparison) -> dict[str, Any]:
    """One comparator's benchmark of this quarter's figure (docs/benchmarks.md)."""
    b = comparison.benchmark
    return {
        "comparator": b.comparator,
        "period": b.period_label,
        "value": clean_number(b.value),
        "lower_quartile": clean_number(b.lower_quartile),
        "upper_quartile": clean_number(b.upper_quartile),
        "verdict": comparison.verdict.value if comparison.verdict is not None else None,
        "source": (
            {"file": b.source.file, "sheet": b.source.sheet, "cell": b.source.cell}
            if b.source is not None
            else None
        ),
    }


def _transitions(summary: Summary) -> dict[str, int]:
    return {t.key: t.count for t in summary.transitions}


@paused
def dataset_document(summary: Summary) -> dict[str, Any]:
    """The rated dataset, schema perfreport.dataset/1; the build publishes it as dataset.json."""
    previous = summary.previous_counts
    return {
        "schema": DATASET_SCHEMA,
        "council": summary.council,
        "report_title": summary.report_title,
        "period": summary.period.key,
        "period_label": summary.period.label,
        "previous_period": summary.previous_period.key,
        "previous_period_label": summary.previous_period.label,
        "history_source": summary.history_source.value,
        "summary": {
            "total": summary.total,
            "rated": summary.rated,
            "counts": summary.counts.to_dict(),
            "previous_counts": previous.to_dict() if previous is not None else None,
            "transitions": _transitions(summary),
            "by_priority": {
                row.group.name: {
                    "key": row.group.key,
                    "total": row.total,
                    "rated": row.rated,
                    "counts": row.current.to_dict(),
                    "previous_counts": (
                        row.previous.to_dict() if row.previous is not None else None
                    ),
                }
                for row in summary.by_priority
            },
            "group_by": summary.grouping.by.value,
            "by_group": _by_group(summary),
            "headline": summary.headline,
            "narrative": summary.narrative,
            "rag_over_time": [q.to_dict() for q in summary.quarter_counts],
        },
        "indicators": [
            indicator_record(row, summary.trends.get(row.ref)) for row in summary.indicators
        ],
    }


def _by_group(summary: Summary, rows: Sequence[GroupCounts] | None = None) -> list[dict[str, Any]]:
    """Each group's counts (the paper's groups unless ``rows`` says otherwise), in order."""
    return [
        {
            "key": row.group.key,
            "name": row.group.name,
            "total": row.total,
            "rated": row.rated,
            "counts": row.current.to_dict(),
            "previous_counts": row.previous.to_dict() if row.previous is not None else None,
        }
        for row in (summary.by_group if rows is None else rows)
    ]


def summary_document(summary: Summary) -> dict[str, Any]:
    """The summary (perfreport summary --format json), schema perfreport.summary/1."""
    movement = summary.movement
    previous = summary.previous_counts
    return {
        "schema": SUMMARY_SCHEMA,
        "council": summary.council,
        "period": summary.period.key,
        "period_label": summary.period.label,
        "previous_period": summary.previous_period.key,
        "previous_period_label": summary.previous_period.label,
        "headline": summary.headline,
        "narrative": summary.narrative,
        "movement": None
        if movement is None
        else {
            "comparison": movement.comparison,
            "changes": {
                c.rag.value: {
                    "before": c.before,
                    "after": c.after,
                    "trend": c.trend.value,
                    "figures": c.figures,
                }
                for c in movement.changes
            },
        },
        "total": summary.total,
        "rated": summary.rated,
        "counts": summary.counts.to_dict(),
        "previous_counts": previous.to_dict() if previous is not None else None,
        "by_priority": _by_group(summary, summary.by_priority),
        "group_by": summary.grouping.by.value,
        "by_group": _by_group(summary),
        "transitions": _transitions(summary),
        "rag_over_time": [q.to_dict() for q in summary.quarter_counts],
        "new_measures": [row.ref for row in summary.new_measures],
        "dropped_measures": [rating.ref for rating in summary.dropped_measures],
        "key_issues": [
            {
                "group": group.group.name,
                "group_key": group.group.key,
                # As before [paper] group_by: the same words under their old names.
                **(
                    {"priority": group.group.name, "priority_key": group.group.key}
                    if summary.grouping.by is GroupBy.PRIORITY
                    else {}
                ),
                "issues": [
                    {"kind": i.kind.value, "ref": i.item.ref, "text": i.text} for i in group.issues
                ],
            }
            for group in summary.key_issues
        ],
        "history": {
            "source": summary.history_source.value,
            "periods": {key: source.value for key, source in summary.history_sources.items()},
            "imported_from": dict(summary.imported_from),
        },
        "findings": {
            "counts": {s.value: count(summary.findings, s) for s in Severity},
            "items": [f.to_dict() for f in summary.findings],
        },
    }


def flat_table(
    summary: Summary, records: Sequence[dict[str, Any]] | None = None
) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
    """The CSV and xlsx columns and rows (``flat_records``); ``records``: the dataset
    document's indicators, when made already."""
    if records is None:
        records = [indicator_record(r, summary.trends.get(r.ref)) for r in summary.indicators]
    return flat_records(records)


def flat_rows(
    summary: Summary, records: Sequence[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """One flat record per indicator, as the CSV and xlsx have them (``flat_table``)."""
    return flat_table(summary, records)[1]


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if type(value) is str and not value.startswith(FORMULA_STARTS) and "#" not in value:
        return value  # no formula, and no error value ("#N/A"): most cells, without more calls
    return neutralise(value)


@paused
def csv_text(summary: Summary, records: Sequence[dict[str, Any]] | None = None) -> str:
    """The dataset as CSV text, formula-like text neutralised; ``records`` as for flat_rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    columns, rows = flat_table(summary, records)
    writer.writerow(columns)
    for record in rows:
        writer.writerow([_csv_cell(record[c]) for c in columns])
    return buffer.getvalue()


@paused
def json_text(document: dict[str, Any]) -> str:
    """``document`` as the export's JSON text: indented by 2, UTF-8 characters as they are."""
    return indented_json(document, end="\n")


def xlsx_bytes(summary: Summary) -> bytes:
    """The dataset as a workbook: an Indicators sheet and a Summary sheet of counts by group (what
    the paper groups by: priority unless [paper] group_by says otherwise)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from perfreport.paper.textsafety import clean_text

    def cell(value: Any) -> Any:
        if isinstance(value, str):
            value = clean_text(value)[0]  # an xlsx cannot hold control characters
            if is_error_literal(value):
                return value  # kept as text by _table, which marks every text cell as text
        return neutralise(value)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Indicators"
    columns, flat = flat_table(summary)
    _table(sheet, columns, [[cell(r[c]) for c in columns] for r in flat], Font)
    counts = workbook.create_sheet("Summary")
    headings = [summary.grouping.noun, "total", "rated"] + [
        f"{kind.value}_{when}" for when in ("previous", "current") for kind in Category
    ]
    rows = []
    for row in summary.by_group:
        before = row.previous
        rows.append(
            [cell(row.group.name), row.total, row.rated]
            + [before.of(kind) if before is not None else None for kind in Category]
            + [row.current.of(kind) for kind in Category]
        )
    _table(counts, headings, rows, Font)
    return workbook_bytes(workbook)


def _table(sheet: Any, headings: Sequence[str], rows: Sequence[Sequence[Any]], font: Any) -> None:
    sheet.append(list(headings))
    for heading in sheet[1]:
        heading.font = font(bold=True)
    for row in rows:
        sheet.append(list(row))
        for written in sheet[sheet.max_row]:
            if isinstance(written.value, str):
                # openpyxl stores "#N/A" or "#REF!" as an error cell: text must stay text.
                written.data_type = "s"
    sheet.freeze_panes = "A2"


def export_bytes(summary: Summary, fmt: ExportFormat | str) -> bytes:
    """The export in ``fmt`` (an ExportFormat, or its value: json, csv or xlsx) as file bytes."""
    try:
        kind = ExportFormat(fmt)
    except ValueError:
        raise ValueError(f"format must be one of {', '.join(ExportFormat)}, got {fmt!r}") from None
    if kind is ExportFormat.JSON:
        return json_text(dataset_document(summary)).encode("utf-8")
    if kind is ExportFormat.CSV:
        # A byte-order mark, so that Excel opens the UTF-8 file with £ and ↑ intact.
        return csv_text(summary).encode("utf-8-sig")
    return xlsx_bytes(summary)


def write_export(summary: Summary, fmt: ExportFormat | str, path: Path) -> Path:
    """Write the export to ``path`` (whole or not at all) and return the path."""
    data = export_bytes(summary, fmt)
    write_atomically(Path(path), data)
    return Path(path)
