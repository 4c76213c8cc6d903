"""The catalogue from the cache of reads, and the context the returns' reads are cached under."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from perfreport.core.findings import Finding
from perfreport.core.model import Catalogue
from perfreport.core.project import Project
from perfreport.inputs.catalogue import TARGETS_CSV, load_catalogue, refuse_two_catalogues
from perfreport.xlsx.worker import PickledOnce


class LoadedCatalogue(NamedTuple):
    catalogue: Catalogue
    findings: tuple[Finding, ...]
    # Its cache key: the file's bytes, the settings it depends on and the code, which make the
    # catalogue what it is. None with the cache off (or when the file could not be hashed).
    key: str | None = None
    # The catalogue pickled once, as stored in the cache (None when it was not stored): the
    # reading workers are handed the same bytes (see dataset._read_fresh).
    shared: PickledOnce | None = None


class EarlyKeys(NamedTuple):
    """The cache keys of the catalogue and of each return (None where a file cannot be hashed;
    ``returns`` None when they need the catalogue itself: see early_keys)."""

    catalogue: str | None
    returns: list[str | None] | None


def early_keys(project: Project, jobs: Sequence[tuple[Path, str, Any]]) -> EarlyKeys | None:
    """The keys, worked out before the catalogue is read (None with the cache off or no files).

    Why: a return's key needs only the catalogue's, which is made of its file and settings, not
    of what is read from it. Worked out after the catalogue, they kept the reading workers
    waiting for their work: those read their returns' sheets ahead while the catalogue is read,
    and are done before it is (~0.005 s at 10x, ~0.025 s at 100x)."""
    if not project.performance.cache or not jobs:
        return None
    from perfreport.inputs.cache import entry_key

    key = catalogue_key(project)
    if key is None:
        return EarlyKeys(None, None)
    context = _context(project, key)
    return EarlyKeys(
        key, [entry_key(path, f"{context}|{period}|{shown}") for path, shown, period in jobs]
    )


def catalogue_key(project: Project) -> str | None:
    """The catalogue's cache key (see LoadedCatalogue.key): None when it cannot be hashed."""
    from perfreport.inputs.cache import context_fingerprint, entry_key

    path = project.catalogue_path
    targets = path.with_name(TARGETS_CSV)
    extra = targets.read_bytes() if path.suffix.lower() == ".csv" and targets.is_file() else b""
    return entry_key(
        path,
        context_fingerprint(
            "catalogue",
            project.priorities,
            project.directorates,
            project.paper.group_by,
            project.glossary,  # the catalogue warns of the abbreviations it leaves unexplained
            project.limits,  # how many rows and cells it may have, how long a text
            project.display(path),
            extra,
        ),
    )


def load_cached(project: Project, early: EarlyKeys | None = None) -> LoadedCatalogue:
    """The catalogue, from the cache when the file (and targets.csv) are unchanged; ``early``:
    the keys early_keys worked out (else its key is worked out here).

    A catalogue that cannot be read raises CatalogueError every time: only reads are cached.
    """
    if not project.performance.cache:
        return LoadedCatalogue(*load_catalogue(project))
    from perfreport.inputs.cache import ReturnCache

    path = project.catalogue_path
    key = early.catalogue if early is not None else catalogue_key(project)
    cache = ReturnCache(project.cache_dir)
    cached = cache.get(key, packed=False)  # put, never in a pack: those are the returns'
    if cached is not None:
        # Not in the key: a second catalogue put beside this one since it was read is refused.
        refuse_two_catalogues(project, path, project.display(path))
        catalogue, findings = cached
        return LoadedCatalogue(dataclasses.replace(catalogue, path=path), findings, key)
    catalogue, findings = load_catalogue(project)
    shared = PickledOnce(catalogue)  # unpickled from the cache as the catalogue itself
    cache.put(key, (shared, findings))
    return LoadedCatalogue(catalogue, findings, key, shared)


def return_keys(
    project: Project,
    loaded: LoadedCatalogue,
    jobs: Sequence[tuple[Path, str, Any]],
    early: EarlyKeys | None = None,
) -> list[str | None]:
    """Each job's cache key under the catalogue ``loaded``: those worked out early when they
    were worked out under its key, else worked out now."""
    if early is not None and early.returns is not None and early.catalogue == loaded.key:
        return early.returns
    from perfreport.inputs.cache import entry_key

    context = returns_context(project, loaded)
    return [entry_key(path, f"{context}|{period}|{shown}") for path, shown, period in jobs]


def returns_context(project: Project, loaded: LoadedCatalogue) -> str:
    """What a return's read depends on besides its own bytes: the catalogue's indicators and
    targets and the validation and limit settings, hashed. The catalogue's cache key stands
    for the catalogue (hashing it costs nothing; hashing the repr of 11,000 indicators cost
    0.06 s at 100x, while every worker waited for its work)."""
    from perfreport.inputs.cache import context_fingerprint

    if loaded.key is not None:
        return _context(project, loaded.key)
    catalogue = loaded.catalogue
    return context_fingerprint(
        catalogue.indicators, catalogue.targets, project.validation, project.limits
    )


def _context(project: Project, key: str) -> str:
    from perfreport.inputs.cache import context_fingerprint

    return context_fingerprint("catalogue-key", key, project.validation, project.limits)
