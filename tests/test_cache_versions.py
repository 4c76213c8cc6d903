"""The caches' keys name the libraries' versions: after `pip install -U` nothing old is reused."""

from __future__ import annotations

import dataclasses
import importlib.metadata
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from projectfactory import make_project, service_return

from perfreport.core import versions
from perfreport.core.periods import Period
from perfreport.core.versions import installed_version, library_versions
from perfreport.inputs import cache, dataset
from perfreport.paper import charts
from perfreport.paper.chart_cache import ChartPacks
from perfreport.paper.chart_data import Sparkline

Q2 = Period(2024, 2)
SPARK = Sparkline((61.2, 60.0, None, 59.1, 58.0, 57.5, 58.2, 57.1), (56.0,) * 8, 7)
LIBRARIES = ("openpyxl", "lxml", "matplotlib", "numpy", "Pillow", "perfreport", "docxtpl")


def _forget() -> None:
    versions.forget()
    cache.code_fingerprint.cache_clear()
    charts._library_versions.cache_clear()


@pytest.fixture
def upgrade(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Callable[[str], None]]:
    """Install a newer ``name`` as pip does: its dist-info folder, 99.0, first on sys.path."""

    def install(name: str) -> None:
        site = tmp_path / f"site-{name}"
        (site / f"{name}-99.0.dist-info").mkdir(parents=True)
        monkeypatch.syspath_prepend(str(site))
        _forget()
        assert installed_version(name) == "99.0"

    yield install
    monkeypatch.undo()
    _forget()


def test_the_versions_are_those_the_standard_library_reports() -> None:
    for name in LIBRARIES:
        assert installed_version(name) == importlib.metadata.version(name)
    assert library_versions("openpyxl", "lxml") == (
        f"openpyxl {importlib.metadata.version('openpyxl')}|lxml {importlib.metadata.version('lxml')}"
    )
    assert installed_version("no-such-library-for-perfreport") == "not installed"


def test_reading_the_versions_does_not_import_importlib_metadata() -> None:
    # It costs ~0.04 s of a cold run; the versions are read from the dist-info folders' names.
    code = (
        "import sys; from perfreport.core.versions import library_versions; "
        f"library_versions(*{LIBRARIES!r}); print('importlib.metadata' in sys.modules)"
    )
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert ran.stdout.strip() == "False"


@pytest.mark.parametrize("library", ["openpyxl", "lxml"])
def test_a_return_read_before_an_upgrade_of_its_reader_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, upgrade, library: str
) -> None:
    project = make_project(tmp_path / "council")
    project = dataclasses.replace(
        project, limits=dataclasses.replace(project.limits, isolate=False)
    )
    seen: list[str] = []
    real = dataset.read_job
    monkeypatch.setattr(dataset, "read_job", lambda job: seen.append(job[-1]) or real(job))
    service_return(project, Q2, "Waste", values={"WR-01": 52.5, "WR-02": 61})
    dataset.read_period(project, Q2)
    dataset.read_period(project, Q2)
    assert seen == ["returns/Q2-2024/waste.xlsx"]  # the second from the cache
    upgrade(library)
    read = dataset.read_period(project, Q2)
    assert seen == ["returns/Q2-2024/waste.xlsx"] * 2  # read again by the new library
    assert read.dataset.observations["WR-01"].value == 52.5


@pytest.mark.parametrize("library", ["matplotlib", "numpy", "Pillow"])
def test_a_chart_drawn_before_an_upgrade_of_its_libraries_is_drawn_again(
    tmp_path: Path, upgrade, library: str
) -> None:
    store = tmp_path / "charts"
    drawn = charts.draw_all([SPARK], store)
    before = charts.cache_key(SPARK)
    with ChartPacks(store) as packs:
        assert packs.get(before) == drawn[0]
    upgrade(library)
    after = charts.cache_key(SPARK)
    assert after != before
    assert charts.draw_all([SPARK], store) == drawn  # drawn afresh: the same picture here
    assert ChartPacks(store).keys() == {before, after}
