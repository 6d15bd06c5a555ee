"""Signatures, digests, key agreement, checksums and random data against ``cryptography``."""

from __future__ import annotations

import hashlib
import zlib

import pytest
from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.asymmetric import ec, padding, utils
from cryptography.hazmat.primitives.ciphers import Cipher, modes
from hypothesis import given, settings
from hypothesis import strategies as st

from jcsim.framework import ByteArray
from jcsim.security import (
    Checksum,
    KeyAgreement,
    KeyBuilder,
    KeyPair,
    MessageDigest,
    RandomData,
    Signature,
    entropy,
)
from jcsim.security._sha_resume import ResumedHash, initial_state
from jcsim.security.ec_keys import ec_material
from jcsim.security.rsa_keys import rsa_material

SETTINGS = settings(max_examples=30, deadline=None)


@pytest.fixture(scope="module")
def ec_pair():
    pair = KeyPair(KeyPair.ALG_EC_FP, 256)
    pair.genKeyPair()
    return pair


@pytest.fixture(scope="module")
def rsa_pair():
    pair = KeyPair(KeyPair.ALG_RSA, 1024)
    pair.genKeyPair()
    return pair


def _sign(sig, key, data):
    sig.init(key, Signature.MODE_SIGN)
    out = ByteArray(512)
    return bytes(out[:sig.sign(data, 0, len(data), out, 0)])


@SETTINGS
@given(st.binary(max_size=200), st.sampled_from([
    (Signature.ALG_ECDSA_SHA, hashes.SHA1), (Signature.ALG_ECDSA_SHA_256, hashes.SHA256),
    (Signature.ALG_ECDSA_SHA_384, hashes.SHA384), (Signature.ALG_ECDSA_SHA_512, hashes.SHA512)]))
def test_ecdsa_signatures_verify_with_cryptography_and_with_jcsim(ec_pair, message, alg):
    code, hash_class = alg
    sig = Signature.getInstance(code, False)
    der = _sign(sig, ec_pair.getPrivate(), message)
    ec_material(ec_pair.getPublic()).public.verify(der, message, ec.ECDSA(hash_class()))
    sig.init(ec_pair.getPublic(), Signature.MODE_VERIFY)
    assert sig.verify(message, 0, len(message), der, 0, len(der))
    assert len(der) <= sig.getLength()


def test_plain_ecdsa_signatures_are_r_then_s(ec_pair):
    sig = Signature.getInstance(0x04, Signature.SIG_CIPHER_ECDSA_PLAIN, 0x00, False)
    assert sig.getAlgorithm() == 0
    raw = _sign(sig, ec_pair.getPrivate(), b"plain")
    assert len(raw) == 64
    der = utils.encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    ec_material(ec_pair.getPublic()).public.verify(der, b"plain", ec.ECDSA(hashes.SHA256()))
    sig.init(ec_pair.getPublic(), Signature.MODE_VERIFY)
    assert sig.verify(b"plain", 0, 5, raw, 0, 64)


@SETTINGS
@given(st.binary(max_size=200))
def test_rsa_pss_signatures_verify_with_cryptography(rsa_pair, message):
    sig = Signature.getInstance(Signature.ALG_RSA_SHA_256_PKCS1_PSS, False)
    signature = _sign(sig, rsa_pair.getPrivate(), message)
    rsa_material(rsa_pair.getPublic()).public.verify(
        signature, message, padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=32),
        hashes.SHA256())
    sig.init(rsa_pair.getPublic(), Signature.MODE_VERIFY)
    assert sig.verify(message, 0, len(message), signature, 0, len(signature))


@SETTINGS
@given(st.binary(min_size=1, max_size=100), st.binary(max_size=200))
def test_hmac_sha256_matches_cryptography(key_bytes, message):
    key = KeyBuilder.buildKey(KeyBuilder.TYPE_HMAC_TRANSIENT_DESELECT, 512, False)
    key.setKey(key_bytes, 0, len(key_bytes))
    mac = hmac.HMAC(key_bytes, hashes.SHA256())
    mac.update(message)
    assert _sign(Signature.getInstance(Signature.ALG_HMAC_SHA_256, False), key,
                 message) == mac.finalize()


def _des_cbc_mac(key, data):
    e = Cipher(TripleDES(key), modes.CBC(bytes(8))).encryptor()
    return (e.update(data) + e.finalize())[-8:]


