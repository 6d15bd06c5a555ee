"""Java overloads that differ by being static or not, as one Python attribute.

``BERTag.size()`` measures this tag while ``BERTag.size(bArray, bOff)`` measures the encoding in
an array; Java tells them apart by signature. Here the attribute picks by argument count: the
instance form when called on an instance with its own arity, the static form otherwise (Java
also lets an instance call the static form).
"""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

__all__ = ["Overloaded"]


class Overloaded:
    def __init__(self, instance_arity: int, instance: Callable[..., Any],
                 static: Callable[..., Any]) -> None:
        self._arity = instance_arity
        self._instance = instance
        self._static = static
        self.__doc__ = f"{instance.__doc__}\n\nStatic form: {static.__doc__}"

    def __get__(self, obj: Any, owner: type) -> Callable[..., Any]:
        def call(*args: Any) -> Any:
            if obj is not None and len(args) == self._arity:
                return self._instance(obj, *args)
            return self._static(*args)
        call.__doc__ = self.__doc__
        return call
