"""Authenticated encryption: AES-GCM and AES-CCM.

Mirrors ``javacardx.crypto.AEADCipher`` (Java Card 3.0.5). ``Cipher.getInstance`` with
ALG_AES_GCM or ALG_AES_CCM (or CIPHER_AES_GCM / CIPHER_AES_CCM with PAD_NULL) returns one.

- GCM is an online mode: ``init(key, mode)`` (an all-zero 12-byte IV, as the specification
  says) or ``init(key, mode, iv, off, len)`` (IV of 8 to 128 bytes); data is processed as it
  arrives. Tags of 4, 8 and 12 to 16 bytes.
- CCM is offline: only ``init(key, mode, nonce, off, len, adataLen, messageLen, tagSize)``
  (nonce of 7 to 13 bytes, tag of 4 to 16 bytes, even); the other ``init`` forms raise
  INVALID_INIT; the output is produced by ``doFinal``.

On decryption ``doFinal`` returns the plaintext and ``verifyTag`` checks the tag afterwards, as
the Java flow requires: the expected tag is recomputed by encrypting the plaintext again with
``cryptography`` (GCM, CCM) and compared. CCM's keystream for decryption is AES-CTR from
counter block A1 (RFC 3610 §2.3).

After a card reset, and in a loaded card image, an AEADCipher keeps its key and mode as any
Cipher does (``cipher``): GCM goes back to the ``init(key, mode)`` default, the all-zero 12-byte
IV; CCM, which has no such default (that ``init`` form raises INVALID_INIT), keeps the nonce and
lengths of its last ``init``. Associated data, message data and the tag of an operation in
progress are lost.
"""

from __future__ import annotations

import hmac as _consttime
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher as _CryptoCipher
from cryptography.hazmat.primitives.ciphers import algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESCCM

from jcsim.crypto.cipher import Cipher
from jcsim.framework.exceptions import CryptoException
from jcsim.lang import NullPointerException
from jcsim.security._buffers import read, write
from jcsim.security._engine_state import FOOTPRINTS, footprint
from jcsim.security.keys import AESKey

__all__ = ["AEADCipher"]

_GCM_TAGS = (4, 8, 12, 13, 14, 15, 16)
_CCM_TAGS = (4, 6, 8, 10, 12, 14, 16)


