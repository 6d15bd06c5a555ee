"""Building a card from a checked image body (``_image_read.check`` has passed).

``build`` makes the card. Object fields are written into instance dictionaries (never
through a setter), static fields of classes are adopted only for classes of the card's packages
and names those classes already have, and the module-level statics a package declares are set
last, with their old values kept: if anything fails (powering a card saved powered runs its
default applets' ``select``), they are put back and ``ImageError`` is raised, so a refused image
leaves the process as it was.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

from jcsim.framework.aid import AID
from jcsim.framework.arrays import ByteArray, JavaArray
from jcsim.framework.card_object import Object
from jcsim.framework.self_access import prepare as prepare_class
from jcsim.runtime._image_read import (
    ARRAY_TYPES,
    LIST_ARRAY_TYPES,
    Checker,
    ImageError,
    field_name,
)
from jcsim.runtime.registry import AppletRecord

if TYPE_CHECKING:
    from jcsim.runtime.card import Card

__all__ = ["build"]


class _Builder:
    def __init__(self, checker: Checker) -> None:
        self.checker = checker
        self.body = checker.body
        self.objects: dict[int, Any] = {}

    def value(self, encoded: Any) -> Any:
        if encoded is None or type(encoded) in (bool, int):
            return encoded
        (tag, payload), = encoded.items()
        if tag == "r":
            return self.objects[payload]
        if tag == "b":
            return bytes.fromhex(payload)
        if tag == "s":
            return payload
        if tag == "aid":
            return AID(bytes.fromhex(payload))
        if tag == "t":
            return tuple(self.value(v) for v in payload)
        if tag == "d":
            return {self.value(k): self.value(v) for k, v in payload}
        from jcsim.runtime.journal import _MISSING

        return _MISSING

    def shells(self) -> None:
        """Every object, empty, without running a constructor, so references resolve."""
        for ident, entry in self.checker.entries.items():
            cls = self.checker.kinds[ident]
            shell: object
            if issubclass(cls, ByteArray):
                byte_array = cls.__new__(cls)
                bytearray.__init__(byte_array, bytes(entry["length"]) if entry.get("transient")
                                   else bytes.fromhex(entry["bytes"]))
                shell = byte_array
            elif issubclass(cls, LIST_ARRAY_TYPES):
                list_array = cls.__new__(cls)
                count = entry["length"] if entry.get("transient") else len(entry["elements"])
                list.__init__(list_array, [cls._default] * count)
                shell = list_array
            else:
                shell = object.__new__(cls)
                if issubclass(cls, Object) and not hasattr(shell, "__dict__"):
                    raise ImageError(f"objects[{ident}]: {cls.__name__} keeps no fields")
            self.objects[ident] = shell

    def fill(self, card: Card) -> None:
        applets = card.registry.applets
        packages = card.registry.packages
        for ident, entry in self.checker.entries.items():
            obj = self.objects[ident]
            owner_index = entry.get("owner")
            owner = applets[owner_index] if owner_index is not None else None
            transient = entry.get("transient", 0)
            package = packages.get(entry["package"]) if entry.get("package") else None
            if isinstance(obj, ARRAY_TYPES):
                obj._owner = owner
                obj._transient = 0
                obj._store = None if transient else card.journal
                if isinstance(obj, LIST_ARRAY_TYPES) and "elements" in entry:
                    list.__setitem__(obj, slice(0, None),
                                     [self.value(v) for v in entry["elements"]])
            elif "state" in entry:
                obj._jc_image_restore(self.value(entry["state"]))
                if isinstance(obj, Object):  # a crypto engine: owned, its init state journaled
                    object.__setattr__(obj, "_jc_owner", owner)
                    object.__setattr__(obj, "_jc_store", card.journal)
            else:
                fields = obj.__dict__
                for name, value in entry["fields"].items():
                    fields[name] = self.value(value)
                fields["_jc_owner"] = owner
                fields["_jc_store"] = None if transient else card.journal
            if isinstance(obj, (Object, JavaArray)):
                card.memory.account_loaded(obj)
            if isinstance(obj, Object):
                prepare_class(type(obj))
            if transient:
                if isinstance(obj, (Object, JavaArray)):
                    card.memory.make_transient(obj, transient)
                card.transients.add(obj, transient, package)
                obj._jc_clear()
        for pool, used in enumerate(card.memory.used):
            if used > card.memory.capacity[pool]:
                raise ImageError(f"objects: {used} bytes in memory pool {pool}, but the card "
                                 f"has {card.memory.capacity[pool]}")

    def statics_of_classes(self, card: Card) -> None:
        """The card's static fields of classes, only for classes of its packages and names
        they already have (see ``jcsim.runtime.statics``)."""
        from jcsim.framework.java_class import JavaClass, static_field
        from jcsim.runtime.statics import ClassStatics, package_of_key

        blocks = []
        for i, ref in enumerate(self.body.get("statics", [])):
            where = f"statics[{i}]"
            block = self.objects[ref["r"]]
            if type(block) is not ClassStatics or block._jc_class in card.statics.classes:
                raise ImageError(f"{where}: malformed static fields")
            key, package = block._jc_class, block._jc_package
            if package not in self.checker.packages:
                raise ImageError(f"{where}: static fields of {key} outside the card's packages")
            fields = []
            if ":" in key:
                cls = self.checker.resolve(key, where)
                if not isinstance(cls, JavaClass) or package_of_key(key) != package:
                    raise ImageError(f"{where}: {key} has no static fields in {package}")
                for name in block.__dict__:
                    field_name(name, f"{where}.{name}")
                    if not any(name in klass.__dict__ for klass in cls.__mro__):
                        raise ImageError(f"{where}: {key} has no static field {name!r}")
                    fields.append((cls, name))
            elif not _java_key_in_package(key, package):
                raise ImageError(f"{where}: {key} is not a class of {package}")
            blocks.append((block, fields))
        for block, fields in blocks:
            for cls, name in fields:
                try:
                    static_field(cls, name)
                except TypeError as exc:
                    raise ImageError(f"statics: {block._jc_class}.{name}: {exc}") from exc
            card.statics.adopt(block)

    def module_statics(self, card: Card) -> list[tuple[Any, str, Any]]:
        """The declared module-level statics to set: (module, name, value), only names the
        package's own declaration lists, only on its own modules, only where they exist."""
        found = []
        for i, package in enumerate(self.body["packages"]):
            record = card.registry.packages[package["name"]]
            declared = set(record.resolved.statics)
            for name, value in package.get("statics", {}).items():
                where = f"packages[{i}].statics.{name}"
                if name not in declared:
                    raise ImageError(f"{where}: {package['name']} declares no such static")
                module_name, _, attribute = name.rpartition(".")
                full = f"{package['name']}.{module_name}" if module_name else package["name"]
                module = sys.modules.get(full)
                if module is None or attribute not in vars(module):
                    raise ImageError(f"{where}: module {full} with {attribute} is not loaded")
                found.append((module, attribute, self.value(value)))
        return found

    def journal(self, card: Card) -> None:
        journal = card.journal
        state = self.body["journal"]
        journal.depth = state["depth"]
        journal.used = state["used"]
        journal.undo = [(kind, self.value(target), key, self.value(old))
                        for kind, target, key, old in state["undo"]]
        if state["atomic"] is not None:
            target, start, old = state["atomic"]
            old_value = self.value(old)
            journal.atomic = (self.value(target), start,
                              old_value if isinstance(old_value, bytes) else list(old_value))
        for ref in state["created"]:
            obj = self.value(ref)
            journal.created.append(obj)
            journal._created_ids.add(id(obj))


