"""One card in two readers: the contact interface in "Virtual PCD 00 00", the contactless one
in "Virtual PCD 00 01", with a MultiSelectable applet active on both at once."""

from __future__ import annotations

import time

import pytest

from jcsim import Simulator
from jcsim.transport import DEFAULT_UID
from tests.integration.conftest import CONTACT_READER, CONTACTLESS_READER
from tests.integration.dual_applet import DUAL_AID, INS_WHERE, Dual

pytestmark = pytest.mark.pcsc

AID = bytes.fromhex(DUAL_AID)
SELECT = [0x00, 0xA4, 0x04, 0x00, len(AID), *AID, 0x00]
WHERE = [0x80, INS_WHERE, 0x00, 0x00, 0x00]


def transmit(connection, apdu: list[int]) -> tuple[bytes, int]:
    data, sw1, sw2 = connection.transmit(apdu)
    return bytes(data), (sw1 << 8) | sw2


@pytest.fixture
def dual_card(serve_card) -> Simulator:
    sim = Simulator()
    sim.install(Dual, AID)
    serve_card(sim, contactless=True)
    return sim


def test_each_reader_shows_its_interface_s_atr(dual_card, connect):
    contact, contactless = connect(CONTACT_READER), connect(CONTACTLESS_READER)
    assert bytes(contact.getATR()) == dual_card.atr_of("contact")
    assert bytes(contactless.getATR()) == dual_card.atr_of("contactless")
    assert dual_card.atr_of("contact") != dual_card.atr_of("contactless")


def test_the_contactless_reader_answers_get_uid_and_the_contact_one_passes_it_on(dual_card,
                                                                                 connect):
    contactless = connect(CONTACTLESS_READER)
    assert transmit(contactless, [0xFF, 0xCA, 0x00, 0x00, 0x00]) == (DEFAULT_UID, 0x9000)
    contact = connect(CONTACT_READER)
    assert transmit(contact, [0xFF, 0xCA, 0x00, 0x00, 0x00]) == (b"", 0x6E00)


def test_a_multiselectable_applet_is_active_on_both_interfaces_at_once(dual_card, connect):
    contact, contactless = connect(CONTACT_READER), connect(CONTACTLESS_READER)
    assert transmit(contact, SELECT) == (b"", 0x9000)
    assert transmit(contactless, SELECT) == (b"", 0x9000)
    assert dual_card.selected(interface="contact") == dual_card.selected(interface="contactless")
    # One instance: the counter is shared; the media nibble says where each command came in.
    assert transmit(contact, WHERE) == (b"\x00\x01", 0x9000)
    assert transmit(contactless, WHERE) == (b"\x80\x02", 0x9000)
    assert transmit(contact, WHERE) == (b"\x00\x03", 0x9000)
    # Powering one interface down leaves the other session as it was.
    contactless.disconnect()  # SCARD_UNPOWER_CARD: vpcd sends 00 at once
    deadline = time.monotonic() + 2
    while dual_card.card.powered_interfaces != {"contact"} and time.monotonic() < deadline:
        time.sleep(0.01)
    assert dual_card.card.powered_interfaces == {"contact"}
    assert transmit(contact, WHERE) == (b"\x00\x04", 0x9000)
    contact.disconnect()
