"""The applet firewall (JCRE 3.0.5 ch. 6): contexts, and what may cross them.

Every package is one context. An on-card object or array belongs to the context of the applet
that was active when it was made (``_jc_owner`` / ``_owner``); objects made outside card code,
the APDU buffer and the install parameters belong to no context and are open to all. Code
running in one context that touches a field, method or element of another context's object
gets ``SecurityException``, with two exceptions: the JCRE's own context reaches everything,
and a Shareable interface object (SIO) may be called, through the methods of its Shareable
interfaces only. Such a call switches to the SIO's context for its duration (so
``JCSystem.getPreviousContextAID()`` names the caller) and back on return or exception.

Cost and switch. The checks hook ``Object.__getattribute__`` / ``__setattr__`` and the array
element methods, process-wide, the first time a card with the firewall on is made; a card built
with ``firewall=False`` skips every check, and a process whose cards all have it off never pays
for the hooks (see BENCHMARKS.md).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jcsim.framework import _jcre, self_access
from jcsim.framework.card_object import Object
from jcsim.framework.java_class import DATA_DESCRIPTOR_NAMES
from jcsim.framework.interfaces import Shareable
from jcsim.lang import SecurityException

__all__ = ["check_array", "install", "installed", "shareable_methods", "switch_context"]

_local = _jcre._local
_oga = object.__getattribute__
_osa = object.__setattr__
# The instance dict of an on-card object (Object has no __slots__, so every one has a dict).
_dict_of = Object.__dict__["__dict__"].__get__
_MISSING = object()
_installed = False


def installed() -> bool:
    return _installed


@cache
def shareable_methods(cls: type) -> frozenset[str]:
    """The names of the methods ``cls`` gets from its Shareable interfaces: public callables
    defined in classes of its MRO that derive from ``Shareable`` but are not on-card classes."""
    names: set[str] = set()
    for klass in cls.__mro__:
        if (issubclass(klass, Shareable) and not issubclass(klass, Object)
                and klass is not Shareable):
            names.update(n for n, v in vars(klass).items() if callable(v) and not n.startswith("_"))
    return frozenset(names)


def switch_context(card: Any, owner: Any, function: Any) -> Any:
    """``function`` wrapped to run in ``owner``'s context (an SIO method call)."""

    def call(*args: Any, **kwargs: Any) -> Any:
        card.check_sio_call(owner)
        previous = card.context
        card.context_stack.append(previous)
        card.context = owner
        try:
            return function(*args, **kwargs)
        finally:
            card.context = previous
            card.context_stack.pop()

    call.__name__ = getattr(function, "__name__", "sio_method")
    return call


def _checked_getattribute(self: Any, name: str) -> Any:
    # Whether the running context may touch the object, ordered cheapest first: an object of no
    # context, no card code running, the JCRE's context, or the owner's own applet (the common
    # case) pass at once; only an access that really crosses contexts goes further.
    fields = _dict_of(self)
    owner = fields.get("_jc_owner")  # the JCRE sets it there; absent, Object's default None
    if owner is not None:
        card = _local.jcre
        if card is not None:
            context = card.context
            if not (context is None or context is owner or context.package is owner.package
                    or not card.firewall or name[:2] == "__"):
                # The ignore: mypy does not see a type[X] as Hashable (python/mypy#11470).
                if isinstance(self, Shareable) and name in shareable_methods(
                        type(self)):  # type: ignore[arg-type]
                    return switch_context(card, owner, _oga(self, name))
                raise SecurityException(f"firewall: {card.context!r} may not use "
                                        f"{type(self).__name__}.{name} of {owner!r}")
    # What object.__getattribute__ answers: an instance field straight from the dict the check
    # already holds, unless an on-card class has a data descriptor (a property, a slot) of that
    # name, which would come first; methods, class attributes and statics take the full lookup.
    value = fields.get(name, _MISSING)
    if value is _MISSING or name in DATA_DESCRIPTOR_NAMES:
        return _oga(self, name)
    return value


def _checked_setattr(self: Any, name: str, value: Any) -> None:
    # The owner and the store read from the instance's dict at once (the JCRE sets both there;
    # absent, they are Object's class defaults, None), rather than by two attribute lookups.
    fields = _dict_of(self)
    owner = fields.get("_jc_owner")
    if owner is not None:
        card = _local.jcre
        if card is not None:
            context = card.context
            if not (context is None or context is owner or context.package is owner.package
                    or not card.firewall):
                raise SecurityException(f"firewall: {card.context!r} may not write "
                                        f"{type(self).__name__}.{name} of {owner!r}")
    store = fields.get("_jc_store")
    if store is None:
        _osa(self, name, value)
    else:
        store.write_field(self, name, value, fields)


def may_access(owner: Any) -> bool:
    """Whether the running context may touch an object ``owner`` owns (JCRE 3.0.5 §6.1): an
    object of no context, no card code running, the JCRE's context, the owner's own applet or
    one of its package, or a card without the firewall.

    The attribute hooks above and the array element methods make the same test in line, since
    they run on every access; everything else asks here."""
    if owner is None:
        return True
    card = _local.jcre
    if card is None:
        return True
    context = card.context
    return (context is None or context is owner or context.package is owner.package
            or not card.firewall)


def check_array(array: Any) -> None:
    """Raise ``SecurityException`` if the running context may not touch ``array``.

    The element methods (``arrays``) and ``Util`` make its first tests themselves (no owner, no
    card code on the thread, the owner's own context) and call it only past them; a change to
    the rules here keeps those tests a subset of the passes (``test_firewall_fast_paths``)."""
    owner = getattr(array, "_owner", None)
    if not may_access(owner):
        raise SecurityException(f"firewall: the running context may not access an array of "
                                f"{owner!r}")


def install() -> None:
    """Hook the checks in (once per process)."""
    global _installed
    if _installed:
        return
    from jcsim.framework import arrays

    # Replacing the methods of a class is what installs the hooks; mypy flags any such
    # assignment (method-assign).
    Object.__getattribute__ = _checked_getattribute  # type: ignore[method-assign]
    Object.__setattr__ = _checked_setattr  # type: ignore[method-assign]
    arrays.FIREWALL_CHECK = check_array
    self_access.enable(_checked_setattr)
    _installed = True
