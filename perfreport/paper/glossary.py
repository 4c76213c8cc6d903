"""Abbreviations written out in full where the paper first uses them, in reading order."""

from __future__ import annotations

import dataclasses
import re

from perfreport.core.glossary import Glossary, explained_in_place
from perfreport.paper.model import Appendix, ExceptionReport, KeyIssueGroup, Paper
from perfreport.paper.model_definitions import Definitions


class FirstUse:
    """Expands each abbreviation of the glossary the first time a text given to it uses it:
    "Education, Health and Care Plan (EHCP)"; later uses stay "EHCP". Whole words only,
    case-sensitive. An abbreviation already in brackets, "not in education, employment or
    training (NEET)", is explained where it stands, so it counts as the first use unchanged."""

    def __init__(self, glossary: Glossary):
        self.expansions = glossary.expansions
        self.used: set[str] = set()
        # Longest first, so that of two abbreviations where one starts the other both are found.
        names = sorted(self.expansions, key=lambda a: (-len(a), a))
        self.pattern = (
            re.compile("(?<![A-Za-z0-9])(" + "|".join(map(re.escape, names)) + ")(?![A-Za-z0-9])")
            if names
            else None
        )

    def __call__(self, text: str) -> str:
        if self.pattern is None or not text:
            return text
        return self.pattern.sub(lambda match: self._expanded(match, text), text)

    def _expanded(self, match: re.Match[str], text: str) -> str:
        abbreviation = match.group(1)
        if abbreviation in self.used:
            return abbreviation
        self.used.add(abbreviation)
        if explained_in_place(text, match.start(), match.end()):
            return abbreviation
        return f"{self.expansions[abbreviation]} ({abbreviation})"


def _issues(groups: tuple[KeyIssueGroup, ...], expand: FirstUse) -> tuple[KeyIssueGroup, ...]:
    return tuple(dataclasses.replace(g, issues=tuple(expand(i) for i in g.issues)) for g in groups)


def _appendix(appendix: Appendix, expand: FirstUse) -> Appendix:
    issues = _issues(appendix.key_issues, expand)  # before the tables, when they are here
    groups = tuple(
        dataclasses.replace(
            g,
            indicators=tuple(
                dataclasses.replace(row, measure=expand(row.measure)) for row in g.indicators
            ),
        )
        for g in appendix.groups
    )
    return dataclasses.replace(appendix, key_issues=issues, groups=groups)


def _exceptions(report: ExceptionReport, expand: FirstUse) -> ExceptionReport:
    entries = tuple(dataclasses.replace(e, measure=expand(e.measure)) for e in report.entries)
    return dataclasses.replace(report, entries=entries)


def _definitions(definitions: Definitions, expand: FirstUse) -> Definitions:
    groups = tuple(
        dataclasses.replace(
            group,
            entries=tuple(
                dataclasses.replace(e, title=expand(e.title), definition=expand(e.definition))
                for e in group.entries
            ),
        )
        for group in definitions.groups
    )
    return dataclasses.replace(definitions, groups=groups)


def expand_first_uses(paper: Paper, glossary: Glossary) -> Paper:
    """The paper with each abbreviation of ``glossary`` written out at its first use, in the order
    the default template reads: the Key Issues, Appendix A (its key issues, then its tables),
    Appendix B and Appendix C (each title, then its definition). Texts perfreport writes only:
    the officers' prose and the services' commentary are shown as written."""
    if not glossary:
        return paper
    expand = FirstUse(glossary)
    # Each keyword argument is evaluated in turn: the order below is the reading order.
    key_issues = _issues(paper.key_issues, expand)
    appendix = _appendix(paper.appendix, expand)
    exceptions = _exceptions(paper.exceptions, expand)
    definitions = _definitions(paper.definitions, expand)
    return dataclasses.replace(
        paper,
        key_issues=key_issues,
        appendix=appendix,
        exceptions=exceptions,
        definitions=definitions,
    )
