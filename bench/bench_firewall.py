"""What the applet firewall costs on the hot path: ``python bench/bench_firewall.py``.

One small applet reads a few fields and array elements per command and answers 8 bytes. Its
APDU throughput is measured three ways, each in a fresh Python process:

- ``on``: ``Simulator()``, the firewall checks every field, method and element access;
- ``off-hooked``: ``Simulator(firewall=False)`` in a process where another card enabled the
  firewall, so the hooks are installed (process-wide) and only skip their checks;
- ``off-clean``: ``Simulator(firewall=False)`` in a process that never enables the firewall, so
  the hooks are never installed.

The modes run in turn for ``--rounds`` rounds and the best round of each is kept (the figure
least disturbed by other work on the machine). ``--mode`` runs one measurement in this process
(what the parent runs in each child).
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

AID = bytes.fromhex("F0000000B001")
SELECT = bytes.fromhex("00A4040006") + AID + b"\x00"
READ = bytes.fromhex("8001000008")
MODES = ("on", "off-hooked", "off-clean")
# Per command: selectingApplet, six field reads of the applet, one of the Box, eight
# elements of the byte array and two of the short array.
FIELD_READS = 8
ELEMENT_READS = 10


def build(firewall: bool):  # -> Simulator
    from jcsim import Simulator
    from jcsim.framework import ISO7816, Applet, ByteArray, ISOException, Object, ShortArray

    class Box(Object):
        def __init__(self) -> None:
            self.value = 5

    class FieldReader(Applet):
        """Reads fields and elements, as a typical process() does before it answers."""

        def __init__(self) -> None:
            self.mode = 1
            self.counter = 2
            self.limit = 100
            self.table = ByteArray(bytes(range(16)))
            self.shorts = ShortArray([1000, 2000])
            self.box = Box()

        def process(self, apdu) -> None:
            if self.selectingApplet():
                return
            buf = apdu.getBuffer()
            if buf[ISO7816.OFFSET_INS] != 0x01:
                ISOException.throwIt(ISO7816.SW_INS_NOT_SUPPORTED)
            table = self.table
            shorts = self.shorts
            total = self.mode + self.counter + self.box.value
            if total > self.limit:
                ISOException.throwIt(ISO7816.SW_DATA_INVALID)
            for i in range(8):
                buf[i] = (table[i] + total) & 0xFF
            buf[0] = (buf[0] + shorts[0] + shorts[1]) & 0xFF
            apdu.setOutgoingAndSend(0, 8)

    sim = Simulator(firewall=firewall)
    sim.install(FieldReader, AID)
    assert sim.select(SELECT[5:11]).sw == 0x9000
    return sim


def rate(sim, seconds: float) -> float:
    transmit = sim.transmit
    count, batch = 0, 200
    start = time.perf_counter()
    deadline = start + seconds
    while True:
        for _ in range(batch):
            transmit(READ)
        count += batch
        now = time.perf_counter()
        if now >= deadline:
            return count / (now - start)


def measure(mode: str, seconds: float) -> dict[str, object]:
    from jcsim.framework import firewall

    if mode == "off-hooked":
        build(firewall=True)  # a card with the firewall on installs the hooks for the process
    sim = build(firewall=(mode == "on"))
    response = sim.transmit(READ)
    assert response.sw == 0x9000 and len(response.data) == 8, response
    rate(sim, min(seconds, 0.3))  # warm up
    return {"mode": mode, "rate": rate(sim, seconds), "hooks": firewall.installed()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time per measurement")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the three modes")
    parser.add_argument("--mode", choices=MODES, help="measure one mode in this process")
    args = parser.parse_args()
    if args.mode:
        print(json.dumps(measure(args.mode, args.seconds)))
        return 0
    root = str(Path(__file__).resolve().parent.parent)
    best: dict[str, float] = {}
    hooks: dict[str, bool] = {}
    for _ in range(args.rounds):
        for mode in MODES:
            out = subprocess.run(
                [sys.executable, __file__, "--mode", mode, "--seconds", str(args.seconds)],
                check=True, capture_output=True, text=True, cwd=root,
                env={"PYTHONPATH": root, "PATH": ""})
            result = json.loads(out.stdout.strip().splitlines()[-1])
            best[mode] = max(best.get(mode, 0.0), result["rate"])
            hooks[mode] = result["hooks"]
    print(f"# jcsim firewall cost, {date.today()}, Python {platform.python_version()}, "
          f"{platform.machine()}, best of {args.rounds} rounds of {args.seconds:g} s")
    print(f"{'mode':<12}{'hooks':>7}{'APDU/s':>11}{'µs/APDU':>10}{'vs off-clean':>14}")
    clean = best["off-clean"]
    for mode in MODES:
        print(f"{mode:<12}{'yes' if hooks[mode] else 'no':>7}{best[mode]:>11,.0f}"
              f"{1e6 / best[mode]:>10.1f}{(clean / best[mode] - 1) * 100:>13.0f}%")
    per_access = (1e6 / best["on"] - 1e6 / clean) / (FIELD_READS + ELEMENT_READS)
    print(f"# about {per_access:.2f} µs per checked access "
          f"({FIELD_READS} field and {ELEMENT_READS} element reads per command)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
