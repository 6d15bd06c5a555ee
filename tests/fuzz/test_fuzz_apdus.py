"""Random APDUs over every sample applet on one card: the card always answers a status word,
never an exception."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fuzz import campaigns


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2 ** 64 - 1))
def test_random_apdus_over_every_sample_always_get_a_status_word(seed):
    rng = random.Random(seed)
    sim = campaigns.sample_card()
    outcomes = {campaigns.apdu_case(sim, rng) for _ in range(50)}
    assert outcomes  # every case answered (apdu_case raises Escape otherwise)
    # The card is still usable: after a power cycle the echo sample answers.
    sim.power_on()
    assert sim.select(campaigns.AIDS[0]).sw == 0x9000
    assert sim.transmit("80 01 00 00 02 AA BB 00").data == bytes.fromhex("AABB")
