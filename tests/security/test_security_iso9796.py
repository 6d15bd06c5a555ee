"""ISO/IEC 9796-2 scheme 1 signatures, with and without message recovery."""

from __future__ import annotations

import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from hypothesis import given, settings
from hypothesis import strategies as st

from jcsim.crypto import Cipher
from jcsim.framework import ByteArray, CryptoException, ShortArray
from jcsim.security import KeyBuilder, MessageDigest, Signature, _iso9796
from jcsim.security._ripemd160 import RIPEMD160Context

MR = {"sha1": Signature.ALG_RSA_SHA_ISO9796_MR,
      "ripemd160": Signature.ALG_RSA_RIPEMD160_ISO9796_MR}


def _reason(call, *args):
    with pytest.raises(CryptoException) as info:
        call(*args)
    return info.value.getReason()


def _vector_keys(doc):
    n, e, d = (bytes.fromhex(doc[name]) for name in ("n", "e", "d"))
    public = KeyBuilder.buildKey(KeyBuilder.TYPE_RSA_PUBLIC, 640, False)
    public.setModulus(n, 0, len(n))
    public.setExponent(e, 0, len(e))
    private = KeyBuilder.buildKey(KeyBuilder.TYPE_RSA_PRIVATE, 640, False)
    private.setModulus(n, 0, len(n))
    private.setExponent(d, 0, len(d))
    return public, private


@pytest.fixture(scope="module")
def rsa_1024():
    numbers = rsa.generate_private_key(65537, 1024).private_numbers()
    public = KeyBuilder.buildKey(KeyBuilder.TYPE_RSA_PUBLIC, 1024, False)
    n = numbers.public_numbers.n.to_bytes(128, "big")
    public.setModulus(n, 0, 128)
    public.setExponent(b"\x01\x00\x01", 0, 3)
    private = KeyBuilder.buildKey(KeyBuilder.TYPE_RSA_CRT_PRIVATE, 1024, False)
    for setter, value in (("setP", numbers.p), ("setQ", numbers.q), ("setDP1", numbers.dmp1),
                          ("setDQ1", numbers.dmq1), ("setPQ", numbers.iqmp)):
        getattr(private, setter)(value.to_bytes(64, "big"), 0, 64)
    return public, private, numbers.public_numbers.n


def test_the_published_partial_recovery_signature(vectors):
    doc = vectors.load("iso9796_2")
    public, private = _vector_keys(doc)
    msg, expected = vectors.unhex(doc["ripemd160_partial"], "msg", "sig")
    signer = Signature.getInstance(Signature.ALG_RSA_RIPEMD160_ISO9796_MR, False)
    signer.init(private, Signature.MODE_SIGN)
    out, count = ByteArray(80), ShortArray(2)
    signer.update(msg, 0, 10)
    assert signer.sign(msg, 10, len(msg) - 10, out, 0, count, 1) == 80
    assert bytes(out) == expected  # scheme 1 is deterministic
    assert count[1] == 80 - 20 - 2  # header, RIPEMD-160 digest and trailer take the rest
    verifier = Signature.getInstance(Signature.ALG_RSA_RIPEMD160_ISO9796_MR, False)
    verifier.init(public, Signature.MODE_VERIFY)
    buffer = ByteArray(expected + b"\x00" * 4)
    recovered = verifier.beginVerify(buffer, 0, 80)
    assert recovered == 58 and bytes(buffer[:58]) == msg[:58]
    verifier.update(msg, 58, 20)
    assert verifier.verify(msg, 78, len(msg) - 78)
    # The same signature through the whole-message algorithm.
    whole = Signature.getInstance(Signature.ALG_RSA_RIPEMD160_ISO9796, False)
    whole.init(public, Signature.MODE_VERIFY)
    assert whole.verify(msg, 0, len(msg), expected, 0, 80)
    assert not whole.verify(msg[:-1], 0, len(msg) - 1, expected, 0, 80)
    whole.init(private, Signature.MODE_SIGN)
    assert whole.sign(msg, 0, len(msg), out, 0) == 80 and bytes(out) == expected


