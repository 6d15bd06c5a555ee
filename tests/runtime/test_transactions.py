"""Transactions as an applet sees them (JCRE 3.0.5 ch. 7; API ``JCSystem``, ``Util``,
``TransactionException``): the exception reasons, what an abort restores and what it leaves,
objects created in an aborted transaction, commit capacity, the atomic ``Util`` methods, and the
JCRE's automatic abort at the end of ``process``, ``select``, ``deselect`` and ``install``."""

from __future__ import annotations

from typing import Any

import pytest

from jcsim import CardTornError, InstallError, Simulator
from jcsim.framework import (
    ISO7816,
    Applet,
    ByteArray,
    ISOException,
    JCSystem,
    TransactionException,
    Util,
)
from jcsim.lang import NullPointerException
from jcsim.runtime.journal import DEFAULT_COMMIT_CAPACITY, ELEMENT_OVERHEAD, FIELD_COST
from tests.runtime.tx_applets import PIN_VALUE, Node, Scripted, instance, run, scripted_card


def reason_of(action: Any) -> int | None:
    """Run ``action()`` in card code; the TransactionException reason it raised, or None."""
    try:
        action()
    except TransactionException as exc:
        return exc.getReason()
    return None


# --- TransactionException reasons ------------------------------------------------------------


def test_the_TransactionException_reasons_have_the_specified_values() -> None:
    assert (TransactionException.IN_PROGRESS, TransactionException.NOT_IN_PROGRESS,
            TransactionException.BUFFER_FULL, TransactionException.INTERNAL_FAILURE,
            TransactionException.ILLEGAL_USE) == (1, 2, 3, 4, 5)


def test_beginTransaction_inside_a_transaction_is_IN_PROGRESS_and_keeps_it_open() -> None:
    sim, _applet = scripted_card()
    seen: list[Any] = []

    def code(applet: Scripted, apdu: Any) -> None:
        seen.append(JCSystem.getTransactionDepth())
        JCSystem.beginTransaction()
        seen.append(JCSystem.getTransactionDepth())
        seen.append(reason_of(JCSystem.beginTransaction))
        seen.append(JCSystem.getTransactionDepth())
        JCSystem.commitTransaction()
        seen.append(JCSystem.getTransactionDepth())

    assert run(sim, code).sw == 0x9000
    assert seen == [0, 1, TransactionException.IN_PROGRESS, 1, 0]


def test_commit_or_abort_without_a_transaction_is_NOT_IN_PROGRESS() -> None:
    sim, _applet = scripted_card()
    seen: list[Any] = []

    def code(applet: Scripted, apdu: Any) -> None:
        seen.append(reason_of(JCSystem.commitTransaction))
        seen.append(reason_of(JCSystem.abortTransaction))
        JCSystem.beginTransaction()
        JCSystem.commitTransaction()
        seen.append(reason_of(JCSystem.commitTransaction))

    assert run(sim, code).sw == 0x9000
    assert seen == [TransactionException.NOT_IN_PROGRESS] * 3


def test_BUFFER_FULL_leaves_the_transaction_open_and_the_failed_write_unapplied() -> None:
    # Room for exactly two field undo entries.
    sim, applet = scripted_card(commit_capacity=2 * FIELD_COST)
    seen: list[Any] = []

    def code(applet: Scripted, apdu: Any) -> None:
        JCSystem.beginTransaction()
        applet.counter = 1
        applet.flag = True
        seen.append(JCSystem.getUnusedCommitCapacity())

        def third() -> None:
            applet.ref = applet

        seen.append(reason_of(third))
        seen.append(applet.ref)
        seen.append(JCSystem.getTransactionDepth())
        # A location already logged costs nothing more, so it can still be written.
        applet.counter = 2
        JCSystem.commitTransaction()

    assert run(sim, code).sw == 0x9000
    assert seen == [0, TransactionException.BUFFER_FULL, None, 1]
    assert (applet.counter, applet.flag, applet.ref) == (2, True, None)


