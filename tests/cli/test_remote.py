"""``jcsim remote-card`` and ``jcsim ram-server``: output and exit status."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from jcsim.cli import main
from jcsim.remote import ScriptServer
from jcsim.samples.ram_seed import seed_script
from tests.remote.helpers import RecordingServer

SEED = ["--default-applet", "jcsim.samples.ram_seed:SeedApplet", "E82B0601040181C31F0201"]


def test_remote_card_prints_notifications_apdus_and_the_result(capsys):
    with ScriptServer(seed_script.perform) as server:
        status = main(["remote-card", server.url + "/rt/seed", *SEED, "--agent-id", "card-7"])
    out = " ".join(capsys.readouterr().out.split())  # rich wraps at the console width
    assert status == 0
    assert "notify 1: Test" in out
    assert "# reset, ATR 3B" in out
    assert "C: 00 84 00 00 45" in out and "GET CHALLENGE" in out
    assert "C: 00 A4 04 00 0B E8 2B 06 01 04 01 81 C3 1F 02 01" in out
    assert "Session completed" in out and "4 APDUs, 1 notification, 7 round trips" in out


def test_remote_card_quiet_prints_only_the_result(capsys):
    with ScriptServer(seed_script.perform) as server:
        status = main(["remote-card", server.url, *SEED, "-q", "--profile", "openscdp"])
    out = capsys.readouterr().out
    assert status == 0 and "C:" not in out and out.count("\n") <= 3


def test_remote_card_exit_status_says_how_the_session_ended(capsys):
    def failing(session, path_info):
        session.card.sendApdu(0x00, 0x20, 0x00, 0x81, b"0000", [0x9000])

    with ScriptServer(failing) as server:
        assert main(["remote-card", server.url, *SEED]) == 1
    assert main(["remote-card", server.url, *SEED, "--timeout", "2"]) == 3
    with RecordingServer([(200, [], b"\x99\x00")]) as server:
        assert main(["remote-card", server.url, *SEED]) == 4
    assert main(["remote-card", "http://127.0.0.1:1/", "--applet", "no.such:Thing", "F0"]) == 2
    assert main(["remote-card", "https://127.0.0.1:1/", *SEED, "--cafile", "/nonexistent.pem"]) == 2
    out = capsys.readouterr().out
    assert "Session aborted" in out and "HTTP 500" in out
    assert "Session transport-error" in out
    assert "malformed template" in out and "Session protocol-error" in out
    assert "cannot import 'no.such'" in out


def test_remote_card_keeps_the_card_in_an_image_between_sessions(tmp_path, capsys):
    image = str(tmp_path / "card.jcsim")
    with ScriptServer(seed_script.perform) as server:
        assert main(["remote-card", server.url, *SEED, "--image", image, "-q"]) == 0
        assert os.path.exists(image)
        # The second run starts from the image: the applet is already there.
        assert main(["remote-card", server.url, "--image", image, "-q",
                     "--allow-module", "jcsim.samples.ram_seed"]) == 0
    assert capsys.readouterr().out.count("Session completed") == 2


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # as a shell does for a background job


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_ram_server_serves_the_seed_script_until_interrupted(capsys, stop_signal):
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "jcsim", "ram-server", "jcsim.samples.ram_seed.seed_script:perform",
         "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "COLUMNS": "200"}, preexec_fn=_ignore_sigint)
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        status = main(["remote-card", f"http://127.0.0.1:{port}/rt/seed", *SEED, "-q"])
        assert status == 0
    finally:
        server.send_signal(stop_signal)
        output, _ = server.communicate(timeout=10)
    assert server.returncode == 0
    assert output.rstrip().endswith("stopped")
    assert (f"Serving jcsim.samples.ram_seed.seed_script:perform at http://127.0.0.1:{port}"
            in output)
    assert "started (openscdp, /rt/seed)" in output and "completed" in output


@pytest.mark.parametrize("argv, words", [
    (["ram-server", "jcsim.samples.ram_seed.seed_script:nothing", "--port", "0"], "no function"),
    (["ram-server", "nomodule:perform", "--port", "0"], "cannot import"),
    (["ram-server", "jcsim.samples.ram_seed.seed_script:perform", "--port", "0", "--certfile",
      "/nonexistent.pem"], "No such file"),
])
def test_ram_server_setup_errors_exit_2(argv, words, capsys):
    assert main(argv) == 2
    assert words in capsys.readouterr().out
