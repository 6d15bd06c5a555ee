"""Serving a simulated card to pcscd through vsmartcard's vpcd driver: the socket adapter.

vpcd is the TCP server (one port per reader slot: 35963 and 35964 for the stock
configuration) and the card connects to it as a client; ``listen=True`` turns that round for
vpcd-style peers that connect to the card (the Android remote-reader app, a test's fake vpcd).
Each served interface has its own link: a thread that keeps one connection alive, feeds what it
reads to ``vpcd_codec.FrameDecoder`` and sends back what ``vpcd_card.CardPort`` answers. No
parsing happens here.

Two socket options make the difference between 20 and 10,000 APDUs per second: vpcd writes the
length and the payload of a frame in two sends, so with Linux's delayed ACK every command waits
~40 ms for its second half. The link sets TCP_NODELAY once and arms TCP_QUICKACK before the read
that follows each answer (the card's own send is what returns the socket to delayed ACKs).

With ``busy_poll_us`` a link polls its socket for that many microseconds after each read
before it sleeps in ``recv``, so a command that comes back quickly finds it awake
(``busy_poll``; off by default, and off on a process that may run on one CPU only).

A dropped connection (pcscd restarted, vpcd ejected the card after an I/O error, a malformed
frame, a torn card) is a card pulled from the reader: its interface loses power, and the link
connects again with exponential backoff until it is stopped.

Every wait has a bound (``LinkTimeouts``): a frame once begun must be complete within ``frame``
seconds and an answer taken by the peer within ``send``, or the connection is dropped. In
listening mode a peer must send its first frame within ``first_frame`` seconds, and a peer
quiet for ``idle`` seconds gives the reader up to the next peer waiting to connect, so a silent
or slow peer never keeps the card from the others.
"""

from __future__ import annotations

import contextlib
import logging
import select
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator

import attrs

from jcsim.transport.busy_poll import SocketSpinner, check_busy_poll_us, effective_busy_poll_us
from jcsim.transport.vpcd_card import Answer, CardPort
from jcsim.transport.vpcd_codec import NEED_DATA, FrameDecoder, control_event

__all__ = ["DEFAULT_PORT", "Backoff", "LinkEvent", "LinkTimeouts", "Listener", "VpcdLink"]

log = logging.getLogger("jcsim.transport.vpcd")

DEFAULT_PORT = 35963
_RECV_SIZE = 0x10000 + 2
_QUICKACK = getattr(socket, "TCP_QUICKACK", None)


