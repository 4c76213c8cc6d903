"""JSON text as ``json.dumps(value, indent=2, ensure_ascii=False)`` writes it, made faster."""

from __future__ import annotations

import json
from json.encoder import encode_basestring  # the C function where there is one
from typing import Any

try:
    from _json import make_encoder
except ImportError:  # a Python without json's C speedups: json.dumps does it all
    make_encoder = None

# With ``indent``, Python's json module always uses its pure-Python encoder: a generator per
# level, one value at a time (about 0.9 s for a 100x dataset.json). This writes the same text
# with fewer calls: a list or dict that holds no list or dict is written by json's C encoder,
# its item separator carrying the indentation, and the rest by one call a level. Anything
# json.dumps would refuse or write some other way (a cycle, a value of another type, a key that
# is not text, a subclass of str or int) is handed to json.dumps itself, so that the text, or
# the error, is always its own.

_FLAT = frozenset((str, int, float, bool, type(None)))
_TEXT = frozenset((str,))  # a dict's keys, checked without a Python call per key
_DEEPEST = 32  # levels written here; deeper goes to json.dumps (and its recursion checks)
_JOINED = 2  # the items of a list at this level or nearer the top are each joined when written
_INFINITY = float("inf")
_float_repr, _int_repr = float.__repr__, int.__repr__


class _Other(Exception):
    """A value this module leaves to json.dumps."""


def _flat_encoder(level: int) -> Any:
    """json's C encoder for a flat list or dict at ``level`` (2 spaces a level): the indented
    text less the line breaks after the opening bracket and before the closing one."""
    if make_encoder is None:
        return None
    separator = ",\n" + "  " * level
    return make_encoder(None, None, encode_basestring, None, ": ", separator, False, False, True)


_ENCODERS = [_flat_encoder(level) for level in range(_DEEPEST + 1)]


def _scalar(value: Any) -> str:
    """Text, a number, a boolean or None as json writes it (NaN and the infinities too)."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if kind is int:
        return _int_repr(value)
    if kind is float:
        if value != value:
            return "NaN"
        if value == _INFINITY:
            return "Infinity"
        if value == -_INFINITY:
            return "-Infinity"
        return _float_repr(value)
    raise _Other


def _write(value: Any, level: int, out: list[str]) -> None:
    """Append ``value``, a list or dict at ``level``, indented as json.dumps(indent=2) does."""
    if level > _DEEPEST:
        raise _Other
    dict_ = type(value) is dict
    if not value:
        out.append("{}" if dict_ else "[]")
        return
    items = value.values() if dict_ else value
    close = "\n" + "  " * (level - 1) + ("}" if dict_ else "]")
    inner = "\n" + "  " * level
    if _FLAT.issuperset(map(type, items)) and (not dict_ or _TEXT.issuperset(map(type, value))):
        out.append(("{" if dict_ else "[") + inner + _ENCODERS[level](value, 0)[0][1:-1] + close)
        return
    sep = ("{" if dict_ else "[") + inner
    if dict_:
        _write_items(value, level, sep, inner, out)
        out.append(close)
        return
    for item in value:
        out.append(sep)
        kind = type(item)
        if (kind is dict or kind is list) and level <= _JOINED:
            # Each item of a list near the top (an indicator's record) is joined into one text
            # as it is written: at 100x, a million small pieces held 97 MB until the end.
            pieces: list[str] = []
            _write(item, level + 1, pieces)
            out.append("".join(pieces))
        elif kind is dict or kind is list:
            _write(item, level + 1, out)
        else:
            out.append(_scalar(item))
        sep = "," + inner
    out.append(close)


def _write_items(value: dict, level: int, sep: str, inner: str, out: list[str]) -> None:
    """Append the items of ``value``, a dict holding a list or dict, after ``sep``: each run of
    items between those is written by json's C encoder, as a flat dict is (an indicator's record
    is some 35 texts and numbers, then its cell, benchmarks and trend)."""
    encode = _ENCODERS[level]
    run: dict[str, Any] = {}
    for key, item in value.items():
        if type(key) is not str:
            raise _Other
        kind = type(item)
        if kind in _FLAT:
            run[key] = item
            continue
        if run:
            out.append(sep + encode(run, 0)[0][1:-1])
            sep, run = "," + inner, {}
        out.append(sep + encode_basestring(key) + ": ")
        if kind is not dict and kind is not list:
            raise _Other
        _write(item, level + 1, out)
        sep = "," + inner
    if run:
        out.append(sep + encode(run, 0)[0][1:-1])


def indented_json(value: Any, end: str = "") -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False) + end``: the same text, faster for dicts
    and lists of text, numbers, booleans and None (other values go to json.dumps). ``end`` is
    joined with the rest, not added to it after: at 100x a copy of the text is 36 MB."""
    if make_encoder is None:
        return json.dumps(value, indent=2, ensure_ascii=False) + end
    try:
        kind = type(value)
        if kind is dict or kind is list:
            out: list[str] = []
            _write(value, 1, out)
            out.append(end)
            return "".join(out)
        return _scalar(value) + end
    except (_Other, RecursionError):
        return json.dumps(value, indent=2, ensure_ascii=False) + end