def _sign_mr(alg, private, msg):
    signer = Signature.getInstance(alg, False)
    signer.init(private, Signature.MODE_SIGN)
    out, count = ByteArray(signer.getLength()), ShortArray(1)
    n = signer.sign(msg, 0, len(msg), out, 0, count, 0)
    return bytes(out[:n]), count[0]


@pytest.mark.parametrize("name", ["sha1", "ripemd160"])
@settings(max_examples=15, deadline=None)
@given(length=st.sampled_from([0, 1, 50, 105, 106, 107, 108, 300]), data=st.data())
def test_message_recovery_round_trips(rsa_1024, name, length, data):
    public, private, n = rsa_1024
    msg = data.draw(st.binary(min_size=length, max_size=length))
    signature, count = _sign_mr(MR[name], private, msg)
    room = 128 - 20 - 2
    assert count == min(len(msg), room)
    # The representative, opened with the public exponent, is what ISO 9796-2 lays out.
    block = pow(int.from_bytes(signature, "big"), 65537, n).to_bytes(128, "big")
    digest = (RIPEMD160Context(msg).digest() if name == "ripemd160"
              else hashlib.sha1(msg).digest())
    assert block[-21:] == digest + b"\xbc"
    assert block[0] == (0x4A if len(msg) == room else 0x4B if len(msg) < room else 0x6A)
    verifier = Signature.getInstance(MR[name], False)
    verifier.init(public, Signature.MODE_VERIFY)
    buffer = ByteArray(signature)
    assert verifier.beginVerify(buffer, 0, 128) == count
    assert bytes(buffer[:count]) == msg[:count]
    assert verifier.verify(msg, count, len(msg) - count)
    # A changed remainder (or extra data after a fully recovered message) fails.
    verifier.beginVerify(ByteArray(signature), 0, 128)
    assert not verifier.verify(msg[count:] + b"x", 0, len(msg) - count + 1)


def test_the_four_argument_form_names_the_same_algorithms():
    sig = Signature.getInstance(MessageDigest.ALG_SHA, Signature.SIG_CIPHER_RSA,
                                Cipher.PAD_ISO9796_MR, False)
    assert sig.getAlgorithm() == Signature.ALG_RSA_SHA_ISO9796_MR
    assert isinstance(sig, _iso9796.ISO9796MRSignature)
    sig = Signature.getInstance(MessageDigest.ALG_RIPEMD160, Signature.SIG_CIPHER_RSA,
                                Cipher.PAD_ISO9796, False)
    assert sig.getAlgorithm() == Signature.ALG_RSA_RIPEMD160_ISO9796
    assert _reason(Signature.getInstance, MessageDigest.ALG_SHA_256, Signature.SIG_CIPHER_RSA,
                   Cipher.PAD_ISO9796, False) == CryptoException.NO_SUCH_ALGORITHM


def test_whole_message_signatures_round_trip(rsa_1024):
    public, private, _n = rsa_1024
    for msg in (b"", b"short", bytes(range(256))):
        sig = Signature.getInstance(Signature.ALG_RSA_SHA_ISO9796, False)
        sig.init(private, Signature.MODE_SIGN)
        out = ByteArray(128)
        assert sig.sign(msg, 0, len(msg), out, 0) == 128
        sig.init(public, Signature.MODE_VERIFY)
        assert sig.verify(msg, 0, len(msg), out, 0, 128)
        assert not sig.verify(msg + b"!", 0, len(msg) + 1, out, 0, 128)
        assert not sig.verify(msg, 0, len(msg), out, 0, 127)
        assert _reason(sig.verifyPreComputedHash, bytes(20), 0, 20, out, 0, 128) == \
            CryptoException.ILLEGAL_USE


