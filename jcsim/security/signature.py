"""Signatures and MACs.

Mirrors ``javacard.security.Signature`` (Java Card 3.0.5), both ``getInstance`` forms.
Supported, on ``cryptography`` unless said otherwise:

- DES MACs (4 and 8 bytes, NOPAD / ISO 9797 M1 / M2 / PKCS#5, ISO 9797-1 MAC algorithm 3 with
  M1 or M2 padding, the "retail MAC"), ALG_AES_MAC_128_NOPAD, ALG_AES_CMAC_128,
  ALG_KOREAN_SEED_MAC_NOPAD (SEED CBC-MAC);
- HMAC with SHA-1, SHA-256, SHA-384, SHA-512, MD5 and RIPEMD-160;
- RSA PKCS#1 v1.5 with SHA-1, SHA-224/256/384/512 and MD5; RSA PSS with SHA-1 and SHA-2;
  RSA PKCS#1 v1.5 and PSS with RIPEMD-160 (encoded in Python, ``_rsa_encoding``);
- ECDSA with SHA-1, SHA-2 and (four-argument form) RIPEMD-160 (DER signatures, as the card
  produces) and, through the ``getInstance(md, SIG_CIPHER_ECDSA_PLAIN, PAD_NULL, ext)`` form,
  plain R || S signatures; the curves below 192 bits are computed in Python (``_ec_soft``);
- DSA with SHA-1 (ALG_DSA_SHA) and SHA-2 (the four-argument form), DER signatures
  (``jcsim.security._dsa_dh``);
- RSA with ISO/IEC 9796-2 scheme 1 and SHA-1 or RIPEMD-160, whole-message (ALG_RSA_*_ISO9796)
  and with message recovery (ALG_RSA_*_ISO9796_MR, ``SignatureMessageRecovery``), formatted in
  Python over the raw RSA operation (``jcsim.security._iso9796``).

``signPreComputedHash``, ``verifyPreComputedHash`` and ``setInitialDigest`` work for the RSA and
ECDSA and DSA algorithms (MACs raise ILLEGAL_USE; RIPEMD-160 cannot continue a digest, so its
``setInitialDigest`` is ILLEGAL_USE; so are all three for ISO 9796-2, which encodes the message
itself). Everything else (AES MACs with 192/256-bit blocks, RFC 2409 paddings, MD5 with PSS)
raises NO_SUCH_ALGORITHM. Deviation: byte constants above 0x7F
are written unsigned (as ``ISO7816`` does); ``getInstance`` accepts either reading.
``Signature.OneShot`` is in ``jcsim.security.one_shot``.

Reset, transactions and card images (``jcsim.security._engine_state``): a card reset or tear
keeps the key and mode of the last ``init`` and puts everything else back to its
``init(theKey, theMode)`` default (a MAC's IV to zeros, the PSS salt to the digest length, a
``setInitialDigest`` and any data already given to ``update`` dropped), as the specification
says; the key and mode an ``init`` sets are journaled (an ``init`` in an aborted transaction is
undone), nothing else of a Signature takes part in a transaction; a card image stores the
algorithm, key reference and mode, and a loaded Signature is in its after-reset state.
"""

from __future__ import annotations

from typing import Any

from jcsim.framework.exceptions import CryptoException
from jcsim.security._buffers import read, write
from jcsim.security._engine_state import FOOTPRINTS, EngineState, check_key_and_mode, footprint
from jcsim.security.message_digest import MessageDigest

__all__ = ["Signature"]

_MD = MessageDigest


