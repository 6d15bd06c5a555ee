"""Logical channels: class byte decoding (JCRE 3.0.5 §4.4), MANAGE CHANNEL OPEN and CLOSE
(§4.6.1, §4.7.1), SELECT FILE on any channel (§4.6.2), other commands (§4.8) and T=0
GET RESPONSE per channel.

Every status word the JCRE can answer here has a test that provokes it next to one where the
same command succeeds, and the order of the checks is pinned by commands that fail two of them.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import pytest

from jcsim import Response, Simulator
from jcsim.framework import APDU, Applet, JCSystem, MultiSelectable
from tests.helpers import ECHO_AID, Echo
from tests.runtime.channel_fixtures import (
    AIDS,
    UNKNOWN_AID,
    Call,
    install_recorders,
    report,
)

# --- class byte decoding, all 256 values ----------------------------------------------------


class ExpectedCLA(NamedTuple):
    channel: int
    chaining: bool
    secure_messaging: bool
    interindustry: bool


def expected_cla(cla: int) -> ExpectedCLA | None:
    """The programming notes' CLA table, written out range by range (independently of
    ``jcsim.framework.cla``); None for the classes the card answers 6E00."""
    if 0x20 <= cla <= 0x3F or cla == 0xFF:
        return None  # RFU, and FF (PPS in ISO 7816-3)
    interindustry = cla < 0x80
    chaining = cla & 0x10 != 0  # 0x1X, 0x5X, 0x7X, 0x9X, 0xBX, 0xDX, 0xFX
    if cla < 0x20 or 0x80 <= cla <= 0xBF:
        # Type 4 (first interindustry, and proprietary 0x8X-0xBX): channel in b2b1, SM in b4b3.
        return ExpectedCLA(cla & 0x03, chaining, cla & 0x0C != 0, interindustry)
    # Type 16 (further interindustry 0x4X-0x7X, proprietary 0xCX-0xFX): channel b4..b1 + 4,
    # SM in b6 (0x6X, 0x7X, 0xEX, 0xFX).
    return ExpectedCLA((cla & 0x0F) + 4, chaining, cla & 0x20 != 0, interindustry)


class CLAReporter(Applet, MultiSelectable):
    """Answers what the APDU class says about the command's CLA. MultiSelectable, so that one
    instance can be selected on all twenty channels at once."""

    def select(self, appInstAlreadyActive: bool | None = None) -> bool:
        return True

    def deselect(self, appInstStillActive: bool | None = None) -> None:
        return None

    def process(self, apdu: APDU) -> None:
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        cla = buf[0]
        buf[1] = APDU.getCLAChannel()
        buf[2] = JCSystem.getAssignedChannel()
        buf[3] = 1 if apdu.isCommandChainingCLA() else 0
        buf[4] = 1 if apdu.isSecureMessagingCLA() else 0
        buf[5] = 1 if apdu.isISOInterindustryCLA() else 0
        buf[6] = 1 if apdu.isValidCLA() else 0
        buf[0] = cla  # the JCRE forwards the CLA as sent, channel bits included
        apdu.setOutgoingAndSend(0, 7)


REPORTER_AID = "F0 00 00 00 0C 01"
INTERFACES = ["contact", "contactless"]


def reporter_on_every_channel(interface: str) -> Simulator:
    sim = Simulator("T=1")
    sim.install(CLAReporter, REPORTER_AID)
    for channel in range(20):
        assert sim.select(REPORTER_AID, channel, interface=interface).sw == 0x9000
    return sim


@pytest.mark.parametrize("interface", INTERFACES)
def test_all_256_class_bytes_reach_the_channel_the_table_gives_with_its_flags_or_6E00(
        interface: str) -> None:
    sim = reporter_on_every_channel(interface)
    mismatches = []
    for cla in range(256):
        response = sim.transmit(bytes((cla, 0xCA, 0x00, 0x00, 0x07)), interface=interface)
        expected = expected_cla(cla)
        if expected is None:
            wanted = Response(b"", 0x6E00)
        else:
            wanted = Response(bytes((cla, expected.channel, expected.channel,
                                     expected.chaining, expected.secure_messaging,
                                     expected.interindustry, True)), 0x9000)
        if response != wanted:
            mismatches.append(f"CLA {cla:02X}: got {response!r}, wanted {wanted!r}")
    assert mismatches == []


@pytest.mark.parametrize("interface", INTERFACES)
def test_all_256_class_bytes_on_a_card_with_only_the_basic_channel_open(interface: str) -> None:
    # The answers a host sees first: 6E00 for an invalid class, 6881 for a class naming a
    # channel that is not open, and the applet's answer for channel 0.
    sim = Simulator("T=1")
    sim.install(CLAReporter, REPORTER_AID)
    assert sim.select(REPORTER_AID, interface=interface).sw == 0x9000
    mismatches = []
    for cla in range(256):
        sw = sim.transmit(bytes((cla, 0xCA, 0x00, 0x00, 0x07)), interface=interface).sw
        expected = expected_cla(cla)
        wanted = 0x6E00 if expected is None else 0x9000 if expected.channel == 0 else 0x6881
        if sw != wanted:
            mismatches.append(f"CLA {cla:02X}: got {sw:04X}, wanted {wanted:04X}")
    assert mismatches == []


def test_the_reporter_sees_the_flags_of_a_chained_secure_messaging_class_on_channel_19() -> None:
    # One readable example of the table: 0x7F is interindustry type 16, SM, chaining, channel 19.
    sim = reporter_on_every_channel("contact")
    response = sim.transmit("7F CA 00 00 07")
    assert response == Response(bytes((0x7F, 19, 19, 1, 1, 1, 1)), 0x9000)


def test_isISOInterindustryCLA_reads_b8_even_of_a_class_the_applet_wrote_itself() -> None:
    seen: list[tuple[bool, bool]] = []

    class Rewriter(Applet):
        def process(self, apdu: APDU) -> None:
            if self.selectingApplet():
                return
            apdu.getBuffer()[0] = 0x25  # RFU: the JCRE never forwards it, an applet may write it
            seen.append((apdu.isISOInterindustryCLA(), apdu.isValidCLA()))

    sim = Simulator("T=1")
    sim.install(Rewriter, REPORTER_AID)
    sim.select(REPORTER_AID)
    sim.transmit("80 CA 00 00")
    assert seen == [(True, False)]


# --- commands on channels -------------------------------------------------------------------


def test_a_command_on_a_channel_that_is_not_open_is_6881_and_reaches_no_applet(
        t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1",))
    t1.select(AIDS["M1"])
    recorders.log.clear()
    assert t1.transmit("80 10 00 00 04", channel=7).sw == 0x6881
    assert t1.transmit("80 10 00 00 04", channel=0).sw == 0x9000
    assert recorders.log == []


def test_an_open_channel_with_no_applet_answers_6999(t1: Simulator) -> None:
    install_recorders(t1, ("M1",))
    assert t1.transmit("00 70 00 03") == Response(b"", 0x9000)
    assert t1.transmit("80 10 00 00 04", channel=3).sw == 0x6999
    t1.select(AIDS["M1"], 3)
    assert t1.transmit("80 10 00 00 04", channel=3).sw == 0x9000


def test_each_channel_has_its_own_selected_applet(t1: Simulator) -> None:
    install_recorders(t1, ("M1", "S1"))
    t1.select(AIDS["M1"], 0)
    t1.select(AIDS["S1"], 6)
    assert t1.selected(0).value.hex().upper() == AIDS["M1"].replace(" ", "")
    assert t1.selected(6).value.hex().upper() == AIDS["S1"].replace(" ", "")
    assert report(t1, 0).assigned == 0
    assert report(t1, 6).assigned == 6


# --- MANAGE CHANNEL OPEN --------------------------------------------------------------------


def test_open_with_P2_0_assigns_the_lowest_free_channel_and_answers_its_number(
        sim: Simulator) -> None:
    assert sim.transmit("00 70 00 00 01") == Response(b"\x01", 0x9000)
    assert sim.transmit("00 70 00 00 01") == Response(b"\x02", 0x9000)
    assert sim.transmit("00 70 80 01") == Response(b"", 0x9000)
    assert sim.transmit("00 70 00 00 01") == Response(b"\x01", 0x9000)
    assert sim.transmit("00 70 00 00 01") == Response(b"\x03", 0x9000)


@pytest.mark.parametrize("command", ["00 70 00 00", "00 70 00 00 02", "00 70 00 00 00"],
                         ids=["no-Le", "Le-2", "Le-256"])
def test_open_with_P2_0_and_Le_other_than_1_is_6C01_and_opens_nothing(
        sim: Simulator, command: str) -> None:
    assert sim.transmit(command) == Response(b"", 0x6C01)
    assert sim.open_channels() == [0]


def test_under_T0_the_6C01_of_MANAGE_CHANNEL_is_answered_by_re_issuing_with_P3_01() -> None:
    t0 = Simulator("T=0")
    assert t0.transmit("00 70 00 00 00") == Response(b"", 0x6C01)
    assert t0.transmit("00 70 00 00 01") == Response(b"\x01", 0x9000)


def test_open_with_P2_0_when_all_19_channels_are_open_is_6A81(sim: Simulator) -> None:
    for expected in range(1, 20):
        assert sim.transmit("00 70 00 00 01") == Response(bytes((expected,)), 0x9000)
    assert sim.transmit("00 70 00 00 01") == Response(b"", 0x6A81)
    assert sim.transmit("00 70 80 0B").sw == 0x9000
    assert sim.transmit("00 70 00 00 01") == Response(b"\x0B", 0x9000)


def test_open_of_a_named_channel_answers_9000_without_data(sim: Simulator) -> None:
    assert sim.transmit("00 70 00 13") == Response(b"", 0x9000)
    assert sim.open_channels() == [0, 19]


def test_open_of_a_named_channel_that_is_already_open_is_6A86(sim: Simulator) -> None:
    assert sim.transmit("00 70 00 05").sw == 0x9000
    assert sim.transmit("00 70 00 05") == Response(b"", 0x6A86)
    assert sim.open_channels() == [0, 5]


@pytest.mark.parametrize("p2", [20, 0x7F, 0xFF])
def test_open_of_a_channel_beyond_19_is_6A81(sim: Simulator, p2: int) -> None:
    assert sim.transmit(bytes((0x00, 0x70, 0x00, p2))) == Response(b"", 0x6A81)
    assert sim.transmit(bytes((0x00, 0x70, 0x00, 19))) == Response(b"", 0x9000)


@pytest.mark.parametrize("p1", [0x01, 0x40, 0x7F, 0x81, 0xFF])
def test_MANAGE_CHANNEL_with_P1_neither_00_nor_80_is_6A81(sim: Simulator, p1: int) -> None:
    assert sim.transmit(bytes((0x00, 0x70, p1, 0x01))) == Response(b"", 0x6A81)
    assert sim.open_channels() == [0]


@pytest.mark.parametrize("cla", [0x04, 0x08, 0x0C, 0x60, 0x6F], ids=lambda c: f"CLA-{c:02X}")
def test_MANAGE_CHANNEL_with_secure_messaging_bits_is_6882(sim: Simulator, cla: int) -> None:
    assert sim.transmit(bytes((cla, 0x70, 0x00, 0x00, 0x01))) == Response(b"", 0x6882)
    assert sim.transmit(bytes((cla, 0x70, 0x80, 0x01))) == Response(b"", 0x6882)
    assert sim.open_channels() == [0]


def test_open_from_a_channel_that_is_not_open_is_6881(sim: Simulator) -> None:
    assert sim.transmit("02 70 00 00 01") == Response(b"", 0x6881)
    assert sim.transmit("00 70 00 02").sw == 0x9000
    assert sim.transmit("02 70 00 00 01") == Response(b"\x01", 0x9000)


def test_open_from_a_channel_beyond_3_uses_the_type_16_class(sim: Simulator) -> None:
    assert sim.transmit("00 70 00 0C").sw == 0x9000  # channel 12
    assert sim.transmit("48 70 00 00 01") == Response(b"\x01", 0x9000)  # from channel 12


@pytest.mark.parametrize(("command", "sw", "why"), [
    ("0C 70 05 20", 0x6882, "secure messaging is checked before P1 and P2"),
    ("01 70 00 20", 0x6A81, "P2 > 19 is checked before the origin channel"),
    ("01 70 07 00 01", 0x6A81, "P1 is checked before the origin channel"),
    ("01 70 00 00", 0x6881, "the origin channel is checked before Le"),
    ("01 70 00 05", 0x6881, "the origin channel is checked before the named channel"),
])
def test_the_checks_of_MANAGE_CHANNEL_OPEN_run_in_the_specified_order(
        sim: Simulator, command: str, sw: int, why: str) -> None:
    assert sim.transmit(command).sw == sw, why


def test_with_every_channel_open_a_wrong_Le_is_still_6C01_before_6A81(sim: Simulator) -> None:
    for _ in range(19):
        sim.transmit("00 70 00 00 01")
    assert sim.transmit("00 70 00 00").sw == 0x6C01
    assert sim.transmit("00 70 00 00 01").sw == 0x6A81


def test_opening_from_channel_0_selects_the_interfaces_default_applet_without_process(
        t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1", "M2"), defaults={"M2": True})
    t1.reset()
    recorders.log.clear()
    assert t1.transmit("00 70 00 00 01") == Response(b"\x01", 0x9000)
    # M2 is also active on channel 0 (it is the default there), hence select(True); the JCRE
    # reports the new channel as the assigned one and channel 0 (the command's) as the CLA's.
    assert recorders.log == [Call("M2", "select", True, assigned=1, cla=0)]
    assert t1.selected(1).value == bytes.fromhex(AIDS["M2"])
    assert report(t1, 1).assigned == 1


def test_opening_from_channel_0_with_no_default_applet_opens_an_empty_channel(
        t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1",))
    t1.select(AIDS["M1"])
    recorders.log.clear()
    assert t1.transmit("00 70 00 00 01") == Response(b"\x01", 0x9000)
    assert t1.selected(1) is None
    assert recorders.log == []
    assert t1.transmit("80 10 00 00 04", channel=1).sw == 0x6999


def test_opening_from_channel_Q_selects_the_applet_active_on_Q_on_the_new_channel(
        t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1",))
    assert t1.select(AIDS["M1"], 2).sw == 0x9000
    recorders.log.clear()
    assert t1.transmit("02 70 00 00 01") == Response(b"\x01", 0x9000)
    assert recorders.log == [Call("M1", "select", True, assigned=1, cla=2)]
    assert t1.selected(1) == t1.selected(2)


def test_opening_a_named_channel_from_channel_Q_above_3_selects_Qs_applet(t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1",))
    assert t1.select(AIDS["M1"], 9).sw == 0x9000
    recorders.log.clear()
    assert t1.transmit("45 70 00 0E") == Response(b"", 0x9000)  # from channel 9, open 14
    assert recorders.log == [Call("M1", "select", True, assigned=14, cla=9)]


def test_opening_from_a_channel_Q_with_no_applet_opens_an_empty_channel(t1: Simulator) -> None:
    install_recorders(t1, ("M1",))
    t1.transmit("00 70 00 04")
    assert t1.transmit("40 70 00 00 01") == Response(b"\x01", 0x9000)  # from channel 4
    assert t1.selected(1) is None


def test_open_whose_applet_refuses_selection_is_6999_and_the_channel_is_closed_again(
        t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1",))
    t1.select(AIDS["M1"], 1)
    recorders.applets["M1"].refuse = True
    recorders.log.clear()
    assert t1.transmit("01 70 00 00 01") == Response(b"", 0x6999)
    assert recorders.log == [Call("M1", "select", True, assigned=2, cla=1)]
    assert t1.open_channels() == [0, 1]
    assert t1.transmit("80 10 00 00 04", channel=2).sw == 0x6881
    recorders.applets["M1"].refuse = False
    assert t1.transmit("01 70 00 00 01") == Response(b"\x02", 0x9000)


def test_open_from_a_channel_whose_applet_is_not_multiselectable_is_6985_and_closes_it(
        t1: Simulator) -> None:
    recorders = install_recorders(t1, ("S1",))
    t1.select(AIDS["S1"], 1)
    recorders.log.clear()
    assert t1.transmit("01 70 00 00 01") == Response(b"", 0x6985)
    assert t1.transmit("01 70 00 05") == Response(b"", 0x6985)
    assert t1.open_channels() == [0, 1]
    assert recorders.log == []  # the JCRE refuses before calling select()
    assert t1.selected(1).value == bytes.fromhex(AIDS["S1"])


def test_open_from_0_when_the_non_multiselectable_default_is_active_on_0_is_6985(
        t1: Simulator) -> None:
    recorders = install_recorders(t1, ("S1",), defaults={"S1": "contact"})
    t1.reset()
    assert t1.transmit("00 70 00 00 01") == Response(b"", 0x6985)
    assert t1.open_channels() == [0]
    # Once the default applet is no longer active, opening a channel selects it there.
    recorders.applets["S1"].refuse = True
    assert t1.select(AIDS["S1"]).sw == 0x6999  # deselected, then refused
    recorders.applets["S1"].refuse = False
    assert t1.transmit("00 70 00 00 01") == Response(b"\x01", 0x9000)
    assert t1.selected(1).value == bytes.fromhex(AIDS["S1"])


def test_MANAGE_CHANNEL_never_reaches_an_applet(t1: Simulator) -> None:
    seen: list[int] = []

    class Watcher(Applet):
        def process(self, apdu: APDU) -> None:
            seen.append(apdu.getBuffer()[1])

    t1.install(Watcher, ECHO_AID)
    t1.select(ECHO_AID)
    seen.clear()
    for command in ("00 70 00 00 01", "00 70 00 07", "00 70 80 07", "00 70 80 07",
                    "00 70 05 00", "04 70 00 00 01"):
        t1.transmit(command)
    assert seen == []
    # A proprietary class is not MANAGE CHANNEL: INS 70 is then the applet's own instruction.
    assert t1.transmit("80 70 00 00").sw == 0x9000
    assert seen == [0x70]


# --- MANAGE CHANNEL CLOSE -------------------------------------------------------------------


def test_close_deselects_the_channels_applet_and_closes_it(t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1",))
    t1.select(AIDS["M1"], 3)
    recorders.log.clear()
    assert t1.transmit("00 70 80 03") == Response(b"", 0x9000)
    assert recorders.log == [Call("M1", "deselect", None, assigned=3, cla=0)]
    assert t1.open_channels() == [0]
    assert t1.transmit("80 10 00 00 04", channel=3).sw == 0x6881


def test_close_of_a_channel_that_is_not_open_is_the_6200_warning(sim: Simulator) -> None:
    assert sim.transmit("00 70 80 04") == Response(b"", 0x6200)
    sim.transmit("00 70 00 04")
    assert sim.transmit("00 70 80 04") == Response(b"", 0x9000)
    assert sim.transmit("00 70 80 04") == Response(b"", 0x6200)


def test_close_of_the_basic_channel_is_6A81(sim: Simulator) -> None:
    assert sim.transmit("00 70 80 00") == Response(b"", 0x6A81)
    assert sim.open_channels() == [0]


@pytest.mark.parametrize("p2", [20, 0x80, 0xFF])
def test_close_of_a_channel_beyond_19_is_6A81(sim: Simulator, p2: int) -> None:
    assert sim.transmit(bytes((0x00, 0x70, 0x80, p2))) == Response(b"", 0x6A81)


def test_close_sent_on_a_channel_that_is_not_open_is_6881(sim: Simulator) -> None:
    sim.transmit("00 70 00 02")
    assert sim.transmit("01 70 80 02") == Response(b"", 0x6881)
    assert sim.open_channels() == [0, 2]
    assert sim.transmit("02 70 80 02") == Response(b"", 0x9000)  # a channel may close itself


@pytest.mark.parametrize(("command", "sw", "why"), [
    ("08 70 80 00", 0x6882, "secure messaging is checked first"),
    ("01 70 80 20", 0x6A81, "P2 > 19 is checked before the origin channel"),
    ("01 70 80 00", 0x6881, "the origin channel is checked before P2 = 0"),
    ("01 70 80 05", 0x6881, "the origin channel is checked before the channel to close"),
])
def test_the_checks_of_MANAGE_CHANNEL_CLOSE_run_in_the_specified_order(
        sim: Simulator, command: str, sw: int, why: str) -> None:
    assert sim.transmit(command).sw == sw, why


def test_close_sent_on_another_channel_is_the_CLA_channel_inside_deselect(t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1", "M2"))
    t1.select(AIDS["M1"], 1)
    t1.select(AIDS["M2"], 6)
    recorders.log.clear()
    assert t1.transmit("01 70 80 06").sw == 0x9000
    assert recorders.log == [Call("M2", "deselect", False, assigned=6, cla=1)]


# --- SELECT FILE on logical channels --------------------------------------------------------


def test_SELECT_on_a_closed_channel_opens_it_and_selects_there(t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1",))
    assert t1.select(AIDS["M1"], 11).sw == 0x9000
    assert t1.open_channels() == [0, 11]
    assert recorders.log == [Call("M1", "select", None, assigned=11, cla=11)]
    assert report(t1, 11) == (11, 11, 1, 0x01)


def test_SELECT_of_an_unknown_AID_on_a_closed_channel_opens_it_empty_and_is_6999(
        t1: Simulator) -> None:
    install_recorders(t1, ("M1",))
    assert t1.select(UNKNOWN_AID, 4) == Response(b"", 0x6999)
    assert t1.open_channels() == [0, 4]
    assert t1.transmit("80 10 00 00 04", channel=4).sw == 0x6999  # open, but no applet


def test_SELECT_deselects_the_previous_applet_of_that_channel_only(t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1", "S1"))
    t1.select(AIDS["M1"], 0)
    t1.select(AIDS["S1"], 2)
    recorders.log.clear()
    assert t1.select(AIDS["M1"], 2).sw == 0x9000
    assert recorders.log == [Call("S1", "deselect", None, assigned=2, cla=2),
                             Call("M1", "select", True, assigned=2, cla=2)]
    assert t1.selected(0) == t1.selected(2)


def test_SELECT_of_a_non_multiselectable_applet_active_on_another_channel_is_6985(
        t1: Simulator) -> None:
    recorders = install_recorders(t1, ("S1", "S2", "M1"))
    t1.select(AIDS["S1"], 0)
    t1.select(AIDS["M1"], 3)
    recorders.log.clear()
    assert t1.select(AIDS["S1"], 3) == Response(b"", 0x6985)
    # The package of S2 is active (S1 on channel 0): S2 is refused too.
    assert t1.select(AIDS["S2"], 3) == Response(b"", 0x6985)
    assert t1.select(AIDS["S2"], 8) == Response(b"", 0x6985)
    # The JCRE refused before deselecting anything: channel 3 keeps M1, channel 8 was opened by
    # the SELECT and stays open with no applet, and no applet code ran.
    assert recorders.log == []
    assert t1.selected(3).value == bytes.fromhex(AIDS["M1"])
    assert t1.open_channels() == [0, 3, 8]
    assert t1.selected(8) is None
    # Once S1 is gone from channel 0, S2 may be selected on channel 3.
    t1.select(AIDS["M1"], 0)
    assert t1.select(AIDS["S2"], 3).sw == 0x9000


def test_reselecting_a_non_multiselectable_applet_on_its_own_channel_succeeds(
        t1: Simulator) -> None:
    recorders = install_recorders(t1, ("S1", "S2"))
    t1.select(AIDS["S1"], 5)
    recorders.log.clear()
    assert t1.select(AIDS["S1"], 5).sw == 0x9000
    assert t1.select(AIDS["S2"], 5).sw == 0x9000
    assert recorders.log == [
        Call("S1", "deselect", None, 5, 5), Call("S1", "select", None, 5, 5),
        Call("S1", "deselect", None, 5, 5), Call("S2", "select", None, 5, 5),
    ]


def test_SELECT_whose_applet_refuses_is_6999_and_leaves_the_channel_open_and_empty(
        t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1", "M2"))
    t1.select(AIDS["M1"], 2)
    recorders.applets["M2"].refuse = True
    recorders.log.clear()
    assert t1.select(AIDS["M2"], 2) == Response(b"", 0x6999)
    assert recorders.log == [Call("M1", "deselect", None, 2, 2), Call("M2", "select", None, 2, 2)]
    assert t1.open_channels() == [0, 2]
    assert t1.selected(2) is None
    recorders.applets["M2"].refuse = False
    assert t1.select(AIDS["M2"], 2) == Response(b"", 0x9000)


def test_SELECT_of_an_unknown_AID_goes_to_the_applet_of_that_channel(t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1",))
    t1.select(AIDS["M1"], 6)
    recorders.log.clear()
    assert t1.select(UNKNOWN_AID, 6) == Response(b"", 0x6A82)  # the applet's answer
    assert recorders.log == []
    assert t1.selected(6).value == bytes.fromhex(AIDS["M1"])


def test_a_SELECT_with_secure_messaging_bits_is_a_command_for_the_channels_applet(
        t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1", "M2"))
    t1.select(AIDS["M1"], 1)
    recorders.log.clear()
    command = bytes.fromhex("05A40400 06") + bytes.fromhex(AIDS["M2"]) + b"\x00"
    assert t1.transmit(command) == Response(b"", 0x6A82)  # M1's process answered
    assert recorders.log == []


# --- T=0: GET RESPONSE per channel ----------------------------------------------------------


@pytest.fixture
def t0_echo() -> Simulator:
    """A T=0 card with a MultiSelectable echo applet selected on channels 0, 3 and 5."""

    class MultiEcho(Echo, MultiSelectable):
        def select(self, appInstAlreadyActive: bool | None = None) -> bool:
            return True

        def deselect(self, appInstStillActive: bool | None = None) -> None:
            return None

    sim = Simulator("T=0")
    sim.install(MultiEcho, ECHO_AID)
    for channel in (0, 3, 5):
        assert sim.select(ECHO_AID, channel).sw == 0x9000
    return sim


def test_a_61xx_on_channel_5_is_fetched_by_GET_RESPONSE_on_channel_5(t0_echo: Simulator) -> None:
    assert t0_echo.transmit("80 01 00 00 03 0A0B0C", channel=5) == Response(b"", 0x6103)
    assert t0_echo.transmit("00 C0 00 00 03", channel=5) == Response(b"\x0A\x0B\x0C", 0x9000)


def test_GET_RESPONSE_on_another_channel_does_not_get_channel_5s_data(t0_echo: Simulator) -> None:
    assert t0_echo.transmit("80 01 00 00 03 0A0B0C", channel=5).sw == 0x6103
    # On channel 3 nothing waits: GET RESPONSE is an ordinary command for channel 3's applet.
    assert t0_echo.transmit("00 C0 00 00 03", channel=3) == Response(b"", 0x6D00)
    assert t0_echo.transmit("00 C0 00 00 03", channel=0) == Response(b"", 0x6D00)
    assert t0_echo.transmit("00 C0 00 00 03", channel=9) == Response(b"", 0x6881)
    # Channel 5's response still waits for its own GET RESPONSE.
    assert t0_echo.transmit("00 C0 00 00 03", channel=5) == Response(b"\x0A\x0B\x0C", 0x9000)


def test_responses_waiting_on_two_channels_are_fetched_independently(t0_echo: Simulator) -> None:
    assert t0_echo.transmit("80 01 00 00 02 AAAA", channel=3).sw == 0x6102
    assert t0_echo.transmit("80 01 00 00 03 BBBBBB", channel=5).sw == 0x6103
    assert t0_echo.transmit("00 C0 00 00 03", channel=5) == Response(b"\xBB" * 3, 0x9000)
    assert t0_echo.transmit("00 C0 00 00 02", channel=3) == Response(b"\xAA" * 2, 0x9000)


def test_a_6Cxx_on_channel_3_is_re_issued_on_channel_3(t0_echo: Simulator) -> None:
    assert t0_echo.transmit("80 02 00 05 00", channel=3) == Response(b"", 0x6C05)
    assert t0_echo.transmit("80 02 00 05 05", channel=3) == Response(bytes(range(5)), 0x9000)


def test_a_response_waiting_on_a_channel_is_dropped_when_the_channel_closes(
        t0_echo: Simulator) -> None:
    assert t0_echo.transmit("80 01 00 00 03 0A0B0C", channel=5).sw == 0x6103
    assert t0_echo.transmit("00 70 80 05").sw == 0x9000
    assert t0_echo.select(ECHO_AID, 5).sw == 0x9000
    assert t0_echo.transmit("00 C0 00 00 03", channel=5) == Response(b"", 0x6D00)


# --- reset ----------------------------------------------------------------------------------


def test_a_reset_closes_every_channel_of_both_interfaces_without_calling_deselect(
        t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1", "M2"))
    for channel in (0, 4, 17):
        t1.select(AIDS["M1"], channel)
    t1.select(AIDS["M2"], 2, interface="contactless")
    recorders.log.clear()
    t1.reset()
    assert recorders.log == []
    assert t1.open_channels() == [0]
    assert t1.open_channels(interface="contactless") == [0]
    assert all(t1.selected(n) is None for n in range(20))
    assert recorders.marks() == {"M1": 0, "M2": 0}


def test_a_default_applet_selected_at_reset_sees_channel_0_whatever_the_last_command_used(
        t1: Simulator) -> None:
    recorders = install_recorders(t1, ("M1", "M2"), defaults={"M1": "contact"})
    t1.select(AIDS["M2"], 13)
    report(t1, 13)  # the last command before the reset came on channel 13
    recorders.log.clear()
    t1.reset()
    assert recorders.log == [Call("M1", "select", None, assigned=0, cla=0)]


def test_JCSystem_getAssignedChannel_and_getCLAChannel_in_every_callback(t1: Simulator) -> None:
    seen: list[tuple[Any, ...]] = []

    class Probe(Applet, MultiSelectable):
        def select(self, appInstAlreadyActive: bool | None = None) -> bool:
            seen.append(("select", JCSystem.getAssignedChannel(), APDU.getCLAChannel()))
            return True

        def deselect(self, appInstStillActive: bool | None = None) -> None:
            seen.append(("deselect", JCSystem.getAssignedChannel(), APDU.getCLAChannel()))

        def process(self, apdu: APDU) -> None:
            seen.append(("process", JCSystem.getAssignedChannel(), APDU.getCLAChannel()))

    t1.install(Probe, ECHO_AID)
    t1.select(ECHO_AID, 7)          # SELECT on 7: select and process on 7
    t1.transmit("43 70 00 0A")      # from 7, open 10: select on 10, CLA channel 7
    t1.transmit("46 CA 00 00")      # a command on 10
    t1.transmit("46 70 80 07")      # from 10, close 7: deselect on 7, CLA channel 10
    assert seen == [("select", 7, 7), ("process", 7, 7), ("select", 10, 7), ("process", 10, 10),
                    ("deselect", 7, 10)]
