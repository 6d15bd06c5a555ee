"""Host-side errors of remote card access, all under ``jcsim.errors.JCSimError``."""

from __future__ import annotations

from jcsim.errors import JCSimError

__all__ = [
    "RemoteClosedError",
    "RemoteError",
    "RemoteProtocolError",
    "RemoteTimeoutError",
    "RemoteUsageError",
    "ScriptStatusError",
    "UnexpectedSWError",
]


class RemoteError(JCSimError):
    """Root of the errors of RAM over HTTP sessions."""


class RemoteUsageError(RemoteError, ValueError):
    """An unusable argument: an unknown profile, a URL that is not http(s), a header value with
    line breaks, a targeted application the card cannot select."""


class RemoteTimeoutError(RemoteError, TimeoutError):
    """The remote client did not answer a command in time; the session is closed."""


class RemoteClosedError(RemoteError, ConnectionError):
    """The session is over: the client closed it (E1), it timed out, or the server stopped."""


class RemoteProtocolError(RemoteError, ValueError):
    """The other side broke the protocol (a malformed template, a missing answer...)."""


class ScriptStatusError(RemoteError):
    """An Amendment B client answered with an X-Admin-Script-Status other than ``ok``
    (``unknown-application``, ``not-a-security-domain``, ``security-error``...)."""

    def __init__(self, message: str, status: str) -> None:
        super().__init__(message)
        self.status = status


class UnexpectedSWError(RemoteError):
    """``sendApdu`` got a status word outside its expected list; ``sw`` and ``data`` hold the
    card's answer."""

    def __init__(self, message: str, sw: int, data: bytes) -> None:
        super().__init__(message)
        self.sw = sw
        self.data = data
