"""Validate a period or loose files: read the catalogue and returns, check across files, build the dataset."""

from __future__ import annotations

import dataclasses
import os
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from perfreport.core.codes import finding
from perfreport.core.findings import FINDINGS_SCHEMA, Finding, Severity, count, sort_findings
from perfreport.core.model import Catalogue, Dataset, Indicator, Observation, PeriodRead, ReturnFile
from perfreport.core.periods import Period
from perfreport.core.project import Project, normalise_heading
from perfreport.inputs.catalogue import load_catalogue

RETURN_SUFFIXES = frozenset({".xlsx", ".xlsm"})
# Spreadsheets that are not returns as they stand; they are passed to the reader anyway so that
# the service hears "save it as .xlsx" rather than silence.
OTHER_SPREADSHEETS = frozenset(
    {".xls", ".xlsb", ".ods", ".fods", ".csv", ".tsv", ".xlt", ".xltx", ".xltm", ".numbers"}
)

# Called before each file is read: (number of files done, number in all, the file's name).
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class _Read:
    """One file's outcome: its display name, the return (None if unreadable) and its findings."""

    display: str
    result: ReturnFile | None
    findings: tuple[Finding, ...]
    cacheable: bool = True


def read_period(
    project: Project, period: Period, *, progress: Progress | None = None
) -> PeriodRead:
    """Read the catalogue and every return of ``period``, with coverage checks."""
    return read_periods(project, [period], progress=progress)[period]


def read_periods(
    project: Project, periods: Sequence[Period], *, progress: Progress | None = None
) -> dict[Period, PeriodRead]:
    """Read several periods at once: the catalogue once, every return in one batch of workers.

    The summary needs this quarter and up to four before it; reading them together costs one
    catalogue load and one set of worker processes instead of five.
    """
    catalogue, catalogue_findings = _load_catalogue(project)
    found: dict[Period, list[Finding]] = {}
    jobs: list[tuple[Path, str, Period | None]] = []
    spans: dict[Period, tuple[int, int]] = {}
    for period in dict.fromkeys(periods):
        found[period] = list(catalogue_findings)
        folder = project.returns_dir(period)
        if folder.is_dir():
            paths, ignored = list_return_files(folder)
        else:
            paths, ignored = [], []
            where = project.display(folder)
            found[period].append(
                finding(
                    "no-returns-folder",
                    f"There is no folder {where}, so no returns were read. "
                    "Save the returns there, or check the period.",
                    file=where,
                )
            )
        for path in ignored:
            found[period].append(
                finding(
                    "ignored-file",
                    f"{path.name} is not a spreadsheet, so it was not read. Returns "
                    "must be Excel workbooks (.xlsx).",
                    file=project.display(path),
                )
            )
        spans[period] = (len(jobs), len(jobs) + len(paths))
        jobs.extend((p, project.display(p), period) for p in paths)
    reads = _read_all(project, catalogue, jobs, progress)
    return {
        period: _assemble(project, catalogue, period, reads[lo:hi], found[period], coverage=True)
        for period, (lo, hi) in spans.items()
    }


def _load_catalogue(project: Project) -> tuple[Catalogue, tuple[Finding, ...]]:
    """The catalogue, from the cache when the file (and targets.csv) are unchanged.

    A catalogue that cannot be read raises CatalogueError every time: only reads are cached.
    """
    if not project.performance.cache:
        return load_catalogue(project)
    from perfreport.inputs.cache import ReturnCache, context_fingerprint, entry_key
    from perfreport.inputs.catalogue import TARGETS_CSV

    path = project.catalogue_path
    targets = path.with_name(TARGETS_CSV)
    extra = targets.read_bytes() if path.suffix.lower() == ".csv" and targets.is_file() else b""
    key = entry_key(
        path, context_fingerprint("catalogue", project.priorities, project.display(path), extra)
    )
    cache = ReturnCache(project.cache_dir)
    cached = cache.get(key)
    if cached is not None:
        catalogue, findings = cached
        return dataclasses.replace(catalogue, path=path), findings
    result = load_catalogue(project)
    cache.put(key, result)
    return result


def validate_files(
    project: Project,
    paths: Sequence[Path],
    period: Period | None = None,
    *,
    progress: Progress | None = None,
) -> PeriodRead:
    """Check just these files (as they arrive by e-mail) against the project's catalogue.

    Each file's period is ``period``, else the return's own Period cell (read_return), else its
    folder's name when that is a period such as returns/Q2-2024.
    """
    catalogue, findings = _load_catalogue(project)
    jobs = []
    seen: set[Path] = set()
    for path in paths:
        resolved = Path(path).resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        jobs.append((Path(path), _display(project, Path(path)), period))
    reads = [_note_unknown_period(read) for read in _read_all(project, catalogue, jobs, progress)]
    periods = [r.result.period for r in reads if r.result is not None and r.result.period]
    dataset_period = period or (periods[0] if periods else None)
    return _assemble(project, catalogue, dataset_period, reads, list(findings), coverage=False)


