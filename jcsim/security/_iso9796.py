"""ISO/IEC 9796-2 digital signature scheme 1 with RSA, and the Signatures built on it.

``Signature.ALG_RSA_SHA_ISO9796`` / ``ALG_RSA_RIPEMD160_ISO9796`` (and the four-argument form
with ``Cipher.PAD_ISO9796``) sign and verify whole messages; ``ALG_RSA_SHA_ISO9796_MR`` /
``ALG_RSA_RIPEMD160_ISO9796_MR`` (``Cipher.PAD_ISO9796_MR``) also implement
``SignatureMessageRecovery``: the start of the message travels inside the signature.

The message representative (k = modulus length in bytes, h = digest length), as ISO/IEC
9796-2:2010 scheme 1 lays it out with the implicit trailer option::

    header | padding | M1 | H(M) | BC          (k bytes)

The header's two top bits are 01; the next bit is 1 for partial recovery (M1 is only the first
k - h - 2 bytes of M) and 0 for full recovery. Partial: header 6A, no padding. Full: 4A when M
fills the block, otherwise 4B followed by BB bytes ending in BA, then M. The signature is the
representative under the private key (raw RSA, ``RSAMaterial.raw``). Verification also accepts
the explicit two-byte trailer (33CC for SHA-1, 31CC for RIPEMD-160, ISO/IEC 10118 hash
identifiers); signing always writes the implicit BC. The modulus must be a whole number of
bytes (``n`` of exactly ``8k`` bits): another key is ILLEGAL_VALUE at ``init``.

``signPreComputedHash``, ``verifyPreComputedHash`` and ``setInitialDigest`` are ILLEGAL_USE
(the encoding needs the message, not only its digest).

Theory of operation of the message-recovery verifier: ``init(MODE_VERIFY)`` -> ``beginVerify``
(opens the signature, writes M1, starts the hash with M1) -> ``update``* -> ``verify`` (hashes
the rest, compares, and goes back to the state after ``init``). ``update`` or ``verify`` before
``beginVerify`` is ILLEGAL_USE.
"""

from __future__ import annotations

import hmac
from typing import Any

from jcsim.framework.exceptions import CryptoException
from jcsim.lang import ArrayIndexOutOfBoundsException, NullPointerException
from jcsim.security._buffers import read, write
from jcsim.security._signature_engines import _DigestSignature
from jcsim.security.rsa_keys import RSAPrivateCrtKey, RSAPrivateKey, RSAPublicKey, rsa_material
from jcsim.security.signature import Signature
from jcsim.security.signature_message_recovery import SignatureMessageRecovery

__all__ = ["ISO9796MRSignature", "ISO9796Signature", "decode", "encode"]

IMPLICIT_TRAILER = 0xBC
EXPLICIT_TRAILERS = {"sha1": b"\x33\xcc", "ripemd160": b"\x31\xcc"}


def capacity(k: int, h: int) -> int:
    """How many message bytes a k-byte representative holds with an h-byte digest."""
    return k - h - 2


def encode(message_start: bytes, full: bool, digest: bytes, k: int) -> bytes:
    """The representative for M1 = ``message_start`` (all of M when ``full``)."""
    pad = capacity(k, len(digest)) - len(message_start)
    if pad < 0 or (not full and pad):
        raise ValueError("M1 does not fit the representative")
    header = 0x40 if full else 0x60
    if pad == 0:
        head = bytes([header | 0x0A])
    else:
        head = bytes([header | 0x0B]) + b"\xbb" * (pad - 1) + b"\xba"
    return head + message_start + digest + bytes([IMPLICIT_TRAILER])


