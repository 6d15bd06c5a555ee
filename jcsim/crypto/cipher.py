"""Encryption and decryption.

Mirrors ``javacardx.crypto.Cipher`` (Java Card 3.0.5), both ``getInstance`` forms. Supported, on
``cryptography``: DES / triple DES, AES and Korean SEED in ECB and CBC with NOPAD, ISO 9797 M1,
M2 and PKCS#5 padding; AES in CTR mode (ALG_AES_CTR); RSA with PKCS#1 v1.5, no padding, and
OAEP (SHA-1, and SHA-224/256/384/512 through the
``getInstance(CIPHER_RSA, PAD_PKCS1_OAEP_SHA*, ext)`` form); RSA with ISO/IEC 9796-1
(ALG_RSA_ISO9796, formatted in Python, ``_iso9796_1``);
AES-GCM and AES-CCM, which return an ``AEADCipher``. Everything else (the deprecated
192/256-bit AES block sizes, ISO 14888, OAEP with SHA-3) raises NO_SUCH_ALGORITHM.
``Cipher.OneShot`` is in ``jcsim.security.one_shot``.

Deviations: ``doFinal`` restarts CBC chaining from the IV given to ``init`` (the state right
after ``init``), as BouncyCastle-based simulators do; byte constants above 0x7F are written
unsigned (``ALG_AES_CTR = 0xF0``), and ``getInstance`` accepts either reading.

Reset, transactions and card images (``jcsim.security._engine_state``): a card reset or tear
keeps the key and mode of the last ``init`` and puts everything else back to its
``init(theKey, theMode)`` default (the IV to zeros), as the specification says; the key and mode an
``init`` sets are journaled (an ``init`` in an aborted transaction is undone), nothing else of a
Cipher takes part in a transaction; a Cipher is an on-card object of its maker's context, behind
the firewall; a card image stores the algorithm, key reference and mode,
and a loaded Cipher is in its after-reset state. Key material is read from the key at each
operation (the specification leaves a key changed after ``init`` unspecified).
"""

from __future__ import annotations

from typing import Any

from jcsim.framework.exceptions import CryptoException
from jcsim.security._buffers import read, write
from jcsim.security._engine_state import FOOTPRINTS, EngineState, check_key_and_mode, footprint

__all__ = ["Cipher"]


