"""The errors of the Java Card RMI host client (``jcsim.rmi.client`` raises and re-exports them).

A remote method's exception comes back as an instance of a class that derives from both
``CardExceptionError`` and the Java exception class the card named (§8.3.5.2), so either
``except`` catches it.
"""

from __future__ import annotations

import functools

from jcsim.errors import JCSimError
from jcsim.rmi import wire
from jcsim.rmi.exception_types import EXCEPTION_CLASSES
from jcsim.rmi.remote import RemoteMethod
from jcsim.rmi.wire import ExceptionResponse

__all__ = [
    "CardExceptionError",
    "JCRMIError",
    "JCRMIProtocolError",
    "RemoteArgumentError",
    "RemoteInvocationError",
    "UnknownRemoteTypeError",
    "exception_class",
]


class JCRMIError(JCSimError):
    """Root of the Java Card RMI client's errors."""


class JCRMIProtocolError(JCRMIError, ValueError):
    """The card's answer does not follow the protocol (``sw``: its status word, if that is
    what was wrong)."""

    def __init__(self, message: str, sw: int | None = None) -> None:
        super().__init__(message)
        self.sw = sw


class RemoteArgumentError(JCRMIError, ValueError):
    """Arguments that the method's Java signature cannot carry (wrong count, out of range, too
    long for a short APDU)."""


class UnknownRemoteTypeError(JCRMIError, LookupError):
    """A reference names a class or interface the host has not declared."""


class RemoteInvocationError(JCRMIError):
    """The card answered an error response (tag 99): ``error_detail`` says why."""

    def __init__(self, detail: int, what: str = "") -> None:
        meaning = wire.ERROR_MEANINGS.get(detail, "unknown error")
        super().__init__(f"{what + ': ' if what else ''}{meaning} (error {detail:04X})")
        self.error_detail = detail
        self.meaning = meaning


class CardExceptionError(JCRMIError):
    """A remote method threw on the card (tag 82, or 83 for a subclass of an API exception).

    Raised as an instance of a subclass that also derives from the Java exception class the
    card named (``UserException``, ``ISOException``...), so both ``except UserException`` and
    ``except CardExceptionError`` catch it; ``getReason()`` works as in Java.
    """

    java_type: str
    type_code: int
    reason: int
    subclass: bool

    def __init__(self, outcome: ExceptionResponse, method: RemoteMethod | None = None) -> None:
        what = f"{method.signature} threw " if method is not None else "the card threw "
        kind = "a subclass of " if outcome.subclass else ""
        Exception.__init__(self, f"{what}{kind}{outcome.java_type} on the card, "
                                 f"reason {outcome.reason:#06x}")
        self.java_type = outcome.java_type
        self.type_code = outcome.type_code
        self.reason = outcome.reason
        self.subclass = outcome.subclass
        self.method = method
        self._reason = outcome.reason  # what a Java Card exception's getReason() returns

    def __str__(self) -> str:
        return str(self.args[0])




@functools.cache
def exception_class(type_code: int) -> type[CardExceptionError]:
    """The class raised for exception type ``type_code``: ``RemoteUserException`` for 0x27
    (a ``CardExceptionError`` and a ``UserException``), and so on."""
    java = EXCEPTION_CLASSES.get(type_code)
    if java is None:
        return CardExceptionError
    return type(f"Remote{java.__name__}", (CardExceptionError, java),
                {"__module__": __name__, "__doc__": f"{java.__name__} thrown on the card."})
