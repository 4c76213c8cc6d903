"""A build's charts begun early: the trends' sparklines handed over as soon as the trends are
made, then the summary's charts: the same summary, the same charts, the same PNGs."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

import pytest
from buildfactory import copy_example
from test_chart_worker import run_fresh

from perfreport.build import read_history
from perfreport.core.periods import Period
from perfreport.paper.begun_charts import PaperCharts, TrendCharts
from perfreport.paper.chart_cache import ChartPacks
from perfreport.paper.chart_data import Sparkline, chart_figures, trend_sparklines
from perfreport.paper.charts import cache_key, draw_all, draw_paper_charts
from perfreport.publish.export import dataset_document
from perfreport.summary.summary import summarise, summary_trends

Q2 = Period(2024, 2)
TESTS = str(Path(__file__).parent)
linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked: Linux only")


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory):
    """The example's history of Q2 2024, read once."""
    project = copy_example("somerset", tmp_path_factory.mktemp("begun") / "somerset")
    return read_history(project, Q2)


def test_a_summary_of_trends_made_first_is_the_summary_made_at_once(example) -> None:
    at_once = summarise(example)
    trends = summary_trends(example)
    assert list(trends) == [i.ref for i in example.catalogue.indicators]
    given = summarise(example, trends)
    assert given == at_once
    assert dataset_document(given) == dataset_document(at_once)
    # The trends given are the summary's own, not made again.
    assert all(given.trends[ref] is trend for ref, trend in trends.items())


def test_the_trends_sparklines_are_the_paper_s_own(example) -> None:
    summary = summarise(example)
    sparklines = trend_sparklines(summary.trends)
    drawn = [r.ref for r in summary.indicators if summary.trends[r.ref].drawn]
    assert 50 < len(sparklines) == len(drawn) <= len(summary.indicators)
    figures = chart_figures(summary, sparklines)
    assert figures == chart_figures(summary)
    assert list(figures) == list(chart_figures(summary))  # the paper's order, not the trends'
    assert all(figures[key] is chart for key, chart in sparklines.items())  # not made again


def test_charts_begun_from_the_trends_are_the_paper_s_charts(example, tmp_path: Path) -> None:
    summary = summarise(example)
    expected = draw_paper_charts(summary)
    cache = tmp_path / "cache"
    # Drawn here (no drawing process), then found in the cache the second time.
    for _ in range(2):
        begun = TrendCharts(dict(summary.trends), cache, None)
        charts = PaperCharts(summary, cache, None, begun)
        assert not charts.elsewhere and charts.ready()
        assert charts.result() == expected
    assert ChartPacks(cache).keys() == {cache_key(c) for c in chart_figures(summary).values()}


# In a fresh interpreter (no other thread: the drawing process is forked, as in the command):
# the drawing process's jobs and what its pipe carries, marked in a file as they happen.
DRAWER = """
import pickle, sys, threading
from multiprocessing.connection import Connection
from pathlib import Path
sys.path.insert(0, {tests!r})
from test_charts import OVER_TIME, PRIORITIES, SPARK
from perfreport.paper import chart_worker
from perfreport.paper.chart_cache import ChartPacks
from perfreport.paper.charts import _Batch

marks = open({marks!r}, "a", buffering=1)
do, send = chart_worker._do, Connection.send

def done(kind, *args):  # in the drawing process (forked with these)
    if {fail!r} and args[-1]:
        raise RuntimeError("failed")
    cached = len(ChartPacks(Path({cache!r})).keys())
    marks.write(f"draw {{len(args[0])}} threads {{threading.active_count()}} cached {{cached}}\\n")
    return do(kind, *args)

def sent(self, obj):
    if isinstance(obj, list):  # an answer: charts' PNGs
        marks.write(f"send {{len(obj)}}\\n")
    return send(self, obj)

chart_worker._do, Connection.send = done, sent
drawer = chart_worker.start_drawer()
sparks = [SPARK, SPARK.__class__(SPARK.values[1:], SPARK.targets[1:], 6)]
first = _Batch(sparks, Path({cache!r}), drawer, more=True)
second = None
if {second!r} == "with":  # at once, before the first is answered
    second = _Batch([PRIORITIES, OVER_TIME], Path({cache!r}), drawer)
drawn = first.result()
if {second!r} == "after":  # once the first is answered
    second = _Batch([PRIORITIES, OVER_TIME], Path({cache!r}), drawer)
drawn += second.result() if second else []
print(first.drawer is drawer, second is None or second.drawer is drawer)
drawer.release()
drawer.close()
print(drawer._process.exitcode)
open({out!r}, "wb").write(pickle.dumps(drawn))
"""


