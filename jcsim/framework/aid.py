"""Application identifiers (ISO 7816-5): 5 to 16 bytes, a 5-byte RID then a PIX.

Mirrors ``javacard.framework.AID``. Java overloads ``equals``; here ``equals(other)`` compares
with another AID (or None) and ``equals(bArray, offset, length)`` with bytes in an array. An AID
is also a frozen host-side value: hashable, comparable with ``==``, ``bytes(aid)``, and
``AID.from_hex("A0 00 00 00 62")``.
"""

from __future__ import annotations

from typing import Any

import attrs

from jcsim.framework.exceptions import SystemException
from jcsim.lang import ArrayIndexOutOfBoundsException, NullPointerException

__all__ = ["AID"]

RID_LENGTH = 5
MIN_LENGTH = 5
MAX_LENGTH = 16


def _valid_length(instance: Any, attribute: Any, value: bytes) -> None:
    if not MIN_LENGTH <= len(value) <= MAX_LENGTH:
        raise SystemException(SystemException.ILLEGAL_VALUE)


def _slice(array: Any, offset: int, length: int) -> bytes:
    if array is None:
        raise NullPointerException("array is null")
    if offset < 0 or length < 0 or offset + length > len(array):
        raise ArrayIndexOutOfBoundsException(offset + length)
    return bytes(array[offset:offset + length])


@attrs.frozen(init=False, repr=False, eq=True, order=False)
class AID:
    """Mirrors ``javacard.framework.AID``: ``AID(bArray, offset, length)`` or ``AID(aid_bytes)``."""

    value: bytes = attrs.field(validator=_valid_length)

    def __init__(self, bArray: Any, offset: int = 0, length: int | None = None) -> None:
        if length is None:
            length = (len(bArray) - offset) if bArray is not None else 0
        self.__attrs_init__(_slice(bArray, offset, length))

    @classmethod
    def from_hex(cls, text: str) -> AID:
        """An AID from hex digits, spaces allowed: ``AID.from_hex("A0 00 00 00 62 03 01")``."""
        return cls(bytes.fromhex(text))

    @classmethod
    def from_bytes(cls, data: bytes) -> AID:
        """An AID from its bytes."""
        return cls(data)

    def __bytes__(self) -> bytes:
        return self.value

    def __len__(self) -> int:
        return len(self.value)

    def __repr__(self) -> str:
        return f"AID.from_hex({self.value.hex().upper()!r})"

    def __str__(self) -> str:
        return self.value.hex().upper()

    # --- javacard.framework.AID -------------------------------------------------------------

    def getBytes(self, dest: Any, offset: int) -> int:
        """Copy the AID into ``dest`` at ``offset``; returns its length."""
        end = offset + len(self.value)
        if dest is None:
            raise NullPointerException("dest is null")
        if offset < 0 or end > len(dest):
            raise ArrayIndexOutOfBoundsException(end)
        dest[offset:end] = self.value
        return len(self.value)

    def getPartialBytes(self, aidOffset: int, dest: Any, oOffset: int, oLength: int) -> int:
        """Copy up to ``oLength`` bytes of the AID from ``aidOffset``; returns how many."""
        if aidOffset < 0 or aidOffset > len(self.value):
            raise ArrayIndexOutOfBoundsException(aidOffset)
        left = len(self.value) - aidOffset
        count = left if oLength == 0 else min(oLength, left)
        if dest is None:
            raise NullPointerException("dest is null")
        if oOffset < 0 or oOffset + count > len(dest):
            raise ArrayIndexOutOfBoundsException(oOffset + count)
        dest[oOffset:oOffset + count] = self.value[aidOffset:aidOffset + count]
        return count

    def equals(self, other: Any, offset: int | None = None, length: int | None = None) -> bool:
        """``equals(anAID)`` or ``equals(bArray, offset, length)``."""
        if offset is None:
            return isinstance(other, AID) and other.value == self.value
        if other is None:
            return False  # the javadoc: "This method does not throw NullPointerException"
        return _slice(other, offset, length or 0) == self.value

    def partialEquals(self, bArray: Any, offset: int, length: int) -> bool:
        """True when the AID starts with the ``length`` bytes at ``bArray[offset]``."""
        if bArray is None:
            return False
        if length > len(self.value):
            return False
        return _slice(bArray, offset, length) == self.value[:length]

    def RIDEquals(self, otherAID: Any) -> bool:
        """True when both AIDs share the 5-byte RID."""
        return isinstance(otherAID, AID) and otherAID.value[:RID_LENGTH] == self.value[:RID_LENGTH]
