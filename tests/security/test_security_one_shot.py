"""The OneShot classes: the same answers as their engines, one buffer per call, and released by
the JCRE when the applet's entry point returns (JCRE 3.0.5 section 6.2.1)."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher as HostCipher
from cryptography.hazmat.primitives.ciphers import algorithms, modes

from jcsim import Simulator
from jcsim.crypto import Cipher
from jcsim.framework import ISO7816, Applet, ByteArray, ISOException
from jcsim.security._sha_resume import _sha256_block, initial_state
from jcsim.security import (
    CryptoException,
    InitializedMessageDigest,
    KeyBuilder,
    MessageDigest,
    RandomData,
    Signature,
)

AID = "F0 00 00 00 0C 05"
HMAC_KEY = bytes(range(0x40, 0x60))
AES_KEY = bytes(range(16))
SW_CRYPTO = 0x6F00

INS_HMAC = 0x01  # Signature.OneShot HMAC-SHA-256 sign of the data
INS_HMAC_VERIFY = 0x02  # data = message || 32-byte MAC; answers 01 if it verifies
INS_AES_CBC = 0x03  # Cipher.OneShot AES-CBC NOPAD encrypt, zero IV
INS_SHA256 = 0x04  # MessageDigest.OneShot
INS_RANDOM = 0x05  # RandomData.OneShot: P1 bytes
INS_UPDATE = 0x06  # Signature.OneShot.update: always ILLEGAL_USE
INS_KEEP = 0x07  # opens a MessageDigest.OneShot and keeps it past the entry point
INS_USE_KEPT = 0x08  # uses the kept one
INS_CLOSED = 0x09  # close twice, then doFinal on the closed instance
INS_UNSUPPORTED = 0x0A  # open SHA-256 with a Korean SEED MAC
INS_RESUMED = 0x0B  # InitializedMessageDigest.OneShot: data = 32-byte state || message


class OneShotApplet(Applet):
    def __init__(self):
        self.hmac_key = KeyBuilder.buildKey(KeyBuilder.TYPE_HMAC, 256, False)
        self.hmac_key.setKey(ByteArray(HMAC_KEY), 0, len(HMAC_KEY))
        self.aes_key = KeyBuilder.buildKey(KeyBuilder.TYPE_AES, KeyBuilder.LENGTH_AES_128, False)
        self.aes_key.setKey(ByteArray(AES_KEY), 0)
        self.kept = None
        self.register()

    @classmethod
    def install(cls, bArray, bOffset, bLength):
        cls()

    def process(self, apdu):
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        ins, p1 = buf[ISO7816.OFFSET_INS], buf[ISO7816.OFFSET_P1]
        length = apdu.setIncomingAndReceive()
        data = ByteArray(bytes(buf[ISO7816.OFFSET_CDATA:ISO7816.OFFSET_CDATA + length]))
        out = ByteArray(255)
        try:
            n = self._run(ins, p1, data, length, out)
        except CryptoException as exc:
            ISOException.throwIt(SW_CRYPTO | exc.getReason())
        buf[0:n] = bytes(out[0:n])
        apdu.setOutgoingAndSend(0, n)

    def _run(self, ins, p1, data, length, out):
        if ins in (INS_HMAC, INS_HMAC_VERIFY, INS_UPDATE):
            sig = Signature.OneShot.open(MessageDigest.ALG_SHA_256, Signature.SIG_CIPHER_HMAC,
                                         Cipher.PAD_NULL)
            try:
                if ins == INS_HMAC:
                    sig.init(self.hmac_key, Signature.MODE_SIGN)
                    return sig.sign(data, 0, length, out, 0)
                sig.init(self.hmac_key, Signature.MODE_VERIFY)
                if ins == INS_UPDATE:
                    sig.update(data, 0, length)
                out[0] = 1 if sig.verify(data, 0, length - 32, data, length - 32, 32) else 0
                return 1
            finally:
                sig.close()
        if ins == INS_AES_CBC:
            cipher = Cipher.OneShot.open(Cipher.CIPHER_AES_CBC, Cipher.PAD_NOPAD)
            try:
                cipher.init(self.aes_key, Cipher.MODE_ENCRYPT)
                return cipher.doFinal(data, 0, length, out, 0)
            finally:
                cipher.close()
        if ins == INS_SHA256:
            md = MessageDigest.OneShot.open(MessageDigest.ALG_SHA_256)
            try:
                return md.doFinal(data, 0, length, out, 0)
            finally:
                md.close()
        if ins == INS_RANDOM:
            rng = RandomData.OneShot.open(RandomData.ALG_TRNG)
            try:
                rng.nextBytes(out, 0, p1)
                return p1
            finally:
                rng.close()
        if ins == INS_KEEP:
            self.kept = MessageDigest.OneShot.open(MessageDigest.ALG_SHA_256)
            return 0
        if ins == INS_USE_KEPT:
            return self.kept.doFinal(data, 0, length, out, 0)
        if ins == INS_CLOSED:
            md = MessageDigest.OneShot.open(MessageDigest.ALG_SHA_256)
            md.close()
            md.close()
            return md.doFinal(data, 0, length, out, 0)
        if ins == INS_UNSUPPORTED:
            Signature.OneShot.open(MessageDigest.ALG_SHA_256, Signature.SIG_CIPHER_KOREAN_SEED_MAC,
                                   Cipher.PAD_NULL)
            return 0
        if ins == INS_RESUMED:
            md = InitializedMessageDigest.OneShot.open(MessageDigest.ALG_SHA_256)
            try:
                md.setInitialDigest(data, 0, 32, ByteArray(bytes([0, 64])), 0, 2)
                return md.doFinal(data, 32, length - 32, out, 0)
            finally:
                md.close()
        ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)
        return 0


@pytest.fixture
def card():
    sim = Simulator()
    sim.install(OneShotApplet, AID)
    assert sim.select(AID).sw == 0x9000
    return sim


def send(sim, ins, data=b"", p1=0):
    lc = bytes((len(data),)) + data if data else b""
    return sim.transmit(bytes((0x80, ins, p1, 0)) + lc + b"\x00")


def test_signature_one_shot_signs_and_verifies_as_hmac_does(card):
    message = b"one shot message"
    mac = hmac.new(HMAC_KEY, message, hashlib.sha256).digest()
    r = send(card, INS_HMAC, message)
    assert (r.sw, r.data) == (0x9000, mac)
    assert send(card, INS_HMAC_VERIFY, message + mac).data == b"\x01"
    assert send(card, INS_HMAC_VERIFY, message + bytes(32)).data == b"\x00"


def test_cipher_one_shot_encrypts_as_aes_cbc_does(card):
    plain = bytes(range(32))
    enc = HostCipher(algorithms.AES(AES_KEY), modes.CBC(bytes(16))).encryptor()
    r = send(card, INS_AES_CBC, plain)
    assert (r.sw, r.data) == (0x9000, enc.update(plain) + enc.finalize())


def test_message_digest_one_shot_hashes_the_buffer(card):
    r = send(card, INS_SHA256, b"abc")
    assert (r.sw, r.data) == (0x9000, hashlib.sha256(b"abc").digest())


def test_initialized_message_digest_one_shot_resumes_from_a_state(card):
    # The SHA-256 state after one 64-byte block, then the rest: the digest of the whole.
    first, rest = bytes(range(64)), b"tail"
    words = [int.from_bytes(initial_state("sha256")[i:i + 4], "big") for i in range(0, 32, 4)]
    _sha256_block(words, first)  # the intermediate state a host would hand to the card
    state = b"".join(w.to_bytes(4, "big") for w in words)
    r = send(card, INS_RESUMED, state + rest)
    assert (r.sw, r.data) == (0x9000, hashlib.sha256(first + rest).digest())


def test_random_data_one_shot_fills_the_buffer(card):
    r = send(card, INS_RANDOM, p1=40)
    assert r.sw == 0x9000 and len(r.data) == 40 and r.data != bytes(40)


def test_update_is_not_supported_by_a_one_shot(card):
    assert send(card, INS_UPDATE, b"x" * 40).sw == SW_CRYPTO | CryptoException.ILLEGAL_USE


def test_the_jcre_takes_a_one_shot_back_when_the_entry_point_returns(card):
    assert send(card, INS_KEEP).sw == 0x9000
    assert send(card, INS_USE_KEPT, b"abc").sw == SW_CRYPTO | CryptoException.ILLEGAL_USE


def test_a_closed_one_shot_refuses_every_call_but_close(card):
    assert send(card, INS_CLOSED, b"abc").sw == SW_CRYPTO | CryptoException.ILLEGAL_USE


def test_an_unsupported_algorithm_is_no_such_algorithm(card):
    assert send(card, INS_UNSUPPORTED).sw == SW_CRYPTO | CryptoException.NO_SUCH_ALGORITHM


def test_each_one_shot_is_a_specialization_of_its_engine_class():
    assert issubclass(Signature.OneShot, Signature)
    assert issubclass(Cipher.OneShot, Cipher)
    assert issubclass(MessageDigest.OneShot, MessageDigest)
    assert issubclass(InitializedMessageDigest.OneShot, InitializedMessageDigest)
    assert issubclass(RandomData.OneShot, RandomData)
    assert Signature.OneShot.__qualname__ == "Signature.OneShot"
