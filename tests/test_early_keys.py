"""The returns' cache keys are worked out before the catalogue is read (they need only its key),
so that the reading workers, done reading ahead, are not kept waiting for them: the same keys as
worked out after it, and the same reads."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from projectfactory import make_project, service_return

from perfreport.core.periods import Period
from perfreport.inputs import cache, catalogue_cache, dataset
from perfreport.inputs.catalogue_cache import early_keys, load_cached, return_keys

Q2 = Period(2024, 2)


def _project(tmp_path: Path, *, isolate: bool = False):
    project = make_project(tmp_path / "council")
    project = dataclasses.replace(
        project, limits=dataclasses.replace(project.limits, isolate=isolate)
    )
    paths = [
        service_return(project, Q2, "Waste", values={"WR-01": 52.5, "WR-02": 61}),
        service_return(project, Q2, "Adult Social Care"),
    ]
    jobs = [(p, project.display(p), Q2) for p in paths] + [(paths[0], "by e-mail.xlsx", None)]
    return project, jobs


def test_the_keys_worked_out_early_are_those_worked_out_after(tmp_path: Path) -> None:
    project, jobs = _project(tmp_path)
    early = early_keys(project, jobs)
    assert early is not None and early.returns is not None
    loaded = load_cached(project, early)
    assert loaded.key == early.catalogue == catalogue_cache.catalogue_key(project)
    after = return_keys(project, loaded, jobs)  # as they were worked out before
    context = catalogue_cache.returns_context(project, loaded)
    assert (
        early.returns
        == after
        == [cache.entry_key(path, f"{context}|{period}|{shown}") for path, shown, period in jobs]
    )
    assert len(set(after)) == 3  # the file shown under another name (and period) too
    assert return_keys(project, loaded, jobs, early) is early.returns


def test_without_the_cache_there_are_no_keys(tmp_path: Path) -> None:
    project, jobs = _project(tmp_path)
    off = dataclasses.replace(
        project, performance=dataclasses.replace(project.performance, cache=False)
    )
    assert early_keys(off, jobs) is None
    assert early_keys(project, []) is None


@pytest.mark.parametrize("isolate", [False, True])
def test_a_read_works_out_every_key_before_it_reads_the_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolate: bool
) -> None:
    project, _ = _project(tmp_path, isolate=isolate)
    order: list[str] = []
    real_key, real_load = cache.entry_key, catalogue_cache.load_catalogue
    monkeypatch.setattr(
        cache, "entry_key", lambda path, context: order.append(path.name) or real_key(path, context)
    )
    monkeypatch.setattr(
        catalogue_cache, "load_catalogue", lambda p: order.append("read") or real_load(p)
    )
    first = dataset.read_period(project, Q2)
    assert order == ["catalogue.xlsx", *sorted(f.rsplit("/", 1)[-1] for f in first.files), "read"]
    order.clear()
    second = dataset.read_period(project, Q2)  # the catalogue and both returns from the cache
    assert "read" not in order and len(order) == 3
    assert second.dataset.observations == first.dataset.observations
    assert second.findings == first.findings
    order.clear()
    path = project.root / first.files[0]
    read = dataset.validate_files(project, [path], Q2)
    assert order == ["catalogue.xlsx", path.name] and read.dataset.observations
