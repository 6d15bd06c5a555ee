"""The cost of static fields: ``python bench/bench_statics.py [--repeat N]``.

Prints, for BENCHMARKS.md, the time of one read and one write from applet code (timed inside
``process``, so the APDU round trip is not counted; the empty loop is subtracted) of:

- an instance field of the applet (``self.value``): through the firewall's hook on ``Object``;
- a static field (``Counter.value``, a class attribute card code assigns): per card, through
  its ``StaticField`` descriptor and the card's ``StaticFields``;
- a ``static final`` constant (``Counter.LIMIT``, never assigned): a plain class attribute;
- writes outside and inside a transaction.

Each figure is the best of ``--repeat`` interleaved runs of 100,000 operations; run the script
several times for the spread.
"""

from __future__ import annotations

import argparse
import platform
import time
from datetime import date
from typing import Any

from jcsim import Simulator
from jcsim.framework import Applet, JCSystem

AID = "F0 00 00 00 41 01"
COUNT = 100_000


class Counter(Applet):
    """INS selects what the loop does; the time it takes is kept host side."""

    value = 0  # a static field: card code assigns it
    LIMIT = 7  # a static final constant
    elapsed: list[float] = []

    def __init__(self) -> None:
        self.value = 0  # the instance field (it shadows the static for self.value)

    def process(self, apdu: Any) -> None:
        if self.selectingApplet():
            return
        kind = apdu.getBuffer()[1]
        start = time.perf_counter()
        if kind == 0:
            for i in range(COUNT):
                _ = i
        elif kind == 1:
            for _i in range(COUNT):
                _ = self.value
        elif kind == 2:
            for _i in range(COUNT):
                _ = Counter.value
        elif kind == 3:
            for _i in range(COUNT):
                _ = Counter.LIMIT
        elif kind == 4:
            for i in range(COUNT):
                self.value = i
        elif kind == 5:
            for i in range(COUNT):
                Counter.value = i
        elif kind == 6:
            JCSystem.beginTransaction()
            for i in range(COUNT):
                self.value = i
            JCSystem.commitTransaction()
        elif kind == 7:
            JCSystem.beginTransaction()
            for i in range(COUNT):
                Counter.value = i
            JCSystem.commitTransaction()
        Counter.elapsed.append(time.perf_counter() - start)


ROWS = (
    ("read: instance field (self.value)", 1),
    ("read: static field (Counter.value)", 2),
    ("read: static final constant (Counter.LIMIT)", 3),
    ("write: instance field, no transaction", 4),
    ("write: static field, no transaction", 5),
    ("write: instance field, in a transaction", 6),
    ("write: static field, in a transaction", 7),
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="interleaved runs per figure")
    args = parser.parse_args()
    print(f"# jcsim static fields, {date.today()}, Python {platform.python_version()}, "
          f"{platform.machine()}")
    sim = Simulator(commit_capacity=4096)
    sim.install(Counter, AID)
    sim.select(AID)
    kinds = [0] + [kind for _label, kind in ROWS]
    # A first write makes Counter.value a static field; before it, reads are plain class reads.
    assert sim.transmit(bytes((0x80, 5, 0, 0))).sw == 0x9000
    best = [float("inf")] * len(kinds)
    for _ in range(args.repeat):
        for index, kind in enumerate(kinds):
            Counter.elapsed.clear()
            assert sim.transmit(bytes((0x80, kind, 0, 0))).sw == 0x9000
            best[index] = min(best[index], Counter.elapsed[0])
    loop_ns = best[0] / COUNT * 1e9
    print(f"\nempty loop: {loop_ns:.0f} ns per iteration (subtracted below)\n")
    print(f"{'operation from applet code':<48}{'ns/op':>8}")
    for (label, _kind), elapsed in zip(ROWS, best[1:]):
        print(f"{label:<48}{elapsed / COUNT * 1e9 - loop_ns:>8.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
