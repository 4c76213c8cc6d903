"""The committee paper as frozen values: every field the template shows, each with its description."""

from __future__ import annotations

import dataclasses
import enum
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from perfreport.paper.model_benchmark import BenchmarkLine
from perfreport.paper.model_definitions import Definitions
from perfreport.paper.model_grouping import GroupingText


class Section(enum.StrEnum):
    """The groups of fields in docs/template.md, in the order it lists them."""

    MEETING = "The paper and the meeting"
    PROSE = "The report's prose"
    AUTHOR = "Report author"
    SUMMARY = "Summary (computed)"
    KEY_ISSUES = "Key issues (computed)"
    RISKS = "Risk scores"
    ASSURANCE = "Report assurance"
    APPENDIX = "Appendix A (computed)"
    EXCEPTIONS = "Appendix B: exception report (computed)"
    DEFINITIONS = "Appendix C: definitions and abbreviations (computed)"


def doc(text: str, section: Section | None = None, *, inline: bool = False) -> Any:
    """A field of the paper: ``text`` describes it in docs/template.md (an example, or what it is).

    A top-level field names its ``section`` of the doc. An ``inline`` field's own fields sit at
    its parent's level in the template context, as if written there.
    """
    return dataclasses.field(metadata={"doc": text, "section": section, "inline": inline})


def _meeting(text: str) -> Any:
    return doc(text, Section.MEETING)


def _prose(heading: str) -> Any:
    return doc(f"the paragraphs under {heading}", Section.PROSE)


def _items(heading: str) -> Any:
    return doc(f"the items under {heading}, one bulleted paragraph each", Section.PROSE)


# -- the parts of the cover ---------------------------------------------------------------------


@dataclass(frozen=True)
class AuthorDetails:
    name: str = doc("Owen Trelawny")
    job_title: str = doc("Strategic Manager, Performance and Intelligence")
    email: str = doc("performance@somerset.example")
    telephone: str = doc("01632 960123 (optional: empty when not given)")


@dataclass(frozen=True)
class RiskRow:
    description: str = doc("Decisions are taken on out-of-date information")
    likelihood: str = doc("3")
    impact: str = doc("3")
    score: str = doc("9")
    band: str = doc("Medium (empty when the risk is not scored yet)")
    fill: str = doc("FFF2B3 (the band's pale fill, for `cellbg`)")


@dataclass(frozen=True)
class RiskTables:
    current: tuple[RiskRow, ...] = doc("one row per risk")
    projected: tuple[RiskRow, ...] = doc("the same fields as `risks.current`")


@dataclass(frozen=True)
class AssuranceRow:
    role: str = doc("Monitoring Officer")
    name: str = doc("Priya Lanyon (several names: one a line)")
    date: str = doc("18 November 2024, or n/a")
    group: str = doc(
        'Consulted: (on the row that starts a group, whose other fields are empty; "" on the '
        "others)"
    )


@dataclass(frozen=True)
class FigureBlock:
    """A picture from the report file, placed after the paragraphs of one of its items."""

    image: str = doc(
        "the image file's full path; the renderer places the picture, with `alt` as its "
        "alternative text"
    )
    alt: str = doc("The Golden Thread: how the Council Plan's priorities lead to …")
    caption: str = doc("Figure 1: The Golden Thread (empty when not given)")
    after: str = doc("council_plan_links (the report-file item whose paragraphs it follows)")


