"""Quarterly and cumulative targets: the Targets sheet's Q1–Q4 and Profile, read, rated and shown."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from projectfactory import make_project, write_catalogue, write_config
from ratingfactory import Quarters, empty_project
from returnfactory import write_return

from perfreport.build import return_forms, summarise_period
from perfreport.core.model import (
    RAG,
    Catalogue,
    DataStatus,
    Indicator,
    Observation,
    Polarity,
    YearTarget,
)
from perfreport.core.periods import Period
from perfreport.core.project import load_project
from perfreport.core.targets import QuarterTarget, TargetProfile, parse_profile, quarter_target
from perfreport.inputs.catalogue import load_catalogue
from perfreport.inputs.report_file import parse_report
from perfreport.inputs.returns import read_return
from perfreport.paper.context import make_paper
from perfreport.publish.export import dataset_document
from perfreport.rating.rules import Direction, rate

Q1_2023, Q2_2023 = Period(2023, 1), Period(2023, 2)
Q1, Q2, Q3 = Period(2024, 1), Period(2024, 2), Period(2024, 3)

# -- the arithmetic ---------------------------------------------------------------------------


def test_cumulative_even_is_a_quarter_of_the_year_per_quarter() -> None:
    even = TargetProfile.CUMULATIVE_EVEN
    assert [quarter_target(600, None, q, (), even).target for q in (1, 2, 3, 4)] == [
        150,
        300,
        450,
        600,
    ]
    # A collection rate spread evenly: 24.25% by Q1. The paper rounds it as it shows it.
    assert quarter_target(97.0, None, 1, (), even) == QuarterTarget(
        24.25, None, 97.0, 1, cumulative=True
    )


def test_the_years_amber_carries_over_in_proportion() -> None:
    """Amber from 96.0 on a year's 97.5 is the same share of Q2's 54.5: 53.661..."""
    q2 = quarter_target(97.5, 96.0, 2, (28.0, 54.5, 81.0, 97.5), TargetProfile.CUMULATIVE)
    assert (q2.target, q2.year_target, q2.quarter, q2.cumulative) == (54.5, 97.5, 2, True)
    assert Decimal(repr(q2.amber)).quantize(Decimal("0.0001")) == Decimal("53.6615")
    # A zero year target: the same distance instead (no share of zero).
    assert quarter_target(0.0, -2.0, 3, (None, None, 1.0, None)).amber == -1.0
    # Without the year's Amber, the tolerance applies to the quarter's target (the rule's job).
    assert quarter_target(97.5, None, 2, (28.0, 54.5, 81.0, 97.5)).amber is None


def test_a_quarter_without_its_own_target_uses_the_years() -> None:
    assert quarter_target(97.5, 96.0, 3, (28.0, 54.5, None, 97.5)) == QuarterTarget(97.5, 96.0)
    assert quarter_target(None, None, 2, (28.0, 54.5, 81.0, 97.5)) == QuarterTarget(None, None)


@pytest.mark.parametrize(
    ("text", "profile"),
    [
        ("cumulative-even", TargetProfile.CUMULATIVE_EVEN),
        ("Cumulative Even", TargetProfile.CUMULATIVE_EVEN),
        ("CUMULATIVE_EVEN", TargetProfile.CUMULATIVE_EVEN),
        (" cumulative ", TargetProfile.CUMULATIVE),
        ("even", None),
    ],
)
def test_profile_names_are_read_as_typed(text: str, profile: TargetProfile | None) -> None:
    assert parse_profile(text) is profile


# -- reading the Targets sheet ------------------------------------------------------------------


def row(ref: str, **fields: object) -> dict[str, object]:
    return {
        "ref": ref,
        "title": f"Measure {ref}",
        "priority": "greener",
        "service": "Revenues",
        "unit": "%",
        "decimals": 1,
        "polarity": "higher",
        **{k.replace("_", " "): v for k, v in fields.items()},
    }


def load(tmp_path: Path, indicators: list[dict], targets: list[dict]):
    write_config(tmp_path)
    write_catalogue(tmp_path / "catalogue.xlsx", indicators, targets=targets)
    return load_catalogue(load_project(tmp_path))


def target_row(ref: str, **fields: object) -> dict[str, object]:
    blank = dict.fromkeys(("amber", "profile", "q1", "q2", "q3", "q4"))
    return {"ref": ref, "year": "2024/25", **blank, **fields}


def test_quarter_targets_and_profiles_are_read(tmp_path: Path) -> None:
    targets = [
        target_row(
            "REV-01", target=97.5, amber=96, q1=28, q2=54.5, q3=81, q4=97.5, profile="cumulative"
        ),
        target_row("HOU-05", target=600, profile="Cumulative-even"),
        target_row("LIB-01", target=100, q1=20, q2=30, q3=30, q4=20),
    ]
    indicators = [row("REV-01"), row("HOU-05", unit="number"), row("LIB-01", unit="number")]
    catalogue, findings = load(tmp_path, indicators, targets)
    assert findings == ()
    assert catalogue.targets == (
        YearTarget("REV-01", 2024, 97.5, 96.0, (28.0, 54.5, 81.0, 97.5), TargetProfile.CUMULATIVE),
        YearTarget("HOU-05", 2024, 600.0, None, (), TargetProfile.CUMULATIVE_EVEN),
        YearTarget("LIB-01", 2024, 100.0, None, (20.0, 30.0, 30.0, 20.0)),
    )
    assert catalogue.quarter_target("REV-01", Q1).target == 28.0
    assert catalogue.quarter_target("HOU-05", Q3) == QuarterTarget(450.0, None, 600.0, 3, True)
    # LIB-01's quarters are the quarter's own (not year to date): no cumulative direction.
    assert catalogue.quarter_target("LIB-01", Q2) == QuarterTarget(30.0, None, 100.0, 2)
    # Another year, and the year's target for the year (Appendix C, the definitions) unchanged.
    assert catalogue.quarter_target("REV-01", Q2_2023) == QuarterTarget(None, None)
    assert catalogue.target_for("REV-01", 2024) == (97.5, 96.0)


def messages(findings) -> list[tuple[str, str | None, str]]:
    return [(f.code, f.cell, f.message) for f in findings]


def test_quarter_targets_partly_filled(tmp_path: Path) -> None:
    targets = [
        target_row("REV-01", target=97.5, q1=28, q2=54.5),
        target_row("REV-02", target=98, profile="cumulative"),
        target_row("REV-03", target=98, q1=28, q4=98, profile="cumulative"),
    ]
    _, findings = load(tmp_path, [row("REV-01"), row("REV-02"), row("REV-03")], targets)
    assert messages(findings) == [
        (
            "catalogue-quarter-targets-partial",
            "H2",
            "Cell H2: REV-01 (2024/25) has targets for Q1 and Q2 but no target for Q3 and Q4, "
            "so Q3 and Q4 will be rated against the year's target 97.5. Fill in Q3 and Q4, or "
            "clear Q1–Q4 to rate every quarter against the year's target.",
        ),
        (
            "catalogue-quarter-targets-partial",
            "F3",
            "Cell F3: REV-02 (2024/25) has profile cumulative but no target for Q1, Q2, Q3 and "
            "Q4, so Q1, Q2, Q3 and Q4 will be rated against the year's target 98. Fill in Q1, "
            "Q2, Q3 and Q4, or clear the profile to rate every quarter against the year's "
            "target.",
        ),
        (
            "catalogue-quarter-targets-partial",
            "G4",
            "Cell G4: REV-03 (2024/25) has targets for Q1 and Q4 but no target for Q2 and Q3, "
            "so Q2 and Q3 will be rated against the year's target 98. Fill in Q2 and Q3, or "
            "clear Q1–Q4 and the profile to rate every quarter against the year's target.",
        ),
    ]
    assert {f.sheet for f in findings} == {"Targets"}
    assert [f.severity.value for f in findings] == ["warning"] * 3


def test_a_quarter_target_that_is_not_a_number(tmp_path: Path) -> None:
    targets = [target_row("REV-01", target=97.5, q1=28, q2="about 55", q3=81, q4=97.5)]
    catalogue, findings = load(tmp_path, [row("REV-01")], targets)
    assert messages(findings) == [
        (
            "catalogue-bad-quarter-target",
            "G2",
            "Cell G2: REV-01 (2024/25) has Q2 target 'about 55', which is not a number, so it is "
            "ignored. Enter the Q2 target as a number, or leave it blank.",
        )
    ]
    assert findings[0].severity.value == "error"
    assert catalogue.targets[0].quarters == (28.0, None, 81.0, 97.5)
    assert catalogue.quarter_target("REV-01", Q2).target == 97.5  # the year's


def test_a_computed_profile_and_typed_quarters(tmp_path: Path) -> None:
    targets = [target_row("HOU-05", target=600, q1=100, profile="cumulative-even")]
    catalogue, findings = load(tmp_path, [row("HOU-05", unit="number")], targets)
    assert messages(findings) == [
        (
            "catalogue-profile-with-quarters",
            "E2",
            "Cell E2: HOU-05 (2024/25) has profile cumulative-even and also targets typed in Q1: "
            "the typed targets are used for Q1 and the profile for the other quarters. Clear Q1, "
            "or set the profile to cumulative and type every quarter's target.",
        )
    ]
    assert [catalogue.quarter_target("HOU-05", Period(2024, q)).target for q in (1, 2, 3, 4)] == [
        100,
        300,
        450,
        600,
    ]


def test_an_unknown_profile_lists_the_known_ones(tmp_path: Path) -> None:
    targets = [target_row("HOU-05", target=600, profile="even")]
    catalogue, findings = load(tmp_path, [row("HOU-05", unit="number")], targets)
    assert messages(findings) == [
        (
            "catalogue-unknown-profile",
            "E2",
            "Cell E2: HOU-05 (2024/25) has profile 'even', which is not a known profile, so it "
            "is ignored. Enter one of: cumulative, cumulative-even; or leave it blank to rate "
            "every quarter against the year's target.",
        )
    ]
    assert catalogue.quarter_target("HOU-05", Q2) == QuarterTarget(600.0, None)


def test_a_profile_or_quarters_without_a_year_target(tmp_path: Path) -> None:
    targets = [
        target_row("HOU-05", target=None, profile="cumulative-even"),
        target_row("REV-01", target=None, q1=28, q2=54.5, q3=81, q4=97.5),
        target_row("REV-02", target="lots", profile="cumulative-even"),
    ]
    indicators = [row("HOU-05", unit="number"), row("REV-01"), row("REV-02")]
    catalogue, findings = load(tmp_path, indicators, targets)
    assert messages(findings) == [
        (
            "catalogue-profile-without-target",
            "C2",
            "Cell C2: HOU-05 (2024/25) has profile cumulative-even but no year target, so it is "
            "not rated in 2024/25. Enter the year's target in the Target column (for a "
            "year-to-date measure, the figure due by Q4).",
        ),
        (
            "catalogue-profile-without-target",
            "C3",
            "Cell C3: REV-01 (2024/25) has quarter targets but no year target, so it is not "
            "rated in 2024/25. Enter the year's target in the Target column (for a year-to-date "
            "measure, the figure due by Q4).",
        ),
        # A target that is not a number says so itself, once.
        (
            "catalogue-bad-number",
            "C4",
            "Cell C4: REV-02 has target 'lots', which is not a number. Enter a number, or leave "
            "it blank.",
        ),
    ]
    assert catalogue.quarter_target("REV-01", Q2) == QuarterTarget(None, None)


def test_year_to_date_targets_that_rise_and_fall(tmp_path: Path) -> None:
    targets = [
        target_row("REV-01", target=97.5, q1=28, q2=54.5, q3=50, q4=97.5, profile="cumulative"),
        # A falling year-to-date total (net spend against budget, say) is fine one way.
        target_row("FIN-01", target=-40, q1=-10, q2=-20, q3=-30, q4=-40, profile="cumulative"),
        # Quarters with no profile are each the quarter's own: they may go either way.
        target_row("LIB-01", target=100, q1=20, q2=30, q3=10, q4=40),
    ]
    indicators = [row("REV-01"), row("FIN-01", unit="£m"), row("LIB-01", unit="number")]
    _, findings = load(tmp_path, indicators, targets)
    assert messages(findings) == [
        (
            "catalogue-quarter-targets-not-cumulative",
            "H2",
            "Cell H2: REV-01 (2024/25) is year to date (profile cumulative), so its quarter "
            "targets should only rise or only fall through the year, but they run Q1 28, Q2 "
            "54.5, Q3 50, Q4 97.5. Check the Q3 target.",
        )
    ]


def test_a_quarter_target_for_a_quarter_not_due(tmp_path: Path) -> None:
    indicators = [row("PH-03", frequency="half-yearly", due="Q2,Q4")]
    targets = [target_row("PH-03", target=70, q1=60, q2=65, q4=70)]
    catalogue, findings = load(tmp_path, indicators, targets)
    assert messages(findings) == [
        (
            "catalogue-quarter-target-not-due",
            "F2",
            "Cell F2: PH-03 (2024/25) has a Q1 target, but it is due only in Q2 and Q4, so the "
            "target is never used. Clear the cell, or correct the catalogue's due quarters.",
        )
    ]
    assert catalogue.targets[0].quarters == (None, 65.0, None, 70.0)


# -- rating -----------------------------------------------------------------------------------

COLLECTION = Indicator(
    "REV-01",
    "Council tax collected (year to date)",
    "resilient",
    "Revenues",
    Polarity.HIGHER,
    unit="%",
    decimals=1,
)
PROFILE = (28.0, 54.5, 81.0, 97.5)
CUMULATIVE = Catalogue(
    (COLLECTION,),
    (
        YearTarget("REV-01", 2023, 97.0, 95.5, (27.5, 54.0, 80.5, 97.0), TargetProfile.CUMULATIVE),
        YearTarget("REV-01", 2024, 97.5, 96.0, PROFILE, TargetProfile.CUMULATIVE),
    ),
)


def observed(value: float, **more: object) -> Observation:
    return Observation("REV-01", value, **more)


def test_a_figure_on_its_quarters_target_is_green_though_short_of_the_years(tmp_path) -> None:
    project = empty_project(tmp_path / "council")
    rating = rate(COLLECTION, observed(55.0), Q2, CUMULATIVE, project.rating)
    assert (rating.rag, rating.target, rating.cumulative) == (RAG.GREEN, 54.5, True)
    assert rating.reason == "55.0% against the Q2 target 54.5% (year 97.5%): Green"
    short = rate(COLLECTION, observed(53.0), Q2, CUMULATIVE, project.rating)
    assert short.rag is RAG.RED
    assert short.reason == (
        "53.0% against the Q2 target 54.5% (year 97.5%): Red (Amber from 53.7%)"
    )
    # The same figure against the year's target alone would be Red: the year's 97.5%.
    flat = Catalogue((COLLECTION,), (YearTarget("REV-01", 2024, 97.5, 96.0),))
    assert rate(COLLECTION, observed(55.0), Q2, flat, project.rating).rag is RAG.RED


def test_a_figure_in_arrears_is_rated_against_its_own_quarters_target(tmp_path) -> None:
    """Q1's figure, returned in Q2 (In arrears), is held to Q1's 28.0%, not Q2's 54.5%."""
    project = empty_project(tmp_path / "council")
    late = observed(28.1, data_status=DataStatus.IN_ARREARS, data_period=Q1)
    rating = rate(COLLECTION, late, Q2, CUMULATIVE, project.rating)
    assert (rating.rag, rating.target, rating.value_label) == (
        RAG.GREEN,
        28.0,
        "Q1 2024/25 figure",
    )
    assert rating.reason == (
        "28.1% (Q1 2024/25 figure) against the Q1 target 28.0% (year 97.5%): Green"
    )


