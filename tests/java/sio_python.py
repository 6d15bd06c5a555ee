"""The Python server side of the SIO tests: a Counter interface and its server, twins of
``cardsrc/com/jcsim/sio/server``. An undeclared module, so a package (and firewall context) of
its own; the client is in ``sio_python_client``, another package."""

from __future__ import annotations

from typing import Any

from jcsim.framework import (
    AID,
    APDU,
    ISO7816,
    Applet,
    ByteArray,
    ISOException,
    JCSystem,
    Shareable,
    Util,
    short,
)


class Counter(Shareable):
    """Twin of ``com.jcsim.sio.server.Counter``."""

    def add(self, delta: int) -> int:
        raise NotImplementedError

    def value(self) -> int:
        raise NotImplementedError


class CounterServer(Applet, Counter):
    """Twin of ``com.jcsim.sio.server.CounterServer``."""

    def __init__(self) -> None:
        self.count = 0
        self.lastCallerLength = 0

    def getShareableInterfaceObject(self, clientAID: AID, parameter: int) -> Any:
        return self if parameter == 1 else None

    def add(self, delta: int) -> int:
        caller = JCSystem.getPreviousContextAID()
        self.lastCallerLength = caller.getBytes(ByteArray(16), 0)
        if delta < 0:
            ISOException.throwIt(ISO7816.SW_WRONG_DATA)
        self.count = short(self.count + delta)
        return self.count

    def value(self) -> int:
        return self.count

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        ins = buf[ISO7816.OFFSET_INS]
        if ins == 0x20:
            Util.setShort(buf, 0, self.count)
            apdu.setOutgoingAndSend(0, 2)
        elif ins == 0x22:
            buf[0] = self.lastCallerLength
            apdu.setOutgoingAndSend(0, 1)
        else:
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)
