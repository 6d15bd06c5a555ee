"""DSA, DH and Korean SEED keys from KeyBuilder; SEED ciphers against RFC 4269; KeyEncryption
keys; and the algorithms that stay NO_SUCH_ALGORITHM (ISO 9796-2 message recovery, RIPEMD-160,
AES MACs with 192/256-bit blocks)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import dsa

from jcsim.crypto import Cipher, KeyEncryption
from jcsim.framework import ByteArray
from jcsim.security import (
    CryptoException,
    DHPrivateKey,
    DHPublicKey,
    DSAPrivateKey,
    DSAPublicKey,
    KeyAgreement,
    KeyBuilder,
    KoreanSEEDKey,
    Signature,
)


def reason(call, *args) -> int:
    with pytest.raises(CryptoException) as info:
        call(*args)
    return info.value.getReason()


@pytest.mark.parametrize(("key_type", "cls", "length"), [
    (KeyBuilder.TYPE_DSA_PUBLIC, DSAPublicKey, 1024),
    (KeyBuilder.TYPE_DSA_PRIVATE_TRANSIENT_RESET, DSAPrivateKey, 512),
    (KeyBuilder.TYPE_DH_PUBLIC, DHPublicKey, 2048),
    (KeyBuilder.TYPE_DH_PRIVATE_TRANSIENT_DESELECT, DHPrivateKey, 1024),
    (KeyBuilder.TYPE_KOREAN_SEED, KoreanSEEDKey, 128),
])
def test_key_builder_builds_the_finite_field_and_seed_keys(key_type, cls, length):
    key = KeyBuilder.buildKey(key_type, length, False)
    assert isinstance(key, cls) and key.getSize() == length and not key.isInitialized()
    assert reason(KeyBuilder.buildKey, key_type, length + 8, False) == \
        CryptoException.NO_SUCH_ALGORITHM


def test_dsa_key_components_round_trip_and_initialize_the_key():
    numbers = dsa.generate_private_key(1024).private_numbers()
    params = numbers.public_numbers.parameter_numbers
    key = KeyBuilder.buildKey(KeyBuilder.ALG_TYPE_DSA_PRIVATE, 0, 1024, False)
    for setter, value in ((key.setP, params.p), (key.setQ, params.q), (key.setG, params.g)):
        data = value.to_bytes((value.bit_length() + 7) // 8, "big")
        setter(ByteArray(data), 0, len(data))
    assert not key.isInitialized()
    x = numbers.x.to_bytes(20, "big")
    key.setX(ByteArray(x), 0, 20)
    assert key.isInitialized()
    out = ByteArray(128)
    n = key.getQ(out, 0)
    assert int.from_bytes(bytes(out[:n]), "big") == params.q
    n = key.getX(out, 0)
    assert int.from_bytes(bytes(out[:n]), "big") == numbers.x
    key.clearKey()
    assert not key.isInitialized()
    assert reason(key.getP, out, 0) == CryptoException.UNINITIALIZED_KEY
    assert reason(key.setP, ByteArray(129), 0, 129) == CryptoException.ILLEGAL_VALUE


def test_seed_ecb_matches_rfc_4269(vectors):
    for case in vectors.load("seed")["ecb"]:
        key_bytes, plain, cipher_text = vectors.unhex(case, "key", "plaintext", "ciphertext")
        key = KeyBuilder.buildKey(KeyBuilder.TYPE_KOREAN_SEED, 128, False)
        key.setKey(ByteArray(key_bytes), 0)
        cipher = Cipher.getInstance(Cipher.ALG_KOREAN_SEED_ECB_NOPAD, False)
        cipher.init(key, Cipher.MODE_ENCRYPT)
        out = ByteArray(16)
        assert cipher.doFinal(ByteArray(plain), 0, 16, out, 0) == 16
        assert bytes(out) == cipher_text
        cipher.init(key, Cipher.MODE_DECRYPT)
        cipher.doFinal(ByteArray(cipher_text), 0, 16, out, 0)
        assert bytes(out) == plain


def test_seed_cbc_chains_and_round_trips():
    key = KeyBuilder.buildKey(KeyBuilder.TYPE_KOREAN_SEED_TRANSIENT_RESET, 128, False)
    key.setKey(ByteArray(bytes(range(16))), 0)
    ecb = Cipher.getInstance(Cipher.ALG_KOREAN_SEED_ECB_NOPAD, False)
    cbc = Cipher.getInstance(Cipher.ALG_KOREAN_SEED_CBC_NOPAD, False)
    ecb.init(key, Cipher.MODE_ENCRYPT)
    cbc.init(key, Cipher.MODE_ENCRYPT)
    plain = bytes(range(32))
    first, chained = ByteArray(16), ByteArray(32)
    ecb.doFinal(ByteArray(plain[:16]), 0, 16, first, 0)  # zero IV: block 1 is plain ECB
    cbc.doFinal(ByteArray(plain), 0, 32, chained, 0)
    assert bytes(chained[:16]) == bytes(first)
    second = ByteArray(16)
    xored = bytes(a ^ b for a, b in zip(plain[16:], bytes(first)))
    ecb.doFinal(ByteArray(xored), 0, 16, second, 0)
    assert bytes(chained[16:]) == bytes(second)
    assert reason(cbc.init, KeyBuilder.buildKey(KeyBuilder.TYPE_AES, 128, False),
                  Cipher.MODE_ENCRYPT) == CryptoException.ILLEGAL_VALUE


def test_a_key_encryption_key_decrypts_its_key_data_with_the_key_cipher():
    transport = KeyBuilder.buildKey(KeyBuilder.TYPE_AES, 128, False)
    transport.setKey(ByteArray(bytes(range(16))), 0)
    unwrap = Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_ECB_NOPAD, False)
    unwrap.init(transport, Cipher.MODE_DECRYPT)
    wrap = Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_ECB_NOPAD, False)
    wrap.init(transport, Cipher.MODE_ENCRYPT)
    secret = bytes(range(0x40, 0x50))
    wrapped = ByteArray(16)
    wrap.doFinal(ByteArray(secret), 0, 16, wrapped, 0)
    key = KeyBuilder.buildKey(KeyBuilder.TYPE_KOREAN_SEED, 128, True)
    assert isinstance(key, KeyEncryption) and isinstance(key, KoreanSEEDKey)
    assert key.getKeyCipher() is None
    key.setKeyCipher(unwrap)
    key.setKey(wrapped, 0)
    out = ByteArray(16)
    key.getKey(out, 0)
    assert bytes(out) == secret
    assert reason(KeyBuilder.buildKey, KeyBuilder.TYPE_HMAC, 128, True) == \
        CryptoException.NO_SUCH_ALGORITHM


def test_what_jcsim_does_not_provide_is_no_such_algorithm():
    for algorithm in (Signature.ALG_AES_MAC_192_NOPAD,):
        assert reason(Signature.getInstance, algorithm, False) == \
            CryptoException.NO_SUCH_ALGORITHM
    assert isinstance(KeyAgreement.getInstance(KeyAgreement.ALG_DH_PLAIN, False), KeyAgreement)


def test_the_seed_cbc_mac_is_the_last_seed_cbc_block(vectors):
    from cryptography.hazmat.decrepit.ciphers.algorithms import SEED
    from cryptography.hazmat.primitives.ciphers import Cipher as HostCipher
    from cryptography.hazmat.primitives.ciphers import modes

    case = vectors.load("seed")["ecb"][2]
    key_bytes, = vectors.unhex(case, "key")
    key = KeyBuilder.buildKey(KeyBuilder.TYPE_KOREAN_SEED, 128, False)
    key.setKey(ByteArray(key_bytes), 0)
    message = bytes(range(48))
    mac = Signature.getInstance(Signature.ALG_KOREAN_SEED_MAC_NOPAD, False)
    mac.init(key, Signature.MODE_SIGN)
    out = ByteArray(16)
    assert mac.sign(ByteArray(message), 0, 48, out, 0) == 16
    host = HostCipher(SEED(key_bytes), modes.CBC(bytes(16))).encryptor()
    assert bytes(out) == (host.update(message) + host.finalize())[-16:]
    mac.init(key, Signature.MODE_VERIFY)
    assert mac.verify(ByteArray(message), 0, 48, out, 0, 16)
    assert reason(mac.init, KeyBuilder.buildKey(KeyBuilder.TYPE_AES, 128, False),
                  Signature.MODE_SIGN) == CryptoException.ILLEGAL_VALUE
