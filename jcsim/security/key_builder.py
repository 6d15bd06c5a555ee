"""The key factory.

Mirrors ``javacard.security.KeyBuilder`` (Java Card 3.0.5), both ``buildKey`` forms. Built here:
DES (64, 128, 192 bits), AES (128, 192, 256), HMAC (any length), RSA public, private and CRT
private (multiples of 32 bits from 512 to 4096), EC Fp public and private (112, 128, 160, 192,
224, 256, 384, 521 bits: secp112r1, secp128r1, secp160r1, P-192, P-224, P-256 /
brainpoolP256r1, P-384, P-521), Korean SEED (128), DSA public
and private (512, 768, 1024) and DH public and private (1024, 2048), each in every memory type
the API defines for it.
A ``KeyEncryption`` key (``keyEncryption`` true) is available for DES, AES and Korean SEED
(``jcsim.security._key_encryption``). Everything else raises NO_SUCH_ALGORITHM.

Shared domains: ``buildKey(ALG_TYPE_EC_FP_PARAMETERS | ALG_TYPE_DSA_PARAMETERS |
ALG_TYPE_DH_PARAMETERS, MEMORY_TYPE_PERSISTENT, length, false)`` builds a parameters object (at
the lengths of its key family), and ``buildKeyWithSharedDomain`` builds an EC Fp, DSA or DH
public or private key of that object's size which references it
(``jcsim.security.shared_domain_keys``). EC over F2m parameters raise NO_SUCH_ALGORITHM like
F2m keys. A ``domainParameters`` that is not a parameters object of the key's family is
ILLEGAL_VALUE (a null one NullPointerException).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jcsim.framework.exceptions import CryptoException
from jcsim.lang import NullPointerException
from jcsim.security._key_encryption import ENCRYPTED_KEY_CLASSES
from jcsim.security.dsa_dh_keys import DHPrivateKey, DHPublicKey, DSAPrivateKey, DSAPublicKey
from jcsim.security.ec_keys import ECPrivateKey, ECPublicKey
from jcsim.security.keys import (
    CLEAR_ON_DESELECT,
    CLEAR_ON_RESET,
    NOT_TRANSIENT,
    AESKey,
    DESKey,
    HMACKey,
    Key,
    KoreanSEEDKey,
)
from jcsim.security.rsa_keys import RSAPrivateCrtKey, RSAPrivateKey, RSAPublicKey
from jcsim.security.shared_domain_keys import (
    SHARED_DOMAIN_CLASSES,
    DHParameters,
    DSAParameters,
    ECParameters,
)

__all__ = ["KeyBuilder"]

_DES_LENGTHS = (64, 128, 192)
_AES_LENGTHS = (128, 192, 256)
_EC_LENGTHS = (112, 128, 160, 192, 224, 256, 384, 521)
_DSA_LENGTHS = (512, 768, 1024)
_DH_LENGTHS = (1024, 2048)


def _rsa_length_ok(length: int) -> bool:
    return 512 <= length <= 4096 and length % 32 == 0


class KeyBuilder:
    """Mirrors ``javacard.security.KeyBuilder``."""

    TYPE_DES_TRANSIENT_RESET = 1
    TYPE_DES_TRANSIENT_DESELECT = 2
    TYPE_DES = 3
    TYPE_RSA_PUBLIC = 4
    TYPE_RSA_PRIVATE = 5
    TYPE_RSA_CRT_PRIVATE = 6
    TYPE_DSA_PUBLIC = 7
    TYPE_DSA_PRIVATE = 8
    TYPE_EC_F2M_PUBLIC = 9
    TYPE_EC_F2M_PRIVATE = 10
    TYPE_EC_FP_PUBLIC = 11
    TYPE_EC_FP_PRIVATE = 12
    TYPE_AES_TRANSIENT_RESET = 13
    TYPE_AES_TRANSIENT_DESELECT = 14
    TYPE_AES = 15
    TYPE_KOREAN_SEED_TRANSIENT_RESET = 16
    TYPE_KOREAN_SEED_TRANSIENT_DESELECT = 17
    TYPE_KOREAN_SEED = 18
    TYPE_HMAC_TRANSIENT_RESET = 19
    TYPE_HMAC_TRANSIENT_DESELECT = 20
    TYPE_HMAC = 21
    TYPE_RSA_PRIVATE_TRANSIENT_RESET = 22
    TYPE_RSA_PRIVATE_TRANSIENT_DESELECT = 23
    TYPE_RSA_CRT_PRIVATE_TRANSIENT_RESET = 24
    TYPE_RSA_CRT_PRIVATE_TRANSIENT_DESELECT = 25
    TYPE_DSA_PRIVATE_TRANSIENT_RESET = 26
    TYPE_DSA_PRIVATE_TRANSIENT_DESELECT = 27
    TYPE_EC_F2M_PRIVATE_TRANSIENT_RESET = 28
    TYPE_EC_F2M_PRIVATE_TRANSIENT_DESELECT = 29
    TYPE_EC_FP_PRIVATE_TRANSIENT_RESET = 30
    TYPE_EC_FP_PRIVATE_TRANSIENT_DESELECT = 31
    TYPE_DH_PUBLIC = 32
    TYPE_DH_PUBLIC_TRANSIENT_DESELECT = 33
    TYPE_DH_PUBLIC_TRANSIENT_RESET = 34
    TYPE_DH_PRIVATE = 35
    TYPE_DH_PRIVATE_TRANSIENT_DESELECT = 36
    TYPE_DH_PRIVATE_TRANSIENT_RESET = 37

    ALG_TYPE_DES = 1
    ALG_TYPE_AES = 2
    ALG_TYPE_DSA_PUBLIC = 3
    ALG_TYPE_DSA_PRIVATE = 4
    ALG_TYPE_EC_F2M_PUBLIC = 5
    ALG_TYPE_EC_F2M_PRIVATE = 6
    ALG_TYPE_EC_FP_PUBLIC = 7
    ALG_TYPE_EC_FP_PRIVATE = 8
    ALG_TYPE_HMAC = 9
    ALG_TYPE_KOREAN_SEED = 10
    ALG_TYPE_RSA_PUBLIC = 11
    ALG_TYPE_RSA_PRIVATE = 12
    ALG_TYPE_RSA_CRT_PRIVATE = 13
    ALG_TYPE_DH_PUBLIC = 14
    ALG_TYPE_DH_PRIVATE = 15
    ALG_TYPE_EC_F2M_PARAMETERS = 16
    ALG_TYPE_EC_FP_PARAMETERS = 17
    ALG_TYPE_DSA_PARAMETERS = 18
    ALG_TYPE_DH_PARAMETERS = 19

    LENGTH_DES = 64
    LENGTH_DES3_2KEY = 128
    LENGTH_DES3_3KEY = 192
    LENGTH_RSA_512 = 512
    LENGTH_RSA_736 = 736
    LENGTH_RSA_768 = 768
    LENGTH_RSA_896 = 896
    LENGTH_RSA_1024 = 1024
    LENGTH_RSA_1280 = 1280
    LENGTH_RSA_1536 = 1536
    LENGTH_RSA_1984 = 1984
    LENGTH_RSA_2048 = 2048
    LENGTH_RSA_3072 = 3072
    LENGTH_RSA_4096 = 4096
    LENGTH_DSA_512 = 512
    LENGTH_DSA_768 = 768
    LENGTH_DSA_1024 = 1024
    LENGTH_EC_FP_112 = 112
    LENGTH_EC_F2M_113 = 113
    LENGTH_EC_FP_128 = 128
    LENGTH_EC_F2M_131 = 131
    LENGTH_EC_FP_160 = 160
    LENGTH_EC_F2M_163 = 163
    LENGTH_EC_FP_192 = 192
    LENGTH_EC_F2M_193 = 193
    LENGTH_EC_FP_224 = 224
    LENGTH_EC_FP_256 = 256
    LENGTH_EC_FP_384 = 384
    LENGTH_EC_FP_521 = 521
    LENGTH_AES_128 = 128
    LENGTH_AES_192 = 192
    LENGTH_AES_256 = 256
    LENGTH_KOREAN_SEED_128 = 128
    LENGTH_HMAC_SHA_1_BLOCK_64 = 64
    LENGTH_HMAC_SHA_256_BLOCK_64 = 64
    LENGTH_HMAC_SHA_384_BLOCK_128 = 128
    LENGTH_HMAC_SHA_512_BLOCK_128 = 128
    LENGTH_DH_1024 = 1024
    LENGTH_DH_2048 = 2048

    @staticmethod
    def buildKey(*args: Any) -> Key:
        """``buildKey(keyType, keyLength, keyEncryption)`` or
        ``buildKey(algorithmicKeyType, keyMemoryType, keyLength, keyEncryption)``: a new,
        uninitialized key."""
        if len(args) == 3:
            key_type, length, encryption = args
        elif len(args) == 4:
            parameters = _PARAMETERS.get(args[0] & 0xFF)
            if parameters is not None:
                return _build_parameters(args[0] & 0xFF, parameters, *args[1:])
            key_type = _TYPE_BY_ALG_AND_MEMORY.get((args[0] & 0xFF, args[1]))
            length, encryption = args[2], args[3]
            if key_type is None:
                raise CryptoException(CryptoException.NO_SUCH_ALGORITHM)
        else:
            raise TypeError("buildKey takes 3 or 4 arguments")
        entry = _FACTORIES.get(key_type & 0xFF)
        if entry is None or not entry[1](length):
            raise CryptoException(CryptoException.NO_SUCH_ALGORITHM)
        cls, _ok, event = entry
        if encryption:
            encrypted = ENCRYPTED_KEY_CLASSES.get(cls)
            if encrypted is None:
                raise CryptoException(CryptoException.NO_SUCH_ALGORITHM)
            cls = encrypted
        return cls(key_type, length, event)

    @staticmethod
    def buildKeyWithSharedDomain(algorithmicKeyType: int, keyMemoryType: int,
                                 domainParameters: Any, keyEncryption: bool) -> Key:
        """A new key of ``algorithmicKeyType`` whose domain parameters are the parameters
        object ``domainParameters`` (shared, not copied); its size is that object's."""
        key_type = _TYPE_BY_ALG_AND_MEMORY.get((algorithmicKeyType & 0xFF, keyMemoryType))
        entry = _FACTORIES.get(key_type) if key_type is not None else None
        shared = SHARED_DOMAIN_CLASSES.get(entry[0]) if entry is not None else None
        if key_type is None or entry is None or shared is None or keyEncryption:
            raise CryptoException(CryptoException.NO_SUCH_ALGORITHM)
        if domainParameters is None:
            raise NullPointerException("domainParameters is null")
        cls, parameters_class = shared
        if type(domainParameters) is not parameters_class:
            raise CryptoException(CryptoException.ILLEGAL_VALUE)
        key = cls(key_type, domainParameters.getSize(), entry[2])
        key._domain = domainParameters
        return key


