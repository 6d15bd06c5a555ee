"""The Java Card RMI wire format's constants and value encodings (JCRE 3.0.5 §8.3.3-§8.3.5).

Private: import these names from ``jcsim.rmi.wire``.
"""

from __future__ import annotations

import enum
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

from jcsim.errors import JCSimError
from jcsim.rmi.types import PRIMITIVES, JavaType, jboolean, jbyte

RMI_VERSION = (2, 2)
DEFAULT_INVOKE_INS = 0x38
FCI_TAG = 0x6F
APPLICATION_DATA_TAG = 0x6E
JC_RMI_DATA_TAG = 0x5E
NORMAL_TAG = 0x81
EXCEPTION_TAG = 0x82
EXCEPTION_SUBCLASS_TAG = 0x83
ERROR_TAG = 0x99
NULL_REF = 0xFFFF
NULL_ARRAY = 0xFF
MAX_ARRAY_LENGTH = 0xFE  # a length byte of FF means a null array

# The type of a remote reference in a return position (its descriptor is the interface's).
REMOTE = JavaType("remote reference", "L", 2)


class RefFormat(enum.IntEnum):
    """The reference descriptor format, chosen by bit b5 of the SELECT's P2 (§8.4.1)."""

    CLASS = 0x00  # remote_ref_with_class
    INTERFACES = 0x10  # remote_ref_with_interfaces


# §8.3.5.3 error_detail values.
ERROR_OBJECT_ID = 0x0001
ERROR_METHOD = 0x0002
ERROR_SIGNATURE = 0x0003
ERROR_UNMARSHAL_RESOURCES = 0x0004
ERROR_MARSHAL_RESOURCES = 0x0005
ERROR_PROTOCOL = 0x0006
ERROR_INTERNAL = 0xFFFF

ERROR_MEANINGS: dict[int, str] = {
    ERROR_OBJECT_ID: "the remote object identifier is invalid or ineligible for Java Card RMI",
    ERROR_METHOD: "the remote method could not be identified",
    ERROR_SIGNATURE: "the remote method signature did not match the parameter format",
    ERROR_UNMARSHAL_RESOURCES: "insufficient resources available to unmarshal parameters",
    ERROR_MARSHAL_RESOURCES: "insufficient resources available to marshal the response",
    ERROR_PROTOCOL: "Java Card RMI protocol error",
    ERROR_INTERNAL: "internal error",
}

# §8.3.5.2 exception_type values.
EXCEPTION_TYPES: dict[int, str] = {
    0x00: "java.lang.Throwable",
    0x01: "java.lang.ArithmeticException",
    0x02: "java.lang.ArrayIndexOutOfBoundsException",
    0x03: "java.lang.ArrayStoreException",
    0x04: "java.lang.ClassCastException",
    0x05: "java.lang.Exception",
    0x06: "java.lang.IndexOutOfBoundsException",
    0x07: "java.lang.NegativeArraySizeException",
    0x08: "java.lang.NullPointerException",
    0x09: "java.lang.RuntimeException",
    0x0A: "java.lang.SecurityException",
    0x0B: "java.io.IOException",
    0x0C: "java.rmi.RemoteException",
    0x20: "javacard.framework.APDUException",
    0x21: "javacard.framework.CardException",
    0x22: "javacard.framework.CardRuntimeException",
    0x23: "javacard.framework.ISOException",
    0x24: "javacard.framework.PINException",
    0x25: "javacard.framework.SystemException",
    0x26: "javacard.framework.TransactionException",
    0x27: "javacard.framework.UserException",
    0x30: "javacard.security.CryptoException",
    0x40: "javacard.framework.service.ServiceException",
    0x50: "javacardx.biometry.BioException",
    0x60: "javacardx.external.ExternalException",
    0x70: "javacardx.framework.tlv.TLVException",
    0x80: "javacardx.framework.util.UtilException",
}


