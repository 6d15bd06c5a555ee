"""jcsim's client and server against each other over real HTTP on 127.0.0.1."""

from __future__ import annotations

import http.client
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from jcsim import JCSimError, Simulator
from jcsim.remote import (
    CardReset,
    Notify,
    Outcome,
    RemoteClosedError,
    RemoteError,
    RemoteExchange,
    RemoteTimeoutError,
    ScriptServer,
    ScriptStatusError,
    UnexpectedSWError,
    run_session,
)
from jcsim.remote.codec import Initiation, encode_initiation
from jcsim.samples.ram_seed import AID as SEED_AID
from tests.remote.helpers import script, seed_card

PROFILES = ["openscdp", "gp-amd-b"]
PIN = bytes.fromhex("00200081 06 363438323139")


@pytest.mark.parametrize("profile", PROFILES)
def test_a_script_runs_each_apdu_as_one_round_trip_in_both_profiles(profile):
    server_script = script(["00 20 00 81", "00 20 00 81 06 363438323139", "00 84 00 00 10",
                            "00 20 00 81"])
    seen = []
    server = ScriptServer(server_script, on_session_end=seen.append)
    with server:
        report = run_session(seed_card(), server.url + "/rt/test", profile=profile)
    assert report.outcome is Outcome.COMPLETED and report.ok
    assert [e.sw for e in report.exchanges] == [0x63C3, 0x9000, 0x9000, 0x9000]
    assert len(report.exchanges[2].response) == 16 + 2
    # One POST per APDU, plus the first one.
    assert report.round_trips == 5 and report.http_status == 204
    (session,) = seen
    assert session.error is None and session.path_info == "/rt/test"
    assert [r.sw for r in session.responses] == [0x63C3, 0x9000, 0x9000, 0x9000]
    assert session.profile.name == profile
    if profile == "openscdp":
        assert session.atr == seed_card().atr


@pytest.mark.parametrize("profile", PROFILES)
def test_several_concurrent_sessions_each_drive_their_own_card(profile):
    barrier = threading.Barrier(6, timeout=10)

    def perform(session, path_info):
        session.card.transmit(PIN)
        barrier.wait()  # all six sessions are open at once
        session.challenge = session.card.sendApdu(0x00, 0x84, 0x00, 0x00, 32, [0x9000])

    ended = []
    with ScriptServer(perform, on_session_end=ended.append) as server:
        cards = [seed_card() for _ in range(6)]
        with ThreadPoolExecutor(6) as pool:
            reports = list(pool.map(
                lambda i: run_session(cards[i], f"{server.url}/card/{i}", profile=profile),
                range(6)))
    assert all(r.outcome is Outcome.COMPLETED for r in reports)
    assert len({s.id for s in ended}) == 6
    by_path = {s.path_info: s for s in ended}
    for i, report in enumerate(reports):
        # Each session's challenge came from its own card, over its own session.
        assert report.exchanges[1].response[:-2] == by_path[f"/card/{i}"].challenge


def test_amd_b_stops_a_template_at_the_first_error_status_and_openscdp_runs_it_all():
    apdus = ["00 20 00 81", "00 84 00 01 08", "00 84 00 00 08"]  # 63C3, then 6A86, then 9000

    def perform(session, path_info):
        session.responses = session.card.transmit_all(apdus)

    ended = []
    with ScriptServer(perform, on_session_end=ended.append) as server:
        amd_b = run_session(seed_card(), server.url, profile="gp-amd-b")
        openscdp = run_session(seed_card(), server.url, profile="openscdp")
    assert [e.sw for e in amd_b.exchanges] == [0x63C3, 0x6A86]
    assert [e.sw for e in openscdp.exchanges] == [0x63C3, 0x6A86, 0x9000]
    by_profile = {s.profile.name: s for s in ended}
    assert len(by_profile["gp-amd-b"].responses) == 2
    assert len(by_profile["openscdp"].responses) == 3


def test_reset_and_notifications_reach_an_openscdp_client_in_order():
    def perform(session, path_info):
        session.notify(1, "Starting", 20)
        session.atr_seen = session.card.reset()
        session.card.transmit(PIN)
        session.notify(2, "Done")

    events, ended = [], []
    with ScriptServer(perform, on_session_end=ended.append) as server:
        sim = seed_card()
        report = run_session(sim, server.url, on_event=events.append)
    assert report.ok
    assert report.events == tuple(events)
    assert [type(e) for e in events] == [Notify, CardReset, RemoteExchange, Notify]
    assert events[0] == Notify(1, "Starting", 20) and events[3] == Notify(2, "Done")
    assert events[1].atr == sim.atr == ended[0].atr_seen
    assert report.notifications == (events[0], events[3])


