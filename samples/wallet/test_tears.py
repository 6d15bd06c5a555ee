"""Tear sweeps: the card torn at every persistent write of a debit and of a credit.

First on the card alone (``jcsim.testing.tear_sweep``, the issuer's check done here with its
MACs): after the power-up the balance plus the debits the card can prove is what it was, and a
credit is applied at most once. Then end to end, the issuer's server driving the card over
RAM over HTTP on 127.0.0.1: at every tear point, after the power-up and the next session's
recovery, the card's balance is what the ledger says (applied credits - confirmed debits),
nothing is settled twice and nothing stays open.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from jcsim import Simulator
from jcsim.remote import Outcome, run_session
from jcsim.samples.wallet import AID, commands, macs
from jcsim.samples.wallet.faults import TearingCard
from jcsim.samples.wallet.issuer import WalletIssuer
from jcsim.samples.wallet.ledger import Ledger
from jcsim.samples.wallet.protocol import INS_CREDIT_ATTEMPT, INS_CREDIT_PREPARE, INS_DEBIT
from jcsim.samples.wallet.secure import SecureLink
from jcsim.samples.wallet.server import make_server
from jcsim.testing import TearPoint, tear_sweep
from samples.wallet.conftest import KEY, PIN

FUNDS = 1000
FIRST, SECOND = bytes.fromhex("0A0A0A0A0A01"), bytes.fromhex("0B0B0B0B0B02")
DEBITS = {1: (FIRST, 250), 2: (SECOND, 100)}


def balance_of(sim: Simulator) -> int:
    assert sim.select(AID).sw == 0x9000
    response = sim.transmit(commands.balance())
    assert response.sw == 0x9000
    return int.from_bytes(response.data, "big")


# --- on the card -------------------------------------------------------------------------------

def proven_debits(sim: Simulator) -> int:
    """What the issuer would settle from LAST DEBIT: every debit up to the proven sequence."""
    record = sim.transmit(commands.last_debit())
    if record.sw == 0x6A88:
        return 0
    challenge, value = record.data[:6], int.from_bytes(record.data[6:8], "big")
    sequence = int.from_bytes(record.data[8:10], "big")
    assert macs.matches(macs.debit_proof(KEY, challenge, value, sequence), record.data[10:])
    assert DEBITS[sequence] == (challenge, value)
    return sum(DEBITS[s][1] for s in range(1, sequence + 1))


def wire_script(card: Simulator, steps: list) -> list[bytes]:
    """``steps`` sent through a secure channel (a fixed host challenge) to a copy of ``card``,
    SELECT first: the bytes of INITIALIZE UPDATE, EXTERNAL AUTHENTICATE and each wrapped step."""
    copy = Simulator.from_snapshot(card.snapshot())
    assert copy.select(AID).sw == 0x9000
    wire: list[bytes] = []

    def record(command: bytes):
        wire.append(bytes(command))
        return copy.transmit(command)

    link = SecureLink(record, random_bytes=bytes)
    link.open()
    for step in steps:
        assert link.transmit(step).sw == 0x9000
    return wire


def test_debits_conserve_value_at_every_tear_point(card, fund):
    fund(card, FUNDS)

    def conserved(sim: Simulator, point: TearPoint) -> None:
        balance = balance_of(sim)
        assert balance + proven_debits(sim) == FUNDS, f"balance {balance}"

    # The issuer's commands as they go on the wire, recorded once on a copy: the card's
    # challenge comes from its sequence counter, so each copy of the card accepts them again.
    steps = []
    for challenge, value in DEBITS.values():
        steps += [commands.submit_pin(PIN), commands.debit(challenge, value)]
    sequence = ["00 A4 04 00 07 F057414C4C4554", *wire_script(card, steps)]
    report = tear_sweep(card, sequence, conserved)
    # SELECT, INITIALIZE UPDATE, EXTERNAL AUTHENTICATE, then PIN, DEBIT, PIN, DEBIT.
    assert report.writes_per_command[4] == report.writes_per_command[6] > 3
    assert len(report.points) == len(sequence) + sum(report.writes_per_command)


def test_a_credit_is_applied_at_most_once_at_every_tear_point(card, fund):
    fund(card, FUNDS)
    # The credit is prepared before the sweep: its pending challenge is in every copy.
    challenge = card.transmit(commands.credit_prepare(500)).data
    response = macs.credit_response(KEY, challenge, 500)
    attempt = commands.credit_attempt(response)

    def applied_once(sim: Simulator, point: TearPoint) -> None:
        balance = balance_of(sim)
        assert balance in (FUNDS, FUNDS + 500)
        if balance == FUNDS + 500:
            record = sim.transmit(commands.last_credit()).data
            assert record[:8] == challenge
            assert record[10:] == macs.credit_receipt(KEY, challenge, 500)
        else:
            # Rolled back: the credit is still pending, and applies now, once.
            assert sim.transmit(attempt).sw == 0x9000
        assert sim.transmit(attempt).sw == 0x6985
        assert balance_of(sim) == FUNDS + 500

    report = tear_sweep(card, ["00 A4 04 00 07 F057414C4C4554", attempt, attempt],
                        applied_once)
    assert report.writes_per_command[1] > 3 and report.writes_per_command[2] == 0


# --- end to end, with the issuer's recovery -----------------------------------------------------

class Bench:
    """A funded card and its ledger, copied afresh for each tear point; one server whose
    issuer gets each copy's ledger in turn."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.issuer = WalletIssuer(Ledger(directory / "base.db"))
        card = TearingCard()
        self.card_number = self.issuer.issue(card, PIN).card_number
        self.server = make_server(self.issuer, response_timeout=10).start()
        assert self.session(card, f"/topup/amount={FUNDS}").ok
        self.image = card.snapshot()
        self.copies = 0

    def session(self, card: Simulator, request: str):
        return run_session(card, f"{self.server.url}{request}/pin={PIN.decode()}")

    def fresh(self) -> tuple[TearingCard, Ledger]:
        self.copies += 1
        path = self.directory / f"copy{self.copies}.db"
        shutil.copyfile(self.directory / "base.db", path)
        self.issuer.ledger = Ledger(path)
        return TearingCard.from_snapshot(self.image), self.issuer.ledger

    def writes_of(self, ins: int, request: str) -> int:
        """How many persistent writes the command with ``ins`` makes in ``request``, untorn."""
        card, _ = self.fresh()
        counts = []
        card.subscribe(lambda exchange: counts.append(card.card.journal.writes)
                       if exchange.command[1] == ins else None)
        assert self.session(card, request).ok
        (count,) = counts
        return count

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def bench(tmp_path: Path):
    bench = Bench(tmp_path)
    yield bench
    bench.close()