def test_BUFFER_FULL_on_an_array_element_or_an_arrayCopy_writes_nothing() -> None:
    sim, applet = scripted_card(commit_capacity=FIELD_COST)
    seen: list[Any] = []

    def code(applet: Scripted, apdu: Any) -> None:
        JCSystem.beginTransaction()
        applet.counter = 7  # uses the whole capacity

        def element() -> None:
            applet.byte_array[0] = 0x11

        def copy() -> None:
            Util.arrayCopy(b"\x22\x22\x22", 0, applet.byte_array, 1, 3)

        seen.extend([reason_of(element), reason_of(copy), JCSystem.getTransactionDepth()])
        JCSystem.abortTransaction()

    assert run(sim, code).sw == 0x9000
    assert seen == [TransactionException.BUFFER_FULL, TransactionException.BUFFER_FULL, 1]
    assert bytes(applet.byte_array) == bytes(8)
    assert applet.counter == 0


# --- what an abort restores ------------------------------------------------------------------


def test_abort_restores_every_field_written_since_begin() -> None:
    sim, applet = scripted_card()
    seen: list[Any] = []

    def setup(applet: Scripted, apdu: Any) -> None:
        applet.counter = 10
        applet.ref = Node(1)

    def code(applet: Scripted, apdu: Any) -> None:
        before = applet.ref
        JCSystem.beginTransaction()
        applet.counter = 11
        applet.counter = 12
        applet.flag = True
        applet.ref = None
        before.value = 99
        JCSystem.abortTransaction()
        seen.extend([applet.counter, applet.flag, applet.ref is before, before.value])

    assert run(sim, setup).sw == 0x9000
    assert run(sim, code).sw == 0x9000
    assert seen == [10, False, True, 1]


def test_abort_restores_the_elements_of_every_kind_of_persistent_array() -> None:
    sim, applet = scripted_card()
    keep = Node(3)

    def setup(applet: Scripted, apdu: Any) -> None:
        applet.byte_array[0] = 0x01
        applet.short_array[1] = -2
        applet.int_array[0] = 0x12345678
        applet.bool_array[1] = True
        applet.object_array[0] = applet

    def code(applet: Scripted, apdu: Any) -> None:
        JCSystem.beginTransaction()
        applet.byte_array[0] = 0xFF
        applet.byte_array[7] = 0x80
        applet.short_array[1] = 0x7FFF
        applet.short_array[3] = 5
        applet.int_array[0] = -1
        applet.int_array[1] = 42
        applet.bool_array[0] = True
        applet.bool_array[1] = False
        applet.object_array[0] = None
        applet.object_array[1] = keep
        Util.arrayCopy(b"\xAA\xBB", 0, applet.byte_array, 2, 2)
        Util.arrayFill(applet.byte_array, 4, 2, 0xCC)
        Util.setShort(applet.byte_array, 5, 0x0102)
        JCSystem.abortTransaction()

    run(sim, setup)
    assert run(sim, code).sw == 0x9000
    assert bytes(applet.byte_array) == bytes([1, 0, 0, 0, 0, 0, 0, 0])
    assert list(applet.short_array) == [0, -2, 0, 0]
    assert list(applet.int_array) == [0x12345678, 0]
    assert list(applet.bool_array) == [False, True]
    assert list(applet.object_array) == [applet, None]


def test_commit_keeps_every_write_of_the_transaction() -> None:
    sim, applet = scripted_card()

    def code(applet: Scripted, apdu: Any) -> None:
        JCSystem.beginTransaction()
        applet.counter = 3
        applet.short_array[0] = 4
        Util.arrayCopy(b"\x01\x02", 0, applet.byte_array, 0, 2)
        JCSystem.commitTransaction()

    assert run(sim, code).sw == 0x9000
    assert (applet.counter, applet.short_array[0], applet.byte_array[:2]) == (3, 4, b"\x01\x02")