@pytest.fixture
def collection(tmp_path: Path):
    project = empty_project(tmp_path / "council")
    quarters = {
        Q1_2023: {"REV-01": 27.0},
        Q2_2023: {"REV-01": 54.2},
        Q1: {"REV-01": 27.0},  # short of Q1's 28.0 (Amber from 27.6): Red
        Q2: {"REV-01": 54.6},  # Q2's 54.5: Green, and above Q2 2023/24's 54.2
    }
    return summarise_period(project, Q2, reader=Quarters(project, quarters, CUMULATIVE))


def test_last_quarters_rag_and_the_direction_of_a_year_to_date_measure(collection) -> None:
    (row,) = collection.indicators
    assert (row.rag, row.previous_rag, row.previous.target) == (RAG.GREEN, RAG.RED, 28.0)
    # 54.6 on Q1's 27.0 is no news: only the same quarter last year is compared.
    assert (row.direction_short, row.direction_long) == (
        Direction.NOT_COMPARABLE,
        Direction.IMPROVING,
    )
    assert row.target_text == "54.5% by Q2 (year 97.5%)"
    trend = collection.trends["REV-01"]
    # A line through figures that climb every year says nothing: the trend compares years too.
    assert (trend.direction, trend.year_to_date) == (Direction.IMPROVING, True)
    assert trend.text == (
        "Trend, Q2 2023/24 to Q2 2024/25: 54.2% to 54.6% (year to date), improving on the same "
        "quarter last year; target 54.5%; below target in 1 of 3 quarters; no figure for Q3 "
        "2023/24, Q4 2023/24"
    )
    assert [(p.label, p.target) for p in trend.points][-2:] == [
        ("Q1 2024/25", 28.0),
        ("Q2 2024/25", 54.5),
    ]


