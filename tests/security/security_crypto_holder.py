"""A test applet that keeps one of every kind of crypto object in its fields, with a command
that uses each: the subject of the card-image and reset tests.

Fixed key material for the secret keys (so the host can compute the expected answers); the RSA
and EC pairs are generated on the card at install and read back with INS_PUBLIC. A
CryptoException escaping a command answers 6F0r, r being its reason.
"""

from __future__ import annotations

from jcsim import Response, Simulator
from jcsim.crypto import AEADCipher, Cipher
from jcsim.framework import ISO7816, Applet, ISOException
from jcsim.security import (
    Checksum,
    CryptoException,
    KeyAgreement,
    KeyBuilder,
    KeyPair,
    MessageDigest,
    RandomData,
    Signature,
    ec_curves,
)

HOLDER_AID = "F0 00 00 00 0C 01"

AES_KEY = bytes(range(16))
DES_KEY = bytes(range(0x20, 0x30))  # 2-key triple DES: the retail MAC needs one
HMAC_KEY = bytes(range(0x40, 0x60))
TRANSIENT_KEY = bytes(range(0x80, 0x90))
CBC_IV = bytes(range(0xA0, 0xB0))  # given to init; a reset puts the IV back to zeros
MAC_IV = bytes(range(0xB0, 0xB8))
GCM_NONCE = bytes(range(0xC0, 0xCC))  # likewise: after a reset GCM uses 12 zero bytes
CCM_NONCE = bytes(range(0xD0, 0xDB))  # CCM has no default: it keeps this one
CCM_MESSAGE_LENGTH = 16
CRC_INITIAL = b"\xff\xff\xff\xff"
RANDOM_SEED = b"holder seed"
SW_CRYPTO = 0x6F00

# Each command's input is its command data; its output is the response data.
INS_AES_CBC = 0x10  # cipher_aes.doFinal
INS_AES_CBC_UPDATE = 0x11  # cipher_aes.update: leaves a partial operation behind
INS_AES_CBC_REINIT = 0x12  # cipher_aes.init(aes, ENCRYPT, CBC_IV)
INS_RSA_ENCRYPT = 0x13  # cipher_rsa (PKCS#1 block type 1 with the modulus/exponent private key)
INS_TRANSIENT_ECB = 0x14  # cipher_transient: AES-ECB with the CLEAR_ON_RESET key
INS_UNINITIALIZED = 0x15  # cipher_never_initialized.doFinal
INS_GCM = 0x16  # gcm.doFinal, then the 16-byte tag
INS_GCM_REINIT = 0x17  # gcm.init(aes, ENCRYPT, GCM_NONCE)
INS_CCM = 0x18  # ccm.doFinal of exactly 16 bytes, then the 16-byte tag
INS_HMAC = 0x20  # sig_hmac.sign
INS_HMAC_UPDATE = 0x21  # sig_hmac.update
INS_CMAC = 0x22
INS_RETAIL_MAC = 0x23  # DES MAC8 ISO 9797-1 M2 algorithm 3, initialized with MAC_IV
INS_RSA_SIGN = 0x24  # RSA SHA-256 PKCS#1 with the CRT private key
INS_ECDSA_SIGN = 0x25
INS_SHA256 = 0x30  # digest.doFinal
INS_SHA256_UPDATE = 0x31
INS_RESUMED_SHA256 = 0x32  # resumed_digest.doFinal
INS_RESUME = 0x33  # resumed_digest.setInitialDigest(data[:32], length data[32:])
INS_RANDOM = 0x40  # P2 bytes from the seeded pseudo-random generator
INS_RANDOM_SECURE = 0x41  # P2 bytes from the secure generator
INS_ECDH = 0x50  # agreement.generateSecret(peer point)
INS_CRC32 = 0x60  # checksum.doFinal
INS_CRC32_START = 0x61  # checksum.init(CRC_INITIAL) and update
INS_PUBLIC = 0x70  # P1 0: RSA CRT pair's modulus, 1: RSA pair's modulus, 2: EC W, 3: curve G
INS_KEY_STATE = 0x71  # one byte per key: 1 if initialized
INS_SET_TRANSIENT = 0x72  # set both transient keys (a CLEAR_ON_DESELECT key is cleared at select)

KEY_NAMES = ("aes", "des", "hmac", "transient", "transient_deselect", "rsa_crt_public",
             "rsa_crt_private", "rsa_public", "rsa_private", "ec_public", "ec_private")


