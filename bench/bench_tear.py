"""Tear sweeps: ``python bench/bench_tear.py``.

``jcsim.testing.tear_sweep`` tears the card at every persistent write of every command. Two
sweeps: jcsim/samples/purse_tx (a SELECT and eight transactional debits, 25 tear points), and a
ledger of 333 transactional transfers, 2 writes each (1,000 tear points), where replaying the
commands before each tear point would be quadratic. Each is run several times; the table gives
the median, the fastest and the slowest, and the tear points per second.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from datetime import date
from typing import Any

from jcsim import Simulator
from jcsim.framework import ISO7816, Applet, JCSystem
from jcsim.samples.purse_tx import Purse
from jcsim.samples.purse_tx.purse import INITIAL_BALANCE
from jcsim.testing import TearPoint, tear_sweep

PURSE_AID = "F0 00 00 00 30 01"
LEDGER_AID = "F0 00 00 00 31 01"


class Ledger(Applet):
    """INS 10 moves P2 units from ``left`` to ``right`` in one transaction; INS 20 answers
    both (two bytes each)."""

    def __init__(self) -> None:
        self.left = 30000
        self.right = 0

    def process(self, apdu: Any) -> None:
        if self.selectingApplet():
            return
        buffer = apdu.getBuffer()
        if buffer[ISO7816.OFFSET_INS] == 0x10:
            amount = buffer[ISO7816.OFFSET_P2]
            JCSystem.beginTransaction()
            self.left = self.left - amount
            self.right = self.right + amount
            JCSystem.commitTransaction()
        else:
            buffer[0:4] = self.left.to_bytes(2, "big") + self.right.to_bytes(2, "big")
            apdu.setOutgoingAndSend(0, 4)


def ledger_sweep() -> int:
    sim = Simulator()
    sim.install(Ledger, LEDGER_AID)
    select = f"00 A4 04 00 06 {LEDGER_AID} 00"

    def conserved(card: Simulator, point: TearPoint) -> None:
        card.transmit(select)
        data = card.transmit("80 20 00 00 04").data
        assert int.from_bytes(data[:2], "big") + int.from_bytes(data[2:], "big") == 30000

    report = tear_sweep(sim, [select] + ["80 10 00 01"] * 333, conserved)
    return len(report.points)


def purse_sweep() -> int:
    sim = Simulator()
    sim.install(Purse, PURSE_AID)
    select = f"00 A4 04 00 06 {PURSE_AID} 00"

    def conserved(card: Simulator, point: TearPoint) -> None:
        card.transmit(select)
        balance = card.transmit("80 32 00 00 04").data
        log = card.transmit("80 34 00 00 00").data
        logged = sum(int.from_bytes(log[i:i + 2], "big") for i in range(0, len(log), 2))
        assert int.from_bytes(balance[:2], "big") + logged == INITIAL_BALANCE

    report = tear_sweep(sim, [select] + ["80 30 00 00 02 00 05"] * 8, conserved)
    return len(report.points)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(f"# jcsim tear sweeps, {date.today()}, Python {platform.python_version()}, "
          f"{platform.machine()}; {args.runs} runs each")
    print(f"{'sweep':<34}{'points':>8}{'median s':>10}{'min s':>8}{'max s':>8}{'points/s':>10}")
    for name, sweep in (("purse_tx: SELECT + 8 debits", purse_sweep),
                        ("ledger: SELECT + 333 transfers", ledger_sweep)):
        times = []
        points = 0
        for _ in range(args.runs):
            start = time.perf_counter()
            points = sweep()
            times.append(time.perf_counter() - start)
        median = statistics.median(times)
        print(f"{name:<34}{points:>8}{median:>10.3f}{min(times):>8.3f}{max(times):>8.3f}"
              f"{points / median:>10,.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
