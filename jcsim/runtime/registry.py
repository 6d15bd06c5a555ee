"""Installed applets and the packages they belong to (JCRE §4.1, §11).

Until packages are declared explicitly, the applet classes of one Python module form one
package, and so one firewall context and one CLEAR_ON_DESELECT segment.
"""

from __future__ import annotations

from typing import Any

import attrs

from jcsim.errors import JCSimError
from jcsim.framework.aid import AID
from jcsim.package import ResolvedPackage, resolve_module

__all__ = ["AppletRecord", "PackageRecord", "Registry"]


@attrs.define(eq=False)
class PackageRecord:
    """A package loaded on the card: one firewall context and one CLEAR_ON_DESELECT segment."""

    name: str
    multiselectable: bool | None = None  # fixed by the first applet class installed
    clear_on_deselect: list[Any] = attrs.field(factory=list)
    # What the package declares (AID, version, imports, modules): resolved from its name
    # unless the loader already has it.
    resolved: ResolvedPackage = attrs.field(
        default=attrs.Factory(lambda self: resolve_module(self.name), takes_self=True))

    @property
    def aid(self) -> bytes:
        return self.resolved.aid

    @property
    def version(self) -> tuple[int, int]:
        return self.resolved.version

    @property
    def imports(self) -> tuple[str, ...]:
        return self.resolved.imports

    def modules(self) -> list[Any]:
        return self.resolved.modules()

    def __repr__(self) -> str:
        return f"<package {self.name}>"


@attrs.define(eq=False)
class AppletRecord:
    """One applet instance: its class, AID, package and capabilities."""

    applet_class: type
    package: PackageRecord
    aid: AID | None = None
    instance: Any = None
    multiselectable: bool = False
    extended_length: bool = False
    default_on: frozenset[str] = frozenset()
    privileges: bytes = b""
    # GlobalPlatform life cycle: False while INSTALLED but not yet SELECTABLE.
    selectable: bool = True

    @property
    def aid_value(self) -> bytes:
        """The bytes of the AID the applet registered under: every applet in the registry has
        one (only a record still being installed has none)."""
        aid = self.aid
        if aid is None:
            raise JCSimError(f"{self!r} has not registered: it has no AID yet")
        return aid.value

    def __repr__(self) -> str:
        return f"<applet {self.applet_class.__name__} {self.aid}>"


@attrs.define
class Registry:
    """The applet table: install order is kept, AIDs are unique."""

    applets: list[AppletRecord] = attrs.field(factory=list)
    packages: dict[str, PackageRecord] = attrs.field(factory=dict)

    def package_for(self, applet_class: type) -> PackageRecord:
        """The record of the package ``applet_class`` belongs to (loaded if it was not)."""
        return self.package_named(resolve_module(applet_class.__module__).name)

    def package_by_aid(self, aid: bytes) -> PackageRecord | None:
        for package in self.packages.values():
            if package.aid == aid:
                return package
        return None

    def package_named(self, name: str) -> PackageRecord:
        package = self.packages.get(name)
        if package is None:
            package = self.packages[name] = PackageRecord(name)
        return package

    def find(self, aid_bytes: bytes) -> AppletRecord | None:
        """The applet whose AID is exactly ``aid_bytes``."""
        for record in self.applets:
            if record.aid is not None and record.aid.value == aid_bytes:
                return record
        return None

    def applet(self, aid_bytes: bytes) -> AppletRecord:
        """The applet whose AID is exactly ``aid_bytes``, which the caller knows is installed
        (``find`` for an AID that may not be)."""
        record = self.find(aid_bytes)
        if record is None:
            raise JCSimError(f"no applet {aid_bytes.hex().upper()} is installed")
        return record

    def find_partial(self, aid_bytes: bytes) -> AppletRecord | None:
        """The first applet (in install order) whose AID starts with ``aid_bytes``."""
        for record in self.applets:
            if record.aid is not None and record.aid.value.startswith(aid_bytes):
                return record
        return None

    def default_for(self, interface: str) -> AppletRecord | None:
        for record in self.applets:
            if interface in record.default_on:
                return record
        return None
