"""The ``javacardx.biometry`` interfaces and exception (Java Card 3.0.5)."""

from __future__ import annotations

from typing import Any

from jcsim.framework.exceptions import CardRuntimeException
from jcsim.framework.interfaces import Shareable

__all__ = ["BioException", "BioTemplate", "OwnerBioTemplate", "SharedBioTemplate"]


class BioException(CardRuntimeException):
    """Mirrors ``javacardx.biometry.BioException``."""

    ILLEGAL_VALUE = 1
    INVALID_DATA = 2
    NO_SUCH_BIO_TEMPLATE = 3
    NO_TEMPLATES_ENROLLED = 4
    ILLEGAL_USE = 5


class BioTemplate:
    """Mirrors the ``javacardx.biometry.BioTemplate`` interface."""

    MINIMUM_SUCCESSFUL_MATCH_SCORE = 16384
    MATCH_NEEDS_MORE_DATA = -1

    def isInitialized(self) -> bool:
        raise NotImplementedError

    def isValidated(self) -> bool:
        raise NotImplementedError

    def reset(self) -> None:
        raise NotImplementedError

    def getTriesRemaining(self) -> int:
        raise NotImplementedError

    def getBioType(self) -> int:
        raise NotImplementedError

    def getVersion(self, dest: Any, offset: int) -> int:
        raise NotImplementedError

    def getPublicTemplateData(self, publicOffset: int, dest: Any, destOffset: int,
                              length: int) -> int:
        raise NotImplementedError

    def initMatch(self, candidate: Any, offset: int, length: int) -> int:
        raise NotImplementedError

    def match(self, candidate: Any, offset: int, length: int) -> int:
        raise NotImplementedError


class OwnerBioTemplate(BioTemplate):
    """Mirrors the ``javacardx.biometry.OwnerBioTemplate`` interface."""

    def init(self, bArray: Any, offset: int, length: int) -> None:
        raise NotImplementedError

    def update(self, bArray: Any, offset: int, length: int) -> None:
        raise NotImplementedError

    def doFinal(self) -> None:
        raise NotImplementedError

    def resetUnblockAndSetTryLimit(self, newTryLimit: int) -> None:
        raise NotImplementedError


class SharedBioTemplate(BioTemplate, Shareable):
    """Mirrors the ``javacardx.biometry.SharedBioTemplate`` interface: what an owner applet
    implements on the object it shares with other applets."""
