"""The example's benchmarks.csv: REAL England medians (and quartiles) from the OFLOG adult social care data.

The source is ../shared/data/oflog-adult-social-care.csv beside the repository (published for
the Office for Local Government's data explorer; see README.md). It is read when the example is
generated, never when perfreport runs: the committed benchmarks.csv is all the example needs.
Without the source file the committed benchmarks.csv is copied as it is, with a message.
"""

from __future__ import annotations

import csv
import io
import shutil
import statistics
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent.parent / "shared" / "data" / "oflog-adult-social-care.csv"
COMMITTED = HERE / "somerset" / "benchmarks.csv"
COMPARATOR = "England median"

# The example's indicators that are OFLOG measures (examples/somerset_catalogue.py cites them).
MEASURES = {
    "ASC-07": "Outcome, ASC Carer Quality of Life",
    "ASC-13": "Outcome, Outcome of short-term services: sequel to service",
    "ASC-14": "Outcome, Ease of finding information about services : service users",
    "ASC-15": "Outcome, Requests resulting in a service",
    "ASC-16": "Outcome, Workforce turnover rate",
}


def _number(value: float) -> str:
    """Four decimal places at most, without the source's binary noise (78.05000000000001)."""
    return f"{value:.4f}".rstrip("0").rstrip(".")


def benchmark_rows(source: Path) -> list[list[str]]:
    """One row per measure and financial year: the published MEDIAN, and the lower and upper
    quartiles of the councils' values that year (statistics.quantiles, inclusive method)."""
    medians: dict[tuple[str, str], float] = {}
    values: dict[tuple[str, str], list[float]] = defaultdict(list)
    with source.open(encoding="utf-8-sig", newline="") as stream:
        for row in csv.DictReader(stream):
            key = (row["Measure"], row["Financial year"])
            medians[key] = float(row["MEDIAN"])
            if row["Value"].strip():
                values[key].append(float(row["Value"]))
    rows = []
    for ref, measure in MEASURES.items():
        years = sorted(year for (name, year) in medians if name == measure)
        for year in years:
            lower, _, upper = statistics.quantiles(values[(measure, year)], n=4, method="inclusive")
            start, end = year.split("-")
            rows.append(
                [
                    ref,
                    f"{start}/{end}",
                    COMPARATOR,
                    _number(medians[(measure, year)]),
                    _number(lower),
                    _number(upper),
                ]
            )
    return rows


def write_benchmarks(path: Path) -> None:
    """Write ``path`` from the OFLOG file, or copy the committed one when that is absent."""
    if not SOURCE.is_file():
        print(
            f"note: {SOURCE} not found; the committed {COMMITTED.name} is copied unchanged",
            file=sys.stderr,
        )
        if COMMITTED.resolve() != path.resolve():
            shutil.copyfile(COMMITTED, path)
        return
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Ref", "Period", "Comparator", "Value", "Lower quartile", "Upper quartile"])
    writer.writerows(benchmark_rows(SOURCE))
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="\n")
