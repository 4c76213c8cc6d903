"""The quarter's summary: counts, movement, transitions, key issues and where history came from."""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path

import pytest
from projectfactory import (
    INDICATORS,
    make_project,
    service_return,
    write_catalogue,
    write_return,
)
from ratingfactory import (
    CATALOGUE,
    Q1,
    Q2,
    Q2_2023,
    Q4_2023,
    QUARTERS,
    Quarters,
    empty_project,
)

from perfreport.build import read_history, summarise_period
from perfreport.core.findings import Severity
from perfreport.core.model import RAG, DataStatus, Observation
from perfreport.core.periods import Period
from perfreport.core.project import load_project
from perfreport.publish.export import dataset_document, summary_document, write_export
from perfreport.rating.history import HistorySource
from perfreport.rating.rules import Direction, Status
from perfreport.summary.counts import Category, RagCounts, category
from perfreport.summary.issues import IssueKind
from perfreport.summary.summary import summarise

GOLDEN = Path(__file__).parent / "golden"
SOMERSET = Path(__file__).resolve().parents[1] / "examples" / "somerset"


@pytest.fixture
def small(tmp_path: Path):
    project = empty_project(tmp_path / "council")
    quarters = Quarters(project, QUARTERS)
    return summarise_period(project, Q2, reader=quarters), quarters


def test_counts_this_quarter_and_last(small) -> None:
    summary, _ = small
    assert summary.counts == RagCounts(green=2, amber=0, red=2, not_rated=1, no_data=0)
    assert summary.previous_counts == RagCounts(green=2, amber=1, red=1, not_rated=1, no_data=0)
    assert (summary.total, summary.rated) == (5, 4)
    assert [(p.group.key, p.current, p.previous) for p in summary.by_priority] == [
        ("greener", RagCounts(red=2), RagCounts(green=1, red=1)),
        ("healthy", RagCounts(green=2, not_rated=1), RagCounts(green=1, amber=1, not_rated=1)),
    ]


def test_each_indicator_counts_in_one_category(small) -> None:
    summary, _ = small
    kinds = [category(row.current) for row in summary.indicators]
    assert {kind: kinds.count(kind) for kind in Category} == {
        Category.GREEN: 2,
        Category.AMBER: 0,
        Category.RED: 2,
        Category.NOT_RATED: 1,
        Category.NO_DATA: 0,
    }
    assert {kind: summary.counts.of(kind) for kind in Category} == {
        kind: kinds.count(kind) for kind in Category
    }
    assert summary.counts.to_dict() == {
        "green": 2,
        "amber": 0,
        "red": 2,
        "not_rated": 1,
        "no_data": 0,
    }


def test_a_tally_counts_each_rating_in_its_category_and_none_as_not_rated(small) -> None:
    summary, _ = small
    ratings = [row.current for row in summary.indicators]
    # A rated measure without a figure (no data), a context measure and a missing rating too.
    no_data = dataclasses.replace(ratings[0], rag=None, rated=True)
    context = dataclasses.replace(ratings[0], rag=None, rated=False)
    mixed = [*ratings, no_data, None, context, no_data]
    kinds = [category(r) or Category.NOT_RATED for r in mixed]
    assert RagCounts.tally(mixed) == RagCounts(**{k.value: kinds.count(k) for k in Category})
    assert RagCounts.tally(mixed) == RagCounts(green=2, red=2, not_rated=3, no_data=2)


def test_headline_and_narrative(small) -> None:
    summary, _ = small
    assert summary.headline == (
        "The 2024/25 Q2 report contains 5 indicators, of which 4 have a "
        "Red, Amber, Green (RAG) rating."
    )
    assert summary.narrative == (
        "A comparison between Q1 and Q2 of 2024/25 shows that overall, the number of Amber "
        "measures has decreased, reflecting an increased number of Red measures, while the number "
        "of Green measures is unchanged."
    )
    assert [(c.rag, c.figures) for c in summary.movement.changes] == [
        (RAG.GREEN, "unchanged at 2"),
        (RAG.AMBER, "from 1 to 0"),
        (RAG.RED, "from 1 to 2"),
    ]
    assert summary.column_labels == ("Q1", "Q2")


