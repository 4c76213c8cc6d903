"""Time each stage of a build inside one process: read, validate, rate and summarise, render, PDF.

Usage: python bench/stages.py PROJECT PERIOD OUT_DIR [--pdf]

Prints one JSON object: seconds per stage (None when the library does not offer that stage yet)
and notes saying why. It calls the library's own functions; until perfreport has a timing hook,
the split between "read" and "validate" is found by wrapping the functions that read files.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import json
import pkgutil
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any


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


def _patch(module_name: str, name: str, clock: Clock) -> bool:
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return False
    if not hasattr(module, name):
        return False
    setattr(module, name, clock.wrap(getattr(module, name)))
    return True


def _count_soffice_starts() -> list[list[str]]:
    """Record every LibreOffice process started from here (the target: one per build)."""
    started: list[list[str]] = []
    original = subprocess.Popen.__init__

    def init(self: subprocess.Popen, args: Any, *rest: Any, **kwargs: Any) -> None:
        argv = [str(a) for a in args] if isinstance(args, list | tuple) else [str(args)]
        if argv and any(word in Path(argv[0]).name.lower() for word in ("soffice", "libreoffice")):
            started.append(argv)
        original(self, args, *rest, **kwargs)

    subprocess.Popen.__init__ = init  # type: ignore[method-assign]
    return started


def _annotation_name(parameter: inspect.Parameter) -> str:
    annotation = parameter.annotation
    text = annotation if isinstance(annotation, str) else getattr(annotation, "__name__", "")
    return text.split("|")[0].strip().split(".")[-1]


def _library_modules() -> list[str]:
    import perfreport

    return [f"perfreport.{info.name}" for info in pkgutil.iter_modules(perfreport.__path__)
            if info.name not in {"cli", "__main__"}]


def import_everything() -> None:
    """Every library module and the heavy libraries the stages load on first use."""
    for name in [*_library_modules(), "openpyxl", "docx", "docxtpl", "jinja2", "lxml.etree"]:
        try:
            importlib.import_module(name)
        except Exception:  # an optional or broken module: the stage that needs it will say so
            pass


def find_context_builder() -> Callable | None:
    """A library function that turns a Summary into the template context, if there is one yet."""
    for module_name in _library_modules():
        try:
            module = importlib.import_module(module_name)
        except Exception:
            continue
        for name, func in vars(module).items():
            if not (name.endswith("context") and not name.startswith("_") and callable(func)
                    and getattr(func, "__module__", "") == module.__name__):
                continue
            try:
                parameters = list(inspect.signature(func).parameters.values())
            except (TypeError, ValueError):
                continue
            if parameters and _annotation_name(parameters[0]) == "Summary":
                return func
    return None


def call_with(func: Callable, pool: Mapping[str, Any]) -> Any:
    """Call ``func`` supplying each required parameter by name, else by its annotation's type."""
    by_type = {type(value).__name__: value for value in pool.values()}
    args, kwargs = [], {}
    for parameter in inspect.signature(func).parameters.values():
        if parameter.name in pool:
            value = pool[parameter.name]
        elif _annotation_name(parameter) in by_type:
            value = by_type[_annotation_name(parameter)]
        elif parameter.default is not inspect.Parameter.empty:
            continue
        else:
            raise LookupError(f"cannot supply parameter '{parameter.name}' of "
                              f"{func.__module__}.{func.__qualname__}")
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY:
            kwargs[parameter.name] = value
        else:
            args.append(value)
    return func(*args, **kwargs)


def _serial(project: Any) -> Any:
    """The project with `[limits] isolate = false`, when perfreport has that setting."""
    from dataclasses import fields, replace

    limits = getattr(project, "limits", None)
    if limits is None or "isolate" not in {f.name for f in fields(limits)} or not limits.isolate:
        return None
    return replace(project, limits=replace(limits, isolate=False))


