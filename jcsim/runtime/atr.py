"""Answer-to-reset bytes (ISO 7816-3 §8): the defaults jcsim's cards send, and a checker.

The contact ATRs carry the historical bytes "jcsim". The T=1 one offers only T=1 (TD1 = 01) and
so ends in a check byte; the T=0 one has no interface bytes (T=0 implied) and no check byte.
The contactless one follows PC/SC part 3 for an ISO 14443-4 card: 3B 8n 80 01 historical TCK.
"""

from __future__ import annotations

from functools import reduce

__all__ = ["HISTORICAL_BYTES", "check_atr", "contactless_atr", "default_atr"]

HISTORICAL_BYTES = b"jcsim"


def _with_tck(body: bytes) -> bytes:
    return body + bytes((reduce(lambda a, b: a ^ b, body[1:], 0),))


def default_atr(protocol: str) -> bytes:
    """The default contact ATR for ``"T=0"`` or ``"T=1"``."""
    k = len(HISTORICAL_BYTES)
    if protocol == "T=0":
        return bytes((0x3B, k)) + HISTORICAL_BYTES
    return _with_tck(bytes((0x3B, 0x80 | k, 0x01)) + HISTORICAL_BYTES)


def contactless_atr(historical: bytes = HISTORICAL_BYTES) -> bytes:
    """The PC/SC pseudo-ATR of an ISO 14443-4 contactless card with these historical bytes."""
    return _with_tck(bytes((0x3B, 0x80 | len(historical), 0x80, 0x01)) + historical)


def check_atr(atr: bytes) -> list[int]:
    """Validate the structure of ``atr``; returns the protocols it offers (T=0 when none is named).

    Raises ValueError when the bytes are not a well-formed ATR.
    """
    if len(atr) < 2 or atr[0] not in (0x3B, 0x3F) or len(atr) > 33:
        raise ValueError("an ATR starts with 3B or 3F and has 2 to 33 bytes")
    t0 = atr[1]
    historical = t0 & 0x0F
    y = t0 >> 4
    i = 2
    protocols: list[int] = []
    while True:
        for bit in (0x1, 0x2, 0x4):  # TA, TB, TC
            if y & bit:
                i += 1
        if not y & 0x8:
            break
        if i >= len(atr):
            raise ValueError("ATR ends inside its interface bytes")
        td = atr[i]
        i += 1
        protocols.append(td & 0x0F)
        y = td >> 4
    if i + historical > len(atr):
        raise ValueError("ATR is shorter than its historical bytes say")
    needs_tck = any(p != 0 for p in protocols)
    expected = i + historical + (1 if needs_tck else 0)
    if len(atr) != expected:
        raise ValueError(f"ATR has {len(atr)} bytes, its structure says {expected}")
    if needs_tck and reduce(lambda a, b: a ^ b, atr[1:], 0) != 0:
        raise ValueError("ATR check byte TCK is wrong")
    return sorted(set(protocols)) or [0]
