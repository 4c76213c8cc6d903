"""The paper model's template context: its dataclasses as the dicts and lists docxtpl reads."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any


def template_context(value: Any, suspect: Callable[[str], object] | None = None) -> Any:
    """The docxtpl context of a paper (or of any part of it): dicts of text and lists. With
    ``suspect``, :class:`Unclean` is raised at the first text it is true for, and at a value
    that is not text, a model class, a list, a number or None."""
    if type(value) is str:
        if suspect is not None and suspect(value):
            raise Unclean(value)
        return value  # most of the paper: no dataclass or list checks for it
    fields = _MODELS.get(type(value))
    if fields is None and dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = _field_names(type(value))
    if fields is not None:
        context: dict[str, Any] = {}
        for name, inline in fields:
            inner = getattr(value, name)
            # A text field (most of them) is looked at here, not in a call of its own.
            if type(inner) is str:
                if suspect is not None and suspect(inner):
                    raise Unclean(inner)
            else:
                inner = template_context(inner, suspect)
            if inline:
                context.update(inner)
            else:
                context[name] = inner
        return context
    if isinstance(value, tuple | list):
        return [template_context(item, suspect) for item in value]
    if suspect is not None and not (value is None or type(value) in (int, float, bool)):
        raise Unclean(value)
    return value


class Unclean(ValueError):
    """A value of the paper that template_context's ``suspect`` would have looked at twice."""


_MODELS: dict[type, tuple[tuple[str, bool], ...]] = {}  # each model class's fields, once a class


def _field_names(cls: type) -> tuple[tuple[str, bool], ...]:
    """Each field of a model class and whether it is inline: looked up once a class."""
    found = _MODELS[cls] = tuple(
        (f.name, bool(f.metadata.get("inline"))) for f in dataclasses.fields(cls)
    )
    return found
