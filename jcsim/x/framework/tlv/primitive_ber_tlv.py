"""A primitive BER TLV: a tag and a value of bytes.

Mirrors ``javacardx.framework.tlv.PrimitiveBERTLV`` (Java Card 3.0.5). The capacity is the
number of value bytes the object holds without growing (see ``ber_tlv`` on expansion); the
value is a journaled field. ``init(tag, ...)`` keeps a reference to the tag object, so changing
the tag changes this TLV, as the specification says.
"""

from __future__ import annotations

from typing import Any

from jcsim.lang import ClassCastException, NullPointerException
from jcsim.x.framework.tlv._codec import (
    MAX_SHORT,
    TLVHeader,
    encode_length,
    read_tag,
    read_tlv,
    snapshot,
)
from jcsim.x.framework.tlv._overload import Overloaded
from jcsim.x.framework.tlv.ber_tag import PrimitiveBERTag
from jcsim.x.framework.tlv.ber_tlv import BERTLV, input_bytes, write_out
from jcsim.x.framework.tlv.tlv_exception import TLVException

__all__ = ["PrimitiveBERTLV"]


def _primitive_header(array: Any, offset: int) -> TLVHeader:
    header = read_tlv(snapshot(array, offset, "berTLVArray"))
    if header.tag.constructed:
        raise TLVException(TLVException.MALFORMED_TLV)
    return header


class PrimitiveBERTLV(BERTLV):
    """Mirrors ``javacardx.framework.tlv.PrimitiveBERTLV``."""

    def __init__(self, numValueBytes: int) -> None:
        super().__init__()
        if not 0 <= numValueBytes <= MAX_SHORT:
            raise TLVException(TLVException.INVALID_PARAM)
        self._capacity = numValueBytes
        self._value = b""

    def _value_bytes(self) -> bytes:
        return self._value

    def _store(self, value: bytes) -> None:
        if len(value) > self._capacity:
            raise TLVException(TLVException.INSUFFICIENT_STORAGE)
        self._value = value

    def init(self, *args: Any) -> int:
        """``init(bArray, bOff, bLen)`` from an encoded primitive TLV, or
        ``init(tag, vArray, vOff, vLen)``; returns the resulting size."""
        if len(args) == 3:
            data = input_bytes(*args)
            header = read_tlv(data)
            if header.tag.constructed:
                raise TLVException(TLVException.MALFORMED_TLV)
            return self._load(data, header)
        if len(args) != 4:
            raise TypeError("init takes (bArray, bOff, bLen) or (tag, vArray, vOff, vLen)")
        tag, value_array, value_offset, value_length = args
        if tag is None:
            raise NullPointerException("tag is null")
        if not isinstance(tag, PrimitiveBERTag):
            raise ClassCastException("a PrimitiveBERTLV takes a PrimitiveBERTag")
        value = input_bytes(value_array, value_offset, value_length, "vArray")
        if self._tag_object is None:  # an empty TLV takes its capacity from the first value
            self._capacity = max(self._capacity, value_length)
        self._store(value)
        self._tag_object = tag
        return self.size()

    def _load(self, data: bytes, header: TLVHeader) -> int:
        tag = PrimitiveBERTag()
        tag._tag = header.tag
        self._store(data[header.header_size:header.size])
        self._tag_object = tag
        return self.size()

    def _append_value(self, vArray: Any, vOff: int, vLen: int) -> int:
        """Append to this TLV's value; returns the resulting size."""
        value = input_bytes(vArray, vOff, vLen, "vArray")
        self._check_not_empty()
        self._store(self._value + value)
        return self.size()

    @staticmethod
    def _static_append_value(berTLVArray: Any, bTLVOff: int, vArray: Any, vOff: int,
                             vLen: int) -> int:
        """Append to the value of the primitive TLV encoded at ``bTLVOff`` (its length field
        grows as needed); returns the TLV's new size."""
        header = _primitive_header(berTLVArray, bTLVOff)
        data = snapshot(berTLVArray, bTLVOff, "berTLVArray")
        value = data[header.header_size:header.size] + input_bytes(vArray, vOff, vLen, "vArray")
        encoding = header.tag.encoding + encode_length(len(value)) + value
        if len(encoding) > MAX_SHORT:
            raise TLVException(TLVException.TLV_SIZE_GREATER_THAN_32767)
        return write_out(berTLVArray, bTLVOff, encoding, "berTLVArray")

    appendValue = Overloaded(3, _append_value, _static_append_value)

    def replaceValue(self, vArray: Any, vOff: int, vLen: int) -> int:
        """Replace this TLV's value; returns the resulting size."""
        value = input_bytes(vArray, vOff, vLen, "vArray")
        self._check_not_empty()
        self._store(value)
        return self.size()

    def getValue(self, tlvValue: Any, tOff: int) -> int:
        """Write this TLV's value at ``tlvValue[tOff]``; returns its length."""
        self._encoding()  # EMPTY_TLV, TLV_SIZE_GREATER_THAN_32767
        return write_out(tlvValue, tOff, self._value, "tlvValue")

    @staticmethod
    def getValueOffset(berTLVArray: Any, bTLVOff: int) -> int:
        """The offset in ``berTLVArray`` of the value of the primitive TLV at ``bTLVOff``."""
        return bTLVOff + _primitive_header(berTLVArray, bTLVOff).header_size

    @staticmethod
    def _static_to_bytes(berTagArray: Any, berTagOff: int, valueArray: Any, vOff: int,
                         vLen: int, outBuf: Any, bOff: int) -> int:
        """Write the primitive TLV of the tag encoded at ``berTagOff`` and the value; returns
        its length."""
        tag = read_tag(snapshot(berTagArray, berTagOff, "berTagArray"))[0]
        if tag.constructed:
            raise TLVException(TLVException.MALFORMED_TAG)
        value = input_bytes(valueArray, vOff, vLen, "valueArray")
        encoding = tag.encoding + encode_length(len(value)) + value
        if len(encoding) > MAX_SHORT:
            raise TLVException(TLVException.TLV_SIZE_GREATER_THAN_32767)
        return write_out(outBuf, bOff, encoding)

    toBytes = Overloaded(2, BERTLV.toBytes, _static_to_bytes)
