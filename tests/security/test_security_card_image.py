"""Card images of a card whose applet keeps every kind of crypto object: what a loaded card keeps
(keys of every family, key pairs, the key and mode of each engine, a generator's sequence) and
what it loses (transient key material, operations in progress), as after a power cycle."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives import cmac, hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESCCM, AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from security_crypto_holder import (
    AES_KEY,
    CBC_IV,
    CCM_NONCE,
    DES_KEY,
    HMAC_KEY,
    HOLDER_AID,
    INS_AES_CBC,
    INS_AES_CBC_REINIT,
    INS_AES_CBC_UPDATE,
    INS_CCM,
    INS_CMAC,
    INS_CRC32,
    INS_CRC32_START,
    INS_ECDH,
    INS_ECDSA_SIGN,
    INS_GCM,
    INS_HMAC,
    INS_HMAC_UPDATE,
    INS_KEY_STATE,
    INS_PUBLIC,
    INS_RANDOM,
    INS_RANDOM_SECURE,
    INS_RESUME,
    INS_RESUMED_SHA256,
    INS_RETAIL_MAC,
    INS_RSA_ENCRYPT,
    INS_RSA_SIGN,
    INS_SET_TRANSIENT,
    INS_SHA256,
    INS_SHA256_UPDATE,
    INS_TRANSIENT_ECB,
    INS_UNINITIALIZED,
    KEY_NAMES,
    MAC_IV,
    SW_CRYPTO,
    TRANSIENT_KEY,
    CryptoHolder,
    install_holder,
    send,
)

from jcsim import Simulator
from jcsim.crypto import Cipher as JCCipher
from jcsim.framework import CryptoException
from jcsim.runtime import image
from jcsim.runtime.image import ImageError
from jcsim.security import ec_curves

BLOCK = bytes(range(0x30, 0x40))
MESSAGE = b"card image message"


@pytest.fixture(params=["file", "snapshot"])
def reload(request, tmp_path):
    """Save a card and load it back, through a file (``save`` / ``load``) or bytes."""

    def copy(sim: Simulator) -> Simulator:
        if request.param == "file":
            path = tmp_path / "card.jcimg"
            sim.save(path)
            loaded = Simulator.load(path)
        else:
            loaded = Simulator.from_snapshot(sim.snapshot())
        assert loaded.select(HOLDER_AID).sw == 0x9000
        return loaded

    return copy


@pytest.fixture
def card() -> Simulator:
    return install_holder()


def ok(sim: Simulator, ins: int, data: bytes = b"", p1: int = 0, p2: int = 0) -> bytes:
    response = send(sim, ins, data, p1, p2)
    assert response.sw == 0x9000, f"INS {ins:02X} answered {response.sw:04X}"
    return response.data


def aes_cbc(key: bytes, iv: bytes, data: bytes) -> bytes:
    encryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def retail_mac(key: bytes, iv: bytes, data: bytes) -> bytes:
    """ISO 9797-1 MAC algorithm 3, padding method 2, computed with cryptography alone."""
    padded = data + b"\x80" + bytes(-(len(data) + 1) % 8)
    k1, k2 = key[:8] * 3, key[8:16] * 3
    chain = Cipher(TripleDES(k1), modes.CBC(iv)).encryptor()
    last = (chain.update(padded) + chain.finalize())[-8:]
    middle = Cipher(TripleDES(k2), modes.ECB()).decryptor().update(last)
    return Cipher(TripleDES(k1), modes.ECB()).encryptor().update(middle)


def public_keys(sim: Simulator) -> tuple[rsa.RSAPublicKey, rsa.RSAPublicKey, bytes]:
    """The card's RSA CRT pair public key, RSA pair public key, and EC public point W."""
    crt, plain = (rsa.RSAPublicNumbers(65537, int.from_bytes(ok(sim, INS_PUBLIC, p1=p1), "big"))
                  .public_key() for p1 in (0, 1))
    return crt, plain, ok(sim, INS_PUBLIC, p1=2)


