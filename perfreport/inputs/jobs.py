"""One return's read as a job: read, stored in the cache of reads, handed back (in a worker process or this one)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from perfreport.core.codes import finding
from perfreport.core.codes_files import ADVICE_RESAVE_OR_REPORT
from perfreport.core.findings import Finding
from perfreport.core.model import Catalogue, ReturnFile
from perfreport.core.periods import Period
from perfreport.xlsx.worker import Pickled, unwrapped


@dataclass(frozen=True)
class FileRead:
    """One file's outcome: its display name, the return (None if unreadable) and its findings."""

    display: str
    result: ReturnFile | None
    findings: tuple[Finding, ...]
    cacheable: bool = True


def read_job(
    job: tuple[Path, Catalogue, Period | None, Any, Any, Path | None, Any, str],
    prepared: Any = None,
) -> FileRead:
    """Read one return (a top-level function, so that worker processes can run it), and store
    the read in the cache folder ``store`` under ``key`` when it is a complete read.
    ``prepared``: its sheet, read ahead by workers.prepare_job while the catalogue was read."""
    return _read_and_store(job, prepared)[0]


def read_job_to_send(job: tuple, prepared: Any = None) -> Any:
    """read_job in a worker process: the read, or (when it was stored) its pickle as stored,
    which the parent unpickles into the read (worker.Pickled)."""
    read, data = _read_and_store(job, prepared)
    return read if data is None else Pickled(data)


def _read_and_store(job: tuple, prepared: Any) -> tuple[FileRead, bytes | None]:
    path, catalogue, period, validation, limits, store, key, display = job
    read = _read_one(path, unwrapped(catalogue), period, validation, limits, display, prepared)
    if store is None or not read.cacheable:
        return read, None
    from perfreport.inputs.cache import ReturnCache

    return read, ReturnCache(store).add(key, read)  # to this process's pack: one append


def _read_one(
    path: Path,
    catalogue: Catalogue,
    period: Period | None,
    validation: Any,
    limits: Any,
    display: str,
    prepared: Any = None,
) -> FileRead:
    from perfreport.inputs.returns import interpret_return, read_return

    try:
        if prepared is not None and prepared[0] == (path, display):
            sheet, problems = prepared[1]
            result, findings = (
                (None, problems)
                if sheet is None
                else interpret_return(path, sheet, catalogue, period, validation, display)
            )
        else:
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
                    file=display,
                    problem=f"could not be read ({type(exc).__name__}: {exc})",
                    advice=ADVICE_RESAVE_OR_REPORT,
                ),
            ),
        )
        return FileRead(display, None, findings, False)
    return FileRead(display, result, tuple(findings))
