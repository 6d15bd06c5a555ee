"""Elliptic-curve keys over prime fields, with their domain parameters.

Mirrors ``javacard.security.ECKey``, ``ECPublicKey`` and ``ECPrivateKey`` (Java Card 3.0.5) for
keys of type ``TYPE_EC_FP_*``. Domain parameters are set one by one (``setFieldFP``, ``setA``,
``setB``, ``setG``, ``setR``, ``setK``); a key is initialized once those five (all but K) and its
own value (W or S) are set. At use time ``ec_material`` maps the parameters to a known curve
(see ``ec_curves``) and its key objects (``cryptography``'s, or ``_ec_soft``'s for the curves
below 192 bits); other parameters raise ILLEGAL_VALUE there.
Characteristic-2 fields are not supported: ``setFieldF2M`` raises NO_SUCH_ALGORITHM, as the
specification requires for a prime-field key.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from jcsim.framework.exceptions import CryptoException
from jcsim.security import _ec_soft
from jcsim.security._buffers import read, write
from jcsim.security.ec_curves import Curve, curve_for
from jcsim.security.keys import KeyMixin, PrivateKey, PublicKey

__all__ = ["ECKey", "ECMaterial", "ECPrivateKey", "ECPublicKey", "decode_point", "ec_material"]

_DOMAIN = ("field", "A", "B", "G", "R")


def decode_point(data: bytes, length: int) -> tuple[int, int | None, int | None]:
    """(x, y, None) for an uncompressed point, (x, None, parity) for a compressed one.

    Raises ValueError for anything else (ANSI X9.62 encodings of a finite point only).
    """
    if len(data) == 1 + 2 * length and data[0] == 0x04:
        return (int.from_bytes(data[1:1 + length], "big"),
                int.from_bytes(data[1 + length:], "big"), None)
    if len(data) == 1 + length and data[0] in (0x02, 0x03):
        return int.from_bytes(data[1:], "big"), None, data[0] & 1
    raise ValueError("not an X9.62 point encoding of this length")


class ECKey(KeyMixin):
    """Mirrors ``javacard.security.ECKey``: the domain parameters shared by EC keys."""

    @property
    def _length(self) -> int:
        return (self._size + 7) // 8

    def _set_number(self, name: str, buffer: Any, offset: int, length: int, bits: int,
                    nonzero: bool = False) -> None:
        data = read(buffer, offset, length, "buffer")
        value = int.from_bytes(data, "big")
        if length == 0 or value.bit_length() > bits or (nonzero and value == 0):
            raise CryptoException(CryptoException.ILLEGAL_VALUE)
        natural = (value.bit_length() + 7) // 8
        out = natural if name == "R" else max(self._length, natural)
        self._set_component(name, value.to_bytes(out, "big"))

    def _set_point(self, name: str, buffer: Any, offset: int, length: int) -> None:
        data = read(buffer, offset, length, "buffer")
        try:
            decode_point(data, self._length)
        except ValueError as exc:
            raise CryptoException(CryptoException.ILLEGAL_VALUE) from exc
        self._set_component(name, data)

    def _get(self, name: str, buffer: Any, offset: int) -> int:
        value = self._component(name)
        if value is None:
            raise CryptoException(CryptoException.UNINITIALIZED_KEY)
        return write(buffer, offset, value, "buffer")

    def setFieldFP(self, buffer: Any, offset: int, length: int) -> None:
        """Set the prime p of the field GF(p)."""
        self._set_number("field", buffer, offset, length, self._size, nonzero=True)

    def setFieldF2M(self, *exponents: int) -> None:
        """Not available on a prime-field key: NO_SUCH_ALGORITHM."""
        raise CryptoException(CryptoException.NO_SUCH_ALGORITHM)

    def setA(self, buffer: Any, offset: int, length: int) -> None:
        """Set the curve coefficient A."""
        self._set_number("A", buffer, offset, length, self._size)

    def setB(self, buffer: Any, offset: int, length: int) -> None:
        """Set the curve coefficient B."""
        self._set_number("B", buffer, offset, length, self._size)

    def setG(self, buffer: Any, offset: int, length: int) -> None:
        """Set the generator G (X9.62 point encoding)."""
        self._set_point("G", buffer, offset, length)

    def setR(self, buffer: Any, offset: int, length: int) -> None:
        """Set the order r of G."""
        self._set_number("R", buffer, offset, length, self._size + 1, nonzero=True)

    def setK(self, K: int) -> None:
        """Set the cofactor K."""
        self._set_component("K", K & 0xFFFF)

    def getField(self, buffer: Any, offset: int) -> int:
        """Write p; returns its byte length."""
        return self._get("field", buffer, offset)

    def getA(self, buffer: Any, offset: int) -> int:
        """Write A; returns its byte length."""
        return self._get("A", buffer, offset)

    def getB(self, buffer: Any, offset: int) -> int:
        """Write B; returns its byte length."""
        return self._get("B", buffer, offset)

    def getG(self, buffer: Any, offset: int) -> int:
        """Write G as it was set; returns its byte length."""
        return self._get("G", buffer, offset)

    def getR(self, buffer: Any, offset: int) -> int:
        """Write r; returns its byte length."""
        return self._get("R", buffer, offset)

    def getK(self) -> int:
        """The cofactor K; UNINITIALIZED_KEY if it was never set."""
        value = self._component("K")
        if value is None:
            raise CryptoException(CryptoException.UNINITIALIZED_KEY)
        return value

    def copyDomainParametersFrom(self, ecKey: Any) -> None:
        """Copy field, A, B, G, R and K from another EC key of the same size."""
        if not isinstance(ecKey, ECKey) or ecKey._size != self._size:
            raise CryptoException(CryptoException.ILLEGAL_VALUE)
        if any(ecKey._component(name) is None for name in _DOMAIN):
            raise CryptoException(CryptoException.UNINITIALIZED_KEY)
        for name in (*_DOMAIN, "K"):
            self._set_component(name, ecKey._component(name))

    def _has_domain(self) -> bool:
        return all(self._component(name) is not None
                   for name in _DOMAIN)


class ECPublicKey(ECKey, PublicKey):
    """Mirrors ``javacard.security.ECPublicKey``: the point W."""

    _REQUIRED = (*_DOMAIN, "W")

    def setW(self, buffer: Any, offset: int, length: int) -> None:
        """Set the public point W (X9.62 encoding)."""
        self._set_point("W", buffer, offset, length)

    def getW(self, buffer: Any, offset: int) -> int:
        """Write W as it was set; returns its byte length."""
        return self._get("W", buffer, offset)


class ECPrivateKey(ECKey, PrivateKey):
    """Mirrors ``javacard.security.ECPrivateKey``: the secret scalar S."""

    _REQUIRED = (*_DOMAIN, "S")

    def setS(self, buffer: Any, offset: int, length: int) -> None:
        """Set the secret value S."""
        self._set_number("S", buffer, offset, length, self._size + 1)

    def getS(self, buffer: Any, offset: int) -> int:
        """Write S; returns its byte length."""
        return self._get("S", buffer, offset)


class ECMaterial(NamedTuple):
    """A key's curve and its key objects (``cryptography``'s or ``_ec_soft``'s)."""

    curve: Curve
    public: Any
    private: Any


