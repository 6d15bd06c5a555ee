"""The vpcd link's busy-poll (``busy_poll_us``) with real sockets on 127.0.0.1: the spinner
alone, the framing and the power events unchanged while a link spins, a peer that closes, the
two ways to stop a link, and the window turned off on a process that may run on one CPU."""

from __future__ import annotations

import json
import logging
import os
import socket
import statistics
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from jcsim import Simulator, serve_vpcd
from jcsim.samples.echo.echo import Echo
from jcsim.transport import VpcdLink
from jcsim.transport.busy_poll import (
    MAX_BUSY_POLL_US,
    SocketSpinner,
    allowed_cpus,
    check_busy_poll_us,
    effective_busy_poll_us,
)
from jcsim.transport.vpcd_codec import Command, encode_frame
from tests.transport.fake_vpcd import (
    ECHO_AID,
    FAST,
    GREETING,
    HELLO,
    SELECT_ECHO,
    powered,
)

REPO = Path(__file__).resolve().parents[2]

two_cpus = pytest.mark.skipif(allowed_cpus() < 2, reason="busy-poll is off on one CPU")


@pytest.fixture
def card() -> Simulator:
    sim = Simulator()
    sim.install(Echo, ECHO_AID)
    return sim


# --- the spinner alone ---------------------------------------------------------------------


class StoppedClock:
    """A clock that never moves: a spin bounded only by its window would never end."""

    def __call__(self) -> int:
        return 0


class JumpingClock:
    """A clock that moves by ``step`` ns at every reading."""

    def __init__(self, step: int) -> None:
        self.now = 0
        self.step = step
        self.readings = 0

    def __call__(self) -> int:
        self.readings += 1
        self.now += self.step
        return self.now


def test_the_spinner_returns_at_once_when_data_or_the_peers_close_is_waiting():
    left, right = socket.socketpair()
    with left, right:
        spinner = SocketSpinner(left, MAX_BUSY_POLL_US, clock=StoppedClock())
        right.send(b"\x00")
        assert spinner.wait(threading.Event())
        assert left.recv(1) == b"\x00"
        right.close()  # the read after the spin sees the close
        assert spinner.wait(threading.Event())
        assert left.recv(1) == b""


def test_the_spinner_gives_up_when_its_window_has_passed():
    left, right = socket.socketpair()
    with left, right:
        clock = JumpingClock(step=40_000)  # 40 µs per reading
        spinner = SocketSpinner(left, 200, clock=clock)
        assert not spinner.wait(threading.Event())
        # The deadline is read once, then the clock after each empty poll until 200 µs passed.
        assert clock.readings == 7


def test_the_spinner_gives_up_as_soon_as_stop_is_set_whatever_its_window():
    left, right = socket.socketpair()
    with left, right:
        spinner = SocketSpinner(left, MAX_BUSY_POLL_US, clock=StoppedClock())
        stop = threading.Event()
        stop.set()
        assert not spinner.wait(stop)  # with a clock that never moves: only stop ends it


def test_the_window_halves_after_each_long_gap_and_comes_back_whole_after_a_short_one():
    left, right = socket.socketpair()
    with left, right:
        spinner = SocketSpinner(left, 160, clock=StoppedClock())
        windows = []
        for gap in (0.5, 0.5, 0.5, 0.5, 0.5, 0.5):  # a client that pauses 0.5 s
            spinner.adapt(gap)
            windows.append(spinner.window_us)
        # Halved down to a sixteenth of the window asked, then off.
        assert windows == [80, 40, 20, 10, 0, 0]
        assert not spinner.wait(threading.Event())  # off between frames: no spin at all
        spinner.adapt(0.000_160)  # a command within the window asked for
        assert spinner.window_us == 160
        spinner.adapt(0.000_161)
        assert spinner.window_us == 80


def test_in_the_middle_of_a_frame_the_whole_window_applies_whatever_the_gaps():
    left, right = socket.socketpair()
    with left, right:
        clock = JumpingClock(step=40_000)
        spinner = SocketSpinner(left, 200, clock=clock)
        for _ in range(6):
            spinner.adapt(1.0)
        assert spinner.window_us == 0
        assert not spinner.wait(threading.Event(), mid_frame=True)
        assert clock.readings == 7  # spun the whole 200 µs
        right.send(b"\x00")
        assert spinner.wait(threading.Event(), mid_frame=True)


