"""Reading a return workbook: observations with provenance, and every row and file finding."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from returnfactory import (
    CATALOGUE,
    HEADINGS,
    METADATA,
    Q2,
    Formula,
    Styled,
    catalogue_for_every_indicator,
    rows_for_every_indicator,
    write_return,
)

from perfreport.core.findings import Severity
from perfreport.core.model import RAG, CellRef, DataStatus
from perfreport.core.periods import Period
from perfreport.core.project import LimitSettings, ValidationSettings
from perfreport.inputs.returns import read_return

DEFAULT_VALIDATION, DEFAULT_LIMITS = ValidationSettings(), LimitSettings()


def read(
    folder: Path,
    rows=(),
    *,
    period: Period | None = Q2,
    name: str = "return.xlsx",
    validation: ValidationSettings = DEFAULT_VALIDATION,
    limits: LimitSettings = DEFAULT_LIMITS,
    **layout: Any,
):
    path = write_return(folder / name, rows, **layout)
    return read_return(path, CATALOGUE, period=period, validation=validation, limits=limits)


def flat(findings) -> list[tuple[str, str | None, str | None]]:
    return [(f.code, f.cell, f.ref) for f in findings]


def with_columns(*extra: str) -> tuple[str, ...]:
    return (*HEADINGS, *extra)


@dataclass(frozen=True)
class Case:
    """A return and exactly the findings (code, cell, ref) it must give."""

    name: str
    rows: tuple[dict[str, object], ...]
    expected: tuple[tuple[str, str | None, str | None], ...]
    layout: dict[str, Any] = field(default_factory=dict)


OK = {"Ref": "ASC-01", "Value": 86.5}

CASES = (
    Case(
        "a clean return",
        (
            {"Ref": "ASC-01", "Value": 86.5, "Target": 85, "Numerator": 173, "Denominator": 200},
            {"Ref": "ASC-02", "Value": 104, "Target": 110},
        ),
        (),
    ),
    Case(
        "a ref not in the catalogue",
        ({"Ref": "ASC-99", "Value": 5},),
        (("unknown-ref", "A9", None),),
    ),
    Case("a value with no ref", ({"Value": 5},), (("unknown-ref", "A9", None),)),
    Case(
        "an unknown ref with a status but no value",
        ({"Ref": "ASC-98", "Data status": "Not available"},),
        (("unknown-ref", "A9", None),),
    ),
    Case(
        "a ref given twice",
        (OK, {"Ref": "asc-01", "Value": 80}),
        (("duplicate-ref", "A10", "ASC-01"),),
    ),
    Case(
        "another service's indicator",
        ({"Ref": "HSG-01", "Value": 240},),
        (("wrong-service", "A9", "HSG-01"),),
    ),
    Case(
        "a service the catalogue does not know",
        (OK,),
        (("wrong-service", "B3", None),),
        {"metadata": {**METADATA, "Service": "Adults Services"}},
    ),
    Case(
        "the return says another period",
        (OK,),
        (("period-mismatch", "B4", None),),
        {"metadata": {**METADATA, "Period": "Q1 2024/25"}},
    ),
    Case(
        "the return's period cannot be read",
        (OK,),
        (("period-mismatch", "B4", None),),
        {"metadata": {**METADATA, "Period": "Quarter two"}},
    ),
    Case(
        "a row for another period",
        ({**OK, "Period": "Q1 2024/25"},),
        (("period-mismatch", "K9", "ASC-01"),),
        {"headings": with_columns("Period")},
    ),
    Case(
        "a Period of data after the return's period",
        ({**OK, "Period of data": "Q3 2024/25"},),
        (("bad-data-period", "K9", "ASC-01"),),
        {"headings": with_columns("Period of data")},
    ),
    Case(
        "a Period of data in a quarter the measure is not due",
        ({"Ref": "ASC-03", "Value": 55, "Period of data": "Q3 2023/24"},),
        (("not-due", "C9", "ASC-03"), ("data-period-not-due", "K9", "ASC-03")),
        {"headings": with_columns("Period of data")},
    ),
    Case(
        "text that is not a number",
        ({"Ref": "ASC-01", "Value": "about 80"},),
        (("not-a-number", "C9", "ASC-01"),),
    ),
    Case(
        "TRUE as a value", ({"Ref": "ASC-01", "Value": True},), (("not-a-number", "C9", "ASC-01"),)
    ),
    Case(
        "a date as a value",
        ({"Ref": "ASC-01", "Value": dt.date(2024, 9, 30)},),
        (("not-a-number", "C9", "ASC-01"),),
    ),
    Case(
        "a numerator that is text",
        ({**OK, "Numerator": "lots", "Denominator": 200},),
        (("not-a-number", "E9", "ASC-01"),),
    ),
    Case(
        "a blank value marked Final",
        ({"Ref": "ASC-01", "Data status": "Final"},),
        (("missing-value", "C9", "ASC-01"),),
    ),
    Case(
        "a blank value with no status",
        ({"Ref": "ASC-02", "Commentary": "Late"},),
        (("missing-value", "C9", "ASC-02"),),
    ),
    Case(
        "n/a typed in Value",
        ({"Ref": "ASC-01", "Value": "n/a"},),
        (("value-as-text", "C9", "ASC-01"),),
    ),
    Case(
        "a dash typed in Value with Data status Not available",
        ({"Ref": "ASC-01", "Value": "-", "Data status": "Not available"},),
        (("value-as-text", "C9", "ASC-01"),),
    ),
    Case(
        "a figure given with Data status Not available",
        ({"Ref": "ASC-01", "Value": 86.5, "Data status": "Not available"},),
        (("value-not-used", "C9", "ASC-01"),),
    ),
    Case(
        "a formula never calculated",
        ({"Ref": "ASC-01", "Value": Formula("=E9/F9*100"), "Numerator": 173, "Denominator": 200},),
        (("uncalculated-formula", "C9", "ASC-01"),),
    ),
    Case(
        "an error cell",
        ({"Ref": "ASC-01", "Value": "#DIV/0!"},),
        (("error-value", "C9", "ASC-01"),),
    ),
    Case(
        "a formula whose saved result is an error",
        ({"Ref": "ASC-01", "Value": Formula("=VLOOKUP(A9,Z:Z,2,0)", cached="#N/A")},),
        (("error-value", "C9", "ASC-01"),),
    ),
    Case(
        "a percentage typed as a fraction",
        ({"Ref": "ASC-01", "Value": 0.87},),
        (("fraction-for-percent", "C9", "ASC-01"),),
    ),
    Case(
        "a count typed with a percent sign",
        ({"Ref": "ASC-02", "Value": "104%"},),
        (("ambiguous-percent", "C9", "ASC-02"),),
    ),
    Case(
        "a count in a cell formatted as a percentage",
        ({"Ref": "ASC-02", "Value": Styled(1.04, "0%")},),
        (("ambiguous-percent", "C9", "ASC-02"),),
    ),
    Case(
        "a small percentage shown as a percentage: not ambiguous, but far under target",
        ({"Ref": "ASC-01", "Value": Styled(0.005, "0.0%")},),
        (("implausible-value", "C9", "ASC-01"),),
    ),
    Case(
        "a percentage over 100",
        ({"Ref": "ASC-01", "Value": 105},),
        (("out-of-range", "C9", "ASC-01"),),
    ),
    Case(
        "a percentage formatted as one but over 100",
        ({"Ref": "ASC-01", "Value": Styled(85, "0%")},),  # shows 8500%
        (("out-of-range", "C9", "ASC-01"), ("implausible-value", "C9", "ASC-01")),
    ),
    Case(
        "a negative count", ({"Ref": "ASC-04", "Value": -3},), (("out-of-range", "C9", "ASC-04"),)
    ),
    Case(
        "a negative denominator",
        ({"Ref": "ASC-04", "Value": 5, "Denominator": -2},),
        (("out-of-range", "F9", "ASC-04"),),
    ),
    Case(
        "a value that is not numerator / denominator",
        ({"Ref": "ASC-01", "Value": 85, "Numerator": 170, "Denominator": 250},),
        (("numerator-denominator-mismatch", "C9", "ASC-01"),),
    ),
    Case(
        "a zero denominator",
        ({"Ref": "ASC-01", "Value": 85, "Numerator": 17, "Denominator": 0},),
        (("zero-denominator", "F9", "ASC-01"),),
    ),
    Case(
        "a zero denominator and no value",
        ({"Ref": "ASC-01", "Numerator": 0, "Denominator": 0, "Data status": "Not available"},),
        (("zero-denominator", "F9", "ASC-01"),),
    ),
    Case(
        "a target that differs from the catalogue",
        ({**OK, "Target": 80},),
        (("target-mismatch", "D9", "ASC-01"),),
    ),
    Case(
        "the default target where the year has its own",
        ({"Ref": "ASC-02", "Value": 104, "Target": 120},),
        (("target-mismatch", "D9", "ASC-02"),),
    ),
    Case(
        "a target that is not a number",
        ({**OK, "Target": "Monitor"},),
        (("target-mismatch", "D9", "ASC-01"),),
    ),
    Case(
        "a target cell showing an error",
        ({**OK, "Target": "#N/A"},),
        (("target-mismatch", "D9", "ASC-01"),),
    ),
    Case(
        "a target where the catalogue has none",
        ({"Ref": "ASC-04", "Value": 40, "Target": 50},),
        (("target-mismatch", "D9", "ASC-04"),),
    ),
    Case(
        "a value ten times the target",
        ({"Ref": "ASC-02", "Value": 1300},),
        (("implausible-value", "C9", "ASC-02"),),
    ),
    Case(
        "a value under a tenth of the target",
        ({"Ref": "ASC-02", "Value": 9},),
        (("implausible-value", "C9", "ASC-02"),),
    ),
    Case(
        "long commentary",
        ({**OK, "Commentary": "one two three four five six"},),
        (("commentary-too-long", "H9", "ASC-01"),),
    ),
    Case(
        "an annual measure off-cycle",
        ({"Ref": "ASC-03", "Value": 55},),
        (("not-due", "C9", "ASC-03"),),
    ),
    Case(
        "control characters in commentary",
        ({**OK, "Commentary": "Better_x0007_ than Q1"},),
        (("control-characters", "H9", "ASC-01"),),
    ),
    Case(
        "a data status that is not one of the four",
        ({**OK, "Data status": "Draft"},),
        (("bad-data-status", "G9", "ASC-01"),),
    ),
    Case(
        "a forecast that is not a RAG word",
        ({**OK, "Forecast RAG": "Ambre"},),
        (("bad-rag", "J9", "ASC-01"),),
    ),
    Case(
        "a RAG override with no reason",
        ({**OK, "RAG override": "Green"},),
        (("override-without-reason", "K9", "ASC-01"),),
        {"headings": with_columns("RAG override", "Override reason")},
    ),
    Case(
        "no sheet named Return among several",
        (OK,),
        (("ambiguous-sheet", None, None),),
        {"sheet": "Figures", "other_sheets": ("Notes",)},
    ),
    Case(
        "two sheets named Return",
        (OK,),
        (("ambiguous-sheet", None, None),),
        {"other_sheets": ("RETURN ",)},
    ),
    Case("no visible sheet", (OK,), (("no-return-sheet", None, None),), {"hidden": ("Return",)}),
    Case(
        "no Ref heading",
        ({"Indicator": "ASC-01", "Value": 86.5},),
        (("no-header-row", None, None),),
        {"headings": ("Indicator", "Measure", "Value")},
    ),
    Case(
        "no Value column",
        ({"Ref": "ASC-01", "Target": 85},),
        (("missing-column", "A8", None),),
        {"headings": ("Ref", "Measure", "Target")},
    ),
    Case(
        "two Value columns",
        (OK,),
        (("duplicate-column", "K8", None),),
        {"headings": with_columns("Actual")},
    ),
    Case(
        "a column perfreport does not read",
        (OK,),
        (("ignored-column", "K8", None),),
        {"headings": with_columns("Notes for finance")},
    ),
    Case(
        "a far-corner cell",
        (OK,),
        (("suspicious-file", None, None),),
        {"cells": {"XFD1048576": "x"}},
    ),
    Case(
        "a far-corner cell the sheet does not declare",
        (OK,),
        (("suspicious-file", "XFD1048576", None),),
        {"cells": {"XFD1048576": "x"}, "dimension": "A1:J9"},
    ),
)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_gives_exactly_the_expected_findings(tmp_path, case):
    _, findings = read(
        tmp_path, case.rows, validation=ValidationSettings(commentary_word_limit=5), **case.layout
    )
    assert flat(findings) == list(case.expected)


def test_reads_observations_with_their_provenance(tmp_path):
    result, findings = read(
        tmp_path,
        [
            {
                "Ref": "ASC-01",
                "Measure": "Reviews",
                "Value": 86.5,
                "Target": 85,
                "Numerator": 173,
                "Denominator": 200,
                "Data status": "Provisional",
                "Commentary": "Up on Q1.",
                "Actions": "Keep the weekly review panel.",
                "Forecast RAG": "green",
            },
            {"Ref": "ASC-02", "Value": 104},
        ],
        name="Adults Q2.xlsx",
    )
    assert findings == ()
    first, second = result.observations
    assert (
        first.ref,
        first.value,
        first.data_status,
        first.numerator,
        first.denominator,
        first.target,
    ) == ("ASC-01", 86.5, DataStatus.PROVISIONAL, 173, 200, 85)
    assert (first.commentary, first.actions, first.forecast_rag) == (
        "Up on Q1.",
        "Keep the weekly review panel.",
        RAG.GREEN,
    )
    assert first.source == CellRef("Adults Q2.xlsx", "Return", "C9")
    assert (second.value, second.data_status, second.source.cell) == (104, DataStatus.FINAL, "C10")
    assert (
        result.sheet,
        result.service,
        result.period,
        result.submitted_by,
        result.submitted_on,
    ) == ("Return", "Adult Social Care", Q2, "Jo Bloggs", "2024-10-14")
    assert result.display_name == "Adults Q2.xlsx"


def test_locates_each_finding_by_file_sheet_cell_and_ref(tmp_path):
    path = write_return(
        tmp_path / "returns" / "adults.xlsx", [{"Ref": "ASC-01", "Value": "x" * 200}]
    )
    _, (problem,) = read_return(path, CATALOGUE, period=Q2, display_name="returns/adults.xlsx")
    assert (problem.file, problem.sheet, problem.cell, problem.ref, problem.severity) == (
        "returns/adults.xlsx",
        "Return",
        "C9",
        "ASC-01",
        Severity.ERROR,
    )
    assert problem.message.startswith("Cell C9: 'xxx")
    assert problem.message.endswith("Enter a number, or set Data status to Not available.")
    assert len(problem.value) == 80 and problem.value.endswith("…")


@pytest.mark.parametrize(
    "value, expected",
    [
        (85, 85),
        (Styled(0.855, "0.0%"), 85.5),
        ("85%", 85),
        (" 85.5 % ", 85.5),
        (Styled(85, '0"%"'), 85),
        (Styled(0.9, "[Red]0%"), 90),
        (Styled(85, "0\\%"), 85),
        ("85", 85),
    ],
    ids=[
        "number",
        "fraction shown as %",
        "text 85%",
        "text with spaces",
        "quoted %",
        "% after a colour",
        "escaped %",
        "number as text",
    ],
)
def test_reads_a_percentage_in_every_form(tmp_path, value, expected):
    result, findings = read(tmp_path, [{"Ref": "ASC-01", "Value": value}])
    assert (result.observations[0].value, findings) == (expected, ())


@pytest.mark.parametrize(
    "value, expected",
    [
        ("1,234", 1234),
        (" 104 ", 104),
        ("\u00a0104\u00a0", 104),
        ("£1,200.50", 1200.5),
        ("\u221212", -12),
        (274.65999999999997, 274.66),
    ],
)
def test_reads_numbers_stored_as_text_and_drops_float_noise(tmp_path, value, expected):
    result, findings = read(tmp_path, [{"Ref": "ASC-04", "Value": value}])
    value_read = result.observations[0].value
    assert value_read == expected
    assert [f.code for f in findings] == (["out-of-range"] if expected < 0 else [])


@pytest.mark.parametrize("status", ["Not available", "n/a"])
def test_accepts_no_value_without_a_finding(tmp_path, status):
    result, findings = read(tmp_path, [{"Ref": "ASC-01", "Data status": status}])
    observation = result.observations[0]
    assert (observation.value, findings) == (None, ())
    assert observation.data_status is DataStatus.NOT_AVAILABLE


def test_matches_refs_ignoring_case_and_stray_spaces(tmp_path):
    result, findings = read(
        tmp_path, [{"Ref": "  asc-01 ", "Value": 86}, {"Ref": "Asc-02\u00a0", "Value": 100}]
    )
    assert ([o.ref for o in result.observations], findings) == (["ASC-01", "ASC-02"], ())


def test_skips_blank_rows_notes_and_section_headings_inside_the_table(tmp_path):
    result, findings = read(
        tmp_path,
        [
            {},
            {"Ref": "ASC-01", "Value": 86},
            {},
            {"Ref": "A healthy and caring Somerset"},
            {"Ref": "ASC-02", "Value": 100},
            {"Commentary": "Note: figures are provisional."},
            {"Ref": "Source: Mosaic case management system"},
        ],
        merged=("A12:J12",),
    )
    assert ([o.source.cell for o in result.observations], findings) == (["C10", "C13"], ())


@pytest.mark.parametrize("header_row", [1, 2, 20])
def test_finds_the_header_row_wherever_it_is(tmp_path, header_row):
    result, findings = read(
        tmp_path, [OK], header_row=header_row, title=None, metadata={} if header_row < 8 else None
    )
    assert findings == ()
    assert result.observations[0].source.cell == f"C{header_row + 1}"


def test_accepts_the_heading_aliases(tmp_path):
    headings = (
        "PI ref",
        "Indicator",
        "Outturn",
        "Data quality",
        "Narrative",
        "Mitigating actions",
        "Year-end forecast",
    )
    path = write_return(
        tmp_path / "r.xlsx",
        [
            {
                "PI ref": "ASC-01",
                "Outturn": 86,
                "Data quality": "Estimated",
                "Narrative": "Fine",
                "Mitigating actions": "None needed",
                "Year-end forecast": "A",
            }
        ],
        headings=headings,
    )
    result, findings = read_return(path, CATALOGUE, period=Q2)
    observation = result.observations[0]
    assert findings == ()
    assert (
        observation.value,
        observation.data_status,
        observation.commentary,
        observation.actions,
        observation.forecast_rag,
    ) == (86, DataStatus.ESTIMATED, "Fine", "None needed", RAG.AMBER)


def test_reads_the_informational_columns_of_the_forms_without_findings(tmp_path):
    headings = (
        "Ref",
        "Measure",
        "Unit",
        "Good is",
        "Target",
        "Previous quarter",
        "Same quarter last year",
        "Value",
    )
    path = write_return(
        tmp_path / "r.xlsx",
        [
            {
                "Ref": "ASC-01",
                "Unit": "%",
                "Good is": "Higher",
                "Target": 85,
                "Previous quarter": 80,
                "Value": 86,
            }
        ],
        headings=headings,
    )
    result, findings = read_return(path, CATALOGUE, period=Q2)
    assert (result.observations[0].value, findings) == (86, ())


def test_reads_a_metadata_value_beside_a_merged_label_or_after_a_colon(tmp_path):
    result, findings = read(
        tmp_path,
        [OK],
        metadata={},
        cells={
            "A3": "Service",
            "C3": "Adult Social Care",
            "A4": "Period: Q2 2024/25",
            "A5": "Submitted by:",
            "B5": " Jo Bloggs ",
        },
        merged=("A3:B3",),
        period=None,
    )
    assert findings == ()
    assert (result.service, result.period, result.submitted_by) == (
        "Adult Social Care",
        Q2,
        "Jo Bloggs",
    )


def test_reads_dates_in_the_1904_date_system(tmp_path):
    result, findings = read(tmp_path, [OK], epoch_1904=True)
    assert (result.submitted_on, findings) == ("2024-10-14", ())


def test_reads_a_period_given_as_a_date(tmp_path):
    metadata = {**METADATA, "Period": dt.date(2024, 9, 30)}
    result, findings = read(tmp_path, [OK], metadata=metadata, period=None)
    assert (result.period, findings) == (Q2, ())


def test_takes_the_period_from_the_argument_then_the_return_then_the_folder(tmp_path):
    given, _ = read(tmp_path, [OK], period=Q2)
    stated, _ = read(tmp_path, [OK], period=None)
    folder, _ = read(
        tmp_path,
        [OK],
        period=None,
        name="Q1-2024/adults.xlsx",
        metadata={"Service": "Adult Social Care"},
    )
    unknown, _ = read(tmp_path, [OK], period=None, metadata={})
    assert (given.period, stated.period, folder.period, unknown.period) == (
        Q2,
        Q2,
        Period(2024, 1),
        None,
    )


def test_uses_excels_saved_formula_results(tmp_path):
    result, findings = read(
        tmp_path,
        [
            {
                "Ref": "ASC-01",
                "Value": Formula("=E9/F9*100", 86.5),
                "Numerator": 173,
                "Denominator": 200,
            }
        ],
    )
    assert (result.observations[0].value, findings) == (86.5, ())


def test_compares_numerator_and_denominator_at_display_precision(tmp_path):
    result, findings = read(
        tmp_path,
        [
            {"Ref": "ASC-01", "Value": 66.7, "Numerator": 2, "Denominator": 3},
            {"Ref": "ASC-04", "Value": 2, "Numerator": 5, "Denominator": 3},
        ],
    )
    assert findings == ()


def test_keeps_an_override_with_its_reason(tmp_path):
    result, findings = read(
        tmp_path,
        [{**OK, "RAG override": "Amber", "Override reason": "Data quality concerns"}],
        headings=with_columns("RAG override", "Override reason"),
    )
    observation = result.observations[0]
    assert (observation.rag_override, observation.override_reason, findings) == (
        RAG.AMBER,
        "Data quality concerns",
        (),
    )


def test_removes_control_characters_from_the_text_it_keeps(tmp_path):
    result, _ = read(tmp_path, [{**OK, "Commentary": "Better_x0007_ than_x000D_\nQ1"}])
    assert result.observations[0].commentary == "Better than\nQ1"


def test_chooses_the_return_sheet_by_name_or_as_the_only_visible_sheet(tmp_path):
    by_name, _ = read(tmp_path, [OK], name="a.xlsx", sheet="RETURN", other_sheets=("Notes",))
    only_visible, _ = read(
        tmp_path,
        [OK],
        name="b.xlsx",
        sheet="Adults",
        other_sheets=("Lookups", "Return"),
        hidden=("Lookups", "Return"),
    )
    assert (by_name.sheet, only_visible.sheet) == ("RETURN", "Adults")


def test_advises_renaming_when_none_or_keeping_one_when_several_sheets_are_named_return(tmp_path):
    _, none_named = read(tmp_path, [OK], name="a.xlsx", sheet="Figures", other_sheets=("Notes",))
    _, two_named = read(tmp_path, [OK], name="b.xlsx", other_sheets=("RETURN ", "Notes"))
    assert [(f.message, f.value) for f in (*none_named, *two_named)] == [
        (
            "This file has 2 visible sheets ('Figures', 'Notes') and none is named Return. Rename "
            "the sheet with the figures to Return.",
            "Figures, Notes",
        ),
        (
            "This file has 2 sheets named Return ('Return', 'RETURN '). Keep one sheet named "
            "Return and rename the others.",
            "Return, RETURN ",
        ),
    ]


def test_infers_the_service_from_the_refs_when_the_return_does_not_say(tmp_path):
    result, findings = read(
        tmp_path, [OK, {"Ref": "ASC-02", "Value": 100}], metadata={"Period": "Q2 2024/25"}
    )
    assert (result.service, findings) == ("Adult Social Care", ())


def test_returns_no_file_but_a_finding_when_the_file_cannot_be_read(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("Ref,Value\nASC-01,86\n", encoding="utf-8")
    result, findings = read_return(path, CATALOGUE, period=Q2)
    assert (result, flat(findings)) == (None, [("not-a-workbook", None, None)])
    assert findings[0].file == "notes.xlsx"


def test_reports_a_cell_longer_than_excel_allows(tmp_path):
    result, findings = read(
        tmp_path, [{**OK, "Commentary": "x" * 101}], limits=LimitSettings(max_cell_chars=100)
    )
    assert (result, flat(findings)) == (None, [("suspicious-file", "H9", None)])


def test_reads_a_full_size_return_quickly(tmp_path):
    count = 114
    path = write_return(tmp_path / "big.xlsx", rows_for_every_indicator(count))
    catalogue = catalogue_for_every_indicator(count)
    timings = []
    for _ in range(3):
        start = time.perf_counter()
        result, findings = read_return(path, catalogue, period=Q2)
        timings.append(time.perf_counter() - start)
    assert (len(result.observations), findings) == (count, ())
    assert min(timings) < 0.2, f"reading {count} rows took {min(timings):.3f} s"


def test_shows_the_expected_figure_rounded_as_the_check_rounds_it(tmp_path):
    """63 / 112 × 100 = 56.25: shown at 1 decimal as Excel would, 56.3, not 56.2 (half to even)."""
    _, findings = read(
        tmp_path, ({"Ref": "ASC-01", "Value": 56.2, "Numerator": 63, "Denominator": 112},)
    )
    (mismatch,) = [f for f in findings if f.code == "numerator-denominator-mismatch"]
    assert "(63 / 112 × 100 = 56.3)" in mismatch.message


def test_shows_an_implausible_value_and_its_target_as_the_paper_does(tmp_path):
    _, findings = read(tmp_path, ({"Ref": "ASC-02", "Value": 1300},))
    (implausible,) = [f for f in findings if f.code == "implausible-value"]
    assert "1,300 is more than 10 times the target of 110" in implausible.message
