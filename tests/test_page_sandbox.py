"""The web page's and the Word template's sandboxes read a plain dict's keys first, with the results
of Jinja's own."""

from __future__ import annotations

from types import FunctionType
from typing import Any

import pytest
from jinja2 import StrictUndefined, Undefined
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup
from paperfactory import make_context

from perfreport.paper.html import (
    content_security_policy,
    default_html_template,
    fill_class,
    html_context,
    linked,
    make_html_environment,
)
from perfreport.paper.page_sandbox import PageEnvironment
from perfreport.paper.prepared import make_environment
from perfreport.paper.sandbox import BoundedEnvironment, KeysFirst
from perfreport.paper.textsafety import sanitise_context


class Row(dict):
    """A dict of another type, with an attribute of its own."""

    @property
    def ref(self) -> str:
        return "the property"


def _same(ours: Any, theirs: Any) -> bool:
    if isinstance(theirs, Undefined):  # says the same about the same object
        return (
            type(ours) is type(theirs)
            and ours._undefined_obj is theirs._undefined_obj
            and ours._undefined_name == theirs._undefined_name
            and ours._undefined_hint == theirs._undefined_hint
        )
    if isinstance(theirs, FunctionType):  # str.format, wrapped afresh by each read
        return isinstance(ours, FunctionType) and ours.__qualname__ == theirs.__qualname__
    return ours == theirs and type(ours) is type(theirs)


OBJECTS = [
    {"ref": "PI 1", "items": "a key named items", "_hidden": 1, "__class__": "k", "": 0},
    {},
    Row(ref="the key", other=2),
    Markup("<b>x</b>"),
    ["ref"],
    "text",
    None,
]
NAMES = ["ref", "items", "keys", "get", "_hidden", "__class__", "__init__", "missing", "other",
         "", "upper", "pop", "clear", "format", "mro", "__name__"]  # fmt: skip


@pytest.mark.parametrize("undefined", [Undefined, StrictUndefined])
@pytest.mark.parametrize("kind", [PageEnvironment, BoundedEnvironment, "prepared"])
def test_every_attribute_read_gives_what_jinja_s_sandbox_gives(undefined: type, kind) -> None:
    """The web page's sandbox and the Word template's (as made for a build) alike."""
    if kind == "prepared":
        kind = type(make_environment(prepared=True))
    assert issubclass(kind, KeysFirst)
    ours = kind(undefined=undefined)
    theirs = SandboxedEnvironment(undefined=undefined)
    compared = 0
    for obj in OBJECTS:
        for name in NAMES:
            mine, jinja = ours.getattr(obj, name), theirs.getattr(obj, name)
            assert _same(mine, jinja), (obj, name, mine, jinja)
            compared += 1
    assert compared == len(OBJECTS) * len(NAMES)
    # Read as keys only where a dict has no such attribute: the method, then the keys.
    row = OBJECTS[0]
    assert ours.getattr(row, "items") == row.items
    assert ours.getattr(row, "ref") == "PI 1"
    assert ours.getattr(row, "_hidden") == 1  # a key, as Jinja's sandbox reads it too


def test_the_shipped_page_renders_the_same_under_jinja_s_own_sandbox() -> None:
    source = default_html_template().read_text(encoding="utf-8")
    environment = make_html_environment()
    assert type(environment) is PageEnvironment
    theirs = SandboxedEnvironment(
        autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True
    )
    theirs.filters.update(linked=linked, fill_class=fill_class)
    theirs.globals["content_security_policy"] = content_security_policy
    for context in (make_context(), make_context(council="<b>&amp; ' \" </b>")):
        clean, _ = sanitise_context(context)
        page = html_context(clean)
        mine = environment.from_string(source).render(page)
        assert len(mine) > 10_000
        assert mine == theirs.from_string(source).render(page)
