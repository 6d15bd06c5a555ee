"""``jcsim.testing``: tear hooks, the tear sweep and ``assert_tear_safe``."""

from __future__ import annotations

from typing import Any

import pytest

from jcsim import CardTornError, JCSimError, Simulator
from jcsim.framework import ISO7816, Applet, JCSystem, ShortArray, Util
from jcsim.testing import (
    SweepReport,
    TearPoint,
    TearSweepError,
    assert_tear_safe,
    tear_hook,
    tear_sweep,
)

AID = "F0 00 00 00 12 01"
SELECT = f"00 A4 04 00 06 {AID} 00"
START = 100


class Counter(Applet):
    """INS 10 moves P2 from ``left`` to ``right``, in a transaction (P1=0) or not (P1=1);
    INS 20 answers both."""

    def __init__(self) -> None:
        self.left = START
        self.right = 0
        self.history = ShortArray(2)

    def process(self, apdu: Any) -> None:
        if self.selectingApplet():
            return
        buffer = apdu.getBuffer()
        if buffer[ISO7816.OFFSET_INS] == 0x10:
            amount = buffer[ISO7816.OFFSET_P2]
            atomic = buffer[ISO7816.OFFSET_P1] == 0
            if atomic:
                JCSystem.beginTransaction()
            self.left = self.left - amount
            self.history[0] = amount
            self.right = self.right + amount
            if atomic:
                JCSystem.commitTransaction()
        else:
            Util.setShort(buffer, 0, self.left)
            Util.setShort(buffer, 2, self.right)
            apdu.setOutgoingAndSend(0, 4)


class Flaky(Applet):
    """Makes fewer writes each time it is asked: a sweep cannot replay it."""

    calls = [0]

    def __init__(self) -> None:
        self.value = 0

    def process(self, apdu: Any) -> None:
        if self.selectingApplet():
            return
        Flaky.calls[0] += 1
        for _ in range(4 if Flaky.calls[0] == 1 else 1):
            self.value = self.value + 1


def counter_card() -> Simulator:
    sim = Simulator()
    sim.install(Counter, AID)
    return sim


def conserved(sim: Simulator, point: TearPoint) -> None:
    sim.select(AID)
    data = sim.transmit("80 20 00 00 04").data
    left, right = int.from_bytes(data[:2], "big"), int.from_bytes(data[2:], "big")
    assert left + right == START, f"left {left} + right {right} != {START}"


def test_a_sweep_tears_at_every_write_of_every_command_and_checks_after_power_up() -> None:
    seen: list[tuple[TearPoint, bool]] = []

    def invariant(sim: Simulator, point: TearPoint) -> None:
        seen.append((point, sim.powered))
        conserved(sim, point)

    report = tear_sweep(counter_card(), [SELECT, "80 10 00 05", "80 10 00 07"], invariant)
    assert isinstance(report, SweepReport)
    assert report.writes_per_command == (0, 3, 3)
    expected = [TearPoint(0, 0)] + [TearPoint(i, n) for i in (1, 2) for n in range(4)]
    assert list(report.points) == expected
    assert seen == [(point, True) for point in expected]


def test_a_sweep_catches_writes_made_outside_a_transaction() -> None:
    with pytest.raises(TearSweepError) as caught:
        tear_sweep(counter_card(), [SELECT, "80 10 01 05"], conserved)
    failure = caught.value
    assert failure.point == TearPoint(1, 1)
    assert isinstance(failure, AssertionError) and isinstance(failure, JCSimError)
    assert "command 1 after 1 persistent writes" in str(failure)
    assert "left 95 + right 0" in str(failure)


def test_a_sweep_accepts_a_function_that_makes_fresh_cards() -> None:
    made: list[Simulator] = []

    def fresh() -> Simulator:
        made.append(counter_card())
        return made[-1]

    report = tear_sweep(fresh, [SELECT, "80 10 00 01"], conserved)
    assert len(report.points) == 1 + 4
    # One card from the function; every tear point starts from an in-memory copy of it.
    assert len(made) == 1
    assert made[0].selected() is not None  # the copies were torn, never the probe itself


def test_a_sweep_leaves_the_card_it_was_given_untouched() -> None:
    sim = counter_card()
    sim.select(AID)
    sim.transmit("80 10 00 10")
    tear_sweep(sim, ["80 10 00 05"], conserved)
    assert sim.transmit("80 20 00 00 04").data == bytes.fromhex("0054 0010")


def test_a_sweep_refuses_an_applet_that_does_not_replay_the_same_writes() -> None:
    sim = Simulator()
    sim.install(Flaky, "F0 00 00 00 12 02")
    Flaky.calls[0] = 0
    with pytest.raises(JCSimError, match="not deterministic"):
        tear_sweep(sim, ["00 A4 04 00 06 F0 00 00 00 12 02 00", "80 01 00 00"],
                   lambda sim, point: None)


def test_tear_hook_outside_card_code_does_nothing() -> None:
    sim = counter_card()
    sim.select(AID)
    sim.arm_tear(at_hook="anything")
    assert tear_hook("anything") is None  # no card code is running: nothing to tear
    # The armed card is not torn by it, and its next command does not reach the hook.
    assert sim.transmit("80 10 00 05").sw == 0x9000 and sim.powered
    assert sim.transmit("80 20 00 00 04").data == bytes.fromhex("005F 0005")


def test_a_torn_command_names_the_location_it_wrote_last() -> None:
    expected = ["", "Counter.left", "element 0 of a ShortArray", "Counter.right"]
    for writes, location in enumerate(expected):
        sim = counter_card()
        sim.select(AID)
        sim.arm_tear(after_writes=writes)
        with pytest.raises(CardTornError) as torn:
            sim.transmit("80 10 00 05")
        assert torn.value.location == location
        assert location in str(torn.value)


def test_assert_tear_safe_passes_a_safe_sequence_and_returns_the_sweep() -> None:
    report = assert_tear_safe(counter_card(), [SELECT, "80 10 00 05"],
                              lambda sim: conserved(sim, TearPoint(0, 0)))
    assert report.writes_per_command == (0, 3)
    assert [point.write for point in report.points] == [
        "", "", "Counter.left", "element 0 of a ShortArray", "Counter.right"]


def test_assert_tear_safe_names_the_command_and_the_write_when_an_invariant_is_false() -> None:
    def balance(sim: Simulator) -> int:
        sim.select(AID)
        return int.from_bytes(sim.transmit("80 20 00 00 04").data[:2], "big")

    with pytest.raises(TearSweepError) as caught:
        assert_tear_safe(counter_card(), [SELECT, "80 10 01 05"],
                         lambda sim: balance(sim) in (START, START - 5) and
                         balance(sim) + sim.transmit("80 20 00 00 04").data[3] == START)
    assert str(caught.value) == (
        "the invariant failed after a tear\n"
        "  command 2 of 2: 80 10 01 05   INS 10\n"
        "  power cut just after persistent write 1 of 3, to Counter.left\n"
        "  the invariant returned False")
    assert caught.value.point == TearPoint(1, 1)
