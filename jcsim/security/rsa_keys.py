"""RSA keys: public, private (modulus/exponent) and private CRT.

Mirrors ``javacard.security.RSAPublicKey``, ``RSAPrivateKey`` and ``RSAPrivateCrtKey``
(Java Card 3.0.5). Components are stored as unsigned big-endian bytes without leading zeros;
``getModulus`` answers ``getSize()/8`` bytes. Engines turn a key into ``cryptography`` objects
through ``rsa_material`` (cached per component values).

Deviation: ``cryptography`` needs the public exponent to use a private key. For a CRT key it is
recovered from DP1 and DQ1; for a modulus/exponent private key it is searched among the usual
exponents (65537, 3, 5, 17, 257) or taken from the public key generated with it by ``KeyPair``;
a private key whose public exponent cannot be found works for ``ALG_RSA_NOPAD`` and PKCS#1
private-key encryption only, and other algorithms reject it with ILLEGAL_VALUE at ``init``.
"""

from __future__ import annotations

from math import gcd
from typing import Any, NamedTuple

from cryptography.hazmat.primitives.asymmetric import rsa

from jcsim.framework.exceptions import CryptoException
from jcsim.security._buffers import read, write
from jcsim.security.keys import KeyMixin, PrivateKey, PublicKey

__all__ = ["RSAMaterial", "RSAPrivateCrtKey", "RSAPrivateKey", "RSAPublicKey", "rsa_material"]

_COMMON_EXPONENTS = (65537, 3, 5, 17, 257)


def _to_int(data: bytes) -> int:
    return int.from_bytes(data, "big")


