"""Java's fixed-width arithmetic for applet code: ``(short)``, ``(byte)`` and ``(int)`` casts.

Python integers never overflow, Java's do. Applet code ports a Java cast by calling the
function of the same name: ``(short)(a + b)`` becomes ``short(a + b)``. Bytes read from a
``ByteArray`` (and the APDU buffer) are unsigned, 0..255; ``byte(buf[i])`` gives the signed
Java value. Every array accepts writes of -128..255, so ``buf[i] = byte(x)`` works too.
"""

from __future__ import annotations

__all__ = ["byte", "int32", "short", "signed_byte_at", "ubyte", "ushort"]


def byte(value: int) -> int:
    """Java's ``(byte) value``: wraps to -128..127."""
    value &= 0xFF
    return value - 0x100 if value & 0x80 else value


def short(value: int) -> int:
    """Java's ``(short) value``: wraps to -32768..32767."""
    value &= 0xFFFF
    return value - 0x10000 if value & 0x8000 else value


def int32(value: int) -> int:
    """Java's ``(int) value``: wraps to the signed 32-bit range."""
    value &= 0xFFFFFFFF
    return value - 0x100000000 if value & 0x80000000 else value


def ubyte(value: int) -> int:
    """Java's ``(value & 0xFF)``: the unsigned reading of a byte, 0..255."""
    return value & 0xFF


def ushort(value: int) -> int:
    """Java's ``(value & 0xFFFF)``: the unsigned reading of a short, 0..65535."""
    return value & 0xFFFF


def signed_byte_at(array, offset: int) -> int:
    """The byte at ``array[offset]`` as Java reads it: signed, -128..127."""
    return byte(array[offset])
