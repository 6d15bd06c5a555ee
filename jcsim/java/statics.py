"""Java static fields, one set per card (Java Card 3 VM spec §2.2.4: a class is initialized
once, on the card, and its static fields are persistent).

Each Java class with static fields or a ``<clinit>`` gets, per card, a holder object whose
fields are the class's static fields. The holder is an on-card ``Object`` adopted by the card,
so a static write goes through the card's journal like a field write: transactions roll it back
and a tear can cut the power at it. Statics belong to no context (the firewall does not guard
static fields, only the objects they refer to). The first access on a card creates the holder,
initializes the superclasses, then runs ``<clinit>``. With no card running (host-side calls in
tests), one process-wide set is used. Holders are roots for object deletion.
"""

from __future__ import annotations

from typing import Any

from jcsim.framework import _jcre
from jcsim.framework.card_object import Object

__all__ = ["holder", "holders_of"]

_local = _jcre._local
_HOST: dict[Any, Any] = {}
_ATTRIBUTE = "java_statics"


def _defaults(jclass: Any) -> dict[str, Any]:
    from jcsim.java.classes import field_attribute

    values = {}
    for field in jclass.fields.values():
        if field.static:
            default = field.constant if field.constant is not None else (
                None if field.descriptor[0] in "L[" else 0)
            values[field_attribute(field.name)] = default
    return values


def _holder_class(jclass: Any) -> type:
    if jclass.statics_class is None:
        jclass.statics_class = type(f"{jclass.java_name}$statics", (Object,),
                                    {**_defaults(jclass), "__module__": __name__,
                                     "_jv_statics_of": jclass.java_name})
    return jclass.statics_class


def holders_of(card: Any) -> dict[Any, Any]:
    """The static-field holders of ``card`` by Java class."""
    store = card.__dict__.get(_ATTRIBUTE)
    if store is None:
        store = {}
        card.__dict__[_ATTRIBUTE] = store
        card.root_providers.append(lambda: list(store.values()))
    return store


def holder(jclass: Any) -> Any:
    card = _local.jcre
    if card is not None and card is jclass._cached_card:
        return jclass._cached_holder
    store = _HOST if card is None else holders_of(card)
    found = store.get(jclass)
    if found is None:
        found = _initialize(jclass, store, card)
    if card is not None:
        jclass._cached_card, jclass._cached_holder = card, found
    return found


def _initialize(jclass: Any, store: dict[Any, Any], card: Any) -> Any:
    from jcsim.java.classes import JavaClass

    superclass = jclass.superclass
    if isinstance(superclass, JavaClass) and superclass not in store:
        _initialize(superclass, store, card)
    cls = _holder_class(jclass)
    new_holder = cls.__new__(cls)
    if card is not None:
        object.__setattr__(new_holder, "_jc_owner", None)
    # Registered before <clinit> runs, so the initializer's own static accesses find it
    # (JVM §5.5: a class being initialized by the running thread is used as it is).
    store[jclass] = new_holder
    clinit = jclass.methods.get(("<clinit>", "()V"))
    if clinit is not None:
        try:
            clinit.call()
        except BaseException:
            store.pop(jclass, None)
            if jclass._cached_holder is new_holder:
                jclass._cached_card = jclass._cached_holder = None
            raise
    return new_holder
