"""Reads one file for the corpus test: a top-level function, so worker processes can run it."""

from __future__ import annotations

import time
from pathlib import Path

from perfreport.core.findings import Severity
from perfreport.core.model import Catalogue, Indicator, Polarity

# The indicators of the filled-in hostile returns (tests/data/make_hostile.py RETURN_ROWS); no
# real-world file in the corpus uses these refs.
CORPUS_CATALOGUE = Catalogue(
    indicators=(
        Indicator(
            "ASC-01",
            "Adults reviewed within 12 months",
            "healthy",
            "Adult Social Care",
            Polarity.HIGHER,
            unit="%",
            decimals=1,
            target=85.0,
        ),
        Indicator(
            "ASC-02",
            "People in long-term residential care",
            "healthy",
            "Adult Social Care",
            Polarity.LOWER,
            unit="number",
            target=120.0,
        ),
    )
)


def outcome(path: str) -> tuple[str, float]:
    """(the first error code, or ``ok``; seconds taken) for reading ``path`` as a return."""
    from perfreport.inputs.returns import read_return

    start = time.perf_counter()
    _, findings = read_return(Path(path), CORPUS_CATALOGUE)
    seconds = time.perf_counter() - start
    errors = [f.code for f in findings if f.severity is Severity.ERROR]
    return (errors[0] if errors else "ok"), seconds
