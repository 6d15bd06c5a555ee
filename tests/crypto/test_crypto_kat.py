"""Known-answer tests for Cipher from FIPS 197, NIST SP 800-38A and SP 800-67."""

from __future__ import annotations

from jcsim.crypto import Cipher
from jcsim.framework import ByteArray
from jcsim.security import KeyBuilder


def _aes_key(raw):
    key = KeyBuilder.buildKey(KeyBuilder.TYPE_AES, len(raw) * 8, False)
    key.setKey(raw, 0)
    return key


def _des_key(raw):
    key = KeyBuilder.buildKey(KeyBuilder.TYPE_DES, len(raw) * 8, False)
    key.setKey(raw, 0)
    return key


def _run(cipher, data):
    out = ByteArray(len(data) + 32)
    n = cipher.doFinal(data, 0, len(data), out, 0)
    return bytes(out[:n])


def test_aes_ecb_matches_fips_197_and_sp_800_38a(vectors):
    for case in vectors.load("symmetric")["aes_ecb"]:
        key, pt, ct = vectors.unhex(case, "key", "pt", "ct")
        cipher = Cipher.getInstance(Cipher.ALG_AES_BLOCK_128_ECB_NOPAD, False)
        cipher.init(_aes_key(key), Cipher.MODE_ENCRYPT)
        assert _run(cipher, pt) == ct, case["name"]
        cipher.init(_aes_key(key), Cipher.MODE_DECRYPT)
        assert _run(cipher, ct) == pt, case["name"]


def test_aes_cbc_matches_sp_800_38a_also_when_fed_block_by_block(vectors):
    for case in vectors.load("symmetric")["aes_cbc"]:
        key, iv, pt, ct = vectors.unhex(case, "key", "iv", "pt", "ct")
        cipher = Cipher.getInstance(Cipher.CIPHER_AES_CBC, Cipher.PAD_NOPAD, False)
        assert cipher.getAlgorithm() == Cipher.ALG_AES_BLOCK_128_CBC_NOPAD
        cipher.init(_aes_key(key), Cipher.MODE_ENCRYPT, iv, 0, 16)
        assert _run(cipher, pt) == ct
        out = ByteArray(64)
        written = 0
        for i in range(0, 48, 16):
            written += cipher.update(pt, i, 16, out, written)
        written += cipher.doFinal(pt, 48, 16, out, written)
        assert bytes(out[:written]) == ct
        cipher.init(_aes_key(key), Cipher.MODE_DECRYPT, iv, 0, 16)
        assert _run(cipher, ct) == pt


def test_des_and_triple_des_ecb_match_the_published_examples(vectors):
    for case in vectors.load("symmetric")["des_ecb"]:
        key, pt, ct = vectors.unhex(case, "key", "pt", "ct")
        cipher = Cipher.getInstance(Cipher.ALG_DES_ECB_NOPAD, False)
        cipher.init(_des_key(key), Cipher.MODE_ENCRYPT)
        assert _run(cipher, pt) == ct, case["name"]
        cipher.init(_des_key(key), Cipher.MODE_DECRYPT)
        assert _run(cipher, ct) == pt, case["name"]
