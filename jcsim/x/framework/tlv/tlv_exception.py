"""Mirrors ``javacardx.framework.tlv.TLVException`` with the specification's reason codes."""

from __future__ import annotations

from jcsim.framework.exceptions import CardRuntimeException

__all__ = ["TLVException"]


class TLVException(CardRuntimeException):
    """Mirrors ``javacardx.framework.tlv.TLVException``."""

    INVALID_PARAM = 1
    ILLEGAL_SIZE = 2
    EMPTY_TAG = 3
    EMPTY_TLV = 4
    MALFORMED_TAG = 5
    MALFORMED_TLV = 6
    INSUFFICIENT_STORAGE = 7
    TAG_SIZE_GREATER_THAN_127 = 8
    TAG_NUMBER_GREATER_THAN_32767 = 9
    TLV_SIZE_GREATER_THAN_32767 = 10
    TLV_LENGTH_GREATER_THAN_32767 = 11
