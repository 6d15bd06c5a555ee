"""The Python client of the SIO tests, twin of ``cardsrc/com/jcsim/sio/client``: a package of
its own (an undeclared module), so every call it makes to a server crosses the firewall."""

from __future__ import annotations

from jcsim.framework import APDU, ISO7816, Applet, ISOException, JCSystem, Util


class CounterClient(Applet):
    """Twin of ``com.jcsim.sio.client.CounterClient``."""

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        ins = buf[ISO7816.OFFSET_INS]
        if ins not in (0x10, 0x11):
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)
        length = apdu.setIncomingAndReceive()
        server = JCSystem.lookupAID(buf, ISO7816.OFFSET_CDATA, length)
        if server is None:
            ISOException.throwIt(ISO7816.SW_FILE_NOT_FOUND)
        counter = JCSystem.getAppletShareableInterfaceObject(server, 1 if ins == 0x10 else 2)
        if counter is None:
            ISOException.throwIt(ISO7816.SW_CONDITIONS_NOT_SATISFIED)
        value = counter.add(Util.getShort(buf, ISO7816.OFFSET_P1))
        Util.setShort(buf, 0, value)
        Util.setShort(buf, 2, counter.value())
        apdu.setOutgoingAndSend(0, 4)
