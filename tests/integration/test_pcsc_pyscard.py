"""pyscard → pcscd → vpcd → jcsim: what a PC/SC program sees of a served card."""

from __future__ import annotations

import time

import pytest

from jcsim import Simulator
from jcsim.samples.echo.echo import GREETING, Echo
from tests.integration.applets import (
    INS_BUMP,
    INS_GET,
    INS_SET,
    JOURNALED_AID,
    STATE_PROBE_AID,
    Journaled,
    StateProbe,
)
from tests.integration.conftest import (
    CONTACT_READER,
    CONTACTLESS_READER,
    CardConnection,
    CardConnectionException,
    scard,
    wait_for_card,
)

pytestmark = pytest.mark.pcsc

ECHO_AID = bytes.fromhex("F00000000101")


def select(aid: bytes | str, cla: int = 0x00) -> list[int]:
    value = bytes.fromhex(aid) if isinstance(aid, str) else aid
    return [cla, 0xA4, 0x04, 0x00, len(value), *value, 0x00]


def transmit(connection, apdu: bytes | list[int]) -> tuple[bytes, int]:
    data, sw1, sw2 = connection.transmit(list(apdu))
    return bytes(data), (sw1 << 8) | sw2


@pytest.fixture
def echo_card() -> Simulator:
    sim = Simulator()
    sim.install(Echo, ECHO_AID)
    return sim


def test_pcscd_lists_the_two_vpcd_readers_of_the_private_configuration(pcscd):
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    assert hresult == scard.SCARD_S_SUCCESS
    hresult, names = scard.SCardListReaders(context, [])
    scard.SCardReleaseContext(context)
    assert CONTACT_READER in names and CONTACTLESS_READER in names


def test_the_served_card_answers_its_atr_a_select_and_an_echo(serve_card, echo_card, connect):
    serve_card(echo_card)
    connection = connect()
    assert bytes(connection.getATR()) == echo_card.atr
    assert connection.getProtocol() == CardConnection.T1_protocol
    assert transmit(connection, select(ECHO_AID)) == (b"", 0x9000)
    payload = bytes(range(16))
    assert transmit(connection, b"\x80\x01\x00\x00\x10" + payload + b"\x00") == (payload, 0x9000)
    assert transmit(connection, b"\x80\x02\x00\x00\x00") == (GREETING, 0x9000)
    connection.disconnect()


def test_extended_length_passes_through_pcscd_both_ways(serve_card, echo_card, connect):
    serve_card(echo_card)
    connection = connect()
    transmit(connection, select(ECHO_AID))
    data, sw = transmit(connection, b"\x80\x03\x0F\xA0\x00\x0F\xA0")  # case 2E, Le 4000
    assert sw == 0x9000 and data == bytes(i & 0xFF for i in range(4000))
    command_data = bytes((i * 7) & 0xFF for i in range(2000))
    data, sw = transmit(connection, b"\x80\x01\x00\x00\x00\x07\xD0" + command_data + b"\x00\x00")
    assert (data, sw) == (command_data, 0x9000)
    connection.disconnect()


def test_under_t0_the_client_fetches_the_response_with_get_response(serve_card, connect):
    sim = Simulator("T=0")
    sim.install(Echo, ECHO_AID)
    serve_card(sim)
    connection = connect()
    atr = bytes(connection.getATR())
    assert atr == sim.atr and atr[1] & 0x80 == 0  # no TD1: T=0 only
    assert connection.getProtocol() == CardConnection.T0_protocol
    assert transmit(connection, select(ECHO_AID))[1] & 0xFF00 in (0x6100, 0x9000)
    payload = bytes(range(1, 11))
    data, sw = transmit(connection, b"\x80\x01\x00\x00\x0A" + payload)  # case 3 under T=0
    assert (data, sw) == (b"", 0x610A)
    assert transmit(connection, b"\x00\xC0\x00\x00\x0A") == (payload, 0x9000)
    # A case 2 command with the wrong Le gets 6Cxx, and the client re-issues it.
    assert transmit(connection, b"\x80\x02\x00\x00\x05") == (b"", 0x6C00 | len(GREETING))
    assert transmit(connection, bytes((0x80, 0x02, 0, 0, len(GREETING)))) == (GREETING, 0x9000)
    connection.disconnect()


