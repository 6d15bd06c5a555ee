"""The algorithm families behind ``Cipher``: block ciphers and RSA.

``create(alg, cipher, padding)`` is the one table of what is supported; both ``getInstance``
forms end here. AES-GCM / AES-CCM live in ``aead_cipher``.
"""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from jcsim.crypto import _iso9796_1
from jcsim.crypto.cipher import Cipher
from jcsim.framework.exceptions import CryptoException
from jcsim.security import _symmetric as sym
from jcsim.security.keys import AESKey, DESKey, KoreanSEEDKey
from jcsim.security.rsa_keys import RSAPrivateCrtKey, RSAPrivateKey, RSAPublicKey, rsa_material

__all__ = ["ALG_BY_PAIR", "PAIR_BY_ALG", "create"]

_C = Cipher
AEAD_GCM, AEAD_CCM = 0xF3, 0xF4
CIPHER_AES_GCM, CIPHER_AES_CCM = 0xF1, 0xF2

# Predefined ALG_* code -> (CIPHER_*, PAD_*), supported codes only.
PAIR_BY_ALG: dict[int, tuple[int, int]] = {
    _C.ALG_DES_CBC_NOPAD: (3, 1), _C.ALG_DES_CBC_ISO9797_M1: (3, 2),
    _C.ALG_DES_CBC_ISO9797_M2: (3, 3), _C.ALG_DES_CBC_PKCS5: (3, 6),
    _C.ALG_DES_ECB_NOPAD: (4, 1), _C.ALG_DES_ECB_ISO9797_M1: (4, 2),
    _C.ALG_DES_ECB_ISO9797_M2: (4, 3), _C.ALG_DES_ECB_PKCS5: (4, 6),
    _C.ALG_AES_BLOCK_128_CBC_NOPAD: (1, 1), _C.ALG_AES_BLOCK_128_ECB_NOPAD: (2, 1),
    _C.ALG_AES_CBC_ISO9797_M1: (1, 2), _C.ALG_AES_CBC_ISO9797_M2: (1, 3),
    _C.ALG_AES_CBC_PKCS5: (1, 6), _C.ALG_AES_ECB_ISO9797_M1: (2, 2),
    _C.ALG_AES_ECB_ISO9797_M2: (2, 3), _C.ALG_AES_ECB_PKCS5: (2, 6),
    _C.ALG_RSA_PKCS1: (7, 7), _C.ALG_RSA_NOPAD: (7, 1), _C.ALG_RSA_PKCS1_OAEP: (7, 9),
    _C.ALG_RSA_ISO9796: (7, 10),
    _C.ALG_AES_CTR: (0, 0),
    _C.ALG_KOREAN_SEED_CBC_NOPAD: (5, 1), _C.ALG_KOREAN_SEED_ECB_NOPAD: (6, 1),
    AEAD_GCM: (CIPHER_AES_GCM, 0), AEAD_CCM: (CIPHER_AES_CCM, 0),
}
ALG_BY_PAIR = {pair: alg for alg, pair in PAIR_BY_ALG.items() if pair != (0, 0)}

_OAEP_HASHES: dict[int, type[hashes.HashAlgorithm]] = {
    9: hashes.SHA1, 13: hashes.SHA224, 14: hashes.SHA256, 15: hashes.SHA384, 16: hashes.SHA512}
_BLOCK_CIPHERS = {1: ("AES", "CBC"), 2: ("AES", "ECB"), 3: ("DES", "CBC"), 4: ("DES", "ECB"),
                  5: ("SEED", "CBC"), 6: ("SEED", "ECB")}
_KEY_CLASSES = {"AES": AESKey, "DES": DESKey, "SEED": KoreanSEEDKey}


