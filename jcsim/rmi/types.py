"""The Java types a remote interface declares, for method descriptors and the wire format.

Java Card RMI (JCRE 3.0.5 §8.1.1.1, §8.3.4) passes ``boolean``, ``byte``, ``short`` and ``int``
values and one-dimensional arrays of them; a method may also return ``void`` or a remote
interface. In a Python declaration these are written as annotations::

    def debit(self, amount: jshort) -> jshort: ...
    def setAccountNumber(self, number: jbyte[...]) -> None: ...   # byte[] parameter, void
    def getAccountNumber(self) -> jbyte[...]: ...                  # returns byte[]

``jbyte[...]`` is the array type ``byte[]`` (``jbyte[:]`` is accepted too); ``None`` or ``jvoid``
as a return annotation means ``void``; a remote interface class as a return annotation means a
remote reference. Each type knows its JVM descriptor (``S``, ``[B``...). Calling a primitive type
casts as Java does: ``jshort(70000) == 4464``.

Shared by the card and the host; depends on nothing else in jcsim.
"""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["JavaType", "jboolean", "jbyte", "jint", "jshort", "jvoid"]

_RANGES = {"B": (-0x80, 0xFF), "S": (-0x8000, 0xFFFF), "I": (-0x8000_0000, 0xFFFF_FFFF)}


@attrs.frozen(repr=False)
class JavaType:
    """A Java primitive type, ``void``, or a one-dimensional array of a primitive type."""

    name: str
    code: str
    width: int
    element: JavaType | None = None

    @property
    def descriptor(self) -> str:
        """The JVM field descriptor: ``S``, ``Z``, ``[B``..."""
        return "[" + self.element.code if self.element is not None else self.code

    @property
    def is_array(self) -> bool:
        return self.element is not None

    @property
    def is_void(self) -> bool:
        return self.code == "V"

    def __getitem__(self, _dimension: Any) -> JavaType:
        """``jbyte[...]`` is ``byte[]``. Java Card RMI has no multi-dimensional arrays."""
        if self.element is not None:
            raise TypeError("Java Card RMI passes one-dimensional arrays only")
        if self.code == "V":
            raise TypeError("there is no array of void")
        return JavaType(self.name + "[]", "[", self.width, self)

    def __call__(self, value: Any) -> Any:
        """Java's cast to this primitive type: ``jshort(x)`` is ``(short) x``."""
        if self.code == "Z":
            return bool(value)
        if self.code in _RANGES:
            bits = self.width * 8
            value = int(value) & ((1 << bits) - 1)
            return value - (1 << bits) if value >> (bits - 1) else value
        raise TypeError(f"{self!r} is not a primitive type one can cast to")

    def accepts(self, value: Any) -> bool:
        """True when ``value`` is a valid host value of this primitive type (unsigned readings
        of ``byte``, ``short`` and ``int`` are accepted, as ``ByteArray`` accepts 0..255)."""
        if self.code == "Z":
            return isinstance(value, bool) or (type(value) is int and value in (0, 1))
        low, high = _RANGES[self.code]
        return type(value) is int and low <= value <= high

    def __repr__(self) -> str:
        if self.element is not None:
            return f"{self.element!r}[...]"
        return "j" + self.name


jboolean = JavaType("boolean", "Z", 1)
jbyte = JavaType("byte", "B", 1)
jshort = JavaType("short", "S", 2)
jint = JavaType("int", "I", 4)
jvoid = JavaType("void", "V", 0)

PRIMITIVES: dict[str, JavaType] = {t.code: t for t in (jboolean, jbyte, jshort, jint)}
