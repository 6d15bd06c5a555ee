"""Java static fields, one set per card, in the card's static storage (``card.statics``,
``jcsim.runtime.statics``; Java Card 3 VM spec §2.2.4: a class is initialized once on the card
and its static fields are persistent).

A Java class's statics are stored under its binary name (``com/example/Wallet``) and belong to
the Java Card package its module declares, so a static write is journaled like a field write
(transactions roll it back, a tear can cut the power at it), what a static refers to is a root
for object deletion, card images keep it, and deleting the package drops it. A field the card
never wrote reads as its default (0, null, or its ``ConstantValue``).

Initialization: the first use of a class on a card (a static access, a static call, ``new``)
initializes its superclasses, writes the hidden marker ``_jv_initialized`` and runs
``<clinit>``. The marker is a journaled write too, so a ``<clinit>`` undone by an abort or a
tear runs again at the next use. With no card running (host-side calls in tests), one
process-wide set of statics is used.
"""

from __future__ import annotations

import weakref
from typing import Any

from jcsim.framework import _jcre

__all__ = ["MARKER", "initialized", "read_defaults", "write"]

MARKER = "_jv_initialized"
_local = _jcre._local
# Host-side statics (no card running), per loaded class; they go when the class path does.
_HOST: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


def read_defaults(jclass: Any) -> dict[str, Any]:
    """The value each static field reads as before the card writes it."""
    from jcsim.java.classes import field_attribute

    values = {}
    for field in jclass.fields.values():
        if field.static:
            values[field_attribute(field.name)] = field.constant if field.constant is not None \
                else (None if field.descriptor[0] in "L[" else 0)
    return values


def initialized(jclass: Any) -> dict[str, Any]:
    """The running card's statics of ``jclass`` (name -> value), initializing it first."""
    card = _local.jcre
    if card is None:
        values = _HOST.get(jclass)
        if values is None:
            values = _HOST[jclass] = {}
            _initialize(jclass, None)
        return values
    values = card.statics.values.get(jclass.name)
    if values is None or MARKER not in values:
        _initialize(jclass, card)
        values = card.statics.values[jclass.name]
    return values


def write(jclass: Any, name: str, value: Any) -> None:
    card = _local.jcre
    if card is None:
        initialized(jclass)[name] = value
        return
    initialized(jclass)
    card.statics.write(jclass.name, name, value, package=jclass.package_name)


def _initialize(jclass: Any, card: Any) -> None:
    from jcsim.java.classes import LoadedClass

    superclass = jclass.superclass
    if isinstance(superclass, LoadedClass) and superclass.needs_initialization():
        initialized(superclass)
    # Marked before <clinit> runs, so the initializer's own static accesses do not start it
    # again (JVM §5.5: a class being initialized by the running thread is used as it is).
    if card is None:
        _HOST.setdefault(jclass, {})[MARKER] = 1
    else:
        card.statics.write(jclass.name, MARKER, 1, package=jclass.package_name)
    clinit = jclass.methods.get(("<clinit>", "()V"))
    if clinit is not None:
        clinit.call()
