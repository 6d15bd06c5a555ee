"""The client side of a RAM over HTTP session, as a sans-IO state machine.

Theory of operation. The adapter (``jcsim.remote.client``) owns the connection and the card;
this machine owns every protocol decision. The adapter asks it for the first request, sends
it, and hands back each HTTP answer; the machine answers with one event:

- ``RunScript``: run these items on the card, then call ``answer()`` with the results (unless
  ``final``: an Amendment B script that came without X-Admin-Next-URI runs, but its results are
  never posted);
- ``Send``: post this request without touching the card (Amendment B: a 204 or an empty 200 that
  names a next URI, or the bad-format answer to a malformed template; OpenSCDP: the close that
  answers a malformed template). When ``ending`` is set, the session ends after the server's
  reply to it, whatever that reply is;
- ``Ended``: the session is over, with its ``Outcome``.

``fail()`` is for the adapter's own trouble (the transport broke, the answer was too big): it
gives the close request where the profile has one (OpenSCDP, once the session exists) and the
final ``Ended``. ``abort()`` ends without posting (the server closed with E1, or notified with
a negative id).

States: idle -> waiting <-> running, then closing (one last reply to read) or done. The inputs
each state accepts are in ``_ACCEPTS``; any other call raises ``RemoteError`` and changes
nothing.
"""

from __future__ import annotations

import enum
from urllib.parse import urlsplit

import attrs

from jcsim.remote.codec import (
    Close,
    CommandScript,
    FormatError,
    Initiation,
    Profile,
    ResponseScript,
    decode_command_script,
    encode_initiation,
    encode_response_script,
    get_profile,
)
from jcsim.remote.errors import RemoteError, RemoteUsageError

__all__ = [
    "ClientProtocol", "Ended", "HTTPRequest", "Outcome", "RunScript", "Send", "parse_target_aid",
]

H_PROTOCOL = "X-Admin-Protocol"
H_FROM = "X-Admin-From"
H_NEXT_URI = "X-Admin-Next-URI"
H_SCRIPT_STATUS = "X-Admin-Script-Status"
H_TARGETED = "X-Admin-Targeted-Application"

DEFAULT_AGENT_ID = "jcsim"


class Outcome(enum.Enum):
    """How a session ended."""

    COMPLETED = "completed"              # the server ended it normally (204)
    ABORTED = "aborted"                  # the server aborted: HTTP error, E1 close, negative notify
    TRANSPORT_ERROR = "transport-error"  # connection, TLS or timeout trouble
    PROTOCOL_ERROR = "protocol-error"    # the server sent something unusable
    CARD_ERROR = "card-error"            # the simulated card failed (lost power...)


@attrs.frozen
class HTTPRequest:
    method: str
    target: str
    headers: tuple[tuple[str, str], ...]
    body: bytes


@attrs.frozen
class RunScript:
    script: CommandScript
    target_aid: bytes | None  # Amendment B X-Admin-Targeted-Application, decoded
    final: bool


@attrs.frozen
class Ended:
    outcome: Outcome
    detail: str


@attrs.frozen
class Send:
    request: HTTPRequest
    ending: Ended | None = None


_ACCEPTS = {
    "idle": {"start", "fail"},
    "waiting": {"receive", "fail"},
    "running": {"answer", "abort", "fail"},
    "closing": {"receive", "fail"},
    "done": set(),
}

_STATUS_MEANING = {
    404: "the URL names no RAM over HTTP service",
    504: "the server gave up waiting for its script",
}


def _valid_header_value(value: str) -> bool:
    # HTTP header values jcsim sends are ASCII: anything else cannot go back on the wire.
    return value.isascii() and value.isprintable() and "\r" not in value and "\n" not in value


def parse_target_aid(value: str) -> bytes | None:
    """``//aid/<RID>/<PIX>`` (hex, RID 5 bytes) as AID bytes; None when it is not that form."""
    parts = value.strip().split("/")
    if len(parts) != 5 or parts[:3] != ["", "", "aid"]:
        return None
    try:
        rid, pix = bytes.fromhex(parts[3]), bytes.fromhex(parts[4])
    except ValueError:
        return None
    if len(rid) != 5 or len(rid) + len(pix) > 16:
        return None
    return rid + pix


