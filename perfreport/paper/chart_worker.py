"""A process that imports matplotlib while a build reads its returns, then draws the charts."""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

# Imported before the drawing process is forked (the command line imports this module first):
# the build uses it too, and the process starts with it.
import perfreport.paper.charts  # noqa: F401
from perfreport.core.forked import (
    can_fork,
    die_with_parent,
    die_with_parent_quietly,
    lower_priority,
    quietly,
)
from perfreport.core.gcpause import gc_paused

if TYPE_CHECKING:
    from perfreport.paper.chart_data import Chart

# Why: at 1x, matplotlib's import (0.4 s of CPU) and the drawing (0.37 s) were a third of a cold
# build, all of it after the summary and before the .docx. Forked as the build starts, this
# process imports matplotlib while the returns are read, and draws the charts while the build
# makes the paper's context. At 1x the drawing of the summary's chart is then the longest path
# of the build, so this process keeps the build's priority. From 10x, the helper it forks for
# the other charts yields (core.forked.lower_priority): on two cores they and the build's own
# work (the .docx filled in with stand-ins) want three, and what the helper draws is needed no
# sooner. At 1x it draws them all itself (charts.SPREAD_FROM).
_STOP = threading.Event()  # set as this process ends: the cache is kept no further
KEEP_AFTER = 0.2  # seconds given to keeping the charts once the build is done (1x: ~0.01 s)


class EarlyDrawer:
    """The drawing process. It does its jobs in the order given, and answers each in turn:
    batches of charts (submit, then result) and then, while the build renders the .docx, the
    web page (submit_page, then page)."""

    def __init__(self, process: Any, conn: Any) -> None:
        self._process = process
        self._conn = conn
        self._given = False  # it has been given a job
        self._released = False  # told it has no more (release)
        self._waiting = 0  # jobs given whose answers have not come
        self._came: deque[Any] = deque()  # answers come and not taken, in order
        self._gone = False  # the pipe broke: no answer will come

    @property
    def _asked(self) -> bool:
        """Whether a job is given and its answer not taken."""
        return bool(self._waiting or self._came)

    def submit(
        self, charts: Sequence[Chart], cache_dir: Path | None = None, more: bool = False
    ) -> bool:
        """Hand over the charts to draw; False when the process is gone (draw them here). With
        ``cache_dir``, it keeps them there (charts.store) once it has sent them; with ``more``,
        once it has sent the next batch's too (it forks no helper while a thread writes)."""
        return self._ask(("charts", list(charts), cache_dir, more))

    def result(self) -> list[bytes] | None:
        """The PNGs of the charts of the first batch whose answer is not taken, in order, or
        None when the process did not draw them (it failed or died: the caller draws them
        itself, and sees any error there)."""
        drawn = self._answer()
        return drawn if isinstance(drawn, list) else None

    def submit_page(self, context: Any, template: Path | None, pictures: Any) -> bool:
        """Hand over the web page to render (paper.html.render_html's arguments)."""
        # Only the charts' PNGs, which are all the page takes of them: a 100x paper's 9,000
        # pictures (paper.chart_data.Placed, frozen dataclasses) took ~0.025 s of the build's CPU
        # to pickle and ~0.015 s of this process's to unpickle; their bytes alone ~0.005 each.
        pngs = {key: placed.png for key, placed in pictures.items()}
        return self._ask(("page", context, template, pngs))

    def page(self) -> bytes | None:
        """The web page, or None when the process did not make it (make it here)."""
        page = self._answer()
        return page if isinstance(page, bytes) else None

    def _ask(self, job: tuple) -> bool:
        if self._gone:
            return False
        try:
            self._conn.send(job)
        except (OSError, ValueError):
            return False
        self._given = True
        self._waiting += 1
        return True

    def answered(self) -> bool:
        """Whether the answers to all the jobs given are here (or the process has gone)."""
        try:
            while self._waiting and not self._gone and self._conn.poll(0):
                self._came.append(self._conn.recv())
                self._waiting -= 1
        except (EOFError, OSError):
            self._gone = True
        return not self._waiting or self._gone

    def _answer(self) -> Any:
        if self._came:
            return self._came.popleft()
        if not self._waiting:
            return None
        self._waiting -= 1
        if self._gone:
            return None
        try:
            return self._conn.recv()
        except (EOFError, OSError):
            self._gone = True
            return None

    def release(self) -> None:
        """Tell the process its work is done, and go on: it ends once it has kept its charts in
        the cache (chart_worker.KEEP_AFTER at most); :meth:`close` waits for it."""
        if self._conn.closed or not self._given or self._asked:
            return
        with contextlib.suppress(OSError, ValueError):
            self._conn.send(None)
        self._released = True

    def close(self) -> None:
        """Let the process go: told to end when it is between jobs; killed when it has had none
        or is still at one (the build stopped first), and its own workers die with it."""
        if self._conn.closed:
            return
        idle = self._given and not self._asked
        if idle and not self._released:
            with contextlib.suppress(OSError, ValueError):
                self._conn.send(None)
        self._conn.close()
        if not idle:
            self._process.kill()
        self._process.join(timeout=5)
        if self._process.is_alive():  # pragma: no cover - told to end, it did not
            self._process.kill()
            self._process.join()


