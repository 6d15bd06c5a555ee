"""The algorithm families behind ``Signature``: block-cipher MACs, CMAC, HMAC, RSA and ECDSA
(and DSA, in ``_dsa_dh``; ISO 9796-2, in ``signature_message_recovery``).

``create(md, cipher, padding)`` is the one table of what is supported; ``Signature.getInstance``
in both its forms ends here. MACs buffer the message and compute at ``sign`` / ``verify``;
RSA and ECDSA hash as data arrives (so ``setInitialDigest`` can continue a hash) and sign the
digest through ``cryptography``'s ``Prehashed``. RIPEMD-160 (``_ripemd160``) is a digest
``cryptography`` lacks: ECDSA takes its digest prehashed like any other, HMAC runs on Python's
``hmac``, and RSA PKCS #1 / PSS encode it in ``_rsa_encoding`` over the raw RSA primitive.
"""

from __future__ import annotations

import hmac as _consttime
import hmac as _pyhmac
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import cmac, hmac
from cryptography.hazmat.primitives.asymmetric import ec, padding, utils
from cryptography.hazmat.primitives.ciphers import algorithms

from jcsim.framework.exceptions import CryptoException
from jcsim.security import _rsa_encoding, entropy
from jcsim.security import _symmetric as sym
from jcsim.security._ripemd160 import RIPEMD160, RIPEMD160Context, new_context
from jcsim.security.ec_keys import ECPrivateKey, ECPublicKey, ec_material
from jcsim.security.keys import AESKey, DESKey, HMACKey, KoreanSEEDKey
from jcsim.security.message_digest import DIGESTS, MessageDigest, resumed
from jcsim.security.rsa_keys import RSAPrivateCrtKey, RSAPrivateKey, RSAPublicKey, rsa_material
from jcsim.security.signature import Signature

__all__ = ["TRIPLE_BY_ALG", "create"]

_S = Signature
_MD = MessageDigest
_SHA1_SHA2 = (_MD.ALG_SHA, _MD.ALG_SHA_224, _MD.ALG_SHA_256, _MD.ALG_SHA_384, _MD.ALG_SHA_512)
_RMD = _MD.ALG_RIPEMD160

