"""A PIN with a try limit, owned by the applet that created it.

Mirrors ``javacard.framework.OwnerPIN``. The validated flag lives in a CLEAR_ON_RESET transient
array, so a card reset clears it (applets clear it on deselect with ``reset()`` themselves).
``check`` clears the flag and spends a try before it compares, so a tear or an exception during
the comparison cannot yield a free attempt; the try counter and the flag never take part in a
transaction, as the specification requires.
"""

from __future__ import annotations

from typing import Any

from jcsim.framework import _jcre
from jcsim.framework.arrays import BooleanArray
from jcsim.framework.card_object import Object
from jcsim.framework.exceptions import PINException
from jcsim.framework.interfaces import PIN
from jcsim.lang import ArrayIndexOutOfBoundsException, NullPointerException

__all__ = ["OwnerPIN"]

_CLEAR_ON_RESET = 1


class OwnerPIN(Object, PIN):
    """Mirrors ``javacard.framework.OwnerPIN``."""

    # The try counter is written outside the transaction journal (_jc_set_untracked): Java
    # Card says an aborted transaction does not restore it.
    _tries: int

    def __init__(self, tryLimit: int, maxPINSize: int) -> None:
        if tryLimit < 1 or maxPINSize < 1 or tryLimit > 127 or maxPINSize > 127:
            raise PINException(PINException.ILLEGAL_VALUE)
        self._try_limit = tryLimit
        self._max_size = maxPINSize
        self._jc_set_untracked("_tries", tryLimit)
        self._pin = b""
        flag = BooleanArray(1)
        jcre = _jcre.active_or_none()
        if jcre is not None:
            jcre.make_transient(flag, _CLEAR_ON_RESET)
        else:
            flag._transient = _CLEAR_ON_RESET
        self._validated = flag

    # Java's protected accessors, for subclasses.
    def getValidatedFlag(self) -> bool:
        return self._validated[0]

    def setValidatedFlag(self, value: bool) -> None:
        self._validated[0] = bool(value)

    def getTriesRemaining(self) -> int:
        """Tries left before the PIN blocks."""
        return self._tries

    def isValidated(self) -> bool:
        """True after a successful ``check`` since the last reset."""
        return self._validated[0]

    def check(self, pin: Any, offset: int, length: int) -> bool:
        """Compare; on a match set validated and restore the tries, else spend one."""
        self._validated[0] = False
        if self._tries == 0:
            return False
        self._jc_set_untracked("_tries", self._tries - 1)
        return self._compare(pin, offset, length)

    def _compare(self, pin: Any, offset: int, length: int) -> bool:
        """The comparison after the try is spent: on a match set validated and restore the
        tries."""
        if pin is None:
            raise NullPointerException("pin is null")
        if offset < 0 or length < 0 or offset + length > len(pin):
            raise ArrayIndexOutOfBoundsException(offset + length)
        if length != len(self._pin) or bytes(pin[offset:offset + length]) != self._pin:
            return False
        self._validated[0] = True
        self._jc_set_untracked("_tries", self._try_limit)
        return True

    def reset(self) -> None:
        """If validated: clear the flag and restore the tries. Otherwise nothing."""
        if self._validated[0]:
            self._validated[0] = False
            self._jc_set_untracked("_tries", self._try_limit)

    def resetAndUnblock(self) -> None:
        """Clear the flag and restore the tries, even when blocked."""
        self._validated[0] = False
        self._jc_set_untracked("_tries", self._try_limit)

    def update(self, pin: Any, offset: int, length: int) -> None:
        """Set a new PIN value, restore the tries and clear the flag."""
        self._set_pin(pin, offset, length)
        self._jc_set_untracked("_tries", self._try_limit)
        self._validated[0] = False

    def _set_pin(self, pin: Any, offset: int, length: int) -> None:
        # update's checks, in the order the javadoc lists them, and the new value.
        if length > self._max_size or length < 0:
            raise PINException(PINException.ILLEGAL_VALUE)
        if pin is None:
            raise NullPointerException("pin is null")
        if offset < 0 or offset + length > len(pin):
            raise ArrayIndexOutOfBoundsException(offset + length)
        self._pin = bytes(pin[offset:offset + length])
