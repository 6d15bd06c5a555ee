"""The ``javacard.framework`` exception family with the specification's reason codes.

Mirrors ``javacard.framework.CardException``, ``CardRuntimeException`` and their subclasses
(Java Card 3.0.5 API). Deviation: ``throwIt`` raises a fresh instance instead of the JCRE-owned
singleton Java uses, so tracebacks stay useful; ``getReason`` is the same either way.
Reasons are stored as unsigned 16-bit values, so ``ISOException.getReason()`` gives ``0x6A82``
rather than Java's negative short.
"""

from __future__ import annotations

from typing import NoReturn

from jcsim.lang import Exception as JavaException
from jcsim.lang import RuntimeException

__all__ = [
    "APDUException",
    "CardException",
    "CardRuntimeException",
    "CryptoException",
    "ISOException",
    "PINException",
    "ServiceException",
    "SystemException",
    "TransactionException",
    "UserException",
    "UtilException",
]


class _ReasonMixin(Exception):
    """Shared ``getReason`` / ``setReason`` / ``throwIt`` of the Java Card exceptions."""

    _reason: int

    def __init__(self, reason: int = 0) -> None:
        super().__init__(reason)
        self._reason = reason & 0xFFFF

    def getReason(self) -> int:
        """Mirrors ``CardException.getReason``."""
        return self._reason

    def setReason(self, reason: int) -> None:
        """Mirrors ``CardException.setReason``."""
        self._reason = reason & 0xFFFF
        self.args = (reason,)

    @classmethod
    def throwIt(cls, reason: int) -> NoReturn:
        """Mirrors ``CardException.throwIt``: raise this exception type with ``reason``."""
        raise cls(reason)

    def __str__(self) -> str:
        name = _reason_name(type(self), self._reason)
        return f"{type(self).__name__}({name})"


def _reason_name(cls: type, reason: int) -> str:
    for klass in cls.__mro__:
        for key, value in vars(klass).items():
            if key.isupper() and value == reason and isinstance(value, int):
                return f"{key}=0x{reason:X}" if reason > 9 else f"{key}={reason}"
    return f"0x{reason:04X}"


class CardException(_ReasonMixin, JavaException):
    """Mirrors ``javacard.framework.CardException``: the checked exceptions."""


class CardRuntimeException(_ReasonMixin, RuntimeException):
    """Mirrors ``javacard.framework.CardRuntimeException``."""


class ISOException(CardRuntimeException):
    """Mirrors ``javacard.framework.ISOException``: the reason is the status word sent."""

    def __str__(self) -> str:
        return f"ISOException(SW={self._reason:04X})"


class APDUException(CardRuntimeException):
    """Mirrors ``javacard.framework.APDUException``."""

    ILLEGAL_USE = 1
    BUFFER_BOUNDS = 2
    BAD_LENGTH = 3
    IO_ERROR = 4
    NO_T0_GETRESPONSE = 0xAA
    T1_IFD_ABORT = 0xAB
    NO_T0_REISSUE = 0xAC


class SystemException(CardRuntimeException):
    """Mirrors ``javacard.framework.SystemException``."""

    ILLEGAL_VALUE = 1
    NO_TRANSIENT_SPACE = 2
    ILLEGAL_TRANSIENT = 3
    ILLEGAL_AID = 4
    NO_RESOURCE = 5
    ILLEGAL_USE = 6


class TransactionException(CardRuntimeException):
    """Mirrors ``javacard.framework.TransactionException``."""

    IN_PROGRESS = 1
    NOT_IN_PROGRESS = 2
    BUFFER_FULL = 3
    INTERNAL_FAILURE = 4
    ILLEGAL_USE = 5


class PINException(CardRuntimeException):
    """Mirrors ``javacard.framework.PINException``."""

    ILLEGAL_VALUE = 1
    ILLEGAL_STATE = 2


class UtilException(CardRuntimeException):
    """Mirrors ``javacard.framework.UtilException``."""

    ILLEGAL_VALUE = 1
    TYPE_MISMATCHED = 2


class UserException(CardException):
    """Mirrors ``javacard.framework.UserException``: an applet's own checked exception."""


class ServiceException(CardRuntimeException):
    """Mirrors ``javacard.framework.service.ServiceException``."""

    ILLEGAL_PARAM = 1
    DISPATCH_TABLE_FULL = 2
    COMMAND_DATA_TOO_LONG = 3
    CANNOT_ACCESS_IN_COMMAND = 4
    CANNOT_ACCESS_OUT_COMMAND = 5
    COMMAND_IS_FINISHED = 6
    REMOTE_OBJECT_NOT_EXPORTED = 7


class CryptoException(CardRuntimeException):
    """Mirrors ``javacard.security.CryptoException``."""

    ILLEGAL_VALUE = 1
    UNINITIALIZED_KEY = 2
    NO_SUCH_ALGORITHM = 3
    INVALID_INIT = 4
    ILLEGAL_USE = 5
