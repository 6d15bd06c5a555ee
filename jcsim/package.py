"""Java Card packages in Python: the declaration a module makes, and how classes find theirs.

A Java Card package is a Python module, or a Python package with all its modules, that
declares itself with a module-level ``JAVACARD_PACKAGE``::

    from jcsim import JavaCardPackage

    JAVACARD_PACKAGE = JavaCardPackage(
        aid="A0 00 00 00 62 03 01 0C 06",
        version="1.2",
        imports=["wallet.crypto_lib"],              # other declared packages it uses
        applets={"WalletApplet": "A0 00 00 00 62 03 01 0C 06 01"},  # class name -> class AID
        statics=("instance_count",),                 # module-level variables kept in images
    )

A class belongs to the package declared by the nearest module on its dotted module path (its
own module, then each parent package). A module with no declaration on its path is a package of
its own, with an AID derived from its name (RID F0 6A 63 73 6D, "jcsm", then 4 bytes of the
SHA-1 of the module name) and version 1.0, so simple examples need nothing. Each package is one
firewall context.

Static fields. A Java static field is a class attribute of an on-card class, assigned the Java
way (``OathObj.firstObject = obj``): each card has its own value, journaled, torn, a root for
object deletion and kept by card images with no declaration (``jcsim.framework.java_class``).
Module-level variables of a package's modules are static fields too, but only in part: the
objects they refer to are roots for object deletion, and ``statics`` names the ones card images
save and restore (``"count"`` for a variable of the declaring module, ``"sub.count"`` for one of
its submodule ``sub``). A ``global`` assignment can be neither per card nor journaled, so a
package whose functions rebind a module variable is warned about when it is loaded.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable
from types import ModuleType
from typing import Any

import attrs

from jcsim.apdu import parse_hex
from jcsim.errors import JCSimError

__all__ = ["JavaCardPackage", "PackageError", "ResolvedPackage", "package_of", "resolve_module"]

DERIVED_RID = bytes.fromhex("F06A63736D")
DECLARATION_NAME = "JAVACARD_PACKAGE"


class PackageError(JCSimError, ValueError):
    """A package declaration that is wrong, or a package that cannot be resolved."""


def _aid_bytes(value: Any, what: str) -> bytes:
    data = parse_hex(value) if isinstance(value, str) else bytes(value)
    if not 5 <= len(data) <= 16:
        raise PackageError(f"{what} must have 5 to 16 bytes, not {len(data)}")
    return data


def _version(value: Any) -> tuple[int, int]:
    if isinstance(value, str):
        major, _, minor = value.partition(".")
        value = (int(major), int(minor or 0))
    major, minor = value
    if not (0 <= major <= 255 and 0 <= minor <= 255):
        raise PackageError(f"a package version is major.minor, each 0-255, not {value!r}")
    return int(major), int(minor)


def _as_tuple(value: Iterable[str]) -> tuple[str, ...]:
    # Not the builtin ``tuple``: attrs reads a converter's signature, and a builtin's costs
    # about 2 ms at import (see ``jcsim.apdu._as_bytes``).
    return tuple(value)


@attrs.frozen
class JavaCardPackage:
    """A module's declaration of the Java Card package it is."""

    aid: bytes = attrs.field(converter=lambda v: _aid_bytes(v, "a package AID"))
    version: tuple[int, int] = attrs.field(default=(1, 0), converter=_version)
    imports: tuple[str, ...] = attrs.field(default=(), converter=_as_tuple)
    applets: dict[str, bytes] = attrs.field(
        factory=dict, converter=lambda d: {k: _aid_bytes(v, f"the class AID of {k}")
                                           for k, v in dict(d).items()})
    statics: tuple[str, ...] = attrs.field(default=(), converter=_as_tuple)


@attrs.frozen
class ResolvedPackage:
    """A package as the card sees it: its module name and its (declared or derived) facts."""

    name: str  # the declaring module (or the lone module)
    aid: bytes
    version: tuple[int, int]
    imports: tuple[str, ...]
    applets: dict[str, bytes]
    statics: tuple[str, ...]
    declared: bool

    def class_aid(self, applet_class: type) -> bytes:
        """The class AID of ``applet_class``: declared, or the package AID plus 2 bytes."""
        declared = self.applets.get(applet_class.__qualname__)
        if declared is not None:
            return declared
        import hashlib  # 2 ms at start-up, for a derived AID only

        suffix = hashlib.sha1(applet_class.__qualname__.encode()).digest()[:2]
        return (self.aid + suffix)[:16]

    def modules(self) -> list[ModuleType]:
        """The package's modules that are imported now (its own and its submodules)."""
        prefix = self.name + "."
        return [m for n, m in list(sys.modules.items())
                if m is not None and (n == self.name or (self.declared and n.startswith(prefix)))]


def derived_aid(module_name: str) -> bytes:
    import hashlib

    return DERIVED_RID + hashlib.sha1(module_name.encode()).digest()[:4]


def resolve_module(module_name: str) -> ResolvedPackage:
    """The package a module belongs to (the module must be imported)."""
    parts = module_name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        module = sys.modules.get(candidate)
        declaration = getattr(module, DECLARATION_NAME, None) if module is not None else None
        if declaration is None:
            continue
        if not isinstance(declaration, JavaCardPackage):
            raise PackageError(f"{candidate}.{DECLARATION_NAME} is not a JavaCardPackage")
        return ResolvedPackage(candidate, declaration.aid, declaration.version,
                               declaration.imports, declaration.applets, declaration.statics,
                               True)
    return ResolvedPackage(module_name, derived_aid(module_name), (1, 0), (), {}, (), False)


def package_of(cls: type) -> ResolvedPackage:
    """The package ``cls`` belongs to."""
    return resolve_module(cls.__module__)


def import_package(name: str) -> ResolvedPackage:
    """Import a package's declaring module by name and resolve it (for ``imports``)."""
    try:
        importlib.import_module(name)
    except ImportError as exc:
        raise PackageError(f"cannot import package module {name!r}: {exc}") from exc
    return resolve_module(name)
