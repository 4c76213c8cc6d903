"""Reading leaves no reference cycles behind: each return's and the catalogue's cells are freed
as their read ends, not kept until the cyclic collector runs (it is paused while a quarter is
read, and in the reading workers the cycles were a fifth of their collections' work)."""

from __future__ import annotations

import gc
from collections.abc import Callable
from pathlib import Path

from test_corpus_wild import HOSTILE

from perfreport.core.periods import Period
from perfreport.core.project import LimitSettings, load_project
from perfreport.inputs.catalogue import load_catalogue
from perfreport.inputs.returns import read_return
from perfreport.xlsx import sheets
from perfreport.xlsx.sheets import read_table
from perfreport.xlsx.workbook import open_workbook

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "somerset"


def _left_in_cycles(block: Callable[[], object]) -> list[str]:
    """The classes of perfreport's objects that ``block`` leaves reachable only through cycles
    (lxml's parsers keep cycles of their own)."""
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        block()
        gc.collect()
        return sorted(
            {
                type(o).__qualname__
                for o in gc.garbage
                if type(o).__module__.startswith("perfreport")
            }
        )
    finally:
        gc.set_debug(0)
        gc.garbage.clear()


def test_reading_a_return_leaves_no_cycles() -> None:
    project = load_project(EXAMPLE)
    catalogue, _ = load_catalogue(project)
    # The example's returns (each sheet parsed whole) and one of plain cells (read from its bytes)
    paths = [
        *sorted((EXAMPLE / "returns" / "Q2-2024").glob("*.xlsx")),
        HOSTILE / "valid-return.xlsx",
    ]
    assert len(paths) >= 6
    read: list[int] = []

    def read_all() -> None:
        for path in paths:
            result, _ = read_return(path, catalogue, period=Period(2024, 2))
            read.append(len(result.observations) if result else 0)

    assert _left_in_cycles(read_all) == []
    assert len(read) == len(paths) and all(read)


def test_reading_the_catalogue_leaves_no_cycles() -> None:
    project = load_project(EXAMPLE)
    found: list[int] = []
    assert _left_in_cycles(lambda: found.append(len(load_catalogue(project)[0].indicators))) == []
    assert found[0] > 20


def test_a_table_read_from_a_plain_sheet_leaves_no_cycles() -> None:
    """sheets.read_table's way for a sheet of plain cells (a large catalogue's), here a
    return's sheet in that form."""
    path = HOSTILE / "valid-return.xlsx"
    limits = LimitSettings()
    tables: list[int] = []

    def read() -> None:
        workbook, _ = open_workbook(path, path.name, limits)
        try:
            table, _ = read_table(workbook, "Return", path.name, limits)
        finally:
            workbook.close()
        tables.append(len(table.rows) if table else 0)

    plain: list[object] = []
    real = sheets.table_rows

    def watched(*args: object) -> object:
        plain.append(True)
        return real(*args)

    sheets.table_rows = watched
    try:
        assert _left_in_cycles(read) == []
    finally:
        sheets.table_rows = real
    assert plain and tables[0] > 5
