"""Standard elliptic-curve domain parameters, for applets and tests to set on EC keys.

Java Card keys carry their curve as raw domain parameters (``setFieldFP``, ``setA``, ``setB``,
``setG``, ``setR``, ``setK``); an applet ships them as constant arrays. This module holds them
for the curves jcsim computes on, and maps a key's parameters back to the ``cryptography`` curve
(``curve_for``). The values are those of FIPS 186-4 D.1.2 (P-192, P-224, P-256, P-384,
P-521) and RFC 5639 §3.4 (brainpoolP256r1); ``tests/security/test_ec_curves.py`` checks each
against ``cryptography``: G is the curve's generator, lies on the curve, and (r-1)·G = -G.
The 112-, 128- and 160-bit prime curves are SEC 2 v1 §2.2.1, §2.3.1 and §2.4.2 (secp112r1,
secp128r1, secp160r1), the curves of ``KeyBuilder.LENGTH_EC_FP_112/128/160``; ``cryptography``
does not compute on them (their ``crypto_curve`` is None), ``_ec_soft`` does. The same test checks
them with that arithmetic (G on the curve, r·G = O, r prime).

Usage: ``ec_curves.set_domain_parameters(key, ec_curves.P256)`` or, Java style,
``key.setFieldFP(P256.field, 0, len(P256.field))`` and so on.
"""

from __future__ import annotations

from typing import Any

import attrs
from cryptography.hazmat.primitives.asymmetric import ec

__all__ = [
    "BRAINPOOL_P256R1",
    "CURVES",
    "P192",
    "P224",
    "P256",
    "P384",
    "P521",
    "SECP112R1",
    "SECP128R1",
    "SECP160R1",
    "Curve",
    "curve_for",
    "default_for_size",
    "set_domain_parameters",
]


