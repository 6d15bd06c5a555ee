"""Tears: power lost in the middle of a command (JCRE 3.0.5 §7.5) through ``sim.arm_tear``,
after the N-th persistent write or at a named hook, and the rollback at the next power-up."""

from __future__ import annotations

from typing import Any

import pytest

from jcsim import CardPoweredOffError, CardTornError, JCSimError, Simulator
from jcsim.framework import Applet, JCSystem, Util
from jcsim.runtime.events import Exchange
from jcsim.testing import tear_hook
from tests.runtime.tx_applets import SCRIPTED_AID, Node, Scripted, instance, run, scripted_card

WRITES = 4


def four_field_writes(applet: Scripted, apdu: Any) -> None:
    """Four persistent writes outside any transaction."""
    applet.counter = 1
    applet.flag = True
    applet.byte_array[0] = 0x11
    applet.short_array[0] = 0x2222


def four_writes_in_a_transaction(applet: Scripted, apdu: Any) -> None:
    JCSystem.beginTransaction()
    applet.counter = 1
    applet.flag = True
    applet.byte_array[0] = 0x11
    applet.short_array[0] = 0x2222
    JCSystem.commitTransaction()


def state(applet: Scripted) -> tuple[Any, ...]:
    return applet.counter, applet.flag, applet.byte_array[0], applet.short_array[0]


AFTER = [(0, False, 0, 0), (1, False, 0, 0), (1, True, 0, 0), (1, True, 0x11, 0),
         (1, True, 0x11, 0x2222)]


@pytest.mark.parametrize("n", range(WRITES + 1))
def test_a_tear_after_n_writes_outside_a_transaction_keeps_exactly_those_writes(n: int) -> None:
    sim, applet = scripted_card()
    sim.arm_tear(after_writes=n)
    with pytest.raises(CardTornError):
        run(sim, four_field_writes)
    sim.power_on()
    assert state(applet) == AFTER[n]


@pytest.mark.parametrize("n", range(WRITES + 1))
def test_a_tear_inside_a_transaction_rolls_it_all_back_at_power_up(n: int) -> None:
    sim, applet = scripted_card()
    sim.arm_tear(after_writes=n)
    with pytest.raises(CardTornError):
        run(sim, four_writes_in_a_transaction)
    assert state(applet) == AFTER[n]  # still in memory while the power is off
    sim.power_on()
    assert state(applet) == AFTER[0]
    assert sim.card.journal.depth == 0


def test_a_tear_armed_beyond_the_last_write_does_not_happen_and_is_then_disarmed() -> None:
    sim, applet = scripted_card()
    sim.arm_tear(after_writes=WRITES + 1)
    assert run(sim, four_writes_in_a_transaction).sw == 0x9000
    assert state(applet) == AFTER[WRITES]
    run(sim, lambda applet, apdu: setattr(applet, "counter", 0))
    for _ in range(3):
        assert run(sim, four_field_writes).sw == 0x9000


def test_a_tear_at_0_writes_stops_the_command_before_the_applet_runs() -> None:
    sim, _applet = scripted_card()
    ran: list[bool] = []
    sim.arm_tear(after_writes=0)
    with pytest.raises(CardTornError):
        run(sim, lambda applet, apdu: ran.append(True))
    assert ran == []


def test_writes_completed_before_the_transaction_stay_after_the_tear() -> None:
    sim, applet = scripted_card()

    def code(applet: Scripted, apdu: Any) -> None:
        applet.counter = 7
        Util.arrayCopy(b"\x01\x02", 0, applet.byte_array, 0, 2)
        JCSystem.beginTransaction()
        applet.counter = 8
        applet.byte_array[0] = 0xFF
        JCSystem.commitTransaction()

    sim.arm_tear(after_writes=4)
    with pytest.raises(CardTornError):
        run(sim, code)
    sim.power_on()
    assert (applet.counter, applet.byte_array[:2]) == (7, b"\x01\x02")


def test_a_tear_in_a_transaction_nulls_the_objects_it_created() -> None:
    sim, applet = scripted_card()

    def code(applet: Scripted, apdu: Any) -> None:
        JCSystem.beginTransaction()
        applet.ref = Node(1)
        applet.object_array[0] = applet.ref
        applet.counter = 3
        JCSystem.commitTransaction()

    sim.arm_tear(after_writes=4)  # Node's own field write, then the three above
    with pytest.raises(CardTornError):
        run(sim, code)
    sim.power_on()
    assert (applet.ref, applet.object_array[0], applet.counter) == (None, None, 0)


def test_after_a_tear_the_card_has_no_power_until_power_on() -> None:
    sim, _applet = scripted_card()
    sim.arm_tear(after_writes=1)
    with pytest.raises(CardTornError) as caught:
        run(sim, four_field_writes)
    assert isinstance(caught.value, JCSimError) and isinstance(caught.value, RuntimeError)
    assert sim.powered is False
    with pytest.raises(CardPoweredOffError):
        sim.transmit("80 01 00 00")
    with pytest.raises(CardPoweredOffError):
        sim.reset()
    assert sim.power_on() == sim.atr
    assert sim.selected() is None  # power-up selects only a default applet
    assert sim.select(SCRIPTED_AID).sw == 0x9000


