"""Card and application life cycle states (GlobalPlatform Card Specification v2.3 §5.1, §5.3;
SET STATUS §11.10).

Theory of operation. The card life cycle moves forward only:

    OP_READY (01) -> INITIALIZED (07) -> SECURED (0F) <-> CARD_LOCKED (7F)
    any state -> TERMINATED (FF)

The issuer security domain's SET STATUS (P1 = 80) and ``GPSystem.lockCard`` /
``terminateCard`` drive it; ``TRANSITIONS`` lists every allowed step and anything else is 6985.
While the card is CARD_LOCKED only the issuer security domain can be selected; once TERMINATED
the issuer security domain answers GET DATA and nothing else, and no applet can be selected.
Privileged commands need an authenticated secure channel from SECURED on.

Application states: INSTALLED (03), SELECTABLE (07), application-specific states (07 with any
of b4-b7 set, set by the application itself through ``GPSystem.setCardContentState``), and
LOCKED (b8 set over the state it had). A LOCKED application cannot be selected.
"""

from __future__ import annotations

__all__ = [
    "APPLICATION_INSTALLED",
    "APPLICATION_LOCKED",
    "APPLICATION_SELECTABLE",
    "CARD_INITIALIZED",
    "CARD_LOCKED",
    "CARD_OP_READY",
    "CARD_SECURED",
    "CARD_TERMINATED",
    "TRANSITIONS",
    "card_transition_allowed",
]

CARD_OP_READY = 0x01
CARD_INITIALIZED = 0x07
CARD_SECURED = 0x0F
CARD_LOCKED = 0x7F
CARD_TERMINATED = 0xFF

APPLICATION_INSTALLED = 0x03
APPLICATION_SELECTABLE = 0x07
APPLICATION_LOCKED = 0x80

TRANSITIONS = frozenset({
    (CARD_OP_READY, CARD_INITIALIZED),
    (CARD_OP_READY, CARD_SECURED),
    (CARD_INITIALIZED, CARD_SECURED),
    (CARD_SECURED, CARD_LOCKED),
    (CARD_LOCKED, CARD_SECURED),
    (CARD_OP_READY, CARD_TERMINATED),
    (CARD_INITIALIZED, CARD_TERMINATED),
    (CARD_SECURED, CARD_TERMINATED),
    (CARD_LOCKED, CARD_TERMINATED),
})


def card_transition_allowed(current: int, new: int) -> bool:
    return (current, new) in TRANSITIONS


def is_application_state(value: int) -> bool:
    """A state an application may give itself: 07 with b4-b7 free (not b8: locking is the
    security domain's)."""
    return value & 0x87 == 0x07
