"""Static fields of on-card classes: one value per card (JCRE 3.0.5 ch. 6, "Static Fields and
Methods": no context check on a static; ch. 7: persistent memory, so journaled).

A Java static field is a class attribute in the Python port, written the Java way
(``OathObj.firstObject = obj``). The classes of ``Object`` (and so ``Applet`` and every class
that derives from either) are made by ``JavaClass``, whose ``__setattr__`` sees each assignment
to a class attribute. When card code assigns one (a card is bound to the thread), the attribute
becomes a ``StaticField`` descriptor and the value goes to that card's static storage
(``card.statics``, ``jcsim.runtime.statics``): journaled, counted for tears, a deletion root,
saved in card images. Every card starts from the value in the class body, the Java initializer.

Reads of a ``StaticField`` (``OathObj.firstObject`` or ``self.firstObject``) return the bound
card's value; outside card code (a test, the host) they return the class-body value. A class
attribute that card code never assigns (a ``static final`` constant, a method) is never
converted, so reading it costs what any class attribute costs. Assigning a converted static
from the host (no card bound) changes its class-body value, the initial value of every card
that has not written it. ``self.x = v`` makes an instance field, as in Python: assign statics
through their class.
"""

from __future__ import annotations

from typing import Any

from jcsim.framework import _jcre

__all__ = ["DATA_DESCRIPTOR_NAMES", "JavaClass", "StaticField", "class_key", "static_field"]

_local = _jcre._local
NO_VALUE: Any = type("NoValue", (), {"__repr__": lambda self: "<no value>"})()


def class_key(cls: type) -> str:
    """The name a class's statics are stored under: ``module:QualifiedName``."""
    return f"{cls.__module__}:{cls.__qualname__}"


class StaticField:
    """A static field of an on-card class: its value lives on each card."""

    __slots__ = ("initial", "key", "name")

    def __init__(self, key: str, name: str, initial: Any) -> None:
        self.key = key
        self.name = name
        self.initial = initial  # the class-body value, NO_VALUE when the body had none

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        card = _local.jcre
        if card is not None:
            values = card.statics.values.get(self.key)
            if values is not None:
                value = values.get(self.name, NO_VALUE)
                if value is not NO_VALUE:
                    return value
        value = self.initial
        if value is NO_VALUE:
            raise AttributeError(f"static field {self.key}.{self.name} has no value on this card")
        return value

    def __repr__(self) -> str:
        return f"<static field {self.key}.{self.name}>"


def _declaring_class(cls: type, name: str) -> type:
    """The class whose body declares ``name`` (Java resolves a static to it), else ``cls``."""
    for klass in cls.__mro__:
        if name in klass.__dict__:
            return klass if isinstance(klass, JavaClass) else cls
    return cls


def static_field(cls: type, name: str) -> StaticField:
    """The ``StaticField`` of ``cls.name``, converting the class attribute the first time."""
    klass = _declaring_class(cls, name)
    field = klass.__dict__.get(name)
    if type(field) is StaticField:
        return field
    if name[:2] == "__" or hasattr(type(field), "__get__"):
        # A method (or property, or Python's own machinery) is code, not a field.
        raise TypeError(f"{klass.__name__}.{name} is not a static field")
    field = StaticField(class_key(klass), name, klass.__dict__.get(name, NO_VALUE))
    type.__setattr__(klass, name, field)
    return field


# The names of the data descriptors (properties, slots, object's __class__ and __dict__...) of
# on-card classes and their bases: the firewall's hooks read and the journal writes any other
# instance field straight in the instance dict, which such a descriptor would come before.
DATA_DESCRIPTOR_NAMES: set[str] = set()


def _note_data_descriptors(cls: type) -> None:
    for klass in cls.__mro__:
        for name, value in vars(klass).items():
            if hasattr(type(value), "__set__") or hasattr(type(value), "__delete__"):
                DATA_DESCRIPTOR_NAMES.add(name)


def _set_class_attribute(cls: type, name: str, value: Any) -> None:
    if hasattr(type(value), "__set__") or hasattr(type(value), "__delete__"):
        DATA_DESCRIPTOR_NAMES.add(name)  # a property (or the like) given to the class later
    type.__setattr__(cls, name, value)


class JavaClass(type):
    """The metaclass of on-card classes: class attributes card code assigns are per card."""

    def __init__(cls, name: str, bases: tuple[type, ...], namespace: dict[str, Any],
                 **kwargs: Any) -> None:
        super().__init__(name, bases, namespace, **kwargs)
        _note_data_descriptors(cls)

    def __setattr__(cls, name: str, value: Any) -> None:
        card = _local.jcre
        if name[:2] == "__":
            _set_class_attribute(cls, name, value)
        elif card is None:
            field = _declaring_class(cls, name).__dict__.get(name)
            if type(field) is StaticField:
                field.initial = value
            else:
                _set_class_attribute(cls, name, value)
        else:
            field = cls.__dict__.get(name)
            if type(field) is not StaticField:
                field = static_field(cls, name)
            card.statics.write(field.key, name, value)

    def __delattr__(cls, name: str) -> None:
        if _local.jcre is not None:
            raise TypeError(f"a Java static field cannot be deleted: {cls.__name__}.{name}")
        type.__delattr__(cls, name)
