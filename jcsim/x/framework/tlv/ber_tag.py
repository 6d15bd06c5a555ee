"""BER tags: the abstract ``BERTag`` and its ``PrimitiveBERTag`` and ``ConstructedBERTag``.

Mirrors ``javacardx.framework.tlv.BERTag`` and subclasses (Java Card 3.0.5). A tag object is an
on-card object whose one field (the decoded tag, with its encoding as read) is journaled; an
empty tag (never initialized) answers ``TLVException.EMPTY_TAG``. Two tags are equal when their
encodings are: EMV's 82 and 9F02 decode to the same class and number but are different tags.
Encoding rules and limits: ``jcsim.x.framework.tlv._codec``.
"""

from __future__ import annotations

from typing import Any

from jcsim.framework.card_object import Object
from jcsim.framework.util import _check, _write
from jcsim.x.framework.tlv._codec import Tag, make_tag, read_tag, snapshot
from jcsim.x.framework.tlv._overload import Overloaded
from jcsim.x.framework.tlv.tlv_exception import TLVException

__all__ = ["BERTag", "ConstructedBERTag", "PrimitiveBERTag"]


def _parse(bArray: Any, bOff: int) -> Tag:
    return read_tag(snapshot(bArray, bOff, "bArray"))[0]


class BERTag(Object):
    """Mirrors ``javacardx.framework.tlv.BERTag``."""

    BER_TAG_CLASS_MASK_UNIVERSAL = 0
    BER_TAG_CLASS_MASK_APPLICATION = 1
    BER_TAG_CLASS_MASK_CONTEXT_SPECIFIC = 2
    BER_TAG_CLASS_MASK_PRIVATE = 3
    BER_TAG_TYPE_CONSTRUCTED = True
    BER_TAG_TYPE_PRIMITIVE = False

    _constructed_type = False

    def __init__(self) -> None:
        self._tag: Tag | None = None

    @staticmethod
    def getInstance(bArray: Any, bOff: int) -> BERTag:
        """A ``PrimitiveBERTag`` or ``ConstructedBERTag`` from the encoding at ``bOff``."""
        tag = _parse(bArray, bOff)
        made = ConstructedBERTag() if tag.constructed else PrimitiveBERTag()
        made._tag = tag
        return made

    def init(self, *args: Any) -> None:
        """``init(bArray, bOff)`` from an encoding, or ``init(tagClass, tagNumber)``;
        MALFORMED_TAG for an encoding of the other type."""
        if len(args) != 2:
            raise TypeError("init takes (bArray, bOff) or (tagClass, tagNumber)")
        if isinstance(args[0], int):
            self._tag = make_tag(args[0], self._constructed_type, args[1])
            return
        tag = _parse(*args)
        if tag.constructed != self._constructed_type:
            raise TLVException(TLVException.MALFORMED_TAG)
        self._tag = tag

    def _current(self) -> Tag:
        if self._tag is None:
            raise TLVException(TLVException.EMPTY_TAG)
        return self._tag

    def equals(self, otherTag: Any) -> bool:
        """True if ``otherTag`` is a tag with the same encoding; never raises."""
        return isinstance(otherTag, BERTag) and self._tag is not None and \
            otherTag._tag is not None and self._tag.encoding == otherTag._tag.encoding

    def _size(self) -> int:
        """The byte length of this tag's encoding."""
        return len(self._current().encoding)

    @staticmethod
    def _static_size(berTagArray: Any, bOff: int) -> int:
        """The byte length of the tag encoded at ``bOff``."""
        return len(_parse(berTagArray, bOff).encoding)

    size = Overloaded(0, _size, _static_size)

    def _to_bytes(self, outBuf: Any, bOffset: int) -> int:
        """Write this tag's encoding; returns its length."""
        encoding = self._current().encoding
        _check(outBuf, bOffset, len(encoding), "outBuf")
        _write(outBuf, bOffset, encoding, True)
        return len(encoding)

    @staticmethod
    def _static_to_bytes(tagClass: int, isConstructed: bool, tagNumber: int, outArray: Any,
                         bOff: int) -> int:
        """Write the shortest encoding of that tag; returns its length."""
        encoding = make_tag(tagClass, isConstructed, tagNumber).encoding
        _check(outArray, bOff, len(encoding), "outArray")
        _write(outArray, bOff, encoding, True)
        return len(encoding)

    toBytes = Overloaded(2, _to_bytes, _static_to_bytes)

    def _tag_number(self) -> int:
        """This tag's number."""
        return self._current().number

    @staticmethod
    def _static_tag_number(berTagArray: Any, bOff: int) -> int:
        """The number of the tag encoded at ``bOff``."""
        return _parse(berTagArray, bOff).number

    tagNumber = Overloaded(0, _tag_number, _static_tag_number)

    def _is_constructed(self) -> bool:
        """True if this tag is constructed."""
        return self._current().constructed

    @staticmethod
    def _static_is_constructed(berTagArray: Any, bOff: int) -> bool:
        """True if the tag encoded at ``bOff`` is constructed."""
        return _parse(berTagArray, bOff).constructed

    isConstructed = Overloaded(0, _is_constructed, _static_is_constructed)

    def _tag_class(self) -> int:
        """This tag's ``BER_TAG_CLASS_MASK_*``."""
        return self._current().tag_class

    @staticmethod
    def _static_tag_class(berTagArray: Any, bOff: int) -> int:
        """The class of the tag encoded at ``bOff``."""
        return _parse(berTagArray, bOff).tag_class

    tagClass = Overloaded(0, _tag_class, _static_tag_class)

    @staticmethod
    def verifyFormat(berTagArray: Any, bOff: int) -> bool:
        """True if a well-formed tag is encoded at ``bOff``."""
        data = snapshot(berTagArray, bOff, "berTagArray")
        try:
            read_tag(data)
        except TLVException:
            return False
        return True


class PrimitiveBERTag(BERTag):
    """Mirrors ``javacardx.framework.tlv.PrimitiveBERTag``."""

    _constructed_type = False


class ConstructedBERTag(BERTag):
    """Mirrors ``javacardx.framework.tlv.ConstructedBERTag``."""

    _constructed_type = True
