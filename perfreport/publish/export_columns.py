"""The CSV and xlsx exports' columns: the indicator fields flattened, a group per comparator."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# The CSV and xlsx columns, in order: the JSON indicator fields with "source" flattened, then
# one group of BENCHMARK_FIELDS per comparator (columns_for).
COLUMNS = (
    "ref",
    "title",
    "priority",
    "priority_key",
    "service",
    "directorate",
    "unit",
    "polarity",
    "decimals",
    "display",
    "frequency",
    "value",
    "value_period",
    "value_label",
    "target",
    "amber_threshold",
    "value_as_rated",
    "target_as_rated",
    "amber_threshold_as_rated",
    "rag",
    "rag_reason",
    "rated",
    "overridden",
    "status",
    "previous_value",
    "previous_rag",
    "same_quarter_last_year_value",
    "direction_short",
    "direction_long",
    "trend",
    "trend_direction",
    "commentary",
    "actions",
    "forecast_rag",
    "data_status",
    "source_file",
    "source_sheet",
    "source_cell",
    # The first comparator's group (the others': columns_for).
    "benchmark_comparator",
    "benchmark_period",
    "benchmark_value",
    "benchmark_lower_quartile",
    "benchmark_upper_quartile",
    "benchmark_verdict",
)
BENCHMARK_FIELDS = ("comparator", "period", "value", "lower_quartile", "upper_quartile", "verdict")


def comparators(records: Sequence[dict[str, Any]]) -> tuple[str, ...]:
    """Every comparator the indicators are benchmarked against, in the order first met, each
    once whatever its case: the rating takes "England median" and "england median" for one
    (summary.benchmarks.applicable), so they share a group of columns (_kind)."""
    found: dict[str, str] = {}
    for record in records:
        for benchmark in record["benchmarks"]:
            found.setdefault(_kind(benchmark["comparator"]), benchmark["comparator"])
    return tuple(found.values())


def _kind(comparator: str) -> str:
    return comparator.casefold()  # as summary.benchmarks.applicable tells comparators apart


def benchmark_columns(group: int) -> tuple[str, ...]:
    """The columns of the ``group``-th comparator (from 1): benchmark_value, benchmark_2_value..."""
    prefix = "benchmark_" if group == 1 else f"benchmark_{group}_"
    return tuple(prefix + name for name in BENCHMARK_FIELDS)


def columns_for(kinds: Sequence[str]) -> tuple[str, ...]:
    """The CSV and xlsx columns for indicators benchmarked against ``kinds``: COLUMNS (whose last
    group is the first comparator's, empty without one), then a group for each other one."""
    return COLUMNS + tuple(
        c for group in range(2, len(kinds) + 1) for c in benchmark_columns(group)
    )


def flat_records(
    records: Sequence[dict[str, Any]],
) -> tuple[tuple[str, ...], list[dict[str, Any]]]:
    """The columns, and one flat record per indicator of the dataset document's ``records``:
    source split into three columns, each comparator in its own group of columns, the same group
    in every row, so that a spreadsheet filters on it."""
    kinds = comparators(records)
    columns = columns_for(kinds)
    groups = {_kind(kind): benchmark_columns(n) for n, kind in enumerate(kinds, start=1)}
    # None in every group's columns (the first group's too when no indicator has a benchmark).
    empty = dict.fromkeys(c for c in columns if c.startswith("benchmark_"))
    rows = []
    for made in records:
        record = dict(made)
        record.pop("trend_points")  # a list: the JSON export carries it, a flat row cannot
        record.update(empty)
        for benchmark in record.pop("benchmarks"):
            names = groups[_kind(benchmark["comparator"])]
            for column, name in zip(names, BENCHMARK_FIELDS, strict=True):
                record[column] = benchmark[name]
        source = record.pop("source") or {}
        for part in ("file", "sheet", "cell"):
            record[f"source_{part}"] = source.get(part)
        rows.append({column: record[column] for column in columns})
    return columns, rows
