"""Validate a period or loose files: read the catalogue and returns, check across files, build the dataset."""

from __future__ import annotations

import dataclasses
import os
import stat
from collections.abc import Callable, Sequence
from pathlib import Path
from types import MappingProxyType

from perfreport.core.codes import finding
from perfreport.core.filenames import RETURN_SUFFIXES, SKIPPED_PREFIXES, owned_workbook
from perfreport.core.findings import Finding, sort_findings
from perfreport.core.gcpause import paused
from perfreport.core.model import Benchmark, Catalogue, Dataset, PeriodRead
from perfreport.core.periods import Period, PeriodError
from perfreport.core.project import Project
from perfreport.inputs.benchmarks import read_benchmarks
from perfreport.inputs.catalogue_cache import (
    EarlyKeys,
    LoadedCatalogue,
    early_keys,
    load_cached,
    return_keys,
)
from perfreport.inputs.checks import merge, missing_indicators, missing_returns, near_folder
from perfreport.inputs.jobs import FileRead, read_job, read_job_to_send
from perfreport.inputs.workers import (
    preload,
    start_workers,
    stop_unused_workers,
    stopped_finding,
    worker_count,
)

# Spreadsheets that are not returns as they stand; they are passed to the reader anyway so that
# the service hears "save it as .xlsx" rather than silence.
OTHER_SPREADSHEETS = frozenset(
    {".xls", ".xlsb", ".ods", ".fods", ".csv", ".tsv", ".xlt", ".xltx", ".xltm", ".numbers"}
)

# Called before each file is read: (number of files done, number in all, the file's name).
Progress = Callable[[int, int, str], None]


def read_period(
    project: Project, period: Period, *, progress: Progress | None = None
) -> PeriodRead:
    """Read the catalogue and every return of ``period``, with coverage checks."""
    return read_periods(project, [period], progress=progress)[period]


@paused  # the reads it assembles all live on: collections freed nothing (~1 s at 100x)
def read_periods(
    project: Project, periods: Sequence[Period], *, progress: Progress | None = None
) -> dict[Period, PeriodRead]:
    """Read several periods at once: the catalogue once, every return in one batch of workers.

    The summary needs this quarter and up to four before it; reading them together costs one
    catalogue load and one set of worker processes instead of five.
    """
    found: dict[Period, list[Finding]] = {}
    jobs: list[tuple[Path, str, Period | None]] = []
    spans: dict[Period, tuple[int, int]] = {}
    new_cache = _new_cache(project)
    for period in dict.fromkeys(periods):
        found[period] = []
        folder = project.returns_dir(period)
        links: set[str] = set()
        if folder.is_dir():
            paths, ignored = _list_files(folder, links)
            if not paths:  # an empty paper is not a paper (an earlier quarter's never blocks)
                found[period].append(finding("no-returns", file=project.display(folder)))
        else:
            paths, ignored = [], []
            where = project.display(folder)
            advice = near_folder(project, folder, period)
            found[period].append(finding("no-returns-folder", file=where, advice=advice))
        for path in ignored:
            found[period].append(
                finding("ignored-file", file=project.display(path), name=path.name)
            )
        spans[period] = (len(jobs), len(jobs) + len(paths))
        jobs.extend(
            (p, shown, period)
            for p, shown in zip(paths, _shown(project, folder, paths, links), strict=True)
        )
    start_workers(project, jobs)
    keys = early_keys(project, jobs)  # while the workers read ahead, not after the catalogue
    try:
        loaded = _load_catalogue(project, keys)
    finally:
        stop_unused_workers(project)
    catalogue = loaded.catalogue
    # The benchmarks file is read with the catalogue, once, and its findings reported like it.
    benchmarks, benchmark_findings = read_benchmarks(project, catalogue)
    for period in found:
        found[period][:0] = (*loaded.findings, *benchmark_findings)
    reads = _read_all(project, loaded, jobs, progress, new_cache=new_cache, early=keys)
    return {
        period: _assemble(
            project,
            catalogue,
            period,
            reads[lo:hi],
            found[period],
            coverage=True,
            benchmarks=benchmarks,
        )
        for period, (lo, hi) in spans.items()
    }


def _load_catalogue(project: Project, early: EarlyKeys | None = None) -> LoadedCatalogue:
    """The catalogue, its findings and its cache key (inputs.catalogue_cache)."""
    return load_cached(project, early)