def test_reset_and_notify_are_refused_in_the_amd_b_profile():
    errors = []

    def perform(session, path_info):
        for call in (session.card.reset, lambda: session.notify(1, "x")):
            try:
                call()
            except RemoteError as exc:
                errors.append(str(exc))

    with ScriptServer(perform) as server:
        assert run_session(seed_card(), server.url, profile="gp-amd-b").ok
    assert len(errors) == 2 and all("only in the openscdp profile" in e for e in errors)


@pytest.mark.parametrize("profile", PROFILES)
def test_send_apdu_raises_on_an_unexpected_status_and_the_client_sees_the_server_abort(profile):
    caught = []

    def perform(session, path_info):
        try:
            session.card.sendApdu(0x00, 0x20, 0x00, 0x81, b"0000", [0x9000])
        except UnexpectedSWError as exc:
            caught.append(exc)
            raise

    with ScriptServer(perform) as server:
        report = run_session(seed_card(), server.url, profile=profile)
    (error,) = caught
    assert error.sw == 0x63C2 and isinstance(error, JCSimError) and "63C2" in str(error)
    assert report.outcome is Outcome.ABORTED and "HTTP 500" in report.detail
    assert report.round_trips == 2


def test_send_apdu_keeps_the_status_word_like_scsh_and_does_not_check_without_a_list():
    def perform(session, path_info):
        card = session.card
        session.data = card.sendApdu(0x00, 0x84, 0x00, 0x00, 0)  # Le 0: 256 bytes
        session.sw_after_challenge = card.SW
        card.sendApdu(0x00, 0x20, 0x00, 0x81)
        session.sw_after_verify = card.SW

    ended = []
    with ScriptServer(perform, on_session_end=ended.append) as server:
        assert run_session(seed_card(), server.url).ok
    (session,) = ended
    assert len(session.data) == 256 and session.sw_after_challenge == 0x9000
    assert session.sw_after_verify == 0x63C3


def test_a_client_that_disappears_gives_the_script_a_clear_timeout_error():
    errors, ended = [], threading.Event()

    def perform(session, path_info):
        try:
            session.card.transmit("00 84 00 00 08")
        except RemoteTimeoutError as exc:
            errors.append(exc)
            try:
                session.card.transmit("00 84 00 00 08")
            except RemoteClosedError as again:
                errors.append(again)
        finally:
            ended.set()

    with ScriptServer(perform, response_timeout=0.3) as server:
        # A client that starts a session, takes its first command and is never heard again.
        host, port = server.url.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=5)
        conn.request("POST", "/gone", encode_initiation(Initiation(b"\x3b\x00")))
        reply = conn.getresponse()
        assert reply.status == 200 and reply.read()[:3] == bytes.fromhex("AA0722")
        assert ended.wait(5)
        conn.close()
        assert not server.sessions
    timeout, closed = errors
    assert isinstance(timeout, JCSimError) and isinstance(timeout, TimeoutError)
    assert "did not answer within 0.3 s" in str(timeout)
    assert "closed" in str(closed)


def test_the_client_closes_the_session_when_the_card_fails_and_the_script_learns_why():
    errors = []

    def perform(session, path_info):
        session.card.transmit(PIN)
        try:
            session.card.transmit("00 84 00 00 08")
        except RemoteClosedError as exc:
            errors.append(exc)

    sim = seed_card()
    original = sim.transmit

    def tearing_transmit(apdu, *args, **kwargs):
        if bytes(apdu)[1] == 0x84:
            sim.arm_tear(0)
        return original(apdu, *args, **kwargs)

    sim.transmit = tearing_transmit
    with ScriptServer(perform) as server:
        report = run_session(sim, server.url, profile="openscdp")
    assert report.outcome is Outcome.CARD_ERROR and "lost power" in report.detail
    (error,) = errors
    assert "the client closed the session" in str(error) and "lost power" in str(error)
    assert [e.sw for e in report.exchanges] == [0x9000]


def test_a_negative_notification_aborts_the_openscdp_client_without_a_further_post():
    def perform(session, path_info):
        session.card.transmit(PIN)
        session.notify(-1, "Card blocked by the issuer")
        with pytest.raises(RemoteClosedError):
            session.card.transmit(PIN)

    ended = []
    with ScriptServer(perform, on_session_end=ended.append) as server:
        report = run_session(seed_card(), server.url)
    assert report.outcome is Outcome.ABORTED and "Card blocked" in report.detail
    assert report.notifications == (Notify(-1, "Card blocked by the issuer"),)
    assert report.round_trips == 2
    assert ended[0].error is None


def test_a_bare_session_id_becomes_the_openscdp_session_cookie():
    ended = []
    with ScriptServer(script(["00 20 00 81"]), on_session_end=ended.append) as server:
        assert run_session(seed_card(), server.url, cookie="ticket-42").ok
        assert run_session(seed_card(), server.url, cookie="JSESSIONID=ticket-43").ok
    assert [s.id for s in ended] == ["ticket-42", "ticket-43"]


