"""Unsigned numbers in byte arrays, hexadecimal (big-endian binary) or packed BCD: the one
reader and writer ``BCDUtil`` and ``BigNumber`` share."""

from __future__ import annotations

from typing import Any

from jcsim.framework.util import _check, _write
from jcsim.lang import ArithmeticException

__all__ = ["FORMAT_BCD", "FORMAT_HEX", "digits_of", "read_number", "write_number"]

FORMAT_BCD = 1
FORMAT_HEX = 2
# Far above the 78 digits of the largest supported number, and below the length at which
# Python refuses to convert a decimal string (sys.int_info.default_max_str_digits, 4300).
MAX_DIGITS = 4000


def is_bcd(data: bytes) -> bool:
    """True if every nibble is a decimal digit."""
    return all((b >> 4) <= 9 and (b & 0x0F) <= 9 for b in data)


def read_number(array: Any, offset: int, length: int, fmt: int, name: str) -> int:
    """The unsigned value at ``array[offset:offset+length]`` in format ``fmt``; bounds and
    null first, then ArithmeticException for a zero length, an unknown format or bad BCD."""
    _check(array, offset, length, name)
    if length == 0:
        raise ArithmeticException("the length is 0")
    data = bytes(array[offset:offset + length])
    if fmt == FORMAT_HEX:
        return int.from_bytes(data, "big")
    if fmt == FORMAT_BCD:
        if not is_bcd(data):
            raise ArithmeticException("not a packed BCD value")
        digits = data.hex().lstrip("0") or "0"
        if len(digits) > MAX_DIGITS:
            raise ArithmeticException("a BCD operand beyond any supported size")
        return int(digits)
    raise ArithmeticException(f"unknown format {fmt}")


def encode(value: int, fmt: int, length: int) -> bytes:
    """``value`` right-justified in ``length`` bytes of format ``fmt`` (the caller checked that
    it fits)."""
    if fmt == FORMAT_HEX:
        return value.to_bytes(length, "big")
    return bytes.fromhex(str(value).rjust(2 * length, "0"))


def digits_of(value: int, fmt: int) -> int:
    """The fewest bytes that hold ``value`` in format ``fmt`` (at least one)."""
    if fmt == FORMAT_HEX:
        return max(1, (value.bit_length() + 7) // 8)
    if fmt == FORMAT_BCD:
        return (len(str(value)) + 1) // 2
    raise ArithmeticException(f"unknown format {fmt}")


def write_number(array: Any, offset: int, data: bytes, name: str) -> None:
    """Bounds and null, then the bytes (atomically for a persistent array)."""
    _check(array, offset, len(data), name)
    _write(array, offset, data, True)
