"""The secure channel of the SecurePurse sample: what card and host agree on.

Authentication (handled by ``MySecurityService`` before the RMI service sees anything)::

    80 20 00 <principal> 0C <PIN, 4 ASCII digits> <host challenge, 8 bytes> 08
    -> <card challenge, 8 bytes> 90 00        (or 63 Cx: wrong PIN, x tries left; 69 83: blocked)

``principal`` is ``SecurityService.PRINCIPAL_CARDHOLDER`` (1) or ``PRINCIPAL_APP_PROVIDER`` (3).
Both sides then derive the session key ``Ks = AES-CMAC(K, 01 || principal || host challenge ||
card challenge)`` from the 16-byte key ``K`` personalised into the applet. Every later
proprietary command (CLA b8 = 1) carries, after its data, a 2-byte counter that must grow
from one command to the next and an 8-byte MAC::

    MAC = AES-CMAC(Ks, CLA INS P1 P2 || data || counter), first 8 bytes

so a changed byte (a tampered command) or a command sent again (a replay) is not accepted as
integrity-protected. The applet's personalisation (install parameters, applet data) is the
cardholder PIN, the application provider PIN and K: 4 + 4 + 16 bytes.
"""

from __future__ import annotations

__all__ = [
    "CHALLENGE_LENGTH",
    "COUNTER_LENGTH",
    "INS_AUTHENTICATE",
    "KEY_LENGTH",
    "MAC_LENGTH",
    "PERSONALISATION_LENGTH",
    "PIN_LENGTH",
    "personalisation",
]

INS_AUTHENTICATE = 0x20
PIN_LENGTH = 4
CHALLENGE_LENGTH = 8
KEY_LENGTH = 16
COUNTER_LENGTH = 2
MAC_LENGTH = 8
DERIVATION_TAG = 0x01
PERSONALISATION_LENGTH = 2 * PIN_LENGTH + KEY_LENGTH


def personalisation(cardholder_pin: str, provider_pin: str, mac_key: bytes) -> bytes:
    """The install parameters (applet data) of a ``SecurePurseApplet``."""
    pins = (cardholder_pin.encode("ascii"), provider_pin.encode("ascii"))
    if any(len(p) != PIN_LENGTH or not p.isdigit() for p in pins):
        raise ValueError(f"a PIN is {PIN_LENGTH} digits")
    if len(mac_key) != KEY_LENGTH:
        raise ValueError(f"the MAC key has {KEY_LENGTH} bytes")
    return pins[0] + pins[1] + bytes(mac_key)