def test_recovery_misuse_has_the_specification_reason_codes(rsa_1024):
    public, private, _n = rsa_1024
    signature, _count = _sign_mr(Signature.ALG_RSA_SHA_ISO9796_MR, private, b"message")
    sig = Signature.getInstance(Signature.ALG_RSA_SHA_ISO9796_MR, False)
    illegal_use, invalid_init = CryptoException.ILLEGAL_USE, CryptoException.INVALID_INIT
    assert _reason(sig.beginVerify, ByteArray(signature), 0, 128) == invalid_init
    assert _reason(sig.sign, b"m", 0, 1, ByteArray(128), 0, ShortArray(1), 0) == invalid_init
    sig.init(private, Signature.MODE_SIGN)
    # The Signature-only methods the interface's note names.
    assert _reason(sig.sign, b"m", 0, 1, ByteArray(128), 0) == illegal_use
    assert _reason(sig.signPreComputedHash, bytes(20), 0, 20, ByteArray(128), 0) == illegal_use
    assert _reason(sig.setInitialDigest, bytes(20), 0, 20, bytes([0, 64]), 0, 2) == illegal_use
    assert _reason(sig.init, private, Signature.MODE_SIGN, bytes(2), 0, 2) == illegal_use
    assert _reason(sig.beginVerify, ByteArray(signature), 0, 128) == illegal_use
    assert _reason(sig.verify, b"m", 0, 1) == invalid_init
    sig.init(public, Signature.MODE_VERIFY)
    assert _reason(sig.verify, b"m", 0, 1, signature, 0, 128) == illegal_use
    assert _reason(sig.update, b"m", 0, 1) == illegal_use  # before beginVerify
    assert _reason(sig.verify, b"m", 0, 1) == illegal_use
    assert _reason(sig.beginVerify, ByteArray(signature), 0, 127) == illegal_use
    garbage = ByteArray(bytes([0x12]) * 128)
    assert _reason(sig.beginVerify, garbage, 0, 128) == illegal_use
    assert bytes(garbage) == bytes([0x12]) * 128  # nothing written for a refused signature
    assert _reason(sig.sign, b"m", 0, 1, ByteArray(128), 0, ShortArray(1), 0) == invalid_init
    assert sig.beginVerify(ByteArray(signature), 0, 128) == 7
    assert sig.verify(b"", 0, 0)
    assert _reason(sig.verify, b"", 0, 0) == illegal_use  # verify went back to after init


def test_a_modulus_of_a_partial_byte_is_illegal_value(vectors):
    doc = vectors.load("iso9796_2")
    n = bytes.fromhex(doc["n"])
    key = KeyBuilder.buildKey(KeyBuilder.TYPE_RSA_PUBLIC, 672, False)  # 84 bytes, n has 80
    padded = bytes(4) + n
    key.setModulus(padded, 0, len(padded))
    key.setExponent(b"\x03", 0, 1)
    sig = Signature.getInstance(Signature.ALG_RSA_SHA_ISO9796, False)
    assert _reason(sig.init, key, Signature.MODE_VERIFY) == CryptoException.ILLEGAL_VALUE


def test_decode_refuses_malformed_representatives():
    digest = bytes(20)
    good = _iso9796.encode(b"abc", True, digest, 64)
    assert _iso9796.decode(good, 20, "sha1") == (b"abc", True, digest)
    for bad in (b"\x0b" + good[1:], good[:-1] + b"\xbd", good[:1] + b"\xbb" * 39 + good[40:],
                bytes([0x6B]) + good[1:]):
        with pytest.raises(ValueError):
            _iso9796.decode(bad, 20, "sha1")
    explicit = good[:-1][1:]  # drop the header and trailer, rebuild with a 2-byte trailer
    block = bytes([0x4B]) + explicit[1:] + b"\x33\xcc"
    assert _iso9796.decode(block, 20, "sha1")[1] is True
