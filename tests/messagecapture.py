"""Runs one message scenario and lists its findings as (code, severity, file, sheet, cell, ref,
message) rows.

Standard library and perfreport only, and it imports perfreport by either layout (the stage
folders, or 0.1.0's flat modules), so that tests/goldenmessages.py can run the same scenarios
through perfreport 0.1.0 to write the golden file from 0.1.0's wording:

    python tests/messagecapture.py SCENARIOS.json   (prints {name: rows} as JSON)
"""

from __future__ import annotations

import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

Row = list[str | None]


def _api() -> dict[str, Any]:
    try:
        from perfreport.core.periods import Period
        from perfreport.core.project import load_project
        from perfreport.inputs.dataset import read_period, validate_files
        from perfreport.inputs.report_file import read_report
    except ImportError:  # perfreport 0.1.0: one flat package
        from perfreport.periods import Period
        from perfreport.project import load_project
        from perfreport.reports import read_report
        from perfreport.validate import read_period, validate_files
    return {
        "Period": Period,
        "load_project": load_project,
        "read_period": read_period,
        "validate_files": validate_files,
        "read_report": read_report,
    }


def _row(finding: Any) -> Row:
    return [
        finding.code,
        finding.severity.value,
        finding.file,
        finding.sheet,
        finding.cell,
        finding.ref,
        finding.message,
    ]


def capture(scenario: dict[str, Any]) -> list[Row]:
    """The findings of one scenario: ``{"project": folder, "period": "Q2-2024" or None,
    "files": [paths under the project] or None, "limits": {LimitSettings field: value}}``. With no files the period is read as a whole
    (with its report file); with files, each is validated on its own as a loose file.

    Reads run in this process, without the cache, so that no earlier run's findings are reused.
    """
    api = _api()
    project = api["load_project"](Path(scenario["project"]))
    project = dataclasses.replace(
        project,
        performance=dataclasses.replace(project.performance, cache=False),
        limits=dataclasses.replace(project.limits, isolate=False, **scenario.get("limits", {})),
    )
    period = api["Period"].parse(scenario["period"]) if scenario.get("period") else None
    rows: list[Row] = []
    if scenario.get("files") is None:
        read = api["read_period"](project, period)
        rows += [_row(f) for f in read.findings]
        _, report_findings = api["read_report"](project, period)
        rows += [_row(f) for f in report_findings]
        return rows
    for name in scenario["files"]:
        read = api["validate_files"](project, [project.root / name], period)
        rows += [_row(f) for f in read.findings]
    return rows


def main(arguments: list[str]) -> None:
    scenarios = json.loads(Path(arguments[0]).read_text(encoding="utf-8"))
    results = {name: capture(scenario) for name, scenario in scenarios.items()}
    json.dump(results, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main(sys.argv[1:])