def decode(block: bytes, h: int, hash_name: str) -> tuple[bytes, bool, bytes]:
    """(M1, full recovery, digest) from a representative; ValueError if it is malformed."""
    if len(block) < h + 3 or block[0] & 0xC0 != 0x40:
        raise ValueError("the header does not start with bits 01")
    if block[-1] == IMPLICIT_TRAILER:
        trailer = 1
    elif block[-2:] == EXPLICIT_TRAILERS.get(hash_name):
        trailer = 2
    else:
        raise ValueError("unknown trailer")
    full = not block[0] & 0x20
    nibble = block[0] & 0x0F
    if nibble == 0x0A:
        start = 1
    elif nibble == 0x0B and full:
        start = 1
        while start < len(block) and block[start] == 0xBB:
            start += 1
        if start >= len(block) or block[start] != 0xBA:
            raise ValueError("the padding does not end in BA")
        start += 1
    else:
        raise ValueError("malformed header")
    end = len(block) - trailer - h
    if end < start:
        raise ValueError("no room for the digest")
    return block[start:end], full, block[end:end + h]


class ISO9796Signature(_DigestSignature):
    """RSA with ISO/IEC 9796-2 scheme 1, whole message given to sign and verify."""

    def _key_fits(self, key: Any, mode: int) -> bool:
        if mode == Signature.MODE_SIGN:
            return isinstance(key, (RSAPrivateKey, RSAPrivateCrtKey))
        return isinstance(key, RSAPublicKey)

    def _check_key(self, key: Any, mode: int) -> None:
        material = rsa_material(key)
        if material.n.bit_length() != 8 * material.k:
            raise CryptoException(CryptoException.ILLEGAL_VALUE)

    def _parameters(self, params: bytes | None) -> None:
        if params is not None:
            raise CryptoException(CryptoException.ILLEGAL_VALUE)

    def _restart(self) -> None:
        super()._restart()
        self._head = bytearray()  # the first bytes of the message, up to capacity + 1

    def _room(self) -> int:
        return capacity(rsa_material(self._key).k, self._hash_class.digest_size)

    def _absorb(self, data: bytes) -> None:
        super()._absorb(data)
        keep = self._room() + 1 - len(self._head)
        if keep > 0:
            self._head += data[:keep]

    def _length(self) -> int:
        return rsa_material(self._key).k

    def _signature_and_recovered(self) -> tuple[bytes, int]:
        material = rsa_material(self._key)
        room = self._room()
        if room < 0:  # a modulus shorter than the digest and the header
            raise CryptoException(CryptoException.ILLEGAL_USE)
        full = len(self._head) <= room
        start = bytes(self._head[:room])
        block = encode(start, full, self._hash.finalize(), material.k)
        signature = material.raw(int.from_bytes(block, "big")).to_bytes(material.k, "big")
        return signature, len(start)

    def _sign(self) -> bytes:
        return self._signature_and_recovered()[0]

    def _open(self, signature: bytes) -> tuple[bytes, bool, bytes] | None:
        """The decoded representative of ``signature``, or None if it is not one."""
        material = rsa_material(self._key)
        s = int.from_bytes(signature, "big")
        if len(signature) != material.k or s >= material.n:
            return None
        block = material.raw(s).to_bytes(material.k, "big")
        try:
            return decode(block, self._hash_class.digest_size, self._hash_class.name)
        except ValueError:
            return None

    def _verify(self, signature: bytes) -> bool:
        opened = self._open(signature)
        if opened is None:
            return False
        start, full, digest = opened
        head = bytes(self._head)
        if full and head != start:
            return False
        if not full and (len(head) <= len(start) or not head.startswith(start)):
            return False
        return hmac.compare_digest(self._hash.finalize(), digest)

    def _precomputed(self, digest: bytes) -> bytes:
        raise CryptoException(CryptoException.ILLEGAL_USE)

    def setInitialDigest(self, initialDigestBuf: Any, initialDigestOffset: int,
                         initialDigestLength: int, digestedMsgLenBuf: Any,
                         digestedMsgLenOffset: int, digestedMsgLenLength: int) -> None:
        """ILLEGAL_USE: the encoding needs the start of the message itself."""
        raise CryptoException(CryptoException.ILLEGAL_USE)


