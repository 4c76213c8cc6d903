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

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "somerset"
PERIOD = "Q2-2024"
# In a fresh interpreter: this test process may have other threads (numpy's), and workers are
# forked only from a process that has none.
READ = """
import pickle, sys
from pathlib import Path
from perfreport.core.periods import Period
from perfreport.core.project import load_project
from perfreport.inputs.dataset import read_period
from perfreport.xlsx import isolation

project = load_project(Path(sys.argv[1]))
forked = isolation._fork_context() is not None
read = read_period(project, Period.parse(sys.argv[2]))
found = (read.findings, dict(read.dataset.observations), read.files)
Path(sys.argv[3]).write_bytes(pickle.dumps((forked, found)))
"""


def _project(tmp_path: Path) -> Path:
    """The example project, with every hostile file among the quarter's returns."""
    root = tmp_path / "somerset"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("build"))
    returns = root / "returns" / PERIOD
    for path in sorted(HOSTILE.iterdir()):
        if path.is_file():
            shutil.copy(path, returns / f"hostile {path.name}")
    return root


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forked on Linux only")
def test_reading_ahead_in_forked_workers_gives_the_same_reads_as_reading_here(tmp_path):
    root = _project(tmp_path)
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
    forked, ahead = pickle.loads(out.read_bytes())
    project = load_project(root)
    here = dataclasses.replace(
        project,
        limits=dataclasses.replace(project.limits, isolate=False),
        performance=dataclasses.replace(project.performance, cache=False),
    )
    read = read_period(here, Period.parse(PERIOD))
    assert forked
    assert len(read.files) > 60  # the returns and the hostile files
    assert ahead == (read.findings, dict(read.dataset.observations), read.files)


def test_with_the_cache_on_the_workers_inherit_the_module_that_stores_their_reads(tmp_path):
    """Imported before the fork (the catalogue's key needs it next), not by each worker."""
    import importlib

    from perfreport.inputs.workers import PRELOAD, preload

    project = load_project(_project(tmp_path))
    on = dataclasses.replace(
        project, performance=dataclasses.replace(project.performance, cache=True)
    )
    off = dataclasses.replace(on, performance=dataclasses.replace(on.performance, cache=False))
    assert preload(on) == (*PRELOAD, "perfreport.inputs.cache")
    assert preload(off) == PRELOAD
    for name in preload(on):
        importlib.import_module(name)
