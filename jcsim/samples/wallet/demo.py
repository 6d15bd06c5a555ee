"""``jcsim demo wallet``: the e-cash wallet end to end. An issuer server on 127.0.0.1 (a
background thread, an ephemeral port, a SQLite ledger in a temporary directory) drives a
simulated card over RAM over HTTP, through a relay that plays the untrusted network, inside an
SCP03 secure channel with the card's issuer security domain."""

from __future__ import annotations

import os
import tempfile

from jcsim.cli.demo import DemoError
from jcsim.remote import run_session
from jcsim.samples.wallet import AID, commands
from jcsim.samples.wallet.faults import TearingCard, UntrustedNetwork
from jcsim.samples.wallet.issuer import SessionOutcome, WalletIssuer, money
from jcsim.samples.wallet.ledger import Ledger
from jcsim.samples.wallet.protocol import INS_CREDIT_ATTEMPT, INS_DEBIT
from jcsim.samples.wallet.secure import SecureLink
from jcsim.samples.wallet.server import make_server

PIN = b"1234"


class _Demo:
    def __init__(self, walk, issuer: WalletIssuer, card: TearingCard, card_number: str,
                 network: UntrustedNetwork) -> None:
        self.walk = walk
        self.issuer = issuer
        self.card = card
        self.card_number = card_number
        self.network = network

    def session(self, request: str, *, ok: bool | None = True) -> SessionOutcome | None:
        """One RAM over HTTP session for ``request``; ``ok`` is what the issuer must conclude
        (None: the session is expected to break off)."""
        url = f"{self.network.url}{request}/pin={PIN.decode()}"
        self.walk.note(f"session {url}")
        before = len(self.issuer.history)
        report = run_session(self.card, url)
        self.walk.note(f"card side: {report.outcome.value} ({report.detail})")
        outcome = self.issuer.history[-1] if len(self.issuer.history) > before else None
        if outcome is not None:
            for note in outcome.recovery:
                self.walk.note(f"issuer's recovery: {note}")
            self.walk.note(f"issuer: {outcome.message}")
        if ok is not None and (outcome is None or outcome.ok is not ok):
            raise DemoError(f"{request}: expected the issuer to {'accept' if ok else 'refuse'}")
        return outcome

    def books(self, expected: int) -> None:
        """The card's balance (read from its memory, no command) against the ledger."""
        on_card = self.card.applet_instance(AID).balance
        ledger = self.issuer.ledger
        credits = sum(c.value for c in ledger.credits(self.card_number, "applied"))
        debits = sum(d.value for d in ledger.debits(self.card_number))
        self.walk.note(f"on the card {money(on_card)}; ledger: credits {money(credits)} - "
                       f"debits {money(debits)} = {money(credits - debits)}")
        if not on_card == credits - debits == expected:
            raise DemoError(f"the books do not balance at {money(expected)}")


def run(walk) -> None:  # walk: jcsim.cli.demo.Walkthrough
    with tempfile.TemporaryDirectory() as directory:
        issuer = WalletIssuer(Ledger(os.path.join(directory, "wallet.db")))
        with make_server(issuer, response_timeout=10) as server, \
                UntrustedNetwork(server.url) as network:
            _run(walk, issuer, server.url, network)


