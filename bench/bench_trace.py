"""What the pytest plugin's APDU trace costs a command: ``python bench/bench_trace.py``.

Under pytest every card is watched by a ``jcsim.trace.TraceBook`` (unless
``--jcsim-trace=none``), so each exchange builds an ``Exchange`` event and appends it to a
bounded log. Prints microseconds per 16-byte echo, unobserved and traced, as the median of
several runs with their spread.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time

from jcsim import Simulator
from jcsim.samples.echo import Echo
from jcsim.trace import TraceBook

AID = bytes.fromhex("F00000000101")
ECHO_16 = bytes.fromhex("8001000010") + bytes(range(16)) + b"\x00"


def per_command(traced: bool, count: int) -> float:
    sim = Simulator()
    sim.install(Echo, AID)
    sim.select(AID)
    if traced:
        TraceBook().watch(sim)
    start = time.perf_counter()
    for _ in range(count):
        sim.transmit(ECHO_16)
    return (time.perf_counter() - start) / count * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=20000, help="commands per run")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]} on {platform.machine()}, {args.runs} runs of "
          f"{args.count} echoes")
    for label, traced in (("unobserved", False), ("traced (pytest plugin)", True)):
        times = [per_command(traced, args.count) for _ in range(args.runs)]
        print(f"{label:>24}: {statistics.median(times):6.2f} us per command "
              f"(min {min(times):.2f}, max {max(times):.2f})")


if __name__ == "__main__":
    main()
