"""Test servers and cards for the RAM over HTTP tests: everything binds 127.0.0.1 only."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import attrs

from jcsim import Simulator
from jcsim.samples.ram_seed import AID as SEED_AID
from jcsim.samples.ram_seed import SeedApplet

DROP = "drop"  # close the connection without answering


@attrs.frozen
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def header(self, name: str) -> str | None:
        for key, value in self.headers.items():
            if key.lower() == name.lower():
                return value
        return None


Answer = Any  # (status, headers, body) | DROP | bytes (raw garbage) | callable(Recorded) -> Answer


class RecordingServer:
    """A raw ``http.server`` that records every request and plays back planned answers, in
    order (204 once they run out): the stand-in for servers jcsim does not control."""

    def __init__(self, answers: list[Answer]) -> None:
        self.answers = list(answers)
        self.requests: list[Recorded] = []
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = self.rfile.read(length)
                record = Recorded(self.command, self.path, dict(self.headers.items()), body)
                with owner.lock:
                    owner.requests.append(record)
                    answer = owner.answers.pop(0) if owner.answers else (204, [], b"")
                if callable(answer):
                    answer = answer(record)
                if answer == DROP:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                if isinstance(answer, bytes):
                    self.wfile.write(answer)
                    self.close_connection = True
                    return
                status, headers, payload = answer
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                if status != 204:
                    self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if status != 204:
                    self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client hanging up on a hostile answer is what the tests provoke

        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> RecordingServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


def seed_card(atr: str | None = None) -> Simulator:
    """A T=1 card with the seed applet installed as the default applet and selected."""
    sim = Simulator(atr=atr)
    sim.install(SeedApplet, SEED_AID, default=True)
    sim.reset()
    return sim


def script(apdus: list[str]) -> Callable[[Any, str], None]:
    """A server script sending each APDU in turn and keeping the responses on the session."""
    def perform(session: Any, path_info: str) -> None:
        session.responses = [session.card.transmit(apdu) for apdu in apdus]
    return perform


class RawServer:
    """A TCP server that hands each connection to ``serve(sock)`` in its own thread: for
    servers that do not speak HTTP properly at all (cut replies, trickled bytes, bad framing)."""

    def __init__(self, serve: Callable[[socket.socket], None]) -> None:
        self.serve = serve
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.05)
        self.stopping = threading.Event()
        self.connections = 0
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.workers: list[threading.Thread] = []

    @property
    def url(self) -> str:
        host, port = self.sock.getsockname()[:2]
        return f"http://{host}:{port}"

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections += 1
            worker = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self.workers.append(worker)
            worker.start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(10)
            self.serve(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def __enter__(self) -> RawServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.thread.join()
        self.sock.close()
        for worker in self.workers:
            worker.join(timeout=5)


def read_request(sock: socket.socket) -> bytes:
    """Read one request with a Content-Length body (what jcsim's client sends)."""
    data = b""
    while b"\r\n\r\n" not in data:
        piece = sock.recv(65536)
        if not piece:
            return data
        data += piece
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        piece = sock.recv(65536)
        if not piece:
            break
        body += piece
    return head + b"\r\n\r\n" + body
