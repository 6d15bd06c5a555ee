"""On-card classes whose methods read their own object in the ways Python allows.

``test_self_access`` loads this file twice, compiles the classes of one copy
(``jcsim.framework.self_access``) and checks that both copies answer alike.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from jcsim.framework import Object


def keep(function: Callable[..., Any]) -> Callable[..., Any]:
    """A decorator that wraps the method it decorates."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        return function(*args, **kwargs)

    return wrapper


class Base(Object):
    LIMIT = 7

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.__secret = seed * 3

    def base_total(self) -> int:
        return self.seed + self.LIMIT

    def secret(self) -> int:
        return self.__secret


class Cases(Base):
    def __init__(self, seed: int) -> None:
        super().__init__(seed)
        self.values = [seed, seed + 1]
        self.later = None
        self.LIMIT = seed - 7  # an instance field that hides a class attribute

    @property
    def doubled(self) -> int:
        return self.seed * 2

    def plain(self) -> int:
        return self.seed + self.values[1]

    def method_call(self) -> int:
        return self.base_total() + self.plain()

    def with_super(self) -> int:
        return super().base_total() * 2

    def mangled(self) -> int:
        return self.__hidden() + self.secret()

    def __hidden(self) -> int:
        return self.seed

    def property_read(self) -> int:
        return self.doubled + 1

    def missing(self) -> Any:
        return self.never_assigned

    def static_after(self) -> Any:
        return self.ASSIGNED_LATER

    def comprehension(self) -> list[int]:
        return [self.seed + i for i in range(3)]

    def nested(self) -> int:
        def inner() -> int:
            return self.seed * 5

        return inner()

    def rebinding(self, other: Any) -> int:
        total = self.seed
        self = other  # on purpose: a method that rebinds self
        return total + self.seed

    @keep
    def decorated(self) -> int:
        return self.seed - 1

    def documented(self) -> int:
        """A docstring stays the docstring."""
        return self.seed * 11

    def raises(self) -> None:
        if self.seed >= 0:
            raise ValueError(self.seed)  # the line test_self_access looks for
        raise KeyError(self.seed)

    def writes(self, value: int) -> int:
        self.seed = value
        return self.seed + self.values[0]

    def conditional(self) -> Any:
        return self.seed if self.values[0] > 0 else self.later

    def hidden_class_attribute(self) -> int:
        return self.LIMIT

    def bound(self) -> Any:
        return self.plain.__name__


def make_scaled(factor: int) -> type:
    """A class made in a function: its methods close over ``factor``."""

    class Scaled(Object):
        def __init__(self, seed: int) -> None:
            self.seed = seed

        def scaled(self) -> int:
            return self.seed * factor

    return Scaled


METHODS = ["plain", "method_call", "with_super", "mangled", "property_read", "missing",
           "static_after", "comprehension", "nested", "decorated", "documented", "raises",
           "conditional", "hidden_class_attribute", "bound", "base_total", "secret"]
