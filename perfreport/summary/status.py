"""`perfreport status`: the chase list of which services have sent their return this quarter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from perfreport.core.findings import Finding, Severity
from perfreport.core.formatting import plural
from perfreport.core.model import Catalogue, PeriodRead, ReturnFile
from perfreport.core.periods import Period, written_date
from perfreport.core.project import Project, normalise_heading

STATUS_SCHEMA = "perfreport.status/1"

# Coverage findings say what the table already shows, so they are not counted against a service.
_COVERAGE = {"missing-return"}


@dataclass(frozen=True)
class ReceivedFile:
    """A file in the quarter's returns folder."""

    name: str  # as findings name it, relative to the project
    modified: dt.datetime | None  # local time, to the second

    def to_dict(self) -> dict[str, str | None]:
        # ISO 8601 with the local UTC offset (2024-10-14T09:32:00+01:00): unambiguous for a
        # script on another machine, and across the clocks going back.
        when = self.modified.astimezone().isoformat() if self.modified else None
        return {"name": self.name, "modified": when}


@dataclass(frozen=True)
class ServiceStatus:
    """One service's line of the chase list."""

    service: str
    files: tuple[ReceivedFile, ...]
    expected: int  # indicators due this quarter
    returned: int  # of those, how many are returned without an error (a figure or Not available)
    errors: int
    warnings: int
    days_late: int = 0  # received this many days after [returns] deadline
    days_overdue: int = 0  # outstanding, and the deadline passed this many days ago

    @property
    def received(self) -> bool:
        return bool(self.files)

    @property
    def due(self) -> bool:
        """Whether a return is expected: something is due, or the service sent one anyway."""
        return self.expected > 0 or self.received

    @property
    def outstanding(self) -> bool:
        return self.expected > 0 and not self.received

    def to_dict(self) -> dict[str, object]:
        return {
            "service": self.service,
            "received": self.received,
            "outstanding": self.outstanding,
            "files": [f.to_dict() for f in self.files],
            "expected": self.expected,
            "returned": self.returned,
            "errors": self.errors,
            "warnings": self.warnings,
            "days_late": self.days_late,
            "days_overdue": self.days_overdue,
        }

    @property
    def lateness(self) -> str:
        """``3 days late`` or ``5 days overdue`` against the deadline ("" when in time)."""
        if self.days_overdue:
            return f"{plural(self.days_overdue, 'day')} overdue"
        return f"{plural(self.days_late, 'day')} late" if self.days_late else ""


@dataclass(frozen=True)
class StatusReport:
    """Every service's status for one period, in catalogue order."""

    period: Period
    services: tuple[ServiceStatus, ...]
    other_files: tuple[ReceivedFile, ...] = ()  # files that could not be matched to a service
    other_errors: int = 0
    other_warnings: int = 0
    deadline: dt.date | None = None  # [returns] deadline, when it is a date for this quarter

    @property
    def late(self) -> tuple[ServiceStatus, ...]:
        return tuple(s for s in self.services if s.days_late)

    @property
    def expected(self) -> tuple[ServiceStatus, ...]:
        return tuple(s for s in self.services if s.due)

    @property
    def received(self) -> tuple[ServiceStatus, ...]:
        return tuple(s for s in self.services if s.received)

    @property
    def outstanding(self) -> tuple[ServiceStatus, ...]:
        return tuple(s for s in self.services if s.outstanding)

    @property
    def summary(self) -> str:
        """'9 of 12 returns received; 3 outstanding: Highways, Libraries, Adult Social Care'."""
        expected, outstanding = len(self.expected), self.outstanding
        line = f"{len(self.received)} of {plural(expected, 'return')} received; "
        if not outstanding:
            line += "none outstanding"
            if self.late:
                line += f"; {len(self.late)} late: " + ", ".join(
                    f"{s.service} ({s.lateness})" for s in self.late
                )
            return line
        names = ", ".join(
            s.service + (f" ({s.lateness})" if s.lateness else "") for s in outstanding
        )
        line += f"{len(outstanding)} outstanding: {names}"
        if self.late:
            line += f"; {len(self.late)} late: " + ", ".join(
                f"{s.service} ({s.lateness})" for s in self.late
            )
        return line

    def to_dict(self) -> dict[str, object]:
        return {
            "schema": STATUS_SCHEMA,
            "period": self.period.key,
            "period_label": self.period.label,
            "summary": self.summary,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "expected": len(self.expected),
            "received": len(self.received),
            "outstanding": [s.service for s in self.outstanding],
            "services": [s.to_dict() for s in self.services],
            "other_files": [f.to_dict() for f in self.other_files],
            "other_errors": self.other_errors,
            "other_warnings": self.other_warnings,
        }


