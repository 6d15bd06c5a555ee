"""An unsigned big number with a configurable maximum, kept in persistent memory.

Mirrors ``javacardx.framework.math.BigNumber`` (Java Card 3.0.5). Operands come from byte
arrays in ``FORMAT_HEX`` (big-endian binary) or ``FORMAT_BCD`` (packed decimal). The number and
its maximum are fields of an on-card object: card code's writes to them go through the
transaction journal like any other persistent field. Every operation whose result would be
negative, exceed the maximum (``setMaximum``, by default all ``maxBytes`` bytes set) or need more
than ``maxBytes`` bytes raises ``ArithmeticException`` and leaves the number unchanged; so do a
zero length, an unknown format and malformed BCD. Bounds and null come first, as in ``Util``.
"""

from __future__ import annotations

from typing import Any

from jcsim.framework.card_object import Object
from jcsim.framework.util import _check
from jcsim.lang import ArithmeticException, NullPointerException
from jcsim.x.framework.math._numbers import (
    FORMAT_BCD,
    FORMAT_HEX,
    digits_of,
    encode,
    read_number,
    write_number,
)

__all__ = ["BigNumber"]

MAX_BYTES = 32  # implementation specific: the specification asks for at least 8


class BigNumber(Object):
    """Mirrors ``javacardx.framework.math.BigNumber``."""

    FORMAT_BCD = FORMAT_BCD
    FORMAT_HEX = FORMAT_HEX

    def __init__(self, maxBytes: int) -> None:
        if not 0 < maxBytes <= MAX_BYTES:
            raise ArithmeticException(f"maxBytes must be 1..{MAX_BYTES}")
        self._capacity = (1 << (8 * maxBytes)) - 1
        self._maximum = self._capacity
        self._value = 0

    @staticmethod
    def getMaxBytesSupported() -> int:
        """The byte length of the largest number an instance can hold."""
        return MAX_BYTES

    def _operand(self, bArray: Any, bOff: int, bLen: int, arrayFormat: int) -> int:
        return read_number(bArray, bOff, bLen, arrayFormat, "bArray")

    def _set(self, value: int) -> None:
        if value < 0:
            raise ArithmeticException("the result would be negative")
        if value > self._maximum:
            raise ArithmeticException("the result would exceed the maximum")
        self._value = value

    def setMaximum(self, maxValue: Any, bOff: int, bLen: int, arrayFormat: int) -> None:
        """Set the largest value the number may take; not below the current value."""
        maximum = read_number(maxValue, bOff, bLen, arrayFormat, "maxValue")
        if maximum > self._capacity or maximum < self._value:
            raise ArithmeticException("a maximum outside the number's range")
        self._maximum = maximum

    def init(self, bArray: Any, bOff: int, bLen: int, arrayFormat: int) -> None:
        """Set the number to the operand."""
        self._set(self._operand(bArray, bOff, bLen, arrayFormat))

    def add(self, bArray: Any, bOff: int, bLen: int, arrayFormat: int) -> None:
        """Add the operand."""
        self._set(self._value + self._operand(bArray, bOff, bLen, arrayFormat))

    def subtract(self, bArray: Any, bOff: int, bLen: int, arrayFormat: int) -> None:
        """Subtract the operand."""
        self._set(self._value - self._operand(bArray, bOff, bLen, arrayFormat))

    def multiply(self, bArray: Any, bOff: int, bLen: int, arrayFormat: int) -> None:
        """Multiply by the operand."""
        self._set(self._value * self._operand(bArray, bOff, bLen, arrayFormat))

    def compareTo(self, *args: Any) -> int:
        """``compareTo(BigNumber operand)`` or ``compareTo(bArray, bOff, bLen, arrayFormat)``:
        -1, 0 or 1 as this number is less than, equal to or greater than the operand."""
        if len(args) == 1:
            if args[0] is None:
                raise NullPointerException("operand is null")
            other = args[0]._value
        elif len(args) == 4:
            other = self._operand(*args)
        else:
            raise TypeError("compareTo takes a BigNumber or (bArray, bOff, bLen, arrayFormat)")
        return (self._value > other) - (self._value < other)

    def getByteLength(self, arrayFormat: int) -> int:
        """The fewest bytes that hold the number in ``arrayFormat``."""
        return digits_of(self._value, arrayFormat)

    def toBytes(self, outBuf: Any, bOff: int, numBytes: int, arrayFormat: int) -> None:
        """Write the number right-justified in ``numBytes`` bytes of ``arrayFormat``."""
        _check(outBuf, bOff, numBytes, "outBuf")
        needed = digits_of(self._value, arrayFormat)
        if numBytes == 0 or numBytes < needed:
            raise ArithmeticException("numBytes cannot hold the number")
        write_number(outBuf, bOff, encode(self._value, arrayFormat, numBytes), "outBuf")

    def reset(self) -> None:
        """Set the number to 0."""
        self._value = 0
