"""DSA signatures and DH key agreement on jcsim's integer arithmetic, checked against
``cryptography`` (an independent implementation) where it can run them, and against the
definitions (FIPS 186-4 4.6/4.7, PKCS #3) elsewhere."""

from __future__ import annotations

import hashlib

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dh, dsa, utils

from jcsim.framework import ByteArray
from jcsim.security import (
    CryptoException,
    KeyAgreement,
    KeyBuilder,
    KeyPair,
    MessageDigest,
    Signature,
    entropy,
)

MESSAGE = b"a message to sign"


def _bytes(n: int) -> bytes:
    return n.to_bytes((n.bit_length() + 7) // 8, "big")


def reason(call, *args) -> int:
    with pytest.raises(CryptoException) as info:
        call(*args)
    return info.value.getReason()


@pytest.fixture(scope="module")
def cryptography_dsa():
    return dsa.generate_private_key(1024)


def _jc_dsa_keys(numbers):
    params = numbers.public_numbers.parameter_numbers
    public = KeyBuilder.buildKey(KeyBuilder.TYPE_DSA_PUBLIC, 1024, False)
    private = KeyBuilder.buildKey(KeyBuilder.TYPE_DSA_PRIVATE, 1024, False)
    for key in (public, private):
        for setter, value in ((key.setP, params.p), (key.setQ, params.q), (key.setG, params.g)):
            setter(ByteArray(_bytes(value)), 0, len(_bytes(value)))
    y = _bytes(numbers.public_numbers.y)
    public.setY(ByteArray(y), 0, len(y))
    private.setX(ByteArray(_bytes(numbers.x)), 0, len(_bytes(numbers.x)))
    return public, private


@pytest.mark.parametrize(("md", "hash_class"), [(MessageDigest.ALG_SHA, hashes.SHA1),
                                                (MessageDigest.ALG_SHA_256, hashes.SHA256)])
def test_dsa_signatures_interoperate_with_cryptography(cryptography_dsa, md, hash_class):
    public, private = _jc_dsa_keys(cryptography_dsa.private_numbers())
    sig = Signature.getInstance(md, Signature.SIG_CIPHER_DSA, 0, False)
    sig.init(private, Signature.MODE_SIGN)
    out = ByteArray(sig.getLength())
    n = sig.sign(ByteArray(MESSAGE), 0, len(MESSAGE), out, 0)
    cryptography_dsa.public_key().verify(bytes(out[:n]), MESSAGE, hash_class())  # raises if bad
    theirs = cryptography_dsa.sign(MESSAGE, hash_class())
    sig.init(public, Signature.MODE_VERIFY)
    assert sig.verify(ByteArray(MESSAGE), 0, len(MESSAGE), ByteArray(theirs), 0, len(theirs))
    assert not sig.verify(ByteArray(b"x" + MESSAGE), 0, len(MESSAGE) + 1, ByteArray(theirs), 0,
                          len(theirs))


@pytest.mark.parametrize("bits", [512, 768])
def test_small_dsa_keys_sign_by_the_definition(bits):
    # Domain parameters: a 160-bit q and p = q*m + 1, found deterministically for the test.
    q = 0xF4F47F05794B256174BBA6E9B396A7707E563C5B  # a 160-bit prime (Miller-Rabin checked)
    assert pow(2, q - 1, q) == 1
    m = (1 << (bits - 1)) // q
    while True:
        p = q * m + 1
        if p.bit_length() == bits and all(pow(a, p - 1, p) == 1 for a in (2, 3, 5, 7, 11)):
            break
        m += 1
    g = pow(2, (p - 1) // q, p)
    public = KeyBuilder.buildKey(KeyBuilder.TYPE_DSA_PUBLIC, bits, False)
    private = KeyBuilder.buildKey(KeyBuilder.TYPE_DSA_PRIVATE, bits, False)
    for key in (public, private):
        for setter, value in ((key.setP, p), (key.setQ, q), (key.setG, g)):
            setter(ByteArray(_bytes(value)), 0, len(_bytes(value)))
    pair = KeyPair(public, private)
    with entropy.seeded(b"dsa"):
        pair.genKeyPair()
    x = ByteArray(32)
    x_value = int.from_bytes(bytes(x[:private.getX(x, 0)]), "big")
    y = ByteArray(bits // 8)
    assert int.from_bytes(bytes(y[:public.getY(y, 0)]), "big") == pow(g, x_value, p)
    sig = Signature.getInstance(Signature.ALG_DSA_SHA, False)
    sig.init(private, Signature.MODE_SIGN)
    out = ByteArray(sig.getLength())
    n = sig.sign(ByteArray(MESSAGE), 0, len(MESSAGE), out, 0)
    r, s = utils.decode_dss_signature(bytes(out[:n]))
    z = int.from_bytes(hashlib.sha1(MESSAGE).digest(), "big")
    w = pow(s, -1, q)
    assert pow(g, z * w % q, p) * pow(pow(g, x_value, p), r * w % q, p) % p % q == r
    sig.init(public, Signature.MODE_VERIFY)
    assert sig.verify(ByteArray(MESSAGE), 0, len(MESSAGE), out, 0, n)


def test_dsa_key_pairs_of_1024_bits_get_parameters_and_mismatched_keys_are_refused():
    pair = KeyPair(KeyPair.ALG_DSA, 1024)
    pair.genKeyPair()
    assert pair.getPublic().isInitialized() and pair.getPrivate().isInitialized()
    sig = Signature.getInstance(Signature.ALG_DSA_SHA, False)
    assert reason(sig.init, pair.getPublic(), Signature.MODE_SIGN) == CryptoException.ILLEGAL_VALUE
    assert reason(KeyPair(KeyPair.ALG_DSA, 512).genKeyPair) == CryptoException.ILLEGAL_VALUE


@pytest.mark.filterwarnings("ignore:Diffie-Hellman over finite fields")
def test_dh_plain_agrees_with_cryptography():
    # RFC 2409 section 6.2 (Second Oakley Group): a 1024-bit safe prime, g = 2.
    p = int("FFFFFFFFFFFFFFFFC90FDAA22168C234C4C6628B80DC1CD129024E088A67CC74020BBEA63B139B22"
            "514A08798E3404DDEF9519B3CD3A431B302B0A6DF25F14374FE1356D6D51C245E485B576625E7EC6"
            "F44C42E9A637ED6B0BFF5CB6F406B7EDEE386BFB5A899FA5AE9F24117C4B1FE649286651ECE65381"
            "FFFFFFFFFFFFFFFF", 16)
    numbers = dh.DHParameterNumbers(p, 2)
    theirs = numbers.parameters().generate_private_key()
    pair = KeyPair(KeyPair.ALG_DH, 1024)
    for key in (pair.getPublic(), pair.getPrivate()):
        key.setP(ByteArray(_bytes(p)), 0, 128)
        key.setG(ByteArray(b"\x02"), 0, 1)
    pair.genKeyPair()
    agreement = KeyAgreement.getInstance(KeyAgreement.ALG_DH_PLAIN, False)
    agreement.init(pair.getPrivate())
    peer_y = _bytes(theirs.public_key().public_numbers().y)
    secret = ByteArray(128)
    assert agreement.generateSecret(ByteArray(peer_y), 0, len(peer_y), secret, 0) == 128
    our_y = ByteArray(128)
    n = pair.getPublic().getY(our_y, 0)
    ours = dh.DHPublicNumbers(int.from_bytes(bytes(our_y[:n]), "big"), numbers).public_key()
    expected = theirs.exchange(ours)
    assert bytes(secret) == expected.rjust(128, b"\x00")
    assert reason(agreement.generateSecret, ByteArray(b"\x01"), 0, 1, secret, 0) == \
        CryptoException.ILLEGAL_VALUE
    assert reason(KeyPair(KeyPair.ALG_DH, 2048).genKeyPair) == CryptoException.ILLEGAL_VALUE


def test_dsa_verifies_the_nist_known_answers_and_signs_them_with_their_nonce(vectors,
                                                                           monkeypatch):
    from jcsim.security import _dsa_dh

    group = vectors.load("dsa")["sha1_1024_160"]
    p, q, g = (int(group[n], 16) for n in ("P", "Q", "G"))
    for case in group["cases"]:
        message, = vectors.unhex(case, "Msg")
        x, y, k, r, s = (int(case[n], 16) for n in ("X", "Y", "K", "R", "S"))
        public = KeyBuilder.buildKey(KeyBuilder.TYPE_DSA_PUBLIC, 1024, False)
        private = KeyBuilder.buildKey(KeyBuilder.TYPE_DSA_PRIVATE, 1024, False)
        for key, own in ((public, ("Y", y)), (private, ("X", x))):
            for name, value in (("P", p), ("Q", q), ("G", g), own):
                getattr(key, f"set{name}")(ByteArray(_bytes(value)), 0, len(_bytes(value)))
        signature = utils.encode_dss_signature(r, s)
        sig = Signature.getInstance(Signature.ALG_DSA_SHA, False)
        sig.init(public, Signature.MODE_VERIFY)
        assert sig.verify(ByteArray(message), 0, len(message), ByteArray(signature), 0,
                          len(signature))
        tampered = utils.encode_dss_signature(r, (s + 1) % q)
        assert not sig.verify(ByteArray(message), 0, len(message), ByteArray(tampered), 0,
                              len(tampered))
        # Signing with the vector's nonce in place of a random one gives the vector's (r, s).
        monkeypatch.setattr(_dsa_dh, "_random_below", lambda bound, low=1: k)
        sig.init(private, Signature.MODE_SIGN)
        out = ByteArray(sig.getLength())
        n = sig.sign(ByteArray(message), 0, len(message), out, 0)
        assert utils.decode_dss_signature(bytes(out[:n])) == (r, s)


def test_a_dsa_key_with_a_composite_q_fails_cleanly():
    # q = 15 divides p - 1 = 30 (p = 31), g = 2^2 = 4 has order dividing 15: a malformed key.
    public = KeyBuilder.buildKey(KeyBuilder.TYPE_DSA_PUBLIC, 512, False)
    private = KeyBuilder.buildKey(KeyBuilder.TYPE_DSA_PRIVATE, 512, False)
    for key in (public, private):
        for setter, value in ((key.setP, 31), (key.setQ, 15), (key.setG, 4)):
            setter(ByteArray(bytes([value])), 0, 1)
    private.setX(ByteArray(b"\x03"), 0, 1)
    public.setY(ByteArray(bytes([pow(4, 3, 31)])), 0, 1)
    sig = Signature.getInstance(Signature.ALG_DSA_SHA, False)
    sig.init(private, Signature.MODE_SIGN)
    out = ByteArray(sig.getLength())
    results = set()
    for _ in range(20):  # a nonce sharing a factor with q has no inverse
        try:
            sig.sign(ByteArray(MESSAGE), 0, len(MESSAGE), out, 0)
            results.add("signed")
        except CryptoException as exc:
            results.add(exc.getReason())
    assert results <= {"signed", CryptoException.ILLEGAL_VALUE}
    sig.init(public, Signature.MODE_VERIFY)
    bogus = utils.encode_dss_signature(5, 3)  # s = 3 has no inverse modulo 15
    assert not sig.verify(ByteArray(MESSAGE), 0, len(MESSAGE), ByteArray(bogus), 0, len(bogus))
