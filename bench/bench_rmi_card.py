"""Java Card RMI on the card, in-process: ``python bench/bench_rmi_card.py``.

What an RMI call costs beyond a plain command, measured in one process: the 16-byte echo
(``jcsim.samples.echo``, T=1), the RMI purse's ``getBalance`` INVOKE transmitted as a raw APDU
(``jcsim.samples.purse``: ``Dispatcher`` -> ``RMIService`` -> ``PurseImpl``), and the same call
through the host stub (``JCRMIConnect`` over ``SimulatorCardAccessor``); and, to show what the
``Dispatcher`` costs, the INVOKE to an applet that hands each command to its ``RMIService``
itself and sends the Common Service Format's output. The PC/SC figures of
``bench_pcsc.py`` add the same transport cost to each, so the in-process difference is what
separates the RMI purse from the echo there.

Each round runs short interleaved batches of the three and keeps the fastest batch of each
(the machine's other load slows batches down, never speeds one up); the table gives the median
over the rounds of the times and of the ratios INVOKE/echo and stub/echo, with their spread.
``--profile`` prints the INVOKE's and the stub call's profiles (call counts included).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import platform
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date

from jcsim import Simulator
from jcsim.framework import APDU, Applet
from jcsim.framework.service import RMIService
from jcsim.rmi.client import JCRMIConnect, SimulatorCardAccessor
from jcsim.samples.echo import Echo
from jcsim.samples.purse import PurseApplet
from jcsim.samples.purse.purse_impl import PurseImpl

ECHO_AID = bytes.fromhex("F00000000101")
PURSE_AID = bytes.fromhex("000102030405060708")
ECHO_16 = bytes.fromhex("8001000010") + bytes(range(16)) + b"\x00"


class PurseWithoutDispatcher(Applet):
    """The RMI purse with no Dispatcher: process calls the service and sends its output."""

    def __init__(self) -> None:
        self.rmi = RMIService(PurseImpl())

    def process(self, apdu: APDU) -> None:
        if self.rmi.processCommand(apdu):
            length = apdu.getBuffer()[4]  # the CSF's La
            apdu.setOutgoingLength(length)
            apdu.sendBytes(5, length)


def workloads() -> dict[str, Callable[[int], float]]:
    echo_card = Simulator()
    echo_card.install(Echo, ECHO_AID)
    echo_card.select(ECHO_AID)
    assert echo_card.transmit(ECHO_16).data == bytes(range(16))

    purse_card = Simulator()
    purse_card.install(PurseApplet, PURSE_AID)
    rmi = JCRMIConnect(SimulatorCardAccessor(purse_card))
    rmi.select_applet(PURSE_AID)
    purse = rmi.get_initial_reference()
    commands: list[bytes] = []

    def record(event) -> None:  # type: ignore[no-untyped-def]
        commands.append(event.command)

    purse_card.subscribe(record)
    balance = purse.getBalance()
    purse_card.unsubscribe(record)
    invoke = commands[-1]
    answer = purse_card.transmit(invoke)
    assert answer.sw == 0x9000 and answer.data == b"\x81" + balance.to_bytes(2, "big")

    def timed(call: Callable[[], object]) -> Callable[[int], float]:
        def run(count: int) -> float:
            start = time.perf_counter()
            for _ in range(count):
                call()
            return (time.perf_counter() - start) / count
        return run

    bare_card = Simulator()
    bare_card.install(PurseWithoutDispatcher, PURSE_AID)
    bare = JCRMIConnect(SimulatorCardAccessor(bare_card))
    bare.select_applet(PURSE_AID)
    assert bare.get_initial_reference().getBalance() == balance
    assert bare_card.transmit(invoke).data == answer.data  # the same object id in the session

    transmit_echo, transmit_purse = echo_card.transmit, purse_card.transmit
    transmit_bare = bare_card.transmit
    get_balance = purse.getBalance
    return {"echo 16 bytes": timed(lambda: transmit_echo(ECHO_16)),
            "RMI INVOKE getBalance": timed(lambda: transmit_purse(invoke)),
            "RMI stub getBalance()": timed(get_balance),
            "INVOKE, no Dispatcher": timed(lambda: transmit_bare(invoke))}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="ratio measurements")
    parser.add_argument("--batches", type=int, default=30, help="batches per round")
    parser.add_argument("--batch", type=int, default=300, help="calls per batch")
    parser.add_argument("--profile", action="store_true", help="profile the INVOKE and the stub")
    args = parser.parse_args()
    runs = workloads()
    for run in runs.values():
        run(args.batch)  # warm up
    times: dict[str, list[float]] = {name: [] for name in runs}
    for _ in range(args.rounds):
        best = dict.fromkeys(runs, float("inf"))
        for _ in range(args.batches):
            for name, run in runs.items():
                best[name] = min(best[name], run(args.batch))
        for name in runs:
            times[name].append(best[name])
    print(f"# Java Card RMI on the card, in-process, {date.today()}, Python "
          f"{platform.python_version()}, {platform.machine()}; {args.rounds} rounds, each the "
          f"fastest of {args.batches} interleaved batches of {args.batch} calls")
    print(f"{'workload':<26}{'µs':>8}{'/echo':>8}{'min':>7}{'max':>7}{'-echo µs':>10}")
    echo = times["echo 16 bytes"]
    for name, measured in times.items():
        ratios = [t / e for t, e in zip(measured, echo, strict=True)]
        extra = [(t - e) * 1e6 for t, e in zip(measured, echo, strict=True)]
        print(f"{name:<26}{statistics.median(measured) * 1e6:>8.2f}"
              f"{statistics.median(ratios):>8.2f}{min(ratios):>7.2f}{max(ratios):>7.2f}"
              f"{statistics.median(extra):>10.2f}")
    if args.profile:
        for name in ("RMI INVOKE getBalance", "RMI stub getBalance()"):
            profiler = cProfile.Profile()
            profiler.enable()
            runs[name](20_000)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)
            print(f"## profile: {name}")
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