def tears(bench: Bench, ins: int, request: str) -> list[dict]:
    """Every tear point of ``ins`` in ``request``: after 0..N writes, and just after the
    commit (the tear hook), each followed by a power-up and a recovery session."""
    points = [{"after_writes": n} for n in range(bench.writes_of(ins, request) + 1)]
    name = {INS_DEBIT: "debit", INS_CREDIT_ATTEMPT: "credit"}.get(ins)
    if name:
        points.append({"at_hook": f"{name}:committed"})
    return points


def tear_and_recover(bench: Bench, ins: int, request: str, point: dict):
    card, ledger = bench.fresh()
    card.tear_during(ins, **point)
    torn = bench.session(card, request)
    assert torn.outcome is Outcome.CARD_ERROR and "lost power" in torn.detail, point
    card.power_on()
    recovery = bench.session(card, "/balance")
    assert recovery.ok, (point, recovery.detail)
    return card, ledger


def test_the_issuer_settles_a_torn_debit_exactly_once_at_every_tear_point(bench):
    outcomes = set()
    for point in tears(bench, INS_DEBIT, "/pay/amount=250"):
        card, ledger = tear_and_recover(bench, INS_DEBIT, "/pay/amount=250", point)
        balance = balance_of(card)
        assert balance == ledger.balance(bench.card_number), point
        assert balance + sum(d.value for d in ledger.debits()) == FUNDS, point
        assert ledger.open_challenges(bench.card_number) == [], point
        outcomes.add(balance)
    # Torn inside the transaction: nothing paid; torn after the commit: paid, settled once.
    assert outcomes == {FUNDS, FUNDS - 250}


def test_the_issuer_applies_a_torn_credit_exactly_once_at_every_tear_point(bench):
    for point in tears(bench, INS_CREDIT_ATTEMPT, "/topup/amount=500"):
        card, ledger = tear_and_recover(bench, INS_CREDIT_ATTEMPT, "/topup/amount=500", point)
        # Whether the tear rolled the credit back or not, the recovery leaves it applied once.
        assert balance_of(card) == ledger.balance(bench.card_number) == FUNDS + 500, point
        (credit,) = [c for c in ledger.credits() if c.value == 500]
        assert credit.state == "applied"
        # The server's own response, replayed at the card: refused, nothing credited twice.
        assert card.transmit(commands.credit_attempt(credit.response)).sw == 0x6985
        assert balance_of(card) == FUNDS + 500


def test_a_credit_torn_while_being_prepared_grants_nothing(bench):
    for point in tears(bench, INS_CREDIT_PREPARE, "/topup/amount=500"):
        card, ledger = tear_and_recover(bench, INS_CREDIT_PREPARE, "/topup/amount=500", point)
        assert balance_of(card) == ledger.balance(bench.card_number) == FUNDS, point
        assert [c.value for c in ledger.credits()] == [FUNDS]
