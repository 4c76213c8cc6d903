"""Checking the Somerset figures: re-rated, they must show the reference paper's shape."""

from __future__ import annotations

from collections import Counter

from example_workbooks import Quarter
from somerset_catalogue import INDICATORS, PERIODS, Spec
from somerset_commentary import LONG_COMMENTARY
from somerset_figures import Figure
from somerset_rating import WORD_LIMIT, due, is_rated, rate, require, target_for


def rag_in(spec: Spec, index: int, figures: dict[tuple[str, str], Figure]) -> str | None:
    """The RAG an indicator shows in PERIODS[index]: G/A/R, N for no data, None if not rated.

    A measure not due this quarter carries forward its latest figure with the RAG it had then.
    """
    quarter = Quarter.parse(PERIODS[index])
    if not is_rated(spec, quarter.year):
        return None
    for earlier in range(index, -1, -1):
        then = Quarter.parse(PERIODS[earlier])
        if not due(spec, then):
            continue
        figure = figures.get((spec.ref, then.key))
        if figure is None or figure.value is None:
            return "N" if earlier == index else None
        return rate(spec, figure.value, then)
    return "N"


def rag_counts(figures: dict[tuple[str, str], Figure], period: str) -> Counter:
    index = PERIODS.index(period)
    return Counter(rag_in(spec, index, figures) or "-" for spec in INDICATORS)


def check_shape(figures: dict[tuple[str, str], Figure]) -> tuple[Counter, Counter]:
    """Re-rate every figure and insist on the reference paper's shape; print the counts."""
    require(len(INDICATORS) == 114, f"{len(INDICATORS)} indicators, not 114")
    rated = sum(is_rated(spec, 2024) for spec in INDICATORS)
    require(rated == 56, f"{rated} indicators rated in 2024/25, not 56")
    for spec in INDICATORS:
        for index, period in enumerate(PERIODS):
            planned = spec.plan[index]
            if planned in "GARNM":
                got = rag_in(spec, index, figures)
                require(
                    got == ("N" if planned == "M" else planned),
                    f"{spec.ref} {period}: the figure rates {got}, the plan says {planned}",
                )
    q1, q2 = rag_counts(figures, "Q1-2024"), rag_counts(figures, "Q2-2024")
    for name, counts in (("Q1-2024", q1), ("Q2-2024", q2)):
        print(
            f"{name}: {counts['G']} Green, {counts['A']} Amber, {counts['R']} Red, "
            f"{counts['N']} No data, {counts['-']} not rated"
        )
    require(
        q2["A"] < q1["A"] and q2["G"] > q1["G"] and q2["R"] > q1["R"],
        f"Q2 must have fewer Amber and more Green and Red than Q1: {q1} / {q2}",
    )
    moves = Counter((rag_in(s, 3, figures), rag_in(s, 4, figures)) for s in INDICATORS)
    require(moves[("R", "R")] >= 3, "some indicators should be Red for two quarters running")
    require(
        sum(n for (a, b), n in moves.items() if b == "R" and a != "R") >= 3,
        "some indicators should be newly Red",
    )
    require(
        sum(n for (a, b), n in moves.items() if b == "G" and a not in ("G", "N")) >= 3,
        "some indicators should have improved to Green",
    )
    return q1, q2


def check_commentary(figures: dict[tuple[str, str], Figure]) -> None:
    """Only the one deliberate commentary may exceed the word limit; figures stay plausible."""
    by_ref = {spec.ref: spec for spec in INDICATORS}
    for (ref, period), figure in figures.items():
        words = len(figure.commentary.split())
        require(
            (words > WORD_LIMIT) == ((ref, period) in LONG_COMMENTARY),
            f"{ref} {period}: commentary of {words} words",
        )
        spec = by_ref[ref]
        target, _ = target_for(spec, Quarter.parse(period))
        if figure.value is not None and spec.unit == "%":
            # over 1 so a percentage is never ambiguous, at most 100 so never out of range
            require(1 < figure.value <= 100, f"{ref} {period}: {figure.value}%")
        if figure.value is not None and target:
            require(
                target / 10 < figure.value < target * 10,
                f"{ref} {period}: {figure.value} is implausible against {target}",
            )
