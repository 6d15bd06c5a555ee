"""The lean command path answers exactly as the general one (jcsim.runtime.commands).

Two identical cards get the same commands; one answers through ``Card.respond`` (the lean path
wherever it applies), the other through the general path alone. After every command both must
have answered the same data and status word (or raised the same error) and be in the same
state: channels and their selections, T=0 responses waiting, the applets' fields, the journal
and its write counts, memory, the JCRE's context, and the events an observer heard.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jcsim import Simulator
from jcsim.errors import JCSimError
from jcsim.framework import (
    APDU,
    ISO7816,
    Applet,
    ExtendedLength,
    ISOException,
    JCSystem,
    MultiSelectable,
    ShortArray,
    Util,
)
from jcsim.framework.casts import short
from jcsim.runtime.events import Exchange

FIRST_AID = bytes.fromhex("F000000077" "01")
SECOND_AID = bytes.fromhex("F000000077" "02")
EXTENDED_AID = bytes.fromhex("F000000077" "03")
AIDS = (FIRST_AID, SECOND_AID, EXTENDED_AID)


class Scripted(MultiSelectable, Applet):
    """Each INS exercises one thing the JCRE does around ``process``. MultiSelectable, so its
    instances can be active on several channels at once."""

    def __init__(self) -> None:
        self.counter = 0
        self.log = ShortArray(4)
        self.scratch = JCSystem.makeTransientByteArray(8, JCSystem.CLEAR_ON_DESELECT)

    def process(self, apdu: APDU) -> None:
        buf = apdu.getBuffer()
        ins, p1, p2 = buf[ISO7816.OFFSET_INS], buf[ISO7816.OFFSET_P1], buf[ISO7816.OFFSET_P2]
        if self.selectingApplet():
            self.scratch[0] = (self.scratch[0] + 1) & 0xFF
            return
        if ins == 0x01:  # echo
            count = apdu.setIncomingAndReceive()
            apdu.setOutgoingAndSend(ISO7816.OFFSET_CDATA, count)
        elif ins == 0x02:  # ISOException with P1P2 as its reason, after some data
            if p1 & 0x01:
                apdu.setOutgoing()
                apdu.setOutgoingLength(2)
                apdu.sendBytes(0, 2)
            ISOException.throwIt((p1 << 8) | p2)
        elif ins == 0x03:  # a Python exception after sending data: 6F00, no data
            apdu.setOutgoingAndSend(0, p2 % 8)
            raise RuntimeError("applet bug")
        elif ins == 0x04:  # a transaction left open: the JCRE aborts it
            JCSystem.beginTransaction()
            self.counter = short(self.counter + 1)
            self.log[self.counter & 3] = p2
            if p1:
                ISOException.throwIt(0x6A80 + p1 % 4)
        elif ins == 0x05:  # a committed transaction
            JCSystem.beginTransaction()
            self.counter = short(self.counter + 1)
            self.log[self.counter & 3] = p2
            JCSystem.commitTransaction()
        elif ins == 0x06:  # a response of P2 bytes (61xx / 6Cxx under T=0)
            expected = apdu.setOutgoing()
            length = min(p2, expected)
            apdu.setOutgoingLength(length)
            apdu.sendBytesLong(bytes(range(256)), 0, length)
        elif ins == 0x07:  # what the applet sees of the command and of the JCRE
            flags = ((apdu.isCommandChainingCLA() << 0) | (apdu.isSecureMessagingCLA() << 1)
                     | (apdu.isISOInterindustryCLA() << 2) | (apdu.isValidCLA() << 3)
                     | (self.selectingApplet() << 4) | (JCSystem.getTransactionDepth() << 5))
            values = (APDU.getCLAChannel(), JCSystem.getAssignedChannel(), APDU.getProtocol(),
                      apdu.getCurrentState(), flags, APDU.getInBlockSize() & 0xFF,
                      APDU.getOutBlockSize() & 0xFF, len(buf) >> 8, self.scratch[0])
            for index, value in enumerate(values):
                buf[index] = value & 0xFF
            apdu.setOutgoingAndSend(0, len(values))
        elif ins == 0x08:  # the command data in pieces, then its sum
            count = apdu.setIncomingAndReceive()
            total = sum(buf[ISO7816.OFFSET_CDATA + i] for i in range(count))
            while apdu.getCurrentState() == APDU.STATE_PARTIAL_INCOMING:
                got = apdu.receiveBytes(ISO7816.OFFSET_CDATA)
                total += sum(buf[ISO7816.OFFSET_CDATA + i] for i in range(got))
            Util.setShort(buf, 0, short(total))
            apdu.setOutgoingAndSend(0, 2)
        elif ins == 0x09:  # APDU misuse: APDUException(ILLEGAL_USE) is 6F00
            apdu.setOutgoingAndSend(0, 1)
            apdu.setOutgoingAndSend(0, 1)
        elif ins == 0x0A:  # a persistent write and garbage, then object deletion
            self.counter = short(self.counter + 1)
            ShortArray(3)  # unreachable at once: the deletion reclaims it
            JCSystem.requestObjectDeletion()
        elif ins == 0x0B:  # the buffer as this command found it: header, data, zeros
            apdu.setOutgoingAndSend(0, 12)
        elif ins == 0x0C:  # write far into the buffer: the next command must find zeros
            buf[1000] = 0x55
            buf[len(buf) - 1] = 0xAA
            Util.arrayFillNonAtomic(buf, 5, 7, 0x33)
            Util.setShort(buf, 0, buf[1000] + buf[len(buf) - 1])
            apdu.setOutgoingAndSend(0, 2)
        elif ins == 0x0D:  # a response without chaining
            apdu.setOutgoingNoChaining()
            apdu.setOutgoingLength(p2 % 16)
            apdu.sendBytes(0, p2 % 16)
        elif ins == 0x0E:  # Ne as setOutgoing() gives it, and Nc
            Util.setShort(buf, 0, apdu.setOutgoing())
            buf[2] = buf[ISO7816.OFFSET_LC]
            apdu.setOutgoingLength(3)
            apdu.sendBytes(0, 3)
        else:
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)


class ScriptedExtended(ExtendedLength, Scripted):
    """``Scripted`` for extended-length commands."""


def make_card(protocol: str, *, default: bool = True) -> tuple[Simulator, list[Exchange]]:
    sim = Simulator(protocol)
    sim.install(Scripted, FIRST_AID, default=default)
    sim.install(Scripted, SECOND_AID)
    sim.install(ScriptedExtended, EXTENDED_AID)
    sim.reset()  # selects the default applet
    heard: list[Exchange] = []
    sim.subscribe(heard.append)
    return sim, heard


def general_only(sim: Simulator) -> Simulator:
    """``sim`` answering every command through the general path."""
    sim.card.respond = sim.card._respond_generally  # type: ignore[method-assign,assignment]
    return sim


def card_state(sim: Simulator) -> Any:
    card = sim.card
    channels = {
        name: [(ch.is_open, None if ch.selected is None else bytes(ch.selected.aid or b""),
                ch.pending, ch.reissue) for ch in iface.channels]
        for name, iface in card.interfaces.items()}
    applets = []
    for record in card.registry.applets:
        instance = record.instance
        fields = object.__getattribute__(instance, "__dict__")
        applets.append((bytes(record.aid or b""), fields.get("counter"),
                        list(fields["log"]) if "log" in fields else None,
                        bytes(fields["scratch"]) if "scratch" in fields else None))
    journal = card.journal
    return (channels, sorted(card.powered_interfaces), applets,
            (journal.depth, journal.used, journal.writes, journal.total_writes),
            sim.memory(), card.context, list(card.context_stack), card._cla_channel,
            card.assigned_channel_number, card.selecting is None, card._apdu)


def outcome(sim: Simulator, command: bytes, interface: str) -> Any:
    try:
        response = sim.transmit(command, interface=interface)
    except JCSimError as exc:
        return type(exc).__name__, str(exc)
    return response.data, response.sw


def select(aid: bytes, cla: int = 0x00) -> bytes:
    return bytes((cla, 0xA4, 0x04, 0x00, len(aid))) + aid + b"\x00"


# --- command strategies ------------------------------------------------------------------------

CLASSES = st.sampled_from([0x00, 0x80, 0x01, 0x81, 0x02, 0x83, 0x40, 0x41, 0xC2, 0x0C, 0x10,
                           0x90, 0x20, 0xFF, 0x60])
INSTRUCTIONS = st.sampled_from([*range(0x01, 0x0F), 0xA4, 0x70, 0xC0, 0x33])
BYTE = st.one_of(st.sampled_from([0, 1, 2, 0x10, 0xFF]), st.integers(0, 255))
DATA = st.binary(min_size=1, max_size=24)
BODIES = st.one_of(
    st.just(b""),  # case 1
    BYTE.map(lambda le: bytes((le,))),  # case 2S
    DATA.map(lambda d: bytes((len(d),)) + d),  # case 3S
    st.tuples(DATA, BYTE).map(lambda t: bytes((len(t[0]),)) + t[0] + bytes((t[1],))),  # 4S
    st.integers(0, 0xFFFF).map(lambda le: b"\x00" + le.to_bytes(2, "big")),  # case 2E
    DATA.map(lambda d: b"\x00" + len(d).to_bytes(2, "big") + d),  # case 3E
    st.tuples(DATA, st.integers(0, 0xFFFF)).map(
        lambda t: b"\x00" + len(t[0]).to_bytes(2, "big") + t[0] + t[1].to_bytes(2, "big")),
    st.binary(max_size=6),  # anything, mostly malformed
)
SHORT_BODIES = st.one_of(
    BYTE.map(lambda le: bytes((le,))),
    DATA.map(lambda d: bytes((len(d),)) + d),
    st.tuples(DATA, BYTE).map(lambda t: bytes((len(t[0]),)) + t[0] + bytes((t[1],))))
ANY_COMMAND = st.builds(lambda cla, ins, p1, p2, body: bytes((cla, ins, p1, p2)) + body,
                        CLASSES, INSTRUCTIONS, BYTE, BYTE, BODIES)
# What the lean path takes, mostly: a short case 2-4 command for the applet, on channels 0-3.
APPLET_COMMAND = st.builds(lambda cla, ins, p1, p2, body: bytes((cla, ins, p1, p2)) + body,
                           st.sampled_from([0x00, 0x80, 0x01, 0x81, 0x02, 0x82, 0x43, 0xC1,
                                            0x0C, 0x10]),
                           st.integers(0x01, 0x0E), BYTE, BYTE, SHORT_BODIES)
SELECTS = st.builds(select, st.sampled_from([*AIDS, FIRST_AID[:4], b"\xA0\x00\x00\x00\x99"]),
                    st.sampled_from([0x00, 0x01, 0x02, 0x03, 0x41]))
MANAGE_CHANNEL = st.one_of(
    st.sampled_from([0x00, 0x00, 0x01]).map(lambda cla: bytes((cla, 0x70, 0x00, 0x00, 0x01))),
    st.integers(0, 5).map(lambda n: bytes((0x00, 0x70, 0x80, n))))
GET_RESPONSE = st.builds(lambda cla, le: bytes((cla, 0xC0, 0x00, 0x00, le)),
                         st.sampled_from([0x00, 0x01, 0x80]), BYTE)
TOO_SHORT = st.binary(max_size=3)
COMMANDS = st.one_of(APPLET_COMMAND, APPLET_COMMAND, APPLET_COMMAND, APPLET_COMMAND,
                     ANY_COMMAND, SELECTS, MANAGE_CHANNEL, GET_RESPONSE, TOO_SHORT)
ACTIONS = st.one_of(
    COMMANDS.map(lambda c: ("transmit", c)), COMMANDS.map(lambda c: ("transmit", c)),
    COMMANDS.map(lambda c: ("transmit", c)), COMMANDS.map(lambda c: ("transmit", c)),
    st.just(("reset", b"")), st.just(("power_off", b"")), st.just(("power_on", b"")),
    st.integers(0, 3).map(lambda n: ("tear", n)))


def apply(sim: Simulator, action: tuple[str, Any], interface: str) -> Any:
    kind, argument = action
    if kind == "transmit":
        return outcome(sim, argument, interface)
    if kind == "tear":
        sim.arm_tear(after_writes=argument)
        return None
    try:
        return getattr(sim, kind)()
    except JCSimError as exc:
        return type(exc).__name__, str(exc)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(protocol=st.sampled_from(["T=0", "T=1"]), data=st.data())
def test_the_lean_path_and_the_general_path_answer_alike(protocol: str, data: Any) -> None:
    lean, lean_heard = make_card(protocol)
    general, general_heard = make_card(protocol)
    general_only(general)
    last_command = b""
    for _ in range(data.draw(st.integers(1, 40), label="length")):
        interface = data.draw(st.sampled_from(["contact", "contact", "contactless"]))
        action = data.draw(ACTIONS)
        if last_command and data.draw(st.integers(0, 4)) == 0:
            # A re-issue of the last command with another P3, as after 6Cxx.
            action = ("transmit", last_command[:4] + bytes((data.draw(BYTE),)))
        if action[0] == "transmit":
            last_command = action[1]
        assert apply(lean, action, interface) == apply(general, action, interface), action
        assert card_state(lean) == card_state(general), action
        assert lean_heard == general_heard


SHAPES = ["", "00", "01", "10", "FF", "02 AA BB", "03 01 02 03 00", "01 7F 01", "02 AA BB FF",
          "00 00 02", "00 00 02 AA BB", "00 00 01 AA 00 00"]


@pytest.mark.parametrize("protocol", ["T=0", "T=1"])
def test_every_instruction_and_length_shape_answers_alike_on_both_paths(protocol: str) -> None:
    """Each INS of ``Scripted`` with each length shape (cases 1 to 4E, Le 00), on channels 0
    and 1 of both interfaces, in one sequence: the same answers and the same states."""
    lean, lean_heard = make_card(protocol)
    general, general_heard = make_card(protocol)
    general_only(general)
    for sim in (lean, general):
        assert sim.open_channel() == 1
        assert sim.select(SECOND_AID, 1, interface="contactless").sw == 0x9000
    for interface in ("contact", "contactless"):
        for cla in (0x80, 0x00, 0x0C, 0x10, 0x81, 0x01):
            for ins in range(0x01, 0x0F):
                for p2 in (0x00, 0x03, 0xFF):
                    for shape in SHAPES:
                        command = bytes((cla, ins, 0x00, p2)) + bytes.fromhex(shape)
                        assert outcome(lean, command, interface) == \
                            outcome(general, command, interface), command.hex()
                        assert card_state(lean) == card_state(general), command.hex()
    assert lean_heard == general_heard


# --- which path each kind of command takes ------------------------------------------------------

def counting_general_path(sim: Simulator) -> list[bytes]:
    """The commands ``sim`` sends down the general path, from now on."""
    taken: list[bytes] = []
    general = sim.card._respond_generally

    def counted(raw: bytes, interface: str) -> tuple[bytes, int]:
        taken.append(raw)
        return general(raw, interface)

    sim.card._respond_generally = counted  # type: ignore[method-assign]
    return taken


LEAN = [
    "81 01 00 00 02 AA BB",  # case 3
    "81 01 00 00 02 AA BB 00",  # case 4
    "81 06 00 10 10",  # case 2
    "01 07 00 00 00",
    "81 02 01 6A 82",  # an ISOException after data
    "81 03 00 04 00",  # a Python exception: 6F00
    "81 04 01 00 00",  # a transaction left open
    "01 C0 00 00 02",  # GET RESPONSE with nothing waiting goes to the applet
]
GENERAL = [
    "80 07 00 00",  # case 1
    "80 01 00 00 00 00 02 AA BB",  # extended
    "80 01 00 00 03 AA BB",  # inconsistent Lc
    "80 01 00",  # too short
    "20 01 00 00 00",  # invalid class
    "00 A4 04 00 06 F0 00 00 00 77 01 00",  # applet SELECT
    "80 A4 00 00 02 3F 00",  # any INS A4
    "00 70 00 00 01",  # MANAGE CHANNEL
    "02 01 00 00 01 AA",  # a closed channel
]


@pytest.mark.parametrize("command", LEAN)
def test_a_short_command_for_the_selected_applet_takes_the_lean_path(command: str) -> None:
    sim, _ = make_card("T=1", default=False)
    assert sim.open_channel() == 1
    assert sim.select(FIRST_AID, 1).sw == 0x9000
    general, _ = make_card("T=1", default=False)
    assert general.open_channel() == 1
    assert general.select(FIRST_AID, 1).sw == 0x9000
    general_only(general)
    taken = counting_general_path(sim)
    assert outcome(sim, bytes.fromhex(command), "contact") == \
        outcome(general, bytes.fromhex(command), "contact")
    assert taken == []
    assert card_state(sim) == card_state(general)


@pytest.mark.parametrize("command", GENERAL)
def test_every_other_command_falls_back_to_the_general_path(command: str) -> None:
    sim, _ = make_card("T=1")
    general, _ = make_card("T=1")
    general_only(general)
    taken = counting_general_path(sim)
    raw = bytes.fromhex(command)
    assert outcome(sim, raw, "contact") == outcome(general, raw, "contact")
    assert taken == [raw]
    assert card_state(sim) == card_state(general)


def test_a_waiting_T0_response_an_armed_tear_and_no_power_fall_back(protocol: str) -> None:
    """GET RESPONSE for a waiting response is the one T=0 continuation on the lean path."""
    sim, _ = make_card(protocol)
    taken = counting_general_path(sim)
    case4 = bytes.fromhex("80 01 00 00 02 AA BB 00")
    first = sim.transmit(case4)
    assert taken == []
    if protocol == "T=0":
        assert (first.data, first.sw) == (b"", 0x6102)
        # GET RESPONSE for the waiting response is served on the lean path...
        assert sim.transmit(bytes.fromhex("00 C0 00 00 02")).data == b"\xAA\xBB"
        assert taken == []
        # ...any other command meanwhile discards it, on the general path...
        assert sim.transmit(case4).sw == 0x6102
        assert (sim.transmit(case4).sw, len(taken)) == (0x6102, 1)
        # ...and so does the re-issue a 6Cxx asks for.
        case2 = bytes.fromhex("80 06 00 03 00")
        assert sim.transmit(case2).sw == 0x6C03
        assert sim.transmit(case2[:4] + b"\x03").data == bytes(range(3))
        assert len(taken) == 3  # case2 itself went the general way: a response was waiting
    else:
        assert (first.data, first.sw) == (b"\xAA\xBB", 0x9000)
    taken.clear()
    sim.arm_tear(after_writes=5)
    assert sim.transmit(case4).sw in (0x9000, 0x6102)  # an echo writes nothing: no tear
    assert taken == [case4]
    sim.power_off()
    with pytest.raises(JCSimError, match="no power"):
        sim.transmit(case4)
    assert taken == [case4, case4]


def test_the_buffer_is_zeroed_even_while_an_applet_holds_a_view_of_it() -> None:
    sim, _ = make_card("T=1")
    assert sim.transmit(bytes.fromhex("80 0C 00 00 00")).data == b"\x00\xFF"
    apdu = sim.card.interfaces["contact"].apdu
    view = memoryview(apdu._buffer)  # the buffer's storage cannot move while this lives
    try:
        # The header and Lc; the data stays out of the buffer until the applet receives it.
        assert sim.transmit(bytes.fromhex("80 0B 00 00 02 11 22")).data == \
            bytes.fromhex("80 0B 00 00 02") + bytes(7)
        assert view[1000] == 0 and view[len(view) - 1] == 0
    finally:
        view.release()


def test_responses_without_data_are_shared_per_status_word_and_stay_immutable() -> None:
    import attrs

    sim, _ = make_card("T=1")
    first = sim.transmit(bytes.fromhex("80 02 00 00 00"))  # ISOException(0x0000): SW 0000
    again = sim.transmit(bytes.fromhex("80 02 00 00 00"))
    other = sim.transmit(bytes.fromhex("80 33 00 00 00"))
    assert (first.data, first.sw, other.data, other.sw) == (b"", 0x0000, b"", 0x6D00)
    assert again is first and other is not first
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        first.sw = 0x9000  # type: ignore[misc]
    echoed = sim.transmit(bytes.fromhex("80 01 00 00 01 5A"))
    assert (echoed.data, echoed.sw) == (b"\x5A", 0x9000)


class SignedReason(ISOException):
    """An ISOException whose getReason answers the Java short, as a Java subclass might."""

    def getReason(self) -> int:
        reason = super().getReason()
        return reason - 0x10000 if reason & 0x8000 else reason


class ThrowsSigned(Applet):
    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        raise SignedReason(0x9C01)


def test_a_negative_short_reason_is_the_status_word_it_stands_for(protocol: str) -> None:
    sim = Simulator(protocol)
    sim.install(ThrowsSigned, "F0 00 00 00 77 09")
    assert sim.select("F0 00 00 00 77 09").sw == 0x9000
    assert sim.transmit("80 01 00 00 00").sw == 0x9C01
    assert sim.card.exchange(bytes.fromhex("80 01 00 00 00")) == b"\x9C\x01"