def test_keys_of_every_family_and_the_engines_using_them_answer_as_before(card, reload):
    before = {ins: ok(card, ins, MESSAGE) for ins in (INS_HMAC, INS_CMAC, INS_RSA_SIGN,
                                                      INS_RSA_ENCRYPT, INS_SHA256, INS_CRC32)}
    before[INS_CCM] = ok(card, INS_CCM, BLOCK)
    crt_public, rsa_public, w = public_keys(card)

    loaded = reload(card)

    assert public_keys(loaded)[2] == w
    assert [k.public_numbers() for k in public_keys(loaded)[:2]] == [
        crt_public.public_numbers(), rsa_public.public_numbers()]
    for ins in (INS_HMAC, INS_CMAC, INS_RSA_SIGN, INS_RSA_ENCRYPT, INS_SHA256, INS_CRC32):
        assert ok(loaded, ins, MESSAGE) == before[ins], f"INS {ins:02X}"
    assert ok(loaded, INS_CCM, BLOCK) == before[INS_CCM]
    # ... and each answer is the right one, not merely a repeatable one.
    assert before[INS_HMAC] == hmac.new(HMAC_KEY, MESSAGE, hashlib.sha256).digest()
    mac = cmac.CMAC(algorithms.AES(AES_KEY))
    mac.update(MESSAGE)
    assert before[INS_CMAC] == mac.finalize()
    crt_public.verify(before[INS_RSA_SIGN], MESSAGE, padding.PKCS1v15(), hashes.SHA256())
    # PKCS#1 block type 1 under the modulus/exponent private key: opened by the public key.
    opened = pow(int.from_bytes(before[INS_RSA_ENCRYPT], "big"),
                 65537, rsa_public.public_numbers().n).to_bytes(64, "big")
    assert opened.endswith(b"\x00" + MESSAGE) and opened.startswith(b"\x00\x01\xff")
    assert before[INS_SHA256] == hashlib.sha256(MESSAGE).digest()
    assert before[INS_CCM] == AESCCM(AES_KEY, 16).encrypt(CCM_NONCE, BLOCK, None)


def test_a_loaded_ec_key_pair_signs_and_agrees_as_the_saved_one(card, reload):
    _crt, _rsa, w = public_keys(card)
    card_public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), w)
    peer = ec.generate_private_key(ec.SECP256R1())
    peer_point = peer.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)

    loaded = reload(card)

    card_public.verify(ok(loaded, INS_ECDSA_SIGN, MESSAGE), MESSAGE, ec.ECDSA(hashes.SHA256()))
    assert ok(loaded, INS_ECDH, peer_point) == peer.exchange(ec.ECDH(), card_public)
    # The Curve the applet keeps in a field comes back as the same curve.
    assert ok(loaded, INS_PUBLIC, p1=3) == ec_curves.P256.G
    holder = next(r.instance for r in loaded.card.registry.applets
                  if isinstance(r.instance, CryptoHolder))
    assert holder.curve == ec_curves.P256
    assert holder.curve.crypto_curve.name == "secp256r1"


def test_transient_key_material_is_not_in_the_image_and_the_keys_load_uninitialized(card,
                                                                                    reload):
    assert ok(card, INS_KEY_STATE) == bytes([1] * len(KEY_NAMES))
    assert TRANSIENT_KEY.hex() not in card.snapshot().decode()
    assert AES_KEY.hex() in card.snapshot().decode()  # persistent material is there

    loaded = reload(card)

    expected = bytes(0 if name.startswith("transient") else 1 for name in KEY_NAMES)
    assert ok(loaded, INS_KEY_STATE) == expected
    # The Cipher kept its (now empty) key: UNINITIALIZED_KEY, not INVALID_INIT.
    uninitialized = SW_CRYPTO | CryptoException.UNINITIALIZED_KEY
    assert send(loaded, INS_TRANSIENT_ECB, BLOCK).sw == uninitialized
    ok(loaded, INS_SET_TRANSIENT)
    assert ok(loaded, INS_TRANSIENT_ECB, BLOCK) == Cipher(
        algorithms.AES(TRANSIENT_KEY), modes.ECB()).encryptor().update(BLOCK)


def test_an_engine_never_initialized_is_still_uninitialized(card, reload):
    loaded = reload(card)
    assert send(loaded, INS_UNINITIALIZED, BLOCK).sw == SW_CRYPTO | CryptoException.INVALID_INIT


def test_engines_come_back_as_after_a_reset_ivs_at_zero_until_init_again(card, reload):
    # Saved right after init with a non-zero IV (CBC, the retail MAC) and nonce (GCM) ...
    assert ok(card, INS_AES_CBC, BLOCK) == aes_cbc(AES_KEY, CBC_IV, BLOCK)
    assert ok(card, INS_RETAIL_MAC, MESSAGE) == retail_mac(DES_KEY, MAC_IV, MESSAGE)

    loaded = reload(card)

    # ... a loaded engine has its key and mode, and the init(key, mode) defaults.
    assert ok(loaded, INS_AES_CBC, BLOCK) == aes_cbc(AES_KEY, bytes(16), BLOCK)
    assert ok(loaded, INS_RETAIL_MAC, MESSAGE) == retail_mac(DES_KEY, bytes(8), MESSAGE)
    assert ok(loaded, INS_GCM, BLOCK) == AESGCM(AES_KEY).encrypt(bytes(12), BLOCK, None)
    ok(loaded, INS_AES_CBC_REINIT)
    assert ok(loaded, INS_AES_CBC, BLOCK) == aes_cbc(AES_KEY, CBC_IV, BLOCK)