class ISO9796MRSignature(ISO9796Signature, SignatureMessageRecovery):
    """The message-recovery algorithms (``*_ISO9796_MR``): ``SignatureMessageRecovery``.

    The methods the interface's note lists (``init`` with parameters, the five-argument
    ``sign``, the six-argument ``verify``, ``setInitialDigest``, ``signPreComputedHash``) are
    ILLEGAL_USE, as it requires.
    """

    def _restart(self) -> None:
        super()._restart()
        self._expected: tuple[bool, bytes] | None = None  # set by beginVerify

    def init(self, theKey: Any, theMode: int, *params: Any) -> None:
        if params:
            raise CryptoException(CryptoException.ILLEGAL_USE)
        super().init(theKey, theMode)

    def update(self, inBuff: Any, inOffset: int, inLength: int) -> None:
        self._ready()
        if self._mode == Signature.MODE_VERIFY and self._expected is None:
            raise CryptoException(CryptoException.ILLEGAL_USE)
        super().update(inBuff, inOffset, inLength)

    def sign(
            self, inBuff: Any, inOffset: int, inLength: int, sigBuff: Any, sigOffset: int,
            *recovered: Any) -> int:
        """``sign(inBuff, inOffset, inLength, sigBuff, sigOffset, recMsgLen,
        recMsgLenOffset)``: the signature's length; ``recMsgLen[recMsgLenOffset]`` gets how
        many bytes of the message's start the signature carries."""
        if len(recovered) != 2:
            raise CryptoException(CryptoException.ILLEGAL_USE)
        length_out, length_offset = recovered
        self._ready(Signature.MODE_SIGN)
        if length_out is None:
            raise NullPointerException("recMsgLen is null")
        if not 0 <= length_offset < len(length_out):
            raise ArrayIndexOutOfBoundsException(length_offset)
        self._absorb(read(inBuff, inOffset, inLength, "inBuff"))
        try:
            signature, count = self._signature_and_recovered()
        finally:
            self._restart()
        length = write(sigBuff, sigOffset, signature, "sigBuff")
        length_out[length_offset] = count
        return length

    def beginVerify(self, sigAndRecDataBuff: Any, buffOffset: int, sigLength: int) -> int:
        """Open the signature, write the recovered start of the message over it at
        ``buffOffset``; returns its length (ILLEGAL_USE for a signature that is not one)."""
        self._ready()
        if self._mode != Signature.MODE_VERIFY:
            raise CryptoException(CryptoException.ILLEGAL_USE)
        signature = read(sigAndRecDataBuff, buffOffset, sigLength, "sigAndRecDataBuff")
        opened = self._open(signature)
        if opened is None:
            raise CryptoException(CryptoException.ILLEGAL_USE)
        start, full, digest = opened
        self._restart()
        self._absorb(start)
        self._expected = (full, digest)
        if start:
            write(sigAndRecDataBuff, buffOffset, start, "sigAndRecDataBuff")
        return len(start)

    def verify(self, inBuff: Any, inOffset: int, inLength: int,
               *signature: Any) -> bool:
        """``verify(inBuff, inOffset, inLength)``: the rest of the message after
        ``beginVerify``; true if the signature holds."""
        if signature:
            raise CryptoException(CryptoException.ILLEGAL_USE)
        self._ready(Signature.MODE_VERIFY)
        if self._expected is None:
            raise CryptoException(CryptoException.ILLEGAL_USE)
        try:
            self._absorb(read(inBuff, inOffset, inLength, "inBuff"))
            full, digest = self._expected
            room = self._room()
            if full and len(self._head) > room:  # data beyond a fully recovered message
                return False
            return hmac.compare_digest(self._hash.finalize(), digest)
        finally:
            self._restart()

    def signPreComputedHash(self, *args: Any) -> int:
        raise CryptoException(CryptoException.ILLEGAL_USE)

    def verifyPreComputedHash(self, *args: Any) -> bool:
        raise CryptoException(CryptoException.ILLEGAL_USE)
