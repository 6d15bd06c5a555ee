"""The HTTP/1.1 side of the RAM over HTTP client: one keep-alive connection framed by h11.

h11 (a sans-IO HTTP/1.1 implementation) does every framing decision: status line, headers,
Content-Length and chunked bodies, keep-alive. This adapter only moves bytes, and bounds them:
every socket operation waits at most until the ``deadline`` it is given (a monotonic time), and
a body is refused as soon as its announced or received size passes ``max_body``, before it is
read. A reply cut short, or one that is not HTTP, raises ``TransportError``: it never reaches the
protocol as a usable answer.
"""

from __future__ import annotations

import contextlib
import select
import socket
import ssl
import time
from collections.abc import Iterable
from urllib.parse import urlsplit

import h11

from jcsim.remote.client_protocol import HTTPRequest

__all__ = ["BodyTooLargeError", "Connection", "HTTPReply", "TransportError"]

_READ_SIZE = 65536
# A status line and headers beyond this are not a RAM over HTTP server's.
_MAX_HEAD = 16384


class TransportError(Exception):
    """The exchange failed below the protocol: connection, TLS, time, or broken framing."""


class BodyTooLargeError(Exception):
    """The server's answer is longer than the client accepts."""


HTTPReply = tuple[int, list[tuple[str, str]], bytes]


def _text(value: bytes) -> str:
    # Header bytes are not always ASCII on a hostile wire; latin-1 keeps every byte visible and
    # lets the protocol refuse what it cannot use.
    return value.decode("latin-1")


class Connection:
    """One HTTP(S) connection to the server's origin, reopened when it cannot be reused."""

    def __init__(self, url: str, context: ssl.SSLContext | None, max_body: int) -> None:
        parts = urlsplit(url)
        self.https = parts.scheme == "https"
        self.host = parts.hostname or ""
        self.port = parts.port or (443 if self.https else 80)
        self.authority = parts.netloc.rsplit("@", 1)[-1]
        self.context = context
        self.max_body = max_body
        self._sock: socket.socket | None = None
        self._h11: h11.Connection | None = None

    # --- the socket ---------------------------------------------------------------------------

    @staticmethod
    def _remaining(deadline: float) -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the deadline passed")
        return left

    def _usable(self) -> bool:
        """A kept connection is reusable when it is idle and the server has not closed it."""
        if self._sock is None or self._h11 is None:
            return False
        if self._h11.our_state is not h11.IDLE or self._h11.their_state is not h11.IDLE:
            return False
        try:
            readable, _, _ = select.select([self._sock], [], [], 0)
        except (OSError, ValueError):
            return False
        # Anything readable before a request is sent is a close (or garbage): start afresh.
        return not readable

    def _open(self, deadline: float) -> None:
        self.close()
        sock = socket.create_connection((self.host, self.port), timeout=self._remaining(deadline))
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self.https:
                assert self.context is not None
                sock.settimeout(self._remaining(deadline))
                sock = self.context.wrap_socket(sock, server_hostname=self.host)
        except BaseException:
            sock.close()
            raise
        self._sock = sock
        self._h11 = h11.Connection(h11.CLIENT, max_incomplete_event_size=_MAX_HEAD)

    def close(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.close()
        self._sock = None
        self._h11 = None

    # --- one exchange -------------------------------------------------------------------------

    def exchange(self, request: HTTPRequest, deadline: float) -> HTTPReply:
        """Send ``request`` and read the whole reply by ``deadline``.

        Raises ``TransportError`` (with ``__cause__`` the socket, TLS or framing error),
        ``BodyTooLargeError``, or ``UnicodeEncodeError`` for a request that cannot be put on the
        wire.
        """
        head = [("Host", self.authority), *request.headers]
        head.append(("Content-Length", str(len(request.body))))
        encoded = [(name.encode("ascii"), value.encode("ascii")) for name, value in head]
        try:
            if not self._usable():
                self._open(deadline)
            assert self._sock is not None and self._h11 is not None
            conn = self._h11
            wire = conn.send(h11.Request(method=request.method, target=request.target.encode(
                "ascii"), headers=encoded))
            if request.body:
                wire += conn.send(h11.Data(data=request.body))
            wire += conn.send(h11.EndOfMessage())
            self._sock.settimeout(self._remaining(deadline))
            self._sock.sendall(wire)
            return self._read_reply(conn, deadline)
        except (OSError, h11.ProtocolError) as exc:
            self.close()
            raise TransportError(_describe(exc)) from exc
        except BodyTooLargeError:
            self.close()
            raise

    def _read_reply(self, conn: h11.Connection, deadline: float) -> HTTPReply:
        assert self._sock is not None
        status, headers, parts, size = 0, [], [], 0
        while True:
            event = conn.next_event()
            if event is h11.NEED_DATA:
                self._sock.settimeout(self._remaining(deadline))
                conn.receive_data(self._sock.recv(_READ_SIZE))
                continue
            if isinstance(event, h11.InformationalResponse):
                continue
            if isinstance(event, h11.Response):
                status = event.status_code
                headers = [(_text(name), _text(value)) for name, value in event.headers]
                announced = _content_length(event.headers)
                if announced is not None and announced > self.max_body:
                    raise BodyTooLargeError(f"the server's answer exceeds {self.max_body} bytes "
                                            f"(it announces {announced})")
                continue
            if isinstance(event, h11.Data):
                size += len(event.data)
                if size > self.max_body:
                    raise BodyTooLargeError(f"the server's answer exceeds {self.max_body} bytes")
                parts.append(bytes(event.data))
                continue
            if isinstance(event, h11.EndOfMessage):
                break
            # ConnectionClosed before the end of the message: the reply was cut off.
            raise h11.RemoteProtocolError("the server closed the connection mid-answer")
        if conn.our_state is h11.DONE and conn.their_state is h11.DONE:
            conn.start_next_cycle()
        else:
            self.close()
        return status, headers, b"".join(parts)


def _content_length(headers: Iterable[tuple[bytes, bytes]]) -> int | None:
    # h11 has already checked that Content-Length is ASCII digits and consistent.
    for name, value in headers:
        if name == b"content-length":
            return int(value)
    return None


def _describe(exc: BaseException) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"TLS certificate verification failed: {exc.verify_message or exc}"
    if isinstance(exc, TimeoutError | socket.timeout):
        return "the server did not answer in time"
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused"
    if isinstance(exc, h11.RemoteProtocolError):
        text = str(exc)
        if "closed" in text or "Connection" in text:
            return "the server closed the connection without a complete answer"
        return f"the server's answer is not valid HTTP: {text}"
    if isinstance(exc, h11.LocalProtocolError):
        return f"the request cannot be sent: {exc}"
    if isinstance(exc, ConnectionError):
        return "the server closed the connection without answering"
    text = str(exc) or type(exc).__name__
    return f"{type(exc).__name__}: {text}"
