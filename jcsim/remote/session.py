"""One scripting-server session as the script sees it: ``ServerSession`` and its
``RemoteCard``.

Theory of operation. The script runs in its own thread; the HTTP side (``jcsim.remote.server``)
runs in the connection threads. They meet in two queues: each card call puts one command
template in ``_outbox`` (the pending POST takes it as its answer) and waits on ``_inbox`` for the
client's next POST, which the HTTP side decodes and ``_deliver``s. The session's state is
``running`` (the script is computing), ``sent`` (a template is out, an answer is awaited) or
``closed``; ``_deliver`` only accepts an answer in ``sent``, so a stray or replayed POST cannot
reach the script. A missing answer after ``response_timeout`` closes the session and raises
``RemoteTimeoutError`` in the script.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from jcsim.apdu import CommandAPDU, Response, parse_hex
from jcsim.remote.codec import (
    ATR,
    CAPDU,
    Close,
    CommandItem,
    CommandScript,
    FormatError,
    Notify,
    Profile,
    Reset,
    ResponseScript,
)
from jcsim.remote.errors import (
    RemoteClosedError,
    RemoteError,
    RemoteProtocolError,
    RemoteTimeoutError,
    ScriptStatusError,
    UnexpectedSWError,
)

if TYPE_CHECKING:
    from jcsim.remote.server import ScriptServer

__all__ = ["RemoteCard", "ServerSession"]

_STOP = object()



@attrs.frozen
class _Answer:
    response: ResponseScript | FormatError | None
    script_status: str = "ok"


@attrs.frozen
class _End:
    status: int
    message: str = ""


def _apdu_bytes(apdu: bytes | bytearray | str | CommandAPDU) -> bytes:
    return parse_hex(apdu) if isinstance(apdu, str) else bytes(apdu)


class RemoteCard:
    """The card at the other end of a session (``session.card``)."""

    def __init__(self, session: ServerSession) -> None:
        self._session = session
        self.SW: int | None = None  # the last status word, as scsh's ``card.SW``

    def transmit(self, apdu: bytes | bytearray | str | CommandAPDU) -> Response:
        """Send one command APDU; returns the card's ``Response``."""
        return self.transmit_all([apdu])[0]

    def transmit_all(self,
                     apdus: Iterable[bytes | bytearray | str | CommandAPDU]) -> list[Response]:
        """Send several APDUs in one template; the responses of those the client ran (an
        Amendment B client stops after an error status word)."""
        items = [CAPDU(_apdu_bytes(apdu)) for apdu in apdus]
        answer = self._session._exchange(items)
        responses = [Response.from_bytes(r.response) for r in answer.rapdus]
        if not responses:
            raise RemoteProtocolError("the client answered a C-APDU without an R-APDU")
        self.SW = responses[-1].sw
        return responses

    # The Smart Card Shell name, so seed scripts written for scsh run unchanged.
    def sendApdu(self, cla: int, ins: int, p1: int, p2: int, *args: Any) -> bytes:  # noqa: N802
        """Mirrors scsh ``Card.sendApdu(cla, ins, p1, p2, [data], [le], [SWlist])``: returns
        the response data, keeps the status word in ``SW``, and raises ``UnexpectedSWError``
        when an expected-SW list is given and the status word is not in it."""
        data, ne, expected = b"", None, None
        for arg in args:
            if isinstance(arg, (bytes, bytearray, memoryview, str)):
                data = _apdu_bytes(arg) if isinstance(arg, str) else bytes(arg)
            elif isinstance(arg, int):
                ne = arg or 256
            elif isinstance(arg, (list, tuple, set, frozenset)):
                expected = list(arg)
            else:
                raise TypeError(f"sendApdu takes data, Le and an SW list, not {arg!r}")
        response = self.transmit(CommandAPDU(cla, ins, p1, p2, data, ne))
        if expected is not None and response.sw not in expected:
            wanted = ", ".join(f"{sw:04X}" for sw in expected)
            raise UnexpectedSWError(f"{cla:02X} {ins:02X} {p1:02X} {p2:02X} answered "
                                    f"{response.sw:04X}, expected {wanted}",
                                    response.sw, response.data)
        return response.data

    def reset(self) -> bytes:
        """Reset the remote card (OpenSCDP only); returns its ATR."""
        self._session._require_openscdp("reset")
        answer = self._session._exchange([Reset()])
        atrs = [item.atr for item in answer.items if isinstance(item, ATR)]
        if not atrs:
            raise RemoteProtocolError("the client answered a reset without an ATR")
        self._session.atr = atrs[-1]
        return atrs[-1]


