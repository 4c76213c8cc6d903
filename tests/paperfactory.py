"""A small, realistic template context for the paper, built in code (two priorities, seven indicators)."""

from __future__ import annotations

import copy
import struct
import zlib
from pathlib import Path
from typing import Any

from perfreport.core.formatting import (
    NOT_RATED,
    count_line,
    format_target,
    format_value,
    not_due_label,
    rag_fill,
)
from perfreport.core.model import RAG, Frequency
from perfreport.core.periods import Period
from perfreport.inputs.report_file import parse_report
from perfreport.paper.cover import make_cover
from perfreport.paper.layout import APPENDIX_WIDTHS_MM, VERY_TALL_ROW_LINES, is_tall
from perfreport.paper.model_context import template_context

PERIOD = Period(2024, 2)
COUNCIL = "Somerset Council"
REPORT_TITLE = "Corporate Performance Management Report"
# The council tax measure's billions are shown compact (£1,234.6m), as the catalogue's display
# "compact" chooses; only money has a compact form, so every other unit is unaffected.
_COMPACT = True
NO_KEY_ISSUES = (
    "No indicator with a new figure this quarter became Red, stayed Red or improved to Green."
)

REPORT = {
    "committee": "Executive",
    "meeting_date": "2024-12-02",
    "key_decision": False,
    "chair": "Cllr Alys Penrose, Leader of the Council",
    "executive_members": "Cllr Tomas Whitcombe, Lead Member for Resources and Performance",
    "local_members": "All",
    "executive_director": "Harriet Mallory, Executive Director of Resources",
    "executive_summary": "This report sets out the Council's performance for Quarter 2.\n\n"
    "More measures are Green than last quarter.",
    "recommendations": [
        "The Executive agrees to review the Council's performance for Quarter 2 "
        "2024/25 and notes the areas of improvement and those requiring focus."
    ],
    "reasons": "To keep the Executive informed of performance against the Council Plan.",
    "author": {
        "name": "Owen Trelawny",
        "job_title": "Performance Manager",
        "email": "performance@example.gov.uk",
        "telephone": "01234 567890",
    },
    "background": "The Council reports performance to the Executive every quarter.",
    "key_issues": "Officers are reviewing the fostering recruitment campaign.",
    "council_plan_links": "The indicators are grouped by the priorities of the Council Plan.",
    "other_options": "None: quarterly reporting is part of the performance framework.",
    "key_considerations": "Some annual measures are not due this quarter.",
    "scrutiny": "Scrutiny Committee – Corporate and Resources will consider this report.",
    "consultation": "Each directorate's management team has reviewed its figures.",
    "financial": "There are no direct financial implications.",
    "risks": {
        "current": [
            {
                "description": "Decisions are made on out-of-date performance information",
                "likelihood": 3,
                "impact": 4,
            }
        ],
        "projected": [
            {
                "description": "Decisions are made on out-of-date performance information",
                "likelihood": 2,
                "impact": 4,
            }
        ],
    },
    "legal": "There are no legal implications.",
    "hr": "Sickness absence is reported in Appendix A.",
    "equalities": "There are no equalities implications arising directly from this report.",
    "community_safety": "None.",
    "climate": "Measures for the greener Somerset priority are in Appendix A.",
    "health_and_safety": "None.",
    "health_and_wellbeing": "Adult social care and public health measures are in Appendix A.",
    "social_value": "None.",
    "background_papers": ["Council Plan 2023-2027"],
    "appendices": ["Appendix A – Performance indicators Q2 2024/25"],
    "assurance": [
        {"role": "Monitoring Officer", "name": "Priya Lanyon", "date": "2024-11-18"},
        {"role": "Section 151 Officer", "name": "Gareth Coombe", "date": "2024-11-19"},
    ],
}

