"""Reads one file for the corpus test: a top-level function, so worker processes can run it."""

from __future__ import annotations

import time
from pathlib import Path

from perfreport.findings import Severity
from perfreport.model import Catalogue

EMPTY_CATALOGUE = Catalogue(indicators=())


def outcome(path: str) -> tuple[str, float]:
    """(the first error code, or ``ok``; seconds taken) for reading ``path`` as a return."""
    from perfreport.returns import read_return

    start = time.perf_counter()
    _, findings = read_return(Path(path), EMPTY_CATALOGUE)
    seconds = time.perf_counter() - start
    errors = [f.code for f in findings if f.severity is Severity.ERROR]
    return (errors[0] if errors else "ok"), seconds