def _timeval(seconds: float) -> bytes:
    """``seconds`` as a ``struct timeval`` for SO_RCVTIMEO / SO_SNDTIMEO, at least 1 µs (zero
    would mean no bound at all)."""
    micros = max(1, round(seconds * 1e6))
    return struct.pack("@ll", micros // 1_000_000, micros % 1_000_000)


@attrs.frozen
class Backoff:
    """Reconnection delays: ``initial`` seconds, doubled after each failure up to ``maximum``.

    When the card itself closed the connection (a tear, a malformed frame, a command without
    power) it stays away ``removal`` seconds first: pcscd polls a vpcd reader every 400 ms, and a
    card back before the next poll is taken for the same card, still powered.
    """

    initial: float = 0.05
    maximum: float = 2.0
    removal: float = 1.0

    def delays(self) -> Iterator[float]:
        delay = self.initial
        while True:
            yield delay
            delay = min(delay * 2, self.maximum)


@attrs.frozen
class LinkTimeouts:
    """Bounds on what a peer may make the card wait for, in seconds (see the module docstring).

    vpcd polls a connected card for its ATR about every 400 ms, so a real reader is never
    quiet for long; ``first_frame`` and ``idle`` apply in listening mode only.
    """

    first_frame: float = 5.0
    frame: float = 5.0
    idle: float = 10.0
    send: float = 10.0
    poll: float = 0.1


@attrs.frozen
class LinkEvent:
    """Something a link did, for a live display: ``kind`` is one of ``listening``,
    ``connected``, ``disconnected``, ``power-on``, ``power-off``, ``reset``, ``reader-command``,
    ``mute``, ``torn``, ``malformed``."""

    interface: str
    kind: str
    detail: str = ""
    command: bytes = b""
    response: bytes = b""


Listener = Callable[[LinkEvent], None]


class _DroppedError(Exception):
    """The link closes this connection on purpose (a malformed frame, a torn card)."""


def _pause(stop: threading.Event, seconds: float) -> object:
    return stop.wait(seconds)


class VpcdLink:
    """One interface of the card on one vpcd slot, kept connected by a thread.

    ``busy_poll_us`` (0 to 10,000, 0 is off) is how long the link polls its socket after each
    read before it sleeps in ``recv`` (``jcsim.transport.busy_poll``); ``busy_poll_in_use`` is
    the window of the current connection, 0 on a process that may run on one CPU only.
    ``pause(stop, seconds)`` is how the thread waits between connections (``stop.wait``): a
    test may replace it, before the link starts, to see the delays without living them.
    """

    def __init__(self, port: CardPort, interface: str, host: str, port_number: int, *,
                 listen: bool = False, backoff: Backoff = Backoff(),
                 listener: Listener | None = None,
                 timeouts: LinkTimeouts = LinkTimeouts(), busy_poll_us: int = 0) -> None:
        self.card_port = port
        self.busy_poll_us = check_busy_poll_us(busy_poll_us)
        self.timeouts = timeouts
        self.interface = interface
        self.host = host
        self.port = port_number
        self.listen = listen
        self.backoff = backoff
        self.listener = listener
        self.pause: Callable[[threading.Event, float], object] = _pause
        # Set while a connection is up and the peer has sent at least one frame.
        self.connected = threading.Event()
        self.connections = 0  # connections on which the peer was heard, since start
        # The busy-poll window of the current (or last) connection, in µs: ``busy_poll_us``,
        # or 0 where spinning does not pay (see busy_poll).
        self.busy_poll_in_use = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._server: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._busy_poll_noted = False
        self._spinner_now: SocketSpinner | None = None

    def __repr__(self) -> str:
        mode = "listening on" if self.listen else "to"
        return f"<VpcdLink {self.interface} {mode} {self.host}:{self.port}>"

    # --- life cycle --------------------------------------------------------------------------

    def bind(self) -> None:
        """In listening mode, bind the address now (once), so that the real port is known and
        errors surface here; nothing to do when the link connects to vpcd."""
        if self.listen and self._server is None:
            self._server = socket.create_server((self.host, self.port), reuse_port=False)
            self._server.settimeout(0.1)
            self.port = self._server.getsockname()[1]
            self._notify("listening", f"{self.host}:{self.port}")

    def start(self) -> None:
        """Bind (``bind``), then run the link in a daemon thread."""
        self.bind()
        self._thread = threading.Thread(target=self._run, name=f"jcsim-vpcd-{self.interface}",
                                        daemon=True)
        self._thread.start()

    def run(self, stop: threading.Event) -> None:
        """Bind, then run the link in the calling thread until ``stop`` is set (setting it
        takes no lock the link holds, so a signal handler may) or ``stop()`` is called; the
        link notices within ``timeouts.poll`` seconds. Served from the main thread, a command
        needs no hand-over between threads (``jcsim serve`` runs its first link so)."""
        self._stop = stop
        self.bind()
        self._run()

    def stop(self, timeout: float = 2.0) -> None:
        """Close the connection (the card leaves the reader) and end the thread."""
        self._stop.set()
        with self._lock:
            if self._sock is not None:
                with contextlib.suppress(OSError):
                    self._sock.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.warning("%r did not stop within %.1f s (a command still running?)", self,
                            timeout)
        if self._server is not None:
            self._server.close()

    def _notify(self, kind: str, detail: str = "", command: bytes = b"",
                response: bytes = b"") -> None:
        if self.listener is not None:
            try:
                self.listener(LinkEvent(self.interface, kind, detail, command, response))
            except Exception:  # a display must never take the link down
                log.exception("the link listener failed")

    # --- the thread --------------------------------------------------------------------------

    def _run(self) -> None:
        delays = self.backoff.delays()
        while not self._stop.is_set():
            sock = self._accept() if self.listen else self._connect()
            if sock is None:
                if not self.listen:
                    self.pause(self._stop, next(delays))
                continue
            heard, dropped = self._serve(sock)
            if heard:
                delays = self.backoff.delays()
            if not self.listen and not self._stop.is_set():
                delay = next(delays)
                self.pause(self._stop, max(delay, self.backoff.removal) if dropped else delay)

    def _connect(self) -> socket.socket | None:
        try:
            return socket.create_connection((self.host, self.port), timeout=2.0)
        except OSError as exc:
            log.debug("%r: cannot connect: %s", self, exc)
            return None

    def _accept(self) -> socket.socket | None:
        assert self._server is not None
        try:
            sock, peer = self._server.accept()
        except TimeoutError:
            return None
        except OSError as exc:
            if not self._stop.is_set():
                log.warning("%r: accept failed: %s", self, exc)
                self._stop.wait(0.1)
            return None
        log.info("%r: peer %s:%s connected", self, *peer[:2])
        return sock

    def _send(self, sock: socket.socket, frame: bytes) -> None:
        """Send all of ``frame``; a peer that has not taken it all within ``timeouts.send``
        seconds loses the connection. One ``send`` call when the socket buffer has room; each
        call waits at most ``timeouts.poll`` (SO_SNDTIMEO) for the peer to take more."""
        try:
            sent = sock.send(frame)
        except BlockingIOError:
            sent = 0
        if sent == len(frame):
            return
        rest = memoryview(frame)[sent:]
        limit = self.timeouts.send
        deadline = time.monotonic() + limit
        while rest:
            if time.monotonic() > deadline:
                raise _DroppedError(f"the peer did not take the answer within {limit:g} s")
            try:
                rest = rest[sock.send(rest):]
            except BlockingIOError:
                continue

    def _spinner(self, sock: socket.socket) -> SocketSpinner | None:
        """The busy-poll of this connection, or None when it is off (see busy_poll)."""
        window, why_off = effective_busy_poll_us(self.busy_poll_us)
        if why_off and not self._busy_poll_noted:
            self._busy_poll_noted = True
            log.info("%r: busy-poll off (%d µs asked): %s", self, self.busy_poll_us, why_off)
        self.busy_poll_in_use = window
        spinner = self._spinner_now = SocketSpinner(sock, window) if window else None
        return spinner

    @property
    def busy_poll_window_us(self) -> float:
        """The busy-poll window between frames now, in µs, as it adapted to the peer's gaps
        (``busy_poll.SocketSpinner``); 0 when off."""
        spinner = self._spinner_now
        return 0 if spinner is None else spinner.window_us

    def _serve(self, sock: socket.socket) -> tuple[bool, bool]:
        """Answer one connection until it closes; returns whether the peer sent anything and
        whether the card closed the connection on purpose."""
        limits = self.timeouts
        # Blocking calls bounded by the kernel (SO_RCVTIMEO, SO_SNDTIMEO: BlockingIOError after
        # ``poll`` seconds), so a command costs one recv per read and one send per answer, with
        # no select or poll around them (Python's own socket timeout polls before every call).
        sock.setblocking(True)
        poll_interval = _timeval(limits.poll)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, poll_interval)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, poll_interval)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self._lock:
            if self._stop.is_set():
                sock.close()
                return False, False
            self._sock = sock
        spinner = self._spinner(sock)
        spin = False  # whether the last read returned data (see busy_poll)
        rearm = True  # whether TCP_QUICKACK must be armed before the next read
        mid_frame = False  # whether the read awaited completes a frame already begun
        decoder = FrameDecoder()
        debug = log.isEnabledFor(logging.DEBUG)
        heard = dropped = False
        reason = "the peer closed the connection"
        opened = last_heard = time.monotonic()
        frame_since: float | None = None  # when the partial frame now buffered began
        interface, card_port, stop = self.interface, self.card_port, self._stop
        monotonic, recv = time.monotonic, sock.recv
        try:
            card_port.connection_made(interface)
            while not stop.is_set():
                now = monotonic()
                if frame_since is not None and now - frame_since > limits.frame:
                    raise _DroppedError(f"a frame was not completed within {limits.frame:g} s")
                if self.listen:
                    if not heard and now - opened > limits.first_frame:
                        raise _DroppedError(
                            f"the peer sent nothing within {limits.first_frame:g} s")
                    if frame_since is None and now - last_heard >= limits.idle:
                        # Quiet: a peer waiting to connect may take the reader over.
                        assert self._server is not None
                        readable = select.select((sock, self._server), (), (), limits.poll)[0]
                        if self._server in readable:
                            raise _DroppedError(f"quiet for {limits.idle:g} s, the reader goes to "
                                                "the next peer")
                        if not readable:
                            continue
                # vpcd writes a frame's length and its payload in two sends, and the payload
                # leaves only once the length is acknowledged. The kernel acknowledges when the
                # card reads, and after the card has sent an answer it delays that ACK (up to
                # 40 ms, the interactive mode) unless TCP_QUICKACK is armed first. Only a send
                # brings that mode back, so it is armed again only after a read that completed
                # a frame (and may have been answered): once per command.
                if rearm and _QUICKACK is not None:
                    sock.setsockopt(socket.IPPROTO_TCP, _QUICKACK, 1)
                if spinner is not None:
                    mid_frame = decoder.buffered > 0
                    if spin:
                        spinner.wait(stop, mid_frame)
                        if stop.is_set():
                            break
                try:
                    data = recv(_RECV_SIZE)
                except BlockingIOError:  # nothing within ``poll`` seconds: check the bounds
                    spin = False
                    continue
                last_heard = monotonic()
                if spinner is not None and not mid_frame:
                    # A wait that went through a timeout was longer than ``poll`` seconds.
                    spinner.adapt(last_heard - now if spin else limits.poll)
                spin = True
                if not data:
                    if decoder.buffered:
                        reason += f" in the middle of a frame ({decoder.buffered} bytes buffered)"
                    break
                decoder.receive_data(data)
                completed = False
                while (payload := decoder.next_frame()) is not NEED_DATA:
                    completed = True
                    if not heard:
                        heard = True
                        self.connections += 1
                        self.connected.set()
                        self._notify("connected", f"{self.host}:{self.port}")
                    if len(payload) > 1:
                        answer = card_port.command(interface, payload)
                        if type(answer) is bytes:  # the common case: just the reply frame
                            if debug:
                                log.debug("%r: %s -> %s", self, payload.hex().upper(),
                                          answer.hex().upper())
                            self._send(sock, answer)
                            continue
                    else:
                        answer = card_port.answer(interface,
                                                  control_event(payload))
                    assert isinstance(answer, Answer)
                    if debug:
                        log.debug("%r: %s -> %s", self, payload.hex().upper(),
                                  "no answer" if answer.reply is None
                                  else answer.reply.hex().upper())
                    if answer.reply is not None:
                        self._send(sock, answer.reply)
                    if answer.note is not None:
                        self._notify(answer.note, answer.drop or "", answer.command,
                                     answer.response)
                    if answer.drop is not None:
                        raise _DroppedError(answer.drop)
                rearm = completed
                if not decoder.buffered:
                    frame_since = None
                elif completed or frame_since is None:
                    frame_since = last_heard
        except _DroppedError as exc:
            reason, dropped = str(exc), True
            log.warning("%r: closing the connection: %s", self, reason)
        except OSError as exc:
            reason = f"connection error: {exc}"
            if not self._stop.is_set():
                log.warning("%r: %s", self, reason)
        except Exception as exc:  # survive a bug rather than lose the card
            reason = f"internal error: {exc!r}"
            log.exception("%r: internal error; closing the connection", self)
        finally:
            with self._lock:
                self._sock = None
            self.connected.clear()
            sock.close()
        try:
            self.card_port.connection_lost(self.interface)
        except Exception:  # the link must live on to reconnect
            log.exception("%r: the card failed to power down", self)
        if self._stop.is_set():
            reason = "stopped"
        log.info("%r: disconnected: %s", self, reason)
        self._notify("disconnected", reason)
        return heard, dropped
