"""Java applets against their Python twins: ``python bench/bench_java.py [--repeat N]``.

Prints, for BENCHMARKS.md:

- APDU/s of the echo (``jcsim/samples/echo`` and its Java twin ``tests/java/applets/echo``, a
  16-byte echo command) and of a purse debit in a transaction (``tests/java/twins.py`` and its
  Java twin ``tests/java/cardsrc``), in-process, Python and Java in the same run;
- bytecodes/s of the interpreter on an int/short/array loop (the count of executed
  instructions is measured once by wrapping every instruction of the method with a counter).

Each figure is the best and the median of ``--repeat`` runs; the Java classes are compiled with
``jcsim javac`` into a temporary directory first.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jcsim import Simulator  # noqa: E402
from jcsim.java import JavaClasspath, javac  # noqa: E402
from jcsim.samples.echo.echo import Echo  # noqa: E402
from tests.java import twins  # noqa: E402

ECHO_AID = "A0 00 00 00 62 03 01 0C 01 01"
PURSE_AID = "A0 00 00 00 62 03 01 0C 02 01"
ECHO = bytes.fromhex("00 01 00 00 10" + "A5" * 16 + "00")
DEBIT = bytes.fromhex("00 40 00 00 02 00 01")
CREDIT = bytes.fromhex("00 30 00 00 02 27 10")

LOOP_SOURCE = """
package bench;
public class Loop {
    public static int run(short rounds) {
        byte[] data = new byte[64];
        short[] sums = new short[4];
        int total = 0;
        for (short r = 0; r < rounds; r++) {
            for (short i = 0; i < data.length; i++) {
                data[i] = (byte) (data[i] + i * 3 + r);
                total += data[i] & 0x7F;
            }
            sums[r & 3] = (short) (sums[r & 3] ^ total);
        }
        return total + sums[0];
    }
}
"""


def _compile(work: Path) -> JavaClasspath:
    sources = sorted((ROOT / "tests/java/applets/echo").rglob("*.java"))
    sources += [ROOT / "tests/java/cardsrc/com/jcsim/twins/Purse.java"]
    loop = work / "src/bench/Loop.java"
    loop.parent.mkdir(parents=True)
    loop.write_text(LOOP_SOURCE)
    javac.compile_java([*sources, loop], work / "classes")
    return JavaClasspath([work / "classes"])


def _rate(sim: Simulator, command: bytes, count: int) -> float:
    transmit = sim.transmit
    start = time.perf_counter()
    for _ in range(count):
        transmit(command)
    return count / (time.perf_counter() - start)


def _echo_card(applet: type) -> Simulator:
    sim = Simulator("T=1")
    sim.install(applet, ECHO_AID)
    sim.select(ECHO_AID)
    assert sim.transmit(ECHO).data == b"\xA5" * 16
    return sim


def _purse_card(applet: type) -> Simulator:
    sim = Simulator("T=1")
    sim.install(applet, PURSE_AID)
    sim.select(PURSE_AID)
    assert sim.transmit(CREDIT).sw == 0x9000
    return sim


def _count_instructions(loop: Any, rounds: int) -> int:
    """Run ``Loop.run`` once with every instruction wrapped by a counter."""
    loop.run(1)  # links every instruction first (a linked instruction replaces itself)
    method = next(m for m in loop._jv_class.methods.values() if m.name == "run")
    ops = method.ops
    counter = [0]

    def counted(op: Any) -> Any:
        def wrapper(st: list, lv: list) -> int:
            counter[0] += 1
            return op(st, lv)
        return wrapper

    original = list(ops)
    ops[:] = [counted(op) for op in original]
    try:
        loop.run(rounds)
    finally:
        ops[:] = original
    return counter[0]


def _figure(values: list[float]) -> str:
    return f"{max(values):>10,.0f} {statistics.median(values):>10,.0f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5, help="runs per figure")
    parser.add_argument("--count", type=int, default=2000, help="APDUs per run")
    args = parser.parse_args()
    print(f"# jcsim Java applets, {date.today()}, Python {platform.python_version()}, "
          f"{platform.machine()}")
    with tempfile.TemporaryDirectory() as work:
        classes = _compile(Path(work))
        java_echo = classes["com.example.echo.Echo"]
        java_purse = classes["com.jcsim.twins.Purse"]
        loop = classes["bench.Loop"]
        rows = {"echo 16 bytes: Python": [], "echo 16 bytes: Java": [],
                "purse debit (transaction): Python": [], "purse debit (transaction): Java": []}
        for _ in range(args.repeat):
            rows["echo 16 bytes: Python"].append(_rate(_echo_card(Echo), ECHO, args.count))
            rows["echo 16 bytes: Java"].append(_rate(_echo_card(java_echo), ECHO, args.count))
            rows["purse debit (transaction): Python"].append(
                _rate(_purse_card(twins.Purse), DEBIT, args.count))
            rows["purse debit (transaction): Java"].append(
                _rate(_purse_card(java_purse), DEBIT, args.count))
        rounds = 200
        executed = _count_instructions(loop, rounds)
        speeds = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            loop.run(rounds)
            speeds.append(executed / (time.perf_counter() - start))
    print(f"\n{'in-process, T=1':<40}{'best/s':>10} {'median/s':>10}")
    for label, values in rows.items():
        print(f"{label:<40}{_figure(values)}")
    for name in ("echo 16 bytes", "purse debit (transaction)"):
        ratio = statistics.median(rows[f"{name}: Python"]) / statistics.median(
            rows[f"{name}: Java"])
        print(f"{name}: Java takes {ratio:.2f}x the time of Python")
    print(f"{'bytecodes/s (' + format(executed, ',') + ' per run)':<40}{_figure(speeds)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