# Predefined ALG_* code -> (message digest, SIG_CIPHER_*, Cipher.PAD_*), supported codes only.
TRIPLE_BY_ALG: dict[int, tuple[int, int, int]] = {
    _S.ALG_DES_MAC4_NOPAD: (0, 1, 1), _S.ALG_DES_MAC8_NOPAD: (0, 2, 1),
    _S.ALG_DES_MAC4_ISO9797_M1: (0, 1, 2), _S.ALG_DES_MAC8_ISO9797_M1: (0, 2, 2),
    _S.ALG_DES_MAC4_ISO9797_M2: (0, 1, 3), _S.ALG_DES_MAC8_ISO9797_M2: (0, 2, 3),
    _S.ALG_DES_MAC4_PKCS5: (0, 1, 6), _S.ALG_DES_MAC8_PKCS5: (0, 2, 6),
    _S.ALG_DES_MAC4_ISO9797_1_M1_ALG3: (0, 1, 4), _S.ALG_DES_MAC8_ISO9797_1_M1_ALG3: (0, 2, 4),
    _S.ALG_DES_MAC4_ISO9797_1_M2_ALG3: (0, 1, 5), _S.ALG_DES_MAC8_ISO9797_1_M2_ALG3: (0, 2, 5),
    _S.ALG_AES_MAC_128_NOPAD: (0, 6, 1), _S.ALG_AES_CMAC_128: (0, 10, 3),
    _S.ALG_KOREAN_SEED_MAC_NOPAD: (0, 8, 1),
    _S.ALG_HMAC_SHA1: (1, 7, 0), _S.ALG_HMAC_SHA_256: (4, 7, 0), _S.ALG_HMAC_SHA_384: (5, 7, 0),
    _S.ALG_HMAC_SHA_512: (6, 7, 0), _S.ALG_HMAC_MD5: (2, 7, 0), _S.ALG_HMAC_RIPEMD160: (3, 7, 0),
    _S.ALG_RSA_RIPEMD160_PKCS1: (3, 3, 7), _S.ALG_RSA_RIPEMD160_PKCS1_PSS: (3, 3, 8),
    _S.ALG_RSA_SHA_ISO9796: (1, 3, 10), _S.ALG_RSA_RIPEMD160_ISO9796: (3, 3, 10),
    _S.ALG_RSA_SHA_ISO9796_MR: (1, 3, 11), _S.ALG_RSA_RIPEMD160_ISO9796_MR: (3, 3, 11),
    _S.ALG_RSA_SHA_PKCS1: (1, 3, 7), _S.ALG_RSA_MD5_PKCS1: (2, 3, 7),
    _S.ALG_RSA_SHA_224_PKCS1: (7, 3, 7), _S.ALG_RSA_SHA_256_PKCS1: (4, 3, 7),
    _S.ALG_RSA_SHA_384_PKCS1: (5, 3, 7), _S.ALG_RSA_SHA_512_PKCS1: (6, 3, 7),
    _S.ALG_RSA_SHA_PKCS1_PSS: (1, 3, 8), _S.ALG_RSA_SHA_224_PKCS1_PSS: (7, 3, 8),
    _S.ALG_RSA_SHA_256_PKCS1_PSS: (4, 3, 8), _S.ALG_RSA_SHA_384_PKCS1_PSS: (5, 3, 8),
    _S.ALG_RSA_SHA_512_PKCS1_PSS: (6, 3, 8),
    _S.ALG_ECDSA_SHA: (1, 5, 0), _S.ALG_ECDSA_SHA_224: (7, 5, 0),
    _S.ALG_ECDSA_SHA_256: (4, 5, 0), _S.ALG_ECDSA_SHA_384: (5, 5, 0),
    _S.ALG_ECDSA_SHA_512: (6, 5, 0),
    _S.ALG_DSA_SHA: (1, 4, 0),
}
_ALG_BY_TRIPLE = {triple: alg for alg, triple in TRIPLE_BY_ALG.items()}
_ALG_BY_TRIPLE[(0, 10, 0)] = _S.ALG_AES_CMAC_128  # CMAC with PAD_NULL names the same thing


def create(md: int, cipher: int, pad: int) -> Signature:
    """A Signature for the (digest, cipher, padding) triple; NO_SUCH_ALGORITHM otherwise."""
    alg = _ALG_BY_TRIPLE.get((md, cipher, pad), 0)
    if cipher in (_S.SIG_CIPHER_DES_MAC4, _S.SIG_CIPHER_DES_MAC8) and md == 0 and pad in (
            1, 2, 3, 4, 5, 6):
        return _BlockMac(alg, md, cipher, pad)
    if cipher in (_S.SIG_CIPHER_AES_MAC128, _S.SIG_CIPHER_KOREAN_SEED_MAC) and md == 0 and (
            pad in (1, 2, 3, 6)):
        return _BlockMac(alg, md, cipher, pad)
    if cipher == _S.SIG_CIPHER_AES_CMAC128 and md == 0 and pad in (0, 3):
        return _Cmac(alg, md, cipher, pad)
    if cipher == _S.SIG_CIPHER_HMAC and pad == 0 and md in DIGESTS:
        return _Hmac(alg, md, cipher, pad)
    if cipher == _S.SIG_CIPHER_RSA and md in (_MD.ALG_SHA, _RMD) and pad in (10, 11):
        from jcsim.security import _iso9796  # it builds on _DigestSignature, here

        kind = _iso9796.ISO9796Signature if pad == 10 else _iso9796.ISO9796MRSignature
        return kind(alg, md, cipher, pad)
    if cipher == _S.SIG_CIPHER_RSA and md == _RMD and pad in (7, 8):
        return _RSARipemdSignature(alg, md, cipher, pad)
    if cipher == _S.SIG_CIPHER_RSA and (
            (pad == 7 and md in (*_SHA1_SHA2, _MD.ALG_MD5)) or (pad == 8 and md in _SHA1_SHA2)):
        return _RSASignature(alg, md, cipher, pad)
    if cipher in (_S.SIG_CIPHER_ECDSA, _S.SIG_CIPHER_ECDSA_PLAIN) and pad == 0 and (
            md in (*_SHA1_SHA2, _RMD)):
        return _ECDSASignature(alg, md, cipher, pad)
    if cipher == _S.SIG_CIPHER_DSA and pad == 0 and md in _SHA1_SHA2:
        from jcsim.security._dsa_dh import DSASignature  # it builds on _DigestSignature, here

        return DSASignature(alg, md, cipher, pad)
    raise CryptoException(CryptoException.NO_SUCH_ALGORITHM)


