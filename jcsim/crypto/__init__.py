"""``javacardx.crypto`` for applets written in Python.

``from jcsim.crypto import Cipher, AEADCipher`` mirrors ``javacardx.crypto.Cipher`` and
``AEADCipher`` (Java Card 3.0.5); the keys they take come from ``jcsim.security.KeyBuilder``.
See docs/crypto-algorithms.md for every algorithm constant and whether jcsim supports it.
"""

from jcsim.crypto.aead_cipher import AEADCipher
from jcsim.crypto.cipher import Cipher

__all__ = ["AEADCipher", "Cipher"]
