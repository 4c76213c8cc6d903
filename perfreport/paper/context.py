"""The paper's model built from the summary and the report file, and the template context from it."""

from __future__ import annotations

import functools
from typing import Any

from perfreport.core.formatting import RAG_SHAPES, count_line, join_words, plural
from perfreport.core.gcpause import paused
from perfreport.core.model import RAG, DataStatus, Polarity
from perfreport.inputs.report_file import KeyIssuesList, ReportText
from perfreport.paper.benchmarks import benchmark_lines, benchmark_note, shown_lines
from perfreport.paper.charts import (
    HISTORY_KEY,
    RAG_KEY,
    history_sentence,
    rag_by_group_of,
    rag_chart_alt,
    rag_over_time_of,
    trend_key,
)
from perfreport.paper.cover import make_cover
from perfreport.paper.definitions import make_definitions
from perfreport.paper.exception_report import make_exception_report, paragraph_numbers
from perfreport.paper.glossary import expand_first_uses
from perfreport.paper.layout import VERY_TALL_ROW_LINES, is_tall
from perfreport.paper.model import (
    Appendix,
    CountRow,
    GroupSection,
    IndicatorRow,
    KeyIssueGroup,
    Paper,
    SummarySection,
)
from perfreport.paper.model_context import Unclean, template_context
from perfreport.paper.model_grouping import GroupingText
from perfreport.paper.textsafety import Sanitised, suspect_text
from perfreport.rating.rules import SAME, Direction, Unrated
from perfreport.summary.benchmarks import benchmark_sentence
from perfreport.summary.counts import Category, category, unrated_counts
from perfreport.summary.exceptions import forecast_sentence
from perfreport.summary.grouping import NO_INDICATORS, GroupCounts
from perfreport.summary.issues import KeyIssue
from perfreport.summary.narrative import COLOURS
from perfreport.summary.summary import RagCounts, RatedIndicator, Summary
from perfreport.summary.trend import Trend

NO_BREAK_SPACE = "\u00a0"


def _shaped(rag: RAG) -> str:
    """``● Green``: the shape and the word, kept together on one line."""
    return f"{RAG_SHAPES[rag]}{NO_BREAK_SPACE}{rag.word}"


RAG_MEANING = (
    "RAG is shown as a word with a shape. "
    f"{_shaped(RAG.GREEN)}: on or better than target. {_shaped(RAG.AMBER)}: short of target but "
    f"within the Amber tolerance. {_shaped(RAG.RED)}: outside the tolerance. No data: a rated "
    "measure with no figure this quarter. Not rated: a context measure, or one without a target "
    "this year. Under the RAG: last quarter's RAG, and the service's forecast RAG for the year "
    "end where it gave one."
)
_JUDGEMENTS = (Direction.IMPROVING, Direction.WORSENING, Direction.NO_CHANGE)
DIRECTION_MEANING = (
    "Direction of travel compares this quarter with the previous quarter (Quarter) and with the "
    "same quarter last year (Year). Where higher or lower is better (Good is), it is a judgement, "
    "marked with a sign: "
    + ", ".join(d.label for d in _JUDGEMENTS)
    + ". Context measures (Good is: n/a) are not judged; an arrow shows how the figure moved: "
    + ", ".join((Direction.UP.label, Direction.DOWN.label, SAME))
    + "."
)
# Shown when a measure is rated against a quarter's own target (the Targets sheet's Q1–Q4 or a
# profile, docs/catalogue.md), which the Target column names beside the year's.
QUARTER_TARGET_MEANING = (
    "Target: where a quarter has its own target, the year's follows it. \"54.5% by Q2 (year "
    '97.5%)" is a year-to-date target: the figure counts from April to the end of Q2, so it '
    "grows every quarter, and its direction of travel compares it only with the same quarter "
    'last year. "30 for Q2 (year 100)" is a target for the quarter alone.'
)
# Shown, as one numbered paragraph, when no group has a key issue.
# A figure carried forward unchanged is not a key issue (docs/rating.md, section 11): "with a new
# figure" keeps the sentence true when one is Red.
NO_KEY_ISSUES = (
    "No indicator with a new figure this quarter became Red, stayed Red or improved to Green."
)
# The model's "n/a (context)" is for return forms; in the paper's narrow "Good is" column it
# broke inside a word, so the paper shows "n/a" and the note above explains it.
_GOOD_IS = {p: "n/a" if p is Polarity.NONE else p.good_is for p in Polarity}
# Read for every row of Appendix A: made once, and the members as module names (Python 3.11
# reads a member through its class by a slow path: rating.rules).
_SHAPED = {rag: _shaped(rag) for rag in RAG}
_NOT_COMPARABLE, _FINAL = Direction.NOT_COMPARABLE, DataStatus.FINAL


