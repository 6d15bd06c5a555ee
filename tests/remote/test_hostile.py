"""jcsim's client against servers that misbehave: garbage templates, dropped connections,
non-HTTP answers, endless sessions. It must end cleanly, never mid-command, never raising."""

from __future__ import annotations

import pytest

from jcsim.remote import Outcome, run_session
from jcsim.remote.codec import decode_response_script
from tests.remote.helpers import DROP, RecordingServer, seed_card
from tests.remote.vectors import loader

OPENSCDP = "application/org.openscdp-content-mgt;version=1.0"
AMD_B = "application/vnd.globalplatform.card-content-mgt;version=1.0"
VERIFY = bytes.fromhex("AA 06 22 04 00 20 00 81")  # one VERIFY (status query)

GARBAGE = [pytest.param(loader.unhex(case["hex"]), case["reason"], id=case["name"])
           for case in loader.load("gp_amd_b")["malformed_commands"]
           if case["hex"] and "OpenSCDP" not in case["name"]]
GARBAGE += [
    pytest.param(b"\xaa\xff" + bytes(40), 3, id="AA with a length form FF"),
    pytest.param(bytes(range(256)), 1, id="256 counting bytes"),
    pytest.param(b"<html>Internal error</html>", 1, id="an HTML page"),
]


@pytest.mark.parametrize("garbage, reason", GARBAGE)
def test_openscdp_answers_a_bad_template_with_a_close_and_ends_with_a_protocol_error(garbage,
                                                                                    reason):
    sim = seed_card()
    answers = [(200, [("Content-Type", OPENSCDP)], VERIFY),
               (200, [("Content-Type", OPENSCDP)], garbage)]
    with RecordingServer(answers) as server:
        report = run_session(sim, server.url + "/rt", profile="openscdp", timeout=5)
    assert report.outcome is Outcome.PROTOCOL_ERROR
    assert report.format_errors and "bad command template" in report.detail
    # The VERIFY of the good template ran; nothing of the bad one did.
    assert [e.command for e in report.exchanges] == [bytes.fromhex("00200081")]
    first, answer, close = server.requests
    assert decode_response_script(answer.body, "openscdp").rapdus[0].sw == 0x63C3
    closing = decode_response_script(close.body, "openscdp")
    assert closing.executed == 0 and "bad command template" in closing.items[0].message
    assert sim.transmit("00 20 00 81").sw == 0x63C3  # the card is fine


@pytest.mark.parametrize("garbage, reason", GARBAGE)
def test_amd_b_answers_a_bad_template_with_the_bad_format_tlv_and_carries_on(garbage, reason):
    next_uri = [("Content-Type", AMD_B), ("X-Admin-Next-URI", "/ram?step=2")]
    answers = [(200, next_uri, garbage), (200, [("X-Admin-Next-URI", "/ram?step=3")], VERIFY)]
    with RecordingServer(answers) as server:
        report = run_session(seed_card(), server.url + "/ram", profile="gp-amd-b", timeout=5)
    assert report.outcome is Outcome.COMPLETED
    assert len(report.format_errors) == 1
    _, bad_format, result = server.requests
    assert bad_format.path == "/ram?step=2"
    assert bad_format.body == bytes.fromhex("AB06 800100 9001") + bytes((reason,))
    assert bad_format.header("X-Admin-Script-Status") == "ok"
    assert result.path == "/ram?step=3" and [e.sw for e in report.exchanges] == [0x63C3]


def test_a_server_that_drops_the_connection_mid_session_is_a_transport_error_with_a_close():
    answers = [(200, [], VERIFY), DROP]
    with RecordingServer(answers) as server:
        report = run_session(seed_card(), server.url + "/rt", profile="openscdp", timeout=5)
    assert report.outcome is Outcome.TRANSPORT_ERROR
    assert "closed the connection" in report.detail
    assert [e.sw for e in report.exchanges] == [0x63C3]
    # The results were posted (and lost), then the close went on a fresh connection.
    initiation, results, close = server.requests
    assert decode_response_script(results.body, "openscdp").executed == 1
    closing = decode_response_script(close.body, "openscdp")
    assert closing.executed == 0 and "closed the connection" in closing.items[0].message


def test_an_amd_b_session_that_is_dropped_just_ends_there_is_no_close_to_send():
    answers = [(200, [("X-Admin-Next-URI", "/n1")], VERIFY), DROP]
    with RecordingServer(answers) as server:
        report = run_session(seed_card(), server.url, profile="gp-amd-b", timeout=5)
    assert report.outcome is Outcome.TRANSPORT_ERROR
    assert len(server.requests) == 2


def test_an_answer_that_is_not_http_is_a_transport_error():
    with RecordingServer([b"SSH-2.0-OpenSSH\r\n\r\n"]) as server:
        report = run_session(seed_card(), server.url, timeout=5)
    assert report.outcome is Outcome.TRANSPORT_ERROR and report.exchanges == ()


def test_an_oversized_answer_is_refused_before_it_is_read_whole():
    huge = b"\xaa\x83\x10\x00\x00" + bytes(0x100000)
    with RecordingServer([(200, [], huge)]) as server:
        report = run_session(seed_card(), server.url, timeout=5, max_body=4096)
    assert report.outcome is Outcome.PROTOCOL_ERROR and "exceeds 4096 bytes" in report.detail


def test_an_empty_200_is_a_protocol_error_for_openscdp_and_the_end_for_amd_b():
    with RecordingServer([(200, [], b"")]) as server:
        assert run_session(seed_card(), server.url).outcome is Outcome.PROTOCOL_ERROR
    with RecordingServer([(200, [], b"")]) as server:
        assert run_session(seed_card(), server.url, profile="gp-amd-b").ok


def test_a_server_close_inside_a_template_ends_the_openscdp_session_as_aborted():
    close = bytes.fromhex("AA 0F 22 04 00 20 00 81 E1 07 0C 05") + b"maint"
    with RecordingServer([(200, [], close)]) as server:
        report = run_session(seed_card(), server.url)
    assert report.outcome is Outcome.ABORTED and "maint" in report.detail
    assert len(report.exchanges) == 1 and len(server.requests) == 1


def test_an_endless_run_of_204_with_next_uri_is_cut_off():
    loop = [(204, [("X-Admin-Next-URI", "/again")], b"")] * 50
    with RecordingServer(loop) as server:
        report = run_session(seed_card(), server.url, profile="gp-amd-b", max_round_trips=20)
    assert report.outcome is Outcome.PROTOCOL_ERROR and report.round_trips == 20


@pytest.mark.parametrize("next_uri", ["http://evil.example/steal", "/a b", "//evil.example/x"])
def test_a_next_uri_that_leaves_the_server_or_is_not_a_uri_ends_the_session(next_uri):
    with RecordingServer([(200, [("X-Admin-Next-URI", next_uri)], VERIFY)]) as server:
        report = run_session(seed_card(), server.url, profile="gp-amd-b")
    assert report.outcome is Outcome.PROTOCOL_ERROR and len(server.requests) == 1
    assert report.exchanges == ()


@pytest.mark.parametrize("status, words", [(404, "names no RAM over HTTP service"),
                                           (504, "gave up waiting"), (503, "HTTP 503")])
def test_http_errors_are_aborts_by_the_server(status, words):
    with RecordingServer([(status, [], b"no")]) as server:
        report = run_session(seed_card(), server.url)
    assert report.outcome is Outcome.ABORTED and words in report.detail
    assert report.http_status == status