def test_transient_arrays_and_the_APDU_buffer_are_never_rolled_back() -> None:
    sim, applet = scripted_card()
    seen: list[Any] = []

    def code(applet: Scripted, apdu: Any) -> None:
        buffer = apdu.getBuffer()
        JCSystem.beginTransaction()
        applet.reset_bytes[0] = 0x11
        applet.deselect_bytes[1] = 0x22
        Util.arrayCopy(b"\x33\x33", 0, applet.reset_bytes, 2, 2)
        buffer[10] = 0x44
        seen.append(JCSystem.getUnusedCommitCapacity())
        JCSystem.abortTransaction()
        seen.extend([applet.reset_bytes[:4], applet.deselect_bytes[1], buffer[10]])

    assert run(sim, code).sw == 0x9000
    assert seen == [DEFAULT_COMMIT_CAPACITY, b"\x11\x00\x33\x33", 0x22, 0x44]
    assert applet.reset_bytes[0] == 0x11


# --- objects created in an aborted transaction -----------------------------------------------


def test_references_to_objects_created_in_an_aborted_transaction_read_as_null() -> None:
    sim, applet = scripted_card()
    seen: list[Any] = []

    def code(applet: Scripted, apdu: Any) -> None:
        JCSystem.beginTransaction()
        node = Node(1)
        array = ByteArray(4)
        node.next = Node(2)
        applet.ref = node
        applet.object_array[1] = array
        applet.reset_objects[0] = node
        applet.reset_objects[1] = array
        JCSystem.abortTransaction()
        seen.extend([applet.ref, applet.object_array[1], applet.reset_objects[0],
                     applet.reset_objects[1]])
        for use in (lambda: node.value, lambda: node.next, lambda: array[0],
                    lambda: array.__setitem__(0, 1), lambda: len(array),
                    lambda: Util.arrayFill(array, 0, 1, 0)):
            try:
                use()
            except NullPointerException:
                seen.append("NPE")

    assert run(sim, code).sw == 0x9000
    assert seen == [None, None, None, None] + ["NPE"] * 6


def test_objects_created_in_a_committed_transaction_live_on() -> None:
    sim, applet = scripted_card()

    def code(applet: Scripted, apdu: Any) -> None:
        JCSystem.beginTransaction()
        applet.ref = Node(8)
        applet.reset_objects[0] = applet.ref
        JCSystem.commitTransaction()

    assert run(sim, code).sw == 0x9000
    assert applet.ref.value == 8
    assert applet.reset_objects[0] is applet.ref


def test_a_reset_after_aborting_the_creation_of_transient_arrays_keeps_the_card_working() -> None:
    sim, applet = scripted_card()

    def code(applet: Scripted, apdu: Any) -> None:
        JCSystem.beginTransaction()
        applet.ref = JCSystem.makeTransientByteArray(4, JCSystem.CLEAR_ON_RESET)
        JCSystem.abortTransaction()

    assert run(sim, code).sw == 0x9000
    sim.reset()  # clears transient memory: the dead array must not be touched
    assert sim.select("F0 00 00 00 0A 01").sw == 0x9000
    assert applet.ref is None


# --- commit capacity -------------------------------------------------------------------------


def test_commit_capacity_costs_follow_the_documented_figures() -> None:
    sim, _applet = scripted_card()
    used: list[int] = []

    def code(applet: Scripted, apdu: Any) -> None:
        def spent(write: Any) -> None:
            before = JCSystem.getUnusedCommitCapacity()
            write()
            used.append(before - JCSystem.getUnusedCommitCapacity())

        used.append(JCSystem.getMaxCommitCapacity())
        used.append(JCSystem.getUnusedCommitCapacity())
        JCSystem.beginTransaction()
        spent(lambda: setattr(applet, "counter", 1))
        spent(lambda: setattr(applet, "counter", 2))  # the same location again: free
        spent(lambda: applet.byte_array.__setitem__(0, 1))
        spent(lambda: applet.short_array.__setitem__(0, 1))
        spent(lambda: applet.int_array.__setitem__(0, 1))
        spent(lambda: applet.bool_array.__setitem__(0, True))
        spent(lambda: applet.object_array.__setitem__(0, applet))
        spent(lambda: applet.short_array.__setitem__(0, 2))
        spent(lambda: Util.arrayCopy(bytes(5), 0, applet.byte_array, 3, 5))
        spent(lambda: Util.setShort(applet.byte_array, 0, 7))
        spent(lambda: applet.reset_bytes.__setitem__(0, 1))  # transient: never journaled
        JCSystem.commitTransaction()
        used.append(JCSystem.getUnusedCommitCapacity())

    assert run(sim, code).sw == 0x9000
    assert used == [
        DEFAULT_COMMIT_CAPACITY, DEFAULT_COMMIT_CAPACITY,
        FIELD_COST, 0,
        ELEMENT_OVERHEAD + 1, ELEMENT_OVERHEAD + 2, ELEMENT_OVERHEAD + 4, ELEMENT_OVERHEAD + 1,
        ELEMENT_OVERHEAD + 2, 0,
        ELEMENT_OVERHEAD + 5, ELEMENT_OVERHEAD + 2,
        0,
        DEFAULT_COMMIT_CAPACITY,
    ]
    assert (FIELD_COST, ELEMENT_OVERHEAD, DEFAULT_COMMIT_CAPACITY) == (8, 4, 512)


