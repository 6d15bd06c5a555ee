"""``CardRemoteObject``: export and unexport of remote objects.

Mirrors ``javacard.framework.service.CardRemoteObject`` (Java Card 3.0.5). An exported object
may be the initial reference of an ``RMIService`` or be returned by a remote method, and
remote methods may be invoked on it; ``unexport`` withdraws that, but an object already
returned in the current selection session stays reachable until the session ends. The
exported state is a persistent field of the object (so it takes part in transactions and is
kept in card images). Every implementation must support at least 16 exported objects; jcsim
has no limit, so ``SystemException.NO_RESOURCE`` never happens.

A subclass instance is exported as it is created, whatever its ``__init__`` does, as Java's
implicit ``super()`` call would; ``__init__`` may still call ``super().__init__()``.
"""

from __future__ import annotations

from typing import Any

from jcsim.framework import _jcre
from jcsim.framework.card_object import Object
from jcsim.lang import NullPointerException, SecurityException
from jcsim.rmi.remote import Remote, remote_class_info

__all__ = ["CardRemoteObject", "is_exported"]

_EXPORTED = "_jc_exported"


def _check_owner(obj: Any) -> None:
    if not isinstance(obj, Remote):
        raise TypeError(f"{type(obj).__name__} does not implement java.rmi.Remote")
    jcre = _jcre.active_or_none()
    if jcre is None or not isinstance(obj, Object):
        return
    owner = object.__getattribute__(obj, "_jc_owner")
    context = jcre.current_context()
    if owner is not None and context is not None and owner.package is not context.package:
        raise SecurityException(f"{type(obj).__name__} is not owned by the caller's context")


def is_exported(obj: Any) -> bool:
    """True while ``obj`` is exported (the RMI service asks before handing out a reference)."""
    try:
        return bool(object.__getattribute__(obj, _EXPORTED))
    except AttributeError:
        return False


class CardRemoteObject(Object, Remote, package="javacard/framework/service"):
    """Mirrors ``javacard.framework.service.CardRemoteObject``: exported on construction."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        obj = super().__new__(cls, *args, **kwargs)
        CardRemoteObject.export(obj)
        return obj

    def __init__(self) -> None:
        pass

    @staticmethod
    def export(obj: Any) -> None:
        """Make ``obj`` remotely accessible. ``SecurityException`` if the caller's context
        does not own it; ``TypeError`` (a bug in the declaration) if its class does not
        implement its remote interfaces."""
        if obj is None:
            raise NullPointerException("obj is null")
        _check_owner(obj)
        remote_class_info(type(obj))
        setattr(obj, _EXPORTED, True)

    @staticmethod
    def unexport(obj: Any) -> None:
        """Withdraw remote access to ``obj`` (references returned in the current session
        stay valid until the session ends)."""
        if obj is None:
            raise NullPointerException("obj is null")
        _check_owner(obj)
        if is_exported(obj):
            setattr(obj, _EXPORTED, False)
