"""Through the real PC/SC stack: ``python bench/bench_pcsc.py`` (as root, with pcscd and
vsmartcard-vpcd installed, and no other pcscd running).

Starts a private pcscd (``-c DIR``, a vpcd reader on free ports), then measures with pyscard,
for a 16-byte echo and a 4000-byte response (T=1, ``jcsim.samples.echo``):

- ``jcsim serve --busy-poll-us 0`` in its own process: pyscard → pcscd → vpcd → jcsim, the card
  sleeping in ``recv`` as soon as it has answered;
- the echo and the RMI purse with ``--busy-poll-us N`` (``--busy-poll-us``, default 200; 0 leaves
  them out): the card polls its socket for up to N µs after each read before it sleeps (off by
  itself on one CPU, as with ``--pin``: the table says which), and, unpinned, the do-nothing
  card polling as long before each read: the stack's limit for a card that does not sleep;
- a card that does nothing: a minimal vpcd peer in its own process, answering each command at
  once with a canned response of the same size (no jcsim runtime): the stack's own limit;
- the RMI purse (``jcsim.samples.purse``) served by ``jcsim serve``: its ``getBalance`` INVOKE
  transmitted as a raw APDU, and called through the host stub (``JCRMIConnect`` over
  ``PCSCCardAccessor``);
- the same commands in-process (``Simulator.transmit``), for comparison;

and the time from starting ``jcsim serve`` to the first APDU answered through pcscd.

The cards' rounds alternate, so all see the same machine load; each figure is the median
round, with the lowest and highest round rates beside it. ``--pin CPU`` runs pcscd, this
process and the cards on one CPU: each command then costs the CPU work of the whole chain, with
none of the cross-CPU wake-ups that make unpinned figures move with the machine's other load.
``--before DIR`` serves the jcsim cards from another checkout too (the same rounds, alternated),
for a before/after comparison in one run. Prints a Markdown section for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import select
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DRIVER = "/usr/lib/pcsc/drivers/serial/libifdvpcd.so"
READER = "Virtual PCD 00 00"
AID = bytes.fromhex("F00000000101")
SELECT = list(bytes.fromhex("00A4040006") + AID + b"\x00")
ECHO_16 = list(bytes.fromhex("8001000010") + bytes(range(16)) + b"\x00")
RESPONSE_4000 = list(bytes.fromhex("80030FA0000FA0"))
HELLO = list(bytes.fromhex("8002000000"))
PURSE_AID = bytes.fromhex("000102030405060708")
# The plain jcsim cards sleep in recv at once, as before the option existed (its default is on).
NO_BUSY_POLL = ("--busy-poll-us", "0")


# --- the card that does nothing ----------------------------------------------------------------


def null_card(port: int, spin_us: int = 0) -> None:
    """A vpcd peer with no card behind it: 9000 to everything, 4000 bytes to INS 03. With
    ``spin_us`` it polls its socket that long before each read, as ``--busy-poll-us`` does."""
    atr = bytes.fromhex("3B8501") + b"jcsim" + b"\xFA"
    big = bytes(i & 0xFF for i in range(4000)) + b"\x90\x00"
    answers = {0x03: len(big).to_bytes(2, "big") + big}
    echo_header = b"\x00\x12"
    quickack = socket.TCP_QUICKACK
    while True:
        try:
            sock = socket.create_connection(("127.0.0.1", port))
        except OSError:
            time.sleep(0.05)
            continue
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        buffer = b""
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        while True:
            sock.setsockopt(socket.IPPROTO_TCP, quickack, 1)
            if spin_us:
                deadline = time.perf_counter_ns() + spin_us * 1000
                while not poller.poll(0) and time.perf_counter_ns() < deadline:
                    os.sched_yield()
            data = sock.recv(65538)
            if not data:
                break
            buffer += data
            while len(buffer) >= 2:
                length = (buffer[0] << 8) | buffer[1]
                if len(buffer) < 2 + length:
                    break
                payload, buffer = buffer[2:2 + length], buffer[2 + length:]
                if length == 1:
                    if payload == b"\x04":
                        sock.sendall(len(atr).to_bytes(2, "big") + atr)
                elif payload[1] in answers:
                    sock.sendall(answers[payload[1]])
                elif payload[1] == 0x01:
                    # The same answer size as jcsim's echo: 16 bytes + 9000.
                    sock.sendall(echo_header + payload[5:21] + b"\x90\x00")
                else:
                    sock.sendall(b"\x00\x02\x90\x00")
        sock.close()


# --- the private pcscd ---------------------------------------------------------------------------


def free_port_pair() -> int:
    for _ in range(200):
        port = random.randrange(20000, 32000)
        try:
            for number in (port, port + 1):
                with socket.socket() as sock:
                    sock.bind(("0.0.0.0", number))
            return port
        except OSError:
            continue
    raise SystemExit("no two consecutive free TCP ports")


def reader_has_card(present: bool = True) -> bool:
    from smartcard import scard

    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        return False
    try:
        hresult, states = scard.SCardGetStatusChange(context, 0,
                                                     [(READER, scard.SCARD_STATE_UNAWARE)])
        if hresult != scard.SCARD_S_SUCCESS:
            return not present
        return bool(states[0][1] & scard.SCARD_STATE_PRESENT) == present
    finally:
        scard.SCardReleaseContext(context)


def wait(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the PC/SC stack")
        time.sleep(0.01)


class Daemon:
    def __init__(self, workdir: Path) -> None:
        if Path("/run/pcscd/pcscd.comm").exists():
            with socket.socket(socket.AF_UNIX) as probe:
                try:
                    probe.connect("/run/pcscd/pcscd.comm")
                    raise SystemExit("another pcscd owns /run/pcscd/pcscd.comm: stop it first")
                except OSError:
                    pass
        self.port = free_port_pair()
        confdir = workdir / "reader.conf.d"
        confdir.mkdir()
        (confdir / "vpcd").write_text(f'FRIENDLYNAME "Virtual PCD"\nDEVICENAME /dev/null:'
                                      f"{self.port}\nLIBPATH {DRIVER}\nCHANNELID {self.port}\n")
        self.process = subprocess.Popen(["pcscd", "--foreground", "-c", str(confdir)],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                        start_new_session=True)
        wait(lambda: reader_has_card(present=False))

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(10)


# --- measuring -----------------------------------------------------------------------------------


def measure(transmit, command: list[int], count: int) -> dict[str, float]:
    for _ in range(200):
        transmit(command)
    times = []
    clock = time.perf_counter
    for _ in range(count):
        start = clock()
        transmit(command)
        times.append(clock() - start)
    times.sort()
    return {"rate": count / sum(times), "median": statistics.median(times) * 1e3,
            "p99": times[int(len(times) * 0.99)] * 1e3}


def median_round(results: list[dict[str, float]]) -> dict[str, float]:
    """The round with the median rate (the machine may be doing other work)."""
    return sorted(results, key=lambda r: r["rate"])[len(results) // 2]


def echo_figures(connection, count: int) -> dict[str, dict[str, float]]:
    connection.transmit(SELECT)
    return {name: measure(connection.transmit, command, count)
            for name, command in (("echo 16", ECHO_16), ("response 4000", RESPONSE_4000))}


def rmi_figures(connection, count: int) -> dict[str, dict[str, float]]:
    """The purse's getBalance: the INVOKE APDU through pyscard, and the host stub's call."""
    sys.path.insert(0, str(REPO))
    import jcsim.samples.purse  # noqa: F401 - the host side's Purse interface and PurseImpl class
    from jcsim.rmi.client import JCRMIConnect, PCSCCardAccessor

    class Recording(PCSCCardAccessor):
        def transmit(self, command: bytes) -> bytes:
            self.last = bytes(command)
            return super().transmit(command)

    accessor = Recording(connection=connection)
    rmi = JCRMIConnect(accessor)
    rmi.select_applet(PURSE_AID)
    purse = rmi.get_initial_reference()
    purse.getBalance()
    invoke = list(accessor.last)
    return {"RMI INVOKE getBalance": measure(connection.transmit, invoke, count),
            "RMI stub getBalance()": measure(lambda _: purse.getBalance(), invoke, count)}


def pcsc_round(start_card, count: int, figures) -> dict[str, dict[str, float]]:
    """Start a card, measure its commands through pcscd, stop the card."""
    from smartcard.System import readers

    process = start_card()
    try:
        wait(reader_has_card)
        (reader,) = [r for r in readers() if str(r) == READER]
        connection = reader.createConnection()
        connection.connect()
        result = figures(connection, count)
        connection.disconnect()
        return result
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(10)
        wait(lambda: reader_has_card(present=False))


def samples_of(tree: Path) -> str:
    """The samples' package in ``tree``: ``jcsim.samples``, or ``samples`` in older checkouts."""
    return "jcsim.samples" if (tree / "jcsim" / "samples").is_dir() else "samples"


