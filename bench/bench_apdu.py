"""In-process APDU throughput of the embedded simulator: ``python bench/bench_apdu.py``.

Prints APDUs per second for SELECT, a 16-byte echo, a 200-byte response and an extended
4000-byte response (T=1), and with ``--profile`` where the echo's time goes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import platform
import pstats
import sys
import time
from datetime import date

from jcsim import Simulator
from jcsim.framework import ISO7816, Applet, ISOException
from jcsim.samples.echo import Echo

AID = bytes.fromhex("F00000000101")
SELECT = bytes.fromhex("00A4040006") + AID + b"\x00"
ECHO_16 = bytes.fromhex("8001000010") + bytes(range(16)) + b"\x00"
RESPONSE_200 = bytes.fromhex("800300C800")
RESPONSE_4000 = bytes.fromhex("80030FA0000000")


MINIMAL_AID = bytes.fromhex("F00000000102")


class MinimalEcho(Applet):
    """The README's echo: setIncomingAndReceive, then setOutgoingAndSend."""

    def process(self, apdu):
        if self.selectingApplet():
            return
        buf = apdu.getBuffer()
        if buf[ISO7816.OFFSET_INS] != 0x01:
            ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)
        n = apdu.setIncomingAndReceive()
        apdu.setOutgoingAndSend(ISO7816.OFFSET_CDATA, n)


def _card(applet: type, aid: bytes) -> Simulator:
    sim = Simulator()
    sim.install(applet, aid)
    sim.select(aid)
    return sim


def rate(sim: Simulator, command: bytes, seconds: float) -> tuple[float, int]:
    transmit = sim.transmit
    count = 0
    batch = 200
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(batch):
            transmit(command)
        count += batch
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - start), count


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=2.0, help="time per figure")
    parser.add_argument("--profile", action="store_true", help="profile the 16-byte echo")
    args = parser.parse_args()
    sim = _card(Echo, AID)
    minimal = _card(MinimalEcho, MINIMAL_AID)
    for command, expected in ((SELECT, 0), (ECHO_16, 16), (RESPONSE_200, 200),
                              (RESPONSE_4000, 4000)):
        response = sim.transmit(command)
        assert response.sw == 0x9000 and len(response.data) == expected, response
    print(f"# jcsim in-process APDU throughput, {date.today()}, Python "
          f"{platform.python_version()}, {platform.machine()}, {platform.processor() or '?'}")
    print(f"{'command':<34}{'APDU/s':>12}{'µs/APDU':>10}")
    rows = (("SELECT (case 4S)", sim, SELECT),
            ("echo 16 bytes, README applet", minimal, ECHO_16),
            ("echo 16 bytes, jcsim.samples.echo", sim, ECHO_16),
            ("200-byte response (case 2S)", sim, RESPONSE_200),
            ("4000-byte response (case 2E)", sim, RESPONSE_4000))
    for name, card, command in rows:
        per_second, _ = rate(card, command, args.seconds)
        print(f"{name:<34}{per_second:>12,.0f}{1e6 / per_second:>10.1f}")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(50_000):
            minimal.transmit(ECHO_16)
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(14)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
