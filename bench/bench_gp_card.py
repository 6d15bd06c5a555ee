"""The card side of the secure channels alone: ``python bench/bench_gp_card.py``.

For each protocol and level, a host session (``jcsim.gp``) wraps a batch of GET DATA 9F7F
commands ahead of time; only the card's work is timed: ``Simulator.transmit`` of each wrapped
command (the card manager's unwrap, the command, the response wrap). Beside it the same through
an applet (``jcsim.samples.gp_vault``: GET SECRET, 28 bytes, unwrapped and wrapped by the applet
through ``SecureChannel``), and each one plain. Median of five batches (lowest-highest).
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
from jcsim.samples.gp_vault import Vault  # noqa: E402

LEVELS = [(3, 0x00), (3, 0x01), (3, 0x03), (3, 0x13), (3, 0x33), (2, 0x01), (2, 0x03)]
RUNS = 5
BATCH = 2000
VAULT = bytes.fromhex("F00000000A01")
SECRET = b"correct horse battery staple"


def spread(samples: list[float]) -> str:
    return f"{statistics.median(samples):8.0f}  ({min(samples):.0f}-{max(samples):.0f})"


def card_rate(scp: int, level: int, target: bytes | None, command: bytes) -> float:
    sim = Simulator()
    client = GPClient(sim)
    if target is None:
        client.select_isd()
    else:
        sim.install(Vault, target)
        client.select(target)
    if scp:
        client.open_secure_channel(security_level=0x03 if target and level < 3 else level,
                                   scp=scp)
        if target is not None:
            client.send(b"\x80\x10\x00\x00" + bytes((len(SECRET),)) + SECRET)
        wrapped = [client.session.wrap(command) for _ in range(BATCH)]
    else:
        wrapped = [command] * BATCH
    start = time.perf_counter()
    for raw in wrapped:
        response = sim.transmit(raw)
    elapsed = time.perf_counter() - start
    if response.sw != 0x9000:
        raise SystemExit(f"SCP0{scp} level {level:02X}: the card answered {response.sw:04X}")
    return BATCH / elapsed


def main() -> None:
    print(f"# Python {platform.python_version()} on {platform.machine()}; {BATCH} commands a "
          f"batch, median of {RUNS} batches (lowest-highest), card side only")
    get_data = b"\x80\xCA\x9F\x7F\x00"
    plain = [card_rate(0, 0, None, get_data) for _ in range(RUNS)]
    print(f"card manager GET DATA 9F7F plain        {spread(plain)}")
    for scp, level in LEVELS:
        samples = [card_rate(scp, level, None, get_data) for _ in range(RUNS)]
        print(f"card manager GET DATA SCP0{scp} level {level:02X}  {spread(samples)}")
    get_secret = b"\x80\x20\x00\x00\x00"
    for scp, level in ((3, 0x03), (3, 0x33), (2, 0x03)):
        samples = [card_rate(scp, level, VAULT, get_secret) for _ in range(RUNS)]
        print(f"vault GET SECRET SCP0{scp} level {level:02X}      {spread(samples)}")


if __name__ == "__main__":
    main()