def test_headline_singular_and_none(small) -> None:
    summary, _ = small
    one = dataclasses.replace(summary, counts=RagCounts(green=1))
    assert one.headline == (
        "The 2024/25 Q2 report contains 1 indicator, of which 1 has a Red, "
        "Amber, Green (RAG) rating."
    )
    none = dataclasses.replace(summary, counts=RagCounts(not_rated=3))
    assert none.headline == (
        "The 2024/25 Q2 report contains 3 indicators, none of which has a "
        "Red, Amber, Green (RAG) rating."
    )


def test_transitions_for_indicators_rated_in_both_quarters(small) -> None:
    summary, _ = small
    moved = {t.key: t.refs for t in summary.transitions if t.count}
    assert moved == {
        "green->green": ("ASC-02",),
        "green->red": ("WR-02",),
        "amber->green": ("ASC-01",),
        "red->red": ("WR-01",),
    }
    assert len(summary.transitions) == 9
    assert [t.label for t in summary.transitions if t.count] == [
        "Green → Green",
        "Green → Red",
        "Amber → Green",
        "Red → Red",
    ]
    assert (summary.new_measures, summary.dropped_measures) == ((), ())


def test_key_issues_grouped_by_priority(small) -> None:
    summary, _ = small
    issues = [(g.group.key, i.kind, i.text) for g in summary.key_issues for i in g.issues]
    assert issues == [
        (
            "greener",
            IssueKind.NEWLY_RED,
            "WR-02 Missed bin collections per 100,000 is Red this "
            "quarter: 90 against a target of 80; it was Green in Q1 2024/25.",
        ),
        (
            "greener",
            IssueKind.STILL_RED,
            "WR-01 Household waste recycled has been Red for 2 "
            "consecutive quarters: 50.0% against a target of 55.0%.",
        ),
        (
            "healthy",
            IssueKind.NOW_GREEN,
            "ASC-01 Adults receiving direct payments improved to "
            "Green: 31.0% against a target of 30.0%; it was Amber in Q1 2024/25.",
        ),
    ]


def test_each_indicator_with_its_history_and_directions(small) -> None:
    summary, _ = small
    rows = {r.ref: r for r in summary.indicators}
    wr01 = rows["WR-01"]
    assert (wr01.value_text, wr01.previous_text, wr01.last_year_text, wr01.target_text) == (
        "50.0%",
        "50.0%",
        "54.0%",
        "55.0%",
    )
    assert (wr01.direction_short, wr01.direction_long) == (Direction.NO_CHANGE, Direction.WORSENING)
    assert (wr01.rag_text, wr01.red_run) == ("Red", 2)
    asc01 = rows["ASC-01"]
    assert (asc01.direction_short, asc01.direction_long) == (
        Direction.IMPROVING,
        Direction.IMPROVING,
    )
    asc03 = rows["ASC-03"]
    assert (asc03.rag_text, asc03.direction_short) == ("Not rated", Direction.UP)


def test_an_annual_measure_keeps_the_rag_it_had_when_its_figure_came_in(small) -> None:
    summary, _ = small
    asc02 = summary.row("ASC-02")
    assert (asc02.current.status, asc02.rag, asc02.value_text) == (
        Status.NOT_DUE,
        RAG.GREEN,
        "65.0% (2023/24 outturn)",
    )
    assert asc02.current.value_period == Q4_2023
    # Last quarter showed the same outturn; a year ago there was no earlier figure.
    assert asc02.direction_short is Direction.NO_CHANGE
    assert (asc02.last_year_text, asc02.direction_long) == (
        "Not due (annual, Q4)",
        Direction.NOT_COMPARABLE,
    )