class _BufferedMac(Signature):
    """A MAC over the whole message, computed at sign / verify time."""

    def _restart(self) -> None:
        self._data = bytearray()

    def _absorb(self, data: bytes) -> None:
        self._data += data

    def _verify(self, signature: bytes) -> bool:
        return _consttime.compare_digest(self._sign(), signature)

    def _parameters(self, params: bytes | None) -> None:
        if params is not None:
            raise CryptoException(CryptoException.ILLEGAL_VALUE)


class _BlockMac(_BufferedMac):
    """DES / triple-DES CBC-MAC (4 or 8 bytes), retail MAC (algorithm 3), AES and SEED CBC-MAC."""

    def _key_fits(self, key: Any, mode: int) -> bool:
        if self._cipher == _S.SIG_CIPHER_AES_MAC128:
            return isinstance(key, AESKey)
        if self._cipher == _S.SIG_CIPHER_KOREAN_SEED_MAC:
            return isinstance(key, KoreanSEEDKey)
        if self._padding in (4, 5):  # ISO 9797-1 algorithm 3 needs a 2-key triple-DES key
            return isinstance(key, DESKey) and key.getSize() == 128
        return isinstance(key, DESKey)

    @property
    def _block(self) -> int:
        return 16 if self._cipher in (_S.SIG_CIPHER_AES_MAC128,
                                      _S.SIG_CIPHER_KOREAN_SEED_MAC) else 8

    def _parameters(self, params: bytes | None) -> None:
        if params is not None and len(params) != self._block:
            raise CryptoException(CryptoException.ILLEGAL_VALUE)
        self._iv = params if params is not None else bytes(self._block)

    def _length(self) -> int:
        return {_S.SIG_CIPHER_DES_MAC4: 4, _S.SIG_CIPHER_DES_MAC8: 8}.get(self._cipher, 16)

    def _sign(self) -> bytes:
        data = bytes(self._data)
        scheme = {4: sym.PAD_M1, 5: sym.PAD_M2}.get(self._padding, self._padding)
        if scheme == sym.PAD_NOPAD and not data:
            raise CryptoException(CryptoException.ILLEGAL_USE)
        padded = sym.pad(data, scheme, self._block)
        raw = self._key._raw()
        if self._padding in (4, 5):
            mac = sym.retail_mac(raw, self._iv, padded)
        else:
            kind = {_S.SIG_CIPHER_AES_MAC128: "AES",
                    _S.SIG_CIPHER_KOREAN_SEED_MAC: "SEED"}.get(self._cipher, "DES")
            mac = sym.cbc_mac(sym.block_algorithm(kind, raw), self._iv, padded)
        return mac[:self._length()]


class _Cmac(_BufferedMac):
    """AES-CMAC (NIST SP 800-38B, RFC 4493)."""

    def _key_fits(self, key: Any, mode: int) -> bool:
        return isinstance(key, AESKey)

    def _length(self) -> int:
        return 16

    def _sign(self) -> bytes:
        mac = cmac.CMAC(algorithms.AES(self._key._raw()))
        mac.update(bytes(self._data))
        return mac.finalize()


