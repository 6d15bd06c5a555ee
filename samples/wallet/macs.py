"""The issuer's side of the wallet's cryptography, with ``cryptography`` directly.

The card computes the same MACs with ``jcsim.security`` (``Signature.ALG_AES_CMAC_128``); the
byte layouts are in ``samples.wallet.protocol``. Each card's key is derived from the issuer's
master key and the card number with the NIST SP 800-108 key-based KDF in counter mode, AES-CMAC
as its pseudo-random function, so the issuer never has to store a key it cannot recompute.
"""

from __future__ import annotations

import hmac

from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.cmac import CMAC
from cryptography.hazmat.primitives.kdf.kbkdf import KBKDFCMAC, CounterLocation, Mode

from samples.wallet.protocol import KEY_LENGTH, MAC_LENGTH, TAG_CREDIT, TAG_DEBIT, TAG_RECEIPT

__all__ = ["credit_receipt", "credit_response", "debit_proof", "derive_card_key", "matches"]

KDF_LABEL = b"jcsim SmartWallet card key"


def derive_card_key(master_key: bytes, card_number: str) -> bytes:
    """The card's AES-128 key: KBKDF-CMAC(master key, label, context = the card number)."""
    kdf = KBKDFCMAC(algorithm=algorithms.AES, mode=Mode.CounterMode, length=KEY_LENGTH,
                    rlen=1, llen=2, location=CounterLocation.BeforeFixed, label=KDF_LABEL,
                    context=card_number.encode("ascii"), fixed=None)
    return kdf.derive(master_key)


def _cmac8(key: bytes, data: bytes) -> bytes:
    mac = CMAC(algorithms.AES(key))
    mac.update(data)
    return mac.finalize()[:MAC_LENGTH]


def _short(value: int) -> bytes:
    return (value & 0xFFFF).to_bytes(2, "big")


def debit_proof(key: bytes, challenge: bytes, value: int, sequence: int) -> bytes:
    """What the card answers to DEBIT: CMAC(K, 'D' || challenge || value || sequence)."""
    return _cmac8(key, bytes((TAG_DEBIT,)) + challenge + _short(value) + _short(sequence))


def credit_response(key: bytes, card_challenge: bytes, value: int) -> bytes:
    """What the issuer sends in CREDIT ATTEMPT: CMAC(K, 'C' || card challenge || value)."""
    return _cmac8(key, bytes((TAG_CREDIT,)) + card_challenge + _short(value))


def credit_receipt(key: bytes, card_challenge: bytes, value: int) -> bytes:
    """What the card answers once it has credited: CMAC(K, 'R' || card challenge || value)."""
    return _cmac8(key, bytes((TAG_RECEIPT,)) + card_challenge + _short(value))


def matches(expected: bytes, received: bytes) -> bool:
    """Compare MACs in constant time."""
    return hmac.compare_digest(expected, received)