def test_the_year_to_date_direction_holds_with_a_long_term_trend(tmp_path: Path) -> None:
    project = empty_project(tmp_path / "council")
    config = project.root / "perfreport.toml"
    config.write_text(
        config.read_text(encoding="utf-8") + '\n[rating]\nlong_term = "trend"\n', encoding="utf-8"
    )
    project = load_project(project.root)
    quarters = {Q2_2023: {"REV-01": 54.9}, Q1: {"REV-01": 28.0}, Q2: {"REV-01": 54.6}}
    summary = summarise_period(project, Q2, reader=Quarters(project, quarters, CUMULATIVE))
    assert summary.indicators[0].direction_long is Direction.WORSENING  # 54.6 on 54.9


def test_the_paper_labels_the_quarters_target_and_explains_it(collection) -> None:
    paper = make_paper(collection, report_text(), charts=False)
    # The project's other priorities have no indicator: their headings say so.
    (section,) = [g for g in paper.appendix.groups if g.indicators]
    assert {g.count_line for g in paper.appendix.groups if not g.indicators} == {
        "No indicators this quarter."
    }
    (shown,) = section.indicators
    assert (shown.target, shown.rag, shown.direction) == (
        "54.5% by Q2 (year 97.5%)",
        "\u25cf\u00a0Green",
        "Quarter: n/a (year to date)\nYear: Improving\u00a0+",
    )
    assert any(
        note.startswith("Target: where a quarter has its own target, the year's follows it.")
        and "compares it only with the same quarter last year" in note
        for note in paper.appendix.notes
    )


