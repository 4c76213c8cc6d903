"""A catalogue's texts are tidied once for each distinct text: the same catalogue and findings as
tidied cell by cell, and one string for each text repeated down the rows (so the catalogue
pickled for the cache and the reading workers holds it once)."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest
from projectfactory import write_catalogue, write_config

from perfreport.core.project import load_project
from perfreport.inputs.catalogue import load_catalogue
from perfreport.inputs.catalogue_rows import CatalogueParser

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("Waste", " Adult  Social Care ", "Roads", 12, "Adult Social Care", "Roads\n")
OFFICERS = ("Jo Bloggs", "Jo  Bloggs", None, 7.0, "Sam Smith", "")
SOURCES = ("DfE SEN2 return", " DfE SEN2  return", None, "Mosaic")


def _rows(count: int) -> list[dict[str, object]]:
    return [
        {
            "ref": f"R-{n:03d}",
            "title": "Measure" if n % 7 == 0 else f"Measure {n}",
            "priority": "greener" if n % 5 else "unknown",
            "service": SERVICES[n % len(SERVICES)],
            "polarity": "higher",
            "lead officer": OFFICERS[n % len(OFFICERS)],
            "definition": "What it counts." if n % 3 else f"What {n}  counts.",
            "source": SOURCES[n % len(SOURCES)],
        }
        for n in range(count)
    ]


class _Forgetful(dict):
    """A memo that keeps nothing: every text is tidied afresh, as before the memo."""

    def __setitem__(self, key: object, value: object) -> None:
        pass

    def setdefault(self, key: object, default: object = None) -> object:
        return default


def _both_ways(root: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[tuple, tuple]:
    project = load_project(root)
    remembered = load_catalogue(project)
    real = CatalogueParser.__init__

    def forgetful(self: CatalogueParser, *args: object) -> None:
        real(self, *args)
        self.tidy = _Forgetful()

    monkeypatch.setattr(CatalogueParser, "__init__", forgetful)
    afresh = load_catalogue(project)
    monkeypatch.undo()
    return remembered, afresh


def _objects(values: list[object]) -> int:
    return len({id(v) for v in values})


@pytest.mark.parametrize("name", ["catalogue.xlsx", "catalogue.csv"])
def test_texts_tidied_once_give_the_catalogue_tidied_cell_by_cell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    write_config(tmp_path)
    write_catalogue(tmp_path / name, _rows(300))
    if name.endswith(".csv"):
        (tmp_path / "catalogue.xlsx").unlink(missing_ok=True)
        (tmp_path / "perfreport.toml").write_text(
            (tmp_path / "perfreport.toml").read_text().replace("catalogue.xlsx", name)
        )
    (catalogue, findings), (afresh, afresh_findings) = _both_ways(tmp_path, monkeypatch)
    assert catalogue == afresh and findings == afresh_findings
    assert findings  # the unknown priorities
    indicators = catalogue.indicators
    assert len(indicators) == 300
    for field in ("service", "lead_officer", "source", "title", "definition"):
        values = [getattr(i, field) for i in indicators]
        assert _objects(values) == len(set(values)), field  # one string for each text
    services = [i.service for i in afresh.indicators]
    assert _objects(services) > len(set(services))  # tidied afresh: a string for each row
    assert {i.service for i in indicators} == {"Waste", "Adult Social Care", "Roads", "12"}
    assert len(pickle.dumps(catalogue)) < len(pickle.dumps(afresh))


def test_the_example_catalogue_is_the_same_either_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "somerset"
    shutil.copytree(ROOT / "examples" / "somerset", root, ignore=shutil.ignore_patterns("build"))
    (catalogue, findings), (afresh, afresh_findings) = _both_ways(root, monkeypatch)
    assert catalogue == afresh and findings == afresh_findings
    assert len(catalogue.indicators) > 20
