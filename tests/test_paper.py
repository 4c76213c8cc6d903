"""The paper's model: the computed sentences, and the template context derived from the classes."""

from __future__ import annotations

import dataclasses
import typing
from pathlib import Path

import pytest
from ratingfactory import Q4_2023, QUARTERS, Quarters, empty_project

from perfreport.build import summarise_period
from perfreport.inputs.report_file import ITEMS, Kind, parse_report
from perfreport.paper.context import make_paper, paper_context
from perfreport.paper.model import (
    Cover,
    Paper,
    Section,
    context_fields,
    context_schema,
    doc,
)
from perfreport.paper.model_context import template_context
from perfreport.paper.template import CONTEXT_SCHEMA, context_problems
from perfreport.rating.rules import Unrated


@pytest.fixture(scope="module")
def paper(tmp_path_factory) -> Paper:
    project = empty_project(tmp_path_factory.mktemp("paper") / "council")
    summary = summarise_period(project, Q4_2023, reader=Quarters(project, QUARTERS))
    report, _ = parse_report({}, Path("reports/Q4-2023.toml"))
    assert paper_context(summary, report) == template_context(make_paper(summary, report))
    return make_paper(summary, report)


def test_a_quarter_with_nothing_to_compare_with_says_so_once(paper: Paper) -> None:
    # Q3 2023/24 has no returns and nothing published: every rated measure would be "new", which
    # repeats the sentence before it, so the paper says it once.
    assert [*paper.summary.headline, *paper.summary.movement] == [
        "The 2023/24 Q4 report contains 5 indicators, of which 4 have a Red, Amber, Green (RAG) "
        "rating.",
        "Of the 4 rated indicators, 4 are Green, 0 Amber and 0 Red. The other indicator is a "
        "context measure, reported without a rating.",
        "There are no ratings for Q3 2023/24 to compare with, so the movement since last quarter "
        "cannot be shown.",
    ]


# -- the template context, derived from the model -------------------------------------------------


def test_the_context_is_the_model_as_dicts_and_lists_with_the_cover_at_the_top(
    paper: Paper,
) -> None:
    context = template_context(paper)
    assert context_problems(context) == []
    assert list(context) == list(CONTEXT_SCHEMA)
    assert context["council"] == paper.cover.council  # the cover's fields sit at the top level
    assert "cover" not in context
    assert context["summary"]["rag_total"] == dataclasses.asdict(paper.summary.rag_total)
    indicator = paper.appendix.groups[0].indicators[0]
    assert context["appendix"]["groups"][0]["indicators"][0]["ref"] == indicator.ref
    assert context["appendix"]["notes"] == list(paper.appendix.notes)  # tuples become lists


def test_the_model_is_frozen(paper: Paper) -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        paper.cover.committee = "Cabinet"  # type: ignore[misc]


def test_every_text_item_of_the_report_file_has_its_field_on_the_cover() -> None:
    hints = typing.get_type_hints(Cover)
    renamed = {"key_issues": "key_issues_narrative"}
    for item in ITEMS:
        name = renamed.get(item.key, item.key)
        if item.kind is Kind.LINE:
            assert hints[name] is str, name
        elif item.kind in (Kind.PROSE, Kind.LIST):
            assert hints[name] == tuple[str, ...], name


def test_every_field_is_described_and_every_top_level_field_has_a_section() -> None:
    fields = list(context_fields())
    assert [f.path for f in fields if "." not in f.path and "[]" not in f.path] == list(
        CONTEXT_SCHEMA
    )
    leaves = [f for f in fields if not dataclasses.is_dataclass(f.type)]
    assert [f.path for f in leaves if not f.doc.strip()] == []
    assert [f.path for f in fields if f.section is None] == []
    assert {f.section for f in fields} == set(Section)
    assert "appendix.groups[].indicators[].rag_fill" in {f.path for f in fields}


def test_the_schema_follows_the_type_hints() -> None:
    assert CONTEXT_SCHEMA["committee"] is str
    assert CONTEXT_SCHEMA["recommendations"] == [str]
    assert CONTEXT_SCHEMA["author"] == {k: str for k in ("name", "job_title", "email", "telephone")}
    assert CONTEXT_SCHEMA["key_issues"] == [{"name": str, "issues": [str]}]
    assert CONTEXT_SCHEMA["appendix"]["groups"][0]["indicators"][0]["commentary"] is str


def test_raises_on_a_field_the_template_cannot_show() -> None:
    @dataclasses.dataclass(frozen=True)
    class Figure:
        value: float = doc("a number the paper should have formatted")

    with pytest.raises(
        TypeError, match="text, a model class or a tuple of them, not <class 'float'>"
    ):
        context_schema(Figure)


@pytest.mark.parametrize(
    ("rated", "kinds", "sentence"),
    [
        (
            4,
            [Unrated.CONTEXT],
            "The other indicator is a context measure, reported without a rating.",
        ),
        (
            0,
            [Unrated.NO_TARGET] * 2,
            "The 2 indicators have no target, so are reported without a rating.",
        ),
        (
            56,
            [Unrated.NOT_RATED, Unrated.CONTEXT, Unrated.NO_TARGET, Unrated.NO_TARGET],
            "The other 4 indicators are reported without a rating: 1 is a context measure, 2 "
            "have no target and 1 has a target but is not rated.",
        ),
    ],
)
def test_the_summary_says_why_the_other_indicators_have_no_rag(rated, kinds, sentence) -> None:
    from types import SimpleNamespace

    from perfreport.core.model import Indicator, Polarity
    from perfreport.paper.context import _not_rated_sentence
    from perfreport.summary.counts import RagCounts

    def row(n: int, why: Unrated) -> SimpleNamespace:
        indicator = Indicator(
            f"X-{n}", "A measure", "p", "s",
            Polarity.NONE if why is Unrated.CONTEXT else Polarity.HIGHER,
            rated=False,
        )  # fmt: skip
        target = 90.0 if why is Unrated.NOT_RATED else None
        current = SimpleNamespace(indicator=indicator, target=target, rag=None, rated=False)
        return SimpleNamespace(current=current)

    summary = SimpleNamespace(
        counts=RagCounts(green=rated, not_rated=len(kinds)),
        indicators=[row(n, why) for n, why in enumerate(kinds)],
    )
    assert _not_rated_sentence(summary) == sentence
