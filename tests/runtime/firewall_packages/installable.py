"""Package installable: applets the card manager's INSTALL creates."""

from __future__ import annotations

from typing import Any

from jcsim import JavaCardPackage
from jcsim.framework import ByteArray
from tests.runtime.firewall_packages.scripted import Scripted

JAVACARD_PACKAGE = JavaCardPackage(aid="F0 4A 43 53 49", version="1.0",
                                   applets={"Keeper": "F0 4A 43 53 49 4B",
                                            "Hungry": "F0 4A 43 53 49 48"})


class Keeper(Scripted):
    """Keeps the install parameters it was given (``bArray`` from ``bOffset``)."""

    @classmethod
    def install(cls, bArray: Any, bOffset: int, bLength: int) -> None:
        applet = cls()
        applet.params = ByteArray(bArray[bOffset:bOffset + bLength])
        applet.register(bArray, bOffset + 1, bArray[bOffset])


class Hungry(Scripted):
    """Asks for more persistent memory than a small card has."""

    def __init__(self) -> None:
        self.hoard = ByteArray(20000)