# (priority, ref, measure, unit, decimals, good is, previous, current, last year, target, rag,
#  direction, commentary); current None with a frequency is "not due", without one "no data".
INDICATORS: list[tuple[Any, ...]] = [
    (
        "A healthy and caring Somerset",
        "ASC-01",
        "Adult social care assessments completed within 28 days",
        "%",
        1,
        "Higher",
        78.4,
        85.2,
        80.1,
        85.0,
        RAG.GREEN,
        "Improved ↑",
        "Additional assessors have cleared the backlog.",
    ),
    (
        "A healthy and caring Somerset",
        "ASC-04",
        "Permanent admissions to residential care (65+)",
        "per 100,000",
        1,
        "Lower",
        512.3,
        560.8,
        530.2,
        500.0,
        RAG.RED,
        "Worsened ↓",
        "Hospital discharge pressures.\nActions: weekly review of placements.",
    ),
    (
        "A healthy and caring Somerset",
        "CHS-02",
        "Foster carers recruited",
        "number",
        0,
        "Higher",
        20,
        24,
        22,
        26,
        RAG.AMBER,
        "Improved ↑",
        "Recruitment campaign launched in August.",
    ),
    (
        "A healthy and caring Somerset",
        "CHS-07",
        "Re-referrals to children's social care within 12 months",
        "%",
        1,
        "Lower",
        21.5,
        None,
        23.0,
        20.0,
        None,
        "Not comparable",
        "Figures delayed by the system migration.",
    ),
    (
        "A flourishing and resilient Somerset",
        "FIN-01",
        "Council tax collected",
        "£",
        0,
        "Higher",
        98_400_000,
        1_234_567_000,
        1_180_000_000,
        1_200_000_000,
        RAG.GREEN,
        "Improved ↑",
        "",
    ),
    (
        "A flourishing and resilient Somerset",
        "CUS-05",
        "Residents satisfied with the Council",
        "%",
        0,
        "Higher",
        None,
        Frequency.ANNUAL,
        61.0,
        65.0,
        None,
        "Not due",
        "The survey runs in Q4.",
    ),
    (
        "A flourishing and resilient Somerset",
        "CUS-02",
        "Average time to respond to FOI requests",
        "days",
        1,
        "Lower",
        14.0,
        12.5,
        13.1,
        12.0,
        RAG.AMBER,
        "Improved ↑",
        "Slightly above the 12-day target.",
    ),
]


def indicator_row(spec: tuple[Any, ...]) -> dict[str, str]:
    (
        _,
        ref,
        measure,
        unit,
        decimals,
        good_is,
        previous,
        current,
        last_year,
        target,
        rag,
        direction,
        commentary,
    ) = spec
    if isinstance(current, Frequency):
        shown = not_due_label(current, [4])
    else:
        shown = format_value(current, unit, decimals, compact=_COMPACT)
    row = {
        "ref": ref,
        "measure": measure,
        "good_is": good_is,
        "previous": format_value(previous, unit, decimals, compact=_COMPACT),
        "current": shown,
        "last_year": format_value(last_year, unit, decimals, compact=_COMPACT),
        "target": format_target(target, unit, decimals, compact=_COMPACT),
        "rag": rag.word if rag is not None else NOT_RATED,
        "rag_fill": rag_fill(rag),
        "direction": direction,
        "commentary": commentary or "No commentary given.",
        # Empty, as for a catalogue with no lead officers and no previous ratings or forecasts;
        # tests of those fields fill them in.
        "rag_previous": "",
        "forecast": "",
        "owner": "",
        "benchmarks": [],  # no benchmarks.csv: test_benchmarks builds the example's
    }
    cells = {k: v for k, v in row.items() if k in APPENDIX_WIDTHS_MM}
    return row | {
        "may_split": "yes" if is_tall(cells) else "",
        "very_tall": "yes" if is_tall(cells, VERY_TALL_ROW_LINES) else "",
        "trend": "",
        "trend_chart": "",
    }


def _counts(specs: list[tuple[Any, ...]]) -> dict[RAG, int]:
    return {r: sum(1 for s in specs if s[10] is r) for r in RAG}


def _count_row(name: str, specs: list[tuple[Any, ...]]) -> dict[str, str]:
    now = _counts(specs)
    # Last quarter's ratings, for the table: one more Amber and one fewer Green than now.
    before = {
        RAG.GREEN: max(now[RAG.GREEN] - 1, 0),
        RAG.AMBER: now[RAG.AMBER] + 1,
        RAG.RED: now[RAG.RED],
    }
    row = {"group": name}
    for rag in RAG:
        row[f"{rag.value}_previous"] = str(before[rag])
        row[f"{rag.value}_current"] = str(now[rag])
    return row


def _figures(spec: tuple[Any, ...]) -> str:
    unit, decimals = spec[3], spec[4]
    return (
        f"{format_value(spec[7], unit, decimals, compact=_COMPACT)} against a target of "
        f"{format_target(spec[9], unit, decimals, compact=_COMPACT)}"
    )


