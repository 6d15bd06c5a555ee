"""Memory accounting: the cost model, the three pools, exhaustion, and
``JCSystem.getAvailableMemory`` in both forms (``jcsim.runtime.memory``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from jcsim import Simulator
from jcsim.framework import (
    BooleanArray,
    ByteArray,
    IntArray,
    JCSystem,
    ObjectArray,
    ShortArray,
    SystemException,
)
from jcsim.runtime.memory import DEFAULT_PERSISTENT, DEFAULT_TRANSIENT
from tests.runtime.firewall_packages.alpha import Alpha
from tests.runtime.firewall_packages.scripted import Box, run

A = "F0 4A 43 53 41 01 01"
PERSISTENT = JCSystem.MEMORY_TYPE_PERSISTENT
RESET = JCSystem.MEMORY_TYPE_TRANSIENT_RESET
DESELECT = JCSystem.MEMORY_TYPE_TRANSIENT_DESELECT


def card(**memory: int) -> Simulator:
    sim = Simulator(**memory)
    sim.install(Alpha, A)
    assert sim.select(A).sw == 0x9000
    return sim


def used(sim: Simulator) -> tuple[int, int, int]:
    snapshot = sim.memory()
    return (snapshot.persistent.used, snapshot.transient_reset.used,
            snapshot.transient_deselect.used)


def cost(sim: Simulator, make: Callable[[], Any]) -> tuple[int, int, int]:
    """What ``make()`` costs in each pool when card code runs it (and keeps the result)."""

    def script(applet: Any, apdu: Any) -> None:
        applet.kept = None  # the field exists before the measurement
        before_make.extend(used(sim))
        applet.kept = make()

    before_make: list[int] = []
    assert run(sim, A, script).sw == 0x9000
    after = used(sim)
    return (after[0] - before_make[0], after[1] - before_make[1], after[2] - before_make[2])


def reason(make: Callable[[], Any]) -> Callable[[Any, Any], int]:
    """A script answering the SystemException reason ``make()`` raised (0: none)."""

    def script(applet: Any, apdu: Any) -> int:
        try:
            make()
        except SystemException as exc:
            return exc.getReason()
        return 0

    return script


# --- capacities ------------------------------------------------------------------------------

def test_the_default_card_models_a_current_card() -> None:
    snapshot = Simulator().memory()
    assert snapshot.persistent.capacity == DEFAULT_PERSISTENT >= 64 * 1024
    assert snapshot.transient_reset.capacity == DEFAULT_TRANSIENT >= 4 * 1024
    assert snapshot.transient_deselect.capacity == DEFAULT_TRANSIENT >= 4 * 1024


def test_each_pool_has_the_capacity_the_Simulator_was_given() -> None:
    snapshot = Simulator(persistent_memory=20000, transient_reset_memory=1000,
                         transient_deselect_memory=3000).memory()
    assert (snapshot.persistent.capacity, snapshot.transient_reset.capacity,
            snapshot.transient_deselect.capacity) == (20000, 1000, 3000)
    assert snapshot.persistent.available == 20000 - snapshot.persistent.used


def test_a_command_that_makes_nothing_costs_nothing() -> None:
    sim = card()
    run(sim, A, lambda applet, apdu: None)  # first use of the script path
    before = sim.memory()
    assert run(sim, A, lambda applet, apdu: None).sw == 0x9000
    assert sim.memory() == before


# --- the cost model --------------------------------------------------------------------------

@pytest.mark.parametrize(("make", "expected"), [
    (lambda: ByteArray(10), (8 + 10, 0, 0)),
    (lambda: BooleanArray(10), (8 + 10, 0, 0)),
    (lambda: ShortArray(10), (8 + 20, 0, 0)),
    (lambda: IntArray(10), (8 + 40, 0, 0)),
    (lambda: ObjectArray(10), (8 + 20, 0, 0)),
    (lambda: ByteArray(0), (8, 0, 0)),
    (lambda: Box(), (8 + 4, 0, 0)),
    (lambda: JCSystem.makeTransientByteArray(10, JCSystem.CLEAR_ON_RESET), (8, 10, 0)),
    (lambda: JCSystem.makeTransientShortArray(10, JCSystem.CLEAR_ON_DESELECT), (8, 0, 20)),
    (lambda: JCSystem.makeTransientBooleanArray(7, JCSystem.CLEAR_ON_RESET), (8, 7, 0)),
    (lambda: JCSystem.makeTransientObjectArray(3, JCSystem.CLEAR_ON_DESELECT), (8, 0, 6)),
], ids=["byte[10]", "boolean[10]", "short[10]", "int[10]", "Object[10]", "byte[0]",
        "object-one-field", "transient-reset-byte[10]", "transient-deselect-short[10]",
        "transient-reset-boolean[7]", "transient-deselect-Object[3]"])
def test_the_documented_cost_model(make: Callable[[], Any], expected: tuple[int, int, int]) -> None:
    assert cost(card(), make) == expected


def test_an_object_costs_its_header_plus_4_bytes_per_field_counted_once() -> None:
    sim = card()

    def three_fields() -> Box:
        box = Box(1)
        box.other = 2
        box.third = 3
        box.other = 4  # assigning a field again costs nothing more
        return box

    assert cost(sim, three_fields) == (8 + 3 * 4, 0, 0)


def test_sim_memory_counts_the_objects_on_the_card() -> None:
    sim = card()
    before = sim.memory().objects
    run(sim, A, lambda applet, apdu: setattr(applet, "pair", (Box(), ByteArray(2))))
    assert sim.memory().objects == before + 2


# --- exhaustion ------------------------------------------------------------------------------

def test_an_allocation_that_fits_exactly_succeeds_and_one_more_byte_is_NO_RESOURCE() -> None:
    sim = card(persistent_memory=4000)
    run(sim, A, lambda applet, apdu: setattr(applet, "last", None))
    left = sim.memory().persistent.available

    def fill(applet: Any, apdu: Any) -> int:
        applet.last = ByteArray(left - 8)
        return JCSystem.getAvailableMemory(PERSISTENT)

    assert run(sim, A, fill).data == b"\x00\x00"
    assert run(sim, A, reason(lambda: ByteArray(0))).data == \
        SystemException.NO_RESOURCE.to_bytes(2, "big")


def test_a_failed_allocation_takes_nothing_and_uncaught_it_answers_6F00() -> None:
    sim = card(persistent_memory=4000)
    before = sim.memory()
    assert run(sim, A, reason(lambda: ByteArray(5000))).data == \
        SystemException.NO_RESOURCE.to_bytes(2, "big")
    assert run(sim, A, lambda applet, apdu: ShortArray(3000)).sw == 0x6F00
    assert sim.memory() == before


def test_an_object_whose_new_field_does_not_fit_is_NO_RESOURCE() -> None:
    sim = card(persistent_memory=4000)
    run(sim, A, lambda applet, apdu: setattr(applet, "box", Box()))
    left = sim.memory().persistent.available
    run(sim, A, lambda applet, apdu: setattr(applet, "filler", ByteArray(left - 8 - 4 - 2)))
    # 2 bytes left: the box's next new field needs 4.

    def grow(applet: Any, apdu: Any) -> int:
        try:
            applet.box.extra = 1
        except SystemException as exc:
            return exc.getReason()
        return 0

    assert run(sim, A, grow).data == SystemException.NO_RESOURCE.to_bytes(2, "big")


@pytest.mark.parametrize(("event", "pool", "config"), [
    (JCSystem.CLEAR_ON_RESET, RESET, "transient_reset_memory"),
    (JCSystem.CLEAR_ON_DESELECT, DESELECT, "transient_deselect_memory"),
], ids=["CLEAR_ON_RESET", "CLEAR_ON_DESELECT"])
def test_transient_memory_of_each_kind_runs_out_with_NO_TRANSIENT_SPACE(
        event: int, pool: int, config: str) -> None:
    sim = card(**{config: 100})

    def fill(applet: Any, apdu: Any) -> int:
        applet.ram = JCSystem.makeTransientByteArray(100, event)  # exactly what there is
        return JCSystem.getAvailableMemory(pool)

    assert run(sim, A, fill).data == b"\x00\x00"
    assert run(sim, A, reason(lambda: JCSystem.makeTransientByteArray(1, event))).data == \
        SystemException.NO_TRANSIENT_SPACE.to_bytes(2, "big")
    # The other transient pool and persistent memory are untouched by that refusal.
    other = RESET if pool == DESELECT else DESELECT
    assert run(sim, A, lambda applet, apdu: JCSystem.getAvailableMemory(other)).data == \
        DEFAULT_TRANSIENT.to_bytes(2, "big")


def test_a_transient_array_beyond_its_pool_takes_no_persistent_memory_either() -> None:
    sim = card(transient_reset_memory=50)
    before = sim.memory()
    assert run(sim, A, reason(lambda: JCSystem.makeTransientShortArray(
        26, JCSystem.CLEAR_ON_RESET))).data == \
        SystemException.NO_TRANSIENT_SPACE.to_bytes(2, "big")
    assert sim.memory() == before


# --- getAvailableMemory ----------------------------------------------------------------------

def test_getAvailableMemory_reports_each_pool_exactly_below_32767() -> None:
    sim = card(persistent_memory=30000, transient_reset_memory=1234,
               transient_deselect_memory=2345)
    snapshot = sim.memory()
    for pool, expected in ((PERSISTENT, snapshot.persistent.available),
                           (RESET, 1234), (DESELECT, 2345)):
        data = run(sim, A, lambda applet, apdu, p=pool: JCSystem.getAvailableMemory(p)).data
        assert int.from_bytes(data, "big") == expected


def test_getAvailableMemory_saturates_at_32767_and_the_buffer_form_gives_the_full_figure() -> None:
    sim = card()

    def both(applet: Any, apdu: Any) -> bytes:
        applet.halves = ShortArray(3)
        short_form = JCSystem.getAvailableMemory(PERSISTENT)
        JCSystem.getAvailableMemory(applet.halves, 1, PERSISTENT)
        return b"".join((v & 0xFFFF).to_bytes(2, "big")
                        for v in (short_form, applet.halves[1], applet.halves[2]))

    data = run(sim, A, both).data
    assert data[:2] == (32767).to_bytes(2, "big")
    full = (int.from_bytes(data[2:4], "big") << 16) | int.from_bytes(data[4:6], "big")
    assert full == sim.memory().persistent.available > 32767


def test_getAvailableMemory_shows_an_allocation_in_the_same_command() -> None:
    sim = card(persistent_memory=20000)

    def script(applet: Any, apdu: Any) -> bytes:
        before = JCSystem.getAvailableMemory(PERSISTENT)
        applet.block = ByteArray(992)
        after = JCSystem.getAvailableMemory(PERSISTENT)
        return before.to_bytes(2, "big") + after.to_bytes(2, "big")

    data = run(sim, A, script).data
    # 992 + 8 for the array, 4 for the new field "block".
    assert int.from_bytes(data[:2], "big") - int.from_bytes(data[2:], "big") == 1004


@pytest.mark.parametrize("form", ["short", "buffer"])
def test_getAvailableMemory_of_an_unknown_memory_type_is_ILLEGAL_VALUE(form: str) -> None:
    sim = card()

    def ask() -> None:
        if form == "short":
            JCSystem.getAvailableMemory(3)
        else:
            JCSystem.getAvailableMemory(ShortArray(2), 0, 3)

    assert run(sim, A, reason(ask)).data == SystemException.ILLEGAL_VALUE.to_bytes(2, "big")


def test_a_field_added_inside_an_aborted_transaction_gives_its_4_bytes_back() -> None:
    sim = card()
    assert run(sim, A, lambda applet, apdu: setattr(applet, "kept", None)).sw == 0x9000
    before = used(sim)

    def script(applet: Any, apdu: Any) -> None:
        JCSystem.beginTransaction()
        applet.added_in_the_transaction = 1
        JCSystem.abortTransaction()

    assert run(sim, A, script).sw == 0x9000
    assert used(sim) == before
    assert "added_in_the_transaction" not in vars(sim.applet_instance(A))
