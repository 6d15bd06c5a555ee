"""Wire-level checks of both profiles against the fact sheet: what jcsim's client puts on the
wire (seen by a raw recording server), and what jcsim's server answers (seen by a raw
``http.client``)."""

from __future__ import annotations

import http.client

import pytest

from jcsim.remote import ScriptServer, run_session
from jcsim.remote.codec import (
    CAPDU,
    CommandScript,
    Initiation,
    encode_command_script,
    encode_initiation,
)
from tests.remote.helpers import RecordingServer, script, seed_card
from tests.remote.vectors import loader

OPENSCDP = loader.load("openscdp")
AMD_B = loader.load("gp_amd_b")
SELECT_SCRIPT = loader.unhex(OPENSCDP["command_scripts"][0]["hex"])  # AA 07 22 05 00A4040000


def test_openscdp_client_requests_match_the_fact_sheet():
    http_facts = OPENSCDP["http"]
    sim = seed_card()
    answers = [(200, [("Set-Cookie", "JSESSIONID=abc123; Path=/; HttpOnly")], SELECT_SCRIPT),
               (200, [], loader.unhex(OPENSCDP["command_scripts"][1]["hex"]))]
    with RecordingServer(answers) as server:
        report = run_session(sim, server.url + "/rt/test", profile="openscdp")
    assert report.ok
    first, second, third = server.requests
    for request in server.requests:
        # Every POST goes to the one URL with the OpenSCDP content type and protocol header.
        assert request.method == "POST" and request.path == "/rt/test"
        assert request.header("Content-Type") == http_facts["request_content_type"]
        assert request.header("X-Admin-Protocol") == http_facts["protocol"]
        assert request.header("Accept") == http_facts["accept"]
        assert request.header("X-Admin-Script-Status") is None
    # POST #1: the initiation template with the ATR, no cookie yet.
    assert first.body == encode_initiation(Initiation(sim.atr))
    assert first.body[:1] == b"\xe8" and first.header("Cookie") is None
    # Later POSTs replay the server's cookie; 80 comes last in AB.
    assert second.header("Cookie") == "JSESSIONID=abc123"
    assert second.body == bytes.fromhex("AB 07 23 02 6A 82 80 01 01")
    assert third.header("Cookie") == "JSESSIONID=abc123"
    atr = sim.atr
    assert third.body == bytes((0xAB, len(atr) + 5, 0xC0, len(atr))) + atr + \
        bytes.fromhex("80 01 00")


def test_the_worked_openscdp_exchange_byte_for_byte():
    # ATR 3B 80 80 01 01; the server SELECTs with no AID; the seed applet answers 6A82.
    sim = seed_card(atr="3B 80 80 01 01")
    with RecordingServer([(200, [], SELECT_SCRIPT)]) as server:
        report = run_session(sim, server.url, profile="openscdp")
    assert report.ok
    first, second = server.requests
    assert first.body == loader.unhex(OPENSCDP["initiations"][0]["hex"])
    assert second.body == loader.unhex(OPENSCDP["response_scripts"][0]["hex"])


def test_amd_b_client_requests_match_the_fact_sheet():
    http_facts = AMD_B["http"]
    two_apdus = loader.unhex(AMD_B["command_scripts"][0]["hex"])  # 80CA9F7F00, 80F2800000
    answers = [(200, [("Content-Type", http_facts["script_content_type"]),
                      ("X-Admin-Next-URI", "/ram/next?step=1&x=%2F")], two_apdus),
               (204, [("X-Admin-Next-URI", "/ram/next?step=2")], b"")]
    with RecordingServer(answers) as server:
        report = run_session(seed_card(), server.url + "/ram/start?card=1", profile="gp-amd-b",
                             agent_id="//se-id/eid/89049032;//aa-id/aid/A000000559/1010")
    assert report.ok
    first, second, third = server.requests
    # POST #1: to the configured URI, no body, no content type, no script status.
    assert first.path == "/ram/start?card=1" and first.body == b""
    assert first.header("Content-Type") is None and first.header("X-Admin-Script-Status") is None
    assert first.header("Content-Length") == "0"
    for request in server.requests:
        assert request.header("X-Admin-Protocol") == http_facts["protocol"]
        assert request.header("X-Admin-From") == "//se-id/eid/89049032;//aa-id/aid/A000000559/1010"
        assert request.header("Cookie") is None
    # POST #2: to the Next-URI verbatim, the response template with 80 first, status ok.
    assert second.path == "/ram/next?step=1&x=%2F"
    assert second.header("Content-Type") == http_facts["request_content_type"]
    assert second.header("X-Admin-Script-Status") == "ok"
    # The seed applet refuses CLA 80 with 6E00, an error: the second APDU never runs.
    assert second.body == bytes.fromhex("AB 07 80 01 01 23 02 6E 00")
    assert [e.command for e in report.exchanges] == [bytes.fromhex("80CA9F7F00")]
    # POST #3: after a 204 that names a next URI, an empty POST there; the final 204 ends.
    assert third.path == "/ram/next?step=2" and third.body == b""
    assert third.header("X-Admin-Script-Status") is None


