"""The quarterly round end to end, as docs/quarterly-round.md walks a new user through it."""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
from formfill import fill_form
from typer.testing import CliRunner

from perfreport.cli import app

runner = CliRunner()
NEW_INDICATORS = (
    # Ref, Title, Priority, Service, Directorate, Lead officer, Unit, Decimals, Polarity,
    # Frequency, Due, Rated, Target, Amber, Definition (a blank one is a warning)
    (
        "WST-02",
        "Missed bin collections per 100,000 collections",
        "greener",
        "Waste Services",
        None,
        None,
        "number",
        None,
        "lower",
        "quarterly",
        None,
        "yes",
        80,
        90,
        "Collections reported missed, per 100,000 scheduled collections.",
    ),
    (
        "HW-01",
        "Potholes repaired within 28 days",
        "greener",
        "Highways",
        None,
        None,
        "%",
        1,
        "higher",
        "quarterly",
        None,
        "yes",
        90,
        None,
        "Potholes repaired within 28 days of being reported, as a percentage of all repaired.",
    ),
    (
        "LIB-01",
        "Library visits",
        "healthy",
        "Libraries",
        None,
        None,
        "number",
        0,
        "higher",
        "annual",
        "Q4",
        "yes",
        1_000_000,
        None,
        "Visits to the council's libraries in the financial year.",
    ),
)


def invoke(*args: str):
    result = runner.invoke(app, list(args), env={"NO_COLOR": "1", "COLUMNS": "300"})
    return result


def add_indicators(catalogue: Path) -> None:
    """What an officer does in Excel: type rows under the examples and a year's target."""
    workbook = openpyxl.load_workbook(catalogue)
    for row in NEW_INDICATORS:
        workbook["Indicators"].append(row)
    workbook["Targets"].append(("WST-01", "2024/25", 56, 53))
    workbook.save(catalogue)


def last_line(output: str) -> str:
    return output.strip().splitlines()[-1]


def test_a_new_project_through_one_quarter_to_the_paper(tmp_path: Path) -> None:
    root = tmp_path / "somerset"
    project = ("--project", str(root))
    assert (
        invoke("init", str(root), "--council", "Somerset Council", "--period", "Q2-2024").exit_code
        == 0
    )
    add_indicators(root / "catalogue.xlsx")

    checked = invoke("validate", "Q2-2024", *project, "--format", "json")
    assert checked.exit_code == 1, checked.output  # no return yet: nothing to report
    assert "missing-return" in checked.stdout
    assert '"code": "no-returns"' in checked.stdout
    chase = invoke("status", "Q2-2024", *project, "--fail-on-missing")
    assert chase.exit_code == 1
    assert last_line(chase.stdout) == (
        "0 of 3 returns received; 3 outstanding: Waste Services, Human Resources, Highways"
    )

    sent = invoke("returns", "Q2-2024", *project)
    assert sent.exit_code == 0, sent.output
    forms = sorted((root / "forms" / "Q2-2024").iterdir())
    assert [p.name for p in forms] == [
        "Highways return Q2 2024-25.xlsx",
        "Human Resources return Q2 2024-25.xlsx",
        "Waste Services return Q2 2024-25.xlsx",
    ]

    # Two services send their returns back, filled in.
    inbox = root / "returns" / "Q2-2024"
    waste = Path(shutil.copy(forms[2], inbox))
    fill_form(
        waste,
        {
            "WST-01": {
                "Value": 54.2,
                "Data status": "Provisional",
                "Forecast RAG": "Amber",
                "Commentary": "Garden waste fell in a dry summer.",
                "Actions": "A campaign on food waste starts in October.",
            },
            "WST-02": {"Value": 71, "Commentary": "Fewer missed bins after the new rounds."},
        },
    )
    fill_form(Path(shutil.copy(forms[1], inbox)), {"HR-01": {"Value": 2.3}})
    checked = invoke("validate", "Q2-2024", *project)
    assert checked.exit_code == 0, checked.output
    assert last_line(checked.stdout) == "2 files: 0 errors, 1 warning"  # Highways is missing
    chase = invoke("status", "Q2-2024", *project, "--fail-on-missing")
    assert chase.exit_code == 1
    assert last_line(chase.stdout) == "2 of 3 returns received; 1 outstanding: Highways"

    # The last one arrives, at first with a mistake, then corrected.
    highways = Path(shutil.copy(forms[0], inbox))
    fill_form(highways, {"HW-01": {"Value": "about 85"}})
    assert invoke("validate", "Q2-2024", *project).exit_code == 1
    fill_form(highways, {"HW-01": {"Value": 85.5, "Commentary": "Wet weather slowed repairs."}})
    checked = invoke("validate", "Q2-2024", *project)
    assert checked.exit_code == 0, checked.output
    assert last_line(checked.stdout) == "3 files: 0 errors, 0 warnings"
    chase = invoke("status", "Q2-2024", *project, "--fail-on-missing")
    assert chase.exit_code == 0
    assert last_line(chase.stdout) == "3 of 3 returns received; none outstanding"

    built = invoke("build", "Q2-2024", *project, "--no-pdf")
    assert built.exit_code == 0, built.output
    paper = root / "build" / "Q2-2024" / "Corporate Performance Management Report Q2 2024-25.docx"
    assert paper.is_file()
    assert (root / "build" / "Q2-2024" / "dataset.json").is_file()

    # Next quarter's workbooks show this quarter's published figures as the previous quarter.
    assert invoke("returns", "Q3-2024", *project, "-s", "Waste Services").exit_code == 0
    form = root / "forms" / "Q3-2024" / "Waste Services return Q3 2024-25.xlsx"
    sheet = openpyxl.load_workbook(form)["Return"]
    assert [(sheet[f"A{row}"].value, sheet[f"F{row}"].value) for row in (10, 11)] == [
        ("WST-01", 54.2),
        ("WST-02", 71),
    ]
