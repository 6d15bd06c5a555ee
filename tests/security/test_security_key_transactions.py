"""Key material and transactions: material set inside an aborted transaction, or inside one a
tear interrupts, is rolled back; transient key material and the working state of crypto engines
never take part in a transaction (JCRE 3.0.5 §7.7; the Cipher / Signature class notes)."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher as HostCipher
from cryptography.hazmat.primitives.ciphers import algorithms, modes
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from jcsim import Simulator
from jcsim.crypto import Cipher
from jcsim.errors import CardTornError
from jcsim.framework import ISO7816, Applet, ISOException, JCSystem
from jcsim.security import (
    CryptoException,
    KeyAgreement,
    KeyBuilder,
    KeyPair,
    Signature,
    ec_curves,
)
from jcsim.testing import tear_hook, tear_sweep

VAULT_AID = "F0 00 00 00 0D 01"
SW_CRYPTO = 0x6F00
HOOK = "key-set"

INS_ENCRYPT = 0x10  # AES-ECB of the data with the persistent AES key
INS_REPLACE = 0x20  # P1 family: begin, set the data as its material, end as P2 says
INS_READ = 0x21  # P1 family: the material, as the key's getters give it
INS_REPLACE_CRT = 0x30  # P2 ending: begin, set P, Q, DP1, DQ1, PQ from the data, end
INS_RSA_SIGN = 0x31  # RSA SHA-256 PKCS#1 with the CRT private key
INS_RSA_MODULUS = 0x32
INS_MAC_UPDATE_ABORTED = 0x40  # begin, HMAC update with the data, abort
INS_MAC = 0x41  # HMAC sign
INS_AGREE_REINIT_ABORTED = 0x50  # begin, agreement.init(another private key), abort
INS_AGREE = 0x51  # ECDH secret with the data as the peer's point

END_ABORT, END_COMMIT, END_TEAR = 0, 1, 2

# Key families, by P1: the material set at install, and the material a transaction tries.
AES, DES, HMAC, RSA_PUBLIC, EC_PRIVATE, NEVER_SET, TRANSIENT = range(7)
OLD = {
    AES: bytes(range(16)),
    DES: bytes(range(0x10, 0x28)),
    HMAC: bytes(range(0x30, 0x50)),
    RSA_PUBLIC: b"\xc3" + bytes(range(1, 63)) + b"\x01" + b"\x01\x00\x01",
    EC_PRIVATE: b"\x11" * 32,
    TRANSIENT: bytes(range(0x60, 0x70)),
}
NEW = {
    AES: bytes(range(0x80, 0x90)),
    DES: bytes(range(0x90, 0xA8)),
    HMAC: bytes(range(0xB0, 0xC4)),
    RSA_PUBLIC: b"\xd5" + bytes(range(2, 64)) + b"\x03" + b"\x03",
    EC_PRIVATE: b"\x22" * 32,
    NEVER_SET: bytes(range(0xC0, 0xD0)),
    TRANSIENT: bytes(range(0xD0, 0xE0)),
}
OTHER_EC_SCALAR = b"\x33" * 32
MODULUS_LENGTH = 64


class KeyVault(Applet):
    """A key of each family, and the engines that use them."""

    def __init__(self) -> None:
        self.aes = KeyBuilder.buildKey(KeyBuilder.TYPE_AES, 128, False)
        self.des = KeyBuilder.buildKey(KeyBuilder.TYPE_DES, 192, False)
        self.hmac = KeyBuilder.buildKey(KeyBuilder.TYPE_HMAC, 256, False)
        self.rsa_public = KeyBuilder.buildKey(KeyBuilder.TYPE_RSA_PUBLIC, 512, False)
        self.ec_private = KeyBuilder.buildKey(KeyBuilder.TYPE_EC_FP_PRIVATE, 256, False)
        ec_curves.set_domain_parameters(self.ec_private, ec_curves.P256)
        self.never_set = KeyBuilder.buildKey(KeyBuilder.TYPE_AES, 128, False)
        self.transient = KeyBuilder.buildKey(KeyBuilder.TYPE_AES_TRANSIENT_RESET, 128, False)
        for family, material in OLD.items():
            self._set(family, material)
        self.other_ec = KeyBuilder.buildKey(KeyBuilder.TYPE_EC_FP_PRIVATE, 256, False)
        ec_curves.set_domain_parameters(self.other_ec, ec_curves.P256)
        self.other_ec.setS(OTHER_EC_SCALAR, 0, 32)

        self.cipher = Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_ECB_NOPAD, False)
        self.cipher.init(self.aes, Cipher.MODE_ENCRYPT)
        self.crt = KeyPair(KeyPair.ALG_RSA_CRT, 512)
        self.crt.genKeyPair()
        self.signer = Signature.getInstance(Signature.ALG_RSA_SHA_256_PKCS1, False)
        self.signer.init(self.crt.getPrivate(), Signature.MODE_SIGN)
        self.mac = Signature.getInstance(Signature.ALG_HMAC_SHA_256, False)
        self.mac.init(self.hmac, Signature.MODE_SIGN)
        self.agreement = KeyAgreement.getInstance(KeyAgreement.ALG_EC_SVDP_DH_PLAIN, False)
        self.agreement.init(self.ec_private)

    def _key(self, family: int):
        return (self.aes, self.des, self.hmac, self.rsa_public, self.ec_private,
                self.never_set, self.transient)[family]

    def _set(self, family: int, data: bytes) -> None:
        key = self._key(family)
        if family == HMAC:
            key.setKey(data, 0, len(data))
        elif family == RSA_PUBLIC:
            key.setModulus(data, 0, MODULUS_LENGTH)
            key.setExponent(data, MODULUS_LENGTH, len(data) - MODULUS_LENGTH)
        elif family == EC_PRIVATE:
            key.setS(data, 0, len(data))
        else:
            key.setKey(data, 0)

    def _read(self, family: int) -> bytes:
        key, out = self._key(family), bytearray(128)
        if family == RSA_PUBLIC:
            n = key.getModulus(out, 0)
            return bytes(out[:n + key.getExponent(out, n)])
        if family == EC_PRIVATE:
            return bytes(out[:key.getS(out, 0)])
        return bytes(out[:key.getKey(out, 0)])

    @staticmethod
    def _end(ending: int) -> None:
        if ending == END_ABORT:
            JCSystem.abortTransaction()
            return
        if ending == END_TEAR:
            tear_hook(HOOK)
        JCSystem.commitTransaction()

    def process(self, apdu):
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        ins, p1, p2 = buf[ISO7816.OFFSET_INS], buf[ISO7816.OFFSET_P1], buf[ISO7816.OFFSET_P2]
        length = apdu.setIncomingAndReceive()
        data = bytes(buf[ISO7816.OFFSET_CDATA:ISO7816.OFFSET_CDATA + length])
        out = bytearray(256)
        try:
            if ins == INS_ENCRYPT:
                result = bytes(out[:self.cipher.doFinal(data, 0, len(data), out, 0)])
            elif ins == INS_REPLACE:
                JCSystem.beginTransaction()
                self._set(p1, data)
                self._end(p2)
                result = b""
            elif ins == INS_READ:
                result = self._read(p1)
            elif ins == INS_REPLACE_CRT:
                JCSystem.beginTransaction()
                private, size = self.crt.getPrivate(), len(data) // 5
                for index, setter in enumerate((private.setP, private.setQ, private.setDP1,
                                                private.setDQ1, private.setPQ)):
                    setter(data, index * size, size)
                self._end(p2)
                result = b""
            elif ins == INS_RSA_SIGN:
                result = bytes(out[:self.signer.sign(data, 0, len(data), out, 0)])
            elif ins == INS_RSA_MODULUS:
                result = bytes(out[:self.crt.getPublic().getModulus(out, 0)])
            elif ins == INS_MAC_UPDATE_ABORTED:
                JCSystem.beginTransaction()
                self.mac.update(data, 0, len(data))
                JCSystem.abortTransaction()
                result = b""
            elif ins == INS_MAC:
                result = bytes(out[:self.mac.sign(data, 0, len(data), out, 0)])
            elif ins == INS_AGREE_REINIT_ABORTED:
                JCSystem.beginTransaction()
                self.agreement.init(self.other_ec)
                JCSystem.abortTransaction()
                result = b""
            elif ins == INS_AGREE:
                result = bytes(out[:self.agreement.generateSecret(data, 0, len(data), out, 0)])
            else:
                ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)
        except CryptoException as exc:
            if JCSystem.getTransactionDepth():
                JCSystem.abortTransaction()
            ISOException.throwIt(SW_CRYPTO | exc.getReason())
        buf[0:len(result)] = result
        apdu.setOutgoingAndSend(0, len(result))


def command(ins: int, data: bytes = b"", p1: int = 0, p2: int = 0) -> bytes:
    return bytes((0x80, ins, p1, p2)) + (bytes((len(data),)) + data if data else b"") + b"\x00"


def ok(sim: Simulator, ins: int, data: bytes = b"", p1: int = 0, p2: int = 0) -> bytes:
    response = sim.transmit(command(ins, data, p1, p2))
    assert response.sw == 0x9000, f"INS {ins:02X} answered {response.sw:04X}"
    return response.data


@pytest.fixture
def vault() -> Simulator:
    sim = Simulator()
    sim.install(KeyVault, VAULT_AID)
    assert sim.select(VAULT_AID).sw == 0x9000
    return sim


def aes_ecb(key: bytes, block: bytes) -> bytes:
    return HostCipher(algorithms.AES(key), modes.ECB()).encryptor().update(block)


BLOCK = bytes(range(0xE0, 0xF0))
PERSISTENT = (AES, DES, HMAC, RSA_PUBLIC, EC_PRIVATE)


def test_an_aborted_set_key_leaves_the_old_key_encrypting_as_before(vault):
    before = ok(vault, INS_ENCRYPT, BLOCK)
    assert before == aes_ecb(OLD[AES], BLOCK)
    ok(vault, INS_REPLACE, NEW[AES], AES, END_ABORT)
    assert ok(vault, INS_ENCRYPT, BLOCK) == before
    assert ok(vault, INS_READ, p1=AES) == OLD[AES]


@pytest.mark.parametrize("family", PERSISTENT)
def test_key_material_set_in_an_aborted_transaction_is_rolled_back(vault, family):
    ok(vault, INS_REPLACE, NEW[family], family, END_ABORT)
    assert ok(vault, INS_READ, p1=family) == OLD[family]


@pytest.mark.parametrize("family", PERSISTENT)
def test_key_material_set_in_a_committed_transaction_stays(vault, family):
    ok(vault, INS_REPLACE, NEW[family], family, END_COMMIT)
    assert ok(vault, INS_READ, p1=family) == NEW[family]
    if family == AES:
        assert ok(vault, INS_ENCRYPT, BLOCK) == aes_ecb(NEW[AES], BLOCK)


def test_a_key_first_set_in_an_aborted_transaction_is_uninitialized_again(vault):
    ok(vault, INS_REPLACE, NEW[NEVER_SET], NEVER_SET, END_ABORT)
    sw = vault.transmit(command(INS_READ, p1=NEVER_SET)).sw
    assert sw == SW_CRYPTO | CryptoException.UNINITIALIZED_KEY


def test_transient_key_material_is_never_rolled_back(vault):
    # JCRE §7.7: updates to transient objects are never undone, inside a transaction or not.
    ok(vault, INS_REPLACE, NEW[TRANSIENT], TRANSIENT, END_ABORT)
    assert ok(vault, INS_READ, p1=TRANSIENT) == NEW[TRANSIENT]


@pytest.mark.parametrize("family", PERSISTENT)
def test_a_tear_during_a_transaction_setting_a_key_rolls_it_back_at_power_up(vault, family):
    before = ok(vault, INS_ENCRYPT, BLOCK)
    vault.arm_tear(at_hook=HOOK)
    with pytest.raises(CardTornError):
        vault.transmit(command(INS_REPLACE, NEW[family], family, END_TEAR))
    vault.power_on()
    assert vault.select(VAULT_AID).sw == 0x9000
    assert ok(vault, INS_READ, p1=family) == OLD[family]
    assert ok(vault, INS_ENCRYPT, BLOCK) == before


def _new_crt_key() -> tuple[bytes, bytes]:
    """A 512-bit CRT key made with jcsim's KeyPair on the host (cryptography refuses keys under
    1024 bits): its P, Q, DP1, DQ1 and PQ, 32 bytes each, and its modulus."""
    pair = KeyPair(KeyPair.ALG_RSA_CRT, 512)
    pair.genKeyPair()
    private, out = pair.getPrivate(), bytearray(64)
    components = b"".join(
        bytes(out[:getter(out, 0)]).rjust(32, b"\x00")
        for getter in (private.getP, private.getQ, private.getDP1, private.getDQ1,
                       private.getPQ))
    return components, bytes(out[:pair.getPublic().getModulus(out, 0)])


def _public(modulus: bytes) -> rsa.RSAPublicKey:
    return rsa.RSAPublicNumbers(65537, int.from_bytes(modulus, "big")).public_key()


def _verifies(public: rsa.RSAPublicKey, signature: bytes, message: bytes) -> bool:
    try:
        public.verify(signature, message, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True


def test_a_tear_at_any_write_of_a_transaction_replacing_a_crt_key_leaves_the_old_key_whole(
        vault):
    old_public = _public(ok(vault, INS_RSA_MODULUS))
    components, new_modulus = _new_crt_key()
    message = b"signed after the tear"
    replace = command(INS_REPLACE_CRT, components, p2=END_COMMIT)

    def old_key_whole(sim: Simulator, point) -> None:
        assert sim.select(VAULT_AID).sw == 0x9000
        assert _verifies(old_public, ok(sim, INS_RSA_SIGN, message), message), point

    select = bytes.fromhex("00A4040006" + VAULT_AID.replace(" ", "") + "00")
    report = tear_sweep(vault, [select, replace], old_key_whole)
    assert report.writes_per_command[1] == 5  # one journaled write per component
    assert len(report.points) >= 6
    # Untorn, the same command does replace the key.
    vault.transmit(replace)
    assert _verifies(_public(new_modulus), ok(vault, INS_RSA_SIGN, message), message)


def test_the_working_state_of_an_engine_is_outside_transactions(vault):
    # "Even if a transaction is in progress, update of intermediate result state in the
    # implementation instance shall not participate in the transaction."
    ok(vault, INS_MAC_UPDATE_ABORTED, b"abc")
    assert ok(vault, INS_MAC, b"def") == hmac.new(OLD[HMAC], b"abcdef", hashlib.sha256).digest()


def test_a_key_agreement_init_in_an_aborted_transaction_is_undone(vault):
    # A KeyAgreement is an on-card Object: its key reference is a journaled field.
    peer = ec.generate_private_key(ec.SECP256R1())
    point = peer.public_key().public_bytes(Encoding.X962, PublicFormat.UncompressedPoint)
    ok(vault, INS_AGREE_REINIT_ABORTED)
    own = ec.derive_private_key(int.from_bytes(OLD[EC_PRIVATE], "big"), ec.SECP256R1())
    assert ok(vault, INS_AGREE, point) == peer.exchange(ec.ECDH(), own.public_key())