_K = KeyBuilder

# ALG_TYPE_*_PARAMETERS -> (parameters class, the lengths its key family is built at).
_PARAMETERS: dict[int, tuple[type, tuple[int, ...]]] = {
    _K.ALG_TYPE_EC_FP_PARAMETERS: (ECParameters, _EC_LENGTHS),
    _K.ALG_TYPE_DSA_PARAMETERS: (DSAParameters, _DSA_LENGTHS),
    _K.ALG_TYPE_DH_PARAMETERS: (DHParameters, _DH_LENGTHS),
}


def _build_parameters(alg_type: int, entry: tuple[type, tuple[int, ...]], memory_type: int,
                      length: int, encryption: bool) -> Key:
    cls, lengths = entry
    # JCSystem.MEMORY_TYPE_PERSISTENT: shared domain parameters live as long as their keys.
    if memory_type != 0 or length not in lengths or encryption:
        raise CryptoException(CryptoException.NO_SUCH_ALGORITHM)
    return cls(alg_type, length)


def _in(lengths: tuple[int, ...]) -> Callable[[int], bool]:
    return lambda length: length in lengths


_FACTORIES: dict[int, tuple[type[Key], Callable[[int], bool], int]] = {
    _K.TYPE_DES_TRANSIENT_RESET: (DESKey, _in(_DES_LENGTHS), CLEAR_ON_RESET),
    _K.TYPE_DES_TRANSIENT_DESELECT: (DESKey, _in(_DES_LENGTHS), CLEAR_ON_DESELECT),
    _K.TYPE_DES: (DESKey, _in(_DES_LENGTHS), NOT_TRANSIENT),
    _K.TYPE_AES_TRANSIENT_RESET: (AESKey, _in(_AES_LENGTHS), CLEAR_ON_RESET),
    _K.TYPE_AES_TRANSIENT_DESELECT: (AESKey, _in(_AES_LENGTHS), CLEAR_ON_DESELECT),
    _K.TYPE_AES: (AESKey, _in(_AES_LENGTHS), NOT_TRANSIENT),
    _K.TYPE_HMAC_TRANSIENT_RESET: (HMACKey, lambda n: 0 < n <= 0x7FFF, CLEAR_ON_RESET),
    _K.TYPE_HMAC_TRANSIENT_DESELECT: (HMACKey, lambda n: 0 < n <= 0x7FFF, CLEAR_ON_DESELECT),
    _K.TYPE_HMAC: (HMACKey, lambda n: 0 < n <= 0x7FFF, NOT_TRANSIENT),
    _K.TYPE_RSA_PUBLIC: (RSAPublicKey, _rsa_length_ok, NOT_TRANSIENT),
    _K.TYPE_RSA_PRIVATE: (RSAPrivateKey, _rsa_length_ok, NOT_TRANSIENT),
    _K.TYPE_RSA_PRIVATE_TRANSIENT_RESET: (RSAPrivateKey, _rsa_length_ok, CLEAR_ON_RESET),
    _K.TYPE_RSA_PRIVATE_TRANSIENT_DESELECT: (RSAPrivateKey, _rsa_length_ok, CLEAR_ON_DESELECT),
    _K.TYPE_RSA_CRT_PRIVATE: (RSAPrivateCrtKey, _rsa_length_ok, NOT_TRANSIENT),
    _K.TYPE_RSA_CRT_PRIVATE_TRANSIENT_RESET: (RSAPrivateCrtKey, _rsa_length_ok, CLEAR_ON_RESET),
    _K.TYPE_RSA_CRT_PRIVATE_TRANSIENT_DESELECT: (RSAPrivateCrtKey, _rsa_length_ok,
                                                 CLEAR_ON_DESELECT),
    _K.TYPE_KOREAN_SEED_TRANSIENT_RESET: (KoreanSEEDKey, _in((128,)), CLEAR_ON_RESET),
    _K.TYPE_KOREAN_SEED_TRANSIENT_DESELECT: (KoreanSEEDKey, _in((128,)), CLEAR_ON_DESELECT),
    _K.TYPE_KOREAN_SEED: (KoreanSEEDKey, _in((128,)), NOT_TRANSIENT),
    _K.TYPE_DSA_PUBLIC: (DSAPublicKey, _in(_DSA_LENGTHS), NOT_TRANSIENT),
    _K.TYPE_DSA_PRIVATE: (DSAPrivateKey, _in(_DSA_LENGTHS), NOT_TRANSIENT),
    _K.TYPE_DSA_PRIVATE_TRANSIENT_RESET: (DSAPrivateKey, _in(_DSA_LENGTHS), CLEAR_ON_RESET),
    _K.TYPE_DSA_PRIVATE_TRANSIENT_DESELECT: (DSAPrivateKey, _in(_DSA_LENGTHS),
                                             CLEAR_ON_DESELECT),
    _K.TYPE_DH_PUBLIC: (DHPublicKey, _in(_DH_LENGTHS), NOT_TRANSIENT),
    _K.TYPE_DH_PUBLIC_TRANSIENT_RESET: (DHPublicKey, _in(_DH_LENGTHS), CLEAR_ON_RESET),
    _K.TYPE_DH_PUBLIC_TRANSIENT_DESELECT: (DHPublicKey, _in(_DH_LENGTHS), CLEAR_ON_DESELECT),
    _K.TYPE_DH_PRIVATE: (DHPrivateKey, _in(_DH_LENGTHS), NOT_TRANSIENT),
    _K.TYPE_DH_PRIVATE_TRANSIENT_RESET: (DHPrivateKey, _in(_DH_LENGTHS), CLEAR_ON_RESET),
    _K.TYPE_DH_PRIVATE_TRANSIENT_DESELECT: (DHPrivateKey, _in(_DH_LENGTHS), CLEAR_ON_DESELECT),
    _K.TYPE_EC_FP_PUBLIC: (ECPublicKey, _in(_EC_LENGTHS), NOT_TRANSIENT),
    _K.TYPE_EC_FP_PRIVATE: (ECPrivateKey, _in(_EC_LENGTHS), NOT_TRANSIENT),
    _K.TYPE_EC_FP_PRIVATE_TRANSIENT_RESET: (ECPrivateKey, _in(_EC_LENGTHS), CLEAR_ON_RESET),
    _K.TYPE_EC_FP_PRIVATE_TRANSIENT_DESELECT: (ECPrivateKey, _in(_EC_LENGTHS),
                                               CLEAR_ON_DESELECT),
}

