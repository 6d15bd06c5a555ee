"""The scripting templates of RAM over HTTP as values: tags, items, templates.

Tags of ETSI TS 101 220 tables 7.18-7.20 (used by TS 102 226 §5.2 and GlobalPlatform Amendment
B), plus the OpenSCDP extras (E8 initiation with C0 ATR and C1 / C2 size limits, C0 reset, E0
notification, E1 close). The codec that turns them into bytes is ``jcsim.remote.codec``.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

__all__ = [
    "ATR",
    "CAPDU",
    "RAPDU",
    "ActionResponse",
    "BadFormat",
    "Close",
    "CommandItem",
    "CommandScript",
    "Directive",
    "FormatError",
    "Initiation",
    "Notify",
    "Reset",
    "ResponseItem",
    "ResponseScript",
]

TAG_COMMAND_SCRIPT = 0xAA
TAG_COMMAND_SCRIPT_INDEFINITE = 0xAE
TAG_RESPONSE_SCRIPT = 0xAB
TAG_RESPONSE_SCRIPT_INDEFINITE = 0xAF
TAG_C_APDU = 0x22
TAG_R_APDU = 0x23
TAG_EXECUTED = 0x80
TAG_IMMEDIATE_ACTION = 0x81
TAG_ERROR_ACTION = 0x82
TAG_SCRIPT_CHAINING = 0x83
TAG_BAD_FORMAT = 0x90
TAG_INITIATION = 0xE8
TAG_RESET = 0xC0  # also the ATR inside E8 and inside a response template
TAG_MAX_CAPDU = 0xC1
TAG_MAX_RAPDU = 0xC2
TAG_TIME_TO_COMPLETION = 0xC3
TAG_NOTIFY = 0xE0
TAG_CLOSE = 0xE1
TAG_INTEGER = 0x02
TAG_UTF8 = 0x0C

_INT32 = (-(1 << 31), (1 << 31) - 1)


def _int32(instance: object, attribute: attrs.Attribute, value: int | None) -> None:
    if value is not None and not _INT32[0] <= value <= _INT32[1]:
        raise ValueError(f"{attribute.name} must fit a signed 32-bit integer, not {value}")


def _count(instance: object, attribute: attrs.Attribute, value: int | None) -> None:
    if value is not None and not 0 <= value <= 0x7FFFFFFF:
        raise ValueError(f"{attribute.name} must be 0..2**31-1, not {value}")


# --- items of a command scripting template (server -> card) --------------------------------------

@attrs.frozen
class CAPDU:
    """A C-APDU TLV (22): one command for the card."""

    apdu: bytes = attrs.field(converter=bytes)


@attrs.frozen
class Reset:
    """OpenSCDP reset request (C0, empty): reset the card, answer its ATR."""


@attrs.frozen
class Notify:
    """OpenSCDP notification (E0): a message for the user; a negative ``id`` asks the client to
    abort (CardContact's C client)."""

    id: int = attrs.field(validator=_int32)
    message: str = ""
    time_to_completion: int | None = attrs.field(default=None, validator=_int32)


@attrs.frozen
class Close:
    """OpenSCDP close (E1) with a reason, in either direction."""

    message: str = ""


@attrs.frozen
class Directive:
    """An Amendment B action TLV inside a command template: 81 Immediate Action, 82 Error
    Action, 83 Script Chaining. Kept as bytes; jcsim's client does not act on 81 and 82."""

    tag: int = attrs.field(validator=attrs.validators.in_((0x81, 0x82, 0x83)))
    value: bytes = attrs.field(converter=bytes)


CommandItem = CAPDU | Reset | Notify | Close | Directive


def _command_items(items: Iterable[CommandItem]) -> tuple[CommandItem, ...]:
    return tuple(items)


@attrs.frozen
class CommandScript:
    """A command scripting template: AA (definite) or AE (indefinite) around its items."""

    items: tuple[CommandItem, ...] = attrs.field(converter=_command_items)
    indefinite: bool = False


# --- items of a response scripting template (card -> server) ------------------------------------

@attrs.frozen
class RAPDU:
    """An R-APDU TLV (23): response data followed by SW1 SW2."""

    response: bytes = attrs.field(converter=bytes)

    @response.validator
    def _has_sw(self, attribute: attrs.Attribute, value: bytes) -> None:
        if len(value) < 2:
            raise ValueError("an R-APDU holds at least the two status bytes")

    @property
    def sw(self) -> int:
        return (self.response[-2] << 8) | self.response[-1]


@attrs.frozen
class ATR:
    """OpenSCDP: the ATR after a reset (C0 in a response template)."""

    atr: bytes = attrs.field(converter=bytes)


@attrs.frozen
class BadFormat:
    """Bad format TLV (90): 1 unknown tag, 2 wrong length, 3 length not found."""

    reason: int = attrs.field(validator=attrs.validators.in_((1, 2, 3)))


@attrs.frozen
class ActionResponse:
    """Amendment B 81 Immediate Action Response or 83 Script Chaining Response."""

    tag: int = attrs.field(validator=attrs.validators.in_((0x81, 0x83)))
    value: bytes = attrs.field(converter=bytes)


ResponseItem = RAPDU | ATR | Close | BadFormat | ActionResponse


def _response_items(items: Iterable[ResponseItem]) -> tuple[ResponseItem, ...]:
    return tuple(items)


@attrs.frozen
class ResponseScript:
    """A response scripting template: AB (definite) or AF (indefinite).

    ``executed`` is the value of tag 80 (number of executed command TLVs), None when absent;
    where 80 goes (first or last) belongs to the profile, not to the value.
    """

    items: tuple[ResponseItem, ...] = attrs.field(converter=_response_items)
    executed: int | None = attrs.field(default=None, validator=_count)
    indefinite: bool = False

    @property
    def rapdus(self) -> tuple[RAPDU, ...]:
        return tuple(item for item in self.items if isinstance(item, RAPDU))


@attrs.frozen
class Initiation:
    """OpenSCDP initiation template (E8), the body of the first POST."""

    atr: bytes = attrs.field(converter=bytes)
    max_capdu: int | None = attrs.field(default=None, validator=_count)
    max_rapdu: int | None = attrs.field(default=None, validator=_count)


@attrs.frozen
class FormatError:
    """Input that is not the expected template; ``reason`` is the bad-format code (1-3)."""

    reason: int
    detail: str

    def response(self) -> ResponseScript:
        """The standard answer: no command executed, one bad-format TLV."""
        return ResponseScript((BadFormat(self.reason),), executed=0)
