"""The scripting templates of RAM over HTTP, as values and a sans-IO codec.

Models the expanded remote command format of ETSI TS 102 226 §5.2 (tags of TS 101 220 tables
7.18-7.20) that GlobalPlatform Card Specification v2.2 Amendment B carries over HTTP, and the
OpenSCDP "RAMOverHTTP" variant of it (CardContact's ``ramoverhttp.c`` and OCF's
``RemoteProtocolEncoder``): the same AA / 22 / AB / 23 / 80 templates, plus an initiation
template E8 (C0 ATR, C1 / C2 size limits), reset C0, notification E0 (02 id, 0C message,
optional C3 time to completion) and close E1 (0C message).

Nothing here touches a socket. ``decode_*`` never raise for malformed input: they return a
``FormatError`` value whose ``response()`` is the standard bad-format answer (a response template
holding ``90 01`` unknown tag, ``90 02`` wrong length or ``90 03`` length not found).

The values live in ``jcsim.remote.templates`` and the two profiles (``gp-amd-b``, ``openscdp``)
in ``jcsim.remote.profiles``; both are re-exported here, so ``codec`` is the one import a user
of the wire format needs.
"""

from __future__ import annotations

from jcsim.remote import _tlv
from jcsim.remote._tlv import LENGTH_NOT_FOUND, UNKNOWN_TAG, WRONG_LENGTH, TLVError, tlv
from jcsim.remote.profiles import PROFILES, Profile, get_profile
from jcsim.remote.templates import (
    ATR,
    CAPDU,
    RAPDU,
    TAG_BAD_FORMAT,
    TAG_C_APDU,
    TAG_CLOSE,
    TAG_COMMAND_SCRIPT,
    TAG_COMMAND_SCRIPT_INDEFINITE,
    TAG_EXECUTED,
    TAG_INITIATION,
    TAG_INTEGER,
    TAG_MAX_CAPDU,
    TAG_MAX_RAPDU,
    TAG_NOTIFY,
    TAG_R_APDU,
    TAG_RESET,
    TAG_RESPONSE_SCRIPT,
    TAG_RESPONSE_SCRIPT_INDEFINITE,
    TAG_TIME_TO_COMPLETION,
    TAG_UTF8,
    ActionResponse,
    BadFormat,
    Close,
    CommandItem,
    CommandScript,
    Directive,
    FormatError,
    Initiation,
    Notify,
    Reset,
    ResponseItem,
    ResponseScript,
)

__all__ = [
    "ATR",
    "CAPDU",
    "PROFILES",
    "RAPDU",
    "ActionResponse",
    "BadFormat",
    "Close",
    "CommandScript",
    "Directive",
    "FormatError",
    "Initiation",
    "Notify",
    "Profile",
    "Reset",
    "ResponseScript",
    "decode_command_script",
    "decode_initiation",
    "decode_response_script",
    "encode_command_script",
    "encode_initiation",
    "encode_response_script",
    "get_profile",
]


# --- integers and strings ----------------------------------------------------------------------

def _signed(value: int) -> bytes:
    """Minimal two's complement, as Java's BigInteger.toByteArray and ramoverhttp.c write."""
    length = 1
    while not -(1 << (8 * length - 1)) <= value < (1 << (8 * length - 1)):
        length += 1
    return value.to_bytes(length, "big", signed=True)


def _unsigned(value: int) -> bytes:
    return value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big")


def _read_int(tag: int, value: bytes, *, signed: bool) -> int:
    if not 1 <= len(value) <= 4:
        raise TLVError(WRONG_LENGTH, f"integer tag {tag:02X} has {len(value)} bytes, not 1-4")
    return int.from_bytes(value, "big", signed=signed)


def _text(value: bytes) -> str:
    return value.decode("utf-8", errors="replace")


# --- encoding ----------------------------------------------------------------------------------

def _template(tag: int, content: bytes, indefinite: bool) -> bytes:
    if indefinite:
        return bytes((tag, 0x80)) + content + b"\x00\x00"
    return tlv(tag, content)


