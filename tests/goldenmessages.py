"""The inputs of the golden message test, and the script that writes its golden files.

Each group of scenarios (hostile files, the wild corpus, the two examples, situations built
here) has a golden file tests/golden/messages-<group>.json: for each scenario, the rows
(code, severity, file, sheet, cell, ref, message) of its findings. tests/messagecapture.py runs
a scenario.

To change a message on purpose, change its template, then write the golden files again and
review every changed line in the diff:

    .venv/bin/python tests/goldenmessages.py

The golden files began as perfreport 0.1.0's words: ``--python`` runs the scenarios through
another installation (e.g. the Python of a checkout of v0.1.0 with its own venv), so the wording of any
version can be compared.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from goldensituations import SITUATIONS
from test_corpus_wild import wild_folder

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
GOLDEN = TESTS / "golden"
HOSTILE = TESTS / "data" / "hostile"
EXAMPLES = ROOT / "examples"
GROUPS = ("hostile", "wild", "broken-returns", "somerset", "situations")
Scenario = dict[str, object]


def golden_path(group: str) -> Path:
    return GOLDEN / f"messages-{group}.json"


def _loose_files(project: Path, folder: str, files: list[Path]) -> dict[str, Scenario]:
    """Copy ``files`` into ``project/folder``; one scenario per file, validated on its own."""
    (project / folder).mkdir(parents=True, exist_ok=True)
    scenarios = {}
    for path in sorted(files, key=lambda p: p.name):
        shutil.copyfile(path, project / folder / path.name)
        name = f"{folder}/{path.name}"
        scenarios[name] = {"project": str(project), "period": None, "files": [name]}
    return scenarios


def _corpus_project(root: Path) -> Path:
    """A project whose catalogue holds the indicators of the hostile returns (ASC-01, ASC-02)."""
    from goldensituations import corpus_project

    return corpus_project(root / "corpus")


def build_hostile(root: Path) -> dict[str, Scenario]:
    files = [p for p in HOSTILE.iterdir() if p.is_file()]
    return _loose_files(_corpus_project(root), "hostile", files)


def build_wild(root: Path) -> dict[str, Scenario]:
    """Every file of the corpus, or none when it is not on this machine."""
    folder = wild_folder()
    if not folder.is_dir():
        return {}
    files = [p for p in folder.iterdir() if p.is_file() and p.name != "corpus.md"]
    return _loose_files(_corpus_project(root), "wild", files)


def build_broken_returns(_root: Path) -> dict[str, Scenario]:
    """The example as a period, and each file of its returns folder as a loose file."""
    project = EXAMPLES / "broken-returns"
    folder = project / "returns" / "Q2-2024"
    files = sorted(p.relative_to(project).as_posix() for p in folder.iterdir() if p.is_file())
    return {
        "period Q2-2024": {"project": str(project), "period": "Q2-2024", "files": None},
        "loose files": {"project": str(project), "period": None, "files": files},
    }


def build_somerset(_root: Path) -> dict[str, Scenario]:
    project = EXAMPLES / "somerset"
    return {"period Q2-2024": {"project": str(project), "period": "Q2-2024", "files": None}}


def build_situations(root: Path) -> dict[str, Scenario]:
    scenarios: dict[str, Scenario] = {}
    for name, make in SITUATIONS.items():
        scenarios.update(make(root / "situations" / name))
    return scenarios


BUILDERS: dict[str, Callable[[Path], dict[str, Scenario]]] = {
    "hostile": build_hostile,
    "wild": build_wild,
    "broken-returns": build_broken_returns,
    "somerset": build_somerset,
    "situations": build_situations,
}


def run_elsewhere(python: str, scenarios: dict[str, Scenario]) -> dict[str, list]:
    """Run the scenarios with another Python (another perfreport installed in it)."""
    with tempfile.TemporaryDirectory() as temporary:
        spec = Path(temporary) / "scenarios.json"
        spec.write_text(json.dumps(scenarios), encoding="utf-8")
        done = subprocess.run(
            [python, str(TESTS / "messagecapture.py"), str(spec)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=temporary,  # never import the perfreport of this checkout by accident
        )
    if done.returncode:
        raise SystemExit(f"{python} failed:\n{done.stderr}")
    return json.loads(done.stdout)


def run_here(scenarios: dict[str, Scenario]) -> dict[str, list]:
    from messagecapture import capture

    return {name: capture(scenario) for name, scenario in scenarios.items()}


def write_golden(group: str, results: dict[str, list]) -> None:
    """One line per finding, so that a changed message is a one-line diff."""
    lines = []
    for name in sorted(results):
        rows = ",\n".join("    " + json.dumps(row, ensure_ascii=False) for row in results[name])
        lines.append(f"  {json.dumps(name, ensure_ascii=False)}: [\n{rows}\n  ]")
    golden_path(group).write_text("{\n" + ",\n".join(lines) + "\n}\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("groups", nargs="*", choices=[*GROUPS, []], help="default: all")
    parser.add_argument("--python", help="run the scenarios with this Python instead")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        for group in arguments.groups or GROUPS:
            scenarios = BUILDERS[group](Path(temporary))
            if not scenarios:
                print(f"{group}: no scenarios here (skipped)", file=sys.stderr)
                continue
            if arguments.python:
                results = run_elsewhere(arguments.python, scenarios)
            else:
                results = run_here(scenarios)
            write_golden(group, results)
            print(f"{group}: {sum(map(len, results.values()))} findings", file=sys.stderr)


if __name__ == "__main__":
    main()
