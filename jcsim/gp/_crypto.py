"""The block-cipher building blocks of GlobalPlatform's secure channels, on ``cryptography``.

- SCP03 (GP Card Specification v2.3 Amendment D §4.1): AES-CMAC (NIST SP 800-38B) and the data
  derivation of §4.1.5, NIST SP 800-108 in counter mode with AES-CMAC as the PRF.
- SCP02 (GP Card Specification v2.2 Appendix B.1 and E.4): two- or three-key triple DES in CBC
  and ECB, the full triple-DES MAC (ISO 9797-1 algorithm 1) and the retail MAC (ISO 9797-1
  algorithm 3: single DES chaining, triple DES on the last block), both with method 2 padding.
- Key check values (GPCS §11.8.2.3): the first three bytes of the key encrypting eight zero
  bytes (DES) or sixteen bytes 01 (AES).
"""

from __future__ import annotations

from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.cmac import CMAC

__all__ = [
    "aes_cbc_decrypt",
    "aes_cbc_encrypt",
    "aes_cmac",
    "aes_ecb_encrypt",
    "aes_kcv",
    "des3_cbc_decrypt",
    "des3_cbc_encrypt",
    "des3_ecb_decrypt",
    "des3_ecb_encrypt",
    "des3_kcv",
    "des3_mac",
    "des_ecb_encrypt",
    "pad80",
    "retail_mac",
    "scp03_kdf",
    "unpad80",
]


def pad80(data: bytes, block: int) -> bytes:
    """ISO 9797-1 method 2: append 80, then 00 up to a multiple of ``block`` (always pads)."""
    padded = data + b"\x80"
    return padded + bytes(-len(padded) % block)


def unpad80(data: bytes) -> bytes | None:
    """Strip method 2 padding; None when there is none to strip (the caller reports it)."""
    stripped = data.rstrip(b"\x00")
    if not stripped or stripped[-1] != 0x80 or len(data) - len(stripped) >= 16:
        return None
    return stripped[:-1]


# --- AES (SCP03) -------------------------------------------------------------------------------


def aes_cmac(key: bytes, data: bytes) -> bytes:
    mac = CMAC(algorithms.AES(key))
    mac.update(data)
    return mac.finalize()


def aes_ecb_encrypt(key: bytes, block: bytes) -> bytes:
    encryptor = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return encryptor.update(block) + encryptor.finalize()


def aes_cbc_encrypt(key: bytes, data: bytes, iv: bytes = bytes(16)) -> bytes:
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def aes_cbc_decrypt(key: bytes, data: bytes, iv: bytes = bytes(16)) -> bytes:
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(data) + decryptor.finalize()


def scp03_kdf(key: bytes, constant: int, context: bytes, bits: int) -> bytes:
    """Amendment D §4.1.5: blocks of AES-CMAC(key, 11 x 00 || constant || 00 || L (2) || i ||
    context) for i = 1, 2, ... until ``bits`` bits, truncated to them."""
    out = b""
    counter = 1
    while len(out) * 8 < bits:
        data = (bytes(11) + bytes((constant, 0)) + bits.to_bytes(2, "big") + bytes((counter,))
                + context)
        out += aes_cmac(key, data)
        counter += 1
    return out[:bits // 8]


def aes_kcv(key: bytes) -> bytes:
    return aes_ecb_encrypt(key, b"\x01" * 16)[:3]


# --- DES (SCP02) -------------------------------------------------------------------------------


def _des3(key: bytes) -> TripleDES:
    # A two-key triple-DES key K1 K2 runs as K1 K2 K1.
    return TripleDES(key + key[:8] if len(key) == 16 else key)


def des3_cbc_encrypt(key: bytes, data: bytes, iv: bytes = bytes(8)) -> bytes:
    encryptor = Cipher(_des3(key), modes.CBC(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def des3_cbc_decrypt(key: bytes, data: bytes, iv: bytes = bytes(8)) -> bytes:
    decryptor = Cipher(_des3(key), modes.CBC(iv)).decryptor()
    return decryptor.update(data) + decryptor.finalize()


def des3_ecb_encrypt(key: bytes, data: bytes) -> bytes:
    encryptor = Cipher(_des3(key), modes.ECB()).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def des3_ecb_decrypt(key: bytes, data: bytes) -> bytes:
    decryptor = Cipher(_des3(key), modes.ECB()).decryptor()
    return decryptor.update(data) + decryptor.finalize()


def des_ecb_encrypt(key8: bytes, block: bytes) -> bytes:
    """Single DES, as triple DES with three equal keys."""
    encryptor = Cipher(TripleDES(key8 * 3), modes.ECB()).encryptor()
    return encryptor.update(block) + encryptor.finalize()


def des3_mac(key: bytes, data: bytes, iv: bytes = bytes(8)) -> bytes:
    """ISO 9797-1 algorithm 1 with triple DES and method 2 padding: the last CBC block."""
    return des3_cbc_encrypt(key, pad80(data, 8), iv)[-8:]


def retail_mac(key: bytes, data: bytes, iv: bytes = bytes(8)) -> bytes:
    """ISO 9797-1 algorithm 3 (method 2 padding): single-DES CBC under K1 over all blocks but
    the last, which is triple-DES encrypted."""
    padded = pad80(data, 8)
    chained = iv
    if len(padded) > 8:
        encryptor = Cipher(TripleDES(key[:8] * 3), modes.CBC(iv)).encryptor()
        chained = (encryptor.update(padded[:-8]) + encryptor.finalize())[-8:]
    last = bytes(a ^ b for a, b in zip(chained, padded[-8:], strict=True))
    return des3_ecb_encrypt(key, last)


def des3_kcv(key: bytes) -> bytes:
    return des3_ecb_encrypt(key, bytes(8))[:3]
