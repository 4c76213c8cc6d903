"""Running perfreport's commands for the benchmark: one measured process per run, and summaries."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
HEAVY = ("openpyxl", "docx", "docxtpl", "matplotlib")  # must not load for --help (issue 7)
ALSO_WATCHED = ("lxml", "jinja2", "numpy", "pandas", "PIL", "python_calamine")


def log(message: str) -> None:
    """Progress goes to stderr, so that stdout holds only the tables."""
    print(message, file=sys.stderr, flush=True)


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

    def repeat(
        self, label: str, argv: list[str], before: Callable[[], None] | None = None
    ) -> list[dict]:
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
    """Median, range and peak memory of the runs; failed if one exits unexpectedly or crashes."""
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
