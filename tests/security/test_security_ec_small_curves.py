"""EC over Fp at 112, 128 and 160 bits (secp112r1, secp128r1, secp160r1), computed in Python.

Known answers are SECG GEC 2's (secp160r1 key deployment, ECDSA, ECDH); the arithmetic is also
checked against ``cryptography`` on the curves both compute on, and the RFC 6979 nonces against
the RFC's P-256 signatures.
"""

from __future__ import annotations

import hashlib

import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from jcsim.framework import ByteArray, CryptoException
from jcsim.security import (
    KeyAgreement,
    KeyBuilder,
    KeyPair,
    MessageDigest,
    Signature,
    _ec_soft,
    ec_curves,
    entropy,
)

SMALL = {112: ec_curves.SECP112R1, 128: ec_curves.SECP128R1, 160: ec_curves.SECP160R1}


def _point(curve, x, y):
    return b"\x04" + x.to_bytes(curve.length, "big") + y.to_bytes(curve.length, "big")


def _key(key_type, curve, setter, value):
    key = KeyBuilder.buildKey(key_type, curve.bits, False)
    ec_curves.set_domain_parameters(key, curve)
    getattr(key, setter)(value, 0, len(value))
    return key


def _private(curve, d):
    value = d.to_bytes((curve.r.bit_length() + 7) // 8, "big")
    return _key(KeyBuilder.TYPE_EC_FP_PRIVATE, curve, "setS", value)


def _public(curve, w):
    return _key(KeyBuilder.TYPE_EC_FP_PUBLIC, curve, "setW", w)


def _probably_prime(n):
    return all(pow(a, n - 1, n) == 1 for a in (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37))


@pytest.mark.parametrize("bits", sorted(SMALL))
def test_the_sec2_domain_parameters_define_a_group_of_prime_order(bits):
    curve = SMALL[bits]
    g = (curve.gx, curve.gy)
    assert curve.p.bit_length() == bits and _probably_prime(curve.p)
    assert _ec_soft.on_curve(curve, g)
    assert _probably_prime(curve.r)
    assert _ec_soft.multiply(curve, curve.r - 1, g) == (curve.gx, curve.p - curve.gy)
    assert _ec_soft.add(curve, _ec_soft.multiply(curve, curve.r - 1, g), g) is None
    assert ec_curves.default_for_size(bits) is curve


def test_gec2_key_deployment_gives_the_published_public_points(vectors):
    doc = vectors.load("ec_small_curves")
    curve = ec_curves.SECP160R1
    for party in ("u", "v"):
        case = doc[party]
        private = _private(curve, int(case["d"]))
        # d·G through the API: the PLAIN_XY agreement with G as the other party's point.
        agreement = KeyAgreement.getInstance(KeyAgreement.ALG_EC_SVDP_DH_PLAIN_XY, False)
        agreement.init(private)
        out = ByteArray(41)
        assert agreement.generateSecret(curve.G, 0, len(curve.G), out, 0) == 41
        assert bytes(out) == _point(curve, int(case["qx"]), int(case["qy"]))
        compressed = bytes.fromhex(case["compressed"])
        assert compressed[1:] == int(case["qx"]).to_bytes(20, "big")
        assert compressed[0] == 2 + int(case["qy"]) % 2


def test_gec2_ecdsa_signature_verifies_and_altered_ones_do_not(vectors):
    doc = vectors.load("ec_small_curves")
    curve = ec_curves.SECP160R1
    u, case = doc["u"], doc["ecdsa_sha1"]
    msg = bytes.fromhex(case["msg"])
    r, s = int(case["r"]), int(case["s"])
    # The published nonce gives the published r.
    assert _ec_soft.multiply(curve, int(case["k"]), (curve.gx, curve.gy))[0] % curve.r == r
    der = encode_dss_signature(r, s)
    plain = r.to_bytes(21, "big") + s.to_bytes(21, "big")
    for w in (_point(curve, int(u["qx"]), int(u["qy"])), bytes.fromhex(u["compressed"])):
        public = _public(curve, w)
        sig = Signature.getInstance(Signature.ALG_ECDSA_SHA, False)
        sig.init(public, Signature.MODE_VERIFY)
        assert sig.verify(msg, 0, len(msg), der, 0, len(der))
        assert not sig.verify(b"abd", 0, 3, der, 0, len(der))
        bad = encode_dss_signature(r, s + 1)
        assert not sig.verify(msg, 0, len(msg), bad, 0, len(bad))
        raw = Signature.getInstance(MessageDigest.ALG_SHA, Signature.SIG_CIPHER_ECDSA_PLAIN,
                                    0, False)
        raw.init(public, Signature.MODE_VERIFY)
        assert raw.verify(msg, 0, len(msg), plain, 0, len(plain))
        assert not raw.verify(msg, 0, len(msg), plain[:-1], 0, len(plain) - 1)


def test_gec2_ecdh_gives_the_published_shared_value_both_ways(vectors):
    doc = vectors.load("ec_small_curves")
    curve = ec_curves.SECP160R1
    z = int(doc["ecdh"]["z"]).to_bytes(20, "big")
    # ANSI X9.63 KDF with SHA-1, one block: SHA-1(z || counter 1), as GEC 2 4.1.4 derives it.
    assert hashlib.sha1(z + b"\x00\x00\x00\x01").hexdigest() == doc["ecdh"]["kdf_sha1_20"]
    for mine, theirs in (("u", "v"), ("v", "u")):
        private = _private(curve, int(doc[mine]["d"]))
        peer = _point(curve, int(doc[theirs]["qx"]), int(doc[theirs]["qy"]))
        for alg, expected in ((KeyAgreement.ALG_EC_SVDP_DH_PLAIN, z),
                              (KeyAgreement.ALG_EC_SVDP_DHC_PLAIN, z),
                              (KeyAgreement.ALG_EC_SVDP_DH, hashlib.sha1(z).digest()),
                              (KeyAgreement.ALG_EC_SVDP_DHC_KDF, hashlib.sha1(z).digest())):
            agreement = KeyAgreement.getInstance(alg, False)
            agreement.init(private)
            out = ByteArray(20)
            assert agreement.generateSecret(peer, 0, len(peer), out, 0) == 20
            assert bytes(out) == expected


def test_python_ecdsa_signs_the_rfc_6979_p256_answers(vectors):
    """The Python signer (nonce and formula) against RFC 6979 A.2.5, on a curve it shares."""
    doc = vectors.load("ecdsa_p256")
    signer = _ec_soft.SoftPrivateKey(ec_curves.P256, int(doc["private_x"], 16))
    point = signer.public_key().public_numbers()
    assert (point.x, point.y) == (int(doc["public_ux"], 16), int(doc["public_uy"], 16))
    for case in doc["sha256"]:
        digest = hashlib.sha256(bytes.fromhex(case["msg"])).digest()
        der = signer.sign(digest, ec.ECDSA(_prehashed_sha256(), deterministic_signing=True))
        assert decode_dss_signature(der) == (int(case["r"], 16), int(case["s"], 16))
        signer.public_key().verify(der, digest, ec.ECDSA(_prehashed_sha256()))


def _prehashed_sha256():
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

    return Prehashed(hashes.SHA256())


@settings(max_examples=25, deadline=None)
@given(st.integers(min_value=1), st.integers(min_value=1),
       st.sampled_from([(ec_curves.P192, ec.SECP192R1()), (ec_curves.P256, ec.SECP256R1())]))
def test_python_scalar_multiplication_agrees_with_cryptography(a, b, pair):
    curve, crypto = pair
    a, b = a % (curve.r - 1) + 1, b % (curve.r - 1) + 1
    g = (curve.gx, curve.gy)
    mine = _ec_soft.multiply(curve, a, g)
    theirs = ec.derive_private_key(a, crypto).public_key().public_numbers()
    assert mine == (theirs.x, theirs.y)
    assert _ec_soft.add(curve, mine, _ec_soft.multiply(curve, b, g)) == _ec_soft.multiply(
        curve, a + b, g)


SIGNATURES = [Signature.ALG_ECDSA_SHA, Signature.ALG_ECDSA_SHA_224, Signature.ALG_ECDSA_SHA_256,
              Signature.ALG_ECDSA_SHA_384, Signature.ALG_ECDSA_SHA_512]


@pytest.mark.parametrize("bits", sorted(SMALL))
@pytest.mark.parametrize("alg", SIGNATURES)
def test_generated_key_pairs_sign_and_verify(bits, alg):
    pair = KeyPair(KeyPair.ALG_EC_FP, bits)
    pair.genKeyPair()
    sig = Signature.getInstance(alg, False)
    sig.init(pair.getPrivate(), Signature.MODE_SIGN)
    msg = b"a message to sign" * 3
    out = ByteArray(sig.getLength())
    n = sig.sign(msg, 0, len(msg), out, 0)
    assert 0 < n <= sig.getLength()
    sig.init(pair.getPublic(), Signature.MODE_VERIFY)
    assert sig.verify(msg, 0, len(msg), out, 0, n)
    assert not sig.verify(msg[1:], 0, len(msg) - 1, out, 0, n)


@pytest.mark.parametrize("bits", sorted(SMALL))
def test_seeded_signatures_repeat_and_plain_ones_have_the_order_length(bits):
    def sign():
        with entropy.seeded("small-ec"):
            pair = KeyPair(KeyPair.ALG_EC_FP, bits)
            pair.genKeyPair()
            sig = Signature.getInstance(MessageDigest.ALG_SHA_256,
                                        Signature.SIG_CIPHER_ECDSA_PLAIN, 0, False)
            sig.init(pair.getPrivate(), Signature.MODE_SIGN)
            out = ByteArray(sig.getLength())
            n = sig.sign(b"x", 0, 1, out, 0)
        return bytes(out[:n]), pair

    first, pair = sign()
    second, _ = sign()
    assert first == second
    assert len(first) == 2 * ((SMALL[bits].r.bit_length() + 7) // 8)
    verifier = Signature.getInstance(MessageDigest.ALG_SHA_256,
                                     Signature.SIG_CIPHER_ECDSA_PLAIN, 0, False)
    verifier.init(pair.getPublic(), Signature.MODE_VERIFY)
    assert verifier.verify(b"x", 0, 1, first, 0, len(first))


@pytest.mark.parametrize("bits", sorted(SMALL))
@pytest.mark.parametrize("alg", [KeyAgreement.ALG_EC_SVDP_DH, KeyAgreement.ALG_EC_SVDP_DHC,
                                 KeyAgreement.ALG_EC_SVDP_DH_PLAIN,
                                 KeyAgreement.ALG_EC_SVDP_DHC_PLAIN,
                                 KeyAgreement.ALG_EC_SVDP_DH_PLAIN_XY])
def test_ecdh_agreement_is_symmetric(bits, alg):
    pairs = [KeyPair(KeyPair.ALG_EC_FP, bits) for _ in range(2)]
    points = []
    for pair in pairs:
        pair.genKeyPair()
        w = ByteArray(1 + 2 * SMALL[bits].length)
        pair.getPublic().getW(w, 0)
        points.append(bytes(w))
    secrets = []
    for pair, peer in ((pairs[0], points[1]), (pairs[1], points[0])):
        agreement = KeyAgreement.getInstance(alg, False)
        agreement.init(pair.getPrivate())
        out = ByteArray(1 + 2 * SMALL[bits].length)
        n = agreement.generateSecret(peer, 0, len(peer), out, 0)
        secrets.append(bytes(out[:n]))
    assert secrets[0] == secrets[1]
    assert len(secrets[0]) in (20, SMALL[bits].length, 1 + 2 * SMALL[bits].length)


def test_pace_generic_mapping_on_a_small_curve_is_s_g_plus_h():
    curve = ec_curves.SECP128R1
    private = _private(curve, 12345)
    h = _ec_soft.multiply(curve, 777, (curve.gx, curve.gy))
    agreement = KeyAgreement.getInstance(KeyAgreement.ALG_EC_PACE_GM, False)
    agreement.init(private)
    out = ByteArray(33)
    agreement.generateSecret(_point(curve, *h), 0, 33, out, 0)
    assert bytes(out) == _point(curve, *_ec_soft.multiply(curve, 12345 + 777, (curve.gx,
                                                                                curve.gy)))


def test_a_point_off_the_curve_is_illegal_value():
    curve = ec_curves.SECP112R1
    agreement = KeyAgreement.getInstance(KeyAgreement.ALG_EC_SVDP_DH_PLAIN, False)
    agreement.init(_private(curve, 5))
    off = _point(curve, curve.gx, (curve.gy + 1) % curve.p)
    with pytest.raises(CryptoException) as info:
        agreement.generateSecret(off, 0, len(off), ByteArray(14), 0)
    assert info.value.getReason() == CryptoException.ILLEGAL_VALUE
    public = _public(curve, off)
    sig = Signature.getInstance(Signature.ALG_ECDSA_SHA, False)
    with pytest.raises(CryptoException) as info:
        sig.init(public, Signature.MODE_VERIFY)
    assert info.value.getReason() == CryptoException.ILLEGAL_VALUE


def test_a_scalar_outside_one_to_r_is_illegal_value():
    curve = ec_curves.SECP160R1
    for d in (0, curve.r):
        key = _private(curve, d)
        sig = Signature.getInstance(Signature.ALG_ECDSA_SHA, False)
        with pytest.raises(CryptoException) as info:
            sig.init(key, Signature.MODE_SIGN)
        assert info.value.getReason() == CryptoException.ILLEGAL_VALUE


def test_parameters_of_another_size_are_illegal_value():
    key = KeyBuilder.buildKey(KeyBuilder.TYPE_EC_FP_PRIVATE, 128, False)
    with pytest.raises(CryptoException) as info:
        ec_curves.set_domain_parameters(key, ec_curves.SECP160R1)  # p has 160 bits
    assert info.value.getReason() == CryptoException.ILLEGAL_VALUE
    pair = KeyPair(KeyPair.ALG_EC_FP, 128)
    with pytest.raises(CryptoException) as info:  # p, A, B fit; G is 14-byte coordinates
        ec_curves.set_domain_parameters(pair.getPublic(), ec_curves.SECP112R1)
    assert info.value.getReason() == CryptoException.ILLEGAL_VALUE


def test_other_lengths_stay_refused():
    for bits in (111, 113, 129, 161):
        with pytest.raises(CryptoException) as info:
            KeyBuilder.buildKey(KeyBuilder.TYPE_EC_FP_PUBLIC, bits, False)
        assert info.value.getReason() == CryptoException.NO_SUCH_ALGORITHM
