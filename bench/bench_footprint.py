"""Memory footprint of simulated cards: ``python bench/bench_footprint.py [--cards N]``.

Prints the Python heap per card (tracemalloc) for an idle card, a card with a stateless echo
applet installed and one used on its contact interface (its 32 KiB APDU buffer allocated), and the resident size of a process holding
``--cards`` used cards. Each figure is measured in a fresh child process, so one does not
inherit another's heap.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

PROBE = r"""
import gc, json, resource, sys, tracemalloc
from jcsim import Simulator
from jcsim.framework import Applet

class Echo(Applet):
    # Answers its command data: no state of its own, so only the runtime counts.

    def process(self, apdu):
        if self.selectingApplet():
            return
        apdu.setOutgoingAndSend(5, apdu.setIncomingAndReceive())

AID = "F00000000101"
kind, count = sys.argv[1], int(sys.argv[2])

def make():
    sim = Simulator()
    if kind != "idle":
        sim.install(Echo, AID)
    if kind == "used":
        sim.select(AID)
        sim.transmit("8001000004DEADBEEF00")
    return sim

if kind == "rss":
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kind = "used"
    cards = [make() for _ in range(count)]
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"rss_mib": after / 1024, "growth_kib_per_card": (after - before) / count}))
else:
    gc.collect()
    tracemalloc.start()
    cards = [make() for _ in range(count)]
    gc.collect()
    print(json.dumps({"kib_per_card": tracemalloc.get_traced_memory()[0] / count / 1024}))
"""


def probe(kind: str, count: int) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", PROBE, kind, str(count)], check=True,
                         capture_output=True, text=True).stdout
    return json.loads(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--sample", type=int, default=200, help="cards per heap probe")
    args = parser.parse_args()
    for kind in ("idle", "installed", "used"):
        print(f"{kind:>9} card: {probe(kind, args.sample)['kib_per_card']:7.1f} KiB of heap")
    rss = probe("rss", args.cards)
    print(f"{args.cards} used cards: {rss['rss_mib']:.0f} MiB resident "
          f"({rss['growth_kib_per_card']:.1f} KiB per card)")


if __name__ == "__main__":
    main()
