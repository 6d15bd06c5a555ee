"""javacard.framework.OwnerPIN, used outside a card (its card behaviour is in
tests/runtime/test_transients.py)."""

from __future__ import annotations

import pytest

from jcsim.framework import (
    ArrayIndexOutOfBoundsException,
    ByteArray,
    JCSystem,
    NullPointerException,
    OwnerPIN,
    PINException,
)

PIN_VALUE = b"\x01\x02\x03\x04"
WRONG = b"\x01\x02\x03\x05"


def make_pin(tries: int = 3) -> OwnerPIN:
    pin = OwnerPIN(tries, 8)
    pin.update(PIN_VALUE, 0, len(PIN_VALUE))
    return pin


@pytest.mark.parametrize(("tries", "size"), [(0, 8), (3, 0), (-1, 8)])
def test_a_try_limit_or_size_below_1_is_ILLEGAL_VALUE(tries: int, size: int) -> None:
    with pytest.raises(PINException) as info:
        OwnerPIN(tries, size)
    assert info.value.getReason() == PINException.ILLEGAL_VALUE


def test_a_new_pin_is_not_validated_and_has_all_its_tries() -> None:
    pin = OwnerPIN(3, 8)
    assert pin.isValidated() is False
    assert pin.getTriesRemaining() == 3


def test_check_with_the_right_pin_validates_and_restores_the_tries() -> None:
    pin = make_pin()
    assert pin.check(WRONG, 0, 4) is False
    assert pin.getTriesRemaining() == 2
    assert pin.check(ByteArray(b"\x00" + PIN_VALUE), 1, 4) is True
    assert pin.isValidated() is True
    assert pin.getTriesRemaining() == 3


def test_check_with_a_wrong_pin_spends_a_try_and_clears_validated() -> None:
    pin = make_pin()
    assert pin.check(PIN_VALUE, 0, 4) is True
    assert pin.check(WRONG, 0, 4) is False
    assert pin.isValidated() is False
    assert pin.getTriesRemaining() == 2


def test_check_with_a_prefix_of_the_pin_fails() -> None:
    pin = make_pin()
    assert pin.check(PIN_VALUE, 0, 3) is False
    assert pin.check(PIN_VALUE + b"\x05", 0, 5) is False
    assert pin.getTriesRemaining() == 1


def test_the_pin_blocks_when_the_tries_run_out_even_for_the_right_value() -> None:
    pin = make_pin(tries=2)
    assert pin.check(WRONG, 0, 4) is False
    assert pin.check(WRONG, 0, 4) is False
    assert pin.getTriesRemaining() == 0
    assert pin.check(PIN_VALUE, 0, 4) is False
    assert pin.isValidated() is False
    assert pin.getTriesRemaining() == 0


def test_check_raising_still_spends_a_try_and_clears_validated() -> None:
    pin = make_pin()
    pin.check(PIN_VALUE, 0, 4)
    with pytest.raises(NullPointerException):
        pin.check(None, 0, 4)
    assert pin.isValidated() is False
    assert pin.getTriesRemaining() == 2
    with pytest.raises(ArrayIndexOutOfBoundsException):
        pin.check(PIN_VALUE, 2, 4)
    assert pin.getTriesRemaining() == 1


def test_reset_clears_validated_and_restores_tries_only_when_validated() -> None:
    pin = make_pin()
    pin.check(WRONG, 0, 4)
    pin.reset()
    assert pin.getTriesRemaining() == 2  # not validated: nothing happens
    pin.check(PIN_VALUE, 0, 4)
    pin.reset()
    assert pin.isValidated() is False
    assert pin.getTriesRemaining() == 3


def test_reset_does_not_unblock_a_blocked_pin() -> None:
    pin = make_pin(tries=1)
    pin.check(WRONG, 0, 4)
    pin.reset()
    assert pin.getTriesRemaining() == 0
    assert pin.check(PIN_VALUE, 0, 4) is False


def test_resetAndUnblock_restores_the_tries_of_a_blocked_pin() -> None:
    pin = make_pin(tries=1)
    pin.check(WRONG, 0, 4)
    pin.resetAndUnblock()
    assert pin.getTriesRemaining() == 1
    assert pin.isValidated() is False
    assert pin.check(PIN_VALUE, 0, 4) is True


def test_resetAndUnblock_clears_validated() -> None:
    pin = make_pin()
    pin.check(PIN_VALUE, 0, 4)
    pin.resetAndUnblock()
    assert pin.isValidated() is False


def test_update_sets_the_new_value_restores_tries_and_clears_validated() -> None:
    pin = make_pin()
    pin.check(PIN_VALUE, 0, 4)
    pin.check(WRONG, 0, 4)
    pin.update(ByteArray(b"\x09\x09\x09"), 0, 3)
    assert pin.getTriesRemaining() == 3
    assert pin.isValidated() is False
    assert pin.check(PIN_VALUE, 0, 4) is False
    assert pin.check(b"\x09\x09\x09", 0, 3) is True


def test_update_longer_than_the_maximum_size_is_ILLEGAL_VALUE_and_keeps_the_old_pin() -> None:
    pin = OwnerPIN(3, 4)
    pin.update(PIN_VALUE, 0, 4)
    with pytest.raises(PINException) as info:
        pin.update(b"\x00" * 5, 0, 5)
    assert info.value.getReason() == PINException.ILLEGAL_VALUE
    assert pin.check(PIN_VALUE, 0, 4) is True


def test_update_out_of_bounds_or_null_raises() -> None:
    pin = OwnerPIN(3, 8)
    with pytest.raises(ArrayIndexOutOfBoundsException):
        pin.update(PIN_VALUE, 2, 4)
    with pytest.raises(NullPointerException):
        pin.update(None, 0, 4)


def test_check_longer_than_the_maximum_size_just_fails() -> None:
    pin = OwnerPIN(3, 4)
    pin.update(PIN_VALUE, 0, 4)
    assert pin.check(PIN_VALUE + b"\x00", 0, 5) is False
    assert pin.getTriesRemaining() == 2


def test_the_validated_flag_lives_in_a_clear_on_reset_transient() -> None:
    assert JCSystem.isTransient(make_pin()._validated) == JCSystem.CLEAR_ON_RESET


def test_subclasses_reach_the_validated_flag_through_the_protected_accessors() -> None:
    pin = make_pin()
    pin.setValidatedFlag(True)
    assert pin.getValidatedFlag() is True
    assert pin.isValidated() is True
