"""BER-TLV encoding rules (ISO/IEC 8825-1 as ``javacardx.framework.tlv`` restricts them).

A tag is one byte ``cc t nnnnn`` (class, constructed flag, number) or, when the number is 31 or
more, ``cc t 11111`` and the number in base 128, most significant group first, bit 8 set on all
but the last byte; the first of those bytes may not be 0x80 (a leading zero group). Java Card
limits a tag to 127 bytes and its number to 32767. A length is definite only: ``0xxxxxxx``, or
``1nnnnnnn`` and n big-endian bytes; the indefinite form (0x80) is malformed, and a length or
whole TLV beyond 32767 bytes is refused with its own reason. Input is hostile: every read is
bounds-checked, a TLV must end within the bytes it was given, and nesting is checked with a
loop rather than recursion.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from jcsim.framework.util import _check
from jcsim.lang import ArrayIndexOutOfBoundsException
from jcsim.x.framework.tlv.tlv_exception import TLVException

__all__ = [
    "MAX_NESTING",
    "TLVHeader",
    "Tag",
    "children",
    "encode_length",
    "make_tag",
    "nesting_depth",
    "read_tag",
    "read_tlv",
    "snapshot",
]

# How deep constructed TLVs may nest when they are built into objects (an implementation limit:
# each level is an object, and a card has finite memory): TLVException.ILLEGAL_SIZE beyond it.
MAX_NESTING = 64

MAX_SHORT = 0x7FFF


class Tag(NamedTuple):
    tag_class: int
    constructed: bool
    number: int
    encoding: bytes  # as read: EMV's 9F02 and 82 both decode to class 2, number 2


class TLVHeader(NamedTuple):
    tag: Tag
    tag_size: int
    length: int
    header_size: int  # tag and length bytes

    @property
    def size(self) -> int:
        return self.header_size + self.length


def snapshot(array: Any, offset: int, name: str) -> bytes:
    """The bytes of ``array`` from ``offset`` on (null and offset checked)."""
    _check(array, offset, 0, name)
    if offset >= len(array):
        raise ArrayIndexOutOfBoundsException(offset)
    return bytes(array[offset:])


def read_tag(data: bytes, at: int = 0) -> tuple[Tag, int]:
    """The tag at ``data[at]`` and its size in bytes."""
    if at >= len(data):
        raise TLVException(TLVException.MALFORMED_TAG)
    first = data[at]
    tag_class, constructed = first >> 6, bool(first & 0x20)
    if first & 0x1F != 0x1F:
        return Tag(tag_class, constructed, first & 0x1F, data[at:at + 1]), 1
    number, i = 0, at + 1
    if i < len(data) and data[i] == 0x80:
        raise TLVException(TLVException.MALFORMED_TAG)
    while True:
        if i >= len(data):
            raise TLVException(TLVException.MALFORMED_TAG)
        if i - at + 1 > 127:
            raise TLVException(TLVException.TAG_SIZE_GREATER_THAN_127)
        number = (number << 7) | (data[i] & 0x7F)
        if not data[i] & 0x80:
            break
        i += 1
    if number > MAX_SHORT:
        raise TLVException(TLVException.TAG_NUMBER_GREATER_THAN_32767)
    # A number below 31 in the long form is kept as written: EMV relies on it (9F02).
    return Tag(tag_class, constructed, number, data[at:i + 1]), i - at + 1


def make_tag(tag_class: int, constructed: bool, number: int) -> Tag:
    """The tag of that class, type and number in its shortest encoding."""
    if not 0 <= tag_class <= 3 or not 0 <= number <= MAX_SHORT:
        raise TLVException(TLVException.INVALID_PARAM)
    first = (tag_class << 6) | (0x20 if constructed else 0)
    if number < 31:
        return Tag(tag_class, constructed, number, bytes([first | number]))
    groups = []
    n = number
    while True:
        groups.append(n & 0x7F)
        n >>= 7
        if not n:
            break
    groups.reverse()
    encoding = bytes([first | 0x1F] + [g | 0x80 for g in groups[:-1]] + [groups[-1]])
    return Tag(tag_class, constructed, number, encoding)


def encode_length(length: int) -> bytes:
    if length < 0x80:
        return bytes([length])
    if length < 0x100:
        return bytes([0x81, length])
    return bytes([0x82]) + length.to_bytes(2, "big")


def read_length(data: bytes, at: int) -> tuple[int, int]:
    """The length field at ``data[at]``: (value, size in bytes)."""
    if at >= len(data):
        raise TLVException(TLVException.MALFORMED_TLV)
    first = data[at]
    if first < 0x80:
        return first, 1
    count = first & 0x7F
    if count == 0 or at + 1 + count > len(data):
        raise TLVException(TLVException.MALFORMED_TLV)
    value = int.from_bytes(data[at + 1:at + 1 + count], "big")
    if value > MAX_SHORT:
        raise TLVException(TLVException.TLV_LENGTH_GREATER_THAN_32767)
    return value, 1 + count


def _header(data: bytes, at: int, end: int) -> TLVHeader:
    """The tag and length at ``data[at]``, for a TLV that must end by ``end``."""
    view = data[:end]
    tag, tag_size = read_tag(view, at)
    length, length_size = read_length(view, at + tag_size)
    header = TLVHeader(tag, tag_size, length, tag_size + length_size)
    if header.size > MAX_SHORT:
        raise TLVException(TLVException.TLV_SIZE_GREATER_THAN_32767)
    if at + header.size > end:
        raise TLVException(TLVException.MALFORMED_TLV)
    return header


def _depth_of_value(data: bytes, start: int, end: int) -> int:
    """Check that ``data[start:end]`` is a sequence of whole TLVs, nested ones included, and
    return how deep the constructed ones nest. A loop with its own stack, not recursion: a
    hostile input of thousands of nested headers must not exhaust Python's stack."""
    deepest = 0
    stack = [(start, end, 1)]
    while stack:
        at, stop, depth = stack.pop()
        while at < stop:
            header = _header(data, at, stop)
            if header.tag.constructed:
                deepest = max(deepest, depth)
                stack.append((at + header.header_size, at + header.size, depth + 1))
            at += header.size
    return deepest


def read_tlv(data: bytes, at: int = 0, limit: int | None = None) -> TLVHeader:
    """The header of the TLV at ``data[at]``, which must end within ``limit`` bytes (all of
    ``data`` by default); a constructed TLV's value must be a sequence of whole TLVs."""
    end = len(data) if limit is None else min(len(data), at + limit)
    header = _header(data, at, end)
    if header.tag.constructed:
        _depth_of_value(data, at + header.header_size, at + header.size)
    return header


def nesting_depth(data: bytes, at: int = 0) -> int:
    """How many constructed TLVs nest inside the (well-formed) TLV at ``data[at]``."""
    header = _header(data, at, len(data))
    if not header.tag.constructed:
        return 0
    return 1 + _depth_of_value(data, at + header.header_size, at + header.size)


def children(data: bytes, start: int, length: int) -> list[tuple[int, TLVHeader]]:
    """The (offset, header) of each top-level TLV in ``data[start:start+length]``, which they
    must fill."""
    found, at, end = [], start, start + length
    while at < end:
        header = _header(data, at, end)
        found.append((at, header))
        at += header.size
    return found
