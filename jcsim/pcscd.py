"""A private pcscd for tests, with one vpcd reader pair, and what PC/SC clients see of it.

``PcscDaemon`` starts ``pcscd --foreground -c DIR`` whose only reader configuration is one vpcd
entry on two free TCP ports (the contact and the contactless slot), waits for its readers, and
stops it by PID. It refuses to start (``PcscUnavailableError``, saying why) where it cannot test the
real thing: pcscd, vpcd or pyscard missing, not root (pcscd creates ``/run/pcscd``), or another
pcscd already owning the daemon socket (there is one per machine, and using that one would test
someone else's configuration). pyscard is imported only by the functions that talk to pcscd.
See ``../shared/spec/pcsc-vpcd.md`` for the behaviour of the stack this relies on.
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
from pathlib import Path
from typing import Any

from jcsim.errors import JCSimError

__all__ = [
    "CONTACTLESS_READER",
    "CONTACT_READER",
    "PcscDaemon",
    "PcscDaemonError",
    "PcscUnavailableError",
    "check_requirements",
    "daemon_socket_pid",
    "missing_requirements",
    "private_daemon_workdir",
    "process_running",
    "release_connection",
    "wait_for_card",
]

DAEMON_SOCKET = Path("/run/pcscd/pcscd.comm")
DAEMON_PID_FILE = Path("/run/pcscd/pcscd.pid")
VPCD_DRIVER = Path("/usr/lib/pcsc/drivers/serial/libifdvpcd.so")
CONTACT_READER = "Virtual PCD 00 00"
CONTACTLESS_READER = "Virtual PCD 00 01"
READER_ENTRY = "jcsim-vpcd"  # the file naming our vpcd reader in the private configuration


class PcscUnavailableError(JCSimError, RuntimeError):
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


def daemon_socket_pid() -> int | None:
    """The PID of the pcscd that answers on the daemon socket; 0 when someone answers but its
    PID file says nothing; None when nobody answers."""
    if not DAEMON_SOCKET.exists():
        return None
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe:
        try:
            probe.connect(str(DAEMON_SOCKET))
        except OSError:
            return None  # a stale file: pcscd removes it when it starts
    try:
        # pcscd writes "PID\n\0".
        found = re.match(r"\s*(\d+)", DAEMON_PID_FILE.read_text(errors="replace"))
    except OSError:
        found = None
    return int(found.group(1)) if found else 0


def daemon_socket_owner() -> str | None:
    """A description of the pcscd that answers on the daemon socket, or None."""
    pid = daemon_socket_pid()
    if pid is None:
        return None
    return f"pcscd with PID {pid or 'unknown'}"


def private_daemon_workdir(pid: int) -> Path | None:
    """The work directory of ``pid`` if it is a pcscd that ``PcscDaemon`` started (its command
    line reads ``pcscd --foreground -c WORKDIR/reader.conf.d`` and that directory holds our
    reader entry); None for any other process."""
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    if len(args) < 4 or Path(os.fsdecode(args[0])).name != "pcscd" or b"-c" not in args:
        return None
    index = args.index(b"-c") + 1
    if index >= len(args):
        return None
    confdir = Path(os.fsdecode(args[index]))
    if confdir.name != "reader.conf.d" or not (confdir / READER_ENTRY).is_file():
        return None
    return confdir.parent


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
    raise PcscUnavailableError("no two consecutive free TCP ports between 20000 and 32000")


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
        (self.confdir / READER_ENTRY).write_text(
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
        """Whether the daemon runs (a zombie does not). An adopted daemon is checked to be
        still ours, not another process that got its PID since."""
        if self.process is not None:
            return self.process.poll() is None
        if self.adopted_pid is None or not process_running(self.adopted_pid):
            return False
        workdir = private_daemon_workdir(self.adopted_pid)
        return workdir is not None and workdir.resolve() == self.workdir.resolve()

    def start(self) -> None:
        """Start pcscd and wait for its two vpcd readers."""
        owner = daemon_socket_owner()
        if owner is not None:
            raise PcscUnavailableError(
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
            if self.alive():
                assert self.adopted_pid is not None
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


def process_running(pid: int) -> bool:
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
        while process_running(pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        if not process_running(pid):
            return


def check_requirements() -> None:
    """Raise ``PcscUnavailableError`` saying what this machine lacks to run a private pcscd."""
    missing = missing_requirements()
    if missing:
        raise PcscUnavailableError("serving a card through PC/SC needs pcscd, vpcd and pyscard, "
                                   "and this machine lacks: " + "; ".join(missing))
    if os.geteuid() != 0:
        raise PcscUnavailableError("serving a card through PC/SC starts a private pcscd, which "
                                   f"needs root (it creates {DAEMON_SOCKET.parent})")
