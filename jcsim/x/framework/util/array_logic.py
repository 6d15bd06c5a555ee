"""Copy, fill, compare and search on arrays of any primitive type.

Mirrors ``javacardx.framework.util.ArrayLogic`` (Java Card 3.0.5). The arrays are ``byte[]``,
``short[]``, ``int[]`` or ``boolean[]`` (``ByteArray``, ``ShortArray``, ``IntArray``,
``BooleanArray``); offsets and lengths count elements of the array they index. Anything else
(an ``Object[]``, a non-array) is ``UtilException.ILLEGAL_VALUE``; two arrays an operation needs
of one type but given of two are ``UtilException.TYPE_MISMATCHED``. ``arrayCopyRepack`` moves the
big-endian bytes of the source elements into destination elements of another width: the byte
count must make whole destination elements, or ILLEGAL_VALUE. Bounds, then null, are checked
as ``Util`` does, before anything is written. The plain forms write a persistent destination
all or nothing; the NonAtomic forms element by element outside any transaction.
"""

from __future__ import annotations

from typing import Any

from jcsim.framework import arrays
from jcsim.framework.arrays import BooleanArray, ByteArray, IntArray, JavaArray, ShortArray
from jcsim.framework.exceptions import UtilException
from jcsim.lang import ArrayIndexOutOfBoundsException, NullPointerException, SecurityException

__all__ = ["ArrayLogic"]

_WIDTH: dict[type[JavaArray], int] = {ByteArray: 1, BooleanArray: 1, ShortArray: 2, IntArray: 4}


def _kind(array: Any, name: str) -> type[JavaArray]:
    """The primitive array class of ``array`` (its Java type)."""
    if array is None:
        raise NullPointerException(f"{name} is null")
    for cls in _WIDTH:
        if isinstance(array, cls):
            return cls
    raise UtilException(UtilException.ILLEGAL_VALUE)


def _bounds(array: Any, offset: int, length: int) -> None:
    if offset < 0 or length < 0 or offset + length > len(array):
        raise ArrayIndexOutOfBoundsException(offset + length if offset >= 0 else offset)


def _to_bytes(kind: type[JavaArray], values: list) -> bytes:
    if kind is BooleanArray:
        return bytes(1 if v else 0 for v in values)
    width = _WIDTH[kind]
    return b"".join((v & ((1 << 8 * width) - 1)).to_bytes(width, "big") for v in values)


def _from_bytes(kind: type[JavaArray], data: bytes) -> list:
    if kind is BooleanArray:
        return [b != 0 for b in data]
    width = _WIDTH[kind]
    return [int.from_bytes(data[i:i + width], "big") for i in range(0, len(data), width)]


def _store(dest: Any, offset: int, values: Any, atomic: bool) -> None:
    if getattr(dest, "_jc_compromised", False):  # SensitiveArrays: checked before an update
        raise SecurityException("integrity-sensitive array compromised")
    if arrays.FIREWALL_CHECK is not None and getattr(dest, "_owner", None) is not None:
        arrays.FIREWALL_CHECK(dest)
    if isinstance(dest, ByteArray):
        values = bytes(v & 0xFF for v in values)
    else:
        values = [dest._coerce(v) for v in values]
    store = getattr(dest, "_store", None)
    if not values:
        return
    if store is None:
        dest._raw_setitem(slice(offset, offset + len(values)), values)
    elif atomic:
        store.write_range(dest, offset, values)
    else:
        store.write_range_non_atomic(dest, offset, values)


def _signed(kind: type[JavaArray], value: Any) -> int:
    if kind is BooleanArray:
        return 1 if value else 0
    if kind is ByteArray:
        return value - 256 if value > 127 else value
    return value


