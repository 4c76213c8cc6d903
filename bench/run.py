"""perfreport's benchmark: time whole commands, each build stage and two reference points.

    python bench/run.py [--scales 1,10,100] [--runs 5] [--out bench/results.json] [--smoke]

See bench/README.md for what each number means and the targets they are checked against.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

# bench/ is not a package (it is not shipped): its modules are found through sys.path.
import machine  # noqa: E402
import present  # noqa: E402
import reference  # noqa: E402
import synth  # noqa: E402

RESULTS_SCHEMA = "perfreport.bench/1"
HEAVY = ("openpyxl", "docx", "docxtpl", "matplotlib")  # must not load for --help (issue 7)
SERIAL_MAX_SCALE = 10
ALSO_WATCHED = ("lxml", "jinja2", "numpy", "pandas", "PIL", "python_calamine")


def portable(text: str) -> str:
    """Results name paths relative to the repository, never this machine's folders."""
    root = str(HERE.parent)
    return text.replace(json.dumps(root)[1:-1] + "/", "").replace(json.dumps(root)[1:-1], ".")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scales",
        default="1,10",
        help="comma-separated multiples of one "
        "council (1 = 114 indicators, 12 returns); default 1,10",
    )
    parser.add_argument(
        "--runs", type=int, default=5, help="runs per command; the median is reported (default 5)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=HERE / "results.json",
        help="where to write the results (default bench/results.json)",
    )
    parser.add_argument(
        "--cache",
        type=Path,
        default=HERE / ".work",
        help="where the synthetic projects are generated and kept",
    )
    parser.add_argument("--no-pdf", action="store_true", help="skip `build` and the PDF stage")
    parser.add_argument(
        "--long-run",
        type=float,
        default=30.0,
        help="a command whose run takes "
        "longer than this many seconds is run at most --long-runs times "
        "(default 30)",
    )
    parser.add_argument(
        "--long-runs", type=int, default=3, help="runs of a long command (default 3)"
    )
    parser.add_argument(
        "--pdf-max-scale",
        type=int,
        default=10,
        help="run `build` and the PDF "
        "stage only up to this scale (default 10: LibreOffice takes minutes "
        "over a 100x paper, and no target asks for it)",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="1x, one run, no PDF: a quick check that the benchmark works (CI)",
    )
    parser.add_argument(
        "--markdown",
        type=Path,
        metavar="RESULTS",
        help="print the tables of an "
        "earlier results.json as Markdown (for the README) and run nothing",
    )
    args = parser.parse_args(argv)
    args.cache, args.out = args.cache.resolve(), args.out.resolve()
    if args.smoke:
        args.scales, args.runs, args.no_pdf = "1", 1, True
    try:
        args.scale_list = sorted({int(s) for s in args.scales.split(",") if s.strip()})
    except ValueError:
        parser.error(f"--scales must be whole numbers separated by commas, got {args.scales!r}")
    if not args.scale_list or min(args.scale_list) < 1 or args.runs < 1 or args.long_runs < 1:
        parser.error("--scales must be 1 or more, --runs and --long-runs at least 1")
    return args


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# -- running things --------------------------------------------------------------------------


def perfreport_command() -> list[str]:
    """The console script beside this Python, else ``python -m perfreport``."""
    folder = Path(sys.executable).parent
    for name in ("perfreport.exe", "perfreport"):
        if (folder / name).is_file():
            return [str(folder / name)]
    return [sys.executable, "-m", "perfreport"]


class Runner:
    """Runs commands through bench/measure.py, one fresh wrapper process per run."""

    def __init__(self, scratch: Path, runs: int, long_run: float, long_runs: int) -> None:
        self.scratch, self.runs, self.long_run, self.long_runs = scratch, runs, long_run, long_runs
        self.count = 0

    def once(self, argv: list[str]) -> dict:
        self.count += 1
        out = self.scratch / f"run-{self.count}.json"
        subprocess.run(
            [sys.executable, str(HERE / "measure.py"), str(out), "--", *argv], check=True
        )
        result = json.loads(out.read_text(encoding="utf-8"))
        result["stdout"] = out.with_suffix(".stdout").read_text(encoding="utf-8", errors="replace")
        result["stderr"] = out.with_suffix(".stderr").read_text(encoding="utf-8", errors="replace")
        return result

    def repeat(self, label: str, argv: list[str], before=None) -> list[dict]:  # noqa: ANN001
        results: list[dict] = []
        while len(results) < self.runs:
            if before is not None:
                before()
            result = self.once(argv)
            results.append(result)
            log(
                f"  {label}: run {len(results)}/{self.runs} {result['seconds']:.2f} s"
                f" (exit {result['exit_code']})"
            )
            if result["seconds"] > self.long_run and len(results) >= self.long_runs:
                break
        return results


