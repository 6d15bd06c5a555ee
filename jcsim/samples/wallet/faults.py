"""The faults the wallet must survive, for the demo and the tests: an untrusted network between
the card and the issuer, and a card torn from the reader during a chosen command.

``UntrustedNetwork`` is an HTTP relay on 127.0.0.1 that carries a RAM over HTTP (OpenSCDP)
session from the card to the issuer and back, decoding each template with ``jcsim.remote.codec``
so that it can lose the card's answer to a command, rewrite a command on its way to the card, or
rewrite an answer on its way to the server. It also keeps every command and answer it carried,
for replays. ``TearingCard`` is a ``Simulator`` that loses power during its next command with a
given INS, after N persistent writes or at a named tear hook.
"""

from __future__ import annotations

import http.client
import socket
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

import attrs

from jcsim.apdu import CommandAPDU, Response, parse_hex
from jcsim.remote.codec import (
    CAPDU,
    RAPDU,
    CommandScript,
    ResponseScript,
    decode_command_script,
    decode_response_script,
    encode_command_script,
    encode_response_script,
)
from jcsim.simulator import CONTACT, Simulator

__all__ = ["Carried", "TearingCard", "UntrustedNetwork"]

PROFILE = "openscdp"
# Headers that describe one HTTP hop, not the message: the relay sets its own.
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "host",
              "proxy-connection", "te", "trailer", "upgrade"}


@attrs.frozen
class Carried:
    """A command the relay carried to the card, and the card's answer as the card sent it."""

    command: bytes
    answer: bytes | None = None


@attrs.define
class _Fault:
    kind: str  # "lose-answer", "rewrite-command" or "rewrite-answer"
    ins: int
    change: Callable[[bytes], bytes] | None = None


class UntrustedNetwork:
    """Relays RAM over HTTP between card and ``upstream`` (the issuer's URL); the faults each
    apply once, to the next matching command. Use as a context manager; ``url`` is where the
    card connects (same paths as the upstream)."""

    def __init__(self, upstream: str) -> None:
        parts = urlsplit(upstream)
        self._upstream = (parts.hostname or "127.0.0.1", parts.port or 80)
        self._faults: list[_Fault] = []
        self._in_flight: list[bytes] = []  # the commands of the last template sent to the card
        self.carried: list[Carried] = []
        self.lost = 0
        self._lock = threading.Lock()
        relay = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True

            def do_POST(self) -> None:
                relay._relay(self)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a card that hangs up after a lost answer is what the relay provokes

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_port}"

    def __enter__(self) -> UntrustedNetwork:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join()

    # --- the faults ----------------------------------------------------------------------------

    def lose_answer_to(self, ins: int) -> None:
        """The card's answer to the next command with ``ins`` never reaches the server: the
        connection carrying it drops."""
        self._faults.append(_Fault("lose-answer", ins))

    def rewrite_command(self, ins: int, change: Callable[[bytes], bytes]) -> None:
        """The next command with ``ins`` reaches the card as ``change(command)``."""
        self._faults.append(_Fault("rewrite-command", ins, change))

    def rewrite_answer(self, ins: int, change: Callable[[bytes], bytes]) -> None:
        """The card's answer to the next command with ``ins`` (data + SW) reaches the server as
        ``change(answer)``."""
        self._faults.append(_Fault("rewrite-answer", ins, change))

    def commands_with(self, ins: int) -> list[Carried]:
        """Everything carried to the card with this INS, in order."""
        return [c for c in self.carried if len(c.command) > 1 and c.command[1] == ins]

    def _take(self, kind: str, ins: int) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.kind == kind and fault.ins == ins:
                    self._faults.remove(fault)
                    return fault
        return None

    # --- relaying ------------------------------------------------------------------------------

    def _relay(self, h: BaseHTTPRequestHandler) -> None:
        # jcsim's client always sends Content-Length; a chunked body is not for this relay.
        body = h.rfile.read(int(h.headers.get("Content-Length", "0")))
        forwarded = self._card_to_server(body)
        if forwarded is None:
            # The answer is lost: the card sees its connection drop, the server sees nothing.
            self.lost += 1
            h.close_connection = True
            h.connection.shutdown(socket.SHUT_RDWR)
            return
        headers = {k: v for k, v in h.headers.items() if k.lower() not in HOP_BY_HOP}
        upstream = http.client.HTTPConnection(*self._upstream, timeout=60)
        try:
            upstream.request("POST", h.path, body=forwarded, headers=headers)
            reply = upstream.getresponse()
            payload = reply.read()
            status, reply_headers = reply.status, reply.getheaders()
        finally:
            upstream.close()
        if status == 200 and payload:
            payload = self._server_to_card(payload)
        h.send_response(status)
        for name, value in reply_headers:
            if name.lower() not in HOP_BY_HOP:
                h.send_header(name, value)
        if status != 204:
            h.send_header("Content-Length", str(len(payload)))
        h.end_headers()
        if status != 204:
            h.wfile.write(payload)

    def _card_to_server(self, body: bytes) -> bytes | None:
        script = decode_response_script(body, PROFILE) if body[:1] == b"\xab" else None
        if not isinstance(script, ResponseScript):
            return body
        with self._lock:
            commands, self._in_flight = self._in_flight, []
        items = list(script.items)
        answers = [(i, item) for i, item in enumerate(items) if isinstance(item, RAPDU)]
        # A card stops at a failing command, so there may be fewer answers than commands.
        for command, (index, rapdu) in zip(commands, answers, strict=False):
            answer = rapdu.response
            self.carried.append(Carried(command, answer))
            ins = command[1]
            if self._take("lose-answer", ins) is not None:
                return None
            fault = self._take("rewrite-answer", ins)
            if fault is not None and fault.change is not None:
                items[index] = RAPDU(fault.change(answer))
        return encode_response_script(ResponseScript(items, script.executed, script.indefinite),
                                      PROFILE)

    def _server_to_card(self, payload: bytes) -> bytes:
        script = decode_command_script(payload, PROFILE)
        if not isinstance(script, CommandScript):
            return payload
        items = list(script.items)
        sent = []
        for index, item in enumerate(items):
            if isinstance(item, CAPDU) and len(item.apdu) > 1:
                fault = self._take("rewrite-command", item.apdu[1])
                command = item
                if fault is not None and fault.change is not None:
                    command = items[index] = CAPDU(fault.change(item.apdu))
                sent.append(command.apdu)
        with self._lock:
            self._in_flight = sent
        return encode_command_script(CommandScript(items, script.indefinite))


class TearingCard(Simulator):
    """A ``Simulator`` that loses power during its next command with a given INS."""

    _tear: tuple[int, int | None, str | None] | None = None

    def tear_during(self, ins: int, *, after_writes: int | None = None,
                    at_hook: str | None = None) -> None:
        """Arm a tear (as ``arm_tear``) for the next command whose INS is ``ins``."""
        self._tear = (ins, after_writes, at_hook)

    def transmit(self, apdu: bytes | bytearray | str | CommandAPDU, channel: int | None = None,
                 *, interface: str = CONTACT) -> Response:
        raw = parse_hex(apdu) if isinstance(apdu, str) else bytes(apdu)
        if self._tear is not None and len(raw) > 1 and raw[1] == self._tear[0]:
            _, after_writes, at_hook = self._tear
            self._tear = None
            self.arm_tear(after_writes, at_hook=at_hook)
        return super().transmit(raw, channel, interface=interface)
