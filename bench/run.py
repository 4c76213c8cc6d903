"""perfreport's benchmark: time whole commands, each build stage and two reference points.

    python bench/run.py [--scales 1,10,100] [--runs 5] [--out bench/results.json] [--smoke]

See bench/README.md for what each number means and the targets they are checked against.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
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
from runner import (  # noqa: E402
    Runner,
    available,
    heavy_imports,
    log,
    perfreport_command,
    summarise_runs,
)
from scale import bench_commands, bench_reference, bench_stages, ratios  # noqa: E402

RESULTS_SCHEMA = "perfreport.bench/1"


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
    results["machine"]["python_loop"] = {
        "steps": machine.LOOP_STEPS,
        "start_s": machine.python_loop_seconds(),
    }
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
    results["machine"]["python_loop"]["end_s"] = machine.python_loop_seconds()
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