@functools.cache  # 6 directions x 3 polarities, asked twice a row (22,800 times at 100x)
def _unbroken(direction: Direction, polarity: Polarity) -> str:
    """The label with no-break spaces, so a narrow cell never leaves a mark alone on a line
    ("Not comparable", with no mark, may wrap between its words)."""
    label = direction.label_for(polarity)
    return label.replace(" ", NO_BREAK_SPACE) if direction.mark else label


def _direction_text(row: RatedIndicator) -> str:
    short, long = row.direction_short, row.direction_long
    if short is _NOT_COMPARABLE and long is _NOT_COMPARABLE:
        return "Not comparable"
    # A line may still break after "Quarter:", but never inside "Worsening −" or "No change =".
    polarity = row.indicator.polarity
    # A year-to-date figure is not compared with last quarter's (QUARTER_TARGET_MEANING).
    quarter = "n/a (year to date)" if row.current.cumulative else _unbroken(short, polarity)
    return f"Quarter: {quarter}\nYear: {_unbroken(long, polarity)}"


def _rag_text(row: RatedIndicator) -> str:
    rag = row.current.rag
    # The shape only where the word is the rating itself (not "No data" or "Not rated").
    return _SHAPED[rag] if rag is not None and row.rag_text == rag.word else row.rag_text


def _commentary(row: RatedIndicator) -> str:
    observation = row.current.observation
    if row.current.returned_late:
        lead = f"The figure shown is the {row.current.value_label}."
    elif row.current.carried and row.current.value_period is not None:
        # A carried-forward figure shows last due period's words, labelled as such.
        lead = f"Not due this quarter: the figure shown is the {row.current.value_label}."
    else:
        lead = ""
    commentary = observation.commentary.strip() if observation is not None else ""
    actions = observation.actions.strip() if observation is not None else ""
    parts = [p for p in (lead, commentary) if p]
    if actions:
        parts.append(f"Actions: {actions}")
    if observation is not None and observation.data_status is not _FINAL:
        parts.append(f"Data status: {observation.data_status.value}.")
    return "\n".join(parts) or "No commentary given."


TREND_MEANING = (
    "Under the direction of travel, a small chart shows the figures of the last 8 quarters (5 "
    "years for an annual measure): the dashed line is the target and the ringed point the figure "
    "shown. Its alternative text and the data export give the same figures in words."
)


def _previous_rag(row: RatedIndicator, label: str) -> str:
    """``Q1: Amber``; empty when the measure was not reported, or is rated in neither quarter."""
    before = row.previous
    if before is None or (before.rag is None and row.rag is None):
        return ""
    if before.rag is not None:
        return f"{label}: {before.rag.word}"
    return f"{label}: {'No data' if category(before) is Category.NO_DATA else 'Not rated'}"


def indicator_row(
    row: RatedIndicator, previous_label: str = "Last quarter", trend: Trend | None = None
) -> IndicatorRow:
    forecast, ref = row.forecast_rag, row.ref
    extra = {
        "rag_previous": _previous_rag(row, previous_label),
        "forecast": f"Year end: {forecast.word}" if forecast is not None else "",
        "owner": row.indicator.lead_officer,
    }
    cells = {
        "ref": ref,
        "measure": row.indicator.title,
        "good_is": _GOOD_IS[row.indicator.polarity],
        "previous": row.previous_text,
        "current": row.value_text,
        "last_year": row.last_year_text,
        "target": row.target_text,
        "rag": _rag_text(row),
        "direction": _direction_text(row),
        "commentary": _commentary(row),
    }
    benchmarks = benchmark_lines(row)
    # The default template shows last quarter's RAG and the forecast under the RAG, and the
    # benchmarks and the owner under the commentary: count their lines where they are shown.
    shown = {
        **cells,
        "commentary": cells["commentary"]
        + shown_lines(benchmarks)
        + (f"\nResponsible officer: {extra['owner']}" if extra["owner"] else ""),
        "rag": "\n".join(t for t in (cells["rag"], extra["rag_previous"], extra["forecast"]) if t),
    }
    drawn = trend is not None and trend.drawn
    return IndicatorRow(
        **cells,
        **extra,
        rag_fill=row.rag_fill,
        benchmarks=benchmarks,
        may_split="yes" if is_tall(shown) else "",
        very_tall="yes" if is_tall(shown, VERY_TALL_ROW_LINES) else "",
        trend=trend.text if drawn and trend is not None else "",
        trend_chart=trend_key(ref) if drawn else "",
    )