def test_logical_channels_are_opened_used_and_closed_through_pcsc(serve_card, echo_card, connect):
    serve_card(echo_card)
    connection = connect()
    assert transmit(connection, b"\x00\x70\x00\x00\x01") == (b"\x01", 0x9000)
    assert transmit(connection, select(ECHO_AID, cla=0x01)) == (b"", 0x9000)
    assert transmit(connection, b"\x81\x02\x00\x00\x00") == (GREETING, 0x9000)
    assert echo_card.selected(1) is not None and echo_card.selected(0) is None
    assert transmit(connection, b"\x82\x02\x00\x00\x00") == (b"", 0x6881)
    assert transmit(connection, b"\x00\x70\x80\x01") == (b"", 0x9000)
    assert transmit(connection, b"\x81\x02\x00\x00\x00") == (b"", 0x6881)
    connection.disconnect()


def test_reconnect_with_reset_deselects_and_clears_transients(serve_card, connect):
    sim = Simulator()
    sim.install(StateProbe, STATE_PROBE_AID)
    serve_card(sim)
    connection = connect()
    bump = bytes((0x80, INS_BUMP, 0, 0, 0))
    transmit(connection, select(STATE_PROBE_AID))
    transmit(connection, bump)
    assert transmit(connection, bump) == (b"\x02\x02\x02", 0x9000)
    connection.reconnect(disposition=scard.SCARD_RESET_CARD)
    assert sim.selected() is None
    assert transmit(connection, bump) == (b"", 0x6999)  # nothing selected after the reset
    transmit(connection, select(STATE_PROBE_AID))
    # The persistent counter survived; CLEAR_ON_RESET and CLEAR_ON_DESELECT started over.
    assert transmit(connection, bump) == (b"\x03\x01\x01", 0x9000)
    connection.disconnect()


def test_disconnect_with_unpower_takes_the_power_away(serve_card, echo_card, connect):
    serve_card(echo_card)
    connection = connect()
    transmit(connection, select(ECHO_AID))
    assert echo_card.powered
    connection.disconnect()  # pyscard's default disposition: SCARD_UNPOWER_CARD
    deadline = time.monotonic() + 2
    while echo_card.powered and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not echo_card.powered
    again = connect()  # and the next client powers it up again
    assert transmit(again, select(ECHO_AID)) == (b"", 0x9000)
    again.disconnect()


def test_a_torn_card_vanishes_from_the_reader_and_comes_back_rolled_back(serve_card, connect):
    sim = Simulator()
    sim.install(Journaled, JOURNALED_AID)
    server = serve_card(sim)
    connection = connect()
    transmit(connection, select(JOURNALED_AID))
    assert transmit(connection, bytes((0x80, INS_SET, 0, 0, 4)) + b"\x01\x02\x03\x04")[1] == 0x9000
    sim.arm_tear(after_writes=1)
    with pytest.raises(CardConnectionException):
        connection.transmit([0x80, INS_SET, 0, 0, 4, 0xAA, 0xBB, 0xCC, 0xDD])
    deadline = time.monotonic() + 5
    while server.link("contact").connections < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.link("contact").connections == 2
    wait_for_card(CONTACT_READER)
    again = connect()
    transmit(again, select(JOURNALED_AID))
    assert transmit(again, bytes((0x80, INS_GET, 0, 0, 0))) == (b"\x01\x02\x03\x04", 0x9000)
    again.disconnect()


def test_a_client_may_unpower_explicitly_with_reconnect(serve_card, echo_card, connect):
    serve_card(echo_card)
    connection = connect()
    transmit(connection, select(ECHO_AID))
    connection.reconnect(disposition=scard.SCARD_UNPOWER_CARD)  # vpcd: 00, then 01 04
    assert echo_card.powered and echo_card.selected() is None
    assert transmit(connection, b"\x80\x02\x00\x00\x00") == (b"", 0x6999)
    connection.disconnect()
