"""Fixtures for the wallet's tests: a personalised card with a known key, a ledger, an issuer
and its server on 127.0.0.1."""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from jcsim import Simulator
from jcsim.apdu import CommandAPDU, Response, parse_hex
from jcsim.gp import KeySet
from jcsim.remote import ScriptServer
from jcsim.samples.wallet import AID, SmartWallet, commands, macs
from jcsim.samples.wallet.issuer import WalletIssuer
from jcsim.samples.wallet.ledger import Ledger
from jcsim.samples.wallet.protocol import (
    INS_CHANGE_PIN,
    INS_SUBMIT_PIN,
    INS_UNBLOCK,
    personalisation,
)
from jcsim.samples.wallet.secure import SecureLink
from jcsim.samples.wallet.server import make_server

KEY = bytes.fromhex("000102030405060708090A0B0C0D0E0F")
PIN = b"1234"
UNBLOCK_CODE = b"87654321"
CARD_NUMBER = "4000123412341234"
PIN_INSTRUCTIONS = frozenset({INS_SUBMIT_PIN, INS_CHANGE_PIN, INS_UNBLOCK})

_links: weakref.WeakKeyDictionary[Simulator, SecureLink] = weakref.WeakKeyDictionary()


def secured(sim: Simulator, keys: KeySet | None = None) -> SecureLink:
    """A new SCP03 session (level 33) with the selected wallet, as the issuer opens it, with
    the issuer security domain's ``keys`` (default: the factory's, as ``make_card`` leaves
    them; a card ``WalletIssuer.issue`` made holds ``issuer.isd_keys``)."""
    link = SecureLink(sim.transmit, keys)
    link.open()
    _links[sim] = link
    return link


def send(sim: Simulator, command: Any, keys: KeySet | None = None) -> Response:
    """What the tests send, as the issuer would: SUBMIT PIN, CHANGE PIN and UNBLOCK open a
    secure channel if the card has none from these tests (the wallet takes them no other
    way); while one is open every CLA 80 command goes through it (a fresh PIN counts only
    for a command in the channel). A 6982 in the channel opens a new one and sends again: the
    card ends sessions on a reset or a selection (opening one clears a fresh PIN: the card
    sees two commands). Other commands go as they are."""
    if isinstance(command, str):
        command = parse_hex(command)
    if isinstance(command, (bytes, bytearray)):
        command = CommandAPDU.from_bytes(bytes(command))
    link = _links.get(sim)
    if command.cla != 0x80 or (command.ins not in PIN_INSTRUCTIONS
                               and (link is None or not link.is_open)):
        return sim.transmit(command)
    if link is not None and link.is_open:
        response = link.transmit(command)
        if response.sw != 0x6982:
            return response
    return secured(sim, keys).transmit(command)


def make_card(key: bytes = KEY, card_number: str = CARD_NUMBER,
              card_class: type[Simulator] = Simulator) -> Simulator:
    """A wallet personalised with ``key``, selected, balance 0."""
    sim = card_class()
    sim.install(SmartWallet, AID, personalisation(key, UNBLOCK_CODE, PIN,
                                                  card_number.encode()), default=True)
    sim.reset()
    return sim


@pytest.fixture
def card() -> Simulator:
    return make_card()


@pytest.fixture
def fund() -> Callable[[Simulator, int], bytes]:
    """Credit a card directly, the issuer's MACs computed here; returns the receipt."""

    def credit(sim: Simulator, value: int, key: bytes = KEY) -> bytes:
        challenge = sim.transmit(commands.credit_prepare(value))
        assert challenge.sw == 0x9000
        receipt = sim.transmit(commands.credit_attempt(
            macs.credit_response(key, challenge.data, value)))
        assert receipt.sw == 0x9000
        return receipt.data

    return credit


@pytest.fixture
def ledger(tmp_path: Path) -> Ledger:
    return Ledger(tmp_path / "wallet.db")


@pytest.fixture
def issuer(ledger: Ledger) -> WalletIssuer:
    return WalletIssuer(ledger)


@pytest.fixture
def wallet(issuer: WalletIssuer) -> tuple[Simulator, str]:
    """A card the issuer personalised (PIN 1234, unblock code 87654321), and its number."""
    sim = Simulator()
    return sim, issuer.issue(sim, PIN, unblock_code=UNBLOCK_CODE).card_number


@pytest.fixture
def server(issuer: WalletIssuer) -> Iterator[ScriptServer]:
    with make_server(issuer, response_timeout=10) as running:
        yield running
