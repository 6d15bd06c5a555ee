"""AES-GCM / AES-CCM against ``cryptography``'s AEAD, and every CryptoException reason of Cipher."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESCCM, AESGCM
from hypothesis import given, settings
from hypothesis import strategies as st

from jcsim.crypto import AEADCipher, Cipher
from jcsim.framework import ByteArray, CryptoException
from jcsim.security import KeyBuilder

SETTINGS = settings(max_examples=30, deadline=None)


def _aes(raw=bytes(range(16))):
    key = KeyBuilder.buildKey(KeyBuilder.TYPE_AES, len(raw) * 8, False)
    key.setKey(raw, 0)
    return key


def _reason(call, *args):
    with pytest.raises(CryptoException) as info:
        call(*args)
    return info.value.getReason()


@SETTINGS
@given(st.binary(min_size=16, max_size=16), st.binary(min_size=12, max_size=12),
       st.binary(max_size=40), st.binary(max_size=80))
def test_aes_gcm_matches_cryptography_both_ways(raw, nonce, aad, message):
    reference = AESGCM(raw).encrypt(nonce, message, aad)
    cipher = Cipher.getInstance(AEADCipher.ALG_AES_GCM, False)
    assert isinstance(cipher, AEADCipher)
    cipher.init(_aes(raw), Cipher.MODE_ENCRYPT, nonce, 0, 12)
    cipher.updateAAD(aad, 0, len(aad))
    out = ByteArray(len(message))
    half = len(message) // 2
    n = cipher.update(message, 0, half, out, 0)
    n += cipher.doFinal(message, half, len(message) - half, out, n)
    tag = ByteArray(16)
    assert cipher.retrieveTag(tag, 0, 16) == 16
    assert bytes(out[:n]) + bytes(tag) == reference
    cipher.init(_aes(raw), Cipher.MODE_DECRYPT, nonce, 0, 12)
    cipher.updateAAD(aad, 0, len(aad))
    back = ByteArray(len(message))
    cipher.doFinal(reference, 0, len(message), back, 0)
    assert bytes(back) == message
    assert cipher.verifyTag(reference, len(message), 16, 16)
    assert cipher.verifyTag(reference, len(message), 16, 12)
    forged = bytes(reference[len(message):][:-1]) + bytes([reference[-1] ^ 1])
    cipher.init(_aes(raw), Cipher.MODE_DECRYPT, nonce, 0, 12)
    cipher.updateAAD(aad, 0, len(aad))
    cipher.doFinal(reference, 0, len(message), back, 0)
    assert not cipher.verifyTag(forged, 0, 16, 16)


@SETTINGS
@given(st.binary(min_size=16, max_size=16), st.integers(7, 13).flatmap(
    lambda n: st.binary(min_size=n, max_size=n)), st.binary(max_size=30), st.binary(max_size=60),
    st.sampled_from([4, 8, 16]))
def test_aes_ccm_matches_cryptography_both_ways(raw, nonce, aad, message, tag_size):
    reference = AESCCM(raw, tag_size).encrypt(nonce, message, aad or None)
    cipher = Cipher.getInstance(AEADCipher.CIPHER_AES_CCM, Cipher.PAD_NULL, False)
    assert cipher.getAlgorithm() == AEADCipher.ALG_AES_CCM
    cipher.init(_aes(raw), Cipher.MODE_ENCRYPT, nonce, 0, len(nonce), len(aad), len(message),
                tag_size)
    cipher.updateAAD(aad, 0, len(aad))
    out = ByteArray(len(message))
    n = cipher.doFinal(message, 0, len(message), out, 0)
    tag = ByteArray(tag_size)
    cipher.retrieveTag(tag, 0, tag_size)
    assert bytes(out[:n]) + bytes(tag) == reference
    cipher.init(_aes(raw), Cipher.MODE_DECRYPT, nonce, 0, len(nonce), len(aad), len(message),
                tag_size)
    cipher.updateAAD(aad, 0, len(aad))
    back = ByteArray(len(message))
    cipher.doFinal(reference, 0, len(message), back, 0)
    assert bytes(back) == message
    assert cipher.verifyTag(reference, len(message), tag_size, tag_size)


def test_ccm_enforces_the_lengths_announced_at_init():
    cipher = Cipher.getInstance(AEADCipher.ALG_AES_CCM, False)
    assert _reason(cipher.init, _aes(), Cipher.MODE_ENCRYPT) == CryptoException.INVALID_INIT
    cipher.init(_aes(), Cipher.MODE_ENCRYPT, bytes(12), 0, 12, 2, 4, 16)
    out = ByteArray(8)
    assert _reason(cipher.doFinal, b"abcd", 0, 4, out, 0) == CryptoException.ILLEGAL_USE
    cipher.updateAAD(b"xy", 0, 2)
    assert _reason(cipher.updateAAD, b"z", 0, 1) == CryptoException.ILLEGAL_VALUE
    assert _reason(cipher.doFinal, b"abc", 0, 3, out, 0) == CryptoException.ILLEGAL_USE


def test_gcm_tag_is_only_available_after_do_final():
    cipher = Cipher.getInstance(AEADCipher.ALG_AES_GCM, False)
    cipher.init(_aes(), Cipher.MODE_ENCRYPT)
    tag = ByteArray(16)
    assert _reason(cipher.retrieveTag, tag, 0, 16) == CryptoException.ILLEGAL_USE
    cipher.doFinal(b"", 0, 0, tag, 0)
    assert _reason(cipher.retrieveTag, tag, 0, 3) == CryptoException.ILLEGAL_VALUE
    assert cipher.retrieveTag(tag, 0, 16) == 16
    assert _reason(cipher.verifyTag, tag, 0, 16, 16) == CryptoException.ILLEGAL_USE


@pytest.mark.parametrize("algorithm", [Cipher.ALG_RSA_ISO14888,
                                       Cipher.ALG_AES_BLOCK_192_CBC_NOPAD,
                                       Cipher.ALG_AES_BLOCK_256_ECB_NOPAD, 0, 99, -1])
def test_unsupported_cipher_algorithms_raise_no_such_algorithm(algorithm):
    assert _reason(Cipher.getInstance, algorithm, False) == CryptoException.NO_SUCH_ALGORITHM


def test_unsupported_cipher_and_padding_combinations_raise_no_such_algorithm():
    for cipher, pad in ((Cipher.CIPHER_AES_CBC, Cipher.PAD_PKCS1),
                        (Cipher.CIPHER_RSA, Cipher.PAD_PKCS1_OAEP_SHA3_256),
                        (Cipher.CIPHER_KOREAN_SEED_CBC, Cipher.PAD_PKCS1)):
        assert _reason(Cipher.getInstance, cipher, pad, False) == CryptoException.NO_SUCH_ALGORITHM


def test_java_signed_byte_constants_are_accepted():
    assert Cipher.getInstance(-13, False).getAlgorithm() == AEADCipher.ALG_AES_GCM


def test_cipher_misuse_raises_the_specified_reasons():
    cipher = Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_CBC_NOPAD, False)
    out = ByteArray(32)
    assert _reason(cipher.doFinal, bytes(16), 0, 16, out, 0) == CryptoException.INVALID_INIT
    empty = KeyBuilder.buildKey(KeyBuilder.TYPE_AES, 128, False)
    assert _reason(cipher.init, empty, Cipher.MODE_ENCRYPT) == CryptoException.UNINITIALIZED_KEY
    des = KeyBuilder.buildKey(KeyBuilder.TYPE_DES, 64, False)
    des.setKey(bytes(8), 0)
    assert _reason(cipher.init, des, Cipher.MODE_ENCRYPT) == CryptoException.ILLEGAL_VALUE
    assert _reason(cipher.init, _aes(), 3) == CryptoException.ILLEGAL_VALUE
    assert _reason(cipher.init, _aes(), Cipher.MODE_ENCRYPT, bytes(8), 0, 8) == (
        CryptoException.ILLEGAL_VALUE)
    cipher.init(_aes(), Cipher.MODE_ENCRYPT)
    assert _reason(cipher.doFinal, bytes(15), 0, 15, out, 0) == CryptoException.ILLEGAL_USE
    assert _reason(cipher.doFinal, bytes(0), 0, 0, out, 0) == CryptoException.ILLEGAL_USE
    ecb = Cipher.getInstance(Cipher.ALG_AES_ECB_PKCS5, False)
    ecb.init(_aes(), Cipher.MODE_DECRYPT)
    assert _reason(ecb.doFinal, bytes(16), 0, 16, out, 0) == CryptoException.ILLEGAL_USE


def test_a_cleared_key_makes_the_cipher_report_uninitialized_key():
    key = KeyBuilder.buildKey(KeyBuilder.TYPE_AES_TRANSIENT_RESET, 128, False)
    key.setKey(bytes(16), 0)
    cipher = Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_ECB_NOPAD, False)
    cipher.init(key, Cipher.MODE_ENCRYPT)
    key._jc_clear()  # what the card does to a CLEAR_ON_RESET key at reset
    assert _reason(cipher.doFinal, bytes(16), 0, 16, ByteArray(16), 0) == (
        CryptoException.UNINITIALIZED_KEY)