class CryptoHolder(Applet):
    """Every crypto object an applet can keep, each initialized at install."""

    def __init__(self) -> None:
        self.aes = KeyBuilder.buildKey(KeyBuilder.TYPE_AES, KeyBuilder.LENGTH_AES_128, False)
        self.aes.setKey(AES_KEY, 0)
        self.des = KeyBuilder.buildKey(KeyBuilder.TYPE_DES, KeyBuilder.LENGTH_DES3_2KEY, False)
        self.des.setKey(DES_KEY, 0)
        self.hmac = KeyBuilder.buildKey(KeyBuilder.TYPE_HMAC, 256, False)
        self.hmac.setKey(HMAC_KEY, 0, len(HMAC_KEY))
        self.transient = KeyBuilder.buildKey(KeyBuilder.TYPE_AES_TRANSIENT_RESET, 128, False)
        self.transient_deselect = KeyBuilder.buildKey(KeyBuilder.TYPE_DES_TRANSIENT_DESELECT,
                                                      64, False)
        self.rsa_crt = KeyPair(KeyPair.ALG_RSA_CRT, KeyBuilder.LENGTH_RSA_512)
        self.rsa_crt.genKeyPair()
        self.rsa = KeyPair(KeyPair.ALG_RSA, KeyBuilder.LENGTH_RSA_512)
        self.rsa.genKeyPair()
        self.ec = KeyPair(KeyPair.ALG_EC_FP, KeyBuilder.LENGTH_EC_FP_256)
        self.ec.genKeyPair()
        self.curve = ec_curves.P256

        self.cipher_aes = Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_CBC_NOPAD, False)
        self.cipher_aes.init(self.aes, Cipher.MODE_ENCRYPT, CBC_IV, 0, len(CBC_IV))
        self.cipher_rsa = Cipher.getInstance(Cipher.ALG_RSA_PKCS1, False)
        self.cipher_rsa.init(self.rsa.getPrivate(), Cipher.MODE_ENCRYPT)
        self.cipher_transient = Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_ECB_NOPAD, False)
        self.cipher_never_initialized = Cipher.getInstance(Cipher.ALG_DES_ECB_NOPAD, False)
        self.gcm = Cipher.getInstance(AEADCipher.ALG_AES_GCM, False)
        self.gcm.init(self.aes, Cipher.MODE_ENCRYPT, GCM_NONCE, 0, len(GCM_NONCE))
        self.ccm = Cipher.getInstance(AEADCipher.ALG_AES_CCM, False)
        self.ccm.init(self.aes, Cipher.MODE_ENCRYPT, CCM_NONCE, 0, len(CCM_NONCE), 0,
                      CCM_MESSAGE_LENGTH, 16)

        self.sig_hmac = Signature.getInstance(Signature.ALG_HMAC_SHA_256, False)
        self.sig_hmac.init(self.hmac, Signature.MODE_SIGN)
        self.sig_cmac = Signature.getInstance(Signature.ALG_AES_CMAC_128, False)
        self.sig_cmac.init(self.aes, Signature.MODE_SIGN)
        self.sig_retail = Signature.getInstance(Signature.ALG_DES_MAC8_ISO9797_1_M2_ALG3, False)
        self.sig_retail.init(self.des, Signature.MODE_SIGN, MAC_IV, 0, len(MAC_IV))
        self.sig_rsa = Signature.getInstance(Signature.ALG_RSA_SHA_256_PKCS1, False)
        self.sig_rsa.init(self.rsa_crt.getPrivate(), Signature.MODE_SIGN)
        self.sig_ecdsa = Signature.getInstance(Signature.ALG_ECDSA_SHA_256, False)
        self.sig_ecdsa.init(self.ec.getPrivate(), Signature.MODE_SIGN)

        self.digest = MessageDigest.getInstance(MessageDigest.ALG_SHA_256, False)
        self.resumed_digest = MessageDigest.getInitializedMessageDigestInstance(
            MessageDigest.ALG_SHA_256, False)
        self.random = RandomData.getInstance(RandomData.ALG_PSEUDO_RANDOM)
        self.random.setSeed(RANDOM_SEED, 0, len(RANDOM_SEED))
        self.random_secure = RandomData.getInstance(RandomData.ALG_SECURE_RANDOM)
        self.agreement = KeyAgreement.getInstance(KeyAgreement.ALG_EC_SVDP_DH_PLAIN, False)
        self.agreement.init(self.ec.getPrivate())
        self.checksum = Checksum.getInstance(Checksum.ALG_ISO3309_CRC32, False)

    def process(self, apdu):
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        ins, p1, p2 = buf[ISO7816.OFFSET_INS], buf[ISO7816.OFFSET_P1], buf[ISO7816.OFFSET_P2]
        length = apdu.setIncomingAndReceive()
        data = bytes(buf[ISO7816.OFFSET_CDATA:ISO7816.OFFSET_CDATA + length])
        try:
            out = self._run(ins, p1, p2, data)
        except CryptoException as exc:
            ISOException.throwIt(SW_CRYPTO | exc.getReason())
        buf[0:len(out)] = out
        apdu.setOutgoingAndSend(0, len(out))

    def _run(self, ins: int, p1: int, p2: int, data: bytes) -> bytes:
        out = bytearray(512)
        n = len(data)
        if ins == INS_AES_CBC:
            return out[:self.cipher_aes.doFinal(data, 0, n, out, 0)]
        if ins == INS_AES_CBC_UPDATE:
            return out[:self.cipher_aes.update(data, 0, n, out, 0)]
        if ins == INS_AES_CBC_REINIT:
            self.cipher_aes.init(self.aes, Cipher.MODE_ENCRYPT, CBC_IV, 0, len(CBC_IV))
            return b""
        if ins == INS_RSA_ENCRYPT:
            return out[:self.cipher_rsa.doFinal(data, 0, n, out, 0)]
        if ins == INS_TRANSIENT_ECB:
            return out[:self.cipher_transient.doFinal(data, 0, n, out, 0)]
        if ins == INS_UNINITIALIZED:
            return out[:self.cipher_never_initialized.doFinal(data, 0, n, out, 0)]
        if ins in (INS_GCM, INS_CCM):
            aead = self.gcm if ins == INS_GCM else self.ccm
            count = aead.doFinal(data, 0, n, out, 0)
            count += aead.retrieveTag(out, count, 16)
            return out[:count]
        if ins == INS_GCM_REINIT:
            self.gcm.init(self.aes, Cipher.MODE_ENCRYPT, GCM_NONCE, 0, len(GCM_NONCE))
            return b""
        signatures = {INS_HMAC: self.sig_hmac, INS_CMAC: self.sig_cmac,
                      INS_RETAIL_MAC: self.sig_retail, INS_RSA_SIGN: self.sig_rsa,
                      INS_ECDSA_SIGN: self.sig_ecdsa}
        if ins in signatures:
            return out[:signatures[ins].sign(data, 0, n, out, 0)]
        if ins == INS_HMAC_UPDATE:
            self.sig_hmac.update(data, 0, n)
            return b""
        if ins == INS_SHA256:
            return out[:self.digest.doFinal(data, 0, n, out, 0)]
        if ins == INS_SHA256_UPDATE:
            self.digest.update(data, 0, n)
            return b""
        if ins == INS_RESUMED_SHA256:
            return out[:self.resumed_digest.doFinal(data, 0, n, out, 0)]
        if ins == INS_RESUME:
            self.resumed_digest.setInitialDigest(data, 0, 32, data, 32, n - 32)
            return b""
        if ins in (INS_RANDOM, INS_RANDOM_SECURE):
            generator = self.random if ins == INS_RANDOM else self.random_secure
            generator.nextBytes(out, 0, p2)
            return out[:p2]
        if ins == INS_ECDH:
            return out[:self.agreement.generateSecret(data, 0, n, out, 0)]
        if ins == INS_CRC32:
            return out[:self.checksum.doFinal(data, 0, n, out, 0)]
        if ins == INS_CRC32_START:
            self.checksum.init(CRC_INITIAL, 0, len(CRC_INITIAL))
            self.checksum.update(data, 0, n)
            return b""
        if ins == INS_PUBLIC:
            if p1 == 0:
                return out[:self.rsa_crt.getPublic().getModulus(out, 0)]
            if p1 == 1:
                return out[:self.rsa.getPublic().getModulus(out, 0)]
            if p1 == 2:
                return out[:self.ec.getPublic().getW(out, 0)]
            return self.curve.G
        if ins == INS_SET_TRANSIENT:
            self.transient.setKey(TRANSIENT_KEY, 0)
            self.transient_deselect.setKey(DES_KEY, 0)
            self.cipher_transient.init(self.transient, Cipher.MODE_ENCRYPT)
            return b""
        if ins == INS_KEY_STATE:
            return bytes(1 if self._key(name).isInitialized() else 0 for name in KEY_NAMES)
        ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)
        return b""

    def _key(self, name: str):
        pairs = {"rsa_crt": self.rsa_crt, "rsa": self.rsa, "ec": self.ec}
        pair_name, _, part = name.rpartition("_")
        if pair_name in pairs:
            pair = pairs[pair_name]
            return pair.getPublic() if part == "public" else pair.getPrivate()
        return getattr(self, name)


def send(sim: Simulator, ins: int, data: bytes = b"", p1: int = 0, p2: int = 0) -> Response:
    """One CLA 80 command to the selected holder; returns the ``Response``."""
    lc = bytes((len(data),)) + data if data else b""
    return sim.transmit(bytes((0x80, ins, p1, p2)) + lc + b"\x00")


def install_holder() -> Simulator:
    """A powered card with the holder installed and selected, its transient keys set."""
    sim = Simulator()
    sim.install(CryptoHolder, HOLDER_AID)
    assert sim.select(HOLDER_AID).sw == 0x9000
    assert send(sim, INS_SET_TRANSIENT).sw == 0x9000
    return sim
