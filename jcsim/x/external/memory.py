"""External memory subsystems, and a simulated MIFARE Classic 1K.

Mirrors ``javacardx.external.Memory``, ``MemoryAccess`` and ``ExternalException`` (Java Card
3.0.5). jcsim offers one subsystem, ``MEMORY_TYPE_MIFARE``: each card has a simulated MIFARE
Classic 1K memory (16 sectors of 4 blocks of 16 bytes, block 3 of each sector its trailer) that
``mifare_memory(card)`` hands to host code, e.g. to preset sector keys or read what an applet
wrote. ``MEMORY_TYPE_EXTENDED_STORE`` is ``ExternalException.NO_SUCH_SUBSYSTEM``.

Behaviour of the MIFARE ``MemoryAccess``:

- ``other_sector`` (0-15) and ``other_block`` (0-3) address the first block; a read or write
  covers ``other_len`` / ``src_blen`` bytes from there and may run into the following blocks of
  the same sector only. Anything outside that, a negative length, or buffers out of bounds is
  ``ExternalException.INVALID_PARAM``.
- The key is the sector's 6-byte key A or key B as stored in its trailer (factory value
  FF FF FF FF FF FF). Cards that take an 8-byte "MF password" derived from the keys do that
  derivation in their platform; jcsim takes the key itself. A wrong key makes ``readData``
  return 0 and ``writeData`` return false, as the javadoc says.
- Block 0 of sector 0 (the manufacturer block) and the sector trailers cannot be written
  through this interface (``writeData`` returns false); trailers read back with key A masked as
  zeros, as on a real card.
- The memory is not part of the card's persistent heap: transactions do not roll it back and
  card images do not store it (a tag's memory is outside the JCRE's objects).
"""

from __future__ import annotations

from typing import Any

from jcsim.framework import _jcre
from jcsim.framework.exceptions import CardRuntimeException
from jcsim.framework.util import _check, _write
from jcsim.lang import ArrayIndexOutOfBoundsException, NullPointerException

__all__ = ["ExternalException", "Memory", "MemoryAccess", "MifareClassic1K", "mifare_memory"]

SECTORS, BLOCKS, BLOCK = 16, 4, 16
FACTORY_KEY = b"\xFF" * 6
FACTORY_ACCESS = bytes.fromhex("FF078069")  # transport configuration: key A or B, all access


class ExternalException(CardRuntimeException):
    """Mirrors ``javacardx.external.ExternalException``."""

    NO_SUCH_SUBSYSTEM = 1
    INVALID_PARAM = 2
    INTERNAL_ERROR = 3


class MemoryAccess:
    """Mirrors the ``javacardx.external.MemoryAccess`` interface."""

    def writeData(self, src: Any, src_off: int, src_blen: int, auth_key: Any,
                  auth_key_off: int, auth_key_blen: int, other_sector: int,
                  other_block: int) -> bool:
        raise NotImplementedError

    def readData(self, dest: Any, dest_off: int, auth_key: Any, auth_key_off: int,
                 auth_key_blen: int, other_sector: int, other_block: int,
                 other_len: int) -> int:
        raise NotImplementedError


def _bytes_of(array: Any, offset: int, length: int, name: str) -> bytes:
    try:
        _check(array, offset, length, name)
    except (ArrayIndexOutOfBoundsException, NullPointerException) as exc:
        raise ExternalException(ExternalException.INVALID_PARAM) from exc
    return bytes(array[offset:offset + length])