def test_writes_to_objects_created_in_the_transaction_cost_nothing() -> None:
    sim, _applet = scripted_card()
    used: list[int] = []

    def code(applet: Scripted, apdu: Any) -> None:
        JCSystem.beginTransaction()
        node = Node(1)
        array = ByteArray(16)
        start = JCSystem.getUnusedCommitCapacity()
        node.value = 2
        node.next = node
        array[3] = 9
        Util.arrayFill(array, 0, 16, 0x55)
        used.append(start - JCSystem.getUnusedCommitCapacity())
        applet.ref = node  # but storing it in an older object is a journaled write
        used.append(start - JCSystem.getUnusedCommitCapacity())
        JCSystem.commitTransaction()

    assert run(sim, code).sw == 0x9000
    assert used == [0, FIELD_COST]


def test_a_commit_capacity_above_32767_reads_as_32767() -> None:
    sim, _applet = scripted_card(commit_capacity=100_000)
    seen: list[int] = []

    def code(applet: Scripted, apdu: Any) -> None:
        seen.append(JCSystem.getMaxCommitCapacity())
        JCSystem.beginTransaction()
        applet.counter = 1
        seen.append(JCSystem.getUnusedCommitCapacity())
        JCSystem.commitTransaction()

    assert run(sim, code).sw == 0x9000
    assert seen == [32767, 32767]


def test_a_commit_capacity_is_configurable_per_card() -> None:
    sim, _applet = scripted_card(commit_capacity=64)
    seen: list[int] = []
    run(sim, lambda applet, apdu: seen.append(JCSystem.getMaxCommitCapacity()))
    assert seen == [64]


# --- Util: atomic and non-atomic -------------------------------------------------------------


@pytest.mark.parametrize(("name", "write", "expected_torn"), [
    ("arrayCopy", lambda a: Util.arrayCopy(b"\x01\x02\x03\x04", 0, a.byte_array, 2, 4),
     bytes([0, 0, 1, 2, 0, 0, 0, 0])),
    ("arrayFill", lambda a: Util.arrayFill(a.byte_array, 1, 5, 0x7E),
     bytes([0, 0x7E, 0x7E, 0, 0, 0, 0, 0])),
    ("setShort", lambda a: Util.setShort(a.byte_array, 6, 0x1234),
     bytes([0, 0, 0, 0, 0, 0, 0x12, 0])),
])
def test_atomic_Util_writes_outside_a_transaction_roll_back_entirely_after_a_tear(
        name: str, write: Any, expected_torn: bytes) -> None:
    sim, applet = scripted_card()
    torn_after = 1 if name == "setShort" else 2
    sim.arm_tear(after_writes=torn_after)
    with pytest.raises(CardTornError):
        run(sim, lambda applet, apdu: write(applet))
    # The power is off: the memory holds the partial write until the next power-up.
    assert bytes(applet.byte_array) == expected_torn
    sim.power_on()
    assert bytes(applet.byte_array) == bytes(8)


