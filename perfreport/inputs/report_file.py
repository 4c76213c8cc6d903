"""The report file (reports/<period>.toml): the meeting facts and officers' prose for the paper."""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from perfreport.core.codes import finding
from perfreport.core.codes_outputs import (
    ACTION_CREATE,
    EXTENT_EVERY_SECTION,
    EXTENT_PAPER,
    OR_IN_WORD,
)
from perfreport.core.findings import Finding
from perfreport.core.periods import Period
from perfreport.core.project import ConfigError, Project, read_toml
from perfreport.inputs.report_figures import Figure, link_findings, parse_figures
from perfreport.inputs.risk import RiskScore


class Kind(enum.StrEnum):
    """The kinds of report-file item: how each is written in the file and read."""

    LINE = "line"  # one line of text
    PROSE = "prose"  # paragraphs: a string (blank lines separate paragraphs) or a list of strings
    LIST = "list"  # items: a list of strings (one string is one item)
    DATE = "date"
    YES_NO = "yes/no"
    AUTHOR = "author"
    RISKS = "risks"
    ASSURANCE = "assurance"
    CHOICE = "choice"  # one of a closed set of words; optional, with a default
    FIGURES = "figures"  # [[figures]]: an image file and its alt text, optional


class KeyIssuesList(enum.StrEnum):
    """Where the paper puts the computed list of key issues (``key_issues_list``)."""

    AFTER = "after"  # under Key Issues, after the officers' paragraphs (the default)
    APPENDIX = "appendix"  # at the start of Appendix A


# A choice item's allowed words; the first is the default.
CHOICES: Mapping[str, tuple[str, ...]] = {"key_issues_list": tuple(k.value for k in KeyIssuesList)}


@dataclass(frozen=True)
class Item:
    key: str
    label: str  # how the paper (and the placeholder) names it
    kind: Kind


# In the order of the paper; docs/report-file.md documents each key.
ITEMS: tuple[Item, ...] = (
    Item("committee", "Committee", Kind.LINE),
    Item("meeting_date", "Meeting or Proposed Decision Date", Kind.DATE),
    Item("key_decision", "Key Decision", Kind.YES_NO),
    Item("chair", "Chair of Committee", Kind.LINE),
    Item("executive_members", "Executive Member(s)", Kind.LINE),
    Item("local_members", "Local Member(s) and Division(s) affected", Kind.LINE),
    Item("executive_director", "Executive Director", Kind.LINE),
    Item("executive_summary", "Executive Summary", Kind.PROSE),
    Item("recommendations", "Recommendations", Kind.LIST),
    Item("reasons", "Reasons for Proposals", Kind.PROSE),
    Item("author", "Report Author and Contact Details", Kind.AUTHOR),
    Item("background", "Background and purpose of report", Kind.PROSE),
    Item("key_issues", "Key Issues Identified this Quarter (officer narrative)", Kind.PROSE),
    Item("key_issues_list", "Where the computed key issues go", Kind.CHOICE),
    Item("council_plan_links", "Links to Council Plan and Medium-Term Financial Plan", Kind.PROSE),
    Item("other_options", "Other options considered", Kind.PROSE),
    Item("key_considerations", "Key considerations", Kind.PROSE),
    Item("scrutiny", "Scrutiny comments / recommendations", Kind.PROSE),
    Item("consultation", "Consultation and feedback", Kind.PROSE),
    Item("financial", "Financial and Risk Implications", Kind.PROSE),
    Item("risks", "Risk scores", Kind.RISKS),
    Item("legal", "Legal and Procurement Implications", Kind.PROSE),
    Item("hr", "HR / Workforce Implications", Kind.PROSE),
    Item("equalities", "Equalities Implications", Kind.PROSE),
    Item("community_safety", "Community Safety Implications", Kind.PROSE),
    Item("climate", "Climate Change and Sustainability Implications", Kind.PROSE),
    Item("health_and_safety", "Health and Safety Implications", Kind.PROSE),
    Item("health_and_wellbeing", "Health and Wellbeing Implications", Kind.PROSE),
    Item("social_value", "Social Value", Kind.PROSE),
    Item("background_papers", "Background Papers", Kind.LIST),
    Item("appendices", "Appendices", Kind.LIST),
    Item("assurance", "Report assurance", Kind.ASSURANCE),
    Item("consulted", "Consulted", Kind.ASSURANCE),
    Item("figures", "Figures", Kind.FIGURES),
)
# Optional items: left out, they take their default and raise no placeholder warning.
OPTIONAL = frozenset({"key_issues_list", "consulted", "figures"})
# "n/a" as an assurance date: the check does not apply (shown as written).
NOT_APPLICABLE = "n/a"
ITEMS_BY_KEY: Mapping[str, Item] = {item.key: item for item in ITEMS}
# The items a figure may follow, and whose text may carry links.
PROSE_KEYS = tuple(item.key for item in ITEMS if item.kind in (Kind.PROSE, Kind.LIST))

