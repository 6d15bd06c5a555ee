"""An applet that exposes org.globalplatform calls as commands, for the tests."""

from __future__ import annotations

from typing import Any

from jcsim.framework import APDU, ISO7816, Applet, ISOException, Util
from jcsim.globalplatform import CVM, GPSystem


class GPProbe(Applet):
    """INS 01 getCardState, 02 getCardContentState, 03 setCardContentState(P1), 04 lockCard,
    05 terminateCard, 06 CVM verify (ASCII data), 07 CVM update (ASCII data), 08 CVM state
    (verified, blocked, tries), 09 getCVM(P1) is null, 0A CVM setTryLimit(P1)."""

    def __init__(self) -> None:
        self.register()

    @staticmethod
    def install(bArray: Any, bOffset: int, bLength: int) -> None:
        GPProbe()

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        ins, p1 = buf[ISO7816.OFFSET_INS], buf[ISO7816.OFFSET_P1]
        cvm = GPSystem.getCVM(GPSystem.CVM_GLOBAL_PIN)
        if ins == 0x01:
            result = GPSystem.getCardState()
        elif ins == 0x02:
            result = GPSystem.getCardContentState()
        elif ins == 0x03:
            result = int(GPSystem.setCardContentState(p1))
        elif ins == 0x04:
            result = int(GPSystem.lockCard())
        elif ins == 0x05:
            result = int(GPSystem.terminateCard())
        elif ins in (0x06, 0x07):
            length = apdu.setIncomingAndReceive()
            if ins == 0x06:
                status = cvm.verify(buf, ISO7816.OFFSET_CDATA, length, CVM.FORMAT_ASCII)
                Util.setShort(buf, 0, status)
                apdu.setOutgoingAndSend(0, 2)
                return
            result = int(cvm.update(buf, ISO7816.OFFSET_CDATA, length, CVM.FORMAT_ASCII))
        elif ins == 0x08:
            buf[0] = int(cvm.isVerified())
            buf[1] = int(cvm.isBlocked())
            buf[2] = cvm.getTriesRemaining()
            apdu.setOutgoingAndSend(0, 3)
            return
        elif ins == 0x09:
            result = int(GPSystem.getCVM(p1) is None)
        elif ins == 0x0A:
            result = int(cvm.setTryLimit(p1))
        else:
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)
            return
        buf[0] = result & 0xFF
        apdu.setOutgoingAndSend(0, 1)