class MifareClassic1K(MemoryAccess):
    """The simulated MIFARE Classic 1K memory and its ``MemoryAccess`` (see module doc)."""

    def __init__(self) -> None:
        self.blocks = [bytearray(BLOCK) for _ in range(SECTORS * BLOCKS)]
        self.blocks[0][:4] = b"\x4A\x43\x53\x31"  # a UID, so block 0 is not blank
        for sector in range(SECTORS):
            self.set_keys(sector, FACTORY_KEY, FACTORY_KEY)

    # --- host side ---------------------------------------------------------------------------

    def set_keys(self, sector: int, key_a: bytes, key_b: bytes) -> None:
        """Write a sector trailer: key A, the transport access bits, key B."""
        if len(key_a) != 6 or len(key_b) != 6:
            raise ValueError("MIFARE keys are 6 bytes")
        self.blocks[sector * BLOCKS + 3][:] = key_a + FACTORY_ACCESS + key_b

    def block(self, sector: int, block: int) -> bytes:
        """The raw 16 bytes of a block."""
        return bytes(self.blocks[sector * BLOCKS + block])

    # --- the applet side ---------------------------------------------------------------------

    def _span(self, sector: int, block: int, length: int) -> list[int]:
        if not (0 <= sector < SECTORS and 0 <= block < BLOCKS and length >= 0
                and block * BLOCK + length <= BLOCKS * BLOCK):
            raise ExternalException(ExternalException.INVALID_PARAM)
        last = block + max(0, (length + BLOCK - 1) // BLOCK) - 1
        return [sector * BLOCKS + b for b in range(block, last + 1)]

    def _authenticated(self, sector: int, key: bytes) -> bool:
        trailer = self.blocks[sector * BLOCKS + 3]
        return len(key) == 6 and key in (bytes(trailer[:6]), bytes(trailer[10:]))

    def writeData(self, src: Any, src_off: int, src_blen: int, auth_key: Any,
                  auth_key_off: int, auth_key_blen: int, other_sector: int,
                  other_block: int) -> bool:
        """Write ``src_blen`` bytes from ``other_sector``/``other_block``; false if the key is
        wrong or the span touches the manufacturer block or a trailer."""
        data = _bytes_of(src, src_off, src_blen, "src")
        key = _bytes_of(auth_key, auth_key_off, auth_key_blen, "auth_key")
        span = self._span(other_sector, other_block, src_blen)
        if not self._authenticated(other_sector, key):
            return False
        if any(index == 0 or index % BLOCKS == 3 for index in span):
            return False
        flat = bytearray(b"".join(self.blocks[i] for i in span))
        flat[:len(data)] = data
        for n, index in enumerate(span):
            self.blocks[index][:] = flat[n * BLOCK:(n + 1) * BLOCK]
        return True

    def readData(self, dest: Any, dest_off: int, auth_key: Any, auth_key_off: int,
                 auth_key_blen: int, other_sector: int, other_block: int,
                 other_len: int) -> int:
        """Read ``other_len`` bytes into ``dest``; returns that length, or 0 for a wrong key."""
        key = _bytes_of(auth_key, auth_key_off, auth_key_blen, "auth_key")
        span = self._span(other_sector, other_block, other_len)
        _bytes_of(dest, dest_off, other_len, "dest")
        if not self._authenticated(other_sector, key):
            return 0
        data = b"".join(bytes(6) + bytes(self.blocks[i][6:]) if i % BLOCKS == 3
                        else bytes(self.blocks[i]) for i in span)[:other_len]
        _write(dest, dest_off, data, True)
        return len(data)


# Each card's MIFARE memory, by the card's id (cards live as long as the process here).
_MEMORIES: dict[int, MifareClassic1K] = {}


def mifare_memory(card: Any) -> MifareClassic1K:
    """The simulated MIFARE memory of ``card`` (a ``Simulator``'s ``card``), host side."""
    return _MEMORIES.setdefault(id(card), MifareClassic1K())


class Memory:
    """Mirrors ``javacardx.external.Memory``."""

    MEMORY_TYPE_MIFARE = 1
    MEMORY_TYPE_EXTENDED_STORE = 2

    @staticmethod
    def getMemoryAccessInstance(memoryType: int, memorySize: Any,
                                memorySizeOffset: int) -> MemoryAccess:
        """The ``MemoryAccess`` of a subsystem. Its size in bytes goes to
        ``memorySize[memorySizeOffset]`` (high 16 bits) and ``[memorySizeOffset + 1]`` (low)."""
        if memoryType != Memory.MEMORY_TYPE_MIFARE:
            raise ExternalException(ExternalException.NO_SUCH_SUBSYSTEM)
        memory = mifare_memory(_jcre.active())
        if memorySize is not None:
            size = SECTORS * BLOCKS * BLOCK
            memorySize[memorySizeOffset] = size >> 16
            memorySize[memorySizeOffset + 1] = size & 0xFFFF
        return memory