def test_each_earlier_quarter_is_read_once_and_only_when_needed(small) -> None:
    summary, quarters = small
    assert sorted(quarters.reads) == [Q2_2023, Q4_2023, Q1, Q2]
    assert summary.history_source is HistorySource.RECOMPUTED
    assert dict(summary.history_sources) == {
        "Q2-2023": HistorySource.RECOMPUTED,
        "Q1-2024": HistorySource.RECOMPUTED,
    }
    assert summary_document(summary)["history"] == {
        "source": "recomputed",
        "periods": {"Q2-2023": "recomputed", "Q1-2024": "recomputed"},
        "imported_from": {},
    }


def test_a_year_ago_an_annual_measure_looks_back_past_the_first_four_quarters(
    tmp_path: Path,
) -> None:
    """ASC-02 (annual, Q4) is not due in Q2 2023/24: a year ago it showed the Q4 2022/23
    outturn, six quarters back, which the history reads in a second batch."""
    project = empty_project(tmp_path / "council")
    q4_2022, q1_2022 = Period(2022, 4), Period(2022, 1)
    quarters = Quarters(project, {**QUARTERS, q4_2022: {"ASC-02": 58.0}, q1_2022: {}})
    summary = summarise_period(project, Q2, reader=quarters)
    assert summary.row("ASC-02").last_year_text == "58.0% (2022/23 outturn)"
    assert summary.row("ASC-02").direction_long is Direction.IMPROVING
    # Each quarter read once; Q1 2022/23, nine quarters back, is never needed.
    assert sorted(quarters.reads) == [q4_2022, Q2_2023, Q4_2023, Q1, Q2]


def test_a_quarter_whose_published_dataset_is_never_used_is_not_reported(tmp_path: Path) -> None:
    project = empty_project(tmp_path / "council")
    for period in (Period(2022, 2), Q2_2023):  # eight quarters back: never used; a year ago: used
        path = project.build_dir(period) / "dataset.json"
        path.parent.mkdir(parents=True)
        path.write_text("{", encoding="utf-8")
    summary = summarise_period(project, Q2, reader=Quarters(project, QUARTERS))
    assert [f.file for f in summary.findings if f.code == "published-dataset-unreadable"] == [
        "build/Q2-2023/dataset.json"
    ]


def test_red_for_three_quarters_reads_back_while_the_run_lasts(tmp_path: Path) -> None:
    project = empty_project(tmp_path / "council")
    quarters = Quarters(
        project,
        {
            **QUARTERS,
            Q4_2023: {**QUARTERS[Q4_2023], "WR-01": 50.0},
            Period(2023, 3): {"WR-01": 56.0},
        },
    )
    summary = summarise_period(project, Q2, reader=quarters)
    assert summary.row("WR-01").red_run == 3
    assert "has been Red for 3 consecutive quarters" in summary.key_issues[0].issues[1].text


def test_no_data_is_counted_separately_and_never_red(tmp_path: Path) -> None:
    project = empty_project(tmp_path / "council")
    missing = Observation("WR-01", None, DataStatus.NOT_AVAILABLE)
    quarters = Quarters(project, {**QUARTERS, Q2: {**QUARTERS[Q2], "WR-01": missing}})
    summary = summarise_period(project, Q2, reader=quarters)
    assert summary.counts == RagCounts(green=2, amber=0, red=1, not_rated=1, no_data=1)
    assert summary.rated == 4  # rated indicators, one of them without a figure
    assert summary.row("WR-01").rag_text == "No data"
    assert [r.ref for r in summary.dropped_measures] == ["WR-01"]
    assert dataset_document(summary)["summary"]["transitions"]["red->red"] == 0


def test_without_last_quarter_there_is_no_movement(tmp_path: Path) -> None:
    project = empty_project(tmp_path / "council")
    summary = summarise_period(project, Q2, reader=Quarters(project, {Q2: QUARTERS[Q2]}))
    assert summary.history_source is HistorySource.NONE
    assert (summary.previous_counts, summary.movement) == (None, None)
    assert summary.narrative == (
        "There are no ratings for Q1 2024/25 to compare with, so the "
        "movement since last quarter cannot be shown."
    )
    assert [r.ref for r in summary.new_measures] == ["WR-01", "WR-02", "ASC-01"]
    assert all(p.previous is None for p in summary.by_priority)


