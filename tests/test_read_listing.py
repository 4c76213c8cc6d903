"""A period's returns listed from the folder's own listing, and a first read that starts the
cache of reads looks nothing up in it: the same files, names and reads as before."""

from __future__ import annotations

import dataclasses
import os
import stat
from pathlib import Path

import pytest
from projectfactory import make_project, service_return

from perfreport.core.periods import Period
from perfreport.inputs import dataset
from perfreport.inputs.cache import ReturnCache

Q2 = Period(2024, 2)


def _asked_path_by_path(folder: Path) -> tuple[list[Path], list[Path]]:
    """list_return_files as it was: each path asked what it is (os.stat, Path.is_file)."""
    to_read: list[Path] = []
    ignored: list[Path] = []
    for path in sorted(folder.iterdir(), key=lambda p: (p.name.casefold(), p.name)):
        try:
            attributes = getattr(os.stat(path), "st_file_attributes", 0)
        except OSError:
            attributes = 0
        hidden = bool(attributes & getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0))
        if path.name.startswith(("~$", ".")) or hidden or not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix in dataset.RETURN_SUFFIXES or suffix in dataset.OTHER_SPREADSHEETS:
            to_read.append(path)
        else:
            ignored.append(path)
    return to_read, ignored


def _link(link: Path, target: Path) -> bool:
    try:
        os.symlink(target, link)
    except (OSError, NotImplementedError):  # Windows without the right to make links
        return False
    return True


def _odd_folder(tmp_path: Path) -> tuple[Path, Path, bool]:
    project_root = tmp_path / "council"
    folder = project_root / "returns" / "Q2-2024"
    folder.mkdir(parents=True)
    for name in (
        "Waste.xlsx",
        "adult social care.XLSX",
        "Adult Social Care.xlsx",
        "macro.xlsm",
        "old.xls",
        "figures.csv",
        "notes.txt",
        "README",
        "~$Waste.xlsx",
        ".hidden.xlsx",
        "é accent.xlsx",
    ):
        (folder / name).write_bytes(b"x")
    (folder / "folder.xlsx").mkdir()  # a folder named like a return
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "far.xlsx").write_bytes(b"x")
    linked = _link(folder / "linked out.xlsx", outside / "far.xlsx")
    if linked:
        _link(folder / "linked in.xlsx", folder / "Waste.xlsx")
        _link(folder / "gone.xlsx", outside / "deleted.xlsx")  # a link to nothing
        _link(folder / "to a folder.xlsx", outside)
        _link(folder / "linked notes.txt", folder / "notes.txt")
    return project_root, folder, linked


def test_the_listing_is_as_asking_each_path(tmp_path: Path) -> None:
    _, folder, linked = _odd_folder(tmp_path)
    paths, ignored = dataset.list_return_files(folder)
    assert (paths, ignored) == _asked_path_by_path(folder)
    names = [p.name for p in paths]
    assert "~$Waste.xlsx" not in names and ".hidden.xlsx" not in names
    assert "folder.xlsx" not in names
    assert {"notes.txt", "README"} <= {p.name for p in ignored}
    assert names.index("adult social care.XLSX") == names.index("Adult Social Care.xlsx") + 1
    if linked:
        assert {"linked out.xlsx", "linked in.xlsx"} <= set(names)
        assert "gone.xlsx" not in names and "to a folder.xlsx" not in names
        assert "linked notes.txt" in {p.name for p in ignored}


def test_links_are_named_as_display_names_them(tmp_path: Path) -> None:
    _, folder, linked = _odd_folder(tmp_path)
    if not linked:
        pytest.skip("links cannot be made here")
    project = make_project(tmp_path / "council")
    links: set[str] = set()
    paths, _ = dataset._list_files(folder, links)
    assert links == {"linked out.xlsx", "linked in.xlsx"}
    told = dataset._shown(project, folder, paths, links)
    asked = dataset._shown(project, folder, paths)  # each path asked whether it is a link
    assert told == asked == [project.display(p) for p in paths]
    assert "returns/Q2-2024/Waste.xlsx" in told  # linked in: shown as what it leads to


def _counting_gets(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The keys of the returns looked up in the cache (packed=True; the catalogue's is not)."""
    asked: list[str] = []
    real = ReturnCache.get

    def get(self: ReturnCache, key: str | None, *, packed: bool = True) -> object:
        if packed:
            asked.append(key or "")
        return real(self, key, packed=packed)

    monkeypatch.setattr(ReturnCache, "get", get)
    return asked


@pytest.mark.parametrize("isolate", [False, True])
def test_a_read_that_starts_the_cache_looks_up_no_return(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, isolate: bool
) -> None:
    project = make_project(tmp_path / "council")
    project = dataclasses.replace(
        project, limits=dataclasses.replace(project.limits, isolate=isolate)
    )
    service_return(project, Q2, "Waste", values={"WR-01": 52.5, "WR-02": 61})
    service_return(project, Q2, "Adult Social Care")
    asked = _counting_gets(monkeypatch)
    assert not project.cache_dir.exists()
    first = dataset.read_period(project, Q2)
    assert asked == []  # the folder was not there: nothing could be in it
    assert len(first.files) == 2 and first.dataset.observations
    second = dataset.read_period(project, Q2)
    assert len(asked) == 2  # now each is looked up, and served
    assert second.dataset.observations == first.dataset.observations
    assert second.findings == first.findings
    hits = [ReturnCache(project.cache_dir).get(key) for key in list(asked)]
    assert all(hit is not None for hit in hits)


def test_a_cache_folder_already_there_is_looked_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An empty cache folder (made by hand, or emptied) is not a new cache: its returns are
    looked up, and the files validated on their own are too."""
    project = make_project(tmp_path / "council")
    project = dataclasses.replace(
        project, limits=dataclasses.replace(project.limits, isolate=False)
    )
    path = service_return(project, Q2, "Waste")
    project.cache_dir.mkdir(parents=True)
    asked = _counting_gets(monkeypatch)
    dataset.read_period(project, Q2)
    assert len(asked) == 1
    read = dataset.validate_files(project, [path], Q2)
    assert len(asked) == 2 and read.dataset.observations
