"""Finite-field keys: DSA and Diffie-Hellman public and private keys with their domain
parameters.

Mirrors ``javacard.security.DSAKey``, ``DSAPublicKey``, ``DSAPrivateKey``, ``DHKey``,
``DHPublicKey`` and ``DHPrivateKey`` (Java Card 3.0.5). The domain parameters P (the prime, as
long as the key size), Q (the subgroup order) and G (the generator) and the key's own value
(public Y, private X) are unsigned big-endian numbers set and read one by one; a key is
initialized once P, Q, G and its value are set (for DH, Q is optional as in the specification's
PKCS #3 form). Values are stored as given, without leading zero bytes; a value longer than the
key size, or zero, is ILLEGAL_VALUE. Key material is journaled like every key's
(``Key._set_component``). Which engines use these keys is in the algorithm table of docs/crypto.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jcsim.framework.exceptions import CryptoException
from jcsim.security._buffers import read, write
from jcsim.security.keys import KeyMixin, PrivateKey, PublicKey

__all__ = ["DHKey", "DHPrivateKey", "DHPublicKey", "DSAKey", "DSAPrivateKey", "DSAPublicKey"]


class _DomainParameters(KeyMixin):
    """P, Q and G, shared by the DSA and DH keys."""

    def _set_number(self, name: str, buffer: Any, offset: int, length: int) -> None:
        data = read(buffer, offset, length, "buffer")
        value = int.from_bytes(data, "big")
        if value == 0 or value.bit_length() > self._size:
            raise CryptoException(CryptoException.ILLEGAL_VALUE)
        data = value.to_bytes((value.bit_length() + 7) // 8, "big")
        self._set_component(name, data)

    def _get_number(self, name: str, buffer: Any, offset: int) -> int:
        value = self._component(name)
        if value is None:
            raise CryptoException(CryptoException.UNINITIALIZED_KEY)
        return write(buffer, offset, value, "buffer")

    def setP(self, buffer: Any, offset: int, length: int) -> None:
        """Set the prime modulus P."""
        self._set_number("P", buffer, offset, length)

    def setQ(self, buffer: Any, offset: int, length: int) -> None:
        """Set the subgroup order Q."""
        self._set_number("Q", buffer, offset, length)

    def setG(self, buffer: Any, offset: int, length: int) -> None:
        """Set the generator G."""
        self._set_number("G", buffer, offset, length)

    def getP(self, buffer: Any, offset: int) -> int:
        """Copy P to ``buffer[offset:]``; returns its byte length."""
        return self._get_number("P", buffer, offset)

    def getQ(self, buffer: Any, offset: int) -> int:
        """Copy Q to ``buffer[offset:]``; returns its byte length."""
        return self._get_number("Q", buffer, offset)

    def getG(self, buffer: Any, offset: int) -> int:
        """Copy G to ``buffer[offset:]``; returns its byte length."""
        return self._get_number("G", buffer, offset)


class DSAKey(_DomainParameters):
    """Mirrors ``javacard.security.DSAKey``."""


class DHKey(_DomainParameters):
    """Mirrors ``javacard.security.DHKey``."""


class _PublicValue(KeyMixin):
    if TYPE_CHECKING:  # _DomainParameters' accessors: both join DSAKey or DHKey
        def _set_number(self, name: str, buffer: Any, offset: int, length: int) -> None: ...
        def _get_number(self, name: str, buffer: Any, offset: int) -> int: ...

    def setY(self, buffer: Any, offset: int, length: int) -> None:
        """Set the public value Y."""
        self._set_number("Y", buffer, offset, length)

    def getY(self, buffer: Any, offset: int) -> int:
        """Copy Y to ``buffer[offset:]``; returns its byte length."""
        return self._get_number("Y", buffer, offset)


class _PrivateValue(KeyMixin):
    if TYPE_CHECKING:  # _DomainParameters' accessors: both join DSAKey or DHKey
        def _set_number(self, name: str, buffer: Any, offset: int, length: int) -> None: ...
        def _get_number(self, name: str, buffer: Any, offset: int) -> int: ...

    def setX(self, buffer: Any, offset: int, length: int) -> None:
        """Set the private value X."""
        self._set_number("X", buffer, offset, length)

    def getX(self, buffer: Any, offset: int) -> int:
        """Copy X to ``buffer[offset:]``; returns its byte length."""
        return self._get_number("X", buffer, offset)


class DSAPublicKey(PublicKey, DSAKey, _PublicValue):
    """Mirrors ``javacard.security.DSAPublicKey``."""

    _REQUIRED = ("P", "Q", "G", "Y")


class DSAPrivateKey(PrivateKey, DSAKey, _PrivateValue):
    """Mirrors ``javacard.security.DSAPrivateKey``."""

    _REQUIRED = ("P", "Q", "G", "X")


class DHPublicKey(PublicKey, DHKey, _PublicValue):
    """Mirrors ``javacard.security.DHPublicKey``."""

    _REQUIRED = ("P", "G", "Y")


class DHPrivateKey(PrivateKey, DHKey, _PrivateValue):
    """Mirrors ``javacard.security.DHPrivateKey``."""

    _REQUIRED = ("P", "G", "X")
