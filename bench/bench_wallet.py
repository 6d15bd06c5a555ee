"""The e-cash wallet's secure channel: ``python bench/bench_wallet.py``.

Prints the in-process round trips per second of READ FIELD 3 (30 bytes answered) to the wallet sent
plain and through its SCP03 channel at level 33 (``jcsim.samples.wallet.secure.SecureLink``: host
wrap and unwrap, the wallet's unwrap and wrap through ``org.globalplatform``), how many channels
open per second (INITIALIZE UPDATE and EXTERNAL AUTHENTICATE through the wallet), and how many
complete issuer sessions (``/balance``: SELECT, the channel, SUBMIT PIN, the card number, the
recovery reads, BALANCE) run per second over RAM over HTTP on 127.0.0.1. Each figure is the median
of five runs with the lowest and highest.
"""

from __future__ import annotations

import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jcsim import Simulator  # noqa: E402
from jcsim.remote import run_session  # noqa: E402
from jcsim.samples.wallet import AID, SmartWallet, commands  # noqa: E402
from jcsim.samples.wallet.issuer import WalletIssuer  # noqa: E402
from jcsim.samples.wallet.ledger import Ledger  # noqa: E402
from jcsim.samples.wallet.protocol import personalisation  # noqa: E402
from jcsim.samples.wallet.secure import SecureLink  # noqa: E402
from jcsim.samples.wallet.server import make_server  # noqa: E402

RUNS = 5


def per_second(action, seconds: float = 0.4, batch: int = 20) -> float:
    count = 0
    start = time.perf_counter()
    while True:
        for _ in range(batch):
            action()
        count += batch
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return count / elapsed


def spread(samples: list[float]) -> str:
    return f"{statistics.median(samples):8.1f}  ({min(samples):.1f}-{max(samples):.1f})"


def main() -> None:
    print(f"# Python {platform.python_version()} on {platform.machine()}; median of {RUNS} "
          "runs (lowest-highest)")
    card = Simulator()
    card.install(SmartWallet, AID, personalisation(bytes(16), b"87654321", b"1234", b"1"),
                 default=True)
    card.reset()
    read = commands.read_field(3)
    plain = [per_second(lambda: card.transmit(read)) for _ in range(RUNS)]
    print(f"READ FIELD 3 plain, per s              {spread(plain)}")
    link = SecureLink(card.transmit)
    link.open()
    secured = [per_second(lambda: link.transmit(read)) for _ in range(RUNS)]
    print(f"READ FIELD 3 in SCP03 level 33, per s  {spread(secured)}")
    opened = [per_second(link.open) for _ in range(RUNS)]
    print(f"channels opened per s                  {spread(opened)}")
    with tempfile.TemporaryDirectory() as directory:
        issuer = WalletIssuer(Ledger(Path(directory) / "wallet.db"))
        sim = Simulator()
        issuer.issue(sim, b"1234")
        with make_server(issuer, response_timeout=10) as server:
            url = f"{server.url}/balance/pin=1234"

            def one_session() -> None:
                if not run_session(sim, url).ok:
                    raise SystemExit("a /balance session failed")

            sessions = [per_second(one_session, 1.0, 5) for _ in range(RUNS)]
    print(f"issuer /balance sessions per s         {spread(sessions)}")


if __name__ == "__main__":
    main()
