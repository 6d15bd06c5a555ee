"""Object deletion (``JCSystem.requestObjectDeletion``): before the next command of the
requesting context, every object of that context that no roots reach is reclaimed, and only
those (``jcsim.runtime.deletion.collect``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from jcsim import Simulator
from jcsim.framework import ByteArray, JCSystem, NullPointerException, ObjectArray, ShortArray
from tests.runtime.firewall_packages import alpha, beta
from tests.runtime.firewall_packages.scripted import Box, CounterImpl, run

A = "F0 4A 43 53 41 01 01"
A2 = "F0 4A 43 53 41 02 01"  # another applet of alpha: the same context
B = "F0 4A 43 53 42 01 01"


@pytest.fixture(autouse=True)
def clear_statics() -> Iterator[None]:
    yield
    alpha.stash = None
    beta.stash = None


@pytest.fixture
def sim() -> Simulator:
    """Alpha (selected on the basic channel) and Beta (not selected)."""
    card = Simulator()
    card.install(alpha.Alpha, A)
    card.install(beta.Beta, B)
    assert card.select(A).sw == 0x9000
    return card


def on_beta(sim: Simulator, script: Any) -> Any:
    """Run ``script`` in Beta, selected for the purpose on a channel of its own. Beta is not
    MultiSelectable, so it must not stay active while Alpha calls its Shareable object."""
    channel = sim.open_channel()
    assert sim.select(B, channel).sw == 0x9000
    try:
        return run(sim, B, script, channel)
    finally:
        sim.close_channel(channel)


def persistent(sim: Simulator) -> int:
    return sim.memory().persistent.used


def request(applet: Any, apdu: Any) -> None:
    JCSystem.requestObjectDeletion()


def available(applet: Any, apdu: Any) -> int:
    return JCSystem.getAvailableMemory(JCSystem.MEMORY_TYPE_TRANSIENT_RESET)


def test_object_deletion_is_supported() -> None:
    sim = Simulator()
    sim.install(alpha.Alpha, A)
    sim.select(A)
    assert run(sim, A, lambda applet, apdu: int(JCSystem.isObjectDeletionSupported())).data == \
        b"\x00\x01"


def test_an_unreachable_object_stays_counted_until_deletion_is_requested(sim: Simulator) -> None:
    run(sim, A, lambda applet, apdu: setattr(applet, "junk", ByteArray(100)))
    with_junk = persistent(sim)
    run(sim, A, lambda applet, apdu: setattr(applet, "junk", None))
    assert persistent(sim) == with_junk  # nothing is collected without a request
    run(sim, A, lambda applet, apdu: None)
    assert persistent(sim) == with_junk
    run(sim, A, request)
    assert persistent(sim) == with_junk - 108


def test_the_memory_comes_back_before_the_next_command_of_the_context(sim: Simulator) -> None:
    def drop_ram(applet: Any, apdu: Any) -> None:
        applet.ram = None
        JCSystem.requestObjectDeletion()

    run(sim, A, lambda applet, apdu: setattr(
        applet, "ram", JCSystem.makeTransientByteArray(1000, JCSystem.CLEAR_ON_RESET)))
    assert run(sim, A, available).data == (4096 - 1000).to_bytes(2, "big")
    run(sim, A, drop_ram)
    assert run(sim, A, available).data == (4096).to_bytes(2, "big")


def test_exactly_the_unreachable_objects_of_the_requesting_context_are_reclaimed(
        sim: Simulator) -> None:
    def build(applet: Any, apdu: Any) -> None:
        applet.kept = Box(ByteArray(10))        # reachable: 12 + 18
        applet.gone = Box(ShortArray(5))        # about to be dropped: 12 + 18
        a, b = Box(), Box()                     # a cycle nothing else reaches: 2 x 12
        a.value, b.value = b, a

    run(sim, A, build)
    on_beta(sim, lambda applet, apdu: ByteArray(50))  # garbage of beta: not alpha's to reclaim
    before = sim.memory()

    def drop(applet: Any, apdu: Any) -> None:
        applet.gone = None
        JCSystem.requestObjectDeletion()

    run(sim, A, drop)
    after = sim.memory()
    assert before.persistent.used - after.persistent.used == 12 + 18 + 2 * 12
    assert before.objects - after.objects == 4
    # What is still reachable still works.
    assert run(sim, A, lambda applet, apdu: len(applet.kept.value)).data == b"\x00\x0A"
    # Beta's garbage goes when beta asks.
    on_beta(sim, request)
    assert before.persistent.used - sim.memory().persistent.used == 12 + 18 + 2 * 12 + 58


def test_a_request_from_one_applet_reclaims_for_its_whole_context(sim: Simulator) -> None:
    sim.install(alpha.AlphaTwin, A2)
    run(sim, A, lambda applet, apdu: ByteArray(30))
    before = persistent(sim)
    sim.select(A2)  # deselects Alpha: the same context, another applet
    run(sim, A2, request)
    assert before - persistent(sim) == 38


def test_a_reclaimed_object_is_gone_for_good(sim: Simulator) -> None:
    held: list[Any] = []

    def make(applet: Any, apdu: Any) -> None:
        held.append(Box(7))  # a reference the card cannot see, as a local variable would be

    run(sim, A, make)
    run(sim, A, request)

    def touch(applet: Any, apdu: Any) -> None:
        try:
            held[0].value
        except NullPointerException:
            return 0x0DEA
        return 0

    assert run(sim, A, touch).data == b"\x0D\xEA"


# --- the roots -------------------------------------------------------------------------------

def test_a_static_field_keeps_its_object_alive_until_it_is_cleared(sim: Simulator) -> None:
    run(sim, A, lambda applet, apdu: setattr(alpha, "stash", ByteArray(40)))
    before = persistent(sim)
    run(sim, A, request)
    assert persistent(sim) == before

    def clear(applet: Any, apdu: Any) -> None:
        alpha.stash = None
        JCSystem.requestObjectDeletion()

    run(sim, A, clear)
    assert before - persistent(sim) == 48


def test_what_a_transient_object_array_holds_is_kept_alive(sim: Simulator) -> None:
    def build(applet: Any, apdu: Any) -> None:
        applet.slots = JCSystem.makeTransientObjectArray(1, JCSystem.CLEAR_ON_RESET)
        applet.slots[0] = Box(1)

    run(sim, A, build)
    before = persistent(sim)
    run(sim, A, request)
    assert persistent(sim) == before
    assert run(sim, A, lambda applet, apdu: applet.slots[0].value).data == b"\x00\x01"
    # A reset clears the array: the box is then unreachable.
    sim.reset()
    sim.select(A)
    run(sim, A, request)
    assert before - persistent(sim) == 12


def test_an_unreachable_transient_array_is_reclaimed_with_its_RAM(sim: Simulator) -> None:
    run(sim, A, lambda applet, apdu: setattr(
        applet, "slots", JCSystem.makeTransientObjectArray(4, JCSystem.CLEAR_ON_DESELECT)))
    before = sim.memory()

    def drop(applet: Any, apdu: Any) -> None:
        applet.slots = None
        JCSystem.requestObjectDeletion()

    run(sim, A, drop)
    after = sim.memory()
    assert before.persistent.used - after.persistent.used == 8
    assert before.transient_deselect.used - after.transient_deselect.used == 8


def test_a_Shareable_object_held_by_another_context_is_not_reclaimed(sim: Simulator) -> None:
    def share(applet: Any, apdu: Any) -> None:
        applet.shared = CounterImpl()

    on_beta(sim, share)

    def take(applet: Any, apdu: Any) -> None:
        server = JCSystem.lookupAID(bytes.fromhex(B.replace(" ", "")), 0, 7)
        applet.counter = JCSystem.getAppletShareableInterfaceObject(server, 1)

    run(sim, A, take)

    def unshare(applet: Any, apdu: Any) -> None:
        applet.shared = None
        JCSystem.requestObjectDeletion()

    before = persistent(sim)
    on_beta(sim, unshare)
    assert persistent(sim) == before
    assert run(sim, A, lambda applet, apdu: applet.counter.add(5)).data == b"\x00\x05"

    def forget(applet: Any, apdu: Any) -> None:
        applet.counter = None

    run(sim, A, forget)
    on_beta(sim, request)
    assert before - persistent(sim) == 8 + 2 * 4  # the CounterImpl and its two fields


def test_an_applet_instance_keeps_everything_its_fields_reach(sim: Simulator) -> None:
    def build(applet: Any, apdu: Any) -> None:
        chain = ObjectArray(2)
        chain[0] = Box(Box(ByteArray(3)))
        applet.chain = chain

    run(sim, A, build)
    before = sim.memory()
    run(sim, A, request)
    assert sim.memory() == before


def test_an_object_a_subsystem_keeps_alive_is_not_reclaimed(sim: Simulator) -> None:
    # Subsystems (Java Card RMI's exported remote objects) register what they keep alive.
    exported: list[Any] = []
    sim.card.root_providers.append(lambda: exported)

    def export(applet: Any, apdu: Any) -> None:
        exported.append(Box(ByteArray(6)))

    run(sim, A, export)
    before = persistent(sim)
    run(sim, A, request)
    assert persistent(sim) == before
    exported.clear()
    run(sim, A, request)
    assert before - persistent(sim) == 12 + 14
