"""The vpcd wire format (vsmartcard's virtual PCD), sans-IO.

vpcd, the PC/SC driver, talks to a virtual card over TCP in frames: a 2-byte big-endian length,
then that many payload bytes. From vpcd to the card a 1-byte payload is a control byte (00 power
off, 01 power on, 02 reset, 04 get ATR) and anything longer is a command APDU. From the card to
vpcd every frame is an answer: the ATR after 04, the response APDU after a command; an empty
frame tells vpcd the card is gone.

Theory of operation: ``VpcdDecoder`` never touches a socket. ``receive_data(chunk)`` appends
whatever a read returned (half a length field, several frames, one byte at a time) and
``next_event()`` returns the next complete event or ``NEED_DATA``; a short read can never
corrupt a frame, because nothing is consumed until the whole frame is buffered. Frames vpcd
would never send (an empty one, an unknown control byte) come out as ``Malformed`` events and do
not stop the decoding of what follows; what to do about them is the adapter's choice.
``FrameDecoder`` is the same machine without the interpretation, for the peer's side (a test's
fake vpcd reads the card's answers with it).
"""

from __future__ import annotations

import enum
from typing import Final

import attrs

__all__ = [
    "CONTROL_ATR",
    "CONTROL_OFF",
    "CONTROL_ON",
    "CONTROL_RESET",
    "MAX_PAYLOAD",
    "NEED_DATA",
    "Command",
    "Event",
    "FrameDecoder",
    "GetATR",
    "Malformed",
    "PowerOff",
    "PowerOn",
    "Reset",
    "VpcdDecoder",
    "control_event",
    "encode_event",
    "encode_frame",
]

MAX_PAYLOAD: Final = 0xFFFF
CONTROL_OFF: Final = 0x00
CONTROL_ON: Final = 0x01
CONTROL_RESET: Final = 0x02
CONTROL_ATR: Final = 0x04


class _NeedData(enum.Enum):
    """The type of ``NEED_DATA``, what ``next_event()`` returns when no complete frame is
    buffered (compare with ``is``). A one-member enum, so that the type checker knows that
    whatever ``is not NEED_DATA`` is the other type."""

    NEED_DATA = "NEED_DATA"

    def __repr__(self) -> str:
        return "NEED_DATA"


NEED_DATA: Final = _NeedData.NEED_DATA


@attrs.frozen
class PowerOff:
    """Control byte 00: vpcd removes power (a power loss for the card)."""


@attrs.frozen
class PowerOn:
    """Control byte 01: vpcd applies power (a cold reset); 04 usually follows."""


@attrs.frozen
class Reset:
    """Control byte 02: vpcd resets the card (a warm reset); 04 usually follows."""


@attrs.frozen
class GetATR:
    """Control byte 04: vpcd asks for the ATR; also its presence poll (every ~400 ms)."""


def _apdu_length(instance: object, attribute: attrs.Attribute, value: bytes) -> None:
    if not 2 <= len(value) <= MAX_PAYLOAD:
        raise ValueError(f"a command frame carries 2 to {MAX_PAYLOAD} bytes, not {len(value)}")


@attrs.frozen
class Command:
    """A command APDU for the card (any payload of two bytes or more)."""

    apdu: bytes = attrs.field(converter=bytes, validator=_apdu_length)

    @classmethod
    def from_hex(cls, text: str) -> Command:
        return cls(bytes.fromhex(text))


@attrs.frozen
class Malformed:
    """A frame vpcd never sends: empty, or a control byte it does not define."""

    payload: bytes = attrs.field(converter=bytes)
    reason: str


Event = PowerOff | PowerOn | Reset | GetATR | Command | Malformed

_CONTROL_EVENTS: dict[int, Event] = {
    CONTROL_OFF: PowerOff(),
    CONTROL_ON: PowerOn(),
    CONTROL_RESET: Reset(),
    CONTROL_ATR: GetATR(),
}
_CONTROL_BYTES = {type(event): code for code, event in _CONTROL_EVENTS.items()}


def encode_frame(payload: bytes) -> bytes:
    """``payload`` with its 2-byte big-endian length; ValueError over 65535 bytes."""
    if len(payload) > MAX_PAYLOAD:
        raise ValueError(f"a vpcd frame carries at most {MAX_PAYLOAD} bytes, not {len(payload)}")
    return len(payload).to_bytes(2, "big") + payload


def encode_event(event: Event) -> bytes:
    """The frame vpcd sends for ``event`` (a fake vpcd's side; also for round-trip tests)."""
    if isinstance(event, Command):
        return encode_frame(event.apdu)
    if isinstance(event, Malformed):
        return encode_frame(event.payload)
    return encode_frame(bytes((_CONTROL_BYTES[type(event)],)))


def control_event(payload: bytes) -> Event:
    """The event of a frame shorter than a command: a control byte, or ``Malformed``."""
    if not payload:
        return Malformed(b"", "an empty frame")
    event = _CONTROL_EVENTS.get(payload[0])
    if event is None:
        return Malformed(payload, f"unknown control byte {payload[0]:02X}")
    return event


class FrameDecoder:
    """Splits a byte stream into vpcd frame payloads; fed arbitrary chunks.

    A chunk that arrives while nothing is buffered is kept as it is (no copy): the usual read
    holds whole frames, and each payload is then one slice of it.
    """

    def __init__(self) -> None:
        self._buffer: bytes | bytearray = b""
        self._offset = 0

    @property
    def buffered(self) -> int:
        """Bytes received but not yet returned as a frame (a partial frame at the end)."""
        return len(self._buffer) - self._offset

    def receive_data(self, data: bytes) -> None:
        """Append what a read returned."""
        if self._offset == len(self._buffer):
            self._buffer = bytes(data)
        else:
            # Keep only what was not returned yet: at most a partial frame, then ``data``.
            rest = bytearray(memoryview(self._buffer)[self._offset:])
            rest += data
            self._buffer = rest
        self._offset = 0

    def next_frame(self) -> bytes | _NeedData:
        """The next complete payload, or ``NEED_DATA``."""
        buffer, start = self._buffer, self._offset
        if len(buffer) - start < 2:
            return NEED_DATA
        end = start + 2 + ((buffer[start] << 8) | buffer[start + 1])
        if len(buffer) < end:
            return NEED_DATA
        self._offset = end
        return bytes(buffer[start + 2:end])


class VpcdDecoder:
    """Turns what vpcd sends to a card into events (see the module docstring)."""

    def __init__(self) -> None:
        self._frames = FrameDecoder()

    @property
    def buffered(self) -> int:
        return self._frames.buffered

    def receive_data(self, data: bytes) -> None:
        self._frames.receive_data(data)

    def next_payload(self) -> bytes | _NeedData:
        """The next frame's raw payload, or ``NEED_DATA``: a command APDU when it has two bytes
        or more, else what ``control_event`` interprets (the link's fast path)."""
        return self._frames.next_frame()

    def next_event(self) -> Event | _NeedData:
        payload = self._frames.next_frame()
        if payload is NEED_DATA:
            return NEED_DATA
        assert isinstance(payload, bytes)
        if len(payload) > 1:
            return Command(payload)
        return control_event(payload)

    def feed(self, data: bytes) -> list[Event]:
        """``receive_data(data)``, then every complete event."""
        self.receive_data(data)
        events: list[Event] = []
        while (event := self.next_event()) is not NEED_DATA:
            events.append(event)
        return events
