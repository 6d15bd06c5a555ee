"""``javacard.security`` for applets written in Python.

Names, constants and behaviour mirror the Java Card 3.0.5 API, on the ``cryptography`` package:
``from jcsim.security import KeyBuilder, Signature, MessageDigest, RandomData``. Keys built with a
TRANSIENT type really lose their value at the card's reset or deselect events. Keys and key pairs
are journaled on-card objects; Cipher, Signature, digest and checksum objects keep their key and
mode over a reset and in a card image and lose any operation in progress
(``jcsim.security._engine_state``). Host-side helpers:
``jcsim.security.entropy`` (seed the card's randomness for repeatable tests) and
``jcsim.security.ec_curves`` (standard EC domain parameters). See the algorithm table in
docs/crypto.md for every algorithm constant and whether jcsim supports it.
"""

# The classes Signature.getInstance returns live here; a card image names them, and loading one
# only finds classes in modules already imported, so the module must not wait for the first
# getInstance.
from jcsim.security import _dsa_dh, _signature_engines  # noqa: F401
from jcsim.security import ec_curves, entropy
from jcsim.security.checksum import Checksum
from jcsim.security.crypto_exception import CryptoException
from jcsim.security.dsa_dh_keys import (
    DHKey,
    DHPrivateKey,
    DHPublicKey,
    DSAKey,
    DSAPrivateKey,
    DSAPublicKey,
)
from jcsim.security.ec_keys import ECKey, ECPrivateKey, ECPublicKey
from jcsim.security.key_agreement import KeyAgreement
from jcsim.security.key_builder import KeyBuilder
from jcsim.security.key_pair import KeyPair
from jcsim.security.keys import (
    AESKey,
    DESKey,
    HMACKey,
    Key,
    KoreanSEEDKey,
    PrivateKey,
    PublicKey,
    SecretKey,
)
from jcsim.security.message_digest import InitializedMessageDigest, MessageDigest
from jcsim.security.random_data import RandomData
from jcsim.security.rsa_keys import RSAPrivateCrtKey, RSAPrivateKey, RSAPublicKey
from jcsim.security.signature import Signature
from jcsim.security.signature_message_recovery import SignatureMessageRecovery
from jcsim.security import one_shot  # noqa: F401 - sets the nested OneShot classes

__all__ = [
    "AESKey", "Checksum", "CryptoException", "DESKey", "DHKey", "DHPrivateKey", "DHPublicKey",
    "DSAKey", "DSAPrivateKey", "DSAPublicKey", "ECKey", "ECPrivateKey", "ECPublicKey",
    "HMACKey", "InitializedMessageDigest", "Key", "KeyAgreement", "KeyBuilder", "KeyPair",
    "KoreanSEEDKey",
    "MessageDigest", "PrivateKey", "PublicKey", "RSAPrivateCrtKey", "RSAPrivateKey",
    "RSAPublicKey", "RandomData", "SecretKey", "Signature", "SignatureMessageRecovery",
    "ec_curves", "entropy",
]
