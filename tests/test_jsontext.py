"""The export's JSON writer gives json.dumps(indent=2, ensure_ascii=False)'s text, errors included."""

from __future__ import annotations

import enum
import json
from pathlib import Path

import pytest
from ratingfactory import Q2, QUARTERS_WITH_TEXT, Quarters, empty_project

from perfreport.build import summarise_period
from perfreport.publish.export import dataset_document, json_text, summary_document
from perfreport.publish.jsontext import indented_json


def dumps(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


class Colour(enum.StrEnum):
    RED = "red"


class Size(enum.IntEnum):
    BIG = 3


class Money(float):
    pass


VALUES = [
    {},
    [],
    "",
    "plain",
    None,
    True,
    False,
    0,
    -0.0,
    1.5,
    10**30,
    float("nan"),
    float("inf"),
    -float("inf"),
    [None, True, False, 0, -0.0, 73.59999999999999, 1e-7, 2**53 + 1, "x"],
    {"text": 'quote " back \\ slash / tab \t nl \n cr \r bell \a del \x7f nul \x00'},
    {"unicode": "£ ↑ ● Größe 東京 😀", "lone": "\ud800", "bidi": "\u202e", "ls": "\u2028"},
    {"empty": {}, "none": [], "deeper": [{}, [], [[]], {"a": {}}]},
    {"mixed": [1, "a", [2, {"b": [3, {"c": None}]}], {"d": {"e": {"f": [4.25]}}}]},
    {"flat": {"a": 1, "b": "two", "c": None, "d": True, "e": 2.5}},
    # Like an indicator's record: runs of texts and numbers between a dict, lists and a list
    # of flat dicts, each run written by the C encoder.
    {"ref": "A-1", "n": 2, "x": -0.0, "src": {"cell": "E9"}, "b": [], "t": "up", "p": [{"q": 1}]},
    {"a": [1], "b": None, "c": {"d": {"e": [{"f": 1.5, "g": "h"}, {}]}, "i": "j"}, "k": False},
    {"first": {"x": 1}, "then": "text", 3: "an int key after a run"},
    [[1, 2], [3, [4, [5, [6]]]]],
    ("a", "tuple", ("inside",)),
    {"tuple": (1, 2), "nested": [(3, {"x": (4,)})]},
    {"enum": Colour.RED, "int_enum": Size.BIG, "float_subclass": Money(2.5)},
    [Colour.RED, Size.BIG, Money(1.0)],
    {7: "int key", 2.5: "float key", True: "bool key", None: "none key"},
    {"a": {1: "int key, nested"}},
    {
        "deep": [
            [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["bottom"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
        ]
    },
]


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_the_text_is_json_dumps_text(value) -> None:
    assert indented_json(value) == dumps(value)


@pytest.mark.parametrize("value", VALUES, ids=range(len(VALUES)))
def test_an_end_is_written_after_the_text(value) -> None:
    assert indented_json(value, end="\n") == dumps(value) + "\n"


def test_a_list_of_records_is_held_as_one_text_a_record() -> None:
    """The records of a list near the top are joined as they are written (memory at 100x)."""
    import perfreport.publish.jsontext as jsontext

    records = [{"ref": f"R{n}", "source": {"cell": f"E{n}"}, "trend": [1, [2]]} for n in range(50)]
    out: list[str] = []
    jsontext._write({"indicators": records}, 1, out)
    # Each record is one piece, after its separator; and the document's and the list's
    # opening and closing text.
    assert len(out) == 2 * len(records) + 3
    assert out[2] == dumps(records[0]).replace("\n", "\n    ")
    assert "".join(out) == dumps({"indicators": records})


def test_a_value_json_refuses_gives_json_s_own_error() -> None:
    for value in ({"when": object()}, [1, {2, 3}], {("tuple", "key"): 1}):
        with pytest.raises(TypeError) as theirs:
            dumps(value)
        with pytest.raises(TypeError) as ours:
            indented_json(value)
        assert str(ours.value) == str(theirs.value)
    cycle: list = [1]
    cycle.append(cycle)
    with pytest.raises(ValueError, match="Circular reference detected"):
        indented_json({"cycle": cycle})


def test_the_dataset_and_summary_documents_are_written_as_json_dumps_writes_them(
    tmp_path: Path,
) -> None:
    project = empty_project(tmp_path / "council")
    summary = summarise_period(project, Q2, reader=Quarters(project, QUARTERS_WITH_TEXT))
    for document in (dataset_document(summary), summary_document(summary)):
        assert len(document) > 5
        assert json_text(document) == dumps(document) + "\n"
        assert json.loads(json_text(document)) == json.loads(dumps(document))
