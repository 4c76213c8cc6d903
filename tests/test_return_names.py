"""Each return is named in findings as project.display names it, however its folder is reached."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from projectfactory import make_project

from perfreport.core.periods import Period
from perfreport.inputs import dataset

Q2 = Period(2024, 2)


def _link(link: Path, target: Path) -> None:
    try:
        os.symlink(target, link)
    except (OSError, NotImplementedError):  # Windows without the right to make links
        pytest.skip("links cannot be made here")


def test_files_are_named_as_display_names_them(tmp_path: Path) -> None:
    project = make_project(tmp_path / "council")
    folder = project.returns_dir(Q2)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "waste.xlsx").write_bytes(b"x")
    (folder / "Adult Social Care (area 1).xlsx").write_bytes(b"x")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "far.xlsx").write_bytes(b"x")
    _link(folder / "linked out.xlsx", outside / "far.xlsx")
    near = project.root / "returns" / "Q1-2024"
    near.mkdir(parents=True, exist_ok=True)
    (near / "near.xlsx").write_bytes(b"x")
    _link(folder / "linked in.xlsx", near / "near.xlsx")
    _link(project.root / "returns" / "Q3-2024", outside)  # a whole folder elsewhere
    _link(project.root / "returns" / "Q4-2024", near)  # a folder linked within the project
    for folder in [project.returns_dir(Period(2024, q)) for q in (1, 2, 3, 4)]:
        paths, _ = dataset.list_return_files(folder)
        assert paths
        shown = dataset._shown(project, folder, paths)
        assert shown == [project.display(p) for p in paths]
    assert "elsewhere" not in " ".join(dataset._shown(project, folder, paths))
    assert dataset._shown(project, project.returns_dir(Q2), []) == []


def test_a_period_read_names_its_files_as_display_does(tmp_path: Path) -> None:
    project = make_project(tmp_path / "council")
    folder = project.returns_dir(Q2)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "not a workbook.xlsx").write_bytes(b"plain text")
    read = dataset.read_period(project, Q2)
    assert read.files == ("returns/Q2-2024/not a workbook.xlsx",)
    assert {f.file for f in read.findings if f.code == "not-a-workbook"} == set(read.files)
