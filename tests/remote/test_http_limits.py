"""HTTP framing and its bounds, on both sides: what a client does with replies that are cut,
oversized, slow or not ASCII, and what the server answers to bad requests, too many
connections and clients that go quiet."""

from __future__ import annotations

import socket
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jcsim.remote import Outcome, ScriptServer, run_session
from jcsim.remote.codec import decode_response_script
from tests.remote.helpers import RawServer, read_request, script, seed_card

VERIFY = bytes.fromhex("AA 06 22 04 00 20 00 81")


def _reply_with(raw: bytes):
    def serve(sock: socket.socket) -> None:
        read_request(sock)
        sock.sendall(raw)
    return serve


# --- the client --------------------------------------------------------------------------------

def test_a_huge_announced_body_is_refused_before_a_byte_of_it_is_read():
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 1000000000000\r\n\r\n" + VERIFY
    with RawServer(_reply_with(head)) as server:
        report = run_session(seed_card(), server.url, timeout=5, max_body=4096)
    assert report.outcome is Outcome.PROTOCOL_ERROR
    assert "exceeds 4096 bytes" in report.detail and report.exchanges == ()


@pytest.mark.parametrize("chunked", [b"-5\r\nhello\r\n0\r\n\r\n", b"zz\r\n", b"5\r\nab"],
                         ids=["negative size", "not hex", "cut in a chunk"])
def test_a_broken_chunked_body_is_a_transport_error_not_an_exception(chunked):
    raw = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked
    with RawServer(_reply_with(raw)) as server:
        report = run_session(seed_card(), server.url, timeout=5)
    assert report.outcome is Outcome.TRANSPORT_ERROR and report.exchanges == ()


def test_a_non_ascii_next_uri_ends_the_session_as_a_protocol_error():
    raw = ("HTTP/1.1 200 OK\r\nX-Admin-Next-URI: /n\u00e9xt\r\nContent-Length: 8\r\n\r\n"
           .encode("latin-1") + VERIFY)
    with RawServer(_reply_with(raw)) as server:
        report = run_session(seed_card(), server.url, profile="gp-amd-b", timeout=5)
    assert report.outcome is Outcome.PROTOCOL_ERROR and "X-Admin-Next-URI" in report.detail
    assert report.exchanges == ()


@pytest.mark.parametrize("profile", ["gp-amd-b", "openscdp"])
def test_a_reply_cut_off_in_its_headers_is_never_a_completed_session(profile):
    def serve(sock: socket.socket) -> None:
        read_request(sock)
        sock.sendall(b"HTTP/1.1 200 OK\r\nX-Admin-Next-URI: /n\r\nContent-Le")

    with RawServer(serve) as server:
        report = run_session(seed_card(), server.url, profile=profile, timeout=5)
    assert report.outcome is Outcome.TRANSPORT_ERROR


def test_a_body_shorter_than_its_content_length_is_a_transport_error():
    raw = b"HTTP/1.1 200 OK\r\nX-Admin-Next-URI: /n\r\nContent-Length: 20\r\n\r\n" + VERIFY
    with RawServer(_reply_with(raw)) as server:
        report = run_session(seed_card(), server.url, profile="gp-amd-b", timeout=5)
    assert report.outcome is Outcome.TRANSPORT_ERROR and report.exchanges == ()


def test_a_server_that_trickles_its_reply_is_cut_off_by_the_request_timeout():
    def serve(sock: socket.socket) -> None:
        read_request(sock)
        for byte in b"HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n":
            sock.sendall(bytes((byte,)))
            time.sleep(0.1)

    with RawServer(serve) as server:
        start = time.monotonic()
        report = run_session(seed_card(), server.url, timeout=0.6)
        took = time.monotonic() - start
    assert report.outcome is Outcome.TRANSPORT_ERROR and "in time" in report.detail
    assert took < 3.0  # far less than the 4 s the whole trickle would take


def test_the_session_timeout_bounds_a_session_of_many_quick_round_trips():
    def serve(sock: socket.socket) -> None:
        while read_request(sock):
            time.sleep(0.05)
            sock.sendall(b"HTTP/1.1 204 No Content\r\nX-Admin-Next-URI: /again\r\n\r\n")

    with RawServer(serve) as server:
        start = time.monotonic()
        report = run_session(seed_card(), server.url, profile="gp-amd-b", timeout=5,
                             session_timeout=0.5)
        took = time.monotonic() - start
    assert report.outcome is Outcome.TRANSPORT_ERROR
    assert "within 0.5 s" in report.detail and report.round_trips >= 2 and took < 2.0


