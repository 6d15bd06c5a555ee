"""The ISO/IEC 9796-1 message representative, for ``Cipher.ALG_RSA_ISO9796``.

ISO/IEC 9796-1 (withdrawn by ISO in 2000; Java Card keeps the algorithm and tells applets not to
use it) turns a short message into a representative of the modulus' size with redundancy that
the inverse operation checks. With ``bits`` the modulus' bit length and t = (bits + 13) // 16:

1. *Extension*: the last t bytes of the block hold the message repeated, right-aligned, its
   leftmost copy cut at the left.
2. *Redundancy*: each of those t bytes m becomes the pair S(m) || m, where S maps each nibble
   through the fixed permutation ``_SHADOW``; the 2t bytes end the block.
3. *Marking*: the S byte of the pair holding the message's first byte is XORed with r (the
   number of pad bits plus one; 1 here, messages being whole bytes).
4. The last byte becomes its own low nibble followed by 6; the block is cut to bits - 1 bits
   and its top bit set.

The inverse takes the RSA result J or n - J (whichever is 6 mod 16), undoes 4, checks that
every pair but the marked one agrees with S, and reads the message from the marked pair on.
``encode`` / ``decode`` raise ValueError for an input that does not fit or does not check.
"""

from __future__ import annotations

__all__ = ["decode", "encode", "message_room"]

_SHADOW = (0xE, 0x3, 0x5, 0x8, 0x9, 0x4, 0x2, 0xF, 0x0, 0xD, 0xB, 0x6, 0x7, 0xA, 0xC, 0x1)
_UNSHADOW = tuple(_SHADOW.index(v) for v in range(16))


def _s(byte: int) -> int:
    return _SHADOW[byte >> 4] << 4 | _SHADOW[byte & 0x0F]


def message_room(bits: int) -> int:
    """The longest message (bytes) for a modulus of ``bits`` bits."""
    return (bits + 13) // 16


def encode(message: bytes, bits: int, pad_bits: int = 0) -> int:
    """The representative of ``message`` (its last ``pad_bits`` bits are padding)."""
    t = message_room(bits)
    z = len(message)
    if not 1 <= z <= t or not 0 <= pad_bits <= 7:
        raise ValueError("the message does not fit the representative")
    size = (bits + 7) // 8
    if size - 2 * t not in (0, 1):
        raise ValueError("a modulus size this layout does not cover")
    block = bytearray(size)
    extended = (message * (t // z + 1))[-t:]
    for j, m in enumerate(extended):
        block[size - 2 * t + 2 * j] = _s(m)
        block[size - 2 * t + 2 * j + 1] = m
    block[size - 2 * z] ^= pad_bits + 1
    block[-1] = (block[-1] << 4 | 0x06) & 0xFF
    value = int.from_bytes(block, "big")
    top = bits - 2  # the representative has bits - 1 bits
    return (value & ((1 << top) - 1)) | 1 << top


def decode(value: int, n: int) -> tuple[bytes, int]:
    """(message, pad bits) from the RSA result ``value`` under the modulus ``n``."""
    if value % 16 == 6:
        representative = value
    elif (n - value) % 16 == 6:
        representative = n - value
    else:
        raise ValueError("neither J nor n - J is 6 mod 16")
    bits = n.bit_length()
    t = message_room(bits)
    if representative.bit_length() != bits - 1:
        raise ValueError("the representative does not have bits - 1 bits")
    size = (representative.bit_length() + 7) // 8
    if size != 2 * t:
        raise ValueError("a modulus size this layout does not cover")
    block = bytearray(representative.to_bytes(size, "big"))
    # Step 4 replaced the top bits of the first S byte: it is S of its pair's message byte.
    block[0] = _s(block[1])
    block[-1] = block[-1] >> 4 | _UNSHADOW[block[-2] >> 4] << 4
    boundary, r = 0, 1
    found = False
    for i in range(size - 1, 0, -2):
        difference = block[i - 1] ^ _s(block[i])
        if difference:
            if found:
                raise ValueError("the redundancy does not check")
            found, boundary, r = True, i - 1, difference
    if not 1 <= r <= 8:
        raise ValueError("bad pad marker")
    return bytes(block[boundary + 1::2]), r - 1
