"""Java arrays for applet code: ``new byte[n]`` is ``ByteArray(n)``.

Java arrays have a fixed length, raise ``ArrayIndexOutOfBoundsException`` for any index
outside 0..length-1 (negative ones included, unlike Python lists), hold values of one width, and
know whether they are transient (``JCSystem.isTransient``). Every array records the context that
created it, so the runtime can clear, account for and guard it.

Reading conventions: a ``ByteArray`` element reads as 0..255 (use ``casts.byte`` for Java's
signed value) and accepts writes of -128..255; ``ShortArray`` and ``IntArray`` read and store
Java's signed values and wrap writes as Java's casts would. Slices are a Python convenience for
reading (they return ``bytes`` / ``list``) and for same-length writes; no operation changes a
length.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from copy import deepcopy
from typing import TYPE_CHECKING, Any, NoReturn

from jcsim.framework import _jcre
from jcsim.lang import (
    ArrayIndexOutOfBoundsException,
    ArrayStoreException,
    NegativeArraySizeException,
)

__all__ = [
    "BooleanArray",
    "ByteArray",
    "IntArray",
    "JavaArray",
    "ObjectArray",
    "ShortArray",
    "TemporaryByteArray",
]

NOT_A_TRANSIENT_OBJECT = 0
# Set to the firewall's check (jcsim.framework.firewall.install) once a card enables it. The
# element methods call it only for an access that may cross contexts: an array of no context,
# no card code running, or the owner's own context running pass without the call (the first
# tests of the check itself, written out where they run on every element).
FIREWALL_CHECK: Any = None
_local = _jcre._local



def _fixed_length(self: Any, *args: Any, **kwargs: Any) -> NoReturn:
    raise TypeError(f"a Java array has a fixed length: {type(self).__name__} cannot grow or shrink")


class JavaArray:
    """Marker base of every Java array type (for ``isinstance`` checks)."""

    # A base of both bytearray and list cannot hold slots itself (the instance layouts would
    # conflict): each concrete array type adds the three below.
    __slots__ = ()

    if TYPE_CHECKING:  # what every concrete array type defines
        _owner: Any
        _store: Any
        _transient: int

        def __init__(self, size_or_values: Any = 0) -> None: ...
        def __iter__(self) -> Iterator[Any]: ...
        def __setitem__(self, index: Any, value: Any) -> None: ...
        def _raw_len(self) -> int: ...

    @property
    def length(self) -> int:
        """Java's ``array.length`` (a field read, so the firewall checks it)."""
        if (owner := self._owner) is not None and FIREWALL_CHECK is not None:
            card = _local.jcre
            if card is not None and card.context is not owner:
                FIREWALL_CHECK(self)
        return self._raw_len()

    def __len__(self) -> int:
        """``len(array)`` is Java's ``array.length`` too, so the firewall checks it alike."""
        if (owner := self._owner) is not None and FIREWALL_CHECK is not None:
            card = _local.jcre
            if card is not None and card.context is not owner:
                FIREWALL_CHECK(self)
        return self._raw_len()


_ba_getitem = bytearray.__getitem__
_ba_setitem = bytearray.__setitem__
_ba_len = bytearray.__len__
_list_getitem = list.__getitem__
_list_len = list.__len__
_list_setitem = list.__setitem__


