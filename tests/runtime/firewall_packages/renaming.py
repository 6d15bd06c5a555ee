"""Package renaming: an applet that registers under an AID of its own choosing, not the
instance AID its installer passed it (``Applet.register(bArray, bOffset, bLength)``)."""

from __future__ import annotations

from typing import Any

from jcsim import JavaCardPackage
from jcsim.framework import ByteArray
from tests.runtime.firewall_packages.scripted import Scripted

JAVACARD_PACKAGE = JavaCardPackage(aid="F0 4A 43 53 52", version="1.0",
                                   applets={"Renamed": "F0 4A 43 53 52 01"})

CHOSEN_AID = bytes.fromhex("F04A43535201AA")


class Renamed(Scripted):
    """Registers as ``CHOSEN_AID`` whatever instance AID the install parameters hold."""

    @classmethod
    def install(cls, bArray: Any, bOffset: int, bLength: int) -> None:
        cls().register(ByteArray(CHOSEN_AID), 0, len(CHOSEN_AID))