@attrs.frozen
class Curve:
    """One prime-field curve y^2 = x^3 + a*x + b over GF(p) with generator G of order r."""

    name: str
    bits: int
    p: int
    a: int
    b: int
    gx: int
    gy: int
    r: int
    k: int
    crypto_curve: Any = attrs.field(eq=False, repr=False)

    @property
    def length(self) -> int:
        """Byte length of a field element (and of each point coordinate)."""
        return (self.bits + 7) // 8

    def _bytes(self, value: int, length: int | None = None) -> bytes:
        return value.to_bytes(self.length if length is None else length, "big")

    @property
    def field(self) -> bytes:
        """The prime p, as ``setFieldFP`` takes it."""
        return self._bytes(self.p)

    @property
    def A(self) -> bytes:
        return self._bytes(self.a)

    @property
    def B(self) -> bytes:
        return self._bytes(self.b)

    @property
    def G(self) -> bytes:
        """The generator, uncompressed (ANSI X9.62: 04 || X || Y)."""
        return b"\x04" + self._bytes(self.gx) + self._bytes(self.gy)

    @property
    def R(self) -> bytes:
        return self._bytes(self.r, (self.r.bit_length() + 7) // 8)

    # --- card images: an applet may keep a Curve in a field ----------------------------------

    def _jc_image_state(self) -> tuple[Any, ...]:
        # The numbers, not the cryptography curve object (which an image cannot hold).
        return (self.name, self.bits, self.p, self.a, self.b, self.gx, self.gy, self.r, self.k)

    def _jc_image_restore(self, state: Any) -> None:
        name, bits, p, a, b, gx, gy, r, k = state
        if not isinstance(name, str) or not all(type(v) is int for v in state[1:]):
            raise ValueError("not the numbers of a curve")
        # The cryptography curve is that of the known curve with these numbers; a curve jcsim
        # does not compute on had none to begin with (computing with it is ILLEGAL_VALUE).
        known = curve_for(p, a, b, gx, gy, r)
        values = dict(name=name, bits=bits, p=p, a=a, b=b, gx=gx, gy=gy, r=r, k=k,
                      crypto_curve=None if known is None else known.crypto_curve)
        for field, value in values.items():
            object.__setattr__(self, field, value)  # a frozen attrs class: set once, here


P256 = Curve(
    "P-256", 256,
    p=0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF,
    a=0xFFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFC,
    b=0x5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B,
    gx=0x6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296,
    gy=0x4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5,
    r=0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551,
    k=1, crypto_curve=ec.SECP256R1())

P384 = Curve(
    "P-384", 384,
    p=int("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFE"
          "FFFFFFFF0000000000000000FFFFFFFF", 16),
    a=int("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFE"
          "FFFFFFFF0000000000000000FFFFFFFC", 16),
    b=int("B3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE8141120314088F5013875A"
          "C656398D8A2ED19D2A85C8EDD3EC2AEF", 16),
    gx=int("AA87CA22BE8B05378EB1C71EF320AD746E1D3B628BA79B9859F741E082542A38"
           "5502F25DBF55296C3A545E3872760AB7", 16),
    gy=int("3617DE4A96262C6F5D9E98BF9292DC29F8F41DBD289A147CE9DA3113B5F0B8C0"
           "0A60B1CE1D7E819D7A431D7C90EA0E5F", 16),
    r=int("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF"
          "581A0DB248B0A77AECEC196ACCC52973", 16),
    k=1, crypto_curve=ec.SECP384R1())

P521 = Curve(
    "P-521", 521,
    p=2**521 - 1,
    a=2**521 - 4,
    b=int("0051953EB9618E1C9A1F929A21A0B68540EEA2DA725B99B315F3B8B489918EF1"
          "09E156193951EC7E937B1652C0BD3BB1BF073573DF883D2C34F1EF451FD46B50"
          "3F00", 16),
    gx=int("00C6858E06B70404E9CD9E3ECB662395B4429C648139053FB521F828AF606B4D"
           "3DBAA14B5E77EFE75928FE1DC127A2FFA8DE3348B3C1856A429BF97E7E31C2E5"
           "BD66", 16),
    gy=int("011839296A789A3BC0045C8A5FB42C7D1BD998F54449579B446817AFBD17273E"
           "662C97EE72995EF42640C550B9013FAD0761353C7086A272C24088BE94769FD1"
           "6650", 16),
    r=int("01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF"
          "FA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E913864"
          "09", 16),
    k=1, crypto_curve=ec.SECP521R1())

P192 = Curve(
    "P-192", 192,
    p=0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFF,
    a=0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFC,
    b=0x64210519E59C80E70FA7E9AB72243049FEB8DEECC146B9B1,
    gx=0x188DA80EB03090F67CBF20EB43A18800F4FF0AFD82FF1012,
    gy=0x07192B95FFC8DA78631011ED6B24CDD573F977A11E794811,
    r=0xFFFFFFFFFFFFFFFFFFFFFFFF99DEF836146BC9B1B4D22831,
    k=1, crypto_curve=ec.SECP192R1())

P224 = Curve(
    "P-224", 224,
    p=0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF000000000000000000000001,
    a=0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFE,
    b=0xB4050A850C04B3ABF54132565044B0B7D7BFD8BA270B39432355FFB4,
    gx=0xB70E0CBD6BB4BF7F321390B94A03C1D356C21122343280D6115C1D21,
    gy=0xBD376388B5F723FB4C22DFE6CD4375A05A07476444D5819985007E34,
    r=0xFFFFFFFFFFFFFFFFFFFFFFFFFFFF16A2E0B8F03E13DD29455C5C2A3D,
    k=1, crypto_curve=ec.SECP224R1())

BRAINPOOL_P256R1 = Curve(
    "brainpoolP256r1", 256,
    p=0xA9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377,
    a=0x7D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9,
    b=0x26DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B6,
    gx=0x8BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262,
    gy=0x547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997,
    r=0xA9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7,
    k=1, crypto_curve=ec.BrainpoolP256R1())

SECP112R1 = Curve(
    "secp112r1", 112,
    p=0xDB7C2ABF62E35E668076BEAD208B,
    a=0xDB7C2ABF62E35E668076BEAD2088,
    b=0x659EF8BA043916EEDE8911702B22,
    gx=0x09487239995A5EE76B55F9C2F098,
    gy=0xA89CE5AF8724C0A23E0E0FF77500,
    r=0xDB7C2ABF62E35E7628DFAC6561C5,
    k=1, crypto_curve=None)

SECP128R1 = Curve(
    "secp128r1", 128,
    p=0xFFFFFFFDFFFFFFFFFFFFFFFFFFFFFFFF,
    a=0xFFFFFFFDFFFFFFFFFFFFFFFFFFFFFFFC,
    b=0xE87579C11079F43DD824993C2CEE5ED3,
    gx=0x161FF7528B899B2D0C28607CA52C5B86,
    gy=0xCF5AC8395BAFEB13C02DA292DDED7A83,
    r=0xFFFFFFFE0000000075A30D1B9038A115,
    k=1, crypto_curve=None)

SECP160R1 = Curve(
    "secp160r1", 160,
    p=0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF7FFFFFFF,
    a=0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF7FFFFFFC,
    b=0x1C97BEFC54BD7A8B65ACF89F81D4D4ADC565FA45,
    gx=0x4A96B5688EF573284664698968C38BB913CBFC82,
    gy=0x23A628553168947D59DCC912042351377AC5FB32,
    r=0x0100000000000000000001F4C8F927AED3CA752257,
    k=1, crypto_curve=None)

CURVES: tuple[Curve, ...] = (P256, P384, P521, BRAINPOOL_P256R1, P192, P224, SECP112R1,
                             SECP128R1, SECP160R1)


def curve_for(p: int, a: int, b: int, gx: int, gy: int | None, r: int,
              gy_parity: int | None = None) -> Curve | None:
    """The known curve with these domain parameters, or None.

    ``gy`` may be None for a compressed generator, whose y parity is then ``gy_parity``.
    """
    for curve in CURVES:
        if (curve.p, curve.a, curve.b, curve.gx, curve.r) != (p, a, b, gx, r):
            continue
        if gy is not None and gy != curve.gy:
            continue
        if gy is None and gy_parity != curve.gy & 1:
            continue
        return curve
    return None


def default_for_size(bits: int) -> Curve | None:
    """The curve ``KeyPair.genKeyPair`` uses for a key of ``bits`` with no parameters set."""
    for curve in CURVES:
        if curve.bits == bits:
            return curve
    return None


def set_domain_parameters(key: Any, curve: Curve) -> None:
    """Set ``curve``'s domain parameters on an EC key through its Java API."""
    for setter, value in (("setFieldFP", curve.field), ("setA", curve.A), ("setB", curve.B),
                          ("setG", curve.G), ("setR", curve.R)):
        getattr(key, setter)(value, 0, len(value))
    key.setK(curve.k)