def test_findings_of_the_period_block_and_earlier_ones_are_kept_apart(tmp_path: Path) -> None:
    from perfreport.core.codes import CODES, finding

    project = empty_project(tmp_path / "council")
    now = finding(
        "not-a-number", file="a.xlsx", cell="C9", text="about 80", otherwise="leave it blank"
    )
    then = finding("missing-return", **CODES["missing-return"].example)
    summary = summarise_period(
        project, Q2, reader=Quarters(project, QUARTERS, CATALOGUE, {Q2: (now,), Q1: (then,)})
    )
    # This quarter's read, then the warnings about its Red and Amber rows with no actions.
    assert summary.findings[0] == now
    assert {f.code for f in summary.findings[1:]} == {"no-actions"}
    assert summary.errors == (now,)
    assert dict(summary.earlier_findings) == {"Q2-2023": (), "Q4-2023": (), "Q1-2024": (then,)}


# -- history is not re-rated ------------------------------------------------------------------


def waste_and_care(project, period: Period, wr01: float) -> None:
    service_return(project, period, "Waste", values={"WR-01": wr01, "WR-02": 70})
    service_return(project, period, "Adult Social Care", values={"ASC-01": 31.0})


def with_wr01_target(target: float) -> list[dict]:
    return [{**row, "target": target} if row["ref"] == "WR-01" else dict(row) for row in INDICATORS]


def test_a_published_quarter_keeps_its_ratings_when_targets_change(tmp_path: Path) -> None:
    project = make_project(tmp_path / "council")
    waste_and_care(project, Q1, 53.0)  # target 55, Amber from 52.25: Amber
    waste_and_care(project, Q2, 54.0)
    published = project.build_dir(Q1) / "dataset.json"
    q1 = summarise_period(project, Q1)
    assert q1.row("WR-01").rag is RAG.AMBER
    write_export(q1, "json", published)  # what the build does when the paper is made

    write_catalogue(project.catalogue_path, with_wr01_target(50.0))  # 53.0 would now be Green
    project = load_project(project.root)
    q2 = summarise_period(project, Q2)
    assert q2.history_source is HistorySource.PUBLISHED
    assert q2.row("WR-01").previous_rag is RAG.AMBER
    assert q2.previous_counts.amber == 1
    differs = [f for f in q2.findings if f.code == "published-rating-differs"]
    assert [(f.severity, f.file, f.ref, f.value) for f in differs] == [
        (Severity.INFO, "build/Q1-2024/dataset.json", "WR-01", "Amber")
    ]
    assert differs[0].message == (
        "WR-01 was published as Amber for Q1 2024/25, but its returns rated with today's "
        "catalogue give Green (53.0% against target 50.0%: Green). The summary keeps the "
        "published Amber, as committee saw it. If the published paper was wrong, rebuild "
        "Q1-2024 after deleting build/Q1-2024/dataset.json."
    )

    published.unlink()  # without the published dataset, Q1 is rated again with today's targets
    again = summarise_period(project, Q2)
    assert (again.history_source, again.row("WR-01").previous_rag) == (
        HistorySource.RECOMPUTED,
        RAG.GREEN,
    )
    assert not [f for f in again.findings if f.code == "published-rating-differs"]


