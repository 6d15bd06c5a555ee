"""A cardholder verification method shared by the applications of the card (the global PIN).

Mirrors ``org.globalplatform.CVM``. ``verify`` compares a submitted value, given in ASCII, BCD
or hexadecimal digits, with the stored one; each failure spends a try and the CVM blocks at
zero. ``update``, ``setTryLimit`` and ``resetAndUnblockState`` need the CVM Management
privilege. The validated state lasts until a reset or ``resetState``.
"""

from __future__ import annotations

from typing import Any

from jcsim.framework.interfaces import Shareable

__all__ = ["CVM"]


class CVM(Shareable):
    """Mirrors ``org.globalplatform.CVM``."""

    CVM_SUCCESS = 0
    CVM_FAILURE = -1
    FORMAT_ASCII = 0x01
    FORMAT_BCD = 0x02
    FORMAT_HEX = 0x03

    def isActive(self) -> bool:
        raise NotImplementedError

    def isSubmitted(self) -> bool:
        raise NotImplementedError

    def isVerified(self) -> bool:
        raise NotImplementedError

    def isBlocked(self) -> bool:
        raise NotImplementedError

    def getTriesRemaining(self) -> int:
        raise NotImplementedError

    def update(self, baBuffer: Any, sOffset: int, bLength: int, bFormat: int) -> bool:
        raise NotImplementedError

    def resetState(self) -> bool:
        raise NotImplementedError

    def blockState(self) -> bool:
        raise NotImplementedError

    def resetAndUnblockState(self) -> bool:
        raise NotImplementedError

    def setTryLimit(self, bTryLimit: int) -> bool:
        raise NotImplementedError

    def verify(self, baBuffer: Any, sOffset: int, bLength: int, bFormat: int) -> int:
        raise NotImplementedError