@pytest.mark.parametrize("name", ["arrayCopyNonAtomic", "arrayFillNonAtomic"])
def test_non_atomic_Util_writes_leave_a_partial_write_after_a_tear(name: str) -> None:
    sim, applet = scripted_card()

    def code(applet: Scripted, apdu: Any) -> None:
        if name == "arrayCopyNonAtomic":
            Util.arrayCopyNonAtomic(b"\x01\x02\x03\x04", 0, applet.byte_array, 0, 4)
        else:
            Util.arrayFillNonAtomic(applet.byte_array, 0, 4, 0x09)

    sim.arm_tear(after_writes=2)
    with pytest.raises(CardTornError):
        run(sim, code)
    sim.power_on()
    expected = b"\x01\x02" if name == "arrayCopyNonAtomic" else b"\x09\x09"
    assert bytes(applet.byte_array) == expected + bytes(6)


def test_non_atomic_Util_writes_are_not_rolled_back_by_abortTransaction() -> None:
    sim, applet = scripted_card()
    seen: list[int] = []

    def code(applet: Scripted, apdu: Any) -> None:
        JCSystem.beginTransaction()
        before = JCSystem.getUnusedCommitCapacity()
        Util.arrayCopyNonAtomic(b"\x01\x02", 0, applet.byte_array, 0, 2)
        Util.arrayFillNonAtomic(applet.byte_array, 4, 2, 0x33)
        seen.append(before - JCSystem.getUnusedCommitCapacity())
        applet.byte_array[7] = 0x77  # journaled: this one is undone
        JCSystem.abortTransaction()

    assert run(sim, code).sw == 0x9000
    assert seen == [0]
    assert bytes(applet.byte_array) == bytes([1, 2, 0, 0, 0x33, 0x33, 0, 0])


def test_an_atomic_arrayCopy_larger_than_the_commit_capacity_is_BUFFER_FULL_and_copies_nothing(
        ) -> None:
    sim, applet = scripted_card(commit_capacity=FIELD_COST)
    seen: list[Any] = []

    def code(applet: Scripted, apdu: Any) -> None:
        seen.append(reason_of(lambda: Util.arrayCopy(b"\x01" * 8, 0, applet.byte_array, 0, 8)))
        # The non-atomic copy does not use the commit buffer at all.
        Util.arrayCopyNonAtomic(b"\x02" * 8, 0, applet.reset_bytes, 0, 8)
        Util.arrayCopyNonAtomic(b"\x02" * 8, 0, applet.byte_array, 0, 8)

    assert run(sim, code).sw == 0x9000
    assert seen == [TransactionException.BUFFER_FULL]
    assert bytes(applet.byte_array) == b"\x02" * 8


def test_a_single_field_write_interrupted_by_a_tear_is_complete() -> None:
    # Each single write is atomic by itself: the tear comes after it, never inside.
    sim, applet = scripted_card()
    sim.arm_tear(after_writes=1)
    with pytest.raises(CardTornError):
        run(sim, lambda applet, apdu: setattr(applet, "counter", 0x1234))
    sim.power_on()
    assert applet.counter == 0x1234


# --- OwnerPIN ----------------------------------------------------------------------------------


def test_an_abort_does_not_give_back_the_try_a_wrong_PIN_spent() -> None:
    sim, applet = scripted_card()
    seen: list[Any] = []

    def code(applet: Scripted, apdu: Any) -> None:
        JCSystem.beginTransaction()
        seen.append(applet.pin.check(b"0000", 0, 4))
        seen.append(applet.pin.getTriesRemaining())
        JCSystem.abortTransaction()
        seen.append(applet.pin.getTriesRemaining())

    assert run(sim, code).sw == 0x9000
    assert seen == [False, 2, 2]


def test_a_PIN_update_in_an_aborted_transaction_keeps_the_old_PIN() -> None:
    sim, applet = scripted_card()
    seen: list[Any] = []

    def code(applet: Scripted, apdu: Any) -> None:
        JCSystem.beginTransaction()
        applet.pin.update(b"9999", 0, 4)
        JCSystem.abortTransaction()
        seen.append(applet.pin.check(PIN_VALUE, 0, 4))

    assert run(sim, code).sw == 0x9000
    assert seen == [True]


# --- the JCRE's automatic abort --------------------------------------------------------------


