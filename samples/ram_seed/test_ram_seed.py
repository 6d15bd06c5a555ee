"""The seed example end to end: ``seed_script.perform`` on a jcsim scripting server, the
``SeedApplet`` on a simulated card connected with ``run_session``, both over real HTTP on
127.0.0.1, in the OpenSCDP profile (the only one with reset and notifications)."""

from __future__ import annotations

from jcsim import Simulator
from jcsim.remote import CardReset, Notify, RemoteExchange, ScriptServer, run_session
from jcsim.samples.ram_seed import AID, SeedApplet, seed_script


def test_the_seed_example_runs_end_to_end():
    sim = Simulator()
    sim.install(SeedApplet, AID, default=True)
    ended = []
    with ScriptServer(seed_script.perform, on_session_end=ended.append) as server:
        report = run_session(sim, server.url + "/rt/seed", profile="openscdp")
    assert report.ok, report.detail
    (session,) = ended
    assert session.error is None
    # reset, notify "Test", VERIFY, SELECT E82B..., two GET CHALLENGE of 69 bytes: in order.
    kinds = [type(e) for e in report.events]
    assert kinds == [CardReset, Notify, RemoteExchange, RemoteExchange, RemoteExchange,
                     RemoteExchange]
    reset, note, verify, select, first, second = report.events
    assert reset.atr == sim.atr
    assert note == Notify(1, "Test")
    assert verify.command == bytes.fromhex("00 20 00 81 06 363438323139") and verify.sw == 0x9000
    assert select.command == bytes.fromhex("00 A4 04 00 0B E82B0601040181C31F0201")
    assert select.sw == 0x9000
    assert first.command == second.command == bytes.fromhex("00 84 00 00 45")
    assert len(first.response) == len(second.response) == 69 + 2
    assert first.response != second.response
    # Each is one round trip: the initiation POST and one POST per call of the script.
    assert report.round_trips == 7
    # The script saw what the card sent.
    result = seed_script.results.pop(session.id)
    assert result["atr"] == sim.atr and result["path"] == "/rt/seed"
    assert result["challenges"] == (first.response[:-2], second.response[:-2])


def test_a_wrong_pin_stops_the_seed_script_with_the_status_word():
    sim = Simulator()
    sim.install(SeedApplet, AID, default=True, params=b"1234")
    ended = []
    with ScriptServer(seed_script.perform, on_session_end=ended.append) as server:
        report = run_session(sim, server.url + "/rt/seed")
    assert report.outcome.value == "aborted" and "HTTP 500" in report.detail
    assert ended[0].error.sw == 0x63C2
    assert [e.sw for e in report.exchanges] == [0x63C2]
