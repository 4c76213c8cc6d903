"""Finding codes about a file of past figures (perfreport history import) and where it is stored."""

from __future__ import annotations

from perfreport.core.findings import Code, Severity

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

# history-bad-period: what to do, one phrase per situation.
ADVICE_PERIOD_FORM = "Write a quarter as Q2 2023/24, or a financial year as 2023/24."
ADVICE_GIVE_QUARTER = "Give the quarter the figure was reported in, such as Q2 2023/24."
ADVICE_DUE_QUARTER = (
    "Give the quarter it was reported in, or the financial year (2023/24) for an annual measure."
)
ADVICE_ENDED = "Past figures are for quarters that have ended: check the period."
ADVICE_DATA_PERIOD = (
    "Give the earlier period the figure is for (Q4 2022/23, or 2022/23 for an annual measure), "
    "or leave Period of data blank when it is for the period it was reported in."
)

HISTORY_CODES = (
    Code(
        "history-missing-column",
        E,
        "A file of past figures lacks a required column",
        "{file} has no {column} column, so nothing was imported. The first row of headings "
        "must include Ref, Period and Value (Target, RAG and Commentary are optional).",
        {"file": "history/past-figures.xlsx", "column": "Period"},
    ),
    Code(
        "history-empty",
        E,
        "A file of past figures has no figures",
        "{file} has no rows of figures under its headings, so nothing was imported. Put one "
        "row per indicator and period under Ref, Period and Value.",
        {"file": "history/past-figures.xlsx"},
    ),
    Code(
        "history-unknown-ref",
        E,
        "A past figure for a ref that is not in the catalogue",
        "Cell {cell}: '{text}' is not a ref in the indicator catalogue. Check the ref, or add "
        "the indicator to the catalogue before importing its figures.",
        {"cell": "A7", "text": "ASC-99"},
    ),
    Code(
        "history-bad-period",
        E,
        "A period that cannot hold the figure",
        "Cell {cell}: {problem}. {advice}",
        {
            "cell": "B7",
            "problem": "'Q5 2023/24' is not a quarter or a financial year",
            "advice": ADVICE_PERIOD_FORM,
        },
        choices={
            "advice": (
                ADVICE_PERIOD_FORM,
                ADVICE_GIVE_QUARTER,
                ADVICE_DUE_QUARTER,
                ADVICE_ENDED,
                ADVICE_DATA_PERIOD,
            )
        },
    ),
    Code(
        "history-duplicate",
        E,
        "Two past figures for the same indicator and period",
        "Cell {cell}: {ref} already has a figure for {period} in row {row}. Keep one row per "
        "indicator and period.",
        {"cell": "A12", "ref": "ASC-02", "period": "Q3 2022/23", "row": 9},
    ),
    Code(
        "history-rag-differs",
        W,
        "A published RAG that the catalogue's rule would not give",
        "Cell {cell}: {ref} was published as {published} for {period}, but the catalogue's rule "
        "gives {rule} ({reason}). The published {published} is kept, as committee saw it.",
        {
            "cell": "E9",
            "ref": "ASC-02",
            "published": "Amber",
            "period": "Q3 2022/23",
            "rule": "Red",
            "reason": "61.2% against target 70.0%: Red (Amber from 66.5%)",
        },
    ),
    Code(
        "history-quarter-built",
        E,
        "Past figures for a quarter that perfreport built and published",
        "{period} was built and published by perfreport ({published}), so its figures are "
        "kept and nothing was imported. To use the imported figures instead, import again with "
        "--replace.",
        {"period": "Q1 2024/25", "published": "build/Q1-2024/dataset.json"},
    ),
)