class ByteArray(JavaArray, bytearray):
    """Java's ``byte[]``: ``ByteArray(16)`` or ``ByteArray(b"...")`` / ``ByteArray([1, 2])``."""

    __slots__ = ("_owner", "_store", "_transient")
    # The runtime's record of the context that made the array and the card's journal while the
    # array is persistent (types of the layer above: the framework only compares them with
    # None); the transient kind (NOT_A_TRANSIENT_OBJECT or a JCSystem.CLEAR_ON_* event).
    _owner: Any
    _store: Any
    _transient: int

    def __init__(self, size_or_values: int | Iterable[int] | bytes = 0) -> None:
        if type(size_or_values) is int:
            if size_or_values < 0:
                raise NegativeArraySizeException(size_or_values)
            bytearray.__init__(self, size_or_values)
        else:
            # ``type() is int`` (not isinstance: a bool is no array size) leaves int in the
            # type checker's union here, though only iterables reach this branch.
            bytearray.__init__(self, bytes(v & 0xFF if _is_byte(v) else _bad_byte(v)
                                            for v in size_or_values)  # type: ignore[union-attr]
                               if not isinstance(size_or_values, (bytes, bytearray, memoryview))
                               else size_or_values)
        self._owner = None
        self._transient = NOT_A_TRANSIENT_OBJECT
        self._store = None
        jcre = _jcre.active_or_none()
        if jcre is not None:
            jcre.adopt_array(self)

    _jc_width = 1
    _raw_len = bytearray.__len__
    _raw_getitem = bytearray.__getitem__
    _raw_setitem = bytearray.__setitem__

    def __getitem__(self, index: Any) -> Any:
        if (owner := self._owner) is not None and FIREWALL_CHECK is not None:
            card = _local.jcre
            if card is not None and card.context is not owner:
                FIREWALL_CHECK(self)
        if type(index) is int:
            if index < 0:
                raise ArrayIndexOutOfBoundsException(index)
            try:
                return _ba_getitem(self, index)
            except IndexError:
                raise ArrayIndexOutOfBoundsException(index) from None
        if type(index) is slice:
            return bytes(_ba_getitem(self, index))
        raise TypeError(f"array index must be an int, not {type(index).__name__}")

    def __setitem__(self, index: Any, value: Any) -> None:
        if (owner := self._owner) is not None and FIREWALL_CHECK is not None:
            card = _local.jcre
            if card is not None and card.context is not owner:
                FIREWALL_CHECK(self)
        if type(index) is int:
            if index < 0 or index >= _ba_len(self):
                raise ArrayIndexOutOfBoundsException(index)
            if type(value) is not int or not -128 <= value <= 255:
                _bad_byte(value)
            if self._store is not None:
                self._store.write_element(self, index, value & 0xFF)
            else:
                _ba_setitem(self, index, value & 0xFF)
        elif type(index) is slice:
            start, stop, step = index.indices(_ba_len(self))
            data = bytes(value)
            if step != 1 or len(data) != max(0, stop - start):
                raise ValueError("a slice write must keep the array's length")
            if self._store is not None:
                self._store.write_range(self, start, data)
            else:
                _ba_setitem(self, index, data)
        else:
            raise TypeError(f"array index must be an int, not {type(index).__name__}")

    __delitem__ = append = extend = insert = pop = remove = clear = _fixed_length
    __iadd__ = __imul__ = _fixed_length

    def __deepcopy__(self, memo: dict[int, Any]) -> ByteArray:
        # The copy of a whole card (runtime.snapshot): the same contents, context, store and
        # transience, made without __init__ (which would adopt it into the running card).
        copy = type(self).__new__(type(self))
        bytearray.__init__(copy, self)
        memo[id(self)] = copy
        _copy_slots(self, copy, memo)
        return copy

    def _jc_clear(self) -> None:
        """Zero the contents: what the JCRE does to a transient array at its clear event."""
        _ba_setitem(self, slice(0, None), bytes(_ba_len(self)))

    def __repr__(self) -> str:
        return f"ByteArray(bytes.fromhex({bytes(self).hex()!r}))"

    __str__ = __repr__

    __hash__ = None


def _copy_slots(source: Any, copy: Any, memo: dict[int, Any]) -> None:
    copy._owner = deepcopy(source._owner, memo)
    copy._store = deepcopy(source._store, memo)
    copy._transient = source._transient


def _is_byte(value: Any) -> bool:
    return type(value) is int and -128 <= value <= 255


def _bad_byte(value: Any) -> int:
    raise ArrayStoreException(f"{value!r} does not fit a Java byte (-128..255 accepted)")


class TemporaryByteArray(ByteArray):
    """A JCRE temporary entry-point array (the APDU buffer): reachable from every context,
    but no reference to it may be stored in a field or an array (JCRE §6.2.1)."""

    __slots__ = ()
    _jc_temporary = True


