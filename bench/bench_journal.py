"""The cost of the transaction journal and of card images: ``python bench/bench_journal.py``.

Prints, for BENCHMARKS.md:

- single writes per second from applet code: a persistent array element or field (every one
  goes through the journal, inside a transaction or not) against a transient array element
  (never journaled), timed inside ``process`` so the APDU round trip is not counted;
- debits per second through ``Simulator.transmit``: the same three writes (balance, log entry,
  count) in a transaction and without one;
- save and load time of a card image holding 64 KiB of persistent data (as byte arrays, and as
  short arrays, whose elements are stored one JSON number each).

Each figure is the best of five runs (three for images).
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from jcsim import Simulator
from jcsim.framework import Applet, ByteArray, JCSystem, ShortArray
from jcsim.framework.casts import short

BENCH_AID = "F0 00 00 00 40 01"
TX_AID = "F0 00 00 00 40 02"
PLAIN_AID = "F0 00 00 00 40 03"
DATA_AID = "F0 00 00 00 40 04"
WRITES = 100_000
KIB_64 = 64 * 1024


class Writer(Applet):
    """INS 01..05 run ``WRITES`` writes of one kind (INS 00 the loop alone); the time they take
    is kept host side."""

    elapsed: list[float] = []

    def __init__(self) -> None:
        self.value = 0
        self.persistent = ByteArray(256)
        self.transient = JCSystem.makeTransientByteArray(256, JCSystem.CLEAR_ON_DESELECT)

    def process(self, apdu: Any) -> None:
        if self.selectingApplet():
            return
        kind = apdu.getBuffer()[1]
        persistent, transient = self.persistent, self.transient
        start = time.perf_counter()
        if kind == 0:
            for i in range(WRITES):
                _ = i & 0xFF  # the loop alone, to subtract
        elif kind == 1:
            for i in range(WRITES):
                transient[i & 0xFF] = i & 0xFF
        elif kind == 2:
            for i in range(WRITES):
                persistent[i & 0xFF] = i & 0xFF
        elif kind == 3:
            JCSystem.beginTransaction()
            for i in range(WRITES):
                persistent[i & 0xFF] = i & 0xFF  # after the first 256, no new undo entry
            JCSystem.commitTransaction()
        elif kind == 4:
            for i in range(WRITES):
                self.value = i
        elif kind == 5:
            JCSystem.beginTransaction()
            for i in range(WRITES):
                self.value = i
            JCSystem.commitTransaction()
        Writer.elapsed.append(time.perf_counter() - start)


class TxDebit(Applet):
    """A purse debit in a transaction (the log wraps, so it never fills)."""

    def __init__(self) -> None:
        self.balance = 30000
        self.amounts = ShortArray(8)
        self.count = 0

    def process(self, apdu: Any) -> None:
        if self.selectingApplet():
            return
        JCSystem.beginTransaction()
        self.debit(apdu.getBuffer()[3])
        JCSystem.commitTransaction()

    def debit(self, amount: int) -> None:
        self.balance = short(self.balance - amount)
        self.amounts[self.count & 7] = amount
        self.count = short(self.count + 1)


class PlainDebit(TxDebit):
    """The same three writes without a transaction."""

    def process(self, apdu: Any) -> None:
        if self.selectingApplet():
            return
        self.debit(apdu.getBuffer()[3])


class Data(Applet):
    """64 KiB of persistent data in byte arrays or in short arrays (install parameter 00/01)."""

    def __init__(self, shorts: bool) -> None:
        def make(i: int) -> Any:
            if shorts:
                return ShortArray([(i * 37 + j) & 0x7FFF for j in range(KIB_64 // 8)])
            return ByteArray(bytes((i * 37 + j) & 0xFF for j in range(KIB_64 // 4)))

        self.a0, self.a1, self.a2, self.a3 = make(0), make(1), make(2), make(3)

    @classmethod
    def install(cls, bArray: Any, bOffset: int, bLength: int) -> None:
        aid_length = bArray[bOffset]
        control = bOffset + 1 + aid_length
        data = control + 1 + bArray[control]
        cls(bArray[data + 1] == 1).register(bArray, bOffset + 1, aid_length)

    def process(self, apdu: Any) -> None:
        pass


def best(runs: int, measure: Callable[[], float]) -> float:
    return min(measure() for _ in range(runs))


def writes_per_second(sim: Simulator, kinds: list[int]) -> list[float]:
    """The best rate of each kind of write, the runs interleaved as for the debits."""
    best_times = [float("inf")] * len(kinds)
    for _ in range(5):
        for index, kind in enumerate(kinds):
            Writer.elapsed.clear()
            assert sim.transmit(bytes((0x80, kind, 0, 0))).sw == 0x9000
            best_times[index] = min(best_times[index], Writer.elapsed[0])
    return [WRITES / elapsed for elapsed in best_times]


def debits_per_second(cards: list[Simulator], count: int) -> list[float]:
    """The best rate of each card, the runs interleaved so a busy moment hits them alike."""
    command = bytes.fromhex("80300001")
    best_times = [float("inf")] * len(cards)
    for _ in range(5):
        for index, sim in enumerate(cards):
            start = time.perf_counter()
            for _ in range(count):
                sim.transmit(command)
            best_times[index] = min(best_times[index], time.perf_counter() - start)
    return [count / elapsed for elapsed in best_times]


def image_times(shorts: bool, directory: str) -> tuple[int, float, float]:
    sim = Simulator()
    sim.install(Data, DATA_AID, params=b"\x01" if shorts else b"\x00")
    path = os.path.join(directory, "data.jcimg")

    def save() -> float:
        start = time.perf_counter()
        sim.save(path)
        return time.perf_counter() - start

    def load() -> float:
        start = time.perf_counter()
        Simulator.load(path)
        return time.perf_counter() - start

    save_time = best(3, save)
    load_time = best(3, load)
    return os.path.getsize(path), save_time, load_time


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--debits", type=int, default=10_000, help="debits per run")
    args = parser.parse_args()
    print(f"# jcsim journal and images, {date.today()}, Python {platform.python_version()}, "
          f"{platform.machine()}")

    sim = Simulator(commit_capacity=4096)
    sim.install(Writer, BENCH_AID)
    sim.select(BENCH_AID)
    rows = (("transient byte[] element (not journaled)", 1),
            ("persistent byte[] element, no transaction", 2),
            ("persistent byte[] element, in a transaction", 3),
            ("persistent field, no transaction", 4),
            ("persistent field, in a transaction", 5))
    loop_rate, *rates = writes_per_second(sim, [0] + [kind for _label, kind in rows])
    loop = 1e9 / loop_rate
    print(f"\n{'single write from applet code':<48}{'writes/s':>12}{'ns/write':>10}"
          f"{'net ns':>8}")
    for (label, _kind), rate in zip(rows, rates):
        print(f"{label:<48}{rate:>12,.0f}{1e9 / rate:>10.0f}{1e9 / rate - loop:>8.0f}")
    print(f"(net: without the {loop:.0f} ns of the loop itself)")

    print(f"\n{'debit (3 persistent writes), via transmit':<48}{'debits/s':>12}{'µs/debit':>10}")
    rows = (("in a transaction", TxDebit, TX_AID),
            ("without a transaction", PlainDebit, PLAIN_AID))
    cards = []
    for _label, applet, aid in rows:
        card = Simulator()
        card.install(applet, aid)
        card.select(aid)
        cards.append(card)
    for (label, _applet, _aid), rate in zip(rows, debits_per_second(cards, args.debits)):
        print(f"{label:<48}{rate:>12,.0f}{1e6 / rate:>10.1f}")

    print(f"\n{'image holding 64 KiB of persistent data':<40}{'file':>10}{'save ms':>10}"
          f"{'load ms':>10}")
    with tempfile.TemporaryDirectory() as directory:
        for label, shorts in (("4 x byte[16384]", False), ("4 x short[8192]", True)):
            size, save_time, load_time = image_times(shorts, directory)
            print(f"{label:<40}{size / 1024:>8,.0f}Ki{save_time * 1e3:>10.1f}"
                  f"{load_time * 1e3:>10.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
