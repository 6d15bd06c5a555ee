"""``jcsim serve`` as a process: its arguments, what it prints, the card it serves to a fake
vpcd peer (real sockets, no pcscd needed), and a clean stop on SIGINT and SIGTERM."""

from __future__ import annotations

import argparse
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from jcsim.cli.serve import parse_address, parse_applet
from jcsim.samples.echo.echo import GREETING
from jcsim.transport.vpcd_codec import Command, GetATR, PowerOn
from tests.transport.fake_vpcd import FakeVpcd, PeerConnection

REPO = Path(__file__).resolve().parents[2]
ECHO_ARGS = ["--applet", "jcsim.samples.echo:Echo=F00000000101", "--default", "F00000000101"]
HELLO = Command.from_hex("8002000000")


class ServeProcess:
    """``jcsim serve ARGS`` with its output read line by line in the background."""

    def __init__(self, *args: str, affinity: list[int] | None = None) -> None:
        taskset = ["taskset", "-c", ",".join(map(str, affinity))] if affinity else []
        self.process = subprocess.Popen(
            [*taskset, sys.executable, "-m", "jcsim", "serve", *args], cwd=REPO,
            env=dict(os.environ, COLUMNS="200"), stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, pattern: str, timeout: float = 15.0) -> re.Match[str]:
        """The first match of ``pattern`` in the output so far, waiting for more if needed."""
        deadline = time.monotonic() + timeout
        while not (match := re.search(pattern, "".join(self.seen))):
            try:
                self.seen.append(self.lines.get(timeout=max(0.0, deadline - time.monotonic())))
            except queue.Empty:
                raise AssertionError(f"no match for {pattern!r} in:\n{''.join(self.seen)}") \
                    from None
        return match

    def stop(self, sig: int = signal.SIGTERM) -> int:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            return self.process.wait(10)
        finally:
            if self.process.poll() is None:
                self.process.kill()


def test_applet_and_address_arguments_parse():
    spec = parse_applet("jcsim.samples.echo:Echo=F0 00 00 00 01 01")
    assert (spec.target, spec.aid) == ("jcsim.samples.echo:Echo", bytes.fromhex("F00000000101"))
    assert parse_address("example.org:35964") == ("example.org", 35964)
    assert parse_address(":35963") == ("localhost", 35963)
    assert parse_address("35965") == ("localhost", 35965)
    for bad in ("jcsim.samples.echo:Echo", "Echo=F00000000101", "jcsim.samples.echo:Echo=F000",
                "m:C=ZZ"):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_applet(bad)
    for bad in ("host:port", "host:70000"):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_address(bad)


@pytest.mark.parametrize("bad", ["-1", "10001", "fast"])
def test_a_busy_poll_window_out_of_bounds_is_refused(bad):
    result = subprocess.run(
        [sys.executable, "-m", "jcsim", "serve", *ECHO_ARGS, "--listen", "--vpcd", "127.0.0.1:0",
         "--busy-poll-us", bad], cwd=REPO, capture_output=True, text=True, timeout=30,
        check=False)
    assert result.returncode == 2
    assert "--busy-poll-us" in result.stderr


@pytest.mark.parametrize("cpus", [1, 2], ids=["one CPU", "two CPUs"])
def test_serve_says_whether_it_busy_polls_and_answers_either_way(cpus):
    allowed = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    if len(allowed) < cpus or shutil.which("taskset") is None:
        pytest.skip(f"needs {cpus} CPUs, CPU affinity and taskset")
    serve = ServeProcess(*ECHO_ARGS, "--listen", "--vpcd", "127.0.0.1:0",
                         "--busy-poll-us", "250", affinity=allowed[:cpus])
    try:
        port = int(serve.wait_for(r"listening on 127\.0\.0\.1:(\d+)").group(1))
        if cpus == 1:
            serve.wait_for(r"Busy-poll off \(250 µs asked\): this process may run on one CPU")
        else:
            serve.wait_for(r"Busy-poll: 250 µs after each read")
        peer = PeerConnection(socket.create_connection(("127.0.0.1", port), timeout=5))
        peer.send(PowerOn())
        peer.request(GetATR())
        assert peer.request(HELLO) == GREETING + b"\x90\x00"
        assert serve.stop() == 0
        peer.close()
    finally:
        serve.stop(signal.SIGKILL)


def test_a_default_that_names_no_applet_is_refused():
    result = subprocess.run(
        [sys.executable, "-m", "jcsim", "serve", "--applet", "jcsim.samples.echo:Echo=F00000000101",
         "--default", "F00000000102", "--listen", "--vpcd", "127.0.0.1:0"],
        cwd=REPO, capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 2
    assert "--default F00000000102 names no --applet" in result.stdout


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_listens_answers_a_vpcd_peer_with_a_trace_and_stops_cleanly(sig):
    serve = ServeProcess(*ECHO_ARGS, "--listen", "--vpcd", "127.0.0.1:0", "-v")
    try:
        port = int(serve.wait_for(r"listening on 127\.0\.0\.1:(\d+)").group(1))
        serve.wait_for(r"F00000000101 .*jcsim\.samples\.echo\.echo:Echo .*contact")

        peer = PeerConnection(socket.create_connection(("127.0.0.1", port), timeout=5))
        peer.send(PowerOn())
        atr = peer.request(GetATR())
        serve.wait_for(re.escape(atr.hex(" ").upper()))  # the summary shows the ATR
        assert peer.request(HELLO) == GREETING + b"\x90\x00"  # the default applet
        serve.wait_for(r"C: 80 02 00 00 00")
        serve.wait_for(r"R: 48 65 6C 6C 6F .*90 00")
        assert serve.stop(sig) == 0
        serve.wait_for("Stopped")
        assert peer.closed_by_card()
        peer.close()
    finally:
        serve.stop(signal.SIGKILL)


def test_serve_connects_to_vpcd_with_two_interfaces_and_keeps_an_image(tmp_path):
    contact, contactless = FakeVpcd(), FakeVpcd()
    image = tmp_path / "card.jcimg"
    serve = ServeProcess(*ECHO_ARGS, "--image", str(image),
                         "--vpcd", f"127.0.0.1:{contact.port}",
                         "--contactless", f"127.0.0.1:{contactless.port}", "--uid", "01020304")
    try:
        c, cl = contact.accept(15), contactless.accept(15)
        assert image.exists()  # saved as soon as the card is set up
        for peer in (c, cl):
            peer.send(PowerOn())
            peer.request(GetATR())
        assert cl.request(Command.from_hex("FFCA000000")) == bytes.fromhex("01020304 9000")
        before = image.read_bytes()
        assert c.request(Command.from_hex("8001000002CAFE00")) == bytes.fromhex("CAFE 9000")
        assert image.read_bytes() != before  # the echo counter is persistent
        serve.wait_for("contact: connected")
        assert serve.stop() == 0
    finally:
        serve.stop(signal.SIGKILL)
        contact.close()
        contactless.close()
    restarted = ServeProcess(*ECHO_ARGS, "--image", str(image), "--listen",
                             "--vpcd", "127.0.0.1:0")
    try:
        restarted.wait_for("already on the card")
    finally:
        assert restarted.stop() == 0