def test_a_figure_carried_forward_from_a_published_quarter_keeps_its_commentary(
    tmp_path: Path,
) -> None:
    project = make_project(tmp_path / "council")
    write_return(
        project.returns_dir(Q4_2023) / "care.xlsx",
        [
            {"Ref": "ASC-01", "Value": 31.0},
            {
                "Ref": "ASC-02",
                "Value": 58.0,
                "Data status": "Provisional",
                "Commentary": "From the 2023/24 survey of 1,200 adults.",
            },
        ],
        service="Adult Social Care",
        period=Q4_2023,
    )
    service_return(project, Q1, "Adult Social Care", values={"ASC-01": 32.0})

    def annual(summary) -> tuple:  # ASC-02 is annual, due in Q4: Q1 shows the 2023/24 outturn
        row = dataset_document(summary)["indicators"]
        [record] = [r for r in row if r["ref"] == "ASC-02"]
        return (
            record["status"],
            record["value"],
            record["value_label"],
            record["commentary"],
            record["data_status"],
            record["source"],
        )

    recomputed = annual(summarise_period(project, Q1))
    assert recomputed == (
        "not_due",
        58.0,
        "2023/24 outturn",
        "From the 2023/24 survey of 1,200 adults.",
        "Provisional",
        {"file": "returns/Q4-2023/care.xlsx", "sheet": "Return", "cell": "C10"},
    )
    # Publishing Q4 (building its paper) must not change what the Q1 paper says about it.
    write_export(
        summarise_period(project, Q4_2023), "json", project.build_dir(Q4_2023) / "dataset.json"
    )
    published = summarise_period(project, Q1)
    assert published.history_source is HistorySource.PUBLISHED  # Q4-2023 is the previous quarter
    assert annual(published) == recomputed


def test_a_measure_published_last_quarter_but_since_removed_is_no_longer_reported(
    tmp_path: Path,
) -> None:
    project = make_project(tmp_path / "council")
    waste_and_care(project, Q1, 53.0)
    waste_and_care(project, Q2, 54.0)
    write_export(summarise_period(project, Q1), "json", project.build_dir(Q1) / "dataset.json")
    write_catalogue(project.catalogue_path, [r for r in INDICATORS if r["ref"] != "WR-02"])
    q2 = summarise_period(load_project(project.root), Q2)
    dropped = q2.dropped_measures
    assert [(r.ref, r.rag, r.indicator.priority) for r in dropped] == [
        ("WR-02", RAG.GREEN, "greener")
    ]
    assert q2.previous_counts.total == 5 and q2.total == 4


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            "{not json",
            "it is not valid JSON (Expecting property name enclosed in double quotes at line 1)",
        ),
        ('{"schema": "other/1"}', "it is not a perfreport.dataset/1 document"),
        (
            '{"schema": "perfreport.dataset/1", "period": "Q4-2023", "indicators": []}',
            "it is for 'Q4-2023', not Q1-2024",
        ),
        (
            '{"schema": "perfreport.dataset/1", "period": "Q1-2024", "indicators": [{"ref": "WR-01", '
            '"status": "reported", "value": "high"}]}',
            "'high' is not a number",
        ),
    ],
)
def test_an_unusable_published_dataset_is_a_warning_and_the_quarter_is_recomputed(
    tmp_path: Path, content: str, problem: str
) -> None:
    project = empty_project(tmp_path / "council")
    path = project.build_dir(Q1) / "dataset.json"
    path.parent.mkdir(parents=True)
    path.write_text(content, encoding="utf-8")
    summary = summarise_period(project, Q2, reader=Quarters(project, QUARTERS))
    assert summary.history_source is HistorySource.RECOMPUTED
    [warning] = [f for f in summary.findings if f.code == "published-dataset-unreadable"]
    assert (warning.severity, warning.file) == (Severity.WARNING, "build/Q1-2024/dataset.json")
    assert warning.message == (
        f"build/Q1-2024/dataset.json cannot be used: {problem}. Q1 "
        "2024/25 was rated again from its returns instead. Rebuild "
        "Q1-2024 with its returns in returns/Q1-2024 to publish a new one."
    )