AUTHOR_FIELDS = {
    "name": "report author's name",
    "job_title": "report author's job title",
    "email": "report author's email",
    "telephone": None,
}  # None: optional
RISK_FIELDS = ("description", "likelihood", "impact")
RISK_TABLES = {"current": "Current risk scores", "projected": "Projected risk scores"}
ASSURANCE_FIELDS = ("role", "name", "date")


def placeholder(label: str) -> str:
    """The visible text that stands in for a missing item."""
    return f"[To be completed: {label}]"


@dataclass(frozen=True)
class Author:
    name: str | None = None
    job_title: str | None = None
    email: str | None = None
    telephone: str | None = None


@dataclass(frozen=True)
class Risk:
    description: str
    score: RiskScore


@dataclass(frozen=True)
class Assurance:
    """A row of the Report assurance table: who checked the paper, and when."""

    role: str
    name: str | None  # several names are joined with line breaks, one name a line
    date: dt.date | str | None  # a date, NOT_APPLICABLE, or None when not filled in


@dataclass(frozen=True)
class ReportText:
    """A report file as read; ``None`` or an empty tuple is an item still to be completed."""

    values: Mapping[str, Any] = field(default_factory=dict)
    author: Author = Author()
    risks: Mapping[str, tuple[Risk, ...]] = field(default_factory=dict)
    assurance: tuple[Assurance, ...] = ()
    path: Path | None = None
    consulted: tuple[Assurance, ...] = ()
    figures: tuple[Figure, ...] = ()

    def __getitem__(self, key: str) -> Any:
        return self.values.get(key)


def paragraphs(text: str) -> tuple[str, ...]:
    """Blank lines separate paragraphs; single line breaks inside a paragraph are wrapping."""
    blocks = re.split(r"\n[ \t]*\n", text.strip().replace("\r\n", "\n"))
    return tuple(
        " ".join(line.strip() for line in block.splitlines()).strip()
        for block in blocks
        if block.strip()
    )


