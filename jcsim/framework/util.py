"""Array copy, fill, compare and short packing.

Mirrors ``javacard.framework.Util``. Sources may be Python bytes-like constants as well as
``ByteArray``. Bounds are checked as Java does (Python slices would silently clamp). The atomic
variants write a persistent destination all or nothing through the card's persistence store;
the NonAtomic variants write element by element outside any transaction.
"""

from __future__ import annotations

from typing import Any

from jcsim.framework import _jcre, arrays
from jcsim.framework.casts import byte, short
from jcsim.lang import ArrayIndexOutOfBoundsException, NullPointerException, SecurityException

__all__ = ["Util"]

_BYTE_ARRAYS = frozenset({arrays.ByteArray, arrays.TemporaryByteArray})
_ba_getitem = bytearray.__getitem__
_ba_len = bytearray.__len__
_local = _jcre._local


def _check(array: Any, offset: int, length: int, name: str) -> None:
    if array is None:
        raise NullPointerException(f"{name} is null")
    if offset < 0 or length < 0 or offset + length > len(array):
        raise ArrayIndexOutOfBoundsException(offset + length if offset >= 0 else offset)


def _write(dest: Any, offset: int, data: bytes, atomic: bool) -> None:
    if getattr(dest, "_jc_compromised", False):  # SensitiveArrays: checked before an update
        raise SecurityException("integrity-sensitive array compromised")
    if (owner := getattr(dest, "_owner", None)) is not None and arrays.FIREWALL_CHECK is not None:
        card = _local.jcre  # the check's first tests, written out (see arrays.FIREWALL_CHECK)
        if card is not None and card.context is not owner:
            arrays.FIREWALL_CHECK(dest)
    store = getattr(dest, "_store", None)
    if store is None:
        bytearray.__setitem__(dest, slice(offset, offset + len(data)), data)
    elif atomic:
        store.write_range(dest, offset, data)
    else:
        store.write_range_non_atomic(dest, offset, data)


class Util:
    """Mirrors ``javacard.framework.Util``."""

    @staticmethod
    def arrayCopy(src: Any, srcOff: int, dest: Any, destOff: int, length: int) -> int:
        """Copy atomically (all or nothing for a persistent ``dest``); returns destOff+length."""
        _check(src, srcOff, length, "src")
        _check(dest, destOff, length, "dest")
        _write(dest, destOff, bytes(src[srcOff:srcOff + length]), True)
        return destOff + length

    @staticmethod
    def arrayCopyNonAtomic(src: Any, srcOff: int, dest: Any, destOff: int, length: int) -> int:
        """Copy without the transaction facility; returns destOff+length."""
        _check(src, srcOff, length, "src")
        _check(dest, destOff, length, "dest")
        _write(dest, destOff, bytes(src[srcOff:srcOff + length]), False)
        return destOff + length

    @staticmethod
    def arrayFill(bArray: Any, bOff: int, bLen: int, bValue: int) -> int:
        """Fill atomically with ``bValue``; returns bOff+bLen."""
        _check(bArray, bOff, bLen, "bArray")
        _write(bArray, bOff, bytes([bValue & 0xFF]) * bLen, True)
        return bOff + bLen

    @staticmethod
    def arrayFillNonAtomic(bArray: Any, bOff: int, bLen: int, bValue: int) -> int:
        """Fill without the transaction facility; returns bOff+bLen."""
        _check(bArray, bOff, bLen, "bArray")
        _write(bArray, bOff, bytes([bValue & 0xFF]) * bLen, False)
        return bOff + bLen

    @staticmethod
    def arrayCompare(src: Any, srcOff: int, dest: Any, destOff: int, length: int) -> int:
        """0 if equal; else -1 or 1 by the first differing byte, compared as Java's signed bytes."""
        _check(src, srcOff, length, "src")
        _check(dest, destOff, length, "dest")
        a = bytes(src[srcOff:srcOff + length])
        b = bytes(dest[destOff:destOff + length])
        if a == b:
            return 0
        for x, y in zip(a, b, strict=True):
            if x != y:
                return -1 if byte(x) < byte(y) else 1
        return 0  # unreachable: equal-length unequal sequences differ somewhere

    @staticmethod
    def makeShort(b1: int, b2: int) -> int:
        """``(short)((b1 << 8) | (b2 & 0xFF))``."""
        return short(((b1 & 0xFF) << 8) | (b2 & 0xFF))

    @staticmethod
    def getShort(bArray: Any, bOff: int) -> int:
        """The signed big-endian short at ``bArray[bOff]``."""
        if type(bArray) in _BYTE_ARRAYS and type(bOff) is int:
            # A byte array (the APDU buffer, most often) read in line: the firewall check of
            # its length and of its two elements is one check, since the running context cannot
            # change between them; out of bounds goes the general way, which raises.
            if (owner := bArray._owner) is not None and arrays.FIREWALL_CHECK is not None:
                card = _local.jcre
                if card is not None and card.context is not owner:
                    arrays.FIREWALL_CHECK(bArray)
            if 0 <= bOff <= _ba_len(bArray) - 2:
                value = (_ba_getitem(bArray, bOff) << 8) | _ba_getitem(bArray, bOff + 1)
                return value - 0x10000 if value & 0x8000 else value
        _check(bArray, bOff, 2, "bArray")
        return short((bArray[bOff] << 8) | bArray[bOff + 1])

    @staticmethod
    def setShort(bArray: Any, bOff: int, sValue: int) -> int:
        """Store ``sValue`` big-endian at ``bArray[bOff]`` (atomically if persistent); returns
        bOff+2."""
        _check(bArray, bOff, 2, "bArray")
        _write(bArray, bOff, (sValue & 0xFFFF).to_bytes(2, "big"), True)
        return bOff + 2
