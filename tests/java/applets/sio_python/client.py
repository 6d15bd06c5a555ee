"""Twin of ``com.example.sio.client.PointsClient``: grants and reads points through the server's
shareable interface. GRANT ``80 20 00 00 02 amount``, BALANCE ``80 22 00 00 02``; 6A82 when the
server is not installed, 6985 when it refuses to share."""

from __future__ import annotations

from typing import Any

from jcsim.framework import APDU, ISO7816, Applet, ISOException, JCSystem, Util

SERVER_AID = bytes.fromhex("F00000004001")
INS_GRANT = 0x20
INS_BALANCE = 0x22


class PointsClient(Applet):
    """Twin of ``com.example.sio.client.PointsClient``."""

    def server(self) -> Any:
        server = JCSystem.lookupAID(SERVER_AID, 0, len(SERVER_AID))
        if server is None:
            ISOException.throwIt(ISO7816.SW_FILE_NOT_FOUND)
        points = JCSystem.getAppletShareableInterfaceObject(server, 0)
        if points is None:
            ISOException.throwIt(ISO7816.SW_CONDITIONS_NOT_SATISFIED)
        return points

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        ins = buf[ISO7816.OFFSET_INS]
        if ins == INS_GRANT:
            if apdu.setIncomingAndReceive() != 2:
                ISOException.throwIt(ISO7816.SW_WRONG_LENGTH)
            result = self.server().grant(Util.getShort(buf, ISO7816.OFFSET_CDATA))
        elif ins == INS_BALANCE:
            result = self.server().balance()
        else:
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)
        Util.setShort(buf, 0, result)
        apdu.setOutgoingAndSend(0, 2)
