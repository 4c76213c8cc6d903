"""Finding codes about the benchmarks file (benchmarks.csv or benchmarks.xlsx in the project folder)."""

from __future__ import annotations

from perfreport.core.findings import Code, Severity

W = Severity.WARNING

# A benchmark is extra information: a bad row is left out, with a warning, and the paper is
# still built (with --strict, warnings stop the build as usual).
NOT_USED = "The row is not used."
ADVICE_PERIOD = "Write a financial year as 2023/24, or a quarter as Q2 2024/25."

BENCHMARK_CODES = (
    Code(
        "benchmark-two-files",
        W,
        "Two benchmark files",
        "{file} and {other} are both in the project folder, and only one can be read, so no "
        "benchmark is shown. Keep the one you maintain and delete or rename the other (for "
        "example to {renamed}).",
        {"file": "benchmarks.csv", "other": "benchmarks.xlsx", "renamed": "benchmarks-old.xlsx"},
    ),
    Code(
        "benchmark-unreadable",
        W,
        "The benchmarks file cannot be read",
        "{file} cannot be read, so no benchmark is shown: {reason} Save it again as a plain "
        ".xlsx workbook or a .csv file and run the command again.",
        {"file": "benchmarks.xlsx", "reason": "it is not a workbook (it looks like a PDF)."},
    ),
    Code(
        "benchmark-missing-column",
        W,
        "The benchmarks file lacks a required column",
        "{file} has no {column} column, so no benchmark is shown. The first row of headings "
        "must include Ref, Period, Comparator and Value (Lower quartile and Upper quartile are "
        "optional).",
        {"file": "benchmarks.csv", "column": "Comparator"},
    ),
    Code(
        "benchmark-empty",
        W,
        "The benchmarks file has no benchmarks",
        "{file} has no rows of benchmarks under its headings. Put one row per indicator, "
        "period and comparator under Ref, Period, Comparator and Value, or delete the file.",
        {"file": "benchmarks.csv"},
    ),
    Code(
        "benchmark-unknown-ref",
        W,
        "A benchmark for a ref that is not in the catalogue",
        "Cell {cell}: '{text}' is not a ref in the indicator catalogue.{suggestion} Correct the "
        "ref, or delete the row. " + NOT_USED,
        {"cell": "A7", "text": "ASC-99", "suggestion": ""},
    ),
    Code(  # fmt: skip
        "benchmark-blank-cell",
        W,
        "A benchmark row with a blank cell that is needed",
        "Cell {cell}: {whose} has no {label}. Fill it in ({wanted}), or delete the row. "
        + NOT_USED,
        {
            "cell": "C7",
            "whose": "the ASC-13 row",
            "label": "comparator",
            "wanted": "the group compared with, e.g. England median",
        },
    ),
    Code(
        "benchmark-bad-period",
        W,
        "A benchmark period that is not a quarter or a financial year",
        "Cell {cell}: '{text}' for {ref} is not a quarter or a financial year. "
        + ADVICE_PERIOD
        + " "
        + NOT_USED,
        {"cell": "B7", "text": "Year 3", "ref": "ASC-13"},
    ),  # fmt: skip
    Code(
        "benchmark-bad-number",
        W,
        "A benchmark figure that is not a number",
        "Cell {cell}: the {label} '{text}' for {ref} is not a number. Enter a number such as "
        "78.2, or clear the cell{optional}. " + NOT_USED,
        {"cell": "D7", "label": "value", "text": "n/k", "ref": "ASC-13", "optional": ""},
    ),
    Code(
        "benchmark-fraction-for-percent",
        W,
        "A percentage benchmark typed as a fraction (0.782 for 78.2%)",
        "Cell {cell}: {ref} is measured in %, and its {label} {text} would be {as_typed}. If you "
        "mean {meant}, enter {meant_number} (or format the cell as a percentage); if you mean "
        "{as_typed}, type it as {as_typed}. " + NOT_USED,
        {
            "cell": "D7",
            "ref": "ASC-13",
            "label": "value",
            "text": "0.782",
            "as_typed": "0.782%",
            "meant": "78.2%",
            "meant_number": "78.2",
        },
    ),
    Code(
        "benchmark-percent-for-number",
        W,
        "A benchmark given as a percentage for a measure that is not one",
        "Cell {cell}: {text} is a percentage, but {ref} is measured in {unit}, not %. Check the "
        "figure is for {ref} and enter it without %. " + NOT_USED,
        {"cell": "D7", "text": "12%", "ref": "ASC-15", "unit": "rate"},
    ),
    Code(
        "benchmark-quartiles-order",
        W,
        "Benchmark quartiles out of order",
        "Cell {cell}: the quartiles for {ref} ({comparator}, {period}) are out of order: lower "
        "quartile {lower}, value {figure}, upper quartile {upper}. The lower quartile must be at "
        "or below the value and the upper quartile at or above it: check the columns are not "
        "swapped. " + NOT_USED,
        {
            "cell": "E7",
            "ref": "ASC-13",
            "comparator": "England median",
            "period": "2022/23",
            "lower": "83.0",
            "figure": "78.2",
            "upper": "72.1",
        },
    ),
    Code(
        "benchmark-duplicate",
        W,
        "Two benchmarks for the same indicator, period and comparator",
        "Cell {cell}: {ref} already has a benchmark for {comparator}, {period}, in row {row}; "
        "this second one is not used. Delete the row that is wrong.",
        {
            "cell": "A9",
            "ref": "ASC-13",
            "comparator": "England median",
            "period": "2022/23",
            "row": 7,
        },
    ),  # fmt: skip
)
