"""The issuer and merchant service: issues wallets and moves value on them through RAM over HTTP.

``WalletIssuer.perform(session, path_info)`` is a ``jcsim.remote.ScriptServer`` script (OpenSCDP
profile: it tells the cardholder what happened with notifications). The session's path says what
the cardholder asked for, one ``name=value`` per segment::

    /pay/amount=750/pin=1234      debit 7.50 for a purchase
    /topup/amount=2000/pin=1234   credit 20.00 (paid for by other means)
    /balance/pin=1234             settle anything outstanding and report the balance

The PIN travels in the session's URL the way the original's web form sent it to the server; run
the server with HTTPS (``--certfile``) outside a test bench. Between the server and the card it
travels only encrypted: after SELECT every command goes through an SCP03 secure channel at
level 33 (C-MAC, C-DECRYPTION, R-MAC, R-ENCRYPTION) opened with the issuer security domain's
keys, which the wallet reaches through ``org.globalplatform.SecureChannel``. A command altered
on the way fails its C-MAC at the card (6982, the card closes the session), an answer altered on
the way fails its R-MAC here; either way the issuer opens a new session and goes on from the
card's records. Every session runs the same steps: SELECT, open the secure channel, SUBMIT PIN,
READ the card number, look up the card's key, then *recovery*: LAST DEBIT
settles the card's last debit if the ledger does not have it yet (a response lost on the way),
open challenges the card did not use become void, LAST CREDIT applies a credit whose receipt
was lost, and a credit still only granted is sent again (the card applies it at most once).
Only then the request: a debit with a fresh challenge right after a fresh SUBMIT PIN, or a credit
(prepare, grant, attempt). The server believes only MACs: a status word or a missing answer
never settles anything, it sends the session to the card's records.
"""

from __future__ import annotations

import secrets
import threading
from typing import Any

import attrs

from jcsim.apdu import CommandAPDU, Response
from jcsim.gp import GPClient, GPCommandError, KeySet, ResponseCheckError
from jcsim.remote import RemoteError
from jcsim.samples.wallet import commands, macs, secure
from jcsim.samples.wallet.applet import SmartWallet
from jcsim.samples.wallet.ledger import Ledger
from jcsim.samples.wallet.protocol import (
    AID,
    CARD_CHALLENGE_LENGTH,
    CARD_NUMBER,
    CREDIT_RECORD_LENGTH,
    DEBIT_RECORD_LENGTH,
    MAC_LENGTH,
    MAX_BALANCE,
    PIN_MAX_LENGTH,
    PIN_MIN_LENGTH,
    SERVER_CHALLENGE_LENGTH,
    SW_BALANCE_LIMIT,
    SW_BLOCKED,
    SW_CHALLENGE_REUSED,
    SW_INSUFFICIENT_FUNDS,
    SW_PIN_REQUIRED,
    SW_WRONG_PIN,
    personalisation,
)
from jcsim.samples.wallet.secure import SecureLink, SecureLinkError
from jcsim.simulator import Simulator

__all__ = [
    "IssuedCard",
    "RefusedError",
    "Request",
    "SessionOutcome",
    "WalletIssuer",
    "money",
    "parse_request",
]

ACTIONS = ("pay", "topup", "balance")
# What the issuer makes of an answer whose R-MAC does not verify (ISO 7816-4: incorrect secure
# messaging data objects); it never comes from the card.
SW_NOT_VERIFIED = 0x6988
SCP02_KEY_VERSION = 0x20  # the factory's SCP02 key set in jcsim's issuer security domain


def money(value: int) -> str:
    """An amount in pence as pounds: ``money(750) == '£7.50'``."""
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(value) // 100}.{abs(value) % 100:02d}"


class RefusedError(Exception):
    """The request cannot be carried out; the message says why, for the cardholder."""


@attrs.frozen
class Request:
    """What the cardholder asked for in the session's path."""

    action: str
    pin: bytes
    amount: int | None = None


def parse_request(path_info: str) -> Request:
    """``/pay/amount=750/pin=1234`` and the like; raises ``RefusedError`` for anything else."""
    segments = [s for s in path_info.split("/") if s]
    actions = [s for s in segments if s in ACTIONS]
    if len(actions) != 1:
        raise RefusedError(f"the path names no action: use /{'|'.join(ACTIONS)}/name=value/...")
    fields = dict(s.partition("=")[::2] for s in segments[segments.index(actions[0]) + 1:])
    pin = fields.pop("pin", "")
    if not (pin.isdigit() and PIN_MIN_LENGTH <= len(pin) <= PIN_MAX_LENGTH):
        raise RefusedError(f"pin= takes {PIN_MIN_LENGTH} to {PIN_MAX_LENGTH} digits")
    amount = None
    if actions[0] != "balance":
        text = fields.pop("amount", "")
        if not text.isdigit() or not 1 <= int(text) <= MAX_BALANCE:
            raise RefusedError(f"amount= takes a number of pence from 1 to {MAX_BALANCE}")
        amount = int(text)
    if fields:
        raise RefusedError(f"unknown parameters: {', '.join(sorted(fields))}")
    return Request(actions[0], pin.encode("ascii"), amount)


