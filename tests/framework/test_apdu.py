"""javacard.framework.APDU: every command case under T=0 and T=1, as the applet sees it and as
the host receives the answer; extended length; receiving in pages; the state machine."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jcsim import CommandAPDU, Response, Simulator
from jcsim.framework import APDU, APDUException, ISOException
from tests.helpers import (
    ECHO_AID,
    EXT_ECHO_AID,
    INS_ECHO,
    Echo,
    ExtendedEcho,
    exchange,
    fetch_all,
    get_response,
    install_probe,
    pattern,
)

DATA_3 = bytes.fromhex("AABBCC")
DATA_300 = pattern(300)

# name, command, needs ExtendedLength, Nc, offset of the data, response length the applet sends
CASES = [
    ("1", CommandAPDU(0x80, 0x10, 0, 0), False, 0, 5, 4),
    ("2S", CommandAPDU(0x80, 0x10, 0, 0, ne=0x20), False, 0, 5, 0x20),
    ("3S", CommandAPDU(0x80, 0x10, 0, 0, DATA_3), False, 3, 5, 4),
    ("4S", CommandAPDU(0x80, 0x10, 0, 0, DATA_3, ne=0x20), False, 3, 5, 0x20),
    ("2E", CommandAPDU(0x80, 0x10, 0, 0, ne=0x100, extended=True), True, 0, 7, 0x100),
    ("3E", CommandAPDU(0x80, 0x10, 0, 0, DATA_300), True, 300, 7, 4),
    ("4E", CommandAPDU(0x80, 0x10, 0, 0, DATA_300, ne=500), True, 300, 7, 500),
]
CASE_IDS = [case[0] for case in CASES]

# What setOutgoing() returns, by case and protocol (JC 3.0.5 APDU.setOutgoing notes).
SET_OUTGOING = {
    ("1", "T=1"): 0, ("1", "T=0"): 0,
    ("2S", "T=1"): 0x20, ("2S", "T=0"): 0x20,
    # Under T=0 the card cannot tell case 3 from case 4 (the reader strips Le): a short
    # command with data allows 256 bytes through 61xx, 32767 for an ExtendedLength applet.
    ("3S", "T=1"): 0, ("3S", "T=0"): 256,
    ("4S", "T=1"): 0x20, ("4S", "T=0"): 256,
    ("2E", "T=1"): 0x100, ("2E", "T=0"): 32767,
    ("3E", "T=1"): 0, ("3E", "T=0"): 32767,
    ("4E", "T=1"): 500, ("4E", "T=0"): 32767,
}


def receive_and_answer(seen: dict[str, Any], reply: int):
    """A script that records what the applet sees, then answers ``reply`` pattern bytes."""

    def script(apdu: APDU) -> None:
        buf = apdu.getBuffer()
        seen["initial_state"] = apdu.getCurrentState()
        seen["header"] = bytes(buf[0:4])
        seen["received"] = apdu.setIncomingAndReceive()
        seen["state_after_receive"] = apdu.getCurrentState()
        seen["incoming_length"] = apdu.getIncomingLength()
        seen["offset"] = offset = apdu.getOffsetCdata()
        seen["data"] = bytes(buf[offset:offset + seen["received"]])
        seen["ne"] = apdu.setOutgoing()
        apdu.setOutgoingLength(reply)
        apdu.sendBytesLong(pattern(reply), 0, reply)

    return script


@pytest.mark.parametrize(("name", "command", "extended", "nc", "offset", "reply"), CASES,
                         ids=CASE_IDS)
def test_process_sees_the_lengths_and_data_of_each_case(
        sim: Simulator, name: str, command: CommandAPDU, extended: bool, nc: int, offset: int,
        reply: int) -> None:
    seen: dict[str, Any] = {}
    install_probe(sim, receive_and_answer(seen, reply), extended=extended)
    exchange(sim, bytes(command))
    assert seen["initial_state"] == APDU.STATE_INITIAL
    assert seen["header"] == bytes(command)[:4]
    assert seen["received"] == nc
    assert seen["incoming_length"] == nc
    assert seen["offset"] == offset
    assert seen["data"] == command.data
    assert seen["state_after_receive"] == APDU.STATE_FULL_INCOMING
    assert seen["ne"] == SET_OUTGOING[(name, sim.protocol)]


@pytest.mark.parametrize(("name", "command", "extended", "nc", "offset", "reply"), CASES,
                         ids=CASE_IDS)
def test_T1_answers_data_and_9000_in_one_response(
        t1: Simulator, name: str, command: CommandAPDU, extended: bool, nc: int, offset: int,
        reply: int) -> None:
    install_probe(t1, receive_and_answer({}, reply), extended=extended)
    response = t1.transmit(command)
    assert (response.data, response.sw) == (pattern(reply), 0x9000)


@pytest.mark.parametrize(("name", "command", "extended", "nc", "offset", "reply"),
                         [case for case in CASES if case[0] != "2S"],
                         ids=[name for name in CASE_IDS if name != "2S"])
def test_T0_answers_61xx_and_the_data_comes_with_GET_RESPONSE(
        name: str, command: CommandAPDU, extended: bool, nc: int, offset: int,
        reply: int) -> None:
    sim = Simulator("T=0")
    install_probe(sim, receive_and_answer({}, reply), extended=extended)
    first = sim.transmit(command)
    assert first.data == b""
    assert first.sw == 0x6100 | (min(reply, 256) & 0xFF)
    data, sw, responses = fetch_all(sim, first)
    assert (data, sw) == (pattern(reply), 0x9000)
    assert all(len(r.data) <= 256 for r in responses)


def test_T0_case_2_with_the_right_Le_answers_the_data_directly() -> None:
    sim = Simulator("T=0")
    install_probe(sim, receive_and_answer({}, 0x20))
    response = sim.transmit("80 10 00 00 20")
    assert (response.data, response.sw) == (pattern(0x20), 0x9000)


def test_T0_case_2_with_Le_00_and_256_bytes_answers_them_directly() -> None:
    sim = Simulator("T=0")
    install_probe(sim, receive_and_answer({}, 256))
    response = sim.transmit("80 10 00 00 00")
    assert (response.data, response.sw) == (pattern(256), 0x9000)


@pytest.mark.parametrize(("le", "reply"), [(0x20, 5), (0x00, 5), (0x05, 0x20)])
def test_T0_case_2_with_a_wrong_Le_answers_6Cxx_and_the_reissue_gets_the_data(
        le: int, reply: int) -> None:
    sim = Simulator("T=0")
    calls: list[int] = []

    def script(apdu: APDU) -> None:
        calls.append(1)
        receive_and_answer({}, reply)(apdu)

    install_probe(sim, script)
    first = sim.transmit(bytes((0x80, 0x10, 0x00, 0x00, le)))
    assert (first.data, first.sw) == (b"", 0x6C00 | reply)
    again = sim.transmit(bytes((0x80, 0x10, 0x00, 0x00, reply)))
    assert (again.data, again.sw) == (pattern(reply), 0x9000)


def test_T1_case_2_with_a_different_Le_still_answers_what_the_applet_sent(t1: Simulator) -> None:
    install_probe(t1, receive_and_answer({}, 5))
    assert t1.transmit("80 10 00 00 20").data == pattern(5)


def test_T0_case_2_answer_longer_than_256_bytes_goes_through_GET_RESPONSE() -> None:
    # An ExtendedLength applet may answer more than 256 bytes to a short case 2 command;
    # 6Cxx cannot describe that length, so the card chains with 61xx.
    sim = Simulator("T=0")
    install_probe(sim, receive_and_answer({}, 300), extended=True)
    first = sim.transmit("80 10 00 00 00")
    assert first.sw == 0x6100
    data, sw, _ = fetch_all(sim, first)
    assert (data, sw) == (pattern(300), 0x9000)


def test_T0_responses_over_256_bytes_come_in_256_byte_chunks() -> None:
    sim = Simulator("T=0")
    sim.install(ExtendedEcho, EXT_ECHO_AID)
    sim.select(EXT_ECHO_AID)
    first = sim.transmit("80 02 0F A0 00 00 00")  # 4000 bytes, case 2E
    assert first == Response(b"", 0x6100)
    data, sw, responses = fetch_all(sim, first)
    assert (data, sw) == (pattern(4000), 0x9000)
    assert [len(r.data) for r in responses] == [0] + [256] * 15 + [160]
    assert [r.sw for r in responses[1:-1]] == [0x6100] * 14 + [0x61A0]


def test_T0_GET_RESPONSE_with_a_shorter_Le_takes_part_and_announces_the_rest() -> None:
    sim = Simulator("T=0")
    install_probe(sim, receive_and_answer({}, 10))
    assert sim.transmit("80 10 00 00").sw == 0x610A
    part = sim.transmit(get_response(4))
    assert (part.data, part.sw) == (pattern(10)[:4], 0x6106)
    rest = sim.transmit(get_response(6))
    assert (rest.data, rest.sw) == (pattern(10)[4:], 0x9000)


def test_T0_GET_RESPONSE_asking_for_too_much_answers_6Cxx_and_keeps_the_response() -> None:
    sim = Simulator("T=0")
    install_probe(sim, receive_and_answer({}, 10))
    sim.transmit("80 10 00 00")
    assert sim.transmit(get_response(0x20)).sw == 0x6C0A
    response = sim.transmit(get_response(10))
    assert (response.data, response.sw) == (pattern(10), 0x9000)


def test_T0_GET_RESPONSE_with_P1_P2_other_than_00_is_6A86_and_keeps_the_response() -> None:
    sim = Simulator("T=0")
    install_probe(sim, receive_and_answer({}, 3))
    sim.transmit("80 10 00 00")
    assert sim.transmit("00 C0 01 00 03") == Response(b"", 0x6A86)
    assert sim.transmit(get_response(3)) == Response(pattern(3), 0x9000)


def test_T0_a_different_command_after_6Cxx_is_processed_afresh() -> None:
    sim = Simulator("T=0")
    calls: list[bytes] = []

    def script(apdu: APDU) -> None:
        calls.append(bytes(apdu.getBuffer()[:5]))
        receive_and_answer({}, 5)(apdu)

    install_probe(sim, script)
    assert sim.transmit("80 10 00 00 20").sw == 0x6C05
    assert sim.transmit("80 11 00 00 05") == Response(pattern(5), 0x9000)
    # The re-issue chance is gone: this command runs the applet again.
    assert sim.transmit("80 10 00 00 05") == Response(pattern(5), 0x9000)
    assert [c.hex() for c in calls] == ["8010000020", "8011000005", "8010000005"]


def test_T0_another_command_discards_the_waiting_response() -> None:
    sim = Simulator("T=0")
    sim.install(Echo, ECHO_AID)
    sim.select(ECHO_AID)
    assert sim.transmit("80 01 00 00 03 010203").sw == 0x6103
    other = sim.transmit("80 02 00 02 02")
    assert (other.data, other.sw) == (b"\x00\x01", 0x9000)
    # GET RESPONSE now reaches the applet, which does not know INS C0.
    late = sim.transmit(get_response(3))
    assert (late.data, late.sw) == (b"", 0x6D00)


def test_T0_GET_RESPONSE_with_nothing_waiting_goes_to_the_applet() -> None:
    sim = Simulator("T=0")
    sim.install(Echo, ECHO_AID)
    sim.select(ECHO_AID)
    assert sim.transmit(get_response(3)).sw == 0x6D00


def test_T0_error_after_data_comes_after_the_data_with_GET_RESPONSE() -> None:
    sim = Simulator("T=0")

    def script(apdu: APDU) -> None:
        apdu.setOutgoingAndSend(0, 2)
        ISOException.throwIt(0x6A80)

    install_probe(sim, script)
    data, sw = exchange(sim, "80 10 00 00")
    assert (data, sw) == (b"\x80\x10", 0x6A80)


# --- setOutgoing return values beyond the plain cases ----------------------------------------


def ne_seen(sim: Simulator, command: str, *, extended: bool, no_chaining: bool = False) -> int:
    seen: dict[str, int] = {}

    def script(apdu: APDU) -> None:
        apdu.setIncomingAndReceive()
        seen["ne"] = apdu.setOutgoingNoChaining() if no_chaining else apdu.setOutgoing()

    install_probe(sim, script, extended=extended)
    exchange(sim, command)
    return seen["ne"]


def test_setOutgoing_for_short_Le_00_is_256(sim: Simulator) -> None:
    assert ne_seen(sim, "80 10 00 00 00", extended=False) == 256


def test_setOutgoing_for_extended_Le_0000_is_32767(sim: Simulator) -> None:
    assert ne_seen(sim, "80 10 00 00 00 00 00", extended=True) == 32767


def test_setOutgoing_for_an_extended_Le_above_32767_is_32767(sim: Simulator) -> None:
    assert ne_seen(sim, "80 10 00 00 00 90 00", extended=True) == 32767


def test_setOutgoing_under_T0_case_4S_for_an_ExtendedLength_applet_is_32767() -> None:
    assert ne_seen(Simulator("T=0"), "80 10 00 00 01 AA 10", extended=True) == 32767


def test_setOutgoing_under_T1_case_4S_for_an_ExtendedLength_applet_is_Le() -> None:
    assert ne_seen(Simulator("T=1"), "80 10 00 00 01 AA 10", extended=True) == 0x10


@pytest.mark.parametrize("command", ["80 10 00 00 01 AA 10", "80 10 00 00 00 00 01 AA 01 00",
                                     "80 10 00 00 00 10 00"])
def test_setOutgoingNoChaining_under_T0_for_an_ExtendedLength_applet_is_256(command: str) -> None:
    assert ne_seen(Simulator("T=0"), command, extended=True, no_chaining=True) == 256


def test_setOutgoingNoChaining_under_T1_is_Ne(t1: Simulator) -> None:
    assert ne_seen(t1, "80 10 00 00 00 00 00", extended=True, no_chaining=True) == 32767


# --- extended length ------------------------------------------------------------------------


@pytest.mark.parametrize("command", [
    CommandAPDU(0x80, 0x10, 0, 0, ne=0x10, extended=True),
    CommandAPDU(0x80, 0x10, 0, 0, DATA_3, extended=True),
    CommandAPDU(0x80, 0x10, 0, 0, DATA_300, ne=0x10),
], ids=["2E", "3E", "4E"])
def test_an_extended_command_to_an_applet_without_ExtendedLength_is_6700_before_process(
        sim: Simulator, command: CommandAPDU) -> None:
    calls: list[bytes] = []
    install_probe(sim, lambda apdu: calls.append(bytes(apdu.getBuffer()[:4])))
    response = sim.transmit(command)
    assert (response.data, response.sw) == (b"", 0x6700)
    assert calls == []
    assert sim.transmit("80 10 00 00").sw == 0x9000
    assert len(calls) == 1


def test_an_ExtendedLength_applet_echoes_a_2000_byte_command(sim: Simulator) -> None:
    sim.install(ExtendedEcho, EXT_ECHO_AID)
    assert sim.select(EXT_ECHO_AID).sw == 0x9000
    command = CommandAPDU(0x80, INS_ECHO, 0, 0, pattern(2000)[::-1], ne=65536)
    assert exchange(sim, bytes(command)) == (pattern(2000)[::-1], 0x9000)


def test_an_ExtendedLength_applet_returns_a_4000_byte_response(sim: Simulator) -> None:
    sim.install(ExtendedEcho, EXT_ECHO_AID)
    assert sim.select(EXT_ECHO_AID).sw == 0x9000
    assert exchange(sim, "80 02 0F A0 00 00 00") == (pattern(4000), 0x9000)


def test_an_extended_command_with_more_than_32767_data_bytes_is_6700(t1: Simulator) -> None:
    t1.install(ExtendedEcho, EXT_ECHO_AID)
    t1.select(EXT_ECHO_AID)
    assert t1.transmit(CommandAPDU(0x80, INS_ECHO, 0, 0, bytes(32768))).sw == 0x6700
    assert t1.transmit(CommandAPDU(0x80, INS_ECHO, 0, 0, bytes(32767))).data == bytes(32767)


def test_an_applet_without_ExtendedLength_answers_short_commands(sim: Simulator) -> None:
    sim.install(Echo, ECHO_AID)
    sim.select(ECHO_AID)
    assert exchange(sim, "80 01 00 00 03 010203 00") == (b"\x01\x02\x03", 0x9000)
    assert exchange(sim, "80 02 01 00 00") == (pattern(256), 0x9000)


# --- receiving in pages ---------------------------------------------------------------------


def paging_script(seen: dict[str, Any]):
    def script(apdu: APDU) -> None:
        buf = apdu.getBuffer()
        first = apdu.setIncomingAndReceive()
        offset = apdu.getOffsetCdata()
        seen["first"] = first
        seen["first_state"] = apdu.getCurrentState()
        data = bytes(buf[offset:offset + first])
        pages = []
        while True:
            got = apdu.receiveBytes(offset)
            pages.append(got)
            if got == 0:
                break
            data += bytes(buf[offset:offset + got])
        seen["pages"] = pages
        seen["data"] = data
        seen["last_state"] = apdu.getCurrentState()

    return script


@pytest.mark.parametrize("protocol", ["T=0", "T=1"])
def test_a_short_command_larger_than_the_buffer_is_received_in_pages(protocol: str) -> None:
    sim = Simulator(protocol, apdu_buffer_size=133)
    seen: dict[str, Any] = {}
    install_probe(sim, paging_script(seen))
    data = pattern(255)
    assert sim.transmit(CommandAPDU(0x80, 0x10, 0, 0, data)).sw == 0x9000
    assert seen["first"] == 128
    assert seen["first_state"] == APDU.STATE_PARTIAL_INCOMING
    assert seen["pages"] == [127, 0]
    assert seen["data"] == data
    assert seen["last_state"] == APDU.STATE_FULL_INCOMING


@pytest.mark.parametrize("protocol", ["T=0", "T=1"])
def test_an_extended_command_is_received_in_buffer_sized_pages(protocol: str) -> None:
    sim = Simulator(protocol, apdu_buffer_size=300)
    seen: dict[str, Any] = {}
    install_probe(sim, paging_script(seen), extended=True)
    data = pattern(1000)
    assert sim.transmit(CommandAPDU(0x80, 0x10, 0, 0, data)).sw == 0x9000
    assert seen["first"] == 293
    assert seen["first_state"] == APDU.STATE_PARTIAL_INCOMING
    assert seen["pages"] == [293, 293, 121, 0]
    assert seen["data"] == data
    assert seen["last_state"] == APDU.STATE_FULL_INCOMING


def test_receiveBytes_under_T1_without_room_for_an_IFSC_block_is_BUFFER_BOUNDS() -> None:
    sim = Simulator("T=1", apdu_buffer_size=133)
    seen: dict[str, Any] = {}

    def script(apdu: APDU) -> None:
        apdu.setIncomingAndReceive()
        try:
            apdu.receiveBytes(7)
        except APDUException as exc:
            seen["reason"] = exc.getReason()
        seen["state"] = apdu.getCurrentState()

    install_probe(sim, script, extended=True)
    sim.transmit(CommandAPDU(0x80, 0x10, 0, 0, pattern(1000)))
    assert seen == {"reason": APDUException.BUFFER_BOUNDS,
                    "state": APDU.STATE_PARTIAL_INCOMING}


def test_the_echo_applet_pages_through_a_small_buffer_under_T0() -> None:
    sim = Simulator("T=0", apdu_buffer_size=133)
    sim.install(ExtendedEcho, EXT_ECHO_AID)
    sim.select(EXT_ECHO_AID)
    command = CommandAPDU(0x80, INS_ECHO, 0, 0, pattern(2000), ne=65536)
    assert exchange(sim, bytes(command)) == (pattern(2000), 0x9000)


# --- the outgoing states --------------------------------------------------------------------


def test_sending_walks_the_outgoing_states(t1: Simulator) -> None:
    states: list[int] = []

    def script(apdu: APDU) -> None:
        states.append(apdu.getCurrentState())
        apdu.setOutgoing()
        states.append(apdu.getCurrentState())
        apdu.setOutgoingLength(4)
        states.append(apdu.getCurrentState())
        apdu.sendBytes(0, 2)
        states.append(apdu.getCurrentState())
        apdu.sendBytesLong(b"\x11\x22", 0, 2)
        states.append(apdu.getCurrentState())

    install_probe(t1, script)
    response = t1.transmit("80 10 00 00 04")
    assert (response.data, response.sw) == (b"\x80\x10\x11\x22", 0x9000)
    assert states == [APDU.STATE_INITIAL, APDU.STATE_OUTGOING,
                      APDU.STATE_OUTGOING_LENGTH_KNOWN, APDU.STATE_PARTIAL_OUTGOING,
                      APDU.STATE_FULL_OUTGOING]


def test_setOutgoingAndSend_leaves_FULL_OUTGOING(t1: Simulator) -> None:
    states: list[int] = []

    def script(apdu: APDU) -> None:
        apdu.setOutgoingAndSend(1, 3)
        states.append(apdu.getCurrentState())

    install_probe(t1, script)
    assert t1.transmit("80 10 20 30").data == b"\x10\x20\x30"
    assert states == [APDU.STATE_FULL_OUTGOING]


def test_setOutgoingLength_0_sends_no_data(t1: Simulator) -> None:
    def script(apdu: APDU) -> None:
        apdu.setOutgoing()
        apdu.setOutgoingLength(0)

    install_probe(t1, script)
    assert t1.transmit("80 10 00 00 10") == Response(b"", 0x9000)


def test_an_ExtendedLength_applet_may_announce_up_to_32767_bytes(t1: Simulator) -> None:
    def script(apdu: APDU) -> None:
        apdu.setOutgoing()
        apdu.setOutgoingLength(32767)
        apdu.sendBytesLong(bytes(32767), 0, 32767)

    install_probe(t1, script, extended=True)
    assert len(t1.transmit("80 10 00 00 00 00 00").data) == 32767


def test_the_buffer_holds_the_header_and_is_zeroed_for_each_command(t1: Simulator) -> None:
    seen: list[bytes] = []

    def script(apdu: APDU) -> None:
        buf = apdu.getBuffer()
        seen.append(bytes(buf[:12]))
        buf[20] = 0x55  # left behind on purpose

    install_probe(t1, script)
    t1.transmit("80 10 01 02 03 0A0B0C")
    t1.transmit("80 11 03 04")
    assert seen[0] == bytes.fromhex("8010010203") + bytes(7)
    assert seen[1] == bytes.fromhex("80110304") + bytes(8)


def test_an_extended_header_keeps_its_three_length_bytes_in_the_buffer(t1: Simulator) -> None:
    seen: list[bytes] = []
    install_probe(t1, lambda apdu: seen.append(bytes(apdu.getBuffer()[:8])), extended=True)
    t1.transmit(CommandAPDU(0x80, 0x10, 1, 2, DATA_300, ne=500))
    assert seen == [bytes.fromhex("80100102 00012C 00")]


# --- protocol, blocks, CLA queries, static accessors ----------------------------------------


def test_protocol_and_block_sizes_follow_the_interface(sim: Simulator) -> None:
    seen: dict[str, int] = {}

    def script(apdu: APDU) -> None:
        seen["protocol"] = apdu.getProtocol()
        seen["in"] = apdu.getInBlockSize()
        seen["out"] = apdu.getOutBlockSize()
        seen["nad"] = apdu.getNAD()

    install_probe(sim, script)
    sim.transmit("80 10 00 00")
    if sim.protocol == "T=0":
        assert seen == {"protocol": APDU.PROTOCOL_T0, "in": 1, "out": 258, "nad": 0}
    else:
        assert seen == {"protocol": APDU.PROTOCOL_T1, "in": 254, "out": 254, "nad": 0}


def test_the_contactless_interface_reports_type_A_media_and_T1(t1: Simulator) -> None:
    seen: list[int] = []
    install_probe(t1, lambda apdu: seen.append(apdu.getProtocol()), select=False)
    assert t1.select("F0 00 00 00 02 01", interface="contactless").sw == 0x9000
    t1.transmit("80 10 00 00", interface="contactless")
    assert seen == [APDU.PROTOCOL_MEDIA_CONTACTLESS_TYPE_A | APDU.PROTOCOL_T1]


@pytest.mark.parametrize(("cla", "chaining", "sm", "interindustry"), [
    (0x00, False, False, True),
    (0x10, True, False, True),
    (0x0C, False, True, True),
    (0x80, False, False, False),
    (0x90, True, False, False),
    (0x84, False, True, False),
])
def test_the_CLA_queries_read_the_current_command(
        t1: Simulator, cla: int, chaining: bool, sm: bool, interindustry: bool) -> None:
    seen: dict[str, Any] = {}

    def script(apdu: APDU) -> None:
        seen["chaining"] = apdu.isCommandChainingCLA()
        seen["sm"] = apdu.isSecureMessagingCLA()
        seen["interindustry"] = apdu.isISOInterindustryCLA()
        seen["valid"] = apdu.isValidCLA()
        seen["channel"] = APDU.getCLAChannel()

    install_probe(t1, script)
    assert t1.transmit(bytes((cla, 0x10, 0, 0))).sw == 0x9000
    assert seen == {"chaining": chaining, "sm": sm, "interindustry": interindustry,
                    "valid": True, "channel": 0}


def test_getCurrentAPDU_and_its_buffer_are_the_ones_process_received(t1: Simulator) -> None:
    seen: dict[str, bool] = {}

    def script(apdu: APDU) -> None:
        seen["apdu"] = APDU.getCurrentAPDU() is apdu
        seen["buffer"] = APDU.getCurrentAPDUBuffer() is apdu.getBuffer()

    install_probe(t1, script)
    t1.transmit("80 10 00 00")
    assert seen == {"apdu": True, "buffer": True}


def test_waitExtension_is_allowed_while_processing(t1: Simulator) -> None:
    def script(apdu: APDU) -> None:
        APDU.waitExtension()
        apdu.setOutgoingAndSend(0, 1)

    install_probe(t1, script)
    assert t1.transmit("80 10 00 00") == Response(b"\x80", 0x9000)


@settings(max_examples=30, deadline=None)
@given(writes=st.lists(st.tuples(st.integers(0, 32775), st.integers(1, 255)), min_size=1,
                       max_size=20))
def test_every_byte_an_applet_leaves_in_the_buffer_is_zero_at_the_next_command(
        writes: list[tuple[int, int]]) -> None:
    sim = Simulator()
    leftovers: list[bool] = []

    def script(apdu: APDU) -> None:
        buf = apdu.getBuffer()
        leftovers.append(any(bytes(buf[5:])))  # after the header of a case 1 command
        for offset, value in writes:
            buf[offset] = value
        buf[len(buf) - 1] = 0x7F  # the very last byte too

    install_probe(sim, script)
    sim.transmit("80 10 00 00")
    sim.transmit("80 11 00 00")
    assert leftovers == [False, False]
