"""Prime-field elliptic-curve arithmetic in Python, for the curves ``cryptography`` lacks.

``cryptography`` (OpenSSL) computes on P-192 and up; the 112-, 128- and 160-bit curves behind
``KeyBuilder.LENGTH_EC_FP_112/128/160`` (secp112r1, secp128r1, secp160r1) are computed here.
Points are affine (x, y) tuples, None the point at infinity; scalar multiplication is plain
double-and-add on Jacobian coordinates. Nothing here is constant-time: the simulator holds no
secret an attacker could time.

The key objects (``SoftPrivateKey``, ``SoftPublicKey``) answer the few calls the EC engines make
on ``cryptography`` key objects (``exchange``, ``sign``, ``verify``, ``public_key``,
``private_numbers``, ``public_numbers``), with the same errors (ValueError for a bad input,
``InvalidSignature`` for a signature that does not verify), so ``Signature`` and
``KeyAgreement`` run the same code on every curve. The dispatchers ``derive_private``,
``public_from_encoded`` and ``public_from_numbers`` pick the backend from the curve.

ECDSA follows SEC 1 v2 §4.1: the digest is truncated to the bit length of the order r, the
signature is DER-encoded. The nonce is RFC 6979's when the entropy source is deterministic
(``deterministic_signing``), random otherwise; RFC 6979 runs HMAC over the digest's hash, known
here by its size (20 bytes is SHA-1: RIPEMD-160 digests get SHA-1's HMAC, which changes which
valid nonce is drawn, not the validity of the signature).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any, NamedTuple

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import ec, utils

__all__ = [
    "SoftPrivateKey",
    "SoftPublicKey",
    "add",
    "derive_private",
    "multiply",
    "on_curve",
    "public_from_encoded",
    "public_from_numbers",
]

Point = tuple[int, int] | None  # None is the point at infinity


def on_curve(curve: Any, point: tuple[int, int]) -> bool:
    x, y = point
    p = curve.p
    return 0 <= x < p and 0 <= y < p and (y * y - x * x * x - curve.a * x - curve.b) % p == 0


def add(curve: Any, p1: Point, p2: Point) -> Point:
    """p1 + p2 (affine)."""
    if p1 is None:
        return p2
    if p2 is None:
        return p1
    (x1, y1), (x2, y2) = p1, p2
    p = curve.p
    if x1 == x2 and (y1 + y2) % p == 0:
        return None
    if p1 == p2:
        slope = (3 * x1 * x1 + curve.a) * pow(2 * y1, -1, p) % p
    else:
        slope = (y2 - y1) * pow(x2 - x1, -1, p) % p
    x3 = (slope * slope - x1 - x2) % p
    return x3, (slope * (x1 - x3) - y1) % p


def _double_jacobian(curve: Any, q: tuple[int, int, int]) -> tuple[int, int, int]:
    x, y, z = q
    p = curve.p
    if y == 0 or z == 0:
        return 1, 1, 0
    yy = y * y % p
    s = 4 * x * yy % p
    m = (3 * x * x + curve.a * pow(z, 4, p)) % p
    x3 = (m * m - 2 * s) % p
    return x3, (m * (s - x3) - 8 * yy * yy) % p, 2 * y * z % p


def _add_jacobian_affine(curve: Any, q: tuple[int, int, int],
                         point: tuple[int, int]) -> tuple[int, int, int]:
    x1, y1, z1 = q
    if z1 == 0:
        return point[0], point[1], 1
    p = curve.p
    zz = z1 * z1 % p
    u2 = point[0] * zz % p
    s2 = point[1] * zz * z1 % p
    h = (u2 - x1) % p
    r = (s2 - y1) % p
    if h == 0:
        return _double_jacobian(curve, q) if r == 0 else (1, 1, 0)
    hh = h * h % p
    hhh = h * hh % p
    v = x1 * hh % p
    x3 = (r * r - hhh - 2 * v) % p
    return x3, (r * (v - x3) - y1 * hhh) % p, z1 * h % p


def multiply(curve: Any, scalar: int, point: Point) -> Point:
    """scalar·point (left-to-right double-and-add)."""
    if point is None or scalar % curve.r == 0:
        return None
    scalar %= curve.r
    q = (1, 1, 0)
    for bit in bin(scalar)[2:]:
        q = _double_jacobian(curve, q)
        if bit == "1":
            q = _add_jacobian_affine(curve, q, point)
    x, y, z = q
    if z == 0:
        return None
    p = curve.p
    zi = pow(z, -1, p)
    zi2 = zi * zi % p
    return x * zi2 % p, y * zi2 * zi % p


def _decode(curve: Any, data: bytes) -> tuple[int, int]:
    """An X9.62 point (uncompressed or compressed) on ``curve``; ValueError otherwise."""
    n = curve.length
    if len(data) == 1 + 2 * n and data[0] == 4:
        point = int.from_bytes(data[1:1 + n], "big"), int.from_bytes(data[1 + n:], "big")
    elif len(data) == 1 + n and data[0] in (2, 3):
        x = int.from_bytes(data[1:], "big")
        rhs = (x * x * x + curve.a * x + curve.b) % curve.p
        y = pow(rhs, (curve.p + 1) // 4, curve.p)  # every curve here has p = 3 mod 4
        if y & 1 != data[0] & 1:
            y = (curve.p - y) % curve.p
        point = x, y
    else:
        raise ValueError("not an X9.62 point encoding for this curve")
    if not on_curve(curve, point):
        raise ValueError("the point is not on the curve")
    return point


class _PublicNumbers(NamedTuple):
    x: int
    y: int


class _PrivateNumbers(NamedTuple):
    private_value: int


class SoftPublicKey:
    """A public point W on a curve computed in Python."""

    def __init__(self, curve: Any, point: tuple[int, int]) -> None:
        self.curve = curve
        self.point = point

    def public_numbers(self) -> _PublicNumbers:
        return _PublicNumbers(*self.point)

    def verify(self, signature: bytes, data: bytes, algorithm: ec.ECDSA) -> None:
        """SEC 1 §4.1.4 over a prehashed digest; InvalidSignature when it does not hold."""
        try:
            r, s = utils.decode_dss_signature(signature)
        except ValueError as exc:
            raise InvalidSignature from exc
        n = self.curve.r
        if not (0 < r < n and 0 < s < n):
            raise InvalidSignature
        e = _digest_number(data, n)
        w = pow(s, -1, n)
        g = (self.curve.gx, self.curve.gy)
        total = add(self.curve, multiply(self.curve, e * w, g),
                    multiply(self.curve, r * w, self.point))
        if total is None or total[0] % n != r:
            raise InvalidSignature


class SoftPrivateKey:
    """A secret scalar S on a curve computed in Python."""

    def __init__(self, curve: Any, scalar: int) -> None:
        if not 0 < scalar < curve.r:
            raise ValueError("S is not in [1, r-1]")
        self.curve = curve
        self.scalar = scalar

    def private_numbers(self) -> _PrivateNumbers:
        return _PrivateNumbers(self.scalar)

    def public_key(self) -> SoftPublicKey:
        point = multiply(self.curve, self.scalar, (self.curve.gx, self.curve.gy))
        assert point is not None  # 0 < scalar < r and G has order r
        return SoftPublicKey(self.curve, point)

    def exchange(self, algorithm: Any, peer: SoftPublicKey) -> bytes:
        """The x coordinate of S·Q (SEC 1 §3.3.1 ECSVDP-DH; the cofactor is 1 here)."""
        shared = multiply(self.curve, self.scalar, peer.point)
        if shared is None:
            raise ValueError("the shared point is the point at infinity")
        return shared[0].to_bytes(self.curve.length, "big")

    def sign(self, data: bytes, algorithm: ec.ECDSA) -> bytes:
        """SEC 1 §4.1.3 over a prehashed digest, DER-encoded."""
        n = self.curve.r
        e = _digest_number(data, n)
        nonces = (_rfc6979_nonces(self.scalar, data, n) if algorithm.deterministic_signing
                  else _random_nonces(n))
        for k in nonces:
            point = multiply(self.curve, k, (self.curve.gx, self.curve.gy))
            r = point[0] % n if point is not None else 0
            s = pow(k, -1, n) * (e + r * self.scalar) % n
            if r and s:
                return utils.encode_dss_signature(r, s)
        raise AssertionError("unreachable: the nonce streams are endless")


def _digest_number(digest: bytes, n: int) -> int:
    """The leftmost bits of the digest, as many as the order has (SEC 1 §4.1.3 step 5)."""
    e = int.from_bytes(digest, "big")
    excess = 8 * len(digest) - n.bit_length()
    return e >> excess if excess > 0 else e


def _random_nonces(n: int) -> Any:
    while True:
        yield secrets.randbelow(n - 1) + 1


_HASH_BY_SIZE = {20: hashlib.sha1, 28: hashlib.sha224, 32: hashlib.sha256, 48: hashlib.sha384,
                 64: hashlib.sha512, 16: hashlib.md5}


def _rfc6979_nonces(x: int, digest: bytes, n: int) -> Any:
    """RFC 6979 §3.2: the deterministic nonce candidates for key x and this digest."""
    qlen = n.bit_length()
    rlen = (qlen + 7) // 8
    hash_function = _HASH_BY_SIZE.get(len(digest), hashlib.sha256)

    def bits2int(data: bytes) -> int:
        value = int.from_bytes(data, "big")
        excess = 8 * len(data) - qlen
        return value >> excess if excess > 0 else value

    def mac(key: bytes, data: bytes) -> bytes:
        return hmac.new(key, data, hash_function).digest()

    h1 = (bits2int(digest) % n).to_bytes(rlen, "big")
    seed = x.to_bytes(rlen, "big") + h1
    size = hash_function().digest_size
    v, k = b"\x01" * size, b"\x00" * size
    k = mac(k, v + b"\x00" + seed)
    v = mac(k, v)
    k = mac(k, v + b"\x01" + seed)
    v = mac(k, v)
    while True:
        t = b""
        while len(t) < rlen:
            v = mac(k, v)
            t += v
        candidate = bits2int(t)
        if 0 < candidate < n:
            yield candidate
        k = mac(k, v + b"\x00")
        v = mac(k, v)


# --- the backend for a curve: cryptography where it computes, Python otherwise -------------


def derive_private(curve: Any, scalar: int) -> Any:
    """The private key object for S on ``curve``; ValueError if S is not in [1, r-1]."""
    if curve.crypto_curve is None:
        return SoftPrivateKey(curve, scalar)
    return ec.derive_private_key(scalar, curve.crypto_curve)


def public_from_encoded(curve: Any, data: bytes) -> Any:
    """The public key object for an X9.62 point; ValueError if it is not on the curve."""
    if curve.crypto_curve is None:
        return SoftPublicKey(curve, _decode(curve, data))
    return ec.EllipticCurvePublicKey.from_encoded_point(curve.crypto_curve, data)


def public_from_numbers(curve: Any, x: int, y: int) -> Any:
    """The public key object for the point (x, y); ValueError if it is not on the curve."""
    if curve.crypto_curve is None:
        if not on_curve(curve, (x, y)):
            raise ValueError("the point is not on the curve")
        return SoftPublicKey(curve, (x, y))
    return ec.EllipticCurvePublicNumbers(x, y, curve.crypto_curve).public_key()