@attrs.frozen
class SessionOutcome:
    """How a session ended, as the server saw it."""

    session_id: str
    action: str | None
    card_number: str | None
    ok: bool
    message: str
    recovery: tuple[str, ...] = ()
    balance: int | None = None


@attrs.frozen
class IssuedCard:
    card_number: str
    unblock_code: bytes


def _tell(session: Any, id: int, message: str) -> None:
    """Show the cardholder a message; only the OpenSCDP profile has notifications."""
    if session.profile.name == "openscdp":
        session.notify(id, message)


@attrs.define
class _Progress:
    """What a session has learnt so far, for its ``SessionOutcome``."""

    action: str | None = None
    card_number: str | None = None
    recovery: list[str] = attrs.Factory(list)


class _Card:
    """The wallet commands over one session's ``RemoteCard``: SELECT in clear, everything
    after it through the secure channel (``jcsim.samples.wallet.secure``)."""

    def __init__(self, remote: Any, keys: KeySet) -> None:
        self.remote = remote
        self.link = SecureLink(remote.transmit, keys)

    def open_secure_channel(self) -> None:
        try:
            self.link.open()
        except SecureLinkError as exc:
            if exc.sw is None:  # the card's cryptogram: its security domain has other keys
                raise RefusedError("the card does not hold this issuer's keys") from exc
            raise RefusedError(f"the card refused the secure channel ({exc.sw:04X})") from exc

    def send(self, command: CommandAPDU) -> Response:
        if command.cla == 0x00:  # SELECT: a new selection ends the session on the card
            return self.remote.transmit(command)
        try:
            response = self.link.transmit(command)
        except ResponseCheckError:
            # The answer was altered on the way: worth nothing, like a lost one. The card's
            # records tell what happened, through a new session.
            self.open_secure_channel()
            return Response(b"", SW_NOT_VERIFIED)
        if response.sw == SW_PIN_REQUIRED:
            # Either the wallet's PIN rule or a command the card could not verify (altered on
            # the way), which closed the session on the card: open a new one to go on.
            self.open_secure_channel()
        return response