def return_status(project: Project, read: PeriodRead, today: dt.date | None = None) -> StatusReport:
    """Say, per service, what has arrived of the period's returns and in what state, and how
    late against ``[returns] deadline`` (``today``: the date overdue returns are counted to)."""
    period = read.dataset.period
    if period is None:
        raise ValueError("the status is of a period's returns, got loose files")
    catalogue = read.dataset.catalogue
    owner = {r.display_name: _service_of(r, catalogue) for r in read.dataset.returns}
    for name in (*read.files, *_file_names(read.findings, catalogue, project)):
        owner.setdefault(name, _service_from_name(name, catalogue))
    files = {r.display_name: _received(r) for r in read.dataset.returns}
    for name in owner:
        files.setdefault(name, ReceivedFile(name, _modified_time(project, name)))

    counts = _counts(read.findings, owner, catalogue)
    deadline = deadline_date(project.returns_settings.deadline, period)
    # A row with an error (a blank or unreadable Value, say) is not yet a figure returned.
    faulty = {(f.file, f.ref) for f in read.findings if f.severity is Severity.ERROR and f.ref}
    statuses = []
    for service in catalogue.services:
        due = {i.ref for i in catalogue.indicators if i.service == service and i.is_due(period)}
        mine = sorted(name for name, who in owner.items() if who == service)
        returned = {
            o.ref
            for r in read.dataset.returns
            if owner[r.display_name] == service
            for o in r.observations
            if o.ref in due and (r.display_name, o.ref) not in faulty
        }
        errors, warnings = counts.get(service, (0, 0))
        received = tuple(files[n] for n in mine)
        late, overdue = _lateness(received, bool(due), deadline, today or dt.date.today())
        statuses.append(
            ServiceStatus(
                service, received, len(due), len(returned), errors, warnings, late, overdue
            )
        )
    others = sorted(name for name, who in owner.items() if who is None)
    other_errors, other_warnings = counts.get(None, (0, 0))
    return StatusReport(
        period,
        tuple(statuses),
        tuple(files[n] for n in others),
        other_errors,
        other_warnings,
        deadline,
    )


def _lateness(
    received: tuple[ReceivedFile, ...], due: bool, deadline: dt.date | None, today: dt.date
) -> tuple[int, int]:
    """(days late, days overdue): a return counts from its first file to arrive."""
    if deadline is None:
        return 0, 0
    times = [f.modified.date() for f in received if f.modified is not None]
    if times:
        return max((min(times) - deadline).days, 0), 0
    return 0, (max((today - deadline).days, 0) if due else 0)


def deadline_date(text: str, period: Period) -> dt.date | None:
    """``[returns] deadline`` as a date ("Friday 18 October 2024", "18/10/2024", "2024-10-18"),
    when it is one for ``period``: after its last day and within the quarter after. A deadline
    left from another quarter, or text that is no date ("end of October"), gives None. (A
    weekday that is not the date's is refused when perfreport.toml is read.)"""
    day, _ = written_date(text)
    return day if day is not None and period.end_date < day <= period.next.end_date else None


def _service_of(return_file: ReturnFile, catalogue: Catalogue) -> str | None:
    """The service a return belongs to: its metadata, else most of its refs, else its name."""
    known = {normalise_heading(s): s for s in catalogue.services}
    if return_file.service and normalise_heading(return_file.service) in known:
        return known[normalise_heading(return_file.service)]
    tally: dict[str, int] = {}
    for observation in return_file.observations:
        indicator = catalogue.by_ref.get(observation.ref)
        if indicator is not None:
            tally[indicator.service] = tally.get(indicator.service, 0) + 1
    if tally:
        # Most refs wins; a tie goes to the service listed first in the catalogue.
        order = {s: n for n, s in enumerate(catalogue.services)}
        return min(tally, key=lambda s: (-tally[s], order[s]))
    return _service_from_name(return_file.display_name, catalogue)


def _service_from_name(name: str, catalogue: Catalogue) -> str | None:
    """A file that cannot be read may still be named after its service ("Highways return…")."""
    stem = normalise_heading(name.rsplit("/", 1)[-1].rsplit(".", 1)[0])
    matches = [
        s for s in catalogue.services if normalise_heading(s) and normalise_heading(s) in stem
    ]
    return max(matches, key=lambda s: len(normalise_heading(s))) if matches else None


def _file_names(findings: Iterable[Finding], catalogue: Catalogue, project: Project) -> list[str]:
    """Files that findings name, other than the catalogue: returns that could not be read."""
    skip = {project.display(catalogue.path)} if catalogue.path is not None else set()
    return sorted({f.file for f in findings if f.file and f.file not in skip})


def _counts(
    findings: Iterable[Finding], owner: dict[str, str | None], catalogue: Catalogue
) -> dict[str | None, tuple[int, int]]:
    """(errors, warnings) per service, from findings in its files or about its indicators."""
    totals: dict[str | None, list[int]] = {}
    for item in findings:
        if item.code in _COVERAGE or item.severity is Severity.INFO:
            continue
        if item.file in owner:
            service = owner[item.file]
        elif item.file is None and item.ref in catalogue.by_ref:
            service = catalogue.by_ref[item.ref].service
        else:
            continue  # the catalogue's own findings belong to no service
        pair = totals.setdefault(service, [0, 0])
        pair[0 if item.severity is Severity.ERROR else 1] += 1
    return {service: (e, w) for service, (e, w) in totals.items()}


def _received(return_file: ReturnFile) -> ReceivedFile:
    modified = return_file.modified
    when = (
        dt.datetime.fromtimestamp(modified).replace(microsecond=0) if modified is not None else None
    )
    return ReceivedFile(return_file.display_name, when)


def _modified_time(project: Project, name: str) -> dt.datetime | None:
    path = project.root / name
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)
    except OSError:
        return None