def _encode_command_item(item: CommandItem) -> bytes:
    if isinstance(item, CAPDU):
        return tlv(TAG_C_APDU, item.apdu)
    if isinstance(item, Reset):
        return tlv(TAG_RESET, b"")
    if isinstance(item, Notify):
        body = tlv(TAG_INTEGER, _signed(item.id)) + tlv(TAG_UTF8, item.message.encode("utf-8"))
        if item.time_to_completion is not None:
            body += tlv(TAG_TIME_TO_COMPLETION, _signed(item.time_to_completion))
        return tlv(TAG_NOTIFY, body)
    if isinstance(item, Close):
        return tlv(TAG_CLOSE, tlv(TAG_UTF8, item.message.encode("utf-8")))
    if isinstance(item, Directive):
        return tlv(item.tag, item.value)
    raise TypeError(f"not a command template item: {item!r}")


def encode_command_script(script: CommandScript) -> bytes:
    """AA (or AE ... 00 00) around the items, in order."""
    content = b"".join(_encode_command_item(item) for item in script.items)
    tag = TAG_COMMAND_SCRIPT_INDEFINITE if script.indefinite else TAG_COMMAND_SCRIPT
    return _template(tag, content, script.indefinite)


def _encode_response_item(item: ResponseItem) -> bytes:
    if isinstance(item, RAPDU):
        return tlv(TAG_R_APDU, item.response)
    if isinstance(item, ATR):
        return tlv(TAG_RESET, item.atr)
    if isinstance(item, Close):
        return tlv(TAG_CLOSE, tlv(TAG_UTF8, item.message.encode("utf-8")))
    if isinstance(item, BadFormat):
        return tlv(TAG_BAD_FORMAT, bytes((item.reason,)))
    if isinstance(item, ActionResponse):
        return tlv(item.tag, item.value)
    raise TypeError(f"not a response template item: {item!r}")


def encode_response_script(script: ResponseScript, profile: Profile | str) -> bytes:
    """AB (or AF ... 00 00): tag 80 first (Amendment B) or last (OpenSCDP), if present."""
    profile = get_profile(profile)
    items = b"".join(_encode_response_item(item) for item in script.items)
    count = b""
    if script.executed is not None:
        number = _signed(script.executed) if profile.signed_count else _unsigned(script.executed)
        count = tlv(TAG_EXECUTED, number)
    content = items + count if profile.count_last else count + items
    tag = TAG_RESPONSE_SCRIPT_INDEFINITE if script.indefinite else TAG_RESPONSE_SCRIPT
    return _template(tag, content, script.indefinite)


def encode_initiation(initiation: Initiation) -> bytes:
    """E8 { C0 ATR [C1 max C-APDU] [C2 max R-APDU] }."""
    content = tlv(TAG_RESET, initiation.atr)
    if initiation.max_capdu is not None:
        content += tlv(TAG_MAX_CAPDU, _signed(initiation.max_capdu))
    if initiation.max_rapdu is not None:
        content += tlv(TAG_MAX_RAPDU, _signed(initiation.max_rapdu))
    return tlv(TAG_INITIATION, content)


# --- decoding ----------------------------------------------------------------------------------

def _outer(data: bytes, definite: int, indefinite: int | None,
           what: str) -> tuple[list[tuple[int, bytes]], bool]:
    """The children of the one template that must fill ``data`` exactly."""
    data = bytes(data)
    if not data:
        raise TLVError(UNKNOWN_TAG, f"an empty body where a {what} was expected")
    tag, length, value_at = _tlv.header(data, 0, len(data),
                                        allow_indefinite=indefinite is not None)
    if tag not in (definite, indefinite):
        raise TLVError(UNKNOWN_TAG, f"tag {tag:02X} where a {what} was expected")
    if length == _tlv.INDEFINITE:
        if tag != indefinite:
            raise TLVError(LENGTH_NOT_FOUND, f"{tag:02X} cannot take the indefinite length")
        found, after = _tlv.indefinite_children(data, value_at, len(data))
        if after != len(data):
            raise TLVError(WRONG_LENGTH, f"{len(data) - after} bytes after the {what}")
        return found, True
    if tag == indefinite:
        raise TLVError(LENGTH_NOT_FOUND, f"{tag:02X} must use the indefinite length form")
    if value_at + length != len(data):
        raise TLVError(WRONG_LENGTH, f"the {what} announces {length} bytes but "
                                      f"{len(data) - value_at} follow")
    return _tlv.children(data, value_at, len(data)), False


def _notify(value: bytes) -> Notify:
    ident, message, ttc = 0, "", None
    for tag, inner in _tlv.children(value, 0, len(value)):
        if tag == TAG_INTEGER:
            ident = _read_int(tag, inner, signed=True)
        elif tag == TAG_UTF8:
            message = _text(inner)
        elif tag == TAG_TIME_TO_COMPLETION:
            ttc = _read_int(tag, inner, signed=True)
    return Notify(ident, message, ttc)


