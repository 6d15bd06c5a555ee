"""An in-memory copy of a whole card, sessions and all.

A card image (``runtime.image``) keeps what survives a power loss: a card loaded from one starts
at a power-up. A tear sweep needs more: the card exactly as it stands between two commands,
with its selected applets, the contents of transient arrays, open channels, T=0 responses
waiting for GET RESPONSE, initialised crypto engines, static fields, the journal's counters, so
that one prepared state can be torn in many ways without replaying the commands that led to it.

``copy_card`` deep-copies the card's object graph. Classes and functions are shared (they are
code, not card state); everything reachable from the card (applet instances, records, arrays,
stores, the journal) is copied once, so references between them keep their shape. Each
interface's APDU object is left out: it holds nothing between two commands (the next command
zeroes its buffer and resets its state), so the copy makes a fresh one at its first command.
Observers are not carried over: they watch the card they subscribed to. Functions are shared
like classes, so a closure hung on the card (a test's extra deletion root, say) still sees
the objects it closed over, not their copies.

Hash, HMAC and CMAC contexts of ``cryptography`` are cloned with their own ``copy()``. A card
that holds something else Python cannot copy (a cipher context in the middle of an operation,
any object of a C extension without copy support) raises ``SnapshotError``; callers then fall
back on replaying commands.
"""

from __future__ import annotations

import copy
import types
import weakref
from typing import Any

from jcsim.errors import JCSimError
from jcsim.runtime.card import Card

__all__ = ["SnapshotError", "copy_card"]


class SnapshotError(JCSimError, TypeError):
    """The card holds an object that cannot be copied."""


def copy_card(card: Card) -> Card:
    """An independent copy of ``card`` in its present state (between commands)."""
    if card._apdu is not None or card.context is not None:
        raise JCSimError("a card can be copied between commands only")
    memo: dict[int, Any] = {}
    # Left out of the copy (see the module docstring): set to their empty values in the memo,
    # so the deep copy puts those in their place.
    memo[id(card.observers)] = []
    for iface in card.interfaces.values():
        apdu = iface._apdu
        if apdu is not None:
            memo[id(apdu)] = None
    try:
        copied = _copy(card, memo)
    except (TypeError, copy.Error) as exc:
        raise SnapshotError(f"this card holds an object that cannot be copied: {exc}") from exc
    _rekey(copied, memo)
    return copied


def _rekey(card: Card, memo: dict[int, Any]) -> None:
    """Tables keyed by ``id(obj)`` were copied with the originals' ids: key them by the ids
    of the copies (the memo maps each original's id to its copy)."""

    def new_id(old: int) -> int:
        return id(memo[old]) if old in memo else old

    memory = card.memory
    memory.table = {id(entry[0]): entry for entry in memory.table.values()}
    journal = card.journal
    journal._created_ids = {new_id(old) for old in journal._created_ids}
    journal._logged = {(new_id(old), key) for old, key in journal._logged}


# --- a faster deep copy ------------------------------------------------------------------------
# copy.deepcopy makes a Python call for every value, ints and strings included, and goes
# through __reduce_ex__ for every object. A card is mostly plain objects, attrs classes,
# dicts and lists of small values: those are copied here directly, with the same memo (so
# sharing and cycles keep their shape); anything else goes to copy.deepcopy.

_NIL = object()
_ATOMIC = frozenset({int, float, bool, str, bytes, complex, type(None), type, range,
                     type(Ellipsis), type(NotImplemented), types.FunctionType,
                     types.BuiltinFunctionType, weakref.ref, property})
_oga = object.__getattribute__
_osa = object.__setattr__


# _shape's answers by class (a plain dict: classes are hashable, which functools.cache's typing
# cannot express for a type[...] argument).
_SHAPES: dict[type, tuple[str, tuple[str, ...]]] = {}


def _shape(cls: type) -> tuple[str, tuple[str, ...]]:
    """How to copy instances of ``cls``: ("atomic", ()) for a class, ("copy_method", ()) for
    a hash context, ("dict", ()) for a plain object with a __dict__, ("attrs", field names) for
    an attrs class with slots, ("other", ()) for the rest."""
    if issubclass(cls, type):
        return "atomic", ()  # a class made by a metaclass: code, as copy.deepcopy has it
    if cls.__module__.startswith("cryptography.") and callable(getattr(cls, "copy", None)):
        # A hash, HMAC or CMAC context in the middle of a message: its own copy() clones it.
        # (Cipher contexts have none: a card holding one is not copied.)
        return "copy_method", ()
    if (getattr(cls, "__deepcopy__", None) is not None
            or cls.__reduce_ex__ is not object.__reduce_ex__
            or cls.__reduce__ is not object.__reduce__
            or issubclass(cls, (list, dict, set, tuple, bytearray))):
        return "other", ()
    fields = getattr(cls, "__attrs_attrs__", None)
    if fields is not None and "__dict__" not in dir(cls):
        return "attrs", tuple(a.name for a in fields)
    if (getattr(cls, "__setstate__", None) is None
            and getattr(cls, "__getstate__", object.__getstate__) is object.__getstate__
            and "__dict__" in dir(cls)
            and all(not getattr(k, "__slots__", ()) for k in cls.__mro__)):
        return "dict", ()
    return "other", ()


def _copy(value: Any, memo: dict[int, Any]) -> Any:
    cls: type[object] = type(value)
    if cls in _ATOMIC:
        return value
    found = memo.get(id(value), _NIL)
    if found is not _NIL:
        return found
    if cls is dict:
        result: Any = {}
        memo[id(value)] = result
        for key, item in value.items():
            result[key if type(key) in _ATOMIC else _copy(key, memo)] = (
                item if type(item) in _ATOMIC else _copy(item, memo))
        return result
    if cls is list:
        result = []
        memo[id(value)] = result
        result.extend([item if type(item) in _ATOMIC else _copy(item, memo) for item in value])
        return result
    if cls is tuple or cls is frozenset:
        items = [item if type(item) in _ATOMIC else _copy(item, memo) for item in value]
        found = memo.get(id(value), _NIL)  # a tuple inside a cycle was copied meanwhile
        if found is not _NIL:
            return found
        result = value if all(a is b for a, b in zip(items, value, strict=True)) else cls(items)
        memo[id(value)] = result
        return result
    if cls is set:
        result = set()
        memo[id(value)] = result
        result.update([item if type(item) in _ATOMIC else _copy(item, memo) for item in value])
        return result
    shape = _SHAPES.get(cls)
    if shape is None:
        shape = _SHAPES[cls] = _shape(cls)
    kind, names = shape
    if kind == "atomic":
        return value
    if kind == "copy_method":
        result = value.copy()
        memo[id(value)] = result
        return result
    if kind == "dict":
        result = cls.__new__(cls)
        memo[id(value)] = result
        state = _copy(_oga(value, "__dict__"), memo)
        _oga(result, "__dict__").update(state)
        return result
    if kind == "attrs":
        result = cls.__new__(cls)
        memo[id(value)] = result
        for name in names:
            try:
                item = _oga(value, name)
            except AttributeError:
                continue
            _osa(result, name, item if type(item) in _ATOMIC else _copy(item, memo))
        return result
    return copy.deepcopy(value, memo)