def _count_row(name: str, current: RagCounts, previous: RagCounts | None) -> CountRow:
    row = {"group": name}
    for rag in COLOURS:
        row[f"{rag.value}_current"] = str(current.of(rag))
        row[f"{rag.value}_previous"] = str(previous.of(rag)) if previous is not None else "–"
    return CountRow(**row)


def _movement_paragraphs(summary: Summary) -> tuple[str, ...]:
    paragraphs = [summary.narrative]
    movement = summary.movement
    if movement is not None:
        figures = [
            f"{c.rag.word} "
            + (f"from {c.before} to {c.after}" if c.before != c.after else f"stayed at {c.after}")
            for c in movement.changes
        ]
        figures[0] = figures[0].replace(" from ", " went from ", 1)
        paragraphs.append(
            f"Between {summary.previous_period.label} and {summary.period.label}, "
            f"the number of measures rated {join_words(figures)}."
        )
    moved = [t for t in summary.transitions if t.before is not t.after and t.count]
    if moved:
        # Words, not "Green → Amber": a screen reader reads the arrow as "rightwards arrow".
        paragraphs.append(
            f"Since {summary.previous_period.label}, "
            + join_words(
                f"{plural(t.count, 'measure')} moved from {t.before.word} to {t.after.word}"
                for t in moved
            )
            + "."
        )
    if summary.previous_counts is None:
        return tuple(paragraphs)  # no ratings last quarter: the narrative has said so
    notes = summary.change_notes  # worked out once: it looks at every row
    if notes:  # measures that gained or lost a RAG, said as they were
        paragraphs.append(notes)
    return tuple(paragraphs)


def _headline(summary: Summary) -> tuple[str, ...]:
    counts = summary.counts
    lines = [summary.headline]
    if counts.rated:
        sentence = (
            f"Of the {plural(counts.rated, 'rated indicator')}, {counts.green} "
            f"{'is' if counts.green == 1 else 'are'} Green, {counts.amber} Amber and "
            f"{counts.red} Red"
        )
        if counts.no_data:
            sentence += (
                f", and {counts.no_data} {'has' if counts.no_data == 1 else 'have'} no "
                "data this quarter (not counted as Red)"
            )
        lines.append(sentence + ".")
    if counts.not_rated:
        lines.append(_not_rated_sentence(summary))
    return (" ".join(lines[:1]), " ".join(lines[1:])) if len(lines) > 1 else tuple(lines)


# What the indicators without a RAG are, by why (docs/rating.md, section 1): one, then several.
_UNRATED_ONE = {
    Unrated.NO_TARGET: ("has no target", "have no target"),
    Unrated.CONTEXT: ("is a context measure", "are context measures"),
    Unrated.NOT_RATED: ("has a target but is not rated", "have a target but are not rated"),
}

# When they all lack a RAG for the same reason: "The other 16 indicators are context measures, …".
_UNRATED_ALL = {
    Unrated.NO_TARGET: (
        "has no target, so is reported without a rating",
        "have no target, so are reported without a rating",
    ),
    Unrated.CONTEXT: (
        "is a context measure, reported without a rating",
        "are context measures, reported without a rating",
    ),
    Unrated.NOT_RATED: (
        "has a target but is reported without a rating",
        "have a target but are reported without a rating",
    ),
}


def _not_rated_sentence(summary: Summary) -> str:
    """``The other 58 indicators are reported without a rating: 16 are context measures, 34
    have no target and 8 have a target but are not rated.`` (one why: said in one clause)."""
    counts = summary.counts
    kinds = unrated_counts(row.current for row in summary.indicators)
    one = counts.not_rated == 1
    if counts.rated:  # "The other indicator is", never "The other 1 indicator is"
        others = "other indicator" if one else f"other {plural(counts.not_rated, 'indicator')}"
    else:
        others = plural(counts.not_rated, "indicator")
    if len(kinds) == 1:
        (why,) = kinds
        return f"The {others} {_UNRATED_ALL[why][not one]}."
    parts = join_words(f"{n} {_UNRATED_ONE[why][n != 1]}" for why, n in kinds.items())
    return f"The {others} are reported without a rating: {parts}."


def _key_issues(summary: Summary) -> tuple[KeyIssueGroup, ...]:
    # One group per priority (directorate, service) that has issues; it is the heading, so the
    # sentences do not repeat it. The field is "issues", not "items": Jinja's group.items would
    # find the dict's method before the key. An issue in the exception report says where.
    numbers = paragraph_numbers(summary)

    def said(issue: KeyIssue) -> str:
        number = numbers.get(issue.item.ref)
        return f"{issue.text} See Appendix B, paragraph {number}." if number else issue.text

    return tuple(
        KeyIssueGroup(group.group.name, tuple(said(issue) for issue in group.issues))
        for group in summary.key_issues
    )


