"""The checks across a period's files: an indicator returned twice, indicators and returns missing."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from perfreport.core.codes import finding
from perfreport.core.codes_rows import ADVICE_ADD_ROW, ADVICE_ONE_RETURN, ADVICE_SAVE_THERE
from perfreport.core.findings import Finding
from perfreport.core.formatting import plural
from perfreport.core.model import Catalogue, Indicator, Observation, ReturnFile
from perfreport.core.periods import Period, PeriodError
from perfreport.core.project import Project, normalise_heading
from perfreport.inputs.cells import closest


class FileRead(Protocol):
    """One file's outcome: its display name, the return (None if unreadable) and its findings."""

    display: str
    result: ReturnFile | None
    findings: tuple[Finding, ...]


def merge(reads: Iterable[FileRead]) -> tuple[dict[str, Observation], list[Finding]]:
    """Observations by ref; on a ref returned by two files the first file (in order) wins."""
    observations: dict[str, Observation] = {}
    first_file: dict[str, FileRead] = {}
    duplicates: list[Finding] = []
    for read in reads:
        if read.result is None:
            continue
        in_this_file: set[str] = set()
        for obs in read.result.observations:
            if obs.ref in in_this_file:
                continue  # twice in one return: the reader has already said so
            in_this_file.add(obs.ref)
            if obs.ref in observations:
                other = first_file[obs.ref]
                other_cell = observations[obs.ref].source
                where = f" (cell {other_cell.cell})" if other_cell else ""
                duplicates.append(
                    finding(
                        "duplicate-ref",
                        file=read.display,
                        sheet=obs.source.sheet if obs.source else None,
                        cell=obs.source.cell if obs.source else None,
                        ref=obs.ref,
                        at="",
                        problem=f"is also returned by {other.display}{where}, whose figure is used",
                        advice=ADVICE_ONE_RETURN,
                    )
                )
                continue
            observations[obs.ref] = obs
            first_file[obs.ref] = read
    return observations, duplicates


def _services_of(catalogue: Catalogue, result: ReturnFile) -> set[str]:
    """The catalogue services a return is for: its Service cell, else the services of its refs."""
    by_key = catalogue.service_keys
    if result.service and normalise_heading(result.service) in by_key:
        return {by_key[normalise_heading(result.service)]}
    return {
        catalogue.by_ref[o.ref].service
        for o in result.observations
        if o.ref in catalogue.by_ref and catalogue.by_ref[o.ref].service
    }


def _due(indicator: Indicator, period: Period | None) -> bool:
    # Without a period, only measures due every quarter can be expected.
    return indicator.is_due(period) if period is not None else set(indicator.due) == {1, 2, 3, 4}


def missing_indicators(
    catalogue: Catalogue,
    reads: Iterable[FileRead],
    observations: dict[str, Observation],
    period: Period | None,
) -> list[Finding]:
    """A warning for each indicator due from a return's services that the return lacks."""
    found = []
    refs = [i.ref for i in catalogue.indicators]  # once: a large catalogue has 10,000s
    for read in reads:
        result = read.result
        if result is None:
            continue
        own_period = result.period or period  # read_return keeps a given period
        # A ref the reader already complained about has a row, even without an observation.
        mentioned = {f.ref for f in read.findings if f.ref}
        services = _services_of(catalogue, result)
        # A row whose ref is a typo of a missing one (HOU-O3 for HOU-03): point at it.
        typos = {
            near: f
            for f in read.findings
            if f.code == "unknown-ref" and f.value and (near := closest(f.value, refs, cutoff=1))
        }
        expected = [i for service in services for i in catalogue.by_service.get(service, ())]
        for indicator in sorted(expected, key=lambda i: catalogue.position[i.ref]):
            if (
                not _due(indicator, own_period)
                or indicator.ref in observations
                or indicator.ref in mentioned
            ):
                continue
            found.append(
                finding(
                    "missing-indicator",
                    file=read.display,
                    sheet=result.sheet,
                    ref=indicator.ref,
                    title=indicator.title,
                    advice=_typo_advice(typos.get(indicator.ref), indicator.ref),
                )
            )
    return found


def _typo_advice(typo: Finding | None, ref: str) -> str:
    if typo is None:
        return ADVICE_ADD_ROW
    return f"Cell {typo.cell} has '{typo.value}', which is not a ref: if that row is {ref}, correct its ref."


def missing_returns(
    catalogue: Catalogue, reads: Iterable[FileRead], period: Period, folder: str, unread: int
) -> list[Finding]:
    """A warning for each service with something due and no return; ``folder`` is where its
    return belongs and ``unread`` the number of the period's files that could not be read."""
    covered: set[str] = set()
    for read in reads:
        if read.result is not None:
            covered |= _services_of(catalogue, read.result)
    hint = (
        f" If it is one of the {unread} file(s) that could not be read, fix that first."
        if unread
        else ""
    )
    found = []
    for service in catalogue.services:
        due = [i for i in catalogue.by_service.get(service, ()) if i.is_due(period)]
        if not service or not due or service in covered:
            continue
        found.append(
            finding(
                "missing-return",
                value=service,
                service=service,
                period=period.label,
                due=plural(len(due), "indicator"),
                folder=folder,
                hint=hint,
            )
        )
    return found


def near_folder(project: Project, folder: Path, period: Period) -> str:
    """A folder beside the missing one that names the same quarter another way ("Q2 2024-25")
    or is a near miss ("Q2-2O24"): the message names it, else says to save the returns there."""
    try:
        names = sorted(p.name for p in folder.parent.iterdir() if p.is_dir())
    except OSError:
        return ADVICE_SAVE_THERE
    # The same quarter written another way, or with a letter O for a zero: never a quarter a
    # digit away (Q1-2024 beside a missing Q3-2024 is another quarter, not a typo).
    same = [n for n in names if _names_period(n, period) or _plain(n) == _plain(folder.name)]
    near = same[0] if same else None
    if near is None or near == folder.name:
        return ADVICE_SAVE_THERE
    return (
        f"There is a folder {project.display(folder.parent / near)}: if it holds "
        f"{period.label}'s returns, rename it {folder.name}."
    )


def _plain(name: str) -> str:
    return re.sub(r"[\W_]", "", name.casefold().replace("o", "0"))


def _names_period(name: str, period: Period) -> bool:
    try:
        return Period.parse(name) == period
    except PeriodError:
        return False