class _Hmac(_BufferedMac):
    """HMAC (RFC 2104) with the digest of the triple."""

    def _key_fits(self, key: Any, mode: int) -> bool:
        return isinstance(key, HMACKey)

    def _length(self) -> int:
        return DIGESTS[self._md][0].digest_size

    def _sign(self) -> bytes:
        if self._md == _RMD:
            return _pyhmac.new(self._key._raw(), bytes(self._data), RIPEMD160Context).digest()
        mac = hmac.HMAC(self._key._raw(), DIGESTS[self._md][0]())
        mac.update(bytes(self._data))
        return mac.finalize()


class _DigestSignature(Signature):
    """Hash-then-sign algorithms: the message is hashed as it arrives."""

    @property
    def _hash_class(self) -> Any:
        return DIGESTS[self._md][0]

    def _restart(self) -> None:
        self._hash: Any = new_context(self._hash_class())

    def _absorb(self, data: bytes) -> None:
        if data:
            self._hash.update(data)

    def _sign(self) -> bytes:
        return self._sign_digest(self._hash.finalize())

    def _verify(self, signature: bytes) -> bool:
        return self._verify_digest(self._hash.finalize(), signature)

    def _precomputed(self, digest: bytes) -> bytes:
        if len(digest) != self._hash_class.digest_size:
            raise CryptoException(CryptoException.ILLEGAL_USE)
        return digest

    def setInitialDigest(self, initialDigestBuf: Any, initialDigestOffset: int,
                         initialDigestLength: int, digestedMsgLenBuf: Any,
                         digestedMsgLenOffset: int, digestedMsgLenLength: int) -> None:
        self._ready()
        name = DIGESTS[self._md][1]
        if name is None:
            raise CryptoException(CryptoException.ILLEGAL_USE)
        self._hash = resumed(name, initialDigestBuf, initialDigestOffset, initialDigestLength,
                             digestedMsgLenBuf, digestedMsgLenOffset, digestedMsgLenLength)


class _RSASignature(_DigestSignature):
    """RSA PKCS#1 v1.5 and PSS signatures."""

    def _key_fits(self, key: Any, mode: int) -> bool:
        if mode == _S.MODE_SIGN:
            return isinstance(key, (RSAPrivateKey, RSAPrivateCrtKey))
        return isinstance(key, RSAPublicKey)

    def _check_key(self, key: Any, mode: int) -> None:
        material = rsa_material(key)
        if mode == _S.MODE_SIGN and material.private is None:
            raise CryptoException(CryptoException.ILLEGAL_VALUE)

    def _parameters(self, params: bytes | None) -> None:
        if params is not None and (self._padding != 8 or len(params) != 2):
            raise CryptoException(CryptoException.ILLEGAL_VALUE)
        # PSS salt length: the digest length unless init gave one (2 bytes, big-endian).
        self._salt = (self._hash_class.digest_size if params is None
                      else int.from_bytes(params, "big"))

    def _length(self) -> int:
        return rsa_material(self._key).k

    def _scheme(self) -> Any:
        if self._padding == 7:
            return padding.PKCS1v15()
        return padding.PSS(mgf=padding.MGF1(self._hash_class()), salt_length=self._salt)

    def _sign_digest(self, digest: bytes) -> bytes:
        material = rsa_material(self._key)
        try:
            return material.private_key().sign(digest, self._scheme(),
                                         utils.Prehashed(self._hash_class()))
        except ValueError as exc:  # the key is too short for this digest / salt
            raise CryptoException(CryptoException.ILLEGAL_USE) from exc

    def _verify_digest(self, digest: bytes, signature: bytes) -> bool:
        material = rsa_material(self._key)
        if len(signature) != material.k:
            return False
        try:
            material.public_key().verify(signature, digest, self._scheme(),
                                   utils.Prehashed(self._hash_class()))
        except (InvalidSignature, ValueError):
            return False
        return True


