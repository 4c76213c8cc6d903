"""Imported past figures kept as each quarter's published dataset.json (history/<period>/)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from perfreport.core.codes import finding
from perfreport.core.findings import Finding, Severity, count, sort_findings
from perfreport.core.model import Priority
from perfreport.core.periods import Period
from perfreport.core.project import Project
from perfreport.publish.export import indicator_record, json_text
from perfreport.rating.published import DATASET_FILE, DATASET_SCHEMA
from perfreport.rating.rules import Direction, Rating
from perfreport.summary.counts import RagCounts
from perfreport.summary.rated import RatedIndicator

HISTORY_IMPORT_SCHEMA = "perfreport.history-import/1"
IMPORTED = "imported"  # the document's history_source: figures imported, not built
REPLACED_SUFFIX = ".replaced.json"  # a build's dataset.json set aside by --replace


@dataclass(frozen=True)
class HistoryImport:
    """What ``perfreport history import`` did: the quarters stored, replaced and refused."""

    file: str
    quarters: tuple[Period, ...] = ()  # every quarter the file holds figures for
    stored: bool = False  # False when an error stopped the import: nothing was written
    replaced: tuple[Period, ...] = ()  # built and published by perfreport, replaced (--replace)
    updated: tuple[Period, ...] = ()  # imported before, and imported again
    written: Mapping[Period, Path] = field(default_factory=dict)
    figures: int = 0
    findings: tuple[Finding, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": HISTORY_IMPORT_SCHEMA,
            "file": self.file,
            "stored": self.stored,
            "figures": self.figures,
            "quarters": [p.key for p in self.quarters],
            "replaced": [p.key for p in self.replaced],
            "updated": [p.key for p in self.updated],
            "written": {p.key: str(path) for p, path in sorted(self.written.items())},
            "counts": {s.value: count(self.findings, s) for s in Severity},
            "findings": [f.to_dict() for f in self.findings],
        }


def history_document(
    project: Project, period: Period, ratings: Mapping[str, Rating], file: str
) -> dict[str, Any]:
    """A quarter's imported figures in the form of a build's dataset.json (perfreport.dataset/1)."""
    rows = [
        RatedIndicator(
            indicator=rating.indicator,
            priority=project.priority(rating.indicator.priority)
            or Priority(rating.indicator.priority, rating.indicator.priority),
            current=rating,
            previous=None,
            last_year=None,
            direction_short=Direction.NOT_COMPARABLE,
            direction_long=Direction.NOT_COMPARABLE,
        )
        for rating in ratings.values()
    ]
    counts = RagCounts.tally(ratings.values())
    return {
        "schema": DATASET_SCHEMA,
        "council": project.council,
        "report_title": project.title,
        "period": period.key,
        "period_label": period.label,
        "previous_period": period.previous.key,
        "previous_period_label": period.previous.label,
        "history_source": IMPORTED,
        "imported_from": file,
        "summary": {"total": counts.total, "rated": counts.rated, "counts": counts.to_dict()},
        "indicators": [indicator_record(row) for row in rows],
    }


def built_dataset(project: Project, period: Period) -> Path | None:
    """The dataset.json a build of ``period`` published, if there is one."""
    path = project.build_dir(period) / DATASET_FILE
    return path if path.is_file() else None


def store_history(
    project: Project,
    quarters: Mapping[Period, Mapping[str, Rating]],
    *,
    file: str,
    replace: bool,
    findings: tuple[Finding, ...] = (),
    figures: int = 0,
) -> HistoryImport:
    """Write each quarter's dataset.json into its history folder, all of them or none.

    A quarter that perfreport built and published is never overwritten: without ``replace`` it
    is an error and nothing is written; with it, the build's dataset.json is set aside (renamed
    dataset.replaced.json) so that the imported figures are the quarter's published history.
    """
    periods = tuple(sorted(quarters))
    built = {p: path for p in periods if (path := built_dataset(project, p)) is not None}
    found = list(findings)
    if built and not replace:
        found.extend(
            finding(
                "history-quarter-built",
                file=file,
                period=p.label,
                published=project.display(path),
            )
            for p, path in sorted(built.items())
        )
    result = HistoryImport(
        file=file, quarters=periods, figures=figures, findings=sort_findings(found)
    )
    if any(f.severity is Severity.ERROR for f in found):
        return result
    written: dict[Period, Path] = {}
    updated = []
    for period in periods:
        target = project.history_dir(period) / DATASET_FILE
        if target.is_file():
            updated.append(period)
        document = history_document(project, period, quarters[period], file)
        _write(target, json_text(document).encode("utf-8"))
        written[period] = target
    for _, path in sorted(built.items()):
        os.replace(path, path.with_name(path.stem + REPLACED_SUFFIX))
    return HistoryImport(
        file=file,
        quarters=periods,
        stored=True,
        replaced=tuple(sorted(built)),
        updated=tuple(updated),
        written=written,
        figures=figures,
        findings=result.findings,
    )


def _write(path: Path, data: bytes) -> None:
    from perfreport.xlsx.writing import write_atomically

    write_atomically(path, data)
