"""Workers forked early, reading the returns' sheets while the catalogue is read, give the same
reads as reading every file in this process: the same findings, observations and files."""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_corpus_wild import HOSTILE

from perfreport.core.periods import Period
from perfreport.core.project import load_project
from perfreport.inputs.dataset import read_period
from perfreport.inputs.workers import worker_count

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "somerset"
PERIOD = "Q2-2024"
# In a fresh interpreter: this test process may have other threads (numpy's), and workers are
# forked only from a process that has none.
READ = """
import os, pickle, sys
from pathlib import Path
from perfreport.core.periods import Period
from perfreport.core.project import load_project
from perfreport.inputs.dataset import read_period
from perfreport.inputs.workers import worker_count
from perfreport.xlsx import isolation

project = load_project(Path(sys.argv[1]))
forked = isolation._fork_context() is not None
forks = []
os.register_at_fork(after_in_parent=lambda: forks.append(1))
read = read_period(project, Period.parse(sys.argv[2]))
found = (read.findings, dict(read.dataset.observations), read.files)
Path(sys.argv[3]).write_bytes(pickle.dumps((forked, len(forks), found)))
"""


def _project(tmp_path: Path, hostile: int | None = None) -> Path:
    """The example project, with every hostile file (or the first ``hostile``) among the
    quarter's returns."""
    root = tmp_path / "somerset"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    returns = root / "returns" / PERIOD
    for path in sorted(p for p in HOSTILE.iterdir() if p.is_file())[:hostile]:
        shutil.copy(path, returns / f"hostile {path.name}")
    return root


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
@pytest.mark.parametrize(
    ("hostile", "files", "workers"),
    # Both machines' cores (CI has two or more): 61 returns are read by two workers, 42 by one
    # (inputs.workers.RETURNS_PER_WORKER), each the same as reading them here.
    [(None, 61, 2), (30, 42, 1)],
)
def test_reading_ahead_in_forked_workers_gives_the_same_reads_as_reading_here(
    tmp_path, hostile, files, workers
):
    root = _project(tmp_path, hostile)
    script, out = tmp_path / "read.py", tmp_path / "read.pickle"
    script.write_text(READ, encoding="utf-8")
    tests = str(Path(__file__).parent)
    subprocess.run(
        [sys.executable, str(script), str(root), PERIOD, str(out)],
        check=True,
        cwd=tests,
        env={**os.environ, "PYTHONPATH": tests},
        timeout=600,
    )
    forked, forks, ahead = pickle.loads(out.read_bytes())
    project = load_project(root)
    here = dataclasses.replace(
        project,
        limits=dataclasses.replace(project.limits, isolate=False),
        performance=dataclasses.replace(project.performance, cache=False),
    )
    read = read_period(here, Period.parse(PERIOD))
    assert forked
    assert len(read.files) == files  # the returns and the hostile files
    assert forks == min(workers, os.cpu_count() or 1)
    assert ahead == (read.findings, dict(read.dataset.observations), read.files)


@pytest.mark.parametrize(
    ("setting", "files", "cores", "expected"),
    [
        (0, 36, 2, 1),  # the example's quarter at 1x: one worker
        (0, 50, 8, 1),
        (0, 51, 8, 2),
        (0, 365, 2, 2),  # one per core
        (0, 365, 16, 8),  # one for every 50 returns
        (0, 1, 4, 1),
        (0, 0, 4, 1),
        (4, 36, 2, 4),  # [performance] workers as set
        (4, 3, 2, 3),  # never more than the returns
    ],
)
def test_the_workers_are_one_for_every_fifty_returns_unless_the_settings_say(
    monkeypatch, setting, files, cores, expected
):
    project = load_project(EXAMPLE)
    project = dataclasses.replace(
        project, performance=dataclasses.replace(project.performance, workers=setting)
    )
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    assert worker_count(project, files) == expected


def test_with_the_cache_on_the_workers_inherit_the_module_that_stores_their_reads():
    """Imported before the fork (the catalogue's key needs it next), not by each worker."""
    import importlib

    from perfreport.inputs.workers import PRELOAD, preload

    project = load_project(EXAMPLE)
    on = dataclasses.replace(
        project, performance=dataclasses.replace(project.performance, cache=True)
    )
    off = dataclasses.replace(on, performance=dataclasses.replace(on.performance, cache=False))
    assert preload(on) == (*PRELOAD, "perfreport.inputs.cache")
    assert preload(off) == PRELOAD
    for name in preload(on):
        importlib.import_module(name)
