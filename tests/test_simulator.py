"""The host API (jcsim.Simulator) and the card's robustness against any bytes."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jcsim import AID, CommandAPDU, JCSimError, MalformedAPDUError, Response, Simulator
from jcsim.framework import APDU, ISO7816, Applet, ExtendedLength, ISOException
from tests.conftest import PROTOCOLS
from tests.helpers import (
    ECHO_AID,
    EXT_ECHO_AID,
    OTHER_AID,
    Echo,
    ExtendedEcho,
    pattern,
)


class IssueEcho(Applet):
    """The applet of the issue's first example, verbatim."""

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        if buf[ISO7816.OFFSET_INS] != 0x01:
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)
        n = apdu.setIncomingAndReceive()
        apdu.setOutgoingAndSend(ISO7816.OFFSET_CDATA, n)


def test_the_first_example_of_the_issue_works() -> None:
    sim = Simulator()
    sim.install(IssueEcho, aid="F0 00 00 00 01 01")
    assert sim.select("F00000000101").sw == 0x9000
    r = sim.transmit("80 01 00 00 03 0A0B0C 00")
    assert (r.data, r.sw) == (bytes.fromhex("0A0B0C"), 0x9000)
    assert sim.transmit("80 02 00 00").sw == 0x6D00


def test_transmit_accepts_hex_text_bytes_bytearray_and_CommandAPDU(t1: Simulator) -> None:
    t1.install(Echo, ECHO_AID)
    t1.select(ECHO_AID)
    expected = Response(b"\x0A\x0B", 0x9000)
    assert t1.transmit("80 01 00 00 02 0A0B") == expected
    assert t1.transmit("8001000002\t0a0b") == expected
    assert t1.transmit(bytes.fromhex("80010000020A0B")) == expected
    assert t1.transmit(bytearray.fromhex("80010000020A0B")) == expected
    assert t1.transmit(CommandAPDU(0x80, 0x01, 0, 0, b"\x0A\x0B")) == expected


def test_transmit_of_text_that_is_not_hex_is_a_MalformedAPDUError(t1: Simulator) -> None:
    with pytest.raises(MalformedAPDUError):
        t1.transmit("80 01 00 0Z")


def test_a_response_gives_data_status_word_and_its_bytes(t1: Simulator) -> None:
    t1.install(Echo, ECHO_AID)
    t1.select(ECHO_AID)
    response = t1.transmit("80 01 00 00 02 0A0B")
    assert isinstance(response.data, bytes)
    assert (response.sw1, response.sw2) == (0x90, 0x00)
    assert bytes(response) == bytes.fromhex("0A0B9000")


def test_select_takes_an_AID_its_bytes_or_hex_text(t1: Simulator) -> None:
    t1.install(Echo, ECHO_AID)
    assert t1.select(AID.from_hex(ECHO_AID)).sw == 0x9000
    assert t1.select(bytes.fromhex("F00000000101")).sw == 0x9000
    assert t1.select("F0 00 00 00 01 01").sw == 0x9000
    # An unknown AID goes to the selected Echo as a normal command, and Echo knows no INS A4.
    assert t1.select(OTHER_AID).sw == 0x6D00


def test_transmit_on_a_logical_channel_re_encodes_the_class_byte(t1: Simulator) -> None:
    t1.install(Echo, ECHO_AID)
    assert t1.transmit("00 70 00 00 01").data == b"\x01"
    assert t1.select(ECHO_AID, channel=1).sw == 0x9000
    assert t1.transmit("80 01 00 00 01 AA", channel=1).data == b"\xAA"
    assert t1.transmit("80 01 00 00 01 AA").sw == 0x6999  # nothing on the basic channel


def test_transmit_on_an_unknown_interface_is_a_JCSimError(t1: Simulator) -> None:
    with pytest.raises(JCSimError):
        t1.transmit("80 01 00 00", interface="usb")


def test_simulators_are_independent_cards() -> None:
    first, second = Simulator(), Simulator("T=0")
    first.install(Echo, ECHO_AID)
    assert first.select(ECHO_AID).sw == 0x9000
    assert second.select(ECHO_AID).sw == 0x6999


# --- any bytes yield a status word ----------------------------------------------------------


