"""The report file `perfreport init` writes: every item commented out, with an example."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from perfreport.core.periods import Period
from perfreport.forms.settings_file import comment_lines, toml_value

if TYPE_CHECKING:
    from perfreport.inputs.report_file import Item

# Example wording for the report file's prose and list items, in the style of a real paper.
_PROSE_EXAMPLES = {
    "executive_summary": "This report sets out the council's performance against the Council "
    "Plan for the quarter.",
    "reasons": "To give the committee an overview of performance and of the actions being taken.",
    "background": "The council reports its performance against the Council Plan every quarter.",
    "key_issues": "The measures rated Red this quarter are set out below, with the actions being "
    "taken.",
    "council_plan_links": "The indicators in this report measure progress on the Council Plan.",
    "other_options": "None.",
    "key_considerations": "None.",
    "scrutiny": "None.",
    "consultation": "Services have provided the figures and commentary in this report.",
    "financial": "There are no financial implications arising directly from this report.",
    "hr": "There are no HR or workforce implications arising directly from this report.",
    "recommendations": "That the committee notes the council's performance in the quarter.",
    "background_papers": "None.",
}
# A list item's example: its items, one TOML string each.
_LIST_EXAMPLES = {
    "appendices": (
        "Appendix A: performance indicators by Council Plan priority.",
        "Appendix B: exception report.",
        "Appendix C: definitions and abbreviations.",
    ),
}
_LINE_EXAMPLES = {
    "committee": "Scrutiny Committee - Corporate and Resources",
    "chair": "Councillor A. Member",
    "executive_members": "Councillor B. Member, Lead Member for Resources",
    "local_members": "All",
    "executive_director": "C. Officer, Executive Director of Resources",
}
_NONE_ARISING = "There are no {} implications arising directly from this report."


def _example(item: Item, period: Period) -> list[str]:
    """The commented-out example line(s) of one report item."""
    from perfreport.inputs.report_file import (
        ASSURANCE_FIELDS,
        AUTHOR_FIELDS,
        CHOICES,
        RISK_TABLES,
        Kind,
    )

    key, kind, label = item.key, item.kind, item.label
    meeting = period.end_date + dt.timedelta(days=66)
    if kind == Kind.LINE:
        return [f"{key} = {toml_value(_LINE_EXAMPLES.get(key, ''))}"]
    if kind == Kind.DATE:
        return [f"{key} = {meeting.isoformat()}"]
    if kind == Kind.YES_NO:
        return [f"{key} = false"]
    if kind == Kind.PROSE:
        implications = label.split(" (")[0].removesuffix(" Implications").lower()
        text = _PROSE_EXAMPLES.get(key, _NONE_ARISING.format(implications))
        return [f"{key} = [{toml_value(text)}]"]
    if kind == Kind.LIST:
        items = _LIST_EXAMPLES.get(key) or (_PROSE_EXAMPLES.get(key, "The first item."),)
        return [f"{key} = [{', '.join(toml_value(item) for item in items)}]"]
    if kind == Kind.AUTHOR:
        examples = {
            "name": "A. Officer",
            "job_title": "Performance Manager",
            "email": "performance@example.gov.uk",
            "telephone": "01234 567890",
        }
        return [
            f"[{key}]",
            *(f"{name} = {toml_value(examples.get(name, ''))}" for name in AUTHOR_FIELDS),
        ]
    if kind == Kind.RISKS:
        lines = []
        for table in RISK_TABLES:
            lines += [
                f"[[{key}.{table}]]",
                'description = "Describe the risk"',
                "likelihood = 3",
                "impact = 4",
            ]
        return lines
    if kind == Kind.CHOICE:
        return [f"{key} = {toml_value(CHOICES[key][0])}"]
    if kind == Kind.FIGURES:
        return [
            f"[[{key}]]",
            'image = "diagram.png"',
            'alt = "What the diagram shows, in a sentence or two"',
            'after = "council_plan_links"',
        ]
    if kind == Kind.ASSURANCE:
        values = {
            "role": '"Monitoring Officer"' if key == "assurance" else '"Local Members"',
            "name": '"B. Officer"',
            "date": (meeting - dt.timedelta(days=14)).isoformat(),
        }
        return [f"[[{key}]]", *(f"{name} = {values[name]}" for name in ASSURANCE_FIELDS)]
    raise ValueError(f"no example for report item kind {kind!r}")


def report_skeleton(period: Period) -> str:
    """reports/<period>.toml with every item commented out: it loads, and every item shows as
    "[To be completed: ...]" until an officer fills it in."""
    from perfreport.inputs.report_file import ITEMS, Kind

    lines = [
        *comment_lines(
            f"The wording of the {period.label} committee paper ({period.months_label}). "
            "perfreport works out the figures, ratings and movement; this file holds the "
            "meeting facts and what officers write. Every item is optional: one left out "
            "appears in the paper as \"[To be completed: ...]\", and 'perfreport build' "
            "warns about it. Remove the # in front of an item's line(s) to use it. Text "
            'goes in "quotes"; paragraphs or list items go in ["brackets", "like '
            'this"]. docs/report-file.md explains every item.'
        ),
        "",
    ]
    # TOML tables ([author], [[risks...]]) must follow the plain items, whatever the paper's order.
    tables = (Kind.AUTHOR, Kind.RISKS, Kind.ASSURANCE, Kind.FIGURES)
    for item in (
        *(i for i in ITEMS if i.kind not in tables),
        *(i for i in ITEMS if i.kind in tables),
    ):
        lines += [f"# {item.label}", *(f"# {line}" for line in _example(item, period)), ""]
    return "\n".join(lines)
