"""Waiting for a socket by spinning: the vpcd link's low-latency mode (``busy_poll_us``).

Theory of operation. A link that sleeps in a blocking ``recv`` between two commands pays a
wake-up for each read: the scheduler has to bring the thread back, often on a CPU whose caches
now hold pcscd's and the client's work. Through pcscd a command takes two reads (vpcd writes a
frame's length and its payload in two sends), so two wake-ups. When the peer is quick (the next
command of a burst comes back within tens of microseconds), polling the socket without sleeping
for a short window catches the data on a CPU that is still running the link, and the read that
follows returns at once.

- After a read that returned data (an answer was sent, or half a frame is buffered) the link
  polls the socket (``poll`` with a zero timeout, yielding the CPU between two polls) until it
  is readable, ``stop`` is set, or the window has passed; then it makes its usual blocking
  ``recv``, which either returns at once or sleeps as before. The framing, the bounds and the
  reads themselves are unchanged: spinning only decides when the read is made.
- The window adapts to the peer, as Linux's guest halt-polling does: between two frames it is
  the window asked for while the peer's commands follow within it, and halves after each gap
  longer than that (down to zero below a sixteenth of it), so a client that pauses between its
  commands, or vpcd's presence poll every 400 ms on an idle card, costs next to nothing; the
  first gap that fits brings the whole window back. In the middle of a frame (its length read,
  its payload on its way) the whole window always applies: vpcd sends the payload as soon as
  the length is acknowledged.
- After a read that timed out (an idle link) it does not spin at all.
- On a process that may run on one CPU only, the window is zero whatever was asked: spinning
  there only keeps pcscd and the client from running. So it is where ``select.poll`` is
  missing (Windows).

A window is an integer number of microseconds from 0 (off) to ``MAX_BUSY_POLL_US``.
"""

from __future__ import annotations

import os
import select
import socket
import threading
import time
from collections.abc import Callable

__all__ = [
    "MAX_BUSY_POLL_US", "SocketSpinner", "allowed_cpus", "check_busy_poll_us",
    "effective_busy_poll_us",
]

# Well under the links' poll interval (0.1 s), so a spin never delays a bound check much.
MAX_BUSY_POLL_US = 10_000


def allowed_cpus() -> int:
    """How many CPUs this thread may run on (its affinity mask where the system has one)."""
    getaffinity = getattr(os, "sched_getaffinity", None)
    if getaffinity is not None:
        return len(getaffinity(0))
    return os.cpu_count() or 1


def check_busy_poll_us(value: int) -> int:
    """``value`` if it is a valid window, else ``ValueError``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"busy_poll_us must be an int, not {type(value).__name__}")
    if not 0 <= value <= MAX_BUSY_POLL_US:
        raise ValueError(f"busy_poll_us must be 0 to {MAX_BUSY_POLL_US}, not {value}")
    return value


def effective_busy_poll_us(requested: int) -> tuple[int, str]:
    """The window to use for ``requested`` µs on this thread's CPUs, and why when it is not
    the one requested (empty otherwise)."""
    if requested and not hasattr(select, "poll"):
        return 0, "this system has no poll() to spin with"
    if requested and allowed_cpus() < 2:
        return 0, "this process may run on one CPU only, where spinning only delays the peer"
    return requested, ""


class SocketSpinner:
    """Spins on one socket until it is readable, for at most a window that adapts to the
    peer's gaps (see the module docstring). One per connection; not shared between threads."""

    __slots__ = ("_clock", "_floor_ns", "_max_ns", "_poll", "_window_ns")

    def __init__(self, sock: socket.socket, window_us: int, *,
                 clock: Callable[[], int] = time.perf_counter_ns) -> None:
        self._max_ns = self._window_ns = check_busy_poll_us(window_us) * 1000
        self._floor_ns = self._max_ns // 16
        self._clock = clock
        poller = select.poll()
        # POLLHUP and POLLERR are always reported: a peer that closes or fails ends the spin,
        # and the read that follows sees it.
        poller.register(sock, select.POLLIN)
        self._poll = poller.poll

    @property
    def window_us(self) -> float:
        """The window between two frames now, in µs."""
        return self._window_ns / 1000

    def wait(self, stop: threading.Event, mid_frame: bool = False) -> bool:
        """True as soon as the socket is readable; False when the window passed (the whole
        window ``mid_frame``, else the adapted one) or ``stop`` was set first."""
        window = self._max_ns if mid_frame else self._window_ns
        if not window:
            return False
        poll, clock = self._poll, self._clock
        if poll(0):
            return True
        deadline = clock() + window
        # Each empty poll yields the CPU: a task woken on this CPU (pcscd, the client) then runs
        # at once instead of waiting for the spinner's time slice to end.
        yield_cpu = _sched_yield
        while not poll(0):
            if clock() > deadline or stop.is_set():
                return False
            yield_cpu()
        return True

    def adapt(self, gap: float) -> None:
        """After the first read of a frame: ``gap`` is how long, in seconds, the link waited
        for it since its previous read."""
        if gap * 1e9 <= self._max_ns:
            self._window_ns = self._max_ns
        else:
            half = self._window_ns // 2
            self._window_ns = half if half >= self._floor_ns else 0


def _no_yield() -> None:
    """Where the system has no ``sched_yield``: the scheduler preempts the spinner itself."""


_sched_yield: Callable[[], None] = getattr(os, "sched_yield", _no_yield)