def report_text():
    report, _ = parse_report({}, Path("reports/Q2-2024.toml"))
    return report


def test_the_export_carries_the_quarters_target_and_rerates_to_its_rag(collection) -> None:
    (record,) = dataset_document(collection)["indicators"]
    assert (record["target"], record["target_as_rated"], record["rag"]) == (54.5, 54.5, "green")
    assert record["amber_threshold_as_rated"] == 53.7  # 54.5 × 96.0 / 97.5, as shown
    value, goal, edge = (
        Decimal(str(record[k]))
        for k in ("value_as_rated", "target_as_rated", "amber_threshold_as_rated")
    )
    assert ("green" if value >= goal else "amber" if value >= edge else "red") == record["rag"]


# -- the return form --------------------------------------------------------------------------


def test_the_return_form_prints_the_quarters_target(tmp_path: Path) -> None:
    indicators = [row("REV-01", service="Revenues", target=97.5, amber=96)]
    targets = [
        target_row(
            "REV-01", target=97.5, amber=96, q1=28, q2=54.5, q3=81, q4=97.5, profile="cumulative"
        )
    ]
    project = make_project(tmp_path / "council", indicators, targets=targets)
    (path,) = return_forms(project, Q2)
    sheet = openpyxl.load_workbook(path)["Return"]
    assert [c.value for c in sheet[9][:5]] == ["Ref", "Measure", "Unit", "Good is", "Target"]
    ref, _, _, good_is, target = sheet[10][:5]
    assert (ref.value, target.value, target.number_format) == ("REV-01", 54.5, '#,##0.0" by Q2"')
    assert good_is.value == "Higher (Amber from 53.7%); year target 97.5%"
    instructions = {r[0]: r[1] for r in openpyxl.load_workbook(path)["Instructions"].values}
    assert instructions["Target"].startswith(
        "The target for Q2 2024/25. Where it is the quarter's own, it says so: 'by Q2'"
    )


