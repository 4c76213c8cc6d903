"""The paper's benchmark lines (Appendix A and B) and the Summary's sentence, from the summary."""

from __future__ import annotations

from perfreport.core.formatting import format_value
from perfreport.core.project import Tolerance
from perfreport.paper.model_benchmark import BenchmarkLine
from perfreport.summary.benchmarks import comparison_text, quartiles_text
from perfreport.summary.rated import RatedIndicator

LABEL = "Benchmark: "  # Appendix A: the line under the commentary starts with it


def benchmark_lines(row: RatedIndicator) -> tuple[BenchmarkLine, ...]:
    """One line per comparator of this quarter's figure, in the order of benchmarks.csv."""
    indicator = row.indicator
    return tuple(
        BenchmarkLine(
            text=comparison_text(indicator, c),
            comparator=c.comparator,
            period=c.benchmark.period_label,
            value=format_value(
                c.benchmark.value, indicator.unit, indicator.decimals, compact=indicator.compact
            ),
            quartiles=quartiles_text(indicator, c.benchmark),
            verdict=c.verdict.word if c.verdict is not None else "",
        )
        for c in row.benchmarks
    )


def shown_lines(lines: tuple[BenchmarkLine, ...]) -> str:
    """The lines as Appendix A's commentary cell shows them, to count the row's height."""
    return "".join(f"\n{LABEL}{line.text}" for line in lines)


def benchmark_note(band: Tolerance | None) -> str:
    """Appendix A's key to the benchmark lines (shown when some indicator has one)."""
    reach = "" if band is None else f" (within {band} of it)" if band.amount else " (the same)"
    return (
        "Under the commentary, Benchmark compares the figure with another group's, such as the "
        "England median, for the latest period published before it: Better, Similar"
        f"{reach} or Worse, as higher or lower is better. A context measure shows the other "
        "group's figure only."
    )
