"""The Java Card RMI messages: reference descriptors, responses, INVOKE, the SELECT response
(JCRE 3.0.5 §8.3.2, §8.3.5, §8.4).

Private: import these names from ``jcsim.rmi.wire``.
"""

from __future__ import annotations

from typing import Any

import attrs

from jcsim.rmi._codec import (
    APPLICATION_DATA_TAG,
    DEFAULT_INVOKE_INS,
    ERROR_MEANINGS,
    ERROR_TAG,
    EXCEPTION_SUBCLASS_TAG,
    EXCEPTION_TAG,
    EXCEPTION_TYPES,
    FCI_TAG,
    JC_RMI_DATA_TAG,
    NORMAL_TAG,
    NULL_REF,
    REMOTE,
    RMI_VERSION,
    RefFormat,
    WireFormatError,
    _take,
    decode_value,
    encode_value,
)
from jcsim.rmi.types import JavaType

# --- remote object reference descriptors (§8.3.2) ----------------------------------------------


def _utf8(text: str, what: str) -> bytes:
    data = text.encode("utf-8")
    if len(data) > 0xFF:
        raise WireFormatError(f"{what} {text!r} is longer than 255 bytes in UTF-8")
    return bytes((len(data),)) + data


@attrs.frozen
class ClassRef:
    """``remote_ref_with_class``: the object and the class the client makes a stub for."""

    object_id: int
    hash_modifier: str
    package: str  # internal form: com/sun/javacard/samples/RMIDemo
    class_name: str

    @property
    def java_name(self) -> str:
        return f"{self.package}/{self.class_name}"


@attrs.frozen
class InterfacesRef:
    """``remote_ref_with_interfaces``: the object and the remote interfaces it implements."""

    object_id: int
    hash_modifier: str
    interfaces: tuple[tuple[str, str], ...]  # (package in internal form, simple name)


def encode_ref(ref: ClassRef | InterfacesRef | None) -> bytes:
    """A remote_ref_descriptor; ``None`` is the null reference ``FF FF``."""
    if ref is None:
        return NULL_REF.to_bytes(2, "big")
    if not 0 <= ref.object_id < NULL_REF:
        raise WireFormatError(f"a remote object id is 0000..FFFE, not {ref.object_id:#x}")
    head = ref.object_id.to_bytes(2, "big") + _utf8(ref.hash_modifier, "hash modifier")
    if isinstance(ref, ClassRef):
        if not ref.package:
            raise WireFormatError("remote_ref_with_class needs a package name")
        return head + _utf8(ref.package, "package") + _utf8(ref.class_name, "class name")
    if len(ref.interfaces) > 0xFF:
        raise WireFormatError("more than 255 remote interfaces")
    body = bytearray(head)
    body.append(len(ref.interfaces))
    previous = None
    for package, name in ref.interfaces:
        # A zero-length package repeats the previous one; the first entry always names its own.
        body += b"\x00" if package == previous else _utf8(package, "package")
        body += _utf8(name, "interface name")
        previous = package
    return bytes(body)


def _read_text(data: bytes, offset: int) -> tuple[str, int]:
    end = _take(data, offset, 1)
    length = data[offset]
    stop = _take(data, end, length)
    try:
        return data[end:stop].decode("utf-8"), stop
    except UnicodeDecodeError as exc:
        raise WireFormatError(f"a name at offset {offset} is not UTF-8: {exc}") from exc


def decode_ref(data: bytes, offset: int, fmt: RefFormat) -> tuple[ClassRef | InterfacesRef | None,
                                                                  int]:
    """A remote_ref_descriptor in format ``fmt``: ``(ref or None, next offset)``."""
    end = _take(data, offset, 2)
    object_id = int.from_bytes(data[offset:end], "big")
    if object_id == NULL_REF:
        return None, end
    hash_modifier, position = _read_text(data, end)
    if fmt == RefFormat.CLASS:
        package, position = _read_text(data, position)
        if not package:
            raise WireFormatError("remote_ref_with_class with an empty package name")
        class_name, position = _read_text(data, position)
        return ClassRef(object_id, hash_modifier, package, class_name), position
    count_end = _take(data, position, 1)
    count = data[position]
    position = count_end
    interfaces = []
    # An interface with an empty package name is in the package of the one before it.
    current_package: str | None = None
    for _ in range(count):
        named, position = _read_text(data, position)
        if named:
            current_package = named
        elif current_package is None:
            raise WireFormatError("the first remote interface has no package name")
        name, position = _read_text(data, position)
        interfaces.append((current_package, name))
    return InterfacesRef(object_id, hash_modifier, tuple(interfaces)), position


# --- responses (§8.3.5) ------------------------------------------------------------------------


@attrs.frozen
class NormalResponse:
    """Tag 81: the method returned ``value`` (None for void, a null array or reference)."""

    value: Any