class _ECDSASignature(_DigestSignature):
    """ECDSA, DER-encoded (SIG_CIPHER_ECDSA) or plain R || S (SIG_CIPHER_ECDSA_PLAIN)."""

    def _key_fits(self, key: Any, mode: int) -> bool:
        return isinstance(key, ECPrivateKey if mode == _S.MODE_SIGN else ECPublicKey)

    def _check_key(self, key: Any, mode: int) -> None:
        ec_material(key)  # the curve must be one we know, the point / scalar valid

    def _parameters(self, params: bytes | None) -> None:
        if params is not None:
            raise CryptoException(CryptoException.ILLEGAL_VALUE)

    def _order_length(self) -> int:
        return (ec_material(self._key).curve.r.bit_length() + 7) // 8

    def _length(self) -> int:
        n = self._order_length()
        if self._cipher == _S.SIG_CIPHER_ECDSA_PLAIN:
            return 2 * n
        content = 2 * (2 + n + 1)
        return content + (2 if content < 128 else 3)

    def _ecdsa(self) -> Any:
        return ec.ECDSA(utils.Prehashed(self._hash_class()),
                        deterministic_signing=bool(entropy.current().deterministic))

    def _sign_digest(self, digest: bytes) -> bytes:
        der = ec_material(self._key).private.sign(digest, self._ecdsa())
        if self._cipher == _S.SIG_CIPHER_ECDSA:
            return der
        r, s = utils.decode_dss_signature(der)
        n = self._order_length()
        return r.to_bytes(n, "big") + s.to_bytes(n, "big")

    def _verify_digest(self, digest: bytes, signature: bytes) -> bool:
        if self._cipher == _S.SIG_CIPHER_ECDSA_PLAIN:
            n = self._order_length()
            if len(signature) != 2 * n:
                return False
            signature = utils.encode_dss_signature(int.from_bytes(signature[:n], "big"),
                                                   int.from_bytes(signature[n:], "big"))
        try:
            ec_material(self._key).public.verify(
                signature, digest, ec.ECDSA(utils.Prehashed(self._hash_class())))
        except (InvalidSignature, ValueError):
            return False
        return True


class _RSARipemdSignature(_RSASignature):
    """RSA PKCS #1 v1.5 and PSS with RIPEMD-160, encoded in ``_rsa_encoding``."""

    def _sign_digest(self, digest: bytes) -> bytes:
        material = rsa_material(self._key)
        bits = material.n.bit_length()
        try:
            if self._padding == 7:
                em = _rsa_encoding.pkcs1_v15_encode(digest, RIPEMD160(), material.k)
            else:
                em = _rsa_encoding.pss_encode(digest, bits - 1, RIPEMD160(), self._salt)
        except ValueError as exc:  # the key is too short for this digest / salt
            raise CryptoException(CryptoException.ILLEGAL_USE) from exc
        return material.raw(int.from_bytes(em, "big")).to_bytes(material.k, "big")

    def _verify_digest(self, digest: bytes, signature: bytes) -> bool:
        material = rsa_material(self._key)
        s = int.from_bytes(signature, "big")
        if len(signature) != material.k or s >= material.n:
            return False
        m = material.raw(s)
        bits = material.n.bit_length()
        if self._padding == 7:
            try:
                expected = _rsa_encoding.pkcs1_v15_encode(digest, RIPEMD160(), material.k)
            except ValueError:
                return False
            return _consttime.compare_digest(m.to_bytes(material.k, "big"), expected)
        em_length = (bits - 1 + 7) // 8
        if m.bit_length() > bits - 1:
            return False
        return _rsa_encoding.pss_verify(digest, m.to_bytes(em_length, "big"), bits - 1,
                                        RIPEMD160(), self._salt)