def test_process_returning_with_an_open_transaction_answers_6F00_and_rolls_back() -> None:
    sim, applet = scripted_card()
    seen: list[int] = []

    def code(applet: Scripted, apdu: Any) -> None:
        JCSystem.beginTransaction()
        applet.counter = 5
        buffer = apdu.getBuffer()
        buffer[0] = 0x42
        apdu.setOutgoingAndSend(0, 1)

    response = run(sim, code)
    assert (response.sw, response.data) == (ISO7816.SW_UNKNOWN, b"")
    assert applet.counter == 0
    run(sim, lambda applet, apdu: seen.append(JCSystem.getTransactionDepth()))
    assert seen == [0]


def test_process_throwing_ISOException_with_an_open_transaction_answers_its_status_word() -> None:
    sim, applet = scripted_card()

    def code(applet: Scripted, apdu: Any) -> None:
        JCSystem.beginTransaction()
        applet.counter = 5
        ISOException.throwIt(ISO7816.SW_CONDITIONS_NOT_SATISFIED)

    assert run(sim, code).sw == 0x6985
    assert applet.counter == 0


def test_process_throwing_anything_else_with_an_open_transaction_answers_6F00() -> None:
    sim, applet = scripted_card()

    def code(applet: Scripted, apdu: Any) -> None:
        JCSystem.beginTransaction()
        applet.counter = 5
        raise NullPointerException("boom")

    assert run(sim, code).sw == 0x6F00
    assert applet.counter == 0


class OpensInSelect(Applet):
    """select() opens a transaction and returns True: the selection must fail."""

    def __init__(self) -> None:
        self.visits = 0

    def select(self) -> bool:
        JCSystem.beginTransaction()
        self.visits = self.visits + 1
        return True

    def process(self, apdu: Any) -> None:
        pass


class OpensInDeselect(Applet):
    """deselect() opens a transaction and writes; the JCRE aborts it."""

    def __init__(self) -> None:
        self.visits = 0

    def deselect(self) -> None:
        JCSystem.beginTransaction()
        self.visits = self.visits + 1

    def process(self, apdu: Any) -> None:
        pass


class OpensInInstall(Applet):
    """install() registers, then leaves a transaction open."""

    @classmethod
    def install(cls, bArray: Any, bOffset: int, bLength: int) -> None:
        cls().register(bArray, bOffset + 1, bArray[bOffset])
        JCSystem.beginTransaction()


class FailsInInstallInATransaction(Applet):
    """install() opens a transaction, then throws."""

    @classmethod
    def install(cls, bArray: Any, bOffset: int, bLength: int) -> None:
        JCSystem.beginTransaction()
        cls().register(bArray, bOffset + 1, bArray[bOffset])
        ISOException.throwIt(0x6A80)


def test_select_leaving_a_transaction_open_fails_with_6999_and_is_rolled_back(
        t1: Simulator) -> None:
    t1.install(OpensInSelect, "F0 00 00 00 0B 01")
    assert t1.select("F0 00 00 00 0B 01").sw == 0x6999
    assert t1.selected() is None
    assert instance(t1, "F0 00 00 00 0B 01").visits == 0
    assert t1.card.journal.depth == 0


def test_deselect_leaving_a_transaction_open_is_aborted(t1: Simulator) -> None:
    t1.install(OpensInDeselect, "F0 00 00 00 0C 01")
    t1.install(Scripted, "F0 00 00 00 0A 01")
    assert t1.select("F0 00 00 00 0C 01").sw == 0x9000
    assert t1.select("F0 00 00 00 0A 01").sw == 0x9000  # deselects the first
    assert instance(t1, "F0 00 00 00 0C 01").visits == 0
    assert t1.card.journal.depth == 0
    assert run(t1, lambda applet, apdu: None).sw == 0x9000


@pytest.mark.parametrize("applet_class", [OpensInInstall, FailsInInstallInATransaction])
def test_install_leaving_a_transaction_open_raises_InstallError_and_installs_nothing(
        t1: Simulator, applet_class: type) -> None:
    with pytest.raises(InstallError):
        t1.install(applet_class, "F0 00 00 00 0D 01")
    assert t1.card.registry.find(bytes.fromhex("F00000000D01")) is None
    assert t1.card.journal.depth == 0
    t1.install(Scripted, "F0 00 00 00 0D 01")  # the AID is free again