def _single_des(key, block, decrypt=False):
    c = Cipher(TripleDES(key * 3), modes.ECB())
    op = c.decryptor() if decrypt else c.encryptor()
    return op.update(block) + op.finalize()


@SETTINGS
@given(st.binary(min_size=16, max_size=16), st.binary(max_size=60))
def test_retail_mac_is_single_des_cbc_then_decrypt_k2_encrypt_k1(key_bytes, message):
    padded = message + b"\x80" + bytes(-(len(message) + 1) % 8)
    k1, k2 = key_bytes[:8], key_bytes[8:]
    h = bytes(8)
    for i in range(0, len(padded), 8):
        h = _single_des(k1, bytes(a ^ b for a, b in zip(padded[i:i + 8], h)))
    expected = _single_des(k1, _single_des(k2, h, decrypt=True))
    key = KeyBuilder.buildKey(KeyBuilder.TYPE_DES, 128, False)
    key.setKey(key_bytes, 0)
    assert _sign(Signature.getInstance(Signature.ALG_DES_MAC8_ISO9797_1_M2_ALG3, False), key,
                 message) == expected
    assert _sign(Signature.getInstance(Signature.ALG_DES_MAC4_ISO9797_1_M2_ALG3, False), key,
                 message) == expected[:4]


@SETTINGS
@given(st.binary(min_size=24, max_size=24), st.binary(max_size=60))
def test_des_mac8_iso9797_m2_is_triple_des_cbc_mac(key_bytes, message):
    key = KeyBuilder.buildKey(KeyBuilder.TYPE_DES, 192, False)
    key.setKey(key_bytes, 0)
    padded = message + b"\x80" + bytes(-(len(message) + 1) % 8)
    assert _sign(Signature.getInstance(Signature.ALG_DES_MAC8_ISO9797_M2, False), key,
                 message) == _des_cbc_mac(key_bytes, padded)


@pytest.mark.parametrize("name, alg", [("sha1", MessageDigest.ALG_SHA),
                                       ("sha256", MessageDigest.ALG_SHA_256),
                                       ("sha384", MessageDigest.ALG_SHA_384)])
def test_initialized_message_digest_continues_a_hash_computed_elsewhere(name, alg):
    message = bytes(range(256)) * 3
    block = 64 if name in ("sha1", "sha256") else 128
    head = ResumedHash(name, initial_state(name), 0)
    head.update(message[:2 * block])
    state = head.state()
    md = MessageDigest.getInitializedMessageDigestInstance(alg, False)
    md.setInitialDigest(state, 0, len(state), (2 * block).to_bytes(2, "big"), 0, 2)
    out = ByteArray(64)
    n = md.doFinal(message, 2 * block, len(message) - 2 * block, out, 0)
    assert bytes(out[:n]) == hashlib.new(name, message).digest()


@given(st.binary(max_size=300))
@SETTINGS
def test_checksums_follow_the_specification_and_the_common_crc_variants(data):
    crc32 = Checksum.getInstance(Checksum.ALG_ISO3309_CRC32, False)
    crc32.init(b"\xff\xff\xff\xff", 0, 4)
    out = ByteArray(4)
    crc32.doFinal(data, 0, len(data), out, 0)
    assert int.from_bytes(bytes(out), "big") == zlib.crc32(data)
    crc16 = Checksum.getInstance(Checksum.ALG_ISO3309_CRC16, False)
    crc16.init(b"\xff\xff", 0, 2)
    crc16.doFinal(data, 0, len(data), out, 0)
    import binascii

    assert int.from_bytes(bytes(out[:2]), "big") ^ 0xFFFF == binascii.crc_hqx(data, 0xFFFF)


def test_crc_check_values_of_123456789():
    out = ByteArray(4)
    crc16 = Checksum.getInstance(Checksum.ALG_ISO3309_CRC16, False)
    crc16.init(b"\xff\xff", 0, 2)
    crc16.doFinal(b"123456789", 0, 9, out, 0)
    assert bytes(out[:2]) == (0x29B1 ^ 0xFFFF).to_bytes(2, "big")
    crc32 = Checksum.getInstance(Checksum.ALG_ISO3309_CRC32, False)
    crc32.init(b"\xff\xff\xff\xff", 0, 4)
    crc32.doFinal(b"1234", 0, 4, out, 0)
    crc32.init(b"\xff\xff\xff\xff", 0, 4)
    crc32.update(b"12345", 0, 5)
    crc32.doFinal(b"6789", 0, 4, out, 0)
    assert bytes(out) == bytes.fromhex("cbf43926")


