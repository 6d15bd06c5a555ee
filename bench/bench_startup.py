"""Start-up: ``python bench/bench_startup.py [--runs 21] [--before DIR]``.

Times fresh interpreters, alternated so that all see the same machine load:

- ``python -c pass``: the bare interpreter (with this environment's site-packages);
- ``python -c "import jcsim"``;
- a one-APDU script: ``from jcsim import Simulator``, install the echo sample, one transmit.

Each figure is the median over ``--runs`` starts (after one warm-up start that writes the
bytecode cache), as wall time and as the child's CPU time
(user + system, from ``os.wait4``: steadier on a loaded machine), with the lowest and highest.
``--before DIR`` also times the same programs against another checkout (``PYTHONPATH=DIR``), in
the same alternation, for a before/after comparison. Prints a Markdown table for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PROGRAMS = {
    "python -c pass": "pass",
    "import jcsim": "import jcsim",
    "one APDU (Simulator, install echo, transmit)": (
        "from jcsim import Simulator\n"
        "from {samples}.echo import Echo\n"
        "sim = Simulator()\n"
        "sim.install(Echo, 'F00000000101')\n"
        "sim.select('F00000000101')\n"
        "assert sim.transmit('8001000002AABB00').sw == 0x9000\n"
    ),
}


def samples_of(tree: Path) -> str:
    """The samples' package in ``tree``: ``jcsim.samples``, or ``samples`` in older checkouts."""
    return "jcsim.samples" if (tree / "jcsim" / "samples").is_dir() else "samples"


def run_once(code: str, tree: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one fresh interpreter running ``code`` with ``tree`` first on
    the path."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    # Bytecode is cached as in any installation (the warm-up start writes it).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    code = code.replace("{samples}", samples_of(tree))
    process = subprocess.Popen([sys.executable, "-c", code], cwd=tree, env=env,
                               stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{code!r} failed in {tree} (exit {process.returncode})")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--before", type=Path, metavar="DIR",
                        help="another checkout to time in the same run (the 'before')")
    args = parser.parse_args()
    trees = {"after": REPO} if args.before is None else {"before": args.before, "after": REPO}
    samples: dict[tuple[str, str], list[tuple[float, float]]] = {
        (tree, name): [] for tree in trees for name in PROGRAMS}
    for _ in range(args.runs + 1):
        for tree, path in trees.items():
            for name, code in PROGRAMS.items():
                samples[tree, name].append(run_once(code, path))
    for runs in samples.values():
        del runs[0]  # the warm-up start, which may have compiled the bytecode

    def median_ms(tree: str, name: str, which: int) -> float:
        return statistics.median(s[which] for s in samples[tree, name]) * 1e3

    print("## Start-up (`python bench/bench_startup.py`)\n")
    print(f"{date.today().isoformat()}, Python {platform.python_version()}, {platform.machine()}, "
          f"{os.cpu_count()} cores; median of {args.runs} alternated starts each, wall time "
          "and the child's CPU time (user + system); in brackets the lowest and highest.\n")
    print("| program | checkout | wall ms | over bare | CPU ms | over bare |")
    print("|---|---|---:|---:|---:|---:|")
    for name in PROGRAMS:
        for tree in trees:
            walls = sorted(s[0] * 1e3 for s in samples[tree, name])
            cpus = sorted(s[1] * 1e3 for s in samples[tree, name])
            wall, cpu = median_ms(tree, name, 0), median_ms(tree, name, 1)
            bare_wall, bare_cpu = (median_ms(tree, "python -c pass", 0),
                                   median_ms(tree, "python -c pass", 1))
            print(f"| {name} | {tree} | {wall:.1f} [{walls[0]:.1f} to {walls[-1]:.1f}] | "
                  f"{wall - bare_wall:+.1f} | {cpu:.1f} [{cpus[0]:.1f} to {cpus[-1]:.1f}] | "
                  f"{cpu - bare_cpu:+.1f} |")


if __name__ == "__main__":
    main()
