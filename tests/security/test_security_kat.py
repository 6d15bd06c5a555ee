"""Known-answer tests from published vectors, through the jcsim.security API."""

from __future__ import annotations

import pytest

from jcsim.framework import ByteArray
from jcsim.security import (
    KeyBuilder,
    KeyPair,
    MessageDigest,
    Signature,
    ec_curves,
    entropy,
)

DIGEST_ALGS = {"SHA1": MessageDigest.ALG_SHA, "SHA224": MessageDigest.ALG_SHA_224,
               "SHA256": MessageDigest.ALG_SHA_256, "SHA384": MessageDigest.ALG_SHA_384,
               "SHA512": MessageDigest.ALG_SHA_512, "MD5": MessageDigest.ALG_MD5}
HMAC_ALGS = {"SHA1": Signature.ALG_HMAC_SHA1, "SHA256": Signature.ALG_HMAC_SHA_256,
             "SHA384": Signature.ALG_HMAC_SHA_384, "SHA512": Signature.ALG_HMAC_SHA_512}


def test_message_digests_match_the_fips_180_and_rfc_1321_examples(vectors):
    for case in vectors.load("mac_hash")["digest"]:
        msg, expected = vectors.unhex(case, "msg", "md")
        md = MessageDigest.getInstance(DIGEST_ALGS[case["hash"]], False)
        out = ByteArray(3 + len(expected))
        assert md.doFinal(msg, 0, len(msg), out, 3) == len(expected)
        assert bytes(out[3:3 + len(expected)]) == expected, case


def test_hmac_signatures_match_rfc_4231_and_rfc_2202(vectors):
    for case in vectors.load("mac_hash")["hmac"]:
        key_bytes, msg, expected = vectors.unhex(case, "key", "msg", "mac")
        key = KeyBuilder.buildKey(KeyBuilder.TYPE_HMAC, 64 * 8, False)
        key.setKey(key_bytes, 0, len(key_bytes))
        sig = Signature.getInstance(HMAC_ALGS[case["hash"]], False)
        sig.init(key, Signature.MODE_SIGN)
        out = ByteArray(64)
        assert sig.sign(msg, 0, len(msg), out, 0) == len(expected)
        assert bytes(out[:len(expected)]) == expected
        sig.init(key, Signature.MODE_VERIFY)
        assert sig.verify(msg, 0, len(msg), expected, 0, len(expected))


def test_aes_cmac_matches_rfc_4493(vectors):
    for case in vectors.load("mac_hash")["cmac"]:
        key_bytes, msg, expected = vectors.unhex(case, "key", "msg", "mac")
        key = KeyBuilder.buildKey(KeyBuilder.TYPE_AES, 128, False)
        key.setKey(key_bytes, 0)
        sig = Signature.getInstance(Signature.ALG_AES_CMAC_128, False)
        sig.init(key, Signature.MODE_SIGN)
        out = ByteArray(16)
        half = len(msg) // 2
        sig.update(msg, 0, half)
        sig.sign(msg, half, len(msg) - half, out, 0)
        assert bytes(out) == expected


def _p256_key(key_type, component_setter, value):
    key = KeyBuilder.buildKey(key_type, 256, False)
    ec_curves.set_domain_parameters(key, ec_curves.P256)
    getattr(key, component_setter)(value, 0, len(value))
    return key


def test_ecdsa_p256_verifies_the_rfc_6979_signatures_and_rejects_altered_ones(vectors):
    doc = vectors.load("ecdsa_p256")
    w = b"\x04" + bytes.fromhex(doc["public_ux"]) + bytes.fromhex(doc["public_uy"])
    public = _p256_key(KeyBuilder.TYPE_EC_FP_PUBLIC, "setW", w)
    from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

    sig = Signature.getInstance(Signature.ALG_ECDSA_SHA_256, False)
    for case in doc["sha256"]:
        (msg,) = vectors.unhex(case, "msg")
        der = encode_dss_signature(int(case["r"], 16), int(case["s"], 16))
        sig.init(public, Signature.MODE_VERIFY)
        assert sig.verify(msg, 0, len(msg), der, 0, len(der))
        assert not sig.verify(msg + b"!", 0, len(msg) + 1, der, 0, len(der))


