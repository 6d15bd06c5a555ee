"""The root of on-card objects, whose fields are persistent memory.

Mirrors ``java.lang.Object`` as the JCRE sees it (JCRE 3.0.5 §7): an object created by card code
lives in persistent memory, so every assignment to one of its fields goes through the card's
transaction journal (and counts as a persistent write for tear simulation). ``Applet`` derives
from it; so should every class whose instances an applet keeps (``class Account(Object)``).
Objects made outside card code (in a test, at import time) are plain Python objects until then.
Its class attributes that card code assigns are static fields, one value per card
(``jcsim.framework.java_class``).
"""

from __future__ import annotations

from typing import Any

from jcsim.framework import _jcre
from jcsim.framework.java_class import JavaClass

__all__ = ["Object"]


class Object(metaclass=JavaClass):
    """Mirrors ``java.lang.Object`` for on-card objects: persistent, journaled fields."""

    # Set per instance by the JCRE when card code creates the object; class defaults here keep
    # the field-write path to one attribute lookup.
    _jc_store: Any = None
    _jc_owner: Any = None

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        obj = object.__new__(cls)
        jcre = _jcre.active_or_none()
        if jcre is not None:
            jcre.adopt(obj)
        return obj

    def __setattr__(self, name: str, value: Any) -> None:
        store = self._jc_store
        if store is None:
            object.__setattr__(self, name, value)
        else:
            store.write_field(self, name, value)

    def __delattr__(self, name: str) -> None:
        raise TypeError(f"a Java field cannot be deleted: {type(self).__name__}.{name}")

    def _jc_set_untracked(self, name: str, value: Any) -> None:
        """Write a persistent field outside any transaction (OwnerPIN's try counter)."""
        store = self._jc_store
        if store is None:
            object.__setattr__(self, name, value)
        else:
            store.write_field_untracked(self, name, value)
