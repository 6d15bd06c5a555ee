"""DSA signatures, Diffie-Hellman key agreement and DSA / DH key pair generation, in integer
arithmetic over the keys' own domain parameters.

``cryptography`` takes DSA moduli of 1024, 2048, 3072 or 4096 bits only, while Java Card
defines DSA at 512, 768 and 1024 bits; the algorithms are a few
modular exponentiations (FIPS 186-4 section 4.6 and 4.7, PKCS #3), so they run here on Python
integers for every key size. Nonces and private values come from the card's entropy source
(``jcsim.security.entropy``), so a seeded source repeats them.

- ``Signature.ALG_DSA_SHA`` and the ``getInstance(md, SIG_CIPHER_DSA, PAD_NULL, ext)`` form with
  SHA-1 or SHA-2: the digest, truncated to the bit length of Q (FIPS 186-4 4.6), signed as the
  DER ``SEQUENCE { r INTEGER, s INTEGER }`` the specification names.
- ``KeyAgreement.ALG_DH_PLAIN``: the other party's public value Y (big-endian, 1 < Y < P-1, else
  ILLEGAL_VALUE) raised to the private X modulo P, written on the byte length of P.
- ``KeyPair`` ALG_DSA / ALG_DH: domain parameters already set on either key are kept; without
  them a 1024-bit DSA pair gets parameters from ``cryptography`` and anything else is
  ILLEGAL_VALUE (jcsim has no default DH group). X is drawn in [1, Q-1] (or [2, P-2] for DH
  without Q) and Y = G^X mod P.
"""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives.asymmetric import dsa, utils

from jcsim.framework.exceptions import CryptoException
from jcsim.lang import NullPointerException
from jcsim.security import entropy
from jcsim.security._buffers import read, write
from jcsim.security._signature_engines import _DigestSignature
from jcsim.security.dsa_dh_keys import DHPrivateKey, DSAPrivateKey, DSAPublicKey
from jcsim.security.key_agreement import KeyAgreement
from jcsim.security.signature import Signature

__all__ = ["DHKeyAgreement", "DSASignature", "generate_pair"]


def _number(key: Any, name: str) -> int:
    value = key._component(name)
    if value is None:
        raise CryptoException(CryptoException.UNINITIALIZED_KEY)
    return int.from_bytes(value, "big")


def _random_below(bound: int, low: int = 1) -> int:
    """A uniform integer in [low, bound - 1] from the card's entropy source."""
    rng = entropy.current()
    span = bound - low
    nbytes = (span.bit_length() + 7) // 8 + 8  # 64 extra bits make the modulo bias negligible
    return low + int.from_bytes(rng.read(nbytes), "big") % span


class DSASignature(_DigestSignature):
    """DSA with SHA-1 or SHA-2, DER-encoded (see module doc)."""

    def _key_fits(self, key: Any, mode: int) -> bool:
        return isinstance(key, DSAPrivateKey if mode == Signature.MODE_SIGN else DSAPublicKey)

    def _check_key(self, key: Any, mode: int) -> None:
        p, q, g = (_number(key, n) for n in ("P", "Q", "G"))
        if q < 2 or (p - 1) % q or not 1 < g < p:
            raise CryptoException(CryptoException.ILLEGAL_VALUE)

    def _parameters(self, params: bytes | None) -> None:
        if params is not None:
            raise CryptoException(CryptoException.ILLEGAL_VALUE)

    def _q(self) -> int:
        return _number(self._key, "Q")

    def _length(self) -> int:
        n = (self._q().bit_length() + 7) // 8
        content = 2 * (2 + n + 1)
        return content + (2 if content < 128 else 3)

    def _z(self, digest: bytes, q: int) -> int:
        z = int.from_bytes(digest, "big")
        excess = 8 * len(digest) - q.bit_length()
        return z >> excess if excess > 0 else z

    def _sign_digest(self, digest: bytes) -> bytes:
        key = self._key
        p, q, g, x = (_number(key, n) for n in ("P", "Q", "G", "X"))
        z = self._z(digest, q)
        while True:
            k = _random_below(q)
            r = pow(g, k, p) % q
            try:
                s = pow(k, -1, q) * (z + x * r) % q
            except ValueError as exc:  # no inverse: Q is not prime, so not a DSA key
                raise CryptoException(CryptoException.ILLEGAL_VALUE) from exc
            if r and s:
                return utils.encode_dss_signature(r, s)

    def _verify_digest(self, digest: bytes, signature: bytes) -> bool:
        key = self._key
        p, q, g, y = (_number(key, n) for n in ("P", "Q", "G", "Y"))
        try:
            r, s = utils.decode_dss_signature(signature)
        except ValueError:
            return False
        if not (0 < r < q and 0 < s < q):
            return False
        try:
            w = pow(s, -1, q)
        except ValueError:  # no inverse: Q is not prime, so nothing verifies
            return False
        u1, u2 = self._z(digest, q) * w % q, r * w % q
        return pow(g, u1, p) * pow(y, u2, p) % p % q == r


class DHKeyAgreement(KeyAgreement):
    """``KeyAgreement.ALG_DH_PLAIN`` (see module doc)."""

    def init(self, privKey: Any) -> None:
        """Initialize with a DH private key."""
        if privKey is None:
            raise NullPointerException("privKey is null")
        if not isinstance(privKey, DHPrivateKey):
            raise CryptoException(CryptoException.ILLEGAL_VALUE)
        if not privKey.isInitialized():
            raise CryptoException(CryptoException.UNINITIALIZED_KEY)
        self._key = privKey

    def generateSecret(self, publicData: Any, publicOffset: int, publicLength: int,
                       secret: Any, secretOffset: int) -> int:
        """Y^X mod P on the byte length of P; returns that length."""
        if self._key is None:
            raise CryptoException(CryptoException.INVALID_INIT)
        p, x = _number(self._key, "P"), _number(self._key, "X")
        length = (p.bit_length() + 7) // 8
        data = read(publicData, publicOffset, publicLength, "publicData")
        y = int.from_bytes(data, "big")
        if publicLength > length or not 1 < y < p - 1:
            raise CryptoException(CryptoException.ILLEGAL_VALUE)
        return write(secret, secretOffset, pow(y, x, p).to_bytes(length, "big"), "secret")


def _set(setter: Any, value: int) -> None:
    data = value.to_bytes((value.bit_length() + 7) // 8 or 1, "big")
    setter(data, 0, len(data))


def generate_pair(public: Any, private: Any, is_dsa: bool) -> None:
    """``KeyPair.genKeyPair`` for a DSA or DH pair (see module doc)."""
    source = next((k for k in (public, private)
                   if k._component("P") is not None and k._component("G") is not None
                   and (not is_dsa or k._component("Q") is not None)), None)
    if source is not None:
        p, g = _number(source, "P"), _number(source, "G")
        q = _number(source, "Q") if source._component("Q") is not None else None
    elif is_dsa and public.getSize() == 1024:
        numbers = dsa.generate_parameters(1024).parameter_numbers()
        p, q, g = numbers.p, numbers.q, numbers.g
    else:
        raise CryptoException(CryptoException.ILLEGAL_VALUE)
    x = _random_below(q) if q else _random_below(p - 1, 2)
    for key in (public, private):
        _set(key.setP, p)
        _set(key.setG, g)
        if q:
            _set(key.setQ, q)
    _set(private.setX, x)
    _set(public.setY, pow(g, x, p))