def create(alg: int, cipher: int, pad: int) -> Cipher:
    """A Cipher for (alg, cipher, padding); NO_SUCH_ALGORITHM for anything unsupported."""
    if cipher in _BLOCK_CIPHERS and pad in (1, 2, 3, 6):
        return _BlockCipher(alg, cipher, pad)
    if alg == Cipher.ALG_AES_CTR:
        return _BlockCipher(alg, 0, 0)
    if cipher == Cipher.CIPHER_RSA and (pad in (1, 7, 10) or pad in _OAEP_HASHES):
        return _RSACipher(alg, cipher, pad)
    if cipher in (CIPHER_AES_GCM, CIPHER_AES_CCM) and pad == 0:
        from jcsim.crypto.aead_cipher import AEADCipher

        return AEADCipher._create(AEAD_GCM if cipher == CIPHER_AES_GCM else AEAD_CCM, cipher)
    raise CryptoException(CryptoException.NO_SUCH_ALGORITHM)


class _BlockCipher(Cipher):
    """DES, triple DES, AES and SEED in ECB and CBC with the Java Card paddings; AES-CTR."""

    @property
    def _kind(self) -> tuple[str, str]:
        return _BLOCK_CIPHERS.get(self._cipher, ("AES", "CTR"))

    @property
    def _block(self) -> int:
        return 8 if self._kind[0] == "DES" else 16

    def _key_fits(self, key: Any, mode: int) -> bool:
        return isinstance(key, _KEY_CLASSES[self._kind[0]])

    def _parameters(self, mode: int, params: bytes | None) -> None:
        if params is not None and (self._kind[1] == "ECB" or len(params) != self._block):
            raise CryptoException(CryptoException.ILLEGAL_VALUE)
        self._iv = params if params is not None else bytes(self._block)

    def _restart(self) -> None:
        # The cryptography context is made at the first block of an operation, from the key's
        # material then: a reset or an image load must not read the key (see _engine_state).
        self._ctx: Any = None
        self._pending = b""
        self._seen = 0

    def _context(self) -> Any:
        if self._ctx is None:
            kind, mode = self._kind
            self._ctx = sym.BlockContext(sym.block_algorithm(kind, self._key._raw()), mode,
                                         self._iv, self._encrypting)
        return self._ctx

    def _update(self, data: bytes) -> bytes:
        self._seen += len(data)
        data = self._pending + data
        if self._kind[1] == "CTR":
            self._pending = b""
            return self._context().process(data)
        keep = len(data) % self._block
        if not self._encrypting and self._padding in (3, 6) and keep == 0 and data:
            keep = self._block  # the last block may hold padding: decide at doFinal
        self._pending = data[len(data) - keep:]
        return self._context().process(data[:len(data) - keep])

    def _final(self, data: bytes) -> bytes:
        self._seen += len(data)
        data = self._pending + data
        if self._kind[1] == "CTR":
            return self._context().process(data)
        if self._padding == sym.PAD_NOPAD and self._seen == 0:
            raise CryptoException(CryptoException.ILLEGAL_USE)
        if self._encrypting:
            if self._padding == sym.PAD_M1 and not data and self._seen:
                return b""  # method 1 adds no block to a non-empty, aligned message
            return self._context().process(sym.pad(data, self._padding, self._block))
        if len(data) % self._block or (self._padding in (3, 6) and not data):
            raise CryptoException(CryptoException.ILLEGAL_USE)
        return sym.unpad(self._context().process(data), self._padding, self._block)