class ArrayLogic:
    """Mirrors ``javacardx.framework.util.ArrayLogic``."""

    @staticmethod
    def arrayCompareGeneric(src: Any, srcOff: int, dest: Any, destOff: int,
                            length: int) -> int:
        """0 if the ``length`` elements are equal, else -1 or 1 by the first that differs
        (compared as signed Java values)."""
        kind = _kind(src, "src")
        if _kind(dest, "dest") is not kind:
            raise UtilException(UtilException.TYPE_MISMATCHED)
        _bounds(src, srcOff, length)
        _bounds(dest, destOff, length)
        for i in range(length):
            a, b = _signed(kind, src[srcOff + i]), _signed(kind, dest[destOff + i])
            if a != b:
                return -1 if a < b else 1
        return 0

    @staticmethod
    def _repack(src: Any, srcOff: int, srcLen: int, dest: Any, destOff: int,
                atomic: bool) -> int:
        src_kind, dest_kind = _kind(src, "src"), _kind(dest, "dest")
        _bounds(src, srcOff, srcLen)
        data = _to_bytes(src_kind, list(src[srcOff:srcOff + srcLen]))
        if len(data) % _WIDTH[dest_kind]:
            raise UtilException(UtilException.ILLEGAL_VALUE)
        values = _from_bytes(dest_kind, data)
        _bounds(dest, destOff, len(values))
        _store(dest, destOff, values, atomic)
        return destOff + len(values)

    @staticmethod
    def arrayCopyRepack(src: Any, srcOff: int, srcLen: int, dest: Any, destOff: int) -> int:
        """Copy ``srcLen`` source elements as bytes into destination elements, atomically;
        returns destOff plus the number of destination elements written."""
        return ArrayLogic._repack(src, srcOff, srcLen, dest, destOff, True)

    @staticmethod
    def arrayCopyRepackNonAtomic(src: Any, srcOff: int, srcLen: int, dest: Any,
                                 destOff: int) -> int:
        """``arrayCopyRepack`` without the transaction facility."""
        return ArrayLogic._repack(src, srcOff, srcLen, dest, destOff, False)

    @staticmethod
    def _fill(theArray: Any, off: int, len_: int, valArray: Any, valOff: int,
              atomic: bool) -> int:
        kind = _kind(theArray, "theArray")
        if _kind(valArray, "valArray") is not kind:
            raise UtilException(UtilException.TYPE_MISMATCHED)
        _bounds(valArray, valOff, 1)
        _bounds(theArray, off, len_)
        _store(theArray, off, [valArray[valOff]] * len_, atomic)
        return off + len_

    @staticmethod
    def arrayFillGeneric(theArray: Any, off: int, len: int, valArray: Any,
                         valOff: int) -> int:
        """Fill ``len`` elements with ``valArray[valOff]`` atomically; returns off+len."""
        return ArrayLogic._fill(theArray, off, len, valArray, valOff, True)

    @staticmethod
    def arrayFillGenericNonAtomic(theArray: Any, off: int, len: int,
                                  valArray: Any, valOff: int) -> int:
        """``arrayFillGeneric`` without the transaction facility."""
        return ArrayLogic._fill(theArray, off, len, valArray, valOff, False)

    @staticmethod
    def arrayFindGeneric(theArray: Any, off: int, valArray: Any, valOff: int) -> int:
        """The index of the first element from ``off`` equal to the value whose big-endian bytes
        start at ``valArray[valOff]`` (one element's width of them), or -1."""
        kind = _kind(theArray, "theArray")
        if valArray is None:
            raise NullPointerException("valArray is null")
        if not isinstance(valArray, ByteArray):
            raise UtilException(UtilException.ILLEGAL_VALUE)
        width = _WIDTH[kind]
        _bounds(theArray, off, 0)
        _bounds(valArray, valOff, width)
        wanted = _from_bytes(kind, bytes(valArray[valOff:valOff + width]))[0]
        for i in range(off, len(theArray)):
            element = theArray[i]
            if kind is not BooleanArray and kind is not ByteArray:
                element &= (1 << 8 * width) - 1
            if element == wanted:
                return i
        return -1
