"""KeyBuilder, key components, EC curve parameters, and every CryptoException reason."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from jcsim.framework import ByteArray, CryptoException
from jcsim.lang import ArrayIndexOutOfBoundsException, NullPointerException
from jcsim.security import (
    Checksum,
    KeyAgreement,
    KeyBuilder,
    KeyPair,
    MessageDigest,
    RandomData,
    Signature,
    ec_curves,
)

KB = KeyBuilder


def _reason(call, *args):
    with pytest.raises(CryptoException) as info:
        call(*args)
    return info.value.getReason()


@pytest.mark.parametrize("curve", [c for c in ec_curves.CURVES if c.crypto_curve is not None],
                         ids=lambda c: c.name)
def test_curve_table_matches_cryptography(curve):
    # The curves cryptography lacks are checked with the Python arithmetic in
    # test_security_ec_small_curves.py.
    g = ec.derive_private_key(1, curve.crypto_curve).public_key().public_numbers()
    assert (g.x, g.y) == (curve.gx, curve.gy)
    assert (curve.gy ** 2 - curve.gx ** 3 - curve.a * curve.gx - curve.b) % curve.p == 0
    minus_g = ec.derive_private_key(curve.r - 1, curve.crypto_curve).public_key().public_numbers()
    assert (minus_g.x, minus_g.y) == (curve.gx, curve.p - curve.gy)


@pytest.mark.parametrize("curve", ec_curves.CURVES, ids=lambda c: c.name)
def test_key_pairs_on_every_supported_curve_sign_and_verify(curve):
    public = KB.buildKey(KB.TYPE_EC_FP_PUBLIC, curve.bits, False)
    private = KB.buildKey(KB.TYPE_EC_FP_PRIVATE, curve.bits, False)
    ec_curves.set_domain_parameters(public, curve)
    pair = KeyPair(public, private)
    pair.genKeyPair()
    field = ByteArray(curve.length)
    assert private.getField(field, 0) == curve.length and bytes(field) == curve.field
    sig = Signature.getInstance(Signature.ALG_ECDSA_SHA_256, False)
    sig.init(private, Signature.MODE_SIGN)
    out = ByteArray(sig.getLength())
    n = sig.sign(b"m", 0, 1, out, 0)
    sig.init(public, Signature.MODE_VERIFY)
    assert sig.verify(b"m", 0, 1, out, 0, n)


def test_keys_with_unknown_domain_parameters_fail_at_use_with_illegal_value():
    key = KB.buildKey(KB.TYPE_EC_FP_PRIVATE, 256, False)
    ec_curves.set_domain_parameters(key, ec_curves.P256)
    b = bytearray(ec_curves.P256.B)
    b[-1] ^= 1
    key.setB(b, 0, len(b))
    key.setS(b"\x01" * 32, 0, 32)
    assert key.isInitialized()
    sig = Signature.getInstance(Signature.ALG_ECDSA_SHA_256, False)
    assert _reason(sig.init, key, Signature.MODE_SIGN) == CryptoException.ILLEGAL_VALUE


def test_build_key_types_sizes_and_components():
    des = KB.buildKey(KB.TYPE_DES_TRANSIENT_DESELECT, KB.LENGTH_DES3_2KEY, False)
    assert (des.getType(), des.getSize(), des.isInitialized()) == (2, 128, False)
    des.setKey(bytes(range(20)), 2)
    out = ByteArray(16)
    assert des.getKey(out, 0) == 16 and bytes(out) == bytes(range(2, 18))
    des.clearKey()
    assert not des.isInitialized()
    assert _reason(des.getKey, out, 0) == CryptoException.UNINITIALIZED_KEY
    aes = KB.buildKey(KB.ALG_TYPE_AES, 1, KB.LENGTH_AES_256, False)
    assert aes.getType() == KB.TYPE_AES_TRANSIENT_RESET and aes._transient == 1
    hmac_key = KB.buildKey(KB.TYPE_HMAC, KB.LENGTH_HMAC_SHA_256_BLOCK_64, False)
    assert _reason(hmac_key.setKey, b"k", 0, 0) == CryptoException.ILLEGAL_VALUE
    hmac_key.setKey(b"0123456789", 0, 10)
    assert hmac_key.getSize() == 80
    rsa = KB.buildKey(KB.TYPE_RSA_PUBLIC, 512, False)
    rsa.setModulus(b"\x00" + b"\xc1" * 64, 0, 65)
    rsa.setExponent(b"\x01\x00\x01", 0, 3)
    modulus = ByteArray(64)
    assert rsa.getModulus(modulus, 0) == 64 and rsa.isInitialized()
    assert _reason(rsa.setModulus, b"\x01" * 65, 0, 65) == CryptoException.ILLEGAL_VALUE
    with pytest.raises(ArrayIndexOutOfBoundsException):
        des.setKey(bytes(10), 0)
    with pytest.raises(NullPointerException):
        des.setKey(None, 0)


@pytest.mark.parametrize("args", [
    (KB.TYPE_DES, 56, False), (KB.TYPE_AES, 64, False), (KB.TYPE_HMAC, 128, True),
    (KB.TYPE_DSA_PUBLIC, 2048, False), (KB.TYPE_KOREAN_SEED, 256, False),
    (KB.TYPE_EC_F2M_PUBLIC, 163, False), (KB.TYPE_EC_FP_PUBLIC, 162, False),
    (KB.TYPE_RSA_PUBLIC, 8192, False), (KB.TYPE_DH_PRIVATE, 512, False),
    (KB.ALG_TYPE_RSA_PUBLIC, 1, 1024, False), (KB.ALG_TYPE_EC_FP_PUBLIC, 2, 256, False)])
def test_unsupported_keys_raise_no_such_algorithm(args):
    assert _reason(KB.buildKey, *args) == CryptoException.NO_SUCH_ALGORITHM


@pytest.mark.parametrize("alg", [Signature.ALG_AES_MAC_256_NOPAD,
                                 Signature.ALG_AES_MAC_192_NOPAD, Signature.ALG_RSA_MD5_PKCS1_PSS,
                                 Signature.ALG_RSA_SHA_RFC2409, 0, 50])
def test_unsupported_signatures_raise_no_such_algorithm(alg):
    assert _reason(Signature.getInstance, alg, False) == CryptoException.NO_SUCH_ALGORITHM


def test_unsupported_digests_agreements_randoms_checksums_raise_no_such_algorithm():
    assert _reason(MessageDigest.getInitializedMessageDigestInstance,
                   MessageDigest.ALG_RIPEMD160, False) == 3
    assert _reason(MessageDigest.getInstance, MessageDigest.ALG_NULL, False) == 3
    assert _reason(MessageDigest.getInitializedMessageDigestInstance,
                   MessageDigest.ALG_MD5, False) == 3
    assert _reason(KeyAgreement.getInstance, 8, False) == 3
    assert _reason(RandomData.getInstance, 7) == 3
    assert _reason(Checksum.getInstance, 3, False) == 3
    assert _reason(KeyPair, KeyPair.ALG_EC_F2M, 163) == 3


def _aes_key():
    key = KB.buildKey(KB.TYPE_AES, 128, False)
    key.setKey(bytes(16), 0)
    return key


def test_signature_misuse_raises_the_specified_reasons():
    sig = Signature.getInstance(Signature.ALG_AES_MAC_128_NOPAD, False)
    out = ByteArray(16)
    assert _reason(sig.sign, bytes(16), 0, 16, out, 0) == CryptoException.INVALID_INIT
    assert _reason(sig.getLength) == CryptoException.INVALID_INIT
    assert _reason(sig.init, KB.buildKey(KB.TYPE_AES, 128, False), Signature.MODE_SIGN) == (
        CryptoException.UNINITIALIZED_KEY)
    hmac_key = KB.buildKey(KB.TYPE_HMAC, 64, False)
    hmac_key.setKey(b"k", 0, 1)
    assert _reason(sig.init, hmac_key, Signature.MODE_SIGN) == CryptoException.ILLEGAL_VALUE
    assert _reason(sig.init, _aes_key(), 0) == CryptoException.ILLEGAL_VALUE
    assert _reason(sig.init, _aes_key(), 1, bytes(8), 0, 8) == CryptoException.ILLEGAL_VALUE
    sig.init(_aes_key(), Signature.MODE_VERIFY)
    assert _reason(sig.sign, bytes(16), 0, 16, out, 0) == CryptoException.INVALID_INIT
    sig.init(_aes_key(), Signature.MODE_SIGN)
    assert _reason(sig.sign, bytes(15), 0, 15, out, 0) == CryptoException.ILLEGAL_USE
    assert _reason(sig.sign, bytes(0), 0, 0, out, 0) == CryptoException.ILLEGAL_USE
    assert _reason(sig.signPreComputedHash, bytes(16), 0, 16, out, 0) == (
        CryptoException.ILLEGAL_USE)
    assert _reason(sig.setInitialDigest, bytes(20), 0, 20, b"\x40", 0, 1) == (
        CryptoException.ILLEGAL_USE)


def test_hash_based_signature_misuse():
    pair = KeyPair(KeyPair.ALG_EC_FP, 256)
    pair.genKeyPair()
    sig = Signature.getInstance(Signature.ALG_ECDSA_SHA_256, False)
    assert _reason(sig.init, pair.getPublic(), Signature.MODE_SIGN) == CryptoException.ILLEGAL_VALUE
    sig.init(pair.getPrivate(), Signature.MODE_SIGN)
    out = ByteArray(72)
    assert _reason(sig.signPreComputedHash, bytes(20), 0, 20, out, 0) == (
        CryptoException.ILLEGAL_USE)
    assert _reason(sig.setInitialDigest, bytes(32), 0, 32, b"\x00\x41", 0, 2) == (
        CryptoException.ILLEGAL_VALUE)
    sig.init(pair.getPublic(), Signature.MODE_VERIFY)
    assert sig.verify(b"m", 0, 1, b"\x30\x00", 0, 2) is False


def test_other_misuse_reasons():
    ka = KeyAgreement.getInstance(KeyAgreement.ALG_EC_SVDP_DH, False)
    out = ByteArray(65)
    assert _reason(ka.generateSecret, bytes(65), 0, 65, out, 0) == CryptoException.INVALID_INIT
    assert _reason(ka.init, KB.buildKey(KB.TYPE_EC_FP_PRIVATE, 256, False)) == (
        CryptoException.UNINITIALIZED_KEY)
    pair = KeyPair(KeyPair.ALG_EC_FP, 256)
    pair.genKeyPair()
    ka.init(pair.getPrivate())
    assert _reason(ka.generateSecret, b"\x04" + bytes(64), 0, 65, out, 0) == (
        CryptoException.ILLEGAL_VALUE)
    assert _reason(RandomData.getInstance(RandomData.ALG_TRNG).nextBytes, out, 0, 0) == (
        CryptoException.ILLEGAL_VALUE)
    assert _reason(Checksum.getInstance(Checksum.ALG_ISO3309_CRC16, False).init,
                   bytes(4), 0, 4) == CryptoException.ILLEGAL_VALUE
    md = MessageDigest.getInitializedMessageDigestInstance(MessageDigest.ALG_SHA, False)
    assert _reason(md.setInitialDigest, bytes(20), 0, 20, b"\x00\x41", 0, 2) == (
        CryptoException.ILLEGAL_VALUE)
    assert _reason(md.setInitialDigest, bytes(19), 0, 19, b"\x00\x40", 0, 2) == (
        CryptoException.ILLEGAL_VALUE)
    rsa_public = KB.buildKey(KB.TYPE_RSA_PUBLIC, 1024, False)
    rsa_public.setExponent(b"\x03", 0, 1)
    assert _reason(KeyPair, rsa_public, KB.buildKey(KB.TYPE_RSA_PRIVATE, 512, False)) == (
        CryptoException.ILLEGAL_VALUE)


def _rsa_private_key_with_unknown_public_exponent_after_init(engine_init):
    """An RSA (modulus, exponent) private key, usable at init, whose exponent is then replaced
    by one that pairs with none of the common public exponents: such a key keeps only the raw
    RSA primitive, no key object for the padded schemes."""
    pair = KeyPair(KeyPair.ALG_RSA, 1024)
    pair.genKeyPair()
    private = pair.getPrivate()
    engine_init(private)
    odd = b"\x01" + bytes(126) + b"\x07"
    private.setExponent(odd, 0, len(odd))
    return private


def test_a_signature_whose_private_key_changed_after_init_fails_with_illegal_value():
    sig = Signature.getInstance(Signature.ALG_RSA_SHA_256_PKCS1, False)
    _rsa_private_key_with_unknown_public_exponent_after_init(
        lambda key: sig.init(key, Signature.MODE_SIGN))
    out = ByteArray(128)
    assert _reason(sig.sign, b"m", 0, 1, out, 0) == CryptoException.ILLEGAL_VALUE


def test_an_oaep_decryption_whose_private_key_changed_after_init_fails_with_illegal_value():
    from jcsim.crypto import Cipher

    cipher = Cipher.getInstance(Cipher.ALG_RSA_PKCS1_OAEP, False)
    _rsa_private_key_with_unknown_public_exponent_after_init(
        lambda key: cipher.init(key, Cipher.MODE_DECRYPT))
    out = ByteArray(128)
    assert _reason(cipher.doFinal, bytes(128), 0, 128, out, 0) == CryptoException.ILLEGAL_VALUE