def _key_issues(specs: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    """Per priority that has any: its Red measures, then its Green ones (as if improved)."""
    groups = []
    for priority in dict.fromkeys(s[0] for s in specs):
        mine = [s for s in specs if s[0] == priority]
        issues = [
            f"{s[1]} {s[2]} is Red this quarter: {_figures(s)}." for s in mine if s[10] is RAG.RED
        ]
        issues += [
            f"{s[1]} {s[2]} improved to Green: {_figures(s)}." for s in mine if s[10] is RAG.GREEN
        ]
        if issues:
            groups.append({"name": priority, "issues": issues})
    return groups


def make_context(indicators: list[tuple[Any, ...]] | None = None, **overrides: Any) -> dict:
    """The full template context; ``overrides`` replace top-level keys."""
    specs = INDICATORS if indicators is None else indicators
    report, _ = parse_report(copy.deepcopy(REPORT), Path("reports/Q2-2024.toml"))
    cover = make_cover(report, council=COUNCIL, report_title=REPORT_TITLE, period=PERIOD)
    context = template_context(cover)
    priorities = list(dict.fromkeys(s[0] for s in specs))
    counts = _counts(specs)
    rated = sum(counts.values())
    context["summary"] = {
        "headline": [
            f"Of the {len(specs)} indicators reported this quarter, {rated} are rated: "
            f"{counts[RAG.GREEN]} Green, {counts[RAG.AMBER]} Amber and "
            f"{counts[RAG.RED]} Red."
        ],
        "movement": ["Compared with Q1 2024/25, one more measure is Green and one fewer Amber."],
        "previous_label": "Q1",
        "current_label": "Q2",
        "rag_rows": [_count_row(p, [s for s in specs if s[0] == p]) for p in priorities],
        "rag_total": _count_row("All priorities", specs),
        # No charts in the factory's papers: test_paper_charts builds the example's.
        "rag_chart": "",
        "rag_chart_alt": "",
        "history_sentence": "",
        "history_chart": "",
        "forecast": ["Services gave a year-end forecast for 2 of the 5 rated indicators."],
        "benchmarks": [],
    }
    context["grouping"] = {"label": "Priority", "noun": "priority", "plural": "priorities"}
    context["key_issues"] = _key_issues(specs)
    context["key_issues_none"] = "" if context["key_issues"] else NO_KEY_ISSUES
    context["appendix"] = {
        "title": f"Appendix A: Performance indicators {PERIOD.label}",
        "notes": [
            "RAG is shown as a word: Green is on or better than target, Amber is within "
            "tolerance, Red is outside it."
        ],
        "key_issues": [],
        "groups": [
            {
                "name": p,
                "count_line": count_line(
                    sum(1 for s in specs if s[0] == p), _counts([s for s in specs if s[0] == p])
                ),
                "indicators": [indicator_row(s) for s in specs if s[0] == p],
            }
            for p in priorities
        ],
    }
    context["exceptions"] = _exceptions(specs)
    context["definitions"] = _definitions(specs, priorities)
    context.update(overrides)
    return context


def _definitions(specs: list[tuple[Any, ...]], priorities: list[str]) -> dict[str, Any]:
    """Appendix C: each measure of Appendix A, grouped as it is; no glossary."""

    def entry(spec: tuple[Any, ...]) -> dict[str, str]:
        row = indicator_row(spec)
        return {
            "ref": row["ref"],
            "title": row["measure"],
            "definition": "No definition given.",
            "source": "",
            "unit": spec[3],
            "polarity": f"Good is {row['good_is'].lower()}",
            "frequency": "Quarterly",
            "target": row["target"],
        }

    return {
        "title": "Appendix C: Definitions",
        "notes": ["This appendix defines each indicator in Appendix A, in the same order."],
        "groups": [
            {"name": p, "entries": [entry(s) for s in specs if s[0] == p]} for p in priorities
        ],
        "abbreviations": [],
    }


def _exceptions(specs: list[tuple[Any, ...]]) -> dict[str, Any]:
    """Appendix B: the Red measures, numbered B1, B2 … in Appendix A's order."""
    reds = [s for s in specs if s[10] is RAG.RED]
    entries = []
    for number, spec in enumerate(reds, start=1):
        row = indicator_row(spec)
        entries.append(
            {
                "paragraph": f"B{number}",
                "ref": row["ref"],
                "measure": row["measure"],
                "group": spec[0],
                "reason": "Red this quarter",
                "current": row["current"],
                "target": row["target"],
                "rag": row["rag"],
                "rag_fill": row["rag_fill"],
                "rag_previous": row["rag_previous"],
                "direction": row["direction"],
                "forecast": "Amber",
                "commentary": row["commentary"],
                "actions": "No actions given.",
                "owner": row["owner"],
                "benchmarks": row["benchmarks"],
            }
        )
    return {
        "title": f"Appendix B: Exception report {PERIOD.label}",
        "group_label": "Priority",
        "notes": ["This appendix lists every indicator rated Red this quarter."],
        "entries": entries,
        "none": "" if entries else "No indicator is Red this quarter.",
    }


def tiny_png(width: int, height: int, shade: int) -> bytes:
    """A tiny grey PNG: enough for python-docx to read its size and type."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    raw = b"".join(b"\0" + bytes([shade]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def template_with(tmp_path: Path, text: str) -> Path:
    """A Word template whose body is one paragraph of ``text``."""
    import docx

    document = docx.Document()
    document.add_paragraph(text)
    path = tmp_path / "template.docx"
    document.save(str(path))
    return path
