"""Command and response APDUs (ISO 7816-3 §12.1, ISO 7816-4 §5.1): values and a sans-IO codec.

``decode_lengths`` is the one parser of the length fields; the runtime and ``CommandAPDU`` both
use it. Cases, after the 4-byte header:

| case | body                     | Nc        | Ne                   |
|------|--------------------------|-----------|----------------------|
| 1    | (none)                   | 0         | 0                    |
| 2S   | Le                       | 0         | 1-256 (00 = 256)     |
| 3S   | Lc data                  | 1-255     | 0                    |
| 4S   | Lc data Le               | 1-255     | 1-256                |
| 2E   | 00 Le Le                 | 0         | 1-65536 (0000=65536) |
| 3E   | 00 Lc Lc data            | 1-65535   | 0                    |
| 4E   | 00 Lc Lc data Le Le      | 1-65535   | 1-65536              |
"""

from __future__ import annotations

from typing import NamedTuple

import attrs

from jcsim.errors import MalformedAPDUError

__all__ = ["CommandAPDU", "Lengths", "Response", "decode_lengths", "parse_hex"]


class Lengths(NamedTuple):
    """Where the data is and how long things are, for one encoded command."""

    cdata_offset: int  # 5 (short) or 7 (extended): where data (or nothing) starts
    nc: int  # command data length
    ne: int  # expected response length, 0 when there is no Le field
    le_present: bool
    extended: bool


_CASE_1 = Lengths(5, 0, 0, False, False)


def _as_bytes(value: bytes | bytearray | memoryview) -> bytes:
    # A Python converter rather than the builtin ``bytes``: attrs reads a converter's
    # signature, and a builtin's costs about 2 ms at import (it compiles tokenize's patterns).
    return bytes(value)


def decode_lengths(raw: bytes) -> Lengths:
    """The length fields of an encoded command; raises ``MalformedAPDUError`` (SW 6700)."""
    n = len(raw)
    if n == 4:
        return _CASE_1
    if n < 4:
        raise MalformedAPDUError(f"a command APDU has at least 4 bytes, not {n}")
    b4 = raw[4]
    if n == 5:
        return Lengths(5, 0, b4 or 256, True, False)
    if b4:
        if n == 5 + b4:
            return Lengths(5, b4, 0, False, False)
        if n == 6 + b4:
            return Lengths(5, b4, raw[-1] or 256, True, False)
        raise MalformedAPDUError(f"Lc={b4} does not match a body of {n - 5} bytes")
    if n == 7:
        return Lengths(7, 0, ((raw[5] << 8) | raw[6]) or 65536, True, True)
    if n < 7:
        raise MalformedAPDUError(f"a body of {n - 4} bytes starting with 00 is no valid case")
    lc = (raw[5] << 8) | raw[6]
    if lc == 0:
        raise MalformedAPDUError("extended Lc 0000 is not allowed")
    if n == 7 + lc:
        return Lengths(7, lc, 0, False, True)
    if n == 9 + lc:
        return Lengths(7, lc, ((raw[-2] << 8) | raw[-1]) or 65536, True, True)
    raise MalformedAPDUError(f"extended Lc={lc} does not match a body of {n - 7} bytes")


def parse_hex(text: str) -> bytes:
    """Bytes from hex digits, allowing spaces, tabs and colons between them."""
    cleaned = "".join(text.replace(":", " ").split())
    try:
        return bytes.fromhex(cleaned)
    except ValueError as exc:
        raise MalformedAPDUError(f"not hex: {text!r}") from exc


def _byte(instance: object, attribute: attrs.Attribute, value: int) -> None:
    if not 0 <= value <= 0xFF:
        raise ValueError(f"{attribute.name} must be 0..255, not {value}")


def _ne(instance: object, attribute: attrs.Attribute, value: int | None) -> None:
    if value is not None and not 1 <= value <= 65536:
        raise ValueError(f"ne must be 1..65536 or None, not {value}")