def test_operations_in_progress_are_not_in_the_image(card, reload):
    ok(card, INS_HMAC_UPDATE, b"abc")
    ok(card, INS_SHA256_UPDATE, b"abc")
    ok(card, INS_CRC32_START, b"abc")
    ok(card, INS_AES_CBC_UPDATE, BLOCK)
    ok(card, INS_RESUME, hashlib.sha256(b"x").digest() + (64).to_bytes(8, "big"))

    loaded = reload(card)

    assert ok(loaded, INS_HMAC, b"def") == hmac.new(HMAC_KEY, b"def", hashlib.sha256).digest()
    assert ok(loaded, INS_SHA256, b"def") == hashlib.sha256(b"def").digest()
    # A Checksum as constructed: register 0, so the result is the CRC-32 started from 0.
    assert ok(loaded, INS_CRC32, b"def") == zlib.crc32(b"def", 0xFFFFFFFF).to_bytes(4, "big")
    assert ok(loaded, INS_AES_CBC, BLOCK) == aes_cbc(AES_KEY, bytes(16), BLOCK)
    assert ok(loaded, INS_RESUMED_SHA256, b"def") == hashlib.sha256(b"def").digest()
    # The saved card itself still has its operations in progress.
    assert ok(card, INS_HMAC, b"def") == hmac.new(HMAC_KEY, b"abcdef", hashlib.sha256).digest()
    assert ok(card, INS_SHA256, b"def") == hashlib.sha256(b"abcdef").digest()


def test_a_loaded_pseudo_random_generator_goes_on_with_the_saved_sequence(card, reload):
    loaded = reload(card)
    assert ok(loaded, INS_RANDOM, p2=32) == ok(card, INS_RANDOM, p2=32)
    assert ok(loaded, INS_RANDOM, p2=32) == ok(card, INS_RANDOM, p2=32)
    assert len(ok(loaded, INS_RANDOM_SECURE, p2=32)) == 32


def test_a_fresh_process_loads_the_image_with_only_the_applet_module_imported(card, tmp_path):
    path = tmp_path / "card.jcimg"
    card.save(path)
    # Only the applet's module is imported, as in a program that loads a saved card; the card
    # manager's module is allowed because the runtime imports it only when it makes a new card.
    # The crypto engine classes must be found without help.
    script = (
        "import sys\n"
        "import security_crypto_holder as h\n"
        "from jcsim import Simulator\n"
        "sim = Simulator.load(sys.argv[1], allow_modules=['jcsim.runtime.card_manager'])\n"
        "assert sim.select(h.HOLDER_AID).sw == 0x9000\n"
        "print(h.send(sim, h.INS_HMAC, b'abc').data.hex())\n"
        "print(h.send(sim, h.INS_AES_CBC, bytes(16)).data.hex())\n"
    )
    environment = dict(os.environ, PYTHONPATH=str(Path(__file__).parent))
    result = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                            text=True, env=environment, check=False, timeout=60)
    assert result.returncode == 0, result.stderr
    mac, block = result.stdout.split()
    assert bytes.fromhex(mac) == hmac.new(HMAC_KEY, b"abc", hashlib.sha256).digest()
    assert bytes.fromhex(block) == aes_cbc(AES_KEY, bytes(16), bytes(16))


def _tampered(sim: Simulator, class_suffix: str, change) -> bytes:
    """The card's image with the state of the object of class ``...class_suffix`` changed, and
    a checksum that matches (so only the state itself is wrong)."""
    document = json.loads(sim.snapshot())
    body = document["body"]
    entries = [e for e in body["objects"].values() if e["class"].endswith(class_suffix)]
    assert entries, class_suffix
    entries[0]["state"] = change(entries[0]["state"])
    document["sha256"] = hashlib.sha256(image._canonical(body)).hexdigest()
    return json.dumps(document).encode()


@pytest.mark.parametrize("class_suffix, change", [
    # A Signature whose mode is not SIGN or VERIFY.
    (":_Hmac", lambda s: {"t": s["t"][:5] + [9]}),
    # A Cipher whose key reference is not a key (the applet instance, object 1).
    (":_BlockCipher", lambda s: {"t": s["t"][:3] + [{"r": 1}] + s["t"][4:]}),
    # A block cipher whose codes name an RSA cipher.
    (":_BlockCipher", lambda s: {"t": [JCCipher.ALG_RSA_PKCS1, 7, 7] + s["t"][3:]}),
    # A digest of an algorithm that does not exist.
    (":MessageDigest", lambda s: {"t": [99]}),
    # A pseudo-random generator without its state.
    (":RandomData", lambda s: {"t": [1, None]}),
])
def test_a_corrupt_engine_state_is_refused_as_a_bad_image(card, class_suffix, change):
    with pytest.raises(ImageError, match="inconsistent"):
        Simulator.from_snapshot(_tampered(card, class_suffix, change))