def start_drawer(config_dir: Path | None = None) -> EarlyDrawer | None:
    """Fork the drawing process, where fork is safe (Linux, and this process has no other
    thread); else None, and the charts are drawn in this process when they are needed (Windows,
    macOS: a spawned process would import perfreport again, costing what it saves). The one
    the command line started for this build (:func:`start_early`) when there is one."""
    if _early:
        return _early.pop()
    return _fork(config_dir)


# Why: the command line starts a build's drawing process before it imports typer and rich and
# reads the project (~0.08 s sooner than build_paper would): at 1x the drawing is the longest
# path of a build, and one core would be idle meanwhile.
_early: list[EarlyDrawer] = []  # started by the command line, not yet taken by the build


def start_early(config_dir: Path | None = None) -> None:
    """Start the drawing process now, for the build about to run (start_drawer gives it to
    it); one the build does not take is stopped when this process ends (or by stop_early).
    ``config_dir``: matplotlib's folder there, when MPLCONFIGDIR is not set (see _serve)."""
    import atexit

    try:
        drawer = _fork(config_dir)
    except OSError:  # refused (a process limit, no memory for the copy): the build forks its own
        return
    if drawer is not None:
        _early.append(drawer)
        # Before multiprocessing's own exit handler (registered earlier, run later), which
        # would wait for the process to end.
        atexit.register(stop_early)


def stop_early() -> None:
    """Stop the drawing process the command line started, if the build has not taken it (a
    project that draws no charts, a usage error)."""
    while _early:
        _early.pop().close()


def _fork(config_dir: Path | None = None) -> EarlyDrawer | None:
    """``config_dir``: matplotlib's settings and font cache folder for the drawing process, when
    MPLCONFIGDIR is not set (see _serve)."""
    if not can_fork():
        return None
    import multiprocessing

    context = multiprocessing.get_context("fork")
    parent, child = context.Pipe()
    # Not a daemon: a batch that costs PARALLEL_FROM or more is shared among its own workers.
    process = context.Process(
        target=quietly, args=(_serve, child, os.getpid(), config_dir), name="perfreport-charts"
    )
    try:
        process.start()
    except OSError:  # the fork refused (a process limit, no memory for the copy): drawn here
        parent.close()
        child.close()
        return None
    child.close()
    return EarlyDrawer(process, parent)


