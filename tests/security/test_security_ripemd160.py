"""RIPEMD-160: MessageDigest, HMAC, ECDSA and RSA PKCS #1 / PSS signatures with it."""

from __future__ import annotations

import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from jcsim.framework import ByteArray, CryptoException
from jcsim.security import KeyBuilder, KeyPair, MessageDigest, Signature, _rsa_encoding
from jcsim.security._ripemd160 import RIPEMD160, RIPEMD160Context

try:
    hashlib.new("ripemd160")
    HASHLIB_HAS_RIPEMD = True
except ValueError:  # OpenSSL 3 without its legacy provider
    HASHLIB_HAS_RIPEMD = False


def _message(case):
    return case["ascii"].encode() * case.get("repeat", 1)


def test_message_digest_gives_the_authors_answers(vectors):
    md = MessageDigest.getInstance(MessageDigest.ALG_RIPEMD160, False)
    assert md.getLength() == MessageDigest.LENGTH_RIPEMD160 == 20
    assert md.getAlgorithm() == MessageDigest.ALG_RIPEMD160
    for case in vectors.load("ripemd160")["digests"]:
        msg = _message(case)
        out = ByteArray(22)
        # In pieces across block boundaries, then the rest through doFinal.
        cut = len(msg) // 3
        md.update(msg, 0, cut)
        assert md.doFinal(msg, cut, len(msg) - cut, out, 1) == 20
        assert bytes(out[1:21]).hex() == case["digest"]


def test_initialized_ripemd160_is_not_offered():
    with pytest.raises(CryptoException) as info:
        MessageDigest.getInitializedMessageDigestInstance(MessageDigest.ALG_RIPEMD160, False)
    assert info.value.getReason() == CryptoException.NO_SUCH_ALGORITHM


@pytest.mark.skipif(not HASHLIB_HAS_RIPEMD, reason="this OpenSSL has no RIPEMD-160")
@settings(max_examples=60, deadline=None)
@given(st.lists(st.binary(max_size=150), max_size=5))
def test_incremental_digest_agrees_with_openssl(pieces):
    ctx = RIPEMD160Context()
    for piece in pieces:
        ctx.update(piece)
    assert ctx.digest() == hashlib.new("ripemd160", b"".join(pieces)).digest()


def test_hmac_ripemd160_matches_rfc_2286(vectors):
    for case in vectors.load("ripemd160")["hmac"]:
        key_bytes, data, expected = vectors.unhex(case, "key", "data", "mac")
        key = KeyBuilder.buildKey(KeyBuilder.TYPE_HMAC, len(key_bytes) * 8, False)
        key.setKey(key_bytes, 0, len(key_bytes))
        sig = Signature.getInstance(Signature.ALG_HMAC_RIPEMD160, False)
        sig.init(key, Signature.MODE_SIGN)
        out = ByteArray(20)
        assert sig.sign(data, 0, len(data), out, 0) == 20
        assert bytes(out) == expected
        sig.init(key, Signature.MODE_VERIFY)
        assert sig.verify(data, 0, len(data), expected, 0, 20)
        assert not sig.verify(data, 0, len(data) - 1, expected, 0, 20)


@pytest.mark.parametrize("bits", [160, 256])
def test_ecdsa_with_ripemd160_signs_and_verifies(bits):
    pair = KeyPair(KeyPair.ALG_EC_FP, bits)
    pair.genKeyPair()
    sig = Signature.getInstance(MessageDigest.ALG_RIPEMD160, Signature.SIG_CIPHER_ECDSA, 0,
                                False)
    sig.init(pair.getPrivate(), Signature.MODE_SIGN)
    out = ByteArray(sig.getLength())
    n = sig.sign(b"abc", 0, 3, out, 0)
    sig.init(pair.getPublic(), Signature.MODE_VERIFY)
    assert sig.verify(b"abc", 0, 3, out, 0, n)
    assert not sig.verify(b"abd", 0, 3, out, 0, n)
    # The same signature checks against the digest given directly.
    digest = RIPEMD160Context(b"abc").digest()
    assert sig.verifyPreComputedHash(digest, 0, 20, out, 0, n)


