"""``jcsim demo transactions``: a debit, a tear in the middle of one, the rollback at the next
power-up, and the card saved to an image and loaded back."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile

from jcsim import CardTornError, Simulator
from jcsim.samples.purse_tx.purse import BrokenPurse, Purse

AID = "F0 00 00 00 30 01"
BALANCE = "80 32 00 00 04"
LOG = "80 34 00 00 00"


def debit(amount: int) -> str:
    return f"80 30 00 00 02 {amount:04X}"


def memory(sim: Simulator) -> str:
    """What the card's persistent memory holds, read from the host side (no command)."""
    purse = sim.applet_instance(AID)
    return (f"balance {purse.balance}, log {list(purse.amounts[:purse.count])} "
            f"(count {purse.count})")


def run(walk) -> None:  # walk: jcsim.cli.demo.Walkthrough
    sim = walk.simulator()
    walk.step("Install", "Install the Purse applet (jcsim.samples.purse_tx.purse) "
              f"under AID {AID} as the default applet. It holds a balance of 1000 and a log "
              "of debits.")
    sim.install(Purse, AID, default=True)
    sim.power_on()
    walk.step("A debit", "DEBIT 100: inside one transaction the applet lowers the balance, "
              "stores the amount in the log and counts it (three persistent writes), then "
              "commits.")
    walk.expect(sim.transmit(debit(100)), 0x9000)
    walk.expect(sim.transmit(BALANCE), 0x9000, bytes.fromhex("0384 0001"))
    walk.note(memory(sim))
    walk.step("A tear", "sim.arm_tear(after_writes=2) cuts the power during the next command, "
              "just after its second persistent write: the balance and the log entry are "
              "written, the count is not. The command gets no response.")
    sim.arm_tear(after_writes=2)
    try:
        sim.transmit(debit(250))
    except CardTornError as exc:
        walk.note(f"CardTornError: {exc}")
    walk.note(f"The card is off. Its memory now: {memory(sim)}; the transaction is still open.")
    walk.step("Power-up", "At the next power-up the JCRE rolls the interrupted transaction back "
              "before any applet code runs: the debit of 250 never happened.")
    sim.power_on()
    walk.note(f"After the power-up: {memory(sim)}")
    walk.expect(sim.transmit(BALANCE), 0x9000, bytes.fromhex("0384 0001"))
    walk.expect(sim.transmit(LOG), 0x9000, bytes.fromhex("0064"))
    walk.step("Without a transaction", "BrokenPurse makes the same three writes outside any "
              "transaction. The same tear leaves a balance that no longer matches its log: "
              "250 are gone. A tear sweep (jcsim.testing.tear_sweep) finds this at once.")
    broken = walk.simulator()
    broken.install(BrokenPurse, AID, default=True)
    broken.power_on()
    broken.arm_tear(after_writes=2)
    with contextlib.suppress(CardTornError):  # the tear is the point
        broken.transmit(debit(250))
    broken.power_on()
    walk.note(f"BrokenPurse after the power-up: {memory(broken)}")
    walk.step("Card image", "sim.save(path) writes the whole card (applets, packages, every "
              "persistent field and array, the default applet) to a JSON image, atomically; "
              "Simulator.load(path) gives a card that carries on where this one stopped.")
    with tempfile.TemporaryDirectory() as directory:
        path = os.path.join(directory, "purse.jcimg")
        sim.save(path)
        with open(path, "rb") as handle:
            document = json.load(handle)
        walk.note(f"{os.path.getsize(path)} bytes, format {document['format']!r} version "
                  f"{document['version']}, sha256 {document['sha256'][:16]}…")
        loaded = Simulator.load(path)
    loaded.subscribe(walk.trace)
    walk.expect(loaded.transmit(debit(50)), 0x9000)
    walk.expect(loaded.transmit(BALANCE), 0x9000, bytes.fromhex("0352 0002"))
    walk.expect(loaded.transmit(LOG), 0x9000, bytes.fromhex("0064 0032"))
    walk.done("Balance plus logged debits is 1000 at every step, whenever the power goes.")
