"""Object deletion, and applet and package deletion (JCRE 3.0.5 ch. 11; programming notes
ch. 1, "Using Object, Package and Applet Deletion").

Reachability. The roots are the applet instances, the static fields of every package (the
card's statics of its classes, and the module-level variables of its modules), objects that
subsystems keep alive (exported remote objects), and the contents of transient object arrays.
An object is reachable when a chain of fields, array elements or container entries leads to it
from a root.

``collect`` is the object deletion mechanism (``JCSystem.requestObjectDeletion``): it frees
every tracked object of the given contexts that is no longer reachable. ``delete`` carries out
an applet or package deletion request all or nothing, after checking the notes' rules: no
applet of the set's contexts active on any channel, no object of the set reachable from
outside it, no other package importing a package of the set, no applet instance or reachable
object of a package's classes left outside the set. Each instance implementing ``AppletEvent`` gets
``uninstall()`` first, before any of these checks (API ``AppletEvent.uninstall``).
"""

from __future__ import annotations

import types
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from jcsim.errors import JCSimError
from jcsim.framework.arrays import JavaArray, ObjectArray
from jcsim.framework.interfaces import AppletEvent
from jcsim.runtime.dispatch import call_method, log_uncaught
from jcsim.runtime.journal import _dead_class_for
from jcsim.runtime.registry import AppletRecord, PackageRecord

if TYPE_CHECKING:
    from jcsim.runtime.card_state import CardState

__all__ = ["DeletionRefusedError", "collect", "delete", "discard_objects_of", "reachable"]

_OPAQUE = (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType,
           types.MethodType, str, bytes, int, float, bool, type(None))


class DeletionRefusedError(JCSimError, ValueError):
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
        for name, value in vars(module).items():
            # Dunder names (__spec__, __loader__, __builtins__...) are Python's import
            # machinery, not static fields; following them can reach the host program (a test
            # runner, the Simulator itself) and from there every object on the card.
            if not (name[:2] == "__" and name[-2:] == "__") and not isinstance(value, _OPAQUE):
                roots.append(value)
    return roots


def roots(card: CardState, *, without_applets: set[int] | frozenset[int] = frozenset(),
          without_packages: set[str] | frozenset[str] = frozenset()) -> list[Any]:
    found: list[Any] = [r.instance for r in card.registry.applets
                        if id(r) not in without_applets and r.instance is not None]
    for package in card.registry.packages.values():
        if package.name not in without_packages:
            found.extend(static_roots(package))
    found.extend(card.statics.roots(without_packages))
    for provider in card.root_providers:
        found.extend(provider())
    for obj in card.transients.all_objects():
        # What a transient object array holds is a root; the array itself is an object like
        # any other (reclaimed once unreachable). The arrays of applets being deleted go with
        # them, so they hold nothing alive.
        if isinstance(obj, ObjectArray) and id(_owner_of(obj)) not in without_applets:
            found.extend(list.__iter__(obj))
    return found


def reachable(card: CardState, start: Iterable[Any]) -> dict[int, Any]:
    """Every object reachable from ``start`` (by id). The JCRE's own state (the card, its
    memory table and journal) holds every object, so a path through it proves nothing: a
    module-level ``Simulator`` in an applet's module must not keep the card's garbage alive."""
    seen: dict[int, Any] = {id(card): card, id(card.memory): card.memory,
                            id(card.journal): card.journal}
    stack = [o for o in start if not isinstance(o, _OPAQUE)]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen[id(obj)] = obj
        for child in _children(obj):
            if not isinstance(child, _OPAQUE) and id(child) not in seen:
                stack.append(child)
    for runtime in (card, card.memory, card.journal):
        seen.pop(id(runtime), None)
    return seen


def _owner_of(obj: Any) -> Any:
    # object.__getattribute__: neither the firewall nor a dead object's null-use check may
    # stand between the JCRE and the owner it recorded.
    if isinstance(obj, JavaArray):
        try:
            return object.__getattribute__(obj, "_owner")
        except AttributeError:
            return None
    return getattr(obj, "__dict__", {}).get("_jc_owner")


def _kill(obj: Any) -> None:
    """Make a deleted object unusable, as a null reference is (and say why when it is used,
    so that a reference the applet kept where no root reaches is easy to find).
    ``object.__setattr__``: the
    deletion manager is the JCRE, and neither the firewall (the card manager's context may be
    the running one) nor the journal (this is no persistent write of the applet's) may stand
    between it and the object."""
    dead = getattr(type(obj), "_jc_dead_class", None) or _dead_class_for(type(obj),
                                                                            reclaimed=True)
    try:
        object.__setattr__(obj, "__class__", dead)
    except TypeError:
        attributes = getattr(obj, "__dict__", None)
        if attributes is not None:
            attributes.clear()