def test_a_tear_loses_transient_memory() -> None:
    sim, applet = scripted_card()

    def code(applet: Scripted, apdu: Any) -> None:
        applet.reset_bytes[0] = 1
        applet.deselect_bytes[0] = 2
        applet.counter = 1

    sim.arm_tear(after_writes=1)
    with pytest.raises(CardTornError):
        run(sim, code)
    sim.power_on()
    assert (applet.reset_bytes[0], applet.deselect_bytes[0]) == (0, 0)


class SeesAtSelect(Applet):
    """A default applet that records the balance its select() sees, host side."""

    seen: list[int] = []

    def __init__(self) -> None:
        self.balance = 100

    def select(self) -> bool:
        SeesAtSelect.seen.append(self.balance)
        return True

    def process(self, apdu: Any) -> None:
        if self.selectingApplet():
            return
        JCSystem.beginTransaction()
        self.balance = self.balance - 10
        tear_hook("debited")
        JCSystem.commitTransaction()


def test_the_rollback_happens_at_power_up_before_any_applet_code_runs() -> None:
    sim = Simulator()
    sim.install(SeesAtSelect, "F0 00 00 00 0E 01", default=True)
    sim.power_on()
    SeesAtSelect.seen.clear()
    sim.arm_tear(at_hook="debited")
    with pytest.raises(CardTornError):
        sim.transmit("80 10 00 00")
    assert instance(sim, "F0 00 00 00 0E 01").balance == 90  # the torn memory
    sim.power_on()
    assert SeesAtSelect.seen == [100]


def test_a_tear_at_a_named_hook_cuts_the_power_there() -> None:
    sim, applet = scripted_card()

    def code(applet: Scripted, apdu: Any) -> None:
        applet.counter = 1
        tear_hook("other")
        applet.counter = 2
        tear_hook("here")
        applet.counter = 3

    sim.arm_tear(at_hook="here")
    with pytest.raises(CardTornError, match="here"):
        run(sim, code)
    sim.power_on()
    assert applet.counter == 2


def test_a_hook_that_is_not_reached_disarms_and_hooks_do_nothing_unarmed() -> None:
    sim, applet = scripted_card()

    def code(applet: Scripted, apdu: Any) -> None:
        tear_hook("here")
        applet.counter = applet.counter + 1

    sim.arm_tear(at_hook="elsewhere")
    assert run(sim, code).sw == 0x9000
    assert run(sim, code).sw == 0x9000
    assert applet.counter == 2
    tear_hook("here")  # outside card code: nothing at all


def test_a_tear_is_armed_for_the_next_command_only() -> None:
    sim, applet = scripted_card()
    sim.arm_tear(after_writes=WRITES + 2)
    assert run(sim, lambda applet, apdu: setattr(applet, "counter", 5)).sw == 0x9000
    # Writes outside any command (an install) and the following commands are never torn.
    sim.install(Scripted, "F0 00 00 00 0A 02")
    for _ in range(3):
        assert run(sim, four_field_writes).sw == 0x9000


def test_an_armed_tear_that_did_not_happen_does_not_trip_a_default_applets_select() -> None:
    class Writer(SeesAtSelect):
        def select(self) -> bool:
            self.balance = self.balance + 0  # one persistent write at every power-up
            return True

    sim = Simulator()
    sim.install(Writer, "F0 00 00 00 0E 02", default=True)
    sim.power_on()
    sim.arm_tear(after_writes=3)
    assert sim.transmit("80 20 00 00").sw == 0x9000  # one write: no tear
    for _ in range(4):
        sim.power_on()
    assert sim.selected() is not None


def test_install_is_not_a_command_so_an_armed_tear_waits_for_the_next_command() -> None:
    sim, _applet = scripted_card()
    sim.arm_tear(after_writes=1)
    sim.install(Scripted, "F0 00 00 00 0A 02")  # many writes, no tear
    with pytest.raises(CardTornError):
        run(sim, four_field_writes)


def test_observers_see_an_empty_response_for_a_torn_command() -> None:
    sim, _applet = scripted_card()
    events: list[Exchange] = []
    sim.subscribe(events.append)
    sim.arm_tear(after_writes=2)
    with pytest.raises(CardTornError):
        run(sim, four_field_writes, "80 01 00 00")
    assert len(events) == 1
    assert events[0].command == bytes.fromhex("80010000")
    assert events[0].response == b""


def test_a_tear_during_select_rolls_back_what_select_wrote_in_a_transaction() -> None:
    sim = Simulator()
    sim.install(SeesAtSelect, "F0 00 00 00 0E 01")

    class Selecting(SeesAtSelect):
        def select(self) -> bool:
            JCSystem.beginTransaction()
            self.balance = 1
            self.balance = 2
            JCSystem.commitTransaction()
            return True

    sim.install(Selecting, "F0 00 00 00 0E 03")
    sim.arm_tear(after_writes=1)
    with pytest.raises(CardTornError):
        sim.select("F0 00 00 00 0E 03")
    sim.power_on()
    assert instance(sim, "F0 00 00 00 0E 03").balance == 100


@pytest.mark.parametrize(("after_writes", "at_hook"), [(None, None), (1, "x"), (-1, None)])
def test_arm_tear_takes_exactly_one_valid_trigger(after_writes: Any, at_hook: Any) -> None:
    sim = Simulator()
    with pytest.raises(JCSimError):
        sim.arm_tear(after_writes, at_hook=at_hook)
