"""``SeedApplet``: a small applet that answers the commands of OpenSCDP's remote-terminal seed
example, so the example can run against a simulated card.

Installed as the default applet under the SmartCard-HSM AID ``E8 2B 06 01 04 01 81 C3 1F 02 01``:

- ``00 20 00 81 [Lc PIN]``: VERIFY of the user PIN (reference 81). With the PIN: 9000, or 63Cx
  with x tries left (6983 once blocked). Without data: 9000 when verified, else 63Cx.
- ``00 A4 04 00 Lc AID``: SELECT (the JCRE's), answered 9000 with no data; a SELECT of an AID
  the card does not have reaches the applet and gets 6A82.
- ``00 84 00 00 Le``: GET CHALLENGE; Le random bytes (1-256).

The PIN is ``648219`` (the SmartCard-HSM's transport user PIN) unless the install parameters
give another.
"""

from __future__ import annotations

from jcsim.framework import (
    APDU,
    ISO7816,
    Applet,
    ISOException,
    OwnerPIN,
)
from jcsim.security import RandomData

AID = bytes.fromhex("E82B0601040181C31F0201")
DEFAULT_PIN = b"648219"
PIN_TRY_LIMIT = 3
MAX_PIN_SIZE = 16

INS_VERIFY = 0x20
INS_GET_CHALLENGE = 0x84
PIN_REFERENCE = 0x81
SW_PIN_BLOCKED = 0x6983


class SeedApplet(Applet):
    """VERIFY, SELECT and GET CHALLENGE, as the seed example needs them."""

    @classmethod
    def install(cls, bArray: bytes, bOffset: int, bLength: int) -> None:
        aid_length = bArray[bOffset]
        control_offset = bOffset + 1 + aid_length
        data_offset = control_offset + 1 + bArray[control_offset]
        pin_length = bArray[data_offset]
        applet = cls()
        if pin_length:
            applet.pin.update(bArray, data_offset + 1, pin_length)
        applet.register(bArray, bOffset + 1, aid_length)

    def __init__(self) -> None:
        self.pin = OwnerPIN(PIN_TRY_LIMIT, MAX_PIN_SIZE)
        self.pin.update(DEFAULT_PIN, 0, len(DEFAULT_PIN))
        self.random = RandomData.getInstance(RandomData.ALG_SECURE_RANDOM)

    def deselect(self) -> None:
        self.pin.reset()

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        if buf[ISO7816.OFFSET_CLA] & 0xFC != 0x00:
            ISOException.throwIt(ISO7816.SW_CLA_NOT_SUPPORTED)
        ins = buf[ISO7816.OFFSET_INS]
        if ins == ISO7816.INS_SELECT:
            # A SELECT the JCRE found no applet for reaches the selected applet: no such file.
            ISOException.throwIt(ISO7816.SW_FILE_NOT_FOUND)
        if ins == INS_VERIFY:
            self.verify(apdu)
        elif ins == INS_GET_CHALLENGE:
            self.get_challenge(apdu)
        else:
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)

    def verify(self, apdu: APDU) -> None:
        buf = apdu.getBuffer()
        if buf[ISO7816.OFFSET_P1] != 0x00 or buf[ISO7816.OFFSET_P2] != PIN_REFERENCE:
            ISOException.throwIt(ISO7816.SW_INCORRECT_P1P2)
        length = apdu.setIncomingAndReceive()
        if length == 0:
            if not self.pin.isValidated():
                ISOException.throwIt(0x63C0 | self.pin.getTriesRemaining())
            return
        if self.pin.getTriesRemaining() == 0:
            ISOException.throwIt(SW_PIN_BLOCKED)
        if not self.pin.check(buf, apdu.getOffsetCdata(), length):
            tries = self.pin.getTriesRemaining()
            ISOException.throwIt(SW_PIN_BLOCKED if tries == 0 else 0x63C0 | tries)

    def get_challenge(self, apdu: APDU) -> None:
        buf = apdu.getBuffer()
        if buf[ISO7816.OFFSET_P1] != 0x00 or buf[ISO7816.OFFSET_P2] != 0x00:
            ISOException.throwIt(ISO7816.SW_INCORRECT_P1P2)
        length = apdu.setOutgoing()
        if length == 0:
            ISOException.throwIt(ISO7816.SW_WRONG_LENGTH)
        self.random.nextBytes(buf, 0, length)
        apdu.setOutgoingLength(length)
        apdu.sendBytes(0, length)
