"""Run one command in a fresh wrapper process and report its wall time, exit code and peak memory.

Usage: python bench/measure.py OUT.json -- COMMAND [ARG...]

The wrapper is new for every run because getrusage(RUSAGE_CHILDREN) is a high-water mark over
every child a process has waited for: measured from the benchmark itself, the first big command
would hide every later one. Peak memory is the largest resident set of the command or of any
process it started and waited for (e.g. LibreOffice), not their sum.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path


def _peak_mb_posix() -> float | None:
    import resource

    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # Linux reports kibibytes, macOS bytes.
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


class _PsutilWatcher:
    """Windows (or anywhere without resource): poll the child's peak working set with psutil."""

    def __init__(self, pid: int) -> None:
        import psutil

        self.process = psutil.Process(pid)
        self.peak = 0
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._poll, daemon=True)
        self.thread.start()

    def _poll(self) -> None:
        while not self.done.is_set():
            try:
                procs = [self.process, *self.process.children(recursive=True)]
                for proc in procs:
                    info = proc.memory_info()
                    self.peak = max(self.peak, getattr(info, "peak_wset", 0) or info.rss)
            except Exception:  # the process ended between two polls
                pass
            self.done.wait(0.02)

    def stop(self) -> float:
        self.done.set()
        self.thread.join()
        return self.peak / (1024 * 1024)


def measure(command: list[str], stdout: Path, stderr: Path) -> dict:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    # Time perfreport as installed, with its bytecode cached (run.py compiles it first), not
    # recompiled from source on every start as PYTHONDONTWRITEBYTECODE would have it.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    with stdout.open("wb") as out, stderr.open("wb") as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env)
        watcher = None
        if os.name == "nt":
            try:
                watcher = _PsutilWatcher(child.pid)
            except Exception:  # psutil not installed: peak memory is reported as n/a
                watcher = None
        code = child.wait()
        seconds = time.perf_counter() - started
    if os.name != "nt":
        peak = _peak_mb_posix()
    else:
        peak = watcher.stop() if watcher is not None else None
    return {"seconds": seconds, "exit_code": code, "peak_mb": peak}


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[1] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    out = Path(argv[0])
    result = measure(argv[2:], out.with_suffix(".stdout"), out.with_suffix(".stderr"))
    out.write_text(json.dumps(result), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