@dataclass(frozen=True)
class Cover:
    """The meeting facts and officers' prose, from the report file, as display-ready text."""

    council: str = _meeting("Somerset Council")
    report_title: str = _meeting("Corporate Performance Management Report")
    period_label: str = _meeting("Q2 2024/25")
    period_months: str = _meeting("July to September 2024")
    title: str = _meeting("Corporate Performance Management Report Q2 2024/25")
    subject: str = _meeting(
        "Performance of Somerset Council in Q2 2024/25 (July to September 2024)"
    )
    meeting_date: str = _meeting("2 December 2024")
    meeting_date_iso: str = _meeting(
        "2024-12-02 (empty when not given; the document's date comes from it)"
    )
    key_decision: str = _meeting("No")
    author: AuthorDetails = doc("", Section.AUTHOR)
    risks: RiskTables = doc("", Section.RISKS)
    assurance: tuple[AssuranceRow, ...] = doc(
        "one row per sign-off, then the Consulted: group and its rows", Section.ASSURANCE
    )
    figures: tuple[FigureBlock, ...] = doc(
        "the report file's figures, each shown after the item named by its `after`",
        Section.PROSE,
    )
    committee: str = _meeting("Executive")
    chair: str = _meeting("Cllr Alys Penrose, Leader of the Council")
    executive_members: str = _meeting("Cllr Tomas Whitcombe, Lead Member for Resources")
    local_members: str = _meeting("All divisions")
    executive_director: str = _meeting("Harriet Mallory, Executive Director")
    executive_summary: tuple[str, ...] = _prose("Executive Summary")
    recommendations: tuple[str, ...] = _prose("Recommendations")
    reasons: tuple[str, ...] = _prose("Reasons for Proposals")
    background: tuple[str, ...] = _prose("Background and purpose of report")
    key_issues_narrative: tuple[str, ...] = doc(
        "the officers' narrative under Key Issues (the report file's `key_issues`)", Section.PROSE
    )
    council_plan_links: tuple[str, ...] = _prose(
        "Links to Council Plan and Medium-Term Financial Plan"
    )
    other_options: tuple[str, ...] = _prose("Other options considered")
    key_considerations: tuple[str, ...] = _prose("Key considerations")
    scrutiny: tuple[str, ...] = _prose("Scrutiny comments / recommendations")
    consultation: tuple[str, ...] = _prose("Consultation and feedback")
    financial: tuple[str, ...] = _prose("Financial and Risk Implications")
    legal: tuple[str, ...] = _prose("Legal and Procurement")
    hr: tuple[str, ...] = _prose("HR / Workforce")
    equalities: tuple[str, ...] = _prose("Equalities")
    community_safety: tuple[str, ...] = _prose("Community Safety")
    climate: tuple[str, ...] = _prose("Climate Change and Sustainability")
    health_and_safety: tuple[str, ...] = _prose("Health and Safety")
    health_and_wellbeing: tuple[str, ...] = _prose("Health and Wellbeing")
    social_value: tuple[str, ...] = _prose("Social Value")
    background_papers: tuple[str, ...] = _items("Background Papers")
    appendices: tuple[str, ...] = _items("Appendices")


# -- the computed parts --------------------------------------------------------------------------


@dataclass(frozen=True)
class CountRow:
    """A row of the Summary's RAG table: how many measures of a group had each rating."""

    group: str = doc("A healthy and caring Somerset (All priorities in the totals row)")
    green_current: str = doc("5 (Green this quarter)")
    green_previous: str = doc("3 (Green last quarter; – when there were no ratings)")
    amber_current: str = doc("2")
    amber_previous: str = doc("4")
    red_current: str = doc("2")
    red_previous: str = doc("1")


@dataclass(frozen=True)
class SummarySection:
    headline: tuple[str, ...] = doc(
        "Of the 56 rated indicators, 24 are Green, 14 Amber and 18 Red."
    )
    movement: tuple[str, ...] = doc("Compared with Q1 2024/25, 6 more indicators are Green …")
    previous_label: str = doc("Q1 (a column heading: keep it short)")
    current_label: str = doc("Q2")
    rag_rows: tuple[CountRow, ...] = doc(
        "one row per priority (or directorate, or service), in the configured order"
    )
    rag_total: CountRow = doc("the totals row, with the same fields as a row")
    rag_chart: str = doc(
        "a bar chart of the table above (this quarter against last, per priority), each bar "
        "segment patterned and labelled; alt text `rag_chart_alt`; empty when charts are off"
    )
    rag_chart_alt: str = doc(
        "RAG ratings by priority, Q1 and Q2. A greener, more sustainable Somerset: Q1 Green 2, "
        "Amber 2, Red 1; Q2 Green 1, Amber 3, Red 1. …"
    )
    history_sentence: str = doc(
        "Over the last 8 quarters, Q3 2022/23 to Q2 2024/25: Green 25, 27, …, 26; Amber …; Red "
        "… (the numbers of `history_chart`, in words)"
    )
    history_chart: str = doc(
        "a line chart of the Green, Amber and Red counts over the last 8 quarters, each line "
        "with its own marker and dash and named at its end; alt text `history_sentence`; empty "
        "when charts are off or fewer than 2 quarters have ratings"
    )
    forecast: tuple[str, ...] = doc(
        "Services gave a year-end forecast for 30 of the 55 indicators rated Green, Amber or Red "
        "this quarter: by the year end, 3 of the 15 Red indicators … are expected to improve. "
        "(empty when no forecast was given)"
    )
    benchmarks: tuple[str, ...] = doc(
        "5 indicators have a benchmark. Of the 3 where higher or lower is better, 1 is better "
        "than the England median, 1 similar and 1 worse. The other 2 are context measures, … "
        "(empty without benchmarks.csv)"
    )


