"""What SCP02 and SCP03 sessions share: the security level bits, the session states, parsing a
short command APDU, and refusing a command (GlobalPlatform Card Specification v2.3 §10).

Theory of operation. A session lives on one logical channel and belongs to the application
selected there (the issuer security domain, or an applet using it through
``GPSystem.getSecureChannel``). It moves through three states:

    NONE --INITIALIZE UPDATE--> INITIATED --EXTERNAL AUTHENTICATE ok--> AUTHENTICATED
      ^                              |                                         |
      +---- any failure, resetSecurity, reset, channel closed, (re)selection --+

INITIALIZE UPDATE in any state starts over (the previous session ends). A failed EXTERNAL
AUTHENTICATE, a command whose C-MAC or padding is wrong, or a command that lacks the protection
the session's level asks for, closes the session: its keys are forgotten and the level is back
to NO_SECURITY_LEVEL, so every later protected command is refused too.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn, Protocol

import attrs

from jcsim.framework.exceptions import ISOException

if TYPE_CHECKING:
    from jcsim.runtime.registry import AppletRecord

__all__ = [
    "ANY_AUTHENTICATED",
    "AUTHENTICATED",
    "C_DECRYPTION",
    "C_MAC",
    "NO_SECURITY_LEVEL",
    "R_ENCRYPTION",
    "R_MAC",
    "SW_AUTHENTICATION_FAILED",
    "SW_SECURITY_NOT_SATISFIED",
    "Command",
    "SessionState",
    "refuse",
    "sm_bit",
]

# Security level bits (GP Card API org.globalplatform.SecureChannel, GPCS Table 10-1).
NO_SECURITY_LEVEL = 0x00
C_MAC = 0x01
C_DECRYPTION = 0x02
R_MAC = 0x10
R_ENCRYPTION = 0x20
ANY_AUTHENTICATED = 0x40
AUTHENTICATED = 0x80

SW_AUTHENTICATION_FAILED = 0x6300  # the host cryptogram does not verify
SW_SECURITY_NOT_SATISFIED = 0x6982  # a wrong C-MAC, missing protection, no session


class SessionState:
    NONE = "none"
    INITIATED = "initiated"
    AUTHENTICATED = "authenticated"


def refuse(sw: int) -> NoReturn:
    raise ISOException(sw)


def sm_bit(cla: int) -> int:
    # ISO 7816-4: b3 in a first-interindustry-style class (channels 0-3), b6 in a further one.
    return 0x20 if cla & 0x40 else 0x04


class SecureSession(Protocol):
    """What the card manager, ``SecureChannel`` and a logical channel use of a session, SCP02
    (``scp02.Scp02Session``) or SCP03 (``scp03.Scp03Session``)."""

    protocol: int  # 2 or 3
    kvn: int
    static_dek: bytes
    state: str  # a SessionState
    level: int  # the security level: NO_SECURITY_LEVEL, or AUTHENTICATED | C_MAC | ...
    # The application that opened the session (the issuer security domain, or an applet
    # through GPSystem.getSecureChannel); None until INITIALIZE UPDATE names it.
    owner: AppletRecord | None

    def initialize_update(self, host_challenge: bytes, card_challenge: bytes,
                          sequence: bytes, diversification: bytes) -> bytes: ...

    def external_authenticate(self, raw: bytes) -> None: ...

    def unwrap(self, raw: bytes) -> bytes: ...

    def wrap(self, data: bytes, sw: int) -> bytes: ...

    def response_overhead(self) -> int: ...

    def decrypt_data(self, data: bytes) -> bytes: ...

    def encrypt_data(self, data: bytes) -> bytes: ...

    def close(self) -> None: ...


@attrs.define
class Command:
    """A short command APDU taken apart: header, data, and Le when present."""

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes
    le: bytes  # b"" when absent, else the one Le byte

    @classmethod
    def parse(cls, raw: bytes) -> Command:
        """Cases 1-4 in short form; anything else is 6700."""
        if len(raw) < 4:
            refuse(0x6700)
        if len(raw) <= 5:
            return cls(raw[0], raw[1], raw[2], raw[3], b"", raw[4:5])
        lc = raw[4]
        if lc == 0 or len(raw) not in (5 + lc, 6 + lc):
            refuse(0x6700)
        return cls(raw[0], raw[1], raw[2], raw[3], raw[5:5 + lc], raw[5 + lc:])

    def header(self, cla: int | None = None) -> bytes:
        return bytes((self.cla if cla is None else cla, self.ins, self.p1, self.p2))

    def encode(self) -> bytes:
        body = bytes((len(self.data),)) + self.data if self.data else b""
        return self.header() + body + self.le
