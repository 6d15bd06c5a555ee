"""Elliptic-curve Diffie-Hellman and the PACE generic mapping.

Mirrors ``javacard.security.KeyAgreement`` (Java Card 3.0.5). Supported: ALG_EC_SVDP_DH (SHA-1
of the shared x coordinate, 20 bytes), ALG_EC_SVDP_DH_PLAIN (the x coordinate),
ALG_EC_SVDP_DH_PLAIN_XY (the shared point, uncompressed), their cofactor variants ALG_EC_SVDP_DHC
and ALG_EC_SVDP_DHC_PLAIN (every supported curve has cofactor 1, so they give the same values but
need K set on the key, as the specification says), and ALG_EC_PACE_GM (s·G + H, uncompressed).
ALG_DH_PLAIN is ``jcsim.security._dsa_dh.DHKeyAgreement`` (Y^X mod P, PKCS #3).

``cryptography``'s ECDH gives only the x coordinate of s·Q. The y coordinate for PLAIN_XY (and
the point s·G for PACE_GM) comes from ``cryptography`` too: of the two points with that x, the
shared point is the one P with x(P + Q) = x((s+1)·Q), which a second ECDH exchange gives.
The field arithmetic for that check is ``_ec_soft``'s affine point addition. On the curves
``cryptography`` lacks (below 192 bits) ``_ec_soft`` computes the whole point directly.

A KeyAgreement is an on-card ``Object``: its algorithm and key reference are persistent fields,
journaled like any other (``init`` in an aborted transaction is undone), kept over a reset and
in a card image. It has no working state to lose.
"""

from __future__ import annotations

from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

from jcsim.framework.card_object import Object
from jcsim.framework.exceptions import CryptoException
from jcsim.lang import NullPointerException
from jcsim.security import _ec_soft
from jcsim.security._buffers import read, write
from jcsim.security.ec_curves import Curve
from jcsim.security.ec_keys import ECPrivateKey, decode_point, ec_material
from jcsim.security.message_digest import hash_of

__all__ = ["KeyAgreement"]

_add = _ec_soft.add


def _lift_x(curve: Curve, x: int) -> int:
    """A y with (x, y) on the curve (every supported field has p = 3 mod 4)."""
    rhs = (pow(x, 3, curve.p) + curve.a * x + curve.b) % curve.p
    return pow(rhs, (curve.p + 1) // 4, curve.p)


def _ecdh_x(scalar: int, curve: Curve, peer: ec.EllipticCurvePublicKey) -> int:
    private = ec.derive_private_key(scalar, curve.crypto_curve)
    return int.from_bytes(private.exchange(ec.ECDH(), peer), "big")


def _multiply(scalar: int, curve: Curve, point: tuple[int, int]) -> tuple[int, int]:
    """scalar·point, with both coordinates, by two ECDH exchanges (see the module docstring)."""
    if curve.crypto_curve is None:
        product = _ec_soft.multiply(curve, scalar, point)
        if product is None:  # SEC 1 §3.3.1: the point at infinity is no shared secret
            raise CryptoException(CryptoException.ILLEGAL_VALUE)
        return product
    peer = _ec_soft.public_from_numbers(curve, point[0], point[1])
    x = _ecdh_x(scalar, curve, peer)
    y = _lift_x(curve, x)
    x_next = _ecdh_x((scalar + 1) % curve.r, curve, peer) if (scalar + 1) % curve.r else None
    candidate = (x, y)
    total = _add(curve, candidate, point)
    if (total[0] if total else None) == x_next:
        return candidate
    return x, (curve.p - y) % curve.p


class KeyAgreement(Object):
    """Mirrors ``javacard.security.KeyAgreement``."""

    ALG_EC_SVDP_DH = 1
    ALG_EC_SVDP_DH_KDF = 1  # the 3.0.5 name of the same algorithm: SHA-1 of the shared x
    ALG_EC_SVDP_DHC = 2
    ALG_EC_SVDP_DHC_KDF = 2
    ALG_EC_SVDP_DH_PLAIN = 3
    ALG_EC_SVDP_DHC_PLAIN = 4
    ALG_EC_PACE_GM = 5
    ALG_EC_SVDP_DH_PLAIN_XY = 6
    ALG_DH_PLAIN = 7

    _SUPPORTED = (1, 2, 3, 4, 5, 6)

    def __init__(self, algorithm: int) -> None:
        self._algorithm = algorithm
        self._key: Any = None

    @staticmethod
    def getInstance(algorithm: int, externalAccess: bool) -> KeyAgreement:
        """A key agreement object (ALG_DH_PLAIN: ``_dsa_dh``); NO_SUCH_ALGORITHM for unknown
        codes."""
        algorithm &= 0xFF
        if algorithm == KeyAgreement.ALG_DH_PLAIN:
            from jcsim.security._dsa_dh import DHKeyAgreement

            return DHKeyAgreement(algorithm)
        if algorithm not in KeyAgreement._SUPPORTED:
            raise CryptoException(CryptoException.NO_SUCH_ALGORITHM)
        return KeyAgreement(algorithm)

    def getAlgorithm(self) -> int:
        return self._algorithm

    def init(self, privKey: Any) -> None:
        """Initialize with an EC private key."""
        if privKey is None:
            raise NullPointerException("privKey is null")
        if not isinstance(privKey, ECPrivateKey):
            raise CryptoException(CryptoException.ILLEGAL_VALUE)
        if not privKey.isInitialized():
            raise CryptoException(CryptoException.UNINITIALIZED_KEY)
        if self._algorithm in (self.ALG_EC_SVDP_DHC, self.ALG_EC_SVDP_DHC_PLAIN):
            privKey.getK()  # the cofactor variants need K: UNINITIALIZED_KEY if it is unset
        ec_material(privKey)
        self._key = privKey

    def generateSecret(self, publicData: Any, publicOffset: int, publicLength: int,
                       secret: Any, secretOffset: int) -> int:
        """Derive the secret from the other party's public point; returns its length."""
        if self._key is None:
            raise CryptoException(CryptoException.INVALID_INIT)
        material = ec_material(self._key)
        curve = material.curve
        data = read(publicData, publicOffset, publicLength, "publicData")
        try:
            peer = _ec_soft.public_from_encoded(curve, data)
            decode_point(data, curve.length)
        except ValueError as exc:
            raise CryptoException(CryptoException.ILLEGAL_VALUE) from exc
        s = material.private.private_numbers().private_value
        numbers = peer.public_numbers()
        if self._algorithm == self.ALG_EC_PACE_GM:
            g = _multiply(s, curve, (curve.gx, curve.gy))
            point = _add(curve, g, (numbers.x, numbers.y))
            if point is None:
                raise CryptoException(CryptoException.ILLEGAL_VALUE)
            result = _encode(curve, point)
        elif self._algorithm == self.ALG_EC_SVDP_DH_PLAIN_XY:
            result = _encode(curve, _multiply(s, curve, (numbers.x, numbers.y)))
        else:
            x = material.private.exchange(ec.ECDH(), peer)
            if self._algorithm in (self.ALG_EC_SVDP_DH, self.ALG_EC_SVDP_DHC):
                result = hash_of(hashes.SHA1, x)
            else:
                result = x
        return write(secret, secretOffset, result, "secret")


def _encode(curve: Curve, point: tuple[int, int]) -> bytes:
    return b"\x04" + point[0].to_bytes(curve.length, "big") + point[1].to_bytes(curve.length,
                                                                                  "big")
