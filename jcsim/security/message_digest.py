"""Message digests, and digests that start from a hash value computed elsewhere.

Mirrors ``javacard.security.MessageDigest`` and ``InitializedMessageDigest`` (Java Card 3.0.5).
Supported: SHA-1, SHA-224, SHA-256, SHA-384, SHA-512, SHA3-224/256/384/512 and MD5 (legacy),
on ``cryptography``, and RIPEMD-160 (``_ripemd160``, in Python).
``getInitializedMessageDigestInstance`` supports SHA-1 and SHA-2 (the continued hash runs on
``_sha_resume``). ``ALG_NULL`` raises NO_SUCH_ALGORITHM.
``MessageDigest.OneShot`` and ``InitializedMessageDigest.OneShot`` are in
``jcsim.security.one_shot``.
Deviation: ``externalAccess`` is accepted either way (no internal state lives in
CLEAR_ON_DESELECT memory).

Reset, transactions and card images (``jcsim.security._engine_state``): a card reset or tear
puts a digest back to its state upon construction (an ``InitializedMessageDigest`` forgets its
``setInitialDigest``), as the specification says; no state of a digest takes part in a
transaction; a card image stores the algorithm only.
"""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives import hashes

from jcsim.framework.exceptions import CryptoException
from jcsim.security._buffers import read, write
from jcsim.security._ripemd160 import RIPEMD160, new_context
from jcsim.security._engine_state import FOOTPRINTS, EngineState, footprint
from jcsim.security._sha_resume import RESUMABLE, ResumedHash

__all__ = ["DIGESTS", "InitializedMessageDigest", "MessageDigest", "hash_of"]


class MessageDigest(EngineState):
    """Mirrors ``javacard.security.MessageDigest``."""

    _jc_footprint = footprint(*FOOTPRINTS["MessageDigest"])

    ALG_NULL = 0
    ALG_SHA = 1
    ALG_MD5 = 2
    ALG_RIPEMD160 = 3
    ALG_SHA_256 = 4
    ALG_SHA_384 = 5
    ALG_SHA_512 = 6
    ALG_SHA_224 = 7
    ALG_SHA3_224 = 8
    ALG_SHA3_256 = 9
    ALG_SHA3_384 = 10
    ALG_SHA3_512 = 11

    LENGTH_MD5 = 16
    LENGTH_RIPEMD160 = 20
    LENGTH_SHA = 20
    LENGTH_SHA_224 = 28
    LENGTH_SHA_256 = 32
    LENGTH_SHA_384 = 48
    LENGTH_SHA_512 = 64
    LENGTH_SHA3_224 = 28
    LENGTH_SHA3_256 = 32
    LENGTH_SHA3_384 = 48
    LENGTH_SHA3_512 = 64

    def __init__(self, algorithm: int) -> None:
        self._algorithm = algorithm
        self._hash_class, self._resume_name = DIGESTS[algorithm]
        self._ctx: Any = None
        self.reset()
        self._jc_attach()

    @staticmethod
    def getInstance(algorithm: int, externalAccess: bool) -> MessageDigest:
        """A new digest object for ``algorithm``; NO_SUCH_ALGORITHM if it is not supported."""
        algorithm &= 0xFF
        if algorithm not in DIGESTS:
            raise CryptoException(CryptoException.NO_SUCH_ALGORITHM)
        return MessageDigest(algorithm)

    @staticmethod
    def getInitializedMessageDigestInstance(algorithm: int,
                                            externalAccess: bool) -> InitializedMessageDigest:
        """A new ``InitializedMessageDigest``: SHA-1 and SHA-2 only."""
        algorithm &= 0xFF
        if algorithm not in DIGESTS or DIGESTS[algorithm][1] is None:
            raise CryptoException(CryptoException.NO_SUCH_ALGORITHM)
        return InitializedMessageDigest(algorithm)

    def getAlgorithm(self) -> int:
        """The ``ALG_*`` code of this digest."""
        return self._algorithm

    def getLength(self) -> int:
        """The byte length of the hash."""
        return self._hash_class.digest_size

    def update(self, inBuff: Any, inOffset: int, inLength: int) -> None:
        """Accumulate ``inBuff[inOffset:inOffset+inLength]``."""
        self._jc_attach()
        data = read(inBuff, inOffset, inLength, "inBuff")
        if data:
            self._ctx.update(data)

    def doFinal(self, inBuff: Any, inOffset: int, inLength: int, outBuff: Any,
                outOffset: int) -> int:
        """Hash the last input, write the hash at ``outBuff[outOffset]``; returns its length."""
        self.update(inBuff, inOffset, inLength)
        digest = self._ctx.finalize()
        self.reset()
        return write(outBuff, outOffset, digest)

    def reset(self) -> None:
        """Back to the initial state."""
        self._ctx = new_context(self._hash_class())

    def _digest_of(self, data: bytes) -> bytes:
        return hash_of(self._hash_class, data)

    # --- reset and card images (jcsim.security._engine_state) -------------------------------

    def _jc_persistent(self) -> tuple[Any, ...]:
        return (self._algorithm,)

    def _jc_revive(self, state: Any) -> None:
        algorithm, = state
        self._algorithm = int(algorithm)
        self._hash_class, self._resume_name = DIGESTS[self._algorithm]

    def _jc_power_up(self) -> None:
        self.reset()


