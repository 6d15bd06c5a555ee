"""The base class of every applet.

Mirrors ``javacard.framework.Applet``. ``install`` is a class method, as Java's static one; its
default creates an instance with no arguments and registers it under the instance AID found in
the install parameters, so a simple applet needs no ``install`` of its own.
"""

from __future__ import annotations

from typing import Any

from jcsim.framework import _jcre
from jcsim.framework.card_object import Object

__all__ = ["Applet"]

_local = _jcre._local


class Applet(Object):
    """Mirrors ``javacard.framework.Applet``. Its fields are persistent (see ``Object``)."""

    @classmethod
    def install(cls, bArray: Any, bOffset: int, bLength: int) -> None:
        """Create and register an instance. ``bArray[bOffset]`` is the length of the instance AID
        that follows it (then the control information and the applet data, each length-prefixed).
        """
        cls().register(bArray, bOffset + 1, bArray[bOffset])

    def process(self, apdu: Any) -> None:
        """Handle one command. Subclasses must override it."""
        raise NotImplementedError(f"{type(self).__name__} does not implement process(apdu)")

    def select(self) -> bool:
        """Called when the applet is selected; return False to refuse (the card answers 6999)."""
        return True

    def deselect(self) -> None:
        """Called when the applet is deselected."""

    def getShareableInterfaceObject(self, clientAID: Any, parameter: int) -> Any:
        """The Shareable object this applet offers ``clientAID``; None by default."""
        return None

    def register(self, bArray: Any = None, bOffset: int = 0, bLength: int = 0) -> None:
        """``register()`` under the AID the installer chose, or ``register(bArray, bOffset,
        bLength)`` under the AID in ``bArray``."""
        aid = None if bArray is None else bytes(bArray[bOffset:bOffset + bLength])
        if bArray is not None and (bLength < 5 or bLength > 16 or bOffset < 0
                                   or bOffset + bLength > len(bArray)):
            from jcsim.framework.exceptions import SystemException

            raise SystemException(SystemException.ILLEGAL_VALUE)
        _jcre.active().register_applet(self, aid)

    def selectingApplet(self) -> bool:
        """True while ``process`` handles the SELECT that made this applet active."""
        # _jcre.active().selecting_applet(self), written out: nearly every process() starts
        # with this question.
        jcre = _local.jcre
        if jcre is None:
            jcre = _jcre.active()  # raises: no card is running this code
        selecting = jcre.selecting
        return selecting is not None and selecting.instance is self

    @staticmethod
    def reSelectingApplet() -> bool:
        """True while ``process`` handles a SELECT of the running applet when it was already
        active on the same channel (Java Card 3.0.4). Static, as the Java Card 3.0.5
        ``api_classic`` declares it: it asks about the applet whose code is running."""
        jcre = _jcre.active()
        context = jcre.context
        return context is not None and jcre.reselecting_applet(context.instance)
