"""docxtpl's fix_tables a table at a time (its grid fitted to its rows); cell properties in order."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# docxtpl's fix_tables parses the whole rendered body and then, for each table, widens or narrows
# its w:tblGrid to the most cells a row of it has (a {% tc for %} loop can change the count). It
# needs every row of a table before the grid is right, so the streamed body gathers each row's
# counts as it goes and fits the grid at the table's end. This is the same arithmetic, step for
# step (tests/test_bodystream.py compares it with docxtpl's on tables that gain and lose columns).


def row_counts(row: Any, ns: str) -> tuple[int, int]:
    """A w:tr's cells: how many, and how many grid columns they span."""
    cells = row.findall(ns + "tc")
    spans = 0
    for cell in cells:
        properties = cell.find(ns + "tcPr")
        span = None if properties is None else properties.find(ns + "gridSpan")
        spans += int(span.get(ns + "val")) if span is not None else 1
    return len(cells), spans


def counts_within(element: Any, ns: str) -> list[tuple[int, int]]:
    """:func:`row_counts` of every w:tr in ``element`` (itself included), in document order."""
    rows = element.iter(ns + "tr")
    if next(element.iter(ns + "gridSpan"), None) is None:  # no cell spans: cells are columns
        return [(n, n) for n in (len(row.findall(ns + "tc")) for row in rows)]
    return [row_counts(row, ns) for row in rows]


def fit_grid(grid: Any, counts: Iterable[tuple[int, int]], ns: str) -> None:
    """Fit the w:tblGrid ``grid`` to rows with these ``counts`` (see :func:`row_counts`), as
    docxtpl's fix_tables does; ``grid`` None fails as it does there."""
    from lxml import etree

    counts = list(counts)
    columns = grid.findall(ns + "gridCol")
    to_add = 0
    for cells, _spans in counts:
        if (len(columns) + to_add) < cells:
            to_add = cells - len(columns)
    if to_add > 0:
        width = 0.0
        for column in columns:
            if column.get(ns + "w") is not None:
                width += float(column.get(ns + "w"))
        if width > 0:
            old_average = width / len(columns)
            new_average = width / (len(columns) + to_add)
            for column in columns:
                scaled = float(column.get(ns + "w")) * new_average / old_average
                column.set(ns + "w", str(int(scaled)))
            for _ in range(to_add):
                etree.SubElement(grid, ns + "gridCol", {ns + "w": str(int(new_average))})
    columns = grid.findall(ns + "gridCol")
    widest = 0
    for _cells, spans in counts:
        widest = max(widest, spans)
    to_remove = len(columns) - widest
    if to_remove > 0:
        removed_width = 0.0
        for column in columns[-to_remove:]:
            removed_width += float(column.get(ns + "w"))
            grid.remove(column)
        columns_left = grid.findall(ns + "gridCol")
        extra_space = int(removed_width / len(columns_left)) if columns_left else 0
        for column in columns_left:
            column.set(ns + "w", str(int(float(column.get(ns + "w")) + extra_space)))


def fit_tables(element: Any, ns: str) -> None:
    """docxtpl's fix_tables for every table inside ``element``, whole (not ``element`` itself:
    a body table's grid is fitted when all its rows are read)."""
    for table in element.iter(ns + "tbl"):
        if table is not element:
            fit_grid(table.find(ns + "tblGrid"), counts_within(table, ns), ns)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# CT_TcPr's schema order. docxtpl's {% cellbg %} puts <w:shd> first in the cell properties, which
# LibreOffice tolerates but is not valid OOXML, so the children are put back in order.
_TCPR_ORDER = [
    _W + t
    for t in (
        "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText "
        "vAlign hideMark headers cellIns cellDel cellMerge tcPrChange"
    ).split()
]
_RANK = {tag: i for i, tag in enumerate(_TCPR_ORDER)}
_CROWDED: Any = None  # an XPath: the w:tcPr with two children or more


def order_cell_properties(element: Any) -> None:
    """Put the children of each w:tcPr in ``element`` in the schema's order."""
    global _CROWDED
    if _CROWDED is None:
        from lxml import etree

        _CROWDED = etree.XPath("descendant-or-self::w:tcPr[*[2]]", namespaces={"w": _W[1:-1]})
    for tc_pr in _CROWDED(element):  # (one child or none: in order)
        children = list(tc_pr)
        ordered = sorted(children, key=lambda c: _RANK.get(c.tag, len(_RANK)))
        if ordered != children:
            for child in children:
                tc_pr.remove(child)
            tc_pr.extend(ordered)
