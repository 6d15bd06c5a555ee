"""One card's static fields (JCRE 3.0.5 ch. 6 "Static Fields and Methods", ch. 7 and ch. 11).

A static field is persistent memory like an instance field: each card has its own value,
every write to it goes through the card's journal (rolled back by an abort or a tear, counted
for ``arm_tear(after_writes=N)`` and tear sweeps, refused for the JCRE's temporary objects), the
objects it refers to are roots for object deletion, and card images keep it. The firewall does
not stand between code and a static field (any context may read or write one); the object a
static refers to keeps its owner and its checks.

API (used by the Python applets' ``StaticField`` descriptors and by the Java class runtime)::

    statics = card.statics
    statics.read(class_key, name, default)   # the card's value, or default if never written
    statics.write(class_key, name, value)    # a journaled persistent write
    statics.write(class_key, name, value, package="com.example.oath")
    statics.values[class_key][name]          # the raw mapping (the descriptors' fast path)

``class_key`` names the class: ``module:QualifiedName`` for a Python class (its package is the
one that module belongs to) or a Java binary name such as ``com/example/OathObj`` (its
package, unless given, is the part before the last ``/`` with dots). The value a class's
initializer gives is the caller's business: ``read`` answers ``default`` until the card
writes the field. Writing a field first creates the class's ``ClassStatics``, the object the
journal and images see; the card's statics of a deleted package go with it.
"""

from __future__ import annotations

from copy import deepcopy
from typing import Any

from jcsim.package import resolve_module
from jcsim.runtime.journal import Journal

__all__ = ["ClassStatics", "StaticFields", "package_of_key"]


def package_of_key(class_key: str) -> str:
    """The package a class key belongs to (see the module docstring)."""
    module, colon, _ = class_key.partition(":")
    if colon:
        return resolve_module(module).name
    return class_key.rpartition("/")[0].replace("/", ".")


class ClassStatics:
    """The static fields of one class on one card: field name -> value, in ``__dict__``, so
    the journal's field writes, object deletion's traversal and card images treat it as any
    object's fields."""

    __slots__ = ("__dict__", "_jc_class", "_jc_package")

    def __init__(self, class_key: str, package: str) -> None:
        self._jc_class = class_key
        self._jc_package = package

    def _jc_image_state(self) -> dict[str, Any]:
        return {"class": self._jc_class, "package": self._jc_package, "fields": dict(self.__dict__)}

    def _jc_image_restore(self, state: Any) -> None:
        if type(state) is not dict or set(state) != {"class", "package", "fields"}:
            raise ValueError(f"malformed static fields {state!r}")
        key, package, fields = state["class"], state["package"], state["fields"]
        if type(key) is not str or type(package) is not str or type(fields) is not dict or \
                not all(type(name) is str and name.isidentifier() for name in fields):
            raise ValueError(f"malformed static fields of {key!r}")
        self._jc_class = key
        self._jc_package = package
        self.__dict__.update(fields)

    def __repr__(self) -> str:
        return f"<statics of {self._jc_class}>"


class StaticFields:
    """The static fields of every class on one card."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        self.classes: dict[str, ClassStatics] = {}
        # class key -> that class's field values (the ClassStatics' own __dict__).
        self.values: dict[str, dict[str, Any]] = {}

    def __deepcopy__(self, memo: dict[int, Any]) -> StaticFields:
        # ``values`` must keep pointing at each copied block's own ``__dict__`` (where the
        # journal writes), not at a separate copy of it (jcsim.runtime.snapshot copies cards).
        copy = StaticFields.__new__(StaticFields)
        memo[id(self)] = copy
        copy.journal = deepcopy(self.journal, memo)
        copy.classes = {key: deepcopy(block, memo) for key, block in self.classes.items()}
        copy.values = {key: block.__dict__ for key, block in copy.classes.items()}
        return copy

    def read(self, class_key: str, name: str, default: Any = None) -> Any:
        values = self.values.get(class_key)
        if values is None:
            return default
        return values.get(name, default)

    def write(self, class_key: str, name: str, value: Any, package: str | None = None) -> None:
        block = self.classes.get(class_key)
        if block is None:
            block = self.adopt(ClassStatics(class_key, package if package is not None
                                            else package_of_key(class_key)))
        self.journal.write_field(block, name, value)

    def adopt(self, block: ClassStatics) -> ClassStatics:
        """Make ``block`` this card's statics of its class (a new class, or an image's)."""
        self.classes[block._jc_class] = block
        self.values[block._jc_class] = block.__dict__
        return block

    def blocks(self) -> list[ClassStatics]:
        return list(self.classes.values())

    def values_of(self, package: str) -> list[Any]:
        """What the statics of ``package``'s classes refer to."""
        return [value for block in self.classes.values() if block._jc_package == package
                for value in block.__dict__.values()]

    def roots(self, without_packages: set[str] | frozenset[str] = frozenset()) -> list[Any]:
        """What every static refers to (object deletion roots), but for ``without_packages``."""
        return [value for block in self.classes.values()
                if block._jc_package not in without_packages
                for value in block.__dict__.values()]

    def forget_package(self, package: str) -> None:
        """A deleted package's statics go with it (a new load starts from its initializers)."""
        for key in [k for k, b in self.classes.items() if b._jc_package == package]:
            del self.classes[key]
            del self.values[key]
