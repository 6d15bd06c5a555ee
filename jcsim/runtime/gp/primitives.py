"""The cryptography the secure channels are built from (GlobalPlatform Card Specification v2.3
Amendment D §4 for SCP03; v2.2 Appendix E.4 for SCP02), on the ``cryptography`` package.

SCP03: AES-CMAC (NIST SP 800-38B), the SP 800-108 counter-mode KDF with AES-CMAC as PRF in the
layout Amendment D §4.1.5 fixes, AES-CBC. SCP02: two-key 3DES in CBC mode, the full 3DES MAC
(ISO 9797-1 MAC algorithm 1 with 3DES) and the retail MAC (ISO 9797-1 MAC algorithm 3: single DES
CBC, 3DES on the last block). Padding is ISO 9797-1 method 2 (80 00 ...) throughout.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "aes_cbc_decrypt",
    "aes_cbc_encrypt",
    "aes_cmac",
    "aes_ecb",
    "des3_cbc_decrypt",
    "des3_cbc_encrypt",
    "des3_ecb_decrypt",
    "des3_ecb_encrypt",
    "des_ecb_encrypt",
    "full_des3_mac",
    "pad80",
    "retail_mac",
    "scp03_kdf",
    "unpad80",
]


def pad80(data: bytes, block: int) -> bytes:
    """ISO 9797-1 padding method 2: 80 then zeros up to a multiple of ``block``."""
    padded = data + b"\x80"
    return padded + bytes(-len(padded) % block)


def unpad80(data: bytes) -> bytes | None:
    """The data before the 80 00.. padding; None when the padding is malformed."""
    end = data.rstrip(b"\x00")
    if not end or end[-1] != 0x80:
        return None
    return end[:-1]


# ``cryptography`` is imported on first use, not with the card: a card whose card manager never
# opens a secure channel does not load it (about 8 ms of ``import jcsim``).

def _aes(key: bytes) -> Any:
    from cryptography.hazmat.primitives.ciphers.algorithms import AES

    return AES(key)


def _des3(key: bytes) -> Any:
    from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES

    return TripleDES(key)


def _ecb() -> Any:
    from cryptography.hazmat.primitives.ciphers.modes import ECB

    return ECB()


def _cbc(iv: bytes) -> Any:
    from cryptography.hazmat.primitives.ciphers.modes import CBC

    return CBC(iv)


def _encrypt(algorithm: Any, mode: Any, data: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher

    encryptor = Cipher(algorithm, mode).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def _decrypt(algorithm: Any, mode: Any, data: bytes) -> bytes:
    from cryptography.hazmat.primitives.ciphers import Cipher

    decryptor = Cipher(algorithm, mode).decryptor()
    return decryptor.update(data) + decryptor.finalize()


# --- AES (SCP03) -----------------------------------------------------------------------------

def aes_cmac(key: bytes, data: bytes) -> bytes:
    from cryptography.hazmat.primitives.cmac import CMAC

    mac = CMAC(_aes(key))
    mac.update(data)
    return mac.finalize()


def aes_ecb(key: bytes, block: bytes) -> bytes:
    return _encrypt(_aes(key), _ecb(), block)


def aes_cbc_encrypt(key: bytes, iv: bytes, data: bytes) -> bytes:
    return _encrypt(_aes(key), _cbc(iv), data)


def aes_cbc_decrypt(key: bytes, iv: bytes, data: bytes) -> bytes:
    return _decrypt(_aes(key), _cbc(iv), data)


def scp03_kdf(key: bytes, constant: int, context: bytes, bits: int) -> bytes:
    """Amendment D §4.1.5: SP 800-108 in counter mode, PRF = AES-CMAC. Each block's input is
    a label of 11 zero bytes and the derivation constant, a zero separator, L (2 bytes, in
    bits), the counter i (1 byte, from 1), then the context."""
    out = b""
    counter = 1
    while len(out) * 8 < bits:
        data = (bytes(11) + bytes((constant, 0)) + bits.to_bytes(2, "big")
                + bytes((counter,)) + context)
        out += aes_cmac(key, data)
        counter += 1
    return out[:bits // 8]


# --- DES (SCP02) -----------------------------------------------------------------------------

def _des3_key(key: bytes) -> bytes:
    # A two-key 3DES key (16 bytes) is K1 K2 K1.
    return key + key[:8] if len(key) == 16 else key


def des3_cbc_encrypt(key: bytes, data: bytes, iv: bytes = bytes(8)) -> bytes:
    return _encrypt(_des3(_des3_key(key)), _cbc(iv), data)


def des3_cbc_decrypt(key: bytes, data: bytes, iv: bytes = bytes(8)) -> bytes:
    return _decrypt(_des3(_des3_key(key)), _cbc(iv), data)


def des3_ecb_encrypt(key: bytes, data: bytes) -> bytes:
    return _encrypt(_des3(_des3_key(key)), _ecb(), data)


def des3_ecb_decrypt(key: bytes, data: bytes) -> bytes:
    return _decrypt(_des3(_des3_key(key)), _ecb(), data)


def des_ecb_encrypt(key8: bytes, block: bytes) -> bytes:
    # Single DES is 3DES with K1 = K2 = K3.
    return _encrypt(_des3(key8 * 3), _ecb(), block)


def full_des3_mac(key: bytes, data: bytes, iv: bytes = bytes(8)) -> bytes:
    """ISO 9797-1 MAC algorithm 1 with 3DES, padding method 2: the last CBC block."""
    return des3_cbc_encrypt(key, pad80(data, 8), iv)[-8:]


def retail_mac(key: bytes, data: bytes, iv: bytes = bytes(8)) -> bytes:
    """ISO 9797-1 MAC algorithm 3 (padding method 2): single DES CBC with the first half of
    the key, then 3DES on the last block."""
    if len(iv) != 8:
        raise ValueError(f"the ICV of a retail MAC is one DES block (8 bytes), not {len(iv)}")
    padded = pad80(data, 8)
    chain = iv
    head = key[:8]
    for start in range(0, len(padded) - 8, 8):
        block = bytes(a ^ b for a, b in zip(chain, padded[start:start + 8], strict=True))
        chain = des_ecb_encrypt(head, block)
    last = bytes(a ^ b for a, b in zip(chain, padded[-8:], strict=True))
    return des3_ecb_encrypt(key, last)
