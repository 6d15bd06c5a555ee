"""A real PC/SC stack for tests: a private pcscd with a vpcd reader pair, and cards served to it.

``PcscDaemon`` starts ``pcscd --foreground -c DIR`` whose only reader configuration is one vpcd
entry on two free TCP ports (the contact and the contactless slot), waits for its readers, and
stops it by PID. It refuses to start (``PcscUnavailable``, saying why) where it cannot test the
real thing: pcscd, vpcd or pyscard missing, not root (pcscd creates ``/run/pcscd``), or another
pcscd already owning the daemon socket (there is one per machine, and using that one would test
someone else's configuration).

The fixtures (registered by ``jcsim.pytest_plugin``):

- ``jcsim_pcsc_stack`` (session): the run's ``SharedDaemon``, or the ``PcscUnavailable`` that
  says why there can be none;
- ``jcsim_pcscd``: the running ``PcscDaemon``, held for the test, or a skip with that reason;
- ``pcsc_card``: the ``simulator`` fixture served to the daemon, as a connected pyscard
  ``CardConnection`` to its contact reader.

pcscd's daemon socket and the vpcd ports are the machine's, so the tests that use them take
turns, whichever pytest-xdist worker runs them: the daemon is started once and shared by the
run's workers through a lock file and a state file (``SharedDaemon``).
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
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jcsim.errors import JCSimError

__all__ = [
    "CONTACTLESS_READER",
    "CONTACT_READER",
    "PcscDaemon",
    "PcscDaemonError",
    "PcscUnavailable",
    "SharedDaemon",
    "jcsim_pcsc_stack",
    "jcsim_pcscd",
    "missing_requirements",
    "pcsc_card",
    "release_connection",
    "wait_for_card",
]

DAEMON_SOCKET = Path("/run/pcscd/pcscd.comm")
DAEMON_PID_FILE = Path("/run/pcscd/pcscd.pid")
VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
CONTACT_READER = "Virtual PCD 00 00"
CONTACTLESS_READER = "Virtual PCD 00 01"


class PcscUnavailable(JCSimError, RuntimeError):
    """This machine cannot run a private pcscd; the message says what is missing."""


class PcscDaemonError(JCSimError, RuntimeError):
    """The private pcscd started but did not work (it exited, or showed no reader)."""


def missing_requirements(tools: tuple[str, ...] = ("pcscd",)) -> list[str]:
    """What this machine lacks to serve a card through pcscd and vpcd (empty when nothing):
    the programs in ``tools``, the vpcd driver and pyscard."""
    packages = {"pcscd": "pcscd", "pcsc_scan": "pcsc-tools", "scriptor": "pcsc-tools",
                "opensc-tool": "opensc"}
    missing = [f"{tool} (Debian package {packages.get(tool, tool)})" for tool in tools
               if shutil.which(tool) is None and not Path("/usr/sbin", tool).exists()]
    if not VPCD_DRIVER.exists():
        missing.append(f"{VPCD_DRIVER} (Debian package vsmartcard-vpcd)")
    try:
        import smartcard  # noqa: F401
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
        found = re.match(r"\s*(\d*)", DAEMON_PID_FILE.read_text(errors="replace"))
        pid = found.group(1) if found else ""
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
    raise PcscUnavailable("no two consecutive free TCP ports between 20000 and 32000")


def reader_state(reader: str) -> int:
    """The reader's PC/SC event state (0 when the reader is not there)."""
    from smartcard import scard

    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        return 0
    try:
        hresult, states = scard.SCardGetStatusChange(
            context, 0, [(reader, scard.SCARD_STATE_UNAWARE)])
        if hresult != scard.SCARD_S_SUCCESS:
            return 0
        return int(states[0][1])
    finally:
        scard.SCardReleaseContext(context)


def daemon_status() -> str:
    """What a client sees of pcscd right now, for failure messages."""
    from smartcard import scard

    hresult, context = scard.SCardEstablishContext(scard.SCARD_SCOPE_USER)
    if hresult != scard.SCARD_S_SUCCESS:
        return (f"no pcscd context: {scard.SCardGetErrorMessage(hresult)}; "
                f"{DAEMON_SOCKET} {'exists' if DAEMON_SOCKET.exists() else 'is gone'}")
    hresult, names = scard.SCardListReaders(context, [])
    scard.SCardReleaseContext(context)
    return f"pcscd readers: {names if hresult == scard.SCARD_S_SUCCESS else hresult}"


def wait_for_card(reader: str, present: bool = True, timeout: float = 10.0) -> None:
    """Wait until pcscd shows a card in ``reader`` (or, ``present=False``, none); an
    ``AssertionError`` tells the reader's state when it does not within ``timeout``."""
    from smartcard import scard

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