def list_return_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """(files to read, files ignored as not spreadsheets), in a stable order.

    Excel's ~$ owner files, hidden files and sub-folders are skipped silently.
    """
    to_read: list[Path] = []
    ignored: list[Path] = []
    for path in sorted(folder.iterdir(), key=lambda p: (p.name.casefold(), p.name)):
        if path.name.startswith(("~$", ".")) or _is_hidden(path) or not path.is_file():
            continue
        suffix = path.suffix.lower()
        if suffix in RETURN_SUFFIXES or suffix in OTHER_SPREADSHEETS:
            to_read.append(path)
        else:
            ignored.append(path)
    return to_read, ignored


def _is_hidden(path: Path) -> bool:
    """Hidden on Windows (the attribute); dot-files are caught by name everywhere."""
    try:
        attributes = getattr(os.stat(path), "st_file_attributes", 0)
    except OSError:
        return False
    return bool(attributes & getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0))


def _display(project: Project, path: Path) -> str:
    """Inside the project: relative to its root; elsewhere: the path as given."""
    try:
        return path.resolve().relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _read_all(
    project: Project,
    catalogue: Catalogue,
    jobs: Sequence[tuple[Path, str, Period | None]],
    progress: Progress | None,
) -> list[_Read]:
    """Read every file: from the cache when its content was read before, else in workers."""
    work = [
        (path, catalogue, period, project.validation, project.limits, display)
        for path, display, period in jobs
    ]
    results: list[_Read | None] = [None] * len(work)
    cache = keys = None
    if project.performance.cache and work:
        from perfreport.inputs.cache import ReturnCache, context_fingerprint, entry_key

        cache = ReturnCache(project.cache_dir)
        context = context_fingerprint(
            catalogue.indicators, catalogue.targets, project.validation, project.limits
        )
        keys = [entry_key(path, f"{context}|{period}|{display}") for path, display, period in jobs]
        results = [
            _refreshed(cache.get(key), path) for key, (path, _, _) in zip(keys, jobs, strict=True)
        ]
    missing = [n for n, read in enumerate(results) if read is None]

    hits = len(work) - len(missing)

    def report(done: int, _total: int) -> None:
        # Name the next file to be read, as a progress bar shows it.
        if progress is not None:
            upcoming = jobs[missing[done]][1] if done < len(missing) else ""
            progress(hits + done, len(work), upcoming)

    report(0, len(missing))
    fresh = _read_fresh(project, [work[n] for n in missing], report)
    for n, read in zip(missing, fresh, strict=True):
        results[n] = read
        if cache is not None and read.cacheable:
            cache.put(keys[n], read)
    if cache is not None and missing:
        cache.prune()
    return [read for read in results if read is not None]


def _refreshed(read: _Read | None, path: Path) -> _Read | None:
    """A cached read with this file's own path and modification time (same content, maybe
    another copy of the project or a file saved again unchanged)."""
    if read is None or read.result is None:
        return read
    try:
        modified = path.stat().st_mtime
    except OSError:
        return None
    return dataclasses.replace(
        read, result=dataclasses.replace(read.result, path=path, modified=modified)
    )


def _read_fresh(
    project: Project, work: list[tuple], report: Callable[[int, int], None]
) -> list[_Read]:
    """Read in worker processes with time and memory limits (see isolation), or here."""
    limits = project.limits
    if not limits.isolate or not work:
        reads = []
        for done, job in enumerate(work):
            report(done, len(work))
            reads.append(read_job(job))
        report(len(work), len(work))
        return reads

    from perfreport.xlsx.isolation import Failure, map_isolated

    outcomes = map_isolated(
        read_job,
        work,
        timeout=limits.parse_timeout_seconds,
        memory_mb=limits.parse_memory_mb,
        # imported once in the fork server, so no worker pays for it again
        preload=["perfreport.inputs.dataset", "perfreport.inputs.returns", "openpyxl"],
        workers=project.performance.workers or None,
        progress=report,
    )
    reads = []
    for job, outcome in zip(work, outcomes, strict=True):
        display = job[-1]
        if outcome.ok:
            reads.append(outcome.value)
            continue
        if outcome.failure == Failure.TIMEOUT:
            message = (
                f"{display} took longer than {limits.parse_timeout_seconds:g} seconds to "
                "read, so it was stopped. It may be damaged or built to attack spreadsheet "
                "readers: open it in Excel, check it, and save it again as .xlsx."
            )
        elif outcome.failure == Failure.MEMORY:
            message = (
                f"{display} needed more than {limits.parse_memory_mb} MB of memory to "
                "read, so it was stopped. It may be damaged or built to attack spreadsheet "
                "readers: open it in Excel, check it, and save it again as .xlsx."
            )
        else:
            message = (
                f"{display} could not be read ({outcome.detail}). Open it in Excel and "
                "save it again; if that does not help, report this to the perfreport "
                "maintainers."
            )
        code = "unreadable-file" if outcome.failure == Failure.CRASHED else "suspicious-file"
        # A stopped worker may be the machine's load, not the file: never cache this outcome.
        reads.append(_Read(display, None, (finding(code, message, file=display),), False))
    return reads


