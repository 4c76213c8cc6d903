"""Every file- and row-level finding code registered in perfreport/core/codes.py is produced by a test."""

from __future__ import annotations

import test_returns
import test_validate
import test_workbook

from perfreport.core.codes import CODES
from perfreport.core.codes_files import FILE_CODES
from perfreport.core.codes_rows import ROW_CODES


def reading_codes() -> set[str]:
    """The codes of the file-level and the row-level tables (not coverage, not the catalogue)."""
    return {c.code for c in (*FILE_CODES, *ROW_CODES)}


def produced_by_tests() -> set[str]:
    """Codes that a test asserts exactly: the case tables of the returns and workbook tests."""
    from_returns = {code for case in test_returns.CASES for code, _, _ in case.expected}
    from_workbooks = {case.code for case in test_workbook.CASES}
    # A file named alone that is Excel's owner file is said to be one by its name, unopened.
    by_name = set(test_validate.BY_NAME_CODES)
    return from_returns | from_workbooks | by_name


def test_finds_the_reading_codes_in_the_registry():
    codes = reading_codes()
    assert {"unreadable-file", "no-header-row", "not-a-number", "control-characters"} <= codes
    assert codes <= set(CODES)


def test_has_a_test_that_produces_every_reading_code():
    assert sorted(reading_codes() - produced_by_tests()) == []


def test_produces_only_registered_codes():
    assert sorted(produced_by_tests() - set(CODES)) == []