def _free(card: CardState, obj: Any) -> int:
    freed = card.memory.release(obj)
    card.transients.discard(obj)
    _kill(obj)
    return freed


def discard_objects_of(card: CardState, record: AppletRecord) -> None:
    """Free every object ``record`` owns (after its installation failed)."""
    for obj in card.memory.tracked():
        if _owner_of(obj) is record:
            _free(card, obj)


def collect(card: CardState, packages: set[str]) -> int:
    """Free the unreachable objects owned by applets of ``packages``; returns bytes freed."""
    live = reachable(card, roots(card))
    freed = 0
    for obj in card.memory.tracked():
        owner = _owner_of(obj)
        if owner is None or owner.package.name not in packages or id(obj) in live:
            continue
        freed += _free(card, obj)
    return freed


def _deletion_set(card: CardState, applets: list[AppletRecord]) -> None:
    # JCRE §11.3.4.1: refused while an applet instance of the context of an instance being
    # deleted (itself or another applet of its package) is active on any channel.
    contexts = {id(r.package) for r in applets}
    for iface in card.interfaces.values():
        for channel in iface.channels:
            active = channel.selected
            if active is not None and id(active.package) in contexts:
                raise DeletionRefusedError(f"{active!r}, of the context being deleted, is active "
                                           f"on {iface.name} channel {channel.number}")


def _uninstall(card: CardState, applets: list[AppletRecord]) -> None:
    # API AppletEvent.uninstall: called before any dependency check, in the applet's context;
    # its exceptions are caught and ignored, and nothing it did is undone if the deletion is
    # then refused.
    for record in applets:
        if isinstance(record.instance, AppletEvent):
            try:
                call_method(card, record, "uninstall")
            except Exception as exc:
                log_uncaught(exc, f"{record!r}.uninstall", "ignored")
            if card.journal.depth:
                card.abort_transaction()


def delete(card: CardState, applets: list[AppletRecord], packages: list[PackageRecord]) -> None:
    """Delete ``applets`` and ``packages`` together, or nothing (``DeletionRefusedError``)."""
    applet_ids = {id(r) for r in applets}
    package_names = {p.name for p in packages}
    _uninstall(card, applets)
    _deletion_set(card, applets)
    for package in packages:
        for other in card.registry.packages.values():
            if other.name not in package_names and package.name in other.imports:
                raise DeletionRefusedError(f"package {other.name} imports {package.name}")
        for record in card.registry.applets:
            if record.package is package and id(record) not in applet_ids:
                raise DeletionRefusedError(f"{record!r} is an instance of a class of "
                                           f"{package.name}")
    deleted_objects = {id(obj) for obj in card.memory.tracked()
                       if (owner := _owner_of(obj)) is not None and id(owner) in applet_ids}
    deleted_objects.update(id(r.instance) for r in applets)
    outside = reachable(card, roots(card, without_applets=applet_ids,
                                    without_packages=package_names))
    for key in deleted_objects:
        if key in outside:
            raise DeletionRefusedError(f"an object owned by the applets being deleted "
                                       f"({type(outside[key]).__name__}) is still referenced from "
                                       "outside them")
    garbage: set[int] = set()
    for package in packages:
        modules = {m.__name__ for m in package.modules()}
        for obj in card.memory.tracked():
            if type(obj).__module__ in modules and id(obj) not in deleted_objects:
                # JCRE §11.3.4.2: only a reachable (non-garbage) instance keeps its package;
                # an unreachable one goes with it.
                if id(obj) in outside:
                    raise DeletionRefusedError(f"an object of a class of {package.name} "
                                               f"({type(obj).__name__}) still exists")
                garbage.add(id(obj))
        for value in [*static_roots(package), *card.statics.values_of(package.name)]:
            if id(value) in outside and id(value) not in deleted_objects and \
                    card.memory.is_tracked(value):
                raise DeletionRefusedError(f"a static field of {package.name} is referenced from "
                                           "another context")
    for obj in card.memory.tracked():
        if id(obj) in deleted_objects or id(obj) in garbage:
            _free(card, obj)
    card.registry.applets[:] = [r for r in card.registry.applets if id(r) not in applet_ids]
    for package in packages:
        card.registry.packages.pop(package.name, None)
        card.transients.forget_package(package)
        card.statics.forget_package(package.name)
    card.registry_changes += 1
