"""How long the paper's charts take to draw: the example's (1x) and ten councils' worth (10x).

Run: python bench/charts.py [--runs 3] [--out bench/charts.json]. Each timing is a fresh Python
process, so matplotlib's import is counted, as a build pays it: the two summary charts and a
sparkline per indicator, drawn cold, then again from the content cache (build/.cache/charts).
"""

from __future__ import annotations

import argparse
import json
import pickle
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "somerset"
TIMER = """
import pickle, sys, time
start = time.perf_counter()
from perfreport.paper.charts import draw_all
charts = pickle.loads(open(sys.argv[1], "rb").read())
cache = None if sys.argv[2] == "-" else __import__("pathlib").Path(sys.argv[2])
draw_all(charts, cache)
print(time.perf_counter() - start)
"""


def example_charts(folder: Path) -> list:
    """The example's charts, as a build of Q2-2024 would draw them."""
    from perfreport.build import summarise_period
    from perfreport.core.periods import Period
    from perfreport.core.project import load_project
    from perfreport.paper.charts import rag_by_group_of, rag_over_time_of, sparkline_of

    shutil.copytree(EXAMPLE, folder, ignore=shutil.ignore_patterns("build"))
    summary = summarise_period(load_project(folder), Period(2024, 2))
    sparks = [sparkline_of(summary.trends[row.ref]) for row in summary.indicators]
    return [rag_by_group_of(summary), rag_over_time_of(summary), *sparks]


def scaled(charts: list, scale: int) -> list:
    """``scale`` councils' charts: each council's figures shifted a little, so none repeats."""
    from perfreport.paper.charts import Sparkline

    found = []
    for council in range(scale):
        for chart in charts:
            if isinstance(chart, Sparkline) and council:
                shift = 1 + council / 1000
                values = tuple(v * shift if v is not None else None for v in chart.values)
                chart = replace(chart, values=values)
            found.append(chart)
    return found


def timed(specs: Path, cache: Path | None) -> float:
    done = subprocess.run(
        [sys.executable, "-c", TIMER, str(specs), str(cache) if cache else "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    results: dict[str, dict[str, float | int]] = {}
    with tempfile.TemporaryDirectory(prefix="perfreport-charts-") as tmp:
        work = Path(tmp)
        base = example_charts(work / "somerset")
        for scale in (1, 10):
            charts = scaled(base, scale)
            specs = work / f"charts-{scale}.pickle"
            specs.write_bytes(pickle.dumps(charts))
            cold = [timed(specs, None) for _ in range(args.runs)]
            cache = work / f"cache-{scale}"
            timed(specs, cache)  # fill the cache
            warm = [timed(specs, cache) for _ in range(args.runs)]
            shutil.rmtree(cache)
            results[f"{scale}x"] = {
                "charts": len(charts),
                "cold_seconds": round(statistics.median(cold), 3),
                "cached_seconds": round(statistics.median(warm), 3),
            }
    print(f"{'scale':>5}  {'charts':>6}  {'drawn (s)':>9}  {'from cache (s)':>14}")
    for scale, row in results.items():
        print(
            f"{scale:>5}  {row['charts']:>6}  {row['cold_seconds']:>9.3f}  "
            f"{row['cached_seconds']:>14.3f}"
        )
    if args.out is not None:
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