class Signature(EngineState):
    """Mirrors ``javacard.security.Signature``."""

    _jc_footprint = footprint(*FOOTPRINTS["Signature"])

    ALG_DES_MAC4_NOPAD = 1
    ALG_DES_MAC8_NOPAD = 2
    ALG_DES_MAC4_ISO9797_M1 = 3
    ALG_DES_MAC8_ISO9797_M1 = 4
    ALG_DES_MAC4_ISO9797_M2 = 5
    ALG_DES_MAC8_ISO9797_M2 = 6
    ALG_DES_MAC4_PKCS5 = 7
    ALG_DES_MAC8_PKCS5 = 8
    ALG_RSA_SHA_ISO9796 = 9
    ALG_RSA_SHA_PKCS1 = 10
    ALG_RSA_MD5_PKCS1 = 11
    ALG_RSA_RIPEMD160_ISO9796 = 12
    ALG_RSA_RIPEMD160_PKCS1 = 13
    ALG_DSA_SHA = 14
    ALG_RSA_SHA_RFC2409 = 15
    ALG_RSA_MD5_RFC2409 = 16
    ALG_ECDSA_SHA = 17
    ALG_AES_MAC_128_NOPAD = 18
    ALG_DES_MAC4_ISO9797_1_M2_ALG3 = 19
    ALG_DES_MAC8_ISO9797_1_M2_ALG3 = 20
    ALG_RSA_SHA_PKCS1_PSS = 21
    ALG_RSA_MD5_PKCS1_PSS = 22
    ALG_RSA_RIPEMD160_PKCS1_PSS = 23
    ALG_HMAC_SHA1 = 24
    ALG_HMAC_SHA_256 = 25
    ALG_HMAC_SHA_384 = 26
    ALG_HMAC_SHA_512 = 27
    ALG_HMAC_MD5 = 28
    ALG_HMAC_RIPEMD160 = 29
    ALG_RSA_SHA_ISO9796_MR = 30
    ALG_RSA_RIPEMD160_ISO9796_MR = 31
    ALG_KOREAN_SEED_MAC_NOPAD = 32
    ALG_ECDSA_SHA_256 = 33
    ALG_ECDSA_SHA_384 = 34
    ALG_AES_MAC_192_NOPAD = 35
    ALG_AES_MAC_256_NOPAD = 36
    ALG_ECDSA_SHA_224 = 37
    ALG_ECDSA_SHA_512 = 38
    ALG_RSA_SHA_224_PKCS1 = 39
    ALG_RSA_SHA_256_PKCS1 = 40
    ALG_RSA_SHA_384_PKCS1 = 41
    ALG_RSA_SHA_512_PKCS1 = 42
    ALG_RSA_SHA_224_PKCS1_PSS = 43
    ALG_RSA_SHA_256_PKCS1_PSS = 44
    ALG_RSA_SHA_384_PKCS1_PSS = 45
    ALG_RSA_SHA_512_PKCS1_PSS = 46
    ALG_DES_MAC4_ISO9797_1_M1_ALG3 = 47
    ALG_DES_MAC8_ISO9797_1_M1_ALG3 = 48
    ALG_AES_CMAC_128 = 49

    SIG_CIPHER_DES_MAC4 = 1
    SIG_CIPHER_DES_MAC8 = 2
    SIG_CIPHER_RSA = 3
    SIG_CIPHER_DSA = 4
    SIG_CIPHER_ECDSA = 5
    SIG_CIPHER_AES_MAC128 = 6
    SIG_CIPHER_HMAC = 7
    SIG_CIPHER_KOREAN_SEED_MAC = 8
    SIG_CIPHER_ECDSA_PLAIN = 9
    SIG_CIPHER_AES_CMAC128 = 10

    MODE_SIGN = 1
    MODE_VERIFY = 2

    def __init__(self, algorithm: int, md: int, cipher: int, padding: int) -> None:
        self._algorithm = algorithm
        self._md = md
        self._cipher = cipher
        self._padding = padding
        self._key: Any = None
        self._mode = 0
        self._jc_attach()

    # --- factories ---------------------------------------------------------------------------

    @staticmethod
    def getInstance(*args: Any) -> Signature:
        """``getInstance(algorithm, externalAccess)`` or
        ``getInstance(messageDigestAlgorithm, cipherAlgorithm, paddingAlgorithm,
        externalAccess)``; NO_SUCH_ALGORITHM for anything not supported."""
        from jcsim.security import _signature_engines as engines

        if len(args) == 2:
            triple = engines.TRIPLE_BY_ALG.get(args[0] & 0xFF)
            if triple is None:
                raise CryptoException(CryptoException.NO_SUCH_ALGORITHM)
        elif len(args) == 4:
            triple = (args[0] & 0xFF, args[1] & 0xFF, args[2] & 0xFF)
        else:
            raise TypeError("getInstance takes 2 or 4 arguments")
        return engines.create(*triple)

    # --- initialization ----------------------------------------------------------------------

    def init(self, theKey: Any, theMode: int, *params: Any) -> None:
        """``init(theKey, theMode)`` or ``init(theKey, theMode, bArray, bOff, bLen)``."""
        extra = self._init_arguments(theKey, theMode, (self.MODE_SIGN, self.MODE_VERIFY), params)
        self._check_key(theKey, theMode)
        self._parameters(extra)
        self._key, self._mode = theKey, theMode
        self._restart()

    # --- queries -----------------------------------------------------------------------------

    def getAlgorithm(self) -> int:
        """The ``ALG_*`` code, or 0 for a combination with no predefined code."""
        return self._algorithm

    def getMessageDigestAlgorithm(self) -> int:
        return self._md

    def getCipherAlgorithm(self) -> int:
        return self._cipher

    def getPaddingAlgorithm(self) -> int:
        return self._padding

    def getLength(self) -> int:
        """The byte length of the signature (the maximum for DER-encoded ECDSA)."""
        self._ready()
        return self._length()

    # --- data --------------------------------------------------------------------------------

    def update(self, inBuff: Any, inOffset: int, inLength: int) -> None:
        """Accumulate ``inBuff[inOffset:inOffset+inLength]``."""
        self._ready()
        data = read(inBuff, inOffset, inLength, "inBuff")
        if data:
            self._absorb(data)

    def sign(self, inBuff: Any, inOffset: int, inLength: int, sigBuff: Any,
             sigOffset: int) -> int:
        """Sign all input; write the signature at ``sigBuff[sigOffset]``; returns its length."""
        self._ready(self.MODE_SIGN)
        self._absorb(read(inBuff, inOffset, inLength, "inBuff"))
        try:
            signature = self._sign()
        finally:
            self._restart()
        return write(sigBuff, sigOffset, signature, "sigBuff")

    def verify(self, inBuff: Any, inOffset: int, inLength: int, sigBuff: Any, sigOffset: int,
               sigLength: int) -> bool:
        """True if ``sigBuff[sigOffset:sigOffset+sigLength]`` is the signature of all input."""
        self._ready(self.MODE_VERIFY)
        self._absorb(read(inBuff, inOffset, inLength, "inBuff"))
        signature = read(sigBuff, sigOffset, sigLength, "sigBuff")
        try:
            return self._verify(signature)
        finally:
            self._restart()

    def signPreComputedHash(self, hashBuff: Any, hashOffset: int, hashLength: int,
                            sigBuff: Any, sigOffset: int) -> int:
        """Sign a hash computed elsewhere; ILLEGAL_USE for MACs or a wrong hash length."""
        self._ready(self.MODE_SIGN)
        digest = self._precomputed(read(hashBuff, hashOffset, hashLength, "hashBuff"))
        try:
            signature = self._sign_digest(digest)
        finally:
            self._restart()
        return write(sigBuff, sigOffset, signature, "sigBuff")

    def verifyPreComputedHash(self, hashBuff: Any, hashOffset: int, hashLength: int,
                              sigBuff: Any, sigOffset: int, sigLength: int) -> bool:
        """Verify a signature of a hash computed elsewhere."""
        self._ready(self.MODE_VERIFY)
        digest = self._precomputed(read(hashBuff, hashOffset, hashLength, "hashBuff"))
        signature = read(sigBuff, sigOffset, sigLength, "sigBuff")
        try:
            return self._verify_digest(digest, signature)
        finally:
            self._restart()

    def setInitialDigest(self, initialDigestBuf: Any, initialDigestOffset: int,
                         initialDigestLength: int, digestedMsgLenBuf: Any,
                         digestedMsgLenOffset: int, digestedMsgLenLength: int) -> None:
        """Continue the message hash from a value computed elsewhere (RSA and ECDSA only)."""
        raise CryptoException(CryptoException.ILLEGAL_USE)

    # --- what each family implements ---------------------------------------------------------

    def _key_fits(self, key: Any, mode: int) -> bool:
        raise NotImplementedError

    def _check_key(self, key: Any, mode: int) -> None:
        """Refuse an initialized key this algorithm cannot use (may read its material)."""

    def _parameters(self, params: bytes | None) -> None:
        """Take ``init``'s algorithm parameters (None: the ``init(theKey, theMode)`` defaults);
        ILLEGAL_VALUE, before changing anything, for bad ones. Never reads key material."""
        raise NotImplementedError

    def _restart(self) -> None:
        """Drop the working state of an operation in progress (never reads key material)."""
        raise NotImplementedError

    def _length(self) -> int:
        raise NotImplementedError

    def _absorb(self, data: bytes) -> None:
        raise NotImplementedError

    def _sign(self) -> bytes:
        raise NotImplementedError

    def _verify(self, signature: bytes) -> bool:
        raise NotImplementedError

    def _precomputed(self, digest: bytes) -> bytes:
        raise CryptoException(CryptoException.ILLEGAL_USE)

    def _sign_digest(self, digest: bytes) -> bytes:
        raise CryptoException(CryptoException.ILLEGAL_USE)

    def _verify_digest(self, digest: bytes, signature: bytes) -> bool:
        raise CryptoException(CryptoException.ILLEGAL_USE)

    # --- reset and card images (jcsim.security._engine_state) -------------------------------

    def _jc_persistent(self) -> tuple[Any, ...]:
        return (self._algorithm, self._md, self._cipher, self._padding, self._key, self._mode)

    def _jc_revive(self, state: Any) -> None:
        from jcsim.security import _signature_engines as engines

        algorithm, md, cipher, padding, key, mode = state
        if not all(type(v) is int for v in (algorithm, md, cipher, padding)):
            raise TypeError("Signature algorithm codes are numbers")
        check_key_and_mode(key, mode, (self.MODE_SIGN, self.MODE_VERIFY))
        # Only what getInstance could have made: the same class for the same codes.
        try:
            made = engines.create(md, cipher, padding)
        except CryptoException as exc:
            raise ValueError("not a supported Signature algorithm") from exc
        if type(made) is not type(self) or made._algorithm != algorithm:
            raise ValueError("the algorithm codes do not name this Signature")
        Signature.__init__(self, algorithm, md, cipher, padding)
        self._key, self._mode = key, mode

    def _jc_power_up(self) -> None:
        if self._key is not None:
            self._parameters(None)
            self._restart()

    def __repr__(self) -> str:
        return (f"<{type(self).__name__} alg={self._algorithm} md={self._md} "
                f"cipher={self._cipher} pad={self._padding}>")
