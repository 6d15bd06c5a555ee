"""``Dual``: a MultiSelectable applet, so it can be active on the contact and the contactless
interface at once; it answers which interface it runs on and a counter the two sessions share.
"""

from __future__ import annotations

from jcsim.framework import APDU, ISO7816, Applet, ISOException, MultiSelectable

DUAL_AID = "F0 00 00 00 71 01"
INS_WHERE = 0x30  # answer the media nibble of getProtocol() and the shared counter


class Dual(Applet, MultiSelectable):
    """Active on both interfaces at once: answers its media and a shared counter."""

    def __init__(self) -> None:
        self.count = 0

    def select(self, appInstAlreadyActive=None) -> bool:
        return True

    def deselect(self, appInstStillActive=None) -> None:
        pass

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        if buf[ISO7816.OFFSET_INS] != INS_WHERE:
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)
        self.count = (self.count + 1) & 0xFF
        buf[0] = apdu.getProtocol() & APDU.PROTOCOL_MEDIA_MASK
        buf[1] = self.count
        apdu.setOutgoingAndSend(0, 2)
