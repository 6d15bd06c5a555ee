"""Hostile RAM over HTTP peers: servers answering with broken framing, cut replies, bad headers
and trickled bytes; clients sending broken requests. The client always returns a report within
its deadline and never completes on a broken reply; the server answers or closes every request,
in time, and keeps serving."""

from __future__ import annotations

import random
import threading
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jcsim.remote import run_session
from tests.fuzz import campaigns
from tests.remote.helpers import seed_card

FUZZ = settings(max_examples=60, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def hostile_server():
    server = campaigns.HostileServer()
    yield server
    server.close()


@pytest.fixture(scope="module")
def script_server():
    with campaigns.script_server() as server:
        yield server


@settings(FUZZ, max_examples=30)
@given(st.integers(0, 2 ** 64 - 1))
def test_the_client_reports_every_hostile_server_without_raising(hostile_server, seed):
    outcome = campaigns.client_case(hostile_server, seed_card(), random.Random(seed))
    assert outcome in ("completed", "aborted", "transport-error", "protocol-error")


@FUZZ
@given(st.integers(0, 2 ** 64 - 1))
def test_the_server_answers_or_closes_every_hostile_request(script_server, seed):
    threads = threading.active_count()
    outcome = campaigns.server_case(script_server, random.Random(seed))
    assert outcome in ("closed", "reset") or outcome.isdigit()
    assert threading.active_count() <= threads + 16 + 16 + 2


def test_the_server_still_serves_a_real_session_after_the_campaign(script_server):
    rng = random.Random(7)
    for _ in range(30):
        campaigns.server_case(script_server, rng)
    report = run_session(seed_card(), script_server.url + "/rt", timeout=5)
    assert report.ok and [e.sw for e in report.exchanges] == [0x63C3]
    deadline = time.monotonic() + 5
    while script_server.open_connections and time.monotonic() < deadline:
        time.sleep(0.05)
    assert script_server.open_connections == 0
