"""benchmarks.csv / benchmarks.xlsx: read with the catalogue, each bad row a warning that names its cell."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from ratingfactory import CATALOGUE, empty_project

from perfreport.core.model import Benchmark, CellRef
from perfreport.core.periods import Period
from perfreport.core.project import ConfigError, Tolerance, load_project
from perfreport.inputs.benchmarks import read_benchmarks
from perfreport.inputs.dataset import read_period

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "somerset"

# Heading variants (Year, Comparator group, Benchmark value, LQ, UQ), then one bad cell a row.
BAD_ROWS = """Ref,Year,Comparator group,Benchmark value,LQ,UQ
WR-01,2023/24,England median,55.2,50.1,60.3
WR-99,2023/24,England median,1,,
WR-01,Year 3,England median,55,,
WR-01,2022/23,,55,,
WR-01,2022/23,England median,about 55,,
WR-01,2021/22,England median,0.55,,
WR-02,2023/24,England median,12%,,
WR-01,2020/21,England median,55,60,50
WR-01,2023/24,England Median,56,,
ASC-01,Q1-2024,CIPFA nearest neighbours median,31.5,,
ASC-01,2023/24,England median,,,
wr-o1,2019/20,England median,54,,
ASC-01,2022/23,England median,29.5,27,n/k
"""


def _project(tmp_path: Path, name: str, content: bytes | str):
    project = empty_project(tmp_path / "council")
    data = content.encode("utf-8") if isinstance(content, str) else content
    (project.root / name).write_bytes(data)
    return project


def _messages(findings) -> list[tuple[str, str | None, str | None, str]]:
    return [(f.code, f.cell, f.ref, f.message) for f in findings]


def test_every_bad_row_is_a_warning_naming_its_cell_and_the_good_rows_are_read(tmp_path) -> None:
    project = _project(tmp_path, "benchmarks.csv", BAD_ROWS)
    benchmarks, findings = read_benchmarks(project, CATALOGUE)
    assert benchmarks == (
        Benchmark(
            "WR-01",
            "England median",
            Period(2023, 4),
            "2023/24",
            55.2,
            50.1,
            60.3,
            CellRef("benchmarks.csv", "", "D2"),
        ),
        Benchmark(
            "ASC-01",
            "CIPFA nearest neighbours median",
            Period(2024, 1),
            "Q1 2024/25",
            31.5,
            source=CellRef("benchmarks.csv", "", "D11"),
        ),
    )
    assert {f.severity for f in findings} == {"warning"}
    assert {f.file for f in findings} == {"benchmarks.csv"}
    not_used = "The row is not used."
    assert _messages(findings) == [
        ("benchmark-unknown-ref", "A3", None,
         f"Cell A3: 'WR-99' is not a ref in the indicator catalogue. Correct the ref, or delete "
         f"the row. {not_used}"),
        ("benchmark-bad-period", "B4", "WR-01",
         "Cell B4: 'Year 3' for WR-01 is not a quarter or a financial year. Write a financial "
         f"year as 2023/24, or a quarter as Q2 2024/25. {not_used}"),
        ("benchmark-blank-cell", "C5", "WR-01",
         "Cell C5: the WR-01 row has no comparator. Fill it in (the group compared with, e.g. "
         f"England median), or delete the row. {not_used}"),
        ("benchmark-bad-number", "D6", "WR-01",
         "Cell D6: the value 'about 55' for WR-01 is not a number. Enter a number such as 78.2, "
         f"or clear the cell. {not_used}"),
        ("benchmark-fraction-for-percent", "D7", "WR-01",
         "Cell D7: WR-01 is measured in %, and its value 0.55 would be 0.55%. If you mean 55%, "
         "enter 55 (or format the cell as a percentage); if you mean 0.55%, type it as 0.55%. "
         f"{not_used}"),
        ("benchmark-percent-for-number", "D8", "WR-02",
         "Cell D8: 12% is a percentage, but WR-02 is measured in number, not %. Check the figure "
         f"is for WR-02 and enter it without %. {not_used}"),
        ("benchmark-quartiles-order", "E9", "WR-01",
         "Cell E9: the quartiles for WR-01 (England median, 2020/21) are out of order: lower "
         "quartile 60, value 55, upper quartile 50. The lower quartile must be at or below the "
         "value and the upper quartile at or above it: check the columns are not swapped. "
         f"{not_used}"),
        ("benchmark-duplicate", "A10", "WR-01",
         "Cell A10: WR-01 already has a benchmark for England Median, 2023/24, in row 2; this "
         "second one is not used. Delete the row that is wrong."),
        ("benchmark-blank-cell", "D12", "ASC-01",
         "Cell D12: the ASC-01 row has no value. Fill it in (the comparator's figure, in the "
         f"measure's unit), or delete the row. {not_used}"),
        ("benchmark-unknown-ref", "A13", None,
         "Cell A13: 'wr-o1' is not a ref in the indicator catalogue. Did you mean WR-01? Correct "
         f"the ref, or delete the row. {not_used}"),
        ("benchmark-bad-number", "F14", "ASC-01",
         "Cell F14: the upper quartile 'n/k' for ASC-01 is not a number. Enter a number such as "
         f"78.2, or clear the cell (a quartile is optional). {not_used}"),
    ]  # fmt: skip


def test_no_file_no_benchmarks_and_no_findings(tmp_path) -> None:
    project = empty_project(tmp_path / "council")
    assert read_benchmarks(project, CATALOGUE) == ((), ())


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ("Ref,Period,Comparator,Value\r\n", "utf-8"),
        ("Ref,Period,Comparator,Value\r\n", "utf-8-sig"),  # Excel's "CSV UTF-8"
        ("Ref,Period,Comparator,Value\r\n", "cp1252"),  # Excel's plain "CSV" on Windows
    ],
)
def test_utf8_with_or_without_bom_and_windows_1252_read_the_same(
    tmp_path, data: str, encoding: str
) -> None:
    text = data + "WR-02,2023/24,Near neighbours – median (£ not used),91\r\n"
    project = _project(tmp_path, "benchmarks.csv", text.encode(encoding))
    benchmarks, findings = read_benchmarks(project, CATALOGUE)
    assert findings == ()
    assert [(b.ref, b.comparator, b.value) for b in benchmarks] == [
        ("WR-02", "Near neighbours – median (£ not used)", 91.0)
    ]


def test_a_file_with_headings_only_is_empty_and_a_missing_column_is_named(tmp_path) -> None:
    project = _project(tmp_path, "benchmarks.csv", "Ref,Period,Comparator,Value\n")
    assert _messages(read_benchmarks(project, CATALOGUE)[1]) == [
        ("benchmark-empty", None, None,
         "benchmarks.csv has no rows of benchmarks under its headings. Put one row per "
         "indicator, period and comparator under Ref, Period, Comparator and Value, or delete "
         "the file."),
    ]  # fmt: skip
    (project.root / "benchmarks.csv").write_text("Ref,Period,Value\nWR-01,2023/24,55\n")
    assert _messages(read_benchmarks(project, CATALOGUE)[1]) == [
        ("benchmark-missing-column", None, None,
         "benchmarks.csv has no Comparator column, so no benchmark is shown. The first row of "
         "headings must include Ref, Period, Comparator and Value (Lower quartile and Upper "
         "quartile are optional)."),
    ]  # fmt: skip


def test_a_csv_and_an_xlsx_side_by_side_are_neither_read(tmp_path) -> None:
    project = _project(tmp_path, "benchmarks.csv", "Ref,Period,Comparator,Value\nWR-01,2023,E,5\n")
    (project.root / "benchmarks.xlsx").write_bytes(b"")
    benchmarks, findings = read_benchmarks(project, CATALOGUE)
    assert benchmarks == ()
    assert _messages(findings) == [
        ("benchmark-two-files", None, None,
         "benchmarks.csv and benchmarks.xlsx are both in the project folder, and only one can "
         "be read, so no benchmark is shown. Keep the one you maintain and delete or rename the "
         "other (for example to benchmarks-old.xlsx)."),
    ]  # fmt: skip


def test_a_workbook_is_read_from_its_benchmarks_sheet_percent_cells_as_shown(tmp_path) -> None:
    project = empty_project(tmp_path / "council")
    workbook = openpyxl.Workbook()
    workbook.active.title = "Notes"
    sheet = workbook.create_sheet("Benchmarks")
    sheet.append(["England medians, published July 2024"])
    sheet.append(["Ref", "Period", "Comparator", "Value", "Lower quartile", "Upper quartile"])
    sheet.append(["WR-01", "2023/24", "England median", 0.552, 0.501, 0.603])
    for cell in sheet[3][3:]:
        cell.number_format = "0.0%"  # shown as 55.2%: read as 55.2, as the catalogue reads it
    sheet.append(["WR-01", 2022, "England median", 0.55, None, None])  # a plain fraction
    workbook.save(project.root / "benchmarks.xlsx")
    benchmarks, findings = read_benchmarks(project, CATALOGUE)
    assert [(b.period_label, b.value, b.lower_quartile, b.upper_quartile) for b in benchmarks] == [
        ("2023/24", 55.2, 50.1, 60.3)
    ]
    assert benchmarks[0].source == CellRef("benchmarks.xlsx", "Benchmarks", "D3")
    assert [(f.code, f.sheet, f.cell) for f in findings] == [
        ("benchmark-fraction-for-percent", "Benchmarks", "D4")
    ]


def test_a_file_that_is_not_a_workbook_is_a_warning_not_a_stop(tmp_path) -> None:
    project = _project(tmp_path, "benchmarks.xlsx", b"%PDF-1.7 not a workbook")
    benchmarks, findings = read_benchmarks(project, CATALOGUE)
    assert benchmarks == ()
    assert [(f.code, f.severity) for f in findings] == [("benchmark-unreadable", "warning")]
    assert findings[0].message.startswith(
        "benchmarks.xlsx cannot be read, so no benchmark is shown: "
    )
    assert findings[0].message.endswith(
        "Save it again as a plain .xlsx workbook or a .csv file and run the command again."
    )


def test_reading_a_period_reads_the_benchmarks_and_reports_their_findings(tmp_path) -> None:
    project = load_project(EXAMPLE)
    read = read_period(project, Period(2024, 2))
    assert len(read.dataset.benchmarks) == 33  # 5 OFLOG measures, every year published
    assert not [f for f in read.findings if f.code.startswith("benchmark-")]
    first = read.dataset.benchmarks[0]
    assert (first.ref, first.period_label, first.comparator, first.value) == (
        "ASC-07",
        "2016/17",
        "England median",
        7.6,
    )


def test_the_similar_band_is_a_percentage_or_an_amount_and_anything_else_is_a_config_error(
    tmp_path,
) -> None:
    project = empty_project(tmp_path / "council")
    assert project.benchmarks.similar_band == Tolerance(5.0, True)  # the default
    config = project.config_path.read_text(encoding="utf-8")
    for setting, band in (('"10%"', Tolerance(10.0, True)), ("2.5", Tolerance(2.5, False))):
        project.config_path.write_text(f"{config}\n[benchmarks]\nsimilar_band = {setting}\n")
        assert load_project(project.root).benchmarks.similar_band == band
    project.config_path.write_text(f'{config}\n[benchmarks]\nsimilar_band = "close"\n')
    with pytest.raises(ConfigError) as bad:
        load_project(project.root)
    assert "benchmarks.similar_band" in str(bad.value)
    assert "expected a number or a percentage like \"5%\", got 'close'" in str(bad.value)
    project.config_path.write_text(f"{config}\n[benchmarks]\nband = 5\n")
    with pytest.raises(ConfigError) as unknown:
        load_project(project.root)
    assert "unknown setting. Allowed in [benchmarks]: similar_band." in str(unknown.value)