# JCSystem.MEMORY_TYPE_PERSISTENT = 0, _TRANSIENT_RESET = 1, _TRANSIENT_DESELECT = 2.
_TYPE_BY_ALG_AND_MEMORY: dict[tuple[int, int], int] = {
    (_K.ALG_TYPE_DES, 0): _K.TYPE_DES,
    (_K.ALG_TYPE_DES, 1): _K.TYPE_DES_TRANSIENT_RESET,
    (_K.ALG_TYPE_DES, 2): _K.TYPE_DES_TRANSIENT_DESELECT,
    (_K.ALG_TYPE_AES, 0): _K.TYPE_AES,
    (_K.ALG_TYPE_AES, 1): _K.TYPE_AES_TRANSIENT_RESET,
    (_K.ALG_TYPE_AES, 2): _K.TYPE_AES_TRANSIENT_DESELECT,
    (_K.ALG_TYPE_HMAC, 0): _K.TYPE_HMAC,
    (_K.ALG_TYPE_HMAC, 1): _K.TYPE_HMAC_TRANSIENT_RESET,
    (_K.ALG_TYPE_HMAC, 2): _K.TYPE_HMAC_TRANSIENT_DESELECT,
    (_K.ALG_TYPE_RSA_PUBLIC, 0): _K.TYPE_RSA_PUBLIC,
    (_K.ALG_TYPE_RSA_PRIVATE, 0): _K.TYPE_RSA_PRIVATE,
    (_K.ALG_TYPE_RSA_PRIVATE, 1): _K.TYPE_RSA_PRIVATE_TRANSIENT_RESET,
    (_K.ALG_TYPE_RSA_PRIVATE, 2): _K.TYPE_RSA_PRIVATE_TRANSIENT_DESELECT,
    (_K.ALG_TYPE_RSA_CRT_PRIVATE, 0): _K.TYPE_RSA_CRT_PRIVATE,
    (_K.ALG_TYPE_RSA_CRT_PRIVATE, 1): _K.TYPE_RSA_CRT_PRIVATE_TRANSIENT_RESET,
    (_K.ALG_TYPE_RSA_CRT_PRIVATE, 2): _K.TYPE_RSA_CRT_PRIVATE_TRANSIENT_DESELECT,
    (_K.ALG_TYPE_KOREAN_SEED, 0): _K.TYPE_KOREAN_SEED,
    (_K.ALG_TYPE_KOREAN_SEED, 1): _K.TYPE_KOREAN_SEED_TRANSIENT_RESET,
    (_K.ALG_TYPE_KOREAN_SEED, 2): _K.TYPE_KOREAN_SEED_TRANSIENT_DESELECT,
    (_K.ALG_TYPE_DSA_PUBLIC, 0): _K.TYPE_DSA_PUBLIC,
    (_K.ALG_TYPE_DSA_PRIVATE, 0): _K.TYPE_DSA_PRIVATE,
    (_K.ALG_TYPE_DSA_PRIVATE, 1): _K.TYPE_DSA_PRIVATE_TRANSIENT_RESET,
    (_K.ALG_TYPE_DSA_PRIVATE, 2): _K.TYPE_DSA_PRIVATE_TRANSIENT_DESELECT,
    (_K.ALG_TYPE_DH_PUBLIC, 0): _K.TYPE_DH_PUBLIC,
    (_K.ALG_TYPE_DH_PUBLIC, 1): _K.TYPE_DH_PUBLIC_TRANSIENT_RESET,
    (_K.ALG_TYPE_DH_PUBLIC, 2): _K.TYPE_DH_PUBLIC_TRANSIENT_DESELECT,
    (_K.ALG_TYPE_DH_PRIVATE, 0): _K.TYPE_DH_PRIVATE,
    (_K.ALG_TYPE_DH_PRIVATE, 1): _K.TYPE_DH_PRIVATE_TRANSIENT_RESET,
    (_K.ALG_TYPE_DH_PRIVATE, 2): _K.TYPE_DH_PRIVATE_TRANSIENT_DESELECT,
    (_K.ALG_TYPE_EC_FP_PUBLIC, 0): _K.TYPE_EC_FP_PUBLIC,
    (_K.ALG_TYPE_EC_FP_PRIVATE, 0): _K.TYPE_EC_FP_PRIVATE,
    (_K.ALG_TYPE_EC_FP_PRIVATE, 1): _K.TYPE_EC_FP_PRIVATE_TRANSIENT_RESET,
    (_K.ALG_TYPE_EC_FP_PRIVATE, 2): _K.TYPE_EC_FP_PRIVATE_TRANSIENT_DESELECT,
}
