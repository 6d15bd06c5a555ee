"""Twin of ``com.example.sio.server``: the ``Points`` interface and the ``PointsServer`` applet.

The server shares itself, as a ``Points`` object, with the one client it knows
(F0 00 00 00 41 01). BALANCE ``80 30 00 00 02`` answers the balance and the number of grants.
"""

from __future__ import annotations

from typing import Any

from jcsim.framework import (
    APDU,
    ISO7816,
    Applet,
    ISOException,
    JCSystem,
    Shareable,
    Util,
    short,
)

MAX_GRANT = 500
MAX_BALANCE = 2000
INS_BALANCE = 0x30
CLIENT_AID = bytes.fromhex("F00000004101")


class Points(Shareable):
    """The loyalty points a client applet may grant through the firewall."""

    def grant(self, amount: int) -> int:
        """Add ``amount`` (1..MAX_GRANT); the new balance. ISOException 6A80 otherwise."""

    def balance(self) -> int:
        """The balance."""


class PointsServer(Applet, Points):
    """Twin of ``com.example.sio.server.PointsServer``."""

    def __init__(self) -> None:
        self.points = 0
        self.grants = 0

    def getShareableInterfaceObject(self, clientAID: Any, parameter: int) -> Any:
        if parameter != 0 or clientAID is None or not clientAID.equals(
                CLIENT_AID, 0, len(CLIENT_AID)):
            return None
        return self

    def grant(self, amount: int) -> int:
        if amount <= 0 or amount > MAX_GRANT:
            ISOException.throwIt(ISO7816.SW_WRONG_DATA)
        if short(MAX_BALANCE - self.points) < amount:
            ISOException.throwIt(ISO7816.SW_FILE_FULL)
        JCSystem.beginTransaction()
        self.points = short(self.points + amount)
        self.grants = short(self.grants + 1)
        JCSystem.commitTransaction()
        return self.points

    def balance(self) -> int:
        return self.points

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        if buf[ISO7816.OFFSET_INS] != INS_BALANCE:
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)
        Util.setShort(buf, 0, self.points)
        Util.setShort(buf, 2, self.grants)
        apdu.setOutgoingAndSend(0, 4)
