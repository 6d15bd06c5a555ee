"""The BER-TLV subset the scripting templates use (ETSI TS 101 220 §7.1, ISO 7816-4 §5.2).

Tags are read as BER tags (one byte, or several when the low five bits are all ones) so an
unknown multi-byte tag is reported as unknown rather than misread. Lengths take the short form
(0-127), the long forms ``81 xx``, ``82 xx xx`` and ``83 xx xx xx``, and the indefinite form
``80`` where the caller allows it (only the outer AE/AF templates; their content ends with the
end-of-contents octets ``00 00``).

Parsing problems raise ``TLVError`` carrying the bad-format reason of TS 102 226 (01 unknown
tag, 02 wrong length, 03 length not found). It never leaves ``jcsim.remote.codec``: the codec
turns it into a ``FormatError`` value.
"""

from __future__ import annotations

__all__ = [
    "INDEFINITE",
    "LENGTH_NOT_FOUND",
    "UNKNOWN_TAG",
    "WRONG_LENGTH",
    "TLVError",
    "children",
    "encode_length",
    "header",
    "indefinite_children",
    "tlv",
]

UNKNOWN_TAG = 0x01
WRONG_LENGTH = 0x02
LENGTH_NOT_FOUND = 0x03

INDEFINITE = -1


class TLVError(Exception):
    """Bytes that are not the expected TLV structure; ``reason`` is the bad-format code."""

    def __init__(self, reason: int, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def encode_length(length: int) -> bytes:
    """The shortest definite length field for ``length`` (0 to 2**24 - 1)."""
    if length < 0x80:
        return bytes((length,))
    if length <= 0xFF:
        return b"\x81" + bytes((length,))
    if length <= 0xFFFF:
        return b"\x82" + length.to_bytes(2, "big")
    if length <= 0xFFFFFF:
        return b"\x83" + length.to_bytes(3, "big")
    raise ValueError(f"a TLV value of {length} bytes is too long for a 3-byte length field")


def tlv(tag: int, value: bytes) -> bytes:
    """One TLV object with a one-byte ``tag`` and a definite length."""
    return bytes((tag,)) + encode_length(len(value)) + value


def header(data: bytes, pos: int, end: int, *,
           allow_indefinite: bool = False) -> tuple[int, int, int]:
    """Read the tag and length at ``pos``: ``(tag, length, value_offset)``.

    ``length`` is ``INDEFINITE`` for the ``80`` form when allowed. The value itself is not
    checked against ``end`` here (the caller does it, knowing whether it is indefinite).
    """
    if pos >= end:
        raise TLVError(LENGTH_NOT_FOUND, "a tag was expected but the data ended")
    tag = data[pos]
    pos += 1
    if tag & 0x1F == 0x1F:
        # Multi-byte tag: subsequent bytes carry bit 8 while more follow.
        while True:
            if pos >= end:
                raise TLVError(LENGTH_NOT_FOUND, "the data ended inside a multi-byte tag")
            tag = (tag << 8) | data[pos]
            pos += 1
            if not data[pos - 1] & 0x80:
                break
            if tag > 0xFFFFFFFF:
                raise TLVError(UNKNOWN_TAG, "a tag longer than four bytes")
    if pos >= end:
        raise TLVError(LENGTH_NOT_FOUND, f"tag {tag:02X} has no length field")
    first = data[pos]
    pos += 1
    if first < 0x80:
        return tag, first, pos
    if first == 0x80:
        if not allow_indefinite:
            raise TLVError(LENGTH_NOT_FOUND, f"tag {tag:02X} uses the indefinite length form "
                                              "where it is not allowed")
        return tag, INDEFINITE, pos
    count = first & 0x7F
    if count > 3:
        raise TLVError(LENGTH_NOT_FOUND, f"tag {tag:02X} has a {count}-byte length field")
    if pos + count > end:
        raise TLVError(LENGTH_NOT_FOUND, f"the length field of tag {tag:02X} is cut short")
    return tag, int.from_bytes(data[pos:pos + count], "big"), pos + count


def children(data: bytes, start: int, end: int) -> list[tuple[int, bytes]]:
    """The TLV objects that exactly fill ``data[start:end]``, as ``(tag, value)`` pairs."""
    found = []
    pos = start
    while pos < end:
        tag, length, value_at = header(data, pos, end)
        if value_at + length > end:
            raise TLVError(WRONG_LENGTH,
                           f"tag {tag:02X} announces {length} bytes but only "
                           f"{end - value_at} remain")
        found.append((tag, bytes(data[value_at:value_at + length])))
        pos = value_at + length
    return found


def indefinite_children(data: bytes, start: int, end: int) -> tuple[list[tuple[int, bytes]], int]:
    """The TLV objects of an indefinite-length value starting at ``start``, up to the
    end-of-contents octets; returns them and the offset just after ``00 00``."""
    found: list[tuple[int, bytes]] = []
    pos = start
    while True:
        if pos + 1 < end and data[pos] == 0 and data[pos + 1] == 0:
            return found, pos + 2
        if pos >= end:
            raise TLVError(LENGTH_NOT_FOUND,
                           "an indefinite-length template has no end-of-contents 00 00")
        tag, length, value_at = header(data, pos, end)
        if value_at + length > end:
            raise TLVError(WRONG_LENGTH,
                           f"tag {tag:02X} announces {length} bytes but only "
                           f"{end - value_at} remain")
        found.append((tag, bytes(data[value_at:value_at + length])))
        pos = value_at + length
