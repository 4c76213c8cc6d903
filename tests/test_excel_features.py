"""Ordinary Excel features in the hostile corpus read cleanly, or give the finding that names them.

The files are tests/data/hostile/*.xlsx (made by tests/data/make_hostile.py); the corpus test
checks only the first error code of each, these check what was read.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

from corpusread import CORPUS_CATALOGUE

from perfreport.core.findings import Severity
from perfreport.core.periods import Period
from perfreport.inputs.returns import read_return

HOSTILE = Path(__file__).resolve().parent / "data" / "hostile"
Q2 = Period(2024, 2)


def read(name: str):
    return read_return(HOSTILE / name, CORPUS_CATALOGUE)


def values(result) -> dict[str, float | None]:
    return {obs.ref: obs.value for obs in result.observations}


def test_reads_the_clean_return_the_feature_files_start_from():
    result, findings = read("valid-return.xlsx")
    assert findings == ()
    assert (result.service, result.period) == ("Adult Social Care", Q2)
    assert values(result) == {"ASC-01": 86.5, "ASC-02": 118.0}


def test_reports_each_error_cell_as_an_error_value_naming_the_cell_and_the_error():
    result, findings = read("error-cells.xlsx")
    assert [(f.code, f.cell, f.ref, f.value) for f in findings] == [
        ("error-value", "C5", "ASC-01", "#DIV/0!"),
        ("error-value", "C6", "ASC-02", "#N/A"),
    ]
    assert findings[0].message == (
        "Cell C5 shows the error #DIV/0!. Correct the formula or type "
        "the figure, or set Data status to Not available."
    )
    assert values(result) == {"ASC-01": None, "ASC-02": None}
    assert result.observations[1].commentary == "#REF!"  # an error as commentary is only text


def test_reads_1904_dates_in_the_1904_date_system():
    result, findings = read("dates-1904.xlsx")
    assert findings == ()
    assert result.submitted_on == "2024-10-14"
    assert values(result) == {"ASC-01": 86.5, "ASC-02": 118.0}


def test_would_see_the_same_serials_as_dates_four_years_earlier_in_the_1900_system(tmp_path):
    path = tmp_path / "dates-1900.xlsx"
    path.write_bytes(_generator().dates_1904(system_1904=False))
    result, findings = read_return(path, CORPUS_CATALOGUE)
    assert result.submitted_on == "2020-10-13"
    assert [(f.code, f.cell) for f in findings] == [
        ("period-mismatch", "D6"),
        ("period-mismatch", "D7"),
    ]


def test_reads_values_beside_merged_labels_and_skips_a_merged_section_heading():
    result, findings = read("merged-cells.xlsx")
    assert findings == ()
    assert (result.service, result.period) == ("Adult Social Care", Q2)
    assert values(result) == {"ASC-01": 86.5, "ASC-02": 118.0}
    assert [obs.commentary for obs in result.observations] == ["Both figures are provisional.", ""]


def test_reads_a_sheet_merged_from_a1_to_xfd1048576_quickly():
    start = time.perf_counter()
    result, findings = read("merged-whole-sheet.xlsx")
    assert time.perf_counter() - start < 5
    assert [f for f in findings if f.severity is Severity.ERROR] == []
    assert values(result) == {"ASC-01": 86.5, "ASC-02": 118.0}


def test_ignores_hidden_and_very_hidden_sheets():
    result, findings = read("hidden-sheets.xlsx")
    assert findings == ()
    assert result.sheet == "Return"
    assert values(result) == {"ASC-01": 86.5, "ASC-02": 118.0}


def test_says_so_when_the_return_sheet_is_hidden():
    result, findings = read("hidden-return-sheet.xlsx")
    assert result is None
    assert [(f.code, f.file) for f in findings] == [("no-return-sheet", "hidden-return-sheet.xlsx")]
    assert "the sheet named Return is hidden: unhide it" in findings[0].message


def test_uses_the_saved_result_of_a_link_to_another_workbook_without_following_it():
    result, findings = read("external-link.xlsx")
    assert findings == ()
    assert values(result) == {"ASC-01": 86.5, "ASC-02": 118.0}


def _generator():
    path = HOSTILE.parent / "make_hostile.py"
    spec = importlib.util.spec_from_file_location("make_hostile", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