def validate_files(
    project: Project,
    paths: Sequence[Path],
    period: Period | None = None,
    *,
    progress: Progress | None = None,
) -> PeriodRead:
    """Check just these files (as they arrive by e-mail) against the project's catalogue.

    Each file's period is ``period``; else, for a file in a quarter's returns folder (such as
    returns/Q2-2024), that quarter, as the quarter's check reads it (a return whose Period cell
    says another quarter is then the same period-mismatch there as here); else the return's own
    Period cell (read_return), else its folder's name when that is a period.
    """
    jobs = []
    # Excel's owner files, named here, are not read (the quarter's listing skips them): each is
    # a finding naming its workbook, listed in its place among the files.
    owners: dict[int, FileRead] = {}
    new_cache = _new_cache(project)
    seen: set[Path] = set()
    for path in paths:
        resolved = Path(path).resolve()
        if resolved in seen:
            continue
        seen.add(resolved)
        shown = _display(project, Path(path))
        workbook = owned_workbook(Path(path).name)
        if workbook is not None:
            found = finding(
                "excel-owner-file",
                file=shown,
                workbook=_display(project, Path(path).with_name(workbook)),
            )
            owners[len(jobs) + len(owners)] = FileRead(shown, None, (found,), cacheable=False)
            continue
        jobs.append((Path(path), shown, period or _quarter_of(project, resolved)))
    start_workers(project, jobs)
    keys = early_keys(project, jobs)
    try:
        loaded = _load_catalogue(project, keys)
    finally:
        stop_unused_workers(project)
    catalogue, findings = loaded.catalogue, loaded.findings
    reads = [
        _note_unknown_period(read)
        for read in _read_all(project, loaded, jobs, progress, new_cache=new_cache, early=keys)
    ]
    for place, owner in sorted(owners.items()):
        reads.insert(place, owner)
    periods = [r.result.period for r in reads if r.result is not None and r.result.period]
    dataset_period = period or (periods[0] if periods else None)
    return _assemble(project, catalogue, dataset_period, reads, list(findings), coverage=False)


def _quarter_of(project: Project, path: Path) -> Period | None:
    """The quarter whose returns folder holds ``path`` (resolved), or None."""
    try:
        quarter = Period.parse(path.parent.name)
        return quarter if project.returns_dir(quarter).resolve() == path.parent else None
    except (PeriodError, OSError):  # not a period's name (or its folder cannot be resolved)
        return None


def _new_cache(project: Project) -> bool:
    """Whether this read starts the cache of reads (its folder is not there yet): then no
    return can be in it, and none is looked for (1,200 misses at 100x)."""
    return project.performance.cache and not project.cache_dir.is_dir()


def list_return_files(folder: Path) -> tuple[list[Path], list[Path]]:
    """(files to read, files ignored as not spreadsheets), in a stable order.

    Excel's ~$ owner files, hidden files and sub-folders are skipped silently.
    """
    return _list_files(folder, None)


def _list_files(folder: Path, links: set[str] | None) -> tuple[list[Path], list[Path]]:
    """list_return_files; ``links``, when given, receives the names of the files to read that
    are links (for _shown). Why os.scandir: the folder's listing says what each entry is, where
    asking each path cost two or three system calls (~12 ms for 1,200 returns, before any
    worker could start)."""
    to_read: list[Path] = []
    ignored: list[Path] = []
    with os.scandir(folder) as listing:
        entries = sorted(listing, key=lambda e: (e.name.casefold(), e.name))
    for entry in entries:
        name = entry.name
        if name.startswith(SKIPPED_PREFIXES) or _is_hidden(entry) or not _is_file(entry):
            continue
        path = folder / name
        suffix = path.suffix.lower()
        if suffix in RETURN_SUFFIXES or suffix in OTHER_SPREADSHEETS:
            to_read.append(path)
            if links is not None and _is_link(entry):
                links.add(name)
        else:
            ignored.append(path)
    return to_read, ignored


def _shown(
    project: Project, folder: Path, paths: Sequence[Path], links: set[str] | None = None
) -> list[str]:
    """project.display of each of the files ``paths`` listed in ``folder``, with the folder
    resolved once rather than each file's whole path (34 ms for 1,200 returns, before any worker
    could start). A file that is a link is resolved on its own, as display does; ``links``: the
    names of those that are links, when the listing said (else each path is asked)."""
    if not paths:
        return []
    try:
        base = folder.resolve().relative_to(project.root.resolve())
    except (ValueError, OSError):
        return [project.display(p) for p in paths]
    return [
        project.display(p)
        if (p.name in links if links is not None else p.is_symlink())
        else (base / p.name).as_posix()
        for p in paths
    ]


# Hidden is a Windows attribute; elsewhere the stat_result has no such field (never hidden).
_HIDDEN = getattr(stat, "FILE_ATTRIBUTE_HIDDEN", 0)


def _is_hidden(entry: os.DirEntry) -> bool:
    """Hidden on Windows (the attribute, of what a link leads to, as os.stat gives it); dot-files
    are caught by name everywhere."""
    if not _HIDDEN:
        return False
    try:
        attributes = getattr(entry.stat(), "st_file_attributes", 0)
    except OSError:
        return False
    return bool(attributes & _HIDDEN)


def _is_file(entry: os.DirEntry) -> bool:
    try:
        return entry.is_file()  # a link to a file counts, as Path.is_file
    except OSError:
        return False


