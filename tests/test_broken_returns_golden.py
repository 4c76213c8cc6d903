"""The findings for examples/broken-returns, flattened to (code, severity, file, sheet, cell, ref),
match the golden file exactly: a change in any finding is a visible diff.

Regenerate after a deliberate change with PERFREPORT_UPDATE_GOLDEN=1.
"""

import json
import os
from pathlib import Path

from typer.testing import CliRunner

from perfreport.cli import app
from perfreport.core.findings import findings_document
from perfreport.core.periods import Period
from perfreport.core.project import load_project
from perfreport.inputs.dataset import read_period

ROOT = Path(__file__).resolve().parents[1]
PROJECT = ROOT / "examples" / "broken-returns"
GOLDEN = Path(__file__).parent / "golden" / "broken-returns-Q2-2024-findings.json"


def flattened() -> list[list]:
    read = read_period(load_project(PROJECT), Period(2024, 2))
    return [[f.code, f.severity.value, f.file, f.sheet, f.cell, f.ref] for f in read.findings]


def test_gives_exactly_the_golden_findings():
    found = flattened()
    if os.environ.get("PERFREPORT_UPDATE_GOLDEN"):
        rows = ",\n".join(" " + json.dumps(row, ensure_ascii=False) for row in found)
        GOLDEN.write_text(f"[\n{rows}\n]\n", encoding="utf-8")
    assert found == json.loads(GOLDEN.read_text(encoding="utf-8"))


def test_shows_the_common_findings_an_officer_meets():
    codes = {row[0] for row in json.loads(GOLDEN.read_text(encoding="utf-8"))}
    assert {
        "not-a-number",
        "out-of-range",
        "missing-value",
        "unknown-ref",
        "duplicate-ref",
        "error-value",
        "uncalculated-formula",
        "numerator-denominator-mismatch",
        "zero-denominator",
        "commentary-too-long",
        "period-mismatch",
        "override-without-reason",
        "target-mismatch",
        "implausible-value",
        "missing-return",
    } <= codes


def test_exits_1_and_prints_the_same_findings_as_json():
    result = CliRunner().invoke(
        app, ["validate", "Q2-2024", "--project", str(PROJECT), "--format", "json"]
    )
    assert result.exit_code == 1
    document = json.loads(result.output)
    read = read_period(load_project(PROJECT), Period(2024, 2))
    expected = findings_document(read.dataset.period, read.findings, read.files)
    assert document == expected