@dataclass(frozen=True)
class KeyIssueGroup:
    name: str = doc("A healthy and caring Somerset (the priority, directorate or service)")
    issues: tuple[str, ...] = doc(
        "ASC-02 Percentage of Care Act assessments completed within 28 days is Red this "
        "quarter: 60.8% against a target of 70.0%; it was Amber in Q1 2024/25. (the group "
        "is the heading, so the sentences do not repeat it)"
    )


@dataclass(frozen=True)
class IndicatorRow:
    """A row of Appendix A: one indicator, every figure formatted as the paper shows it."""

    ref: str = doc("ASC-01")
    measure: str = doc("Adult social care assessments completed within 28 days")
    good_is: str = doc("Higher")
    previous: str = doc("78.4%")
    current: str = doc("85.2%, No data, or Not due (annual, Q4)")
    last_year: str = doc("80.1%")
    target: str = doc("85.0%, or No target; a quarter's own: 54.5% by Q2 (year 97.5%)")
    rag: str = doc(
        "● Green, ▲ Amber or ■ Red (a shape, a no-break space, the word); No data or Not rated"
    )
    rag_fill: str = doc("4CB85C (from the rating: the RAG word's shading)")
    rag_previous: str = doc(
        "Q1: Amber (last quarter's RAG, labelled with the quarter; No data or Not rated; empty "
        "when the measure was not reported last quarter)"
    )
    forecast: str = doc(
        "Year end: Green (the service's forecast year-end RAG; empty when none was given)"
    )
    owner: str = doc("Director of Adult Social Care (the catalogue's lead officer; may be empty)")
    direction: str = doc(
        '"Quarter: Worsening −", a line break, "Year: Improving +" (judgements); "Quarter: Up '
        '↑" and "Down ↓" or "Same →" for context measures; or "Not comparable". A no-break space '
        "keeps each word with its mark"
    )
    commentary: str = doc("the service's commentary, then its actions (a line break is kept)")
    trend: str = doc(
        "Trend, Q3 2022/23 to Q2 2024/25: 61.2% to 57.1%, worsening; target 56.0%; below target "
        "in 2 of 8 quarters (the trend in words: the chart's alt text; empty without a chart)"
    )
    trend_chart: str = doc(
        "the trend chart: a picture of the last 8 quarters (5 years for an annual measure) with "
        "the target as a dashed line and this quarter's figure ringed, its alt text `trend`; "
        "empty with fewer than 3 figures or `[paper] charts = false`"
    )
    benchmarks: tuple[BenchmarkLine, ...] = doc(
        "one per comparator in benchmarks.csv or .xlsx (docs/benchmarks.md); empty when none"
    )
    may_split: str = doc(
        'yes (or ""): the row is tall enough (more than about a quarter of a page) to continue '
        "on the next page; a shorter row moves whole"
    )
    very_tall: str = doc(
        'yes (or ""): the row is more than about half a page tall: it does not keep with the '
        "next row, as the first row and the last but one of a table otherwise do"
    )


@dataclass(frozen=True)
class GroupSection:
    name: str = doc("A healthy and caring Somerset (a priority, directorate or service)")
    count_line: str = doc(
        "23 indicators, 11 rated: 4 Green, 3 Amber, 4 Red (a rated measure with no figure adds "
        '", 1 no data" and counts as rated, as in the Summary); No indicators this quarter. '
        "for a configured group with none"
    )
    indicators: tuple[IndicatorRow, ...] = doc("one row per indicator")


@dataclass(frozen=True)
class Appendix:
    title: str = doc("Appendix A: Performance indicators Q2 2024/25")
    notes: tuple[str, ...] = doc("how to read the table (what Green, Amber and Red mean)")
    key_issues: tuple[KeyIssueGroup, ...] = doc(
        'the computed key issues when the report file\'s `key_issues_list` is "appendix" (the '
        "same fields as `key_issues`); empty otherwise"
    )
    groups: tuple[GroupSection, ...] = doc(
        "one entry per priority (or directorate, or service), in the configured order"
    )