@pytest.mark.parametrize("returns", ["removed", "emptied", "moved"])
def test_an_unusable_published_dataset_of_a_quarter_with_no_returns_says_it_was_not_rated(
    tmp_path: Path, returns: str
) -> None:
    # Q1's dataset.json is damaged and its returns are gone: it cannot be rated again, and a
    # rebuild needs its returns back (built without them, it would publish "No data").
    project = make_project(tmp_path / "council")
    waste_and_care(project, Q1, 53.0)
    waste_and_care(project, Q2, 54.0)
    published = project.build_dir(Q1) / "dataset.json"
    published.parent.mkdir(parents=True)
    published.write_text("{", encoding="utf-8")
    folder = project.returns_dir(Q1)
    for path in folder.iterdir():
        path.unlink()
    if returns == "removed":
        folder.rmdir()
    elif returns == "moved":  # a note in their place: still no returns
        (folder / "moved.txt").write_text("On the shared drive.", encoding="utf-8")
    summary = summarise_period(project, Q2)
    [warning] = [f for f in summary.findings if f.code == "published-dataset-unreadable"]
    assert warning.message == (
        "build/Q1-2024/dataset.json cannot be used: it is not valid JSON (Expecting property "
        "name enclosed in double quotes at line 1). Q1 2024/25 could not be rated again from "
        "its returns instead, as it has none. Rebuild Q1-2024 with its returns in "
        "returns/Q1-2024 to publish a new one."
    )


@pytest.mark.parametrize(
    ("kept", "instead"),
    [
        ("waste.xlsx", "was not rated again from its returns instead, as they are not read this "),
        ("moved.txt", "could not be rated again from its returns instead, as it has none"),
    ],
)
def test_an_unusable_published_dataset_further_back_than_the_returns_read_says_so(
    tmp_path: Path, kept: str, instead: str
) -> None:
    # The RAG counts over time look back seven quarters, to Q3 2022/23, whose returns are not
    # read (the ratings read four quarters back, and a measure not due four before those): it
    # was not rated from them; and when its folder holds no return (a note in their place), it
    # has none to be rated from.
    project = empty_project(tmp_path / "council")
    q3_2022 = Period(2022, 3)
    published = project.build_dir(q3_2022) / "dataset.json"
    published.parent.mkdir(parents=True)
    published.write_text("{", encoding="utf-8")
    project.returns_dir(q3_2022).mkdir(parents=True)
    (project.returns_dir(q3_2022) / kept).write_bytes(b"a return, or a note")
    quarters = Quarters(project, {Q1: QUARTERS[Q1], Q2: QUARTERS[Q2]})
    summary = summarise_period(project, Q2, reader=quarters)
    assert sorted(quarters.reads) == [Q1, Q2]
    [warning] = [f for f in summary.findings if f.code == "published-dataset-unreadable"]
    assert warning.message == (
        "build/Q3-2022/dataset.json cannot be used: it is not valid JSON (Expecting property "
        f"name enclosed in double quotes at line 1). Q3 2022/23 {instead}"
        f"{'far back' if kept == 'waste.xlsx' else ''}. Rebuild Q3-2022 with its returns "
        "in returns/Q3-2022 to publish a new one."
    )


# -- the example ------------------------------------------------------------------------------


def golden_view(summary) -> dict:
    """The parts of the summary the golden file pins down."""
    document = summary_document(summary)
    keep = (
        "period",
        "previous_period",
        "headline",
        "narrative",
        "movement",
        "total",
        "rated",
        "counts",
        "previous_counts",
        "by_priority",
        "transitions",
        "new_measures",
        "dropped_measures",
        "history",
    )
    view = {key: document[key] for key in keep}
    view["key_issues"] = {
        g["priority_key"]: [f"{i['kind']} {i['ref']}" for i in g["issues"]]
        for g in document["key_issues"]
    }
    return view


