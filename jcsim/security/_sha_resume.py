"""SHA-1 and SHA-2 continued from an intermediate hash value (FIPS 180-4).

``InitializedMessageDigest.setInitialDigest`` and ``Signature.setInitialDigest`` hand the card a
hash state computed elsewhere over the first blocks of a message. ``cryptography`` (and OpenSSL's
public API) cannot start a hash from a given chaining value, so this module carries the FIPS 180-4
compression functions for exactly that case; every hash that starts from the standard initial
value still runs on ``cryptography``. The tests check each function against ``cryptography``.
"""

from __future__ import annotations

import struct

__all__ = ["RESUMABLE", "ResumedHash", "initial_state"]

_M32 = 0xFFFFFFFF
_M64 = 0xFFFFFFFFFFFFFFFF

_K256 = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]

_K512 = [
    0x428a2f98d728ae22, 0x7137449123ef65cd, 0xb5c0fbcfec4d3b2f, 0xe9b5dba58189dbbc,
    0x3956c25bf348b538, 0x59f111f1b605d019, 0x923f82a4af194f9b, 0xab1c5ed5da6d8118,
    0xd807aa98a3030242, 0x12835b0145706fbe, 0x243185be4ee4b28c, 0x550c7dc3d5ffb4e2,
    0x72be5d74f27b896f, 0x80deb1fe3b1696b1, 0x9bdc06a725c71235, 0xc19bf174cf692694,
    0xe49b69c19ef14ad2, 0xefbe4786384f25e3, 0x0fc19dc68b8cd5b5, 0x240ca1cc77ac9c65,
    0x2de92c6f592b0275, 0x4a7484aa6ea6e483, 0x5cb0a9dcbd41fbd4, 0x76f988da831153b5,
    0x983e5152ee66dfab, 0xa831c66d2db43210, 0xb00327c898fb213f, 0xbf597fc7beef0ee4,
    0xc6e00bf33da88fc2, 0xd5a79147930aa725, 0x06ca6351e003826f, 0x142929670a0e6e70,
    0x27b70a8546d22ffc, 0x2e1b21385c26c926, 0x4d2c6dfc5ac42aed, 0x53380d139d95b3df,
    0x650a73548baf63de, 0x766a0abb3c77b2a8, 0x81c2c92e47edaee6, 0x92722c851482353b,
    0xa2bfe8a14cf10364, 0xa81a664bbc423001, 0xc24b8b70d0f89791, 0xc76c51a30654be30,
    0xd192e819d6ef5218, 0xd69906245565a910, 0xf40e35855771202a, 0x106aa07032bbd1b8,
    0x19a4c116b8d2d0c8, 0x1e376c085141ab53, 0x2748774cdf8eeb99, 0x34b0bcb5e19b48a8,
    0x391c0cb3c5c95a63, 0x4ed8aa4ae3418acb, 0x5b9cca4f7763e373, 0x682e6ff3d6b2b8a3,
    0x748f82ee5defb2fc, 0x78a5636f43172f60, 0x84c87814a1f0ab72, 0x8cc702081a6439ec,
    0x90befffa23631e28, 0xa4506cebde82bde9, 0xbef9a3f7b2c67915, 0xc67178f2e372532b,
    0xca273eceea26619c, 0xd186b8c721c0c207, 0xeada7dd6cde0eb1e, 0xf57d4f7fee6ed178,
    0x06f067aa72176fba, 0x0a637dc5a2c898a6, 0x113f9804bef90dae, 0x1b710b35131c471b,
    0x28db77f523047d84, 0x32caab7b40c72493, 0x3c9ebe0a15c9bebc, 0x431d67c49c100d4c,
    0x4cc5d4becb3e42b6, 0x597f299cfc657e2a, 0x5fcb6fab3ad6faec, 0x6c44198c4a475817,
]

_IV = {
    "sha1": [0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0],
    "sha224": [0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939,
               0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4],
    "sha256": [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19],
    "sha384": [0xcbbb9d5dc1059ed8, 0x629a292a367cd507, 0x9159015a3070dd17, 0x152fecd8f70e5939,
               0x67332667ffc00b31, 0x8eb44a8768581511, 0xdb0c2e0d64f98fa7, 0x47b5481dbefa4fa4],
    "sha512": [0x6a09e667f3bcc908, 0xbb67ae8584caa73b, 0x3c6ef372fe94f82b, 0xa54ff53a5f1d36f1,
               0x510e527fade682d1, 0x9b05688c2b3e6c1f, 0x1f83d9abfb41bd6b, 0x5be0cd19137e2179],
}

# name -> (block size, word size, number of words in the state, digest length)
RESUMABLE = {
    "sha1": (64, 4, 5, 20),
    "sha224": (64, 4, 8, 28),
    "sha256": (64, 4, 8, 32),
    "sha384": (128, 8, 8, 48),
    "sha512": (128, 8, 8, 64),
}


def _rotr32(x: int, n: int) -> int:
    return ((x >> n) | (x << (32 - n))) & _M32


def _rotr64(x: int, n: int) -> int:
    return ((x >> n) | (x << (64 - n))) & _M64


