"""The catalogue from the cache of reads, and the context the returns' reads are cached under."""

from __future__ import annotations

import dataclasses
from typing import NamedTuple

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


def load_cached(project: Project) -> LoadedCatalogue:
    """The catalogue, from the cache when the file (and targets.csv) are unchanged.

    A catalogue that cannot be read raises CatalogueError every time: only reads are cached.
    """
    if not project.performance.cache:
        return LoadedCatalogue(*load_catalogue(project))
    from perfreport.inputs.cache import ReturnCache, context_fingerprint, entry_key

    path = project.catalogue_path
    targets = path.with_name(TARGETS_CSV)
    extra = targets.read_bytes() if path.suffix.lower() == ".csv" and targets.is_file() else b""
    key = entry_key(
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


def returns_context(project: Project, loaded: LoadedCatalogue) -> str:
    """What a return's read depends on besides its own bytes: the catalogue's indicators and
    targets and the validation and limit settings, hashed. The catalogue's cache key stands
    for the catalogue (hashing it costs nothing; hashing the repr of 11,000 indicators cost
    0.06 s at 100x, while every worker waited for its work)."""
    from perfreport.inputs.cache import context_fingerprint

    if loaded.key is not None:
        return context_fingerprint("catalogue-key", loaded.key, project.validation, project.limits)
    catalogue = loaded.catalogue
    return context_fingerprint(
        catalogue.indicators, catalogue.targets, project.validation, project.limits
    )
