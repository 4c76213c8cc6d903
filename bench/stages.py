"""Time each stage of a build inside one process: read, validate, rate and summarise, render, PDF.

Usage: python bench/stages.py PROJECT PERIOD [--pdf] [--no-serial]

Prints one JSON object: seconds per stage (None when the library does not offer that stage) and
notes saying why. Two pipelines are timed, each with an empty cache of read returns:
- validate: perfreport.inputs.dataset.read_period, then again with the cache filled, then again with
  the returns parsed in this process (`[limits] isolate = false`) and no cache;
- build: perfreport.build.build_paper, whose on_stage hook marks read, rate, render, pdf and
  write. The "read" stage (summarise: five quarters read, checked, rated) is split further by
  timing the functions that read files and the cross-file checks.
"""

from __future__ import annotations

import functools
import importlib
import json
import shutil
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

VALIDATE_STAGES = (
    "imports",
    "read",
    "validate",
    "read_validate",
    "read_validate_cached",
    "read_validate_serial",
)
BUILD_STAGES = (
    "build_read",
    "build_validate",
    "rate_summarise",
    "render",
    "pdf",
    "write",
    "build_total",
)
# Timed inside perfreport.inputs.dataset: reading files, and the checks across them.
READING = ("_load_catalogue", "_read_all")
CHECKING = ("_assemble",)


