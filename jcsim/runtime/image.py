"""Card images: the whole persistent state of a card in one file, saved atomically, loaded
safely.

Format (version 2): UTF-8 JSON ``{"format": "jcsim-card-image", "version": 2, "sha256": ...,
"body": {...}}`` and, when saved with a key, ``"hmac"``: HMAC-SHA256 under that key. Both digests
cover the body serialised with sorted keys and no spaces; the plain SHA-256 only catches
accidents (anyone can recompute it), the HMAC proves the image came from a key holder. Version 1
(no ``hmac``) is read with the same checks. The body holds the card's configuration, its
packages and applets (class named ``module:QualifiedName``, AID, default interfaces, the
instance as a reference), every on-card object reachable from them by id, and the journal's
pending undo log (a card saved after a tear still rolls back at its next power-up). Values are
JSON integers, booleans and null, or one-key objects: ``{"r": id}`` a reference, ``{"b": hex}``
bytes, ``{"s": text}`` a string, ``{"aid": hex}`` an AID, ``{"t": [...]}`` a tuple, ``{"d":
[[key, value], ...]}`` a dict.

``statics`` lists the card's static fields of classes, one object per class
(``jcsim.runtime.statics``); ``packages`` keeps the module-level variables a package declares.

Objects are the fields of ``Object`` instances (``jcsim.framework.Object``), the elements of Java
arrays (transient arrays keep their kind and length, never their contents), and the state of
classes that define ``_jc_image_state()`` / ``_jc_image_restore(state)``.

Loading treats the file as hostile (``_image_read``): bounded before it is parsed (size,
digits, nesting), schema-checked whole, classes looked up only in the card's own packages (in
modules already imported or listed in ``allow_modules``) and jcsim's on-card classes, sizes
checked against the card's own memory, and nothing set outside the card but the module
statics its packages declare (put back if the load fails). Any fault is an ``ImageError``.

Saving writes ``.<name>.jcimg-<pid>-*.tmp`` beside the image and renames it; a save or load of
an image removes what an interrupted save of it left behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import sys
import tempfile
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from jcsim.framework.aid import AID
from jcsim.framework.arrays import ByteArray, JavaArray
from jcsim.framework.card_object import Object
from jcsim.runtime import _image_build, _image_read
from jcsim.runtime._image_read import ARRAY_TYPES, ImageError
from jcsim.runtime.statics import ClassStatics

if TYPE_CHECKING:
    from jcsim.runtime.card import Card
    from jcsim.runtime.registry import AppletRecord

__all__ = [
    "FORMAT", "MAX_IMAGE_BYTES", "VERSION", "ImageError", "dumps", "load_file", "loads",
    "remove_leftovers", "save",
]

FORMAT = "jcsim-card-image"
VERSION = 2
MAX_IMAGE_BYTES = 64 << 20
_MAX_INT_DIGITS = 1300  # a 4096-bit number (curve parameters are stored as integers)
# The images this process is saving now (their temporary files are not leftovers).
_SAVING: set[str] = set()
_SAVING_LOCK = threading.Lock()
_INTERNAL_FIELDS = frozenset({"_jc_store", "_jc_owner"})
# The process umask, read once at import (reading it means setting it, which is not
# thread-safe later on).
_UMASK = os.umask(0o022)
os.umask(_UMASK)


def _class_path(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


# --- saving ----------------------------------------------------------------------------------


class _Writer:
    def __init__(self, card: Card) -> None:
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

    def owner(self, record: AppletRecord | None) -> int | None:
        return None if record is None else self.applet_index.get(id(record))

    def encode(self, obj: Any) -> dict[str, Any]:
        cls = type(obj)
        where = cls.__name__
        entry: dict[str, Any] = {"class": _class_path(cls)}
        if isinstance(obj, ARRAY_TYPES):
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
            if cls is ClassStatics:
                where = f"a static field of {obj._jc_class}"
            entry["state"] = self.value(obj._jc_image_state(), where)
            if isinstance(obj, Object):  # a crypto engine: an on-card object with an owner
                entry["owner"] = self.owner(obj.__dict__.get("_jc_owner"))
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
                "aid": record.aid_value.hex(),
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


def dumps(card: Card, *, key: bytes | None = None) -> bytes:
    """The image of ``card`` as bytes; signed with HMAC-SHA256 under ``key`` if given."""
    body = _Writer(card).body()
    canonical = _canonical(body)
    document: dict[str, Any] = {"format": FORMAT, "version": VERSION,
                                "sha256": hashlib.sha256(canonical).hexdigest(), "body": body}
    if key is not None:
        document["hmac"] = hmac.new(key, canonical, hashlib.sha256).hexdigest()
    return json.dumps(document, separators=(",", ":")).encode()


def _temporary_prefix(target: str) -> str:
    return f".{os.path.basename(target)}.jcimg-"


def remove_leftovers(path: str | os.PathLike[str]) -> list[str]:
    """Remove the temporary files an interrupted save of ``path`` left beside it (those of
    processes that are gone, or of this one when no save of it is running); their names."""
    target = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(target))
    prefix = _temporary_prefix(target)
    removed: list[str] = []
    try:
        names = [n for n in os.listdir(directory) if n.startswith(prefix) and n.endswith(".tmp")]
    except OSError:
        return removed
    for name in names:
        pid_text = name[len(prefix):].split("-", 1)[0]
        if pid_text.isdigit() and _alive(int(pid_text)):
            continue
        try:
            os.unlink(os.path.join(directory, name))
            removed.append(name)
        except OSError:
            pass
    return removed


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        with _SAVING_LOCK:
            return bool(_SAVING)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, owned by someone else
    return True


def save(card: Card, path: str | os.PathLike[str], *, key: bytes | None = None) -> None:
    """Write the image atomically: a temporary file beside ``path``, fsync, then rename.
    Temporary files an interrupted save left are removed first."""
    data = dumps(card, key=key)
    target = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(target))
    remove_leftovers(target)
    with _SAVING_LOCK:
        _SAVING.add(target)
    try:
        handle, temporary = tempfile.mkstemp(
            prefix=f"{_temporary_prefix(target)}{os.getpid()}-", suffix=".tmp", dir=directory)
        try:
            # mkstemp makes the file private; give it the mode a plain open() would have.
            os.chmod(temporary, 0o666 & ~_UMASK)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, target)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise
    finally:
        with _SAVING_LOCK:
            _SAVING.discard(target)
    try:
        dir_fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


# --- loading ---------------------------------------------------------------------------------


def _bounded_int(text: str) -> int:
    if len(text) > _MAX_INT_DIGITS:
        raise ImageError(f"a number of {len(text)} digits (an image holds at most "
                         f"{_MAX_INT_DIGITS})")
    return int(text)


def _no_float(text: str) -> Any:
    raise ImageError(f"a non-integer number {text[:20]!r} (images hold integers only)")


def _parse(data: bytes, max_bytes: int) -> dict[str, Any]:
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ImageError("a card image is bytes")
    if len(data) > max_bytes:
        raise ImageError(f"the image is {len(data)} bytes, more than the {max_bytes} accepted")
    try:
        document = json.loads(bytes(data), parse_int=_bounded_int, parse_float=_no_float,
                              parse_constant=_no_float)
    except ImageError:
        raise
    except RecursionError as exc:
        raise ImageError("the image is nested too deeply to be a card image") from exc
    except (UnicodeDecodeError, ValueError) as exc:
        raise ImageError(f"not a card image (truncated or corrupted JSON: {exc})") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImageError("not a jcsim card image (no 'format': 'jcsim-card-image')")
    return document


def _verify(document: dict[str, Any], key: bytes | None) -> dict[str, Any]:
    version = document.get("version")
    if type(version) is not int or not 1 <= version <= VERSION:
        raise ImageError(f"image version {version!r} is not supported: this jcsim reads "
                         f"versions 1 to {VERSION} (upgrade jcsim to load newer images)")
    allowed = {"format", "version", "sha256", "body"} | ({"hmac"} if version >= 2 else set())
    if not set(document) <= allowed:
        raise ImageError(f"unknown entries {sorted(set(document) - allowed)[:5]} in the image")
    body = document.get("body")
    if not isinstance(body, dict):
        raise ImageError("the image has no body")
    canonical = _canonical(body)
    if hashlib.sha256(canonical).hexdigest() != document.get("sha256"):
        raise ImageError("the image is corrupted: its checksum does not match its contents")
    if key is not None:
        mac = document.get("hmac")
        if mac is None:
            raise ImageError("the image is not signed, and a key was given to check it")
        if type(mac) is not str or not hmac.compare_digest(
                mac, hmac.new(key, canonical, hashlib.sha256).hexdigest()):
            raise ImageError("the image's signature does not match the key: it was changed "
                             "or signed with another key")
    return body


def loads(data: bytes, card_factory: Any, allow_modules: Iterable[str] = (), *,
          key: bytes | None = None, max_bytes: int = MAX_IMAGE_BYTES) -> Any:
    """Build a new card from image bytes. Any image that is not exactly one jcsim wrote (see
    ``_image_read``) raises ``ImageError`` with what and where, and leaves the process as it
    was. With ``key`` the image must carry a matching HMAC-SHA256 signature."""
    body = _verify(_parse(data, max_bytes), key)
    try:
        checker = _image_read.check(body, allow_modules)
        return _image_build.build(checker, card_factory)
    except ImageError:
        raise
    except Exception as exc:
        # The check leaves no known way here (the fuzz campaigns look for one); this keeps
        # the promise if one is found: the card being built is dropped, nothing else changed.
        raise ImageError(f"the image is inconsistent: {type(exc).__name__}: {exc}") from exc


def load_file(path: str | os.PathLike[str], card_factory: Any,
              allow_modules: Iterable[str] = (), *, key: bytes | None = None,
              max_bytes: int = MAX_IMAGE_BYTES) -> Any:
    remove_leftovers(path)
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise ImageError(f"cannot read card image {os.fspath(path)!r}: {exc}") from exc
    return loads(data, card_factory, allow_modules, key=key, max_bytes=max_bytes)