def release_connection(connection: Any) -> None:
    """Release a pyscard connection without touching the card, whatever became of it."""
    from smartcard import scard

    # Released without touching the card (SCARD_LEAVE_CARD): pcscd 1.9.9 answers an
    # SCARD_UNPOWER_CARD disconnect of a handle whose card has gone by marking the reader
    # empty, even when another card is in it by then, and never notices that card (its
    # presence poll sees no change) until it leaves again.
    inner = getattr(connection, "component", connection)
    inner.disposition = scard.SCARD_LEAVE_CARD
    with contextlib.suppress(Exception):
        connection.release()
    # A handle that died with its card or its daemon cannot be released: make sure the
    # garbage collector does not try again (createConnection() wraps the PC/SC connection
    # in a decorator).
    inner.hcard = inner.hcontext = None


class PcscDaemon:
    """A pcscd of our own, reading only ``workdir/reader.conf.d``; started and stopped by PID."""

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
        self.adopted_pid: int | None = None  # a daemon another process of the run started
        self.starts = 0

    @classmethod
    def adopt(cls, state: dict[str, Any]) -> PcscDaemon:
        """The daemon that ``state`` (from ``state()``, in another process) describes."""
        daemon = cls.__new__(cls)
        daemon.workdir = Path(state["workdir"])
        daemon.port = int(state["port"])
        daemon.confdir = daemon.workdir / "reader.conf.d"
        daemon.log_path = daemon.workdir / "pcscd.log"
        daemon.process = None
        daemon.adopted_pid = int(state["pid"])
        daemon.starts = 0
        return daemon

    def state(self) -> dict[str, Any]:
        return {"workdir": str(self.workdir), "port": self.port, "pid": self.pid}

    @property
    def contactless_port(self) -> int:
        return self.port + 1

    @property
    def pid(self) -> int:
        if self.process is not None:
            return self.process.pid
        assert self.adopted_pid is not None, "this pcscd was never started"
        return self.adopted_pid

    def alive(self) -> bool:
        """Whether the daemon runs (a zombie does not)."""
        if self.process is not None:
            return self.process.poll() is None
        return self.adopted_pid is not None and _running(self.adopted_pid)

    def start(self) -> None:
        """Start pcscd and wait for its two vpcd readers."""
        owner = daemon_socket_owner()
        if owner is not None:
            raise PcscUnavailable(
                f"Another pcscd ({owner}) already owns {DAEMON_SOCKET}: there is one pcscd per "
                "machine, and these tests need their own, with a private reader configuration. "
                "Stop it (or run the tests where none runs).")
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child keeps writing to it
        try:
            # JCSIM_PCSCD_DEBUG=1 logs every call and APDU to pcscd.log, for a failure's story.
            debug = ["--debug", "--apdu"] if os.environ.get("JCSIM_PCSCD_DEBUG") else []
            self.process = subprocess.Popen(
                ["pcscd", "--foreground", "-c", str(self.confdir), *debug], stdout=log,
                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        finally:
            log.close()
        self.adopted_pid = None
        self.starts += 1
        deadline = time.monotonic() + 10
        while reader_state(CONTACT_READER) == 0 or reader_state(CONTACTLESS_READER) == 0:
            if self.process.poll() is not None:
                raise PcscDaemonError(f"pcscd exited with status {self.process.returncode}:\n"
                                      f"{self.log_tail()}")
            if time.monotonic() > deadline:
                self.stop()
                raise PcscDaemonError(f"pcscd showed no vpcd reader within 10 s:\n"
                                      f"{self.log_tail()}")
            time.sleep(0.02)

    def stop(self) -> None:
        if self.process is None:
            if self.adopted_pid is not None:
                _terminate(self.adopted_pid)
            return
        if self.process.poll() is not None:
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


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _terminate(pid: int) -> None:
    """SIGTERM, then SIGKILL after 5 s, for a process that is not our child."""
    for sig, wait in ((signal.SIGTERM, 5.0), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, sig)
        deadline = time.monotonic() + wait
        while _running(pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        if not _running(pid):
            return


def check_requirements() -> None:
    """Raise ``PcscUnavailable`` saying what this machine lacks to run a private pcscd."""
    missing = missing_requirements()
    if missing:
        raise PcscUnavailable("serving a card through PC/SC needs pcscd, vpcd and pyscard, and "
                              "this machine lacks: " + "; ".join(missing))
    if os.geteuid() != 0:
        raise PcscUnavailable("serving a card through PC/SC starts a private pcscd, which "
                              f"needs root (it creates {DAEMON_SOCKET.parent})")


class SharedDaemon:
    """The test run's one pcscd, shared by its processes (pytest-xdist workers) one test at a
    time.

    pcscd's daemon socket and the vpcd ports are the machine's, so a test that uses them holds
    a lock file in a directory every worker of the run shares (``turn()``). The state file
    beside it names the running daemon: the first turn starts one, later turns (in any worker)
    adopt it, start a new one if it has gone, and record a restart. Each worker using it signs
    in; the last to leave (``leave()``) stops it.
    """

    def __init__(self, shared_dir: Path, workdir: Path) -> None:
        self.lock_path = shared_dir / "jcsim-pcsc.lock"
        self.state_path = shared_dir / "jcsim-pcsc.json"
        self.workdir = workdir
        self.daemon: PcscDaemon | None = None
        self._depth = 0
        self._lock_fd: int | None = None
        self._signed_in = False

    @contextlib.contextmanager
    def turn(self) -> Iterator[PcscDaemon]:
        """Hold the run's PC/SC stack: the running daemon, started if need be."""
        if self._depth:  # nested (a test using two PC/SC fixtures): the lock is ours already
            self._depth += 1
            try:
                assert self.daemon is not None
                yield self.daemon
            finally:
                self._depth -= 1
            return
        with self._locked() as state:
            self._depth = 1
            try:
                if not self._signed_in:
                    state["users"] = [*state.get("users", []), os.getpid()]
                    self._signed_in = True
                self.daemon = self._current(state)
                yield self.daemon
            finally:
                self._depth = 0
                if self.daemon is not None and self.daemon.alive():
                    state["daemon"] = self.daemon.state()

    def leave(self) -> None:
        """This process is done with the daemon: the last one out stops it."""
        if not self._signed_in:
            return
        with self._locked() as state:
            users = [pid for pid in state.get("users", [])
                     if pid != os.getpid() and _running(pid)]
            state["users"] = users
            self._signed_in = False
            if not users:
                daemon = self.daemon or (PcscDaemon.adopt(state["daemon"])
                                         if "daemon" in state else None)
                if daemon is not None:
                    daemon.stop()
                state.pop("daemon", None)

    def _current(self, state: dict[str, Any]) -> PcscDaemon:
        recorded = state.get("daemon")
        if self.daemon is not None and self.daemon.alive() and (
                recorded is None or recorded["pid"] == self.daemon.pid):
            return self.daemon
        if recorded is not None:
            adopted = PcscDaemon.adopt(recorded)
            if adopted.alive():
                return adopted
        daemon = PcscDaemon(self.workdir / f"pcscd-{os.getpid()}")
        daemon.start()
        state["daemon"] = daemon.state()
        return daemon

    @contextlib.contextmanager
    def _locked(self) -> Iterator[dict[str, Any]]:
        import fcntl
        import json

        fd = os.open(self.lock_path, os.O_CREAT | os.O_RDWR, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                state = json.loads(self.state_path.read_text())
            except (OSError, ValueError):
                state = {}
            try:
                yield state
            finally:
                self.state_path.write_text(json.dumps(state))
        finally:
            os.close(fd)  # closing the descriptor releases the lock


def shared_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory every process of this test run shares (pytest-xdist gives each worker a
    base temporary directory inside one common to the run)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def jcsim_pcsc_stack(
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedDaemon | PcscUnavailable]:
    """The run's private pcscd (a ``SharedDaemon``), or the ``PcscUnavailable`` that says why
    there can be none."""
    try:
        check_requirements()
    except PcscUnavailable as unavailable:
        yield unavailable
        return
    shared = SharedDaemon(shared_directory(tmp_path_factory), tmp_path_factory.mktemp("pcsc"))
    try:
        yield shared
    finally:
        shared.leave()


@pytest.fixture
def jcsim_pcscd(jcsim_pcsc_stack: SharedDaemon | PcscUnavailable) -> Iterator[PcscDaemon]:
    """The run's private pcscd with its vpcd readers, held for this test (other workers' PC/SC
    tests wait); skips, saying why, where there can be none."""
    if isinstance(jcsim_pcsc_stack, PcscUnavailable):
        pytest.skip(str(jcsim_pcsc_stack))
    try:
        with jcsim_pcsc_stack.turn() as daemon:
            yield daemon
    except PcscUnavailable as unavailable:
        pytest.skip(str(unavailable))


@pytest.fixture
def pcsc_card(simulator: Any, jcsim_pcscd: PcscDaemon) -> Iterator[Any]:
    """The ``simulator`` fixture's card served through the private pcscd and vpcd, as a
    connected pyscard ``CardConnection`` to the contact reader (T=0 or T=1, as the card
    offers). The card leaves the reader when the test ends."""
    from smartcard.System import readers

    from jcsim.transport import Backoff
    from jcsim.transport.vpcd import serve_vpcd

    server = serve_vpcd(simulator, port=jcsim_pcscd.port, host="127.0.0.1",
                        backoff=Backoff(0.02, 0.2)).start()
    connection = None
    try:
        wait_for_card(CONTACT_READER)
        (reader,) = [r for r in readers() if str(r) == CONTACT_READER]
        connection = reader.createConnection()
        connection.connect()
        yield connection
    finally:
        if connection is not None:
            release_connection(connection)
        server.stop()
        with contextlib.suppress(AssertionError):
            wait_for_card(CONTACT_READER, present=False, timeout=5)
