"""32-bit integers in byte arrays.

Mirrors ``javacardx.framework.util.intx.JCint`` (Java Card 3.0.5): ``makeInt``, ``getInt``,
``setInt`` (big-endian, like ``Util.getShort``) and ``makeTransientIntArray``.
"""

from __future__ import annotations

from typing import Any

from jcsim.framework.arrays import IntArray
from jcsim.framework.casts import int32
from jcsim.framework.jcsystem import JCSystem
from jcsim.framework.util import _check, _write

__all__ = ["JCint"]


class JCint:
    """Mirrors ``javacardx.framework.util.intx.JCint``."""

    @staticmethod
    def makeInt(*parts: int) -> int:
        """``makeInt(b1, b2, b3, b4)`` from four bytes or ``makeInt(s1, s2)`` from two shorts,
        most significant first."""
        if len(parts) == 4:
            value = 0
            for b in parts:
                value = (value << 8) | (b & 0xFF)
        elif len(parts) == 2:
            value = ((parts[0] & 0xFFFF) << 16) | (parts[1] & 0xFFFF)
        else:
            raise TypeError("makeInt takes four bytes or two shorts")
        return int32(value)

    @staticmethod
    def getInt(bArray: Any, bOff: int) -> int:
        """The signed big-endian int at ``bArray[bOff]``."""
        _check(bArray, bOff, 4, "bArray")
        return int32(int.from_bytes(bytes(bArray[bOff:bOff + 4]), "big"))

    @staticmethod
    def setInt(bArray: Any, bOff: int, iValue: int) -> int:
        """Store ``iValue`` big-endian at ``bArray[bOff]`` (atomically if persistent); returns
        bOff+4."""
        _check(bArray, bOff, 4, "bArray")
        _write(bArray, bOff, (iValue & 0xFFFFFFFF).to_bytes(4, "big"), True)
        return bOff + 4

    @staticmethod
    def makeTransientIntArray(length: int, event: int) -> IntArray:
        """A transient ``int[]`` cleared at ``event`` (``JCSystem.CLEAR_ON_RESET`` or
        ``CLEAR_ON_DESELECT``), with ``JCSystem.makeTransientShortArray``'s checks."""
        return JCSystem._make_transient(IntArray, length, event)
