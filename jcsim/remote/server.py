"""A small RAM over HTTP scripting server: drive remote cards from a Python function.

Like the OpenSCDP Scripting Server's ``performCardUpdate(session, pathInfo)``: each new session
(an OpenSCDP client's E8 POST, or an Amendment B client's empty first POST) starts a thread that
calls ``perform(session, path_info)``. Inside it ``session.card.transmit(apdu)``,
``session.card.sendApdu(cla, ins, p1, p2, [data], [le], [sw_list])``, ``session.card.reset()``
and ``session.notify(id, message)`` each become one HTTP exchange: the call sends one command
template in the answer to the client's pending POST, then blocks until the client's next POST
brings the result (OCF's ``RemoteTerminal`` works the same way, one item per template). When
``perform`` returns the client gets 204 and the session ends; when it raises, 500.

A client that does not answer within ``response_timeout`` closes the session: the waiting call
raises ``RemoteTimeoutError``. A client's E1 close raises ``RemoteClosedError``. The HTTP side is
the standard library's ``ThreadingHTTPServer``; every decision about bytes is in ``codec``.
"""

from __future__ import annotations

import logging
import re
import secrets
import socket
import ssl
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from jcsim.remote._chunked import ChunkedReader
from jcsim.remote.client_protocol import H_FROM, H_NEXT_URI, H_PROTOCOL, H_SCRIPT_STATUS, H_TARGETED
from jcsim.remote.codec import (
    FormatError,
    Profile,
    decode_initiation,
    decode_response_script,
    encode_command_script,
    get_profile,
)
from jcsim.remote.errors import RemoteClosedError
from jcsim.remote.session import RemoteCard, ServerSession, _Answer, _End

__all__ = ["RemoteCard", "ScriptServer", "ServerSession"]

log = logging.getLogger(__name__)

SESSION_PARAM = "jcsim-session"
COOKIE_NAME = "JSESSIONID"
_ID = re.compile(r"[A-Za-z0-9._~-]{1,128}")


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    owner: ScriptServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that resets its connection is normal on the Internet: log, do not print.
        log.info("connection from %s failed", client_address, exc_info=True)

    def finish_request(self, request: socket.socket, client_address: Any) -> None:
        owner = self.owner
        conn: socket.socket = request
        with owner._lock:
            owner._connections.add(request)
        try:
            if owner.ssl_context is not None:
                # The handshake runs here, in the connection's own thread, so a slow or
                # hostile client cannot hold up the accept loop.
                request.settimeout(owner.idle_timeout)
                try:
                    conn = owner.ssl_context.wrap_socket(request, server_side=True)
                except OSError as exc:
                    log.info("TLS handshake with %s failed: %s", client_address, exc)
                    return
                with owner._lock:
                    owner._connections.add(conn)
            super().finish_request(conn, client_address)
        finally:
            with owner._lock:
                owner._connections.discard(request)
                owner._connections.discard(conn)
            if conn is not request:
                conn.close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "jcsim-ram/1"
    # One write per answer and no Nagle delay: every exchange is a short request/response.
    disable_nagle_algorithm = True
    wbufsize = -1
    server: _HTTPServer

    def setup(self) -> None:
        self.timeout = self.server.owner.idle_timeout
        super().setup()

    def do_POST(self) -> None:
        self.server.owner._handle(self)

    def _not_allowed(self) -> None:
        self.server.owner._reply(self, 405, "only POST is used by RAM over HTTP",
                                 extra=[("Allow", "POST")])

    do_GET = do_PUT = do_DELETE = do_PATCH = _not_allowed

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("%s - %s", self.address_string(), format % args)


Perform = Callable[[ServerSession, str], Any]


