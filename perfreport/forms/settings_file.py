"""perfreport.toml as `perfreport init` writes it: every setting, explained, at its default."""

from __future__ import annotations

import json
import textwrap

from perfreport.core.paper_settings import PaperSettings
from perfreport.core.project import (
    BenchmarkSettings,
    LimitSettings,
    PathSettings,
    PerformanceSettings,
    RatingSettings,
    ReturnsSettings,
    ValidationSettings,
)

# The optional settings, in the order perfreport.toml lists them, each with the comment that
# explains it. tests/test_scaffold.py checks that every setting perfreport.toml accepts is here.
SETTING_COMMENTS: dict[str, tuple[type, dict[str, str]]] = {
    "rating": (
        RatingSettings,
        {
            "amber_tolerance": "How far on the wrong side of its target an indicator may be and still "
            "be Amber rather than Red, when the catalogue's Amber column is "
            'empty: a percentage of the target ("5%") or an amount (2.5). With a zero '
            "target a percentage gives no Amber band.",
            "no_change_band": "A change smaller than this (a percentage or an amount, as above) is "
            '"No change" in the direction of travel.',
            "long_term": 'The long-term direction of travel: "year" compares with the same '
            'quarter last year; "trend" follows the line through the last trend_points figures.',
            "trend_points": 'How many figures the "trend" direction looks at (3 to 20).',
        },
    ),
    "validation": (
        ValidationSettings,
        {
            "commentary_word_limit": "Commentary longer than this many words gets a warning.",
            "implausible_factor": "A value more than this many times its target, or less than the "
            "target divided by it, gets a warning.",
        },
    ),
    "paths": (
        PathSettings,
        {
            "catalogue": "The indicator catalogue (catalogue.xlsx, or catalogue.csv).",
            "returns": "Where you save the returns that services send back, one folder per quarter.",
            "report": "The paper's wording and meeting facts for each quarter.",
            "build": "Where 'perfreport build' writes the paper.",
            "template": "Your own Word template for the paper; empty means perfreport's built-in one.",
            "html_template": "Your own template for the paper's web page; empty means "
            "perfreport's built-in one.",
            "forms": "Where 'perfreport returns' writes the blank return workbooks to send to "
            "services.",
            "history": "Where 'perfreport history import' keeps past figures, one folder per "
            "quarter.",
        },
    ),
    "limits": (
        LimitSettings,
        {
            "max_file_bytes": "The largest return file that is read, in bytes.",
            "max_zip_members": "The most parts one workbook file may hold.",
            "max_uncompressed_bytes": "The largest a workbook may be once unzipped, in bytes.",
            "max_compression_ratio": "The highest compression ratio of any part (zip bombs compress "
            "far better than real workbooks).",
            "max_sheet_cells": "The largest sheet area (rows x columns) that is read.",
            "max_cell_chars": "The longest text in one cell (Excel's own limit is 32,767).",
            "max_catalogue_rows": "The most indicators (rows) the catalogue may hold.",
            "parse_timeout_seconds": "How long reading one workbook may take before it is reported "
            "and skipped.",
            "parse_memory_mb": "How much memory reading one workbook may use, in MB (where the "
            "system allows a limit).",
            "isolate": "Read each workbook in a separate worker process with the limits above, so "
            "that one damaged or hostile file cannot stop the run (keep this on).",
        },
    ),
    "performance": (
        PerformanceSettings,
        {
            "cache": "Keep the returns already read in build/.cache, so that checking them again is "
            "quick. Entries are keyed by the file's content and the catalogue, so a changed "
            "file is always read afresh.",
            "workers": "How many worker processes read returns at once; 0 means one per processor "
            "core.",
        },
    ),
    "paper": (
        PaperSettings,
        {
            "exceptions_green_to_amber": "Appendix B, the exception report, lists every Red "
            "indicator; true also lists those that went from Green to Amber this quarter.",
            "exceptions_worsening": "True also lists in Appendix B those worse than the quarter "
            "before for two quarters running.",
            "charts": "Draw a trend chart for each indicator in Appendix A and two summary "
            "charts; false for a template with no room for them.",
            "group_by": 'What Appendix A, the RAG table and the key issues are grouped by: "priority" '
            '(the [[priorities]] above), "directorate" (the catalogue\'s Directorate column, in '
            'the order of [[directorates]] when listed) or "service".',
        },
    ),
    "benchmarks": (
        BenchmarkSettings,
        {
            "similar_band": "A figure this close to its benchmark (benchmarks.csv) is Similar "
            'rather than Better or Worse: a percentage of the benchmark ("5%") or an amount in '
            "the measure's unit (2.5).",
        },
    ),
    "returns": (
        ReturnsSettings,
        {
            "deadline": "Printed on the Instructions sheet of every return workbook, e.g. "
            '"Friday 18 October 2024".',
            "contact": "Who services should ask about their return, e.g. "
            '"Performance Team, performance@example.gov.uk".',
        },
    ),
}

