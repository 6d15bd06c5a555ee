"""GlobalPlatform secure channels from the host: ``python bench/bench_gp.py``.

Prints the in-process round trips per second of GET DATA 9F7F (the CPLC, 42 bytes answered)
sent through ``GPClient`` to jcsim's card manager under each protocol and security level (host
wrap and unwrap, card unwrap and wrap, and the command itself), next to the same command sent
plain; and how many SCP03 sessions open per second (SELECT, INITIALIZE UPDATE, EXTERNAL
AUTHENTICATE). Each figure is the median of five runs with the lowest and highest.
"""

from __future__ import annotations

import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jcsim import Simulator  # noqa: E402
from jcsim.gp import GPClient  # noqa: E402

LEVELS = [(3, 0x01), (3, 0x03), (3, 0x13), (3, 0x33), (2, 0x01), (2, 0x03)]
RUNS = 5


def per_second(action, seconds: float = 0.4) -> float:
    count = 0
    start = time.perf_counter()
    while True:
        for _ in range(20):
            action()
        count += 20
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return count / elapsed


def spread(samples: list[float]) -> str:
    return f"{statistics.median(samples):8.0f}  ({min(samples):.0f}-{max(samples):.0f})"


def client_for(scp: int, level: int) -> GPClient:
    gp = GPClient(Simulator())
    gp.select_isd()
    gp.open_secure_channel(security_level=level, scp=scp)
    return gp


def main() -> None:
    print(f"# Python {platform.python_version()} on {platform.machine()}; median of {RUNS} "
          "runs (lowest-highest)")
    print("protocol level   secured GET DATA 9F7F per s      plain per s")
    plain = GPClient(Simulator())
    plain.select_isd()
    plain_rate = [per_second(lambda: plain.send(b"\x80\xCA\x9F\x7F\x00")) for _ in range(RUNS)]
    for scp, level in LEVELS:
        gp = client_for(scp, level)
        samples = [per_second(lambda: gp.send(b"\x80\xCA\x9F\x7F\x00")) for _ in range(RUNS)]
        print(f"SCP0{scp}    {level:02X}     {spread(samples)}        {spread(plain_rate)}")
    opens = []
    for _ in range(RUNS):
        sim = Simulator()
        gp = GPClient(sim)

        def open_session() -> None:
            gp.select_isd()
            gp.open_secure_channel(security_level=0x33, scp=3)

        opens.append(per_second(open_session))
    print(f"SCP03 sessions opened (SELECT + INITIALIZE UPDATE + EXTERNAL AUTHENTICATE) per s: "
          f"{spread(opens)}")


if __name__ == "__main__":
    main()
