"""Between the values on the Java Card RMI wire and the values applet code sees (JCRE 3.0.5
§8.3.5): parameter arrays made as global arrays, results checked against the method's declared
type, thrown exceptions as exception responses with their §8.3.5.2 type codes, and the short
descriptions the service's debug log writes."""

from __future__ import annotations

from typing import Any

from jcsim.framework import _jcre
from jcsim.framework.arrays import BooleanArray, ByteArray, IntArray, JavaArray, ShortArray
from jcsim.framework.exceptions import (
    CardException,
    CardRuntimeException,
)
from jcsim.lang import Throwable
from jcsim.rmi import wire
from jcsim.rmi.exception_types import EXCEPTION_CODES
from jcsim.rmi.types import JavaType

__all__ = ["Where", "describe_ref", "exception_response", "from_card", "show", "to_card"]

_ARRAY_CLASSES: dict[str, type[JavaArray]] = {
    "B": ByteArray, "S": ShortArray, "I": IntArray, "Z": BooleanArray}
def exception_response(exc: Throwable) -> bytes:
    """The 82 / 83 response for an exception thrown by a remote method."""
    for klass in type(exc).__mro__:
        code = EXCEPTION_CODES.get(klass)
        if code is not None:
            reason = exc.getReason() if isinstance(exc, (CardException,
                                                         CardRuntimeException)) else 0
            return wire.encode_exception(code, reason, subclass=klass is not type(exc))
    return wire.encode_exception(0x00, 0, subclass=True)


def _global_array(element: JavaType, values: Any) -> Any:
    """A parameter array of ``element``s, made by the JCRE as a global array: no owning
    context, outside the applet's heap and transactions."""
    previous = _jcre.bind(None)
    try:
        return _ARRAY_CLASSES[element.code](values)
    finally:
        _jcre.unbind(previous)


def to_card(jtype: JavaType, value: Any) -> Any:
    element = jtype.element  # an array type is the one with an element type
    if element is not None and value is not None:
        return _global_array(element, value)
    return value


class Where:
    """``Class.method`` for messages, formatted only when one is written."""

    __slots__ = ("class_name", "method")

    def __init__(self, class_name: str, method: str) -> None:
        self.class_name = class_name
        self.method = method

    def __str__(self) -> str:
        return f"{self.class_name}.{self.method}"


def from_card(jtype: JavaType, value: Any, where: Where) -> Any:
    """A returned value as the wire codec takes it; a value of the wrong type is a bug in the
    applet (Java's compiler would have refused it), reported as ``TypeError``."""
    if jtype.is_array:
        if value is None:
            return None
        if not isinstance(value, (JavaArray, bytes, bytearray, list, tuple)):
            raise TypeError(f"{where} must return a Java array for {jtype!r}, not {value!r}")
        return list(value)
    if jtype.code == "Z":
        if not isinstance(value, bool):
            raise TypeError(f"{where} must return a boolean, not {value!r}")
        return value
    if type(value) is not int:
        raise TypeError(f"{where} must return a Java {jtype.name}, not {value!r}")
    return jtype(value)


def show(value: Any) -> str:
    if isinstance(value, ByteArray):
        return f"byte[{len(value)}] {bytes(value).hex(' ').upper()}".rstrip()
    if isinstance(value, JavaArray):
        return f"{type(value).__name__}({list.__repr__(value)})"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return type(value).__name__


def describe_ref(ref: bytes) -> str:
    if ref[0] == wire.ERROR_TAG:
        return f"error {int.from_bytes(ref[1:3], 'big'):04X}"
    return "object " + ref[1:3].hex().upper()