def test_an_amd_b_script_without_next_uri_runs_but_its_result_is_never_posted():
    indefinite = loader.unhex(AMD_B["command_scripts"][2]["hex"])  # AE 80 22 05 80CAFF2100 0000
    with RecordingServer([(200, [], indefinite)]) as server:
        report = run_session(seed_card(), server.url, profile="gp-amd-b")
    assert report.ok and "no X-Admin-Next-URI" in report.detail
    assert [e.command for e in report.exchanges] == [bytes.fromhex("80CAFF2100")]
    assert len(server.requests) == 1


def test_amd_b_client_answers_script_chaining_as_not_supported():
    chained = loader.unhex(AMD_B["command_scripts"][3]["hex"])
    with RecordingServer([(200, [("X-Admin-Next-URI", "/n")], chained)]) as server:
        assert run_session(seed_card(), server.url, profile="gp-amd-b").ok
    assert server.requests[1].body == bytes.fromhex("AB 0A 80 01 01 83 01 02 23 02 6E 00")


# --- jcsim's server, seen from a raw client --------------------------------------------------

def _connect(server: ScriptServer) -> http.client.HTTPConnection:
    host, port = server.url.removeprefix("http://").split(":")
    return http.client.HTTPConnection(host, int(port), timeout=5)


def _post(conn, target, body, headers=()):
    conn.request("POST", target, body, dict(headers))
    reply = conn.getresponse()
    return reply, reply.read()


def test_jcsim_server_answers_the_openscdp_flavour_on_one_url_with_a_cookie():
    with ScriptServer(script(["00A4040000"])) as server:
        conn = _connect(server)
        reply, body = _post(conn, "/rt/test", loader.unhex(OPENSCDP["initiations"][0]["hex"]),
                            [("Content-Type", OPENSCDP["http"]["request_content_type"])])
        assert reply.status == 200 and body == SELECT_SCRIPT
        assert reply.getheader("Content-Type") == "application/org.openscdp-content-mgt;version=1.0"
        assert reply.getheader("X-Admin-Next-URI") is None
        cookie = reply.getheader("Set-Cookie").split(";")[0]
        assert cookie.startswith("JSESSIONID=")
        reply, body = _post(conn, "/rt/test", loader.unhex(OPENSCDP["response_scripts"][0]["hex"]),
                            [("Cookie", cookie)])
        assert reply.status == 204 and body == b""
        conn.close()


def test_jcsim_server_answers_the_amd_b_flavour_with_next_uris_and_accepts_chunked_af():
    with ScriptServer(script(["80CAFF2100", "80CA9F7F00"])) as server:
        conn = _connect(server)
        reply, body = _post(conn, "/ram", b"", [("X-Admin-Protocol", AMD_B["http"]["protocol"]),
                                                ("X-Admin-From", "card-1")])
        assert reply.status == 200
        assert reply.getheader("Content-Type") == AMD_B["http"]["script_content_type"]
        assert reply.getheader("X-Admin-Protocol") == AMD_B["http"]["protocol"]
        assert body == encode_command_script(CommandScript([CAPDU(bytes.fromhex("80CAFF2100"))]))
        next_uri = reply.getheader("X-Admin-Next-URI")
        assert next_uri.startswith("/ram?jcsim-session=") and next_uri.endswith("&step=1")
        # A live card's answer: chunked, AF without 80.
        conn.putrequest("POST", next_uri)
        conn.putheader("Transfer-Encoding", "chunked")
        conn.putheader("X-Admin-Script-Status", "ok")
        conn.endheaders()
        live = loader.unhex(AMD_B["response_scripts"][2]["hex"])  # AF 80 23 02 9000 0000
        conn.send(b"3\r\n" + live[:3] + b"\r\n" + f"{len(live) - 3:x}\r\n".encode() +
                  live[3:] + b"\r\n0\r\n\r\n")
        reply = conn.getresponse()
        body = reply.read()
        assert reply.status == 200 and body[2:] == bytes.fromhex("22 05 80 CA 9F 7F 00")
        next_uri = reply.getheader("X-Admin-Next-URI")
        assert next_uri.endswith("&step=2")
        # Replaying the old step is refused; the right one ends the session with 204 and
        # without a Next-URI.
        reply, _ = _post(conn, next_uri.replace("step=2", "step=1"), b"\xab\x00")
        assert reply.status == 409
        reply, body = _post(conn, next_uri, loader.unhex(AMD_B["response_scripts"][0]["hex"]),
                            [("X-Admin-Script-Status", "ok")])
        assert reply.status == 204 and reply.getheader("X-Admin-Next-URI") is None
        conn.close()


@pytest.mark.parametrize("profile_body", [b"", b"\xe8\x02\xc0\x00"], ids=["amd-b", "openscdp"])
def test_jcsim_server_refuses_a_malformed_answer_and_the_script_gets_a_protocol_error(
        profile_body):
    from jcsim.remote import RemoteProtocolError
    errors = []

    def perform(session, path_info):
        try:
            session.card.transmit("00A4040000")
        except RemoteProtocolError as exc:
            errors.append(exc)

    with ScriptServer(perform) as server:
        conn = _connect(server)
        reply, _ = _post(conn, "/", profile_body)
        cookie = reply.getheader("Set-Cookie")
        target = reply.getheader("X-Admin-Next-URI") or "/"
        headers = [("Cookie", cookie.split(";")[0])] if cookie else []
        reply, _ = _post(conn, target, b"\xab\x05\x23\x01\x90\x00", headers)
        assert reply.status == 204
        conn.close()
    assert errors and "malformed" in str(errors[0])