class AEADCipher(Cipher):
    """Mirrors ``javacardx.crypto.AEADCipher``."""

    _jc_footprint = footprint(*FOOTPRINTS["AEADCipher"])

    CIPHER_AES_GCM = 0xF1  # Java: (byte) 0xF1
    CIPHER_AES_CCM = 0xF2  # Java: (byte) 0xF2
    ALG_AES_GCM = 0xF3  # Java: (byte) 0xF3
    ALG_AES_CCM = 0xF4  # Java: (byte) 0xF4

    @staticmethod
    def _create(algorithm: int, cipher: int) -> AEADCipher:
        return AEADCipher(algorithm, cipher, Cipher.PAD_NULL)

    @property
    def _gcm(self) -> bool:
        return self._algorithm == self.ALG_AES_GCM

    # --- init --------------------------------------------------------------------------------

    def init(self, theKey: Any, theMode: int, *params: Any) -> None:
        """``init(key, mode)`` and ``init(key, mode, bArray, bOff, bLen)`` (GCM), or
        ``init(key, mode, nonceBuf, nonceOff, nonceLen, adataLen, messageLen, tagSize)``."""
        self._jc_attach()
        if len(params) not in (0, 3, 6):
            raise TypeError("AEADCipher.init takes 2, 5 or 8 arguments")
        if theMode not in (self.MODE_DECRYPT, self.MODE_ENCRYPT):
            raise CryptoException(CryptoException.ILLEGAL_VALUE)
        if theKey is None:
            raise NullPointerException("theKey is null")
        if not isinstance(theKey, AESKey):
            raise CryptoException(CryptoException.ILLEGAL_VALUE)
        if not theKey.isInitialized():
            raise CryptoException(CryptoException.UNINITIALIZED_KEY)
        if self._gcm == (len(params) == 6):
            raise CryptoException(CryptoException.INVALID_INIT)
        nonce = read(params[0], params[1], params[2], "nonceBuf") if params else bytes(12)
        if self._gcm:
            if not 8 <= len(nonce) <= 128:
                raise CryptoException(CryptoException.ILLEGAL_VALUE)
            self._sizes: tuple[int, int, int] = (0, 0, 16)
        else:
            adata_len, message_len, tag_size = params[3], params[4], params[5]
            if (not 7 <= len(nonce) <= 13 or tag_size not in _CCM_TAGS or adata_len < 0
                    or message_len < 0 or message_len >= 1 << (8 * (15 - len(nonce)))):
                raise CryptoException(CryptoException.ILLEGAL_VALUE)
            self._sizes = (adata_len, message_len, tag_size)
        self._nonce = nonce
        self._key, self._mode = theKey, theMode
        self._restart()

    # --- reset and card images (see the module docstring) -----------------------------------

    def _init_record(self) -> Any:
        if self._key is None or self._gcm:
            return None
        return (self._nonce, self._sizes)

    def _revive_record(self, record: Any) -> None:
        if self._key is None or self._gcm:
            super()._revive_record(record)
            return
        nonce, sizes = record
        adata_len, message_len, tag_size = sizes
        if not (isinstance(nonce, bytes) and 7 <= len(nonce) <= 13 and tag_size in _CCM_TAGS
                and adata_len >= 0 and 0 <= message_len < 1 << (8 * (15 - len(nonce)))):
            raise ValueError("not the nonce and lengths of a CCM init")
        self._nonce = nonce
        self._sizes = (int(adata_len), int(message_len), int(tag_size))

    def _jc_power_up(self) -> None:
        if self._key is None:
            return
        if self._gcm:
            self._nonce = bytes(12)
            self._sizes = (0, 0, 16)
        self._restart()

    # --- an operation's working state --------------------------------------------------------

    def _restart(self) -> None:
        self._aad = b""
        self._data_started = False
        self._input = b""
        self._output = b""
        self._stream: Any = None
        self._tag: bytes | None = None

    def _ready(self, mode: int = 0) -> None:
        super()._ready(mode)
        self._tag = None  # a new operation: the previous tag is gone

    # --- data --------------------------------------------------------------------------------

    def updateAAD(self, aadBuf: Any, aadOff: int, aadLen: int) -> None:
        """Add associated data; it must come before any message data."""
        self._ready()
        aad = read(aadBuf, aadOff, aadLen, "aadBuf")
        if self._data_started:
            raise CryptoException(CryptoException.ILLEGAL_USE)
        if not self._gcm and len(self._aad) + len(aad) > self._sizes[0]:
            raise CryptoException(CryptoException.ILLEGAL_VALUE)
        self._aad += aad

    def _gcm_stream(self) -> Any:
        if self._stream is None:
            cipher = _CryptoCipher(algorithms.AES(self._key._raw()), modes.GCM(self._nonce))
            self._stream = (cipher.encryptor() if self._mode == self.MODE_ENCRYPT
                            else cipher.decryptor())
            if self._aad:
                self._stream.authenticate_additional_data(self._aad)
        return self._stream

    def _update(self, data: bytes) -> bytes:
        if not self._gcm and len(self._aad) != self._sizes[0]:
            raise CryptoException(CryptoException.ILLEGAL_USE)
        self._data_started = True
        self._input += data
        if not self._gcm:
            if len(self._input) > self._sizes[1]:
                raise CryptoException(CryptoException.ILLEGAL_USE)
            return b""
        out = self._gcm_stream().update(data) if data else b""
        self._output += out
        return out

    def doFinal(self, inBuff: Any, inOffset: int, inLength: int, outBuff: Any,
                outOffset: int) -> int:
        """Finish: write the remaining output; the tag is then available (encryption) or
        checkable (decryption)."""
        self._ready()
        data = read(inBuff, inOffset, inLength, "inBuff")
        out = self._update(data)
        key = self._key._raw()
        if self._gcm:
            stream = self._gcm_stream()
            if self._mode == self.MODE_ENCRYPT:
                out += stream.finalize()
                tag = stream.tag
            else:
                tag = _gcm_tag(key, self._nonce, self._aad, self._output)
        else:
            if len(self._input) != self._sizes[1]:
                raise CryptoException(CryptoException.ILLEGAL_USE)
            out, tag = self._ccm_final(key)
        mode = self._mode
        self._restart()
        self._tag = tag
        self._done_mode = mode
        return write(outBuff, outOffset, out)

    def _ccm_final(self, key: bytes) -> tuple[bytes, bytes]:
        tag_size = self._sizes[2]
        if self._mode == self.MODE_ENCRYPT:
            sealed = AESCCM(key, tag_size).encrypt(self._nonce, self._input, self._aad or None)
            return sealed[:-tag_size], sealed[-tag_size:]
        q = 15 - len(self._nonce)
        counter = bytes((q - 1,)) + self._nonce + (1).to_bytes(q, "big")
        ctr = _CryptoCipher(algorithms.AES(key), modes.CTR(counter)).encryptor()
        plain = ctr.update(self._input) + ctr.finalize()
        sealed = AESCCM(key, tag_size).encrypt(self._nonce, plain, self._aad or None)
        return plain, sealed[-tag_size:]

    # --- tags --------------------------------------------------------------------------------

    def _finished_tag(self, mode: int) -> bytes:
        if self._tag is None or getattr(self, "_done_mode", 0) != mode:
            raise CryptoException(CryptoException.ILLEGAL_USE)
        return self._tag

    def _tag_lengths(self) -> tuple[int, ...]:
        return _GCM_TAGS if self._gcm else (len(self._tag or b""),)

    def retrieveTag(self, tagBuf: Any, tagOff: int, tagLen: int) -> int:
        """Write the first ``tagLen`` bytes of the tag (after an encrypting ``doFinal``)."""
        tag = self._finished_tag(self.MODE_ENCRYPT)
        if tagLen not in self._tag_lengths():
            raise CryptoException(CryptoException.ILLEGAL_VALUE)
        write(tagBuf, tagOff, tag[:tagLen], "tagBuf")
        return tagLen

    def verifyTag(self, receivedTagBuf: Any, receivedTagOff: int, receivedTagLen: int,
                  requiredTagLen: int) -> bool:
        """True if the received tag matches (after a decrypting ``doFinal``)."""
        tag = self._finished_tag(self.MODE_DECRYPT)
        if requiredTagLen not in self._tag_lengths():
            raise CryptoException(CryptoException.ILLEGAL_VALUE)
        received = read(receivedTagBuf, receivedTagOff, receivedTagLen, "receivedTagBuf")
        if receivedTagLen < requiredTagLen:
            return False
        return _consttime.compare_digest(received[:requiredTagLen], tag[:requiredTagLen])


def _gcm_tag(key: bytes, nonce: bytes, aad: bytes, plaintext: bytes) -> bytes:
    encryptor = _CryptoCipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
    if aad:
        encryptor.authenticate_additional_data(aad)
    encryptor.update(plaintext)
    encryptor.finalize()
    return encryptor.tag
