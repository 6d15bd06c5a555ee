"""``jcsim demo securepurse``: Java Card RMI behind a security service.

The programming notes' secure purse: a ``MySecurityService`` in the dispatcher's input phase
checks PINs and a MAC on every command before the RMI service calls ``SecurePurseImpl``, which
asks the security service whether the caller may do what it asks.
"""

from __future__ import annotations

from typing import Any

from jcsim.framework.service import SecurityService
from jcsim.rmi.client import (
    CardExceptionError,
    ForwardingCardAccessor,
    JCRMIConnect,
    SimulatorCardAccessor,
)
from jcsim.samples.purse.narration import Narrator
from jcsim.samples.securepurse.client import AuthenticationError, CustomCardAccessor
from jcsim.samples.securepurse.protocol import MAC_LENGTH, personalisation
from jcsim.samples.securepurse.purse import Purse
from jcsim.samples.securepurse.secure_purse_applet import SECURE_PURSE_AID, SecurePurseApplet

CARDHOLDER_PIN = "1234"
PROVIDER_PIN = "9876"
MAC_KEY = bytes.fromhex("404142434445464748494A4B4C4D4E4F")
CARDHOLDER = SecurityService.PRINCIPAL_CARDHOLDER
PROVIDER = SecurityService.PRINCIPAL_APP_PROVIDER


class Wire(ForwardingCardAccessor):
    """The line between terminal and card: keeps what passes, and can be made to flip a byte
    of the next command (a man in the middle)."""

    def __init__(self, inner: Any) -> None:
        super().__init__(inner)
        self.sent: list[bytes] = []
        self.tamper_next = False

    def exchange_apdu(self, command: bytes) -> bytes:
        if self.tamper_next:
            self.tamper_next = False
            changed = bytearray(command)
            changed[10] ^= 0x01  # the amount's low byte, after CLA INS P1 P2 Lc and the ids
            command = bytes(changed)
        self.sent.append(bytes(command))
        return super().exchange_apdu(command)


def _refused(say: Narrator, call: Any, what: str) -> None:
    try:
        call()
    except CardExceptionError as exc:
        say.caught(exc, Purse)
        return
    say.check(False, f"{what} should have been refused")


