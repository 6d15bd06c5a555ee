"""The issuer's side of the wallet's cryptography, with ``cryptography`` directly.

The card computes the same MACs with ``jcsim.security`` (``Signature.ALG_AES_CMAC_128``); the
byte layouts are in ``jcsim.samples.wallet.protocol``. Each card's key is derived from the issuer's
master key and the card number with the NIST SP 800-108 key-based KDF in counter mode, AES-CMAC
as its pseudo-random function, so the issuer never has to store a key it cannot recompute.
The same KDF gives the SCP03 key set the issuer puts into each card's issuer security domain
(``derive_isd_keys``), replacing the public GlobalPlatform test keys the card left the factory
with.
"""

from __future__ import annotations

import hmac

from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.cmac import CMAC
from cryptography.hazmat.primitives.kdf.kbkdf import KBKDFCMAC, CounterLocation, Mode

from jcsim.gp import KeySet
from jcsim.samples.wallet.protocol import KEY_LENGTH, MAC_LENGTH, TAG_CREDIT, TAG_DEBIT, TAG_RECEIPT

__all__ = ["credit_receipt", "credit_response", "debit_proof", "derive_card_key",
           "derive_isd_keys", "matches"]

KDF_LABEL = b"jcsim SmartWallet card key"
ISD_KDF_LABEL = b"jcsim SmartWallet ISD keys"
ISD_KEY_VERSION = 0x30  # the SCP03 key set of jcsim's issuer security domain


def derive_card_key(master_key: bytes, card_number: str) -> bytes:
    """The card's AES-128 key: KBKDF-CMAC(master key, label, context = the card number)."""
    kdf = KBKDFCMAC(algorithm=algorithms.AES, mode=Mode.CounterMode, length=KEY_LENGTH,
                    rlen=1, llen=2, location=CounterLocation.BeforeFixed, label=KDF_LABEL,
                    context=card_number.encode("ascii"), fixed=None)
    return kdf.derive(master_key)


def derive_isd_keys(master_key: bytes) -> KeySet:
    """The issuer's SCP03 key set (ENC, MAC, DEK of AES-128, version 30) for the issuer security
    domains of its cards: KBKDF-CMAC(master key, ISD label), 48 bytes cut in three."""
    kdf = KBKDFCMAC(algorithm=algorithms.AES, mode=Mode.CounterMode, length=3 * KEY_LENGTH,
                    rlen=1, llen=2, location=CounterLocation.BeforeFixed, label=ISD_KDF_LABEL,
                    context=b"", fixed=None)
    keys = kdf.derive(master_key)
    return KeySet(keys[:16], keys[16:32], keys[32:], ISD_KEY_VERSION)


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
