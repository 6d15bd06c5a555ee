"""The card's GlobalPlatform services for applets: life cycle states, the secure channel, the
global PIN.

Mirrors ``org.globalplatform.GPSystem`` (GlobalPlatform Card API). ``lockCard`` needs the Card
Lock privilege and ``terminateCard`` the Card Terminate privilege (privileges byte 1, b5 and
b4, given at installation); without it they return false. ``setCardContentState`` accepts the
application-specific states (07 with bits among b4-b7; not LOCKED, which belongs to a security
domain).
"""

from __future__ import annotations

from typing import Any

from jcsim.globalplatform._gp import active_port

__all__ = ["GPSystem"]


class GPSystem:
    """Mirrors ``org.globalplatform.GPSystem``."""

    APPLICATION_INSTALLED = 0x03
    APPLICATION_SELECTABLE = 0x07
    SECURITY_DOMAIN_PERSONALIZED = 0x0F
    CARD_OP_READY = 0x01
    CARD_INITIALIZED = 0x07
    CARD_SECURED = 0x0F
    CARD_LOCKED = 0x7F
    CARD_TERMINATED = -1  # (byte) 0xFF
    CVM_GLOBAL_PIN = 0x11
    FAMILY_CVM = -128  # (byte) 0x80
    FAMILY_SECURE_CHANNEL = -127  # (byte) 0x81
    FAMILY_HTTP_ADMINISTRATION = -126  # (byte) 0x82
    FAMILY_HTTP_REPORT = -125  # (byte) 0x83
    FAMILY_USSM = -96  # (byte) 0xA0

    @staticmethod
    def getCardState() -> int:
        """The card life cycle state (a Java byte)."""
        return active_port().card_state()

    @staticmethod
    def getCardContentState() -> int:
        """The life cycle state of the calling application (a Java byte)."""
        return active_port().content_state()

    @staticmethod
    def setCardContentState(bState: int) -> bool:
        """Move the calling application to an application-specific state."""
        return active_port().set_content_state(bState)

    @staticmethod
    def getSecureChannel() -> Any:
        """The ``SecureChannel`` of the calling application's security domain."""
        return active_port().secure_channel()

    @staticmethod
    def lockCard() -> bool:
        return active_port().lock_card()

    @staticmethod
    def terminateCard() -> bool:
        return active_port().terminate_card()

    @staticmethod
    def getCVM(bCVMIdentifier: int) -> Any:
        """The global PIN for ``CVM_GLOBAL_PIN``, else null (None)."""
        return active_port().cvm(bCVMIdentifier)
