"""The published dataset.json: its schema (written by publish), read back as earlier ratings."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from perfreport.core.codes import finding
from perfreport.core.codes_outputs import NO_RETURNS, RATED_FROM_RETURNS, RETURNS_NOT_READ
from perfreport.core.filenames import command_argument, is_return_name
from perfreport.core.findings import Finding
from perfreport.core.model import (
    RAG,
    Catalogue,
    CellRef,
    DataStatus,
    Display,
    Indicator,
    Observation,
    PeriodRead,
    Polarity,
)
from perfreport.core.periods import Period, PeriodError
from perfreport.core.project import Project
from perfreport.rating.publish_journal import journal_path, read_journal
from perfreport.rating.rules import Rating, Status

DATASET_SCHEMA = "perfreport.dataset/1"
DATASET_FILE = "dataset.json"


@dataclass(frozen=True)
class Published:
    """A quarter's published ratings (None when it has no usable dataset.json), and why not."""

    period: Period
    ratings: Mapping[str, Rating] | None
    findings: tuple[Finding, ...] = ()
    # The file its figures were imported from (perfreport history import), as the officer named
    # it; "" for a dataset.json a build published.
    imported_from: str = ""


def published_path(project: Project, period: Period) -> Path:
    """The quarter's published dataset.json: its build's, else its imported past figures'
    (history/<period>/, written by perfreport history import); the build's when neither exists.
    A build whose publish was stopped after its commit point has its dataset.json still in the
    staging folder: that one, as the publish would have put it in place."""
    built = project.build_dir(period) / DATASET_FILE
    staged = unfinished(built.parent)
    if staged is not None:
        return staged
    if built.is_file():
        return built
    imported = project.history_dir(period) / DATASET_FILE
    return imported if imported.is_file() else built


def shown_path(project: Project, period: Period) -> Path:
    """The quarter's published dataset.json as an officer knows it: a build's is
    build/<period>/dataset.json, also while its publish is unfinished and it is read from the
    hidden staging folder (which the next build of that quarter empties)."""
    path = published_path(project, period)
    built = project.build_dir(period) / DATASET_FILE
    return built if path == unfinished(built.parent) else path


def unfinished(folder: Path) -> Path | None:
    """The dataset.json of a publish into ``folder`` that was stopped after its commit point and
    not yet put in place (still in its staging folder); None when there is no such publish."""
    journal = read_journal(journal_path(folder))
    if journal is None or DATASET_FILE not in journal.files:
        return None
    staged = folder.parent / journal.staging / DATASET_FILE
    return staged if staged.is_file() else None


def _unfinished_finding(project: Project, period: Period) -> tuple[Finding, ...]:
    """A warning when ``period``'s build folder was left mid-publish: its files are of two runs."""
    folder = project.build_dir(period)
    if read_journal(journal_path(folder)) is None:
        return ()
    return (
        finding(
            "publish-unfinished",
            file=project.display(folder),
            journal=project.display(journal_path(folder)),
            period=period.label,
            key=period.key,
        ),
    )


