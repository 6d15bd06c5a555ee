"""The real PC/SC stack for the ``pcsc`` tests: a private pcscd, and cards served to it.

The daemon is the pytest plugin's (``jcsim.pytest_pcsc``, ``jcsim.pcscd``): started once per
run with its own reader configuration, one vpcd entry on two free TCP ports (the contact and the
contactless slot), and held by one test at a time, whichever pytest-xdist worker runs it. Where
it cannot test the real thing (pcscd, vpcd, the client tools or pyscard missing, not root,
another pcscd owning the daemon socket) these tests fail, saying why, where the plugin's
``pcsc_card`` skips: a CI run as root with the packages installed must run every one of these
tests.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from jcsim import Simulator, serve_vpcd
from jcsim.pcscd import (
    CONTACT_READER,
    CONTACTLESS_READER,
    PcscDaemon,
    PcscUnavailableError,
    missing_requirements,
    release_connection,
    wait_for_card,
)
from jcsim.pytest_pcsc import SharedDaemon
from jcsim.transport import Backoff, VpcdServer

try:
    from smartcard import scard
    from smartcard.CardConnection import CardConnection
    from smartcard.Exceptions import CardConnectionException
except ImportError:  # pyscard missing: the pcscd fixture fails each test, saying how to fix it
    scard = CardConnection = None  # type: ignore[assignment]

    class CardConnectionException(Exception):  # type: ignore[no-redef]
        """Stands in for pyscard's, so that the test modules import without pyscard."""

REPO = Path(__file__).resolve().parents[2]
INSTALL_HINT = (
    "Install them as root with: apt-get install pcscd vsmartcard-vpcd pcsc-tools opensc "
    "libpcsclite-dev gcc pkg-config, then pip install pyscard (bash scripts/test.sh, run as "
    "root, does both). Deselect these tests with -m 'not pcsc'.")
CLIENT_TOOLS = ("pcscd", "pcsc_scan", "scriptor", "opensc-tool")


def cannot_run(reason: PcscUnavailableError) -> None:
    pytest.fail(f"The PC/SC tests cannot run: {str(reason).rstrip('.')}. " + INSTALL_HINT,
                pytrace=False)


@pytest.fixture
def pcscd(jcsim_pcsc_stack: SharedDaemon | PcscUnavailableError) -> Iterator[PcscDaemon]:
    """The run's own pcscd (the plugin's), with a vpcd reader pair on free ports, held for this
    test; where there can be none, each test fails saying why."""
    missing = missing_requirements(CLIENT_TOOLS)
    if missing:
        pytest.fail("The PC/SC tests need the real stack, and this machine lacks: "
                    + "; ".join(missing) + ". " + INSTALL_HINT, pytrace=False)
    if isinstance(jcsim_pcsc_stack, PcscUnavailableError):
        cannot_run(jcsim_pcsc_stack)
    try:
        with jcsim_pcsc_stack.turn() as daemon:
            yield daemon
    except PcscUnavailableError as unavailable:
        cannot_run(unavailable)


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
        release_connection(connection)


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
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child keeps writing to it
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
                raise AssertionError(
                    f"jcsim serve did not reach pcscd:\n{self.output()}") from None
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
