"""DES key parity.

Mirrors ``javacardx.framework.math.ParityBit`` (Java Card 3.0.5): ``set`` replaces the least
significant bit of each byte so the byte has an even (``isEven``) or odd number of set bits.
A zero length changes nothing; bounds and null are checked before any byte is written.
"""

from __future__ import annotations

from typing import Any

from jcsim.framework.util import _check, _write

__all__ = ["ParityBit"]


class ParityBit:
    """Mirrors ``javacardx.framework.math.ParityBit``."""

    @staticmethod
    def set(bArray: Any, bOff: int, bLen: int, isEven: bool) -> None:
        """Insert the parity bit of each byte of ``bArray[bOff:bOff+bLen]`` as its LSB."""
        _check(bArray, bOff, bLen, "bArray")
        out = bytearray()
        for b in bytes(bArray[bOff:bOff + bLen]):
            high = b & 0xFE
            ones = bin(high).count("1")
            # The LSB makes the total even for even parity, odd for odd parity.
            lsb = (ones & 1) if isEven else (1 - (ones & 1))
            out.append(high | lsb)
        if out:
            _write(bArray, bOff, bytes(out), True)
