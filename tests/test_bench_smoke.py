"""The benchmark (bench/run.py) runs end to end at 1x and writes the results it documents."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "run.py"
# The reference points need these; they are benchmark-only (bench/requirements.txt).
MISSING = [name for name in ("pandas", "python_calamine") if importlib.util.find_spec(name) is None]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        bool(MISSING),
        reason=f"the benchmark's reference points need "
        f"{' and '.join(MISSING)}: pip install -r bench/requirements.txt",
    ),
]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict:
    folder = tmp_path_factory.mktemp("bench")
    out = folder / "results.json"
    done = subprocess.run(
        [
            sys.executable,
            str(BENCH),
            "--smoke",
            "--out",
            str(out),
            "--cache",
            str(folder / "cache"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text(encoding="utf-8"))


def test_generates_one_council_of_114_indicators_and_36_returns(results: dict) -> None:
    project = results["scales"]["1"]["project"]
    assert (project["indicators"], project["services"], project["return_files"]) == (114, 12, 36)
    assert project["periods"] == ["Q4-2023", "Q1-2024", "Q2-2024"]


def test_records_the_machine_and_the_settings(results: dict) -> None:
    assert results["schema"] == "perfreport.bench/1"
    assert {"platform", "python", "cpu_count", "packages"} <= results["machine"].keys()
    assert results["settings"]["smoke"] is True
    assert (results["settings"]["scales"], results["settings"]["runs"]) == ([1], 1)
    # How fast the machine ran Python as the run began and as it ended.
    loop = results["machine"]["python_loop"]
    assert loop["steps"] == 2_000_000 and loop["start_s"] > 0 and loop["end_s"] > 0


def test_times_start_up_and_checks_heavy_imports(results: dict) -> None:
    startup = results["startup"]
    assert startup["help"]["status"] == "ok" and startup["help"]["median_s"] > 0
    assert startup["usage_error"]["exit_codes"] == [2]
    assert isinstance(startup["heavy_imports"]["help"], list)


def test_times_every_available_command_without_failures(results: dict) -> None:
    commands = results["scales"]["1"]["commands"]
    assert set(commands) == {
        "validate",
        "summary",
        "build_no_pdf",
        "build",
        "validate_warm",
        "build_no_pdf_warm",
    }
    for name in ("validate", "validate_warm"):
        assert commands[name]["status"] == "ok"
        assert commands[name]["median_s"] > 0 and commands[name]["runs"] == 1
    assert commands["build"]["status"] == "skipped (no PDF at this scale)"
    for name, entry in commands.items():
        assert entry["status"] != "failed", (name, entry.get("error"))


def test_times_the_stages_and_both_reference_points(results: dict) -> None:
    scale = results["scales"]["1"]
    assert scale["stages"]["status"] == "ok", scale["stages"]
    stages = scale["stages"]["stages"]
    assert stages["read_validate"]["median_s"] > 0 and stages["render"]["median_s"] > 0
    assert stages["pdf"] is None  # --smoke makes no PDF
    for kind in ("floor", "baseline"):
        assert scale[kind]["status"] == "ok", scale[kind]
        assert scale[kind]["read_s"] > 0 and scale[kind]["write_s"] > 0
        # Like for like: the reference points handle exactly the rows perfreport accepts.
        assert scale[kind]["table_rows"] == scale["stages"]["observations"]


def test_writes_the_ratios_and_checks_the_targets(results: dict) -> None:
    ratios = results["scales"]["1"]["ratios"]
    assert ratios["read_validate_vs_floor"] > 0 and ratios["read_validate_vs_baseline"] > 0
    targets = {t["target"]: t for t in results["targets"]}
    assert (
        targets["1x: validate under 1 s"]["measured"]
        == results["scales"]["1"]["commands"]["validate"]["median_s"]
    )
    assert targets["100x: build --no-pdf under 60 s"]["met"] is None  # not run at 100x
    assert (
        targets["issue 15, 1x: validate under 0.4 s"]["measured"]
        == results["scales"]["1"]["commands"]["validate"]["median_s"]
    )
    assert targets["issue 15, 100x: build --no-pdf under 15 s"]["met"] is None
    assert targets["issue 15, 10x and 100x: read+validate within 3x of the floor"]["met"] is None


def test_markdown_gives_the_machine_speed(results: dict, tmp_path: Path) -> None:
    saved = tmp_path / "results.json"
    saved.write_text(json.dumps(results), encoding="utf-8")
    done = subprocess.run(
        [sys.executable, str(BENCH), "--markdown", str(saved)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    long_runs = results["settings"]["long_runs"]  # 3 by default: "3 runs", not "one run"
    assert f"median of 1 runs ({long_runs} runs where a run took over" in done.stdout
    loop = results["machine"]["python_loop"]
    assert (
        f"The machine's speed: a 2-million-step Python loop took {loop['start_s']:.2f} s as the "
        f"run began and {loop['end_s']:.2f} s as it ended." in done.stdout.splitlines()[0]
    )