def build(checker: Checker, card_factory: Any) -> Any:
    """The card of a checked body (see the module docstring)."""
    from jcsim.framework.interfaces import ExtendedLength, MultiSelectable

    body = checker.body
    builder = _Builder(checker)
    builder.shells()
    card = card_factory(body["card"])
    for package in body["packages"]:
        card.registry.package_named(package["name"]).multiselectable = package["multiselectable"]
    for entry in body["applets"]:
        cls = checker.classes[entry["class"]]
        instance = builder.value(entry["instance"])
        card.registry.applets.append(AppletRecord(
            cls, card.registry.packages[entry["package"]], AID(bytes.fromhex(entry["aid"])),
            instance, isinstance(instance, MultiSelectable), isinstance(instance, ExtendedLength),
            frozenset(entry["default_on"]), bytes.fromhex(entry.get("privileges", "")),
            entry.get("selectable", True)))
    builder.fill(card)
    builder.statics_of_classes(card)
    builder.journal(card)
    assignments = builder.module_statics(card)
    previous = [(module, name, vars(module)[name]) for module, name, _ in assignments]
    try:
        for module, name, value in assignments:
            setattr(module, name, value)
        if body["powered"]:
            card.power_on()
    except BaseException as exc:
        for module, name, value in previous:
            setattr(module, name, value)
        if isinstance(exc, ImageError):
            raise
        if not isinstance(exc, Exception):
            raise
        raise ImageError(f"powered: the card saved powered fails to power up: "
                         f"{type(exc).__name__}: {exc}") from exc
    return card


def _java_key_in_package(key: str, package: str) -> bool:
    """Whether Java class ``key`` (a binary name, ``com/example/Purse``) belongs to the card
    package ``package``: the Java class loader names a package's module after the Java package
    (``java.com.example``, or with a classpath prefix when two classpaths load it), and the
    module holds the class under its simple name."""
    from jcsim.runtime.statics import package_of_key

    java_package = package_of_key(key)
    if package != java_package and not package.endswith("." + java_package):
        return False
    module = sys.modules.get(package)
    simple = key.rpartition("/")[2]
    return module is None or not hasattr(module, "__dict__") or simple in vars(module) \
        or package == java_package
