"""Random vpcd frames and disconnects against a listening card: whatever a peer sends or
however it hangs up, the next well-behaved peer is served."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jcsim import serve_vpcd
from jcsim.transport import LinkTimeouts
from jcsim.transport.vpcd_codec import VpcdDecoder
from tests.fuzz import campaigns

QUICK = LinkTimeouts(first_frame=0.3, frame=0.3, idle=0.3, send=1.0, poll=0.02)


@pytest.fixture(scope="module")
def served():
    sim = campaigns.sample_card()
    with serve_vpcd(sim, port=0, listen=True, timeouts=QUICK) as server:
        yield server


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.integers(0, 2 ** 64 - 1))
def test_after_any_hostile_peer_the_next_peer_is_served(served, seed):
    address = served.addresses["contact"]
    campaigns.vpcd_case(address, random.Random(seed))
    assert campaigns.served_after(address)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 2 ** 64 - 1))
def test_random_streams_decode_without_raising(seed):
    stream = campaigns.vpcd_stream(random.Random(seed))
    decoder = VpcdDecoder()
    events = decoder.feed(stream)
    assert decoder.buffered <= len(stream)
    assert len(events) <= len(stream) // 2 + 1