def _close(value: bytes) -> Close:
    message = ""
    for tag, inner in _tlv.children(value, 0, len(value)):
        if tag == TAG_UTF8:
            message = _text(inner)
    return Close(message)


def decode_command_script(data: bytes, profile: Profile | str) -> CommandScript | FormatError:
    """A command template from the server; a ``FormatError`` for anything malformed or holding
    a tag the profile does not know. Nothing is half-decoded: one bad item rejects all."""
    profile = get_profile(profile)
    try:
        found, indefinite = _outer(data, TAG_COMMAND_SCRIPT, TAG_COMMAND_SCRIPT_INDEFINITE,
                                   "command scripting template")
        items: list[CommandItem] = []
        for tag, value in found:
            if tag not in profile.command_tags:
                raise TLVError(UNKNOWN_TAG, f"tag {tag:02X} is unknown in a {profile.name} "
                                             "command template")
            if tag == TAG_C_APDU:
                items.append(CAPDU(value))
            elif tag == TAG_RESET:
                if value:
                    raise TLVError(WRONG_LENGTH, "a reset request (C0) has an empty value")
                items.append(Reset())
            elif tag == TAG_NOTIFY:
                items.append(_notify(value))
            elif tag == TAG_CLOSE:
                items.append(_close(value))
            else:
                items.append(Directive(tag, value))
        return CommandScript(items, indefinite)
    except TLVError as exc:
        return FormatError(exc.reason, exc.detail)


def decode_response_script(data: bytes, profile: Profile | str) -> ResponseScript | FormatError:
    """A response template from the client (80 accepted anywhere, at most once)."""
    profile = get_profile(profile)
    try:
        found, indefinite = _outer(data, TAG_RESPONSE_SCRIPT, TAG_RESPONSE_SCRIPT_INDEFINITE,
                                   "response scripting template")
        items: list[ResponseItem] = []
        executed = None
        for tag, value in found:
            if tag not in profile.response_tags:
                raise TLVError(UNKNOWN_TAG, f"tag {tag:02X} is unknown in a {profile.name} "
                                             "response template")
            if tag == TAG_R_APDU:
                if len(value) < 2:
                    raise TLVError(WRONG_LENGTH, "an R-APDU without its status word")
                items.append(RAPDU(value))
            elif tag == TAG_EXECUTED:
                if executed is not None:
                    raise TLVError(UNKNOWN_TAG, "a second number-of-executed-commands TLV")
                executed = _read_int(tag, value, signed=False)
                if executed > 0x7FFFFFFF:
                    raise TLVError(WRONG_LENGTH, "a number of executed commands over 2**31-1")
            elif tag == TAG_RESET:
                items.append(ATR(value))
            elif tag == TAG_CLOSE:
                items.append(_close(value))
            elif tag == TAG_BAD_FORMAT:
                if len(value) != 1 or value[0] not in (1, 2, 3):
                    raise TLVError(WRONG_LENGTH, "a bad format TLV holds one byte, 01-03")
                items.append(BadFormat(value[0]))
            else:
                items.append(ActionResponse(tag, value))
        return ResponseScript(items, executed, indefinite)
    except TLVError as exc:
        return FormatError(exc.reason, exc.detail)


def decode_initiation(data: bytes) -> Initiation | FormatError:
    """The E8 initiation template of an OpenSCDP first POST (unknown inner tags ignored, as the
    OCF server does)."""
    try:
        found, _ = _outer(data, TAG_INITIATION, None, "initiation template")
        atr, max_capdu, max_rapdu = b"", None, None
        for tag, value in found:
            if tag == TAG_RESET:
                atr = value
            elif tag == TAG_MAX_CAPDU:
                max_capdu = _read_int(tag, value, signed=True)
            elif tag == TAG_MAX_RAPDU:
                max_rapdu = _read_int(tag, value, signed=True)
        if (max_capdu is not None and max_capdu < 0) or (max_rapdu is not None and max_rapdu < 0):
            raise TLVError(WRONG_LENGTH, "a negative size limit")
        return Initiation(atr, max_capdu, max_rapdu)
    except TLVError as exc:
        return FormatError(exc.reason, exc.detail)
