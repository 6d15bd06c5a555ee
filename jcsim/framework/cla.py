"""Decoding of the class byte (CLA), ISO 7816-4 §5.4.1 as the Java Card RE reads it (JCRE §4.3).

| CLA         | coding      | kind                        | channel        | SM        | chaining |
|-------------|-------------|-----------------------------|----------------|-----------|----------|
| 0x00-0x1F   | 000c ssnn   | interindustry, first (type 4)  | b2b1 (0-3)  | b4b3 != 0 | b5       |
| 0x20-0x3F   | 001x xxxx   | reserved for future use: invalid                                     |
| 0x40-0x7F   | 01sc nnnn   | interindustry, further (type 16) | b4..b1 + 4 | b6        | b5       |
| 0x80-0xBF   | 10xc ssnn   | proprietary, type 4         | b2b1 (0-3)     | b4b3 != 0 | b5       |
| 0xC0-0xFE   | 11sc nnnn   | proprietary, type 16        | b4..b1 + 4     | b6        | b5       |
| 0xFF        |             | invalid (reserved for PPS, ISO 7816-3)                               |

Java Card applies the interindustry channel, SM and chaining coding to proprietary classes too
(``APDU.getCLAChannel`` / ``isSecureMessagingCLA`` / ``isCommandChainingCLA``); the JCRE answers
6E00 to an invalid class before any applet sees it.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["CLA_TABLE", "ClassByte", "channel_cla", "decode_cla"]


class ClassByte(NamedTuple):
    """What one CLA value means."""

    cla: int
    channel: int
    secure_messaging: bool
    chaining: bool
    interindustry: bool
    type16: bool


def _decode(cla: int) -> ClassByte | None:
    if cla == 0xFF or cla & 0xE0 == 0x20:
        return None
    interindustry = cla & 0x80 == 0
    if cla & 0x40 == 0:
        return ClassByte(cla, cla & 0x03, cla & 0x0C != 0, cla & 0x10 != 0, interindustry, False)
    return ClassByte(cla, (cla & 0x0F) + 4, cla & 0x20 != 0, cla & 0x10 != 0, interindustry, True)


# Decoded once: the hot path looks a class byte up instead of decoding it.
CLA_TABLE: tuple[ClassByte | None, ...] = tuple(_decode(c) for c in range(256))


def decode_cla(cla: int) -> ClassByte | None:
    """The meaning of ``cla``, or None for a class the JCRE rejects with 6E00."""
    return CLA_TABLE[cla & 0xFF]


def channel_cla(cla: int, channel: int) -> int:
    """``cla`` re-encoded for ``channel`` (0-19), keeping its kind, SM and chaining bits.

    SM in type-4 coding (b4b3) cannot be expressed in type 16 (one bit, b6) beyond "present";
    moving between the two keeps only whether SM is used.
    """
    info = CLA_TABLE[cla & 0xFF]
    if info is None or not 0 <= channel <= 19:
        raise ValueError(f"cannot encode channel {channel} in CLA {cla:02X}")
    high = 0x80 if not info.interindustry else 0x00
    chaining = 0x10 if info.chaining else 0
    if channel <= 3:
        sm = (cla & 0x0C) if not info.type16 else (0x0C if info.secure_messaging else 0)
        return high | chaining | sm | channel
    sm = 0x20 if info.secure_messaging else 0
    encoded = high | 0x40 | sm | chaining | (channel - 4)
    if encoded == 0xFF:
        raise ValueError("channel 19 with SM and chaining would be CLA FF, which is invalid")
    return encoded