def _sha1_block(h: list[int], block: bytes) -> None:
    w = list(struct.unpack(">16I", block))
    for t in range(16, 80):
        x = w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]
        w.append(((x << 1) | (x >> 31)) & _M32)
    a, b, c, d, e = h
    for t in range(80):
        if t < 20:
            f, k = (b & c) | (~b & d), 0x5A827999
        elif t < 40:
            f, k = b ^ c ^ d, 0x6ED9EBA1
        elif t < 60:
            f, k = (b & c) | (b & d) | (c & d), 0x8F1BBCDC
        else:
            f, k = b ^ c ^ d, 0xCA62C1D6
        temp = (((a << 5) | (a >> 27)) + f + e + k + w[t]) & _M32
        a, b, c, d, e = temp, a, ((b << 30) | (b >> 2)) & _M32, c, d
    for i, v in enumerate((a, b, c, d, e)):
        h[i] = (h[i] + v) & _M32


def _sha256_block(h: list[int], block: bytes) -> None:
    w = list(struct.unpack(">16I", block))
    for t in range(16, 64):
        s0 = _rotr32(w[t - 15], 7) ^ _rotr32(w[t - 15], 18) ^ (w[t - 15] >> 3)
        s1 = _rotr32(w[t - 2], 17) ^ _rotr32(w[t - 2], 19) ^ (w[t - 2] >> 10)
        w.append((w[t - 16] + s0 + w[t - 7] + s1) & _M32)
    a, b, c, d, e, f, g, hh = h
    for t in range(64):
        t1 = (hh + (_rotr32(e, 6) ^ _rotr32(e, 11) ^ _rotr32(e, 25)) + ((e & f) ^ (~e & g))
              + _K256[t] + w[t]) & _M32
        t2 = ((_rotr32(a, 2) ^ _rotr32(a, 13) ^ _rotr32(a, 22))
              + ((a & b) ^ (a & c) ^ (b & c))) & _M32
        a, b, c, d, e, f, g, hh = (t1 + t2) & _M32, a, b, c, (d + t1) & _M32, e, f, g
    for i, v in enumerate((a, b, c, d, e, f, g, hh)):
        h[i] = (h[i] + v) & _M32


def _sha512_block(h: list[int], block: bytes) -> None:
    w = list(struct.unpack(">16Q", block))
    for t in range(16, 80):
        s0 = _rotr64(w[t - 15], 1) ^ _rotr64(w[t - 15], 8) ^ (w[t - 15] >> 7)
        s1 = _rotr64(w[t - 2], 19) ^ _rotr64(w[t - 2], 61) ^ (w[t - 2] >> 6)
        w.append((w[t - 16] + s0 + w[t - 7] + s1) & _M64)
    a, b, c, d, e, f, g, hh = h
    for t in range(80):
        t1 = (hh + (_rotr64(e, 14) ^ _rotr64(e, 18) ^ _rotr64(e, 41)) + ((e & f) ^ (~e & g))
              + _K512[t] + w[t]) & _M64
        t2 = ((_rotr64(a, 28) ^ _rotr64(a, 34) ^ _rotr64(a, 39))
              + ((a & b) ^ (a & c) ^ (b & c))) & _M64
        a, b, c, d, e, f, g, hh = (t1 + t2) & _M64, a, b, c, (d + t1) & _M64, e, f, g
    for i, v in enumerate((a, b, c, d, e, f, g, hh)):
        h[i] = (h[i] + v) & _M64


_COMPRESS = {"sha1": _sha1_block, "sha224": _sha256_block, "sha256": _sha256_block,
             "sha384": _sha512_block, "sha512": _sha512_block}


def initial_state(name: str) -> bytes:
    """The standard initial hash value of ``name``, as ``setInitialDigest`` takes it."""
    _block, word, _words, _length = RESUMABLE[name]
    return b"".join(v.to_bytes(word, "big") for v in _IV[name])


class ResumedHash:
    """A hash of ``name`` continuing from ``state`` after ``processed`` bytes (whole blocks)."""

    def __init__(self, name: str, state: bytes, processed: int) -> None:
        block, word, words, _length = RESUMABLE[name]
        self.name = name
        self._block = block
        self._word = word
        self._h = [int.from_bytes(state[i * word:(i + 1) * word], "big") for i in range(words)]
        self._length = processed
        self._pending = b""

    def update(self, data: bytes) -> None:
        data = self._pending + bytes(data)
        self._length += len(data) - len(self._pending)
        whole = len(data) - len(data) % self._block
        compress = _COMPRESS[self.name]
        for i in range(0, whole, self._block):
            compress(self._h, data[i:i + self._block])
        self._pending = data[whole:]

    def state(self) -> bytes:
        """The current chaining value (meaningful after whole blocks only)."""
        return b"".join(v.to_bytes(self._word, "big") for v in self._h)

    def finalize(self) -> bytes:
        length_field = 8 if self._block == 64 else 16
        bits = self._length * 8
        pad = b"\x80" + b"\x00" * ((-(len(self._pending) + 1 + length_field)) % self._block)
        tail = self._pending + pad + bits.to_bytes(length_field, "big")
        compress = _COMPRESS[self.name]
        for i in range(0, len(tail), self._block):
            compress(self._h, tail[i:i + self._block])
        return self.state()[:RESUMABLE[self.name][3]]