class ServerSession:
    """One client's session, handed to ``perform``."""

    def __init__(self, server: ScriptServer, session_id: str, profile: Profile, path_info: str,
                 atr: bytes | None, agent_id: str | None) -> None:
        self.id = session_id
        self.profile = profile
        self.path_info = path_info
        self.atr = atr
        self.agent_id = agent_id
        self.card = RemoteCard(self)
        self.targeted_application: bytes | None = None  # Amendment B X-Admin-Targeted-Application
        self.error: BaseException | None = None
        self.closed_reason: str | None = None
        self.step = 0
        self._server = server
        self._lock = threading.Lock()
        self._state = "running"  # running -> sent -> running ...; closed
        self._inbox: queue.Queue[Any] = queue.Queue()
        self._outbox: queue.Queue[Any] = queue.Queue()
        self.thread: threading.Thread | None = None

    def __repr__(self) -> str:
        return f"<ServerSession {self.id} {self.profile.name} {self.path_info!r}>"

    def notify(self, id: int, message: str, time_to_completion: int | None = None) -> None:
        """Show ``message`` at the client (OpenSCDP only). A negative ``id`` asks the client to
        abort: the session ends at once, without waiting for an answer."""
        self._require_openscdp("notify")
        item = Notify(id, message, time_to_completion)
        if id < 0:
            self._send([item], wait=False)
            self._close(f"the script aborted the session with notification {id}: {message}")
            return
        self._exchange([item])

    # --- the script side ---------------------------------------------------------------------

    def _require_openscdp(self, what: str) -> None:
        if self.profile.name != "openscdp":
            raise RemoteError(f"{what} exists only in the openscdp profile, "
                              f"not {self.profile.name}")

    def _send(self, items: Sequence[CommandItem], *, wait: bool) -> None:
        with self._lock:
            if self._state == "closed":
                raise RemoteClosedError(f"the session is closed: {self.closed_reason}")
            self._state = "sent" if wait else "running"
            self.step += 1
        self._outbox.put(CommandScript(items))

    def _exchange(self, items: Sequence[CommandItem]) -> ResponseScript:
        self._send(items, wait=True)
        timeout = self._server.response_timeout
        try:
            incoming = self._inbox.get(timeout=timeout)
        except queue.Empty:
            with self._lock:
                timed_out = self._state == "sent"
            if timed_out:
                reason = f"the client did not answer within {timeout:g} s"
                self._close(reason)
                raise RemoteTimeoutError(f"session {self.id}: {reason}") from None
            incoming = self._inbox.get()
        if incoming is _STOP:
            raise RemoteClosedError(f"the session is closed: {self.closed_reason}")
        answer: _Answer = incoming
        if answer.script_status != "ok":
            raise ScriptStatusError(f"the client answered X-Admin-Script-Status: "
                                    f"{answer.script_status}", answer.script_status)
        if isinstance(answer.response, FormatError) or answer.response is None:
            detail = "no response template" if answer.response is None else \
                answer.response.detail
            self._close(f"malformed answer: {detail}")
            raise RemoteProtocolError(f"session {self.id}: the client's answer is malformed: "
                                      f"{detail}")
        for item in answer.response.items:
            if isinstance(item, Close):
                self._close(f"the client closed the session: {item.message}")
                raise RemoteClosedError(f"session {self.id}: the client closed the session: "
                                        f"{item.message or '(no reason)'}")
        return answer.response

    def _close(self, reason: str) -> None:
        with self._lock:
            if self._state != "closed":
                self._state = "closed"
                self.closed_reason = reason

    # --- the HTTP side -----------------------------------------------------------------------

    def _deliver(self, answer: _Answer) -> bool:
        with self._lock:
            if self._state != "sent":
                return False
            self._state = "running"
        self._inbox.put(answer)
        return True

    def _next_outgoing(self, timeout: float) -> CommandScript | _End | None:
        try:
            return self._outbox.get(timeout=timeout)
        except queue.Empty:
            return None

    def _stop(self, reason: str) -> None:
        self._close(reason)
        self._inbox.put(_STOP)
        self._outbox.put(_End(503, reason))
