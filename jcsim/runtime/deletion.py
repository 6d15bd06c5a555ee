"""Object deletion, and applet and package deletion (JCRE 3.0.5 ch. 11; programming notes
ch. 1, "Using Object, Package and Applet Deletion").

Reachability. The roots are the applet instances, the static fields of every package (the
module-level variables of its modules), objects that subsystems keep alive (exported remote
objects), and the contents of transient object arrays. An object is reachable when a chain of
fields, array elements or container entries leads to it from a root.

``collect`` is the object deletion mechanism (``JCSystem.requestObjectDeletion``): it frees
every tracked object of the given contexts that is no longer reachable. ``delete`` carries out
an applet or package deletion request all or nothing, after checking the notes' rules: no
applet of the set active on any channel, no object of the set reachable from outside it, no
other package importing a package of the set, no instance or object of a package's classes
left outside the set. Each instance implementing ``AppletEvent`` gets ``uninstall()`` first.
"""

from __future__ import annotations

import types
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from jcsim.errors import JCSimError
from jcsim.framework.arrays import JavaArray, ObjectArray
from jcsim.framework.interfaces import AppletEvent
from jcsim.runtime.dispatch import call_method, log
from jcsim.runtime.journal import _kill
from jcsim.runtime.registry import AppletRecord, PackageRecord

if TYPE_CHECKING:
    from jcsim.runtime.card import Card

__all__ = ["DeletionRefused", "reachable", "collect", "delete"]

_OPAQUE = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType,
           types.MethodType, str, bytes, int, float, bool, type(None))


class DeletionRefused(JCSimError, ValueError):
    """A deletion the rules forbid; ``reason`` is 'not-found' or 'conditions'."""

    def __init__(self, message: str, reason: str = "conditions") -> None:
        super().__init__(message)
        self.reason = reason


def _children(obj: Any) -> Iterable[Any]:
    if isinstance(obj, ObjectArray):
        return list.__iter__(obj)
    if isinstance(obj, JavaArray):
        return ()
    if isinstance(obj, (list, tuple, set, frozenset)):
        return obj
    if isinstance(obj, dict):
        return [*obj.keys(), *obj.values()]
    attributes = getattr(obj, "__dict__", None)
    if attributes is None:
        return ()
    return [v for k, v in attributes.items() if k not in ("_jc_store", "_jc_owner")]


def static_roots(package: PackageRecord) -> list[Any]:
    """What a package's static fields (module-level variables) refer to."""
    roots: list[Any] = []
    for module in package.modules():
        for value in vars(module).values():
            if not isinstance(value, _OPAQUE):
                roots.append(value)
    return roots


def roots(card: Card, *, without_applets: set[int] = frozenset(),
          without_packages: set[str] = frozenset()) -> list[Any]:
    found: list[Any] = [r.instance for r in card.registry.applets
                        if id(r) not in without_applets and r.instance is not None]
    for package in card.registry.packages.values():
        if package.name not in without_packages:
            found.extend(static_roots(package))
    for provider in card.root_providers:
        found.extend(provider())
    for obj in card.transients.all_objects():
        if isinstance(obj, ObjectArray):
            found.append(obj)
    return found


def reachable(card: Card, start: Iterable[Any]) -> dict[int, Any]:
    """Every object reachable from ``start`` (by id)."""
    seen: dict[int, Any] = {}
    stack = [o for o in start if not isinstance(o, _OPAQUE)]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen[id(obj)] = obj
        for child in _children(obj):
            if not isinstance(child, _OPAQUE) and id(child) not in seen:
                stack.append(child)
    return seen


def _owner_of(obj: Any) -> Any:
    owner = getattr(obj, "_owner", None) if isinstance(obj, JavaArray) else \
        getattr(obj, "__dict__", {}).get("_jc_owner")
    return owner


def collect(card: Card, packages: set[str]) -> int:
    """Free the unreachable objects owned by applets of ``packages``; returns bytes freed."""
    live = reachable(card, roots(card))
    freed = 0
    for obj in card.memory.tracked():
        owner = _owner_of(obj)
        if owner is None or owner.package.name not in packages or id(obj) in live:
            continue
        freed += card.memory.release(obj)
        card.transients.discard(obj)
        _kill(obj)
    return freed


def _deletion_set(card: Card, applets: list[AppletRecord]) -> None:
    for record in applets:
        for iface in card.interfaces.values():
            for channel in iface.channels:
                if channel.selected is record:
                    raise DeletionRefused(f"{record!r} is active on {iface.name} channel "
                                          f"{channel.number}")


def delete(card: Card, applets: list[AppletRecord], packages: list[PackageRecord]) -> None:
    """Delete ``applets`` and ``packages`` together, or nothing (``DeletionRefused``)."""
    applet_ids = {id(r) for r in applets}
    package_names = {p.name for p in packages}
    _deletion_set(card, applets)
    for package in packages:
        for other in card.registry.packages.values():
            if other.name not in package_names and package.name in other.imports:
                raise DeletionRefused(f"package {other.name} imports {package.name}")
        for record in card.registry.applets:
            if record.package is package and id(record) not in applet_ids:
                raise DeletionRefused(f"{record!r} is an instance of a class of {package.name}")
    deleted_objects = {id(obj) for obj in card.memory.tracked()
                       if (owner := _owner_of(obj)) is not None and id(owner) in applet_ids}
    deleted_objects.update(id(r.instance) for r in applets)
    outside = reachable(card, roots(card, without_applets=applet_ids,
                                    without_packages=package_names))
    for key in deleted_objects:
        if key in outside:
            raise DeletionRefused(f"an object owned by the applets being deleted "
                                  f"({type(outside[key]).__name__}) is still referenced from "
                                  "outside them")
    for package in packages:
        for obj in card.memory.tracked():
            if type(obj).__module__ in {m.__name__ for m in package.modules()} and \
                    id(obj) not in deleted_objects:
                raise DeletionRefused(f"an object of a class of {package.name} "
                                      f"({type(obj).__name__}) still exists")
        for value in static_roots(package):
            if id(value) in outside and id(value) not in deleted_objects and \
                    card.memory.is_tracked(value):
                raise DeletionRefused(f"a static field of {package.name} is referenced from "
                                      "another context")
    for record in applets:
        if isinstance(record.instance, AppletEvent):
            try:
                call_method(card, record, "uninstall")
            except Exception:  # noqa: BLE001 - JCRE §11.3.4: exceptions from uninstall are ignored
                log.warning("%r: uninstall() raised; ignored", record, exc_info=True)
            if card.journal.depth:
                card.abort_transaction()
    for obj in card.memory.tracked():
        if id(obj) in deleted_objects:
            card.memory.release(obj)
            card.transients.discard(obj)
            _kill(obj)
    card.registry.applets[:] = [r for r in card.registry.applets if id(r) not in applet_ids]
    for package in packages:
        card.registry.packages.pop(package.name, None)
        card.transients.forget_package(package)
    card.registry_changes += 1
