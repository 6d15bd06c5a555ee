"""``javacardx.crypto`` for applets written in Python.

``from jcsim.crypto import Cipher, AEADCipher`` mirrors ``javacardx.crypto.Cipher`` and
``AEADCipher`` (Java Card 3.0.5); the keys they take come from ``jcsim.security.KeyBuilder``.
See the algorithm table in docs/crypto.md for every algorithm constant and whether jcsim supports
it.
"""

# The classes getInstance returns live here; a card image names them, and loading one only finds
# classes in modules already imported, so the module must not wait for the first getInstance.
from jcsim.crypto import _cipher_engines  # noqa: F401
from jcsim.crypto.aead_cipher import AEADCipher
from jcsim.crypto.cipher import Cipher
from jcsim.security._key_encryption import KeyEncryption
from jcsim.security.one_shot import cipher_one_shot

# A nested class, set past the on-card metaclass (see jcsim.security.one_shot).
type.__setattr__(Cipher, "OneShot", cipher_one_shot(Cipher))

__all__ = ["AEADCipher", "Cipher", "KeyEncryption"]
