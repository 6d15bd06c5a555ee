"""Reliability soak: the fuzz campaigns of ``tests/fuzz`` run long, with counts.

    PYTHONPATH=. python bench/soak.py                      # the full targets
    PYTHONPATH=. python bench/soak.py --scale 0.1          # a tenth of each
    PYTHONPATH=. python bench/soak.py --only images,kills  # some campaigns

Campaigns (their targets): structure-aware image mutations (100,000), hostile RAM over HTTP
sessions against the client and hostile requests against the server (10,000 each), random APDUs
over every sample (1,000,000), vpcd frames over a socket to a listening card (1,000,000, with
hostile peers and disconnects mixed in), and kills of a process in the middle of saving an image
(1,000; each image must then load or be cleanly refused, and the next load leaves no temporary
file). An escape is any broken promise (``tests.fuzz.campaigns.Escape``); a hang is a case that
outlives its bound. The table gives counts, escapes, hangs, outcomes and rates.
"""

from __future__ import annotations

import argparse
import collections
import logging
import os
import platform
import random
import signal
import socket
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from jcsim import Simulator, serve_vpcd
from jcsim.runtime.image import ImageError
from jcsim.transport import LinkTimeouts
from tests.fuzz import campaigns

TARGETS = {"images": 100_000, "http-client": 10_000, "http-server": 10_000,
           "apdus": 1_000_000, "vpcd": 1_000_000, "kills": 1_000}
HANG = 10.0  # seconds: a single case taking longer is a hang


class Tally:
    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0
        self.escapes: list[str] = []
        self.hangs = 0
        self.outcomes: collections.Counter[str] = collections.Counter()
        self.seconds = 0.0

    def row(self) -> str:
        top = ", ".join(f"{k} {v}" for k, v in self.outcomes.most_common(5))
        rate = self.count / self.seconds if self.seconds else 0.0
        return (f"| {self.name} | {self.count:,} | {len(self.escapes)} | {self.hangs} | "
                f"{self.seconds:,.0f} s | {rate:,.0f}/s | {top} |")


@contextmanager
def timed(tally: Tally) -> Iterator[None]:
    start = time.monotonic()
    try:
        yield
    finally:
        tally.seconds += time.monotonic() - start


def run_cases(tally: Tally, count: int, case: Callable[[random.Random], Any],
              rng: random.Random, weight: Callable[[Any], int] = lambda outcome: 1) -> None:
    with timed(tally):
        while tally.count < count:
            seed = rng.getrandbits(64)
            start = time.monotonic()
            try:
                outcome = case(random.Random(seed))
            except campaigns.Escape as exc:
                tally.escapes.append(f"seed {seed}: {exc}")
                tally.count += 1
                continue
            if time.monotonic() - start > HANG:
                tally.hangs += 1
            tally.outcomes[outcome if isinstance(outcome, str) else outcome[0]] += 1
            tally.count += weight(outcome)


def images(count: int, rng: random.Random) -> Tally:
    tally = Tally("image mutations")
    base = campaigns.base_image()
    run_cases(tally, count, lambda r: campaigns.image_case(base, r), rng)
    return tally


def http_client(count: int, rng: random.Random) -> Tally:
    tally = Tally("hostile HTTP servers (client sessions)")
    server = campaigns.HostileServer()
    try:
        from tests.remote.helpers import seed_card

        sim = seed_card()
        run_cases(tally, count, lambda r: campaigns.client_case(server, sim, r), rng)
    finally:
        server.close()
    return tally


def http_server(count: int, rng: random.Random) -> Tally:
    tally = Tally("hostile HTTP clients (server requests)")
    with campaigns.script_server() as server:
        run_cases(tally, count, lambda r: campaigns.server_case(server, r), rng)
        deadline = time.monotonic() + 5
        while server.open_connections and time.monotonic() < deadline:
            time.sleep(0.05)
        if server.open_connections:
            tally.escapes.append(f"{server.open_connections} connections still open")
    return tally


def apdus(count: int, rng: random.Random) -> Tally:
    tally = Tally("random APDUs over every sample")
    sims = [campaigns.sample_card()]

    def case(r: random.Random) -> str:
        if r.random() < 0.0005:
            sims[0] = campaigns.sample_card()  # a fresh card now and then
        return campaigns.apdu_case(sims[0], r)

    run_cases(tally, count, case, rng)
    return tally


