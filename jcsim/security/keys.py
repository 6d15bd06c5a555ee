"""Key objects: the ``Key`` family and the secret keys (DES, AES, SEED, HMAC).

Mirrors ``javacard.security.Key``, ``SecretKey``, ``PublicKey``, ``PrivateKey``, ``DESKey``,
``AESKey``, ``KoreanSEEDKey`` and ``HMACKey`` (Java Card 3.0.5). Deviation: Java's key
*interfaces* are concrete classes here; applets never construct them, ``KeyBuilder.buildKey`` does.

A key is a persistent on-card object unless it was built with a TRANSIENT type. Every write of
key material goes through ``Key._set_component`` (one method, so the runtime's transaction
journal can hook it); a transient key registers with the running card, whose clear event calls
``_jc_clear`` and leaves the key uninitialized.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jcsim.framework import _jcre
from jcsim.framework.card_object import Object
from jcsim.framework.exceptions import CryptoException
from jcsim.security._buffers import read, write

__all__ = [
    "CLEAR_ON_DESELECT",
    "CLEAR_ON_RESET",
    "NOT_TRANSIENT",
    "AESKey",
    "DESKey",
    "HMACKey",
    "Key",
    "KoreanSEEDKey",
    "PrivateKey",
    "PublicKey",
    "SecretKey",
]

NOT_TRANSIENT = 0
CLEAR_ON_RESET = 1
CLEAR_ON_DESELECT = 2


def _register_transient(obj: Any, event: int) -> None:
    jcre = _jcre.active_or_none()
    if jcre is None:
        # Outside card code (a plain unit test) there is no card to clear it; remember the kind.
        obj._transient = event
    else:
        jcre.make_transient(obj, event)


class Key(Object):
    """Mirrors ``javacard.security.Key``. A persistent key is an on-card object: its material
    is journaled like any field, so material set in an aborted transaction is rolled back."""

    _REQUIRED: tuple[str, ...] = ()
    # A transient key's material is not persistent: card images leave it out.
    _jc_transient_fields = ("_values",)

    def __init__(self, key_type: int, size: int, event: int = NOT_TRANSIENT) -> None:
        self._type = key_type & 0xFF
        self._size = size
        self._values: dict[str, Any] = {}
        # The owning context is the Object's _jc_owner (set by the JCRE when card code builds
        # the key); every field here must be a value a card image can store.
        self._transient = NOT_TRANSIENT
        if event != NOT_TRANSIENT:
            _register_transient(self, event)

    # --- the one place key material is written (the transaction journal's hook) -------------

    def _set_component(self, name: str, value: Any) -> None:
        # Copy on write: the field ``_values`` is replaced as a whole, so the journal records
        # (and an abort restores) the previous set of components in one field write.
        values = dict(self._values)
        values[name] = value
        self._values = values

    def _component(self, name: str) -> Any:
        return self._values.get(name)

    def _jc_clear(self) -> None:
        """The JCRE's clear event for a transient key: the key data is lost."""
        # Transient key data is never journaled, so the clear bypasses _set_component.
        object.__setattr__(self, "_values", {})

    # --- javacard.security.Key ---------------------------------------------------------------

    def isInitialized(self) -> bool:
        """True once every component the key needs has been set (and not cleared since)."""
        return all(self._component(name) is not None for name in self._REQUIRED)

    def clearKey(self) -> None:
        """Clear the key data and set its initialized state to false."""
        for name in list(self._values):
            self._set_component(name, None)

    def getType(self) -> int:
        """The ``KeyBuilder.TYPE_*`` constant of this key."""
        return self._type

    def getSize(self) -> int:
        """The key size in bits."""
        return self._size

    def _check_initialized(self) -> None:
        if not self.isInitialized():
            raise CryptoException(CryptoException.UNINITIALIZED_KEY)

    def __repr__(self) -> str:
        state = "initialized" if self.isInitialized() else "uninitialized"
        return f"<{type(self).__name__} type={self._type} size={self._size} {state}>"



# The key interfaces of javacard.security (ECKey, DSAKey, RSA's component accessors, ...) are
# mixins that only ever join a Key subclass, whose storage (_size, _values, _component,
# _set_component) they use: the type checker sees them as Keys, the runtime as plain mixins.
if TYPE_CHECKING:
    KeyMixin = Key
else:
    KeyMixin = object


class SecretKey(Key):
    """Mirrors ``javacard.security.SecretKey``."""


class PublicKey(Key):
    """Mirrors ``javacard.security.PublicKey``."""


class PrivateKey(Key):
    """Mirrors ``javacard.security.PrivateKey``."""


class _FixedLengthSecretKey(SecretKey):
    """DES and AES keys: ``setKey`` copies exactly ``getSize()/8`` bytes."""

    _REQUIRED = ("key",)

    def setKey(self, keyData: Any, kOff: int) -> None:
        """Set the key data from ``keyData[kOff:kOff + getSize()/8]``."""
        self._set_component("key", read(keyData, kOff, self._size // 8, "keyData"))

    def getKey(self, keyData: Any, kOff: int) -> int:
        """Copy the key data into ``keyData[kOff:]``; returns its byte length."""
        self._check_initialized()
        return write(keyData, kOff, self._values["key"], "keyData")

    def _raw(self) -> bytes:
        self._check_initialized()
        return self._values["key"]


class DESKey(_FixedLengthSecretKey):
    """Mirrors ``javacard.security.DESKey``: 8, 16 or 24 bytes (single, 2-key or 3-key DES)."""


class AESKey(_FixedLengthSecretKey):
    """Mirrors ``javacard.security.AESKey``: 16, 24 or 32 bytes."""


class KoreanSEEDKey(_FixedLengthSecretKey):
    """Mirrors ``javacard.security.KoreanSEEDKey``: 16 bytes (SEED, RFC 4269)."""


class HMACKey(SecretKey):
    """Mirrors ``javacard.security.HMACKey``.

    Deviation: the key may have any length from 1 byte up (as the specification allows); the
    ``keyLength`` given to ``buildKey`` only sets ``getSize()`` until a key is set, after which
    ``getSize()`` is the actual key length in bits.
    """

    _REQUIRED = ("key",)

    def setKey(self, keyData: Any, kOff: int, kLen: int) -> None:
        """Set the key data from ``keyData[kOff:kOff+kLen]``."""
        if kLen == 0:
            raise CryptoException(CryptoException.ILLEGAL_VALUE)
        self._set_component("key", read(keyData, kOff, kLen, "keyData"))

    def getKey(self, keyData: Any, kOff: int) -> int:
        """Copy the key data into ``keyData[kOff:]``; returns its length, or -1 above 127."""
        self._check_initialized()
        length = write(keyData, kOff, self._values["key"], "keyData")
        return length if length <= 127 else -1

    def getSize(self) -> int:
        key = self._values.get("key")
        return self._size if key is None else len(key) * 8

    def _raw(self) -> bytes:
        self._check_initialized()
        return self._values["key"]