def pinned(argv: list[str], cpu: int | None) -> list[str]:
    return argv if cpu is None else ["taskset", "-c", str(cpu), *argv]


def jcsim_serve(port: int, tree: Path = REPO, applet: str = f"echo:Echo={AID.hex()}",
                cpu: int | None = None, options: tuple[str, ...] = (),
                stdout=subprocess.DEVNULL, env: dict[str, str] | None = None
                ) -> subprocess.Popen[bytes]:
    """``jcsim serve`` from ``tree`` with ``applet``, named inside the samples package, and
    ``options``."""
    default = ["--default", AID.hex()] if applet.startswith("echo:") else []
    applet = f"{samples_of(tree)}.{applet}"
    return subprocess.Popen(pinned([sys.executable, "-m", "jcsim", "serve", "--applet", applet,
                                    *default, "--vpcd", f"127.0.0.1:{port}", *options], cpu),
                            cwd=tree, env=dict(os.environ, PYTHONPATH=str(tree), **(env or {})),
                            stdout=stdout, stderr=subprocess.DEVNULL)


def busy_poll_state(output: Path) -> str:
    """What ``jcsim serve --busy-poll-us`` said in its summary: "on" or "off" (one CPU)."""
    text = output.read_text(errors="replace") if output.exists() else ""
    if "Busy-poll off" in text:
        return "off"
    if "Busy-poll:" in text:
        return "on"
    raise SystemExit(f"jcsim serve did not say whether it busy-polls:\n{text}")