class InitializedMessageDigest(MessageDigest):
    """Mirrors ``javacard.security.InitializedMessageDigest``."""

    def setInitialDigest(self, initialDigestBuf: Any, initialDigestOffset: int,
                         initialDigestLength: int, digestedMsgLenBuf: Any,
                         digestedMsgLenOffset: int, digestedMsgLenLength: int) -> None:
        """Continue from a hash value computed elsewhere over the first bytes of a message."""
        self._jc_attach()
        # getInitializedMessageDigestInstance and _jc_revive only make resumable algorithms.
        assert self._resume_name is not None
        self._ctx = resumed(self._resume_name, initialDigestBuf, initialDigestOffset,
                            initialDigestLength, digestedMsgLenBuf, digestedMsgLenOffset,
                            digestedMsgLenLength)

    def _jc_revive(self, state: Any) -> None:
        super()._jc_revive(state)
        if self._resume_name is None:
            raise ValueError("no InitializedMessageDigest of this algorithm")


def resumed(name: str, state_buf: Any, state_off: int, state_len: int, len_buf: Any,
            len_off: int, len_len: int) -> ResumedHash:
    """A ``ResumedHash`` from ``setInitialDigest``'s arguments, with its ILLEGAL_VALUE checks."""
    block, word, words, _length = RESUMABLE[name]
    state = read(state_buf, state_off, state_len, "initialDigestBuf")
    processed = int.from_bytes(read(len_buf, len_off, len_len, "digestedMsgLenBuf"), "big")
    if (state_len != word * words or processed == 0 or processed % block
            or processed * 8 >= 1 << (64 if block == 64 else 128)):
        raise CryptoException(CryptoException.ILLEGAL_VALUE)
    return ResumedHash(name, state, processed)


def hash_of(hash_class: Any, data: bytes) -> bytes:
    """The digest of ``data`` with a ``cryptography`` hash class."""
    ctx = new_context(hash_class())
    ctx.update(data)
    return ctx.finalize()


# ALG code -> (cryptography hash class, name of the resumable engine or None)
DIGESTS: dict[int, tuple[Any, str | None]] = {
    MessageDigest.ALG_SHA: (hashes.SHA1, "sha1"),
    MessageDigest.ALG_MD5: (hashes.MD5, None),
    MessageDigest.ALG_RIPEMD160: (RIPEMD160, None),
    MessageDigest.ALG_SHA_256: (hashes.SHA256, "sha256"),
    MessageDigest.ALG_SHA_384: (hashes.SHA384, "sha384"),
    MessageDigest.ALG_SHA_512: (hashes.SHA512, "sha512"),
    MessageDigest.ALG_SHA_224: (hashes.SHA224, "sha224"),
    MessageDigest.ALG_SHA3_224: (hashes.SHA3_224, None),
    MessageDigest.ALG_SHA3_256: (hashes.SHA3_256, None),
    MessageDigest.ALG_SHA3_384: (hashes.SHA3_384, None),
    MessageDigest.ALG_SHA3_512: (hashes.SHA3_512, None),
}
