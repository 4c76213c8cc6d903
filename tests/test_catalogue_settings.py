"""A catalogue row's settings, remembered per combination of values, read as cell by cell.

catalogue_rows.CatalogueParser._settings reads the settings columns (priority, polarity, unit,
decimals, frequency, due, rated, directorate, comparable from, display) once for each combination
of values that gives no finding, and reuses them for every row with the same values. Each
catalogue here is loaded both ways (CatalogueCells.remember on and off) and must give the same
indicators, targets and findings: a crafted catalogue that mixes good and bad values of every
settings column (and values that are equal keys but not equal cells, 1, 1.0 and True), in xlsx
and CSV, with and without directorates and a glossary; the example project's catalogue; and
every workbook the tests know, read as a catalogue.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import pytest
from projectfactory import Formatted, write_catalogue, write_config
from test_corpus_wild import HOSTILE, wild_folder

from perfreport.core.project import ConfigError, load_project
from perfreport.inputs.catalogue import load_catalogue
from perfreport.inputs.catalogue_cells import CatalogueCells

ROOT = Path(__file__).resolve().parents[1]
DIRECTORATES = """
[[directorates]]
key = "place"
name = "Climate and Place"

[[directorates]]
key = "adults"
name = "Adult Services"
"""
# Each settings column's values: good ones, bad ones, blanks, and values of other types that
# are equal as keys (1 == 1.0 == True) but not as cells.
CHOICES: dict[str, tuple[object, ...]] = {
    "priority": ("greener", "healthy", "Greener", "A healthy and caring Somerset", "unknown", None),
    "polarity": ("higher", "Lower", "none", "sideways", " higher ", None, 1),
    "unit": ("%", "percent", "number", "£", "Percent.", "widgets", None, 1, True),
    "decimals": (0, 1, 2, 1.0, True, False, "1", " 2 ", 7, -1, 0.5, -0.0, 0.0, "x", None),
    "frequency": ("quarterly", "annual", "Half-yearly", "monthly", "weekly", None),
    "due": (None, "Q4", "Q2, Q4", "Q2", 4, 4.0, True, "Q5", "Q1,Q2,Q3,Q4"),
    "rated": (None, "yes", "no", True, False, 1, 0, 1.0, "maybe", "Y"),
    "directorate": ("place", "Adult Services", "Climate and Place", "nowhere", None, 1),
    "comparable from": (None, "Q1 2023/24", "Q1-2024", "2023/24", dt.datetime(2024, 5, 1), "x"),
    "display": (None, "full", "compact", "Thousands", "odd", True),
    "target": (None, 10, 10.0, 0.5, Formatted(0.5, "0%"), "12%", "n/a", -0.0),
    "amber": (None, 8, 12, 0.4, "9", "?"),
}


def _rows(seed: int, count: int) -> list[dict[str, object]]:
    """``count`` rows drawn from CHOICES, so that many combinations repeat, with some refs
    blank or repeated and some titles using abbreviations."""
    pick = random.Random(seed)
    rows = []
    for number in range(count):
        row: dict[str, object] = {
            "ref": pick.choice([f"R-{number:03d}"] * 12 + ["", f"R-{number // 2:03d}"]),
            "title": pick.choice([f"Measure {number}", f"Measure {number} (EIR)", "", "DfE FOI"]),
            "service": pick.choice(["Waste", "Adult Social Care", "", "Roads"]),
            "lead officer": pick.choice(["Jo Bloggs", None]),
            "definition": pick.choice(["What it counts.", None]),
        }
        for name, values in CHOICES.items():
            # The first value of each column most of the time: long runs of the same settings.
            row[name] = values[0] if pick.random() < 0.5 else pick.choice(values)
        rows.append(row)
    return rows


def _both_ways(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[object, object]:
    outcomes = []
    for remember in (True, False):
        monkeypatch.setattr(CatalogueCells, "remember", remember)
        try:
            catalogue, findings = load_catalogue(load_project(root))
            outcomes.append((catalogue.indicators, catalogue.targets, findings))
        except ConfigError as error:
            outcomes.append(("refused", str(error)))
    return outcomes[0], outcomes[1]


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize("extra", ["", DIRECTORATES, '[glossary]\nDfE = "Department"\n'])
@pytest.mark.parametrize("seed", [1, 2])
def test_remembered_settings_are_the_settings_read_cell_by_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str, extra: str, seed: int
) -> None:
    grouped = '[paper]\ngroup_by = "directorate"\n' if extra == DIRECTORATES and seed == 2 else ""
    write_config(tmp_path, extra=grouped + extra)
    rows = _rows(seed, 400)
    if suffix == ".csv":  # text only, as a CSV file holds it
        rows = [{k: v.value if isinstance(v, Formatted) else v for k, v in r.items()} for r in rows]
    targets = [{"ref": f"R-{n:03d}", "year": "2024/25", "target": n} for n in range(0, 40, 3)]
    write_catalogue(tmp_path / f"catalogue{suffix}", rows, targets=targets)
    remembered, read = _both_ways(tmp_path, monkeypatch)
    assert remembered == read
    indicators, _, findings = read
    # The catalogue is read, with findings of every settings column to compare.
    assert len(indicators) > 200
    codes = {f.code for f in findings}
    assert {
        "catalogue-unknown-priority",
        "catalogue-bad-polarity",
        "catalogue-bad-number",
        "catalogue-bad-frequency",
        "catalogue-bad-due",
        "catalogue-bad-rated",
        "catalogue-bad-period",
        "catalogue-bad-display",
    } <= codes


def test_values_equal_as_keys_are_told_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Decimals 1 is read; True in the same column is not a number: each row as it would be
    read alone, whichever comes first."""
    write_config(tmp_path)
    base = {"title": "T", "priority": "greener", "service": "Waste", "polarity": "higher"}
    rows = [{**base, "ref": f"D-{n}", "decimals": value} for n, value in enumerate([1, True, 1.0])]
    write_catalogue(tmp_path / "catalogue.xlsx", rows)
    remembered, read = _both_ways(tmp_path, monkeypatch)
    assert remembered == read
    indicators, _, findings = read
    assert [i.decimals for i in indicators] == [1, 0, 1]
    assert [(f.code, f.cell) for f in findings] == [("catalogue-bad-number", "E3")]


def _workbooks() -> list[Path]:
    folders = (HOSTILE, wild_folder(), ROOT / "examples", ROOT / "tests" / "data")
    return sorted(
        p
        for folder in folders
        if folder.is_dir()
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in (".xlsx", ".xlsm", ".csv")
    )


@pytest.mark.parametrize("path", _workbooks(), ids=lambda p: p.name)
def test_every_test_workbook_read_as_a_catalogue_is_read_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: Path
) -> None:
    write_config(tmp_path)
    shutil.copyfile(path, tmp_path / f"catalogue{path.suffix.lower().replace('.xlsm', '.xlsx')}")
    remembered, read = _both_ways(tmp_path, monkeypatch)
    assert remembered == read


def test_the_example_catalogue_is_read_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    remembered, read = _both_ways(ROOT / "examples" / "somerset", monkeypatch)
    assert remembered == read
    assert len(read[0]) > 20
