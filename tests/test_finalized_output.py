"""The templates' environment writes each value as finalize(value) alone (paper.prepared's
finalized_output): the same text as Jinja's escape(finalize(value)), for every kind of value."""

from __future__ import annotations

import pytest
from jinja2 import Environment, StrictUndefined, UndefinedError
from jinja2.compiler import CodeGenerator
from markupsafe import Markup

from perfreport.paper.prepared import _xml_text, finalized_output, make_environment


class _Html:
    """A value with its own markup, as docxtpl's InlineImage has."""

    def __html__(self) -> str:
        return '</w:t><w:drawing a="1"/><w:t>{x}'


_VALUES = [
    "plain",
    "",
    "A & B < C > D 'q' \"qq\" {{ braces }} {_{ {%",
    "line\nbreak\ttab",
    "£ é — 🙂",
    Markup("<b>marked</b> {curly}"),
    Markup("&amp; kept"),
    _Html(),
    42,
    3.5,
    None,
    True,
]

_TEMPLATE = """\
{{ v }}|{{ v|e }}|{{ v|safe }}|{{ v ~ '&' }}|{{ [v] }}|
{% for x in [v, v] %}[{{ x }}{{ loop.index }}]{% endfor %}
{% macro m(a) %}<{{ a }}>{% endmacro %}{{ m(v) }}|{{ m(v)|upper }}
{% set block %}({{ v }}){% endset %}{{ block }}|{{ block|length }}
{% filter upper %}{{ v }}&{% endfilter %}
{% autoescape false %}{{ v }}|{{ v|e }}{% endautoescape %}
{% autoescape true %}{{ v }}{% endautoescape %}
{% macro n() %}[{{ caller() }}]{% endmacro %}{% call n() %}{{ v }}{% endcall %}
{{ 'a' if v else '<b>' }}"""


def _jinjas(environment: Environment) -> Environment:
    """``environment`` generating code as Jinja does."""
    made = make_environment()
    made.code_generator_class = CodeGenerator
    return made


@pytest.mark.parametrize("value", _VALUES, ids=repr)
def test_each_value_gives_the_text_jinjas_escape_of_it_gives(value) -> None:
    ours = make_environment()
    assert ours.code_generator_class is finalized_output()
    code = ours.compile(_TEMPLATE, raw=True)
    assert "escape(environment.finalize(" not in code and "str(environment.finalize(" not in code
    assert "(environment.finalize(" in code
    jinjas = _jinjas(ours)
    assert "escape(environment.finalize(" in jinjas.compile(_TEMPLATE, raw=True)
    made = ours.from_string(_TEMPLATE).render(v=value)
    assert made == jinjas.from_string(_TEMPLATE).render(v=value)
    assert "".join(ours.from_string(_TEMPLATE).generate(v=value)) == made


def test_a_missing_value_fails_as_it_does_in_jinja() -> None:
    ours = make_environment()
    for environment in (ours, _jinjas(ours)):
        with pytest.raises(UndefinedError, match="'nothing' is undefined"):
            environment.from_string("a {{ nothing }} b").render()


def test_an_environment_with_another_finalize_is_generated_as_jinja_generates_it() -> None:
    other = Environment(autoescape=True, undefined=StrictUndefined, finalize=lambda v: v or "-")
    other.code_generator_class = finalized_output()
    code = other.compile("{{ v }}", raw=True)
    assert "escape(environment.finalize(" in code
    assert other.from_string("{{ v }}").render(v="<") == "&lt;"
    plain = Environment(autoescape=True)
    plain.code_generator_class = finalized_output()
    assert "escape(" in plain.compile("{{ v }}", raw=True)
    assert _xml_text("<") == "&lt;"
