"""A property worked out once an instance, like functools.cached_property but without its lock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class once(Generic[T]):  # noqa: N801 - used as a decorator, like property
    """``functools.cached_property`` without the lock Python 3.11 takes on every first use
    (~1 us each: a 100x paper's 11,400 rows ask for five texts each, its trends for two).

    The value is kept in the instance's ``__dict__`` under the property's name (a frozen
    dataclass too, as cached_property does), so later reads are plain attribute reads. Two
    threads reading it at once may both work it out: the properties it is used for give equal
    values each time, so either is kept."""

    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> once[T]: ...
    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...
    def __get__(self, instance: object | None, owner: type | None = None) -> Any:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)
        return value
