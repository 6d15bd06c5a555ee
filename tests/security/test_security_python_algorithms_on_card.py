"""The algorithms computed in Python, used by an applet on a simulated card: a secp160r1 key
pair, ECDSA, ECDH, RIPEMD-160 and ISO 9796-2 message recovery, through APDUs and across a card
image (save / load) and a reset."""

from __future__ import annotations

import hashlib

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, utils

from jcsim import Simulator
from jcsim.framework import ISO7816, Applet, ISOException, ShortArray
from jcsim.security import (
    CryptoException,
    KeyAgreement,
    KeyBuilder,
    KeyPair,
    MessageDigest,
    Signature,
    _ec_soft,
    ec_curves,
)
from jcsim.security._ripemd160 import RIPEMD160Context

AID = "F0 00 00 00 0C 18"
INS_EC_PUBLIC, INS_ECDSA, INS_ECDH, INS_RIPEMD, INS_MR_SIGN, INS_MR_VERIFY = range(1, 7)


class PythonAlgorithmsApplet(Applet):
    def __init__(self) -> None:
        self.pair = KeyPair(KeyPair.ALG_EC_FP, KeyBuilder.LENGTH_EC_FP_160)
        self.pair.genKeyPair()
        self.ecdsa = Signature.getInstance(Signature.ALG_ECDSA_SHA, False)
        self.ecdsa.init(self.pair.getPrivate(), Signature.MODE_SIGN)
        self.ecdh = KeyAgreement.getInstance(KeyAgreement.ALG_EC_SVDP_DH_PLAIN, False)
        self.ecdh.init(self.pair.getPrivate())
        self.ripemd = MessageDigest.getInstance(MessageDigest.ALG_RIPEMD160, False)
        self.rsa = KeyPair(KeyPair.ALG_RSA_CRT, 1024)
        self.rsa.genKeyPair()
        self.mr_sign = Signature.getInstance(Signature.ALG_RSA_SHA_ISO9796_MR, False)
        self.mr_sign.init(self.rsa.getPrivate(), Signature.MODE_SIGN)
        self.mr_verify = Signature.getInstance(Signature.ALG_RSA_SHA_ISO9796_MR, False)
        self.mr_verify.init(self.rsa.getPublic(), Signature.MODE_VERIFY)
        self.recovered = ShortArray(1)

    def process(self, apdu):
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        ins = buf[ISO7816.OFFSET_INS]
        length = apdu.setIncomingAndReceive()
        data = bytes(buf[ISO7816.OFFSET_CDATA:ISO7816.OFFSET_CDATA + length])
        out = bytearray(300)
        try:
            if ins == INS_EC_PUBLIC:
                n = self.pair.getPublic().getW(out, 0)
            elif ins == INS_ECDSA:
                n = self.ecdsa.sign(data, 0, len(data), out, 0)
            elif ins == INS_ECDH:
                n = self.ecdh.generateSecret(data, 0, len(data), out, 0)
            elif ins == INS_RIPEMD:
                n = self.ripemd.doFinal(data, 0, len(data), out, 0)
            elif ins == INS_MR_SIGN:
                n = self.mr_sign.sign(data, 0, len(data), out, 1, self.recovered, 0)
                out[0] = self.recovered[0]
                n += 1
            elif ins == INS_MR_VERIFY:  # data: signature (128) || rest of the message
                sig = bytearray(data[:128])
                count = self.mr_verify.beginVerify(sig, 0, 128)
                ok = self.mr_verify.verify(data, 128, len(data) - 128)
                out[0] = 1 if ok else 0
                out[1:1 + count] = sig[:count]
                n = 1 + count
            else:
                ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)
        except CryptoException as exc:
            ISOException.throwIt(0x6F00 | exc.getReason())
        buf[0:n] = out[:n]
        apdu.setOutgoingAndSend(0, n)


def _send(sim, ins, data=b""):
    lc = bytes((len(data),)) + data if data else b""
    response = sim.transmit(bytes((0x80, ins, 0, 0)) + lc + b"\x00")
    assert response.sw == 0x9000, f"{response.sw:04X}"
    return bytes(response.data)


@pytest.fixture
def card():
    sim = Simulator()
    sim.install(PythonAlgorithmsApplet, AID)
    assert sim.select(AID).sw == 0x9000
    return sim


def _check(sim):
    curve = ec_curves.SECP160R1
    w = _send(sim, INS_EC_PUBLIC)
    public = _ec_soft.public_from_encoded(curve, w)
    der = _send(sim, INS_ECDSA, b"to be signed")
    public.verify(der, hashlib.sha1(b"to be signed").digest(),
                  ec.ECDSA(utils.Prehashed(hashes.SHA1())))  # InvalidSignature if it fails
    host = _ec_soft.SoftPrivateKey(curve, 0x1234567)
    peer = host.public_key().point
    encoded = b"\x04" + peer[0].to_bytes(20, "big") + peer[1].to_bytes(20, "big")
    shared = _send(sim, INS_ECDH, encoded)
    assert shared == host.exchange(None, public)
    assert _send(sim, INS_RIPEMD, b"abc") == RIPEMD160Context(b"abc").digest()
    message = bytes(range(150))
    answer = _send(sim, INS_MR_SIGN, message)
    count, signature = answer[0], answer[1:]
    assert count == 106 and len(signature) == 128
    verdict = _send(sim, INS_MR_VERIFY, signature + message[count:])
    assert verdict[0] == 1 and verdict[1:] == message[:count]
    tampered = _send(sim, INS_MR_VERIFY, signature + message[count:-1] + b"\x00")
    assert tampered[0] == 0
    return w


def test_an_applet_uses_them_and_keeps_its_keys_across_an_image_and_a_reset(card, tmp_path):
    w = _check(card)
    path = tmp_path / "card.jcimg"
    card.save(path)
    loaded = Simulator.load(path)
    assert loaded.select(AID).sw == 0x9000
    assert _check(loaded) == w  # the same key pair, still working
    loaded.reset()
    assert loaded.select(AID).sw == 0x9000
    assert _check(loaded) == w
