"""A simulated card as the client of a RAM over HTTP server: ``run_session``.

The thin adapter around ``client_protocol.ClientProtocol``: it owns the HTTP connection
(``_http_client``, framed by h11; HTTPS verified with ``ssl.create_default_context``) and runs
each command template on the ``Simulator``. A template always runs to its end (or to the
profile's stop point) before anything is sent, so a transport failure never leaves the card
mid-command.

Whatever the server does, ``run_session`` returns a ``SessionReport``: a connection that fails,
a reply cut short or not HTTP, a body past ``max_body``, a header that cannot be used, a server
that trickles bytes past the session's one deadline: each ends the session with its outcome and
a reason. Only unusable arguments raise (``RemoteUsageError``).
"""

from __future__ import annotations

import logging
import ssl
import time
from collections.abc import Callable
from urllib.parse import urlsplit

import attrs

from jcsim.errors import JCSimError
from jcsim.remote._http_client import BodyTooLargeError, Connection, TransportError
from jcsim.remote.client_protocol import (
    ClientProtocol,
    Ended,
    HTTPRequest,
    Outcome,
    RunScript,
    Send,
)
from jcsim.remote.codec import (
    ATR,
    CAPDU,
    RAPDU,
    ActionResponse,
    Close,
    CommandScript,
    Directive,
    Notify,
    Profile,
    Reset,
    ResponseScript,
)
from jcsim.remote.errors import RemoteUsageError
from jcsim.simulator import Simulator, aid_bytes

__all__ = ["CardReset", "Outcome", "RemoteExchange", "SessionReport", "run_session"]

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 40.0  # seconds per request, as CardContact's ram-client
DEFAULT_SESSION_TIMEOUT = 600.0  # seconds for a whole session
_CLOSE_GRACE = 5.0  # at most this long to deliver the close of a failed session
DEFAULT_MAX_BODY = 1 << 20
DEFAULT_MAX_ROUND_TRIPS = 100_000


@attrs.frozen
class RemoteExchange:
    """A C-APDU the server sent and the card's answer (data + SW)."""

    command: bytes
    response: bytes

    @property
    def sw(self) -> int:
        return (self.response[-2] << 8) | self.response[-1]


@attrs.frozen
class CardReset:
    """The server reset the card; ``atr`` is what the card answered."""

    atr: bytes


Event = RemoteExchange | CardReset | Notify


@attrs.frozen
class SessionReport:
    """How a session went: its ``outcome`` (``Outcome``), why, and what happened in order."""

    outcome: Outcome
    detail: str
    profile: str
    events: tuple[Event, ...]
    round_trips: int
    http_status: int | None
    format_errors: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.outcome is Outcome.COMPLETED

    @property
    def exchanges(self) -> tuple[RemoteExchange, ...]:
        return tuple(e for e in self.events if isinstance(e, RemoteExchange))

    @property
    def notifications(self) -> tuple[Notify, ...]:
        return tuple(e for e in self.events if isinstance(e, Notify))


@attrs.define
class _Run:
    """What running one template produced."""

    response: ResponseScript
    stop: Ended | None = None      # end without posting (server close, abort notify)
    ending: Ended | None = None    # post the response, then end (card failure)


def _execute(sim: Simulator, script: CommandScript, profile: Profile,
             record: Callable[[Event], None]) -> _Run:
    items: list = []
    executed = 0
    for item in script.items:
        if isinstance(item, Close):
            return _Run(ResponseScript(items, executed),
                        stop=Ended(Outcome.ABORTED, f"the server closed the session: "
                                                    f"{item.message or '(no reason)'}"))
        if isinstance(item, Notify):
            record(item)
            if item.id < 0:
                return _Run(ResponseScript(items, executed),
                            stop=Ended(Outcome.ABORTED, f"the server aborted with notification "
                                                        f"{item.id}: {item.message}"))
            continue
        if isinstance(item, Directive):
            if item.tag == 0x83:
                # Script chaining is not supported by this card: say so (TS 102 226 '02').
                items.append(ActionResponse(0x83, b"\x02"))
            continue
        try:
            if isinstance(item, Reset):
                atr = sim.reset()
                record(CardReset(atr))
                items.append(ATR(atr))
                continue
            assert isinstance(item, CAPDU)
            raw = bytes(sim.transmit(item.apdu))
        except JCSimError as exc:
            detail = f"the card failed: {exc}"
            if profile.has_close:
                items.append(Close(detail))
            return _Run(ResponseScript(items, executed), ending=Ended(Outcome.CARD_ERROR, detail))
        executed += 1
        record(RemoteExchange(item.apdu, raw))
        items.append(RAPDU(raw))
        if profile.stops_after((raw[-2] << 8) | raw[-1]):
            break
    return _Run(ResponseScript(items, executed))


def _tls_context(cafile: str | None) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=cafile)


