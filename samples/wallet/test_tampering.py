"""Replay and tampering on the way between card and issuer (``faults.UntrustedNetwork`` on
127.0.0.1): a modified value, a reused challenge, a replayed credit response, a response for
another card. The secure channel stops a command altered or replayed on the way at the card
(its C-MAC fails: 6982) and an altered answer at the issuer (its R-MAC fails); the wallet's own
MACs stop what comes from another card. The money on the ledger does not move, or moves only by
what the card really paid, and always matches the card."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from jcsim import Simulator
from jcsim.remote import Outcome, ScriptServer, run_session
from jcsim.samples.wallet import AID, commands
from jcsim.samples.wallet.faults import UntrustedNetwork
from jcsim.samples.wallet.issuer import SessionOutcome, WalletIssuer
from jcsim.samples.wallet.ledger import LedgerError
from jcsim.samples.wallet.protocol import (
    CARD_NUMBER,
    INS_CREDIT_ATTEMPT,
    INS_CREDIT_PREPARE,
    INS_DEBIT,
    INS_LAST_DEBIT,
)
from samples.wallet.conftest import PIN, send


@pytest.fixture
def network(server: ScriptServer) -> Iterator[UntrustedNetwork]:
    with UntrustedNetwork(server.url) as relay:
        yield relay


def visit(issuer: WalletIssuer, sim: Simulator, network: UntrustedNetwork,
          request: str) -> SessionOutcome:
    before = len(issuer.history)
    run_session(sim, f"{network.url}{request}/pin={PIN.decode()}")
    assert len(issuer.history) == before + 1
    return issuer.history[-1]


def card_balance(sim: Simulator) -> int:
    assert sim.select(AID).sw == 0x9000
    return int.from_bytes(sim.transmit(commands.balance()).data, "big")


def with_value(command: bytes, value: int) -> bytes:
    """A DEBIT or CREDIT PREPARE with another value (the last two data bytes, before Le)."""
    return command[:-3] + value.to_bytes(2, "big") + command[-1:]


def funded(issuer, sim, network, amount: int = 2000) -> None:
    assert visit(issuer, sim, network, f"/topup/amount={amount}").ok


# --- a modified value ----------------------------------------------------------------------------

def test_a_credit_raised_on_the_way_is_refused_by_the_card(issuer, ledger, network, wallet):
    sim, number = wallet
    funded(issuer, sim, network)
    money = ledger.money()
    # The value is encrypted: changing the bytes on the way breaks the C-MAC.
    network.rewrite_command(INS_CREDIT_PREPARE, lambda c: with_value(c, 30000))
    outcome = visit(issuer, sim, network, "/topup/amount=100")
    assert not outcome.ok and "cannot take a credit (6982)" in outcome.message
    assert card_balance(sim) == 2000 == ledger.balance(number)
    assert ledger.money() == money
    assert [c.state for c in ledger.credits()] == ["applied"]


def test_a_debit_lowered_on_the_way_refuses_the_sale_and_books_what_the_card_paid(
        issuer, ledger, network, wallet):
    sim, number = wallet
    funded(issuer, sim, network)
    network.rewrite_command(INS_DEBIT, lambda c: with_value(c, 1))
    outcome = visit(issuer, sim, network, "/pay/amount=1500")
    assert not outcome.ok and "did not pay (6982)" in outcome.message
    assert ledger.debits() == []
    assert ledger.open_challenges(number) == []
    assert card_balance(sim) == 2000 == ledger.balance(number)


def test_a_forged_debit_proof_is_not_taken_and_the_real_debit_is_settled_once(
        issuer, ledger, network, wallet):
    sim, number = wallet
    funded(issuer, sim, network)
    network.rewrite_answer(INS_DEBIT, lambda answer: b"\x00" * 8 + answer[-2:])
    outcome = visit(issuer, sim, network, "/pay/amount=500")
    assert outcome.ok and "damaged on the way" in outcome.message
    (debit,) = ledger.debits()
    assert debit.proof != b"\x00" * 8 and debit.matched
    assert card_balance(sim) == 1500 == ledger.balance(number)


def test_a_forged_last_debit_record_settles_nothing(issuer, ledger, network, wallet):
    sim, number = wallet
    funded(issuer, sim, network)
    network.lose_answer_to(INS_DEBIT)
    visit(issuer, sim, network, "/pay/amount=500")
    # The recovery asks the card for its record; the network answers with a forgery.
    network.rewrite_answer(INS_LAST_DEBIT, lambda answer: answer[:6] + b"\x00\x01"
                           + answer[8:-2] + answer[-2:])
    outcome = visit(issuer, sim, network, "/balance")
    assert "altered on the way" in " ".join(outcome.recovery)
    assert ledger.debits() == []
    # The next honest session settles the real debit.
    outcome = visit(issuer, sim, network, "/balance")
    assert [d.value for d in ledger.debits()] == [500]
    assert card_balance(sim) == 1500 == ledger.balance(number)


# --- a reused challenge --------------------------------------------------------------------------

def test_the_cards_last_challenge_sent_again_is_refused_by_the_card(issuer, ledger, network,
                                                                     wallet):
    sim, number = wallet
    funded(issuer, sim, network)
    assert visit(issuer, sim, network, "/pay/amount=300").ok
    money = ledger.money()
    old = network.commands_with(INS_DEBIT)[-1].command
    network.rewrite_command(INS_DEBIT, lambda command: old)
    outcome = visit(issuer, sim, network, "/pay/amount=300")
    # An old session's command: its C-MAC belongs to that session.
    assert not outcome.ok and "did not pay (6982)" in outcome.message
    assert ledger.money() == money
    assert card_balance(sim) == 1700 == ledger.balance(number)


def test_an_older_settled_challenge_is_never_settled_twice(issuer, ledger, network, wallet):
    sim, number = wallet
    funded(issuer, sim, network)
    assert visit(issuer, sim, network, "/pay/amount=300").ok
    assert visit(issuer, sim, network, "/pay/amount=200").ok
    first = network.commands_with(INS_DEBIT)[0].command
    # The first debit swapped in: the card refuses it (another session's C-MAC) and pays
    # nothing; the first challenge stays settled once.
    network.rewrite_command(INS_DEBIT, lambda command: first)
    outcome = visit(issuer, sim, network, "/pay/amount=100")
    assert not outcome.ok and "did not pay (6982)" in outcome.message
    debits = ledger.debits()
    assert [(d.value, d.requested) for d in debits] == [(300, 300), (200, 200)]
    assert ledger.challenge(debits[0].challenge).state == "settled"
    assert card_balance(sim) == 1500 == ledger.balance(number)


def test_the_ledger_settles_a_debit_once_and_never_issues_a_challenge_twice(ledger):
    ledger.register_card("1", bytes(16), b"00000000")
    challenge = ledger.issue_challenge("1", 100)
    assert ledger.confirm_debit("1", 1, challenge, 100, b"p" * 8) is not None
    money = ledger.money()
    assert ledger.confirm_debit("1", 1, challenge, 100, b"p" * 8) is None
    assert ledger.money() == money
    with pytest.raises(LedgerError):
        ledger.void_challenge(challenge)  # settled stays settled
    repeating = iter([challenge, challenge, b"\x00" * 6])
    assert ledger.issue_challenge("1", 5, nonce=lambda n: next(repeating)) == b"\x00" * 6
    with pytest.raises(LedgerError):
        ledger.issue_challenge("1", 5, nonce=lambda n: challenge)


# --- a replayed credit response -----------------------------------------------------------------

def test_a_credit_response_replayed_in_a_later_top_up_is_refused(issuer, ledger, network,
                                                                 wallet):
    sim, number = wallet
    funded(issuer, sim, network)
    old = network.commands_with(INS_CREDIT_ATTEMPT)[-1].command
    money = ledger.money()
    network.rewrite_command(INS_CREDIT_ATTEMPT, lambda command: old)
    outcome = visit(issuer, sim, network, "/topup/amount=2000")
    assert not outcome.ok and "refused the credit (6982)" in outcome.message
    assert ledger.money() == money
    assert card_balance(sim) == 2000 == ledger.balance(number)


def test_a_credit_response_replayed_at_the_card_is_refused(issuer, ledger, network, wallet):
    sim, number = wallet
    funded(issuer, sim, network)
    old = network.commands_with(INS_CREDIT_ATTEMPT)[-1].command
    money = ledger.money()
    assert sim.select(AID).sw == 0x9000
    assert sim.transmit(old).sw == 0x6982  # no session on the card: refused unread
    assert visit(issuer, sim, network, "/balance").ok
    assert ledger.money() == money
    assert card_balance(sim) == 2000 == ledger.balance(number)


# --- a response for another card ----------------------------------------------------------------

def test_a_card_claiming_another_cards_number_is_refused(issuer, ledger, network, wallet):
    alice, alice_number = wallet
    funded(issuer, alice, network)
    mallory = Simulator()
    issuer.issue(mallory, PIN)
    funded(issuer, mallory, network)
    # Mallory rewrites her card number to Alice's: her card's MACs are not Alice's.
    mallory.select(AID)
    send(mallory, commands.submit_pin(PIN), issuer.isd_keys)
    assert send(mallory, commands.write_field(CARD_NUMBER, alice_number.encode()),
                issuer.isd_keys).sw == 0x9000
    money = ledger.money()
    outcome = visit(issuer, mallory, network, "/pay/amount=500")
    assert not outcome.ok and outcome.card_number == alice_number
    assert outcome.message == "refused: the card's proof of payment does not verify"
    outcome = visit(issuer, mallory, network, "/topup/amount=500")
    assert not outcome.ok and "(6300)" in outcome.message
    assert ledger.money() == money
    assert ledger.open_challenges(alice_number) == []
    assert card_balance(alice) == 2000 == ledger.balance(alice_number)


def test_another_cards_debit_proof_swapped_in_is_not_taken(issuer, ledger, network, wallet):
    alice, alice_number = wallet
    funded(issuer, alice, network)
    bob = Simulator()
    bob_number = issuer.issue(bob, PIN).card_number
    funded(issuer, bob, network)
    assert visit(issuer, bob, network, "/pay/amount=700").ok
    bobs_proof = network.commands_with(INS_DEBIT)[-1].answer
    # Alice's card is not even asked: the network answers her DEBIT with Bob's proof.
    network.rewrite_answer(INS_DEBIT, lambda answer: bobs_proof)
    outcome = visit(issuer, alice, network, "/pay/amount=700")
    # The issuer takes only what Alice's own record proves.
    debits = {d.card_number: d.value for d in ledger.debits()}
    assert debits == {bob_number: 700, alice_number: 700}
    assert outcome.ok and "damaged on the way" in outcome.message
    assert card_balance(alice) == 1300 == ledger.balance(alice_number)
    assert ledger.balance(bob_number) == 1300


def test_a_lost_debit_response_is_settled_once_at_the_next_session(issuer, ledger, network,
                                                                   wallet):
    sim, number = wallet
    funded(issuer, sim, network)
    network.lose_answer_to(INS_DEBIT)
    report = run_session(sim, f"{network.url}/pay/amount=800/pin=1234")
    assert report.outcome is Outcome.TRANSPORT_ERROR and network.lost == 1
    assert issuer.history[-1].message.startswith("interrupted")
    assert [c.value for c in ledger.open_challenges(number)] == [800]
    assert ledger.debits() == []
    outcome = visit(issuer, sim, network, "/balance")
    assert outcome.ok and outcome.balance == 1200
    assert outcome.recovery == ("debit 1 of £8.00 settled from the card's record",)
    outcome = visit(issuer, sim, network, "/balance")
    assert outcome.recovery == ()
    assert [d.value for d in ledger.debits()] == [800]
    assert card_balance(sim) == 1200 == ledger.balance(number)
