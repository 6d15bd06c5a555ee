"""The guard of the PC/SC harness (``jcsim.pcscd``), without pcscd: it must recognise a
daemon socket that someone answers on (another pcscd: refuse) from a stale one (pcscd cleans it
up: go ahead), and find two free consecutive ports for the private vpcd reader."""

from __future__ import annotations

import socket

import pytest

from jcsim import pcscd as harness
from jcsim.pcscd import PcscUnavailableError


def test_a_daemon_socket_someone_answers_on_belongs_to_another_pcscd(tmp_path, monkeypatch):
    path = tmp_path / "pcscd.comm"
    (tmp_path / "pcscd.pid").write_text("4242\n\0")  # as pcscd writes it
    monkeypatch.setattr(harness, "DAEMON_SOCKET", path)
    monkeypatch.setattr(harness, "DAEMON_PID_FILE", tmp_path / "pcscd.pid")
    assert harness.daemon_socket_owner() is None  # no file at all
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(path))
        server.listen()
        assert harness.daemon_socket_owner() == "pcscd with PID 4242"
    # The file is left behind by a dead daemon: nobody answers.
    assert path.exists() and harness.daemon_socket_owner() is None


def test_a_second_pcscd_is_refused_with_a_message_saying_so(tmp_path, monkeypatch):
    path = tmp_path / "pcscd.comm"
    monkeypatch.setattr(harness, "DAEMON_SOCKET", path)
    monkeypatch.setattr(harness, "DAEMON_PID_FILE", tmp_path / "missing.pid")
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(path))
        server.listen()
        daemon = harness.PcscDaemon(tmp_path)
        with pytest.raises(PcscUnavailableError, match=r"Another pcscd .* already owns"):
            daemon.start()
        assert daemon.process is None  # nothing was started


def test_the_private_reader_gets_two_consecutive_free_ports(tmp_path):
    daemon = harness.PcscDaemon(tmp_path)
    for port in (daemon.port, daemon.contactless_port):
        with socket.socket() as probe:
            probe.bind(("0.0.0.0", port))
    entry = (tmp_path / "reader.conf.d" / "jcsim-vpcd").read_text()
    assert f"DEVICENAME   /dev/null:{daemon.port}\n" in entry
    assert f"CHANNELID    {daemon.port}\n" in entry
    assert "libifdvpcd.so" in entry
