"""The secure purse's host side: ``CustomCardAccessor`` and the notes' SecurePurseClient.

``CustomCardAccessor`` is the programming notes' card accessor "for authentication and
signing": ``authenticate_user`` proves a principal's PIN to the card and derives the session
key; from then on ``exchange_apdu`` adds a counter and an AES-CMAC to every proprietary command
(``protocol`` has the bytes), so the JCRMIConnect above it needs no change. It wraps another
accessor, so the same client runs over the simulator or PC/SC.
"""

from __future__ import annotations

import os
from typing import Any

from cryptography.hazmat.primitives.ciphers import algorithms
from cryptography.hazmat.primitives.cmac import CMAC

from jcsim.apdu import decode_lengths
from jcsim.errors import JCSimError
from jcsim.framework.service import SecurityService
from jcsim.rmi.client import CardAccessor, JCRMIConnect
from jcsim.samples.securepurse.protocol import (
    CHALLENGE_LENGTH,
    DERIVATION_TAG,
    INS_AUTHENTICATE,
    KEY_LENGTH,
    MAC_LENGTH,
    PIN_LENGTH,
)

__all__ = ["AuthenticationError", "CustomCardAccessor", "secure_purse_client"]


def cmac(key: bytes, data: bytes) -> bytes:
    mac = CMAC(algorithms.AES(key))
    mac.update(data)
    return mac.finalize()


class AuthenticationError(JCSimError):
    """The card refused the PIN (``sw`` 63Cx: x tries left; 6983: blocked)."""

    def __init__(self, principal: int, sw: int) -> None:
        if sw & 0xFFF0 == 0x63C0:
            why = f"wrong PIN, {sw & 0x0F} tries left"
        elif sw == 0x6983:
            why = "the PIN is blocked"
        else:
            why = f"refused with {sw:04X}"
        super().__init__(f"authentication of principal {principal} failed: {why}")
        self.principal = principal
        self.sw = sw

    @property
    def tries_remaining(self) -> int | None:
        return self.sw & 0x0F if self.sw & 0xFFF0 == 0x63C0 else None


class CustomCardAccessor(CardAccessor):
    """Authenticates the user and MACs every command sent through ``transport``."""

    def __init__(self, transport: CardAccessor, mac_key: bytes) -> None:
        if len(mac_key) != KEY_LENGTH:
            raise ValueError(f"the MAC key has {KEY_LENGTH} bytes")
        self.transport = transport
        self.mac_key = bytes(mac_key)
        self.session_key: bytes | None = None
        self.counter = 0

    def transmit(self, command: bytes) -> bytes:
        return self.transport.transmit(command)

    def close(self) -> None:
        self.transport.close()

    def authenticate_user(self, principal: int, pin: str) -> None:
        """Prove ``pin`` for ``principal`` (``SecurityService.PRINCIPAL_CARDHOLDER`` or
        ``PRINCIPAL_APP_PROVIDER``) and start a new session key; raises
        ``AuthenticationError``."""
        pin_bytes = pin.encode("ascii")
        if len(pin_bytes) != PIN_LENGTH:
            raise ValueError(f"a PIN is {PIN_LENGTH} digits")
        host_challenge = os.urandom(CHALLENGE_LENGTH)
        data = pin_bytes + host_challenge
        command = (bytes((0x80, INS_AUTHENTICATE, 0x00, principal, len(data))) + data
                   + bytes((CHALLENGE_LENGTH,)))
        response = self.transport.exchange_apdu(command)
        sw = int.from_bytes(response[-2:], "big")
        if sw != 0x9000 or len(response) != CHALLENGE_LENGTH + 2:
            raise AuthenticationError(principal, sw)
        card_challenge = response[:CHALLENGE_LENGTH]
        self.session_key = cmac(self.mac_key, bytes((DERIVATION_TAG, principal))
                                + host_challenge + card_challenge)
        self.counter = 0

    def protect(self, command: bytes) -> bytes:
        """``command`` with the next counter and its MAC after the data."""
        if self.session_key is None:
            return command
        lengths = decode_lengths(command)
        header = command[:4]
        data = command[lengths.cdata_offset:lengths.cdata_offset + lengths.nc]
        self.counter += 1
        signed = data + self.counter.to_bytes(2, "big")
        trailer = cmac(self.session_key, header + signed)[:MAC_LENGTH]
        body = signed + trailer
        if len(body) > 0xFF:
            raise ValueError("the command data and its MAC do not fit a short APDU")
        le = command[-1:] if lengths.le_present else b""
        return header + bytes((len(body),)) + body + le

    def exchange_apdu(self, command: bytes) -> bytes:
        command = bytes(command)
        if command[1:3] == b"\xA4\x04":
            # SELECT ends the card's session (MySecurityService forgets PINs and key): so
            # does the accessor.
            self.session_key = None
        elif (self.session_key is not None and command[0] & 0x80
              and command[1] != INS_AUTHENTICATE):
            command = self.protect(command)
        return self.transport.exchange_apdu(command)


def secure_purse_client(transport: CardAccessor, aid: Any, mac_key: bytes, *,
                        cardholder_pin: str, provider_pin: str) -> int:
    """The notes' SecurePurseClient: authenticate the application provider, credit 20, then
    the cardholder, debit 15; returns the balance."""
    accessor = CustomCardAccessor(transport, mac_key)
    connection = JCRMIConnect(accessor)
    connection.select_applet(aid)
    purse = connection.get_initial_reference()
    accessor.authenticate_user(SecurityService.PRINCIPAL_APP_PROVIDER, provider_pin)
    purse.credit(20)
    accessor.authenticate_user(SecurityService.PRINCIPAL_CARDHOLDER, cardholder_pin)
    purse.debit(15)
    return purse.getBalance()
