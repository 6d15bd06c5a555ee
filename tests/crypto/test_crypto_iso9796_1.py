"""Cipher.ALG_RSA_ISO9796: RSA with the ISO/IEC 9796-1 representative."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jcsim.crypto import Cipher, _iso9796_1
from jcsim.framework import ByteArray, CryptoException
from jcsim.security import KeyBuilder, KeyPair


def _expected(case):
    n = int(case["n"], 16)
    return n - int(case["n_minus"], 16) if "n_minus" in case else int(case["sig"], 16)


def test_the_published_representatives(vectors):
    for case in vectors.load("iso9796_1")["cases"]:
        n, d = int(case["n"], 16), int(case["d"], 16)
        msg = bytes.fromhex(case["msg"])
        representative = _iso9796_1.encode(msg, n.bit_length(), case["pad_bits"])
        assert pow(representative, d, n) == _expected(case)
        assert _iso9796_1.decode(pow(_expected(case), 3, n), n) == (msg, case["pad_bits"])


def _keys(case, bits):
    n = int(case["n"], 16).to_bytes(bits // 8, "big")
    d = int(case["d"], 16).to_bytes(bits // 8, "big")
    public = KeyBuilder.buildKey(KeyBuilder.TYPE_RSA_PUBLIC, bits, False)
    public.setModulus(n, 0, len(n))
    public.setExponent(b"\x03", 0, 1)
    private = KeyBuilder.buildKey(KeyBuilder.TYPE_RSA_PRIVATE, bits, False)
    private.setModulus(n, 0, len(n))
    private.setExponent(d, 0, len(d))
    return public, private


def test_the_cipher_gives_the_published_block_and_recovers_the_message(vectors):
    case = vectors.load("iso9796_1")["cases"][1]  # whole bytes, a 513-bit modulus
    public, private = _keys(case, 544)
    msg = bytes.fromhex(case["msg"])
    cipher = Cipher.getInstance(Cipher.ALG_RSA_ISO9796, False)
    cipher.init(private, Cipher.MODE_ENCRYPT)
    out = ByteArray(68)
    cipher.update(msg, 0, 10, out, 0)
    assert cipher.doFinal(msg, 10, len(msg) - 10, out, 0) == 68
    assert int.from_bytes(bytes(out), "big") == _expected(case)
    cipher.init(public, Cipher.MODE_DECRYPT)
    plain = ByteArray(68)
    assert cipher.doFinal(out, 0, 68, plain, 0) == len(msg)
    assert bytes(plain[:len(msg)]) == msg


@pytest.fixture(scope="module")
def rsa_1024():
    pair = KeyPair(KeyPair.ALG_RSA_CRT, 1024)
    pair.genKeyPair()
    return pair.getPublic(), pair.getPrivate()


@settings(max_examples=25, deadline=None)
@given(st.binary(min_size=1, max_size=64))
def test_round_trip_either_key_first(rsa_1024, msg):
    public, private = rsa_1024
    for first, second in ((private, public), (public, private)):
        cipher = Cipher.getInstance(Cipher.CIPHER_RSA, Cipher.PAD_ISO9796, False)
        assert cipher.getAlgorithm() == Cipher.ALG_RSA_ISO9796
        cipher.init(first, Cipher.MODE_ENCRYPT)
        block = ByteArray(128)
        assert cipher.doFinal(msg, 0, len(msg), block, 0) == 128
        cipher.init(second, Cipher.MODE_DECRYPT)
        out = ByteArray(128)
        n = cipher.doFinal(block, 0, 128, out, 0)
        assert bytes(out[:n]) == msg


def test_misuse_is_illegal_use(rsa_1024):
    public, private = rsa_1024
    cipher = Cipher.getInstance(Cipher.ALG_RSA_ISO9796, False)
    cipher.init(private, Cipher.MODE_ENCRYPT)
    for length in (0, 65):  # nothing, or more than (1024 + 13) // 16 bytes
        with pytest.raises(CryptoException) as info:
            cipher.doFinal(bytes(length), 0, length, ByteArray(128), 0)
        assert info.value.getReason() == CryptoException.ILLEGAL_USE
    cipher.init(public, Cipher.MODE_DECRYPT)
    for block in (bytes(128), bytes([0x5A]) * 128, bytes(127)):
        with pytest.raises(CryptoException) as info:
            cipher.doFinal(block, 0, len(block), ByteArray(128), 0)
        assert info.value.getReason() == CryptoException.ILLEGAL_USE
    # A changed block opens to a value whose redundancy does not check.
    cipher.init(private, Cipher.MODE_ENCRYPT)
    block = ByteArray(128)
    cipher.doFinal(b"sixteen bytes!!!", 0, 16, block, 0)
    cipher.init(public, Cipher.MODE_DECRYPT)
    opened = ByteArray(128)
    assert cipher.doFinal(block, 0, 128, opened, 0) == 16
    block[100] ^= 1
    with pytest.raises(CryptoException) as info:
        cipher.doFinal(block, 0, 128, opened, 0)
    assert info.value.getReason() == CryptoException.ILLEGAL_USE


def test_decode_refuses_broken_redundancy():
    n = (1 << 1023) + 12345  # only the size matters to the layout
    representative = _iso9796_1.encode(b"abc", 1024)
    assert _iso9796_1.decode(representative, n) == (b"abc", 0)
    broken = representative ^ (0x11 << 8 * 20)  # one S byte and its message byte disagree
    with pytest.raises(ValueError):
        _iso9796_1.decode(broken, n)
    with pytest.raises(ValueError):
        _iso9796_1.decode(representative ^ 0x01, n)  # no longer 6 mod 16