def first_apdu(port: int) -> float:
    """Seconds from starting ``jcsim serve`` to the first APDU answered through pcscd."""
    from smartcard.Exceptions import CardConnectionException, NoCardException
    from smartcard.System import readers

    (reader,) = [r for r in readers() if str(r) == READER]
    start = time.perf_counter()
    process = jcsim_serve(port)
    try:
        while True:
            try:
                connection = reader.createConnection()
                connection.connect()
                _, sw1, sw2 = connection.transmit(HELLO)
                elapsed = time.perf_counter() - start
                connection.disconnect()
                assert (sw1, sw2) == (0x90, 0x00)
                return elapsed
            except (CardConnectionException, NoCardException):
                time.sleep(0.002)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(10)
        wait(lambda: reader_has_card(present=False))


def in_process(count: int, rounds: int) -> dict[str, dict[str, float]]:
    sys.path.insert(0, str(REPO))
    from jcsim import Simulator
    from jcsim.rmi.client import JCRMIConnect, SimulatorCardAccessor
    from jcsim.samples.echo import Echo
    from jcsim.samples.purse import PurseApplet

    sim = Simulator()
    sim.install(Echo, AID)
    sim.select(AID)

    def transmit(command: list[int]) -> None:
        sim.transmit(bytes(command))

    figures = {name: median_round([measure(transmit, command, count) for _ in range(rounds)])
               for name, command in (("echo 16", ECHO_16), ("response 4000", RESPONSE_4000))}
    purse_card = Simulator()
    purse_card.install(PurseApplet, PURSE_AID)
    rmi = JCRMIConnect(SimulatorCardAccessor(purse_card))
    rmi.select_applet(PURSE_AID)
    purse = rmi.get_initial_reference()
    commands: list[bytes] = []

    def record(event) -> None:
        commands.append(event.command)

    purse_card.subscribe(record)
    purse.getBalance()
    purse_card.unsubscribe(record)
    invoke = commands[-1]
    figures["RMI INVOKE getBalance"] = median_round(
        [measure(lambda _: purse_card.transmit(invoke), [], count) for _ in range(rounds)])
    figures["RMI stub getBalance()"] = median_round(
        [measure(lambda _: purse.getBalance(), [], count) for _ in range(rounds)])
    return figures