def curve_of(key: ECKey) -> Curve:
    """The known curve of ``key``'s domain parameters; ILLEGAL_VALUE if there is none."""
    if not key._has_domain():
        raise CryptoException(CryptoException.UNINITIALIZED_KEY)
    values = {name: key._component(name) for name in _DOMAIN}
    try:
        gx, gy, parity = decode_point(values["G"], key._length)
    except ValueError as exc:
        raise CryptoException(CryptoException.ILLEGAL_VALUE) from exc
    number = {name: int.from_bytes(values[name], "big") for name in ("field", "A", "B", "R")}
    curve = curve_for(number["field"], number["A"], number["B"], gx, gy, number["R"], parity)
    if curve is None or curve.bits != key._size:
        raise CryptoException(CryptoException.ILLEGAL_VALUE)
    return curve


def ec_material(key: Any) -> ECMaterial:
    """The curve and key objects of an initialized EC key."""
    key._check_initialized()
    curve = curve_of(key)
    try:
        if isinstance(key, ECPrivateKey):
            s = int.from_bytes(key._values["S"], "big")
            if not 0 < s < curve.r:
                raise ValueError("S is not in [1, r-1]")
            private = _ec_soft.derive_private(curve, s)
            return ECMaterial(curve, private.public_key(), private)
        public = _ec_soft.public_from_encoded(curve, key._values["W"])
        return ECMaterial(curve, public, None)
    except ValueError as exc:
        raise CryptoException(CryptoException.ILLEGAL_VALUE) from exc