_SECTION_INTROS = {
    "rating": "How indicators are rated Red, Amber or Green.",
    "validation": "How returns are checked.",
    "performance": "Speed. Neither setting changes any result.",
    "paths": "Where the project's files are, relative to this folder. {period} becomes the "
    "quarter, e.g. Q2-2024.",
    "limits": "Safety limits applied before a return is read (see the security documentation). "
    "The defaults suit real returns; raise one only if a genuine return is refused.",
    "paper": "What the committee paper's exception report (Appendix B) lists, whether it draws "
    "charts, and how it groups the indicators.",
    "benchmarks": "How a figure is compared with its benchmark, when the project folder has a "
    "benchmarks.csv or benchmarks.xlsx (England medians and the like).",
    "returns": "Shown to services in the return workbooks that 'perfreport returns' writes.",
}

GLOSSARY_INTRO = (
    "The glossary: abbreviations the paper writes out in full where it first uses them (Education, "
    "Health and Care Plan (EHCP)) and lists at the end of Appendix C. One line each: the "
    "abbreviation, then what it stands for. Remove the # in front of [glossary] and of each line "
    "you keep."
)
GLOSSARY_EXAMPLE = (
    "[glossary]",
    'EHCP = "Education, Health and Care Plan"',
    'NEET = "not in education, employment or training"',
)

PRIORITIES = (
    ("greener", "A greener, more sustainable place", False),
    ("healthy", "A healthy and caring community", False),
    ("council", "A financially sustainable and resilient council", True),
)


def toml_value(value: object) -> str:
    """``value`` as perfreport.toml writes it: a TOML boolean, number or basic string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a valid TOML basic string
    if isinstance(value, tuple):
        return json.dumps(list(value), ensure_ascii=False)  # a TOML array of strings
    # Tolerance: a percentage is written as text, an amount as a number.
    text = str(value)
    return json.dumps(text) if text.endswith("%") else text


def comment_lines(text: str) -> list[str]:
    """``text`` wrapped as TOML comment lines."""
    return ["# " + line for line in textwrap.wrap(text, width=96)]


def config_text(council: str) -> str:
    """perfreport.toml with every setting explained; optional ones commented out at default."""
    lines = [
        "# perfreport.toml: the settings of this performance project.",
        "# Lines starting with # are comments. A setting that is commented out has the default "
        "shown;",
        "# remove the # in front of it to change it.",
        "",
        "[council]",
        "# The council's name, as the paper's cover shows it (required).",
        f"name = {toml_value(council)}",
        "",
        "[report]",
        '# The paper\'s title; the quarter is added after it ("... Q2 2024/25").',
        'title = "Corporate Performance Management Report"',
        "",
        "# The Council Plan priorities, in the order the paper reports them (at least one).",
        "# key: a short name for the catalogue's Priority column; name: the priority as the paper",
        "# names it; supporting = true marks a supporting priority (default false).",
    ]
    for key, name, supporting in PRIORITIES:
        lines += ["[[priorities]]", f"key = {toml_value(key)}", f"name = {toml_value(name)}"]
        if supporting:
            lines.append("supporting = true")
        lines.append("")
    lines += [
        "# Optional: the directorates, in the order the paper reports them when [paper] group_by",
        '# is "directorate": a [[directorates]] entry for each, with key and name, like those',
        "# above. The catalogue's Directorate column then takes a key or a name from the list;",
        "# without it, directorates are reported in the order the catalogue first names them.",
        "",
    ]
    for section, (settings, comments) in SETTING_COMMENTS.items():
        defaults = settings()
        lines += [f"[{section}]", *comment_lines(_SECTION_INTROS[section]), ""]
        for key, comment in comments.items():
            lines += [
                *comment_lines(comment),
                f"# {key} = {toml_value(getattr(defaults, key))}",
                "",
            ]
    lines += [*comment_lines(GLOSSARY_INTRO), *(f"# {line}" for line in GLOSSARY_EXAMPLE), ""]
    return "\n".join(lines)