def spread(results: list[dict[str, float]]) -> str:
    rates = sorted(r["rate"] for r in results)
    return f"{rates[0]:,.0f} to {rates[-1]:,.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=3000, help="APDUs per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--pin", type=int, metavar="CPU",
                        help="run pcscd, this process and the cards on this CPU only")
    parser.add_argument("--busy-poll-us", type=int, default=200, metavar="N",
                        help="also serve the echo with jcsim serve --busy-poll-us N (0: not)")
    parser.add_argument("--before", type=Path, metavar="DIR",
                        help="also serve the jcsim cards from this checkout, in the same rounds")
    parser.add_argument("--null-card", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--null-spin", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.null_card is not None:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        null_card(args.null_card, args.null_spin)
        return
    if os.geteuid() != 0:
        raise SystemExit("run as root: the benchmark starts its own pcscd")
    cpu = args.pin
    with tempfile.TemporaryDirectory() as workdir:
        daemon = Daemon(Path(workdir))
        try:
            if cpu is not None:
                os.sched_setaffinity(0, {cpu})
                subprocess.run(["taskset", "-a", "-p", "-c", str(cpu), str(daemon.process.pid)],
                               stdout=subprocess.DEVNULL, check=True)
            port = daemon.port
            purse = f"purse:PurseApplet={PURSE_AID.hex()}"
            cards = {
                "nothing": (lambda: subprocess.Popen(
                    pinned([sys.executable, __file__, "--null-card", str(port)], cpu)),
                    echo_figures),
                "jcsim": (lambda: jcsim_serve(port, cpu=cpu, options=NO_BUSY_POLL), echo_figures),
                "purse": (lambda: jcsim_serve(port, applet=purse, cpu=cpu, options=NO_BUSY_POLL),
                          rmi_figures),
            }
            busy_output = Path(workdir) / "busy-poll.out"
            busy_states: set[str] = set()
            if args.busy_poll_us:
                def busy_card() -> subprocess.Popen[bytes]:
                    with busy_output.open("wb") as output:
                        return jcsim_serve(port, cpu=cpu, stdout=output,
                                           options=("--busy-poll-us", str(args.busy_poll_us)))

                def busy_figures(connection, count: int) -> dict[str, dict[str, float]]:
                    busy_states.add(busy_poll_state(busy_output))
                    return echo_figures(connection, count)

                cards["jcsim busy"] = (busy_card, busy_figures)
                cards["purse busy"] = (
                    lambda: jcsim_serve(port, applet=purse, cpu=cpu,
                                        options=("--busy-poll-us", str(args.busy_poll_us))),
                    rmi_figures)
                if cpu is None:  # pinned, jcsim does not spin: neither would this card
                    spinning_null = [sys.executable, __file__, "--null-card", str(port),
                                     "--null-spin", str(args.busy_poll_us)]
                    cards["nothing busy"] = (lambda: subprocess.Popen(spinning_null),
                                             echo_figures)
            if args.before is not None:
                cards["jcsim before"] = (lambda: jcsim_serve(port, args.before, cpu=cpu),
                                         echo_figures)
                cards["purse before"] = (
                    lambda: jcsim_serve(port, args.before, applet=purse, cpu=cpu), rmi_figures)
            # Rounds alternate between the cards, so all see the same machine load.
            rounds: dict[str, list[dict[str, dict[str, float]]]] = {name: [] for name in cards}
            for _ in range(args.rounds):
                for name, (start, figures) in cards.items():
                    rounds[name].append(pcsc_round(start, args.count, figures))
            starts = sorted(first_apdu(port) for _ in range(5))
        finally:
            daemon.stop()
    local = in_process(args.count * 5, args.rounds)

    def table_rows(label: str, name: str) -> list[tuple[str, str, dict[str, float], str]]:
        commands = rounds[name][0].keys()
        return [(label, command, median_round([r[command] for r in rounds[name]]),
                 spread([r[command] for r in rounds[name]])) for command in commands]

    busy_state = "/".join(sorted(busy_states))
    labels = {"nothing": "does nothing (vpcd peer, no runtime)",
              "nothing busy": f"does nothing, polling {args.busy_poll_us} µs before each read",
              "jcsim busy": f"`jcsim serve --busy-poll-us {args.busy_poll_us}` "
                            f"(jcsim.samples.echo; busy-poll {busy_state})",
              "jcsim": "`jcsim serve --busy-poll-us 0` (jcsim.samples.echo)",
              "jcsim before": "`jcsim serve` (jcsim.samples.echo), before",
              "purse": "`jcsim serve --busy-poll-us 0` (jcsim.samples.purse, RMI)",
              "purse busy": f"`jcsim serve --busy-poll-us {args.busy_poll_us}` "
                            "(jcsim.samples.purse, RMI)",
              "purse before": "`jcsim serve` (jcsim.samples.purse, RMI), before"}
    rows = [row for name in cards for row in table_rows(labels[name], name)]
    rows += [("in-process `Simulator.transmit`", command, figures, "")
             for command, figures in local.items()]
    median = {(label, command): figures["rate"] for label, command, figures, _ in rows}
    # The median latency moves less than the rate (the mean) on a loaded machine.
    latency = {(label, command): figures["median"] for label, command, figures, _ in rows}

    print("## Through pcscd and vpcd (`python bench/bench_pcsc.py`)\n")
    print(f"{date.today().isoformat()}, Python {platform.python_version()}, "
          f"{platform.machine()}, {os.cpu_count()} cores"
          f"{f', everything pinned to CPU {cpu}' if cpu is not None else ''}; pyscard in this "
          "process, pcscd, and the card in its own process (T=1); the median of "
          f"{args.rounds} rounds of {args.count} APDUs (lowest to highest round), the cards' "
          "rounds alternating. APDU/s is the count over the summed latencies.\n")
    print("| card | command | APDU/s | rounds | median ms | p99 ms |")
    print("|---|---|---:|---:|---:|---:|")
    for label, command, f, rates in rows:
        print(f"| {label} | {command} | {f['rate']:,.0f} | {rates} | {f['median']:.3f} | "
              f"{f['p99']:.3f} |")
    print()
    if "jcsim busy" in cards:
        for command in ("echo 16", "response 4000"):
            busy = labels["jcsim busy"]
            share = median[busy, command] / median[labels["nothing"], command]
            by_latency = latency[labels["nothing"], command] / latency[busy, command]
            print(f"- {command}: jcsim serve --busy-poll-us {args.busy_poll_us} (busy-poll "
                  f"{busy_state}) at {share:.2f}x the do-nothing card's rate ({by_latency:.2f}x "
                  "by median latency).")
            if "nothing busy" in cards:
                spinning = labels["nothing busy"]
                share = median[busy, command] / median[spinning, command]
                by_latency = latency[spinning, command] / latency[busy, command]
                print(f"- {command}: jcsim serve --busy-poll-us {args.busy_poll_us} at "
                      f"{share:.2f}x the rate of the do-nothing card polling as long "
                      f"({by_latency:.2f}x by median latency).")
    if "purse busy" in cards:
        busy, purse_label = labels["jcsim busy"], labels["purse busy"]
        for command in ("RMI INVOKE getBalance", "RMI stub getBalance()"):
            ratio = median[busy, "echo 16"] / median[purse_label, command]
            by_latency = latency[purse_label, command] / latency[busy, "echo 16"]
            print(f"- {command}, both served with --busy-poll-us {args.busy_poll_us}: "
                  f"{ratio:.2f}x the time of the echo through PC/SC ({by_latency:.2f}x by "
                  "median latency).")
    for suffix in ("", " before") if args.before is not None else ("",):
        jcsim = labels["jcsim" + suffix]
        purse_label = labels["purse" + suffix]
        for command in ("echo 16", "response 4000"):
            share = median[jcsim, command] / median[labels["nothing"], command]
            by_latency = latency[labels["nothing"], command] / latency[jcsim, command]
            print(f"- {command}: jcsim serve{suffix} at {share:.2f}x the do-nothing card's rate "
                  f"({by_latency:.2f}x by median latency).")
        for command in ("RMI INVOKE getBalance", "RMI stub getBalance()"):
            ratio = median[jcsim, "echo 16"] / median[purse_label, command]
            by_latency = latency[purse_label, command] / latency[jcsim, "echo 16"]
            print(f"- {command}{suffix}: {ratio:.2f}x the time of the echo through PC/SC "
                  f"({by_latency:.2f}x by median latency).")
    print(f"- `jcsim serve` start to first APDU answered: median {statistics.median(starts):.2f} s"
          f" (min {starts[0]:.2f}, max {starts[-1]:.2f}, 5 runs).")


if __name__ == "__main__":
    main()
