"""Applet selection by AID (JCRE §4.6.2), deselection (§4.7) and default applets (§4.2)."""

from __future__ import annotations

from typing import Any

import pytest

from jcsim import Response, Simulator
from jcsim.framework import APDU, ISO7816, Applet, ISOException

A_AID = "F0 00 00 00 05 01"
B_AID = "F0 00 00 00 05 02"
UNKNOWN_AID = "F0 00 00 00 0F 0F"


class Recorder(Applet):
    """Logs its select / deselect / process calls; any command but a SELECT answers its CLA."""

    # What select() does: return this value, or raise it if it is an exception.
    select_result: Any = True
    deselect_raises: BaseException | None = None
    process_raises_on_select: BaseException | None = None

    def __init__(self) -> None:
        self.log: list[tuple[str, ...]] = []

    def select(self) -> bool:
        self.log.append(("select",))
        if isinstance(self.select_result, BaseException):
            raise self.select_result
        return self.select_result

    def deselect(self) -> None:
        self.log.append(("deselect",))
        if self.deselect_raises is not None:
            raise self.deselect_raises

    def process(self, apdu: APDU) -> None:
        buf = apdu.getBuffer()
        self.log.append(("process", f"{buf[1]:02X}", "selecting" if self.selectingApplet()
                         else "reselecting" if self.reSelectingApplet() else "-"))
        if self.selectingApplet():
            if self.process_raises_on_select is not None:
                raise self.process_raises_on_select
            return
        if buf[ISO7816.OFFSET_INS] == 0xA4:
            ISOException.throwIt(0x6A82)  # a SELECT the JCRE forwarded: answer as a file system
        apdu.setOutgoingAndSend(0, 1)


def install_two(sim: Simulator) -> tuple[Recorder, Recorder]:
    sim.install(Recorder, A_AID)
    sim.install(Recorder, B_AID)
    return instance(sim, A_AID), instance(sim, B_AID)


def instance(sim: Simulator, aid: str) -> Recorder:
    record = sim.card.registry.find(bytes.fromhex(aid.replace(" ", "")))
    assert record is not None
    return record.instance


def selected(sim: Simulator) -> Any:
    """The applet instance selected on the basic contact channel, or None."""
    record = sim.card.interfaces["contact"].channels[0].selected
    return None if record is None else record.instance


def test_SELECT_by_AID_calls_select_then_process_with_selectingApplet_true(
        sim: Simulator) -> None:
    a, _b = install_two(sim)
    assert sim.select(A_AID) == Response(b"", 0x9000)
    assert a.log == [("select",), ("process", "A4", "selecting")]
    assert selected(sim) is a


def test_after_SELECT_commands_go_to_the_selected_applet(sim: Simulator) -> None:
    a, b = install_two(sim)
    sim.select(B_AID)
    assert sim.transmit("80 10 00 00 01").sw == 0x9000
    assert b.log[-1] == ("process", "10", "-")
    assert a.log == []


def test_selecting_another_applet_deselects_the_first_before_selecting_the_second(
        sim: Simulator) -> None:
    a, b = install_two(sim)
    sim.select(A_AID)
    a.log.clear()
    assert sim.select(B_AID).sw == 0x9000
    assert a.log == [("deselect",)]
    assert b.log[:1] == [("select",)]
    assert selected(sim) is b


def test_SELECT_of_an_unknown_AID_with_nothing_selected_is_6999(sim: Simulator) -> None:
    a, b = install_two(sim)
    assert sim.select(UNKNOWN_AID) == Response(b"", 0x6999)
    assert selected(sim) is None
    assert a.log == b.log == []


def test_SELECT_of_an_unknown_AID_goes_to_the_selected_applet_as_a_normal_command(
        sim: Simulator) -> None:
    a, _b = install_two(sim)
    sim.select(A_AID)
    a.log.clear()
    assert sim.select(UNKNOWN_AID) == Response(b"", 0x6A82)
    assert a.log == [("process", "A4", "-")]
    assert selected(sim) is a


@pytest.mark.parametrize("result", [False, None, 1, ISOException(0x6A82), ZeroDivisionError()],
                         ids=["False", "None", "truthy-int", "ISOException", "ZeroDivisionError"])
def test_select_returning_anything_but_True_or_raising_is_6999_and_nothing_is_selected(
        sim: Simulator, result: Any) -> None:
    a, b = install_two(sim)
    sim.select(A_AID)
    b.select_result = result
    assert sim.select(B_AID) == Response(b"", 0x6999)
    assert selected(sim) is None
    assert ("deselect",) in a.log
    assert [entry for entry in b.log if entry[0] == "process"] == []
    assert sim.transmit("80 10 00 00").sw == 0x6999


def test_an_exception_from_process_during_SELECT_is_the_answer_and_the_applet_stays_selected(
        sim: Simulator) -> None:
    a, _b = install_two(sim)
    a.process_raises_on_select = ISOException(0x6283)
    assert sim.select(A_AID) == Response(b"", 0x6283)
    assert selected(sim) is a
    a.process_raises_on_select = KeyError("k")
    assert sim.select(A_AID) == Response(b"", 0x6F00)
    assert selected(sim) is a
    assert sim.transmit("80 10 00 00 01").sw == 0x9000