def run(walk) -> None:  # walk: jcsim.cli.demo.Walkthrough
    sim = walk.simulator()
    with Narrator(walk, ("jcsim.service", "jcsim.samples.securepurse")) as say:
        walk.step("Install and personalise", "SecurePurseApplet (jcsim.samples.securepurse): a "
                  "MySecurityService registered for the dispatcher's input phase, an "
                  "RMIService for SecurePurseImpl for the command phase. The install "
                  f"parameters carry the cardholder PIN ({CARDHOLDER_PIN}), the application "
                  f"provider PIN ({PROVIDER_PIN}) and the 16-byte AES key the session keys "
                  "are derived from.")
        sim.install(SecurePurseApplet, SECURE_PURSE_AID,
                    personalisation(CARDHOLDER_PIN, PROVIDER_PIN, MAC_KEY))

        walk.step("Connect and select", "The client's CustomCardAccessor sits between "
                  "JCRMIConnect and the card. SELECT also ends any previous session: no PIN "
                  "is validated, there is no session key.")
        line = Wire(SimulatorCardAccessor(sim))
        accessor = CustomCardAccessor(line, MAC_KEY)
        connection = JCRMIConnect(accessor, on_invoke=say.on_invoke)
        connection.select_applet(SECURE_PURSE_AID)
        say.card()
        purse = connection.get_initial_reference()
        say.note(f"host: {purse!r}")

        walk.step("getBalance() before authenticating", "getBalance needs the cardholder or "
                  "the application provider: SecurePurseImpl asks isAuthenticated() and throws "
                  "UserException(REQUEST_DENIED).")
        _refused(say, purse.getBalance, "getBalance without a principal")

        walk.step("A wrong PIN", "authenticate_user sends 80 20 00 01 with the PIN and a host "
                  "challenge. The security service processes it in the input phase (the RMI "
                  "service never sees it); the PIN is wrong, so the card answers 63 C2: two "
                  "tries left.")
        try:
            accessor.authenticate_user(CARDHOLDER, "0000")
        except AuthenticationError as exc:
            say.card()
            say.note(f"host: authenticate_user raised AuthenticationError: {exc}")
        else:
            say.check(False, "a wrong PIN was accepted")

        walk.step("The application provider credits 200", "With the right PIN the card "
                  "answers its own challenge; both sides derive the session key "
                  "AES-CMAC(K, 01 || principal || host challenge || card challenge). From now "
                  "on the accessor appends a counter and an 8-byte AES-CMAC to every command; "
                  "the security service checks and removes them before the RMI service "
                  "unmarshals the parameters.")
        accessor.authenticate_user(PROVIDER, PROVIDER_PIN)
        say.card()
        balance = purse.credit(200)
        command = line.sent[-1]
        say.note(f"host: the INVOKE went out as {command.hex(' ').upper()}: parameters 00 C8, "
                 f"counter {command[-1 - MAC_LENGTH - 2:-1 - MAC_LENGTH].hex(' ').upper()}, "
                 f"MAC {command[-1 - MAC_LENGTH:-1].hex(' ').upper()}")
        say.check(balance == 200, f"expected 200, got {balance}")
        say.note(f"balance: {balance}")

        walk.step("credit(500): over MAX_AMOUNT", "The command is authentic, the principal "
                  "is right, but the amount breaks a purse rule: REQUEST_FAILED.")
        _refused(say, lambda: purse.credit(500), "credit(500)")

        walk.step("The cardholder debits 50", "A new authentication (the cardholder's) gives "
                  "a new session key; debit needs the cardholder and an integrity-protected "
                  "command.")
        accessor.authenticate_user(CARDHOLDER, CARDHOLDER_PIN)
        say.card()
        balance = purse.debit(50)
        say.check(balance == 150, f"expected 150, got {balance}")
        say.note(f"balance: {balance}")
        captured = line.sent[-1]

        walk.step("A tampered command", "Someone on the line turns debit(10) into debit(11). "
                  "The MAC no longer matches, so isCommandSecure(PROPERTY_INPUT_INTEGRITY) is "
                  "false and SecurePurseImpl refuses: REQUEST_DENIED.")
        line.tamper_next = True
        _refused(say, lambda: purse.debit(10), "a tampered debit")
        balance = purse.getBalance()
        say.check(balance == 150, "a tampered debit changed the balance")
        say.note(f"balance: {balance} (unchanged)")

        walk.step("A replayed command", "The same someone sends the debit(50) command again, "
                  "byte for byte, MAC and all. Its counter is not above the last one the card "
                  "accepted, so it is not integrity-protected any more: REQUEST_DENIED.")
        response = line.exchange_apdu(captured)
        say.card()
        say.note(f"card answered {response.hex(' ').upper()}: exception response, "
                 "UserException 6003 = Purse.REQUEST_DENIED")
        say.check(response[:4] == bytes.fromhex("82276003"), "the replay was not refused")
        balance = purse.getBalance()
        say.check(balance == 150, "a replayed debit changed the balance")
        say.note(f"balance: {balance} (unchanged)")

        walk.step("The cardholder may not credit", "credit needs the application provider; "
                  "the cardholder's session cannot.")
        connection.select_applet(SECURE_PURSE_AID)
        say.card()
        purse = connection.get_initial_reference()
        accessor.authenticate_user(CARDHOLDER, CARDHOLDER_PIN)
        say.card()
        _refused(say, lambda: purse.credit(10), "a credit by the cardholder")
        walk.done(f"The purse holds {purse.getBalance()}. Each call was an INVOKE carrying a "
                  "counter and a MAC; the card refused the wrong PIN, the tampered and the "
                  "replayed command, and the requests its rules forbid.")
