"""A constructed BER TLV: a constructed tag and a sequence of contained TLV objects.

Mirrors ``javacardx.framework.tlv.ConstructedBERTLV`` (Java Card 3.0.5). The object keeps
references to the TLV objects appended to it (changing one changes this TLV, as the
specification says); the tuple of them is a journaled field. The capacity is the number of
contained TLVs it holds without growing (see ``ber_tlv`` on expansion). A TLV may not contain
itself, directly or deeper: INVALID_PARAM.
"""

from __future__ import annotations

from typing import Any

from jcsim.lang import ClassCastException, NullPointerException
from jcsim.x.framework.tlv._codec import (
    MAX_NESTING,
    MAX_SHORT,
    TLVHeader,
    children,
    encode_length,
    nesting_depth,
    read_tag,
    read_tlv,
    snapshot,
)
from jcsim.x.framework.tlv._overload import Overloaded
from jcsim.x.framework.tlv.ber_tag import ConstructedBERTag
from jcsim.x.framework.tlv.ber_tlv import BERTLV, input_bytes, write_out
from jcsim.x.framework.tlv.primitive_ber_tlv import PrimitiveBERTLV
from jcsim.x.framework.tlv.tlv_exception import TLVException

__all__ = ["ConstructedBERTLV"]


def _constructed_header(array: Any, offset: int) -> tuple[bytes, TLVHeader]:
    data = snapshot(array, offset, "berTLVArray")
    header = read_tlv(data)
    if not header.tag.constructed:
        raise TLVException(TLVException.MALFORMED_TLV)
    return data, header


def build(data: bytes, offset: int, header: TLVHeader) -> BERTLV:
    """A new TLV object for the TLV at ``data[offset]``, its capacity just what it holds;
    ILLEGAL_SIZE if it nests deeper than ``MAX_NESTING``."""
    encoded = data[offset:offset + header.size]
    if nesting_depth(encoded) > MAX_NESTING:
        raise TLVException(TLVException.ILLEGAL_SIZE)
    return _build(encoded, header)


def _build(encoded: bytes, header: TLVHeader) -> BERTLV:
    tlv: BERTLV
    if header.tag.constructed:
        tlv = ConstructedBERTLV(len(children(encoded, header.header_size, header.length)))
    else:
        tlv = PrimitiveBERTLV(header.length)
    tlv._load(encoded, header)
    return tlv


def _tag_at(array: Any, offset: int) -> bytes | None:
    return None if array is None else read_tag(snapshot(array, offset, "berTagArray"))[0].encoding