def read_job(job: tuple[Path, Catalogue, Period | None, Any, Any, str]) -> _Read:
    """Read one return (a top-level function, so that worker processes can run it)."""
    from perfreport.inputs.returns import read_return

    path, catalogue, period, validation, limits, display = job
    try:
        result, findings = read_return(
            path,
            catalogue,
            period=period,
            validation=validation,
            limits=limits,
            display_name=display,
        )
    except Exception as exc:  # read_return reports problems as findings; this is a last guard
        result, findings = (
            None,
            (
                finding(
                    "unreadable-file",
                    f"{display} could not be read ({type(exc).__name__}: {exc}). "
                    "Open it in Excel and save it again; if that does not help, report this to the "
                    "perfreport maintainers.",
                    file=display,
                ),
            ),
        )
        return _Read(display, None, findings, False)
    return _Read(display, result, tuple(findings))


def _note_unknown_period(read: _Read) -> _Read:
    """read_return falls back on the folder's name; when even that fails, say what was skipped."""
    if read.result is None or read.result.period is not None:
        return read
    unknown = finding(
        "unknown-period",
        "The period of this return is not known, so the checks of "
        "which indicators are due were skipped. Fill in its Period cell, or give "
        "--period Q2-2024.",
        file=read.display,
        sheet=read.result.sheet,
    )
    return _Read(read.display, read.result, (*read.findings, unknown))


def _assemble(
    project: Project,
    catalogue: Catalogue,
    period: Period | None,
    reads: list[_Read],
    findings: list[Finding],
    *,
    coverage: bool,
) -> PeriodRead:
    found = list(findings)
    for read in reads:
        found.extend(read.findings)
    observations, duplicates = _merge(reads)
    found.extend(duplicates)
    found.extend(_missing_indicators(catalogue, reads, observations, period))
    if coverage and period is not None:
        unread = sum(1 for r in reads if r.result is None)
        found.extend(_missing_returns(project, catalogue, reads, period, unread))
    ordered = {i.ref: observations[i.ref] for i in catalogue.indicators if i.ref in observations}
    ordered.update((ref, obs) for ref, obs in observations.items() if ref not in ordered)
    dataset = Dataset(
        period=period,
        catalogue=catalogue,
        returns=tuple(r.result for r in reads if r.result is not None),
        observations=MappingProxyType(ordered),
    )
    return PeriodRead(
        dataset=dataset, findings=sort_findings(found), files=tuple(r.display for r in reads)
    )


def _merge(reads: Iterable[_Read]) -> tuple[dict[str, Observation], list[Finding]]:
    """Observations by ref; on a ref returned by two files the first file (in order) wins."""
    observations: dict[str, Observation] = {}
    first_file: dict[str, _Read] = {}
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
                        f"{obs.ref} is also returned by {other.display}{where}, whose "
                        "figure is used. Each indicator comes from one return: remove it from one of "
                        "them.",
                        file=read.display,
                        sheet=obs.source.sheet if obs.source else None,
                        cell=obs.source.cell if obs.source else None,
                        ref=obs.ref,
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


def _missing_indicators(
    catalogue: Catalogue,
    reads: Iterable[_Read],
    observations: dict[str, Observation],
    period: Period | None,
) -> list[Finding]:
    found = []
    for read in reads:
        result = read.result
        if result is None:
            continue
        own_period = result.period or period  # read_return keeps a given period
        # A ref the reader already complained about has a row, even without an observation.
        mentioned = {f.ref for f in read.findings if f.ref}
        services = _services_of(catalogue, result)
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
                    f"{indicator.ref} ({indicator.title}) is due this quarter but "
                    "is not in this return. Add a row for it; if the figure is not available, set Data "
                    "status to Not available.",
                    file=read.display,
                    sheet=result.sheet,
                    ref=indicator.ref,
                )
            )
    return found


def _missing_returns(
    project: Project, catalogue: Catalogue, reads: Iterable[_Read], period: Period, unread: int
) -> list[Finding]:
    covered: set[str] = set()
    for read in reads:
        if read.result is not None:
            covered |= _services_of(catalogue, read.result)
    folder = project.display(project.returns_dir(period))
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
                f"No return from {service} for {period.label} ({len(due)} "
                f"indicator{'s' if len(due) != 1 else ''} due). Ask the service for its return and "
                f"save it in {folder}.{hint}",
                value=service,
            )
        )
    return found


def findings_document(read: PeriodRead) -> dict:
    """The findings as JSON data (schema perfreport.findings/1, documented in docs/findings.md)."""
    period = read.dataset.period
    return {
        "schema": FINDINGS_SCHEMA,
        "period": period.key if period else None,
        "period_label": period.label if period else None,
        "files": list(read.files),
        "counts": {s.value: count(read.findings, s) for s in Severity},
        "findings": [f.to_dict() for f in read.findings],
    }