def load_published(
    project: Project, catalogue: Catalogue, period: Period, *, read: PeriodRead | None
) -> Published:
    """The ratings in ``period``'s published dataset.json, as committee saw them. ``read``: the
    quarter's returns as read for the ratings (None when they were not read), to say what became
    of it when the dataset.json cannot be used."""
    path = published_path(project, period)
    stopped = _unfinished_finding(project, period)
    if not path.is_file():
        return Published(period, None, stopped)
    where = project.display(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        ratings = MappingProxyType(_ratings_from(project, catalogue, data, period))
        imported = _imported_from(project, period, path, data)
        return Published(period, ratings, stopped, imported_from=imported)
    except (
        OSError,
        UnicodeDecodeError,
        ValueError,
        TypeError,
        KeyError,
        AttributeError,
        PeriodError,
    ) as exc:
        if isinstance(exc, PublishedError):
            problem = exc.args[0]
        elif isinstance(exc, json.JSONDecodeError):
            problem = f"it is not valid JSON ({exc.msg} at line {exc.lineno})"
        else:
            problem = f"it is not a complete {DATASET_SCHEMA} document ({exc})"
        if path == project.history_dir(period) / DATASET_FILE:  # imported: nothing to rebuild
            unusable = finding(
                "imported-dataset-unreadable",
                file=where,
                problem=problem,
                period=period.label,
                source=command_argument(_recorded_import(path)) or UNKNOWN_IMPORT,
            )
        else:
            unusable = finding(
                "published-dataset-unreadable",
                file=where,
                problem=problem,
                period=period.label,
                instead=_rated_instead(project, period, read),
                key=period.key,
                folder=project.display(project.returns_dir(period)),
            )
        return Published(period, None, (*stopped, unusable))


def _rated_instead(project: Project, period: Period, read: PeriodRead | None) -> str:
    """Whether a quarter whose dataset.json cannot be used was rated again from its returns
    (published-dataset-unreadable): only when some were read. Not read: it has no folder, or
    it is further back than the ratings read returns."""
    if read is not None:
        return RATED_FROM_RETURNS if read.has_returns else NO_RETURNS
    try:  # (its names only: nothing after the inputs reads a workbook)
        with os.scandir(project.returns_dir(period)) as entries:
            kept = any(is_return_name(entry.name) for entry in entries)
    except OSError:  # no folder
        kept = False
    return RETURNS_NOT_READ if kept else NO_RETURNS


# What imported-dataset-unreadable says to import when the file does not name it.
UNKNOWN_IMPORT = "FILE (the workbook or CSV its figures came from)"


def _recorded_import(path: Path) -> str:
    """The file an imported dataset.json that cannot be used says it was imported from, if it
    still says so ("" when not): its "imported_from", read from a damaged file's text."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    try:
        data = json.loads(text)
    except ValueError:
        found = re.search(r'"imported_from"\s*:\s*("(?:[^"\\]|\\.)*")', text)
        try:
            data = {"imported_from": json.loads(found.group(1))} if found else None
        except ValueError:
            data = None
    recorded = data.get("imported_from") if isinstance(data, dict) else None
    return recorded.strip() if isinstance(recorded, str) else ""


def _imported_from(project: Project, period: Period, path: Path, data: dict[str, Any]) -> str:
    """The file an imported quarter's figures came from; "" for a build's dataset.json (whose
    history_source says where its previous quarter's ratings came from, not its own)."""
    if path != project.history_dir(period) / DATASET_FILE:
        return ""  # a build's (or its unfinished publish's)
    # One written by hand may not name its file: then the dataset.json itself.
    return str(data.get("imported_from") or "") or project.display(path)


def _ratings_from(
    project: Project, catalogue: Catalogue, data: Any, period: Period
) -> dict[str, Rating]:
    if not isinstance(data, dict) or data.get("schema") != DATASET_SCHEMA:
        raise PublishedError(f"it is not a {DATASET_SCHEMA} document")
    if data.get("period") != period.key:
        raise PublishedError(f"it is for {data.get('period')!r}, not {period.key}")
    ratings: dict[str, Rating] = {}
    for row in data["indicators"]:
        indicator = catalogue.by_ref.get(row["ref"]) or _indicator_from(project, row)
        value = _number(row.get("value"))
        value_period = row.get("value_period")
        ratings[indicator.ref] = Rating(
            indicator=indicator,
            period=period,
            status=Status(row["status"]),
            value=value,
            value_period=(
                Period.parse(value_period)
                if value_period
                else period
                if value is not None
                else None
            ),
            value_label=str(row.get("value_label") or ""),
            target=_number(row.get("target")),
            amber_threshold=_number(row.get("amber_threshold")),
            rag=RAG(row["rag"]) if row.get("rag") else None,
            rated=bool(row.get("rated")),
            reason=str(row.get("rag_reason") or ""),
            overridden=bool(row.get("overridden")),
            observation=_observation_from(row, indicator.ref, value),
        )
    return ratings


def _indicator_from(project: Project, row: Mapping[str, Any]) -> Indicator:
    """A measure since removed from the catalogue, as the published row describes it."""
    priority = project.priority(str(row.get("priority_key") or row.get("priority") or ""))
    return Indicator(
        ref=str(row["ref"]),
        title=str(row.get("title") or ""),
        priority=priority.key if priority else str(row.get("priority") or ""),
        service=str(row.get("service") or ""),
        directorate=str(row.get("directorate") or ""),
        polarity=Polarity(row.get("polarity") or "none"),
        unit=str(row.get("unit") or "number"),
        decimals=int(row.get("decimals") or 0),
        display=Display(row.get("display") or "full"),
        rated=bool(row.get("rated")),
    )


def _observation_from(row: Mapping[str, Any], ref: str, value: float | None) -> Observation | None:
    """The return row behind a published rating, as published: its commentary, actions, data
    status and source. A figure carried forward from it shows the same words as it would from the
    returns, and "Not available" stays distinct from "no row returned"."""
    status = row.get("data_status")
    if status is None:
        return None  # the published quarter had no return row for it
    source = row.get("source")
    forecast = row.get("forecast_rag")
    return Observation(
        ref=ref,
        value=value,
        data_status=DataStatus(status),
        commentary=str(row.get("commentary") or ""),
        actions=str(row.get("actions") or ""),
        forecast_rag=RAG(forecast) if forecast else None,
        source=(
            CellRef(str(source["file"]), str(source["sheet"]), str(source["cell"]))
            if isinstance(source, dict)
            else None
        ),
    )


class PublishedError(ValueError):
    """A published dataset.json that cannot be used (the message says why)."""


def _number(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PublishedError(f"{value!r} is not a number")
    return float(value)