@dataclass(frozen=True)
class ExceptionEntry:
    """An indicator in Appendix B: why it is there, its figures, and what is being done."""

    paragraph: str = doc("B3 (the paragraph the Key Issues refer to)")
    ref: str = doc("ASC-02")
    measure: str = doc("Percentage of Care Act assessments completed within 28 days")
    group: str = doc("A healthy and caring Somerset (its priority, directorate or service)")
    reason: str = doc("Red for 3 consecutive quarters (and, as `[paper]` asks, Amber from Green …)")
    current: str = doc("60.8%")
    target: str = doc("70.0% (as Appendix A: 54.5% by Q2 (year 97.5%))")
    rag: str = doc("■ Red (the shape and the word, as in Appendix A)")
    rag_fill: str = doc("E8A8A8 (from the rating, for `cellbg`)")
    rag_previous: str = doc("Q1: Amber (empty when not reported last quarter)")
    direction: str = doc("Quarter: Worsening −, a line break, Year: Improving + (as Appendix A)")
    forecast: str = doc("Green, or Not given (the service's forecast year-end RAG)")
    commentary: str = doc("the service's commentary, or No commentary given.")
    actions: str = doc("the service's actions, or No actions given.")
    owner: str = doc("Director of Adult Social Care, or Not given (the responsible officer)")
    benchmarks: tuple[BenchmarkLine, ...] = doc("as in Appendix A; empty when none")


@dataclass(frozen=True)
class ExceptionReport:
    title: str = doc("Appendix B: Exception report Q2 2024/25")
    group_label: str = doc("Priority (or Directorate, or Service: what the paper is grouped by)")
    notes: tuple[str, ...] = doc(
        "which indicators it lists: every Red this quarter, and those `[paper]` adds"
    )
    entries: tuple[ExceptionEntry, ...] = doc("one entry per indicator, in Appendix A's order")
    none: str = doc("No indicator is Red this quarter. (empty when there are entries)")


@dataclass(frozen=True)
class Paper:
    """Everything the template shows: the cover from the report file, the rest computed."""

    cover: Cover = doc("", inline=True)
    summary: SummarySection = doc("", Section.SUMMARY)
    grouping: GroupingText = doc(
        "what the paper is grouped by: `[paper] group_by` in perfreport.toml", Section.SUMMARY
    )
    key_issues: tuple[KeyIssueGroup, ...] = doc(
        "one entry per group that has issues, in the configured order, shown after the "
        "officers' paragraphs; empty when none has, or when the report file puts them in Appendix A",
        Section.KEY_ISSUES,
    )
    key_issues_none: str = doc(
        "No indicator with a new figure this quarter became Red, stayed Red or improved to "
        "Green. (empty when some indicator did)",
        Section.KEY_ISSUES,
    )
    appendix: Appendix = doc("", Section.APPENDIX)
    exceptions: ExceptionReport = doc("", Section.EXCEPTIONS)
    definitions: Definitions = doc("", Section.DEFINITIONS)


# -- what the template sees, derived from the classes above --------------------------------------


@dataclass(frozen=True)
class ContextField:
    """One field of the template context, as docs/template.md lists it."""

    path: str  # appendix.groups[].indicators[].ref
    type: Any  # str, a model class, or tuple[X, ...]
    doc: str
    section: Section | None  # that of the top-level field it belongs to


def _item_type(hint: Any) -> Any:
    """``X`` for ``tuple[X, ...]``; ``None`` for a type that is not a list."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is list or (origin is tuple and len(args) == 2 and args[1] is Ellipsis):
        return args[0]
    if origin is tuple:
        raise TypeError(f"a list in the paper model is tuple[X, ...], got {hint!r}")
    return None


def context_fields(
    cls: type = Paper, prefix: str = "", section: Section | None = None
) -> Iterator[ContextField]:
    """Every field of ``cls`` as the context names it, depth first, inline fields flattened."""
    hints = typing.get_type_hints(cls)
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        if f.metadata.get("inline"):
            yield from context_fields(hint, prefix, section)
            continue
        path = f"{prefix}{f.name}"
        own = section or f.metadata.get("section")
        yield ContextField(path, hint, f.metadata.get("doc", ""), own)
        item = _item_type(hint)
        if dataclasses.is_dataclass(hint):
            yield from context_fields(hint, f"{path}.", own)
        elif item is not None and dataclasses.is_dataclass(item):
            yield from context_fields(item, f"{path}[].", own)


def context_schema(cls: type = Paper) -> dict[str, Any]:
    """The shape of the context: ``str`` text, ``[str]`` a list, a dict a group, ``[{...}]`` a table."""
    hints = typing.get_type_hints(cls)
    schema: dict[str, Any] = {}
    for f in dataclasses.fields(cls):
        shape = _shape(hints[f.name])
        if f.metadata.get("inline"):
            schema.update(shape)
        else:
            schema[f.name] = shape
    return schema


def _shape(hint: Any) -> Any:
    if hint is str:
        return str
    if dataclasses.is_dataclass(hint):
        return context_schema(hint)
    item = _item_type(hint)
    if item is not None:
        return [_shape(item)]
    raise TypeError(f"a field of the paper is text, a model class or a tuple of them, not {hint!r}")
