"""The secure channel of the application's security domain, as applets use it.

Mirrors ``org.globalplatform.SecureChannel`` (GlobalPlatform Card API): ``processSecurity``
handles INITIALIZE UPDATE / EXTERNAL AUTHENTICATE forwarded by the applet, ``unwrap`` checks
and strips a command's protection in the APDU buffer, ``wrap`` protects response data,
``decryptData`` / ``encryptData`` use the session's data encryption key. The session belongs to
the logical channel of the current command.

``unwrap`` leaves a command without secure messaging in its class byte untouched: the applet
checks both that the command came protected (the class byte, before ``unwrap``) and that the
session's level (``getSecurityLevel``) is what the command needs. A protected command whose
C-MAC or padding is wrong throws ISOException 6982 and closes the session.
"""

from __future__ import annotations

from typing import Any

from jcsim.framework.interfaces import Shareable

__all__ = ["SecureChannel"]


class SecureChannel(Shareable):
    """Mirrors ``org.globalplatform.SecureChannel``."""

    NO_SECURITY_LEVEL = 0x00
    C_MAC = 0x01
    C_DECRYPTION = 0x02
    R_MAC = 0x10
    R_ENCRYPTION = 0x20
    ANY_AUTHENTICATED = 0x40
    AUTHENTICATED = -128  # (byte) 0x80

    def processSecurity(self, apdu: Any) -> int:
        raise NotImplementedError

    def wrap(self, baBuffer: Any, sOffset: int, sLength: int) -> int:
        raise NotImplementedError

    def unwrap(self, baBuffer: Any, sOffset: int, sLength: int) -> int:
        raise NotImplementedError

    def decryptData(self, baBuffer: Any, sOffset: int, sLength: int) -> int:
        raise NotImplementedError

    def encryptData(self, baBuffer: Any, sOffset: int, sLength: int) -> int:
        raise NotImplementedError

    def resetSecurity(self) -> None:
        raise NotImplementedError

    def getSecurityLevel(self) -> int:
        raise NotImplementedError
