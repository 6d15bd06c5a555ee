"""The transaction journal: every write to persistent memory, transactions, and tears
(JCRE 3.0.5 ch. 7, "Atomicity and Transactions"; API ``JCSystem``, ``Util``).

Theory of operation. Persistent memory is the fields of on-card objects and the elements of
persistent arrays; every write to it comes here (``write_field``, ``write_element``,
``write_range``, ``write_range_non_atomic``). A single write is atomic by itself. Inside a
transaction the first write to each location records the old value in the undo log, which
costs commit capacity (``FIELD_COST``, ``ELEMENT_OVERHEAD`` plus the element's width, or
``ELEMENT_OVERHEAD`` plus the length for a range); ``abort`` plays the undo log backwards and
makes objects created inside the transaction unreachable (they read as null); writes to those
objects need no undo entry and cost no capacity. An atomic range
write outside a transaction (``Util.arrayCopy`` on a persistent array) is journaled alone for its
duration. The non-atomic range writes never use the journal, even inside a transaction.

Tears. Every persistent write, one per field or array element, counts. When the count of the
current command reaches the armed tear point, the write completes and ``PowerLoss`` unwinds the
card's code: the command has no response. The undo log (of an open transaction or of an atomic
range write) stays as it was, and ``recover`` rolls it back at the next power-up, before any
applet code runs.
"""

from __future__ import annotations

from typing import Any

from jcsim.framework import _jcre
from jcsim.framework.exceptions import TransactionException
from jcsim.framework.java_class import DATA_DESCRIPTOR_NAMES

__all__ = [
    "DEFAULT_COMMIT_CAPACITY",
    "ELEMENT_OVERHEAD",
    "FIELD_COST",
    "Journal",
    "PowerLoss",
]

DEFAULT_COMMIT_CAPACITY = 512
# Commit-capacity cost of one undo entry, in bytes: a location (object and offset, 4 bytes)
# plus the old value: a field's value counts as 4 bytes, an element as its Java width.
ELEMENT_OVERHEAD = 4
FIELD_COST = ELEMENT_OVERHEAD + 4
_MISSING = object()
_oga = object.__getattribute__
# Exact types that are never temporary JCRE objects (subclasses still get the full check).
_PLAIN_VALUES = frozenset({int, bool, type(None), str, bytes, float})


class PowerLoss(BaseException):
    """The simulated card lost power in the middle of a command.

    A BaseException, so applet code that catches ``Exception`` (or Java's ``Throwable``) cannot
    swallow it: a real card's code does not survive a tear either. ``location`` names the
    persistent location written last (empty when the tear came before any write).
    """

    def __init__(self, message: str, location: str = "") -> None:
        super().__init__(message)
        self.location = location


def describe_location(target: Any, key: Any) -> str:
    """A persistent location for people: ``Purse.balance`` or ``element 3 of a ByteArray``."""
    if isinstance(key, str):
        return f"{type(target).__qualname__}.{key}"
    return f"element {key} of a {type(target).__qualname__}"


def _null_use_aborted(*_args: Any) -> Any:
    from jcsim.lang import NullPointerException

    raise NullPointerException("this object was created in an aborted transaction")


def _null_use_reclaimed(*_args: Any) -> Any:
    from jcsim.lang import NullPointerException

    raise NullPointerException("this object was reclaimed by object deletion "
                               "(JCSystem.requestObjectDeletion): nothing reachable referred to it")


def _dead_getattribute(self: Any, name: str) -> Any:
    if name.startswith("__") and name.endswith("__"):
        return object.__getattribute__(self, name)
    return _null_use_aborted()


def _reclaimed_getattribute(self: Any, name: str) -> Any:
    if name.startswith("__") and name.endswith("__"):
        return object.__getattribute__(self, name)
    return _null_use_reclaimed()


class _Dead:
    """What an object created in an aborted transaction becomes: any use is a null use."""

    __getattribute__ = _dead_getattribute


class _DeadArray:
    """The same for a Java array. Without slots of its own (an array's layout is fixed by its
    slots, and ``__class__`` assignment needs the same layout); indexing and ``len`` bypass
    ``__getattribute__``, so they fail here."""

    __slots__ = ()
    __getattribute__ = _dead_getattribute
    __getitem__ = __setitem__ = __len__ = __iter__ = _null_use_aborted


class _Reclaimed:
    """What an object freed by object deletion becomes: any use is a null use."""

    __getattribute__ = _reclaimed_getattribute


class _ReclaimedArray:
    """The same for a Java array (see ``_DeadArray``)."""

    __slots__ = ()
    __getattribute__ = _reclaimed_getattribute
    __getitem__ = __setitem__ = __len__ = __iter__ = _null_use_reclaimed


def _refuse_temporary(value: Any) -> None:
    from jcsim.lang import SecurityException

    # JCRE §6.2.1: references to temporary entry-point objects (the APDU object, the APDU
    # buffer) cannot be stored in class variables, instance variables or array components.
    raise SecurityException(f"a reference to the JCRE's temporary {type(value).__name__} "
                            "cannot be stored")


