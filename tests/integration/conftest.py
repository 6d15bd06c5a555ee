"""The real PC/SC stack for the ``pcsc`` tests: a private pcscd, and cards served to it.

The session starts its own ``pcscd --foreground -c DIR`` whose only reader configuration is one
vpcd entry on two free TCP ports (the contact and the contactless slot), waits for its readers,
and stops it by PID at the end. It refuses to run, with a message saying why, when it cannot
test the real thing: pcscd, vpcd or the client tools missing, pyscard missing, not root, or
another pcscd already owning the daemon socket (there is one per machine, and testing that one
would test someone else's configuration). These are failures, not skips: a CI run as root with
the packages installed must run every one of these tests.
"""

from __future__ import annotations

import contextlib
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from jcsim import Simulator, serve_vpcd
from jcsim.transport import Backoff, VpcdServer

try:
    from smartcard import scard
    from smartcard.CardConnection import CardConnection
    from smartcard.Exceptions import CardConnectionException
except ImportError:  # pyscard missing: the pcscd fixture fails each test, saying how to fix it
    scard = CardConnection = None  # type: ignore[assignment]

    class CardConnectionException(Exception):  # type: ignore[no-redef]
        """Stands in for pyscard's, so that the test modules import without pyscard."""

DAEMON_SOCKET = Path("/run/pcscd/pcscd.comm")
DAEMON_PID_FILE = Path("/run/pcscd/pcscd.pid")
VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
CONTACT_READER = "Virtual PCD 00 00"
CONTACTLESS_READER = "Virtual PCD 00 01"
REPO = Path(__file__).resolve().parents[2]
INSTALL_HINT = (
    "Install them as root with: apt-get install pcscd vsmartcard-vpcd pcsc-tools opensc "
    "libpcsclite-dev gcc pkg-config, then pip install pyscard (bash scripts/test.sh, run as "
    "root, does both). Deselect these tests with -m 'not pcsc'.")


def missing_requirements() -> list[str]:
    """What this machine lacks to run the PC/SC tests (empty when nothing)."""
    missing = [f"{tool} (Debian package {package})" for tool, package in (
        ("pcscd", "pcscd"), ("pcsc_scan", "pcsc-tools"), ("scriptor", "pcsc-tools"),
        ("opensc-tool", "opensc")) if shutil.which(tool) is None and
        not Path("/usr/sbin", tool).exists()]
    if not VPCD_DRIVER.exists():
        missing.append(f"{VPCD_DRIVER} (Debian package vsmartcard-vpcd)")
    try:
        import smartcard
    except ImportError:
        missing.append("pyscard (pip install pyscard; it builds against libpcsclite-dev)")
    return missing


def daemon_socket_owner() -> str | None:
    """A description of the pcscd that answers on the daemon socket, or None."""
    if not DAEMON_SOCKET.exists():
        return None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(str(DAEMON_SOCKET))
        except OSError:
            return None  # a stale file: pcscd removes it when it starts
    try:
        # pcscd writes "PID\n\0".
        pid = re.match(r"\s*(\d*)", DAEMON_PID_FILE.read_text(errors="replace")).group(1)
    except OSError:
        pid = ""
    return f"pcscd with PID {pid or 'unknown'}"


def free_port_pair() -> int:
    """A port N such that N and N+1 are both free on every interface (vpcd binds 0.0.0.0)."""
    for _ in range(200):
        port = random.randrange(20000, 32000)
        sockets = []
        try:
            for number in (port, port + 1):
                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sockets.append(sock)
                sock.bind(("0.0.0.0", number))
            return port
        except OSError:
            continue
        finally:
            for sock in sockets:
                sock.close()
    raise RuntimeError("no two consecutive free TCP ports between 20000 and 32000")


def reader_state(reader: str) -> int:
    """The reader's PC/SC event state (0 when the reader is not there)."""
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        return 0
    try:
        hresult, states = scard.SCardGetStatusChange(
            context, 0, [(reader, scard.SCARD_STATE_UNAWARE)])
        if hresult != scard.SCARD_S_SUCCESS:
            return 0
        return states[0][1]
    finally:
        scard.SCardReleaseContext(context)


