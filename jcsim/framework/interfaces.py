"""Marker interfaces an applet class implements by inheriting them.

Mirrors ``javacard.framework.MultiSelectable``, ``Shareable``, ``AppletEvent``, ``PIN`` and
``javacardx.apdu.ExtendedLength``. Python has no overloading: a ``MultiSelectable`` applet
defines ``select(self, appInstAlreadyActive=None)`` and ``deselect(self,
appInstStillActive=None)``; the JCRE passes no argument where Java calls ``Applet.select()`` /
``deselect()`` and a bool where Java calls the ``MultiSelectable`` form.
"""

from __future__ import annotations

from typing import Any

__all__ = ["PIN", "AppletEvent", "ExtendedLength", "MultiSelectable", "Shareable"]


class MultiSelectable:
    """Mirrors ``javacard.framework.MultiSelectable``."""

    def select(self, appInstAlreadyActive: bool | None = None) -> bool:
        return True

    def deselect(self, appInstStillActive: bool | None = None) -> None:
        return None


class Shareable:
    """Mirrors ``javacard.framework.Shareable``: objects other contexts may call."""


class AppletEvent:
    """Mirrors ``javacard.framework.AppletEvent``: ``uninstall()`` before deletion."""

    def uninstall(self) -> None:
        return None


class ExtendedLength:
    """Mirrors ``javacardx.apdu.ExtendedLength``: the applet accepts extended-length APDUs."""


class PIN:
    """Mirrors ``javacard.framework.PIN``."""

    def check(self, pin: Any, offset: int, length: int) -> bool:
        raise NotImplementedError

    def getTriesRemaining(self) -> int:
        raise NotImplementedError

    def isValidated(self) -> bool:
        raise NotImplementedError

    def reset(self) -> None:
        raise NotImplementedError
