"""The figure shown is the figure rated: money, one precision for rating and display, the export."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ratingfactory import Q1, Q2, Quarters, empty_project
from returnfactory import write_return

from perfreport.build import summarise_period
from perfreport.core.formatting import format_target, format_value
from perfreport.core.model import RAG, Catalogue, Display, Indicator, Observation, Polarity
from perfreport.core.project import RatingSettings, Tolerance
from perfreport.inputs.returns import read_return
from perfreport.publish.export import csv_text, dataset_document
from perfreport.rating.rules import amber_threshold, rate

FIVE_PERCENT = RatingSettings(amber_tolerance=Tolerance(5.0, True))


def money(display: Display = Display.FULL, target: float = 150_000) -> Indicator:
    return Indicator(
        "FIN-01",
        "Savings delivered",
        "greener",
        "Finance",
        Polarity.HIGHER,
        unit="£",
        decimals=0,
        target=target,
        display=display,
    )


def rated(indicator: Indicator, value: float, settings: RatingSettings = FIVE_PERCENT):
    return rate(indicator, Observation(indicator.ref, value), Q2, Catalogue((indicator,)), settings)


# -- money -------------------------------------------------------------------------------------


def test_money_is_shown_in_full_and_rated_in_full_by_default() -> None:
    rating = rated(money(), 149_600)
    assert rating.rag is RAG.AMBER
    assert rating.reason == "£149,600 against target £150,000: Amber (Amber from £142,500)"
    assert format_value(132_500, "£") == "£132,500"


def test_compact_money_is_rated_at_the_precision_it_is_shown() -> None:
    """£149,600 shows as £150k: against a target of £150k it is Green, never Amber."""
    rating = rated(money(Display.COMPACT), 149_600)
    assert rating.rag is RAG.GREEN
    assert rating.reason == "£150k against target £150k: Green"
    # £132,500 shows as £133k (half away from zero), so it meets a target shown as £133k ...
    assert rated(money(Display.COMPACT, target=133_000), 132_500).rag is RAG.GREEN
    # ... while in full it is £500 short of it.
    full = rated(money(target=133_000), 132_500)
    assert full.reason == "£132,500 against target £133,000: Amber (Amber from £126,350)"


# -- the promise of docs/rating.md, for every unit -----------------------------------------------

UNITS = (
    "%",
    "number",
    "£",
    "GBP",
    "days",
    "rate",
    "£m",
    "£000s",
    "£ per head",
    "per 100,000",
    "weeks",
)
figures = st.floats(min_value=-5e9, max_value=5e9, allow_nan=False, allow_infinity=False)


# Near the target or the threshold at the scale of the shown step, where rounding decides.
offsets = st.tuples(
    st.floats(min_value=-1, max_value=1), st.sampled_from((1e-4, 1e-2, 1, 1e3, 1e5))
).map(lambda pair: pair[0] * pair[1])


@given(
    target=figures,
    near=st.sampled_from(("target", "threshold", "anywhere")),
    offset=offsets,
    anywhere=figures,
    unit=st.sampled_from(UNITS),
    decimals=st.integers(min_value=0, max_value=4),
    display=st.sampled_from(list(Display)),
    polarity=st.sampled_from([Polarity.HIGHER, Polarity.LOWER]),
    tolerance=st.builds(Tolerance, st.floats(min_value=0, max_value=50), st.booleans()),
)
def test_a_value_shown_equal_to_its_target_is_never_rated_below_green(
    target: float,
    near: str,
    offset: float,
    anywhere: float,
    unit: str,
    decimals: int,
    display: Display,
    polarity: Polarity,
    tolerance: Tolerance,
) -> None:
    """docs/rating.md: the paper never shows a value equal to its target rated Amber or Red, nor
    one equal to its Amber threshold rated Red; for every unit, decimals and display form."""
    indicator = Indicator(
        "X-01",
        "A measure",
        "greener",
        "Service",
        polarity,
        unit=unit,
        decimals=decimals,
        target=target,
        display=display,
    )
    threshold = amber_threshold(target, indicator, tolerance)
    value = {"target": target + offset, "threshold": threshold + offset}.get(near, anywhere)
    rating = rated(indicator, value, RatingSettings(amber_tolerance=tolerance))
    assert rating.rag is not None and rating.amber_threshold == threshold
    compact = indicator.compact
    shown = format_value(value, unit, decimals, compact=compact)
    if shown == format_target(target, unit, decimals, compact=compact):
        assert rating.rag is RAG.GREEN, rating.reason
    if shown == format_value(threshold, unit, decimals, compact=compact):
        assert rating.rag is not RAG.RED, rating.reason


# -- the export carries the figures as rated ---------------------------------------------------

HOUSING = Catalogue(
    (
        Indicator(
            "HOU-02",
            "Households in bed and breakfast",
            "healthy",
            "Housing",
            Polarity.LOWER,
            target=30,  # 5% tolerance: Amber up to 31.5
        ),
        money(Display.COMPACT),
        Indicator(
            "FIN-02",
            "Income collected",
            "greener",
            "Finance",
            Polarity.HIGHER,
            unit="£",
            target=150_000,
        ),
        Indicator(
            "WR-01",
            "Household waste recycled",
            "greener",
            "Waste",
            Polarity.HIGHER,
            unit="%",
            decimals=1,
            target=55.0,
        ),
    )
)
FIGURES = {
    "HOU-02": 31.6,
    "FIN-01": 149_600,
    "FIN-02": 149_600,
    "WR-01": 54.96,
}  # WR-01 shows 55.0%: Green


def rerate(row: dict) -> str:
    """docs/rating.md's table applied to the exported as-rated columns, as open data users would."""
    value, goal, edge = (
        Decimal(str(row[k]))
        for k in ("value_as_rated", "target_as_rated", "amber_threshold_as_rated")
    )
    if row["polarity"] == "lower":
        value, goal, edge = -value, -goal, -edge
    return "green" if value >= goal else "amber" if value >= edge else "red"


