"""Cipher round trips cross-checked against ``cryptography`` used directly (hypothesis)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.decrepit.ciphers.algorithms import TripleDES
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding as rsa_padding
from cryptography.hazmat.primitives.ciphers import Cipher as CryptoCipher
from cryptography.hazmat.primitives.ciphers import algorithms, modes
from cryptography.hazmat.primitives.padding import PKCS7
from hypothesis import given, settings
from hypothesis import strategies as st

from jcsim.crypto import Cipher
from jcsim.framework import ByteArray, CryptoException
from jcsim.security import KeyBuilder, KeyPair
from jcsim.security.rsa_keys import rsa_material

SETTINGS = settings(max_examples=40, deadline=None)


def _key(kind, raw):
    key_type = KeyBuilder.TYPE_AES if kind == "AES" else KeyBuilder.TYPE_DES
    key = KeyBuilder.buildKey(key_type, len(raw) * 8, False)
    key.setKey(raw, 0)
    return key


def _reference(kind, mode, raw, iv, data):
    if kind == "DES":
        raw = raw * 3 if len(raw) == 8 else raw + raw[:8] if len(raw) == 16 else raw
    algorithm = algorithms.AES(raw) if kind == "AES" else TripleDES(raw)
    encryptor = CryptoCipher(algorithm, modes.ECB() if mode == "ECB" else modes.CBC(iv)).encryptor()
    return encryptor.update(data) + encryptor.finalize()


def _reference_pad(data, pad, block):
    if pad == Cipher.PAD_PKCS5:
        padder = PKCS7(block * 8).padder()
        return padder.update(data) + padder.finalize()
    if pad == Cipher.PAD_ISO9797_M2:
        data += b"\x80"
        return data + bytes(-len(data) % block)
    if pad == Cipher.PAD_ISO9797_M1:
        return data + bytes(-len(data) % block if data else block)
    return data


CIPHERS = {"AES": {"CBC": Cipher.CIPHER_AES_CBC, "ECB": Cipher.CIPHER_AES_ECB},
           "DES": {"CBC": Cipher.CIPHER_DES_CBC, "ECB": Cipher.CIPHER_DES_ECB}}


@st.composite
def block_case(draw):
    kind = draw(st.sampled_from(["AES", "DES"]))
    block = 16 if kind == "AES" else 8
    key_len = draw(st.sampled_from([16, 24, 32] if kind == "AES" else [8, 16, 24]))
    mode = draw(st.sampled_from(["CBC", "ECB"]))
    pad = draw(st.sampled_from([Cipher.PAD_NOPAD, Cipher.PAD_ISO9797_M1, Cipher.PAD_ISO9797_M2,
                                Cipher.PAD_PKCS5]))
    if pad == Cipher.PAD_NOPAD:
        data = draw(st.binary(min_size=1, max_size=6).map(lambda b: b * block))
    else:
        data = draw(st.binary(max_size=70))
    return (kind, block, draw(st.binary(min_size=key_len, max_size=key_len)), mode, pad,
            draw(st.binary(min_size=block, max_size=block)), data, draw(st.integers(0, 70)))


@SETTINGS
@given(block_case())
def test_block_ciphers_match_cryptography_and_decrypt_back(case):
    kind, block, raw, mode, pad, iv, data, split = case
    cipher = Cipher.getInstance(CIPHERS[kind][mode], pad, False)
    params = (iv, 0, block) if mode == "CBC" else ()
    cipher.init(_key(kind, raw), Cipher.MODE_ENCRYPT, *params)
    split = min(split, len(data))
    out = ByteArray(len(data) + 2 * block)
    n = cipher.update(data, 0, split, out, 0)
    n += cipher.doFinal(data, split, len(data) - split, out, n)
    ciphertext = bytes(out[:n])
    assert ciphertext == _reference(kind, mode, raw, iv, _reference_pad(data, pad, block))
    cipher.init(_key(kind, raw), Cipher.MODE_DECRYPT, *params)
    back = ByteArray(len(ciphertext))
    m = cipher.doFinal(ciphertext, 0, len(ciphertext), back, 0)
    expected = _reference_pad(data, pad, block) if pad == Cipher.PAD_ISO9797_M1 else data
    assert bytes(back[:m]) == expected


@SETTINGS
@given(st.binary(min_size=16, max_size=16), st.binary(min_size=16, max_size=16),
       st.binary(max_size=100))
def test_aes_ctr_matches_cryptography(raw, counter, data):
    cipher = Cipher.getInstance(Cipher.ALG_AES_CTR, False)
    cipher.init(_key("AES", raw), Cipher.MODE_ENCRYPT, counter, 0, 16)
    out = ByteArray(len(data))
    cipher.doFinal(data, 0, len(data), out, 0)
    encryptor = CryptoCipher(algorithms.AES(raw), modes.CTR(counter)).encryptor()
    assert bytes(out) == encryptor.update(data) + encryptor.finalize()


@pytest.fixture(scope="module")
def rsa_pair():
    pair = KeyPair(KeyPair.ALG_RSA_CRT, 1024)
    pair.genKeyPair()
    return pair


@SETTINGS
@given(data=st.binary(max_size=117))
def test_rsa_pkcs1_encryption_decrypts_with_cryptography_and_back(rsa_pair, data):
    cipher = Cipher.getInstance(Cipher.ALG_RSA_PKCS1, False)
    cipher.init(rsa_pair.getPublic(), Cipher.MODE_ENCRYPT)
    out = ByteArray(128)
    assert cipher.doFinal(data, 0, len(data), out, 0) == 128
    private = rsa_material(rsa_pair.getPrivate()).private
    assert private.decrypt(bytes(out), rsa_padding.PKCS1v15()) == data
    cipher.init(rsa_pair.getPrivate(), Cipher.MODE_DECRYPT)
    back = ByteArray(128)
    assert bytes(back[:cipher.doFinal(out, 0, 128, back, 0)]) == data


@pytest.mark.parametrize("pad, hash_class", [(Cipher.PAD_PKCS1_OAEP, hashes.SHA1),
                                             (Cipher.PAD_PKCS1_OAEP_SHA256, hashes.SHA256)])
def test_rsa_oaep_interoperates_with_cryptography(rsa_pair, pad, hash_class):
    oaep = rsa_padding.OAEP(mgf=rsa_padding.MGF1(hash_class()), algorithm=hash_class(), label=None)
    message = b"a secret for the card"
    ciphertext = rsa_material(rsa_pair.getPublic()).public.encrypt(message, oaep)
    cipher = Cipher.getInstance(Cipher.CIPHER_RSA, pad, False)
    cipher.init(rsa_pair.getPrivate(), Cipher.MODE_DECRYPT)
    out = ByteArray(128)
    assert bytes(out[:cipher.doFinal(ciphertext, 0, 128, out, 0)]) == message
    cipher.init(rsa_pair.getPublic(), Cipher.MODE_ENCRYPT)
    cipher.doFinal(message, 0, len(message), out, 0)
    assert rsa_material(rsa_pair.getPrivate()).private.decrypt(bytes(out), oaep) == message


def test_rsa_private_key_pkcs1_encryption_is_recovered_with_the_public_key(rsa_pair):
    cipher = Cipher.getInstance(Cipher.ALG_RSA_PKCS1, False)
    cipher.init(rsa_pair.getPrivate(), Cipher.MODE_ENCRYPT)
    block = ByteArray(128)
    cipher.doFinal(b"digest info", 0, 11, block, 0)
    cipher.init(rsa_pair.getPublic(), Cipher.MODE_DECRYPT)
    out = ByteArray(128)
    assert bytes(out[:cipher.doFinal(block, 0, 128, out, 0)]) == b"digest info"


def test_rsa_nopad_is_the_raw_primitive_and_refuses_values_above_the_modulus(rsa_pair):
    material = rsa_material(rsa_pair.getPublic())
    message = (12345).to_bytes(128, "big")
    cipher = Cipher.getInstance(Cipher.ALG_RSA_NOPAD, False)
    cipher.init(rsa_pair.getPublic(), Cipher.MODE_ENCRYPT)
    out = ByteArray(128)
    cipher.doFinal(message, 0, 128, out, 0)
    assert int.from_bytes(bytes(out), "big") == pow(12345, 65537, material.n)
    cipher.init(rsa_pair.getPrivate(), Cipher.MODE_DECRYPT)
    back = ByteArray(128)
    cipher.doFinal(out, 0, 128, back, 0)
    assert bytes(back) == message
    with pytest.raises(CryptoException) as info:
        cipher.doFinal(b"\xff" * 128, 0, 128, back, 0)
    assert info.value.getReason() == CryptoException.ILLEGAL_USE