@pytest.mark.skipif(not (SOMERSET / "perfreport.toml").is_file(), reason="no examples/somerset")
def test_somerset_q2_2024_has_the_reference_papers_shape() -> None:
    summary = summarise_period(load_project(SOMERSET), Q2)
    assert summary.headline == (
        "The 2024/25 Q2 report contains 114 indicators, of which 56 "
        "have a Red, Amber, Green (RAG) rating."
    )
    before, now = summary.previous_counts, summary.counts
    assert now.amber < before.amber and now.green > before.green and now.red > before.red
    assert summary.narrative == (
        "A comparison between Q1 and Q2 of 2024/25 shows that overall, the number of Amber "
        "measures has decreased, reflecting increased numbers of Green and Red measures."
    )
    assert summary.errors == ()
    golden = GOLDEN / "somerset-Q2-2024-summary.json"
    view = golden_view(summary)
    if os.environ.get("PERFREPORT_UPDATE_GOLDEN"):
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(json.dumps(view, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    assert view == json.loads(golden.read_text(encoding="utf-8"))


def test_an_annual_figure_carried_forward_is_one_red_figure_and_no_new_key_issue(
    tmp_path: Path,
) -> None:
    project = empty_project(tmp_path / "council")
    quarters = Quarters(project, {**QUARTERS, Q4_2023: {**QUARTERS[Q4_2023], "ASC-02": 40.0}})
    summary = summarise_period(project, Q2, reader=quarters)
    row = summary.row("ASC-02")
    assert (row.rag, row.current.value_period) == (RAG.RED, Q4_2023)
    assert row.red_run == 1  # shown in Q4, Q1 and Q2, but one figure
    # Rated against 2023/24's target, and the paper says so beside its "(2023/24 outturn)".
    assert (row.value_text, row.target_text) == ("40.0% (2023/24 outturn)", "60.0% for 2023/24")
    refs = [i.item.ref for g in summary.key_issues for i in g.issues]
    assert "ASC-02" not in refs  # the same figure as last quarter: nothing new to report


def test_published_quarters_are_not_read_again(tmp_path: Path) -> None:
    """Read only what is new: a quarter with a published dataset.json gives its ratings from
    there; only this quarter and the previous one (to compare with what was published) are
    read. A dataset.json that cannot be used sends the history back to that quarter's returns."""
    project = empty_project(tmp_path / "council")
    unpublished = summarise_period(project, Q2, reader=Quarters(project, QUARTERS))
    for period in (Q2_2023, Q4_2023, Q1):
        published = summarise_period(project, period, reader=Quarters(project, QUARTERS))
        write_export(published, "json", project.build_dir(period) / "dataset.json")

    quarters = Quarters(project, QUARTERS)
    summary = summarise_period(project, Q2, reader=quarters)
    assert quarters.reads == [Q2, Q1]
    assert summary.history_sources == {
        "Q1-2024": HistorySource.PUBLISHED,
        "Q2-2023": HistorySource.PUBLISHED,
    }
    assert summary.indicators == unpublished.indicators
    assert summary.counts == unpublished.counts

    (project.build_dir(Q4_2023) / "dataset.json").write_text("{", encoding="utf-8")
    quarters = Quarters(project, QUARTERS)
    again = summarise_period(project, Q2, reader=quarters)
    assert quarters.reads == [Q2, Q1, Q4_2023]
    assert [f.file for f in again.findings if f.code == "published-dataset-unreadable"] == [
        "build/Q4-2023/dataset.json"
    ]
    assert again.indicators == unpublished.indicators


def test_the_published_datasets_findings_come_last_quarter_first_then_the_most_recent_back(
    tmp_path: Path,
) -> None:
    """Last quarter's dataset first, then the older ones the ratings looked back to, the most
    recent first: the same order whether the trends were made before the rest (as a build does,
    to draw their charts meanwhile) or in the summary."""
    project = empty_project(tmp_path / "council")
    for period in (Q2_2023, Q4_2023, Q1):
        path = project.build_dir(period) / "dataset.json"
        path.parent.mkdir(parents=True)
        path.write_text("{", encoding="utf-8")
    expected = [
        "build/Q1-2024/dataset.json",
        "build/Q4-2023/dataset.json",
        "build/Q2-2023/dataset.json",
    ]
    made_first = summarise_period(project, Q2, reader=Quarters(project, QUARTERS))
    history = read_history(project, Q2, reader=Quarters(project, QUARTERS))
    at_once = summarise(history)
    for summary in (made_first, at_once):
        unreadable = [f for f in summary.findings if f.code == "published-dataset-unreadable"]
        assert [f.file for f in unreadable] == expected
    assert made_first.findings == at_once.findings