@pytest.fixture
def housing(tmp_path: Path):
    project = empty_project(tmp_path / "council")
    reader = Quarters(project, {Q1: FIGURES, Q2: FIGURES}, catalogue=HOUSING)
    return summarise_period(project, Q2, reader=reader)


def test_hou_02_is_amber_and_its_exported_columns_rerate_to_amber(housing) -> None:
    rows = {r["ref"]: r for r in dataset_document(housing)["indicators"]}
    hou = rows["HOU-02"]
    assert (hou["value"], hou["amber_threshold"], hou["rag"]) == (31.6, 31.5, "amber")
    assert (hou["value_as_rated"], hou["target_as_rated"], hou["amber_threshold_as_rated"]) == (
        32,
        30,
        32,
    )
    assert rerate(hou) == "amber"


def test_every_exported_rating_rerates_to_its_rag_in_json_and_csv(housing) -> None:
    rows = dataset_document(housing)["indicators"]
    assert {r["ref"]: (r["rag"], r["display"]) for r in rows} == {
        "HOU-02": ("amber", "full"),
        "FIN-01": ("green", "compact"),
        "FIN-02": ("amber", "full"),
        "WR-01": ("green", "full"),
    }
    by_ref = {r["ref"]: r for r in rows}
    assert by_ref["FIN-01"]["value_as_rated"] == 150_000
    assert by_ref["FIN-02"]["value_as_rated"] == 149_600
    wr01 = by_ref["WR-01"]
    assert (wr01["value"], wr01["value_as_rated"], wr01["target_as_rated"]) == (
        54.96,
        55,
        55,
    )
    assert all(rerate(r) == r["rag"] for r in rows)
    table = list(csv.DictReader(io.StringIO(csv_text(housing))))
    assert [rerate(r) for r in table] == [r["rag"] for r in table]


def test_a_message_shows_compact_money_as_the_paper_does(tmp_path: Path) -> None:
    path = write_return(
        tmp_path / "finance.xlsx",
        [{"Ref": "FIN-01", "Value": 2_000_000}],
        headings=("Ref", "Value"),
        metadata={"Service": "Finance", "Period": Q2.label},
    )
    catalogue = Catalogue((money(Display.COMPACT),))
    _, (implausible,) = read_return(path, catalogue, period=Q2)
    assert implausible.code == "implausible-value"
    assert "£2.0m" in implausible.message and "£150k" in implausible.message