class WireFormatError(JCSimError, ValueError):
    """Bytes that do not follow the Java Card RMI format, or a value that has no encoding."""


def method_id(name: str, descriptor: str, hash_modifier: str = "") -> int:
    """The u2 method identifier: SHA-1 over hash modifier, simple name and JVM descriptor
    (``method_id("debit", "(S)S")``), first two bytes, big-endian (§8.3.3)."""
    digest = hashlib.sha1((hash_modifier + name + descriptor).encode("utf-8")).digest()
    return int.from_bytes(digest[:2], "big")


# --- values (§8.3.4) ---------------------------------------------------------------------------


def _encode_primitive(jtype: JavaType, value: Any) -> bytes:
    if not jtype.accepts(value):
        raise WireFormatError(f"{value!r} is not a Java {jtype.name}")
    if jtype is jboolean or jtype.code == "Z":
        return b"\x01" if value else b"\x00"
    return (value & ((1 << (8 * jtype.width)) - 1)).to_bytes(jtype.width, "big")


def encode_value(jtype: JavaType, value: Any) -> bytes:
    """One parameter (or returned value) as §8.3.4 encodes it."""
    element = jtype.element
    if element is None:
        if jtype.code not in PRIMITIVES:
            raise WireFormatError(f"a {jtype!r} is not passed as a value")
        return _encode_primitive(jtype, value)
    if value is None:
        return bytes((NULL_ARRAY,))
    if isinstance(value, (str, dict)) or not isinstance(value, Iterable):
        raise WireFormatError(f"a {jtype!r} argument must be a sequence, not {value!r}")
    items = list(value)
    if len(items) > MAX_ARRAY_LENGTH:
        raise WireFormatError(f"an array passed by Java Card RMI has at most {MAX_ARRAY_LENGTH}"
                              f" elements, not {len(items)}")
    return bytes((len(items),)) + b"".join(_encode_primitive(element, item) for item in items)


def _take(data: bytes, offset: int, count: int) -> int:
    if offset + count > len(data):
        raise WireFormatError(f"{count} more bytes expected at offset {offset}, "
                              f"only {len(data) - offset} left")
    return offset + count


def _decode_primitive(jtype: JavaType, data: bytes, offset: int) -> tuple[Any, int]:
    end = _take(data, offset, jtype.width)
    raw = int.from_bytes(data[offset:end], "big")
    if jtype.code == "Z":
        if raw not in (0, 1):
            raise WireFormatError(f"a boolean is 00 or 01, not {raw:02X}")
        return raw == 1, end
    return jtype(raw), end


def decode_value(jtype: JavaType, data: bytes, offset: int = 0) -> tuple[Any, int]:
    """One value of type ``jtype`` at ``offset``: ``(value, next offset)``. Arrays come back
    as ``bytes`` (``byte[]``, elements 0..255) or lists; a null array as ``None``."""
    element = jtype.element
    if element is None:
        return _decode_primitive(jtype, data, offset)
    end = _take(data, offset, 1)
    length = data[offset]
    if length == NULL_ARRAY:
        return None, end
    start = end
    end = _take(data, start, length * element.width)
    if element is jbyte:
        return bytes(data[start:end]), end
    values = []
    position = start
    for _ in range(length):
        item, position = _decode_primitive(element, data, position)
        values.append(item)
    return values, end


def encode_params(types: Sequence[JavaType], values: Sequence[Any]) -> bytes:
    if len(types) != len(values):
        raise WireFormatError(f"{len(types)} parameters declared, {len(values)} given")
    return b"".join(encode_value(t, v) for t, v in zip(types, values, strict=True))


def decode_params(types: Sequence[JavaType], data: bytes) -> list[Any]:
    """Every parameter of a method, which must use exactly ``data``."""
    offset = 0
    values = []
    for jtype in types:
        value, offset = decode_value(jtype, data, offset)
        values.append(value)
    if offset != len(data):
        raise WireFormatError(f"{len(data) - offset} bytes left after the parameters")
    return values