def _date(raw: object, file: Path, key: str) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, str):
        for pattern in ("%Y-%m-%d", "%d %B %Y", "%d %b %Y", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(raw.strip(), pattern).date()
            except ValueError:
                continue
    raise ConfigError(
        f'expected a date such as 2024-12-02 or "2 December 2024", got {raw!r}', file, key
    )


def _text(raw: object, file: Path, key: str) -> str | None:
    if not isinstance(raw, str):
        raise ConfigError(f"expected text in quotes, got {type(raw).__name__} {raw!r}", file, key)
    return " ".join(raw.split()) or None


def _strings(raw: object, file: Path, key: str) -> list[str]:
    if isinstance(raw, str):
        return [raw]
    if isinstance(raw, list) and all(isinstance(v, str) for v in raw):
        return list(raw)
    raise ConfigError("expected text, or a list of texts in [brackets]", file, key)


def _table(raw: object, file: Path, key: str, allowed: tuple[str, ...]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ConfigError("expected a table", file, key)
    for name in raw:
        if name not in allowed:
            raise ConfigError(
                f"unknown item. Allowed: {', '.join(allowed)}.", file, f"{key}.{name}"
            )
    return raw


def _rows(raw: object, file: Path, key: str) -> list[dict[str, Any]]:
    if not isinstance(raw, list) or not all(isinstance(r, dict) for r in raw):
        raise ConfigError(f"expected a list of tables, each written [[{key}]]", file, key)
    return raw


def _risks(raw: object, file: Path) -> dict[str, tuple[Risk, ...]]:
    table = _table(raw, file, "risks", tuple(RISK_TABLES))
    risks: dict[str, tuple[Risk, ...]] = {}
    for name, rows in table.items():
        parsed = []
        for number, row in enumerate(_rows(rows, file, f"risks.{name}"), start=1):
            where = f"risks.{name}[{number}]"
            _table(row, file, where, RISK_FIELDS)
            missing = [f for f in RISK_FIELDS if f not in row]
            if missing:
                raise ConfigError(f"needs {', '.join(missing)}", file, where)
            try:
                score = RiskScore(row["likelihood"], row["impact"])
            except ValueError as exc:
                raise ConfigError(str(exc), file, where) from None
            parsed.append(
                Risk(_text(row["description"], file, f"{where}.description") or "", score)
            )
        risks[name] = tuple(parsed)
    return risks


def _names(raw: object, file: Path, key: str) -> str | None:
    """One name, or several in [brackets]: one a line in the cell."""
    names = [_text(name, file, key) for name in _strings(raw, file, key)]
    return "\n".join(name for name in names if name) or None


def _assurance_date(raw: object, file: Path, key: str) -> dt.date | str | None:
    if raw == "":
        return None
    if isinstance(raw, str) and raw.strip().casefold() == NOT_APPLICABLE:
        return NOT_APPLICABLE
    return _date(raw, file, key)


def _assurance(raw: object, file: Path, key: str = "assurance") -> tuple[Assurance, ...]:
    rows = []
    for number, row in enumerate(_rows(raw, file, key), start=1):
        where = f"{key}[{number}]"
        _table(row, file, where, ASSURANCE_FIELDS)
        role = _text(row.get("role", ""), file, f"{where}.role")
        if role is None:
            raise ConfigError('needs a role, e.g. "Monitoring Officer"', file, f"{where}.role")
        name = _names(row["name"], file, f"{where}.name") if "name" in row else None
        date = _assurance_date(row.get("date", ""), file, f"{where}.date")
        rows.append(Assurance(role, name, date))
    return tuple(rows)


def _value(item: Item, raw: object, file: Path) -> Any:
    key = item.key
    if item.kind is Kind.LINE:
        return _text(raw, file, key)
    if item.kind is Kind.DATE:
        return None if raw == "" else _date(raw, file, key)
    if item.kind is Kind.YES_NO:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().casefold() in ("yes", "no", ""):
            return {"yes": True, "no": False}.get(raw.strip().casefold())
        raise ConfigError(f'expected true/false or "Yes"/"No", got {raw!r}', file, key)
    if item.kind is Kind.PROSE:
        return tuple(p for text in _strings(raw, file, key) for p in paragraphs(text))
    if item.kind is Kind.LIST:
        return tuple(" ".join(v.split()) for v in _strings(raw, file, key) if v.strip())
    if item.kind is Kind.CHOICE:
        allowed = CHOICES[key]
        word = raw.strip().casefold() if isinstance(raw, str) else raw
        if word not in allowed:
            raise ConfigError(
                f"expected one of {', '.join(repr(a) for a in allowed)}, got {raw!r}", file, key
            )
        return word
    raise AssertionError(item.kind)  # tables are read by their own functions


def parse_report(
    data: Mapping[str, Any],
    file: Path,
    display: str | None = None,
) -> tuple[ReportText, tuple[Finding, ...]]:
    """Turn a parsed report file into ReportText, with a ``placeholder`` warning per missing item."""
    for key in data:
        if key not in ITEMS_BY_KEY:
            raise ConfigError(f"unknown item. Allowed: {', '.join(ITEMS_BY_KEY)}.", file, key)
    values: dict[str, Any] = {}
    author = Author()
    risks: dict[str, tuple[Risk, ...]] = {}
    tables: dict[str, tuple[Assurance, ...]] = {}
    figures: tuple[Figure, ...] = ()
    where = display or file.name
    found: list[Finding] = []
    for item in ITEMS:
        if item.key not in data:
            continue
        raw = data[item.key]
        if item.kind is Kind.AUTHOR:
            table = _table(raw, file, "author", tuple(AUTHOR_FIELDS))
            author = Author(**{k: _text(v, file, f"author.{k}") for k, v in table.items()})
        elif item.kind is Kind.RISKS:
            risks = _risks(raw, file)
        elif item.kind is Kind.ASSURANCE:
            tables[item.key] = _assurance(raw, file, item.key)
        elif item.kind is Kind.FIGURES:
            figures, figure_findings = parse_figures(raw, file, where, PROSE_KEYS)
            found += figure_findings
        else:
            values[item.key] = _value(item, raw, file)
            if item.kind in (Kind.PROSE, Kind.LIST):
                found += link_findings(values[item.key], where, item.key)
    report = ReportText(
        values,
        author,
        risks,
        tables.get("assurance", ()),
        file,
        consulted=tables.get("consulted", ()),
        figures=figures,
    )
    return report, (*_placeholders(report, where), *found)


def _placeholders(report: ReportText, where: str) -> list[Finding]:
    labels: list[tuple[str, str]] = []
    for item in ITEMS:
        if item.kind is Kind.AUTHOR:
            labels += [
                (f"author.{k}", label)
                for k, label in AUTHOR_FIELDS.items()
                if label and getattr(report.author, k) is None
            ]
        elif item.kind is Kind.RISKS:
            labels += [
                (f"risks.{k}", label) for k, label in RISK_TABLES.items() if not report.risks.get(k)
            ]
        elif item.kind is Kind.ASSURANCE:
            rows = report.assurance if item.key == "assurance" else report.consulted
            if not rows and item.key not in OPTIONAL:
                labels.append((item.key, item.label))
            for number, row in enumerate(rows, start=1):
                labels += [
                    (f"{item.key}[{number}].{k}", f"{row.role} {k}")
                    for k in ("name", "date")
                    if getattr(row, k) is None
                ]
        elif report[item.key] in (None, ()) and item.key not in OPTIONAL:
            labels.append((item.key, item.label))
    return [
        finding(
            "placeholder",
            file=where,
            value=key,
            problem=f"{label} is not filled in",
            extent=EXTENT_PAPER,
            shown=placeholder(label),
            action=f"Add '{key}' to {where}",
            otherwise=OR_IN_WORD,
        )
        for key, label in labels
    ]


def load_report(path: Path, display: str | None = None) -> tuple[ReportText, tuple[Finding, ...]]:
    """Read a report file; a file that does not exist gives every placeholder and one warning."""
    where = display or path.name
    if not path.exists():
        report = ReportText(path=path)
        return report, (
            finding(
                "placeholder",
                file=where,
                problem=f"There is no report file {where}",
                extent=EXTENT_EVERY_SECTION,
                shown=placeholder("…"),
                action=ACTION_CREATE,
                otherwise="",
            ),
        )
    return parse_report(read_toml(path), path, where)


def read_report(project: Project, period: Period) -> tuple[ReportText, tuple[Finding, ...]]:
    """The project's report file for ``period`` (``[paths] report``)."""
    path = project.report_path(period)
    return load_report(path, project.display(path))
