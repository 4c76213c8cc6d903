"""Trends: the least-squares direction, each indicator's last 8 quarters, and the same in words."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from buildfactory import copy_example

from perfreport.build import read_history, summarise_period
from perfreport.core.model import Frequency, Indicator, Polarity
from perfreport.core.periods import Period
from perfreport.core.project import ConfigError, Tolerance, parse_config
from perfreport.publish.export import csv_text, dataset_document
from perfreport.rating.rules import Direction, figure_period
from perfreport.rating.trend import fitted_ends, trend_direction
from perfreport.summary.trend import TrendPoint, _no_figure

Q2 = Period(2024, 2)
HIGHER = Indicator("X-01", "A share", "p", "S", Polarity.HIGHER, unit="%", decimals=1)
CONTEXT = Indicator("X-02", "A count", "p", "S", Polarity.NONE)


START = Period(2022, 3)


def series(*values: float, start: Period = START) -> list[tuple[Period, float]]:
    return [(start.shift(n), v) for n, v in enumerate(values)]


def test_the_fitted_line_is_read_at_the_first_and_last_quarter() -> None:
    assert fitted_ends(series(1, 2, 3, 4)) == (1.0, 4.0)
    start, end = fitted_ends(series(10, 14, 9, 15, 12))
    assert (round(start, 6), round(end, 6)) == (11.0, 13.0)
    with pytest.raises(ValueError, match="two quarters or more"):
        fitted_ends(series(5))


def test_the_direction_follows_the_line_not_the_last_quarter() -> None:
    # The last figure is below the first, but the line through all of them rises.
    rising = series(50.0, 55.0, 58.0, 60.0, 62.0, 49.5)
    assert trend_direction(HIGHER, rising) is Direction.IMPROVING
    assert trend_direction(HIGHER, series(60, 58, 57, 55)) is Direction.WORSENING
    assert trend_direction(CONTEXT, series(3, 4, 5)) is Direction.UP


def test_a_change_within_the_band_is_no_change() -> None:
    slight = series(60.0, 60.5, 61.0, 61.5)  # the line rises 1.5 points
    assert trend_direction(HIGHER, slight) is Direction.IMPROVING
    assert trend_direction(HIGHER, slight, Tolerance(1.5, False)) is Direction.NO_CHANGE
    assert trend_direction(HIGHER, slight, Tolerance(1.4, False)) is Direction.IMPROVING


def test_figures_out_of_order_are_put_in_order_first() -> None:
    rising = series(50, 52, 51, 55)
    assert trend_direction(HIGHER, rising[::-1]) is Direction.IMPROVING
    falling = series(55, 51, 52, 50)
    shuffled = [falling[2], falling[0], falling[3], falling[1]]
    assert trend_direction(HIGHER, shuffled) is Direction.WORSENING


def test_fewer_than_three_comparable_figures_make_no_trend() -> None:
    assert trend_direction(HIGHER, series(1, 2)) is Direction.NOT_COMPARABLE
    redefined = Indicator(
        "X-03", "Waiting", "p", "S", Polarity.LOWER, comparable_from=Period(2023, 3)
    )
    # Only the last two figures are from Q3 2023/24 on.
    assert trend_direction(redefined, series(9, 8, 7, 6, 5, 4)) is Direction.NOT_COMPARABLE
    assert trend_direction(redefined, series(9, 8, 7, 6, 5, 4, 3)) is Direction.IMPROVING


def test_a_point_without_a_figure_is_shared_only_where_it_is_written_the_same() -> None:
    q3 = Period(2023, 3)
    one = _no_figure(q3, q3.label, 55.5, False)
    assert one == TrendPoint(q3, "Q3 2023/24", None, 55.5, None, False)
    assert _no_figure(Period(2023, 3), q3.label, 55.5, False) is one
    assert _no_figure(q3, q3.label, 55.5, True) == dataclasses.replace(one, current=True)
    # Equal as keys, written apart: each keeps its own.
    assert _no_figure(q3, q3.label, None, False) is _no_figure(q3, q3.label, None, False)
    for first, second in ((0.0, -0.0), (5, 5.0)):
        a, b = _no_figure(q3, q3.label, first, False), _no_figure(q3, q3.label, second, False)
        assert (repr(a.target), repr(b.target)) == (repr(first), repr(second))
    # An annual measure's label names the year only: its due quarter tells the periods apart.
    q4, q1 = Period(2023, 4), Period(2023, 1)
    assert _no_figure(q4, q4.fy_label, 9.5, False).period == q4
    assert _no_figure(q1, q1.fy_label, 9.5, False).period == q1


def test_the_long_term_setting_is_year_or_trend() -> None:
    base = {"council": {"name": "C"}, "priorities": [{"key": "p", "name": "P"}]}
    project = parse_config({**base, "rating": {"long_term": "trend", "trend_points": 5}}, Path("x"))
    assert (project.rating.long_term, project.rating.trend_points) == ("trend", 5)
    assert parse_config(base, Path("x")).rating.long_term == "year"
    with pytest.raises(ConfigError, match='rating.long_term.*expected "year"'):
        parse_config({**base, "rating": {"long_term": "kent"}}, Path("x"))
    with pytest.raises(ConfigError, match="rating.trend_points.*from 3 to 20, got 2"):
        parse_config({**base, "rating": {"trend_points": 2}}, Path("x"))


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory):
    project = copy_example("somerset", tmp_path_factory.mktemp("trend") / "somerset")
    return project, summarise_period(project, Q2)


def test_every_example_indicator_has_its_trend_from_imported_and_read_quarters(example) -> None:
    _, summary = example
    trends = summary.trends
    assert len(trends) == 114
    wst = trends["WST-01"]
    # Its Q2 2024/25 return gives Q1's figure, in arrears: the trend ends at the quarter the
    # figure is for.
    assert [p.label for p in wst.points] == [Period(2022, 2).shift(n).label for n in range(8)]
    assert wst.text == (
        "Trend, Q2 2022/23 to Q1 2024/25: 58.4% to 57.1%, worsening; target 56.0%; below "
        "target in 1 of 8 quarters"
    )
    assert [p.current for p in wst.points] == [False] * 7 + [True]
    assert trends["PH-01"].text == (
        "Trend, Q3 2022/23 to Q2 2024/25: 43.9% to 44.0%, improving; target 45.0%; below "
        "target in 6 of 7 quarters; no figure for Q1 2024/25"
    )
    annual = trends["ASC-13"]
    assert annual.indicator.frequency is Frequency.ANNUAL
    assert annual.text == (
        "Trend, 2019/20 to 2023/24: 91.6% to 92.4%, improving; target 90.0%; below target in "
        "2 of 5 years"
    )
    assert trends["CUS-05"].text == "Trend, Q3 2022/23 to Q2 2024/25: 379 to 417, up"
    assert trends["ASC-01"].text.startswith(
        "Trend, Q3 2022/23 to Q2 2024/25: 630 to 812 (not comparable before Q1 2024/25)"
    )
    # Q2 2022/23 to Q1 2023/24 come from the imported past figures (history/), the rest from
    # the returns: every indicator has at least four figures, so every one is drawn.
    assert all(p.value is not None for p in wst.points)
    assert min(len(t.figures) for t in trends.values()) == 4
    assert all(t.drawn for t in trends.values())


def test_a_trend_window_looks_only_at_the_quarters_that_have_ratings(example) -> None:
    project, _ = example
    history = read_history(project, Q2)
    indicators = history.catalogue.indicators
    window = tuple(Q2.shift(-back) for back in range(12, -3, -1))
    kept = history.rated_in(window)
    # Imported past figures (history/) and the quarters read; none before or after them.
    assert kept == tuple(
        q for q in window if any(history.rating(i, q) is not None for i in indicators)
    )
    assert Period(2022, 2) in kept and Q2 in kept and Q2.next not in kept
    assert history.rated_in(window) == kept and history.rated_in(window[1:]) == kept[1:]


def test_the_export_carries_each_trend_in_words_and_figures(example) -> None:
    _, summary = example
    record = next(r for r in dataset_document(summary)["indicators"] if r["ref"] == "WST-01")
    assert record["trend"] == summary.trends["WST-01"].text
    assert record["trend_direction"] == "worsening"
    points = record["trend_points"]
    assert [p["period"] for p in points][-2:] == ["Q4-2023", "Q1-2024"]
    assert (points[-1]["value"], points[-1]["target"], points[-1]["current"]) == (
        57.1,
        56.0,
        True,
    )
    header, *rows = csv_text(summary).splitlines()
    columns = header.split(",")
    assert {"trend", "trend_direction"} <= set(columns)
    assert "trend_points" not in columns
    json.dumps(record)  # plain JSON all the way down


def test_long_term_trend_takes_the_direction_along_the_line(example) -> None:
    project, by_year = example
    rating = dataclasses.replace(project.rating, long_term="trend")
    by_trend = summarise_period(dataclasses.replace(project, rating=rating), Q2)
    assert (by_year.long_term, by_trend.long_term) == ("year", "trend")
    for year, trend in zip(by_year.indicators, by_trend.indicators, strict=True):
        assert trend.direction_long is by_trend.trends[trend.ref].direction
        assert trend.direction_short is year.direction_short
    year, trend = by_year.row("PH-01"), by_trend.row("PH-01")
    assert year is not None and trend is not None
    # 44.2% a year ago, 44.0% now; along the line from 43.9% two years ago, up.
    assert (year.direction_long, trend.direction_long) == (
        Direction.WORSENING,
        Direction.IMPROVING,
    )


def test_a_measure_with_no_figure_this_quarter_marks_no_point_as_the_one_shown(example) -> None:
    _, summary = example
    blank = [r.ref for r in summary.indicators if r.current.value is None]
    assert blank == ["HR-05"]
    for ref in blank:
        points = summary.trends[ref].points
        assert points and not any(p.current for p in points)
    # The point of the period the figure is for: an annual figure's year, named by its due
    # quarter (CS-16's Period of data 2023/24 is held as Q4 2023/24, its point is Q1 2023/24).
    shown = {
        r.ref: figure_period(r.indicator, r.current.value_period)
        for r in summary.indicators
        if r.current.value_period
    }
    for ref, period in shown.items():
        marked = [p.period for p in summary.trends[ref].points if p.current]
        assert marked in ([period], []), ref
    assert [p.period for p in summary.trends["CS-16"].points if p.current] == [Period(2023, 1)]
    assert sum(1 for ref in shown if any(p.current for p in summary.trends[ref].points)) > 50