def _width(array: Any) -> int:
    return getattr(array, "_jc_width", 2)


class Journal:
    """One card's persistent-write journal."""

    def __init__(self, capacity: int = DEFAULT_COMMIT_CAPACITY) -> None:
        if capacity < FIELD_COST:
            raise ValueError(f"commit capacity must be at least {FIELD_COST} bytes")
        self.capacity = capacity
        self.depth = 0
        self.used = 0
        self.undo: list[tuple[Any, ...]] = []
        self._logged: set[tuple[int, Any]] = set()
        self.created: list[Any] = []
        # Objects created in the open transaction need no undo entries: an abort kills them.
        self._created_ids: set[int] = set()
        self.atomic: tuple[Any, int, Any] | None = None
        self.writes = 0  # persistent writes in the current command
        self.total_writes = 0  # persistent writes since the card was made
        self.tear_after: int | None = None
        self.memory: Any = None  # the card's Memory: new fields are accounted there

    # --- the writes --------------------------------------------------------------------------

    def _count(self, target: Any, key: Any) -> None:
        self.writes += 1
        if self.writes == self.tear_after:
            location = describe_location(target, key)
            raise PowerLoss(f"tear after persistent write {self.writes}, {location}", location)

    def _reserve(self, cost: int) -> None:
        if self.used + cost > self.capacity:
            raise TransactionException(TransactionException.BUFFER_FULL)
        self.used += cost

    def write_field(self, obj: Any, name: str, value: Any, fields: Any = None) -> None:
        """Write ``obj.name``; ``fields`` is ``obj``'s instance dict when the caller has it."""
        kind = type(value)
        # Plain values (most writes) cannot be temporary objects: skip the attribute lookup,
        # which misses on them and costs more than the rest of the check.
        if kind not in _PLAIN_VALUES and getattr(kind, "_jc_temporary", False):
            _refuse_temporary(value)
        # ``fields`` comes from the firewall's hook, for an on-card object: then a name that no
        # on-card class makes a data descriptor (java_class.DATA_DESCRIPTOR_NAMES) is stored
        # straight into the dict. Other objects (static field blocks) take object.__setattr__.
        given = fields is not None
        if fields is None:
            fields = _oga(obj, "__dict__")
        if name not in fields and self.memory is not None:
            self.memory.add_field(obj)
        if self.depth:
            oid = id(obj)
            key = (oid, name)
            if key not in self._logged and oid not in self._created_ids:
                used = self.used + FIELD_COST  # _reserve, inlined on this path
                if used > self.capacity:
                    raise TransactionException(TransactionException.BUFFER_FULL)
                self.used = used
                self._logged.add(key)
                self.undo.append(("f", obj, name, fields.get(name, _MISSING)))
        if given and name not in DATA_DESCRIPTOR_NAMES:
            fields[name] = value  # what object.__setattr__ does for a name no descriptor takes
        else:
            object.__setattr__(obj, name, value)
        writes = self.writes = self.writes + 1  # _count, inlined on this path
        if writes == self.tear_after:
            location = describe_location(obj, name)
            raise PowerLoss(f"tear after persistent write {writes}, {location}", location)

    def write_field_untracked(self, obj: Any, name: str, value: Any) -> None:
        """A persistent field that never takes part in a transaction (OwnerPIN's try counter)."""
        object.__setattr__(obj, name, value)
        self._count(obj, name)

    def write_element(self, array: Any, index: int, value: Any) -> None:
        kind = type(value)
        if kind not in _PLAIN_VALUES and getattr(kind, "_jc_temporary", False):
            _refuse_temporary(value)
        if self.depth:
            oid = id(array)
            key = (oid, index)
            if key not in self._logged and oid not in self._created_ids:
                # _reserve, inlined: an element costs its Java width besides the location.
                used = self.used + ELEMENT_OVERHEAD + array._jc_width
                if used > self.capacity:
                    raise TransactionException(TransactionException.BUFFER_FULL)
                self.used = used
                self._logged.add(key)
                self.undo.append(("e", array, index, array._raw_getitem(index)))
        array._raw_setitem(index, value)
        writes = self.writes = self.writes + 1  # _count, inlined
        if writes == self.tear_after:
            location = describe_location(array, index)
            raise PowerLoss(f"tear after persistent write {writes}, {location}", location)

    def write_range(self, array: Any, start: int, values: Any) -> None:
        """An atomic multi-element write: all of it or, after a tear, none of it."""
        cost = ELEMENT_OVERHEAD + len(values) * _width(array)
        old = array._raw_getitem(slice(start, start + len(values)))
        if self.depth:
            if id(array) in self._created_ids:
                # Nothing to undo in an array the transaction itself created.
                self._apply(array, start, values)
                return
            self._reserve(cost)
            self.undo.append(("r", array, start, old))
            self._apply(array, start, values)
            return
        if cost > self.capacity:
            raise TransactionException(TransactionException.BUFFER_FULL)
        self.atomic = (array, start, old)
        self._apply(array, start, values)
        self.atomic = None

    def write_range_non_atomic(self, array: Any, start: int, values: Any) -> None:
        """Element by element, outside any transaction: a tear leaves what was written."""
        self._apply(array, start, values)

    def _apply(self, array: Any, start: int, values: Any) -> None:
        count = len(values)
        tear = self.tear_after
        if tear is not None and self.writes < tear <= self.writes + count:
            done = tear - self.writes
            array._raw_setitem(slice(start, start + done), values[:done])
            self.writes = tear
            location = describe_location(array, start + done - 1)
            raise PowerLoss(f"tear after persistent write {tear}, {location}", location)
        array._raw_setitem(slice(start, start + count), values)
        self.writes += count

    # --- transactions ------------------------------------------------------------------------

    def begin(self) -> None:
        if self.depth:
            raise TransactionException(TransactionException.IN_PROGRESS)
        self.depth = 1
        self.used = 0

    def commit(self) -> None:
        if not self.depth:
            raise TransactionException(TransactionException.NOT_IN_PROGRESS)
        # _close, written out: every transactional command commits.
        self.depth = 0
        self.used = 0
        if self.undo:
            self.undo = []
            self._logged = set()
        if self.created:
            self.created = []
            self._created_ids = set()

    def abort(self) -> list[Any]:
        """Roll back the open transaction; returns the objects it had created (now dead)."""
        if not self.depth:
            raise TransactionException(TransactionException.NOT_IN_PROGRESS)
        self._roll_back()
        created = self.created
        for obj in created:
            _kill(obj)
        self._close()
        return created

    def _roll_back(self) -> None:
        restored: dict[int, Any] = {}
        for kind, target, key, old in reversed(self.undo):
            if kind == "f":
                if hasattr(type(target), "_jc_after_rollback"):
                    restored[id(target)] = target
                if old is _MISSING:
                    # A field the transaction added goes away, and so does its memory.
                    _oga(target, "__dict__").pop(key, None)
                    if self.memory is not None:
                        self.memory.remove_field(target)
                else:
                    object.__setattr__(target, key, old)
            elif kind == "e":
                target._raw_setitem(key, old)
            else:
                target._raw_setitem(slice(key, key + len(old)), old)
        if restored:
            _after_rollback(restored.values())

    def _close(self) -> None:
        self.depth = 0
        self.used = 0
        # New containers only where the transaction put something (abort hands ``created``
        # to its caller, so it is replaced, never cleared).
        if self.undo:
            self.undo = []
            self._logged = set()
        if self.created:
            self.created = []
            self._created_ids = set()

    def note_created(self, obj: Any) -> None:
        if self.depth:
            self.created.append(obj)
            self._created_ids.add(id(obj))

    @property
    def pending(self) -> bool:
        """True when a power-up must roll something back (after a tear)."""
        return bool(self.depth or self.atomic is not None)

    def recover(self) -> list[Any]:
        """At power-up: undo an interrupted transaction or atomic write; returns dead objects."""
        dead: list[Any] = []
        if self.atomic is not None:
            array, start, old = self.atomic
            array._raw_setitem(slice(start, start + len(old)), old)
            self.atomic = None
        if self.depth:
            dead = self.abort()
        return dead

    # --- JCSystem figures --------------------------------------------------------------------

    def max_commit_capacity(self) -> int:
        return min(self.capacity, 32767)

    def unused_commit_capacity(self) -> int:
        return min(self.capacity - self.used, 32767)

    def start_command(self, tear_after: int | None) -> None:
        self.total_writes += self.writes
        self.writes = 0
        self.tear_after = tear_after


