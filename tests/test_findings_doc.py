"""The registry of finding codes: one message template each, and docs/findings.md made from it."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from perfreport.core.codes import CODES, finding
from perfreport.core.findings import LOCATION_FIELDS, Code, Severity

DOCS = Path(__file__).resolve().parent.parent / "docs"


def load_generator():
    spec = importlib.util.spec_from_file_location("gen_findings", DOCS / "gen_findings.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_docs_findings_md_is_up_to_date() -> None:
    written = (DOCS / "findings.md").read_text(encoding="utf-8")
    assert written == load_generator().render(), "run: python docs/gen_findings.py"


def test_every_code_is_kebab_case_with_a_title_and_an_example() -> None:
    for code, entry in CODES.items():
        assert code == entry.code
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code), code
        assert entry.title.strip() and entry.example_message.strip(), code


def test_every_template_field_has_an_example_and_every_example_a_field() -> None:
    for code, entry in CODES.items():
        assert set(entry.example) == entry.fields, code
        assert "{" not in entry.example_message and "}" not in entry.example_message, code


def test_a_finding_of_each_code_made_from_its_example_says_the_example_message() -> None:
    for code, entry in CODES.items():
        fields = dict(entry.example)
        location = {name: fields.pop(name) for name in LOCATION_FIELDS if name in fields}
        made = finding(code, **location, **fields)
        assert (made.code, made.severity, made.message) == (
            code,
            entry.severity,
            entry.example_message,
        )


def test_a_field_missing_or_unknown_raises_at_once() -> None:
    example = dict(CODES["bad-rag"].example)  # {"cell": ..., "text": ...}
    with pytest.raises(TypeError, match="missing \\['text'\\]"):
        finding("bad-rag", cell="J9")
    with pytest.raises(TypeError, match="unknown \\['colour'\\]"):
        finding("bad-rag", cell="J9", text=example["text"], colour="red")
    with pytest.raises(TypeError, match="names the cell"):
        finding("bad-rag", text=example["text"])
    with pytest.raises(KeyError):
        finding("no-such-code")


def test_a_template_field_must_be_a_plain_name() -> None:
    with pytest.raises(ValueError, match="plain name"):
        Code("x", Severity.ERROR, "X", "Cell {cell.row}", {"cell": "A1"})


def test_the_location_a_template_names_comes_from_the_finding() -> None:
    made = finding("missing-value", file="a.xlsx", sheet="Return", cell="C10", ref="ASC-02", but="")
    assert made.message.startswith("Cell C10 is blank. Enter the figure for ASC-02,")
    assert (made.file, made.sheet, made.cell, made.ref) == ("a.xlsx", "Return", "C10", "ASC-02")


def test_every_code_has_a_row_in_the_table() -> None:
    text = (DOCS / "findings.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `([a-z0-9-]+)` \| (error|warning|info) \|", text, re.MULTILINE)
    assert rows == [(c.code, c.severity.value) for c in CODES.values()]


def test_a_field_with_choices_takes_only_the_named_phrases() -> None:
    from perfreport.core.codes_rows import ADVICE_ENTER_REF

    made = finding("unknown-ref", cell="A9", problem="the ref is blank", advice=ADVICE_ENTER_REF)
    assert made.message == "Cell A9: the ref is blank. Enter the indicator's ref."
    with pytest.raises(ValueError, match="advice must be one of its choices"):
        finding("unknown-ref", cell="A9", problem="the ref is blank", advice="Type a ref.")


def test_choices_are_for_fields_of_the_template_and_the_example_takes_one() -> None:
    with pytest.raises(ValueError, match="choices for fields the template lacks"):
        Code("x", Severity.ERROR, "X", "Cell {cell}.", {"cell": "A1"}, choices={"advice": ("",)})
    for code, entry in CODES.items():
        for name, phrases in entry.choices.items():
            assert entry.example[name] in phrases, code
            assert len(set(phrases)) == len(phrases), code


def test_a_phrase_that_joins_on_to_the_words_before_it_is_shown_in_its_sentence() -> None:
    # " after deleting" and "(nothing)" read as fragments in the list of phrases: each is shown
    # in the sentence it makes in the example; a phrase of words ("were") reads on its own.
    written = (DOCS / "findings.md").read_text(encoding="utf-8")
    lines = written.splitlines()
    assert (
        "  - “ after deleting”, as in “If the published paper was wrong, rebuild Q1-2024 after "
        "deleting build/Q1-2024/dataset.json.”"
    ) in lines
    assert "  - (nothing), as in “Cell D7: ASC-04 has no service.”" in lines
    assert "  - “were”" in lines and "  - “was”" in lines
    shown = load_generator()._in_example
    code = CODES["catalogue-missing-value"]
    assert shown(code, "effect", ", so it is skipped") == (
        "Cell D7: ASC-04 has no service, so it is skipped."
    )
    assert shown(CODES["unprintable-text"], "were", "was") == ""
