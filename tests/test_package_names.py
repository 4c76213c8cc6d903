"""Two zip members for one part (issue 17, item 10): names that resolve to the same part, once
backslashes, "." and ".." segments, doubled slashes, percent-escapes, Unicode forms and case are
resolved, are a suspicious-file finding; Excel could show one member's figures, perfreport read
the other's."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from projectfactory import make_project, service_return

from perfreport.core.periods import Period
from perfreport.core.project import LimitSettings
from perfreport.inputs.dataset import read_period
from perfreport.xlsx.package import check_package, part_key

Q2 = Period(2024, 2)
SHEET = "xl/worksheets/sheet1.xml"


def with_second_member(path: Path, name: str) -> bytes:
    """The return, plus a second member named ``name`` holding other figures for the sheet."""
    with zipfile.ZipFile(path) as archive:
        members = [(info, archive.read(info)) for info in archive.infolist()]
    sheet = dict((i.filename, d) for i, d in members)[SHEET]
    other = sheet.replace(b"<v>61</v>", b"<v>99</v>")
    assert other != sheet
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in members:
            archive.writestr(info, data)
        archive.writestr(name, other)
    return path.read_bytes()


ALIASES = [
    "xl/worksheets/./sheet1.xml",
    "xl//worksheets/sheet1.xml",
    "xl/worksheets/../worksheets/sheet1.xml",
    "xl/worksheets/sheet%31.xml",
    "/xl/worksheets/sheet1.xml",
    "xl\\worksheets\\sheet1.xml",
    "XL/Worksheets/Sheet1.XML",
    "xl/./worksheets/./sheet1.xml",
]


@pytest.mark.parametrize("alias", ALIASES)
def test_a_second_name_for_the_sheet_is_suspicious(tmp_path, alias):
    project = make_project(tmp_path / "council")
    path = service_return(project, Q2, "Waste", values={"WR-01": 52.5, "WR-02": 61})
    data = with_second_member(path, alias)
    problem = check_package(data, LimitSettings())
    assert problem is not None and problem.code == "suspicious-file"
    assert f"'{alias}'" in problem.fields["problem"]
    read = read_period(project, Q2)
    (found,) = [f for f in read.findings if f.file and f.file.endswith("waste.xlsx")]
    assert found.code == "suspicious-file"
    assert "WR-02" not in read.dataset.observations  # neither figure is used


@pytest.mark.parametrize(
    "name",
    ["xl/worksheets/sheet1.xml.bak", "xl/worksheets/sheet11.xml", "xl/worksheets2/sheet1.xml"],
)
def test_a_different_part_is_not_a_second_name(name):
    assert part_key(name) != part_key(SHEET)


@pytest.mark.parametrize("alias", ALIASES)
def test_every_alias_resolves_to_the_part(alias):
    assert part_key(alias) == part_key(SHEET)