def run_session(sim: Simulator, url: str, *, profile: str | Profile = "openscdp",
                agent_id: str | None = None, cookie: str | None = None,
                targeted_application: bytes | str | None = None,
                timeout: float = DEFAULT_TIMEOUT,
                session_timeout: float = DEFAULT_SESSION_TIMEOUT, cafile: str | None = None,
                ssl_context: ssl.SSLContext | None = None, max_body: int = DEFAULT_MAX_BODY,
                max_round_trips: int = DEFAULT_MAX_ROUND_TRIPS,
                on_event: Callable[[Event], None] | None = None) -> SessionReport:
    """Connect ``sim`` to the RAM over HTTP server at ``url`` and run the session to its end.

    ``profile`` is ``"openscdp"`` (E8 first, one URL and a session cookie, every item runs) or
    ``"gp-amd-b"`` (empty first POST, X-Admin-Next-URI, stop at the first error status).
    ``agent_id`` goes in X-Admin-From; ``cookie`` (``name=value``, or a bare id sent as
    ``JSESSIONID``) joins an existing session; ``targeted_application`` is an AID selected on
    the card before the session starts, and the default target for Amendment B scripts.
    HTTPS verifies the server against the system's CAs or ``cafile``. ``on_event`` is called
    with each exchange, reset and notification as it happens.

    ``timeout`` bounds each request and its whole reply (not each read); ``session_timeout``
    bounds the whole session; ``max_body`` bounds each reply's body, checked before it is read.

    Returns a ``SessionReport``; raises ``RemoteUsageError`` only for unusable arguments.
    """
    if not timeout > 0 or not session_timeout > 0 or max_body < 0:
        raise RemoteUsageError("timeouts must be positive and max_body not negative")
    protocol = ClientProtocol(profile, url, agent_id=agent_id, cookie=cookie)
    prof = protocol.profile
    if ssl_context is None and urlsplit(url).scheme == "https":
        ssl_context = _tls_context(cafile)
    events: list[Event] = []

    def record(event: Event) -> None:
        events.append(event)
        if on_event is not None:
            on_event(event)

    current_target: bytes | None = None
    if targeted_application is not None:
        current_target = aid_bytes(targeted_application)
        selected = sim.select(current_target)
        if selected.sw != 0x9000:
            raise RemoteUsageError(f"the targeted application {current_target.hex().upper()} "
                                   f"cannot be selected: {selected.sw:04X}")

    def report(ended: Ended) -> SessionReport:
        log.info("session ended: %s (%s)", ended.outcome.value, ended.detail)
        return SessionReport(ended.outcome, ended.detail, prof.name, tuple(events),
                             protocol.round_trips, protocol.last_status,
                             tuple(protocol.format_errors))

    transport = Connection(url, ssl_context, max_body)
    session_deadline = time.monotonic() + session_timeout

    def failed(outcome: Outcome, detail: str) -> SessionReport:
        close, ended = protocol.fail(outcome, detail)
        _try_close(transport, close, timeout)
        return report(ended)

    request = protocol.start(sim.atr)
    try:
        while True:
            if protocol.round_trips >= max_round_trips:
                return failed(Outcome.PROTOCOL_ERROR, f"more than {max_round_trips} round trips")
            now = time.monotonic()
            if now >= session_deadline:
                return failed(Outcome.TRANSPORT_ERROR,
                              f"the session did not end within {session_timeout:g} s")
            deadline = min(now + timeout, session_deadline)
            try:
                status, headers, body = transport.exchange(request, deadline)
            except BodyTooLargeError as exc:
                return failed(Outcome.PROTOCOL_ERROR, str(exc))
            except UnicodeEncodeError:
                return failed(Outcome.PROTOCOL_ERROR,
                              "the server asked for a request that is not ASCII")
            except TransportError as exc:
                detail = str(exc)
                if isinstance(exc.__cause__, TimeoutError) and deadline == session_deadline:
                    detail = f"the session did not end within {session_timeout:g} s"
                return failed(Outcome.TRANSPORT_ERROR, detail)
            event = protocol.receive(status, headers, body)
            if isinstance(event, Ended):
                return report(event)
            if isinstance(event, Send):
                request = event.request
                continue
            assert isinstance(event, RunScript)
            status_text = "ok"
            run = None
            if event.target_aid is not None and event.target_aid != current_target:
                if event.target_aid and sim.select(event.target_aid).sw == 0x9000:
                    current_target = event.target_aid
                else:
                    status_text = "unknown-application"
            if status_text == "ok":
                run = _execute(sim, event.script, prof, record)
                if run.stop is not None:
                    return report(protocol.abort(run.stop.outcome, run.stop.detail))
            if event.final:
                if run is not None and run.ending is not None:
                    return report(run.ending)
                return report(Ended(Outcome.COMPLETED, "the server's last script ran "
                                                       "(no X-Admin-Next-URI)"))
            request = protocol.answer(None if run is None else run.response,
                                      script_status=status_text,
                                      ending=None if run is None else run.ending)
    finally:
        transport.close()


def _try_close(transport: Connection, close: HTTPRequest | None, timeout: float) -> None:
    """Best effort: tell the server the session is over; its answer does not matter."""
    if close is None:
        return
    transport.close()
    try:
        transport.exchange(close, time.monotonic() + min(timeout, _CLOSE_GRACE))
    except (TransportError, BodyTooLargeError, UnicodeEncodeError) as exc:
        log.info("the close could not be delivered: %s", exc)
