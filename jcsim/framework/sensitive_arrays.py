"""Integrity-sensitive arrays.

Mirrors ``javacard.framework.SensitiveArrays`` (Java Card 3.0.5). jcsim supports them: an
integrity-sensitive array is an ordinary array of its type (persistent or transient, journaled
and firewall-guarded the same way) that also carries an integrity control. In the simulator
memory never decays, so the control only fails after a simulated fault:
``corrupt_sensitive_array`` (host side, for tests of an applet's reaction) changes an element
behind the platform's back. The platform checks integrity before every update of the array
(``SecurityException``), and ``assertIntegrity`` lets the applet check before a read;
``clearArray`` zeroes the array atomically and restores the control.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from jcsim.framework import arrays
from jcsim.framework.exceptions import SystemException
from jcsim.framework.jcsystem import JCSystem
from jcsim.lang import NullPointerException, SecurityException

# The mixin only joins Java array classes, whose element store it guards.
if TYPE_CHECKING:
    _ArrayBase = arrays.JavaArray
else:
    _ArrayBase = object

__all__ = ["SensitiveArrays", "corrupt_sensitive_array"]


class _IntegritySensitive(_ArrayBase):
    """Mixin of the integrity-sensitive array classes."""

    _jc_integrity_sensitive = True
    _jc_compromised = False  # set on the instance by a simulated fault

    def __setitem__(self, index: Any, value: Any) -> None:
        if self._jc_compromised:
            raise SecurityException("integrity-sensitive array compromised")
        super().__setitem__(index, value)


def _sensitive(cls: type) -> type:
    return type(f"IntegritySensitive{cls.__name__}", (_IntegritySensitive, cls), {
        "__doc__": f"An integrity-sensitive {cls.__name__} (SensitiveArrays).",
        "__module__": __name__})


IntegritySensitiveBooleanArray = _sensitive(arrays.BooleanArray)
IntegritySensitiveByteArray = _sensitive(arrays.ByteArray)
IntegritySensitiveShortArray = _sensitive(arrays.ShortArray)
IntegritySensitiveIntArray = _sensitive(arrays.IntArray)
IntegritySensitiveObjectArray = _sensitive(arrays.ObjectArray)

_KINDS = {
    JCSystem.ARRAY_TYPE_BOOLEAN: IntegritySensitiveBooleanArray,
    JCSystem.ARRAY_TYPE_BYTE: IntegritySensitiveByteArray,
    JCSystem.ARRAY_TYPE_SHORT: IntegritySensitiveShortArray,
    JCSystem.ARRAY_TYPE_INT: IntegritySensitiveIntArray,
    JCSystem.ARRAY_TYPE_OBJECT: IntegritySensitiveObjectArray,
}


def _sensitive_array(obj: Any) -> Any:
    if obj is None:
        raise NullPointerException("obj is null")
    if not getattr(obj, "_jc_integrity_sensitive", False):
        raise SystemException(SystemException.ILLEGAL_VALUE)
    return obj


class SensitiveArrays:
    """Mirrors ``javacard.framework.SensitiveArrays``."""

    @staticmethod
    def isIntegritySensitiveArraysSupported() -> bool:
        """True: jcsim supports integrity-sensitive arrays of every type."""
        return True

    @staticmethod
    def makeIntegritySensitiveArray(type: int, memory: int, length: int) -> Any:
        """A new integrity-sensitive array of ``ARRAY_TYPE_*`` in ``MEMORY_TYPE_*`` memory."""
        if length < 0:
            raise arrays.NegativeArraySizeException(length)
        if type not in _KINDS:
            raise SystemException(SystemException.ILLEGAL_VALUE)
        if memory == JCSystem.MEMORY_TYPE_PERSISTENT:
            return _KINDS[type](length)
        events = {JCSystem.MEMORY_TYPE_TRANSIENT_RESET: JCSystem.CLEAR_ON_RESET,
                  JCSystem.MEMORY_TYPE_TRANSIENT_DESELECT: JCSystem.CLEAR_ON_DESELECT}
        if memory not in events:
            raise SystemException(SystemException.ILLEGAL_VALUE)
        return JCSystem._make_transient(_KINDS[type], length, events[memory])

    @staticmethod
    def isIntegritySensitive(obj: Any) -> bool:
        """True if ``obj`` was made by ``makeIntegritySensitiveArray``."""
        if obj is None:
            raise NullPointerException("obj is null")
        return bool(getattr(obj, "_jc_integrity_sensitive", False))

    @staticmethod
    def assertIntegrity(obj: Any) -> None:
        """``SecurityException`` if the array's integrity has been compromised."""
        if _sensitive_array(obj)._jc_compromised:
            raise SecurityException("integrity-sensitive array compromised")

    @staticmethod
    def clearArray(obj: Any) -> int:
        """Zero (or null) every element atomically and restore the integrity control; returns
        the array's length."""
        array = _sensitive_array(obj)
        default = 0 if isinstance(array, arrays.ByteArray) else array._default
        values = bytes(len(array)) if isinstance(array, arrays.ByteArray) else \
            [default] * len(array)
        store = getattr(array, "_store", None)
        if arrays.FIREWALL_CHECK is not None and array._owner is not None:
            arrays.FIREWALL_CHECK(array)
        if len(array):
            if store is None:
                array._raw_setitem(slice(0, len(array)), values)
            else:
                store.write_range(array, 0, values)
        object.__setattr__(array, "_jc_compromised", False)
        return len(array)


def corrupt_sensitive_array(array: Any, index: int, value: Any) -> None:
    """Simulate a fault attack: change ``array[index]`` without updating its integrity control,
    so ``assertIntegrity`` and the next update raise ``SecurityException`` (host side)."""
    _sensitive_array(array)._raw_setitem(index, value)
    object.__setattr__(array, "_jc_compromised", True)