class _RSACipher(Cipher):
    """RSA with no padding, PKCS#1 v1.5 (block types 1 and 2), OAEP and ISO/IEC 9796-1
    (``_iso9796_1``: the message, at most (bits + 13) // 16 bytes, in a representative with
    redundancy; decryption checks it and gives the message back, ILLEGAL_USE otherwise)."""

    def _key_fits(self, key: Any, mode: int) -> bool:
        if self._padding in _OAEP_HASHES:  # OAEP is for encryption / decryption only
            return isinstance(key, RSAPublicKey if mode == Cipher.MODE_ENCRYPT
                              else (RSAPrivateKey, RSAPrivateCrtKey))
        return isinstance(key, (RSAPublicKey, RSAPrivateKey, RSAPrivateCrtKey))

    def _check_key(self, key: Any, mode: int) -> None:
        material = rsa_material(key)
        if self._padding in _OAEP_HASHES and mode == Cipher.MODE_DECRYPT and (
                material.private is None):
            raise CryptoException(CryptoException.ILLEGAL_VALUE)

    def _parameters(self, mode: int, params: bytes | None) -> None:
        if params is not None:
            raise CryptoException(CryptoException.ILLEGAL_VALUE)

    def _restart(self) -> None:
        self._pending = b""

    def _update(self, data: bytes) -> bytes:
        self._pending += data
        return b""

    def _oaep(self) -> Any:
        h = _OAEP_HASHES[self._padding]
        return padding.OAEP(mgf=padding.MGF1(h()), algorithm=h(), label=None)

    def _final(self, data: bytes) -> bytes:
        data = self._pending + data
        m = rsa_material(self._key)
        public_key = isinstance(self._key, RSAPublicKey)
        if self._padding == Cipher.PAD_ISO9796:
            return _iso9796_1_final(m, data, self._encrypting)
        if self._encrypting:
            if self._padding == Cipher.PAD_NOPAD:
                return _raw(m, data)
            if self._padding in _OAEP_HASHES:
                return _guard(lambda: m.public_key().encrypt(data, self._oaep()))
            if len(data) > m.k - 11:
                raise CryptoException(CryptoException.ILLEGAL_USE)
            if public_key:
                return _guard(lambda: m.public_key().encrypt(data, padding.PKCS1v15()))
            block = b"\x00\x01" + b"\xff" * (m.k - 3 - len(data)) + b"\x00" + data
            return _raw(m, block)
        if self._padding in _OAEP_HASHES:
            if len(data) != m.k:
                raise CryptoException(CryptoException.ILLEGAL_USE)
            return _guard(lambda: m.private_key().decrypt(data, self._oaep()))
        block = _raw(m, data)
        if self._padding == Cipher.PAD_NOPAD:
            return block
        return _unpad_pkcs1(block, 1 if public_key else 2)


def _iso9796_1_final(m: Any, data: bytes, encrypting: bool) -> bytes:
    try:
        if encrypting:
            return m.raw(_iso9796_1.encode(data, m.n.bit_length())).to_bytes(m.k, "big")
        value = int.from_bytes(data, "big")
        if len(data) != m.k or value >= m.n:
            raise ValueError("not an RSA block of this key")
        message, pad_bits = _iso9796_1.decode(m.raw(value), m.n)
    except ValueError as exc:
        raise CryptoException(CryptoException.ILLEGAL_USE) from exc
    if pad_bits:  # a message of a partial byte: a Cipher gives whole bytes only
        raise CryptoException(CryptoException.ILLEGAL_USE)
    return message


def _guard(operation: Any) -> bytes:
    try:
        return operation()
    except ValueError as exc:
        raise CryptoException(CryptoException.ILLEGAL_USE) from exc


def _raw(m: Any, data: bytes) -> bytes:
    """The RSA primitive on one block: ILLEGAL_USE unless it is k bytes and below the modulus."""
    value = int.from_bytes(data, "big")
    if len(data) != m.k or value >= m.n:
        raise CryptoException(CryptoException.ILLEGAL_USE)
    return m.raw(value).to_bytes(m.k, "big")


def _unpad_pkcs1(block: bytes, block_type: int) -> bytes:
    """The message of a PKCS#1 v1.5 encryption block 00 || BT || PS || 00 || M."""
    end = block.find(b"\x00", 2)
    padding_string = block[2:end]
    ok = block[0] == 0 and block[1] == block_type and end >= 10
    if ok and block_type == 1:
        ok = padding_string == b"\xff" * len(padding_string)
    if not ok:
        raise CryptoException(CryptoException.ILLEGAL_USE)
    return block[end + 1:]
