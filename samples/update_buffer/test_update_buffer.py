"""The updateBuffer sample: the old buffer's memory comes back after the command that replaced
it, and a tear during the update loses nothing (the old buffer and its contents survive, and the
half-made new one takes no memory)."""

from __future__ import annotations

import pytest

from jcsim import CardTornError, Simulator
from jcsim.samples.update_buffer import UpdateBuffer
from jcsim.testing import TearPoint, tear_sweep

AID = "F0 00 00 00 40 01"
SELECT = f"00 A4 04 00 06 {AID} 00"
READ = "80 14 00 00 00"
MEMORY = "80 16 00 00 04"
CONTENTS = bytes.fromhex("0102030405060708")


def update(size: int) -> str:
    return f"80 10 {size >> 8:02X} {size & 0xFF:02X}"


def card() -> Simulator:
    """The applet with a 100-byte buffer holding CONTENTS, selected."""
    sim = Simulator()
    sim.install(UpdateBuffer, AID)
    assert sim.select(AID).sw == 0x9000
    assert sim.transmit(update(100)).sw == 0x9000
    assert sim.transmit("80 12 00 00 08" + CONTENTS.hex()).sw == 0x9000
    return sim


def used(sim: Simulator) -> int:
    return sim.memory().persistent.used


def card_says_available(sim: Simulator) -> int:
    response = sim.transmit(MEMORY)
    assert response.sw == 0x9000
    return int.from_bytes(response.data, "big")


def read(sim: Simulator) -> tuple[int, bytes]:
    response = sim.transmit(READ)
    assert response.sw == 0x9000
    return int.from_bytes(response.data[:2], "big"), response.data[2:]


def test_growing_the_buffer_costs_only_the_difference_once_the_old_one_is_reclaimed() -> None:
    sim = card()
    before = used(sim)
    assert sim.transmit(update(1000)).sw == 0x9000
    # The old buffer was reclaimed after that command: only the 900 extra bytes remain used.
    assert used(sim) - before == 900
    assert read(sim) == (1000, bytes(16))


def test_the_card_sees_the_memory_come_back_with_getAvailableMemory() -> None:
    sim = card()
    start = card_says_available(sim)
    assert sim.transmit(update(3000)).sw == 0x9000
    assert card_says_available(sim) == start - 2900
    assert sim.transmit(update(10)).sw == 0x9000
    assert card_says_available(sim) == start + 90
    assert card_says_available(sim) == sim.memory().persistent.available


def test_a_buffer_of_the_size_it_already_has_is_kept_with_its_contents() -> None:
    sim = card()
    before = sim.memory()
    assert sim.transmit(update(100)).sw == 0x9000
    assert sim.memory() == before
    assert read(sim) == (100, CONTENTS + bytes(8))


def test_a_buffer_that_does_not_fit_leaves_the_old_one_in_place() -> None:
    sim = Simulator(persistent_memory=3000)
    sim.install(UpdateBuffer, AID)
    sim.select(AID)
    assert sim.transmit(update(100)).sw == 0x9000
    before = sim.memory()
    assert sim.transmit(update(5000)).sw == 0x6A84
    assert sim.memory() == before
    assert read(sim)[0] == 100


def test_a_tear_just_before_the_commit_loses_nothing() -> None:
    sim = card()
    before = sim.memory()
    sim.arm_tear(at_hook="update-buffer")
    with pytest.raises(CardTornError):
        sim.transmit(update(1000))
    sim.power_on()
    assert sim.select(AID).sw == 0x9000
    assert read(sim) == (100, CONTENTS + bytes(8))
    # The new buffer died with the transaction and gave its memory back.
    assert sim.memory() == before
    assert sim.transmit(update(1000)).sw == 0x9000  # and the update can be done again
    assert used(sim) - before.persistent.used == 900


def test_a_tear_at_every_write_of_the_update_loses_nothing() -> None:
    sim = card()
    baseline = used(sim)

    def old_or_new(torn: Simulator, point: TearPoint) -> None:
        assert torn.select(AID).sw == 0x9000
        length, shown = read(torn)
        if length == 100:
            assert shown == CONTENTS + bytes(8)
            assert used(torn) == baseline
        else:
            assert (length, shown) == (1000, bytes(16))
            assert used(torn) == baseline + 900

    report = tear_sweep(sim, [SELECT, update(1000)], old_or_new)
    assert report.writes_per_command[1] >= 1