class WalletIssuer:
    """Issues wallets and serves their sessions from one ``Ledger``."""

    def __init__(self, ledger: Ledger, isd_keys: KeySet | None = None) -> None:
        self.ledger = ledger
        # The SCP03 keys ``issue`` puts into each card's issuer security domain; they open the
        # wallet's secure channel.
        self.isd_keys = isd_keys or macs.derive_isd_keys(ledger.master_key())
        self.history: list[SessionOutcome] = []
        self._lock = threading.Lock()

    # --- issuing -----------------------------------------------------------------------------

    def issue(self, sim: Simulator, pin: bytes, card_number: str | None = None,
              unblock_code: bytes | None = None, factory_keys: KeySet | None = None) -> IssuedCard:
        """Personalise a new wallet on ``sim``: derive its key from the master key and the card
        number, register the card, install ``SmartWallet`` (the default applet) with the key,
        the unblock code, the PIN and the card number as install parameters. Then replace the
        issuer security domain's factory keys (``factory_keys``, the GlobalPlatform test keys
        by default: public, so anyone holding a recording could open it) with the issuer's."""
        number = card_number or f"9{secrets.randbelow(10 ** 15):015d}"
        code = unblock_code or "".join(secrets.choice("0123456789") for _ in range(8)).encode()
        key = macs.derive_card_key(self.ledger.master_key(), number)
        params = personalisation(key, code, pin, number.encode("ascii"))
        self.ledger.register_card(number, key, code)
        sim.install(SmartWallet, AID, params, default=True)
        self._take_over_isd(sim, factory_keys or secure.isd_keys())
        return IssuedCard(number, code)

    def _take_over_isd(self, sim: Simulator, factory_keys: KeySet) -> None:
        """PUT KEY of the issuer's SCP03 set over the factory's (the new keys travel under the
        session's DEK), and DELETE of the factory SCP02 set 20, so that only this issuer can
        open a secure channel on the card."""
        gp = GPClient(sim)
        gp.select_isd()
        gp.open_secure_channel(factory_keys, security_level=0x03, scp=3)
        _, sw = gp.send(b"\x80\xE4\x00\x00\x03\xD2\x01" + bytes((SCP02_KEY_VERSION,)))
        if sw not in (0x9000, 0x6A88):  # 6A88: the card had no such set
            raise GPCommandError("DELETE key set 20", sw)
        gp.put_key(self.isd_keys, replace_version=factory_keys.version)
        gp.select(AID)

    # --- sessions ----------------------------------------------------------------------------

    def perform(self, session: Any, path_info: str) -> None:
        """The RAM over HTTP script: one request per session (see the module docstring)."""
        progress = _Progress()
        try:
            request = parse_request(path_info)
            progress.action = request.action
            message, balance = self._serve(_Card(session.card, self.isd_keys), request,
                                           progress)
        except RefusedError as refusal:
            self._record(session, progress, False, f"refused: {refusal}")
            # A negative notification ends the session at the client: a refusal is not a
            # completed session.
            _tell(session, -1, f"refused: {refusal}")
            return
        except RemoteError as exc:
            # The card or the network went away mid-session: whatever the card did will show in
            # its records at the next session.
            self._record(session, progress, False, f"interrupted: {exc}")
            raise
        self._record(session, progress, True, message, balance)
        _tell(session, 1, message)

    def _record(self, session: Any, progress: _Progress, ok: bool, message: str,
                balance: int | None = None) -> None:
        outcome = SessionOutcome(session.id, progress.action, progress.card_number, ok, message,
                                 tuple(progress.recovery), balance)
        with self._lock:
            self.history.append(outcome)

    def _serve(self, card: _Card, request: Request, progress: _Progress) -> tuple[str, int]:
        if card.send(commands.select()).sw != 0x9000:
            raise RefusedError("this card has no wallet")
        card.open_secure_channel()
        self._submit_pin(card, request.pin)
        response = card.send(commands.read_field(CARD_NUMBER))
        if response.sw != 0x9000:
            raise RefusedError(f"the card number cannot be read ({response.sw:04X})")
        number = response.data.decode("ascii", "replace").rstrip()
        progress.card_number = number
        key = self.ledger.card_key(number)
        if key is None:
            raise RefusedError(f"card {number} was not issued here")
        sequence = self._recover(card, number, key, progress.recovery)
        if request.action == "pay":
            message = self._pay(card, number, key, request, sequence, progress.recovery)
        elif request.action == "topup":
            message = self._top_up(card, number, key, request, progress.recovery)
        else:
            message = "nothing to do"
        response = card.send(commands.balance())
        if response.sw != 0x9000 or len(response.data) != 2:
            raise RefusedError(f"the balance cannot be read ({response.sw:04X})")
        balance = int.from_bytes(response.data, "big")
        return f"{message}; balance {money(balance)}", balance

    @staticmethod
    def _submit_pin(card: _Card, pin: bytes) -> None:
        sw = card.send(commands.submit_pin(pin)).sw
        if sw & 0xFFF0 == SW_WRONG_PIN:
            raise RefusedError(f"wrong PIN, {sw & 0x0F} tries left")
        if sw == SW_BLOCKED:
            raise RefusedError("the PIN is blocked: unblock it with the unblock code")
        if sw != 0x9000:
            raise RefusedError(f"the card refused the PIN ({sw:04X})")

    # --- recovery ----------------------------------------------------------------------------

    def _recover(self, card: _Card, number: str, key: bytes, notes: list[str]) -> int:
        """Settle what the last sessions left open; returns the card's last debit sequence."""
        sequence = self._settle_last_debit(card, number, key, notes)
        for challenge in self.ledger.open_challenges(number):
            self.ledger.void_challenge(challenge.challenge)
            notes.append(f"the card did not use challenge {challenge.challenge.hex()} "
                         f"({money(challenge.value)}): void")
        self._settle_last_credit(card, number, key, notes)
        for credit in self.ledger.credits(number, "granted"):
            # The attempt or its answer was lost: the card still holds the credit pending, or
            # has applied it (then LAST CREDIT showed it above). Either way, at most once.
            response = card.send(commands.credit_attempt(credit.response))
            if self._receipt_holds(key, credit.card_challenge, credit.value, response):
                self.ledger.apply_credit(number, credit.card_challenge, response.data)
                notes.append(f"credit of {money(credit.value)} applied on a second attempt")
            else:
                self.ledger.refuse_credit(number, credit.card_challenge)
                notes.append(f"credit of {money(credit.value)} refused by the card "
                             f"({response.sw:04X})")
        return sequence

    def _settle_last_debit(self, card: _Card, number: str, key: bytes,
                           notes: list[str]) -> int:
        response = card.send(commands.last_debit())
        if response.sw == SW_NOT_VERIFIED:
            notes.append("the card's last debit record was altered on the way: ignored")
        if response.sw != 0x9000 or len(response.data) != DEBIT_RECORD_LENGTH:
            return 0
        record = response.data
        challenge = record[:SERVER_CHALLENGE_LENGTH]
        value = int.from_bytes(record[6:8], "big")
        sequence = int.from_bytes(record[8:10], "big")
        proof = record[10:]
        if not macs.matches(macs.debit_proof(key, challenge, value, sequence), proof):
            notes.append("the card's last debit record does not verify: ignored")
            return sequence
        known = self.ledger.last_sequence(number)
        debit = self.ledger.confirm_debit(number, sequence, challenge, value, proof)
        if debit is not None:
            notes.append(f"debit {sequence} of {money(value)} settled from the card's record")
            if sequence > known + 1:
                notes.append(f"debits {known + 1} to {sequence - 1} never reached the ledger")
        return sequence

    def _settle_last_credit(self, card: _Card, number: str, key: bytes,
                            notes: list[str]) -> None:
        response = card.send(commands.last_credit())
        if response.sw != 0x9000 or len(response.data) != CREDIT_RECORD_LENGTH:
            return
        challenge = response.data[:CARD_CHALLENGE_LENGTH]
        value = int.from_bytes(response.data[8:10], "big")
        receipt = response.data[10:]
        credit = self.ledger.credit(number, challenge)
        if (credit is None or credit.state == "applied" or credit.value != value
                or not macs.matches(macs.credit_receipt(key, challenge, value), receipt)):
            return
        self.ledger.apply_credit(number, challenge, receipt)
        notes.append(f"credit of {money(value)} applied (its receipt was lost)")

    @staticmethod
    def _receipt_holds(key: bytes, challenge: bytes, value: int, response: Response) -> bool:
        return (response.sw == 0x9000 and len(response.data) == MAC_LENGTH
                and macs.matches(macs.credit_receipt(key, challenge, value), response.data))

    # --- the requests ------------------------------------------------------------------------

    def _pay(self, card: _Card, number: str, key: bytes, request: Request, sequence: int,
             notes: list[str]) -> str:
        amount = request.amount
        assert amount is not None
        self._submit_pin(card, request.pin)  # directly before the debit
        challenge = self.ledger.issue_challenge(number, amount)
        response = card.send(commands.debit(challenge, amount))
        proof = macs.debit_proof(key, challenge, amount, sequence + 1)
        if response.sw == 0x9000 and macs.matches(proof, response.data):
            self.ledger.confirm_debit(number, sequence + 1, challenge, amount, response.data)
            return f"paid {money(amount)}"
        # No valid proof: the card's records say what really happened.
        self._settle_last_debit(card, number, key, notes)
        state = self.ledger.challenge(challenge)
        if state is not None and state.state == "issued":
            self.ledger.void_challenge(challenge)
        paid = [d for d in self.ledger.debits(number) if d.challenge == challenge]
        if paid and paid[-1].matched:
            return f"paid {money(amount)} (the card's proof was damaged on the way)"
        if paid:
            raise RefusedError(f"the card paid {money(paid[-1].value)} instead of {money(amount)}: "
                               f"the sale is refused and {money(paid[-1].value)} is owed back")
        reasons = {0x9000: "the card's proof of payment does not verify",
                   SW_INSUFFICIENT_FUNDS: "the balance is too low",
                   SW_CHALLENGE_REUSED: "the card saw that challenge before",
                   SW_NOT_VERIFIED: "the card's answer was altered on the way"}
        raise RefusedError(reasons.get(response.sw, f"the card did not pay ({response.sw:04X})"))

    def _top_up(self, card: _Card, number: str, key: bytes, request: Request,
                notes: list[str]) -> str:
        amount = request.amount
        assert amount is not None
        response = card.send(commands.credit_prepare(amount))
        if response.sw == SW_BALANCE_LIMIT:
            raise RefusedError(f"the balance would go above {money(MAX_BALANCE)}")
        if response.sw != 0x9000 or len(response.data) != CARD_CHALLENGE_LENGTH:
            raise RefusedError(f"the card cannot take a credit ({response.sw:04X})")
        challenge = response.data
        answer = macs.credit_response(key, challenge, amount)
        self.ledger.grant_credit(number, challenge, amount, answer)
        response = card.send(commands.credit_attempt(answer))
        if self._receipt_holds(key, challenge, amount, response):
            self.ledger.apply_credit(number, challenge, response.data)
            return f"credited {money(amount)}"
        self._settle_last_credit(card, number, key, notes)
        credit = self.ledger.credit(number, challenge)
        if credit is not None and credit.state == "applied":
            return f"credited {money(amount)} (the card's receipt was damaged on the way)"
        self.ledger.refuse_credit(number, challenge)
        raise RefusedError(f"the card refused the credit ({response.sw:04X})")
