"""Domain-parameter objects and the keys that share them.

Mirrors the objects behind ``KeyBuilder.buildKey(ALG_TYPE_*_PARAMETERS, ...)`` and
``KeyBuilder.buildKeyWithSharedDomain`` (Java Card 3.0.5). A parameters object holds only
domain parameters: EC over Fp (field, A, B, G, R, K: it is an ``ECKey`` and a ``Key``), DSA
(P, Q, G: a ``DSAKey``) or DH (P, Q, G: a ``DHKey``); it is initialized once the parameters a
key of its family needs are set.

A key built with a shared domain holds a reference to its parameters object, never a copy:
reading a domain parameter reads the parameters object, and, as the specification says, a
change made by a setter is seen by every key sharing those parameters (a domain setter called
on such a key writes to the shared object). The key's own value (W or S, Y or X) is never
shared; ``clearKey`` clears only that value. Writes go through ``Key._set_component`` of the
object that holds the value, so the transaction journal covers both.

Deviation: the 3.0.5 API has no ``TYPE_*`` constant for a parameters object; its ``getType()``
returns the ``ALG_TYPE_*_PARAMETERS`` value it was built with.
"""

from __future__ import annotations

from typing import Any

from jcsim.security.dsa_dh_keys import (
    DHKey,
    DHPrivateKey,
    DHPublicKey,
    DSAKey,
    DSAPrivateKey,
    DSAPublicKey,
)
from jcsim.security.ec_keys import ECKey, ECPrivateKey, ECPublicKey
from jcsim.security.keys import Key, KeyMixin

__all__ = [
    "SHARED_DOMAIN_CLASSES",
    "DHParameters",
    "DSAParameters",
    "ECParameters",
]

_EC_DOMAIN = ("field", "A", "B", "G", "R", "K")
_FINITE_FIELD_DOMAIN = ("P", "Q", "G")


class ECParameters(ECKey, Key):
    """EC over Fp domain parameters (``ALG_TYPE_EC_FP_PARAMETERS``)."""

    _REQUIRED = ("field", "A", "B", "G", "R")


class DSAParameters(DSAKey, Key):
    """DSA domain parameters (``ALG_TYPE_DSA_PARAMETERS``)."""

    _REQUIRED = ("P", "Q", "G")


class DHParameters(DHKey, Key):
    """Diffie-Hellman domain parameters (``ALG_TYPE_DH_PARAMETERS``); Q is optional."""

    _REQUIRED = ("P", "G")


class _SharedDomain(KeyMixin):
    """Routes the domain parameters of a key to its shared parameters object."""

    _DOMAIN_NAMES: tuple[str, ...] = ()
    _domain: Any

    def _component(self, name: str) -> Any:
        if name in self._DOMAIN_NAMES:
            return self._domain._component(name)
        return self._values.get(name)

    def _set_component(self, name: str, value: Any) -> None:
        if name in self._DOMAIN_NAMES:
            self._domain._set_component(name, value)
        else:
            super()._set_component(name, value)


class SharedDomainECPublicKey(_SharedDomain, ECPublicKey):
    """An ``ECPublicKey`` whose curve is a shared ``ECParameters``."""

    _DOMAIN_NAMES = _EC_DOMAIN


class SharedDomainECPrivateKey(_SharedDomain, ECPrivateKey):
    """An ``ECPrivateKey`` whose curve is a shared ``ECParameters``."""

    _DOMAIN_NAMES = _EC_DOMAIN


class SharedDomainDSAPublicKey(_SharedDomain, DSAPublicKey):
    """A ``DSAPublicKey`` whose P, Q, G are a shared ``DSAParameters``."""

    _DOMAIN_NAMES = _FINITE_FIELD_DOMAIN


class SharedDomainDSAPrivateKey(_SharedDomain, DSAPrivateKey):
    """A ``DSAPrivateKey`` whose P, Q, G are a shared ``DSAParameters``."""

    _DOMAIN_NAMES = _FINITE_FIELD_DOMAIN


class SharedDomainDHPublicKey(_SharedDomain, DHPublicKey):
    """A ``DHPublicKey`` whose P, Q, G are a shared ``DHParameters``."""

    _DOMAIN_NAMES = _FINITE_FIELD_DOMAIN


class SharedDomainDHPrivateKey(_SharedDomain, DHPrivateKey):
    """A ``DHPrivateKey`` whose P, Q, G are a shared ``DHParameters``."""

    _DOMAIN_NAMES = _FINITE_FIELD_DOMAIN


# The key class a normal build makes -> (its shared-domain class, the parameters class it takes).
SHARED_DOMAIN_CLASSES: dict[type[Key], tuple[type[Key], type[Key]]] = {
    ECPublicKey: (SharedDomainECPublicKey, ECParameters),
    ECPrivateKey: (SharedDomainECPrivateKey, ECParameters),
    DSAPublicKey: (SharedDomainDSAPublicKey, DSAParameters),
    DSAPrivateKey: (SharedDomainDSAPrivateKey, DSAParameters),
    DHPublicKey: (SharedDomainDHPublicKey, DHParameters),
    DHPrivateKey: (SharedDomainDHPrivateKey, DHParameters),
}
