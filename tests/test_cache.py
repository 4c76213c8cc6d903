"""The cache of read returns: used when nothing changed, never stale when anything did."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest
from projectfactory import make_project, service_return

from perfreport.core.periods import Period
from perfreport.core.project import PerformanceSettings
from perfreport.inputs import dataset
from perfreport.inputs.catalogue_rows import CatalogueError

Q2 = Period(2024, 2)


@pytest.fixture
def project(tmp_path):
    project = make_project(tmp_path / "council")
    # Read in this process so that the test can count the reads.
    return dataclasses.replace(project, limits=dataclasses.replace(project.limits, isolate=False))


@pytest.fixture
def reads(monkeypatch):
    """The files actually read (not served from the cache)."""
    seen: list[str] = []
    real = dataset.read_job

    def counting(job):
        seen.append(job[-1])
        return real(job)

    monkeypatch.setattr(dataset, "read_job", counting)
    return seen


def summary(read):
    return (
        [(f.code, f.file, f.cell, f.ref) for f in read.findings],
        dict(read.dataset.observations),
    )


def test_serves_an_unchanged_return_from_the_cache(project, reads):
    service_return(project, Q2, "Waste", values={"WR-01": 52.5, "WR-02": 61})
    first = dataset.read_period(project, Q2)
    assert reads == ["returns/Q2-2024/waste.xlsx"]
    second = dataset.read_period(project, Q2)
    assert reads == ["returns/Q2-2024/waste.xlsx"]  # not read again
    assert summary(second) == summary(first)
    assert list(project.cache_dir.glob("*/*.pickle"))


def test_reads_a_changed_return_again(project, reads):
    service_return(project, Q2, "Waste", values={"WR-01": 52.5, "WR-02": 61})
    dataset.read_period(project, Q2)
    service_return(project, Q2, "Waste", values={"WR-01": "about 50", "WR-02": 61})
    read = dataset.read_period(project, Q2)
    assert len(reads) == 2
    assert [f.code for f in read.findings if f.file] == ["not-a-number"]


def test_reads_again_when_the_catalogue_changes(project, reads, tmp_path):
    service_return(project, Q2, "Waste", values={"WR-01": 52.5, "WR-02": 61})
    dataset.read_period(project, Q2)
    catalogue = project.catalogue_path
    changed = make_project(
        tmp_path / "other",
        indicators=[
            {**row, "target": 99} if row["ref"] == "WR-01" else row
            for row in __import__("projectfactory").INDICATORS
        ],
    )
    shutil.copyfile(changed.catalogue_path, catalogue)
    dataset.read_period(project, Q2)
    assert len(reads) == 2


def test_ignores_a_damaged_cache_entry(project, reads):
    service_return(project, Q2, "Waste", values={"WR-01": 52.5, "WR-02": 61})
    first = dataset.read_period(project, Q2)
    damaged = [*project.cache_dir.glob("*/*.pickle"), *project.cache_dir.glob("packs/*.pack")]
    for entry in damaged:
        entry.write_bytes(b"not a pickle")
    second = dataset.read_period(project, Q2)
    assert summary(second) == summary(first)
    assert len(reads) == 2


def test_can_be_turned_off(project, reads):
    off = dataclasses.replace(project, performance=PerformanceSettings(cache=False))
    service_return(off, Q2, "Waste")
    dataset.read_period(off, Q2)
    dataset.read_period(off, Q2)
    assert len(reads) == 2
    assert not project.cache_dir.exists()


def test_gives_a_copied_project_its_own_paths(project, reads, tmp_path):
    service_return(project, Q2, "Waste")
    dataset.read_period(project, Q2)
    copy_root = tmp_path / "copy"
    shutil.copytree(project.root, copy_root)
    copied = dataclasses.replace(project, root=copy_root)
    read = dataset.read_period(copied, Q2)
    assert len(reads) == 1  # the copy's cache was copied too, and its entries still apply
    (returned,) = read.dataset.returns
    assert returned.path == copy_root / "returns" / "Q2-2024" / "waste.xlsx"
    assert read.dataset.catalogue.path == copied.catalogue_path


def test_does_not_cache_a_failed_read(project, reads, monkeypatch):
    import perfreport.inputs.returns as returns

    service_return(project, Q2, "Waste")
    real = returns.read_return
    monkeypatch.setattr(
        returns, "read_return", lambda *a, **k: (_ for _ in ()).throw(RuntimeError("boom"))
    )
    assert "unreadable-file" in {f.code for f in dataset.read_period(project, Q2).findings}
    monkeypatch.setattr(returns, "read_return", real)
    assert [f.code for f in dataset.read_period(project, Q2).findings if f.file] == []
    assert len(reads) == 2


def test_the_key_covers_every_module_of_the_reading_stages() -> None:
    """A reader changed anywhere in core/, xlsx/ or inputs/ never meets an old entry."""
    from perfreport.inputs.cache import reading_modules

    package = Path(dataset.__file__).resolve().parents[1]
    named = {f"{m.parent.name}/{m.name}" for m in reading_modules()}
    expected = {
        f"{stage}/{m.name}"
        for stage in ("core", "xlsx", "inputs")
        for m in (package / stage).glob("*.py")
    }
    assert named == expected
    assert {"inputs/returns.py", "inputs/dataset.py", "xlsx/workbook.py", "core/codes.py"} <= named


def test_a_changed_glossary_is_not_served_old_catalogue_findings(project, tmp_path):
    """The catalogue's findings depend on [glossary] (an abbreviation it leaves unexplained):
    a cached catalogue read under another glossary must not be used."""
    from perfreport.core.glossary import Glossary
    from perfreport.inputs.catalogue import load_catalogue

    changed = make_project(
        tmp_path / "other",
        indicators=[
            {**row, "title": "EIR requests answered"} if row["ref"] == "WR-01" else row
            for row in __import__("projectfactory").INDICATORS
        ],
    )
    shutil.copyfile(changed.catalogue_path, project.catalogue_path)
    with_terms = dataclasses.replace(project, glossary=Glossary((("NHS", "National Health"),)))
    expanded = dataclasses.replace(
        project, glossary=Glossary((("NHS", "National Health"), ("EIR", "Environmental")))
    )
    unexplained = "catalogue-unexplained-abbreviation"
    for first, second in ((with_terms, expanded), (expanded, with_terms)):
        shutil.rmtree(project.cache_dir, ignore_errors=True)
        dataset.read_period(first, Q2)  # the catalogue is cached under the first glossary
        fresh = [f.code for f in load_catalogue(second)[1]]
        assert [
            f.code for f in dataset.read_period(second, Q2).findings if f.code == unexplained
        ] == [c for c in fresh if c == unexplained]
    assert unexplained in [f.code for f in load_catalogue(with_terms)[1]]


@pytest.mark.parametrize(
    "limit", [{"max_catalogue_rows": 2}, {"max_sheet_cells": 20}, {"max_cell_chars": 5}]
)
def test_a_catalogue_read_under_other_limits_is_not_served_from_the_cache(project, limit):
    """The catalogue's reading depends on [limits] (how many rows and cells, how long a text):
    a catalogue cached under looser limits must not be served past tighter ones."""
    from perfreport.inputs.catalogue import load_catalogue

    dataset.read_period(project, Q2)  # the catalogue is cached under the default limits
    tighter = dataclasses.replace(project, limits=dataclasses.replace(project.limits, **limit))
    with pytest.raises(CatalogueError) as fresh:
        load_catalogue(tighter)
    with pytest.raises(CatalogueError) as cached:
        dataset.read_period(tighter, Q2)
    assert str(cached.value) == str(fresh.value)


def test_a_cached_catalogue_is_not_served_once_a_second_catalogue_is_beside_it(project):
    """catalogue.xlsx and catalogue.csv side by side are refused (a target changed in the other
    would silently have no effect): the cached read of the first must be refused too."""
    from perfreport.inputs.catalogue import load_catalogue

    dataset.read_period(project, Q2)  # the catalogue is cached
    project.catalogue_path.with_suffix(".csv").write_text("ref,title\n", encoding="utf-8")
    with pytest.raises(CatalogueError) as fresh:
        load_catalogue(project)
    with pytest.raises(CatalogueError) as cached:
        dataset.read_period(project, Q2)
    assert str(cached.value) == str(fresh.value)
