"""``KeyBuilder.buildKeyWithSharedDomain`` and the ``ALG_TYPE_*_PARAMETERS`` objects: keys that
reference one set of domain parameters sign, verify and agree exactly like keys holding their
own copy; the parameters are referenced, not copied; misuse raises the specification's
reason codes."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import dsa, ec
from hypothesis import given, settings
from hypothesis import strategies as st

from jcsim import Simulator
from jcsim.framework import ISO7816, Applet, ByteArray, ISOException, JCSystem
from jcsim.lang import NullPointerException
from jcsim.security import (
    CryptoException,
    KeyAgreement,
    KeyBuilder,
    MessageDigest,
    Signature,
    ec_curves,
)

K = KeyBuilder
P256 = ec_curves.P256
PERSISTENT = JCSystem.MEMORY_TYPE_PERSISTENT
MESSAGE = b"shared domain parameters"
# RFC 6979 A.2.5: the P-256 private key of its ECDSA examples.
RFC6979_X = 0xC9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721


def reason(call, *args) -> int:
    with pytest.raises(CryptoException) as info:
        call(*args)
    return info.value.getReason()


def _p256_parameters():
    domain = K.buildKey(K.ALG_TYPE_EC_FP_PARAMETERS, PERSISTENT, 256, False)
    ec_curves.set_domain_parameters(domain, P256)
    return domain


def _scalar_and_point(d: int) -> tuple[bytes, bytes]:
    numbers = ec.derive_private_key(d, ec.SECP256R1()).public_key().public_numbers()
    w = b"\x04" + numbers.x.to_bytes(32, "big") + numbers.y.to_bytes(32, "big")
    return d.to_bytes(32, "big"), w


def _shared_pair(domain, d: int):
    s, w = _scalar_and_point(d)
    private = K.buildKeyWithSharedDomain(K.ALG_TYPE_EC_FP_PRIVATE, PERSISTENT, domain, False)
    public = K.buildKeyWithSharedDomain(K.ALG_TYPE_EC_FP_PUBLIC, PERSISTENT, domain, False)
    private.setS(ByteArray(s), 0, 32)
    public.setW(ByteArray(w), 0, len(w))
    return public, private


def _own_pair(d: int):
    s, w = _scalar_and_point(d)
    private = K.buildKey(K.TYPE_EC_FP_PRIVATE, 256, False)
    public = K.buildKey(K.TYPE_EC_FP_PUBLIC, 256, False)
    for key in (private, public):
        ec_curves.set_domain_parameters(key, P256)
    private.setS(ByteArray(s), 0, 32)
    public.setW(ByteArray(w), 0, len(w))
    return public, private


def _ecdsa():
    return Signature.getInstance(Signature.ALG_ECDSA_SHA_256, False)


def _sign(private) -> bytes:
    sig = _ecdsa()
    sig.init(private, Signature.MODE_SIGN)
    out = ByteArray(sig.getLength())
    n = sig.sign(ByteArray(MESSAGE), 0, len(MESSAGE), out, 0)
    return bytes(out[:n])


def _verifies(public, signature: bytes, message: bytes = MESSAGE) -> bool:
    sig = _ecdsa()
    sig.init(public, Signature.MODE_VERIFY)
    return sig.verify(ByteArray(message), 0, len(message), ByteArray(signature), 0,
                      len(signature))


def _agree(private, peer_w: bytes) -> bytes:
    agreement = KeyAgreement.getInstance(KeyAgreement.ALG_EC_SVDP_DH_PLAIN, False)
    agreement.init(private)
    out = ByteArray(32)
    n = agreement.generateSecret(ByteArray(peer_w), 0, len(peer_w), out, 0)
    return bytes(out[:n])


def test_shared_domain_p256_keys_sign_and_verify_with_keys_built_normally():
    shared_public, shared_private = _shared_pair(_p256_parameters(), RFC6979_X)
    own_public, own_private = _own_pair(RFC6979_X)
    assert shared_private.getType() == K.TYPE_EC_FP_PRIVATE
    assert shared_public.getType() == K.TYPE_EC_FP_PUBLIC
    assert shared_private.getSize() == shared_public.getSize() == 256
    assert shared_private.isInitialized() and shared_public.isInitialized()
    # Either key's signature verifies with the other kind's public key, and with cryptography.
    for signer, verifier in ((shared_private, own_public), (own_private, shared_public),
                             (shared_private, shared_public)):
        signature = _sign(signer)
        assert _verifies(verifier, signature)
        assert not _verifies(verifier, signature, MESSAGE + b"!")
        ec.derive_private_key(RFC6979_X, ec.SECP256R1()).public_key().verify(
            signature, MESSAGE, ec.ECDSA(hashes.SHA256()))


@settings(max_examples=10, deadline=None)
@given(a=st.integers(1, P256.r - 1), b=st.integers(1, P256.r - 1))
def test_shared_domain_ecdh_agrees_with_normal_keys_and_cryptography(a, b):
    domain = _p256_parameters()
    _, shared_a = _shared_pair(domain, a)
    own_b_public, own_b = _own_pair(b)
    w_a = _scalar_and_point(a)[1]
    w_b = _scalar_and_point(b)[1]
    expected = ec.derive_private_key(a, ec.SECP256R1()).exchange(
        ec.ECDH(), ec.derive_private_key(b, ec.SECP256R1()).public_key())
    assert _agree(shared_a, w_b) == _agree(own_b, w_a) == expected


def test_the_domain_is_referenced_not_copied():
    domain = _p256_parameters()
    keys = [_shared_pair(domain, d) for d in (2, 3)]
    for public, private in keys:
        # Each key holds its own value only; the curve lives once, in the parameters object.
        assert set(public._values) == {"W"}
        assert set(private._values) == {"S"}
        assert public._domain is domain and private._domain is domain
        out = ByteArray(32)
        assert private.getA(out, 0) == 32 and bytes(out) == P256.A
        assert public.getK() == 1
    # A setter's change is seen by every key sharing the parameters (the javadoc's rule) ...
    keys[0][1].setK(4)
    assert domain.getK() == 4
    assert [private.getK() for _, private in keys] == [4, 4]
    domain.setK(1)
    assert keys[1][0].getK() == 1
    # ... while clearing a key clears its own value only.
    keys[0][1].clearKey()
    assert not keys[0][1].isInitialized()
    assert domain.isInitialized() and keys[1][1].isInitialized() and keys[0][0].isInitialized()


def test_keys_on_an_unset_domain_are_uninitialized_until_it_is_set():
    domain = K.buildKey(K.ALG_TYPE_EC_FP_PARAMETERS, PERSISTENT, 256, False)
    assert domain.getType() == K.ALG_TYPE_EC_FP_PARAMETERS
    assert not domain.isInitialized()
    private = K.buildKeyWithSharedDomain(K.ALG_TYPE_EC_FP_PRIVATE, PERSISTENT, domain, False)
    s, w = _scalar_and_point(RFC6979_X)
    private.setS(ByteArray(s), 0, 32)
    assert not private.isInitialized()
    assert reason(private.getField, ByteArray(32), 0) == CryptoException.UNINITIALIZED_KEY
    sig = _ecdsa()
    assert reason(sig.init, private, Signature.MODE_SIGN) == CryptoException.UNINITIALIZED_KEY
    ec_curves.set_domain_parameters(domain, P256)
    assert private.isInitialized()
    public = K.buildKey(K.TYPE_EC_FP_PUBLIC, 256, False)
    public.copyDomainParametersFrom(domain)
    public.setW(ByteArray(w), 0, len(w))
    assert _verifies(public, _sign(private))


def test_shared_domain_dsa_keys_sign_and_verify():
    numbers = dsa.generate_private_key(1024).private_numbers()
    params = numbers.public_numbers.parameter_numbers
    domain = K.buildKey(K.ALG_TYPE_DSA_PARAMETERS, PERSISTENT, 1024, False)
    for setter, value in ((domain.setP, params.p), (domain.setQ, params.q),
                          (domain.setG, params.g)):
        data = value.to_bytes((value.bit_length() + 7) // 8, "big")
        setter(ByteArray(data), 0, len(data))
    public = K.buildKeyWithSharedDomain(K.ALG_TYPE_DSA_PUBLIC, PERSISTENT, domain, False)
    private = K.buildKeyWithSharedDomain(K.ALG_TYPE_DSA_PRIVATE, PERSISTENT, domain, False)
    y = numbers.public_numbers.y.to_bytes(128, "big").lstrip(b"\0")
    x = numbers.x.to_bytes(20, "big").lstrip(b"\0")
    public.setY(ByteArray(y), 0, len(y))
    private.setX(ByteArray(x), 0, len(x))
    assert set(private._values) == {"X"} and private.getSize() == 1024
    sig = Signature.getInstance(MessageDigest.ALG_SHA_256, Signature.SIG_CIPHER_DSA, 0, False)
    sig.init(private, Signature.MODE_SIGN)
    out = ByteArray(sig.getLength())
    n = sig.sign(ByteArray(MESSAGE), 0, len(MESSAGE), out, 0)
    numbers.public_numbers.public_key().verify(bytes(out[:n]), MESSAGE, hashes.SHA256())
    sig.init(public, Signature.MODE_VERIFY)
    assert sig.verify(ByteArray(MESSAGE), 0, len(MESSAGE), out, 0, n)


def test_dh_parameters_build_keys_of_their_size():
    domain = K.buildKey(K.ALG_TYPE_DH_PARAMETERS, PERSISTENT, 2048, False)
    public = K.buildKeyWithSharedDomain(K.ALG_TYPE_DH_PUBLIC, JCSystem.MEMORY_TYPE_TRANSIENT_RESET,
                                        domain, False)
    assert public.getType() == K.TYPE_DH_PUBLIC_TRANSIENT_RESET and public.getSize() == 2048
    domain.setP(ByteArray(b"\x17"), 0, 1)
    out = ByteArray(4)
    assert public.getP(out, 0) == 1 and out[0] == 0x17


def test_misuse_raises_the_specification_reason_codes():
    ec_domain = _p256_parameters()
    dsa_domain = K.buildKey(K.ALG_TYPE_DSA_PARAMETERS, PERSISTENT, 1024, False)
    normal_key = K.buildKey(K.TYPE_EC_FP_PUBLIC, 256, False)
    build = K.buildKeyWithSharedDomain
    no_such = CryptoException.NO_SUCH_ALGORITHM
    # Algorithms without domain parameters, F2m, memory types the type lacks, KeyEncryption.
    assert reason(build, K.ALG_TYPE_AES, PERSISTENT, ec_domain, False) == no_such
    assert reason(build, K.ALG_TYPE_RSA_PUBLIC, PERSISTENT, ec_domain, False) == no_such
    assert reason(build, K.ALG_TYPE_EC_F2M_PUBLIC, PERSISTENT, ec_domain, False) == no_such
    assert reason(build, K.ALG_TYPE_EC_FP_PUBLIC, JCSystem.MEMORY_TYPE_TRANSIENT_RESET,
                  ec_domain, False) == no_such
    assert reason(build, K.ALG_TYPE_EC_FP_PRIVATE, PERSISTENT, ec_domain, True) == no_such
    assert reason(build, K.ALG_TYPE_EC_FP_PARAMETERS, PERSISTENT, ec_domain, False) == no_such
    # The domain must be a parameters object of the key's family.
    illegal = CryptoException.ILLEGAL_VALUE
    assert reason(build, K.ALG_TYPE_EC_FP_PRIVATE, PERSISTENT, dsa_domain, False) == illegal
    assert reason(build, K.ALG_TYPE_DSA_PRIVATE, PERSISTENT, ec_domain, False) == illegal
    assert reason(build, K.ALG_TYPE_EC_FP_PUBLIC, PERSISTENT, normal_key, False) == illegal
    with pytest.raises(NullPointerException):
        build(K.ALG_TYPE_EC_FP_PUBLIC, PERSISTENT, None, False)
    # Parameters objects: persistent, at their family's lengths, never KeyEncryption.
    assert reason(K.buildKey, K.ALG_TYPE_EC_F2M_PARAMETERS, PERSISTENT, 163, False) == no_such
    assert reason(K.buildKey, K.ALG_TYPE_EC_FP_PARAMETERS, PERSISTENT, 255, False) == no_such
    assert reason(K.buildKey, K.ALG_TYPE_DH_PARAMETERS, JCSystem.MEMORY_TYPE_TRANSIENT_RESET,
                  1024, False) == no_such
    assert reason(K.buildKey, K.ALG_TYPE_DSA_PARAMETERS, PERSISTENT, 1024, True) == no_such
    # A parameters object is no key for an engine (the wrong key type: ILLEGAL_VALUE).
    assert reason(_ecdsa().init, ec_domain, Signature.MODE_SIGN) == illegal
    agreement = KeyAgreement.getInstance(KeyAgreement.ALG_EC_SVDP_DH, False)
    assert reason(agreement.init, ec_domain) == illegal


# --- on a card: transactions and card images -----------------------------------------------

DOMAIN_AID = "F0 00 00 00 0D 5D"
INS_SIGN = 0x10  # ECDSA SHA-256 of the data with the shared-domain private key
INS_SET_K = 0x20  # begin; private.setK(P2); commit (P1 = 1) or abort (P1 = 0)
INS_K = 0x21  # the cofactor as the parameters object, the private and the public key see it


class SharedDomainHolder(Applet):
    """A P-256 key pair built on one parameters object at install."""

    def __init__(self) -> None:
        self.domain = _p256_parameters()
        self.public, self.private = _shared_pair(self.domain, RFC6979_X)
        self.sig = _ecdsa()

    def process(self, apdu):
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        ins, p1, p2 = buf[ISO7816.OFFSET_INS], buf[ISO7816.OFFSET_P1], buf[ISO7816.OFFSET_P2]
        length = apdu.setIncomingAndReceive()
        out = ByteArray(80)
        if ins == INS_SIGN:
            self.sig.init(self.private, Signature.MODE_SIGN)
            n = self.sig.sign(buf, ISO7816.OFFSET_CDATA, length, out, 0)
        elif ins == INS_SET_K:
            JCSystem.beginTransaction()
            self.private.setK(p2)
            if p1:
                JCSystem.commitTransaction()
            else:
                JCSystem.abortTransaction()
            n = 0
        elif ins == INS_K:
            out[0:3] = bytes(k.getK() for k in (self.domain, self.private, self.public))
            n = 3
        else:
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)
        buf[0:n] = out[0:n]
        apdu.setOutgoingAndSend(0, n)


def _card_answer(sim: Simulator, ins: int, data: bytes = b"", p1: int = 0, p2: int = 0) -> bytes:
    lc = bytes((len(data),)) + data if data else b""
    response = sim.transmit(bytes((0x80, ins, p1, p2)) + lc + b"\x00")
    assert response.sw == 0x9000
    return response.data


@pytest.fixture
def holder() -> Simulator:
    sim = Simulator()
    sim.install(SharedDomainHolder, DOMAIN_AID)
    assert sim.select(DOMAIN_AID).sw == 0x9000
    return sim


def test_a_domain_change_in_an_aborted_transaction_is_undone_for_every_key(holder):
    _card_answer(holder, INS_SET_K, p1=0, p2=4)
    assert _card_answer(holder, INS_K) == b"\x01\x01\x01"
    _card_answer(holder, INS_SET_K, p1=1, p2=4)
    assert _card_answer(holder, INS_K) == b"\x04\x04\x04"


def test_a_card_image_keeps_the_keys_sharing_one_domain(holder):
    loaded = Simulator.from_snapshot(holder.snapshot())
    assert loaded.select(DOMAIN_AID).sw == 0x9000
    signature = _card_answer(loaded, INS_SIGN, MESSAGE)
    ec.derive_private_key(RFC6979_X, ec.SECP256R1()).public_key().verify(
        signature, MESSAGE, ec.ECDSA(hashes.SHA256()))
    # Still one parameters object after the load: a change through one key reaches the others.
    _card_answer(loaded, INS_SET_K, p1=1, p2=2)
    assert _card_answer(loaded, INS_K) == b"\x02\x02\x02"
