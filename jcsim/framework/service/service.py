"""The service interfaces: ``Service``, ``RemoteService`` and ``SecurityService``.

Mirrors ``javacard.framework.service.Service``, ``RemoteService`` and ``SecurityService``
(Java Card 3.0.5). A service class derives from ``BasicService`` and from the interfaces it
implements. The PROPERTY_* values are bit masks and may be added together.
"""

from __future__ import annotations

from typing import Any

__all__ = ["RemoteService", "SecurityService", "Service"]


class Service:
    """Mirrors ``javacard.framework.service.Service``: one step of command processing."""

    def processDataIn(self, apdu: Any) -> bool:
        """Pre-process the input data; True when the input phase is complete."""
        raise NotImplementedError

    def processCommand(self, apdu: Any) -> bool:
        """Process the command; True when the command phase is complete."""
        raise NotImplementedError

    def processDataOut(self, apdu: Any) -> bool:
        """Post-process the output data; True when the output phase is complete."""
        raise NotImplementedError


class RemoteService(Service):
    """Mirrors ``javacard.framework.service.RemoteService``: remote object access services."""


class SecurityService(Service):
    """Mirrors ``javacard.framework.service.SecurityService``: the security status of the
    session and of the current command, as a security service established it."""

    PROPERTY_INPUT_CONFIDENTIALITY = 1
    PROPERTY_INPUT_INTEGRITY = 2
    PROPERTY_OUTPUT_CONFIDENTIALITY = 4
    PROPERTY_OUTPUT_INTEGRITY = 8

    PRINCIPAL_CARDHOLDER = 1
    PRINCIPAL_CARD_ISSUER = 2
    PRINCIPAL_APP_PROVIDER = 3

    def isAuthenticated(self, principal: int) -> bool:
        """True if ``principal`` is authenticated in this card session (ServiceException
        ILLEGAL_PARAM for an unknown principal)."""
        raise NotImplementedError

    def isChannelSecure(self, properties: int) -> bool:
        """True if the session's secure channel guarantees ``properties``."""
        raise NotImplementedError

    def isCommandSecure(self, properties: int) -> bool:
        """True if the current command was protected with ``properties``."""
        raise NotImplementedError