def _run(walk, issuer: WalletIssuer, server_url: str, network: UntrustedNetwork) -> None:
    card = TearingCard()
    card.subscribe(walk.trace)
    walk.step("Issue", "The issuer derives the card's AES key from its master key and a new "
              "card number (SP 800-108 KDF with AES-CMAC), records the card in its SQLite "
              "ledger, and installs SmartWallet with the key, an unblock code, the PIN 1234 "
              "and the card number as install parameters. The key never travels again.")
    issued = issuer.issue(card, PIN)
    walk.note(f"card number {issued.card_number}, unblock code {issued.unblock_code.decode()}")
    walk.note(f"issuer at {server_url}; the card talks to it through an untrusted network "
              f"relay at {network.url}")
    demo = _Demo(walk, issuer, card, issued.card_number, network)

    walk.step("Personalise", "The issuer's terminal fills in the profile: each write needs "
              "the PIN submitted directly before, so a write on its own is refused with 6982. "
              "The PIN itself never crosses in clear: SUBMIT PIN in plain CLA 80 is refused "
              "with 6982 before the card looks at it (no try is spent).")
    walk.expect(card.transmit(commands.select()), 0x9000)
    walk.expect(card.transmit(commands.write_field(1, b"jsmith")), 0x6982)
    walk.expect(card.transmit(commands.submit_pin(PIN)), 0x6982)
    walk.note("SCP03 through the issuer security domain: INITIALIZE UPDATE and EXTERNAL "
              "AUTHENTICATE go to the wallet, which hands them to SecureChannel.processSecurity; "
              "level 33 = C-MAC, C-DECRYPTION, R-MAC, R-ENCRYPTION")
    link = SecureLink(card.transmit, issuer.isd_keys)
    link.open()
    walk.note("from here the trace shows CLA 84: encrypted data and an 8-byte C-MAC; the "
              "answers carry an R-MAC and come encrypted")
    for number, text in ((1, b"jsmith"), (3, b"Jane"), (4, b"Smith"), (6, b"Dundee")):
        walk.expect(link.transmit(commands.submit_pin(PIN)), 0x9000)
        walk.expect(link.transmit(commands.write_field(number, text)), 0x9000)
    walk.note("the card number is a private field: readable once the PIN is in this session")
    number = walk.expect(link.transmit(commands.read_field(9)), 0x9000).data
    walk.note(f"card number (decrypted by the host): {number.decode().rstrip()}")

    walk.step("Top up", "A session asks the issuer for a credit of £20.00. The issuer selects "
              "the wallet and opens the secure channel over RAM over HTTP; every command after "
              "that is wrapped. The card prepares the credit (a random 8-byte challenge), the "
              "issuer records the grant and answers with CMAC('C' || challenge || value), the "
              "card credits once and returns a receipt.")
    demo.session("/topup/amount=2000")
    demo.books(2000)

    walk.step("Buy something", "A purchase of £7.50: SUBMIT PIN directly before DEBIT with a "
              "fresh 6-byte challenge from the ledger. The card lowers the balance and stores "
              "its proof CMAC('D' || challenge || value || sequence) in one transaction.")
    demo.session("/pay/amount=750")
    demo.books(1250)

    walk.step("A lost response", "The network drops the card's answer to the next DEBIT. The "
              "card has paid; the issuer has only an open challenge. The next session starts "
              "with LAST DEBIT, verifies the proof and settles that debit, once.")
    network.lose_answer_to(INS_DEBIT)
    demo.session("/pay/amount=300", ok=False)
    open_challenges = issuer.ledger.open_challenges(issued.card_number)
    walk.note(f"open challenges on the ledger: {[money(c.value) for c in open_challenges]}")
    demo.session("/balance")
    demo.books(950)
    demo.session("/balance")  # nothing left to settle

    walk.step("A replayed credit", "Someone replays the credit response the network carried "
              "in step 3: straight to the card (no session: 6982), then in place of the "
              "issuer's command in a new top-up (its C-MAC belongs to another session: 6982, "
              "the card closes the session and the pending credit is never tried).")
    replay = network.commands_with(INS_CREDIT_ATTEMPT)[0].command
    walk.expect(card.transmit(commands.select()), 0x9000)
    walk.expect(card.transmit(replay), 0x6982)
    network.rewrite_command(INS_CREDIT_ATTEMPT, lambda command: replay)
    demo.session("/topup/amount=2000", ok=False)
    demo.books(950)

    walk.step("Above the balance", "A purchase of £50.00 with £9.50 on the card: the card "
              "refuses the debit (6A85); the issuer voids the challenge.")
    demo.session("/pay/amount=5000", ok=False)
    demo.books(950)

    walk.step("Torn during a debit", "The card loses power inside the debit's transaction, "
              "just after the new balance is written. At the next power-up the JCRE rolls it "
              "back; the next session finds the challenge unused and voids it.")
    card.tear_during(INS_DEBIT, at_hook="debit:balance-written")
    demo.session("/pay/amount=400", ok=None)
    card.power_on()
    demo.session("/balance")
    demo.books(950)
    walk.note("Torn just after the commit instead: the card has paid, the answer never left "
              "it; the next session settles the debit from the card's record.")
    card.tear_during(INS_DEBIT, at_hook="debit:committed")
    demo.session("/pay/amount=400", ok=None)
    card.power_on()
    demo.session("/balance")
    demo.books(550)

    walk.step("A captured session", "Everything the network carried so far, replayed at the "
              "card in order: INITIALIZE UPDATE gets a new card challenge, so the old EXTERNAL "
              "AUTHENTICATE fails (6300) and every wrapped command after it is refused (6982). "
              "No command the network carried holds the PIN.")
    carried = [c.command for c in network.carried]
    before = card.applet_instance(AID).balance
    answers = [card.transmit(command).sw for command in carried]
    refused = sum(1 for command, sw in zip(carried, answers, strict=True)
                  if command[0] & 0x04 and sw != 0x9000)
    wrapped = sum(1 for command in carried if command[0] & 0x04)
    walk.note(f"{len(carried)} commands replayed, {refused} of the {wrapped} wrapped ones "
              f"refused; balance {money(before)} before, "
              f"{money(card.applet_instance(AID).balance)} after")
    if refused != wrapped or card.applet_instance(AID).balance != before:
        raise DemoError("a replayed command was accepted")
    if any(PIN in command for command in carried):
        raise DemoError("the PIN crossed the network in clear")
    walk.note(f"the PIN {PIN.decode()!r} is in none of them")
    walk.done("Nothing lost, nothing created: after every fault the card's balance equals the "
              "ledger's applied credits minus its confirmed debits, each settled once.")
