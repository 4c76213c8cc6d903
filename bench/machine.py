"""The machine a benchmark ran on, and getting perfreport ready to be timed as installed."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
# The machine's speed as one number (python_loop_seconds): a pure-Python loop of this many steps.
LOOP_STEPS = 2_000_000


def compile_bytecode() -> str:
    """Compile perfreport's modules, as pip does when it installs a wheel, so start-up is real."""
    import importlib.util

    spec = importlib.util.find_spec("perfreport")
    if spec is None or not spec.submodule_search_locations:
        return "perfreport is not installed"
    folder = list(spec.submodule_search_locations)[0]
    done = subprocess.run(
        [sys.executable, "-m", "compileall", "-q", folder], capture_output=True, text=True
    )
    return "compiled" if done.returncode == 0 else f"could not compile: {done.stdout[-200:]}"


def _version(distribution: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(distribution)
    except PackageNotFoundError:
        return None


def machine_info() -> dict:
    info: dict = {
        "platform": platform.platform(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "cpu_count": os.cpu_count(),
        "processor": platform.processor() or platform.machine(),
    }
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                info["processor"] = line.split(":", 1)[1].strip()
                break
    if hasattr(os, "sysconf") and "SC_PHYS_PAGES" in os.sysconf_names:
        info["memory_gb"] = round(
            os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1
        )
    if hasattr(os, "getloadavg"):
        info["load_average_at_start"] = [round(x, 2) for x in os.getloadavg()]
    info["packages"] = {
        name: _version(name)
        for name in (
            "perfreport",
            "openpyxl",
            "python-docx",
            "docxtpl",
            "lxml",
            "python-calamine",
            "pandas",
            "psutil",
        )
    }
    try:
        from perfreport.paper.pdf import find_soffice, soffice_version

        soffice = find_soffice()
        version = soffice_version(soffice) if soffice else None
        info["libreoffice"] = ".".join(map(str, version)) if version else None
    except Exception:
        info["libreoffice"] = None
    try:
        commit = subprocess.run(
            ["git", "-C", str(HERE.parent), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        dirty = subprocess.run(
            ["git", "-C", str(HERE.parent), "status", "--porcelain"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        if commit.returncode == 0:
            info["git_commit"] = commit.stdout.strip() + (
                "+changes" if dirty.stdout.strip() else ""
            )
    except (OSError, subprocess.SubprocessError):
        pass
    return info


def python_loop_seconds(steps: int = LOOP_STEPS, repeats: int = 3) -> float:
    """The fastest of ``repeats`` pure-Python loops of ``steps`` additions, in seconds.

    Why: the ratios are measured side by side within a run and hold across machines; seconds do
    not. The same code's runs have differed threefold between machines of the same kind (the
    naive baseline at 100x took 12.7 s on one and 38.9 s on another), so each run records how
    fast its machine ran Python, at its start and at its end (a machine that slowed meanwhile
    shows it), and results from two machines can be compared by that measure.
    """
    best = float("inf")
    for _ in range(repeats):
        started = time.perf_counter()
        total = 0
        for step in range(steps):
            total += step
        best = min(best, time.perf_counter() - started)
    return round(best, 3)
