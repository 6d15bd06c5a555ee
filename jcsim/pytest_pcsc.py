"""The PC/SC fixtures of the pytest plugin: a card served through a real pcscd and vpcd.

- ``jcsim_pcsc_stack`` (session): the run's ``SharedDaemon``, or the ``PcscUnavailableError`` that
  says why there can be none;
- ``jcsim_pcscd``: the running ``jcsim.pcscd.PcscDaemon``, held for the test, or a skip with
  that reason;
- ``pcsc_card``: the ``simulator`` fixture served to the daemon, as a connected pyscard
  ``CardConnection`` to its contact reader.

pcscd's daemon socket and the vpcd ports are the machine's, so the tests that use them take
turns, whichever pytest-xdist worker runs them: the daemon is started once and shared by the
run's workers through a lock file and a state file (``SharedDaemon``).
"""

from __future__ import annotations

import contextlib
import json
import os
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from jcsim.pcscd import (
    CONTACT_READER,
    PcscDaemon,
    PcscUnavailableError,
    check_requirements,
    daemon_socket_pid,
    private_daemon_workdir,
    process_running,
    release_connection,
    wait_for_card,
)

__all__ = [
    "SharedDaemon", "jcsim_pcsc_stack", "jcsim_pcscd", "pcsc_card", "stop_orphaned_daemon",
]

RUN_STATE_LINK = "jcsim-run-state"  # in a daemon's work directory: its run's state file


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
                     if pid != os.getpid() and process_running(pid)]
            state["users"] = users
            self._signed_in = False
            if users:
                return
            # The daemon to stop is the one the state names, which is not always the one this
            # process knows: another worker may have restarted it (a test's
            # ``PcscDaemon.restart()``) since this one last took a turn.
            recorded = state.pop("daemon", None)
            mine = self.daemon
            if recorded is not None:
                if mine is not None and mine.pid == recorded["pid"]:
                    mine.stop()
                else:
                    PcscDaemon.adopt(recorded).stop()
            if mine is not None and mine.alive():  # never recorded (a turn cut short)
                mine.stop()

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
        # Beside the daemon, where a later run finds it should this run never stop it.
        (daemon.workdir / RUN_STATE_LINK).write_text(str(self.state_path.resolve()))
        stop_orphaned_daemon()
        daemon.start()
        state["daemon"] = daemon.state()
        self._write(state)  # at once: should this process die during its turn, a later run
        return daemon       # finds the daemon and whether its users are gone

    @contextlib.contextmanager
    def _locked(self) -> Iterator[dict[str, Any]]:
        import fcntl

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
                self._write(state)
        finally:
            os.close(fd)  # closing the descriptor releases the lock

    def _write(self, state: dict[str, Any]) -> None:
        self.state_path.write_text(json.dumps(state))


def stop_orphaned_daemon() -> int | None:
    """Stop the pcscd that owns the daemon socket if an earlier run of these tests started it
    and left it behind (every process of that run is gone: killed, crashed, cut off by a
    timeout before its last worker could stop it); returns its PID, or None when there was no
    such daemon. Any other pcscd, or one a run still in progress uses, is left alone."""
    pid = daemon_socket_pid()
    workdir = private_daemon_workdir(pid) if pid else None
    if pid is None or workdir is None:
        return None
    try:
        state = json.loads(Path((workdir / RUN_STATE_LINK).read_text()).read_text())
    except (OSError, ValueError):
        return None  # not a shared daemon's, or its run's directory is gone: not ours to judge
    if state.get("daemon", {}).get("pid") != pid or any(
            process_running(user) for user in state.get("users", [])):
        return None
    daemon = PcscDaemon.adopt(state["daemon"])
    daemon.stop()
    warnings.warn(f"stopped pcscd {pid}, left running by an earlier test run whose processes "
                  "are all gone", stacklevel=2)
    return pid


def shared_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory every process of this test run shares (pytest-xdist gives each worker a
    base temporary directory inside one common to the run)."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@pytest.fixture(scope="session")
def jcsim_pcsc_stack(
        tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedDaemon | PcscUnavailableError]:
    """The run's private pcscd (a ``SharedDaemon``), or the ``PcscUnavailableError`` that says why
    there can be none."""
    try:
        check_requirements()
    except PcscUnavailableError as unavailable:
        yield unavailable
        return
    shared = SharedDaemon(shared_directory(tmp_path_factory), tmp_path_factory.mktemp("pcsc"))
    try:
        yield shared
    finally:
        shared.leave()


@pytest.fixture
def jcsim_pcscd(jcsim_pcsc_stack: SharedDaemon | PcscUnavailableError) -> Iterator[PcscDaemon]:
    """The run's private pcscd with its vpcd readers, held for this test (other workers' PC/SC
    tests wait); skips, saying why, where there can be none."""
    if isinstance(jcsim_pcsc_stack, PcscUnavailableError):
        pytest.skip(str(jcsim_pcsc_stack))
    try:
        with jcsim_pcsc_stack.turn() as daemon:
            yield daemon
    except PcscUnavailableError as unavailable:
        pytest.skip(str(unavailable))


@pytest.fixture
def pcsc_card(simulator: Any, jcsim_pcscd: PcscDaemon) -> Iterator[Any]:
    """The ``simulator`` fixture's card served through the private pcscd and vpcd, as a
    connected pyscard ``CardConnection`` to the contact reader (T=0 or T=1, as the card
    offers). The card leaves the reader when the test ends."""
    from smartcard.System import readers

    from jcsim.transport import Backoff
    from jcsim.transport.vpcd_server import serve_vpcd

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
