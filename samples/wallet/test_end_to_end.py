"""The whole flow over HTTP on 127.0.0.1 with the issuer and the card in separate processes:
``python -m jcsim.samples.wallet.server serve`` in a subprocess, the card first in this process
(``run_session`` on a card image, behind the untrusted-network relay) and then as
``jcsim remote-card`` in a subprocess of its own, as docs/wallet.md shows."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from jcsim import Simulator
from jcsim.remote import Outcome, run_session
from jcsim.samples.wallet import AID, commands
from jcsim.samples.wallet.faults import UntrustedNetwork
from jcsim.samples.wallet.ledger import Ledger
from jcsim.samples.wallet.protocol import INS_DEBIT
from jcsim.samples.wallet.server import main

ROOT = Path(__file__).resolve().parents[2]
NUMBER = "4000555566667777"


@pytest.fixture
def issuer_process(tmp_path: Path) -> Iterator[str]:
    """The issuer serving in its own process; yields its URL."""
    db = tmp_path / "wallet.db"
    process = subprocess.Popen(
        [sys.executable, "-m", "jcsim.samples.wallet.server", "serve", "--db", str(db),
         "--port", "0", "--timeout", "10"], cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    try:
        first = process.stdout.readline()
        assert "Serving the wallet issuer at http://127.0.0.1:" in first, first
        yield first.split(" at ")[1].split()[0]
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()


def remote_card(url: str, image: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "jcsim", "remote-card", url, "--image", str(image),
         "--allow-module", "jcsim.samples.wallet.applet"],
        cwd=ROOT, capture_output=True, text=True, timeout=60)


def balance_in(image: Path) -> int:
    sim = Simulator.load(image)
    assert sim.select(AID).sw == 0x9000
    return int.from_bytes(sim.transmit(commands.balance()).data, "big")


def test_issue_top_up_pay_lose_a_response_and_settle_across_processes(tmp_path, issuer_process):
    db, image = tmp_path / "wallet.db", tmp_path / "card.jcimg"
    assert main(["issue", "--db", str(db), "--image", str(image), "--pin", "1234",
                 "--card-number", NUMBER]) == 0

    # The card in its own process: jcsim remote-card loads the image and saves it again.
    top_up = remote_card(f"{issuer_process}/topup/amount=2000/pin=1234", image)
    assert top_up.returncode == 0, top_up.stdout + top_up.stderr
    assert "notify 1: credited £20.00; balance £20.00" in top_up.stdout
    assert balance_in(image) == 2000

    # The card in this process, the issuer in the other, the relay losing the debit's answer.
    sim = Simulator.load(image)
    with UntrustedNetwork(issuer_process) as network:
        network.lose_answer_to(INS_DEBIT)
        lost = run_session(sim, f"{network.url}/pay/amount=750/pin=1234")
    assert lost.outcome is Outcome.TRANSPORT_ERROR and network.lost == 1
    sim.save(image)
    assert Ledger(db).debits() == [] and balance_in(image) == 1250

    # The next session, again from its own process, settles that debit once.
    settle = remote_card(f"{issuer_process}/balance/pin=1234", image)
    assert settle.returncode == 0, settle.stdout + settle.stderr
    assert "notify 1: nothing to do; balance £12.50" in settle.stdout
    refused = remote_card(f"{issuer_process}/pay/amount=5000/pin=1234", image)
    assert refused.returncode == 1
    assert "refused: the balance is too low" in refused.stdout

    ledger = Ledger(db)
    assert [(d.value, d.matched) for d in ledger.debits()] == [(750, True)]
    assert ledger.balance(NUMBER) == balance_in(image) == 1250
