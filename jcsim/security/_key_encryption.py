"""Keys whose ``setKey`` takes encrypted key data.

Mirrors ``javacardx.crypto.KeyEncryption`` (Java Card 3.0.5); ``jcsim.crypto`` exports the
interface (it lives here, below ``jcsim.crypto``, because ``KeyBuilder`` builds the keys that
implement it). ``KeyBuilder.buildKey(..., keyEncryption=true)`` returns a DES, AES or Korean
SEED key that also implements the interface: once ``setKeyCipher`` has given it a ``Cipher``
initialized for decryption, ``setKey`` decrypts the key data with that cipher (one ``doFinal``
over exactly the key length; a result of another length is ILLEGAL_VALUE) before storing it.
With no cipher set (``null``), ``setKey`` takes the data in plain. The cipher reference is a
field of the key, journaled like any other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jcsim.framework.exceptions import CryptoException
from jcsim.security._buffers import read
from jcsim.security.keys import AESKey, DESKey, Key, KoreanSEEDKey

# The mixin only joins the fixed-length secret keys (ENCRYPTED_KEY_CLASSES), whose setKey and
# size it uses: the type checker sees it as one.
if TYPE_CHECKING:
    from jcsim.security.keys import _FixedLengthSecretKey as _SecretKeyBase
else:
    _SecretKeyBase = object

__all__ = ["ENCRYPTED_KEY_CLASSES", "KeyEncryption"]


class KeyEncryption:
    """Mirrors the ``javacardx.crypto.KeyEncryption`` interface."""

    def setKeyCipher(self, keyCipher: Any) -> None:
        raise NotImplementedError

    def getKeyCipher(self) -> Any:
        raise NotImplementedError


class _EncryptedKeyData(KeyEncryption, _SecretKeyBase):
    """``setKey`` through the key cipher, for the fixed-length secret keys."""

    _key_cipher: Any = None

    def setKeyCipher(self, keyCipher: Any) -> None:
        """The ``Cipher`` that decrypts the data given to ``setKey`` (None: plain data)."""
        self._key_cipher = keyCipher

    def getKeyCipher(self) -> Any:
        """The cipher ``setKeyCipher`` gave, or None."""
        return self._key_cipher

    def setKey(self, keyData: Any, kOff: int) -> None:
        """Set the key from ``keyData[kOff:kOff + getSize()/8]``, decrypted first when a key
        cipher is set."""
        cipher = self._key_cipher
        if cipher is None:
            super().setKey(keyData, kOff)
            return
        length = self._size // 8
        read(keyData, kOff, length, "keyData")  # bounds first, as Java checks them
        plain = bytearray(length + 32)
        if cipher.doFinal(keyData, kOff, length, plain, 0) != length:
            raise CryptoException(CryptoException.ILLEGAL_VALUE)
        super().setKey(bytes(plain[:length]), 0)


def _encrypted(cls: type[Key]) -> type[Key]:
    return type(f"Encrypted{cls.__name__}", (_EncryptedKeyData, cls), {
        "__doc__": f"A {cls.__name__} that implements KeyEncryption.", "__module__": __name__})


ENCRYPTED_KEY_CLASSES: dict[type[Key], type[Key]] = {
    cls: _encrypted(cls) for cls in (DESKey, AESKey, KoreanSEEDKey)}
globals().update({c.__name__: c for c in ENCRYPTED_KEY_CLASSES.values()})
