"""The abstract ``BERTLV``: what primitive and constructed TLV objects share, and the static
methods that read a TLV encoded in a byte array.

Mirrors ``javacardx.framework.tlv.BERTLV`` (Java Card 3.0.5). A TLV object is an on-card object;
its fields (the tag object, the value or the contained TLV objects, the capacity) are journaled.
An empty TLV (never initialized) answers ``TLVException.EMPTY_TLV``. jcsim does not expand a
TLV's capacity automatically: an operation that needs more raises INSUFFICIENT_STORAGE (as a
card without automatic expansion does), so an applet that relies on expansion fails here first.
Encoding rules and limits: ``jcsim.x.framework.tlv._codec``.
"""

from __future__ import annotations

from typing import Any

from jcsim.framework.card_object import Object
from jcsim.framework.util import _check, _write
from jcsim.x.framework.tlv._codec import MAX_SHORT, encode_length, read_tlv, snapshot
from jcsim.x.framework.tlv._overload import Overloaded
from jcsim.x.framework.tlv.tlv_exception import TLVException

__all__ = ["BERTLV", "input_bytes", "write_out"]


def input_bytes(bArray: Any, bOff: int, bLen: int, name: str = "bArray") -> bytes:
    """``bArray[bOff:bOff+bLen]`` after Java's null and bounds checks."""
    _check(bArray, bOff, bLen, name)
    return bytes(bArray[bOff:bOff + bLen])


def write_out(outBuf: Any, bOff: int, data: bytes, name: str = "outBuf") -> int:
    """Write ``data`` at ``outBuf[bOff]`` (bounds first, atomic); returns its length."""
    _check(outBuf, bOff, len(data), name)
    _write(outBuf, bOff, data, True)
    return len(data)


class BERTLV(Object):
    """Mirrors ``javacardx.framework.tlv.BERTLV``."""

    def __init__(self) -> None:
        self._tag_object: Any = None

    # --- what each subclass provides --------------------------------------------------------

    def _value_bytes(self) -> bytes:
        raise NotImplementedError

    def init(self, *args: Any) -> int:
        raise NotImplementedError

    # --- instance methods --------------------------------------------------------------------

    def _check_not_empty(self) -> None:
        if self._tag_object is None:
            raise TLVException(TLVException.EMPTY_TLV)

    def _encoding(self) -> bytes:
        self._check_not_empty()
        value = self._value_bytes()
        encoding = self._tag_object._current().encoding + encode_length(len(value)) + value
        if len(encoding) > MAX_SHORT:
            raise TLVException(TLVException.TLV_SIZE_GREATER_THAN_32767)
        return encoding

    def _get_tag(self) -> Any:
        """This TLV's tag object (the one given to ``init``, if any)."""
        self._check_not_empty()
        return self._tag_object

    def _length(self) -> int:
        """The length (L) of this TLV's value."""
        self._check_not_empty()
        length = len(self._value_bytes())
        if length > MAX_SHORT:
            raise TLVException(TLVException.TLV_LENGTH_GREATER_THAN_32767)
        return length

    @staticmethod
    def _static_length(berTLVArray: Any, bOff: int) -> int:
        """The length (L) of the TLV encoded at ``bOff``."""
        return read_tlv(snapshot(berTLVArray, bOff, "berTLVArray")).length

    getLength = Overloaded(0, _length, _static_length)

    def size(self) -> int:
        """The byte length of this TLV's encoding."""
        return len(self._encoding())

    def toBytes(self, outBuf: Any, bOff: int) -> int:
        """Write this TLV's encoding at ``outBuf[bOff]``; returns its length."""
        return write_out(outBuf, bOff, self._encoding())

    def _contains(self, other: Any) -> bool:
        """True if ``other`` is this TLV or inside it (constructed TLVs say more)."""
        return other is self

    # --- static methods ----------------------------------------------------------------------

    @staticmethod
    def getInstance(bArray: Any, bOff: int, bLen: int) -> BERTLV:
        """A ``PrimitiveBERTLV`` or ``ConstructedBERTLV`` holding the TLV encoded at ``bOff``."""
        from jcsim.x.framework.tlv.constructed_ber_tlv import build

        data = input_bytes(bArray, bOff, bLen)
        return build(data, 0, read_tlv(data))

    @staticmethod
    def verifyFormat(berTlvArray: Any, bOff: int, bLen: int) -> bool:
        """True if a well-formed TLV starts at ``bOff`` and ends within ``bLen`` bytes."""
        data = input_bytes(berTlvArray, bOff, bLen, "berTlvArray")
        try:
            read_tlv(data)
        except TLVException:
            return False
        return True

    @staticmethod
    def _static_tag(berTLVArray: Any, bTLVOff: int, berTagArray: Any, bTagOff: int) -> int:
        """Copy the tag of the TLV at ``bTLVOff`` to ``berTagArray``; returns its length."""
        header = read_tlv(snapshot(berTLVArray, bTLVOff, "berTLVArray"))
        return write_out(berTagArray, bTagOff, header.tag.encoding, "berTagArray")

    getTag = Overloaded(0, _get_tag, _static_tag)

    def _load(self, data: bytes, header: Any) -> int:
        raise NotImplementedError