def test_a_deselect_that_raises_still_deselects(sim: Simulator) -> None:
    a, b = install_two(sim)
    sim.select(A_AID)
    a.deselect_raises = ZeroDivisionError()
    assert sim.select(B_AID).sw == 0x9000
    assert selected(sim) is b


def test_reselecting_the_selected_applet_deselects_and_selects_it_again(sim: Simulator) -> None:
    a, _b = install_two(sim)
    sim.select(A_AID)
    a.log.clear()
    assert sim.select(A_AID).sw == 0x9000
    assert a.log == [("deselect",), ("select",), ("process", "A4", "selecting")]


def test_reSelectingApplet_is_true_only_when_the_applet_was_already_selected(
        t1: Simulator) -> None:
    seen: list[tuple[bool, bool]] = []

    class Reselect(Applet):
        def process(self, apdu: APDU) -> None:
            seen.append((self.selectingApplet(), self.reSelectingApplet()))

    t1.install(Reselect, A_AID)
    t1.select(A_AID)
    t1.select(A_AID)
    t1.transmit("80 10 00 00")
    assert seen == [(True, False), (True, True), (False, False)]


def test_the_applet_may_answer_data_to_its_SELECT(sim: Simulator) -> None:
    class WithFCI(Applet):
        def process(self, apdu: APDU) -> None:
            if self.selectingApplet():
                n = apdu.setIncomingAndReceive()
                apdu.setOutgoingAndSend(5, n)  # echo the AID from the command data
                return
            ISOException.throwIt(0x6D00)

    sim.install(WithFCI, A_AID)
    response = sim.transmit("00 A4 04 00 06 F00000000501 00")
    if sim.protocol == "T=0":
        assert response.sw == 0x6106
        response = sim.transmit("00 C0 00 00 06")
    assert response == Response(bytes.fromhex("F00000000501"), 0x9000)


# --- partial AIDs ---------------------------------------------------------------------------


def test_a_SELECT_with_a_prefix_of_an_AID_selects_that_applet(sim: Simulator) -> None:
    a, _b = install_two(sim)
    assert sim.transmit("00 A4 04 00 05 F000000005").sw == 0x9000
    assert selected(sim) is a  # the first installed of the two that match


def test_a_partial_SELECT_takes_the_first_applet_installed(sim: Simulator) -> None:
    sim.install(Recorder, B_AID)
    sim.install(Recorder, A_AID)
    assert sim.transmit("00 A4 04 00 05 F000000005").sw == 0x9000
    assert selected(sim) is instance(sim, B_AID)


def test_an_exact_AID_match_wins_over_an_earlier_partial_match(sim: Simulator) -> None:
    sim.install(Recorder, "F0 00 00 00 05 01 02")
    sim.install(Recorder, "F0 00 00 00 05 01")
    assert sim.select("F0 00 00 00 05 01").sw == 0x9000
    assert selected(sim) is instance(sim, "F0 00 00 00 05 01")


def test_a_SELECT_with_bytes_longer_than_any_AID_finds_nothing(sim: Simulator) -> None:
    install_two(sim)
    assert sim.transmit("00 A4 04 00 07 F0000000050100").sw == 0x6999


def test_a_SELECT_for_a_next_occurrence_is_not_an_applet_selection(sim: Simulator) -> None:
    a, _b = install_two(sim)
    # P2 = 02 (next occurrence): the JCRE does not select; with no applet it answers 6999.
    assert sim.transmit("00 A4 04 02 06 F00000000501").sw == 0x6999
    sim.select(A_AID)
    a.log.clear()
    sim.transmit("00 A4 04 02 06 F00000000502")
    assert a.log == [("process", "A4", "-")]
    assert selected(sim) is a


# --- default applets ------------------------------------------------------------------------


def test_a_default_applet_is_selected_at_reset_without_process(sim: Simulator) -> None:
    sim.install(Recorder, A_AID)
    sim.install(Recorder, B_AID, default=True)
    b = instance(sim, B_AID)
    sim.reset()
    assert selected(sim) is b
    assert b.log == [("select",)]
    assert sim.transmit("80 10 00 00 01").sw == 0x9000
    assert b.log[-1] == ("process", "10", "-")


def test_a_default_applet_is_selected_at_power_up(sim: Simulator) -> None:
    sim.install(Recorder, B_AID, default=True)
    sim.power_off()
    sim.power_on()
    assert selected(sim) is instance(sim, B_AID)


def test_without_a_default_applet_nothing_is_selected_after_reset(sim: Simulator) -> None:
    a, _b = install_two(sim)
    sim.select(A_AID)
    sim.reset()
    assert selected(sim) is None
    assert sim.transmit("80 10 00 00").sw == 0x6999
    assert ("deselect",) not in a.log  # reset deselects without calling deselect()


def test_a_default_applet_whose_select_fails_leaves_nothing_selected(sim: Simulator) -> None:
    sim.install(Recorder, A_AID, default=True)
    instance(sim, A_AID).select_result = False
    sim.reset()
    assert selected(sim) is None
    assert sim.transmit("80 10 00 00").sw == 0x6999


def test_a_default_applet_for_contactless_only_is_not_selected_on_contact(t1: Simulator) -> None:
    t1.install(Recorder, A_AID, default="contactless")
    t1.reset()
    assert selected(t1) is None
    assert t1.transmit("80 10 00 00", interface="contactless").sw == 0x9000
