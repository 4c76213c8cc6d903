"""The paper's context, checked for text to clean as it is made (sanitise_context's walk spared)."""

from __future__ import annotations

import enum
from pathlib import Path

import pytest
from ratingfactory import Q4_2023, QUARTERS, Quarters, empty_project

from perfreport.build import summarise_period
from perfreport.core.model import CellRef, Observation
from perfreport.inputs.report_file import parse_report
from perfreport.paper.context import make_paper, paper_context
from perfreport.paper.model_context import Unclean, template_context
from perfreport.paper.textsafety import Sanitised, sanitise_context, suspect_text

REPORT, _ = parse_report({}, Path("reports/Q4-2023.toml"))


def _summary(root: Path, commentary: str = ""):
    project = empty_project(root)
    quarters = dict(QUARTERS)
    if commentary:
        quarters[Q4_2023] = {
            **quarters[Q4_2023],
            "WR-02": Observation(
                "WR-02", 75, commentary=commentary, source=CellRef("r.xlsx", "Return", "C9")
            ),
        }
    return summarise_period(project, Q4_2023, reader=Quarters(project, quarters))


def test_a_clean_context_is_made_sanitised_and_is_what_the_walk_makes(tmp_path: Path) -> None:
    summary = _summary(tmp_path / "council", "Better than planned.\nActions: none")
    context = paper_context(summary, REPORT)
    assert isinstance(context, Sanitised)
    walked, findings = sanitise_context(dict(template_context(make_paper(summary, REPORT))))
    assert context == walked and findings == ()
    assert sanitise_context(context) == (context, ())  # not walked again
    assert sanitise_context(context)[0] is context


@pytest.mark.parametrize(
    ("text", "code"),
    [("Bell\x07 rung", "unprintable-text"), ("Right \u202eto left", "bidi-text"), ("a\rb", None)],
)
def test_a_context_with_text_to_clean_is_left_to_the_walk_which_cleans_it(
    tmp_path: Path, text: str, code: str | None
) -> None:
    summary = _summary(tmp_path / "council", text)
    context = paper_context(summary, REPORT)
    assert not isinstance(context, Sanitised)
    assert context == template_context(make_paper(summary, REPORT))
    cleaned, findings = sanitise_context(context)
    assert [f.code for f in findings] == ([code] if code else [])
    assert text not in str(cleaned) and "WR-02" in str(cleaned)


class _Kind(enum.StrEnum):
    A = "a"


@pytest.mark.parametrize(
    "value",
    [["fine", "not\x0bfine"], {"key": "value"}, [_Kind.A], ("x", b"bytes"), [object()]],
)
def test_the_check_stops_at_what_the_walk_would_change_or_look_into(value: object) -> None:
    with pytest.raises(Unclean):
        template_context(value, suspect_text)
    template_context(value)  # without the check: as before


def test_text_numbers_and_none_pass_the_check_unchanged() -> None:
    value = ["text", 1, 2.5, True, None, ("a", "b")]
    assert template_context(value, suspect_text) == template_context(value)
    assert template_context(value, suspect_text) == ["text", 1, 2.5, True, None, ["a", "b"]]