def daemon_status() -> str:
    """What a client sees of pcscd right now, for failure messages."""
    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        return (f"no pcscd context: {scard.SCardGetErrorMessage(hresult)}; "
                f"{DAEMON_SOCKET} {'exists' if DAEMON_SOCKET.exists() else 'is gone'}")
    hresult, names = scard.SCardListReaders(context, [])
    scard.SCardReleaseContext(context)
    return f"pcscd readers: {names if hresult == scard.SCARD_S_SUCCESS else hresult:}"


def wait_for_card(reader: str, present: bool = True, timeout: float = 10.0) -> None:
    """Wait until pcscd shows a card in ``reader`` (or, ``present=False``, none)."""
    deadline = time.monotonic() + timeout
    while True:
        state = reader_state(reader)
        has_card = bool(state & scard.SCARD_STATE_PRESENT)
        if has_card == present and (not present or not state & scard.SCARD_STATE_MUTE):
            return
        if time.monotonic() > deadline:
            problem = (f"{reader}: no card after {timeout} s" if present else
                       f"{reader}: the card is still there after {timeout} s")
            raise AssertionError(f"{problem} (reader state {state:#x}; {daemon_status()})")
        time.sleep(0.02)


class PcscDaemon:
    """A pcscd of our own, reading only ``confdir``; started and stopped by PID."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = free_port_pair()
        self.confdir = workdir / "reader.conf.d"
        self.confdir.mkdir(parents=True, exist_ok=True)
        (self.confdir / "jcsim-vpcd").write_text(
            'FRIENDLYNAME "Virtual PCD"\n'
            f"DEVICENAME   /dev/null:{self.port}\n"
            f"LIBPATH      {VPCD_DRIVER}\n"
            f"CHANNELID    {self.port}\n")
        self.log_path = workdir / "pcscd.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def contactless_port(self) -> int:
        return self.port + 1

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def start(self) -> None:
        owner = daemon_socket_owner()
        if owner is not None:
            pytest.fail(f"Another pcscd ({owner}) already owns {DAEMON_SOCKET}: there is one "
                        "pcscd per machine, and these tests need their own, with a private "
                        "reader configuration. Stop it (or run the tests where none runs).",
                        pytrace=False)
        log = open(self.log_path, "ab")
        try:
            # JCSIM_PCSCD_DEBUG=1 logs every call and APDU to pcscd.log, for a failure's story.
            debug = ["--debug", "--apdu"] if os.environ.get("JCSIM_PCSCD_DEBUG") else []
            self.process = subprocess.Popen(
                ["pcscd", "--foreground", "-c", str(self.confdir), *debug], stdout=log,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        finally:
            log.close()
        self.starts += 1
        deadline = time.monotonic() + 10
        while reader_state(CONTACT_READER) == 0 or reader_state(CONTACTLESS_READER) == 0:
            if self.process.poll() is not None:
                pytest.fail(f"pcscd exited with status {self.process.returncode}:\n"
                            f"{self.log_tail()}", pytrace=False)
            if time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"pcscd showed no vpcd reader within 10 s:\n{self.log_tail()}",
                            pytrace=False)
            time.sleep(0.02)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)

    def restart(self) -> None:
        self.stop()
        self.start()

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


@pytest.fixture(scope="session")
def pcscd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PcscDaemon]:
    """The session's own pcscd, with a vpcd reader pair on free ports."""
    missing = missing_requirements()
    if missing:
        pytest.fail("The PC/SC tests need the real stack, and this machine lacks: "
                    + "; ".join(missing) + ". " + INSTALL_HINT, pytrace=False)
    if os.geteuid() != 0:
        pytest.fail("The PC/SC tests start their own pcscd, which needs root (it creates "
                    f"{DAEMON_SOCKET.parent}). Run them as root. " + INSTALL_HINT, pytrace=False)
    daemon = PcscDaemon(tmp_path_factory.mktemp("pcscd"))
    try:
        daemon.start()
        yield daemon
    finally:
        daemon.stop()


ServeCard = Callable[..., VpcdServer]