def _w(pair):
    w = ByteArray(65)
    pair.getPublic().getW(w, 0)
    return bytes(w)


def test_ecdh_variants_agree_with_cryptography(ec_pair):
    other = ec.generate_private_key(ec.SECP256R1())
    peer = other.public_key().public_bytes(
        __import__("cryptography.hazmat.primitives.serialization", fromlist=["x"]).Encoding.X962,
        __import__("cryptography.hazmat.primitives.serialization",
                   fromlist=["x"]).PublicFormat.UncompressedPoint)
    shared_x = other.exchange(ec.ECDH(), ec_material(ec_pair.getPublic()).public)
    results = {}
    for alg in (KeyAgreement.ALG_EC_SVDP_DH, KeyAgreement.ALG_EC_SVDP_DH_PLAIN,
                KeyAgreement.ALG_EC_SVDP_DHC_PLAIN, KeyAgreement.ALG_EC_SVDP_DH_PLAIN_XY):
        ka = KeyAgreement.getInstance(alg, False)
        ka.init(ec_pair.getPrivate())
        out = ByteArray(65)
        results[alg] = bytes(out[:ka.generateSecret(peer, 0, len(peer), out, 0)])
    assert results[KeyAgreement.ALG_EC_SVDP_DH] == hashlib.sha1(shared_x).digest()
    assert results[KeyAgreement.ALG_EC_SVDP_DH_PLAIN] == shared_x
    assert results[KeyAgreement.ALG_EC_SVDP_DHC_PLAIN] == shared_x
    xy = results[KeyAgreement.ALG_EC_SVDP_DH_PLAIN_XY]
    s = ec_material(ec_pair.getPrivate()).private.private_numbers().private_value
    o = other.private_numbers().private_value
    expected = ec.derive_private_key(s * o % ec_material(ec_pair.getPrivate()).curve.r,
                                     ec.SECP256R1()).public_key().public_numbers()
    assert xy == b"\x04" + expected.x.to_bytes(32, "big") + expected.y.to_bytes(32, "big")


def test_pace_generic_mapping_is_s_times_g_plus_h(ec_pair):
    h_key = ec.generate_private_key(ec.SECP256R1())
    h = h_key.public_key().public_numbers()
    h_point = b"\x04" + h.x.to_bytes(32, "big") + h.y.to_bytes(32, "big")
    ka = KeyAgreement.getInstance(KeyAgreement.ALG_EC_PACE_GM, False)
    ka.init(ec_pair.getPrivate())
    out = ByteArray(65)
    ka.generateSecret(h_point, 0, 65, out, 0)
    material = ec_material(ec_pair.getPrivate())
    total = (material.private.private_numbers().private_value
             + h_key.private_numbers().private_value) % material.curve.r
    expected = ec.derive_private_key(total, ec.SECP256R1()).public_key().public_numbers()
    assert bytes(out) == b"\x04" + expected.x.to_bytes(32, "big") + expected.y.to_bytes(32, "big")


def test_seeded_random_data_repeats_and_unseeded_does_not():
    def draw(alg):
        rng = RandomData.getInstance(alg)
        buf = ByteArray(32)
        assert rng.nextBytes(buf, 0, 32) == 32
        return bytes(buf)

    for alg in (RandomData.ALG_SECURE_RANDOM, RandomData.ALG_TRNG, RandomData.ALG_PSEUDO_RANDOM):
        with entropy.seeded(7):
            first = draw(alg)
        with entropy.seeded(7):
            assert draw(alg) == first
        assert draw(alg) != draw(alg)


def test_pseudo_random_set_seed_restarts_the_sequence():
    rng = RandomData.getInstance(RandomData.ALG_PSEUDO_RANDOM)
    a, b = ByteArray(16), ByteArray(16)
    rng.setSeed(b"seed", 0, 4)
    rng.nextBytes(a, 0, 16)
    rng.setSeed(b"seed", 0, 4)
    rng.nextBytes(b, 0, 16)
    assert a == b


def test_small_rsa_key_pairs_are_generated_and_work():
    pair = KeyPair(KeyPair.ALG_RSA, 512)
    pair.genKeyPair()
    sig = Signature.getInstance(Signature.ALG_RSA_SHA_PKCS1, False)
    signature = _sign(sig, pair.getPrivate(), b"m")
    sig.init(pair.getPublic(), Signature.MODE_VERIFY)
    assert len(signature) == 64 and sig.verify(b"m", 0, 1, signature, 0, 64)