@attrs.frozen
class ExceptionResponse:
    """Tag 82 (the API class itself) or 83 (a subclass of it): the method threw."""

    type_code: int
    reason: int  # unsigned 16-bit, as jcsim keeps reasons
    subclass: bool = False

    @property
    def java_type(self) -> str:
        return EXCEPTION_TYPES.get(self.type_code, f"unknown exception type {self.type_code:#04x}")


@attrs.frozen
class ErrorResponse:
    """Tag 99: the card could not carry out the invocation."""

    detail: int

    @property
    def meaning(self) -> str:
        return ERROR_MEANINGS.get(self.detail, "unknown error")


Outcome = NormalResponse | ExceptionResponse | ErrorResponse


def encode_normal(returns: JavaType, value: Any) -> bytes:
    """A normal response for a method returning ``returns`` (``REMOTE``: ``value`` is a
    reference descriptor or None)."""
    if returns.is_void:
        return bytes((NORMAL_TAG,))
    if returns is REMOTE:
        return bytes((NORMAL_TAG,)) + encode_ref(value)
    if returns.is_array and value is None:
        return bytes((NORMAL_TAG,)) + NULL_REF.to_bytes(2, "big")
    return bytes((NORMAL_TAG,)) + encode_value(returns, value)


def encode_exception(type_code: int, reason: int, subclass: bool = False) -> bytes:
    tag = EXCEPTION_SUBCLASS_TAG if subclass else EXCEPTION_TAG
    return bytes((tag, type_code)) + (reason & 0xFFFF).to_bytes(2, "big")


def encode_error(detail: int) -> bytes:
    return bytes((ERROR_TAG,)) + (detail & 0xFFFF).to_bytes(2, "big")


def decode_response(data: bytes, returns: JavaType, fmt: RefFormat = RefFormat.CLASS) -> Outcome:
    """The data of an INVOKE response (SW 9000 removed) for a method returning ``returns``."""
    if not data:
        raise WireFormatError("an empty INVOKE response")
    tag = data[0]
    if tag in (EXCEPTION_TAG, EXCEPTION_SUBCLASS_TAG):
        if len(data) != 4:
            raise WireFormatError(f"an exception response has 4 bytes, not {len(data)}")
        return ExceptionResponse(data[1], int.from_bytes(data[2:4], "big"),
                                 tag == EXCEPTION_SUBCLASS_TAG)
    if tag == ERROR_TAG:
        if len(data) != 3:
            raise WireFormatError(f"an error response has 3 bytes, not {len(data)}")
        return ErrorResponse(int.from_bytes(data[1:3], "big"))
    if tag != NORMAL_TAG:
        raise WireFormatError(f"unknown response tag {tag:02X}")
    if returns.is_void:
        value, end = None, 1
    elif returns is REMOTE:
        value, end = decode_ref(data, 1, fmt)
    else:
        value, end = decode_value(returns, data, 1)
        if returns.is_array and value is None and data[end:end + 1] == b"\xFF":
            end += 1  # a null array is FF FF, as a null reference (§8.3.5.1)
    if end != len(data):
        raise WireFormatError(f"{len(data) - end} unexpected bytes after the returned value")
    return NormalResponse(value)


# --- commands (§8.4) ---------------------------------------------------------------------------


def _select_cla(channel: int) -> int:
    if 0 <= channel <= 3:
        return channel
    if 4 <= channel <= 19:
        return 0x40 | (channel - 4)
    raise WireFormatError(f"logical channels are 0..19, not {channel}")


def _invoke_cla(channel: int) -> int:
    if 0 <= channel <= 3:
        return 0x80 | channel
    if 4 <= channel <= 19:
        return 0xC0 | (channel - 4)
    raise WireFormatError(f"logical channels are 0..19, not {channel}")


def encode_select(aid: bytes, fmt: RefFormat = RefFormat.CLASS, channel: int = 0) -> bytes:
    """``SELECT`` by AID asking for the FCI: ``00 A4 04 00|10 Lc AID 00``."""
    if not 5 <= len(aid) <= 16:
        raise WireFormatError(f"an AID has 5 to 16 bytes, not {len(aid)}")
    return bytes((_select_cla(channel), 0xA4, 0x04, int(fmt), len(aid))) + bytes(aid) + b"\x00"


@attrs.frozen
class Invoke:
    """The data of an INVOKE command."""

    object_id: int
    method_id: int
    params: bytes