def _after_rollback(objects: Any) -> None:
    """Crypto engines whose init state was rolled back reset their working state to match it;
    the JCRE does it in its own context (the rollback may span several contexts' objects)."""
    card = _jcre.active_or_none()
    previous = getattr(card, "context", None)
    if card is not None:
        card.context = None
    try:
        for obj in objects:
            obj._jc_after_rollback()
    finally:
        if card is not None:
            card.context = previous


def _kill(obj: Any) -> None:
    """Make an object created in an aborted transaction unusable, as a null reference is."""
    dead_class = getattr(type(obj), "_jc_dead_class", None)
    try:
        obj.__class__ = dead_class if dead_class is not None else _dead_class_for(type(obj))
    except TypeError:
        obj.__dict__.clear() if hasattr(obj, "__dict__") else None


_DEAD_CLASSES: dict[tuple[type, bool], type] = {}


def _dead_class_for(cls: type, reclaimed: bool = False) -> type:
    """The class a dead ``cls`` object becomes: created in an aborted transaction, or (with
    ``reclaimed``) freed by object deletion; each says so when used."""
    dead = _DEAD_CLASSES.get((cls, reclaimed))
    if dead is None:
        array = hasattr(cls, "_raw_setitem")
        base: type
        if reclaimed:
            base, prefix = (_ReclaimedArray if array else _Reclaimed), "Reclaimed"
        else:
            base, prefix = (_DeadArray if array else _Dead), "Dead"
        dead = _DEAD_CLASSES[(cls, reclaimed)] = type(
            f"{prefix}{cls.__name__}", (base, cls),
            {"__slots__": ()} if "__slots__" in cls.__dict__ else {})
    return dead
