"""The host side of the HOTP applet: its commands, and RFC 4226's value from its answer."""

from __future__ import annotations

from jcsim import Response

__all__ = ["AID", "LIST", "SELECT", "calculate", "delete", "listing", "otp", "put"]

AID = "F0 00 00 00 48 4F 54 50"
SELECT = f"00 A4 04 00 08 {AID} 00"
LIST = "80 04 00 00 00"


def put(name: bytes, secret: bytes, digits: int = 6, counter: int | None = None) -> bytes:
    data = bytes([len(name)]) + name + bytes([digits, len(secret)]) + secret
    if counter is not None:
        data += counter.to_bytes(8, "big")
    return bytes([0x80, 0x01, 0x00, 0x00, len(data)]) + data


def calculate(name: bytes) -> bytes:
    return bytes([0x80, 0x02, 0x00, 0x00, len(name)]) + name + b"\x05"


def delete(name: bytes) -> bytes:
    return bytes([0x80, 0x03, 0x00, 0x00, len(name)]) + name


def otp(response: Response) -> str:
    """The one-time password a CALCULATE answered: the truncated value mod 10^digits, padded
    to ``digits`` decimal digits (RFC 4226 §5.3)."""
    digits, value = response.data[0], int.from_bytes(response.data[1:5], "big")
    return f"{value % 10 ** digits:0{digits}d}"


def listing(response: Response) -> tuple[int, list[tuple[bytes, int]]]:
    """A LIST answer: the count the applet keeps, and (name, counter) newest first."""
    data = response.data
    entries, offset = [], 1
    while offset < len(data):
        length = data[offset]
        name = data[offset + 1:offset + 1 + length]
        counter = int.from_bytes(data[offset + 1 + length:offset + 9 + length], "big")
        entries.append((name, counter))
        offset += 9 + length
    return data[0], entries