def _group_section(
    counts: GroupCounts, rows: list[RatedIndicator], shown: dict[str, IndicatorRow]
) -> GroupSection:
    current = counts.current
    return GroupSection(
        name=counts.group.name,
        count_line=count_line(current.total, current.by_rag(), current.no_data)
        if rows
        else NO_INDICATORS,
        indicators=tuple(shown[r.ref] for r in rows),
    )


def make_paper(summary: Summary, report: ReportText, *, charts: bool = True) -> Paper:
    """Everything the template shows, computed here so the template holds layout only; with
    ``charts`` the placeholders of the charts (drawn by paper.charts, placed by the document)."""
    previous_label, current_label = summary.column_labels
    issues = _key_issues(summary)
    in_appendix = report["key_issues_list"] == KeyIssuesList.APPENDIX
    trends = summary.trends if charts else {}
    shown = {r.ref: indicator_row(r, previous_label, trends.get(r.ref)) for r in summary.indicators}
    grouping = summary.grouping
    in_group: dict[str, list[RatedIndicator]] = {}
    for row in summary.indicators:  # one pass, not one a group
        in_group.setdefault(grouping.key_of(row.indicator), []).append(row)
    sections = []
    for counts in summary.by_group:
        rows = in_group.get(counts.group.key, [])
        # A group perfreport.toml lists keeps its heading with none this quarter ("No indicators
        # this quarter."); another shows only for a measure it had last quarter, in the table.
        if rows or counts.group.configured:
            sections.append(_group_section(counts, rows, shown))
    forecast = forecast_sentence(summary.indicators)
    compared = benchmark_sentence(r.benchmarks for r in summary.indicators)
    by_group = rag_by_group_of(summary)
    over_time = rag_over_time_of(summary)
    history = charts and len(over_time.labels) >= 2
    paper = Paper(
        cover=make_cover(
            report,
            council=summary.council,
            report_title=summary.report_title,
            period=summary.period,
        ),
        summary=SummarySection(
            headline=_headline(summary),
            movement=_movement_paragraphs(summary),
            previous_label=previous_label,
            current_label=current_label,
            rag_rows=tuple(
                _count_row(p.group.name, p.current, p.previous) for p in summary.by_group
            ),
            rag_total=_count_row(f"All {grouping.plural}", summary.counts, summary.previous_counts),
            forecast=(forecast,) if forecast else (),
            benchmarks=(compared,) if compared else (),
            rag_chart=RAG_KEY if charts else "",
            rag_chart_alt=rag_chart_alt(by_group) if charts else "",
            history_sentence=history_sentence(over_time) if history else "",
            history_chart=HISTORY_KEY if history else "",
        ),
        grouping=GroupingText(grouping.label, grouping.noun, grouping.plural),
        key_issues=() if in_appendix else issues,
        key_issues_none="" if issues else NO_KEY_ISSUES,
        appendix=Appendix(
            title=f"Appendix A: Performance indicators {summary.period.label}",
            notes=(
                RAG_MEANING,
                DIRECTION_MEANING,
                *((QUARTER_TARGET_MEANING,) if _quarter_targets(summary) else ()),
                *((TREND_MEANING,) if charts else ()),
                *((benchmark_note(summary.similar_band),) if compared else ()),
            ),
            key_issues=issues if in_appendix else (),
            groups=tuple(sections),
        ),
        exceptions=make_exception_report(
            summary,
            shown,
            {e.item.ref: grouping.of(e.item.indicator).name for e in summary.exceptions},
        ),
        definitions=make_definitions(summary, sections),
    )
    return expand_first_uses(paper, summary.glossary)


def _quarter_targets(summary: Summary) -> bool:
    """Some measure is shown against a quarter's own target this quarter."""
    return any(r.current.basis is not None and r.current.basis.own for r in summary.indicators)


@paused
def paper_context(summary: Summary, report: ReportText, *, charts: bool = True) -> dict[str, Any]:
    """The template context of the paper: :func:`make_paper`, as the dicts and lists docxtpl reads.

    Nearly always every text of it is clean: it is then made Sanitised as it is made, so that
    sanitise_context does not walk its million values again (~0.15 s at 100x). Else it is left
    to sanitise_context, which cleans it and says what it changed."""
    paper = make_paper(summary, report, charts=charts)
    try:
        return Sanitised(template_context(paper, suspect_text))
    except Unclean:
        return template_context(paper)