@attrs.frozen
class CommandAPDU:
    """A command APDU. ``ne=None`` means no Le field; ``ne=256`` encodes as Le=00.

    ``extended`` forces extended-length encoding; it is implied when data exceeds 255 bytes
    or ne exceeds 256.
    """

    cla: int = attrs.field(validator=_byte)
    ins: int = attrs.field(validator=_byte)
    p1: int = attrs.field(validator=_byte)
    p2: int = attrs.field(validator=_byte)
    data: bytes = attrs.field(default=b"", converter=_as_bytes)
    ne: int | None = attrs.field(default=None, validator=_ne)
    extended: bool = False

    def __attrs_post_init__(self) -> None:
        if len(self.data) > 65535:
            raise ValueError("command data is at most 65535 bytes")
        if not self.extended and (len(self.data) > 255 or (self.ne or 0) > 256):
            object.__setattr__(self, "extended", True)
        elif self.extended and not self.data and self.ne is None:
            # Case 1 has no length fields, so no extended form: keep the value equal to what
            # its encoding decodes to.
            object.__setattr__(self, "extended", False)

    @classmethod
    def from_bytes(cls, raw: bytes) -> CommandAPDU:
        """Decode an encoded command; raises ``MalformedAPDUError``."""
        raw = bytes(raw)
        lengths = decode_lengths(raw)
        start = lengths.cdata_offset
        return cls(raw[0], raw[1], raw[2], raw[3], raw[start:start + lengths.nc],
                   lengths.ne if lengths.le_present else None, lengths.extended)

    @classmethod
    def from_hex(cls, text: str) -> CommandAPDU:
        """Decode a command written in hex (spaces allowed)."""
        return cls.from_bytes(parse_hex(text))

    def __repr__(self) -> str:
        return (f"CommandAPDU(cla=0x{self.cla:02X}, ins=0x{self.ins:02X}, p1=0x{self.p1:02X}, "
                f"p2=0x{self.p2:02X}, data=bytes.fromhex({self.data.hex()!r}), ne={self.ne!r}, "
                f"extended={self.extended!r})")

    @property
    def nc(self) -> int:
        return len(self.data)

    @property
    def case(self) -> str:
        """'1', '2S', '3S', '4S', '2E', '3E' or '4E'."""
        number = (3 if self.data else 1) + (self.ne is not None)
        if number == 1:
            return "1"
        return f"{number}{'E' if self.extended else 'S'}"

    def __bytes__(self) -> bytes:
        header = bytes((self.cla, self.ins, self.p1, self.p2))
        data, ne = self.data, self.ne
        if not self.extended:
            body = (bytes((len(data),)) + data if data else b"")
            if ne is not None:
                body += bytes((ne & 0xFF,))
            return header + body
        body = b"\x00" + len(data).to_bytes(2, "big") + data if data else b""
        if ne is not None:
            body += (b"" if data else b"\x00") + (ne & 0xFFFF).to_bytes(2, "big")
        return header + body

    def hex(self, sep: str = " ") -> str:
        return bytes(self).hex(sep).upper() if sep else bytes(self).hex().upper()


def _sw(instance: object, attribute: attrs.Attribute, value: int) -> None:
    if not 0 <= value <= 0xFFFF:
        raise ValueError(f"sw must be 0..0xFFFF, not {value}")


@attrs.frozen
class Response:
    """A response APDU: ``data`` then the status word ``sw`` (``sw1``, ``sw2``)."""

    data: bytes = attrs.field(converter=_as_bytes)
    sw: int = attrs.field(validator=_sw)

    @classmethod
    def from_bytes(cls, raw: bytes) -> Response:
        """Decode ``data + SW1 SW2``; raises ``MalformedAPDUError`` for fewer than 2 bytes."""
        if len(raw) < 2:
            raise MalformedAPDUError(f"a response APDU has at least 2 bytes, not {len(raw)}")
        # Two bytes always make a valid SW, so skip the validators on this hot path.
        response = object.__new__(cls)
        object.__setattr__(response, "data", bytes(raw[:-2]))
        object.__setattr__(response, "sw", (raw[-2] << 8) | raw[-1])
        return response

    @classmethod
    def from_hex(cls, text: str) -> Response:
        return cls.from_bytes(parse_hex(text))

    def __repr__(self) -> str:
        return f"Response(data=bytes.fromhex({self.data.hex()!r}), sw=0x{self.sw:04X})"

    @property
    def sw1(self) -> int:
        return self.sw >> 8

    @property
    def sw2(self) -> int:
        return self.sw & 0xFF

    def __bytes__(self) -> bytes:
        return self.data + self.sw.to_bytes(2, "big")

    def hex(self, sep: str = " ") -> str:
        return bytes(self).hex(sep).upper() if sep else bytes(self).hex().upper()
