"""Starting the worker processes that read returns early, and what a stopped worker means."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from perfreport.core.codes import finding
from perfreport.core.codes_files import ADVICE_RESAVE_OR_REPORT, ADVICE_STOPPED
from perfreport.core.findings import Finding
from perfreport.core.project import LimitSettings, Project

# Imported before the workers start (in this process when they are forked from it, else in the
# worker server), so that no worker pays for them again.
PRELOAD = (
    "perfreport.inputs.dataset",
    "perfreport.inputs.returns",
    "perfreport.xlsx.lean",  # not openpyxl: a plain workbook is read without it (xlsx.lean)
    "lxml.etree",
)

# Why: a worker costs ~0.03 s of CPU of its own (its fork, its first return, its end), as much
# as ~30 returns' reading. With a core each for a few dozen returns (the example's quarter has
# 36 at 1x), the second worker cost more than it saved: one worker for every RETURNS_PER_WORKER
# returns, when [performance] workers leaves it to perfreport (measured, NOTE-20mn).
RETURNS_PER_WORKER = 50


def worker_count(project: Project, files: int) -> int:
    """How many workers read ``files`` returns: [performance] workers when it is set, else one
    per processor core but no more than one for every RETURNS_PER_WORKER returns; never more
    workers than returns, and at least one."""
    wanted = project.performance.workers
    if not wanted:
        wanted = min(os.cpu_count() or 1, -(-files // RETURNS_PER_WORKER))
    return max(1, min(wanted, files))


def preload(project: Project) -> tuple[str, ...]:
    """PRELOAD, and with the cache on the module that stores each read (inputs.cache): this
    process needs it for the catalogue's key a moment later, and every worker for its first
    store. Imported after the fork, each worker paid for it again (0.7 ms; 4 ms where Python
    may not keep the compiled module)."""
    return (*PRELOAD, "perfreport.inputs.cache") if project.performance.cache else PRELOAD


def start_workers(project: Project, jobs: Sequence[tuple[Path, str, Any]]) -> None:
    """Start the workers before the catalogue is read, so that their start-up overlaps it and
    they are given their returns at once. Only on a first read (no cache yet): with a cache,
    most files are usually in it and no worker is needed, so none starts until one is."""
    cached = project.performance.cache and project.cache_dir.is_dir()
    if project.limits.isolate and jobs and not cached:
        import importlib

        from perfreport.core.gcpause import gc_paused
        from perfreport.xlsx.isolation import start_early
        from perfreport.xlsx.parts import ready_for_forks

        # Imported here, not by start_early, so that their objects are frozen (in the command's
        # own process) before the workers are forked: neither walks them in its collections.
        with gc_paused(lasting=True):
            for name in preload(project):
                importlib.import_module(name)
            ready_for_forks()
        # Where the workers are forked from here, each reads its returns' sheets at once, while
        # the catalogue is read here: the work that needs no catalogue is done by then.
        start_early(
            preload(project),
            worker_count(project, len(jobs)),
            prepare=prepare_job,
            items=[(path, project.limits, display) for path, display, _ in jobs],
            memory_mb=project.limits.parse_memory_mb,
        )


def prepare_job(job: tuple[Path, LimitSettings, str]) -> tuple[tuple[Path, str], Any]:
    """The first step of jobs.read_job, which needs no catalogue: (path, display) and the
    return's sheet, or the findings saying why there is none (returns.return_sheet)."""
    from perfreport.inputs.returns import return_sheet

    path, limits, display = job
    return (path, display), return_sheet(path, limits, display)


def stop_unused_workers(project: Project) -> None:
    """Called as the catalogue read ends: when it failed, the workers started early are let go
    (nothing is read then)."""
    if project.limits.isolate and sys.exc_info()[0] is not None:
        from perfreport.xlsx.isolation import stop_early

        stop_early()


def stopped_finding(outcome: Any, display: str, limits: LimitSettings) -> Finding:
    """The finding for a file whose worker was stopped (time, memory) or died."""
    from perfreport.xlsx.isolation import Failure

    if outcome.failure == Failure.TIMEOUT:
        problem = (
            f"took longer than {limits.parse_timeout_seconds:g} seconds to read, so it was stopped"
        )
        return finding(
            "suspicious-file", file=display, subject=display, problem=problem, advice=ADVICE_STOPPED
        )
    if outcome.failure == Failure.MEMORY:
        problem = (
            f"needed more than {limits.parse_memory_mb} MB of memory to read, so it was stopped"
        )
        return finding(
            "suspicious-file", file=display, subject=display, problem=problem, advice=ADVICE_STOPPED
        )
    return finding(
        "unreadable-file",
        file=display,
        problem=f"could not be read ({outcome.detail})",
        advice=ADVICE_RESAVE_OR_REPORT,
    )
