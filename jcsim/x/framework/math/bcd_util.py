"""Packed BCD conversions.

Mirrors ``javacardx.framework.math.BCDUtil`` (Java Card 3.0.5). Numbers are unsigned; a hex
value is big-endian binary. ``convertToBCD`` writes the fewest bytes that hold the decimal
digits, right-justified (a leading 0 nibble when the digit count is odd); ``convertToHex`` writes
the fewest bytes that hold the value (one byte for 0). Both return the byte length written.
ArithmeticException for a zero length, an input longer than ``getMaxBytesSupported()`` (hex), a
BCD value that needs more hex bytes than that, or malformed BCD. Bounds and null are checked
first; nothing is written when an exception is thrown, and the input is read whole before the
output is written (the same array may be both).
"""

from __future__ import annotations

from typing import Any

from jcsim.framework.util import _check
from jcsim.lang import ArithmeticException
from jcsim.x.framework.math._numbers import (
    FORMAT_BCD,
    FORMAT_HEX,
    digits_of,
    encode,
    is_bcd,
    read_number,
    write_number,
)

__all__ = ["BCDUtil"]

MAX_BYTES = 32  # implementation specific: the specification asks for at least 8


class BCDUtil:
    """Mirrors ``javacardx.framework.math.BCDUtil``."""

    @staticmethod
    def getMaxBytesSupported() -> int:
        """The byte length of the largest hex value the conversions take."""
        return MAX_BYTES

    @staticmethod
    def convertToBCD(hexArray: Any, bOff: int, bLen: int, bcdArray: Any, outOff: int) -> int:
        """Write the BCD form of the hex value at ``bcdArray[outOff]``; returns its length."""
        _check(hexArray, bOff, bLen, "hexArray")
        if bLen > MAX_BYTES:
            raise ArithmeticException("longer than getMaxBytesSupported()")
        value = read_number(hexArray, bOff, bLen, FORMAT_HEX, "hexArray")
        length = digits_of(value, FORMAT_BCD)
        write_number(bcdArray, outOff, encode(value, FORMAT_BCD, length), "bcdArray")
        return length

    @staticmethod
    def convertToHex(bcdArray: Any, bOff: int, bLen: int, hexArray: Any, outOff: int) -> int:
        """Write the hex form of the BCD value at ``hexArray[outOff]``; returns its length."""
        value = read_number(bcdArray, bOff, bLen, FORMAT_BCD, "bcdArray")
        length = digits_of(value, FORMAT_HEX)
        if length > MAX_BYTES:
            raise ArithmeticException("needs more than getMaxBytesSupported() bytes")
        write_number(hexArray, outOff, encode(value, FORMAT_HEX, length), "hexArray")
        return length

    @staticmethod
    def isBCDFormat(bcdArray: Any, bOff: int, bLen: int) -> bool:
        """True if every nibble of the data is a decimal digit (no upper bound on length)."""
        _check(bcdArray, bOff, bLen, "bcdArray")
        if bLen == 0:
            raise ArithmeticException("the length is 0")
        return is_bcd(bytes(bcdArray[bOff:bOff + bLen]))
