"""One scale of the benchmark: the commands, the stages of a build, the reference points, ratios."""

from __future__ import annotations

import json
import shutil
import statistics
import sys
from pathlib import Path

# Beside this file: bench/ is on sys.path.
from runner import Runner, summarise_runs
from synth import Project

HERE = Path(__file__).resolve().parent
# The read without isolation or cache is timed only up to this scale.
SERIAL_MAX_SCALE = 10


def bench_commands(
    runner: Runner,
    command: list[str],
    project: Project,
    availability: dict[str, bool],
    pdf: bool,
) -> dict:
    """Each command with no cache of read returns (cold), and validate and build --no-pdf again
    with the cache filled by an untimed run (warm: the officer's tenth validate of the day)."""
    root, period = str(project.root), project.period

    def cold() -> None:  # build/ holds the outputs, the cache of read returns and the locks
        shutil.rmtree(project.root / "build", ignore_errors=True)

    validate = [*command, "validate", period, "--project", root]
    build_no_pdf = [*command, "build", period, "--project", root, "--no-pdf"]
    plan = {
        "validate": ("validate", validate, cold),
        "summary": ("summary", [*command, "summary", period, "--project", root], cold),
        "build_no_pdf": ("build_no_pdf", build_no_pdf, cold),
        "build": ("build", [*command, "build", period, "--project", root], cold),
        "validate_warm": ("validate", validate, None),
        "build_no_pdf_warm": ("build_no_pdf", build_no_pdf, None),
    }
    results: dict[str, dict] = {}
    for name, (needs, argv, before) in plan.items():
        if not availability[needs]:
            results[name] = {"status": "not available"}
            continue
        if name == "build" and not pdf:
            results[name] = {"status": "skipped (no PDF at this scale)"}
            continue
        if before is None:
            runner.once(argv)  # fills the cache; not timed
        results[name] = {
            "argv": [Path(argv[0]).name, *argv[1:]],
            **summarise_runs(runner.repeat(name, argv, before), {0, 1}),
        }
    shutil.rmtree(project.root / "build", ignore_errors=True)
    return results


def bench_stages(runner: Runner, project: Project, pdf: bool) -> dict:
    argv = [sys.executable, str(HERE / "stages.py"), str(project.root), project.period]
    argv += ["--pdf"] if pdf else []
    # The read without isolation or cache shows what isolating the parser costs; above 10x it
    # only adds minutes to the run.
    argv += ["--no-serial"] if project.scale > SERIAL_MAX_SCALE else []
    runs = runner.repeat(
        "stages", argv, before=lambda: shutil.rmtree(project.root / "build", ignore_errors=True)
    )
    parsed = []
    for run in runs:
        try:
            parsed.append(json.loads(run["stdout"].strip().splitlines()[-1]))
        except (ValueError, IndexError):
            return {"status": "failed", "error": run["stderr"].strip()[-2000:]}
    if "error" in parsed[0]:
        return {
            "status": "failed",
            "error": parsed[0]["error"],
            "traceback": parsed[0].get("traceback", ""),
        }
    names = parsed[0]["stages"].keys()
    stages = {}
    for name in names:
        # A stage missing from some runs would make a median of unlike runs: then none is given.
        values = [p["stages"].get(name) for p in parsed]
        stages[name] = (
            None
            if any(v is None for v in values)
            else {"median_s": statistics.median(values), "min_s": min(values), "max_s": max(values)}
        )
    first = parsed[0]
    return {
        "status": "ok",
        "runs": len(parsed),
        "stages": stages,
        "notes": sorted({note for p in parsed for note in p["notes"]}),
        "peak_mb": max((r["peak_mb"] for r in runs if r["peak_mb"] is not None), default=None),
        "findings": first.get("findings"),
        "observations": first.get("observations"),
        "soffice_starts": first.get("soffice_starts"),
        "soffice_commands": first.get("soffice_commands"),
    }


def bench_reference(runner: Runner, kind: str, project: Project, template: Path) -> dict:
    module = "python_calamine" if kind == "floor" else "pandas"
    try:
        __import__(module)
    except ImportError:
        return {
            "status": f"not available ({module} is not installed: "
            "pip install -r bench/requirements.txt)"
        }
    out = runner.scratch / f"{kind}-{project.scale}.docx"
    argv = [
        sys.executable,
        str(HERE / "reference.py"),
        kind,
        str(project.root),
        project.period,
        str(out),
        str(template),
    ]
    runs = runner.repeat(kind, argv)
    try:
        phases = [json.loads(r["stdout"].strip().splitlines()[-1]) for r in runs]
    except (ValueError, IndexError):
        return {"status": "failed", "error": runs[0]["stderr"].strip()[-2000:]}
    result = summarise_runs(runs, {0})
    for phase in ("import_seconds", "read_seconds", "write_seconds"):
        result[phase.replace("_seconds", "_s")] = statistics.median(p[phase] for p in phases)
    result["table_rows"] = phases[0]["table_rows"]
    return result


def ratios(scale: dict) -> dict:
    """perfreport's time over the floor's and the baseline's, like for like (None if unknown)."""

    def get(*path: str) -> float | None:
        node = scale
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        return node if isinstance(node, int | float) else None

    def over(a: float | None, b: float | None) -> float | None:
        return round(a / b, 2) if a is not None and b else None

    read_validate = get("stages", "stages", "read_validate", "median_s")
    out = {}
    for kind in ("floor", "baseline"):
        read = get(kind, "read_s")
        process_read = (
            get(kind, "median_s") - get(kind, "write_s")
            if get(kind, "median_s") is not None and get(kind, "write_s") is not None
            else None
        )
        out[f"read_validate_vs_{kind}"] = over(read_validate, read)
        out[f"validate_command_vs_{kind}_process"] = over(
            get("commands", "validate", "median_s"), process_read
        )
        out[f"build_no_pdf_vs_{kind}_process"] = over(
            get("commands", "build_no_pdf", "median_s"), get(kind, "median_s")
        )
    return out
