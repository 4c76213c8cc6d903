"""Synthetic performance projects for the benchmark: deterministic, in the documented formats."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

# Beside this file: bench/ is on sys.path.
from synth_council import PERIOD_LABELS, PERIODS, PRIORITIES, SEED, Indicator, make_indicators
from synth_workbooks import write_catalogue, write_return

from perfreport.core.project import LimitSettings

# Bump when the generated files change, so that a cached project is rebuilt.
GENERATOR_VERSION = 4
STAMP = "generated.json"


@dataclass(frozen=True)
class Project:
    """A generated project's folder and its size."""

    root: Path
    scale: int
    indicators: int
    services: int
    return_files: int
    rows: int  # table rows across every return file
    generate_seconds: float
    cached: bool

    @property
    def period(self) -> str:
        return PERIODS[-1]

    def to_dict(self) -> dict:
        return {
            "root": str(self.root),
            "scale": self.scale,
            "indicators": self.indicators,
            "services": self.services,
            "returns_per_period": self.services,
            "periods": list(PERIODS),
            "return_files": self.return_files,
            "rows": self.rows,
            "generate_seconds": round(self.generate_seconds, 3),
            "cached": self.cached,
        }


def ensure_project(cache: Path, scale: int) -> Project:
    """The project for ``scale`` under ``cache``, generated unless an up-to-date copy is there."""
    root = cache / f"scale-{scale}"
    wanted = {"generator_version": GENERATOR_VERSION, "scale": scale, "seed": SEED}
    stamp = root / STAMP
    if stamp.is_file():
        try:
            data = json.loads(stamp.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}
        if {k: data.get(k) for k in wanted} == wanted:
            return Project(
                root,
                scale,
                data["indicators"],
                data["services"],
                data["return_files"],
                data["rows"],
                data["generate_seconds"],
                True,
            )
    started = time.perf_counter()
    # Generate beside the final folder and swap it in, so an interrupted run leaves no half project.
    building = cache / f".scale-{scale}.partial"
    shutil.rmtree(building, ignore_errors=True)
    building.mkdir(parents=True)
    counts = _generate(building, scale)
    seconds = time.perf_counter() - started
    (building / STAMP).write_text(
        json.dumps({**wanted, **counts, "generate_seconds": seconds}, indent=2), encoding="utf-8"
    )
    shutil.rmtree(root, ignore_errors=True)
    os.replace(building, root)
    return Project(
        root,
        scale,
        counts["indicators"],
        counts["services"],
        counts["return_files"],
        counts["rows"],
        seconds,
        False,
    )


def _generate(root: Path, scale: int) -> dict[str, int]:
    indicators, services = make_indicators(scale)
    _write_config(root, len(indicators))
    write_catalogue(root / "catalogue.xlsx", indicators, services)
    _write_report(root / "reports" / f"{PERIODS[-1]}.toml")
    by_service: dict[str, list[Indicator]] = {}
    for indicator in indicators:
        by_service.setdefault(indicator.service, []).append(indicator)
    files = rows = 0
    for step, period in enumerate(PERIODS):
        quarter = int(period[1])
        folder = root / "returns" / period
        folder.mkdir(parents=True)
        for service, own in by_service.items():
            rng = random.Random(f"{SEED}-{scale}-{period}-{service}")
            due = [i for i in own if quarter in i.due]
            name = re.sub(r"[^\w\- ()']+", "-", f"{service} return {PERIOD_LABELS[period]}")
            write_return(folder / f"{name}.xlsx", service, period, due, rng, step)
            files += 1
            rows += len(due)
    return {
        "indicators": len(indicators),
        "services": len(services),
        "return_files": files,
        "rows": rows,
    }


def _write_config(root: Path, indicators: int) -> None:
    lines = [
        "[council]",
        'name = "Synthetic Council"',
        "",
        "[report]",
        'title = "Corporate Performance Management Report"',
        "",
    ]
    for key, name, supporting in PRIORITIES:
        lines += ["[[priorities]]", f'key = "{key}"', f'name = "{name}"']
        if supporting:
            lines.append("supporting = true")
        lines.append("")
    lines += ["[rating]", 'amber_tolerance = "5%"', ""]
    if indicators > LimitSettings().max_catalogue_rows:  # 100x: 11,400 indicators
        lines += ["[limits]", f"max_catalogue_rows = {indicators}", ""]
    (root / "perfreport.toml").write_text("\n".join(lines), encoding="utf-8")


def _write_report(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        'committee = "Scrutiny Committee - Corporate and Resources"\n'
        "meeting_date = 2024-11-14\n"
        "key_decision = false\n"
        'chair = "Cllr A. Chair"\n'
        'executive_summary = "Synthetic figures generated by bench/synth.py for timing only."\n'
        'recommendations = ["Note the performance position at the end of the quarter."]\n'
        '\n[author]\nname = "A. Officer"\njob_title = "Strategic Manager - Performance"\n'
        'email = "performance@example.org"\n',
        encoding="utf-8",
    )
