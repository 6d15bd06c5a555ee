"""Reading a card image body: the schema check of the whole document (``_image_build`` then
builds the card).

Theory of operation. ``check`` walks the parsed body once and refuses (``ImageError`` naming the
place: ``objects[12].fields.pin``) anything that is not exactly what ``image._Writer`` writes:
wrong types, unknown keys, values nested deeper than ``MAX_DEPTH``, references to objects that
do not exist, arrays longer than a Java array can be, and more memory than the card's own
configuration gives it. It resolves every class the image names, but only in modules already
imported or that the caller allows (nothing else is imported), and only on-card classes
(``Object`` and Java array types, classes with ``_jc_image_restore``), which are built without
running a constructor. Nothing is built until the check has passed.
"""

from __future__ import annotations

import importlib
import re
import sys
from typing import Any

from jcsim.errors import JCSimError
from jcsim.framework.arrays import (
    BooleanArray,
    ByteArray,
    IntArray,
    JavaArray,
    ObjectArray,
    ShortArray,
    TemporaryByteArray,
)
from jcsim.framework.card_object import Object
from jcsim.runtime.interface import CONTACT, CONTACTLESS

__all__ = ["MAX_DEPTH", "Checker", "ImageError", "check", "field_name"]

MAX_DEPTH = 32          # nesting of values (tuples and dicts inside fields)
MAX_ARRAY = 32767       # a Java array's index is a positive short
MAX_POOL = 1 << 26      # a memory pool of a configuration (64 MiB is far past any card)
_HEX = re.compile(r"(?:[0-9a-fA-F]{2})*")
_DOTTED = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
_CLASS = re.compile(r"[A-Za-z_][\w.]*:[A-Za-z_][\w.]*", re.ASCII)
_INTERNAL_FIELDS = frozenset({"_jc_store", "_jc_owner"})
# The Java array types an image may hold (no other JavaArray class is accepted), with the width
# of an element in bytes; all but ByteArray are lists.
_ARRAY_WIDTH: dict[type[JavaArray], int] = {ByteArray: 1, BooleanArray: 1, ShortArray: 2,
                                            IntArray: 4, ObjectArray: 2}
LIST_ARRAY_TYPES = (BooleanArray, ShortArray, IntArray, ObjectArray)
ARRAY_TYPES = (ByteArray, *LIST_ARRAY_TYPES)
_OBJECT_HEADER = 8
_FIELD_SIZE = 4


class ImageError(JCSimError, ValueError):
    """A card image that cannot be saved or loaded; the message says what and where."""


def _fail(where: str, what: str) -> ImageError:
    return ImageError(f"{where}: {what}")


def _int(value: Any, where: str, low: int, high: int) -> int:
    if type(value) is not int or not low <= value <= high:
        raise _fail(where, f"expected an integer {low}..{high}, not {_short(value)}")
    return value


def _bool(value: Any, where: str) -> bool:
    if type(value) is not bool:
        raise _fail(where, f"expected true or false, not {_short(value)}")
    return value


def _str(value: Any, where: str, limit: int = 256) -> str:
    if type(value) is not str or len(value) > limit:
        raise _fail(where, f"expected a string of at most {limit} characters")
    return value


def _hex(value: Any, where: str, low: int = 0, high: int = MAX_ARRAY) -> bytes:
    if type(value) is not str or len(value) > 2 * high or not _HEX.fullmatch(value):
        raise _fail(where, "expected hexadecimal bytes")
    data = bytes.fromhex(value)
    if not low <= len(data) <= high:
        raise _fail(where, f"expected {low}..{high} bytes, not {len(data)}")
    return data


def _keys(value: Any, where: str, required: set[str],
          optional: set[str] | frozenset[str] = frozenset()) -> dict[str, Any]:
    if type(value) is not dict:
        raise _fail(where, "expected an object")
    missing = required - value.keys()
    extra = value.keys() - required - optional
    if missing or extra:
        raise _fail(where, f"missing {sorted(missing)}" if missing else
                    f"unexpected {sorted(extra)[:5]}")
    return value


