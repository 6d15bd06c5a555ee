"""A card reset or tear resets Cipher, Signature, MessageDigest and Checksum objects as Java Card
3.0.5 says: a Cipher or Signature keeps the key and mode of its last init with the other values
back at their init(key, mode) defaults; a digest or checksum returns to its state upon
construction."""

from __future__ import annotations

import hashlib
import hmac
import zlib

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESCCM, AESGCM
from security_crypto_holder import (
    AES_KEY,
    CBC_IV,
    CCM_NONCE,
    HMAC_KEY,
    HOLDER_AID,
    INS_AES_CBC,
    INS_AES_CBC_REINIT,
    INS_AES_CBC_UPDATE,
    INS_CCM,
    INS_CRC32,
    INS_CRC32_START,
    INS_GCM,
    INS_GCM_REINIT,
    INS_HMAC,
    INS_HMAC_UPDATE,
    INS_RESUME,
    INS_RESUMED_SHA256,
    INS_SET_TRANSIENT,
    INS_SHA256,
    INS_SHA256_UPDATE,
    INS_TRANSIENT_ECB,
    SW_CRYPTO,
    CryptoHolder,
    install_holder,
    send,
)

from jcsim import Simulator
from jcsim.errors import CardTornError
from jcsim.framework import CryptoException, JCSystem

BLOCK = bytes(range(0x50, 0x60))


def ok(sim: Simulator, ins: int, data: bytes = b"") -> bytes:
    response = send(sim, ins, data)
    assert response.sw == 0x9000, f"INS {ins:02X} answered {response.sw:04X}"
    return response.data


def aes_cbc(iv: bytes, data: bytes) -> bytes:
    encryptor = Cipher(algorithms.AES(AES_KEY), modes.CBC(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def warm_reset(sim: Simulator) -> None:
    sim.reset()
    assert sim.select(HOLDER_AID).sw == 0x9000


def tear(sim: Simulator) -> None:
    """Cut the power during a command (before its first persistent write), then power up."""
    sim.arm_tear(after_writes=0)
    with pytest.raises(CardTornError):
        send(sim, INS_SHA256)
    sim.power_on()
    assert sim.select(HOLDER_AID).sw == 0x9000


def loaded(sim: Simulator) -> Simulator:
    """A copy of the card through its image: its engines must answer this card's resets."""
    copy = Simulator.from_snapshot(sim.snapshot())
    assert copy.select(HOLDER_AID).sw == 0x9000
    return copy


def power_cycle(sim: Simulator) -> None:
    sim.power_off()
    sim.power_on()
    assert sim.select(HOLDER_AID).sw == 0x9000


def start_operations(sim: Simulator) -> None:
    """Init with non-default parameters and leave an operation half done in every engine."""
    ok(sim, INS_AES_CBC_REINIT)
    ok(sim, INS_GCM_REINIT)
    ok(sim, INS_SET_TRANSIENT)
    ok(sim, INS_AES_CBC_UPDATE, BLOCK)
    ok(sim, INS_HMAC_UPDATE, b"abc")
    ok(sim, INS_SHA256_UPDATE, b"abc")
    ok(sim, INS_RESUME, hashlib.sha256(b"x").digest() + (64).to_bytes(8, "big"))
    ok(sim, INS_CRC32_START, b"abc")


def check_reset(sim: Simulator) -> None:
    """Each engine as the specification says a reset leaves it."""
    # Cipher: key and mode kept, the IV back to zeros, the partial block gone.
    assert ok(sim, INS_AES_CBC, BLOCK) == aes_cbc(bytes(16), BLOCK)
    # AEADCipher: GCM back to its all-zero IV; CCM (no default) keeps its nonce.
    assert ok(sim, INS_GCM, BLOCK) == AESGCM(AES_KEY).encrypt(bytes(12), BLOCK, None)
    assert ok(sim, INS_CCM, BLOCK) == AESCCM(AES_KEY, 16).encrypt(CCM_NONCE, BLOCK, None)
    # Signature: key and mode kept, the data it had gone.
    assert ok(sim, INS_HMAC, b"def") == hmac.new(HMAC_KEY, b"def", hashlib.sha256).digest()
    # MessageDigest, InitializedMessageDigest, Checksum: as constructed (a CRC register of 0).
    assert ok(sim, INS_SHA256, b"def") == hashlib.sha256(b"def").digest()
    assert ok(sim, INS_RESUMED_SHA256, b"def") == hashlib.sha256(b"def").digest()
    assert ok(sim, INS_CRC32, b"def") == zlib.crc32(b"def", 0xFFFFFFFF).to_bytes(4, "big")
    # A Cipher whose transient key the reset cleared keeps the key: UNINITIALIZED_KEY.
    assert send(sim, INS_TRANSIENT_ECB, BLOCK).sw == SW_CRYPTO | CryptoException.UNINITIALIZED_KEY


@pytest.mark.parametrize("lose_power", [warm_reset, tear, power_cycle],
                         ids=["reset", "tear", "power-cycle"])
def test_every_way_of_losing_power_resets_the_engines(lose_power):
    sim = install_holder()
    start_operations(sim)
    lose_power(sim)
    check_reset(sim)


def test_engines_loaded_from_an_image_are_reset_by_the_card_they_were_loaded_into():
    sim = loaded(install_holder())
    start_operations(sim)
    warm_reset(sim)
    check_reset(sim)


def test_without_a_reset_the_operations_carry_on():
    card = install_holder()
    ok(card, INS_AES_CBC_REINIT)
    ok(card, INS_HMAC_UPDATE, b"abc")
    ok(card, INS_SHA256_UPDATE, b"abc")
    ok(card, INS_AES_CBC_UPDATE, BLOCK)
    assert ok(card, INS_HMAC, b"def") == hmac.new(HMAC_KEY, b"abcdef", hashlib.sha256).digest()
    assert ok(card, INS_SHA256, b"def") == hashlib.sha256(b"abcdef").digest()
    assert ok(card, INS_AES_CBC, BLOCK) == aes_cbc(CBC_IV, BLOCK + BLOCK)[16:]


def test_the_engines_themselves_are_not_transient_objects():
    sim = install_holder()
    holder = next(r.instance for r in sim.card.registry.applets
                  if isinstance(r.instance, CryptoHolder))
    for engine in (holder.cipher_aes, holder.gcm, holder.sig_hmac, holder.digest,
                   holder.resumed_digest, holder.checksum):
        assert JCSystem.isTransient(engine) == JCSystem.NOT_A_TRANSIENT_OBJECT