def encode_invoke(object_id: int, method: int, params: bytes, *,
                  ins: int = DEFAULT_INVOKE_INS, channel: int = 0,
                  extended: bool = False) -> bytes:
    """The INVOKE APDU: ``CLA ins 02 02 Lc object_id method_id params 00``; ``extended``
    gives the extended form ``... 00 Lc1 Lc2 ... 00 00`` (ISO 7816-4 case 4E)."""
    data = object_id.to_bytes(2, "big") + method.to_bytes(2, "big") + params
    header = bytes((_invoke_cla(channel), ins, RMI_VERSION[0], RMI_VERSION[1]))
    if extended:
        if len(data) > 0xFFFF:
            raise WireFormatError(f"the INVOKE data has {len(data)} bytes; an extended APDU "
                                  "carries 65535 at most")
        return header + b"\x00" + len(data).to_bytes(2, "big") + data + b"\x00\x00"
    if len(data) > 0xFF:
        raise WireFormatError(f"the INVOKE data has {len(data)} bytes; Java Card RMI uses "
                              "short APDUs only (255 bytes of parameters and ids at most)")
    return (bytes((_invoke_cla(channel), ins, RMI_VERSION[0], RMI_VERSION[1], len(data)))
            + data + b"\x00")


def decode_invoke(data: bytes) -> Invoke:
    """The command data of an INVOKE (object id, method id, then the parameters)."""
    if len(data) < 4:
        raise WireFormatError(f"INVOKE data has at least 4 bytes, not {len(data)}")
    return Invoke(int.from_bytes(data[0:2], "big"), int.from_bytes(data[2:4], "big"),
                  bytes(data[4:]))


# --- the SELECT response (§8.4.1) --------------------------------------------------------------


@attrs.frozen
class SelectResponse:
    """What an RMI applet answers to SELECT: protocol version, INVOKE's INS, initial reference
    (a ``NormalResponse`` holding a descriptor, or an ``ErrorResponse``)."""

    version: tuple[int, int]
    invoke_ins: int
    initial_ref: NormalResponse | ErrorResponse


def _tlv(tag: int, value: bytes) -> bytes:
    if len(value) > 0x7F:
        raise WireFormatError(f"a TLV of {len(value)} bytes needs a long length form, which the "
                              "Java Card RMI FCI does not use")
    return bytes((tag, len(value))) + value


def encode_fci(invoke_ins: int, initial_ref: bytes) -> bytes:
    """The FCI of §8.4.1; ``initial_ref`` is already tagged (``81`` + descriptor or ``99``...)."""
    rmi_data = bytes(RMI_VERSION) + bytes((invoke_ins,)) + initial_ref
    return _tlv(FCI_TAG, _tlv(APPLICATION_DATA_TAG, _tlv(JC_RMI_DATA_TAG, rmi_data)))


def decode_fci(data: bytes, fmt: RefFormat) -> SelectResponse:
    """Parse the SELECT response, skipping any TLV the applet put before ``5E``."""
    if len(data) < 4 or data[0] != FCI_TAG or data[2] != APPLICATION_DATA_TAG:
        raise WireFormatError("not a Java Card RMI FCI (6F .. 6E ..)")
    if data[1] != len(data) - 2:
        raise WireFormatError(f"the FCI length says {data[1]}, {len(data) - 2} bytes follow")
    end = 4 + data[3]
    if end > len(data):
        raise WireFormatError("the application data TLV runs past the FCI")
    position = 4
    while True:
        _take(data, position, 2)
        tag, length = data[position], data[position + 1]
        if position + 2 + length > end:
            raise WireFormatError(f"TLV {tag:02X} runs past the application data")
        if tag == JC_RMI_DATA_TAG:
            break
        position += 2 + length
    body = data[position + 2:position + 2 + length]
    if len(body) < 4:
        raise WireFormatError("jc_rmi_data is too short")
    version = (body[0], body[1])
    initial = body[3:]
    if initial[0] == NORMAL_TAG:
        ref, stop = decode_ref(initial, 1, fmt)
        if stop != len(initial):
            raise WireFormatError("unexpected bytes after the initial reference")
        return SelectResponse(version, body[2], NormalResponse(ref))
    if initial[0] == ERROR_TAG and len(initial) == 3:
        return SelectResponse(version, body[2], ErrorResponse(int.from_bytes(initial[1:3], "big")))
    raise WireFormatError(f"initial_ref starts with {initial[0]:02X}, not 81 or 99")


# --- readable forms, for traces and demos -----------------------------------------------------


def describe_invoke(apdu: bytes) -> str:
    """``INVOKE object 0001 method D494 params 00 64`` for an INVOKE APDU."""
    if len(apdu) < 9:
        return "not an INVOKE (too short)"
    data = apdu[5:5 + apdu[4]]
    try:
        invoke = decode_invoke(data)
    except WireFormatError as exc:
        return f"malformed INVOKE: {exc}"
    params = invoke.params.hex(" ").upper() or "none"
    return (f"INVOKE object {invoke.object_id:04X} method {invoke.method_id:04X} "
            f"params {params}")


def describe_outcome(outcome: Outcome) -> str:
    if isinstance(outcome, NormalResponse):
        return f"normal response (81): {outcome.value!r}"
    if isinstance(outcome, ExceptionResponse):
        tag = "83, a subclass of" if outcome.subclass else "82"
        return (f"exception response ({tag}) {outcome.java_type}, "
                f"reason {outcome.reason:04X}")
    return f"error response (99) {outcome.detail:04X}: {outcome.meaning}"
