"""RIPEMD-160 in Python (Dobbertin, Bosselaers, Preneel, FSE 1996).

``cryptography`` has no RIPEMD-160 and OpenSSL 3 keeps it in its legacy provider, so the digest
is computed here. ``RIPEMD160`` is a ``cryptography`` hash algorithm object (name, sizes) so the
engines can pass it where they pass SHA-1 (``Prehashed`` for ECDSA); ``new_context`` returns a
context with ``cryptography``'s ``update`` / ``finalize`` / ``copy`` and hashlib's ``digest``,
and ``new_context`` for any other algorithm returns ``cryptography``'s own.

The compression function runs two parallel lines of five rounds of sixteen steps over a
64-byte block (little-endian words), as the algorithm's description gives them; the message is
padded as for MD4 (a 1 bit, zeros, the bit length as a little-endian 64-bit number).
"""

from __future__ import annotations

import struct
from typing import TYPE_CHECKING, Any

from cryptography.hazmat.primitives import hashes

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer

__all__ = ["RIPEMD160", "RIPEMD160Context", "new_context"]

_MASK = 0xFFFFFFFF

# Word order (r, r') and rotation amounts (s, s') of each line, step by step.
_R_LEFT = [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
    7, 4, 13, 1, 10, 6, 15, 3, 12, 0, 9, 5, 2, 14, 11, 8,
    3, 10, 14, 4, 9, 15, 8, 1, 2, 7, 0, 6, 13, 11, 5, 12,
    1, 9, 11, 10, 0, 8, 12, 4, 13, 3, 7, 15, 14, 5, 6, 2,
    4, 0, 5, 9, 7, 12, 2, 10, 14, 1, 3, 8, 11, 6, 15, 13]
_R_RIGHT = [
    5, 14, 7, 0, 9, 2, 11, 4, 13, 6, 15, 8, 1, 10, 3, 12,
    6, 11, 3, 7, 0, 13, 5, 10, 14, 15, 8, 12, 4, 9, 1, 2,
    15, 5, 1, 3, 7, 14, 6, 9, 11, 8, 12, 2, 10, 0, 4, 13,
    8, 6, 4, 1, 3, 11, 15, 0, 5, 12, 2, 13, 9, 7, 10, 14,
    12, 15, 10, 4, 1, 5, 8, 7, 6, 2, 13, 14, 0, 3, 9, 11]
_S_LEFT = [
    11, 14, 15, 12, 5, 8, 7, 9, 11, 13, 14, 15, 6, 7, 9, 8,
    7, 6, 8, 13, 11, 9, 7, 15, 7, 12, 15, 9, 11, 7, 13, 12,
    11, 13, 6, 7, 14, 9, 13, 15, 14, 8, 13, 6, 5, 12, 7, 5,
    11, 12, 14, 15, 14, 15, 9, 8, 9, 14, 5, 6, 8, 6, 5, 12,
    9, 15, 5, 11, 6, 8, 13, 12, 5, 12, 13, 14, 11, 8, 5, 6]
_S_RIGHT = [
    8, 9, 9, 11, 13, 15, 15, 5, 7, 7, 8, 11, 14, 14, 12, 6,
    9, 13, 15, 7, 12, 8, 9, 11, 7, 7, 12, 7, 6, 15, 13, 11,
    9, 7, 15, 11, 8, 6, 6, 14, 12, 13, 5, 14, 13, 13, 7, 5,
    15, 5, 8, 11, 14, 14, 6, 14, 6, 9, 12, 9, 12, 5, 15, 8,
    8, 5, 12, 9, 12, 5, 14, 6, 8, 13, 6, 5, 15, 13, 11, 11]
_K_LEFT = (0x00000000, 0x5A827999, 0x6ED9EBA1, 0x8F1BBCDC, 0xA953FD4E)
_K_RIGHT = (0x50A28BE6, 0x5C4DD124, 0x6D703EF3, 0x7A6D76E9, 0x00000000)
_INITIAL = (0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0)


def _f(round_: int, x: int, y: int, z: int) -> int:
    """The boolean function of round 0..4 (the right line runs them in reverse order)."""
    if round_ == 0:
        return x ^ y ^ z
    if round_ == 1:
        return (x & y) | (~x & z)
    if round_ == 2:
        return (x | ~y) ^ z
    if round_ == 3:
        return (x & z) | (y & ~z)
    return x ^ (y | ~z)


def _rol(value: int, count: int) -> int:
    return ((value << count) | (value >> (32 - count))) & _MASK


def _compress(state: tuple[int, ...], block: bytes) -> tuple[int, ...]:
    words = struct.unpack("<16I", block)
    al, bl, cl, dl, el = state
    ar, br, cr, dr, er = state
    for j in range(80):
        round_ = j >> 4
        t = _rol((al + _f(round_, bl, cl, dl) + words[_R_LEFT[j]] + _K_LEFT[round_]) & _MASK,
                 _S_LEFT[j])
        al, el, dl, cl, bl = el, dl, _rol(cl, 10), bl, (t + el) & _MASK
        t = _rol((ar + _f(4 - round_, br, cr, dr) + words[_R_RIGHT[j]] + _K_RIGHT[round_])
                 & _MASK, _S_RIGHT[j])
        ar, er, dr, cr, br = er, dr, _rol(cr, 10), br, (t + er) & _MASK
    h0, h1, h2, h3, h4 = state
    return ((h1 + cl + dr) & _MASK, (h2 + dl + er) & _MASK, (h3 + el + ar) & _MASK,
            (h4 + al + br) & _MASK, (h0 + bl + cr) & _MASK)


class RIPEMD160(hashes.HashAlgorithm):
    """The RIPEMD-160 algorithm object (20-byte digest, 64-byte blocks)."""

    name = "ripemd160"
    digest_size = 20
    block_size = 64


class RIPEMD160Context:
    """An incremental RIPEMD-160 computation."""

    digest_size = 20
    block_size = 64
    name = "ripemd160"

    def __init__(self, data: bytes = b"") -> None:
        self._state: tuple[int, ...] = _INITIAL
        self._pending = b""
        self._length = 0
        self.algorithm = RIPEMD160()
        if data:
            self.update(data)

    def update(self, data: ReadableBuffer, /) -> None:
        data = bytes(data)
        self._length += len(data)
        buffer = self._pending + data
        whole = len(buffer) - len(buffer) % 64
        state = self._state
        for start in range(0, whole, 64):
            state = _compress(state, buffer[start:start + 64])
        self._state = state
        self._pending = buffer[whole:]

    def copy(self) -> RIPEMD160Context:
        other = RIPEMD160Context()
        other._state, other._pending, other._length = self._state, self._pending, self._length
        return other

    def digest(self) -> bytes:
        """The digest of what was given so far (the context stays usable)."""
        tail = self._pending + b"\x80"
        tail += b"\x00" * ((56 - len(tail)) % 64) + struct.pack("<Q", (self._length * 8)
                                                                 & (2 ** 64 - 1))
        state = self._state
        for start in range(0, len(tail), 64):
            state = _compress(state, tail[start:start + 64])
        return struct.pack("<5I", *state)

    def hexdigest(self) -> str:
        return self.digest().hex()

    def finalize(self) -> bytes:
        return self.digest()


def new_context(algorithm: Any) -> Any:
    """A hash context for a ``cryptography`` hash algorithm object or RIPEMD160."""
    if isinstance(algorithm, RIPEMD160):
        return RIPEMD160Context()
    return hashes.Hash(algorithm)
