"""Each indicator's figure against its benchmarks: Better, Similar or Worse than the comparator."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from perfreport.core.formatting import format_value, plural
from perfreport.core.model import Benchmark, Indicator, Polarity
from perfreport.core.periods import Period
from perfreport.core.project import Tolerance
from perfreport.rating.rules import Rating, as_shown


class Verdict(enum.StrEnum):
    """How the figure compares with the comparator, where higher or lower is better."""

    BETTER = "better"
    SIMILAR = "similar"
    WORSE = "worse"

    @property
    def word(self) -> str:
        return self.value.capitalize()


@dataclass(frozen=True)
class Comparison:
    """One comparator's benchmark for an indicator's figure, and the verdict (None: context)."""

    benchmark: Benchmark
    verdict: Verdict | None

    @property
    def comparator(self) -> str:
        return self.benchmark.comparator


def applicable(benchmarks: Iterable[Benchmark], figure_period: Period) -> tuple[Benchmark, ...]:
    """Per comparator (in the order the file first names it), the latest benchmark covering no
    later than ``figure_period``: a 2023/24 median for a Q2 2024/25 figure, never 2024/25's,
    whose year has not ended. A quarter's benchmark is preferred to a year's ending with it."""
    chosen: dict[str, Benchmark] = {}

    def rank(benchmark: Benchmark) -> tuple[Period, bool]:
        return benchmark.period, benchmark.period_label != benchmark.period.fy_label

    for benchmark in benchmarks:
        if benchmark.period > figure_period:
            continue
        key = benchmark.comparator.casefold()
        best = chosen.get(key)
        if best is None or rank(benchmark) > rank(best):
            chosen[key] = benchmark
    order = list(dict.fromkeys(b.comparator.casefold() for b in benchmarks))
    return tuple(chosen[key] for key in order if key in chosen)


def verdict(
    indicator: Indicator, value: float, comparator: float, band: Tolerance
) -> Verdict | None:
    """Better, Similar or Worse, polarity-aware; None for a context measure (no polarity).

    Both figures are compared as the paper shows them (the measure's unit and decimals), so a
    reader never sees "78.2% · Better than 78.2%". Similar: no further from the comparator than
    the band, a share of the comparator ("5%") or an amount in the measure's unit (2.5).
    """
    if indicator.polarity is Polarity.NONE:
        return None
    figure, other = as_shown(indicator, value), as_shown(indicator, comparator)
    reach = (
        abs(other) * Decimal(str(band.amount)) / 100 if band.percent else Decimal(str(band.amount))
    )
    if abs(figure - other) <= reach:
        return Verdict.SIMILAR
    higher = figure > other
    return Verdict.BETTER if higher == (indicator.polarity is Polarity.HIGHER) else Verdict.WORSE


def compare(
    rating: Rating, benchmarks: Sequence[Benchmark], band: Tolerance
) -> tuple[Comparison, ...]:
    """The benchmarks that apply to this quarter's figure (its own period: an annual figure
    carried forward is compared with benchmarks up to its year), each with its verdict."""
    if rating.value is None or not benchmarks:
        return ()
    period = rating.value_period or rating.period
    return tuple(
        Comparison(b, verdict(rating.indicator, rating.value, b.value, band))
        for b in applicable(benchmarks, period)
    )


def by_ref(benchmarks: Iterable[Benchmark]) -> Mapping[str, tuple[Benchmark, ...]]:
    grouped: dict[str, list[Benchmark]] = {}
    for benchmark in benchmarks:
        grouped.setdefault(benchmark.ref, []).append(benchmark)
    return {ref: tuple(rows) for ref, rows in grouped.items()}


def comparison_text(indicator: Indicator, comparison: Comparison) -> str:
    """``Better than the England median 2022/23 (78.2%)``; a context measure's: ``England median
    2022/23: 1,695``. The verdict is a word, first, so that no colour or sign carries it."""
    b = comparison.benchmark
    value = format_value(b.value, indicator.unit, indicator.decimals, compact=indicator.compact)
    name = f"{b.comparator} {b.period_label}"
    if comparison.verdict is None:
        return f"{name}: {value}"
    link = "to" if comparison.verdict is Verdict.SIMILAR else "than"
    return f"{comparison.verdict.word} {link} the {name} ({value})"


def quartiles_text(indicator: Indicator, benchmark: Benchmark) -> str:
    """``quartiles 72.1% to 83.0%``, or one of them, or empty when neither is given."""

    def shown(value: float) -> str:
        return format_value(value, indicator.unit, indicator.decimals, compact=indicator.compact)

    low, high = benchmark.lower_quartile, benchmark.upper_quartile
    if low is not None and high is not None:
        return f"quartiles {shown(low)} to {shown(high)}"
    if low is not None:
        return f"lower quartile {shown(low)}"
    if high is not None:
        return f"upper quartile {shown(high)}"
    return ""


def benchmark_sentence(comparisons: Iterable[tuple[Comparison, ...]]) -> str:
    """``5 indicators have a benchmark. Of the 3 where higher or lower is better, 1 is better than
    the England median, 1 similar and 1 worse; …`` (each by its first comparator); empty when
    no indicator has a benchmark."""
    firsts = [c[0] for c in comparisons if c]
    if not firsts:
        return ""
    judged = [c for c in firsts if c.verdict is not None]
    context = len(firsts) - len(judged)
    has = "has" if len(firsts) == 1 else "have"
    sentence = f"{plural(len(firsts), 'indicator')} {has} a benchmark."
    if len(judged) == 1:
        only = judged[0]
        assert only.verdict is not None
        link = "to" if only.verdict is Verdict.SIMILAR else "than"
        sentence += (
            f" The one where higher or lower is better is {only.verdict.value} {link} the "
            f"{only.comparator}."
        )
    elif judged:
        names = list(dict.fromkeys(c.comparator for c in judged))
        against = f"the {names[0]}" if len(names) == 1 else "their comparator"
        n = {v: sum(1 for c in judged if c.verdict is v) for v in Verdict}
        better, similar, worse = n[Verdict.BETTER], n[Verdict.SIMILAR], n[Verdict.WORSE]
        sentence += (
            f" Of the {len(judged)} where higher or lower is better, {better} "
            f"{'is' if better == 1 else 'are'} better than {against}, {similar} similar and "
            f"{worse} worse."
        )
    if context:
        who = (
            ("The other" if context == 1 else f"The other {context}")
            if judged
            else ("It" if context == 1 else "They")
        )
        what = "is a context measure" if context == 1 else "are context measures"
        sentence += f" {who} {what}, shown with the comparator's figure only."
    return sentence
