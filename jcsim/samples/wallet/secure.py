"""The host's end of the wallet's secure channel: an SCP03 session with the card's issuer
security domain keys, opened through the wallet (which forwards INITIALIZE UPDATE and EXTERNAL
AUTHENTICATE to ``SecureChannel.processSecurity``), over any way of sending one APDU.

``SecureLink(send)`` takes ``send(command bytes) -> Response`` (a ``Simulator``'s or a RAM over
HTTP session's ``transmit``), so the same code protects a card in this process and a card at
the far end of an untrusted network. It uses ``jcsim.gp``'s sans-IO session for the
cryptography and adds what the wallet's answers need:

- an answer with 9000 is unwrapped (R-MAC checked, data decrypted at level 33);
- any other status word comes as the card sent it: the GlobalPlatform Card API protects only
  answers an applet sends with ``SecureChannel.wrap``, and the wallet's errors (6982, 63Cx,
  6A85, ...) are thrown, so they carry no R-MAC. The wallet's protocol never settles value on a
  status word, so a forged one can at worst make a session fail;
- a 9000 answer whose R-MAC is wrong raises ``ResponseCheckError`` and ends the host session.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from jcsim.apdu import CommandAPDU, Response
from jcsim.gp import (
    AuthenticationError,
    KeySet,
    SecureChannelError,
    SecureSession,
    initialize_update_command,
    open_session,
)

__all__ = ["ISD_KEY_VERSION", "SECURITY_LEVEL", "SecureLink", "SecureLinkError", "isd_keys"]

# Key set 30 of the issuer security domain: SCP03 (jcsim's card manager, GPCS Amd D).
ISD_KEY_VERSION = 0x30
# C-MAC, C-DECRYPTION, R-MAC, R-ENCRYPTION: the PIN and the profile never cross in clear.
SECURITY_LEVEL = 0x33
SW_OK = 0x9000


def isd_keys() -> KeySet:
    """The issuer security domain's SCP03 key set as the card leaves the factory (the
    GlobalPlatform test keys 40..4F, version 30)."""
    return KeySet.default(ISD_KEY_VERSION)


class SecureLinkError(SecureChannelError):
    """The secure channel could not be opened: ``sw`` is the card's answer when it refused."""

    def __init__(self, message: str, sw: int | None = None) -> None:
        super().__init__(message)
        self.sw = sw


class SecureLink:
    """SCP03 with the wallet over ``send`` (see the module documentation)."""

    def __init__(self, send: Callable[[bytes], Any], keys: KeySet | None = None,
                 security_level: int = SECURITY_LEVEL,
                 random_bytes: Callable[[int], bytes] = os.urandom) -> None:
        self._send = send
        self.keys = keys or isd_keys()
        self.security_level = security_level
        self.random_bytes = random_bytes
        self.session: SecureSession | None = None

    @property
    def is_open(self) -> bool:
        return self.session is not None and self.session.is_open

    def _exchange(self, command: bytes) -> Response:
        response = self._send(command)
        return response if isinstance(response, Response) else Response.from_bytes(response)

    def open(self) -> None:
        """INITIALIZE UPDATE and EXTERNAL AUTHENTICATE to the selected wallet; raises
        ``SecureLinkError`` when the card refuses or proves it does not hold the keys."""
        self.session = None
        challenge = self.random_bytes(8)
        answer = self._exchange(initialize_update_command(self.keys.version, challenge))
        if answer.sw != SW_OK:
            raise SecureLinkError(f"INITIALIZE UPDATE answered {answer.sw:04X}", answer.sw)
        try:
            session = open_session(self.keys, challenge, answer.data, self.security_level)
        except AuthenticationError as exc:
            raise SecureLinkError(str(exc)) from exc
        answer = self._exchange(session.external_authenticate())
        try:
            session.receive_external_authenticate(bytes(answer))
        except AuthenticationError as exc:
            raise SecureLinkError(str(exc), answer.sw) from exc
        self.session = session

    def wrap(self, command: CommandAPDU | bytes) -> bytes:
        """The command as it goes on the wire under the open session."""
        if self.session is None:
            raise SecureLinkError("the secure channel is not open")
        return self.session.wrap(bytes(command))

    def unwrap(self, response: Response) -> Response:
        """A response as the wallet meant it (see the module documentation)."""
        if response.sw != SW_OK or self.session is None:
            return response
        return Response.from_bytes(self.session.unwrap(bytes(response)))

    def transmit(self, command: CommandAPDU | bytes) -> Response:
        """Send ``command`` (plain CLA 80) protected; returns the unwrapped response."""
        return self.unwrap(self._exchange(self.wrap(command)))