def _rsa_pair(bits=1024):
    numbers = rsa.generate_private_key(65537, bits).private_numbers()
    public = KeyBuilder.buildKey(KeyBuilder.TYPE_RSA_PUBLIC, bits, False)
    n = numbers.public_numbers.n.to_bytes(bits // 8, "big")
    public.setModulus(n, 0, len(n))
    public.setExponent(b"\x01\x00\x01", 0, 3)
    private = KeyBuilder.buildKey(KeyBuilder.TYPE_RSA_CRT_PRIVATE, bits, False)
    half = bits // 16
    for setter, value in (("setP", numbers.p), ("setQ", numbers.q), ("setDP1", numbers.dmp1),
                          ("setDQ1", numbers.dmq1), ("setPQ", numbers.iqmp)):
        data = value.to_bytes(half, "big")
        getattr(private, setter)(data, 0, half)
    return public, private, numbers


def test_rsa_ripemd160_pkcs1_is_the_digest_info_encoding_under_the_private_key():
    public, private, numbers = _rsa_pair()
    msg = b"a message for RSA with RIPEMD-160"
    sig = Signature.getInstance(Signature.ALG_RSA_RIPEMD160_PKCS1, False)
    sig.init(private, Signature.MODE_SIGN)
    out = ByteArray(128)
    assert sig.sign(msg, 0, len(msg), out, 0) == 128
    # Independent check: open the signature with the public exponent and read RFC 8017 §9.2.
    em = pow(int.from_bytes(bytes(out), "big"), 65537, numbers.public_numbers.n).to_bytes(
        128, "big")
    digest_info = bytes.fromhex("3021300906052b2403020105000414")
    assert em == b"\x00\x01" + b"\xff" * (128 - 38) + b"\x00" + digest_info + (
        RIPEMD160Context(msg).digest())
    sig.init(public, Signature.MODE_VERIFY)
    assert sig.verify(msg, 0, len(msg), out, 0, 128)
    assert not sig.verify(msg + b".", 0, len(msg) + 1, out, 0, 128)
    assert not sig.verify(msg, 0, len(msg), out, 0, 127)


def test_rsa_ripemd160_pss_round_trip_and_salt_length():
    public, private, _numbers = _rsa_pair()
    msg = b"PSS with RIPEMD-160"
    for salt in (None, b"\x00\x00", b"\x00\x08"):
        sig = Signature.getInstance(Signature.ALG_RSA_RIPEMD160_PKCS1_PSS, False)
        args = () if salt is None else (salt, 0, 2)
        sig.init(private, Signature.MODE_SIGN, *args)
        first, second = ByteArray(128), ByteArray(128)
        sig.sign(msg, 0, len(msg), first, 0)
        sig.sign(msg, 0, len(msg), second, 0)
        if salt != b"\x00\x00":
            assert bytes(first) != bytes(second)  # the salt is random
        sig.init(public, Signature.MODE_VERIFY, *args)
        assert sig.verify(msg, 0, len(msg), first, 0, 128)
        assert sig.verify(msg, 0, len(msg), second, 0, 128)
        assert not sig.verify(msg[1:], 0, len(msg) - 1, first, 0, 128)


def test_pss_encoding_checks_its_structure():
    digest = RIPEMD160Context(b"x").digest()
    em = _rsa_encoding.pss_encode(digest, 1023, RIPEMD160(), 20)
    assert len(em) == 128 and em[-1] == 0xBC and em[0] & 0x80 == 0
    assert _rsa_encoding.pss_verify(digest, em, 1023, RIPEMD160(), 20)
    assert not _rsa_encoding.pss_verify(digest, em, 1023, RIPEMD160(), 19)
    assert not _rsa_encoding.pss_verify(digest, em[:-1] + b"\xbd", 1023, RIPEMD160(), 20)


def test_rsa_ripemd160_key_too_short_is_illegal_use():
    _public, private, _numbers = _rsa_pair()
    sig = Signature.getInstance(Signature.ALG_RSA_RIPEMD160_PKCS1_PSS, False)
    sig.init(private, Signature.MODE_SIGN, b"\x00\x78", 0, 2)  # 120-byte salt in 128 bytes
    with pytest.raises(CryptoException) as info:
        sig.sign(b"m", 0, 1, ByteArray(128), 0)
    assert info.value.getReason() == CryptoException.ILLEGAL_USE


def test_ripemd160_signatures_report_their_parts():
    sig = Signature.getInstance(Signature.ALG_RSA_RIPEMD160_PKCS1, False)
    assert sig.getMessageDigestAlgorithm() == MessageDigest.ALG_RIPEMD160
    assert sig.getCipherAlgorithm() == Signature.SIG_CIPHER_RSA
    assert sig.getPaddingAlgorithm() == 7  # Cipher.PAD_PKCS1
    assert sig.getAlgorithm() == Signature.ALG_RSA_RIPEMD160_PKCS1
    with pytest.raises(CryptoException) as info:
        Signature.getInstance(MessageDigest.ALG_RIPEMD160, Signature.SIG_CIPHER_DSA, 0, False)
    assert info.value.getReason() == CryptoException.NO_SUCH_ALGORITHM