@pytest.mark.parametrize("bad", [-1, MAX_BUSY_POLL_US + 1])
def test_a_window_out_of_bounds_is_refused(bad):
    with pytest.raises(ValueError, match="busy_poll_us must be 0 to"):
        check_busy_poll_us(bad)
    with pytest.raises(ValueError):
        serve_vpcd(Simulator(), port=35963, busy_poll_us=bad)
    with pytest.raises(TypeError):
        check_busy_poll_us(True)  # type: ignore[arg-type]


# --- a link that spins -----------------------------------------------------------------------


@two_cpus
@pytest.mark.parametrize("window", [0, 2000, MAX_BUSY_POLL_US])
def test_a_spinning_link_answers_whole_split_batched_and_large_frames_as_a_sleeping_one(
        vpcd, card, window):
    with serve_vpcd(card, port=vpcd.port, host="127.0.0.1", backoff=FAST,
                    busy_poll_us=window) as server:
        peer = vpcd.accept()
        powered(peer)
        assert server.link("contact").busy_poll_in_use == window
        assert peer.request(SELECT_ECHO) == b"\x90\x00"
        frame = encode_frame(HELLO.apdu)
        # vpcd's two sends, the second within the window and after it.
        for pause in (0.0, 0.0005, 0.03):
            peer.send_raw(frame[:2])
            time.sleep(pause)
            peer.send_raw(frame[2:])
            assert peer.read_frame() == GREETING
        for i in range(len(frame)):  # a byte at a time
            peer.send_raw(frame[i:i + 1])
            time.sleep(0.001)
        assert peer.read_frame() == GREETING
        peer.send(HELLO, HELLO, HELLO)  # three frames in one write
        assert [peer.read_frame() for _ in range(3)] == [GREETING] * 3
        answer = peer.request(Command(b"\x80\x03\x0F\xA0\x00\x0F\xA0"))
        assert len(answer) == 4002 and answer[-2:] == b"\x90\x00"


@two_cpus
@pytest.mark.parametrize("window", [200, MAX_BUSY_POLL_US])
def test_frames_split_like_vpcd_writes_them_do_not_wait_for_delayed_acks_while_spinning(
        vpcd, card, window):
    # TCP_QUICKACK is armed once per command, before the read that follows an answer; the
    # payload half is read (spinning or not) without it. A missed arming costs ~40 ms.
    with serve_vpcd(card, port=vpcd.port, host="127.0.0.1", backoff=FAST,
                    busy_poll_us=window):
        peer = vpcd.accept()
        powered(peer)
        assert peer.request(SELECT_ECHO) == b"\x90\x00"
        frame = encode_frame(HELLO.apdu)
        times = []
        for _ in range(40):
            start = time.perf_counter()
            peer.send_raw(frame[:2])
            peer.send_raw(frame[2:])
            assert peer.read_frame() == GREETING
            times.append(time.perf_counter() - start)
    assert statistics.median(times) < 0.02


@two_cpus
def test_a_link_whose_peer_pauses_between_commands_soon_stops_spinning(vpcd, card):
    with serve_vpcd(card, port=vpcd.port, host="127.0.0.1", backoff=FAST,
                    busy_poll_us=MAX_BUSY_POLL_US) as server:
        peer = vpcd.accept()
        powered(peer)
        assert peer.request(SELECT_ECHO) == b"\x90\x00"
        link = server.link("contact")
        windows = []
        for _ in range(6):
            time.sleep(0.03)  # three times the window
            assert peer.request(HELLO) == GREETING
            windows.append(link.busy_poll_window_us)
    # A fixed window would spin 10 ms after each answer; halved after each long gap, the link
    # spins 10 + 5 + 2.5 + 1.25 + 0.6 ms in all, then not at all.
    assert windows == [5000, 2500, 1250, 625, 0, 0]


@two_cpus
def test_a_peer_that_closes_in_the_middle_of_a_frame_while_the_link_spins_is_dropped(
        vpcd, card, caplog):
    with serve_vpcd(card, port=vpcd.port, host="127.0.0.1", backoff=FAST,
                    busy_poll_us=MAX_BUSY_POLL_US) as server:
        peer = vpcd.accept()
        powered(peer)
        assert peer.request(SELECT_ECHO) == b"\x90\x00"
        with caplog.at_level(logging.INFO, logger="jcsim.transport.vpcd"):
            peer.send_raw(encode_frame(HELLO.apdu)[:4])  # the length and two bytes
            peer.close()
            again = vpcd.accept()
        assert not card.powered
        assert "in the middle of a frame (4 bytes buffered)" in caplog.text
        powered(again)
        assert again.request(SELECT_ECHO) == b"\x90\x00"
        assert server.link("contact").connections == 2