def _drawer_run(tmp_path: Path, second: str, fail: bool = False) -> tuple[list[str], list]:
    marks, out, cache = tmp_path / "marks", tmp_path / "drawn", tmp_path / "cache"
    code = DRAWER.format(
        tests=TESTS, marks=str(marks), out=str(out), cache=str(cache), second=second, fail=fail
    )
    lines = run_fresh(code, tmp_path)
    return lines + marks.read_text().splitlines(), pickle.loads(out.read_bytes())


@linux
def test_the_trends_answer_waits_for_the_summary_s_charts_when_they_are_here(
    tmp_path: Path,
) -> None:
    from test_charts import OVER_TIME, PRIORITIES, SPARK

    marks, drawn = _drawer_run(tmp_path, second="with")
    # Both jobs are in the pipe as it ends matplotlib's import: the summary's charts are drawn
    # before the trends' answer is sent (the build takes answers only after its context), and
    # no thread writes the cache while they are drawn (it may fork a helper).
    assert marks == [
        "True True",
        "0",
        "draw 2 threads 1 cached 0",
        "draw 2 threads 1 cached 0",
        "send 2",
        "send 2",
    ]
    sparks = [SPARK, Sparkline(SPARK.values[1:], SPARK.targets[1:], 6)]
    assert drawn == draw_all([*sparks, PRIORITIES, OVER_TIME])
    # All four kept in the cache once sent.
    cached = ChartPacks(tmp_path / "cache").keys()
    assert cached == {cache_key(c) for c in (*sparks, PRIORITIES, OVER_TIME)}


@linux
def test_the_trends_charts_are_kept_with_the_summary_s_when_those_come_later(
    tmp_path: Path,
) -> None:
    # The summary's charts asked for once the trends' are answered (the trends' drawn before
    # they are summarised): its answer sent at once, and the trends' charts not kept in the
    # cache before the summary's are drawn (no wait for ~9,000 files to be written at 100x).
    marks, drawn = _drawer_run(tmp_path, second="after")
    assert marks == [
        "True True",
        "0",
        "draw 2 threads 1 cached 0",
        "send 2",
        "draw 2 threads 1 cached 0",
        "send 2",
    ]
    assert len(drawn) == 4 and len(ChartPacks(tmp_path / "cache").keys()) == 4


@linux
def test_a_batch_with_more_to_come_is_answered_and_kept_when_none_comes(tmp_path: Path) -> None:
    # The summary's charts all in the cache: no second job. The first is answered all the same
    # (no wait), and kept in the cache as the process ends.
    marks, drawn = _drawer_run(tmp_path, second="none")
    assert marks == ["True True", "0", "draw 2 threads 1 cached 0", "send 2"]
    assert len(drawn) == 2 and len(ChartPacks(tmp_path / "cache").keys()) == 2


@linux
def test_a_failed_batch_with_more_to_come_is_drawn_by_the_build(tmp_path: Path) -> None:
    from test_charts import OVER_TIME, PRIORITIES, SPARK

    marks, drawn = _drawer_run(tmp_path, second="with", fail=True)
    # The trends' job failed there (drawn by the build); the summary's drawn there.
    assert marks == ["True True", "0", "draw 2 threads 1 cached 0", "send 2"]
    sparks = [SPARK, Sparkline(SPARK.values[1:], SPARK.targets[1:], 6)]
    assert drawn == draw_all([*sparks, PRIORITIES, OVER_TIME])


@linux
def test_a_build_s_trend_charts_go_first_and_are_placed_by_their_keys(
    example, tmp_path: Path
) -> None:
    # The paper's charts as a build begins them with its drawing process: the trends' job
    # first, the summary's two charts after; the same pictures under the same keys.
    out = tmp_path / "placed"
    run_fresh(
        f"""
        import pickle
        from perfreport.build import summarise_period
        from perfreport.core.periods import Period
        from perfreport.core.project import load_project
        from perfreport.paper import chart_worker
        from perfreport.paper.begun_charts import PaperCharts, TrendCharts

        jobs, submit = [], chart_worker.EarlyDrawer.submit

        def counted(self, charts, cache_dir=None, more=False):
            jobs.append((len(charts), more))
            return submit(self, charts, cache_dir, more)

        chart_worker.EarlyDrawer.submit = counted
        drawer = chart_worker.start_drawer()
        begun = []
        project = load_project({str(example.project.root)!r})
        summary = summarise_period(
            project, Period(2024, 2), on_trends=lambda t: begun.append(TrendCharts(t, None, drawer))
        )
        charts = PaperCharts(summary, None, drawer, begun[0])
        placed = charts.result()
        drawer.close()
        open({str(out)!r}, "wb").write(pickle.dumps((jobs, charts.elsewhere, placed)))
        """,
        tmp_path,
    )
    jobs, elsewhere, placed = pickle.loads(out.read_bytes())
    summary = summarise(example)
    sparklines = trend_sparklines(summary.trends)
    assert jobs == [(len(set(sparklines.values())), True), (2, False)] and elsewhere
    assert placed == draw_paper_charts(summary)
    assert list(placed) == list(chart_figures(summary))
