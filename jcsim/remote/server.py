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
``_http_server`` (h11 framing, bounded connections, idle timeouts); every decision about
template bytes is in ``codec``. At most ``max_sessions`` scripts run at once: a new session past
that is answered 503.
"""

from __future__ import annotations

import logging
import re
import secrets
import ssl
import threading
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

from jcsim.remote._http_server import HTTPListener, Incoming, Reply
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
                 max_body: int = 1 << 20, max_connections: int = 64,
                 max_sessions: int = 64, idle_timeout: float = 30.0,
                 on_session_start: Callable[[ServerSession], None] | None = None,
                 on_session_end: Callable[[ServerSession], None] | None = None) -> None:
        if profile != "auto":
            get_profile(profile)
        if max_sessions < 1:
            raise ValueError("max_sessions must be at least 1")
        self.perform = perform
        self.profile = profile
        self.ssl_context = ssl_context
        self.response_timeout = response_timeout
        self.script_timeout = script_timeout
        self.idle_timeout = idle_timeout
        self.max_body = max_body
        self.max_sessions = max_sessions
        self.on_session_start = on_session_start
        self.on_session_end = on_session_end
        self.sessions: dict[str, ServerSession] = {}
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._thread: threading.Thread | None = None
        self._listener = HTTPListener(host, port, self._handle, ssl_context=ssl_context,
                                      max_connections=max_connections,
                                      idle_timeout=idle_timeout, max_body=max_body)

    @property
    def url(self) -> str:
        host, port = self._listener.address[:2]
        scheme = "https" if self.ssl_context is not None else "http"
        return f"{scheme}://{f'[{host}]' if ':' in host else host}:{port}"

    def serve_forever(self) -> None:
        self._listener.serve_forever(poll_interval=0.05)

    def start(self) -> ScriptServer:
        self._thread = threading.Thread(target=self.serve_forever, name="jcsim-ram-server",
                                        daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving; open sessions end with ``RemoteClosedError`` in their scripts."""
        if self._thread is not None:
            self._listener.shutdown()
            self._thread.join()
            self._thread = None
        with self._lock:
            sessions = list(self.sessions.values())
        for session in sessions:
            session._stop("the server is shutting down")
        self._listener.close()
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(timeout=2.0)

    @property
    def open_connections(self) -> int:
        return self._listener.open_connections

    def __enter__(self) -> ScriptServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- requests ----------------------------------------------------------------------------

    def _allowed(self, name: str) -> bool:
        return self.profile in ("auto", name)

    def _handle(self, request: Incoming) -> Reply:
        """The answer to one complete POST (the HTTP layer has checked method and size)."""
        body = request.body
        parts = urlsplit(request.target)
        query = parse_qs(parts.query)
        cookies = _cookies(request.header_all("Cookie"))
        sids = query.get(SESSION_PARAM)
        sid = sids[0] if sids else None
        agent = request.header(H_FROM)
        if body[:1] == b"\xe8":
            if not self._allowed("openscdp"):
                return Reply.text(400, "this server does not speak the openscdp profile")
            init = decode_initiation(body)
            if isinstance(init, FormatError):
                return Reply.text(400, f"bad initiation template: {init.detail}")
            session = self._new_session(get_profile("openscdp"), parts.path, init.atr, agent,
                                        cookies.get(COOKIE_NAME))
            return self._await_reply(session)
        if sid is None:
            sid = cookies.get(COOKIE_NAME)
        with self._lock:
            session = self.sessions.get(sid) if sid is not None else None
        if session is None:
            if sid is None and not body and self._allowed("gp-amd-b"):
                session = self._new_session(get_profile("gp-amd-b"), parts.path, None, agent,
                                            None)
                return self._await_reply(session)
            if sid is not None:
                return Reply.text(404, f"no session {sid[:40]!r} (it ended or never existed)")
            return Reply.text(400, "not a RAM over HTTP request")
        if session.profile.session_carrier == "next-uri":
            step = (query.get("step") or [""])[0]
            if step != str(session.step):
                return Reply.text(409, f"expected step {session.step}, not {step[:20]!r}")
            status = (request.header(H_SCRIPT_STATUS) or "ok").strip()
            answer = _Answer(decode_response_script(body, session.profile) if body else None,
                             status)
        else:
            answer = _Answer(decode_response_script(body, session.profile))
        if not session._deliver(answer):
            return Reply.text(409, "the session is not waiting for an answer")
        return self._await_reply(session)

    def _new_session(self, profile: Profile, path: str, atr: bytes | None, agent: str | None,
                     wanted_id: str | None) -> ServerSession | None:
        with self._lock:
            if len(self.sessions) >= self.max_sessions:
                return None
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

    def _await_reply(self, session: ServerSession | None) -> Reply:
        if session is None:
            return Reply.text(503, f"{self.max_sessions} sessions are running; try later",
                              headers=(("Retry-After", "1"),))
        outgoing = session._next_outgoing(self.script_timeout)
        if outgoing is None:
            session._stop(f"the script sent nothing within {self.script_timeout:g} s")
            with self._lock:
                self.sessions.pop(session.id, None)
            return Reply.text(504, "the script did not send its next command in time")
        protocol = ((H_PROTOCOL, session.profile.protocol),)
        if isinstance(outgoing, _End):
            if outgoing.status == 204:
                return Reply(204, headers=protocol)
            return Reply.text(outgoing.status, outgoing.message, headers=protocol)
        headers = [("Content-Type", session.profile.script_content_type), *protocol]
        if session.profile.session_carrier == "next-uri":
            headers.append((H_NEXT_URI, f"{session.path_info}?{SESSION_PARAM}={session.id}"
                                        f"&step={session.step}"))
            target = session.targeted_application
            if target is not None and len(target) > 5:
                headers.append((H_TARGETED, f"//aid/{target[:5].hex().upper()}/"
                                            f"{target[5:].hex().upper()}"))
        else:
            headers.append(("Set-Cookie", f"{COOKIE_NAME}={session.id}; Path=/; HttpOnly"))
        return Reply(200, encode_command_script(outgoing), tuple(headers))


def _cookies(values: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for value in values:
        for part in value.split(";"):
            name, sep, text = part.strip().partition("=")
            if sep and name:
                found.setdefault(name, text.strip())
    return found
