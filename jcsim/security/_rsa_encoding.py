"""RSA signature encodings computed in Python, over the raw RSA primitive of a key.

``cryptography`` signs PKCS #1 only with the digests it knows; RIPEMD-160 is not one of them.
For those digests the encodings of PKCS #1 v2.2 (RFC 8017) are built here and the raw RSA
operation (``RSAMaterial.raw``: m^d mod n, by CRT where the key has it) applies them:
EMSA-PKCS1-v1_5 (§9.2, with the DigestInfo prefix of the digest) and EMSA-PSS (§9.1, MGF1 with
the same digest). ``new_context`` gives the hash context of a digest algorithm object.
"""

from __future__ import annotations

import hmac
import os
from typing import Any

from jcsim.security._ripemd160 import new_context

__all__ = ["DIGEST_INFO", "mgf1", "pkcs1_v15_encode", "pss_encode", "pss_verify"]

# DigestInfo DER prefixes (RFC 8017 §9.2 note 1; RIPEMD-160's OID is 1.3.36.3.2.1, ISO/IEC
# 10118-3 as registered by TeleTrusT).
DIGEST_INFO = {
    "ripemd160": bytes.fromhex("3021300906052b2403020105000414"),
}


def _hash(algorithm: Any, *parts: bytes) -> bytes:
    ctx = new_context(algorithm)
    for part in parts:
        ctx.update(part)
    return ctx.finalize()


def pkcs1_v15_encode(digest: bytes, algorithm: Any, k: int) -> bytes:
    """EM = 00 01 FF..FF 00 DigestInfo; ValueError if the modulus is too short."""
    t = DIGEST_INFO[algorithm.name] + digest
    if k < len(t) + 11:
        raise ValueError("intended encoded message length too short")
    return b"\x00\x01" + b"\xff" * (k - len(t) - 3) + b"\x00" + t


def mgf1(seed: bytes, length: int, algorithm: Any) -> bytes:
    out = b""
    counter = 0
    while len(out) < length:
        out += _hash(algorithm, seed, counter.to_bytes(4, "big"))
        counter += 1
    return out[:length]


def pss_encode(m_hash: bytes, em_bits: int, algorithm: Any, salt_length: int) -> bytes:
    """EMSA-PSS-ENCODE (RFC 8017 §9.1.1) with a random salt; ValueError if it does not fit."""
    h_len = len(m_hash)
    em_len = (em_bits + 7) // 8
    if em_len < h_len + salt_length + 2:
        raise ValueError("encoding error: the modulus is too short")
    salt = os.urandom(salt_length)
    h = _hash(algorithm, bytes(8), m_hash, salt)
    db = bytes(em_len - salt_length - h_len - 2) + b"\x01" + salt
    masked = bytes(a ^ b for a, b in zip(db, mgf1(h, em_len - h_len - 1, algorithm), strict=True))
    masked = bytes([masked[0] & (0xFF >> (8 * em_len - em_bits))]) + masked[1:]
    return masked + h + b"\xbc"


def pss_verify(m_hash: bytes, em: bytes, em_bits: int, algorithm: Any,
               salt_length: int) -> bool:
    """EMSA-PSS-VERIFY (RFC 8017 §9.1.2)."""
    h_len = len(m_hash)
    em_len = (em_bits + 7) // 8
    if len(em) != em_len or em_len < h_len + salt_length + 2 or em[-1] != 0xBC:
        return False
    masked, h = em[:em_len - h_len - 1], em[em_len - h_len - 1:-1]
    top = 0xFF >> (8 * em_len - em_bits)
    if masked[0] & ~top & 0xFF:
        return False
    db = bytes(a ^ b for a, b in zip(masked, mgf1(h, em_len - h_len - 1, algorithm), strict=True))
    db = bytes([db[0] & top]) + db[1:]
    pad_length = em_len - h_len - salt_length - 2
    if db[:pad_length] != bytes(pad_length) or db[pad_length] != 1:
        return False
    salt = db[len(db) - salt_length:] if salt_length else b""
    return hmac.compare_digest(h, _hash(algorithm, bytes(8), m_hash, salt))
