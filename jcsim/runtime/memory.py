"""Memory accounting: persistent memory and the two kinds of transient RAM (JCRE §3.1;
API ``JCSystem.getAvailableMemory``).

Cost model, in bytes:

| what                                   | pool                 | cost                           |
|----------------------------------------|----------------------|--------------------------------|
| an object (``Object`` subclass)        | persistent           | 8 header + 4 per field         |
| a persistent array                     | persistent           | 8 header + length x width      |
| a transient array                      | persistent + its RAM | 8 header; length x width in RAM|
| a transient key (its key material)     | its RAM              | key size in bytes              |
| a crypto engine (``getInstance``)      | persistent           | 8 header + its footprint       |

Element widths: byte and boolean 1, short 2, int 4, reference 2. A field is counted when it is
first assigned (Python objects grow as their constructor runs; a Java object's fields exist
from ``new``). A crypto engine (Cipher, AEADCipher, Signature, MessageDigest,
InitializedMessageDigest, Checksum, RandomData) costs a fixed footprint per family instead,
charged whole at ``getInstance``: 4 bytes per persistent field plus its working buffer
(``jcsim.security._engine_state.FOOTPRINTS``). Allocation beyond a pool raises
``SystemException.NO_RESOURCE`` (persistent) or ``NO_TRANSIENT_SPACE`` (RAM). Memory comes back
only when object deletion, or applet and package deletion, reclaims objects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jcsim.framework.exceptions import SystemException

if TYPE_CHECKING:
    from jcsim.runtime.memory_snapshot import MemorySnapshot

__all__ = [
    "ARRAY_HEADER",
    "DEFAULT_PERSISTENT",
    "DEFAULT_TRANSIENT",
    "FIELD_SIZE",
    "OBJECT_HEADER",
    "Memory",
]

OBJECT_HEADER = 8
FIELD_SIZE = 4
ARRAY_HEADER = 8
DEFAULT_PERSISTENT = 256 * 1024
DEFAULT_TRANSIENT = 4 * 1024

PERSISTENT = 0
TRANSIENT_RESET = 1
TRANSIENT_DESELECT = 2


def __getattr__(name: str) -> object:
    # The snapshot values live in ``memory_snapshot``, imported by the first report.
    if name in ("MemorySnapshot", "PoolSnapshot"):
        from jcsim.runtime import memory_snapshot

        return getattr(memory_snapshot, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _footprint(obj: Any) -> int:
    return getattr(type(obj), "_jc_footprint", 0)


def _fixed_size(obj: Any) -> bool:
    """A crypto engine: one size from creation on, whatever fields it holds."""
    return getattr(type(obj), "_jc_footprint", 0) > 0


def _element_width(array: Any) -> int:
    return getattr(array, "_jc_width", 2)


class Memory:
    """The card's allocation table: every on-card object, its size and where it lives."""

    def __init__(self, persistent: int = DEFAULT_PERSISTENT,
                 transient_reset: int = DEFAULT_TRANSIENT,
                 transient_deselect: int = DEFAULT_TRANSIENT) -> None:
        self.capacity = [persistent, transient_reset, transient_deselect]
        self.used = [0, 0, 0]
        # id(obj) -> [obj, persistent bytes, RAM pool or None, RAM bytes]
        self.table: dict[int, list[Any]] = {}

    def _take(self, pool: int, size: int) -> None:
        if self.used[pool] + size > self.capacity[pool]:
            raise SystemException(SystemException.NO_RESOURCE if pool == PERSISTENT
                                  else SystemException.NO_TRANSIENT_SPACE)
        self.used[pool] += size

    def allocate_object(self, obj: Any) -> None:
        size = OBJECT_HEADER + _footprint(obj)
        self._take(PERSISTENT, size)
        self.table[id(obj)] = [obj, size, None, 0]

    def add_field(self, obj: Any) -> None:
        entry = self.table.get(id(obj))
        if entry is not None and not _fixed_size(obj):
            self._take(PERSISTENT, FIELD_SIZE)
            entry[1] += FIELD_SIZE

    def remove_field(self, obj: Any) -> None:
        """A field an aborted transaction had added: its bytes come back."""
        entry = self.table.get(id(obj))
        if entry is not None and not _fixed_size(obj):
            self.used[PERSISTENT] -= FIELD_SIZE
            entry[1] -= FIELD_SIZE

    def allocate_array(self, array: Any) -> None:
        size = ARRAY_HEADER + len(array) * _element_width(array)
        self._take(PERSISTENT, size)
        self.table[id(array)] = [array, size, None, 0]

    def make_transient(self, obj: Any, event: int) -> None:
        """Move an array's elements (or a key's material) into the RAM of ``event``."""
        entry = self.table.get(id(obj))
        if hasattr(obj, "_jc_width"):
            ram = len(obj) * _element_width(obj)
        else:
            ram = (getattr(obj, "_size", 0) + 7) // 8
        self._take(event, ram)
        if entry is None:
            return
        if hasattr(obj, "_jc_width"):
            moved = len(obj) * _element_width(obj)
            self.used[PERSISTENT] -= moved
            entry[1] -= moved
        entry[2], entry[3] = event, ram

    def account_loaded(self, obj: Any) -> None:
        """Count an object rebuilt from a card image (the capacity is not checked: the image
        was made by a card with the same memory)."""
        if hasattr(obj, "_jc_width"):
            size = ARRAY_HEADER + len(obj) * _element_width(obj)
        elif _fixed_size(obj):
            size = OBJECT_HEADER + _footprint(obj)
        else:
            fields = [n for n in object.__getattribute__(obj, "__dict__")
                      if n not in ("_jc_store", "_jc_owner")]
            size = OBJECT_HEADER + FIELD_SIZE * len(fields)
        self.used[PERSISTENT] += size
        self.table[id(obj)] = [obj, size, None, 0]

    def release(self, obj: Any) -> int:
        """Give back what ``obj`` holds; returns the persistent bytes freed."""
        entry = self.table.pop(id(obj), None)
        if entry is None:
            return 0
        self.used[PERSISTENT] -= entry[1]
        if entry[2] is not None:
            self.used[entry[2]] -= entry[3]
        return entry[1]

    def tracked(self) -> list[Any]:
        return [entry[0] for entry in self.table.values()]

    def is_tracked(self, obj: Any) -> bool:
        return id(obj) in self.table

    def available(self, pool: int) -> int:
        if pool not in (PERSISTENT, TRANSIENT_RESET, TRANSIENT_DESELECT):
            raise SystemException(SystemException.ILLEGAL_VALUE)
        return self.capacity[pool] - self.used[pool]

    def snapshot(self) -> MemorySnapshot:
        # The report's values are loaded by the first report, not by every card.
        from jcsim.runtime.memory_snapshot import MemorySnapshot, PoolSnapshot

        return MemorySnapshot(
            PoolSnapshot(self.capacity[0], self.used[0]),
            PoolSnapshot(self.capacity[1], self.used[1]),
            PoolSnapshot(self.capacity[2], self.used[2]),
            len(self.table))