def _home_usable() -> bool:
    """Whether matplotlib can keep its settings and font cache where it looks when MPLCONFIGDIR
    is not set, by its own rule (matplotlib.get_configdir, get_cachedir): the XDG folders (else
    ~/.config and ~/.cache) on Linux, ~/.matplotlib elsewhere, each made if missing and writable."""
    import sys

    try:
        home = Path.home()
    except (RuntimeError, KeyError):  # no home folder at all
        return False
    if sys.platform.startswith(("linux", "freebsd")):
        bases = (
            os.environ.get("XDG_CONFIG_HOME") or home / ".config",
            os.environ.get("XDG_CACHE_HOME") or home / ".cache",
        )
        folders = [Path(base, "matplotlib") for base in bases]
    else:
        folders = [home / ".matplotlib"]
    for folder in folders:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return False
        if not (folder.is_dir() and os.access(folder, os.W_OK)):
            return False
    return True


def _serve(conn: Any, parent: int, config_dir: Path | None = None) -> None:
    """In the drawing process: import matplotlib, wait for the charts, draw them, send them."""
    from perfreport.paper.mplimport import preload

    die_with_parent()
    # matplotlib keeps its settings and font cache under the home folder; a service account's
    # cannot be written, and then every run warned on stderr and left a /tmp/matplotlib-* folder
    # (rebuilding the font cache). Only then is the project's folder used: a font cache in the
    # home folder lasts from one cold build to the next (in build/ it was made again by each,
    # ~0.5 s of a cold 1x build's longest path). This process is perfreport's own: its
    # environment may change.
    if config_dir is not None and not os.environ.get("MPLCONFIGDIR") and not _home_usable():
        os.environ["MPLCONFIGDIR"] = str(config_dir)
    # Why: matplotlib's import makes ~100,000 objects that live as long as this process, and the
    # cyclic collector walked them all several times meanwhile (~0.01-0.025 s of the import's
    # ~0.27 s of CPU, on the 1x build's longest path). Paused for the import, and frozen before
    # the collector is back on (frozen after, it was all walked once more first: ~0.03 s): later
    # collections (each figure makes cycles), here and in the helper, walk only what is drawn.
    with gc_paused(freeze=True):
        preload()
    keeping: list[Any] = []  # the threads keeping drawn charts in the cache
    try:
        _answer_jobs(conn, parent, keeping)
    finally:
        # The build is done with this process and may be waiting for it to end: what is not
        # kept within KEEP_AFTER seconds is let go (the file being written is finished; the
        # next build draws the rest). At 100x, with the web page rendered beside it, the cache
        # was not all written by the end of the render, and the build waited ~0.5 s more.
        until = time.monotonic() + KEEP_AFTER
        for thread in keeping:
            thread.join(max(0.0, until - time.monotonic()))
        _STOP.set()
        for thread in keeping:
            thread.join()


def _answer_jobs(conn: Any, parent: int, keeping: list[Any]) -> None:
    """Each job's answer is None when it failed: the build then does it itself and reports the
    error there. The build may stop before it has a job for it: then it says so (None), or it
    has died (its end of the pipe may live on in the reading workers forked after this)."""
    held: list[tuple[Path, list[Chart], list[bytes]]] = []  # drawn, to keep with the next batch
    answers: list[Any] = []  # not sent yet: the next batch is drawn first
    try:
        while True:
            while not conn.poll(0.5):
                if os.getppid() != parent:
                    return
            try:
                job = conn.recv()
            except EOFError:
                return
            if job is None:
                return
            if job[0] == "charts":
                for thread in keeping:  # done before helpers are forked: no thread in a fork
                    thread.join()
            else:  # kept while the page is made
                _keep_held(held, keeping)
            try:
                answers.append(_do(*job))
            except Exception:
                answers.append(None)
            if job[0] == "charts" and answers[-1] is not None and job[2] is not None:
                held.append((job[2], job[1], answers[-1]))
            more = job[0] == "charts" and job[3]
            # Why: a large answer is sent only as fast as the build takes it, and it takes the
            # trends' charts with the summary's, once its context is made (100x: this process
            # waited ~0.5 s to send them before it could draw the summary's charts).
            if more and conn.poll(0):
                continue
            try:
                for answer in answers:
                    conn.send(answer)
            except OSError:  # the build has gone
                return
            answers.clear()
            if not more:
                # Kept for the next build, by a thread, while this process takes the next job:
                # the build waits while it hands over the web page (9,000 files took 0.4 s at
                # 100x).
                _keep_held(held, keeping)
    finally:
        _keep_held(held, keeping)  # a batch with more to come, whose next had nothing to draw