@two_cpus
def test_stop_ends_a_spinning_link_and_the_card_leaves_the_reader(vpcd, card):
    server = serve_vpcd(card, port=vpcd.port, host="127.0.0.1",
                        busy_poll_us=MAX_BUSY_POLL_US).start()
    peer = vpcd.accept()
    powered(peer)
    assert peer.request(SELECT_ECHO) == b"\x90\x00"
    server.stop()  # within the window after the answer
    assert peer.closed_by_card()
    assert not card.powered
    assert not server.link("contact")._thread.is_alive()


@two_cpus
def test_the_stop_event_ends_a_spinning_link_served_in_the_calling_thread(vpcd, card):
    # `jcsim serve`'s signal handler sets the event and nothing else: the link must notice
    # while spinning as it does while sleeping, within its poll interval (0.1 s).
    stop = threading.Event()
    answers: list[bytes] = []
    set_at: list[float] = []
    server = serve_vpcd(card, port=vpcd.port, host="127.0.0.1", backoff=FAST,
                        busy_poll_us=MAX_BUSY_POLL_US)

    def peer_side() -> None:
        try:
            peer = vpcd.accept()
            powered(peer)
            answers.append(peer.request(SELECT_ECHO))
            answers.append(peer.request(HELLO))
        finally:
            set_at.append(time.monotonic())
            stop.set()  # at once after an answer: the link is spinning

    thread = threading.Thread(target=peer_side)
    thread.start()
    server.run(stop)
    returned = time.monotonic()
    thread.join(5)
    assert answers == [b"\x90\x00", GREETING]
    assert returned - set_at[0] < 1.0
    assert not card.powered


# --- one CPU ---------------------------------------------------------------------------------


ONE_CPU_SCRIPT = textwrap.dedent("""
    import json, logging, os, sys
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    from jcsim import Simulator, serve_vpcd
    from jcsim.samples.echo.echo import Echo
    from jcsim.transport.vpcd_codec import Command, GetATR, PowerOn
    from tests.transport.fake_vpcd import FakeVpcd

    vpcd = FakeVpcd()
    sim = Simulator()
    sim.install(Echo, "F00000000101")
    with serve_vpcd(sim, port=vpcd.port, host="127.0.0.1", busy_poll_us=500) as server:
        peer = vpcd.accept()
        peer.send(PowerOn())
        peer.request(GetATR())
        answer = peer.request(Command.from_hex("00A4040006F0000000010100"))
        link = server.link("contact")
        print(json.dumps({"cpus": len(os.sched_getaffinity(0)), "answer": answer.hex(),
                          "asked": link.busy_poll_us, "in_use": link.busy_poll_in_use}))
    vpcd.close()
""")


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity here")
def test_busy_poll_is_off_on_a_process_that_may_run_on_one_cpu_and_the_log_says_why():
    result = subprocess.run([sys.executable, "-c", ONE_CPU_SCRIPT], cwd=REPO,
                            capture_output=True, text=True, timeout=60, check=False,
                            env=dict(os.environ, PYTHONPATH=str(REPO)))
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures == {"cpus": 1, "answer": "9000", "asked": 500, "in_use": 0}
    assert "busy-poll off (500 µs asked): this process may run on one CPU only" in result.stderr


def test_busy_poll_is_off_where_the_system_has_no_poll(monkeypatch):
    # Windows' select module has no poll(): jcsim serve's default must not break there.
    import select

    monkeypatch.delattr(select, "poll")
    window, why_off = effective_busy_poll_us(200)
    assert window == 0 and "no poll()" in why_off


def test_the_window_asked_is_the_window_used_on_two_cpus_or_more():
    window, why_off = effective_busy_poll_us(300)
    if allowed_cpus() >= 2:
        assert (window, why_off) == (300, "")
    else:
        assert window == 0 and "one CPU" in why_off
    assert effective_busy_poll_us(0) == (0, "")
    assert VpcdLink(None, "contact", "127.0.0.1", 1).busy_poll_us == 0  # type: ignore[arg-type]