def test_a_keep_alive_connection_the_server_closed_is_reopened_for_the_next_post():
    answers = [b"HTTP/1.1 200 OK\r\nX-Admin-Next-URI: /n\r\nContent-Length: 8\r\n\r\n" + VERIFY,
               b"HTTP/1.1 204 No Content\r\n\r\n"]

    closed = threading.Event()

    def serve(sock: socket.socket) -> None:
        # One reply per connection, then close, without saying so.
        read_request(sock)
        sock.sendall(answers.pop(0))
        sock.close()
        closed.set()

    with RawServer(serve) as server:
        # The card's work (on_event) lasts until the server has closed the connection.
        report = run_session(seed_card(), server.url, profile="gp-amd-b", timeout=5,
                             on_event=lambda event: closed.wait(5))
    assert report.ok and [e.sw for e in report.exchanges] == [0x63C3]
    assert server.connections == 2


# --- the server --------------------------------------------------------------------------------

def _raw(server: ScriptServer, data: bytes, *, read: bool = True) -> bytes:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(data)
        if not read:
            return b""
        answer = b""
        while piece := sock.recv(65536):
            answer += piece
        return answer


@pytest.mark.parametrize("request_bytes, status", [
    ("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: \u00b2\r\n\r\n".encode(), b"400"),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", b"400"),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", b"400"),
    (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\n", b"400"),
    (b"POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", b"400"),  # HTTP/1.1 needs a Host
    (b"BREW /pot HTCPCP/1.0\r\n\r\n", b"400"),
    (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", b"405"),
    (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n", b"413"),
    (b"POST / HTTP/1.1\r\nHost: x\r\nX: " + b"a" * 100000 + b"\r\n\r\n", b"431"),
], ids=["superscript two", "negative", "two lengths", "bad chunk", "no host", "not http", "GET",
        "too big", "huge header"])
def test_every_bad_request_gets_a_4xx_and_the_connection_closes(request_bytes, status):
    with ScriptServer(script(["00A4040000"]), max_body=4096) as server:
        answer = _raw(server, request_bytes)
        assert answer.split(b" ", 2)[1] == status
        assert server.sessions == {}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(1, 12), st.binary(max_size=6))
def test_chunked_answers_of_any_chunk_size_reach_the_script(size, extension):
    seen = []

    def perform(session, path_info):
        seen.append(session.card.transmit("00 20 00 81").sw)

    with ScriptServer(perform) as server:
        first = _raw(server, b"POST /ram HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                             b"Connection: close\r\n\r\n")
        head = first.split(b"\r\n\r\n")[0].decode()
        next_uri = [line.split(": ", 1)[1] for line in head.split("\r\n")
                    if line.lower().startswith("x-admin-next-uri")][0]
        answer = bytes.fromhex("AB 07 80 01 01 23 02 63 C3")
        chunks = [answer[i:i + size] for i in range(0, len(answer), size)]
        ext = b";x=" + extension.hex().encode() if extension else b""
        body = b"".join(f"{len(c):x}".encode() + ext + b"\r\n" + c + b"\r\n" for c in chunks)
        reply = _raw(server, f"POST {next_uri} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
                             f"chunked\r\nConnection: close\r\n\r\n".encode() + body +
                     b"0\r\n\r\n")
        assert reply.startswith(b"HTTP/1.1 204")
    assert seen == [0x63C3]
    assert decode_response_script(answer, "gp-amd-b").rapdus[0].sw == 0x63C3


def test_connections_past_the_limit_are_answered_503_and_served_again_once_others_close():
    with ScriptServer(script([]), max_connections=3, idle_timeout=5) as server:
        host, port = server.url.removeprefix("http://").split(":")
        idle = [socket.create_connection((host, int(port)), timeout=5) for _ in range(3)]
        deadline = time.monotonic() + 5
        while server.open_connections < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert server.open_connections == 3
        refused = _raw(server, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        assert refused.startswith(b"HTTP/1.1 503")
        for sock in idle:
            sock.close()
        deadline = time.monotonic() + 5
        while server.open_connections and time.monotonic() < deadline:
            time.sleep(0.01)
        served = _raw(server, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                              b"Connection: close\r\n\r\n")
        assert served.startswith(b"HTTP/1.1 204")


def test_a_quiet_connection_is_closed_after_the_idle_timeout():
    with ScriptServer(script([]), idle_timeout=0.3) as server:
        host, port = server.url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=5) as quiet:
            start = time.monotonic()
            assert quiet.recv(100) == b""  # closed without a word
            assert time.monotonic() - start < 3
        with socket.create_connection((host, int(port)), timeout=5) as slow:
            slow.sendall(b"POST / HTTP/1.1\r\nHost: x\r\n")  # and never the end of the head
            assert slow.recv(100).startswith(b"HTTP/1.1 408")
        assert server.open_connections == 0 or time.sleep(0.2) or server.open_connections == 0


def test_sessions_past_the_limit_are_answered_503():
    def perform(session, path_info):
        session.card.transmit("00 20 00 81")

    with ScriptServer(perform, max_sessions=1, response_timeout=5) as server:
        first = _raw(server, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                             b"Connection: close\r\n\r\n")
        assert first.startswith(b"HTTP/1.1 200")
        second = _raw(server, b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n"
                              b"Connection: close\r\n\r\n")
        assert second.startswith(b"HTTP/1.1 503")