class Wild(ExtendedLength, Applet):
    """Turns the bits of INS into a sequence of APDU calls with P1 and P2 as their arguments,
    so random commands drive the APDU object through legal and illegal paths alike."""

    def process(self, apdu: APDU) -> None:
        buf = apdu.getBuffer()
        ins, p1, p2 = buf[1], buf[2], buf[3]
        if ins & 0x01:
            apdu.setIncomingAndReceive()
        if ins & 0x02:
            apdu.receiveBytes(p1)
        if ins & 0x04:
            if p2 & 1:
                apdu.setOutgoingNoChaining()
            else:
                apdu.setOutgoing()
        if ins & 0x08:
            apdu.setOutgoingLength(p1 * p2)
        if ins & 0x10:
            apdu.sendBytes(p2, p1)
        if ins & 0x20:
            apdu.sendBytesLong(pattern(600), p2, p1)
        if ins & 0x40:
            apdu.setOutgoingAndSend(p2, p1)
        if ins & 0x80:
            ISOException.throwIt(ISO7816.SW_WRONG_DATA)


WILD_AID = "F0 00 00 00 0A 01"
TARGETS = [ECHO_AID, EXT_ECHO_AID, WILD_AID, OTHER_AID, None]

byte = st.integers(0, 255)
interesting_cla = st.sampled_from([0x00, 0x80, 0x01, 0x81, 0x40, 0xC0, 0x10, 0x0C, 0x20, 0xFF])
interesting_ins = st.sampled_from([0xA4, 0xC0, 0x70, 0x01, 0x02, 0x1D, 0x2F, 0x4D, 0x0F])
bodies = st.one_of(
    st.just(b""),
    st.binary(max_size=12),
    byte.map(lambda le: bytes((le,))),
    st.binary(min_size=1, max_size=255).map(lambda d: bytes((len(d),)) + d),
    st.binary(min_size=1, max_size=255).flatmap(
        lambda d: byte.map(lambda le: bytes((len(d),)) + d + bytes((le,)))),
    st.binary(max_size=600).flatmap(
        lambda d: st.integers(0, 0xFFFF).map(
            lambda le: b"\x00" + (len(d).to_bytes(2, "big") + d if d else b"")
            + le.to_bytes(2, "big"))),
)
headers = st.tuples(st.one_of(interesting_cla, byte), st.one_of(interesting_ins, byte),
                    byte, byte).map(bytes)
raw_commands = st.one_of(
    st.binary(max_size=16),
    st.tuples(headers, bodies).map(lambda t: t[0] + t[1]),
    st.sampled_from(["00C0000000", "00C0000010", "0070000001", "0070800100", "00A4040006"
                     + ECHO_AID.replace(" ", "")]).map(bytes.fromhex),
)


def loaded_card(protocol: str) -> Simulator:
    sim = Simulator(protocol)
    sim.install(Echo, ECHO_AID)
    sim.install(ExtendedEcho, EXT_ECHO_AID)
    sim.install(Wild, WILD_AID)
    return sim


def check_response(response: Response) -> None:
    assert isinstance(response, Response)
    assert 0x61 <= response.sw1 <= 0x6F or response.sw == 0x9000, response
    assert len(bytes(response)) == len(response.data) + 2


@settings(max_examples=250, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(protocol=st.sampled_from(PROTOCOLS), commands=st.lists(raw_commands, max_size=8))
def test_any_bytes_sent_to_a_selected_echo_applet_yield_a_status_word(
        protocol: str, commands: list[bytes]) -> None:
    sim = loaded_card(protocol)
    assert sim.select(ECHO_AID).sw == 0x9000
    for raw in commands:
        check_response(sim.transmit(raw))
    # The card still works afterwards.
    assert sim.select(ECHO_AID).sw == 0x9000
    response = sim.transmit("80 01 00 00 02 0A0B")
    if protocol == "T=0":
        assert response.sw == 0x6102
        response = sim.transmit("00 C0 00 00 02")
    assert response == Response(b"\x0A\x0B", 0x9000)


@settings(max_examples=250, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(protocol=st.sampled_from(PROTOCOLS), target=st.sampled_from(TARGETS),
       commands=st.lists(raw_commands, min_size=1, max_size=8))
def test_any_bytes_after_any_selection_yield_a_status_word(
        protocol: str, target: str | None, commands: list[bytes]) -> None:
    sim = loaded_card(protocol)
    if target is not None:
        check_response(sim.select(target))
    for raw in commands:
        check_response(sim.transmit(raw))


@settings(max_examples=150, deadline=None)
@given(protocol=st.sampled_from(PROTOCOLS), raw=st.binary(max_size=300))
def test_plain_random_bytes_yield_a_status_word(protocol: str, raw: bytes) -> None:
    sim = loaded_card(protocol)
    sim.select(WILD_AID)
    check_response(sim.transmit(raw))
