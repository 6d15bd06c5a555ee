"""Transient memory: CLEAR_ON_RESET objects and the CLEAR_ON_DESELECT segment of each package.

JCRE §3.1 / §4.2: CLEAR_ON_RESET contents are cleared at every card reset and power-up;
CLEAR_ON_DESELECT contents belong to the package context and are cleared when no applet of the
package remains active (and at reset). Anything registered here implements ``_jc_clear()``.
"""

from __future__ import annotations

from typing import Any

import attrs

from jcsim.runtime.registry import PackageRecord

__all__ = ["CLEAR_ON_DESELECT", "CLEAR_ON_RESET", "TransientMemory"]

CLEAR_ON_RESET = 1
CLEAR_ON_DESELECT = 2


@attrs.define
class TransientMemory:
    """Every transient object of the card, by the event that clears it."""

    clear_on_reset: list[Any] = attrs.field(factory=list)
    packages: list[PackageRecord] = attrs.field(factory=list)

    def add(self, obj: Any, event: int, package: PackageRecord | None) -> None:
        obj._transient = event
        if event == CLEAR_ON_RESET or package is None:
            self.clear_on_reset.append(obj)
        else:
            package.clear_on_deselect.append(obj)
            if package not in self.packages:
                self.packages.append(package)

    def forget(self, ids: set[int]) -> None:
        """Drop the objects with these ids (created in an aborted transaction: they are dead)."""
        self.clear_on_reset[:] = [obj for obj in self.clear_on_reset if id(obj) not in ids]
        for package in self.packages:
            package.clear_on_deselect[:] = [obj for obj in package.clear_on_deselect
                                            if id(obj) not in ids]

    def discard(self, obj: Any) -> None:
        """Forget a deleted object."""
        for group in [self.clear_on_reset, *(p.clear_on_deselect for p in self.packages)]:
            for index, item in enumerate(group):
                if item is obj:
                    del group[index]
                    break

    def forget_package(self, package: PackageRecord) -> None:
        if package in self.packages:
            self.packages.remove(package)

    def all_objects(self) -> list[Any]:
        objects = list(self.clear_on_reset)
        for package in self.packages:
            objects.extend(package.clear_on_deselect)
        return objects

    def clear_package(self, package: PackageRecord) -> None:
        for obj in package.clear_on_deselect:
            obj._jc_clear()

    def clear_all(self) -> None:
        """A card reset: both kinds of transient memory lose their contents."""
        for obj in self.clear_on_reset:
            obj._jc_clear()
        for package in self.packages:
            self.clear_package(package)