class ScriptServer:
    """Serves RAM over HTTP sessions, each handed to ``perform(session, path_info)``.

    ``profile`` is ``"auto"`` (both: an E8 first POST is OpenSCDP, an empty one Amendment B),
    ``"openscdp"`` or ``"gp-amd-b"``. ``port=0`` picks a free port (see ``url``). Use as a
    context manager, or ``start()`` / ``close()``; ``serve_forever()`` blocks.
    """

    def __init__(self, perform: Perform, host: str = "127.0.0.1", port: int = 0, *,
                 profile: str = "auto", ssl_context: ssl.SSLContext | None = None,
                 response_timeout: float = 60.0, script_timeout: float = 60.0,
                 max_body: int = 1 << 20,
                 on_session_start: Callable[[ServerSession], None] | None = None,
                 on_session_end: Callable[[ServerSession], None] | None = None) -> None:
        if profile != "auto":
            get_profile(profile)
        self.perform = perform
        self.profile = profile
        self.ssl_context = ssl_context
        self.response_timeout = response_timeout
        self.script_timeout = script_timeout
        self.idle_timeout = max(response_timeout, script_timeout) + 5.0
        self.max_body = max_body
        self.on_session_start = on_session_start
        self.on_session_end = on_session_end
        self.sessions: dict[str, ServerSession] = {}
        self._lock = threading.Lock()
        self._connections: set[socket.socket] = set()
        self._threads: list[threading.Thread] = []
        self._thread: threading.Thread | None = None
        server_class = _HTTPServer
        if ":" in host:
            server_class = type("_HTTPServer6", (_HTTPServer,), {"address_family": socket.AF_INET6})
        self._httpd = server_class((host, port), _Handler)
        self._httpd.owner = self

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        scheme = "https" if self.ssl_context is not None else "http"
        return f"{scheme}://{f'[{host}]' if ':' in host else host}:{port}"

    def serve_forever(self) -> None:
        self._httpd.serve_forever(poll_interval=0.05)

    def start(self) -> ScriptServer:
        self._thread = threading.Thread(target=self.serve_forever, name="jcsim-ram-server",
                                        daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving; open sessions end with ``RemoteClosedError`` in their scripts."""
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()
        with self._lock:
            sessions = list(self.sessions.values())
            connections = list(self._connections)
        for session in sessions:
            session._stop("the server is shutting down")
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout=2.0)

    def __enter__(self) -> ScriptServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- requests ----------------------------------------------------------------------------

    def _reply(self, h: _Handler, status: int, text: str = "", *, body: bytes | None = None,
               extra: list[tuple[str, str]] | None = None, close: bool = False) -> None:
        payload = body if body is not None else text.encode("utf-8")
        h.send_response(status)
        for name, value in extra or []:
            h.send_header(name, value)
        if status != 204:
            if body is None and payload:
                h.send_header("Content-Type", "text/plain; charset=utf-8")
            h.send_header("Content-Length", str(len(payload)))
        if close:
            h.send_header("Connection", "close")
            h.close_connection = True
        h.end_headers()
        if status != 204 and payload:
            h.wfile.write(payload)
        h.wfile.flush()

    def _read_body(self, h: _Handler) -> bytes | tuple[int, str]:
        if "chunked" in h.headers.get("Transfer-Encoding", "").lower():
            reader = ChunkedReader(self.max_body)
            while (want := reader.wants()) is not None:
                kind, size = want
                reader.give(h.rfile.readline(size) if kind == "line" else h.rfile.read(size))
            if reader.error is not None:
                return (400, f"bad chunked body: {reader.error}")
            return reader.body
        text = h.headers.get("Content-Length", "0").strip() or "0"
        if not text.isdigit():
            return (400, f"bad Content-Length: {text[:20]!r}")
        length = int(text)
        if length > self.max_body:
            return (413, f"the body exceeds {self.max_body} bytes")
        body = h.rfile.read(length)
        if len(body) != length:
            return (400, "the body ended early")
        return body

    def _allowed(self, name: str) -> bool:
        return self.profile in ("auto", name)

    def _handle(self, h: _Handler) -> None:
        body = self._read_body(h)
        if isinstance(body, tuple):
            self._reply(h, body[0], body[1], close=True)
            return
        parts = urlsplit(h.path)
        query = parse_qs(parts.query)
        cookies = _cookies(h.headers.get_all("Cookie") or [])
        sid = (query.get(SESSION_PARAM) or [None])[0]
        agent = h.headers.get(H_FROM)
        if body[:1] == b"\xe8":
            if not self._allowed("openscdp"):
                self._reply(h, 400, "this server does not speak the openscdp profile")
                return
            init = decode_initiation(body)
            if isinstance(init, FormatError):
                self._reply(h, 400, f"bad initiation template: {init.detail}")
                return
            session = self._new_session(get_profile("openscdp"), parts.path, init.atr, agent,
                                        cookies.get(COOKIE_NAME))
            self._await_and_reply(h, session)
            return
        if sid is None:
            sid = cookies.get(COOKIE_NAME)
        with self._lock:
            session = self.sessions.get(sid) if sid is not None else None
        if session is None:
            if sid is None and not body and self._allowed("gp-amd-b"):
                session = self._new_session(get_profile("gp-amd-b"), parts.path, None, agent,
                                            None)
                self._await_and_reply(h, session)
            elif sid is not None:
                self._reply(h, 404, f"no session {sid[:40]!r} (it ended or never existed)")
            else:
                self._reply(h, 400, "not a RAM over HTTP request")
            return
        if session.profile.session_carrier == "next-uri":
            step = (query.get("step") or [""])[0]
            if step != str(session.step):
                self._reply(h, 409, f"expected step {session.step}, not {step[:20]!r}")
                return
            status = (h.headers.get(H_SCRIPT_STATUS) or "ok").strip()
            answer = _Answer(decode_response_script(body, session.profile) if body else None,
                             status)
        else:
            answer = _Answer(decode_response_script(body, session.profile))
        if not session._deliver(answer):
            self._reply(h, 409, "the session is not waiting for an answer")
            return
        self._await_and_reply(h, session)

    def _new_session(self, profile: Profile, path: str, atr: bytes | None, agent: str | None,
                     wanted_id: str | None) -> ServerSession:
        with self._lock:
            sid = wanted_id if wanted_id and _ID.fullmatch(wanted_id) and \
                wanted_id not in self.sessions else secrets.token_urlsafe(16)
            session = ServerSession(self, sid, profile, path or "/", atr, agent)
            self.sessions[sid] = session
        session.thread = threading.Thread(target=self._run, args=(session,),
                                          name=f"jcsim-ram-{sid[:8]}", daemon=True)
        with self._lock:
            self._threads = [t for t in self._threads if t.is_alive()] + [session.thread]
        if self.on_session_start is not None:
            self.on_session_start(session)
        session.thread.start()
        return session

    def _run(self, session: ServerSession) -> None:
        end = _End(204)
        try:
            self.perform(session, session.path_info)
        except RemoteClosedError as exc:
            session.error = exc
            log.info("session %s: %s", session.id, exc)
        except Exception as exc:  # the script's own failure ends its session with 500
            session.error = exc
            log.warning("session %s: the script failed", session.id, exc_info=True)
            end = _End(500, f"the script failed: {type(exc).__name__}: {exc}")
        finally:
            session._close("the script has ended")
            with self._lock:
                self.sessions.pop(session.id, None)
            # The hook runs before the client hears that the session is over.
            if self.on_session_end is not None:
                try:
                    self.on_session_end(session)
                except Exception:  # a broken hook must not keep the client waiting
                    log.warning("on_session_end failed", exc_info=True)
            session._outbox.put(end)

    def _await_and_reply(self, h: _Handler, session: ServerSession) -> None:
        outgoing = session._next_outgoing(self.script_timeout)
        if outgoing is None:
            session._stop(f"the script sent nothing within {self.script_timeout:g} s")
            with self._lock:
                self.sessions.pop(session.id, None)
            self._reply(h, 504, "the script did not send its next command in time")
            return
        protocol = [(H_PROTOCOL, session.profile.protocol)]
        if isinstance(outgoing, _End):
            if outgoing.status == 204:
                self._reply(h, 204, extra=protocol)
            else:
                self._reply(h, outgoing.status, outgoing.message, extra=protocol)
            return
        headers = [("Content-Type", session.profile.script_content_type)] + protocol
        if session.profile.session_carrier == "next-uri":
            headers.append((H_NEXT_URI, f"{session.path_info}?{SESSION_PARAM}={session.id}"
                                        f"&step={session.step}"))
            target = session.targeted_application
            if target is not None and len(target) > 5:
                headers.append((H_TARGETED, f"//aid/{target[:5].hex().upper()}/"
                                            f"{target[5:].hex().upper()}"))
        else:
            headers.append(("Set-Cookie", f"{COOKIE_NAME}={session.id}; Path=/; HttpOnly"))
        self._reply(h, 200, body=encode_command_script(outgoing), extra=headers)


def _cookies(values: list[str]) -> dict[str, str]:
    found = {}
    for value in values:
        for part in value.split(";"):
            name, sep, text = part.strip().partition("=")
            if sep and name:
                found.setdefault(name, text.strip())
    return found
