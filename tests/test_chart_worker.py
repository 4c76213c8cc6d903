"""The charts' early process: it draws the same PNGs, a build drawn by it gives the golden paper,
and a build goes on when it fails or dies."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from buildfactory import copy_example
from test_charts import OVER_TIME, PRIORITIES, SPARK
from test_paper_golden import EPOCH, GOLDEN

from perfreport.paper.chart_cache import PRUNED, ChartPacks
from perfreport.paper.charts import cache_key, draw_all

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="the early process is forked: Linux only"
)


def run_fresh(code: str, tmp_path: Path, **env: str) -> list[str]:
    """``code`` in a new interpreter (no other thread, so the drawing process is forked, as in
    the command), its printed lines."""
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(code), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **env},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_the_early_process_draws_the_same_pngs_as_this_one(tmp_path: Path) -> None:
    out = tmp_path / "drawn"
    lines = run_fresh(
        f"""
        import pickle, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_charts import OVER_TIME, PRIORITIES, SPARK
        from perfreport.paper.chart_worker import start_drawer
        drawer = start_drawer()
        print(drawer is not None)
        assert drawer.submit([SPARK, PRIORITIES, OVER_TIME])
        drawn = drawer.result()
        drawer.close()
        print(drawer._process.exitcode)
        open({str(out)!r}, "wb").write(pickle.dumps(drawn))
        """,
        tmp_path,
    )
    assert lines == ["True", "0"]
    assert pickle.loads(out.read_bytes()) == draw_all([SPARK, PRIORITIES, OVER_TIME])


@pytest.mark.parametrize(
    ("sparklines", "helper"),
    [(90, False), (600, True)],  # a 1x paper's cost (~2,000), then past SPREAD_FROM (10x)
)
def test_the_early_process_draws_a_small_paper_s_charts_alone_a_larger_one_s_with_a_helper(
    tmp_path: Path, sparklines: int, helper: bool
) -> None:
    out, marks = tmp_path / "drawn", tmp_path / "helpers"
    lines = run_fresh(
        f"""
        import dataclasses, pickle, sys
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_charts import OVER_TIME, PRIORITIES, SPARK
        from perfreport.paper import chart_worker
        from perfreport.paper.charts import COSTS, SPREAD_FROM

        helped = chart_worker._draw_share

        def counted(sender, charts):  # forked with the drawing process: its helper runs this
            open({str(marks)!r}, "a").write(f"{{len(charts)}}\\n")
            helped(sender, charts)

        chart_worker._draw_share = counted
        sparks = [dataclasses.replace(SPARK, current=n % 8, targets=(50.0 + n,) * 8)
                  for n in range({sparklines})]
        charts = [PRIORITIES, OVER_TIME, *sparks]
        print(sum(COSTS.get(type(c).__name__, 1) for c in charts) >= SPREAD_FROM)
        drawer = chart_worker.start_drawer()
        assert drawer.submit(charts)
        drawn = drawer.result()
        drawer.close()
        open({str(out)!r}, "wb").write(pickle.dumps((charts, drawn)))
        """,
        tmp_path,
    )
    assert lines == [str(helper)]
    charts, drawn = pickle.loads(out.read_bytes())
    assert len(drawn) == len(charts) == 2 + sparklines
    assert drawn == draw_all(charts)
    # the helper drew the history chart and the sparklines, all but the summary's chart
    assert (marks.read_text().split() if marks.exists() else []) == (
        [str(1 + sparklines)] if helper else []
    )


def test_the_early_process_collects_again_after_matplotlib_s_import_which_it_froze(
    tmp_path: Path,
) -> None:
    # The collector is paused for the import only: with it left off, every figure's reference
    # cycles would stay in memory (9,000 charts at 100x); not frozen, each full collection would
    # walk matplotlib's ~100,000 objects again.
    lines = run_fresh(
        """
        import gc, sys
        from perfreport.paper import chart_worker

        def state(kind, *args):  # the job answered with the drawing process's collector
            return [gc.isenabled(), gc.get_freeze_count() > 50_000, "matplotlib.figure" in sys.modules]

        chart_worker._do = state  # forked: the drawing process runs this one
        drawer = chart_worker.start_drawer()
        assert drawer.submit([])
        print(drawer.result())
        drawer.close()
        print(gc.isenabled(), gc.get_freeze_count(), "matplotlib" in sys.modules)
        """,
        tmp_path,
    )
    assert lines == ["[True, True, True]", "True 0 False"]


def test_a_chart_s_cache_key_is_the_same_with_matplotlib_imported_or_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The build's process looks charts up by their keys (no matplotlib there); the drawing
    # process keeps them under its own, made with matplotlib imported. Neither reads the
    # installed metadata through importlib.metadata (its import and search, ~0.012 s there):
    # the versions come from the dist-info folders' names (core/versions.py).
    import importlib.metadata

    import matplotlib

    from perfreport.core import versions
    from perfreport.paper import charts

    read: list[str] = []
    version = importlib.metadata.version
    monkeypatch.setattr(
        importlib.metadata, "version", lambda name: read.append(name) or version(name)
    )

    def forget() -> None:
        versions.forget()
        charts._library_versions.cache_clear()

    forget()
    try:
        monkeypatch.setitem(sys.modules, "matplotlib", matplotlib)
        drawing = [cache_key(c) for c in (SPARK, OVER_TIME)]
        forget()
        monkeypatch.delitem(sys.modules, "matplotlib")  # as in the build's process
        looking = [cache_key(c) for c in (SPARK, OVER_TIME)]
        assert read == []
    finally:
        forget()
    assert looking == drawing and len(set(looking)) == 2


def test_the_early_process_keeps_what_it_drew_in_the_cache_after_sending_it(
    tmp_path: Path,
) -> None:
    # The build's process writes nothing there: its cache writes are refused after the fork.
    cache = tmp_path / "cache"
    lines = run_fresh(
        f"""
        import sys
        from pathlib import Path
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_charts import OVER_TIME, SPARK
        from perfreport.paper import charts
        from perfreport.paper.chart_worker import start_drawer

        drawer = start_drawer()

        def refuse(*args):
            raise AssertionError("stored by the build's process")

        charts._store = refuse
        batch = charts._Batch([SPARK, OVER_TIME, SPARK], Path({str(cache)!r}), drawer)
        print(batch.drawer is drawer, len(batch.result()))
        drawer.close()
        print(drawer._process.exitcode)
        """,
        tmp_path,
    )
    assert lines == ["True 3", "0"]
    _assert_kept(cache)


def _assert_kept(cache: Path) -> None:
    drawn = draw_all([SPARK, OVER_TIME])
    assert len(list(cache.glob("*.pack"))) == 1  # the batch's pack
    with ChartPacks(cache) as packs:
        assert packs.keys() == {cache_key(c) for c in (SPARK, OVER_TIME)}
        for chart, png in zip((SPARK, OVER_TIME), drawn, strict=True):
            assert packs.get(cache_key(chart)) == png


@pytest.mark.slow
@pytest.mark.parametrize("ready", [True, False])
def test_a_build_whose_charts_the_early_process_draws_is_the_golden_paper(
    tmp_path: Path, ready: bool
) -> None:
    # Built with drawing refused in the build's own process after the fork, so that every chart
    # comes from the early process; then built without it. With the charts drawn by the time
    # the template is ready (``ready``), the early process makes the web page too; without,
    # the .docx and the page are filled in with stand-ins meanwhile (paper.standins) and the
    # charts put in when they come: the same files either way.
    project = copy_example("somerset", tmp_path / "somerset")
    lines = run_fresh(
        f"""
        import hashlib, shutil, time
        from pathlib import Path
        from perfreport import build
        from perfreport.build import PdfMode, build_paper
        from perfreport.core.periods import Period
        from perfreport.core.project import load_project
        from perfreport.paper import begun_charts, chart_worker, charts
        from perfreport.paper.chart_cache import ChartPacks

        root = Path({str(project.root)!r})

        def digests(result):
            assert result.published, result.reason
            return sorted(
                (p.suffix, hashlib.sha256(p.read_bytes()).hexdigest())
                for p in result.outputs.values()
            )

        started, pages = [], []
        draw, make_html, ready = charts._draw, build._make_html, begun_charts.PaperCharts.ready

        def start(*args):
            drawer = chart_worker._start(*args)
            started.append(drawer)

            def refuse(*_):
                raise AssertionError("drawn in the build's process")

            def waited(self):
                if {ready!r}:
                    while not ready(self):  # the charts are drawn: the page there
                        time.sleep(0.01)
                    return True
                return False

            def page_here(*args):
                pages.append(args[2])
                return make_html(*args)

            charts._draw = refuse
            begun_charts.PaperCharts.ready = waited
            build._make_html = page_here
            return drawer

        if __name__ == "__main__":
            chart_worker._start, chart_worker.start_drawer = chart_worker.start_drawer, start
            there = digests(build_paper(load_project(root), Period(2024, 2), pdf=PdfMode.OFF))
            cached = len(ChartPacks(root / "build" / ".cache" / "charts").keys())
            shutil.rmtree(root / "build")
            charts._draw, build._make_html = draw, make_html
            begun_charts.PaperCharts.ready = ready
            chart_worker.start_drawer = lambda *args: None
            here = digests(build_paper(load_project(root), Period(2024, 2), pdf=PdfMode.OFF))
            print(here == there, len(here))
            print(dict(there)[".docx"])
            print(len(started), started[0]._process.exitcode)
            print(cached)
            stood = [p for p in pages if all(b"perfreport chart" in v.png for v in p.values())]
            print(len(pages), len(stood))
        """,
        tmp_path,
        SOURCE_DATE_EPOCH=EPOCH,
    )
    assert lines[0] == "True 5"  # .docx, .html, dataset.json, dataset.csv, findings.json
    assert lines[1] == GOLDEN.read_text(encoding="utf-8").split()[0]
    assert lines[2] == "1 0"  # one early process, which ended when told
    assert int(lines[3]) > 50  # the cache is written from its charts (one per distinct chart)
    # Ready: the page made by the early process; not: made here, with stand-ins
    assert lines[4] == ("0 0" if ready else "1 1")


@pytest.mark.slow
def test_a_build_draws_its_charts_itself_when_the_early_process_died(tmp_path: Path) -> None:
    project = copy_example("somerset", tmp_path / "somerset")
    lines = run_fresh(
        f"""
        import hashlib
        from perfreport.build import PdfMode, build_paper
        from perfreport.core.periods import Period
        from perfreport.core.project import load_project
        from perfreport.paper import chart_worker

        started = []
        def start(*args):
            drawer = chart_worker._start(*args)
            drawer._process.kill()
            drawer._process.join()
            started.append(drawer)
            return drawer
        chart_worker._start, chart_worker.start_drawer = chart_worker.start_drawer, start
        result = build_paper(load_project({str(project.root)!r}), Period(2024, 2), pdf=PdfMode.OFF)
        assert result.published, result.reason
        docx = next(p for p in result.outputs.values() if p.suffix == ".docx")
        print(hashlib.sha256(docx.read_bytes()).hexdigest())
        print(len(started))
        """,
        tmp_path,
        SOURCE_DATE_EPOCH=EPOCH,
    )
    assert lines == [GOLDEN.read_text(encoding="utf-8").split()[0], "1"]


def test_an_early_process_given_nothing_is_stopped_when_the_build_stops(tmp_path: Path) -> None:
    lines = run_fresh(
        """
        import time
        from perfreport.paper.chart_worker import start_drawer
        drawer = start_drawer()
        began = time.monotonic()
        drawer.close()
        print(drawer._process.is_alive(), time.monotonic() - began < 6)
        """,
        tmp_path,
    )
    assert lines == ["False True"]


def test_a_build_stopped_while_its_charts_are_drawn_leaves_no_drawing_process(
    tmp_path: Path,
) -> None:
    # A batch costly enough to be shared with a helper the drawing process forks.
    lines = run_fresh(
        f"""
        import os, sys, time
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_charts import OVER_TIME, PRIORITIES, SPARK
        from perfreport.paper import charts
        from perfreport.paper.chart_worker import start_drawer

        charts.PARALLEL_FROM = 10**9  # shared with one helper, not a pool of workers
        def children(pid):
            path = f"/proc/{{pid}}/task/{{pid}}/children"
            return [int(p) for p in open(path).read().split()] if os.path.exists(path) else []

        def alive(pid):
            try:
                return open(f"/proc/{{pid}}/stat").read().split(")")[-1].split()[0] != "Z"
            except OSError:
                return False

        drawer = start_drawer()
        # Tens of seconds of work: a process left drawing is still alive when the wait ends.
        assert drawer.submit([*[PRIORITIES] * 200, OVER_TIME, *[SPARK] * 400])
        workers = []
        for _ in range(200):  # until its helper has started
            workers = children(drawer._process.pid)
            if workers:
                break
            time.sleep(0.05)
        drawer.close()
        # Stopped at once, but ended as soon as the machine gets to it: on a loaded machine a
        # fixed second was not always enough (a flaky failure), so wait up to five.
        for _ in range(100):
            if not drawer._process.is_alive() and not any(alive(w) for w in workers):
                break
            time.sleep(0.05)
        print(len(workers) == 1, drawer._process.is_alive(), [w for w in workers if alive(w)])
        for worker in workers:  # so that a failure leaves none behind either
            try:
                os.kill(worker, 9)
            except OSError:
                pass
        """,
        tmp_path,
    )
    assert lines == ["True False []"]


def test_no_early_process_where_another_thread_runs(tmp_path: Path) -> None:
    # fork is unsafe there (a lock held by the other thread stays locked in the child).
    lines = run_fresh(
        """
        import threading
        from perfreport.paper.chart_worker import start_drawer
        stop = threading.Event()
        thread = threading.Thread(target=stop.wait)
        thread.start()
        print(start_drawer())
        stop.set()
        thread.join()
        """,
        tmp_path,
    )
    assert lines == ["None"]


@pytest.mark.slow
def test_a_build_with_every_chart_in_the_cache_makes_its_page_itself(tmp_path: Path) -> None:
    # The early process then has had no job and may still be importing matplotlib.
    project = copy_example("somerset", tmp_path / "somerset")
    lines = run_fresh(
        f"""
        import hashlib
        from perfreport.build import PdfMode, build_paper
        from perfreport.core.periods import Period
        from perfreport.core.project import load_project
        from perfreport.paper import chart_worker

        pages = []
        submit_page = chart_worker.EarlyDrawer.submit_page

        def counted(self, *args):
            pages.append(1)
            return submit_page(self, *args)

        chart_worker.EarlyDrawer.submit_page = counted

        def page():
            result = build_paper(load_project({str(project.root)!r}), Period(2024, 2), pdf=PdfMode.OFF)
            assert result.published, result.reason
            html = next(p for p in result.outputs.values() if p.suffix == ".html")
            return hashlib.sha256(html.read_bytes()).hexdigest()

        if __name__ == "__main__":
            first = page()
            print(len(pages))
            print(page() == first, len(pages))
        """,
        tmp_path,
        SOURCE_DATE_EPOCH=EPOCH,
    )
    # The first time made there, or here with stand-ins if the charts were still being drawn
    # as the template was ready (paper.standins); the second time not made there.
    assert lines[0] in ("0", "1")
    assert lines[1] == f"True {lines[0]}"


def test_a_build_refused_the_lock_stops_its_drawing_process(tmp_path: Path) -> None:
    # The drawing process starts before the lock is taken: when another run holds it, the
    # build says so and its drawing process is gone.
    project = copy_example("somerset", tmp_path / "somerset")
    lines = run_fresh(
        f"""
        import multiprocessing
        from perfreport.build import PdfMode, build_paper
        from perfreport.core.periods import Period
        from perfreport.core.project import load_project
        from perfreport.paper import chart_worker
        from perfreport.publish.locking import RunLocked, period_lock

        started = []
        def start(*args):
            drawer = chart_worker._start(*args)
            started.append(drawer)
            return drawer
        chart_worker._start, chart_worker.start_drawer = chart_worker.start_drawer, start
        project = load_project({str(project.root)!r})
        with period_lock(project.root, "Q2-2024"):
            try:
                build_paper(project, Period(2024, 2), pdf=PdfMode.OFF)
            except RunLocked:
                print("locked")
        print(len(started), started[0]._process.is_alive(), multiprocessing.active_children())
        """,
        tmp_path,
    )
    assert lines == ["locked", "1 False []"]


def test_keeping_charts_stops_when_asked_with_whole_packs_only(tmp_path: Path) -> None:
    # As the drawing process ends it lets the rest of the cache go: the next build draws them.
    from perfreport.paper.charts import store

    kept = [SPARK, OVER_TIME, PRIORITIES]
    said = iter([False, True])  # asked to stop after it began: no pack
    store(tmp_path, kept, draw_all(kept), stop=lambda: next(said))
    assert [p.name for p in tmp_path.iterdir()] == [PRUNED]
    store(tmp_path, kept, draw_all(kept), stop=lambda: False)
    assert ChartPacks(tmp_path).keys() == {cache_key(c) for c in kept}


def test_a_released_early_process_keeps_its_charts_and_ends_while_the_build_goes_on(
    tmp_path: Path,
) -> None:
    cache = tmp_path / "cache"
    lines = run_fresh(
        f"""
        import sys, time
        from pathlib import Path
        sys.path.insert(0, {str(Path(__file__).parent)!r})
        from test_charts import OVER_TIME, SPARK
        from perfreport.paper import charts
        from perfreport.paper.chart_worker import start_drawer

        drawer = start_drawer()
        batch = charts._Batch([SPARK, OVER_TIME, SPARK], Path({str(cache)!r}), drawer)
        print(len(batch.result()))
        began = time.monotonic()
        drawer.release()
        print(time.monotonic() - began < 0.1)
        drawer._process.join(10)
        print(drawer._process.exitcode)
        drawer.close()
        """,
        tmp_path,
    )
    assert lines == ["3", "True", "0"]
    _assert_kept(cache)
