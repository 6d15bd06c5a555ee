"""Where the simulated card's randomness comes from, and the host switch that makes it repeatable.

Host side, plain PEP 8. Everything on the card that needs fresh random bytes reads them through
``current()``: ``RandomData`` (every algorithm), ``KeyPair.genKeyPair`` for EC keys and for RSA
keys generated here, and the ECDSA nonce (RFC 6979 deterministic signing when the source is
seeded). The source is chosen in this order:

1. the running card's ``entropy`` attribute, when the runtime gives a card its own source;
2. the process-wide default: the operating system's generator (``os.urandom``) until a test
   calls ``seed(...)`` / ``use(...)``, or enters ``with seeded(...)``.

A seeded source is an HMAC-DRBG (NIST SP 800-90A, HMAC-SHA-256) instantiated from the seed, so
the same seed gives the same bytes on every run and platform. What the switch cannot reach: the
random padding OpenSSL draws inside ``cryptography`` (RSA PKCS#1 v1.5 encryption, OAEP, PSS
salts) and RSA keys of 1024 bits or more generated while the source is not seeded.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from cryptography.hazmat.primitives import hashes, hmac

from jcsim.framework import _jcre

__all__ = [
    "EntropySource",
    "HmacDrbg",
    "SeededEntropy",
    "SystemEntropy",
    "current",
    "seed",
    "seeded",
    "unseed",
    "use",
]


class EntropySource(Protocol):
    """Anything with ``read(n) -> bytes``; ``deterministic`` tells whether output repeats."""

    deterministic: bool

    def read(self, n: int) -> bytes: ...


class HmacDrbg:
    """HMAC_DRBG with SHA-256 (NIST SP 800-90A §10.1.2), without prediction resistance."""

    def __init__(self, seed_material: bytes) -> None:
        self._key = b"\x00" * 32
        self._value = b"\x01" * 32
        self._update(bytes(seed_material))

    @staticmethod
    def _hmac(key: bytes, data: bytes) -> bytes:
        mac = hmac.HMAC(key, hashes.SHA256())
        mac.update(data)
        return mac.finalize()

    def _update(self, provided: bytes) -> None:
        self._key = self._hmac(self._key, self._value + b"\x00" + provided)
        self._value = self._hmac(self._key, self._value)
        if provided:
            self._key = self._hmac(self._key, self._value + b"\x01" + provided)
            self._value = self._hmac(self._key, self._value)

    def state(self) -> tuple[bytes, bytes]:
        """The working state (K, V): what a card image keeps of a pseudo-random generator."""
        return self._key, self._value

    @classmethod
    def from_state(cls, state: tuple[bytes, bytes]) -> HmacDrbg:
        """A generator continuing from ``state()``'s value."""
        key, value = state
        if not (isinstance(key, bytes) and isinstance(value, bytes)
                and len(key) == len(value) == 32):
            raise ValueError("an HMAC-DRBG state is two 32-byte values")
        drbg = cls.__new__(cls)
        drbg._key, drbg._value = key, value
        return drbg

    def reseed(self, material: bytes) -> None:
        """Mix ``material`` into the state."""
        self._update(bytes(material))

    def generate(self, n: int) -> bytes:
        """The next ``n`` bytes of output."""
        out = bytearray()
        while len(out) < n:
            self._value = self._hmac(self._key, self._value)
            out += self._value
        self._update(b"")
        return bytes(out[:n])


class SystemEntropy:
    """The operating system's generator."""

    deterministic = False

    def read(self, n: int) -> bytes:
        return os.urandom(n)

    def __repr__(self) -> str:
        return "SystemEntropy()"


class SeededEntropy:
    """A repeatable source: an HMAC-DRBG instantiated from ``seed`` (int, bytes or str)."""

    deterministic = True

    def __init__(self, seed: int | bytes | str) -> None:
        self.seed = seed
        self._drbg = HmacDrbg(_seed_bytes(seed))

    def read(self, n: int) -> bytes:
        return self._drbg.generate(n)

    def __repr__(self) -> str:
        return f"SeededEntropy({self.seed!r})"


def _seed_bytes(seed: int | bytes | str) -> bytes:
    if isinstance(seed, bool) or not isinstance(seed, (int, bytes, bytearray, str)):
        raise TypeError(f"a seed is an int, bytes or str, not {type(seed).__name__}")
    if isinstance(seed, int):
        return b"int:" + seed.to_bytes((seed.bit_length() + 8) // 8, "big", signed=True)
    if isinstance(seed, str):
        return b"str:" + seed.encode()
    return b"bytes:" + bytes(seed)


_default: Any = SystemEntropy()


def current() -> Any:
    """The source the code running now draws from (the card's own, else the default)."""
    card_source = getattr(_jcre.active_or_none(), "entropy", None)
    return _default if card_source is None else card_source


def use(source: Any) -> Any:
    """Make ``source`` the process-wide default; returns the one it replaces."""
    global _default
    if not callable(getattr(source, "read", None)):
        raise TypeError("an entropy source needs a read(n) method")
    previous, _default = _default, source
    return previous


def seed(value: int | bytes | str) -> Any:
    """Make the default source repeatable from ``value``; returns the one it replaces."""
    return use(SeededEntropy(value))


def unseed() -> Any:
    """Go back to the operating system's generator; returns the source it replaces."""
    return use(SystemEntropy())


@contextmanager
def seeded(value: int | bytes | str) -> Iterator[SeededEntropy]:
    """``with seeded(42):`` runs its body on a repeatable default source, then restores."""
    source = SeededEntropy(value)
    previous = use(source)
    try:
        yield source
    finally:
        use(previous)