def test_appendix_b_shows_the_quarters_target(tmp_path: Path) -> None:
    project = empty_project(tmp_path / "council")
    quarters = {Q1: {"REV-01": 28.1}, Q2: {"REV-01": 52.0}}  # Q2: Red against 54.5 (53.7)
    summary = summarise_period(project, Q2, reader=Quarters(project, quarters, CUMULATIVE))
    (entry,) = make_paper(summary, report_text(), charts=False).exceptions.entries
    assert (entry.ref, entry.current, entry.target, entry.rag_previous) == (
        "REV-01",
        "52.0%",
        "54.5% by Q2 (year 97.5%)",
        "Q1: Green",
    )


@pytest.mark.parametrize(
    ("typed", "messages"),
    [
        (54.5, []),  # the form's own figure: the quarter's target
        (
            97.5,
            [
                "Cell C9: the target 97.5 differs from the catalogue's target of 54.5 for Q2 "
                "2024/25. The catalogue's target is used; tell the performance team if it should "
                "change."
            ],
        ),
    ],
)
def test_a_returns_target_is_checked_against_the_quarters(
    tmp_path: Path, typed: float, messages: list[str]
) -> None:
    path = write_return(
        tmp_path / "revenues.xlsx",
        [{"Ref": "REV-01", "Value": 55.0, "Target": typed}],
        headings=("Ref", "Value", "Target"),
        metadata={"Service": "Revenues", "Period": Q2.label},
    )
    result, findings = read_return(path, CUMULATIVE, period=Q2, display_name="revenues.xlsx")
    assert result is not None
    assert [f.message for f in findings] == messages


def test_a_year_without_a_targets_row_is_rated_against_the_catalogue_default_every_time() -> None:
    """The default is made once a measure and shared (QuarterTarget is frozen); a year with a
    row still gets its own, and the memo is not pickled with the catalogue (for the workers)."""
    import dataclasses
    import pickle

    measure = dataclasses.replace(COLLECTION, target=90.0, amber=85.0)
    flat = Catalogue((measure,), (YearTarget("REV-01", 2024, 97.5, 96.0),))
    default = QuarterTarget(90.0, 85.0)
    earlier = [flat.quarter_target("REV-01", Period(2023, q)) for q in (1, 2, 3, 4)]
    assert earlier == [default] * 4
    assert all(found is earlier[0] for found in earlier)
    assert flat.quarter_target("REV-01", Period(2024, 2)) == QuarterTarget(97.5, 96.0)
    again = pickle.loads(pickle.dumps(flat))
    assert "_default_targets" not in again.__dict__
    assert again.quarter_target("REV-01", Period(2023, 1)) == default