class Cipher(EngineState):
    """Mirrors ``javacardx.crypto.Cipher``."""

    _jc_footprint = footprint(*FOOTPRINTS["Cipher"])

    ALG_DES_CBC_NOPAD = 1
    ALG_DES_CBC_ISO9797_M1 = 2
    ALG_DES_CBC_ISO9797_M2 = 3
    ALG_DES_CBC_PKCS5 = 4
    ALG_DES_ECB_NOPAD = 5
    ALG_DES_ECB_ISO9797_M1 = 6
    ALG_DES_ECB_ISO9797_M2 = 7
    ALG_DES_ECB_PKCS5 = 8
    ALG_RSA_ISO14888 = 9
    ALG_RSA_PKCS1 = 10
    ALG_RSA_ISO9796 = 11
    ALG_RSA_NOPAD = 12
    ALG_AES_BLOCK_128_CBC_NOPAD = 13
    ALG_AES_BLOCK_128_ECB_NOPAD = 14
    ALG_RSA_PKCS1_OAEP = 15
    ALG_KOREAN_SEED_ECB_NOPAD = 16
    ALG_KOREAN_SEED_CBC_NOPAD = 17
    ALG_AES_BLOCK_192_CBC_NOPAD = 18
    ALG_AES_BLOCK_192_ECB_NOPAD = 19
    ALG_AES_BLOCK_256_CBC_NOPAD = 20
    ALG_AES_BLOCK_256_ECB_NOPAD = 21
    ALG_AES_CBC_ISO9797_M1 = 22
    ALG_AES_CBC_ISO9797_M2 = 23
    ALG_AES_CBC_PKCS5 = 24
    ALG_AES_ECB_ISO9797_M1 = 25
    ALG_AES_ECB_ISO9797_M2 = 26
    ALG_AES_ECB_PKCS5 = 27
    ALG_AES_CTR = 0xF0  # Java: (byte) 0xF0

    CIPHER_AES_CBC = 1
    CIPHER_AES_ECB = 2
    CIPHER_DES_CBC = 3
    CIPHER_DES_ECB = 4
    CIPHER_KOREAN_SEED_CBC = 5
    CIPHER_KOREAN_SEED_ECB = 6
    CIPHER_RSA = 7

    PAD_NULL = 0
    PAD_NOPAD = 1
    PAD_ISO9797_M1 = 2
    PAD_ISO9797_M2 = 3
    PAD_ISO9797_1_M1_ALG3 = 4
    PAD_ISO9797_1_M2_ALG3 = 5
    PAD_PKCS5 = 6
    PAD_PKCS1 = 7
    PAD_PKCS1_PSS = 8
    PAD_PKCS1_OAEP = 9
    PAD_ISO9796 = 10
    PAD_ISO9796_MR = 11
    PAD_RFC2409 = 12
    PAD_PKCS1_OAEP_SHA224 = 13
    PAD_PKCS1_OAEP_SHA256 = 14
    PAD_PKCS1_OAEP_SHA384 = 15
    PAD_PKCS1_OAEP_SHA512 = 16
    PAD_PKCS1_OAEP_SHA3_224 = 17
    PAD_PKCS1_OAEP_SHA3_256 = 18
    PAD_PKCS1_OAEP_SHA3_384 = 19
    PAD_PKCS1_OAEP_SHA3_512 = 20

    MODE_DECRYPT = 1
    MODE_ENCRYPT = 2

    def __init__(self, algorithm: int, cipher: int, padding: int) -> None:
        self._algorithm = algorithm
        self._cipher = cipher
        self._padding = padding
        self._key: Any = None
        self._mode = 0
        self._jc_attach()

    @staticmethod
    def getInstance(*args: Any) -> Cipher:
        """``getInstance(algorithm, externalAccess)`` or
        ``getInstance(cipherAlgorithm, paddingAlgorithm, externalAccess)``."""
        from jcsim.crypto import _cipher_engines as engines

        if len(args) == 2:
            pair = engines.PAIR_BY_ALG.get(args[0] & 0xFF)
            if pair is None:
                raise CryptoException(CryptoException.NO_SUCH_ALGORITHM)
            return engines.create(args[0] & 0xFF, *pair)
        if len(args) == 3:
            cipher, padding = args[0] & 0xFF, args[1] & 0xFF
            return engines.create(engines.ALG_BY_PAIR.get((cipher, padding), 0), cipher, padding)
        raise TypeError("getInstance takes 2 or 3 arguments")

    # --- initialization ----------------------------------------------------------------------

    def init(self, theKey: Any, theMode: int, *params: Any) -> None:
        """``init(theKey, theMode)`` or ``init(theKey, theMode, bArray, bOff, bLen)``."""
        extra = self._init_arguments(theKey, theMode, (self.MODE_DECRYPT, self.MODE_ENCRYPT),
                                     params)
        self._check_key(theKey, theMode)
        self._parameters(theMode, extra)
        self._key, self._mode = theKey, theMode
        self._restart()

    @property
    def _encrypting(self) -> bool:
        return self._mode == self.MODE_ENCRYPT

    # --- queries -----------------------------------------------------------------------------

    def getAlgorithm(self) -> int:
        """The ``ALG_*`` code, or 0 for a combination with no predefined code."""
        return self._algorithm

    def getCipherAlgorithm(self) -> int:
        return self._cipher

    def getPaddingAlgorithm(self) -> int:
        return self._padding

    # --- data --------------------------------------------------------------------------------

    def update(self, inBuff: Any, inOffset: int, inLength: int, outBuff: Any,
               outOffset: int) -> int:
        """Process input, writing whatever output is ready; returns the bytes written."""
        self._ready()
        data = read(inBuff, inOffset, inLength, "inBuff")
        return write(outBuff, outOffset, self._update(data))

    def doFinal(self, inBuff: Any, inOffset: int, inLength: int, outBuff: Any,
                outOffset: int) -> int:
        """Process the last input and finish; returns the bytes written to ``outBuff``."""
        self._ready()
        data = read(inBuff, inOffset, inLength, "inBuff")
        try:
            out = self._final(data)
        finally:
            self._restart()
        return write(outBuff, outOffset, out)

    # --- what each family implements ---------------------------------------------------------

    def _key_fits(self, key: Any, mode: int) -> bool:
        raise NotImplementedError

    def _check_key(self, key: Any, mode: int) -> None:
        """Refuse an initialized key this algorithm cannot use (may read its material)."""

    def _parameters(self, mode: int, params: bytes | None) -> None:
        """Take ``init``'s algorithm parameters (None: the ``init(theKey, theMode)`` defaults);
        ILLEGAL_VALUE, before changing anything, for bad ones. Never reads key material."""
        raise NotImplementedError

    def _restart(self) -> None:
        """Drop the working state of an operation in progress (never reads key material)."""
        raise NotImplementedError

    def _update(self, data: bytes) -> bytes:
        raise NotImplementedError

    def _final(self, data: bytes) -> bytes:
        raise NotImplementedError

    # --- reset and card images (jcsim.security._engine_state) -------------------------------

    def _init_record(self) -> Any:
        """What besides key and mode survives a reset (None: nothing)."""
        return None

    def _revive_record(self, record: Any) -> None:
        if record is not None:
            raise ValueError(f"{type(self).__name__} keeps no init parameters over a reset")

    def _jc_persistent(self) -> tuple[Any, ...]:
        return (self._algorithm, self._cipher, self._padding, self._key, self._mode,
                self._init_record())

    def _jc_revive(self, state: Any) -> None:
        from jcsim.crypto import _cipher_engines as engines

        algorithm, cipher, padding, key, mode, record = state
        if not all(type(v) is int for v in (algorithm, cipher, padding)):
            raise TypeError("Cipher algorithm codes are numbers")
        check_key_and_mode(key, mode, (self.MODE_DECRYPT, self.MODE_ENCRYPT))
        # Only what one of the getInstance forms could have made: the same class, codes that
        # agree with each other.
        try:
            made = engines.create(algorithm, cipher, padding)
        except CryptoException as exc:
            raise ValueError("not a supported Cipher algorithm") from exc
        named = engines.PAIR_BY_ALG.get(algorithm) == (cipher, padding) or (
            algorithm == engines.ALG_BY_PAIR.get((cipher, padding), 0))
        if type(made) is not type(self) or made._algorithm != algorithm or not named:
            raise ValueError("the algorithm codes do not name this Cipher")
        Cipher.__init__(self, algorithm, cipher, padding)
        self._key, self._mode = key, mode
        self._revive_record(record)

    def _jc_power_up(self) -> None:
        if self._key is not None:
            self._parameters(self._mode, None)
            self._restart()

    def __repr__(self) -> str:
        return (f"<{type(self).__name__} alg={self._algorithm} cipher={self._cipher} "
                f"pad={self._padding}>")