def _to_bytes(value: int, length: int = 0) -> bytes:
    return value.to_bytes(max(length, (value.bit_length() + 7) // 8, 1), "big")


class _RSAComponents(KeyMixin):
    """Shared setter/getter logic: a component is a non-zero integer of at most getSize() bits."""

    def _set_int(self, name: str, buffer: Any, offset: int, length: int, limit: int) -> None:
        data = read(buffer, offset, length, "buffer")
        value = _to_int(data)
        if length == 0 or value == 0 or value.bit_length() > limit:
            raise CryptoException(CryptoException.ILLEGAL_VALUE)
        self._set_component(name, _to_bytes(value))

    def _get_int(self, name: str, buffer: Any, offset: int, length: int = 0) -> int:
        self._check_component(name)
        return write(buffer, offset, _to_bytes(_to_int(self._values[name]), length),
                     "buffer")

    def _check_component(self, name: str) -> None:
        if self._values.get(name) is None:
            raise CryptoException(CryptoException.UNINITIALIZED_KEY)


class _RSAModExpKey(_RSAComponents):
    """setModulus / setExponent and their getters."""

    _REQUIRED: tuple[str, ...] = ("modulus", "exponent")

    def setModulus(self, buffer: Any, offset: int, length: int) -> None:
        """Set the modulus (big-endian)."""
        self._set_int("modulus", buffer, offset, length, self._size)

    def setExponent(self, buffer: Any, offset: int, length: int) -> None:
        """Set the exponent (big-endian)."""
        self._set_int("exponent", buffer, offset, length, self._size)

    def getModulus(self, buffer: Any, offset: int) -> int:
        """Write the modulus (``getSize()/8`` bytes); returns its byte length."""
        return self._get_int("modulus", buffer, offset, self._size // 8)

    def getExponent(self, buffer: Any, offset: int) -> int:
        """Write the exponent; returns its byte length."""
        return self._get_int("exponent", buffer, offset)


class RSAPublicKey(_RSAModExpKey, PublicKey):
    """Mirrors ``javacard.security.RSAPublicKey``."""


class RSAPrivateKey(_RSAModExpKey, PrivateKey):
    """Mirrors ``javacard.security.RSAPrivateKey`` (modulus / private exponent form)."""

    _public_exponent_hint: int | None = None


class RSAPrivateCrtKey(_RSAComponents, PrivateKey):
    """Mirrors ``javacard.security.RSAPrivateCrtKey``: P, Q, DP1, DQ1 and PQ."""

    _REQUIRED = ("P", "Q", "DP1", "DQ1", "PQ")

    def setP(self, buffer: Any, offset: int, length: int) -> None:
        """Set the prime factor p."""
        self._set_int("P", buffer, offset, length, self._size)

    def setQ(self, buffer: Any, offset: int, length: int) -> None:
        """Set the prime factor q."""
        self._set_int("Q", buffer, offset, length, self._size)

    def setDP1(self, buffer: Any, offset: int, length: int) -> None:
        """Set d mod (p-1)."""
        self._set_int("DP1", buffer, offset, length, self._size)

    def setDQ1(self, buffer: Any, offset: int, length: int) -> None:
        """Set d mod (q-1)."""
        self._set_int("DQ1", buffer, offset, length, self._size)

    def setPQ(self, buffer: Any, offset: int, length: int) -> None:
        """Set q^-1 mod p."""
        self._set_int("PQ", buffer, offset, length, self._size)

    def getP(self, buffer: Any, offset: int) -> int:
        """Write p; returns its byte length."""
        return self._get_int("P", buffer, offset)

    def getQ(self, buffer: Any, offset: int) -> int:
        """Write q; returns its byte length."""
        return self._get_int("Q", buffer, offset)

    def getDP1(self, buffer: Any, offset: int) -> int:
        """Write d mod (p-1); returns its byte length."""
        return self._get_int("DP1", buffer, offset)

    def getDQ1(self, buffer: Any, offset: int) -> int:
        """Write d mod (q-1); returns its byte length."""
        return self._get_int("DQ1", buffer, offset)

    def getPQ(self, buffer: Any, offset: int) -> int:
        """Write q^-1 mod p; returns its byte length."""
        return self._get_int("PQ", buffer, offset)


# --- from components to arithmetic and cryptography objects ---------------------------------


class RSAMaterial(NamedTuple):
    """What an engine needs: the modulus, its byte length, the raw operation, the key objects."""

    n: int
    k: int
    raw: Any  # int -> int: the RSA primitive with this key
    public: rsa.RSAPublicKey | None
    private: rsa.RSAPrivateKey | None

    # An engine's init refuses a key that lacks the object its mode needs; the key's material
    # can still change after init (setExponent to a value whose public exponent is none of the
    # common ones), and then the operation fails as init would have.

    def public_key(self) -> rsa.RSAPublicKey:
        """``public``; ILLEGAL_VALUE when the key has none."""
        if self.public is None:
            raise CryptoException(CryptoException.ILLEGAL_VALUE)
        return self.public

    def private_key(self) -> rsa.RSAPrivateKey:
        """``private``; ILLEGAL_VALUE when the key has none."""
        if self.private is None:
            raise CryptoException(CryptoException.ILLEGAL_VALUE)
        return self.private


def _crt_exponent(p: int, q: int, dp: int, dq: int) -> int:
    """The smallest e with e*dp = 1 mod p-1 and e*dq = 1 mod q-1 (generalized CRT)."""
    m1, m2 = p - 1, q - 1
    a1, a2 = pow(dp, -1, m1), pow(dq, -1, m2)
    g = gcd(m1, m2)
    if (a2 - a1) % g:
        raise ValueError("inconsistent CRT exponents")
    lcm = m1 // g * m2
    t = (a2 - a1) // g * pow(m1 // g, -1, m2 // g) % (m2 // g)
    return (a1 + m1 * t) % lcm


_cache: dict[tuple[Any, ...], RSAMaterial] = {}


def rsa_material(key: Any) -> RSAMaterial:
    """The arithmetic view of an initialized RSA key; ILLEGAL_VALUE if the values are unusable."""
    key._check_initialized()
    values = tuple(key._values.get(name) for name in key._REQUIRED)
    cache_key = (type(key), key._size, getattr(key, "_public_exponent_hint", None), *values)
    material = _cache.get(cache_key)
    if material is None:
        try:
            material = _build(key, [_to_int(v) for v in values])
        except (ValueError, ZeroDivisionError) as exc:
            raise CryptoException(CryptoException.ILLEGAL_VALUE) from exc
        if len(_cache) > 64:
            _cache.clear()
        _cache[cache_key] = material
    return material


def _build(key: Any, values: list[int]) -> RSAMaterial:
    k = key._size // 8
    if isinstance(key, RSAPublicKey):
        n, e = values
        public = rsa.RSAPublicNumbers(e, n).public_key()
        return RSAMaterial(n, k, lambda m: pow(m, e, n), public, None)
    if isinstance(key, RSAPrivateCrtKey):
        p, q, dp, dq, qinv = values
        n = p * q

        def crt(c: int) -> int:
            m1, m2 = pow(c, dp, p), pow(c, dq, q)
            return m2 + (qinv * (m1 - m2) % p) * q

        e = _crt_exponent(p, q, dp, dq)
        d = pow(e, -1, (p - 1) * (q - 1) // gcd(p - 1, q - 1))
        crt_private = rsa.RSAPrivateNumbers(p, q, d, dp, dq, qinv,
                                            rsa.RSAPublicNumbers(e, n)).private_key()
        return RSAMaterial(n, k, crt, crt_private.public_key(), crt_private)
    n, d = values
    private: rsa.RSAPrivateKey | None = None
    hint = key._public_exponent_hint
    for e in ((hint,) if hint else ()) + _COMMON_EXPONENTS:
        if pow(pow(2, d, n), e, n) == 2 % n and pow(pow(3, d, n), e, n) == 3 % n:
            p, q = rsa.rsa_recover_prime_factors(n, e, d)
            private = rsa.RSAPrivateNumbers(
                p, q, d, rsa.rsa_crt_dmp1(d, p), rsa.rsa_crt_dmq1(d, q),
                rsa.rsa_crt_iqmp(p, q), rsa.RSAPublicNumbers(e, n)).private_key()
            break
    return RSAMaterial(n, k, lambda c: pow(c, d, n), None if private is None
                       else private.public_key(), private)
