"""The run's shared pcscd is stopped whichever way its run ends: by the last worker out even when
another worker restarted it, and by the next run when every process of its own run is gone.

Each test plays a run of its own in subprocesses (the workers) with a shared directory of its
own, while holding the session's daemon, which it stops first and starts again at the end (there
is one pcscd per machine)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from jcsim.pcscd import (
    CONTACT_READER,
    PcscDaemon,
    daemon_socket_pid,
    private_daemon_workdir,
    process_running,
    reader_state,
)
from jcsim.pytest_pcsc import SharedDaemon, stop_orphaned_daemon

pytestmark = pytest.mark.pcsc

REPO = Path(__file__).resolve().parents[2]

WORKER = '''
import os, signal, sys, time
from pathlib import Path
from jcsim.pytest_pcsc import SharedDaemon

role, shared = sys.argv[1], Path(sys.argv[2])
work = shared / f"work-{role}"
work.mkdir()

def wait_for(name):
    deadline = time.monotonic() + 30
    while not (shared / name).exists():
        assert time.monotonic() < deadline, f"{role}: {name} never came"
        time.sleep(0.01)

run = SharedDaemon(shared, work)
if role == "starter":  # starts the daemon, then leaves last
    with run.turn() as daemon:
        (shared / "started").write_text(str(daemon.pid))
    wait_for("restarter-left")
    run.leave()
elif role == "restarter":  # adopts it, restarts it (a test's restart()), leaves first
    wait_for("started")
    with run.turn() as daemon:
        daemon.restart()
        (shared / "restarted").write_text(str(daemon.pid))
    run.leave()
    (shared / "restarter-left").touch()
elif role == "crasher":  # starts the daemon and dies holding it
    with run.turn() as daemon:
        (shared / "started").write_text(str(daemon.pid))
        os.kill(os.getpid(), signal.SIGKILL)
'''


@pytest.fixture
def own_run(pcscd: PcscDaemon, tmp_path: Path) -> Iterator[Path]:
    """A shared directory for a run played by subprocesses; the session's daemon is stopped
    meanwhile, and any daemon the played run leaves behind is stopped at the end."""
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    pcscd.stop()
    try:
        yield tmp_path
    finally:
        pid = daemon_socket_pid()
        if pid and private_daemon_workdir(pid) is not None and pid != pcscd.pid:
            os.kill(pid, signal.SIGTERM)  # left behind by the run played here
            subprocess.run(["sh", "-c", f"while kill -0 {pid} 2>/dev/null; do sleep 0.05; "
                            "done"], timeout=10, check=False)
        pcscd.start()


def worker(run: Path, role: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen([sys.executable, str(run / "worker.py"), role, str(run)],
                            cwd=REPO, env=env, stderr=subprocess.PIPE)


def finished(process: subprocess.Popen[bytes]) -> int:
    _, errors = process.communicate(timeout=60)
    assert process.returncode in (0, -signal.SIGKILL), errors.decode(errors="replace")
    return process.returncode


def test_the_last_worker_out_stops_the_daemon_another_worker_restarted(own_run):
    starter, restarter = worker(own_run, "starter"), worker(own_run, "restarter")
    assert finished(restarter) == 0
    assert finished(starter) == 0
    first = int((own_run / "started").read_text())
    second = int((own_run / "restarted").read_text())
    assert first != second
    # The starter knew only the daemon it had started; the one running was the restarter's.
    assert not process_running(second)
    assert not process_running(first)
    assert daemon_socket_pid() is None
    assert reader_state(CONTACT_READER) == 0


def test_a_daemon_left_by_a_run_whose_processes_all_died_is_stopped_by_the_next_run(own_run):
    assert finished(worker(own_run, "crasher")) == -signal.SIGKILL
    orphan = int((own_run / "started").read_text())
    assert process_running(orphan) and daemon_socket_pid() == orphan
    next_run = own_run / "next-run"
    next_run.mkdir()
    run = SharedDaemon(next_run, next_run)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with run.turn() as daemon:
            assert daemon.pid != orphan and daemon.alive()
            assert daemon_socket_pid() == daemon.pid
            assert reader_state(CONTACT_READER) != 0
    assert not process_running(orphan)
    assert any(f"stopped pcscd {orphan}" in str(w.message) for w in caught)
    run.leave()
    assert not daemon.alive() and daemon_socket_pid() is None


def test_a_daemon_that_a_live_run_uses_or_that_is_not_ours_is_left_alone(own_run, pcscd):
    assert stop_orphaned_daemon() is None  # no daemon at all
    run = SharedDaemon(own_run, own_run)
    with run.turn() as daemon:
        # This process (a user of that run) is alive: the daemon is not an orphan.
        assert stop_orphaned_daemon() is None
        assert daemon.alive()
    run.leave()
    assert not daemon.alive()
    # A process that is not a pcscd we started is never ours, whatever its PID.
    assert private_daemon_workdir(os.getpid()) is None
