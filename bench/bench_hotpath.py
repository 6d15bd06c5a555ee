"""The in-process hot path as ratios to a bare-Python floor: ``python bench/bench_hotpath.py``.

The machine is shared, so absolute times drift; each round measures the floor and jcsim in
short interleaved batches, keeps the fastest batch of each and their ratio; the table gives the
median ratio over the rounds and its spread (min, max). The floor does the least any simulator
must do for the command: read the header from the bytes, call a method with the data, build the
response data + SW.

Figures: the README echo (16 bytes, T=1), the transactional purse debit (jcsim/samples/purse_tx: a
JCSystem transaction of three persistent writes), and T=0 case 4 (the echo's 16 bytes answered
61 10, fetched with GET RESPONSE; per APDU). ``--profile`` prints where the echo and the debit
spend their time. ``--no-firewall`` makes every card with ``firewall=False``, so the process
never installs the firewall's hooks: what the checks cost, by difference (not the headline).
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
from jcsim.framework import ISO7816, Applet, ISOException
from jcsim.samples.echo import Echo
from jcsim.samples.purse_tx import Purse
from jcsim.samples.purse_tx.purse import INITIAL_BALANCE, LOG_SIZE

ECHO_AID = "F00000000102"
PURSE_AID = "F00000003001"
T0_AID = "F00000000101"
ECHO_16 = bytes.fromhex("8001000010") + bytes(range(16)) + b"\x00"
DEBIT = bytes.fromhex("80300000020001")
T0_CASE4 = bytes.fromhex("8001000010") + bytes(range(16))
GET_RESPONSE = bytes.fromhex("00C0000010")
OPTIONS = {"firewall": True}  # --no-firewall turns it off for every card the script makes


class ReadmeEcho(Applet):
    """The README's echo: setIncomingAndReceive, then setOutgoingAndSend."""

    def process(self, apdu):
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        if buf[ISO7816.OFFSET_INS] != 0x01:
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)
        n = apdu.setIncomingAndReceive()
        apdu.setOutgoingAndSend(ISO7816.OFFSET_CDATA, n)


# --- the floor: bare Python doing the same work --------------------------------------------

class FloorEcho:
    def process(self, ins: int, p1: int, p2: int, data: bytes) -> tuple[bytes, int]:
        if ins != 0x01:
            return b"", 0x6D00
        return data, 0x9000


class FloorPurse:
    def __init__(self) -> None:
        self.balance = INITIAL_BALANCE
        self.amounts = [0] * LOG_SIZE
        self.count = 0

    def process(self, ins: int, p1: int, p2: int, data: bytes) -> tuple[bytes, int]:
        if ins != 0x30 or len(data) != 2:
            return b"", 0x6D00
        amount = int.from_bytes(data, "big")
        if not 0 < amount <= self.balance or self.count == LOG_SIZE:
            return b"", 0x6985
        self.balance -= amount
        self.amounts[self.count] = amount
        self.count += 1
        return b"", 0x9000


def floor_transmit(applet: object, raw: bytes) -> bytes:
    lc = raw[4] if len(raw) > 5 else 0
    data, sw = applet.process(raw[1], raw[2], raw[3], raw[5:5 + lc])  # type: ignore[attr-defined]
    return data + sw.to_bytes(2, "big")


# --- workloads: each returns seconds per APDU over ``count`` APDUs ---------------------------

def echo_workloads() -> tuple[Callable[[int], float], Callable[[int], float]]:
    sim = Simulator(firewall=OPTIONS["firewall"])
    sim.install(ReadmeEcho, ECHO_AID)
    sim.select(ECHO_AID)
    transmit = sim.transmit
    assert transmit(ECHO_16).data == bytes(range(16))
    floor = FloorEcho()

    def jcsim(count: int) -> float:
        start = time.perf_counter()
        for _ in range(count):
            transmit(ECHO_16)
        return (time.perf_counter() - start) / count

    def bare(count: int) -> float:
        start = time.perf_counter()
        for _ in range(count):
            floor_transmit(floor, ECHO_16)
        return (time.perf_counter() - start) / count

    return jcsim, bare


