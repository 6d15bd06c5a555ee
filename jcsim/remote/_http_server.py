"""The HTTP/1.1 side of the RAM over HTTP server: a bounded, threaded listener framed by h11.

Theory of operation. One accept thread takes connections; each gets its own thread while fewer
than ``max_connections`` are open (a connection past the limit is answered 503 without a thread
and closed). A connection thread runs h11 (a sans-IO HTTP/1.1 implementation: request line,
headers, Content-Length and chunked bodies, keep-alive) and hands each complete request to
``handle``, which returns the ``Reply``. Every read has a bound: the first byte of a request must
come within ``idle_timeout`` and the whole request (headers and body) within ``idle_timeout``
more; a body announced or grown past ``max_body`` gets 413 before it is read. Anything h11
refuses gets its 4xx and the connection closes. ``handle`` may block (a RAM over HTTP answer
waits for its script); its own time limits are the caller's.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable

import attrs
import h11

__all__ = ["HTTPListener", "Incoming", "Reply"]

log = logging.getLogger(__name__)

_READ_SIZE = 65536
_MAX_HEAD = 16384
_SERVER = b"jcsim-ram/1"
_REFUSAL = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
            b"Content-Length: 22\r\nConnection: close\r\nRetry-After: 1\r\n\r\n"
            b"too many connections\r\n")


@attrs.frozen
class Incoming:
    """One complete request: header names lower-case, names and values decoded as latin-1."""

    method: str
    target: str
    headers: tuple[tuple[str, str], ...]
    body: bytes

    def header(self, name: str) -> str | None:
        """The last value of header ``name``."""
        found = None
        for key, value in self.headers:
            if key == name.lower():
                found = value
        return found

    def header_all(self, name: str) -> list[str]:
        return [value for key, value in self.headers if key == name.lower()]


@attrs.frozen
class Reply:
    status: int
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()
    close: bool = False

    @classmethod
    def text(cls, status: int, message: str, *, headers: tuple[tuple[str, str], ...] = (),
             close: bool = False) -> Reply:
        body = message.encode("utf-8")
        extra = (("Content-Type", "text/plain; charset=utf-8"),) if body else ()
        return cls(status, body, extra + headers, close)


Handle = Callable[[Incoming], Reply]


class _RefusedError(Exception):
    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.status)
        self.reply = reply


class HTTPListener:
    """Accepts connections on ``(host, port)`` and serves each with ``handle``."""

    def __init__(self, host: str, port: int, handle: Handle, *,
                 ssl_context: ssl.SSLContext | None, max_connections: int,
                 idle_timeout: float, max_body: int) -> None:
        if max_connections < 1 or not idle_timeout > 0 or max_body < 0:
            raise ValueError("max_connections >= 1, idle_timeout > 0 and max_body >= 0")
        self.handle = handle
        self.ssl_context = ssl_context
        self.max_connections = max_connections
        self.idle_timeout = idle_timeout
        self.max_body = max_body
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self._sock.bind((host, port))
            self._sock.listen(128)
        except OSError:
            self._sock.close()
            raise
        self.address = self._sock.getsockname()
        self._lock = threading.Lock()
        self._connections: dict[threading.Thread, socket.socket] = {}
        # Refused connections wait here, half-closed, until the client has read the 503.
        self._refused: list[tuple[socket.socket, float]] = []
        self._stopping = threading.Event()
        self._closed = threading.Event()
        self._closed.set()

    @property
    def open_connections(self) -> int:
        with self._lock:
            return len(self._connections)

    # --- accepting ----------------------------------------------------------------------------

    def serve_forever(self, poll_interval: float = 0.05) -> None:
        self._closed.clear()
        self._sock.settimeout(poll_interval)
        try:
            while not self._stopping.is_set():
                self._drain_refused()
                try:
                    conn, peer = self._sock.accept()
                except TimeoutError:
                    continue
                except OSError:
                    if self._stopping.is_set():
                        break
                    # Out of descriptors and the like: back off instead of spinning.
                    log.warning("accept failed", exc_info=True)
                    time.sleep(poll_interval)
                    continue
                self._admit(conn, peer)
        finally:
            for sock, _ in self._refused:
                sock.close()
            self._refused.clear()
            self._closed.set()

    def _drain_refused(self) -> None:
        now = time.monotonic()
        keep = []
        for sock, deadline in self._refused:
            try:
                while sock.recv(_READ_SIZE):
                    pass
                done = True  # the client closed its side
            except BlockingIOError:
                done = now > deadline
            except OSError:
                done = True
            if done:
                sock.close()
            else:
                keep.append((sock, deadline))
        self._refused = keep

    def _admit(self, conn: socket.socket, peer: object) -> None:
        with self._lock:
            full = len(self._connections) >= self.max_connections
            if not full:
                thread = threading.Thread(target=self._serve_connection, args=(conn, peer),
                                          name="jcsim-ram-conn", daemon=True)
                self._connections[thread] = conn
        if full:
            # No thread for this one: a best-effort 503 that cannot block, then close.
            try:
                conn.setblocking(False)
                conn.send(_REFUSAL)
                conn.shutdown(socket.SHUT_WR)
            except OSError:
                conn.close()
            else:
                if len(self._refused) < self.max_connections:
                    self._refused.append((conn, time.monotonic() + 1.0))
                else:
                    conn.close()
            log.info("refused a connection from %s: %d open", peer, self.max_connections)
            return
        thread.start()

    def shutdown(self) -> None:
        """Stop accepting; ``serve_forever`` returns."""
        self._stopping.set()
        self._closed.wait()

    def close(self, join_timeout: float = 2.0) -> None:
        """Close the listener and every open connection, and wait for their threads."""
        self._stopping.set()
        self._sock.close()
        with self._lock:
            connections = dict(self._connections)
        for sock in connections.values():
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        for thread in connections:
            thread.join(timeout=join_timeout)

    # --- one connection -----------------------------------------------------------------------

    def _serve_connection(self, raw: socket.socket, peer: object) -> None:
        sock = raw
        try:
            raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self.ssl_context is not None:
                # The handshake runs here, in the connection's own thread, so a slow or
                # hostile client cannot hold up the accept loop.
                raw.settimeout(self.idle_timeout)
                sock = self.ssl_context.wrap_socket(raw, server_side=True)
                with self._lock:
                    self._connections[threading.current_thread()] = sock
            self._converse(sock)
        except (OSError, ValueError) as exc:
            log.info("connection from %s ended: %s", peer, exc)
        finally:
            with self._lock:
                self._connections.pop(threading.current_thread(), None)
            with contextlib.suppress(OSError):
                sock.close()
            if sock is not raw:
                raw.close()

    def _converse(self, sock: socket.socket) -> None:
        conn = h11.Connection(h11.SERVER, max_incomplete_event_size=_MAX_HEAD)
        while not self._stopping.is_set():
            try:
                incoming = self._read_request(conn, sock)
            except _RefusedError as refusal:
                self._send(conn, sock, refusal.reply, force_close=True)
                _linger(sock)
                return
            except h11.RemoteProtocolError as exc:
                if conn.our_state in (h11.IDLE, h11.SEND_RESPONSE):
                    status = exc.error_status_hint if 400 <= exc.error_status_hint < 500 else 400
                    self._send(conn, sock, Reply.text(status, f"bad request: {exc}"),
                               force_close=True)
                    _linger(sock)
                return
            if incoming is None:
                return
            try:
                reply = self.handle(incoming)
            except Exception:  # a fault of ours still answers, and is logged with its trace
                log.exception("the request handler failed")
                reply = Reply.text(500, "internal error", close=True)
            self._send(conn, sock, reply, force_close=reply.close)
            if conn.our_state is h11.MUST_CLOSE or conn.their_state is not h11.DONE:
                return
            conn.start_next_cycle()

    def _receive(self, conn: h11.Connection, sock: socket.socket, deadline: float) -> None:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request did not arrive in time")
        sock.settimeout(left)
        conn.receive_data(sock.recv(_READ_SIZE))

    def _read_request(self, conn: h11.Connection, sock: socket.socket) -> Incoming | None:
        """The next complete request; None when the client closed or went quiet."""
        request: h11.Request | None = None
        parts: list[bytes] = []
        size = 0
        deadline = time.monotonic() + self.idle_timeout
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                try:
                    self._receive(conn, sock, deadline)
                except TimeoutError:
                    if request is None and not conn.trailing_data[0]:
                        return None  # an idle keep-alive connection: just close it
                    raise _RefusedError(Reply.text(408, "the request did not arrive in time",
                                              close=True)) from None
                continue
            if isinstance(event, h11.ConnectionClosed):
                return None
            if isinstance(event, h11.Request):
                request = event
                # The whole request, headers to body, must come within one more idle period.
                deadline = time.monotonic() + self.idle_timeout
                length = _content_length(event.headers)
                if length is not None and length > self.max_body:
                    raise _RefusedError(Reply.text(413, f"the body exceeds {self.max_body} bytes",
                                              close=True))
                if event.method != b"POST":
                    raise _RefusedError(Reply.text(405, "only POST is used by RAM over HTTP",
                                              headers=(("Allow", "POST"),), close=True))
                continue
            if isinstance(event, h11.Data):
                size += len(event.data)
                if size > self.max_body:
                    raise _RefusedError(Reply.text(413, f"the body exceeds {self.max_body} bytes",
                                              close=True))
                parts.append(bytes(event.data))
                continue
            if isinstance(event, h11.EndOfMessage):
                assert request is not None
                return Incoming(request.method.decode("ascii"), request.target.decode("latin-1"),
                                tuple((name.decode("latin-1"), value.decode("latin-1"))
                                      for name, value in request.headers),
                                b"".join(parts))

    def _send(self, conn: h11.Connection, sock: socket.socket, reply: Reply, *,
              force_close: bool) -> None:
        headers = [(b"Server", _SERVER)]
        headers += [(name.encode("latin-1"), value.encode("latin-1"))
                    for name, value in reply.headers]
        if reply.status != 204:
            headers.append((b"Content-Length", str(len(reply.body)).encode("ascii")))
        if force_close:
            headers.append((b"Connection", b"close"))
        try:
            wire = conn.send(h11.Response(status_code=reply.status, headers=headers))
            if reply.status != 204 and reply.body:
                wire += conn.send(h11.Data(data=reply.body))
            wire += conn.send(h11.EndOfMessage())
        except h11.LocalProtocolError as exc:
            log.warning("cannot send a %d reply: %s", reply.status, exc)
            return
        sock.settimeout(self.idle_timeout)
        sock.sendall(wire)


def _linger(sock: socket.socket, limit: int = 1 << 20, seconds: float = 1.0) -> None:
    """Half-close, then read and drop a bounded amount of what the client still sends: closing
    with unread data would reset the connection and lose the error reply on its way."""
    try:
        sock.shutdown(socket.SHUT_WR)
        deadline = time.monotonic() + seconds
        while limit > 0:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            sock.settimeout(left)
            piece = sock.recv(min(_READ_SIZE, limit))
            if not piece:
                return
            limit -= len(piece)
    except (OSError, ValueError):
        return


def _content_length(headers: Iterable[tuple[bytes, bytes]]) -> int | None:
    # h11 has already checked that Content-Length is ASCII digits and consistent.
    for name, value in headers:
        if name == b"content-length":
            return int(value)
    return None
