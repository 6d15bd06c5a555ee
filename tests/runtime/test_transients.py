"""OwnerPIN on a card: its validated flag is CLEAR_ON_RESET transient memory."""

from __future__ import annotations

import pytest

from jcsim import Response, Simulator
from jcsim.framework import APDU, ISO7816, Applet, ISOException, OwnerPIN

PIN_AID = "F0 00 00 00 07 01"
OTHER_AID = "F0 00 00 00 07 02"
INS_VERIFY = 0x20
INS_STATUS = 0x30


class PinApplet(Applet):
    """VERIFY (INS 20) checks the PIN 1234; STATUS (INS 30) answers (validated, tries)."""

    def __init__(self) -> None:
        self.pin = OwnerPIN(3, 8)
        self.pin.update(b"\x01\x02\x03\x04", 0, 4)

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        if buf[ISO7816.OFFSET_INS] == INS_VERIFY:
            n = apdu.setIncomingAndReceive()
            if not self.pin.check(buf, ISO7816.OFFSET_CDATA, n):
                ISOException.throwIt(0x63C0 | self.pin.getTriesRemaining())
            return
        buf[0] = 1 if self.pin.isValidated() else 0
        buf[1] = self.pin.getTriesRemaining()
        apdu.setOutgoingAndSend(0, 2)


class Other(Applet):
    def process(self, apdu: APDU) -> None:
        pass


@pytest.fixture
def card(t1: Simulator) -> Simulator:
    t1.install(PinApplet, PIN_AID)
    t1.install(Other, OTHER_AID)
    t1.select(PIN_AID)
    return t1


def status(sim: Simulator) -> bytes:
    response = sim.transmit("80 30 00 00 02")
    assert response.sw == 0x9000
    return response.data


def test_verify_validates_and_a_wrong_pin_spends_tries(card: Simulator) -> None:
    assert card.transmit("80 20 00 00 04 01020305") == Response(b"", 0x63C2)
    assert status(card) == b"\x00\x02"
    assert card.transmit("80 20 00 00 04 01020304").sw == 0x9000
    assert status(card) == b"\x01\x03"


def test_a_card_reset_clears_the_validated_flag_but_not_the_tries(card: Simulator) -> None:
    card.transmit("80 20 00 00 04 01020305")
    card.transmit("80 20 00 00 04 01020304")
    card.transmit("80 20 00 00 04 01020305")
    assert status(card) == b"\x00\x02"
    card.transmit("80 20 00 00 04 01020304")
    card.reset()
    card.select(PIN_AID)
    assert status(card) == b"\x00\x03"


def test_a_power_cycle_clears_the_validated_flag(card: Simulator) -> None:
    card.transmit("80 20 00 00 04 01020304")
    card.power_off()
    card.power_on()
    card.select(PIN_AID)
    assert status(card) == b"\x00\x03"


def test_deselection_alone_does_not_clear_the_validated_flag(card: Simulator) -> None:
    # Applets that want that call pin.reset() in their deselect().
    card.transmit("80 20 00 00 04 01020304")
    card.select(OTHER_AID)
    card.select(PIN_AID)
    assert status(card) == b"\x01\x03"


def test_a_blocked_pin_stays_blocked_across_a_reset(card: Simulator) -> None:
    for _ in range(3):
        card.transmit("80 20 00 00 04 00000000")
    assert card.transmit("80 20 00 00 04 01020304").sw == 0x63C0
    card.reset()
    card.select(PIN_AID)
    assert card.transmit("80 20 00 00 04 01020304").sw == 0x63C0