def _is_link(entry: os.DirEntry) -> bool:
    try:
        return entry.is_symlink()
    except OSError:
        return False


def _display(project: Project, path: Path) -> str:
    """Inside the project: relative to its root; elsewhere: the path as given."""
    try:
        return path.resolve().relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _read_all(
    project: Project,
    loaded: LoadedCatalogue,
    jobs: Sequence[tuple[Path, str, Period | None]],
    progress: Progress | None,
    *,
    new_cache: bool = False,
    early: EarlyKeys | None = None,
) -> list[FileRead]:
    """Read every file: from the cache when its content was read before, else in workers.
    ``new_cache``: the cache's folder was made by this read (nothing to look up or prune);
    ``early``: the keys worked out before the catalogue was read (catalogue_cache.early_keys)."""
    shared = loaded.shared or loaded.catalogue  # each job's catalogue (jobs.read_job unwraps it)
    results: list[FileRead | None] = [None] * len(jobs)
    keys: list[str | None] = [None] * len(jobs)
    if project.performance.cache and jobs:
        from perfreport.inputs.cache import ReturnCache

        cache = ReturnCache(project.cache_dir)
        keys = return_keys(project, loaded, jobs, early)
        if not new_cache:
            results = [
                _refreshed(cache.get(key), path)
                for key, (path, _, _) in zip(keys, jobs, strict=True)
            ]
        del cache  # with the packs it read, while the rest are read
    # Each fresh read is stored by the process that read it (in parallel, not one by one here).
    store = project.cache_dir if project.performance.cache else None
    work = [
        (path, shared, period, project.validation, project.limits, store, key, display)
        for (path, display, period), key in zip(jobs, keys, strict=True)
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
    if store is not None and missing:
        from perfreport.inputs.cache import ReturnCache, close_packs

        close_packs()  # what was read here (not in workers) is in this process's pack
        if not new_cache:
            ReturnCache(store).prune()
    return [read for read in results if read is not None]


def _refreshed(read: FileRead | None, path: Path) -> FileRead | None:
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
) -> list[FileRead]:
    """Read in worker processes with time and memory limits (see isolation), or here."""
    limits = project.limits
    if not limits.isolate or not work:
        reads = []
        for done, job in enumerate(work):
            report(done, len(work))
            reads.append(read_job(job))
        report(len(work), len(work))
        return reads

    from perfreport.xlsx.isolation import map_isolated
    from perfreport.xlsx.worker import PickledOnce

    catalogue = work[0][1]  # the same in every job: pickled once (or already, for the cache)
    shared = catalogue if isinstance(catalogue, PickledOnce) else PickledOnce(catalogue)
    outcomes = map_isolated(
        read_job_to_send,
        [(job[0], shared, *job[2:]) for job in work],
        timeout=limits.parse_timeout_seconds,
        memory_mb=limits.parse_memory_mb,
        # imported once in the fork server, so no worker pays for it again
        preload=preload(project),
        workers=worker_count(project, len(work)),
        progress=report,
    )
    reads = []
    for job, outcome in zip(work, outcomes, strict=True):
        display = job[-1]
        if outcome.ok:
            reads.append(outcome.value)
        else:
            # A stopped worker may be the machine's load, not the file: never cache this outcome.
            reads.append(
                FileRead(display, None, (stopped_finding(outcome, display, limits),), False)
            )
    return reads


def _note_unknown_period(read: FileRead) -> FileRead:
    """read_return falls back on the folder's name; when even that fails, say what was skipped."""
    if read.result is None or read.result.period is not None:
        return read
    unknown = finding("unknown-period", file=read.display, sheet=read.result.sheet)
    return FileRead(read.display, read.result, (*read.findings, unknown))


def _assemble(
    project: Project,
    catalogue: Catalogue,
    period: Period | None,
    reads: list[FileRead],
    findings: list[Finding],
    *,
    coverage: bool,
    benchmarks: tuple[Benchmark, ...] = (),
) -> PeriodRead:
    found = list(findings)
    for read in reads:
        found.extend(read.findings)
    observations, duplicates = merge(reads)
    found.extend(duplicates)
    found.extend(missing_indicators(catalogue, reads, observations, period))
    if coverage and period is not None:
        unread = sum(1 for r in reads if r.result is None)
        folder = project.display(project.returns_dir(period))
        found.extend(missing_returns(catalogue, reads, period, folder, unread))
    ordered = {i.ref: observations[i.ref] for i in catalogue.indicators if i.ref in observations}
    ordered.update((ref, obs) for ref, obs in observations.items() if ref not in ordered)
    dataset = Dataset(
        period=period,
        catalogue=catalogue,
        returns=tuple(r.result for r in reads if r.result is not None),
        observations=MappingProxyType(ordered),
        benchmarks=benchmarks,
    )
    return PeriodRead(
        dataset=dataset, findings=sort_findings(found), files=tuple(r.display for r in reads)
    )
