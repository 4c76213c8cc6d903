"""The charts' process started by the command line before its own libraries, and matplotlib
imported there without the docstrings it writes for its artists: the same PNGs and the same paper,
and no process left behind when the build does not take it (or cannot fork)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from buildfactory import copy_example
from test_charts import OVER_TIME, PRIORITIES, SPARK
from test_paper_golden import EPOCH, GOLDEN

from perfreport.paper.charts import draw_all

HERE = Path(__file__).parent


def run_script(code: str, tmp_path: Path, timeout: float = 300) -> list[str]:
    """``code`` in a new interpreter (one thread, as the console script), its printed lines; a
    process left waiting for the drawing process to end fails on the timeout."""
    script = tmp_path / "script.py"
    script.write_text(textwrap.dedent(code), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(script)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "NO_COLOR": "1"},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_matplotlib_preloaded_without_its_artists_docstrings_draws_the_same_pngs(
    tmp_path: Path,
) -> None:
    out = tmp_path / "drawn.bin"
    lines = run_script(
        f"""
        import pickle, sys
        sys.path.insert(0, {str(HERE)!r})
        from perfreport.paper.mplimport import preload
        preload()
        from matplotlib import artist, lines, text
        from test_charts import OVER_TIME, PRIORITIES, SPARK
        from perfreport.paper.charts import draw_all

        # not written while preloaded; matplotlib's own functions back afterwards
        print(lines.Line2D.set.__doc__, text.Text.set.__doc__)
        print(artist.kwdoc.__module__, artist.kwdoc.__name__)
        print(artist.Artist._update_set_signature_and_docstring.__name__)
        class Later(lines.Line2D):  # a class made after it is documented as matplotlib does
            pass
        print("xdata: 1D array" in Later.set.__doc__)
        open({str(out)!r}, "wb").write(pickle.dumps(draw_all([SPARK, PRIORITIES, OVER_TIME])))
        """,
        tmp_path,
    )
    assert lines == [
        "None None",
        "matplotlib.artist kwdoc",
        "_update_set_signature_and_docstring",
        "True",
    ]
    import pickle

    # drawn here after matplotlib's full import
    assert pickle.loads(out.read_bytes()) == draw_all([SPARK, PRIORITIES, OVER_TIME])


BUILD = """
    import hashlib, sys
    from pathlib import Path
    from perfreport.paper import chart_worker

    forks, submitted = [], []
    fork, submit = chart_worker._fork, chart_worker.EarlyDrawer.submit

    def recorded(*args):
        drawer = fork(*args)
        forks.append(("typer" in sys.modules, drawer is not None))
        return drawer

    def counted(self, charts, cache_dir=None, more=False):
        submitted.append(more)
        return submit(self, charts, cache_dir, more)

    chart_worker._fork, chart_worker.EarlyDrawer.submit = recorded, counted
    {setup}
    from perfreport.cli import main

    sys.argv = ["perfreport", *{argv!r}]
    try:
        main()
    except SystemExit as exc:
        print("exit", exc.code)
    print(forks, submitted, len(chart_worker._early))
    docx = list(Path({root!r}, "build", "Q2-2024").glob("*.docx"))
    print(hashlib.sha256(docx[0].read_bytes()).hexdigest() if docx else "no paper")
"""


def _build(tmp_path: Path, argv: list[str], setup: str = "", timeout: float = 300) -> list[str]:
    project = copy_example("somerset", tmp_path / "somerset")
    if "charts = false" in setup:
        config = project.config_path.read_text(encoding="utf-8")
        project.config_path.write_text(config + "\n[paper]\ncharts = false\n", encoding="utf-8")
    argv = [a.replace("{root}", str(project.root)) for a in argv]
    code = BUILD.format(setup=setup, argv=argv, root=str(project.root))
    return run_script(code, tmp_path, timeout)


GOLDEN_HASH = GOLDEN.read_text(encoding="utf-8").split()[0]
ARGV = ["build", "Q2-2024", "--no-pdf", "-p", "{root}"]


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked: Linux only")
def test_the_command_line_starts_a_build_s_drawing_process_before_typer_and_the_build_uses_it(
    tmp_path: Path,
) -> None:
    lines = _build(tmp_path, ARGV)
    # One fork, before typer was imported, that the build took and gave its charts to: the
    # trends' first (more to come), then the summary's.
    assert lines[-3:] == ["exit 0", "[(False, True)] [True, False] 0", GOLDEN_HASH]


@pytest.mark.slow
def test_without_fork_the_command_line_starts_nothing_and_the_build_draws_its_charts(
    tmp_path: Path,
) -> None:
    # As on Windows and macOS: no early process, no drawing process, the same paper.
    lines = _build(tmp_path, ARGV, setup="chart_worker.can_fork = lambda: False")
    assert lines[-3:] == ["exit 0", "[(False, False), (True, False)] [] 0", GOLDEN_HASH]


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked: Linux only")
def test_a_project_without_charts_stops_the_process_the_command_line_started(
    tmp_path: Path,
) -> None:
    lines = _build(tmp_path, ARGV, setup="# charts = false")
    assert lines[-3:-1] == ["exit 0", "[(False, True)] [] 0"]
    assert lines[-1] != "no paper"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked: Linux only")
def test_a_build_that_stops_before_it_starts_leaves_no_drawing_process(tmp_path: Path) -> None:
    # Not a period: a usage error before the build takes the process. It is stopped as the
    # command ends; else multiprocessing's exit would wait for it for ever (the timeout).
    lines = _build(tmp_path, ["build", "Q9-2024", "-p", "{root}"], timeout=60)
    assert lines[-3:] == ["exit 2", "[(False, True)] [] 1", "no paper"]


@pytest.mark.parametrize("argv", [["build", "--help"], ["--help"], ["validate", "--help"]])
def test_help_starts_no_drawing_process(tmp_path: Path, argv: list[str]) -> None:
    lines = _build(tmp_path, argv, timeout=60)
    assert lines[-3:] == ["exit 0", "[] [] 0", "no paper"]


# A fork refused (a process limit reached, no memory for the copy) as the command line starts
# the drawing process: the build goes on and starts its own, as it did before the early start.
FIRST_FORK_REFUSED = "\n    ".join(
    [
        "import errno, os",
        "real_fork, forked = os.fork, []",
        "def first_refused():",
        "    forked.append(None)",
        "    if len(forked) == 1:",
        "        raise BlockingIOError(errno.EAGAIN, 'Resource temporarily unavailable')",
        "    return real_fork()",
        "os.fork = first_refused",
    ]
)


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked: Linux only")
def test_a_fork_refused_at_the_early_start_is_no_traceback_the_build_starts_its_own(
    tmp_path: Path,
) -> None:
    lines = _build(tmp_path, ARGV, setup=FIRST_FORK_REFUSED)
    # The early one refused (no process), the build's own forked after typer and used.
    assert lines[-3:] == ["exit 0", "[(False, False), (True, True)] [True, False] 0", GOLDEN_HASH]