class _ListArray(JavaArray, list):
    """A fixed-length Java array of shorts, ints, booleans or references."""

    __slots__ = ("_owner", "_store", "_transient")
    _owner: Any  # as ByteArray's
    _store: Any
    _transient: int
    _default: Any = 0

    def __init__(self, size_or_values: int | Iterable[Any] = 0) -> None:
        if type(size_or_values) is int:
            if size_or_values < 0:
                raise NegativeArraySizeException(size_or_values)
            list.__init__(self, [self._default] * size_or_values)
        else:  # only iterables, as in ByteArray.__init__
            list.__init__(self, [self._coerce(v) for v in size_or_values])  # type: ignore[union-attr]
        self._owner = None
        self._transient = NOT_A_TRANSIENT_OBJECT
        self._store = None
        jcre = _jcre.active_or_none()
        if jcre is not None:
            jcre.adopt_array(self)

    _jc_width = 2
    _raw_len = list.__len__
    _raw_getitem = list.__getitem__
    _raw_setitem = list.__setitem__

    @staticmethod
    def _coerce(value: Any) -> Any:
        return value

    def __getitem__(self, index: Any) -> Any:
        if (owner := self._owner) is not None and FIREWALL_CHECK is not None:
            card = _local.jcre
            if card is not None and card.context is not owner:
                FIREWALL_CHECK(self)
        if type(index) is int:
            if index < 0:
                raise ArrayIndexOutOfBoundsException(index)
            try:
                return _list_getitem(self, index)
            except IndexError:
                raise ArrayIndexOutOfBoundsException(index) from None
        if type(index) is slice:
            return list.__getitem__(self, index)
        raise TypeError(f"array index must be an int, not {type(index).__name__}")

    def __setitem__(self, index: Any, value: Any) -> None:
        if (owner := self._owner) is not None and FIREWALL_CHECK is not None:
            card = _local.jcre
            if card is not None and card.context is not owner:
                FIREWALL_CHECK(self)
        if type(index) is slice:
            # A same-length write, as ByteArray allows; every value is checked before any is
            # stored, so a bad value leaves the array unchanged.
            start, stop, step = index.indices(list.__len__(self))
            values = [self._coerce(v) for v in value]
            if step != 1 or len(values) != max(0, stop - start):
                raise ValueError("a slice write must keep the array's length")
            for offset, item in enumerate(values):
                if self._store is not None:
                    self._store.write_element(self, start + offset, item)
                else:
                    list.__setitem__(self, start + offset, item)
            return
        if type(index) is not int:
            raise TypeError(f"array index must be an int, not {type(index).__name__}")
        if index < 0 or index >= list.__len__(self):
            raise ArrayIndexOutOfBoundsException(index)
        value = self._coerce(value)
        if self._store is not None:
            self._store.write_element(self, index, value)
        else:
            list.__setitem__(self, index, value)

    __delitem__ = append = extend = insert = pop = remove = clear = _fixed_length
    __iadd__ = __imul__ = sort = reverse = _fixed_length

    def __deepcopy__(self, memo: dict[int, Any]) -> _ListArray:
        # As ByteArray.__deepcopy__; the copy is in the memo before its elements are copied,
        # so an element that refers back to the array finds the copy.
        copy = type(self).__new__(type(self))
        memo[id(self)] = copy
        list.extend(copy, [deepcopy(element, memo) for element in list.__iter__(self)])
        _copy_slots(self, copy, memo)
        return copy

    def _jc_clear(self) -> None:
        """Reset every element to the type's default: the JCRE's clear of a transient array."""
        list.__setitem__(self, slice(0, None), [self._default] * list.__len__(self))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list.__repr__(self)})"

    __hash__ = None


class ShortArray(_ListArray):
    """Java's ``short[]``: elements are signed; writes of -32768..65535 wrap like ``(short)``."""

    __slots__ = ()
    _jc_width = 2

    def __setitem__(self, index: Any, value: Any) -> None:
        # The common write (an int index, a value already a Java short) with the checks of
        # _ListArray.__setitem__ in the same order and _coerce written out; anything else
        # goes the general way.
        if type(index) is int and type(value) is int and -0x8000 <= value <= 0x7FFF:
            if (owner := self._owner) is not None and FIREWALL_CHECK is not None:
                card = _local.jcre
                if card is not None and card.context is not owner:
                    FIREWALL_CHECK(self)
            if index < 0 or index >= _list_len(self):
                raise ArrayIndexOutOfBoundsException(index)
            store = self._store
            if store is not None:
                store.write_element(self, index, value)
            else:
                _list_setitem(self, index, value)
        else:
            _ListArray.__setitem__(self, index, value)

    @staticmethod
    def _coerce(value: Any) -> int:
        if type(value) is not int or not -0x8000 <= value <= 0xFFFF:
            raise ArrayStoreException(f"{value!r} does not fit a Java short")
        return value - 0x10000 if value > 0x7FFF else value


class IntArray(_ListArray):
    """Java's ``int[]``: elements are signed 32-bit; writes wrap like ``(int)``."""

    __slots__ = ()
    _jc_width = 4

    @staticmethod
    def _coerce(value: Any) -> int:
        if type(value) is not int or not -0x80000000 <= value <= 0xFFFFFFFF:
            raise ArrayStoreException(f"{value!r} does not fit a Java int")
        return value - 0x100000000 if value > 0x7FFFFFFF else value


class BooleanArray(_ListArray):
    """Java's ``boolean[]``: elements are ``True`` / ``False``."""

    __slots__ = ()
    _jc_width = 1
    _default = False

    @staticmethod
    def _coerce(value: Any) -> bool:
        if type(value) is not bool:
            raise ArrayStoreException(f"{value!r} is not a Java boolean")
        return value


class ObjectArray(_ListArray):
    """Java's ``Object[]``: elements are references (any object) or ``None``."""

    __slots__ = ()
    _default = None


def _temporary(cls: type) -> type:
    return type(f"Temporary{cls.__name__}", (cls,), {
        "__slots__": (), "_jc_temporary": True,
        "__doc__": f"A global {cls.__name__} (``JCSystem.makeGlobalArray``): open to every "
                   "context, never stored in a field or an array.",
        "__module__": __name__})


TemporaryShortArray = _temporary(ShortArray)
TemporaryIntArray = _temporary(IntArray)
TemporaryBooleanArray = _temporary(BooleanArray)
TemporaryObjectArray = _temporary(ObjectArray)
