"""The default template prepared from the record shipped beside it (paper.precompiled): current,
the same bytes as preparing it on the build, and used for no other template or environment."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest
from jinja2.defaults import DEFAULT_FILTERS
from paperfactory import make_context, template_with

from perfreport.paper import precompiled
from perfreport.paper.document import render_document
from perfreport.paper.sandbox import BoundedEnvironment
from perfreport.paper.template import default_template

REGENERATE = ".venv/bin/python -m perfreport.paper.precompiled"


def test_the_shipped_record_is_the_default_template_s() -> None:
    shipped = default_template().with_name(precompiled.RECORD)
    assert shipped.is_file(), f"{shipped} is missing: run {REGENERATE}"
    record = json.loads(shipped.read_text(encoding="utf-8"))
    # After a change to the template (templates/build_template.py) or to the templates'
    # environment: builds prepare the template themselves until it is made again.
    assert record["template"] == hashlib.sha256(default_template().read_bytes()).hexdigest(), (
        f"out of date: run {REGENERATE}"
    )
    made = precompiled.make_record(default_template())
    if record["environment"][2:] != made["environment"][2:]:
        pytest.fail(f"made for another environment: run {REGENERATE}")
    if record["environment"][:2] == made["environment"][:2]:
        assert shipped.read_text(encoding="utf-8") == precompiled.record_text(default_template())
    else:  # installed with another Jinja or docxtpl than it was made with: not used, as it must
        assert precompiled.shipped_prepared(default_template()) is None


@pytest.fixture
def current_record(monkeypatch: pytest.MonkeyPatch) -> dict:
    """The record as made under the installed Jinja and docxtpl, where perfreport looks for it:
    the tests below hold whichever versions a fresh install gets."""
    record = json.loads(precompiled.record_text(default_template()))
    monkeypatch.setattr(precompiled, "_shipped_record", lambda: record)
    return record


def _compiles(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What Jinja compiles from now on (any environment)."""
    compiled: list[str] = []
    compile_ = BoundedEnvironment.compile

    def counted(self, source, *args, **kwargs):
        compiled.append(source)
        return compile_(self, source, *args, **kwargs)

    monkeypatch.setattr(BoundedEnvironment, "compile", counted)
    return compiled


@pytest.mark.parametrize("stream", [True, False])
def test_the_default_template_is_prepared_from_the_record_to_the_same_bytes(
    stream: bool, monkeypatch: pytest.MonkeyPatch, current_record: dict
) -> None:
    context = make_context()
    plain = render_document(context, default_template(), stream=stream)
    compiled = _compiles(monkeypatch)
    prepared = precompiled.prepare(default_template())
    assert prepared is not None
    assert len(prepared.patched) == len(prepared.environment.compiled) >= 3
    made = render_document(context, default_template(), stream=stream, prepared=prepared)
    assert made == plain
    assert compiled == []  # neither preparing it nor filling it in compiled anything


def test_a_copy_of_the_default_template_is_prepared_from_the_record(
    tmp_path, current_record: dict
) -> None:
    copy = tmp_path / "brand.docx"  # as `perfreport template export` writes it
    shutil.copyfile(default_template(), copy)
    prepared = precompiled.shipped_prepared(copy)
    assert prepared is not None
    assert prepared.template == copy


def test_another_template_is_prepared_as_before(tmp_path, monkeypatch, current_record) -> None:
    path = template_with(tmp_path, "{{ title }} of {{ council }}")
    assert precompiled.shipped_prepared(path) is None
    compiled = _compiles(monkeypatch)
    prepared = precompiled.prepare(path)
    assert prepared is not None
    assert len(compiled) == len(prepared.environment.compiled) >= 1
    context = {"title": "Paper", "council": "Test Council", "subject": ""}
    assert render_document(context, path, required=[], prepared=prepared) == render_document(
        context, path, required=[]
    )


def _fewer_bounds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(BoundedEnvironment, "intercepted_binops", frozenset(["*"]))


def _another_finalize(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("perfreport.paper.prepared._xml_text", lambda value: value)


def _one_filter_more(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(DEFAULT_FILTERS, "extra", str)


@pytest.mark.parametrize("change", [_fewer_bounds, _another_finalize, _one_filter_more])
def test_the_record_is_not_used_under_another_environment(
    monkeypatch, change, current_record: dict
) -> None:
    assert precompiled.shipped_prepared(default_template()) is not None
    change(monkeypatch)
    assert precompiled.shipped_prepared(default_template()) is None


def test_the_record_is_not_used_for_a_missing_or_damaged_record(monkeypatch, tmp_path) -> None:
    template = default_template()
    record = json.loads(precompiled.record_text(template))
    damaged = tmp_path / precompiled.RECORD
    found = {"path": damaged}

    def shipped(name, *args):  # the record where the test puts it; the template as before
        return found["path"] if name == precompiled.RECORD else template

    monkeypatch.setattr("perfreport.paper.template.shipped_template", shipped)
    damaged.write_text(json.dumps(record), encoding="utf-8")
    assert precompiled.shipped_prepared(template) is not None  # read from where it is put
    damaged.write_text("{", encoding="utf-8")
    assert precompiled.shipped_prepared(template) is None
    found["path"] = tmp_path / "missing.json"
    assert precompiled.shipped_prepared(template) is None
    record["parts"][0]["code"] = "def root(:"  # current in every other way
    damaged.write_text(json.dumps(record), encoding="utf-8")
    found["path"] = damaged
    assert precompiled.shipped_prepared(template) is None
    assert precompiled.prepare(template) is not None  # prepared as any other template


def test_a_record_made_under_another_jinja_or_docxtpl_is_not_used(current_record: dict) -> None:
    assert precompiled.shipped_prepared(default_template()) is not None
    current_record["environment"][0] = "jinja2 0.0"
    assert precompiled.shipped_prepared(default_template()) is None
