"""The issuer: its requests, its refusals, its recovery of lost credit receipts, its ledger and
its command line, and the demo; sessions over real HTTP on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path

import pytest

from jcsim import Simulator
from jcsim.remote import Outcome, run_session
from jcsim.samples.wallet import AID, commands
from jcsim.samples.wallet.faults import TearingCard, UntrustedNetwork
from jcsim.samples.wallet.issuer import RefusedError, Request, WalletIssuer, money, parse_request
from jcsim.samples.wallet.ledger import Ledger, LedgerError
from jcsim.samples.wallet.protocol import INS_CREDIT_ATTEMPT, MAX_BALANCE
from jcsim.samples.wallet.secure import SecureLinkError
from jcsim.samples.wallet.server import main
from samples.wallet.conftest import PIN, UNBLOCK_CODE, send


@pytest.mark.parametrize(("path", "request_"), [
    ("/pay/amount=750/pin=1234", Request("pay", b"1234", 750)),
    ("/shop/topup/pin=98765432/amount=1", Request("topup", b"98765432", 1)),
    ("/balance/pin=0000", Request("balance", b"0000")),
])
def test_a_request_is_read_from_the_sessions_path(path, request_):
    assert parse_request(path) == request_


@pytest.mark.parametrize("path", ["/", "/pay/topup/pin=1234/amount=1", "/pay/pin=1234",
                                  "/pay/amount=0/pin=1234", f"/pay/amount={MAX_BALANCE + 1}/pin=1"
                                  "234", "/pay/amount=-5/pin=1234", "/balance/pin=123",
                                  "/balance/pin=12a4", "/balance/pin=1234/colour=red"])
def test_a_malformed_request_is_refused(path):
    with pytest.raises(RefusedError):
        parse_request(path)


def test_money_is_shown_in_pounds():
    assert [money(v) for v in (0, 5, 750, 32767, -250)] == \
        ["£0.00", "£0.05", "£7.50", "£327.67", "-£2.50"]


def session(issuer, server, sim: Simulator, path: str):
    report = run_session(sim, server.url + path)
    return report, issuer.history[-1]


def test_a_top_up_and_a_purchase_move_the_money_and_the_ledger_together(issuer, ledger, server,
                                                                         wallet):
    sim, number = wallet
    report, outcome = session(issuer, server, sim, "/topup/amount=2000/pin=1234")
    assert report.ok and outcome.ok and outcome.balance == 2000
    assert [n.message for n in report.notifications] == ["credited £20.00; balance £20.00"]
    report, outcome = session(issuer, server, sim, "/pay/amount=750/pin=1234")
    assert report.ok and outcome.message == "paid £7.50; balance £12.50"
    (debit,) = ledger.debits(number)
    assert debit.matched and debit.sequence == 1
    assert ledger.balance(number) == 1250
    # The issuer's commands, in order: the session's fixed start, then the purchase.
    ins = [e.command[1] for e in report.exchanges]
    assert ins == [0xA4, 0x50, 0x82, 0x40, 0x09, 0x21, 0x24, 0x40, 0x20, 0x30]


def test_the_strictest_policy_still_lets_the_issuer_read_the_card_number(issuer, server,
                                                                         wallet):
    # Every read of a private field needs the PIN directly before: the issuer's session
    # submits it right before READ card number, so it still works.
    sim, number = wallet
    sim.select(AID)
    send(sim, commands.submit_pin(PIN), issuer.isd_keys)
    assert send(sim, commands.set_policy(0x0F), issuer.isd_keys).sw == 0x9000
    sim.reset()
    _, outcome = session(issuer, server, sim, "/topup/amount=100/pin=1234")
    assert outcome.ok and outcome.card_number == number


def test_a_refusal_ends_the_session_with_a_negative_notification(issuer, server, wallet):
    sim, _ = wallet
    report, outcome = session(issuer, server, sim, "/pay/amount=1/pin=1234")
    assert report.outcome is Outcome.ABORTED
    assert report.notifications[-1].id == -1
    assert outcome.message == "refused: the balance is too low"


def test_a_wrong_pin_is_refused_with_the_tries_left_then_blocked(issuer, server, wallet):
    sim, _ = wallet
    messages = [session(issuer, server, sim, "/balance/pin=9999")[1].message for _ in range(3)]
    assert messages == ["refused: wrong PIN, 2 tries left", "refused: wrong PIN, 1 tries left",
                        "refused: the PIN is blocked: unblock it with the unblock code"]
    assert "blocked" in session(issuer, server, sim, "/balance/pin=1234")[1].message
    sim.select(AID)
    assert send(sim, commands.unblock(UNBLOCK_CODE), issuer.isd_keys).sw == 0x9000
    assert session(issuer, server, sim, "/balance/pin=1234")[1].ok


def test_a_card_the_issuer_did_not_issue_is_refused(issuer, ledger, server, wallet):
    stranger = Simulator()
    another_issuer = WalletIssuer(Ledger(Path(ledger.path).with_name("elsewhere.db")))
    another_issuer.issue(stranger, PIN, card_number="5555")
    _, outcome = session(issuer, server, stranger, "/topup/amount=100/pin=1234")
    # Its security domain holds the other issuer's keys: no channel, no PIN sent.
    assert outcome.message == "refused: the card does not hold this issuer's keys"
    assert stranger.applet_instance(AID).pin.getTriesRemaining() == 3
    # An issuer sharing our security domain keys still has its own card keys and ledger.
    sharing = WalletIssuer(Ledger(Path(ledger.path).with_name("sharing.db")), issuer.isd_keys)
    twin = Simulator()
    sharing.issue(twin, PIN, card_number="5556")
    _, outcome = session(issuer, server, twin, "/topup/amount=100/pin=1234")
    assert outcome.message == "refused: card 5556 was not issued here"
    assert ledger.money() == ((), ())


def test_a_card_without_a_wallet_is_refused(issuer, server):
    _, outcome = session(issuer, server, Simulator(), "/balance/pin=1234")
    assert outcome.message == "refused: this card has no wallet"


def test_a_malformed_path_is_refused_before_the_card_is_touched(issuer, server, wallet):
    sim, _ = wallet
    report, outcome = session(issuer, server, sim, "/steal/pin=1234")
    assert not outcome.ok and report.exchanges == ()


def test_a_top_up_above_the_maximum_balance_grants_nothing(issuer, ledger, server, wallet):
    sim, _ = wallet
    assert session(issuer, server, sim, f"/topup/amount={MAX_BALANCE}/pin=1234")[1].ok
    _, outcome = session(issuer, server, sim, "/topup/amount=1/pin=1234")
    assert outcome.message == "refused: the balance would go above £327.67"
    assert [c.value for c in ledger.credits()] == [MAX_BALANCE]


def test_a_lost_credit_receipt_is_recovered_from_the_cards_record(issuer, ledger, server,
                                                                  wallet):
    sim, number = wallet
    with UntrustedNetwork(server.url) as network:
        network.lose_answer_to(INS_CREDIT_ATTEMPT)
        run_session(sim, network.url + "/topup/amount=900/pin=1234")
        assert [c.state for c in ledger.credits()] == ["granted"]
        report = run_session(sim, network.url + "/balance/pin=1234")
    assert report.ok
    assert issuer.history[-1].recovery == ("credit of £9.00 applied (its receipt was lost)",)
    assert [c.state for c in ledger.credits()] == ["applied"]
    assert ledger.balance(number) == 900


def test_a_forged_credit_receipt_is_not_taken(issuer, ledger, server, wallet):
    sim, _ = wallet
    with UntrustedNetwork(server.url) as network:
        network.rewrite_answer(INS_CREDIT_ATTEMPT, lambda answer: b"\xff" * 8 + answer[-2:])
        run_session(sim, network.url + "/topup/amount=900/pin=1234")
    outcome = issuer.history[-1]
    assert outcome.ok and "damaged on the way" in outcome.message
    (credit,) = ledger.credits()
    assert credit.state == "applied" and credit.receipt != b"\xff" * 8


def test_a_granted_credit_the_card_never_applied_is_applied_by_the_next_session(
        issuer, ledger, server, wallet):
    sim, number = wallet
    # The grant is on the ledger but the attempt never reached the card (its power went first).
    card = TearingCard.from_snapshot(sim.snapshot())
    card.tear_during(INS_CREDIT_ATTEMPT, after_writes=0)
    assert run_session(card, server.url + "/topup/amount=400/pin=1234").outcome is \
        Outcome.CARD_ERROR
    card.power_on()
    assert run_session(card, server.url + "/balance/pin=1234").ok
    assert issuer.history[-1].recovery == ("credit of £4.00 applied on a second attempt",)
    assert ledger.balance(number) == 400


# --- the ledger ----------------------------------------------------------------------------------

def test_the_master_key_is_made_once_and_kept(tmp_path):
    first = Ledger(tmp_path / "l.db").master_key()
    assert len(first) == 16 and Ledger(tmp_path / "l.db").master_key() == first


def test_a_card_number_is_issued_once(issuer):
    issuer.issue(Simulator(), PIN, card_number="42")
    with pytest.raises(LedgerError):
        issuer.issue(Simulator(), PIN, card_number="42")


def test_the_ledger_refuses_a_transition_its_table_does_not_have(ledger):
    ledger.register_card("1", bytes(16), UNBLOCK_CODE)
    ledger.grant_credit("1", b"c" * 8, 10, b"r" * 8)
    assert ledger.apply_credit("1", b"c" * 8, b"t" * 8)
    assert not ledger.apply_credit("1", b"c" * 8, b"t" * 8)  # applied once
    with pytest.raises(LedgerError):
        ledger.refuse_credit("1", b"c" * 8)
    with pytest.raises(LedgerError):
        ledger.grant_credit("1", b"c" * 8, 10, b"r" * 8)


# --- the command line and the demo ----------------------------------------------------------------

def test_issue_writes_a_personalised_card_image_and_ledger_lists_it(tmp_path, capsys):
    db, image = tmp_path / "w.db", tmp_path / "card.jcimg"
    assert main(["issue", "--db", str(db), "--image", str(image), "--pin", "2468",
                 "--card-number", "7777", "--unblock-code", "11223344"]) == 0
    assert "card number 7777, unblock code 11223344" in capsys.readouterr().out
    sim = Simulator.load(image)
    with pytest.raises(SecureLinkError):  # the factory keys are gone from the card
        send(sim, commands.submit_pin(b"2468"))
    keys = WalletIssuer(Ledger(db)).isd_keys
    assert send(sim, commands.submit_pin(b"2468"), keys).sw == 0x9000
    assert send(sim, commands.read_field(9), keys).data.rstrip() == b"7777"
    assert main(["issue", "--db", str(db), "--image", str(image), "--pin", "2468"]) == 2
    assert main(["issue", "--db", str(db), "--image", str(tmp_path / "b"), "--pin", "1",
                 "--card-number", "8"]) == 2
    assert main(["ledger", "--db", str(db)]) == 0
    assert "card 7777: balance by the ledger £0.00" in capsys.readouterr().out


def test_the_wallet_demo_runs_to_the_end():
    from rich.console import Console

    from jcsim.cli.demo import run_demo

    console = Console(record=True, width=100)
    assert run_demo("wallet", console, pause=False) == 0
    text = console.export_text()
    assert "debit 2 of £3.00 settled from the card's record" in text
    assert "refused: the card refused the credit (6982)" in text
    assert "card number (decrypted by the host): " in text
    assert "the PIN '1234' is in none of them" in text
    assert "refused: the balance is too low" in text
    assert "on the card £5.50; ledger: credits £20.00 - debits £14.50 = £5.50" in text