def _list(value: Any, where: str, limit: int = 1 << 22) -> list:
    if type(value) is not list or len(value) > limit:
        raise _fail(where, "expected a list")
    return value


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def field_name(name: Any, where: str) -> str:
    if type(name) is not str or not name.isidentifier() or not name.isascii() or \
            name.startswith("__") or name in _INTERNAL_FIELDS:
        raise _fail(where, f"{_short(name)} is not a field name an image may set")
    return name


# --- the check ---------------------------------------------------------------------------------

class Checker:
    """Checks one body and resolves its classes (see the module docstring)."""

    def __init__(self, body: Any, allow_modules: Any) -> None:
        self.body = body
        self.allow = set(allow_modules)
        self.classes: dict[str, type] = {}
        self.entries: dict[int, dict] = {}
        self.kinds: dict[int, type] = {}
        self.packages: set[str] = set()

    def run(self) -> None:
        body = _keys(self.body, "body", {"card", "powered", "packages", "applets", "objects",
                                         "journal"}, {"statics"})
        self.config()
        _bool(body["powered"], "powered")
        for i, package in enumerate(_list(body["packages"], "packages", 1024)):
            where = f"packages[{i}]"
            _keys(package, where, {"name", "multiselectable"}, {"statics"})
            name = _str(package["name"], f"{where}.name")
            if not _DOTTED.fullmatch(name) or name in self.packages:
                raise _fail(f"{where}.name", f"{_short(name)} is not a new package name")
            self.packages.add(name)
            if package["multiselectable"] is not None:
                _bool(package["multiselectable"], f"{where}.multiselectable")
        objects = body["objects"]
        if type(objects) is not dict:
            raise _fail("objects", "expected an object")
        for key, entry in objects.items():
            if not key.isascii() or not key.isdigit() or len(key) > 9 or int(key) < 1:
                raise _fail(f"objects[{_short(key)}]", "not an object id")
            self.entries[int(key)] = entry
        for ident, entry in self.entries.items():
            where = f"objects[{ident}]"
            if type(entry) is not dict:
                raise _fail(where, "expected an object")
            self.kinds[ident] = self.resolve(_str(entry.get("class"), f"{where}.class"), where)
        self.memory_fits()
        for ident, entry in self.entries.items():
            self.object(ident, entry)
        self.applets()
        for i, package in enumerate(body["packages"]):
            statics = package.get("statics", {})
            if type(statics) is not dict:
                raise _fail(f"packages[{i}].statics", "expected an object")
            for name, value in statics.items():
                _str(name, f"packages[{i}].statics")
                self.value(value, f"packages[{i}].statics.{name}")
        statics = _list(body.get("statics", []), "statics")
        for i, ref in enumerate(statics):
            target = self.ref(ref, f"statics[{i}]")
            if self.kinds[target].__name__ != "ClassStatics":
                raise _fail(f"statics[{i}]", "does not name static fields")
        self.journal()

    def config(self) -> None:
        config = _keys(self.body["card"], "card", {"protocol", "atr", "contactless_atr",
                                                   "apdu_buffer_size", "commit_capacity",
                                                   "memory", "firewall"})
        if config["protocol"] not in ("T=0", "T=1"):
            raise _fail("card.protocol", "expected T=0 or T=1")
        _hex(config["atr"], "card.atr", 2, 33)
        _hex(config["contactless_atr"], "card.contactless_atr", 2, 33)
        _int(config["apdu_buffer_size"], "card.apdu_buffer_size", 133, 65544)
        _int(config["commit_capacity"], "card.commit_capacity", 0, MAX_POOL)
        memory = _list(config["memory"], "card.memory", 3)
        if len(memory) != 3:
            raise _fail("card.memory", "expected three pool sizes")
        for i, size in enumerate(memory):
            _int(size, f"card.memory[{i}]", 0, MAX_POOL)
        _bool(config["firewall"], "card.firewall")

    def resolve(self, path: str, where: str) -> type:
        """The class ``module:Qualified.Name``, from a module imported already or allowed;
        an on-card class."""
        if path in self.classes:
            return self.classes[path]
        if not _CLASS.fullmatch(path):
            raise _fail(where, f"{_short(path)} is not a class name")
        module_name, _, qualname = path.partition(":")
        module = sys.modules.get(module_name)
        if module is None:
            # Only a module the caller allows is imported; a package of the card is no licence.
            if not any(module_name == name or module_name.startswith(name + ".")
                       for name in self.allow):
                raise _fail(where, f"the image needs {path}, but module {module_name!r} is not "
                                   "imported; import it first or name it in allow_modules")
            try:
                module = importlib.import_module(module_name)
            except Exception as exc:  # an allowed module that fails to import is refused
                raise _fail(where, f"cannot import {module_name!r}: {exc}") from exc
        target: Any = module
        for part in qualname.split("."):
            target = vars(target).get(part) if hasattr(target, "__dict__") else None
            if target is None:
                raise _fail(where, f"{path} does not exist")
        if not isinstance(target, type) or issubclass(target, TemporaryByteArray) or not (
                issubclass(target, (Object, JavaArray)) or
                callable(getattr(target, "_jc_image_restore", None))):
            raise _fail(where, f"{path} is not an on-card class; refusing to build it")
        if issubclass(target, JavaArray) and target not in _ARRAY_WIDTH:
            raise _fail(where, f"{path} is not a Java array type")
        self.classes[path] = target
        return target

    def memory_fits(self) -> None:
        """An image cannot hold more than its own card has: count before anything is made."""
        memory = self.body["card"]["memory"]
        persistent = transient = 0
        for ident, entry in self.entries.items():
            cls, where = self.kinds[ident], f"objects[{ident}]"
            if issubclass(cls, JavaArray):
                kind = entry.get("transient")
                if kind:
                    length = _int(entry.get("length"), f"{where}.length", 0, MAX_ARRAY)
                    transient += length * _ARRAY_WIDTH[cls]
                elif cls is ByteArray:
                    length = len(_str(entry.get("bytes"), f"{where}.bytes", 2 * MAX_ARRAY)) // 2
                else:
                    length = len(_list(entry.get("elements"), f"{where}.elements", MAX_ARRAY))
                persistent += _OBJECT_HEADER + (0 if kind else length * _ARRAY_WIDTH[cls])
            elif (footprint := getattr(cls, "_jc_footprint", 0)) > 0:  # a crypto engine
                persistent += _OBJECT_HEADER + footprint
            else:
                fields = entry.get("fields")
                persistent += _OBJECT_HEADER + _FIELD_SIZE * (len(fields) if type(fields) is
                                                              dict else 0)
        if persistent > memory[0]:
            raise _fail("objects", f"{persistent} bytes of objects, but the card has "
                                   f"{memory[0]} of persistent memory")
        if transient > memory[1] + memory[2]:
            raise _fail("objects", f"{transient} bytes of transient arrays, but the card has "
                                   f"{memory[1] + memory[2]} of RAM")

    def ref(self, value: Any, where: str) -> int:
        if type(value) is not dict or value.keys() != {"r"} or type(value["r"]) is not int or \
                value["r"] not in self.entries:
            raise _fail(where, f"{_short(value)} is not a reference to an object of the image")
        return value["r"]

    def value(self, value: Any, where: str, depth: int = 0, *, missing: bool = False) -> None:
        if depth > MAX_DEPTH:
            raise _fail(where, f"values nested deeper than {MAX_DEPTH}")
        if value is None or type(value) in (bool, int):
            return
        if type(value) is not dict or len(value) != 1:
            raise _fail(where, f"{_short(value)} is not a value")
        (tag, payload), = value.items()
        if tag == "r":
            self.ref(value, where)
        elif tag == "b":
            _hex(payload, where, 0, 1 << 24)
        elif tag == "s":
            _str(payload, where, 1 << 20)
        elif tag == "aid":
            _hex(payload, where, 5, 16)
        elif tag == "t":
            for i, item in enumerate(_list(payload, where)):
                self.value(item, f"{where}[{i}]", depth + 1)
        elif tag == "d":
            for i, pair in enumerate(_list(payload, where)):
                if type(pair) is not list or len(pair) != 2:
                    raise _fail(f"{where}[{i}]", "expected a key and a value")
                self.value(pair[0], f"{where}[{i}]", depth + 1)
                if type(pair[0]) is dict and next(iter(pair[0])) in ("t", "d", "r"):
                    raise _fail(f"{where}[{i}]", "a dict key must be a plain value")
                self.value(pair[1], f"{where}[{i}]", depth + 1)
        elif tag == "missing" and missing and payload is True:
            return
        else:
            raise _fail(where, f"unknown value tag {_short(tag)}")

    def element(self, cls: type, value: Any, where: str) -> None:
        if cls is ShortArray:
            _int(value, where, -32768, 32767)
        elif cls is IntArray:
            _int(value, where, -(1 << 31), (1 << 31) - 1)
        elif cls is BooleanArray:
            _bool(value, where)
        elif cls is ByteArray:
            _int(value, where, 0, 255)
        elif value is not None:
            self.ref(value, where)

    def owner(self, value: Any, where: str) -> None:
        if value is not None:
            _int(value, where, 0, len(_list(self.body["applets"], "applets", 4096)) - 1)

    def transient(self, entry: dict, where: str) -> int:
        kind = _int(entry.get("transient", 0), f"{where}.transient", 0, 2)
        package = entry.get("package")
        if package is not None and type(package) is not str:
            raise _fail(f"{where}.package", "expected a package name")
        if kind == 2 and package not in self.packages:
            raise _fail(f"{where}.package", "a CLEAR_ON_DESELECT object needs a card package")
        if kind != 2 and package is not None:
            raise _fail(f"{where}.package", "only CLEAR_ON_DESELECT objects name a package")
        return kind

    def object(self, ident: int, entry: dict) -> None:
        cls, where = self.kinds[ident], f"objects[{ident}]"
        if issubclass(cls, JavaArray):
            self.owner(entry.get("owner"), f"{where}.owner")
            if entry.get("transient"):
                _keys(entry, where, {"class", "owner", "transient", "package", "length"})
                self.transient(entry, where)
            elif cls is ByteArray:
                _keys(entry, where, {"class", "owner", "transient", "bytes"})
                _int(entry["transient"], f"{where}.transient", 0, 0)
                _hex(entry["bytes"], f"{where}.bytes")
            else:
                _keys(entry, where, {"class", "owner", "transient", "elements"})
                _int(entry["transient"], f"{where}.transient", 0, 0)
                for i, element in enumerate(entry["elements"]):
                    self.element(cls, element, f"{where}[{i}]")
            return
        if callable(getattr(cls, "_jc_image_restore", None)):
            if issubclass(cls, Object):  # a crypto engine
                # "owner" is optional: images from before engines were owned have none.
                _keys(entry, where, {"class", "state"}, {"owner"})
                self.owner(entry.get("owner"), f"{where}.owner")
            else:
                _keys(entry, where, {"class", "state"})
            self.value(entry["state"], f"{where}.state")
            return
        _keys(entry, where, {"class", "owner", "fields"}, {"transient", "package"})
        self.owner(entry["owner"], f"{where}.owner")
        kind = self.transient(entry, where)
        fields = entry["fields"]
        if type(fields) is not dict:
            raise _fail(f"{where}.fields", "expected an object")
        for name, value in fields.items():
            field_name(name, f"{where}.fields")
            if name == "_transient" and value != kind:
                raise _fail(f"{where}.fields._transient", "disagrees with its transient kind")
            if _is_data_descriptor(cls, name):
                raise _fail(f"{where}.fields.{name}", f"{cls.__name__}.{name} is not a field")
            self.value(value, f"{where}.fields.{name}")

    def applets(self) -> None:
        from jcsim.framework.applet import Applet
        from jcsim.package import PackageError, resolve_module

        aids, instances = set(), set()
        for i, entry in enumerate(self.body["applets"]):
            where = f"applets[{i}]"
            _keys(entry, where, {"class", "package", "aid", "default_on", "instance"},
                  {"selectable", "privileges"})
            cls = self.resolve(_str(entry["class"], f"{where}.class"), where)
            if not issubclass(cls, Applet):
                raise _fail(where, f"{entry['class']} is not an Applet subclass")
            if type(entry["package"]) is not str or entry["package"] not in self.packages:
                raise _fail(f"{where}.package", "not one of the card's packages")
            try:
                home = resolve_module(cls.__module__).name
            except PackageError as exc:
                raise _fail(where, str(exc)) from exc
            if home != entry["package"]:
                raise _fail(f"{where}.package", f"{entry['class']} belongs to {home}")
            aid = _hex(entry["aid"], f"{where}.aid", 5, 16)
            if aid in aids:
                raise _fail(f"{where}.aid", "a second applet with this AID")
            aids.add(aid)
            for interface in _list(entry["default_on"], f"{where}.default_on", 2):
                if interface not in (CONTACT, CONTACTLESS):
                    raise _fail(f"{where}.default_on", f"{_short(interface)} is no interface")
            _bool(entry.get("selectable", True), f"{where}.selectable")
            _hex(entry.get("privileges", ""), f"{where}.privileges", 0, 8)
            instance = self.ref(entry["instance"], f"{where}.instance")
            if self.kinds[instance] is not cls or instance in instances:
                raise _fail(f"{where}.instance", f"not an instance of its own {entry['class']}")
            instances.add(instance)

    def journal(self) -> None:
        state = _keys(self.body["journal"], "journal",
                      {"depth", "used", "undo", "atomic", "created"})
        depth = _int(state["depth"], "journal.depth", 0, 1)
        _int(state["used"], "journal.used", 0, self.body["card"]["commit_capacity"])
        undo = _list(state["undo"], "journal.undo", 1 << 20)
        created = _list(state["created"], "journal.created", 1 << 20)
        if not depth and (undo or created or state["used"]):
            raise _fail("journal", "an undo log without a transaction")
        for i, item in enumerate(undo):
            where = f"journal.undo[{i}]"
            if type(item) is not list or len(item) != 4 or item[0] not in ("f", "e", "r"):
                raise _fail(where, "expected [kind, object, key, old value]")
            kind, target, key, old = item
            cls = self.kinds[self.ref(target, f"{where}[1]")]
            if kind == "f":
                if issubclass(cls, JavaArray) or not (issubclass(cls, Object) or
                                                      cls.__name__ == "ClassStatics"):
                    raise _fail(where, "a field write to something without fields")
                field_name(key, f"{where}[2]")
                self.value(old, f"{where}[3]", missing=True)
            else:
                self.range(cls, self.entries[target["r"]], key, old, kind, where)
        for i, ref in enumerate(created):
            self.ref(ref, f"journal.created[{i}]")
        if state["atomic"] is not None:
            atomic = _list(state["atomic"], "journal.atomic", 3)
            if len(atomic) != 3:
                raise _fail("journal.atomic", "expected [array, start, old values]")
            cls = self.kinds[self.ref(atomic[0], "journal.atomic[0]")]
            self.range(cls, self.entries[atomic[0]["r"]], atomic[1], atomic[2], "r",
                       "journal.atomic")

    def range(self, cls: type, entry: dict, start: Any, old: Any, kind: str, where: str) -> None:
        """An undo entry of an array: the old element(s) fit the array and its type."""
        if not issubclass(cls, JavaArray) or entry.get("transient"):
            raise _fail(where, "an element write to something that is not a persistent array")
        length = len(entry["bytes"]) // 2 if cls is ByteArray else len(entry["elements"])
        if kind == "e":
            _int(start, f"{where}[2]", 0, length - 1)
            self.element(cls, old, f"{where}[3]")
            return
        if type(old) is not dict or len(old) != 1:
            raise _fail(where, "old values must be bytes or a tuple")
        (tag, payload), = old.items()
        if cls is ByteArray and tag == "b":
            count = len(_hex(payload, where))
        elif cls is not ByteArray and tag == "t":
            for i, element in enumerate(_list(payload, where, MAX_ARRAY)):
                self.element(cls, element, f"{where}.old[{i}]")
            count = len(payload)
        else:
            raise _fail(where, "old values of the wrong kind for the array")
        _int(start, f"{where}.start", 0, length - count)


def _is_data_descriptor(cls: type, name: str) -> bool:
    for klass in cls.__mro__:
        attribute = klass.__dict__.get(name)
        if attribute is not None:
            return hasattr(type(attribute), "__set__") or hasattr(type(attribute), "__delete__")
    return False


def check(body: Any, allow_modules: Any) -> Checker:
    """Check ``body`` whole; the checker holds the resolved classes for ``build``."""
    checker = Checker(body, allow_modules)
    checker.run()
    return checker