@pytest.fixture
def serve_card(pcscd: PcscDaemon) -> Iterator[ServeCard]:
    """``serve_card(sim, contactless=False)``: serve ``sim`` to the session's pcscd and wait
    until its reader(s) show the card; the card leaves its readers when the test ends."""
    servers: list[tuple[VpcdServer, list[str]]] = []

    def serve(sim: Simulator, *, contactless: bool = False, **options) -> VpcdServer:
        server = serve_vpcd(sim, port=pcscd.port, host="127.0.0.1",
                            contactless_port=pcscd.contactless_port if contactless else None,
                            backoff=Backoff(0.02, 0.2), **options).start()
        readers = [CONTACT_READER] + ([CONTACTLESS_READER] if contactless else [])
        servers.append((server, readers))
        for reader in readers:
            wait_for_card(reader)
        return server

    yield serve
    for server, readers in servers:
        server.stop()
        for reader in readers:
            with contextlib.suppress(AssertionError):
                wait_for_card(reader, present=False, timeout=5)


@pytest.fixture
def connect(pcscd: PcscDaemon) -> Iterator[Callable[..., object]]:
    """``connect(reader=CONTACT_READER, protocol=None)``: a pyscard connection to the card in
    ``reader`` (T=0 or T=1, as the card offers); released when the test ends, whatever
    happened to the card or to pcscd meanwhile."""
    from smartcard.System import readers

    connections = []

    def make(reader: str = CONTACT_READER, protocol: int | None = None):
        (target,) = [r for r in readers() if str(r) == reader]
        connection = target.createConnection()
        connections.append(connection)
        connection.connect(protocol)
        return connection

    yield make
    for connection in connections:
        # Released without touching the card (SCARD_LEAVE_CARD): pcscd 1.9.9 answers an
        # SCARD_UNPOWER_CARD disconnect of a handle whose card has gone by marking the reader
        # empty, even when another card is in it by then, and never notices that card (its
        # presence poll sees no change) until it leaves again.
        inner = getattr(connection, "component", connection)
        if scard is not None:
            inner.disposition = scard.SCARD_LEAVE_CARD
        with contextlib.suppress(Exception):
            connection.release()
        # A handle that died with its card or its daemon cannot be released: make sure the
        # garbage collector does not try again (createConnection() wraps the PC/SC connection
        # in a decorator).
        inner.hcard = inner.hcontext = None


class CardProcess:
    """``jcsim serve`` in a subprocess, connected to the session's pcscd."""

    def __init__(self, pcscd: PcscDaemon, args: list[str], env: dict[str, str] | None = None,
                 log_path: Path | None = None) -> None:
        self.pcscd = pcscd
        self.args = args
        self.env = dict(os.environ, COLUMNS="200", **(env or {}))
        self.log_path = log_path or pcscd.workdir / "jcsim-serve.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, wait: bool = True) -> CardProcess:
        log = open(self.log_path, "ab")
        try:
            self.process = subprocess.Popen(
                # -vv: the log then tells every frame, APDU and power event, should a test fail.
                [sys.executable, "-m", "jcsim", "serve", "--vpcd", f"127.0.0.1:{self.pcscd.port}",
                 "-vv", *self.args], cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL)
        finally:
            log.close()
        if wait:
            try:
                wait_for_card(CONTACT_READER)
            except AssertionError:
                self.stop()
                raise AssertionError(f"jcsim serve did not reach pcscd:\n{self.output()}")
        return self

    def output(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(5)

    def stop(self) -> int:
        """SIGTERM, as a service manager would; returns the exit status."""
        assert self.process is not None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        return self.process.returncode


@pytest.fixture
def card_process(pcscd: PcscDaemon, tmp_path: Path) -> Iterator[Callable[..., CardProcess]]:
    """``card_process(args, env=None)``: a ``jcsim serve`` subprocess; stopped at the end."""
    processes: list[CardProcess] = []

    def make(args: list[str], env: dict[str, str] | None = None) -> CardProcess:
        process = CardProcess(pcscd, args, env, tmp_path / f"serve-{len(processes)}.log")
        processes.append(process)
        return process

    yield make
    for process in processes:
        if process.process is not None:
            process.stop()
    with contextlib.suppress(AssertionError):
        wait_for_card(CONTACT_READER, present=False, timeout=5)