def _cookie_pair(text: str) -> tuple[str, str] | None:
    first = text.split(";", 1)[0].strip()
    name, sep, value = first.partition("=")
    if not sep or not name.strip() or not _valid_header_value(first):
        return None
    return name.strip(), value.strip()


class ClientProtocol:
    """One session's protocol state (see the module docstring)."""

    def __init__(self, profile: Profile | str, url: str, *, agent_id: str | None = None,
                 cookie: str | None = None) -> None:
        self.profile = get_profile(profile)
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise RemoteUsageError(f"not an http or https URL: {url!r}")
        self._origin = (parts.scheme, parts.netloc.lower())
        self._first_target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        self._target = self._first_target
        if agent_id is None and self.profile.session_carrier == "next-uri":
            agent_id = DEFAULT_AGENT_ID
        if agent_id is not None and not _valid_header_value(agent_id):
            raise RemoteUsageError(f"the agent id {agent_id!r} cannot go in an HTTP header")
        self.agent_id = agent_id
        self.cookies: dict[str, str] = {}
        if cookie:
            pair = _cookie_pair(cookie if "=" in cookie else f"JSESSIONID={cookie}")
            if pair is None:
                raise RemoteUsageError(f"not a usable session cookie: {cookie!r}")
            self.cookies[pair[0]] = pair[1]
        self.state = "idle"
        self.established = False
        self.round_trips = 0
        self.last_status: int | None = None
        self.format_errors: list[str] = []
        self._pending_end: Ended | None = None

    # --- the state table ---------------------------------------------------------------------

    def _enter(self, action: str) -> None:
        if action not in _ACCEPTS[self.state]:
            raise RemoteError(f"{action}() is not allowed while the session is {self.state}")

    # --- requests ----------------------------------------------------------------------------

    def _request(self, body: bytes, *, script_status: str | None = None) -> HTTPRequest:
        headers = [(H_PROTOCOL, self.profile.protocol)]
        if self.agent_id is not None:
            headers.append((H_FROM, self.agent_id))
        if body:
            headers.append(("Content-Type", self.profile.request_content_type))
        if script_status is not None:
            headers.append((H_SCRIPT_STATUS, script_status))
        if self.profile.session_carrier == "cookie":
            headers.append(("Accept", "*/*"))
        if self.cookies:
            headers.append(("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items())))
        return HTTPRequest("POST", self._target, tuple(headers), body)

    def start(self, atr: bytes, *, max_capdu: int | None = None,
              max_rapdu: int | None = None) -> HTTPRequest:
        """The first POST: E8 with the ATR (OpenSCDP) or no body at all (Amendment B)."""
        self._enter("start")
        self.state = "waiting"
        if self.profile.initiation:
            return self._request(encode_initiation(Initiation(atr, max_capdu, max_rapdu)))
        return self._request(b"")

    def answer(self, response: ResponseScript | None, *, script_status: str = "ok",
               ending: Ended | None = None) -> HTTPRequest:
        """The POST carrying the results of the script just run. Amendment B sends a status
        other than ``ok`` without a body (``response`` is then ignored)."""
        self._enter("answer")
        self.state = "waiting" if ending is None else "closing"
        self._pending_end = ending
        if self.profile.session_carrier == "next-uri":
            if script_status != "ok" or response is None:
                return self._request(b"", script_status=script_status)
            return self._request(encode_response_script(response, self.profile),
                                 script_status="ok")
        return self._request(encode_response_script(response or ResponseScript((), 0),
                                                     self.profile))

    def abort(self, outcome: Outcome, detail: str) -> Ended:
        """End without posting anything more."""
        self._enter("abort")
        self.state = "done"
        return Ended(outcome, detail)

    def fail(self, outcome: Outcome, detail: str) -> tuple[HTTPRequest | None, Ended]:
        """The adapter's own failure: the close to attempt (if the profile has one and a
        session exists) and how the session ended."""
        self._enter("fail")
        if self.state == "closing" and self._pending_end is not None:
            # The session was ending anyway; the failed request was its last word.
            self.state = "done"
            return None, self._pending_end
        close = None
        if self.profile.has_close and self.established and self.state != "idle":
            close = self._request(encode_response_script(
                ResponseScript((Close(detail),), 0), self.profile))
        self.state = "done"
        return close, Ended(outcome, detail)

    # --- answers -----------------------------------------------------------------------------

    def receive(self, status: int, headers: list[tuple[str, str]],
                body: bytes) -> RunScript | Send | Ended:
        """What to do with the server's answer to the last request."""
        self._enter("receive")
        self.round_trips += 1
        self.last_status = status
        self.established = True
        if self.state == "closing":
            self.state = "done"
            assert self._pending_end is not None
            return self._pending_end
        if self.profile.session_carrier == "cookie":
            for name, value in headers:
                if name.lower() == "set-cookie":
                    pair = _cookie_pair(value)
                    if pair is not None:
                        self.cookies[pair[0]] = pair[1]
            return self._receive_openscdp(status, body)
        return self._receive_amd_b(status, headers, body)

    def _http_error(self, status: int) -> Ended:
        self.state = "done"
        meaning = _STATUS_MEANING.get(status, "")
        return Ended(Outcome.ABORTED, f"the server answered HTTP {status}"
                                      + (f" ({meaning})" if meaning else ""))

    def _protocol_error(self, detail: str) -> Send | Ended:
        """OpenSCDP: close the session cleanly and end with a protocol error."""
        self.format_errors.append(detail)
        close, ended = self.fail(Outcome.PROTOCOL_ERROR, detail) if self.state == "waiting" \
            else (None, Ended(Outcome.PROTOCOL_ERROR, detail))
        if close is None:
            return ended
        self.state = "closing"
        self._pending_end = ended
        return Send(close, ended)

    def _receive_openscdp(self, status: int, body: bytes) -> RunScript | Send | Ended:
        if status == 204:
            self.state = "done"
            return Ended(Outcome.COMPLETED, "the server ended the session (204)")
        if status != 200:
            return self._http_error(status)
        if not body:
            return self._protocol_error("the server answered 200 without a script")
        script = decode_command_script(body, self.profile)
        if isinstance(script, FormatError):
            return self._protocol_error(f"bad command template: {script.detail}")
        self.state = "running"
        return RunScript(script, None, final=False)

    def _next_uri(self, headers: list[tuple[str, str]]) -> str | FormatError | None:
        values = [v.strip() for k, v in headers if k.lower() == H_NEXT_URI.lower()]
        if not values or not values[-1]:
            return None
        value = values[-1]
        if not value.isascii() or not value.isprintable() or " " in value:
            return FormatError(2, f"unusable {H_NEXT_URI}: {value!r}")
        if value.startswith("/") and not value.startswith("//"):
            return value
        parts = urlsplit(value)
        if (parts.scheme, parts.netloc.lower()) != self._origin:
            return FormatError(2, f"{H_NEXT_URI} leaves the server: {value!r}")
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def _receive_amd_b(self, status: int, headers: list[tuple[str, str]],
                       body: bytes) -> RunScript | Send | Ended:
        if status not in (200, 204):
            return self._http_error(status)
        next_uri = self._next_uri(headers)
        if isinstance(next_uri, FormatError):
            self.format_errors.append(next_uri.detail)
            self.state = "done"
            return Ended(Outcome.PROTOCOL_ERROR, next_uri.detail)
        if next_uri is not None:
            self._target = next_uri
        if status == 204 or not body:
            if next_uri is None:
                self.state = "done"
                return Ended(Outcome.COMPLETED, f"the server ended the session ({status})")
            return Send(self._request(b""))
        script = decode_command_script(body, self.profile)
        if isinstance(script, FormatError):
            self.format_errors.append(f"bad command template: {script.detail}")
            if next_uri is None:
                self.state = "done"
                return Ended(Outcome.PROTOCOL_ERROR, f"bad command template: {script.detail}")
            return Send(self._request(encode_response_script(script.response(), self.profile),
                                      script_status="ok"))
        target = None
        for name, value in headers:
            if name.lower() == H_TARGETED.lower():
                target = parse_target_aid(value) or b""
        self.state = "done" if next_uri is None else "running"
        return RunScript(script, target, final=next_uri is None)
