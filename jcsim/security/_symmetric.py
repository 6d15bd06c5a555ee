"""Block-cipher plumbing shared by ``Cipher`` and the MAC algorithms of ``Signature``.

The block ciphers themselves (AES, DES and triple DES in ECB, CBC and CTR) run on
``cryptography``; this module adds what Java Card layers on top: the ISO 9797-1 method 1 and 2
and PKCS#5 paddings, CBC-MAC, and ISO 9797-1 MAC algorithm 3 ("retail MAC"), which is single-DES
CBC-MAC with a final 2-key triple-DES step, E(K1, D(K2, E(K1, x_n xor H_n-1))).
"""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.decrepit.ciphers.algorithms import SEED, TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

from jcsim.framework.exceptions import CryptoException

__all__ = [
    "PAD_M1",
    "PAD_M2",
    "PAD_NOPAD",
    "PAD_PKCS5",
    "BlockContext",
    "block_algorithm",
    "cbc_mac",
    "des3_key",
    "pad",
    "retail_mac",
    "unpad",
]

PAD_NOPAD = 1
PAD_M1 = 2
PAD_M2 = 3
PAD_PKCS5 = 6


def pad(data: bytes, scheme: int, block: int) -> bytes:
    """``data`` padded to a multiple of ``block``; ILLEGAL_USE for unaligned NOPAD data."""
    if scheme == PAD_NOPAD:
        if len(data) % block:
            raise CryptoException(CryptoException.ILLEGAL_USE)
        return data
    if scheme == PAD_M1:
        # ISO 9797-1 method 1 pads to a *positive* multiple: empty data becomes one zero block.
        return data + b"\x00" * ((-len(data)) % block if data else block)
    if scheme == PAD_M2:
        data += b"\x80"
        return data + b"\x00" * ((-len(data)) % block)
    if scheme == PAD_PKCS5:
        n = block - len(data) % block
        return data + bytes((n,)) * n
    raise ValueError(f"unknown padding {scheme}")


def unpad(data: bytes, scheme: int, block: int) -> bytes:
    """Remove the padding of decrypted ``data``; ILLEGAL_USE if it is not well formed."""
    if scheme in (PAD_NOPAD, PAD_M1):
        return data  # method 1 padding cannot be told from data: Java leaves it in place
    if scheme == PAD_M2:
        stripped = data.rstrip(b"\x00")
        if not stripped or stripped[-1] != 0x80 or len(data) - len(stripped) >= block:
            raise CryptoException(CryptoException.ILLEGAL_USE)
        return stripped[:-1]
    if scheme == PAD_PKCS5:
        n = data[-1] if data else 0
        if not 1 <= n <= block or data[-n:] != bytes((n,)) * n:
            raise CryptoException(CryptoException.ILLEGAL_USE)
        return data[:-n]
    raise ValueError(f"unknown padding {scheme}")


def block_algorithm(kind: str, key: bytes) -> Any:
    """The ``cryptography`` block cipher for ``kind`` ("AES", "SEED" or "DES") and key bytes.

    Single and 2-key DES are given to ``cryptography`` as the equivalent 3-key key (K1 K1 K1,
    K1 K2 K1): it deprecates the short forms.
    """
    if kind == "AES":
        return algorithms.AES(key)
    if kind == "SEED":
        return SEED(key)
    return TripleDES(des3_key(key))


def des3_key(key: bytes) -> bytes:
    """The 24-byte triple-DES key equivalent to an 8-, 16- or 24-byte DES key."""
    return key * 3 if len(key) == 8 else key + key[:8] if len(key) == 16 else key


class BlockContext:
    """An encryptor or decryptor that can restart from the IV it was created with."""

    def __init__(self, algorithm: Any, mode: str, iv: bytes, encrypt: bool) -> None:
        self._algorithm = algorithm
        self._mode = mode
        self._iv = iv
        self._encrypt = encrypt
        self.restart()

    def restart(self) -> None:
        if self._mode == "ECB":
            mode: Any = modes.ECB()
        elif self._mode == "CBC":
            mode = modes.CBC(self._iv)
        else:
            mode = modes.CTR(self._iv)
        cipher = Cipher(self._algorithm, mode)
        self._ctx = cipher.encryptor() if self._encrypt else cipher.decryptor()

    def process(self, data: bytes) -> bytes:
        return self._ctx.update(data) if data else b""


def cbc_mac(algorithm: Any, iv: bytes, data: bytes) -> bytes:
    """The last CBC block of already padded ``data``."""
    encryptor = Cipher(algorithm, modes.CBC(iv)).encryptor()
    return (encryptor.update(data) + encryptor.finalize())[-len(iv):]


def retail_mac(key: bytes, iv: bytes, data: bytes) -> bytes:
    """ISO 9797-1 MAC algorithm 3 over padded ``data`` with a 16-byte (K1 || K2) key."""
    k1 = key[:8]
    chained = cbc_mac(TripleDES(k1 * 3), iv, data[:-8]) if len(data) > 8 else iv
    last = bytes(a ^ b for a, b in zip(data[-8:], chained, strict=True))
    encryptor = Cipher(TripleDES(des3_key(key[:16])), modes.ECB()).encryptor()
    return encryptor.update(last) + encryptor.finalize()