def test_seeded_ecdsa_signs_deterministically_as_rfc_6979_says(vectors):
    doc = vectors.load("ecdsa_p256")
    private = _p256_key(KeyBuilder.TYPE_EC_FP_PRIVATE, "setS", bytes.fromhex(doc["private_x"]))
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    sig = Signature.getInstance(Signature.ALG_ECDSA_SHA_256, False)
    with entropy.seeded(1):
        for case in doc["sha256"]:
            (msg,) = vectors.unhex(case, "msg")
            sig.init(private, Signature.MODE_SIGN)
            out = ByteArray(sig.getLength())
            n = sig.sign(msg, 0, len(msg), out, 0)
            assert decode_dss_signature(bytes(out[:n])) == (int(case["r"], 16), int(case["s"], 16))


def _rsa_keys(doc):
    k = {name: bytes.fromhex(value) for name, value in doc["key"].items()}
    public = KeyBuilder.buildKey(KeyBuilder.TYPE_RSA_PUBLIC, 1024, False)
    public.setModulus(k["n"], 0, len(k["n"]))
    public.setExponent(k["e"], 0, len(k["e"]))
    crt = KeyBuilder.buildKey(KeyBuilder.TYPE_RSA_CRT_PRIVATE, 1024, False)
    for setter, name in (("setP", "p"), ("setQ", "q"), ("setDP1", "dp"), ("setDQ1", "dq"),
                         ("setPQ", "qinv")):
        getattr(crt, setter)(k[name], 0, len(k[name]))
    plain = KeyBuilder.buildKey(KeyBuilder.TYPE_RSA_PRIVATE, 1024, False)
    plain.setModulus(k["n"], 0, len(k["n"]))
    plain.setExponent(k["d"], 0, len(k["d"]))
    return public, crt, plain


@pytest.mark.parametrize("form", ["crt", "modulus_exponent"])
def test_rsa_pkcs1_signature_matches_pkcs1_example_1_1(vectors, form):
    doc = vectors.load("rsa_pkcs1")
    public, crt, plain = _rsa_keys(doc)
    private = crt if form == "crt" else plain
    case = doc["sha1_pkcs1"][0]
    msg, expected = vectors.unhex(case, "msg", "sig")
    sig = Signature.getInstance(Signature.ALG_RSA_SHA_PKCS1, False)
    sig.init(private, Signature.MODE_SIGN)
    out = ByteArray(128)
    assert sig.sign(msg, 0, len(msg), out, 0) == 128
    assert bytes(out) == expected
    sig.init(public, Signature.MODE_VERIFY)
    assert sig.verify(msg, 0, len(msg), expected, 0, 128)
    assert not sig.verify(msg[:-1], 0, len(msg) - 1, expected, 0, 128)


def test_rsa_pkcs1_sign_pre_computed_hash_gives_the_same_signature(vectors):
    doc = vectors.load("rsa_pkcs1")
    public, crt, _plain = _rsa_keys(doc)
    msg, expected = vectors.unhex(doc["sha1_pkcs1"][0], "msg", "sig")
    md = MessageDigest.getInstance(MessageDigest.ALG_SHA, False)
    digest = ByteArray(20)
    md.doFinal(msg, 0, len(msg), digest, 0)
    sig = Signature.getInstance(Signature.ALG_RSA_SHA_PKCS1, False)
    sig.init(crt, Signature.MODE_SIGN)
    out = ByteArray(128)
    sig.signPreComputedHash(digest, 0, 20, out, 0)
    assert bytes(out) == expected
    sig.init(public, Signature.MODE_VERIFY)
    assert sig.verifyPreComputedHash(digest, 0, 20, expected, 0, 128)


def test_ec_key_pair_from_a_seed_is_repeatable():
    def generate():
        with entropy.seeded("pair"):
            pair = KeyPair(KeyPair.ALG_EC_FP, 256)
            pair.genKeyPair()
        out = ByteArray(65)
        pair.getPublic().getW(out, 0)
        return bytes(out)

    assert generate() == generate()
