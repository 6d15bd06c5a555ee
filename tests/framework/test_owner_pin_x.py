"""OwnerPINBuilder, OwnerPINx, OwnerPINxWithPredecrement and SensitiveArrays on a card: the
specification's presentation and administration rules, transactions and reason codes."""

from __future__ import annotations

from typing import Any, Callable

import pytest

from jcsim import Simulator
from jcsim.framework import (
    ByteArray,
    JCSystem,
    OwnerPIN,
    OwnerPINBuilder,
    OwnerPINx,
    OwnerPINxWithPredecrement,
    PINException,
    SecurityException,
    SensitiveArrays,
    ShortArray,
    SystemException,
    Util,
)
from jcsim.framework.sensitive_arrays import corrupt_sensitive_array
from tests.helpers import install_probe

PIN = ByteArray(b"1234")
WRONG = ByteArray(b"0000")


def on_card(body: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    """Run ``body(seen)`` in a probe applet's process; returns what it recorded."""
    sim = Simulator("T=1")
    seen: dict[str, Any] = {}
    install_probe(sim, lambda apdu: body(seen))
    assert sim.transmit("80 00 00 00").sw == 0x9000
    seen["sim"] = sim
    return seen


def reason(call: Callable[..., Any], *args: Any) -> int:
    with pytest.raises(PINException) as info:
        call(*args)
    return info.value.getReason()


def test_the_builder_makes_each_kind_and_refuses_bad_parameters():
    def body(seen):
        seen["kinds"] = [OwnerPINBuilder.buildOwnerPIN(3, 8, t) for t in (1, 2, 3)]
        seen["reasons"] = [reason(OwnerPINBuilder.buildOwnerPIN, 3, 8, 4),
                           reason(OwnerPINBuilder.buildOwnerPIN, 0, 8, 2)]

    seen = on_card(body)
    plain, x, pre = seen["kinds"]
    assert isinstance(plain, OwnerPIN) and not isinstance(plain, OwnerPINx)
    assert isinstance(x, OwnerPINx) and not isinstance(x, OwnerPINxWithPredecrement)
    assert isinstance(pre, OwnerPINxWithPredecrement)
    assert seen["reasons"] == [PINException.ILLEGAL_VALUE] * 2


def test_owner_pin_x_administration_sets_limit_and_counter():
    def body(seen):
        pin = OwnerPINBuilder.buildOwnerPIN(3, 8, OwnerPINBuilder.OWNER_PIN_X)
        pin.update(PIN, 0, 4)
        assert not pin.check(WRONG, 0, 4)
        seen["after_wrong"] = pin.getTriesRemaining()
        pin.setTryLimit(5)
        seen["limit"] = (pin.getTryLimit(), pin.getTriesRemaining())
        pin.setTriesRemaining(0)
        seen["blocked_check"] = pin.check(PIN, 0, 4)
        seen["reasons"] = [reason(pin.setTryLimit, 0), reason(pin.setTriesRemaining, 6),
                           reason(pin.setTriesRemaining, -1)]
        pin.setTriesRemaining(2)
        seen["good"] = (pin.check(PIN, 0, 4), pin.isValidated(), pin.getTriesRemaining())

    seen = on_card(body)
    assert seen["after_wrong"] == 2
    assert seen["limit"] == (5, 5)
    assert seen["blocked_check"] is False
    assert seen["reasons"] == [PINException.ILLEGAL_VALUE] * 3
    assert seen["good"] == (True, True, 5)


def test_administration_takes_part_in_a_transaction_and_presentation_does_not():
    def body(seen):
        pin = OwnerPINBuilder.buildOwnerPIN(3, 8, OwnerPINBuilder.OWNER_PIN_X)
        pin.update(PIN, 0, 4)
        JCSystem.beginTransaction()
        pin.setTriesRemaining(1)
        JCSystem.abortTransaction()
        seen["admin"] = pin.getTriesRemaining()
        JCSystem.beginTransaction()
        pin.check(WRONG, 0, 4)
        JCSystem.abortTransaction()
        seen["presentation"] = pin.getTriesRemaining()

    seen = on_card(body)
    assert seen == {"admin": 3, "presentation": 2, "sim": seen["sim"]}


def test_predecrement_spends_the_try_before_the_comparison():
    def body(seen):
        pin = OwnerPINBuilder.buildOwnerPIN(2, 8, OwnerPINBuilder.OWNER_PIN_X_WITH_PREDECREMENT)
        pin.update(PIN, 0, 4)
        seen["no_decrement"] = reason(pin.check, PIN, 0, 4)
        seen["decremented"] = pin.decrementTriesRemaining()
        seen["wrong"] = (pin.check(WRONG, 0, 4), pin.getTriesRemaining())
        seen["twice"] = reason(pin.check, PIN, 0, 4)  # the decrement was used up
        seen["last"] = pin.decrementTriesRemaining()
        seen["right_on_last_try"] = (pin.check(PIN, 0, 4), pin.getTriesRemaining())
        pin.setTriesRemaining(0)
        pin.decrementTriesRemaining()
        seen["blocked"] = (pin.check(PIN, 0, 4), pin.getTriesRemaining())
        pin.decrementTriesRemaining()
        pin.resetAndUnblock()
        seen["cleared_by_unblock"] = reason(pin.check, PIN, 0, 4)
        pin.decrementTriesRemaining()
        seen["pending"] = pin.getTriesRemaining()

    seen = on_card(body)
    assert seen["no_decrement"] == PINException.ILLEGAL_STATE
    assert seen["decremented"] == 1
    assert seen["wrong"] == (False, 1)
    assert seen["twice"] == PINException.ILLEGAL_STATE
    assert seen["last"] == 0
    assert seen["right_on_last_try"] == (True, 2)
    assert seen["blocked"] == (False, 0)
    assert seen["cleared_by_unblock"] == PINException.ILLEGAL_STATE
    assert seen["pending"] == 1


def test_a_reset_clears_a_pending_decrement():
    pins = []

    def body(seen):
        pin = OwnerPINBuilder.buildOwnerPIN(3, 8, OwnerPINBuilder.OWNER_PIN_X_WITH_PREDECREMENT)
        pin.update(PIN, 0, 4)
        pin.decrementTriesRemaining()
        pins.append(pin)

    seen = on_card(body)
    seen["sim"].reset()
    with pytest.raises(PINException) as info:
        pins[0].check(PIN, 0, 4)
    assert info.value.getReason() == PINException.ILLEGAL_STATE
    assert pins[0].getTriesRemaining() == 2  # the spent try stays spent


def test_integrity_sensitive_arrays_detect_a_simulated_fault():
    made = []

    def body(seen):
        array = SensitiveArrays.makeIntegritySensitiveArray(
            JCSystem.ARRAY_TYPE_SHORT, JCSystem.MEMORY_TYPE_PERSISTENT, 3)
        array[0] = 7
        transient = SensitiveArrays.makeIntegritySensitiveArray(
            JCSystem.ARRAY_TYPE_BYTE, JCSystem.MEMORY_TYPE_TRANSIENT_DESELECT, 4)
        seen["kinds"] = (type(array).__mro__[2], JCSystem.isTransient(transient),
                         SensitiveArrays.isIntegritySensitive(array),
                         SensitiveArrays.isIntegritySensitive(ShortArray(1)))
        SensitiveArrays.assertIntegrity(array)
        with pytest.raises(SystemException):
            SensitiveArrays.assertIntegrity(ByteArray(1))
        with pytest.raises(SystemException):
            SensitiveArrays.makeIntegritySensitiveArray(9, JCSystem.MEMORY_TYPE_PERSISTENT, 1)
        made.extend([array, transient])

    seen = on_card(body)
    array, transient = made
    assert seen["kinds"] == (ShortArray, JCSystem.CLEAR_ON_DESELECT, True, False)
    assert SensitiveArrays.isIntegritySensitiveArraysSupported()
    corrupt_sensitive_array(transient, 1, 0x55)
    with pytest.raises(SecurityException):
        SensitiveArrays.assertIntegrity(transient)
    with pytest.raises(SecurityException):
        transient[0] = 1  # checked before an update
    with pytest.raises(SecurityException):
        Util.arrayFillNonAtomic(transient, 0, 4, 0)
    assert SensitiveArrays.clearArray(transient) == 4
    assert bytes(transient) == bytes(4)
    SensitiveArrays.assertIntegrity(transient)
    assert list(array) == [7, 0, 0]