def debit_workloads() -> tuple[Callable[[int], float], Callable[[int], float]]:
    # The log holds LOG_SIZE debits: time blocks of LOG_SIZE, refill between them (untimed).
    sim = Simulator(firewall=OPTIONS["firewall"])
    sim.install(Purse, PURSE_AID)
    sim.select(PURSE_AID)
    transmit = sim.transmit
    purse = sim.applet_instance(PURSE_AID)

    def refill() -> None:
        purse.balance = INITIAL_BALANCE
        purse.count = 0

    def jcsim(count: int) -> float:
        spent = 0.0
        blocks = max(1, count // LOG_SIZE)
        for _ in range(blocks):
            refill()
            start = time.perf_counter()
            for _ in range(LOG_SIZE):
                transmit(DEBIT)
            spent += time.perf_counter() - start
        assert transmit(DEBIT).sw == 0x6A84  # every timed debit succeeded and filled the log
        return spent / (blocks * LOG_SIZE)

    def bare(count: int) -> float:
        spent = 0.0
        blocks = max(1, count // LOG_SIZE)
        floor = FloorPurse()
        for _ in range(blocks):
            floor.balance, floor.count = INITIAL_BALANCE, 0
            start = time.perf_counter()
            for _ in range(LOG_SIZE):
                floor_transmit(floor, DEBIT)
            spent += time.perf_counter() - start
        return spent / (blocks * LOG_SIZE)

    return jcsim, bare


def t0_workloads() -> tuple[Callable[[int], float], Callable[[int], float]]:
    sim = Simulator(protocol="T=0", firewall=OPTIONS["firewall"])
    sim.install(Echo, T0_AID)
    sim.select(T0_AID)
    transmit = sim.transmit
    assert transmit(T0_CASE4).sw == 0x6110
    assert transmit(GET_RESPONSE).data == bytes(range(16))
    floor = FloorEcho()

    def jcsim(count: int) -> float:
        pairs = max(1, count // 2)
        start = time.perf_counter()
        for _ in range(pairs):
            transmit(T0_CASE4)
            transmit(GET_RESPONSE)
        return (time.perf_counter() - start) / (2 * pairs)

    def bare(count: int) -> float:
        pairs = max(1, count // 2)
        start = time.perf_counter()
        for _ in range(pairs):
            floor_transmit(floor, T0_CASE4)
            floor_transmit(floor, GET_RESPONSE)
        return (time.perf_counter() - start) / (2 * pairs)

    return jcsim, bare


WORKLOADS = {
    "README echo, 16 bytes (T=1)": echo_workloads,
    "purse_tx debit (transaction)": debit_workloads,
    "T=0 case 4 + GET RESPONSE, per APDU": t0_workloads,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5, help="ratio measurements per figure")
    parser.add_argument("--batches", type=int, default=40, help="batches per round")
    parser.add_argument("--batch", type=int, default=400, help="APDUs per batch")
    parser.add_argument("--profile", action="store_true",
                        help="profile the echo and the debit")
    parser.add_argument("--no-firewall", action="store_true",
                        help="cards without the firewall: its hooks are never installed")
    args = parser.parse_args()
    OPTIONS["firewall"] = not args.no_firewall
    print(f"# jcsim hot path against a bare-Python floor, {date.today()}, Python "
          f"{platform.python_version()}, {platform.machine()}; {args.rounds} rounds, each "
          f"the fastest of {args.batches} batches of {args.batch} APDUs"
          + ("; firewall off" if args.no_firewall else ""))
    print(f"{'workload':<38}{'jcsim µs':>10}{'floor µs':>10}{'ratio':>8}{'min':>7}{'max':>7}")
    for name, make in WORKLOADS.items():
        jcsim, bare = make()
        jcsim(args.batch)  # warm up
        bare(args.batch)
        ratios, jcsim_times, floor_times = [], [], []
        for _ in range(args.rounds):
            # Short batches, interleaved, and the fastest of each kind: the other processes
            # on the machine slow some batches down, never speed one up.
            floor_time = jcsim_time = float("inf")
            for _ in range(args.batches):
                floor_time = min(floor_time, bare(args.batch))
                jcsim_time = min(jcsim_time, jcsim(args.batch))
            floor_times.append(floor_time)
            jcsim_times.append(jcsim_time)
            ratios.append(jcsim_time / floor_time)
        print(f"{name:<38}{statistics.median(jcsim_times) * 1e6:>10.2f}"
              f"{statistics.median(floor_times) * 1e6:>10.2f}"
              f"{statistics.median(ratios):>8.1f}{min(ratios):>7.1f}{max(ratios):>7.1f}")
    if args.profile:
        for name in ("README echo, 16 bytes (T=1)", "purse_tx debit (transaction)"):
            jcsim, _ = WORKLOADS[name]()
            profiler = cProfile.Profile()
            profiler.enable()
            jcsim(40_000)
            profiler.disable()
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(16)
            print(f"## profile: {name}")
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