def vpcd(count: int, rng: random.Random) -> Tally:
    """Frames of a well-behaved peer streamed in bursts, with hostile peers in between."""
    tally = Tally("vpcd frames (socket, listening card)")
    timeouts = LinkTimeouts(first_frame=0.5, frame=0.5, idle=0.5, send=2.0, poll=0.02)
    with serve_vpcd(campaigns.sample_card(), port=0, listen=True, timeouts=timeouts) as server:
        address = server.addresses["contact"]

        def case(r: random.Random) -> tuple[str, int]:
            if r.random() < 0.02:
                outcome, _ = campaigns.vpcd_case(address, r)
                if not campaigns.served_after(address):
                    raise campaigns.Escape("a peer after a hostile one was not served")
                return f"hostile-{outcome}", 2
            return "burst", _burst(address, r)

        run_cases(tally, count, case, rng, weight=lambda outcome: outcome[1])
    return tally


def _burst(address: tuple[str, int], rng: random.Random) -> int:
    """Power on, then many frames (commands, ATR polls, resets), each answered in turn."""
    frames = 0
    with socket.create_connection(address, timeout=5) as sock:
        decoder = campaigns.FrameDecoderForPeer()
        payloads = [b"\x01", b"\x04"] + [
            rng.choice([b"\x04", b"\x02", campaigns.random_apdu(rng)]) for _ in range(500)]
        for payload in payloads:
            if len(payload) < 2 and payload not in (b"\x01", b"\x02", b"\x04"):
                payload = b"\x00\xa4\x00\x00"  # one or no byte would be a control frame
            sock.sendall(len(payload).to_bytes(2, "big") + payload)
            frames += 1
            if payload in (b"\x01", b"\x02"):
                continue  # power on and reset have no answer
            if decoder.read(sock) is None:
                return frames  # the card dropped us
    return frames


def kills(count: int, rng: random.Random) -> Tally:
    """Fork a process that saves an image over and over; SIGKILL it at a random moment; the
    image must then load or be refused with ImageError, with no temporary file left."""
    tally = Tally("kills during saves")
    sim = campaigns.sample_card()
    with tempfile.TemporaryDirectory() as directory, timed(tally):
        path = os.path.join(directory, "card.jcimg")
        sim.save(path)
        while tally.count < count:
            delay = rng.uniform(0.0, 0.05)
            pid = os.fork()
            if pid == 0:  # the child: save until killed
                try:
                    child = Simulator.load(path)
                    child.power_on()
                    while True:
                        child.transmit(campaigns.random_apdu(random.Random(os.getpid())))
                        child.save(path)
                finally:
                    os._exit(0)
            time.sleep(delay)
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            tally.count += 1
            leftovers = [n for n in os.listdir(directory) if n.endswith(".tmp")]
            try:
                Simulator.load(path)
                tally.outcomes["loaded"] += 1
            except ImageError as exc:
                tally.outcomes["refused"] += 1
                tally.escapes.append(f"the image was corrupted by a kill: {exc}")
            if leftovers:
                tally.outcomes["leftover-then-removed"] += 1
            if [n for n in os.listdir(directory) if n.endswith(".tmp")]:
                tally.escapes.append("a load left a temporary file behind")
    return tally


CAMPAIGNS: dict[str, Callable[[int, random.Random], Tally]] = {
    "images": images, "http-client": http_client, "http-server": http_server, "apdus": apdus,
    "vpcd": vpcd, "kills": kills,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of each target")
    parser.add_argument("--only", default=",".join(CAMPAIGNS), help="comma-separated campaigns")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    # The campaigns provoke failing scripts and applets by the thousand: keep their logs quiet.
    logging.getLogger("jcsim").setLevel(logging.CRITICAL)
    rng = random.Random(args.seed)
    print(f"jcsim soak, {date.today()}, Python {platform.python_version()}, "
          f"{platform.machine()}, {os.cpu_count()} CPUs, seed {args.seed}\n")
    print("| campaign | cases | escapes | hangs | time | rate | outcomes |")
    print("|---|---|---|---|---|---|---|")
    failed = False
    for name in args.only.split(","):
        tally = CAMPAIGNS[name](max(1, int(TARGETS[name] * args.scale)), rng)
        print(tally.row(), flush=True)
        for escape in tally.escapes[:5]:
            print(f"  escape: {escape[:300]}", file=sys.stderr)
        failed |= bool(tally.escapes or tally.hangs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