def run(root: Path, period_text: str, out_dir: Path, pdf: bool) -> dict[str, Any]:
    stages: dict[str, float | None] = dict.fromkeys((
        "imports", "read", "validate", "read_validate", "read_validate_serial", "read_earlier",
        "rate_summarise", "render", "pdf"))
    notes: list[str] = []
    result: dict[str, Any] = {"stages": stages, "notes": notes}
    started = time.perf_counter()
    from perfreport.periods import Period
    from perfreport.project import load_project
    from perfreport.validate import read_period

    project = load_project(root)
    period = Period.parse(period_text)
    result["load_project_seconds"] = time.perf_counter() - started
    # The stages import their libraries lazily; import them all first so each stage's figure is
    # its work alone, comparable with the reference points (whose imports are also apart).
    started = time.perf_counter()
    import_everything()
    stages["imports"] = time.perf_counter() - started

    # Read: the catalogue and the return files (in worker processes or not); validate: what
    # read_period does besides. _read_all is private: if it moves, the two are timed together.
    reading = Clock()
    patched = [_patch("perfreport.validate", "load_catalogue", reading),
               _patch("perfreport.validate", "_read_all", reading)]
    started = time.perf_counter()
    read = read_period(project, period)
    stages["read_validate"] = time.perf_counter() - started
    if all(patched) and reading.calls == 2:
        stages["read"] = reading.seconds
        stages["validate"] = stages["read_validate"] - reading.seconds
    else:
        notes.append("read and validate are timed together: the functions that read the "
                     "catalogue and the returns have moved, so they cannot be told apart")
    serial = _serial(project)
    if serial is not None:  # the same read with every file parsed in this process
        started = time.perf_counter()
        read_period(serial, period)
        stages["read_validate_serial"] = time.perf_counter() - started
    result["findings"] = {s: sum(1 for f in read.findings if f.severity == s)
                          for s in ("error", "warning", "info")}
    result["observations"] = len(read.dataset.observations)

    # Rate and summarise, with the earlier quarters' reads timed apart.
    try:
        summary_module = importlib.import_module("perfreport.summary")
        summarise = summary_module.summarise
    except (ImportError, AttributeError):
        notes.append("rate and summarise: perfreport.summary.summarise does not exist yet")
        return result
    earlier = Clock()
    started = time.perf_counter()
    summary = summarise(project, period, read=read, reader=earlier.wrap(read_period))
    total = time.perf_counter() - started
    stages["read_earlier"] = earlier.seconds
    stages["rate_summarise"] = total - earlier.seconds

    # Render the paper.
    builder = find_context_builder()
    if builder is None:
        notes.append("render: no library function turns a Summary into the template context yet")
        return result
    from perfreport.document import render_document

    pool: dict[str, Any] = {"project": project, "period": period, "read": read,
                            "summary": summary}
    try:
        from perfreport.reports import read_report

        pool["report"], _ = read_report(project, period)
    except Exception:
        pass
    template = project.template_path or _default_template()
    started = time.perf_counter()
    try:
        context = call_with(builder, pool)
        data = render_document(context, template)
    except Exception as exc:
        notes.append(f"render failed through {builder.__module__}.{builder.__qualname__}: "
                     f"{type(exc).__name__}: {exc}")
        return result
    stages["render"] = time.perf_counter() - started
    out_dir.mkdir(parents=True, exist_ok=True)
    docx = out_dir / f"{period.key}.docx"
    docx.write_bytes(data)
    result["docx_bytes"] = len(data)

    if pdf:
        from perfreport.pdf import convert_to_pdf

        launches = _count_soffice_starts()
        started = time.perf_counter()
        try:
            convert_to_pdf([docx], out_dir)
        except Exception as exc:
            notes.append(f"pdf failed: {type(exc).__name__}: {exc}")
            return result
        stages["pdf"] = time.perf_counter() - started
        result["soffice_starts"] = len(launches)
        result["soffice_commands"] = [" ".join([Path(argv[0]).name, *argv[1:3]]) for argv in launches]
    return result


def _default_template() -> Path:
    from importlib.resources import files

    return Path(str(files("perfreport.templates") / "committee-paper.docx"))


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    root, period, out_dir = Path(argv[0]), argv[1], Path(argv[2])
    try:
        result = run(root, period, out_dir, pdf="--pdf" in argv[3:])
    except Exception as exc:
        result = {"error": f"{type(exc).__name__}: {exc}",
                  "traceback": traceback.format_exc(limit=8)}
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