class Clock:
    """Seconds spent inside wrapped functions (outermost calls only)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.calls = 0
        self._depth = 0

    def wrap(self, func: Callable) -> Callable:
        @functools.wraps(func)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self._depth += 1
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self._depth -= 1
                if self._depth == 0:
                    self.seconds += time.perf_counter() - started
                    self.calls += 1

        return timed

    def reset(self) -> None:
        self.seconds, self.calls = 0.0, 0


def _patch(module: Any, names: tuple[str, ...], clock: Clock) -> bool:
    if not all(callable(getattr(module, name, None)) for name in names):
        return False
    for name in names:
        setattr(module, name, clock.wrap(getattr(module, name)))
    return True


def _count_soffice_starts() -> list[list[str]]:
    """Record every LibreOffice process started from here (the target: one per build)."""
    started: list[list[str]] = []
    original = subprocess.Popen.__init__

    def init(self: subprocess.Popen, args: Any, *rest: Any, **kwargs: Any) -> None:
        argv = [str(a) for a in args] if isinstance(args, list | tuple) else [str(args)]
        # On Linux LibreOffice runs under perfreport's watchdog (python -c WATCHDOG soffice ...):
        # the program is the first argument that names LibreOffice, not necessarily argv[0].
        for at, word in enumerate(argv):
            if any(name in Path(word).name.lower() for name in ("soffice", "libreoffice")):
                started.append(argv[at:])
                break
        original(self, args, *rest, **kwargs)

    subprocess.Popen.__init__ = init  # type: ignore[method-assign]
    return started


def import_everything() -> None:
    """Every library module and the heavy libraries the stages load on first use."""
    import pkgutil

    import perfreport

    names = [
        m.name
        for m in pkgutil.walk_packages(perfreport.__path__, "perfreport.")
        if not m.name.startswith(("perfreport.cli", "perfreport.__main__"))
    ]
    for name in [*names, "openpyxl", "docx", "docxtpl", "jinja2", "lxml.etree"]:
        try:
            importlib.import_module(name)
        except Exception:  # an optional or broken module: the stage that needs it will say so
            pass


def _with(settings: Any, **changes: Any) -> Any:
    """``settings`` with those fields changed, skipping fields it does not have."""
    known = {f.name for f in fields(settings)}
    return replace(settings, **{k: v for k, v in changes.items() if k in known})


def _uncached_serial(project: Any) -> Any | None:
    """The project with every return parsed in this process and no cache, when it has those."""
    if not hasattr(project, "limits") or "isolate" not in {f.name for f in fields(project.limits)}:
        return None
    project = replace(project, limits=_with(project.limits, isolate=False))
    if hasattr(project, "performance"):
        project = replace(project, performance=_with(project.performance, cache=False))
    return project


def _clear_cache(project: Any) -> None:
    folder = getattr(project, "cache_dir", None)
    if isinstance(folder, Path):
        shutil.rmtree(folder, ignore_errors=True)


def time_validate(
    project: Any, period: Any, stages: dict, notes: list, result: dict, serial_too: bool
) -> None:
    dataset = importlib.import_module("perfreport.inputs.dataset")
    reading, checking = Clock(), Clock()
    split = _patch(dataset, READING, reading) and _patch(dataset, CHECKING, checking)
    _clear_cache(project)
    started = time.perf_counter()
    read = dataset.read_period(project, period)
    stages["read_validate"] = time.perf_counter() - started
    if split and reading.calls:
        stages["read"] = reading.seconds
        stages["validate"] = stages["read_validate"] - reading.seconds
    else:
        notes.append(
            "validate: read and cross-file checks are timed together (the functions "
            f"{', '.join(READING)} of perfreport.inputs.dataset have moved)"
        )
    result["findings"] = {
        s: sum(1 for f in read.findings if f.severity == s) for s in ("error", "warning", "info")
    }
    result["observations"] = len(read.dataset.observations)
    started = time.perf_counter()
    dataset.read_period(project, period)  # the cache (if any) is now filled
    stages["read_validate_cached"] = time.perf_counter() - started
    serial = _uncached_serial(project) if serial_too else None
    if serial is not None:
        started = time.perf_counter()
        dataset.read_period(serial, period)
        stages["read_validate_serial"] = time.perf_counter() - started
    _clear_cache(project)


def time_build(
    project: Any, period: Any, out_dir: Path, pdf: bool, stages: dict, notes: list, result: dict
) -> None:
    try:
        build = importlib.import_module("perfreport.build")
        build_paper, modes = build.build_paper, build.PdfMode
    except (ImportError, AttributeError):
        notes.append("build: perfreport.build.build_paper does not exist yet")
        return
    dataset = importlib.import_module("perfreport.inputs.dataset")
    reading, checking = Clock(), Clock()
    split = _patch(dataset, READING, reading) and _patch(dataset, CHECKING, checking)
    marks: list[tuple[str, float]] = []
    launches = _count_soffice_starts()
    _clear_cache(project)
    started = time.perf_counter()
    outcome = build_paper(
        project,
        period,
        out_dir=out_dir,
        pdf=modes.REQUIRED if pdf else modes.OFF,
        on_stage=lambda name: marks.append((name, time.perf_counter())),
    )
    ended = time.perf_counter()
    stages["build_total"] = ended - started
    if not getattr(outcome, "published", True):
        notes.append(f"build: not published: {getattr(outcome, 'reason', '')}")
    spans = {
        name: (marks[n + 1][1] if n + 1 < len(marks) else ended) - at
        for n, (name, at) in enumerate(marks)
    }
    read_stage = spans.get("read")
    if split and read_stage is not None and reading.calls:
        stages["build_read"] = reading.seconds
        stages["build_validate"] = checking.seconds
        stages["rate_summarise"] = (
            read_stage - reading.seconds - checking.seconds + spans.get("rate", 0.0)
        )
    elif read_stage is not None:
        notes.append("build: reading, checking and rating are timed together as rate_summarise")
        stages["rate_summarise"] = read_stage + spans.get("rate", 0.0)
    for name in ("render", "pdf", "write"):
        stages[name] = spans.get(name)
    unknown = sorted(set(spans) - {"read", "rate", "render", "pdf", "write"})
    if unknown:
        notes.append(f"build: stages not shown apart: {', '.join(unknown)}")
    if pdf:
        result["soffice_starts"] = len(launches)
        result["soffice_commands"] = [" ".join([Path(a[0]).name, *a[1:3]]) for a in launches]
    _clear_cache(project)


def run(
    root: Path, period_text: str, out_dir: Path, pdf: bool, serial: bool = True
) -> dict[str, Any]:
    stages: dict[str, float | None] = dict.fromkeys((*VALIDATE_STAGES, *BUILD_STAGES))
    notes: list[str] = []
    result: dict[str, Any] = {"stages": stages, "notes": notes}
    started = time.perf_counter()
    from perfreport.core.periods import Period
    from perfreport.core.project import load_project

    project = load_project(root)
    period = Period.parse(period_text)
    result["load_project_seconds"] = time.perf_counter() - started
    # The stages import their libraries lazily; import them all first so each stage's figure is
    # its work alone, comparable with the reference points (whose imports are also apart).
    started = time.perf_counter()
    import_everything()
    stages["imports"] = time.perf_counter() - started
    time_validate(project, period, stages, notes, result, serial)
    time_build(project, period, out_dir, pdf, stages, notes, result)
    return result


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    try:
        with tempfile.TemporaryDirectory(prefix="perfreport-bench-") as scratch:
            result = run(
                Path(argv[0]),
                argv[1],
                Path(scratch) / "build",
                pdf="--pdf" in argv[2:],
                serial="--no-serial" not in argv[2:],
            )
    except Exception as exc:
        result = {
            "error": f"{type(exc).__name__}: {exc}",
            "traceback": traceback.format_exc(limit=8),
        }
    print(json.dumps(result))
    return 0


if __name__ == "__main__":  # the guard matters: worker processes import this module again
    sys.exit(main(sys.argv[1:]))