class ConstructedBERTLV(BERTLV):
    """Mirrors ``javacardx.framework.tlv.ConstructedBERTLV``."""

    def __init__(self, numTLVs: int) -> None:
        super().__init__()
        if not 0 <= numTLVs <= MAX_SHORT:
            raise TLVException(TLVException.INVALID_PARAM)
        self._capacity = numTLVs
        self._children: tuple[BERTLV, ...] = ()

    def _value_bytes(self) -> bytes:
        return b"".join(child._encoding() for child in self._children)

    def _contains(self, other: Any) -> bool:
        return other is self or any(child._contains(other) for child in self._children)

    def _set_children(self, kids: tuple[BERTLV, ...], reason: int) -> None:
        if len(kids) > self._capacity:
            raise TLVException(reason)
        self._children = kids

    def init(self, *args: Any) -> int:
        """``init(bArray, bOff, bLen)`` from an encoded constructed TLV,
        ``init(tag, aTLV)`` or ``init(tag, vArray, vOff, vLen)``; returns the resulting size."""
        if len(args) == 3:
            data = input_bytes(*args)
            header = read_tlv(data)
            if not header.tag.constructed:
                raise TLVException(TLVException.MALFORMED_TLV)
            return self._load(data, header)
        if len(args) not in (2, 4):
            raise TypeError("init takes (bArray, bOff, bLen), (tag, aTLV) or "
                            "(tag, vArray, vOff, vLen)")
        tag = args[0]
        if tag is None:
            raise NullPointerException("tag is null")
        if not isinstance(tag, ConstructedBERTag):
            raise ClassCastException("a ConstructedBERTLV takes a ConstructedBERTag")
        if len(args) == 2:
            child = args[1]
            if child is None:
                raise NullPointerException("aTLV is null")
            if child._contains(self):
                raise TLVException(TLVException.INVALID_PARAM)
            kids: tuple[BERTLV, ...] = (child,)
        else:
            data = input_bytes(args[1], args[2], args[3], "vArray")
            kids = tuple(build(data, off, h) for off, h in children(data, 0, len(data)))
        self._set_children(kids, TLVException.INSUFFICIENT_STORAGE)
        self._tag_object = tag
        return self.size()

    def _load(self, data: bytes, header: TLVHeader) -> int:
        tag = ConstructedBERTag()
        tag._tag = header.tag
        kids = tuple(build(data, off, h)
                     for off, h in children(data, header.header_size, header.length))
        self._set_children(kids, TLVException.ILLEGAL_SIZE)
        self._tag_object = tag
        return self.size()

    def _position(self, aTLV: Any, occurrenceNum: int) -> int:
        """The index of the ``occurrenceNum``-th occurrence of ``aTLV`` among the children."""
        if aTLV is None:
            raise NullPointerException("aTLV is null")
        if occurrenceNum > 0:
            seen = 0
            for index, child in enumerate(self._children):
                if child is aTLV:
                    seen += 1
                    if seen == occurrenceNum:
                        return index
        raise TLVException(TLVException.INVALID_PARAM)

    def _append(self, aTLV: Any) -> int:
        """Append a reference to ``aTLV``; returns the resulting size."""
        if aTLV is None:
            raise NullPointerException("aTLV is null")
        if aTLV._contains(self):
            raise TLVException(TLVException.INVALID_PARAM)
        self._check_not_empty()
        self._set_children((*self._children, aTLV), TLVException.INSUFFICIENT_STORAGE)
        return self.size()

    @staticmethod
    def _static_append(berTLVInArray: Any, bTLVInOff: int, berTLVOutArray: Any,
                       bTLVOutOff: int) -> int:
        """Append the TLV encoded at ``bTLVInOff`` to the constructed TLV encoded at
        ``bTLVOutOff`` (its length field grows as needed); returns the new size."""
        incoming = snapshot(berTLVInArray, bTLVInOff, "berTLVInArray")
        incoming = incoming[:read_tlv(incoming).size]
        data, header = _constructed_header(berTLVOutArray, bTLVOutOff)
        value = data[header.header_size:header.size] + incoming
        encoding = header.tag.encoding + encode_length(len(value)) + value
        if len(encoding) > MAX_SHORT:
            raise TLVException(TLVException.TLV_SIZE_GREATER_THAN_32767)
        return write_out(berTLVOutArray, bTLVOutOff, encoding, "berTLVOutArray")

    append = Overloaded(1, _append, _static_append)

    def delete(self, aTLV: Any, occurrenceNum: int) -> int:
        """Remove that occurrence of ``aTLV``; returns the resulting size."""
        index = self._position(aTLV, occurrenceNum)
        self._children = self._children[:index] + self._children[index + 1:]
        return self.size()

    def _first_from(self, tag: Any, start: int) -> BERTLV | None:
        for child in self._children[start:]:
            if tag is None or tag.equals(child._tag_object):
                return child
        return None

    def _find(self, tag: Any) -> BERTLV | None:
        """The first contained TLV with ``tag`` (the first of all if ``tag`` is None)."""
        return self._first_from(tag, 0)

    @staticmethod
    def _static_find(berTLVArray: Any, bTLVOff: int, berTagArray: Any, bTagOff: int) -> int:
        """The offset of the first top-level TLV with that tag in the constructed TLV at
        ``bTLVOff``, or -1."""
        data, header = _constructed_header(berTLVArray, bTLVOff)
        wanted = _tag_at(berTagArray, bTagOff)
        for offset, child in children(data, header.header_size, header.length):
            if wanted is None or child.tag.encoding == wanted:
                return bTLVOff + offset
        return -1

    find = Overloaded(1, _find, _static_find)

    def _find_next(self, tag: Any, aTLV: Any, occurrenceNum: int) -> BERTLV | None:
        """The first TLV with ``tag`` after that occurrence of ``aTLV``."""
        return self._first_from(tag, self._position(aTLV, occurrenceNum) + 1)

    @staticmethod
    def _static_find_next(berTLVArray: Any, bTLVOff: int, startOffset: int, berTagArray: Any,
                          bTagOff: int) -> int:
        """The offset of the next top-level TLV with that tag after the one at
        ``startOffset``, or -1; INVALID_PARAM if no top-level TLV starts there."""
        data, header = _constructed_header(berTLVArray, bTLVOff)
        wanted = _tag_at(berTagArray, bTagOff)
        offsets = [(bTLVOff + off, child)
                   for off, child in children(data, header.header_size, header.length)]
        starts = [off for off, _child in offsets]
        if startOffset not in starts:
            raise TLVException(TLVException.INVALID_PARAM)
        for offset, child in offsets[starts.index(startOffset) + 1:]:
            if wanted is None or child.tag.encoding == wanted:
                return offset
        return -1

    findNext = Overloaded(3, _find_next, _static_find_next)
