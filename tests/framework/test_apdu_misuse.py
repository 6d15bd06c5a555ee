"""Misusing javacard.framework.APDU: each method from each state its row of
``apdu_states.ALLOWED_FROM`` leaves out, and the BUFFER_BOUNDS / BAD_LENGTH rules.

The probe catches the APDUException and answers ``0x6F00 | reason`` (``answering_reason``), so
each test checks the reason both inside the applet and from the host.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from jcsim import CommandAPDU, Response, Simulator
from jcsim.framework import (
    APDU,
    APDUException,
    Applet,
    ArrayIndexOutOfBoundsException,
    NullPointerException,
    SecurityException,
)
from jcsim.framework.apdu_states import ALLOWED_FROM
from tests.helpers import (
    APDU_EXCEPTION_SW,
    PROBE_AID,
    answering_reason,
    exchange,
    install_probe,
)

ILLEGAL_USE = APDU_EXCEPTION_SW | APDUException.ILLEGAL_USE
BUFFER_BOUNDS = APDU_EXCEPTION_SW | APDUException.BUFFER_BOUNDS
BAD_LENGTH = APDU_EXCEPTION_SW | APDUException.BAD_LENGTH

# How to bring a fresh APDU to each state, for a 255-byte command in a 133-byte buffer.
REACH: dict[int, Callable[[APDU], None]] = {
    APDU.STATE_INITIAL: lambda apdu: None,
    APDU.STATE_PARTIAL_INCOMING: lambda apdu: apdu.setIncomingAndReceive(),
    APDU.STATE_FULL_INCOMING: lambda apdu: (apdu.setIncomingAndReceive(), apdu.receiveBytes(5)),
    APDU.STATE_OUTGOING: lambda apdu: apdu.setOutgoing(),
    APDU.STATE_OUTGOING_LENGTH_KNOWN: lambda apdu: (apdu.setOutgoing(),
                                                    apdu.setOutgoingLength(2)),
    APDU.STATE_PARTIAL_OUTGOING: lambda apdu: (apdu.setOutgoing(), apdu.setOutgoingLength(2),
                                               apdu.sendBytes(0, 1)),
    APDU.STATE_FULL_OUTGOING: lambda apdu: (apdu.setOutgoing(), apdu.setOutgoingLength(2),
                                            apdu.sendBytes(0, 2)),
}

CALLS: dict[str, Callable[[APDU], Any]] = {
    "setIncomingAndReceive": lambda apdu: apdu.setIncomingAndReceive(),
    "receiveBytes": lambda apdu: apdu.receiveBytes(5),
    "getIncomingLength": lambda apdu: apdu.getIncomingLength(),
    "getOffsetCdata": lambda apdu: apdu.getOffsetCdata(),
    "setOutgoing": lambda apdu: apdu.setOutgoing(),
    "setOutgoingNoChaining": lambda apdu: apdu.setOutgoingNoChaining(),
    "setOutgoingAndSend": lambda apdu: apdu.setOutgoingAndSend(0, 1),
    "setOutgoingLength": lambda apdu: apdu.setOutgoingLength(1),
    "sendBytes": lambda apdu: apdu.sendBytes(0, 1),
    "sendBytesLong": lambda apdu: apdu.sendBytesLong(b"\x00", 0, 1),
}

STATE_NAMES = {value: name for name, value in vars(APDU).items()
               if name.startswith("STATE_") and value in REACH}
WRONG_STATES = [(method, state) for method in CALLS for state in REACH
                if state not in ALLOWED_FROM[method]]
LONG_COMMAND = CommandAPDU(0x80, 0x10, 0x00, 0x00, bytes(range(255)), ne=256)


def test_every_method_of_the_state_table_is_exercised_here() -> None:
    assert set(ALLOWED_FROM) == set(CALLS)
    assert all(allowed <= set(REACH) for allowed in ALLOWED_FROM.values())


@pytest.mark.parametrize(("method", "state"), WRONG_STATES,
                         ids=[f"{m}-from-{STATE_NAMES[s]}" for m, s in WRONG_STATES])
def test_a_method_called_from_a_state_it_is_not_allowed_in_is_ILLEGAL_USE_and_keeps_the_state(
        protocol: str, method: str, state: int) -> None:
    sim = Simulator(protocol, apdu_buffer_size=133)
    seen: dict[str, int] = {}

    def script(apdu: APDU) -> None:
        REACH[state](apdu)
        seen["before"] = apdu.getCurrentState()
        try:
            CALLS[method](apdu)
        finally:
            seen["after"] = apdu.getCurrentState()

    install_probe(sim, answering_reason(script))
    # Under T=0 a response with data waits behind 61xx: the reason comes after the data.
    assert exchange(sim, bytes(LONG_COMMAND))[1] == ILLEGAL_USE
    assert seen == {"before": state, "after": state}


def misuse(sim: Simulator, script: Callable[[APDU], Any],
           command: bytes | str | CommandAPDU = "80 10 00 00 10",
           *, extended: bool = False) -> Response:
    """Run ``script`` in a probe; the whole answer, as the host collects it under either
    protocol."""
    install_probe(sim, answering_reason(script), extended=extended)
    raw = bytes(command) if isinstance(command, CommandAPDU) else command
    return Response(*exchange(sim, raw))


# --- receiving ------------------------------------------------------------------------------


def test_receiveBytes_at_a_negative_offset_is_BUFFER_BOUNDS(sim: Simulator) -> None:
    def script(apdu: APDU) -> None:
        apdu.setIncomingAndReceive()
        apdu.receiveBytes(-1)

    assert misuse(sim, script, "80 10 00 00 02 0102").sw == BUFFER_BOUNDS


def test_receiveBytes_without_room_for_one_block_is_BUFFER_BOUNDS() -> None:
    sim = Simulator("T=0", apdu_buffer_size=133)

    def script(apdu: APDU) -> None:
        apdu.setIncomingAndReceive()
        apdu.receiveBytes(133)

    assert misuse(sim, script, LONG_COMMAND).sw == BUFFER_BOUNDS


def test_receiveBytes_with_nothing_left_returns_0(sim: Simulator) -> None:
    counts: list[int] = []

    def script(apdu: APDU) -> None:
        counts.append(apdu.setIncomingAndReceive())
        counts.append(apdu.receiveBytes(5))

    assert misuse(sim, script, "80 10 00 00 02 0102").sw == 0x9000
    assert counts == [2, 0]


@pytest.mark.parametrize("command", ["80 10 00 00", "80 10 00 00 10"])
def test_setIncomingAndReceive_on_a_command_without_data_returns_0(
        sim: Simulator, command: str) -> None:
    seen: list[int] = []

    def script(apdu: APDU) -> None:
        seen.append(apdu.setIncomingAndReceive())
        seen.append(apdu.getCurrentState())
        seen.append(apdu.getIncomingLength())

    misuse(sim, script, command)
    assert seen == [0, APDU.STATE_FULL_INCOMING, 0]


# --- announcing the length ------------------------------------------------------------------


@pytest.mark.parametrize("length", [-1, 257, 32767])
def test_setOutgoingLength_out_of_range_without_ExtendedLength_is_BAD_LENGTH(
        sim: Simulator, length: int) -> None:
    def script(apdu: APDU) -> None:
        apdu.setOutgoing()
        apdu.setOutgoingLength(length)

    assert misuse(sim, script).sw == BAD_LENGTH


def test_setOutgoingLength_above_256_without_extended_length_is_BAD_LENGTH(
        sim: Simulator) -> None:
    states: list[int] = []

    def script(apdu: APDU) -> None:
        apdu.setOutgoing()
        try:
            apdu.setOutgoingLength(257)
        finally:
            states.append(apdu.getCurrentState())

    assert misuse(sim, script, "80 10 00 00 00").sw == BAD_LENGTH
    assert states == [APDU.STATE_OUTGOING]


def test_setOutgoingLength_256_without_ExtendedLength_is_allowed(sim: Simulator) -> None:
    def script(apdu: APDU) -> None:
        apdu.setOutgoing()
        apdu.setOutgoingLength(256)

    assert misuse(sim, script, "80 10 00 00 00").sw == 0x9000


@pytest.mark.parametrize(("length", "sw"), [(257, 0x9000), (32767, 0x9000), (32768, BAD_LENGTH),
                                            (-1, BAD_LENGTH)])
def test_setOutgoingLength_for_an_ExtendedLength_applet_allows_up_to_32767(
        t1: Simulator, length: int, sw: int) -> None:
    def script(apdu: APDU) -> None:
        apdu.setOutgoing()
        apdu.setOutgoingLength(length)

    assert misuse(t1, script, "80 10 00 00 00 00 00", extended=True).sw == sw


@pytest.mark.parametrize(("length", "sw"), [(252, 0x9000), (253, BAD_LENGTH)])
def test_setOutgoingLength_without_chaining_under_T1_is_limited_to_IFSD_minus_2(
        t1: Simulator, length: int, sw: int) -> None:
    def script(apdu: APDU) -> None:
        apdu.setOutgoingNoChaining()
        apdu.setOutgoingLength(length)

    assert misuse(t1, script, "80 10 00 00 00 00 00", extended=True).sw == sw


@pytest.mark.parametrize(("length", "sw"), [(256, 0x9000), (257, BAD_LENGTH)])
def test_setOutgoingLength_without_chaining_under_T0_is_limited_to_256(
        length: int, sw: int) -> None:
    def script(apdu: APDU) -> None:
        apdu.setOutgoingNoChaining()
        apdu.setOutgoingLength(length)

    assert misuse(Simulator("T=0"), script, "80 10 00 00 00 00 00", extended=True).sw == sw


def test_setOutgoingLength_with_chaining_under_T0_allows_more_than_256() -> None:
    sim = Simulator("T=0")

    def script(apdu: APDU) -> None:
        apdu.setOutgoing()
        apdu.setOutgoingLength(257)

    assert misuse(sim, script, "80 10 00 00 00 00 00", extended=True).sw == 0x9000


# --- sending --------------------------------------------------------------------------------


@pytest.mark.parametrize(("offset", "length"), [(-1, 1), (0, -1), (32775, 2), (32776, 1)])
def test_sendBytes_outside_the_buffer_is_BUFFER_BOUNDS(
        sim: Simulator, offset: int, length: int) -> None:
    def script(apdu: APDU) -> None:
        assert len(apdu.getBuffer()) == 32776
        apdu.setOutgoing()
        apdu.setOutgoingLength(2)
        apdu.sendBytes(offset, length)

    assert misuse(sim, script).sw == BUFFER_BOUNDS


def test_sendBytes_more_than_announced_is_ILLEGAL_USE_and_sends_nothing_more(
        t1: Simulator) -> None:
    def script(apdu: APDU) -> None:
        apdu.setOutgoing()
        apdu.setOutgoingLength(3)
        apdu.sendBytes(0, 2)
        apdu.sendBytes(2, 2)

    response = misuse(t1, script)
    assert (response.data, response.sw) == (b"\x80\x10", ILLEGAL_USE)


def test_sendBytesLong_more_than_announced_is_ILLEGAL_USE(sim: Simulator) -> None:
    def script(apdu: APDU) -> None:
        apdu.setOutgoing()
        apdu.setOutgoingLength(3)
        apdu.sendBytesLong(b"\x01\x02\x03\x04", 0, 4)

    response = misuse(sim, script, "80 10 00 00")
    assert (response.data, response.sw) == (b"", ILLEGAL_USE)


def test_sendBytesLong_from_null_is_a_NullPointerException(t1: Simulator) -> None:
    raised: list[type] = []

    def script(apdu: APDU) -> None:
        apdu.setOutgoing()
        apdu.setOutgoingLength(1)
        try:
            apdu.sendBytesLong(None, 0, 1)
        except NullPointerException as exc:
            raised.append(type(exc))

    misuse(t1, script)
    assert raised == [NullPointerException]


@pytest.mark.parametrize(("offset", "length"), [(-1, 1), (0, -1), (3, 2)])
def test_sendBytesLong_outside_its_array_is_ArrayIndexOutOfBounds(
        t1: Simulator, offset: int, length: int) -> None:
    raised: list[type] = []

    def script(apdu: APDU) -> None:
        apdu.setOutgoing()
        apdu.setOutgoingLength(2)
        try:
            apdu.sendBytesLong(b"\x01\x02\x03\x04", offset, length)
        except ArrayIndexOutOfBoundsException as exc:
            raised.append(type(exc))

    misuse(t1, script)
    assert raised == [ArrayIndexOutOfBoundsException]


@pytest.mark.parametrize(("offset", "length", "sw"), [
    (0, 257, BAD_LENGTH), (0, -1, BAD_LENGTH), (-1, 1, BUFFER_BOUNDS), (32775, 2, BUFFER_BOUNDS),
])
def test_setOutgoingAndSend_checks_the_length_then_the_buffer_bounds(
        sim: Simulator, offset: int, length: int, sw: int) -> None:
    states: list[int] = []

    def script(apdu: APDU) -> None:
        try:
            apdu.setOutgoingAndSend(offset, length)
        finally:
            states.append(apdu.getCurrentState())

    assert misuse(sim, script).sw == sw
    assert states == [APDU.STATE_INITIAL]


def test_setOutgoingAndSend_twice_is_ILLEGAL_USE_and_keeps_the_first_answer(
        t1: Simulator) -> None:
    def script(apdu: APDU) -> None:
        apdu.setOutgoingAndSend(0, 2)
        apdu.setOutgoingAndSend(0, 2)

    response = misuse(t1, script)
    assert (response.data, response.sw) == (b"\x80\x10", ILLEGAL_USE)


def test_an_uncaught_APDUException_is_6F00(t1: Simulator) -> None:
    def script(apdu: APDU) -> None:
        apdu.setOutgoingLength(1)

    install_probe(t1, script)
    assert t1.transmit("80 10 00 00").sw == 0x6F00


# --- static methods and waitExtension -------------------------------------------------------


def test_waitExtension_after_setOutgoingNoChaining_is_ILLEGAL_USE(sim: Simulator) -> None:
    def script(apdu: APDU) -> None:
        apdu.setOutgoingNoChaining()
        APDU.waitExtension()

    assert misuse(sim, script).sw == ILLEGAL_USE


def test_getCurrentAPDU_during_install_or_select_is_a_SecurityException(t1: Simulator) -> None:
    raised: list[str] = []

    class Curious(Applet):
        def __init__(self) -> None:
            try:
                APDU.getCurrentAPDU()
            except SecurityException:
                raised.append("install")

        def select(self) -> bool:
            try:
                APDU.getCurrentAPDUBuffer()
            except SecurityException:
                raised.append("select")
            return True

        def process(self, apdu: APDU) -> None:
            APDU.getCurrentAPDU()

    t1.install(Curious, PROBE_AID)
    assert t1.select(PROBE_AID).sw == 0x9000
    assert raised == ["install", "select"]
