"""The example projects: generated deterministically, committed as generated, shaped as promised."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from perfreport.core.model import Polarity
from perfreport.core.periods import Period
from perfreport.core.project import load_project
from perfreport.inputs.catalogue import load_catalogue
from perfreport.inputs.dataset import read_period

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
GENERATOR = EXAMPLES / "generate.py"
# Generated trees: everything in them comes from the generator (reports/ and README.md are not).
GENERATED = (
    "somerset/perfreport.toml",
    "somerset/catalogue.xlsx",
    "somerset/returns",
    "somerset/history",
    "broken-returns",
)


def generate(out: Path, hash_seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    subprocess.run(
        [sys.executable, str(GENERATOR), "--out", str(out)],
        check=True,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def tree(root: Path) -> dict[str, Path]:
    """The generated files under ``root``, by their path relative to it."""
    files: dict[str, Path] = {}
    for part in GENERATED:
        start = root / part
        for path in [start] if start.is_file() else sorted(start.rglob("*")):
            relative = path.relative_to(root)
            # build/ holds what perfreport writes (papers, the cache): not generated, not in git.
            if path.is_file() and "build" not in relative.parts:
                files[relative.as_posix()] = path
    return files


def content(path: Path) -> object:
    """A workbook's members (independent of the zlib build that compressed them), else the bytes."""
    if path.suffix == ".xlsx" and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            return {name: archive.read(name) for name in archive.namelist()}
    return path.read_bytes()


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("examples")
    generate(out, hash_seed="1")
    return out


def test_the_generator_writes_the_same_bytes_every_time(fresh: Path, tmp_path: Path) -> None:
    generate(tmp_path, hash_seed="2")
    first, second = tree(fresh), tree(tmp_path)
    # returns, toml + catalogue, past figures + the 17 quarters they fill, broken-returns files
    assert len(first) == 5 * 12 + 2 + 1 + 17 + 8
    assert sorted(first) == sorted(second)
    for name, path in first.items():
        assert path.read_bytes() == second[name].read_bytes(), name


def test_the_committed_examples_are_what_the_generator_writes(fresh: Path) -> None:
    generated, committed = tree(fresh), tree(EXAMPLES)
    assert sorted(committed) == sorted(generated), "run: python examples/generate.py"
    for name, path in generated.items():
        assert content(committed[name]) == content(path), f"{name}: run examples/generate.py"


def test_the_somerset_catalogue_has_114_indicators_and_56_rated_in_2024_25() -> None:
    workbook = openpyxl.load_workbook(EXAMPLES / "somerset" / "catalogue.xlsx", read_only=True)
    header, *rows = workbook["Indicators"].iter_rows(values_only=True)
    indicators = [dict(zip(header, row, strict=True)) for row in rows]
    _, *target_rows = workbook["Targets"].iter_rows(values_only=True)
    year_target = {(ref, year): target for ref, year, target, *_ in target_rows}
    workbook.close()

    def rated(row: dict) -> bool:
        target = year_target.get((row["Ref"], "2024/25"), row["Target"])
        return (
            row["Polarity"] in ("higher", "lower") and row["Rated"] != "no" and target is not None
        )

    assert len(indicators) == 114
    assert len({row["Ref"] for row in indicators}) == 114
    assert sum(rated(row) for row in indicators) == 56
    assert len({row["Service"] for row in indicators}) == 12


def test_perfreport_reads_the_somerset_catalogue_without_findings() -> None:
    catalogue, findings = load_catalogue(load_project(EXAMPLES / "somerset"))
    rated = [
        i
        for i in catalogue.indicators
        if i.rated
        and i.polarity is not Polarity.NONE
        and catalogue.target_for(i.ref, 2024)[0] is not None
    ]
    assert findings == ()
    assert (len(catalogue.indicators), len(rated)) == (114, 56)
    assert catalogue.by_ref["ASC-01"].comparable_from == Period(2024, 1)


def test_somerset_q2_has_no_errors_and_only_the_three_deliberate_warnings() -> None:
    project = load_project(EXAMPLES / "somerset")
    found = read_period(project, Period.parse("Q2-2024")).findings
    folder = "returns/Q2-2024/"
    assert [(f.code, f.severity.value, f.file, f.cell, f.ref) for f in found] == [
        (
            "commentary-too-long",
            "warning",
            folder + "Adult Social Care return Q2 2024-25.xlsx",
            "I9",
            "ASC-01",
        ),
        (
            "missing-indicator",
            "warning",
            folder + "HR and Organisational Development return Q2 2024-25.xlsx",
            None,
            "HR-05",
        ),
        ("target-mismatch", "warning", folder + "Planning return Q2 2024-25.xlsx", "D10", "PLN-02"),
    ]


@pytest.mark.parametrize("period", ["Q2-2023", "Q3-2023", "Q4-2023", "Q1-2024"])
def test_the_earlier_somerset_quarters_read_without_findings(period: str) -> None:
    project = load_project(EXAMPLES / "somerset")
    assert read_period(project, Period.parse(period)).findings == ()


@pytest.fixture
def generator(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.syspath_prepend(str(EXAMPLES))
    return importlib.import_module("generate")


def test_the_generator_rates_q2_with_fewer_amber_and_more_green_and_red(generator, capsys) -> None:
    q1, q2 = generator.check_shape(generator.invent_figures())
    assert [q1[c] for c in "GARN"] == [22, 20, 12, 2]
    assert [q2[c] for c in "GARN"] == [26, 14, 15, 1]
    assert "Q2-2024: 26 Green, 14 Amber, 15 Red, 1 No data, 58 not rated" in capsys.readouterr().out


def test_the_generator_stops_when_a_figure_no_longer_earns_its_planned_rag(generator) -> None:
    figures = generator.invent_figures()
    key = ("CS-05", "Q2-2024")  # planned Amber: 20.0% target, lower is better
    figures[key] = generator.Figure("CS-05", 19.0)
    with pytest.raises(AssertionError, match="CS-05"):
        generator.check_shape(figures)
