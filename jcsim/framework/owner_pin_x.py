"""Owner PINs with administrative control of the try limit and counter (Java Card 3.0.5).

Mirrors the ``javacard.framework`` interfaces ``OwnerPINx`` and ``OwnerPINxWithPredecrement``,
the implementations ``OwnerPINBuilder.buildOwnerPIN`` returns, and ``OwnerPINBuilder``.

Presentation (``check``, ``decrementTriesRemaining``) keeps ``OwnerPIN``'s rules: the try
counter and the validated flag never take part in a transaction. Administration (``update``,
``setTryLimit``, ``setTriesRemaining``) does: inside a transaction an abort undoes it, as the
specification asks. With predecrement, ``decrementTriesRemaining`` spends the try first and
``check`` then only compares; a ``check`` without a preceding decrement is
``PINException.ILLEGAL_STATE``. That pending-decrement state lives in a CLEAR_ON_RESET array and
is cleared by ``check`` and by every method that touches the counter, the flag or the blocking.
"""

from __future__ import annotations

from typing import Any

from jcsim.framework import _jcre
from jcsim.framework.arrays import ByteArray
from jcsim.framework.exceptions import PINException
from jcsim.framework.interfaces import PIN
from jcsim.framework.owner_pin import OwnerPIN

__all__ = ["OwnerPINBuilder", "OwnerPINx", "OwnerPINxWithPredecrement"]

_CLEAR_ON_RESET = 1
_NONE, _PENDING, _PENDING_BLOCKED = 0, 1, 2


class OwnerPINx(PIN):
    """Mirrors the ``javacard.framework.OwnerPINx`` interface."""

    def update(self, pin: Any, offset: int, length: int) -> None:
        raise NotImplementedError

    def getTryLimit(self) -> int:
        raise NotImplementedError

    def setTryLimit(self, limit: int) -> None:
        raise NotImplementedError

    def setTriesRemaining(self, remaining: int) -> None:
        raise NotImplementedError


class OwnerPINxWithPredecrement(OwnerPINx):
    """Mirrors the ``javacard.framework.OwnerPINxWithPredecrement`` interface."""

    def decrementTriesRemaining(self) -> int:
        raise NotImplementedError


class _OwnerPINxImpl(OwnerPIN, OwnerPINx):
    """The ``OWNER_PIN_X`` kind ``OwnerPINBuilder`` builds."""

    def update(self, pin: Any, offset: int, length: int) -> None:
        """Set a new PIN value, restore the tries and clear the flag (journaled)."""
        self._set_pin(pin, offset, length)
        self._tries = self._try_limit
        self._validated[0] = False

    def getTryLimit(self) -> int:
        """The number of wrong presentations that block the PIN."""
        return self._try_limit

    def setTryLimit(self, limit: int) -> None:
        """Set the try limit and the counter to ``limit`` (1-127); clear the flag."""
        if not 1 <= limit <= 127:
            raise PINException(PINException.ILLEGAL_VALUE)
        self._try_limit = limit
        self._tries = limit
        self._validated[0] = False

    def setTriesRemaining(self, remaining: int) -> None:
        """Set the counter (0 blocks); clear the flag."""
        if not 0 <= remaining <= self._try_limit:
            raise PINException(PINException.ILLEGAL_VALUE)
        self._tries = remaining
        self._validated[0] = False


class _OwnerPINxWithPredecrementImpl(_OwnerPINxImpl, OwnerPINxWithPredecrement):
    """The ``OWNER_PIN_X_WITH_PREDECREMENT`` kind ``OwnerPINBuilder`` builds."""

    def __init__(self, tryLimit: int, maxPINSize: int) -> None:
        super().__init__(tryLimit, maxPINSize)
        state = ByteArray(1)
        jcre = _jcre.active_or_none()
        if jcre is not None:
            jcre.make_transient(state, _CLEAR_ON_RESET)
        else:
            state._transient = _CLEAR_ON_RESET
        self._predecrement = state

    def decrementTriesRemaining(self) -> int:
        """Spend a try (unless blocked) before ``check``; clear the flag; returns the tries
        left."""
        self._validated[0] = False
        if self._tries == 0:
            self._predecrement[0] = _PENDING_BLOCKED
            return 0
        self._jc_set_untracked("_tries", self._tries - 1)
        self._predecrement[0] = _PENDING
        return self._tries

    def check(self, pin: Any, offset: int, length: int) -> bool:
        """Compare after ``decrementTriesRemaining``: a match sets the flag and restores the
        tries; ILLEGAL_STATE without the decrement."""
        state = self._predecrement[0]
        if state == _NONE:
            raise PINException(PINException.ILLEGAL_STATE)
        self._predecrement[0] = _NONE
        self._validated[0] = False
        if state == _PENDING_BLOCKED:
            return False
        return self._compare(pin, offset, length)

    def reset(self) -> None:
        self._predecrement[0] = _NONE
        super().reset()

    def resetAndUnblock(self) -> None:
        self._predecrement[0] = _NONE
        super().resetAndUnblock()

    def update(self, pin: Any, offset: int, length: int) -> None:
        self._predecrement[0] = _NONE
        super().update(pin, offset, length)

    def setTryLimit(self, limit: int) -> None:
        self._predecrement[0] = _NONE
        super().setTryLimit(limit)

    def setTriesRemaining(self, remaining: int) -> None:
        self._predecrement[0] = _NONE
        super().setTriesRemaining(remaining)


class OwnerPINBuilder:
    """Mirrors ``javacard.framework.OwnerPINBuilder``."""

    OWNER_PIN = 1
    OWNER_PIN_X = 2
    OWNER_PIN_X_WITH_PREDECREMENT = 3

    @staticmethod
    def buildOwnerPIN(tryLimit: int, maxPINSize: int, pinType: int) -> PIN:
        """A new ``OwnerPIN``, ``OwnerPINx`` or ``OwnerPINxWithPredecrement``;
        ``PINException.ILLEGAL_VALUE`` for a bad limit, size or type."""
        kinds = {
            OwnerPINBuilder.OWNER_PIN: OwnerPIN,
            OwnerPINBuilder.OWNER_PIN_X: _OwnerPINxImpl,
            OwnerPINBuilder.OWNER_PIN_X_WITH_PREDECREMENT: _OwnerPINxWithPredecrementImpl,
        }
        if pinType not in kinds:
            raise PINException(PINException.ILLEGAL_VALUE)
        return kinds[pinType](tryLimit, maxPINSize)