def summarise_runs(results: list[dict], expected: set[int]) -> dict:
    seconds = [r["seconds"] for r in results]
    peaks = [r["peak_mb"] for r in results if r["peak_mb"] is not None]
    crashed = [r for r in results if r["exit_code"] not in expected or "Traceback" in r["stderr"]]
    summary = {
        "status": "failed" if crashed else "ok",
        "runs": len(results),
        "median_s": statistics.median(seconds),
        "min_s": min(seconds),
        "max_s": max(seconds),
        "peak_mb": max(peaks) if peaks else None,
        "exit_codes": sorted({r["exit_code"] for r in results}),
    }
    lines = [line for line in results[0]["stdout"].splitlines() if line.strip()]
    if lines:
        summary["last_line"] = lines[-1].strip()[:200]
    if crashed:
        summary["error"] = crashed[0]["stderr"].strip()[-2000:]
    return summary


def available(command: list[str], words: list[str], needs: str | None = None) -> bool:
    """Does ``perfreport WORDS --help`` work (and mention the option ``needs``)?"""
    done = subprocess.run(
        [*command, *words, "--help"],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1", "COLUMNS": "200"},
    )
    return done.returncode == 0 and (needs is None or needs in done.stdout)


def heavy_imports(words: list[str]) -> list[str]:
    """Which heavy libraries `perfreport WORDS` imports before it exits (help, usage errors)."""
    code = (
        "import json, sys\n"
        f"sys.argv = ['perfreport', *{words!r}]\n"
        "try:\n    from perfreport.cli import main\n    main()\n"
        "except SystemExit:\n    pass\n"
        f"print(json.dumps([m for m in {HEAVY + ALSO_WATCHED!r} if m in sys.modules]), "
        "file=sys.stderr)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        return json.loads(done.stderr.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return ["(could not tell: " + done.stderr.strip()[-200:] + ")"]


# -- one scale -----------------------------------------------------------------------------------


def bench_commands(
    runner: Runner,
    command: list[str],
    project: synth.Project,
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


def bench_stages(runner: Runner, project: synth.Project, pdf: bool) -> dict:
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


def bench_reference(runner: Runner, kind: str, project: synth.Project, template: Path) -> dict:
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


# -- main ------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.markdown is not None:
        print(present.markdown(json.loads(args.markdown.read_text(encoding="utf-8"))), end="")
        return 0
    started = time.perf_counter()
    command = perfreport_command()
    pdf = not args.no_pdf
    results: dict = {
        "schema": RESULTS_SCHEMA,
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "machine": machine.machine_info(),
        "settings": {
            "scales": args.scale_list,
            "runs": args.runs,
            "pdf": pdf,
            "smoke": args.smoke,
            "long_run_s": args.long_run,
            "long_runs": args.long_runs,
            "pdf_max_scale": args.pdf_max_scale,
            "generator_version": synth.GENERATOR_VERSION,
            "seed": synth.SEED,
            "command": [Path(command[0]).name, *command[1:]],
        },
    }
    results["settings"]["bytecode"] = machine.compile_bytecode()
    availability = {
        "validate": available(command, ["validate"]),
        "summary": available(command, ["summary"]),
        "build_no_pdf": available(command, ["build"], "--no-pdf"),
        "build": available(command, ["build"]),
    }
    with tempfile.TemporaryDirectory(prefix="perfreport-bench-") as tmp:
        runner = Runner(Path(tmp), args.runs, args.long_run, args.long_runs)
        log("start-up")
        results["startup"] = {
            "help": summarise_runs(runner.repeat("--help", [*command, "--help"]), {0}),
            "usage_error": summarise_runs(
                runner.repeat("usage error", [*command, "validate", "Q5-2024", "--project", tmp]),
                {2},
            ),
            "heavy_imports": {
                "help": heavy_imports(["--help"]),
                "usage_error": heavy_imports(["validate", "Q5-2024"]),
            },
        }
        template = reference.make_template(args.cache / "baseline-template.docx")
        results["scales"] = {}
        for scale in args.scale_list:
            log(f"{scale}x: generating (or reusing) the project")
            project = synth.ensure_project(args.cache, scale)
            entry: dict = {"project": project.to_dict()}
            with_pdf = pdf and scale <= args.pdf_max_scale
            entry["commands"] = bench_commands(runner, command, project, availability, with_pdf)
            entry["stages"] = bench_stages(runner, project, with_pdf)
            entry["floor"] = bench_reference(runner, "floor", project, template)
            entry["baseline"] = bench_reference(runner, "baseline", project, template)
            entry["ratios"] = ratios(entry)
            results["scales"][str(scale)] = entry
    if hasattr(os, "getloadavg"):
        results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["targets"] = present.check_targets(results)
    results["elapsed_s"] = round(time.perf_counter() - started, 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(portable(json.dumps(results, indent=2)) + "\n", encoding="utf-8")
    present.print_results(results)
    log(f"results written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
