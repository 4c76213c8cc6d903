"""A catalogue row's directorate: checked against perfreport.toml's [[directorates]] when listed."""

from __future__ import annotations

from typing import Protocol

from perfreport.core.codes_catalogue import ADVICE_DIRECTORATE
from perfreport.core.paper_settings import GroupBy
from perfreport.core.project import Project
from perfreport.inputs.catalogue_fields import cell_text
from perfreport.xlsx.sheets import Cell


class _Parser(Protocol):
    """What this needs of catalogue_rows.CatalogueParser (which imports this module)."""

    project: Project

    def add(
        self,
        code: str,
        cell: str | None = None,
        ref: str | None = None,
        value: object = None,
        **fields: object,
    ) -> None: ...


def directorate_of(parser: _Parser, value_cell: Cell, at: str, ref: str) -> str:
    """The directorate's name as perfreport.toml lists it (the cell may give its key), or as
    written when perfreport.toml lists none; a finding on ``parser`` when it cannot be used."""
    project = parser.project
    text = cell_text(value_cell.value)
    if not text:
        # Grouped by directorate, the paper could not say where the indicator belongs.
        if project.paper.group_by is GroupBy.DIRECTORATE:
            parser.add(
                "catalogue-missing-value",
                at,
                ref,
                subject=ref,
                label="directorate",
                effect="",
                advice=ADVICE_DIRECTORATE,
            )
        return ""
    if not project.directorates:
        return text
    directorate = project.directorate(text)
    if directorate is None:
        known = "; ".join(f"{d.key} ({d.name})" for d in project.directorates)
        parser.add("catalogue-unknown-directorate", at, ref, text, text=text, known=known)
        return text
    return directorate.name
