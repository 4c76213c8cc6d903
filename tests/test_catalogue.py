"""The indicator catalogue: every column, every default, and every catalogue-… finding."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from projectfactory import HEADINGS, Formatted, write_catalogue, write_config

from perfreport.core.findings import Severity
from perfreport.core.model import Display, Frequency, Indicator, Polarity, YearTarget
from perfreport.core.periods import Period
from perfreport.core.project import ConfigError, load_project
from perfreport.inputs.catalogue import CatalogueError, load_catalogue

# With every heading present the columns are fixed: A ref, B title, C priority, D service,
# E directorate, F lead officer, G unit, H decimals, I polarity, J frequency, K due, L rated,
# M target, N amber, O definition, P comparable from.
assert HEADINGS[12] == "target" and HEADINGS[15] == "comparable from"


def row(ref: str = "WR-01", **fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "ref": ref,
        "title": f"Measure {ref}",
        "priority": "greener",
        "service": "Waste",
        "unit": "number",
        "polarity": "higher",
        "target": 10,
        # Every row has a definition unless a test takes it away (catalogue-no-definition).
        "definition": f"What {ref} counts.",
    }
    base.update({key.replace("_", " "): value for key, value in fields.items()})
    return base


def load(
    tmp_path: Path,
    rows: list[dict[str, object]],
    *,
    targets: list[dict] | None = None,
    name: str = "catalogue.xlsx",
    headings: tuple[str, ...] | None = HEADINGS,
):
    write_config(tmp_path)
    write_catalogue(tmp_path / name, rows, targets=targets, headings=headings)
    return load_catalogue(load_project(tmp_path))


def flat(findings) -> list[tuple[str, str | None, str | None, str | None]]:
    return [(f.code, f.sheet, f.cell, f.ref) for f in findings]


# -- reading --------------------------------------------------------------------------------


def test_it_reads_every_column_of_a_row(tmp_path: Path) -> None:
    full = row(
        "ASC-01",
        title="Adults receiving direct payments",
        priority="A healthy and caring Somerset",
        service="Adult Social Care",
        directorate="Adult Services",
        lead_officer="Jo Bloggs",
        unit="%",
        decimals=2,
        polarity="Higher is better",
        frequency="Half-yearly",
        due="Q2, Q4",
        rated="yes",
        target=30,
        amber=27.5,
        definition="Share of adults ...",
        comparable_from="Q1 2023/24",
    )
    catalogue, findings = load(tmp_path, [full])
    assert findings == ()
    assert catalogue.indicators == (
        Indicator(
            ref="ASC-01",
            title="Adults receiving direct payments",
            priority="healthy",
            service="Adult Social Care",
            polarity=Polarity.HIGHER,
            unit="%",
            decimals=2,
            frequency=Frequency.HALF_YEARLY,
            due=(2, 4),
            rated=True,
            target=30.0,
            amber=27.5,
            directorate="Adult Services",
            lead_officer="Jo Bloggs",
            definition="Share of adults ...",
            comparable_from=Period(2023, 1),
            row=2,
        ),
    )
    assert catalogue.path == tmp_path / "catalogue.xlsx"


def test_it_applies_the_defaults(tmp_path: Path) -> None:
    rows = [
        row("A-1", unit="%", target=None),
        row("A-2", unit=None, frequency="annual"),
        row("A-3", frequency="half-yearly"),
        row("A-4", frequency="monthly", polarity="none"),
    ]
    catalogue, findings = load(tmp_path, rows)
    assert findings == ()
    a1, a2, a3, a4 = catalogue.indicators
    assert (a1.decimals, a1.unit, a1.due, a1.rated) == (1, "%", (1, 2, 3, 4), False)
    assert (a2.decimals, a2.unit, a2.due, a2.rated) == (0, "number", (4,), True)
    assert (a3.frequency, a3.due) == (Frequency.HALF_YEARLY, (2, 4))
    assert (a4.frequency, a4.due, a4.rated) == (Frequency.MONTHLY, (1, 2, 3, 4), False)


@pytest.mark.parametrize(
    ("text", "polarity"),
    [
        ("higher", Polarity.HIGHER),
        ("Up", Polarity.HIGHER),
        ("Higher is better", Polarity.HIGHER),
        ("LOWER", Polarity.LOWER),
        ("down", Polarity.LOWER),
        ("lower is better", Polarity.LOWER),
        ("none", Polarity.NONE),
        ("n/a", Polarity.NONE),
        ("N/A", Polarity.NONE),
    ],
)
def test_it_accepts_the_polarity_aliases(tmp_path: Path, text: str, polarity: Polarity) -> None:
    catalogue, findings = load(tmp_path, [row(polarity=text, target=None)])
    assert findings == ()
    assert catalogue.indicators[0].polarity is polarity


@pytest.mark.parametrize(
    ("text", "unit", "decimals"),
    [
        ("Percentage", "%", 1),
        ("percent", "%", 1),
        ("No.", "number", 0),
        ("days", "days", 0),
        ("£", "£", 0),
        ("per 1,000 population", "per 1,000 population", 0),
    ],
)
def test_it_tidies_known_units_and_keeps_free_text(
    tmp_path: Path, text: str, unit: str, decimals: int
) -> None:
    catalogue, _ = load(tmp_path, [row(unit=text)])
    assert (catalogue.indicators[0].unit, catalogue.indicators[0].decimals) == (unit, decimals)


def test_it_matches_headings_ignoring_case_spaces_and_punctuation(tmp_path: Path) -> None:
    headings = (
        "REF",
        "Title",
        "priority",
        "Service ",
        "Lead_Officer",
        "Polarity",
        "Target",
        "Comparable from:",
    )
    rows = [
        {
            "REF": "WR-01",
            "Title": "Recycling",
            "priority": "greener",
            "Service ": "Waste",
            "Lead_Officer": "Sam",
            "Polarity": "up",
            "Target": 55,
            "Comparable from:": "2024/25",
        }
    ]
    catalogue, findings = load(tmp_path, rows, headings=headings)
    assert findings == ()
    indicator = catalogue.indicators[0]
    assert (indicator.lead_officer, indicator.comparable_from) == ("Sam", Period(2024, 1))


def test_the_heading_row_may_sit_below_a_title(tmp_path: Path) -> None:
    write_config(tmp_path)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Indicators"
    sheet.append(["Somerset Council indicator catalogue"])
    sheet.append([])
    sheet.append(["Ref", "Title", "Priority", "Service", "Polarity"])
    sheet.append(["WR-01", "Recycling", "greener", "Waste", "higher"])
    workbook.save(tmp_path / "catalogue.xlsx")
    catalogue, findings = load_catalogue(load_project(tmp_path))
    assert findings == ()
    assert [(i.ref, i.row) for i in catalogue.indicators] == [("WR-01", 4)]


def test_it_reads_the_indicators_sheet_wherever_it_is_else_the_first_other_than_targets(
    tmp_path: Path,
) -> None:
    write_config(tmp_path)
    workbook = openpyxl.Workbook()
    workbook.active.title = "Notes"
    indicators = workbook.create_sheet("indicators")
    indicators.append(["Ref", "Title", "Priority", "Service", "Polarity"])
    indicators.append(["WR-01", "Recycling", "greener", "Waste", "higher"])
    workbook.save(tmp_path / "catalogue.xlsx")
    catalogue, _ = load_catalogue(load_project(tmp_path))
    assert [i.ref for i in catalogue.indicators] == ["WR-01"]

    workbook = openpyxl.Workbook()
    targets = workbook.active
    targets.title = "Targets"
    targets.append(["Ref", "Year", "Target"])
    first = workbook.create_sheet("Sheet2")
    first.append(["Ref", "Title", "Priority", "Service", "Polarity"])
    first.append(["WR-02", "Missed bins", "greener", "Waste", "lower"])
    workbook.save(tmp_path / "catalogue.xlsx")
    catalogue, findings = load_catalogue(load_project(tmp_path))
    assert [i.ref for i in catalogue.indicators] == ["WR-02"]
    assert findings == ()


def test_a_percentage_formatted_target_means_the_percentage(tmp_path: Path) -> None:
    rows = [
        row("A-1", unit="%", target=Formatted(0.855, "0.0%"), amber=Formatted(0.8, "0%")),
        row("A-2", unit="%", target="0.5%"),
        row("A-3", unit="%", target="85%"),
    ]
    catalogue, findings = load(tmp_path, rows)
    assert findings == ()
    assert [(i.target, i.amber) for i in catalogue.indicators] == [
        (85.5, 80.0),
        (0.5, None),
        (85.0, None),
    ]


def test_numbers_typed_as_text_are_read(tmp_path: Path) -> None:
    catalogue, findings = load(tmp_path, [row(target=" 1,250 ", amber="£1,100", decimals="2")])
    assert findings == ()
    indicator = catalogue.indicators[0]
    assert (indicator.target, indicator.amber, indicator.decimals) == (1250.0, 1100.0, 2)


@pytest.mark.parametrize(
    ("value", "period"),
    [
        ("Q3-2023", Period(2023, 3)),
        ("2023/24 Q3", Period(2023, 3)),
        ("2024/25", Period(2024, 1)),
        (dt.datetime(2024, 1, 15), Period(2023, 4)),
        (dt.datetime(2024, 7, 1), Period(2024, 2)),
    ],
)
def test_comparable_from_takes_a_period_a_year_or_a_date(
    tmp_path: Path, value: object, period: Period
) -> None:
    catalogue, findings = load(tmp_path, [row(comparable_from=value)])
    assert findings == ()
    assert catalogue.indicators[0].comparable_from == period


def test_a_csv_catalogue_is_read_with_its_delimiter_sniffed_and_targets_csv(tmp_path: Path) -> None:
    write_config(tmp_path)
    (tmp_path / "catalogue.csv").write_bytes(
        "Ref;Title;Priority;Service;Unit;Polarity;Target\r\n"
        "FIN-01;Spend against budget (£m);greener;Finance;£;lower;12,5\r\n"
        "FIN-02;Council tax collected;greener;Finance;%;higher;97.5\r\n".encode("cp1252")
    )
    (tmp_path / "targets.csv").write_text(
        "Ref,Year,Target,Amber\nFIN-02,2024/25,98,96\n", encoding="utf-8-sig"
    )
    catalogue, findings = load_catalogue(load_project(tmp_path))
    assert catalogue.path == tmp_path / "catalogue.csv"
    assert [(i.ref, i.title, i.unit) for i in catalogue.indicators] == [
        ("FIN-01", "Spend against budget (£m)", "£"),
        ("FIN-02", "Council tax collected", "%"),
    ]
    assert catalogue.targets == (YearTarget("FIN-02", 2024, 98.0, 96.0),)
    # "12,5" (a decimal comma) is not a number here: the officer hears which cell.
    assert flat(findings) == [("catalogue-bad-number", None, "G2", "FIN-01")]


def test_the_targets_sheet_gives_year_targets_and_makes_an_indicator_rated(tmp_path: Path) -> None:
    rows = [row("A-1", target=None), row("A-2", target=None)]
    targets = [
        {"ref": "a-1", "year": "2024/25", "target": 12, "amber": 11},
        {"ref": "A-1", "year": 2023, "target": 10},
    ]
    catalogue, findings = load(tmp_path, rows, targets=targets)
    assert findings == ()
    assert catalogue.targets == (YearTarget("A-1", 2024, 12.0, 11.0), YearTarget("A-1", 2023, 10.0))
    assert [i.rated for i in catalogue.indicators] == [True, False]
    assert catalogue.target_for("A-1", 2024) == (12.0, 11.0)


# -- findings -------------------------------------------------------------------------------


def test_catalogue_missing_value(tmp_path: Path) -> None:
    rows = [row("A-1", service=None), row(None, title="Orphan"), row("A-3", polarity=None)]
    catalogue, findings = load(tmp_path, rows)
    assert flat(findings) == [
        ("catalogue-missing-value", "Indicators", "D2", "A-1"),
        ("catalogue-missing-value", "Indicators", "A3", None),
        ("catalogue-missing-value", "Indicators", "I4", "A-3"),
    ]
    assert findings[0].message == "Cell D2: A-1 has no service. Fill in the service."
    assert all(f.severity is Severity.ERROR for f in findings)
    # Rows with problems are kept where they can be; a row without a ref cannot.
    assert [(i.ref, i.service, i.polarity) for i in catalogue.indicators] == [
        ("A-1", "", Polarity.HIGHER),
        ("A-3", "Waste", Polarity.NONE),
    ]


def test_catalogue_duplicate_ref_keeps_the_first_row(tmp_path: Path) -> None:
    catalogue, findings = load(tmp_path, [row("A-1", title="First"), row("a-1", title="Second")])
    assert flat(findings) == [("catalogue-duplicate-ref", "Indicators", "A3", "a-1")]
    assert [i.title for i in catalogue.indicators] == ["First"]


def test_catalogue_unknown_priority(tmp_path: Path) -> None:
    catalogue, findings = load(
        tmp_path,
        [
            row(priority="Thriving Somerset"),
            row("A-2", priority="A greener, more sustainable somerset"),
        ],
    )
    assert flat(findings) == [("catalogue-unknown-priority", "Indicators", "C2", "WR-01")]
    assert findings[0].message == (
        "Cell C2: WR-01 has priority 'Thriving Somerset', which is not in perfreport.toml. Use one "
        "of: greener (A greener, more sustainable Somerset); healthy (A healthy and caring "
        "Somerset)."
    )
    assert [i.priority for i in catalogue.indicators] == ["Thriving Somerset", "greener"]


def test_catalogue_bad_polarity_frequency_due_and_rated(tmp_path: Path) -> None:
    rows = [
        row("A-1", polarity="upwards"),
        row("A-2", frequency="weekly"),
        row("A-3", frequency="annual", due="March"),
        row("A-4", rated="maybe"),
    ]
    catalogue, findings = load(tmp_path, rows)
    assert flat(findings) == [
        ("catalogue-bad-polarity", "Indicators", "I2", "A-1"),
        ("catalogue-bad-frequency", "Indicators", "J3", "A-2"),
        ("catalogue-bad-due", "Indicators", "K4", "A-3"),
        ("catalogue-bad-rated", "Indicators", "L5", "A-4"),
    ]
    a1, a2, a3, a4 = catalogue.indicators
    assert (a1.polarity, a1.rated) == (Polarity.NONE, False)
    assert (a2.frequency, a3.due, a4.rated) == (Frequency.QUARTERLY, (4,), True)


def test_catalogue_due_mismatch(tmp_path: Path) -> None:
    rows = [
        row("A-1", frequency="annual", due="Q2 and Q4"),
        row("A-2", due="Q4"),
        row("A-3", frequency="half-yearly", due="1,3"),
    ]
    catalogue, findings = load(tmp_path, rows)
    assert flat(findings) == [
        ("catalogue-due-mismatch", "Indicators", "K2", "A-1"),
        ("catalogue-due-mismatch", "Indicators", "K3", "A-2"),
    ]
    assert all(f.severity is Severity.WARNING for f in findings)
    assert [i.due for i in catalogue.indicators] == [(2, 4), (1, 2, 3, 4), (1, 3)]


def test_catalogue_bad_number(tmp_path: Path) -> None:
    rows = [
        row("A-1", target="about 80"),
        row("A-2", amber="#N/A"),
        row("A-3", decimals=1.5),
        row("A-4", decimals=9),
    ]
    catalogue, findings = load(tmp_path, rows)
    assert flat(findings) == [
        ("catalogue-bad-number", "Indicators", "M2", "A-1"),
        ("catalogue-bad-number", "Indicators", "N3", "A-2"),
        ("catalogue-bad-number", "Indicators", "H4", "A-3"),
        ("catalogue-bad-number", "Indicators", "H5", "A-4"),
    ]
    assert findings[0].message == (
        "Cell M2: A-1 has target 'about 80', which is not a number. "
        "Enter a number, or leave it blank."
    )
    assert findings[0].value == "about 80"
    assert catalogue.by_ref["A-1"].target is None


def test_catalogue_ambiguous_percent(tmp_path: Path) -> None:
    catalogue, findings = load(tmp_path, [row(unit="%", target=0.85)])
    assert flat(findings) == [("catalogue-ambiguous-percent", "Indicators", "M2", "WR-01")]
    assert findings[0].severity is Severity.WARNING
    assert catalogue.indicators[0].target == 0.85  # read as written; the officer decides


def test_catalogue_amber_wrong_side(tmp_path: Path) -> None:
    rows = [
        row("A-1", target=90, amber=95),
        row("A-2", polarity="lower", target=10, amber=5),
        row("A-3", target=90, amber=85),
        row("A-4", polarity="lower", target=10, amber=12),
    ]
    _, findings = load(tmp_path, rows)
    assert flat(findings) == [
        ("catalogue-amber-wrong-side", "Indicators", "N2", "A-1"),
        ("catalogue-amber-wrong-side", "Indicators", "N3", "A-2"),
    ]
    assert findings[1].message == (
        "Cell N3: A-2 has Amber threshold 5 on the wrong side of its target 10. Lower is better, "
        "so the threshold must be at or above the target. Correct the threshold."
    )


def test_catalogue_rated_without_target_or_polarity(tmp_path: Path) -> None:
    rows = [
        row("A-1", rated="yes", target=None),
        row("A-2", rated="Y", polarity="none"),
        row("A-3", rated="no", target=None),
        row("A-4", rated=True, polarity="bogus"),
    ]
    catalogue, findings = load(tmp_path, rows)
    assert flat(findings) == [
        ("catalogue-rated-without-target", "Indicators", "L2", "A-1"),
        ("catalogue-rated-without-polarity", "Indicators", "L3", "A-2"),
        ("catalogue-bad-polarity", "Indicators", "I5", "A-4"),  # and no second finding for it
    ]
    assert [i.rated for i in catalogue.indicators] == [True, False, False, False]


def test_catalogue_bad_period(tmp_path: Path) -> None:
    catalogue, findings = load(tmp_path, [row(comparable_from="last year")])
    assert flat(findings) == [("catalogue-bad-period", "Indicators", "P2", "WR-01")]
    assert catalogue.indicators[0].comparable_from is None


def test_catalogue_duplicate_and_unknown_columns(tmp_path: Path) -> None:
    headings = ("Ref", "Title", "Priority", "Service", "Polarity", "Target", "TARGET", "Notes")
    rows = [
        {
            "Ref": "A-1",
            "Title": "T",
            "Priority": "greener",
            "Service": "Waste",
            "Polarity": "higher",
            "Target": 5,
            "TARGET": 6,
            "Notes": "x",
        }
    ]
    catalogue, findings = load(tmp_path, rows, headings=headings)
    assert flat(findings) == [
        ("catalogue-duplicate-column", "Indicators", "G1", None),
        ("catalogue-unknown-column", "Indicators", "H1", None),
    ]
    assert [f.severity for f in findings] == [Severity.ERROR, Severity.INFO]
    assert catalogue.indicators[0].target == 5.0


def test_catalogue_empty(tmp_path: Path) -> None:
    catalogue, findings = load(tmp_path, [], headings=HEADINGS)
    assert catalogue.indicators == ()
    assert flat(findings) == [("catalogue-empty", "Indicators", None, None)]


def test_catalogue_targets_findings(tmp_path: Path) -> None:
    targets = [
        {"ref": "WR-01", "year": "2024/25", "target": 12},
        {"ref": "XX-99", "year": "2024/25", "target": 1},
        {"ref": "WR-01", "year": "2024-25", "target": 13},
        {"ref": "WR-01", "year": "24", "target": 13},
        {"ref": "WR-01", "year": "2023/24", "target": "twelve", "amber": 14},
    ]
    catalogue, findings = load(tmp_path, [row()], targets=targets)
    assert flat(findings) == [
        ("catalogue-targets-unknown-ref", "Targets", "A3", None),
        ("catalogue-targets-duplicate", "Targets", "A4", "WR-01"),
        ("catalogue-bad-year", "Targets", "B5", "WR-01"),
        ("catalogue-bad-number", "Targets", "C6", "WR-01"),
    ]
    assert catalogue.targets == (
        YearTarget("WR-01", 2024, 12.0),
        YearTarget("WR-01", 2023, None, 14),
    )


def test_catalogue_targets_amber_on_the_wrong_side(tmp_path: Path) -> None:
    targets = [{"ref": "WR-01", "year": "2024/25", "target": 12, "amber": 13}]
    _, findings = load(tmp_path, [row()], targets=targets)
    assert flat(findings) == [("catalogue-amber-wrong-side", "Targets", "D2", "WR-01")]
    assert "WR-01 (2024/25) has Amber threshold 13" in findings[0].message


def test_catalogue_targets_missing_column(tmp_path: Path) -> None:
    catalogue, findings = load(tmp_path, [row()], targets=[{"ref": "WR-01", "target": 12}])
    assert flat(findings) == [("catalogue-targets-missing-column", "Targets", None, None)]
    assert "Year" in findings[0].message
    assert catalogue.targets == ()


# -- a catalogue that cannot be read at all ---------------------------------------------------


def test_a_missing_catalogue_is_a_config_error(tmp_path: Path) -> None:
    write_config(tmp_path)
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(load_project(tmp_path))
    assert isinstance(caught.value, ConfigError)
    assert str(caught.value).startswith("catalogue.xlsx: the indicator catalogue was not found.")


def test_a_catalogue_that_is_not_a_workbook_is_a_config_error(tmp_path: Path) -> None:
    write_config(tmp_path)
    (tmp_path / "catalogue.xlsx").write_text("Ref,Title\n", encoding="utf-8")
    with pytest.raises(
        CatalogueError,
        match=r"^catalogue\.xlsx: the indicator catalogue cannot "
        r"be read\. \S",
    ):
        load_catalogue(load_project(tmp_path))


@pytest.mark.parametrize("name", ["catalogue.xlsx", "catalogue.csv"])
def test_missing_required_columns_are_a_config_error_naming_them(tmp_path: Path, name: str) -> None:
    write_config(tmp_path, extra=f'[paths]\ncatalogue = "{name}"\n')
    write_catalogue(tmp_path / name, [{"ref": "A-1", "title": "T", "service": "Waste"}])
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(load_project(tmp_path))
    assert caught.value.file == name
    assert "the required column(s) Priority, Polarity are missing" in str(caught.value)


def test_a_sheet_without_a_ref_heading_is_a_config_error(tmp_path: Path) -> None:
    write_config(tmp_path)
    write_catalogue(tmp_path / "catalogue.xlsx", [{"Name": "x"}], headings=("Name",))
    with pytest.raises(CatalogueError, match="Ref, Title, Priority, Service and Polarity"):
        load_catalogue(load_project(tmp_path))


def test_the_display_column_chooses_full_or_compact_money(tmp_path: Path) -> None:
    rows = [
        row("F-1", unit="£", display="compact"),
        row("F-2", unit="£", display=""),
        row("F-3", unit="£", display="brief"),
    ]
    catalogue, findings = load(tmp_path, rows, headings=(*HEADINGS, "display"))
    assert [(i.ref, i.display, i.compact) for i in catalogue.indicators] == [
        ("F-1", Display.COMPACT, True),
        ("F-2", Display.FULL, False),
        ("F-3", Display.FULL, False),
    ]
    (bad,) = findings
    assert (bad.code, bad.cell, bad.ref) == ("catalogue-bad-display", "Q4", "F-3")
    assert bad.message == (
        "Cell Q4: F-3 has display 'brief'. Enter full (£149,600) or compact (£150k, "
        "£1.2m), or leave it blank for full."
    )
