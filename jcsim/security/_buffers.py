"""Reading and writing the byte arrays applets pass to the crypto API.

Java checks every ``(array, offset, length)`` triple before touching it: a null array raises
``NullPointerException`` and a range outside the array raises
``ArrayIndexOutOfBoundsException`` (Python slices would silently clamp). Output goes through the
array's persistence store when it has one, exactly as ``Util.arrayCopy`` writes, so a persistent
output buffer takes part in a transaction once the runtime journals it.
"""

from __future__ import annotations

from typing import Any

from jcsim.framework.exceptions import CryptoException
from jcsim.lang import ArrayIndexOutOfBoundsException, NullPointerException

__all__ = ["check_range", "crypto_error", "read", "write"]


def check_range(array: Any, offset: int, length: int, name: str = "array") -> None:
    """Raise as Java would if ``array[offset:offset+length]`` is not a valid range."""
    if array is None:
        raise NullPointerException(f"{name} is null")
    if offset < 0 or length < 0 or offset + length > len(array):
        raise ArrayIndexOutOfBoundsException(offset + length if offset >= 0 else offset)


def read(array: Any, offset: int, length: int, name: str = "array") -> bytes:
    """The bytes of ``array[offset:offset+length]``, bounds checked."""
    check_range(array, offset, length, name)
    return bytes(array[offset:offset + length])


def write(dest: Any, offset: int, data: bytes, name: str = "outBuff") -> int:
    """Store ``data`` at ``dest[offset]`` (bounds checked); returns ``len(data)``."""
    check_range(dest, offset, len(data), name)
    if not data:
        return 0
    store = getattr(dest, "_store", None)
    if store is not None:
        store.write_range(dest, offset, bytes(data))
    elif isinstance(dest, bytearray):
        bytearray.__setitem__(dest, slice(offset, offset + len(data)), data)
    else:
        raise TypeError(f"{name} must be a writable byte array, not {type(dest).__name__}")
    return len(data)


def crypto_error(reason: int) -> CryptoException:
    """A ``CryptoException`` with ``reason`` (for ``raise crypto_error(...) from exc``)."""
    return CryptoException(reason)
