"""The journal on its own (``jcsim.runtime.journal``): undo entries and their commit-capacity
costs, write counting, tears inside a write, and recovery at power-up."""

from __future__ import annotations

from typing import Any

import pytest

from jcsim.framework import ByteArray, IntArray, Object, ShortArray, TransactionException
from jcsim.lang import NullPointerException
from jcsim.runtime.journal import (
    DEFAULT_COMMIT_CAPACITY,
    ELEMENT_OVERHEAD,
    FIELD_COST,
    Journal,
    PowerLoss,
)


class Thing(Object):
    pass


def on(journal: Journal, *objects: Any) -> None:
    """Bind objects made outside card code to ``journal``, as the card binds its own."""
    for obj in objects:
        if hasattr(obj, "_store"):
            obj._store = journal
        else:
            object.__setattr__(obj, "_jc_store", journal)


def test_the_documented_costs_are_4_bytes_of_location_plus_the_old_value() -> None:
    assert ELEMENT_OVERHEAD == 4
    assert FIELD_COST == ELEMENT_OVERHEAD + 4
    assert DEFAULT_COMMIT_CAPACITY == 512


def test_a_capacity_too_small_for_one_field_is_refused() -> None:
    with pytest.raises(ValueError):
        Journal(FIELD_COST - 1)
    assert Journal(FIELD_COST).capacity == FIELD_COST


def test_only_the_first_write_to_a_location_in_a_transaction_costs() -> None:
    journal = Journal()
    thing, data = Thing(), ShortArray(4)
    on(journal, thing, data)
    journal.begin()
    thing.a = 1
    thing.a = 2
    thing.b = 3
    data[0] = 1
    data[0] = 2
    data[1] = 3
    assert journal.used == 2 * FIELD_COST + 2 * (ELEMENT_OVERHEAD + 2)
    assert journal.unused_commit_capacity() == DEFAULT_COMMIT_CAPACITY - journal.used


def test_an_element_costs_the_overhead_plus_its_java_width() -> None:
    journal = Journal()
    arrays = ByteArray(1), ShortArray(1), IntArray(1)
    on(journal, *arrays)
    costs = []
    journal.begin()
    for array in arrays:
        before = journal.used
        array[0] = 1
        costs.append(journal.used - before)
    assert costs == [ELEMENT_OVERHEAD + 1, ELEMENT_OVERHEAD + 2, ELEMENT_OVERHEAD + 4]


def test_every_atomic_range_write_in_a_transaction_costs_the_overhead_plus_its_length() -> None:
    journal = Journal()
    data = ByteArray(8)
    on(journal, data)
    journal.begin()
    journal.write_range(data, 0, b"\x01\x02\x03")
    journal.write_range(data, 0, b"\x04\x05\x06")
    assert journal.used == 2 * (ELEMENT_OVERHEAD + 3)
    journal.abort()
    assert bytes(data) == bytes(8)


def test_objects_created_in_the_transaction_need_no_undo_entries() -> None:
    journal = Journal()
    journal.begin()
    thing, data = Thing(), ByteArray(4)
    on(journal, thing, data)
    journal.note_created(thing)
    journal.note_created(data)
    thing.a = 1
    data[0] = 1
    journal.write_range(data, 1, b"\x02\x03")
    assert journal.used == 0
    assert journal.undo == []


def test_a_write_over_the_capacity_is_BUFFER_FULL_and_is_not_applied() -> None:
    journal = Journal(FIELD_COST)
    thing = Thing()
    on(journal, thing)
    journal.begin()
    thing.a = 1
    with pytest.raises(TransactionException) as caught:
        thing.b = 2
    assert caught.value.getReason() == TransactionException.BUFFER_FULL
    assert "b" not in thing.__dict__
    assert journal.depth == 1


def test_the_capacity_figures_saturate_at_32767() -> None:
    journal = Journal(40_000)
    assert journal.max_commit_capacity() == 32767
    assert journal.unused_commit_capacity() == 32767
    journal.begin()
    journal.used = 30_000
    assert journal.unused_commit_capacity() == 10_000


def test_every_persistent_write_counts_including_untracked_and_non_atomic_ones() -> None:
    journal = Journal()
    thing, data = Thing(), ByteArray(8)
    on(journal, thing, data)
    thing.a = 1
    journal.write_field_untracked(thing, "tries", 3)
    data[0] = 1
    journal.write_range(data, 0, b"\x01\x02\x03")
    journal.write_range_non_atomic(data, 4, b"\x01\x02")
    assert journal.writes == 1 + 1 + 1 + 3 + 2


def test_a_tear_comes_just_after_the_nth_write() -> None:
    journal = Journal()
    thing = Thing()
    on(journal, thing)
    journal.start_command(tear_after=2)
    thing.a = 1
    with pytest.raises(PowerLoss):
        thing.b = 2
    assert (thing.a, thing.b) == (1, 2)


def test_a_tear_inside_an_atomic_range_is_undone_by_recover() -> None:
    journal = Journal()
    data = ByteArray(b"\x10\x20\x30\x40")
    on(journal, data)
    journal.start_command(tear_after=2)
    with pytest.raises(PowerLoss):
        journal.write_range(data, 0, b"\x01\x02\x03\x04")
    assert bytes(data) == b"\x01\x02\x30\x40"
    assert journal.pending
    assert journal.recover() == []
    assert bytes(data) == b"\x10\x20\x30\x40"
    assert not journal.pending


def test_a_tear_inside_a_non_atomic_range_leaves_what_was_written() -> None:
    journal = Journal()
    data = ByteArray(4)
    on(journal, data)
    journal.start_command(tear_after=3)
    with pytest.raises(PowerLoss):
        journal.write_range_non_atomic(data, 0, b"\x01\x02\x03\x04")
    assert not journal.pending
    assert bytes(data) == b"\x01\x02\x03\x00"


def test_recover_rolls_back_an_interrupted_transaction_and_kills_what_it_created() -> None:
    journal = Journal()
    thing = Thing()
    on(journal, thing)
    thing.a = 1
    journal.begin()
    thing.a = 2
    child = Thing()
    on(journal, child)
    journal.note_created(child)
    thing.child = child
    assert journal.pending
    assert journal.recover() == [child]
    assert thing.a == 1 and "child" not in thing.__dict__
    with pytest.raises(NullPointerException):
        child.anything
    assert journal.depth == 0 and not journal.pending


def test_PowerLoss_is_not_an_Exception_so_applet_code_cannot_swallow_it() -> None:
    assert issubclass(PowerLoss, BaseException)
    assert not issubclass(PowerLoss, Exception)


def test_start_command_resets_the_per_command_count() -> None:
    journal = Journal()
    thing = Thing()
    on(journal, thing)
    thing.a = 1
    journal.start_command(None)
    assert (journal.writes, journal.total_writes) == (0, 1)