def _keep_held(held: list[tuple[Path, list[Chart], list[bytes]]], keeping: list[Any]) -> None:
    """The charts drawn and sent, kept in the cache by a thread."""
    if not held:
        return
    thread = threading.Thread(target=_keep, args=(held[:],), name="perfreport-chart-cache")
    thread.start()
    keeping.append(thread)
    held.clear()


def _keep(held: list[tuple[Path, list[Chart], list[bytes]]]) -> None:
    from perfreport.paper.charts import store  # a pack a batch, written whole, then moved

    with contextlib.suppress(Exception):  # the cache only saves time
        for cache_dir, charts, pngs in held:
            store(cache_dir, charts, pngs, stop=_STOP.is_set)


def _do(kind: str, *args: Any) -> Any:
    if kind == "charts":
        return _draw_in_two(args[0])  # args[1:], the cache and what follows: kept after
    from perfreport.paper.html import render_html

    context, template, pngs = args
    pictures = {key: _Png(png) for key, png in pngs.items()}
    return render_html(context, template, pictures=pictures)


class _Png(NamedTuple):
    """A chart as the web page takes it (EarlyDrawer.submit_page sends only its PNG)."""

    png: bytes


def _draw_in_two(charts: list[Chart]) -> list[bytes]:
    """In the drawing process: a paper's charts drawn half by a process forked for it, half
    here (from charts.SPREAD_FROM: 10x; a 1x paper's all here). A pool of two workers cost
    ~0.03 s more, in its start and end; with more cores, a large batch goes to charts._draw's
    pool."""
    import multiprocessing

    from perfreport.paper.charts import (
        COSTS,
        PARALLEL_FROM,
        SPREAD_FROM,
        _draw,
        _draw_batch,
        _shares,
    )

    costs = [COSTS.get(type(chart).__name__, 1) for chart in charts]
    cpus, cost = os.cpu_count() or 1, sum(costs)
    if cost >= PARALLEL_FROM:
        # A large paper's charts are put in after its .docx is filled in with stand-ins, seconds
        # later: drawn at a lower priority, they leave the build its core (its context, then
        # the render, are the longest path); a small paper's summary chart is that path itself.
        lower_priority()
    # On two cores a 100x paper's too: a pool of two cost ~0.08 s more CPU than one helper.
    if cpus < 2 or cost < SPREAD_FROM or (cost >= PARALLEL_FROM and cpus > 2):
        return _draw(charts, spread=True, initializer=die_with_parent_quietly)
    first, *rest = _shares(charts, costs, 2)
    if not rest:
        return _draw_batch(first)
    context = multiprocessing.get_context("fork")
    answer, sender = context.Pipe(duplex=False)
    # The helper takes the second share: the first (the summary's chart, most of the drawing)
    # starts here at once, not after a fork.
    helper = context.Process(
        target=quietly, args=(_draw_share, sender, rest[0]), name="perfreport-charts"
    )
    helper.start()
    sender.close()
    try:
        mine = _draw_batch(first)
        drawn = answer.recv()  # EOFError when it died: the build draws them itself
    finally:
        answer.close()
        helper.join(timeout=5)
        if helper.is_alive():  # pragma: no cover - it answered, or the pipe broke
            helper.kill()
            helper.join()
    if not isinstance(drawn, list):
        raise RuntimeError("the charts' helper failed")
    return mine + drawn


def _draw_share(sender: Any, charts: list[Chart]) -> None:
    """In the helper: draw ``charts`` and send their PNGs (None when it failed)."""
    from perfreport.paper.charts import _draw_batch

    die_with_parent()
    lower_priority()
    try:
        drawn: Any = _draw_batch(charts)
    except Exception:
        drawn = None
    sender.send(drawn)
