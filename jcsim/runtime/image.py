"""Card images: the whole persistent state of a card in one file, saved atomically, loaded
safely.

Format (version 1): UTF-8 JSON ``{"format": "jcsim-card-image", "version": 1, "sha256": ...,
"body": {...}}`` where ``sha256`` is the digest of the body serialised with sorted keys and no
spaces. The body holds the card's configuration, its packages and applets (class named
``module:QualifiedName``, AID, default interfaces, the instance as a reference), every on-card
object reachable from them by id, and the journal's pending undo log (a card saved after a
tear still rolls back at its next power-up). Values are JSON numbers, booleans and null, or
one-key objects: ``{"r": id}`` a reference, ``{"b": hex}`` bytes, ``{"s": text}`` a string,
``{"aid": hex}`` an AID, ``{"t": [...]}`` a tuple, ``{"d": [[key, value], ...]}`` a dict.

``statics`` lists the card's static fields of classes, one object per class
(``jcsim.runtime.statics``); ``packages`` keeps the module-level variables a package declares.

Objects are the fields of ``Object`` instances (``jcsim.framework.Object``), the elements of Java
arrays (transient arrays keep their kind and length, never their contents), and the state of
classes that define ``_jc_image_state()`` / ``_jc_image_restore(state)``.

Loading never runs code named by the file: a class is looked up only in modules the program has
already imported or that the caller lists in ``allow_modules``, and only classes that are on-card
objects, Java arrays or define ``_jc_image_restore`` are instantiated, without calling their
constructors. A truncated, corrupted or newer image is refused with ``ImageError`` before
anything is built.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import sys
import tempfile
from collections.abc import Iterable
from typing import Any

from jcsim.errors import JCSimError
from jcsim.framework.aid import AID
from jcsim.framework.arrays import ByteArray, JavaArray
from jcsim.framework.card_object import Object
from jcsim.runtime.registry import AppletRecord

__all__ = ["FORMAT", "VERSION", "ImageError", "dumps", "load_file", "loads", "save"]

FORMAT = "jcsim-card-image"
VERSION = 1
_INTERNAL_FIELDS = frozenset({"_jc_store", "_jc_owner"})
# The process umask, read once at import (reading it means setting it, which is not
# thread-safe later on).
_UMASK = os.umask(0o022)
os.umask(_UMASK)


class ImageError(JCSimError, ValueError):
    """A card image that cannot be saved or loaded; the message says why."""


def _class_path(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


# --- saving ----------------------------------------------------------------------------------


class _Writer:
    def __init__(self, card: Any) -> None:
        self.card = card
        self.ids: dict[int, int] = {}
        self.objects: dict[str, Any] = {}
        self.pending: list[Any] = []
        self.applet_index = {id(r): i for i, r in enumerate(card.registry.applets)}
        self.transient_package: dict[int, str | None] = {}
        for obj in card.transients.clear_on_reset:
            self.transient_package[id(obj)] = None
        for package in card.transients.packages:
            for obj in package.clear_on_deselect:
                self.transient_package[id(obj)] = package.name

    def ref(self, obj: Any) -> dict[str, int]:
        key = id(obj)
        if key not in self.ids:
            self.ids[key] = len(self.ids) + 1
            self.pending.append(obj)
        return {"r": self.ids[key]}

    def value(self, value: Any, where: str) -> Any:
        if value is None or type(value) in (bool, int):
            return value
        if isinstance(value, str):
            return {"s": value}
        if isinstance(value, (bytes, bytearray)) and not isinstance(value, JavaArray):
            return {"b": bytes(value).hex()}
        if isinstance(value, AID):
            return {"aid": value.value.hex()}
        if isinstance(value, tuple):
            return {"t": [self.value(v, where) for v in value]}
        if type(value) is dict:
            return {"d": [[self.value(k, where), self.value(v, where)] for k, v in value.items()]}
        if isinstance(value, (Object, JavaArray)) or hasattr(value, "_jc_image_state"):
            return self.ref(value)
        raise ImageError(f"{where} holds a {type(value).__name__}, which a card image cannot "
                         "store: keep on-card data in fields of Object subclasses, Java arrays, "
                         "numbers, booleans, bytes, strings or AIDs")

    def statics(self, package: Any) -> dict[str, Any]:
        """The declared static fields of a package: ``module.name`` -> value."""
        found: dict[str, Any] = {}
        for name in package.resolved.statics:
            module_name, _, attribute = name.rpartition(".")
            module = sys.modules.get(f"{package.name}.{module_name}" if module_name
                                     else package.name)
            if module is not None and hasattr(module, attribute):
                found[name] = self.value(getattr(module, attribute), f"static {name}")
        return found

    def undo_value(self, old: Any) -> Any:
        if old is _missing():
            return {"missing": True}
        if isinstance(old, list):  # the old elements of a range of a list-based array
            return {"t": [self.value(v, "journal") for v in old]}
        return self.value(old, "journal")

    def owner(self, record: Any) -> int | None:
        return None if record is None else self.applet_index.get(id(record))

    def encode(self, obj: Any) -> dict[str, Any]:
        cls = type(obj)
        where = cls.__name__
        entry: dict[str, Any] = {"class": _class_path(cls)}
        if isinstance(obj, JavaArray):
            entry["owner"] = self.owner(obj._owner)
            kind = obj._transient
            entry["transient"] = kind
            if kind:
                entry["package"] = self.transient_package.get(id(obj))
                entry["length"] = len(obj)
            elif isinstance(obj, ByteArray):
                entry["bytes"] = bytes(obj).hex()
            else:
                entry["elements"] = [self.value(v, f"{where}[{i}]") for i, v in enumerate(obj)]
            return entry
        if hasattr(obj, "_jc_image_state"):
            entry["state"] = self.value(obj._jc_image_state(), where)
            return entry
        entry["owner"] = self.owner(obj.__dict__.get("_jc_owner"))
        transient = obj.__dict__.get("_transient", 0)
        if transient:
            entry["transient"] = transient
            entry["package"] = self.transient_package.get(id(obj))
        # A transient object's contents are not persistent state: they stay off the image.
        skipped = _INTERNAL_FIELDS | (frozenset(getattr(cls, "_jc_transient_fields", ()))
                                      if transient else frozenset())
        entry["fields"] = {name: self.value(v, f"{where}.{name}")
                           for name, v in obj.__dict__.items() if name not in skipped}
        return entry

    def body(self) -> dict[str, Any]:
        card = self.card
        applets = []
        for record in card.registry.applets:
            applets.append({
                "class": _class_path(record.applet_class),
                "package": record.package.name,
                "aid": record.aid.value.hex(),
                "default_on": sorted(record.default_on),
                "selectable": record.selectable,
                "privileges": record.privileges.hex(),
                "instance": self.ref(record.instance),
            })
        journal = card.journal
        undo = [[kind, self.ref(target), key, self.undo_value(old)]
                for kind, target, key, old in journal.undo]
        atomic = None
        if journal.atomic is not None:
            array, start, old = journal.atomic
            atomic = [self.ref(array), start, self.undo_value(old)]
        created = [self.ref(obj) for obj in journal.created]
        statics = [self.ref(block) for block in card.statics.blocks()]
        packages = [{"name": p.name, "multiselectable": p.multiselectable,
                     "statics": self.statics(p)}
                    for p in card.registry.packages.values()]
        while self.pending:
            obj = self.pending.pop()
            self.objects[str(self.ids[id(obj)])] = self.encode(obj)
        return {
            "card": card.configuration(),
            "powered": card.powered,
            "packages": packages,
            "statics": statics,
            "applets": applets,
            "objects": self.objects,
            "journal": {"depth": journal.depth, "used": journal.used, "undo": undo,
                        "atomic": atomic, "created": created},
        }


def _missing() -> Any:
    from jcsim.runtime.journal import _MISSING

    return _MISSING


def _canonical(body: Any) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()


def dumps(card: Any) -> bytes:
    """The image of ``card`` as bytes."""
    body = _Writer(card).body()
    digest = hashlib.sha256(_canonical(body)).hexdigest()
    return json.dumps({"format": FORMAT, "version": VERSION, "sha256": digest, "body": body},
                      separators=(",", ":")).encode()


def save(card: Any, path: str | os.PathLike[str]) -> None:
    """Write the image atomically: a temporary file beside ``path``, fsync, then rename."""
    data = dumps(card)
    target = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(target))
    handle, temporary = tempfile.mkstemp(prefix=".jcimg-", suffix=".tmp", dir=directory)
    try:
        # mkstemp makes the file private; give it the mode a plain open() would have.
        os.chmod(temporary, 0o666 & ~_UMASK)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


# --- loading ---------------------------------------------------------------------------------


class _Reader:
    def __init__(self, body: dict[str, Any], allow_modules: Iterable[str]) -> None:
        self.body = body
        self.allow = set(allow_modules)
        self.objects: dict[int, Any] = {}
        self.classes: dict[str, type] = {}

    def resolve(self, path: str, *, applet: bool = False) -> type:
        if path in self.classes:
            return self.classes[path]
        module_name, _, qualname = path.partition(":")
        module = sys.modules.get(module_name)
        if module is None:
            # Naming a package allows the modules inside it.
            if not any(module_name == name or module_name.startswith(name + ".")
                       for name in self.allow):
                raise ImageError(f"the image needs {path}, but module {module_name!r} is not "
                                 "imported; import it first or name it in allow_modules")
            try:
                module = importlib.import_module(module_name)
            except ImportError as exc:
                raise ImageError(f"cannot import {module_name!r}: {exc}") from exc
        target: Any = module
        for part in qualname.split("."):
            target = getattr(target, part, None)
            if target is None:
                raise ImageError(f"the image names {path}, which does not exist")
        if not isinstance(target, type) or not (
                issubclass(target, (Object, JavaArray)) or hasattr(target, "_jc_image_restore")):
            raise ImageError(f"{path} is not an on-card class; refusing to instantiate it")
        if applet:
            from jcsim.framework.applet import Applet

            if not issubclass(target, Applet):
                raise ImageError(f"{path} is not an Applet subclass")
        self.classes[path] = target
        return target

    def value(self, encoded: Any) -> Any:
        if encoded is None or type(encoded) in (bool, int):
            return encoded
        if type(encoded) is not dict or len(encoded) != 1:
            raise ImageError(f"malformed value {encoded!r}")
        (tag, payload), = encoded.items()
        if tag == "r":
            if payload not in self.objects:
                raise ImageError(f"reference to missing object {payload}")
            return self.objects[payload]
        if tag == "b":
            return bytes.fromhex(payload)
        if tag == "s":
            return str(payload)
        if tag == "aid":
            return AID(bytes.fromhex(payload))
        if tag == "t":
            return tuple(self.value(v) for v in payload)
        if tag == "d":
            return {self.value(k): self.value(v) for k, v in payload}
        if tag == "missing":
            return _missing()
        raise ImageError(f"unknown value tag {tag!r}")

    def shells(self) -> None:
        """First pass: create every object, empty, so references can be resolved."""
        for key, entry in self.body["objects"].items():
            cls = self.resolve(entry["class"])
            if issubclass(cls, ByteArray):
                length = entry.get("length")
                shell = cls.__new__(cls)
                bytearray.__init__(shell, bytes.fromhex(entry["bytes"]) if length is None
                                   else bytes(length))
            elif issubclass(cls, JavaArray):
                shell = cls.__new__(cls)
                count = entry.get("length")
                list.__init__(shell, [cls._default] * (count if count is not None
                                                       else len(entry["elements"])))
            else:
                shell = object.__new__(cls)
            self.objects[int(key)] = shell

    def fill(self, card: Any) -> None:
        """Second pass: fields, elements and state, bound to ``card``."""
        applets = card.registry.applets
        packages = card.registry.packages
        for key, entry in self.body["objects"].items():
            obj = self.objects[int(key)]
            owner_index = entry.get("owner")
            owner = applets[owner_index] if owner_index is not None else None
            transient = entry.get("transient", 0)
            package = packages.get(entry.get("package")) if entry.get("package") else None
            if isinstance(obj, JavaArray):
                obj._owner = owner
                obj._transient = 0
                obj._store = None if transient else card.journal
                if "elements" in entry:
                    list.__setitem__(obj, slice(0, None),
                                     [self.value(v) for v in entry["elements"]])
            elif "state" in entry:
                obj._jc_image_restore(self.value(entry["state"]))
            else:
                for name, value in entry["fields"].items():
                    object.__setattr__(obj, name, self.value(value))
                object.__setattr__(obj, "_jc_owner", owner)
                object.__setattr__(obj, "_jc_store", None if transient else card.journal)
            if isinstance(obj, (Object, JavaArray)):
                card.memory.account_loaded(obj)
            if transient:
                if isinstance(obj, (Object, JavaArray)):
                    card.memory.make_transient(obj, transient)
                card.transients.add(obj, transient, package)
                obj._jc_clear()


def loads(data: bytes, card_factory: Any, allow_modules: Iterable[str] = ()) -> Any:
    """Build a new card from image bytes; nothing is half built on error."""
    try:
        document = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ImageError(f"not a card image (truncated or corrupted JSON: {exc})") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImageError("not a jcsim card image (no 'format': 'jcsim-card-image')")
    version = document.get("version")
    if not isinstance(version, int) or version > VERSION or version < 1:
        raise ImageError(f"image version {version!r} is not supported: this jcsim reads "
                         f"version {VERSION} (upgrade jcsim to load newer images)")
    body = document.get("body")
    if not isinstance(body, dict) or hashlib.sha256(_canonical(body)).hexdigest() != \
            document.get("sha256"):
        raise ImageError("the image is corrupted: its checksum does not match its contents")
    try:
        return _build(body, card_factory, allow_modules)
    except ImageError:
        raise
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise ImageError(f"the image is inconsistent: {exc!r}") from exc


def _build(body: dict[str, Any], card_factory: Any, allow_modules: Iterable[str]) -> Any:
    reader = _Reader(body, allow_modules)
    applet_classes = [reader.resolve(a["class"], applet=True) for a in body["applets"]]
    reader.shells()
    card = card_factory(body["card"])
    for package in body["packages"]:
        card.registry.package_named(package["name"]).multiselectable = package["multiselectable"]
    for cls, entry in zip(applet_classes, body["applets"]):
        instance = reader.value(entry["instance"])
        from jcsim.framework.interfaces import ExtendedLength, MultiSelectable

        card.registry.applets.append(AppletRecord(
            cls, card.registry.packages[entry["package"]], AID(bytes.fromhex(entry["aid"])),
            instance, isinstance(instance, MultiSelectable), isinstance(instance, ExtendedLength),
            frozenset(entry["default_on"]), bytes.fromhex(entry.get("privileges", "")),
            entry.get("selectable", True)))
    reader.fill(card)
    _adopt_statics(reader, card, body.get("statics", []))
    statics = [(package["name"], name, reader.value(value))
               for package in body["packages"]
               for name, value in package.get("statics", {}).items()]
    journal = card.journal
    state = body["journal"]
    journal.depth = state["depth"]
    journal.used = state["used"]
    journal.undo = [(kind, reader.value(target), key, reader.value(old))
                    for kind, target, key, old in state["undo"]]
    if state["atomic"] is not None:
        target, start, old = state["atomic"]
        old_value = reader.value(old)
        journal.atomic = (reader.value(target), start,
                          old_value if isinstance(old_value, bytes) else list(old_value))
    for ref in state["created"]:
        obj = reader.value(ref)
        journal.created.append(obj)
        journal._created_ids.add(id(obj))
    # Static fields are module-level variables: set them last, once nothing can fail any more
    # (they are shared by every card of this process).
    for package_name, name, value in statics:
        module_name, _, attribute = name.rpartition(".")
        module = sys.modules.get(f"{package_name}.{module_name}" if module_name else package_name)
        if module is not None:
            setattr(module, attribute, value)
    if body["powered"]:
        card.power_on()
    return card


def _adopt_statics(reader: _Reader, card: Any, refs: Any) -> None:
    """The card's static fields of classes: each Python class's attributes become per-card
    statics (as card code's first write would make them), so its code reads the image's values."""
    from jcsim.framework.java_class import JavaClass, static_field
    from jcsim.runtime.statics import ClassStatics

    if type(refs) is not list:
        raise ImageError("malformed static fields: not a list")
    for ref in refs:
        block = reader.value(ref)
        if type(block) is not ClassStatics or block._jc_class in card.statics.classes:
            raise ImageError(f"malformed static fields: {ref!r}")
        if ":" in block._jc_class:
            cls = reader.resolve(block._jc_class)
            if not isinstance(cls, JavaClass):
                raise ImageError(f"{block._jc_class} has no static fields")
            for name in block.__dict__:
                try:
                    static_field(cls, name)
                except TypeError as exc:
                    raise ImageError(f"the image holds a static field {name!r} of "
                                     f"{block._jc_class}: {exc}") from exc
        card.statics.adopt(block)


def load_file(path: str | os.PathLike[str], card_factory: Any,
              allow_modules: Iterable[str] = ()) -> Any:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise ImageError(f"cannot read card image {os.fspath(path)!r}: {exc}") from exc
    return loads(data, card_factory, allow_modules)