def test_amd_b_targeted_application_selects_the_named_applet_or_answers_unknown_application():
    outcomes = []

    def perform(session, path_info):
        session.targeted_application = SEED_AID
        outcomes.append(session.card.transmit("00 20 00 81").sw)
        session.targeted_application = bytes.fromhex("F0000000999901")
        try:
            session.card.transmit("00 20 00 81")
        except ScriptStatusError as exc:
            outcomes.append(exc.status)

    sim = Simulator()
    from jcsim.samples.ram_seed import SeedApplet
    sim.install(SeedApplet, SEED_AID)  # not default: nothing is selected until the target is
    with ScriptServer(perform) as server:
        report = run_session(sim, server.url, profile="gp-amd-b", agent_id="//se-id/eid/1234")
    assert report.ok
    assert outcomes == [0x63C3, "unknown-application"]


def test_targeted_application_option_selects_before_the_session_and_rejects_unknown_aids():
    sim = Simulator()
    from jcsim.samples.ram_seed import SeedApplet
    sim.install(SeedApplet, SEED_AID)
    with ScriptServer(script(["00 20 00 81"])) as server:
        report = run_session(sim, server.url, targeted_application=SEED_AID.hex())
        assert report.exchanges[0].sw == 0x63C3
        with pytest.raises(RemoteError, match="cannot be selected: 6A82"):
            run_session(sim, server.url, targeted_application="F0 00 00 00 99")


def test_a_script_that_takes_too_long_gets_504_and_the_client_reports_an_abort():
    release = threading.Event()
    errors = []

    def perform(session, path_info):
        session.card.transmit(PIN)
        release.wait(5)
        try:
            session.card.transmit(PIN)
        except RemoteClosedError as exc:
            errors.append(exc)

    with ScriptServer(perform, script_timeout=0.3) as server:
        report = run_session(seed_card(), server.url, profile="openscdp")
        release.set()
        deadline = time.monotonic() + 5
        while not errors and time.monotonic() < deadline:
            time.sleep(0.02)
    assert report.outcome is Outcome.ABORTED and "HTTP 504" in report.detail
    assert "gave up waiting" in report.detail
    assert errors and "sent nothing within 0.3 s" in str(errors[0])


def test_closing_the_server_ends_waiting_scripts_with_a_closed_error():
    errors, started = [], threading.Event()

    def perform(session, path_info):
        started.set()
        try:
            session.card.transmit(PIN)
        except RemoteClosedError as exc:
            errors.append(exc)

    server = ScriptServer(perform, response_timeout=30).start()
    host, port = server.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    conn.request("POST", "/", b"", {"X-Admin-Protocol": "globalplatform-remote-admin/1.0"})
    assert conn.getresponse().status == 200
    assert started.wait(5)
    server.close()
    conn.close()
    assert errors and "shutting down" in str(errors[0])


def test_unknown_sessions_and_methods_are_refused_with_http_errors():
    with ScriptServer(script([])) as server:
        host, port = server.url.removeprefix("http://").split(":")
        conn = http.client.HTTPConnection(host, int(port), timeout=5)
        conn.request("POST", "/x?jcsim-session=nope&step=1", bytes.fromhex("AB03800100"))
        reply = conn.getresponse()
        assert reply.status == 404 and b"no session" in reply.read()
        conn.request("GET", "/x")
        reply = conn.getresponse()
        assert reply.status == 405 and reply.getheader("Allow") == "POST"
        reply.read()
        conn.request("POST", "/x", bytes.fromhex("AB03800100"))
        reply = conn.getresponse()
        assert reply.status == 400
        reply.read()
        conn.close()


def test_a_server_limited_to_one_profile_refuses_the_other():
    with ScriptServer(script(["00 20 00 81"]), profile="openscdp") as server:
        assert run_session(seed_card(), server.url).ok
        report = run_session(seed_card(), server.url, profile="gp-amd-b")
    assert report.outcome is Outcome.ABORTED and "HTTP 400" in report.detail


def test_connection_refused_is_a_transport_error():
    with ScriptServer(script([])) as server:
        url = server.url
    report = run_session(seed_card(), url, timeout=2)
    assert report.outcome is Outcome.TRANSPORT_ERROR and "refused" in report.detail
    assert report.round_trips == 0


def test_bad_arguments_raise_before_anything_is_sent():
    with pytest.raises(RemoteError, match="not an http"):
        run_session(seed_card(), "ftp://127.0.0.1/x")
    with pytest.raises(ValueError, match="unknown profile"):
        run_session(seed_card(), "http://127.0.0.1:1/x", profile="scp80")
    with pytest.raises(RemoteError, match="HTTP header"):
        run_session(seed_card(), "http://127.0.0.1:1/x", agent_id="a\r\nX-Evil: 1")
