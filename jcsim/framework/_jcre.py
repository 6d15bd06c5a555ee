"""The framework's handle on the JCRE that serves the current thread.

``javacard.framework`` methods such as ``JCSystem.getAID()`` are static in Java: they reach the
one runtime of the card. A Python process may run many simulated cards, so the runtime binds
itself to the calling thread while it runs card code (``bind`` / ``unbind``), and the framework
asks ``active()`` for it. The framework only depends on the duck-typed methods the runtime's
``Card`` provides, and on three of its attributes read on hot paths (``context``, the running
applet's record; ``firewall``; ``selecting``, the record of the applet a SELECT is selecting);
it never imports the runtime (imports point from the runtime to the framework).
"""

from __future__ import annotations

import threading
from typing import Any

from jcsim.framework.exceptions import SystemException

__all__ = ["active", "active_or_none", "bind", "hold_temporary", "release_temporaries",
           "unbind"]

class _State(threading.local):
    # A class attribute, so every thread sees None until it binds a card.
    jcre: Any = None


_local = _State()


class _NoCardError(SystemException, RuntimeError):
    """Card code ran with no simulated card behind it (for example at import time)."""

    def __init__(self) -> None:
        super().__init__(SystemException.ILLEGAL_USE)

    def __str__(self) -> str:
        return "this Java Card API needs a running card: call it from applet code"


def active() -> Any:
    """The JCRE running card code on this thread; raises if there is none."""
    jcre = _local.jcre  # the class attribute answers None on a thread that never bound one
    if jcre is None:
        raise _NoCardError()
    return jcre


def active_or_none() -> Any:
    """The JCRE running card code on this thread, or None outside card code."""
    return _local.jcre


def bind(jcre: Any) -> Any:
    """Make ``jcre`` the active runtime of this thread; returns the one it replaces."""
    previous = _local.jcre
    _local.jcre = jcre
    return previous


def unbind(previous: Any) -> None:
    """Restore the runtime ``bind`` replaced."""
    _local.jcre = previous


# JCRE-owned temporary entry point objects (the OneShot classes) in use on each card, by the
# card's id: the JCRE takes them back when the applet entry point method returns (JCRE 3.0.5
# section 6.2.1), including by an exception such as a tear.
_temporaries: dict[int, list[Any]] = {}


def hold_temporary(jcre: Any, obj: Any) -> None:
    """Note that ``obj`` (with a ``_jc_release()``) is in use until the entry point returns."""
    _temporaries.setdefault(id(jcre), []).append(obj)


def release_temporaries(jcre: Any) -> None:
    """Release every temporary object ``jcre``'s applets hold (at an entry point's return)."""
    for obj in _temporaries.pop(id(jcre), ()):
        obj._jc_release()
