"""The wallet's secure channel: the PIN crosses only encrypted, in an SCP03 session opened with
the issuer security domain's keys, and a captured session replayed at the card moves nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jcsim import Simulator
from jcsim.errors import JCSimError
from jcsim.gp import GPClient, KeySet
from jcsim.remote import ScriptServer, run_session
from jcsim.samples.wallet import AID, SmartWallet, commands
from jcsim.samples.wallet.faults import UntrustedNetwork
from jcsim.samples.wallet.issuer import WalletIssuer
from jcsim.samples.wallet.protocol import personalisation
from jcsim.samples.wallet.secure import SecureLink, SecureLinkError
from samples.wallet.conftest import CARD_NUMBER, KEY, PIN, UNBLOCK_CODE, make_card, secured


def card_state(sim: Simulator) -> tuple:
    """Everything the wallet keeps, read from its memory (no command)."""
    wallet = sim.applet_instance(AID)
    return (wallet.balance, wallet.debitSequence, wallet.policy, bytes(wallet.lastDebit),
            bytes(wallet.lastCredit), bytes(wallet.pendingCredit), bytes(wallet.fields),
            wallet.pin.getTriesRemaining(), wallet.unblockCode.getTriesRemaining())


# --- the PIN in clear ------------------------------------------------------------------------

@pytest.mark.parametrize("command", [commands.submit_pin(PIN), commands.submit_pin(b"0000"),
                                     commands.change_pin(b"5678"),
                                     commands.unblock(UNBLOCK_CODE, b"5678")])
def test_a_pin_or_unblock_code_in_clear_is_refused_with_6982_and_costs_no_try(card, command):
    before = card_state(card)
    assert card.transmit(command).sw == 0x6982
    assert card_state(card) == before
    assert secured(card).transmit(commands.submit_pin(PIN)).sw == 0x9000


def test_a_session_without_c_decryption_cannot_carry_the_pin(card):
    link = SecureLink(card.transmit, security_level=0x01)
    link.open()
    assert link.transmit(commands.submit_pin(PIN)).sw == 0x6982
    assert link.transmit(commands.submit_pin(b"0000")).sw == 0x6982
    assert card.applet_instance(AID).pin.getTriesRemaining() == 3


def test_a_pin_altered_on_the_way_is_refused_and_closes_the_session(card):
    link = secured(card)
    wire = bytearray(link.wrap(commands.submit_pin(PIN)))
    wire[6] ^= 0x01
    assert card.transmit(bytes(wire)).sw == 0x6982
    assert card.applet_instance(AID).pin.getTriesRemaining() == 3
    # The card closed the session: the next command of that session is refused too.
    assert card.transmit(link.wrap(commands.submit_pin(PIN))).sw == 0x6982
    assert card.transmit(commands.read_field(9)).sw == 0x6982


def test_wrong_keys_do_not_open_the_channel(card):
    with pytest.raises(SecureLinkError):
        SecureLink(card.transmit, KeySet.single(bytes(16), 0x30)).open()


def test_answers_come_encrypted_and_the_secure_channel_keeps_the_pin_rules(card):
    link = secured(card)
    assert link.transmit(commands.submit_pin(PIN)).sw == 0x9000
    raw = card.transmit(link.wrap(commands.read_field(9)))
    assert raw.sw == 0x9000 and CARD_NUMBER.encode() not in raw.data
    assert link.unwrap(raw).data.rstrip() == CARD_NUMBER.encode()
    # Wrong PIN answers (63Cx) and refusals come unprotected: the wallet throws them.
    assert link.transmit(commands.submit_pin(b"0000")).sw == 0x63C2
    assert link.transmit(commands.read_field(9)).sw == 0x6982
    assert link.transmit(commands.change_pin(b"5678")).sw == 0x6982  # no fresh PIN


@pytest.mark.parametrize("command", [commands.set_policy(0x00), commands.write_field(1, b"x"),
                                     commands.change_pin(b"5678"),
                                     commands.debit(b"\x01" * 6, 1)])
def test_a_plain_command_cannot_ride_on_a_pin_submitted_in_the_channel(card, fund, command):
    fund(card, 10)
    link = secured(card)
    assert link.transmit(commands.submit_pin(PIN)).sw == 0x9000
    before = card_state(card)
    assert card.transmit(command).sw == 0x6982
    assert card_state(card) == before
    # The same command in the channel, right after the PIN, is taken.
    assert link.transmit(commands.submit_pin(PIN)).sw == 0x9000
    assert link.transmit(command).sw == 0x9000


def test_a_command_slipped_in_on_the_wire_after_the_pin_is_refused(
        issuer: WalletIssuer, network: UntrustedNetwork, wallet):
    # The network puts a plain SET POLICY 00 in place of the issuer's wrapped READ card number.
    sim, _ = wallet
    network.rewrite_command(0x09, lambda command: bytes(commands.set_policy(0x00)))
    run_session(sim, f"{network.url}/balance/pin={PIN.decode()}")
    assert not issuer.history[-1].ok
    assert sim.applet_instance(AID).policy == 0x01


@settings(max_examples=20, deadline=None)
@given(pin=st.text("0123456789", min_size=4, max_size=8).map(str.encode))
def test_no_wire_byte_string_holds_the_pin(pin: bytes):
    sim = Simulator()
    sim.install(SmartWallet, AID, personalisation(KEY, UNBLOCK_CODE, pin, b"1"), default=True)
    sim.reset()
    wire: list[bytes] = []

    def record(command: bytes):
        wire.append(bytes(command))
        response = sim.transmit(command)
        wire.append(bytes(response))
        return response

    link = SecureLink(record)
    link.open()
    assert link.transmit(commands.submit_pin(pin)).sw == 0x9000
    assert link.transmit(commands.submit_pin(pin)).sw == 0x9000
    assert link.transmit(commands.change_pin(pin)).sw == 0x9000
    assert link.transmit(commands.unblock(UNBLOCK_CODE, pin)).sw == 0x9000
    assert not [w for w in wire if pin in w or UNBLOCK_CODE in w]


# --- a captured session ------------------------------------------------------------------------

@pytest.fixture
def network(server: ScriptServer) -> Iterator[UntrustedNetwork]:
    with UntrustedNetwork(server.url) as relay:
        yield relay


@pytest.mark.parametrize("requests", [["/topup/amount=2000"],
                                      ["/topup/amount=2000", "/pay/amount=750"]])
def test_a_captured_session_replayed_at_the_card_moves_nothing_and_shows_no_pin(
        issuer: WalletIssuer, network: UntrustedNetwork, wallet, requests: list[str]):
    sim, number = wallet
    for request in requests:
        assert run_session(sim, f"{network.url}{request}/pin={PIN.decode()}").ok
        assert issuer.history[-1].ok
    carried = list(network.carried)
    assert [c.command[1] for c in carried[:3]] == [0xA4, 0x50, 0x82]
    # Nothing on the wire holds the PIN or the card number, either way.
    for item in carried:
        assert PIN not in item.command and PIN not in (item.answer or b"")
        assert number.encode() not in (item.answer or b"")
    before = card_state(sim)
    for power_up in (False, True):
        if power_up:
            sim.reset()
        answers = [sim.transmit(item.command).sw for item in carried]
        for item, sw in zip(carried, answers, strict=True):
            if item.command[1] == 0x82:
                assert sw == 0x6300  # the card's challenge is new: the host cryptogram fails
            elif item.command[0] & 0x04:
                assert sw == 0x6982, f"{item.command.hex()} answered {sw:04X}"
        assert card_state(sim) == before
    # The issuer's next session still works: the replay spent nothing.
    assert run_session(sim, f"{network.url}/balance/pin={PIN.decode()}").ok
    assert issuer.history[-1].balance == sim.applet_instance(AID).balance


def test_a_captured_session_replayed_to_the_issuer_settles_nothing_twice(
        issuer: WalletIssuer, network: UntrustedNetwork, wallet, ledger):
    # The same card visits again: the issuer starts a new session with a new host challenge,
    # so nothing recorded from the first one is of use in it.
    sim, number = wallet
    assert run_session(sim, f"{network.url}/topup/amount=500/pin={PIN.decode()}").ok
    first = [c.command for c in network.carried]
    assert run_session(sim, f"{network.url}/balance/pin={PIN.decode()}").ok
    second = [c.command for c in network.carried][len(first):]
    assert first[1] != second[1]  # INITIALIZE UPDATE: another host challenge
    assert not set(first[2:]) & set(second[2:])
    assert ledger.balance(number) == 500 == sim.applet_instance(AID).balance


def test_credits_need_no_session(fund):
    # Credits and reads of the records stay open in clear: their own MACs protect them.
    sim = make_card()
    fund(sim, 100)
    assert sim.transmit(commands.balance()).data == b"\x00\x64"


# --- the issuer's keys -------------------------------------------------------------------------

def test_an_issued_card_opens_only_with_the_issuers_keys(issuer: WalletIssuer, wallet):
    sim, _ = wallet
    # The public GlobalPlatform test keys the card was made with open nothing any more.
    with pytest.raises(SecureLinkError):
        SecureLink(sim.transmit).open()
    for scp in (3, 2):
        gp = GPClient(sim)
        gp.select_isd()
        with pytest.raises(JCSimError):
            gp.open_secure_channel(KeySet.default(), scp=scp)
    gp = GPClient(sim)
    gp.select_isd()
    gp.open_secure_channel(issuer.isd_keys, scp=3)
    assert [info.version for info in gp.key_information()] == [0x30] * 3
    assert sim.select(AID).sw == 0x9000
    assert secured(sim, issuer.isd_keys).transmit(commands.submit_pin(PIN)).sw == 0x9000
